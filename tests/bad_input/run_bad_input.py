#!/usr/bin/env python3
"""Runs the bad-input corpora against the tamis CLI.

  run_bad_input.py --tamis build/tamis [--work DIR] [--only REGEX] [--suite campaigns|rules]
                   [--timeout 20] [--slowdown 1] [--strict-xfail] [-v]

Every case of campaigns/*.json (`tamis run`) and rule_files/*.json (`tamis check`)
is run with a timeout; a case fails when the process is killed by a signal,
times out, exits with another code than expected, misses an expected message,
or breaks an invariant of the CLI:
  - `N ligne(s) lue(s) = C classée(s) + R rejetée(s)` with N = C + R whenever a run
    completes, N result rows, R rows with a `rejet`, R rows in --rejects, R
    « ligne rejetée » lines on stderr;
  - no output file exists after a failed run (outputs are atomic);
  - `check` failing with exit 1 prints at least one `file:line:col: erreur[CODE]`.
A case with "xfail" documents a known defect: its failure is counted apart
(XFAIL) and does not fail the run; if it passes, it is reported as XPASS (remove
the marker). Crashes and timeouts fail the run even in xfail cases, unless the
case has "xfail_crash": true (the known defect is that crash).
Prints `N passed, M failed` (+ xfail/xpass/skipped) and exits 1 on any failure.
Python 3 standard library only.
"""
import argparse
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import make_campaigns  # noqa: E402
import make_rule_files  # noqa: E402

KEEP_BYTES = 4 * 1024 * 1024  # of each stream, for the checks; the rest is counted
# In French, or in English with --lang en.
INVARIANT = re.compile(
    r"^(\d+) (?:ligne\(s\) lue\(s\)|row\(s\) read) = (\d+) (?:classée\(s\)|classified) "
    r"\+ (\d+) (?:rejetée\(s\)|rejected)$", re.M)
REJECTED_LINE = re.compile(r"^.*:\d+: (?:ligne rejetée|row rejected) \(dossier ", re.M)
POSITIONED_ERROR = re.compile(r"^\S.*:\d+:\d+: erreur\[E\d{4}\]", re.M)
SANITIZER_REPORT = re.compile(r"ERROR: (Address|Leak|Memory|Thread)Sanitizer: .*|"
                              r"^.*: runtime error: .*", re.M)


class Result:
    def __init__(self):
        self.rc = None
        self.timed_out = False
        self.seconds = 0.0  # wall clock
        self.cpu = 0.0  # user + system time of the process: what limits check (load-proof)
        self.crashed = False  # a sanitizer report (the process exits 1, not by a signal)
        self.stdout = ""
        self.stderr = ""
        self.stdout_bytes = b""
        self.stderr_bytes = b""
        self.stdout_size = 0
        self.stderr_size = 0


def _drain(stream, sink):
    kept = []
    size = 0
    while True:
        chunk = stream.read(65536)
        if not chunk:
            break
        if size < KEEP_BYTES:
            kept.append(chunk[:KEEP_BYTES - size])
        size += len(chunk)
    sink["bytes"] = b"".join(kept)
    sink["size"] = size


def run(argv, timeout, preexec=None):
    """Runs argv; keeps the first KEEP_BYTES of each stream (floods cannot exhaust memory)."""
    r = Result()
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=preexec)
    out, err = {}, {}
    threads = [threading.Thread(target=_drain, args=(proc.stdout, out)),
               threading.Thread(target=_drain, args=(proc.stderr, err))]
    for t in threads:
        t.start()
    # Reaped with wait4 for its CPU time; Popen only sees the pipes.
    status = {}
    reaper = threading.Thread(target=lambda: status.update(
        zip(("pid", "status", "usage"), os.wait4(proc.pid, 0))))
    reaper.start()
    reaper.join(timeout)
    if reaper.is_alive():
        r.timed_out = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        reaper.join()
    for t in threads:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status["status"])
    r.seconds = time.monotonic() - start
    r.cpu = status["usage"].ru_utime + status["usage"].ru_stime
    r.rc = proc.returncode
    r.stdout_bytes, r.stdout_size = out["bytes"], out["size"]
    r.stderr_bytes, r.stderr_size = err["bytes"], err["size"]
    r.stdout = r.stdout_bytes.decode("utf-8", "replace")
    r.stderr = r.stderr_bytes.decode("utf-8", "replace")
    return r


