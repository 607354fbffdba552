"""A block that Ctrl-C and SIGTERM do not split: the signal is held until the block ends and
then handed to the handler that was in place, so a run stopped early keeps a state whose time,
energies and recorded step agree."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

_HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def uninterrupted():
    """Within the block SIGINT and SIGTERM are held; on leaving it the first one held goes to
    its own earlier handler (which raises as before). Only the main thread sees signals, so
    elsewhere the block is plain."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = []
    previous = {}
    for sig in _HELD:
        handler = signal.getsignal(sig)
        if callable(handler):  # SIG_IGN, SIG_DFL and foreign handlers stay as they are
            previous[sig] = handler
            signal.signal(sig, lambda signum, frame: held.append((signum, frame)))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if held:
            signum, frame = held[0]
            previous[signum](signum, frame)
