"""The bibliography ``docs/references.md`` against the citations in the tree (no physics).

Every ``[key]`` cited in a tracked text file has the key format and an entry in the bibliography;
every entry is cited somewhere else, dated and locatable (a DOI, a URL or an explicit "No DOI");
every material whose numbers include an assumption or an unverified value says
``assumed = true``; no tracked file names a machine path or an issue-tracker number. The key
format and the words "assumption" and "unverified" are defined in the bibliography itself.
"""

from __future__ import annotations

import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from thermal_cpo.materials import coolants, library

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
BIBLIOGRAPHY = ROOT / "docs" / "references.md"

KEY = re.compile(r"[a-z][a-z0-9-]*-((18|19|20)[0-9][0-9][a-z]?|nd)")
# Anything that looks like a citation: a lower-case, hyphenated word in square brackets. Index
# expressions such as x[i-1] do not match (the first part needs two characters).
CITATION = re.compile(r"\[([a-z][a-z0-9]+(?:-[a-z0-9]+)+)\]")
# A TOML table header (a line holding only a bracketed table name) names a table, it cites nothing.
TOML_HEADER = re.compile(r"^\s*\[\[?[^\]]+\]\]?\s*(#.*)?$")
MARKED = re.compile(r"\b(assumption|unverified)\b")
# Built from pieces so that this file does not match itself.
FORBIDDEN = {
    "a machine path": re.compile("/" + "work" + "/"),
    "an issue-tracker number": re.compile(r"\bissue" + r" #?[0-9]"),
    "the former outside reference": re.compile("cpo" + "-domain"),
    "a section pointer into a document outside the repository": re.compile("\u00a7"),
    "a numbered source key of the former outside reference": re.compile(r"\bS[0-9]{1,2}\b"),
}

# Where citations are looked for (tracked files only; the bibliography is read in any case).
CITING = ("thermal_cpo/**/*.py", "thermal_cpo/**/*.toml", "meshes/*.toml", "README.md",
          "docs/*.md", "benchmarks/**/*.py", "tests/**/*.py", "kernels/**/*.py")
# Without git, the files of these paths stand for the tracked ones.
FALLBACK = ("thermal_cpo", "meshes", "docs", "benchmarks", "tests", "kernels", "README.md",
            "pyproject.toml")

# Entries that may stay although nothing outside the bibliography cites them: key -> reason.
UNCITED_ALLOWED: dict[str, str] = {}


@lru_cache(maxsize=1)
def tracked_files() -> tuple[Path, ...]:
    """The tracked files of the checkout (``git ls-files``), or the project's files without git."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True,
                             timeout=30).stdout
        paths = [ROOT / p for p in out.decode("utf-8").split("\0") if p]
    except (OSError, subprocess.SubprocessError):
        paths = []
    if not paths:
        paths = []
        for name in FALLBACK:
            p = ROOT / name
            paths += [q for q in p.rglob("*") if q.is_file()] if p.is_dir() else [p]
        paths = [p for p in paths if "__pycache__" not in p.parts and p.suffix != ".pyc"]
    return tuple(sorted(p for p in paths if p.is_file()))


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None  # binary (figures) or unreadable


@lru_cache(maxsize=1)
def citing_files() -> dict[str, str]:
    """Relative path -> text of every file that may cite, the bibliography included."""
    out = {}
    for path in tracked_files():
        rel = path.relative_to(ROOT)
        if any(rel.match(pattern) or _glob_match(rel, pattern) for pattern in CITING):
            text = _text(path)
            if text is not None:
                out[rel.as_posix()] = text
    out[BIBLIOGRAPHY.relative_to(ROOT).as_posix()] = BIBLIOGRAPHY.read_text(encoding="utf-8")
    return out


def _glob_match(rel: Path, pattern: str) -> bool:
    # Path.match does not let "**" span several directories before Python 3.13.
    head, _, tail = pattern.partition("/**/")
    return bool(tail) and rel.parts[0] == head and rel.match(tail)


def citations(text: str, toml: bool) -> list[tuple[int, str]]:
    """(line number, key) of every citation in ``text``."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if toml and TOML_HEADER.match(line):
            continue
        found += [(number, m.group(1)) for m in CITATION.finditer(line)]
    return found


