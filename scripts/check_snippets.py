#!/usr/bin/env python3
"""Checks every lesson's snippets against the real libraries and writes
scripts/snippet-check.json, which `swift test` (SnippetCurrencyTests) holds
the lesson files to.

    python3 scripts/check_snippets.py            # check, write the results
    python3 scripts/check_snippets.py --list     # only list the snippets

Needs torch, transformers, accelerate and peft installed, and PyPI for Axolotl:
its wheel (pinned by --axolotl, no dependencies) and Pillow's, which its
config schema imports, are fetched with `pip download --no-deps` into
.build/snippet-check/ and put on sys.path; nothing is installed. What is
checked per library: see snippet_runners.py; per lesson:
snippet_expectations.py. Exits 1 when a snippet fails (the results file is
still written, with the failure), 2 when the setup is missing.
"""

import argparse
import importlib.metadata as metadata
import json
import platform
import subprocess
import sys
import traceback
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from snippet_extract import all_snippets  # noqa: E402

RESULTS = HERE / "snippet-check.json"
AXOLOTL_VERSION = "0.19.0"


def fetch_axolotl(version, cache):
    """Puts Axolotl's wheel (and Pillow's) on sys.path; returns the version."""
    site = cache / f"axolotl-{version}"
    if not (site / "axolotl").is_dir():
        wheels = cache / "wheels"
        wheels.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                        "--quiet", "-d", str(wheels), f"axolotl=={version}", "pillow"], check=True)
        site.mkdir(parents=True, exist_ok=True)
        for wheel in wheels.glob("*.whl"):
            if wheel.name.startswith(("axolotl-", "pillow-")):
                with zipfile.ZipFile(wheel) as z:
                    z.extractall(site)
    sys.path.insert(0, str(site))
    return version


def run_one(snippet):
    from snippet_expectations import EXPECTATIONS
    from snippet_runners import Check, run_axolotl, run_pytorch, run_transformers

    check = Check()
    expectations = EXPECTATIONS.get(snippet["lesson"])
    try:
        if expectations is None:
            raise AssertionError(f"no expectations for lesson {snippet['lesson']} in snippet_expectations.py")
        pytorch, transformers, axolotl = expectations
        if snippet["library"] == "pytorch":
            pytorch(check, run_pytorch(snippet["code"]))
        elif snippet["library"] == "transformers":
            transformers(check, run_transformers(snippet["code"]))
        else:
            axolotl(check, run_axolotl(snippet["code"], check))
        return {"status": "passed", "checked": check.checked}
    except Exception as error:  # every failure is recorded, with what passed before it
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        return {"status": "failed", "checked": check.checked, "error": detail}


def versions(axolotl):
    out = {"python": platform.python_version(), "axolotl": axolotl}
    for package in ("torch", "transformers", "accelerate", "peft", "pydantic", "PyYAML"):
        out[package] = metadata.version(package)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", default=str(REPO / "Lessons"), help="the lesson folder")
    parser.add_argument("--results", default=str(RESULTS), help="where to write the results")
    parser.add_argument("--axolotl", default=AXOLOTL_VERSION, help="the Axolotl release to validate against")
    parser.add_argument("--list", action="store_true", help="list the snippets and their hashes only")
    options = parser.parse_args()

    snippets = all_snippets(options.lessons)
    if options.list:
        for s in snippets:
            print(f"{s['file']}:{s['line']}  {s['library']:<12} {s['sha256'][:16]}")
        return 0
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
        axolotl = fetch_axolotl(options.axolotl, REPO / ".build" / "snippet-check")
    except (ImportError, subprocess.CalledProcessError) as error:
        print(f"check_snippets: cannot set up the libraries: {error}", file=sys.stderr)
        return 2

    entries = []
    for s in snippets:
        result = run_one(s)
        entries.append({k: s[k] for k in ("lesson", "file", "library", "sha256")} | result)
        mark = "ok  " if result["status"] == "passed" else "FAIL"
        print(f"{mark} {s['file']}:{s['line']} {s['library']}: {len(result['checked'])} checks"
              + (f"; {result['error']}" if "error" in result else ""))
    document = {
        "generated_by": "python3 scripts/check_snippets.py",
        "versions": versions(axolotl),
        "snippets": entries,
    }
    Path(options.results).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    failed = sum(e["status"] != "passed" for e in entries)
    print(f"{len(entries)} snippets, {failed} failed; results in {options.results}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
