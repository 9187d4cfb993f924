"""The figures and outputs quoted in the README and docs/ are what the code gives today.

Each quote is marked ``<!-- docs: GENERATOR ARGS -->...<!-- /docs -->`` and written by
``scripts/update_docs.py``; this test regenerates every quote (running the bundled scenarios
as a user would) and fails, naming the quote, where a page differs.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _update_docs():
    spec = importlib.util.spec_from_file_location("update_docs", ROOT / "scripts/update_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


UPDATE_DOCS = _update_docs()


@pytest.mark.parametrize("page", UPDATE_DOCS.PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_quote_is_current(page):
    stale = UPDATE_DOCS.stale_quotes(page)
    assert not stale, f"stale quotes (run .venv/bin/python scripts/update_docs.py): {stale}"


def test_the_readme_quotes_figures():
    assert len(list(UPDATE_DOCS.QUOTE.finditer((ROOT / "README.md").read_text("utf-8")))) >= 3


def test_a_changed_figure_is_found_stale(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("<!-- docs: aircraft turkey-s400-ankara -->62<!-- /docs -->\n", "utf-8")
    assert UPDATE_DOCS.stale_quotes(page) == ["aircraft turkey-s400-ankara"]
    page.write_text("<!-- docs: aircraft turkey-s400-ankara -->63<!-- /docs -->\n", "utf-8")
    assert UPDATE_DOCS.stale_quotes(page) == []


@pytest.mark.slow
def test_the_class_envelope_table_is_current():
    """docs/models/envelopes.md's table between its markers is what
    ``scripts/class_envelopes.py`` gives today (about 40 s of flyouts)."""
    spec = importlib.util.spec_from_file_location(
        "class_envelopes", ROOT / "scripts/class_envelopes.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (ROOT / "docs/models/envelopes.md").read_text("utf-8")
    quoted = page.split(module.MARK)[1].strip("\n")
    assert quoted == "\n".join(module.rows()), (
        "stale table (run .venv/bin/python scripts/class_envelopes.py --write "
        "docs/models/envelopes.md)"
    )
