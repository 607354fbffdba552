"""Design studies: a base layout, parameters addressed by name, a design that combines them,
outputs tabulated per variant, run on dask.distributed (:func:`run_study`)."""

from __future__ import annotations

from .design import Variant, variant_text, variants
from .outputs import expand, extract
from .runner import StudyRun, run_study, solve_variant
from .spec import Study, Vary, load_study
from .table import StudyFolder, read_table

#: ``thermal_cpo.study(source, out, workers=..., ...)``: :func:`run_study` under the package's name
study = run_study

__all__ = ["Study", "Vary", "load_study", "Variant", "variants", "variant_text", "expand", "extract",
           "run_study", "study", "solve_variant", "StudyRun", "StudyFolder", "read_table"]