def printable_problem(data):
    """Why `data` is not printable UTF-8 text, or None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"invalid UTF-8 at byte {e.start} ({data[e.start:e.start + 4]!r})"
    for i, ch in enumerate(text):
        if (ord(ch) < 0x20 and ch not in "\n\t") or ord(ch) == 0x7F:
            return f"control character U+{ord(ch):04X} at character {i}"
    return None


def read_csv(path):
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
        return list(csv.reader(f))


def short(text, limit=300):
    text = text.replace("\r", "\\r")
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} chars)"


# ---------------------------------------------------------------------------


class Case:
    def __init__(self, suite, name, expect, json_path):
        self.suite = suite
        self.name = name
        self.expect = expect
        self.json_path = json_path


def load_cases(suite):
    folder = os.path.join(HERE, "campaigns" if suite == "campaigns" else "rule_files")
    cases = []
    for f in sorted(os.listdir(folder)):
        if f.endswith(".json"):
            with open(os.path.join(folder, f), encoding="utf-8") as fh:
                cases.append(Case(suite, f[:-5], json.load(fh), os.path.join(folder, f)))
    return cases


def common_checks(case, r, problems, timeout):
    e = case.expect
    if r.timed_out:
        problems.append(f"timed out after {timeout} s (hang?)")
        return False
    if r.rc < 0:
        problems.append(f"killed by signal {-r.rc} ({signal.Signals(-r.rc).name})")
        return False
    sanitizer = SANITIZER_REPORT.search(r.stderr)
    if sanitizer:
        # ASan and UBSan end the process with exit 1: a crash that looks like a rule error.
        problems.append(f"sanitizer report: {sanitizer.group(0)}")
        r.crashed = True
    expected = e["exit"] if isinstance(e["exit"], list) else [e["exit"]]
    if r.rc not in expected:
        problems.append(f"exit {r.rc}, expected {e['exit']}")
    if r.rc == 3 and 3 not in expected:
        problems.append("internal error (exit 3)")
    if "max_seconds" in e and r.cpu > e["max_seconds"]:
        problems.append(f"took {r.cpu:.2f} s of CPU, limit {e['max_seconds']} s")
    if "max_stderr_bytes" in e and r.stderr_size > e["max_stderr_bytes"]:
        problems.append(f"stderr is {r.stderr_size} bytes, limit {e['max_stderr_bytes']}")
    return True


def text_checks(case, r, problems, subst, path):
    e = case.expect
    # Regular expressions look at stderr without the input's path (a case's file
    # name must not satisfy them).
    anonymous = r.stderr.replace(path, "<entrée>").replace(subst, "<entrée>")
    for s in e.get("stderr", []):
        s = s.replace("{name}", subst)
        if s not in r.stderr:
            problems.append(f"stderr lacks: {s!r}")
    for s in e.get("stderr_absent", []):
        s = s.replace("{name}", subst)
        if s in r.stderr:
            problems.append(f"stderr should not contain: {s!r}")
    for rx in e.get("stderr_regex", []):
        if not re.search(rx, anonymous, re.I):
            problems.append(f"stderr does not match /{rx}/")
    for s in e.get("stdout", []):
        s = s.replace("{name}", subst)
        if s not in r.stdout:
            problems.append(f"stdout lacks: {s!r}")
    if e.get("stderr_printable"):
        why = printable_problem(r.stderr_bytes)
        if why:
            problems.append(f"stderr is not printable text: {why}")


def run_campaign_case(case, tamis, work, timeout):
    e = case.expect
    problems = []
    rules = e.get("rules", "cop2024")
    rules_dir = (os.path.join(ROOT, "rules", "cop2024") if rules == "cop2024"
                 else os.path.join(HERE, "rules", rules))
    if "generated" in e:
        path = os.path.join(work, case.name + ".csv")
        with open(path, "wb") as f:
            f.write(make_campaigns.generate(e["generated"]))
    elif e.get("special") == "missing":
        path = os.path.join(work, case.name + ".csv")
    elif e.get("special") == "directory":
        path = os.path.join(work, case.name + ".csv")
        os.makedirs(path, exist_ok=True)
    elif e.get("special") == "latin1_name":
        # The committed input under a name whose é is one Latin-1 byte (not UTF-8).
        path = os.fsdecode(os.path.join(os.fsencode(work), case.name.encode() + b"-caf\xe9.csv"))
        shutil.copyfile(os.path.join(HERE, "campaigns", e["input"]), path)
    else:
        path = os.path.join(HERE, "campaigns", e["input"])
    results = os.path.join(work, case.name + ".results.csv")
    rejects = os.path.join(work, case.name + ".rejects.csv")
    for p in (results, rejects, results + ".jsonl", results + ".sqlite"):
        if os.path.exists(p):
            os.remove(p)
    args = [a.replace("{out}", results).replace("{rejects}", rejects) for a in e.get("args", [])]
    argv = [tamis, "run", rules_dir, path, "--output", results, "--rejects", rejects] + args
    r = run(argv, timeout)
    if common_checks(case, r, problems, timeout):
        text_checks(case, r, problems, os.path.basename(path), path)
        campaign_invariants(case, r, results, rejects, problems)
    return r, problems, argv


def campaign_invariants(case, r, results, rejects, problems):
    e = case.expect
    counts = None
    for stream in (r.stdout, r.stderr):
        for m in INVARIANT.finditer(stream):
            n, c, rej = (int(x) for x in m.groups())
            if n != c + rej:
                problems.append(f"invariant broken: {m.group(0)}")
            counts = (n, c, rej)
    if "invariant" in e:
        if e["invariant"] not in r.stdout.splitlines():
            found = INVARIANT.search(r.stdout)
            problems.append(f"stdout lacks the line {e['invariant']!r}"
                            + (f" (found {found.group(0)!r})" if found else ""))
    if r.rc != 0:
        for p in (results, rejects):
            if os.path.exists(p):
                problems.append(f"exit {r.rc} but {os.path.basename(p)} was written "
                                "(outputs must be atomic)")
        return
    if counts is None:
        problems.append("exit 0 without the « N ligne(s) lue(s) = … » line")
        return
    n, c, rej = counts
    if len(REJECTED_LINE.findall(r.stderr)) != rej and r.stderr_size <= KEEP_BYTES:
        problems.append(f"{len(REJECTED_LINE.findall(r.stderr))} « ligne rejetée » lines on "
                        f"stderr for {rej} rejected rows")
    if not os.path.exists(results) or not os.path.exists(rejects):
        problems.append("exit 0 but --output/--rejects file missing")
        return
    try:
        rows = read_csv(results)
        if len(rows) - 1 != n:
            problems.append(f"results: {len(rows) - 1} rows for {n} rows read")
        elif rows:
            width = len(rows[0])
            if rows[0][-1] != "rejet":
                problems.append("results: last column is not « rejet »")
            if any(len(x) != width for x in rows[1:]):
                problems.append("results: rows of unequal width")
            marked = sum(1 for x in rows[1:] if x and x[-1] != "")
            if marked != rej:
                problems.append(f"results: {marked} rows with a « rejet » for {rej} rejected")
        rrows = read_csv(rejects)
        if len(rrows) - 1 != rej:
            problems.append(f"rejects: {len(rrows) - 1} rows for {rej} rejected")
    except (csv.Error, UnicodeError) as ex:
        problems.append(f"results/rejects not readable as CSV: {ex}")
    with open(results, "rb") as f:
        content = f.read().decode("utf-8", "surrogateescape")
    for s in e.get("results_contains", []):
        if s not in content:
            problems.append(f"results lack: {short(s)!r}")
    if "rejects_exact" in e:
        with open(rejects, "rb") as f:
            got = f.read().decode("utf-8", "surrogateescape")
        if got != e["rejects_exact"]:
            problems.append(f"rejects differ:\n--- expected\n{e['rejects_exact']}--- got\n{got}")


# ---------------------------------------------------------------------------


def nobody_preexec():
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


def can_run_as_nobody(tamis, work):
    """True when `nobody` can run tamis on a rule folder of the work directory."""
    probe = os.path.join(work, "nobody-probe")
    os.makedirs(probe, exist_ok=True)
    os.chmod(probe, 0o755)
    base = os.path.join(probe, "base.tamis")
    shutil.copy(os.path.join(HERE, "rules", "montants", "montants.tamis"), base)
    os.chmod(base, 0o644)
    try:
        r = run([tamis, "check", probe], 60, preexec=nobody_preexec)
        return r.rc == 0
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        shutil.rmtree(probe, ignore_errors=True)


def run_rule_case(case, tamis, work, timeout, state):
    e = case.expect
    problems = []
    folder = os.path.join(work, case.name)
    if os.path.lexists(folder):
        for root, dirs, files in os.walk(folder):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
        shutil.rmtree(folder)
    preexec = None
    target = folder
    special = e.get("special")
    if special == "missing":
        target = os.path.join(work, case.name + "-absent")
    elif special == "file":
        os.makedirs(folder)
        target = os.path.join(folder, "base.tamis")
        shutil.copy(os.path.join(HERE, "rules", "montants", "montants.tamis"), target)
    else:
        os.makedirs(folder)
        if e.get("with_base"):
            shutil.copy(os.path.join(HERE, "rules", "montants", "montants.tamis"),
                        os.path.join(folder, "base.tamis"))
        if "generated" in e:
            make_rule_files.generate(e["generated"], folder)
        for f in e.get("files", []):
            shutil.copy(os.path.join(HERE, "rule_files", case.name, f), os.path.join(folder, f))
        if special == "tamis_directory":
            os.makedirs(os.path.join(folder, "x.tamis"))
            with open(os.path.join(folder, "x.tamis", "y.tamis"), "w") as f:
                f.write("soit y = )\n")
        elif special == "unreadable":
            secret = os.path.join(folder, "secret.tamis")
            with open(secret, "w") as f:
                f.write("soit z = )\n")
            os.chmod(secret, 0)
            os.chmod(folder, 0o755)
            if os.geteuid() == 0:
                if state.get("nobody") is None:
                    state["nobody"] = can_run_as_nobody(tamis, work)
                if not state["nobody"]:
                    return None, ["running as root and user nobody cannot run tamis on the "
                                  "work directory"], []
                preexec = nobody_preexec
    argv = [tamis, "check", target]
    r = run(argv, timeout, preexec=preexec)
    if common_checks(case, r, problems, timeout):
        text_checks(case, r, problems, os.path.basename(target), target)
        if r.rc == 1 and not e.get("no_position") and not POSITIONED_ERROR.search(r.stderr):
            problems.append("exit 1 without any « file:line:col: erreur[CODE] » diagnostic")
        if r.rc == 0 and "erreur[" in r.stderr:
            problems.append("exit 0 although an error was printed")
    return r, problems, argv


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tamis", required=True)
    ap.add_argument("--work", help="work directory (default: a temporary one, removed)")
    ap.add_argument("--only", help="regular expression on case names")
    ap.add_argument("--suite", choices=["campaigns", "rules", "all"], default="all")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per case")
    ap.add_argument("--slowdown", type=float, default=1.0,
                    help="multiplies timeouts and time limits (sanitizer or Debug builds)")
    ap.add_argument("--strict-xfail", action="store_true", help="an XPASS fails the run")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    tamis = os.path.abspath(args.tamis)
    if not os.access(tamis, os.X_OK):
        print(f"run_bad_input: {tamis} is not executable", file=sys.stderr)
        return 2
    # The generated corpus must match its generator.
    stale = []
    for mod, label in ((make_campaigns, "campaigns"), (make_rule_files, "rule_files")):
        buf = io.StringIO()
        old, sys.stdout = sys.stdout, buf
        try:
            if mod.main(["--check"]) != 0:
                stale.append(buf.getvalue())
        finally:
            sys.stdout = old
    work = args.work or tempfile.mkdtemp(prefix="tamis-bad-input-")
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)

    suites = ["campaigns", "rules"] if args.suite == "all" else [args.suite]
    passed, failed, xfailed, xpassed, skipped = [], [], [], [], []
    state = {}
    started = time.monotonic()
    for suite in suites:
        for case in load_cases(suite):
            if args.only and not re.search(args.only, case.name):
                continue
            timeout = case.expect.get("timeout", args.timeout) * args.slowdown
            if "max_seconds" in case.expect:
                case.expect["max_seconds"] *= args.slowdown
            if suite == "campaigns":
                r, problems, argv = run_campaign_case(case, tamis, work, timeout)
            else:
                r, problems, argv = run_rule_case(case, tamis, work, timeout, state)
            label = f"{suite}/{case.name}"
            if r is None:
                skipped.append((label, problems[0]))
                print(f"SKIP   {label}: {problems[0]}")
                continue
            xfail = case.expect.get("xfail")
            # A crash or a hang fails the run even in an xfail case, unless the case says that
            # the known defect is that crash ("xfail_crash": true).
            fatal = (r.timed_out or r.rc < 0 or r.crashed) and not case.expect.get("xfail_crash")
            timing = f"{r.cpu:.2f} s CPU, {r.seconds:.2f} s"
            if not problems:
                if xfail:
                    xpassed.append((label, xfail))
                    print(f"XPASS  {label} ({timing}) — defect fixed? remove the xfail marker")
                else:
                    passed.append(label)
                    if args.verbose:
                        print(f"ok     {label} ({timing})")
                continue
            if xfail and not fatal:
                xfailed.append((label, xfail))
                if args.verbose:
                    print(f"xfail  {label} ({timing})")
                    for p in problems:
                        print(f"         {short(p, 400)}")
                continue
            failed.append(label)
            print(f"FAIL   {label} ({timing})")
            print(f"         command: {' '.join(argv)}")
            for p in problems:
                print(f"         {short(p, 2000)}")
            print(f"         stderr ({r.stderr_size} bytes): {short(r.stderr, 600)}")
            if args.verbose:
                print(f"         stdout: {short(r.stdout, 600)}")
    for s in stale:
        failed.append("corpus out of date")
        print("FAIL   corpus: " + s.strip().replace("\n", "\n         "))
    total = time.monotonic() - started
    if xfailed:
        print(f"\nexpected failures (known defects, {len(xfailed)}):")
        for label, why in xfailed:
            print(f"  XFAIL {label}: {why}")
    if xpassed:
        print(f"\nunexpected passes ({len(xpassed)}): remove their xfail marker")
        for label, why in xpassed:
            print(f"  XPASS {label}")
    if skipped:
        print(f"\nskipped ({len(skipped)}):")
        for label, why in skipped:
            print(f"  SKIP  {label}: {why}")
    print(f"\n{len(passed)} passed, {len(failed)} failed, {len(xfailed)} xfail, "
          f"{len(xpassed)} xpass, {len(skipped)} skipped in {total:.1f} s")
    if not args.work:
        for root, dirs, files in os.walk(work):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(work, ignore_errors=True)
    if failed or (args.strict_xfail and xpassed):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
