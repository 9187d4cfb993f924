"""Print the tables of docs/validation/ukraine-band.md from a finished ukraine-band study.

Reads the study folder of ``iadsim study studies/ukraine-band/study.yaml`` (or any part of
it that has finished) and prints the published 2024 figures of the Ukraine data set and,
per variant, the simulated share of the raid destroyed and reaching the city with 95 %
intervals (:mod:`iadsim.studies.sanity_band`). Usage::

    PYTHONPATH=src python -m iadsim study studies/ukraine-band/study.yaml --out DIR
    PYTHONPATH=src python scripts/ukraine_band.py DIR
"""

from __future__ import annotations

import argparse
from pathlib import Path

from iadsim.studies.sanity_band import (
    band_markdown,
    band_rows,
    launched_count,
    published_markdown,
)
from iadsim.studies.schema import load_study

STUDY = Path(__file__).resolve().parents[1] / "studies" / "ukraine-band" / "study.yaml"


def main() -> None:
    """Parse the arguments and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study_dir", type=Path, help="folder the study wrote")
    parser.add_argument("--study", type=Path, default=STUDY, help="the study file")
    args = parser.parse_args()
    loaded = load_study(args.study)
    launched = launched_count(loaded.scenario_doc, "shahed136")
    question = loaded.study.questions[0].name
    print(published_markdown())
    print(band_markdown(band_rows(args.study_dir, question, launched)))


if __name__ == "__main__":
    main()
