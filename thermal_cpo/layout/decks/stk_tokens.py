"""The token stream of a 3D-ICE stack or floorplan file: words, numbers, quoted strings and the
punctuation ``: ; , ( )``, each with its line; ``//`` and ``/* */`` comments skipped."""

from __future__ import annotations

import re

from ...errors import did_you_mean
from .deck import deck_error

_TOKEN = re.compile(r"""
    (?P<space>[ \t\r]+) | (?P<newline>\n) | (?P<line_comment>//[^\n]*) | (?P<block_comment>/\*.*?\*/) |
    (?P<string>"[^"\n]*") | (?P<number>[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(?![A-Za-z_])) |
    (?P<word>[A-Za-z0-9_][A-Za-z0-9_.\-]*) | (?P<punct>[:;,()])
""", re.VERBOSE | re.DOTALL)


class Tokens:
    """A cursor over the tokens of one file; every error names ``file:line``."""

    def __init__(self, text: str, fname: str):
        self.fname, self.items, line, pos = fname, [], 1, 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                raise deck_error(f"{fname}:{line}", f"unexpected character {text[pos]!r}")
            kind, value = m.lastgroup, m.group()
            if kind in ("string", "number", "word", "punct"):
                self.items.append((kind, value.strip('"') if kind == "string" else value, line))
            line += value.count("\n")
            pos = m.end()
        self.i = 0

    def origin(self) -> str:
        """``file:line`` of the next token (or the last one at the end)."""
        if not self.items:
            return f"{self.fname}:1"
        return f"{self.fname}:{self.items[min(self.i, len(self.items) - 1)][2]}"

    def at_end(self) -> bool:
        return self.i >= len(self.items)

    def peek(self, ahead: int = 0) -> str | None:
        """The next token's text (lower-case for words), or None at the end."""
        j = self.i + ahead
        if j >= len(self.items):
            return None
        kind, value, _ = self.items[j]
        return value.lower() if kind == "word" else value

    def take(self) -> tuple[str, str]:
        if self.at_end():
            raise deck_error(self.origin(), "the file ends in the middle of a statement")
        kind, value, _ = self.items[self.i]
        self.i += 1
        return kind, value

    def expect(self, *words: str) -> None:
        """Consume ``words`` (case-insensitive), or fail naming what was expected."""
        for w in words:
            origin = self.origin()
            kind, value = self.take()
            if value.lower() != w:
                raise deck_error(origin, f"expected {' '.join(words)!r}, found {value!r}")

    def accept(self, *words: str) -> bool:
        """Consume ``words`` if they come next."""
        if all(self.peek(k) == w for k, w in enumerate(words)):
            self.i += len(words)
            return True
        return False

    def name(self, what: str) -> str:
        origin = self.origin()
        kind, value = self.take()
        if kind not in ("word", "string"):
            raise deck_error(origin, f"expected {what}, found {value!r}")
        return value

    def number(self, what: str, *, positive: bool = False) -> float:
        origin = self.origin()
        kind, value = self.take()
        if kind != "number":
            raise deck_error(origin, f"{what}: expected a number, found {value!r}")
        v = float(value)
        if positive and v <= 0:
            raise deck_error(origin, f"{what}: expected a positive number, found {value}")
        return v

    def numbers(self, what: str) -> list[float]:
        """A comma-separated list of numbers, up to (not including) the ``;``."""
        out = [self.number(what)]
        while self.accept(","):
            out.append(self.number(what))
        return out

    def unknown(self, choices) -> None:
        """Fail at the next token, which is none of ``choices``."""
        word = self.peek() or "the end of the file"
        raise deck_error(self.origin(), f"unknown keyword {word!r}{did_you_mean(str(word), choices)} "
                                        f"(expected one of: {', '.join(choices)})")
