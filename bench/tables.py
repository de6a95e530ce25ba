#!/usr/bin/env python3
"""The tables of bench/scale.sh: one per database size and a growth table, as Markdown.

    tables.py RESULTS MACHINE [--doc docs/PERFORMANCE.md]

RESULTS holds tab-separated lines written by scale.sh's `put`:
    SIZE  info     cases  N
    SIZE  http     WHO  PAGE  ROWS  BYTES  REQ/S  P50  P99  ERRORS  NGINX_REQ/S  NGINX_P99  PCT
    SIZE  measure  NAME  VALUE
MACHINE is the description of the machine and the run (one "key: value" a line).
With --doc, the tables and the description replace what lies between the markers
BEGIN/END below in that file (made if missing); what others wrote around them stays.
"""
import re
import sys

BEGIN = "<!-- make bench: BEGIN (written by BENCH_WRITE_DOC=1 make bench; edits inside are lost) -->"
END = "<!-- make bench: END -->"
HTTP_HEAD = ["who", "page", "rows", "bytes", "req/s", "p50 ms", "p99 ms", "errors", "nginx req/s",
             "nginx p99 ms", "% of nginx"]


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out)


def main():
    args = sys.argv[1:]
    doc = None
    if "--doc" in args:
        i = args.index("--doc")
        doc = args[i + 1]
        del args[i:i + 2]
    results, machine = args
    sizes, cases, http, measures = [], {}, {}, {}
    growth_keys, growth = [], {}

    def grow(key, size, value):
        if key not in growth:
            growth_keys.append(key)
            growth[key] = {}
        growth[key][size] = value

    with open(results, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            size, kind = c[0], c[1]
            if size not in sizes:
                sizes.append(size)
                http[size], measures[size] = [], []
            if kind == "info" and c[2] == "cases":
                cases[size] = c[3]
            elif kind == "http":
                http[size].append(c[2:])
                # The deep page is another page number at each size: one row of growth.
                page = re.sub(r"page \d+ \(by cursors\)", "deep page (by cursors)", c[3])
                grow(f"{c[2]} — {page}: req/s (% of nginx)", size, f"{c[6]} ({c[12]}%)")
                grow(f"{c[2]} — {page}: p99 ms", size, c[8])
            elif kind == "measure":
                measures[size].append(c[2:4])
                grow(c[2], size, c[3])

    out = []
    for size in sizes:
        out.append(f"### {int(size):,} cases ({cases.get(size, '?')} in the database)\n")
        if http[size]:
            out.append(table(HTTP_HEAD, http[size]))
            out.append("")
        if measures[size]:
            out.append(table(["measure", "value"], measures[size]))
            out.append("")
    if len(sizes) > 1:
        out.append(f"### Growth ({' → '.join(f'{int(s):,}' for s in sizes)} cases)\n")
        rows = [[k] + [growth[k].get(s, "") for s in sizes] for k in growth_keys]
        out.append(table(["measure"] + [f"{int(s):,}" for s in sizes], rows))
        out.append("")
    with open(machine, encoding="utf-8") as f:
        desc = [l.rstrip("\n") for l in f if l.strip()]
    text = "\n".join(out)
    print("\n".join(desc))
    print()
    print(text)
    if doc:
        write_doc(doc, desc, text)


def write_doc(path, desc, text):
    block = [BEGIN, "## The latest `make bench`", ""]
    block += ["- " + d for d in desc]
    block += ["", text, END]
    block = "\n".join(block)
    try:
        with open(path, encoding="utf-8") as f:
            old = f.read()
    except FileNotFoundError:
        old = ("# Performance\n\nWhat `make bench` measures (bench/README.md), on what machine, and what changed "
               "the numbers (issue 15). The block below is rewritten by `BENCH_WRITE_DOC=1 make bench`; the "
               "sections after it are written by hand: the profiles, the fixes, before and after.\n\n"
               + BEGIN + "\n" + END + "\n")
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        new = head + block + tail
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)
    print(f"bench: the tables are in {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
