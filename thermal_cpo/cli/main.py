"""The ``thermal-cpo`` command line: the click group and its commands, a thin shell over the
Python API, one public function per command (each command's module names it).

Exit codes: 0 success, 1 solver or physics failure, 2 bad input or usage (never a traceback for
a user error). Importing this module loads neither numba nor the solvers: each command imports
what it runs.
"""

from __future__ import annotations

import click

from . import (bench, characterize, compare, crosstalk, export, imports, info, layouts, materials, plot, report, run,
               study, study_plot, validate)

COMMANDS = (validate.validate, layouts.layouts, layouts.schema, materials.materials, run.run,
            report.report_command, crosstalk.crosstalk_command, export.export_command, plot.plot_command,
            imports.import_group, characterize.characterize_command, study.study_command, study_plot.study_plot_command,
            compare.compare_command, bench.bench, info.info)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="thermal_cpo", prog_name="thermal-cpo")
def cli():
    """thermal-cpo: 3-D thermal solver for co-packaged-optics packages.

    LAYOUT is a TOML file or the name of a shipped layout (see `thermal-cpo layouts`).
    """


for _command in COMMANDS:
    cli.add_command(_command)


def main(argv=None):
    """Entry point of ``thermal-cpo`` and ``python -m thermal_cpo``."""
    try:
        cli.main(args=argv, prog_name="thermal-cpo", standalone_mode=True)
    except SystemExit as exc:
        raise SystemExit(exc.code) from None