@lru_cache(maxsize=1)
def entries() -> dict[str, str]:
    """Key -> text of every ``### key`` entry of the bibliography."""
    text = BIBLIOGRAPHY.read_text(encoding="utf-8")
    out: dict[str, str] = {}
    parts = re.split(r"^(#{2,3} .*)$", text, flags=re.M)
    for heading, body in zip(parts[1::2], parts[2::2]):
        if heading.startswith("### "):
            key = heading[4:].strip()
            assert key not in out, f"{key} has two entries"
            out[key] = body
    return out


def test_the_bibliography_has_entries_with_well_formed_keys():
    assert len(entries()) >= 10
    bad = [k for k in entries() if not KEY.fullmatch(k)]
    assert not bad, f"entry keys not of the form name-topic-year: {bad}"


def test_every_cited_key_is_well_formed_and_listed():
    problems = []
    for rel, text in citing_files().items():
        for number, key in citations(text, toml=rel.endswith(".toml")):
            if not KEY.fullmatch(key):
                problems.append(f"{rel}:{number}: [{key}] is not a key (name-topic-year)")
            elif key not in entries():
                problems.append(f"{rel}:{number}: [{key}] has no entry in docs/references.md")
    assert not problems, "\n".join(problems)


def test_every_entry_is_cited_outside_the_bibliography():
    own = BIBLIOGRAPHY.relative_to(ROOT).as_posix()
    cited = {key for rel, text in citing_files().items() if rel != own
             for _, key in citations(text, toml=rel.endswith(".toml"))}
    uncited = sorted(set(entries()) - cited - set(UNCITED_ALLOWED))
    assert not uncited, f"entries nothing cites (cite them or give a reason in UNCITED_ALLOWED): {uncited}"
    assert set(UNCITED_ALLOWED) <= set(entries()), set(UNCITED_ALLOWED) - set(entries())


def test_every_entry_has_a_year_and_a_locator():
    problems = []
    for key, body in entries().items():
        years = re.findall(r"\b(?:18|19|20)[0-9]{2}\b", body)
        if not years:
            problems.append(f"{key}: no year")
        year = KEY.fullmatch(key).group(1)
        if year != "nd" and year[:4] not in years:
            problems.append(f"{key}: the key's year {year[:4]} is not in the entry")
        doi = re.search(r"^DOI[^:\n]*:\s*10\.[0-9]{4,9}/\S+", body, re.M)
        url = re.search(r"^URL[^:\n]*:\s*https?://\S+", body, re.M)
        if not (doi or url or re.search(r"\bNo DOI\b", body)):
            problems.append(f"{key}: neither a DOI, a URL nor a 'No DOI' note")
    assert not problems, "\n".join(problems)


def _layout_materials():
    for path in sorted((ROOT / "meshes").glob("*.toml")):
        for name, spec in tomllib.loads(path.read_text(encoding="utf-8")).get("materials", {}).items():
            yield f"{path.name}:{name}", spec.get("source", ""), spec.get("notes", ""), spec.get("assumed", False)


def test_materials_with_assumed_or_unverified_numbers_say_so():
    items = [(f"library:{n}", m.source, m.notes, m.assumed) for n, m in library().items()]
    items += [(f"coolants:{n}", c.source, c.notes, c.assumed) for n, c in coolants().items()]
    items += list(_layout_materials())
    wrong = [name for name, source, notes, assumed in items
             if MARKED.search(source + " " + notes) and not assumed]
    assert not wrong, f"an assumption or unverified value, but assumed = false: {wrong}"


def test_no_tracked_file_names_a_machine_path_or_an_issue():
    problems = []
    for path in (*tracked_files(), BIBLIOGRAPHY):
        text = _text(path)
        if text is None:
            continue
        for what, pattern in FORBIDDEN.items():
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not problems, "\n".join(problems)
