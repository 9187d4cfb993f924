"""A command post's air picture: its own tracks, the data links, and identification.

- :mod:`.post_picture`: the post's tracker table and what the post knows of each track;
- :mod:`.datalink`: track reports over the links, correlation and the fused picture (the
  algorithms are :mod:`iadsim.tracking.fusion`'s plain functions);
- :mod:`.identification`: identities, the reasons for them and the ranked rules;
- :mod:`.stage`: the picture stage of a decision cycle (IFF, link identities, the rules).
"""
