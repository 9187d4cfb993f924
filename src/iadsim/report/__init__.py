"""The HTML report of a run or campaign folder: one self-contained page (``iadsim report``)."""
