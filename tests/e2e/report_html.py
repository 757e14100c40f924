#!/usr/bin/env python3
"""The HTML campaign report: self-contained, loads in headless Chromium without errors, and
shows the charts and the totals of the CSV report.

Runs `tamis report RULES examples/campagne-2024.csv` with --format html and with --format csv,
RULES being rules/cop2024 extended with two tables that cross a set-valued axis
(leviers.axes), then:
  - without a browser: the page references nothing outside itself (no script, no external
    stylesheet, font, image or link; the only URL is the SVG namespace), is in French;
  - with Debian's chromium, headless: --dump-dom with logging on stderr; no console message
    ("CONSOLE", "Uncaught") at all, since the page has no script; in the DOM, one
    stacked-bar chart per two-axis table with one bar per row plus the total, one
    horizontal-bar chart per one-column table with one bar per row, every chart an image with
    a title and a description, every table with a caption and scoped header cells; the
    totals of every two-axis table, the counts of every one-column table and the dossiers
    counted equal those of the CSV report;
  - a screenshot (OUT/report.png) and a printed PDF (OUT/report.pdf) are produced.

When no chromium is installed (tools/setup-debian.sh installs it) the browser part cannot
run: the script exits 77, which CTest reports as skipped.

    report_html.py --tamis build/tamis --out BUILD_DIR [--work DIR]

Python 3 standard library only. Exit status 0 passed, 1 failed, 77 skipped (no chromium).
"""

import argparse
import csv
import html.parser
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RULES = "rules/cop2024"
# cop2024 and two tables that cross a set-valued axis (a dossier in several cells): their
# totals count dossiers, and the page must show the CSV report's.
SET_AXES = """règles "cop2024-axes" version "1" étend "{parent}"

synthèse "Axes par département"
  lignes departement
  colonnes leviers.axes

synthèse "Catégories par axe"
  lignes leviers.axes
  colonnes categorie
"""
CAMPAIGN = "examples/campagne-2024.csv"
SKIP = 77
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
BROWSER_TIMEOUT = 180
MAX_BARS = 60  # a bar chart draws at most this many bars (report_html.cpp, kMaxBars)

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)
    return ok


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


