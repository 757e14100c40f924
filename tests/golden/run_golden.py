#!/usr/bin/env python3
"""Golden tests of Tamis diagnostics: what a rule author sees for a mistake.

Each case is a folder tests/golden/diagnostics/<NN-short-name>/ holding a small
rule set (*.tamis) and expected.txt. The harness runs

    tamis check .            (working directory = the case folder)

so the paths in the messages are the ones an author sees after `cd` into the
rules folder: "./regles.tamis:12:5: erreur[E0101]: ...". No path is rewritten.
expected.txt is the exact standard error of that run followed by one line
"exit: <code>". An optional file `arguments.txt` replaces the argument "." (for
a folder that does not exist, say).

    run_golden.py --tamis build/tamis               run every case
    run_golden.py --tamis build/tamis 07 cycle      run the cases whose name contains 07 or cycle
    run_golden.py --tamis build/tamis --update      rewrite expected.txt (review the git diff!)

Python 3 standard library only. Exit status 1 when any case fails.
"""

import argparse
import difflib
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "diagnostics"
EXPECTED = "expected.txt"
ARGUMENTS = "arguments.txt"
TIMEOUT_SECONDS = 30


def list_cases(filters):
    cases = sorted(p for p in CASES.iterdir() if p.is_dir())
    if filters:
        cases = [c for c in cases if any(f in c.name for f in filters)]
    return cases


def run_case(tamis, case):
    """Returns the actual text to compare with expected.txt."""
    argument = "."
    arguments_file = case / ARGUMENTS
    if arguments_file.exists():
        argument = arguments_file.read_text(encoding="utf-8").strip()
    env = dict(os.environ)
    env["LC_ALL"] = "C.UTF-8"  # messages must not depend on the reviewer's locale
    try:
        proc = subprocess.run(
            [tamis, "check", argument],
            cwd=case,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return f"(tamis did not finish within {TIMEOUT_SECONDS} s)\n"
    stderr = proc.stderr.decode("utf-8", errors="backslashreplace")
    if stderr and not stderr.endswith("\n"):
        stderr += "\n"
    code = proc.returncode
    if code < 0:
        return stderr + f"killed by signal {-code}\n"
    return stderr + f"exit: {code}\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tamis", required=True, help="path to the tamis executable")
    parser.add_argument("--update", action="store_true",
                        help="rewrite expected.txt of every case that differs")
    parser.add_argument("filters", nargs="*", help="run only cases whose name contains one of these")
    args = parser.parse_args()

    tamis = str(Path(args.tamis).resolve())
    if not os.access(tamis, os.X_OK):
        print(f"run_golden: {args.tamis} is not an executable", file=sys.stderr)
        return 2
    cases = list_cases(args.filters)
    if not cases:
        print("run_golden: no case matches", file=sys.stderr)
        return 2

    passed, failed, updated = 0, [], []
    for case in cases:
        actual = run_case(tamis, case)
        expected_file = case / EXPECTED
        expected = expected_file.read_text(encoding="utf-8") if expected_file.exists() else None
        if expected == actual:
            passed += 1
            continue
        if args.update:
            expected_file.write_text(actual, encoding="utf-8")
            updated.append(case.name)
            continue
        failed.append(case.name)
        print(f"FAIL {case.name}")
        if expected is None:
            print(f"  no {EXPECTED}; run with --update to create it, then review it")
        diff = difflib.unified_diff(
            (expected or "").splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{case.name}/{EXPECTED}",
            tofile=f"{case.name} (actual)",
        )
        sys.stdout.writelines(diff)
        print()

    for name in updated:
        print(f"updated {name}/{EXPECTED}")
    summary = f"{passed} passed, {len(failed)} failed"
    if updated:
        summary += f", {len(updated)} updated"
    print(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
