"""Transient solve: power traces, explicit and implicit stepping, stored fields, probes.

- implicit (the default for anything longer than microseconds): by default variable-step BDF2,
  one linear solve a step, its error estimated against an explicit predictor (:mod:`.bdf`);
  TR-BDF2; or the θ-method, backward Euler (θ = 1) or Crank–Nicolson (θ = ½), adaptive by step
  doubling (three solves a step). Every trace breakpoint and every requested output time is
  hit exactly; the preconditioner is set up once per octave (BDF2: two octaves) of step
  length and reused (CG runs on the exact matrix of each step), warm-started from a prediction;
- explicit: forward Euler with the numba stencil kernel, at a fraction of the positivity bound
  ``min C/ΣG``; a requested step above the bound is refused with the bound in the message.

Modules: :mod:`.system` (the semi-discrete system), :mod:`.schemes`, :mod:`.control` (output
times, breakpoints, step doubling), :mod:`.bdf` (BDF2 and TR-BDF2), :mod:`.recorders`,
:mod:`.initial`, :mod:`.driver`.
"""

from __future__ import annotations

from .bdf import SECOND_ORDER, SecondOrder
from .control import FixedSteps, StepDoubling, output_times
from .driver import EXPLICIT_MAX_AUTO_STEPS, EXPLICIT_SAFETY, METHODS, solve_transient
from .recorders import Fields, History, Progress, Recorder
from .schemes import THETAS, ForwardEuler, Theta, explicit_limit
from .system import System

__all__ = ["solve_transient", "System", "ForwardEuler", "Theta", "THETAS", "explicit_limit",
           "FixedSteps", "StepDoubling", "output_times", "Recorder", "History", "Fields", "Progress",
           "EXPLICIT_SAFETY", "EXPLICIT_MAX_AUTO_STEPS", "METHODS", "SecondOrder", "SECOND_ORDER"]