class Dom(html.parser.HTMLParser):
    """The elements of the page, as (tag, attributes, parents) with the text of some."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # dicts: tag, attrs, path (tags of the ancestors), text
        self.stack = []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "parents": list(self.stack), "text": ""}
        self.elements.append(element)
        if tag not in ("meta", "link", "br", "img", "input", "rect", "line", "path"):
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "parents": list(self.stack),
                              "text": ""})

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data

    def find(self, tag=None, cls=None, inside=None):
        out = []
        for e in self.elements:
            if tag and e["tag"] != tag:
                continue
            if cls and cls not in e["attrs"].get("class", "").split():
                continue
            if inside is not None and not any(p is inside for p in e["parents"]):
                continue
            out.append(e)
        return out

    def by_id(self, ident):
        return next((e for e in self.elements if e["attrs"].get("id") == ident), None)


def static_checks(page):
    check('<html lang="fr">' in page, "the page does not declare lang=\"fr\"")
    check("<script" not in page.lower(), "the page has a script")
    check("@import" not in page and "url(" not in page, "the CSS loads something")
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    check(urls <= {SVG_NAMESPACE}, f"the page references {sorted(urls - {SVG_NAMESPACE})}")
    for attribute, value in re.findall(r"\s(src|href)=\"([^\"]*)\"", page):
        check(value.startswith("#") or value.startswith("data:"),
              f"the page loads {attribute}={value!r}")


def find_browser():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browser(chromium, profile, *args):
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--no-first-run",
               "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=BROWSER_TIMEOUT)


def numbers_of(dom, row):
    return [int(float(td["attrs"]["data-value"])) for td in dom.find("td", inside=row)
            if "data-value" in td["attrs"]]


def dom_checks(dom, csv_dir):
    index = read_csv(csv_dir / "index.csv")[1:]
    tables = {}
    for line in index:
        tables.setdefault(int(line[1]), []).append(line)
    sections = dom.find("section", cls="report-section")
    check(len(sections) == len(tables), f"{len(sections)} sections, {len(tables)} tables")
    stacked = bars = 0
    for section, number in zip(sections, sorted(tables)):
        entries = tables[number]
        name = f"section {number}"
        check(section["attrs"].get("id") == f"tableau-{number}", f"{name}: id {section['attrs']}")
        counts = read_csv(csv_dir / entries[0][0])
        cross = len(entries) == 2
        charts = dom.find("svg", inside=section)
        check(len(charts) == 1, f"{name}: {len(charts)} charts")
        for svg in charts:
            classes = svg["attrs"].get("class", "").split()
            check(svg["attrs"].get("role") == "img", f"{name}: chart without role=img")
            labelled = svg["attrs"].get("aria-labelledby", "").split()
            titles = [dom.by_id(i) for i in labelled]
            check(len(titles) == 2 and all(titles), f"{name}: chart labels {labelled} not found")
            check(any(t and t["tag"] == "title" and t["text"].strip() for t in titles),
                  f"{name}: chart without title")
            check(any(t and t["tag"] == "desc" and t["text"].strip() for t in titles),
                  f"{name}: chart without description")
            rows = len(counts) - 1  # the CSV's rows (TOTAL included for two-axis tables)
            if cross:
                stacked += "chart-stacked" in classes
                groups = dom.find("g", cls="bar-row", inside=svg)
                check(len(groups) == rows, f"{name}: {len(groups)} stacked bars, expected {rows}")
                segments = dom.find("rect", cls="segment", inside=svg)
                nonzero = sum(1 for line in counts[1:] for v in line[2:-1] if int(v) > 0)
                check(len(segments) == nonzero, f"{name}: {len(segments)} segments, "
                                                f"expected {nonzero}")
            else:
                bars += "chart-bars" in classes
                found = dom.find("rect", cls="bar", inside=svg)
                check(len(found) == min(rows, MAX_BARS), f"{name}: {len(found)} bars, expected "
                                                         f"{min(rows, MAX_BARS)}")
        for table in dom.find("table", inside=section):
            check(bool(dom.find("caption", inside=table)), f"{name}: a table without caption")
            heads = dom.find("th", inside=table)
            check(heads and all(th["attrs"].get("scope") in ("col", "row") for th in heads),
                  f"{name}: a header cell without scope")
        main = dom.by_id(f"tableau-{number}-effectifs")
        if not check(main is not None, f"{name}: no table of counts"):
            continue
        if cross:
            total = [tr for tr in dom.find("tr", inside=main) if tr["attrs"].get("data-code") ==
                     "TOTAL"]
            want = [int(v) for v in counts[-1][2:]]
            check(len(total) == 1 and numbers_of(dom, total[0]) == want,
                  f"{name}: TOTAL row {total and numbers_of(dom, total[0])}, CSV {want}")
            shown = [tr["attrs"].get("data-code") for tr in dom.find("tr", inside=main)
                     if "data-code" in tr["attrs"]]
            check(shown == [line[0] for line in counts[1:]], f"{name}: rows {shown}")
        else:
            body = [tr for tr in dom.find("tr", inside=main) if "data-code" in tr["attrs"] and
                    tr["attrs"]["data-code"] != "DOSSIERS"]
            check([tr["attrs"]["data-code"] for tr in body] == [line[0] for line in counts[1:]],
                  f"{name}: rows differ from the CSV report")
            for tr, line in zip(body, counts[1:]):
                got = numbers_of(dom, tr)
                check(got[:1] == [int(line[2])], f"{name}: {line[1]!r}: {got[:1]}, CSV {line[2]}")
            foot = [tr for tr in dom.find("tr", inside=main) if tr["attrs"].get("data-code") ==
                    "DOSSIERS"]
            check(len(foot) == 1 and numbers_of(dom, foot[0]) == [int(entries[0][3])],
                  f"{name}: dossiers counted {foot and numbers_of(dom, foot[0])}, "
                  f"CSV {entries[0][3]}")
        if number == 2:
            cards = dom.find("div", cls="card", inside=section)
            check(len(cards) == 3, f"{name}: {len(cards)} lists of most/least/never activated")
    crosses = sum(1 for e in tables.values() if len(e) == 2)
    check(stacked == crosses, f"{stacked} stacked-bar charts, {crosses} two-axis tables")
    check(bars == len(tables) - crosses, f"{bars} bar charts, {len(tables) - crosses} lists")


def png_size(path):
    data = Path(path).read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", data[16:24])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tamis", required=True)
    ap.add_argument("--out", required=True, help="folder of report.png and report.pdf")
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="tamis-html-"))
    work.mkdir(parents=True, exist_ok=True)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    tamis = str(Path(args.tamis).resolve())
    page_path, csv_dir = work / "rapport.html", work / "csv"
    if csv_dir.exists():
        shutil.rmtree(csv_dir)
    rules = work / "regles-axes"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "regles.tamis").write_text(SET_AXES.format(parent=ROOT / RULES), encoding="utf-8")
    for fmt, target in (("html", page_path), ("csv", csv_dir)):
        proc = subprocess.run([tamis, "report", str(rules), CAMPAIGN, "--format", fmt, "--output",
                               str(target)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=120)
        if proc.returncode != 0:
            print(f"FAIL: --format {fmt} exited {proc.returncode}: {proc.stderr.decode()}")
            return 1
    page = page_path.read_text(encoding="utf-8")
    static_checks(page)

    chromium = find_browser()
    if chromium is None:
        for f in failures:
            print("FAIL:", f)
        if failures:
            return 1
        print("report_html: SKIP, no chromium (apt-get install chromium); static checks passed")
        return SKIP
    profile = work / "chromium-profile"
    url = page_path.resolve().as_uri()
    proc = browser(chromium, profile, "--enable-logging=stderr", "--v=0", "--dump-dom", url)
    log = proc.stderr.decode(errors="replace")
    (work / "chromium.log").write_text(log, encoding="utf-8")
    check(proc.returncode == 0, f"chromium --dump-dom exited {proc.returncode}")
    problems = [line for line in log.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    check(not problems, "console messages:\n  " + "\n  ".join(problems[:10]))
    dom = Dom()
    dom.feed(proc.stdout.decode(errors="replace"))
    check(len(dom.elements) > 100, f"the DOM has {len(dom.elements)} elements")
    dom_checks(dom, csv_dir)

    screenshot, pdf = out / "report.png", out / "report.pdf"
    for target in (screenshot, pdf):
        if target.exists():
            target.unlink()
    proc = browser(chromium, profile, "--window-size=1280,2600", f"--screenshot={screenshot}", url)
    size = png_size(screenshot) if screenshot.exists() else None
    check(size == (1280, 2600), f"screenshot {screenshot}: {size}, chromium exited "
                                f"{proc.returncode}")
    proc = browser(chromium, profile, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url)
    data = pdf.read_bytes() if pdf.exists() else b""
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    check(data.startswith(b"%PDF") and pages >= len(dom.find("section", cls="report-section")),
          f"printed PDF {pdf}: {pages} pages, chromium exited {proc.returncode}")

    for f in failures[:40]:
        print("FAIL:", f)
    if failures:
        print(f"report_html: {len(failures)} check(s) failed")
        return 1
    print(f"report_html: the page loads without error, charts and totals present; "
          f"screenshot {screenshot}, PDF {pdf} ({pages} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
