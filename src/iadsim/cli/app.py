"""The ``iadsim`` command: each command group lives in its own module, registered here.

Command modules import only :mod:`iadsim.cli._console`, never this module, so there is no
import circle; each command imports its domain packages when it runs, so ``iadsim --help``
stays fast.
"""

from __future__ import annotations

import typer

from iadsim.cli import campaign, catalog, run, study
from iadsim.cli.assure import assure
from iadsim.cli.coverage import coverage
from iadsim.cli.explain import explain
from iadsim.cli.export import export
from iadsim.cli.report import report
from iadsim.cli.terrain import terrain

app = typer.Typer(
    help="iadsim: an open simulator of integrated air and missile defence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(run.validate)
app.command()(run.run)
app.command()(run.compare)
app.command()(explain)
app.command()(export)
app.command()(report)
app.command()(coverage)
# Unknown "options" are arguments here, so negative coordinates need no "--".
app.command(context_settings={"ignore_unknown_options": True})(terrain)
app.command()(campaign.mc)
app.command("mc-report")(campaign.mc_report)
app.command()(study.study)
app.command()(assure)

catalog_app = typer.Typer(help="Browse the sourced catalog.", no_args_is_help=True)
catalog_app.command("list")(catalog.catalog_list)
catalog_app.command("show")(catalog.catalog_show)
app.add_typer(catalog_app, name="catalog")
