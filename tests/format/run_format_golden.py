#!/usr/bin/env python3
"""Golden tests of `tamis fmt` (tests/format/cases/<name>/{input,expected}.tamis).

For each case, in a scratch folder: `fmt --check` exits 1 and lists the file (0 when
the input is already canonical); `fmt` rewrites it to exactly expected.tamis; a second
`fmt --check` exits 0 and a second `fmt` changes nothing (idempotence); expected.tamis
alone passes `fmt --check`. Then a file with a syntax error is reported like
`tamis check` does, left untouched, and fmt exits 1.

  run_format_golden.py --tamis build/tamis [--work DIR] [--update]
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent


def tamis(exe, *args):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=60)


class Checker:
    def __init__(self):
        self.failures = []

    def expect(self, condition, message):
        if not condition:
            self.failures.append(message)
        return condition


def run_case(exe, case, work, update, check):
    name = case.name
    source = (case / "input.tamis").read_bytes()
    expected_path = case / "expected.tamis"
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    target = folder / "regles.tamis"
    target.write_bytes(source)

    if update:
        r = tamis(exe, "fmt", str(folder))
        if r.returncode != 0:
            check.expect(False, f"{name}: fmt exited {r.returncode}\n{r.stderr}")
            return
        expected_path.write_bytes(target.read_bytes())
        target.write_bytes(source)
    expected = expected_path.read_bytes()

    r = tamis(exe, "fmt", "--check", str(folder))
    changes = source != expected
    check.expect(r.returncode == (1 if changes else 0),
                 f"{name}: fmt --check on the input exited {r.returncode}\n{r.stderr}")
    check.expect((str(target) in r.stdout) == changes,
                 f"{name}: fmt --check listed {r.stdout!r}")
    check.expect(target.read_bytes() == source, f"{name}: fmt --check wrote the file")

    r = tamis(exe, "fmt", str(folder))
    check.expect(r.returncode == 0, f"{name}: fmt exited {r.returncode}\n{r.stderr}")
    got = target.read_bytes()
    if not check.expect(got == expected, f"{name}: formatted text differs from expected.tamis"):
        (work / f"{name}.got.tamis").write_bytes(got)
        diff = subprocess.run(["diff", "-u", str(expected_path), str(work / f"{name}.got.tamis")],
                              capture_output=True, text=True)
        print(diff.stdout)

    r = tamis(exe, "fmt", "--check", str(folder))
    check.expect(r.returncode == 0 and r.stdout == "",
                 f"{name}: fmt --check after fmt exited {r.returncode} ({r.stdout!r})")
    r = tamis(exe, "fmt", str(folder))
    check.expect(r.returncode == 0 and target.read_bytes() == got,
                 f"{name}: a second fmt changed the file (not idempotent)")

    target.write_bytes(expected)
    r = tamis(exe, "fmt", "--check", str(folder))
    check.expect(r.returncode == 0, f"{name}: expected.tamis is not canonical ({r.returncode})")


def run_syntax_error(exe, work, check):
    folder = work / "syntax_error"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    broken = "soit x =  = 1\n"
    fine = "soit   y = 2\n"
    (folder / "a.tamis").write_text(broken, encoding="utf-8")
    (folder / "b.tamis").write_text(fine, encoding="utf-8")
    for args in (["fmt", "--check", str(folder)], ["fmt", str(folder)]):
        r = tamis(exe, *args)
        check.expect(r.returncode == 1, f"syntax error: {' '.join(args[:-1])} exited {r.returncode}")
        check.expect("a.tamis:1:" in r.stderr and "erreur[E0001]" in r.stderr,
                     f"syntax error: diagnostics not reported as tamis check does:\n{r.stderr}")
        check.expect((folder / "a.tamis").read_text(encoding="utf-8") == broken,
                     "syntax error: the broken file was touched")
    # The other file of the folder is formatted all the same.
    check.expect((folder / "b.tamis").read_text(encoding="utf-8") == "soit y = 2\n",
                 "syntax error: the valid file beside it was not formatted")
    r = tamis(exe, "fmt", str(work / "no-such-folder"))
    check.expect(r.returncode == 2, f"missing folder: fmt exited {r.returncode}")


def run_symlinks(exe, work, check):
    """A rule file that is a symbolic link is formatted through it (the shared file
    is updated, the link stays); a broken link is an error, as for `tamis check`."""
    folder = work / "symlinks"
    shutil.rmtree(folder, ignore_errors=True)
    rules = folder / "rules"
    rules.mkdir(parents=True)
    shared = folder / "commun.tamis"
    shared.write_text("soit   y = 2\n", encoding="utf-8")
    link = rules / "commun.tamis"
    link.symlink_to(shared)
    r = tamis(exe, "fmt", str(rules))
    check.expect(r.returncode == 0, f"symlink: fmt exited {r.returncode}\n{r.stderr}")
    check.expect(link.is_symlink(), "symlink: the link was replaced by a file")
    check.expect(shared.read_text(encoding="utf-8") == "soit y = 2\n",
                 "symlink: the linked file was not formatted")

    (rules / "z.tamis").symlink_to(folder / "absent.tamis")
    for args in (["check", str(rules)], ["fmt", "--check", str(rules)], ["fmt", str(rules)]):
        r = tamis(exe, *args)
        check.expect(r.returncode == 2, f"broken link: {' '.join(args[:-1])} exited {r.returncode}")
        check.expect("z.tamis" in r.stderr, f"broken link: not named by {args[0]}:\n{r.stderr}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tamis", required=True)
    parser.add_argument("--work")
    parser.add_argument("--update", action="store_true", help="rewrite expected.tamis")
    args = parser.parse_args()
    work = pathlib.Path(args.work) if args.work else pathlib.Path(tempfile.mkdtemp())
    work.mkdir(parents=True, exist_ok=True)
    check = Checker()
    cases = sorted(p for p in (HERE / "cases").iterdir() if p.is_dir())
    for case in cases:
        run_case(args.tamis, case, work, args.update, check)
    run_syntax_error(args.tamis, work, check)
    run_symlinks(args.tamis, work, check)
    for f in check.failures:
        print("FAIL", f)
    print(f"{len(cases)} case(s), {len(check.failures)} failure(s)")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
