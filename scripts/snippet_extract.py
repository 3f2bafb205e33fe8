"""Reads the `### Snippets` sections of the lesson files, by the rules in
Lessons/README.md (the tutor's parser, Sources/DecayLessons/SnippetSection.swift,
follows the same ones; the Swift currency test compares the two through the
snippets' SHA-256)."""

import hashlib
import re
from pathlib import Path

HEADING = "### snippets"
LIBRARIES = {"pytorch": "python", "transformers": "python", "axolotl": "yaml"}


def heading_level(line):
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    m = re.match(r"(#{1,6})([ \t]|$)", stripped)
    return len(m.group(1)) if m else None


def opening_fence(line):
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    m = re.match(r"(`{3,}|~{3,})(.*)$", stripped)
    if not m or (m.group(1)[0] == "`" and "`" in m.group(2)):
        return None
    return m.group(1)[0], len(m.group(1)), m.group(2).strip()


def closes(line, marker, length):
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return False
    run = len(stripped) - len(stripped.lstrip(marker))
    return run >= length and stripped[run:].strip(" \t") == ""


def lesson_id(lines):
    if not lines or lines[0].strip() != "---":
        raise ValueError("no front matter")
    for line in lines[1:]:
        if line.strip() == "---":
            break
        key, _, value = line.partition(":")
        if key.strip() == "id":
            return value.strip().strip('"')
    raise ValueError("no id in the front matter")


def snippets(path):
    """[{lesson, file, library, line, code, sha256}] of one lesson file."""
    lines = Path(path).read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    ident = lesson_id(lines)
    found, fence, in_section = [], None, False
    for number, line in enumerate(lines, start=1):
        if fence:
            marker, length, library, start, code = fence
            if closes(line, marker, length):
                if library:
                    found.append(record(ident, path, library, start, code))
                fence = None
            else:
                code.append(line)
            continue
        opened = opening_fence(line)
        if opened:
            words = opened[2].split()
            library = words[1] if in_section and len(words) == 2 and words[1] in LIBRARIES else None
            if in_section and (library is None or LIBRARIES[library] != words[0]):
                raise ValueError(f"{path}:{number}: a snippet fence must be ```python pytorch, "
                                 "```python transformers or ```yaml axolotl")
            fence = (opened[0], opened[1], library, number, [])
            continue
        level = heading_level(line)
        if level is not None:
            if line.strip().lower() == HEADING:
                in_section = True
            elif level <= 3:
                in_section = False
    return found


def record(ident, path, library, line, code):
    while code and not code[-1].strip():
        code.pop()
    while code and not code[0].strip():
        code.pop(0)
    text = "\n".join(code)
    return {"lesson": ident, "file": f"Lessons/{Path(path).name}", "library": library, "line": line,
            "code": text, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}


def all_snippets(directory):
    files = sorted(p for p in Path(directory).glob("*.md") if p.name != "README.md")
    return [s for f in files for s in snippets(f)]
