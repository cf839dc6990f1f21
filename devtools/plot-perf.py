#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
"""Plot pagefrag's speed relative to the other mempool drivers.

    python3 devtools/plot-perf.py [-o doc/guides/img/perf-ratios.png]
        [--title TEXT] CSV [CSV ...]

Reads the CSV rows written by pagefrag_perf_autotest (PAGEFRAG_PERF_CSV)
and devtools/perf-compare.sh (columns figure, driver, bulk, cache, lcores,
ns_per_obj, mops, ratio_vs_pagefrag, spread; the autotest adds objects,
depth, write and pingpong_ns) and draws, per figure, one bar per other
driver: the ratio pagefrag speed / driver speed (above 1: pagefrag faster),
on a log scale, with the targets of issues 7 and 10 marked. --rst prints
the tables, the remote-free figures (bulk, fifo, pipeline) with each
driver's speed over ring_mp_mc's and the ping-pong round trip measured next
to each 2-lcore figure.

Needs matplotlib (Debian: apt-get install python3-matplotlib).
"""

import argparse
import csv
import os
import sys

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator
except ImportError:
    # another python3 first in PATH (pyenv, venv): use Debian's
    if sys.executable != "/usr/bin/python3" and os.access("/usr/bin/python3", os.X_OK):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("plot-perf.py: matplotlib missing: apt-get install python3-matplotlib")

OTHERS = ["ring_mp_mc", "stack", "bucket"]
COLORS = {"ring_mp_mc": "#4878d0", "stack": "#ee854a", "bucket": "#6acc64",
          "pagefrag": "#956cb4", "dpdk-l2fwd": "#8c613c"}

# (figure, bulk, cache, lcores, driver) -> minimum ratio wanted (issue 7)
TARGETS = {
    ("getput", 32, 0, 1, "ring_mp_mc"): 1.5,
    ("getput", 32, 0, 1, "bucket"): 4.0,
    ("getput", 32, 0, 2, "ring_mp_mc"): 3.0,
    ("getput", 32, 256, 1, "ring_mp_mc"): 0.97,
    ("getput", 32, 256, 2, "ring_mp_mc"): 0.97,
    ("teardown", 4096, 0, 1, "pagefrag"): 10.0,
    ("testpmd-null-io", 32, 250, 2, "ring_mp_mc"): 1.0,
    ("testpmd-null-io", 32, 0, 2, "bucket"): 1.2,
}
# l2fwd-frag end to end (issue 19): >= 1.0x itself on ring_mp_mc
for _c in (0, 256):
    for _cb in (0, 64, 128):
        TARGETS[("l2fwd-null-cb%d" % _cb, 32, _c, 1, "ring_mp_mc")] = 1.0
        TARGETS[("l2fwd-memif-cb%d" % _cb, 32, _c, 2, "ring_mp_mc")] = 1.0
# touch: >= 1.2x the best of the three, i.e. of each of them
for _d in OTHERS:
    TARGETS[("touch", 32, 0, 1, _d)] = 1.2

# the figures of the autotest's second table (remote frees, small bursts)
REMOTE = ("bulk", "fifo", "pipeline")


def target(k, driver):
    """The minimum pagefrag / driver ratio wanted for figure key k, or
    None: issue 7's table, and issue 10's: pipeline >= 1.0 at every cache
    size, bulk 1 and 8 >= 1.0 and bulk 32 >= 1.5 at cache 0 (against
    ring_mp_mc)."""
    fig, bulk, cache, lcores = k[:4]
    t = TARGETS.get((fig, bulk, cache, lcores, driver))
    if t is not None or driver != "ring_mp_mc":
        return t
    if fig == "pipeline":
        return 1.0
    if fig == "bulk" and cache == 0:
        return {1: 1.0, 8: 1.0, 32: 1.5}.get(bulk)
    return None


def opt_int(v):
    return int(v) if v not in (None, "") else None


def key(r):
    """What tells a figure from another: the autotest's second table runs
    each on two pool sizes, the pipeline on two depths, writing or not."""
    return (r["figure"], r["bulk"], r["cache"], r["lcores"], r["objects"],
            r["depth"], r["write"])


def read_rows(paths):
    """All result rows (ping-pong and memory rows left out)."""
    rows = []
    for path in paths:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                if r.get("figure") in (None, "pingpong", "memory"):
                    continue
                try:
                    r["bulk"] = int(r["bulk"])
                    r["cache"] = int(r["cache"])
                    r["lcores"] = int(r["lcores"])
                    r["ns"] = float(r["ns_per_obj"])
                    r["mops"] = float(r["mops"])
                    r["ratio"] = (float(r["ratio_vs_pagefrag"])
                                  if r.get("ratio_vs_pagefrag") else None)
                    # the second table's extra columns, absent elsewhere
                    remote = r["figure"] in REMOTE
                    r["objects"] = opt_int(r.get("objects")) if remote else None
                    r["depth"] = opt_int(r.get("depth")) if remote else None
                    r["write"] = opt_int(r.get("write")) if remote else None
                    r["pp"] = (float(r["pingpong_ns"])
                               if r.get("pingpong_ns") else None)
                except ValueError:
                    continue
                rows.append(r)
    return rows


def index(rows):
    """The figure keys of rows in their order, and the rows by key and
    driver."""
    keys, val = [], {}
    for r in rows:
        k = key(r)
        if k not in keys:
            keys.append(k)
        val[k + (r["driver"],)] = r
    return keys, val


def rst_table(rows, testpmd):
    """An RST grid of one group of rows: a line per figure, drivers side by
    side, then the ratios pagefrag / driver."""
    keys, val = index(rows)
    present = {r["driver"] for r in rows}
    drivers = [d for d in ["pagefrag-drain", "pagefrag"] + OTHERS +
               ["dpdk-l2fwd"] if d in present]
    # ratio columns: every driver the reference is compared with
    ref = "pagefrag-drain" if "pagefrag-drain" in present else "pagefrag"
    rdrivers = [d for d in drivers if d not in (ref, "pagefrag-drain")]
    unit = "Mpps" if testpmd else "ns"
    if testpmd:
        head = ["ports-mode", "mbcache"]
    else:
        head = ["figure", "bulk", "lc", "cache"]
    head += ["%s %s" % (d, unit) for d in drivers]
    head += ["%s/%s" % ("drain" if ref == "pagefrag-drain" else "pf",
                        "pf 1-by-1" if d == "pagefrag" else d)
             for d in rdrivers]
    lines = []
    for k in keys:
        fig, bulk, cache, lc = k[:4]
        if testpmd:
            line = [fig.split("-", 1)[1], str(cache)]
        else:
            line = [fig, str(bulk), str(lc), str(cache)]
        for d in drivers:
            r = val.get(k + (d,))
            if r is None:
                line.append("-")
            else:
                v = r["mops"] if testpmd else r["ns"]
                line.append("%.3f" % v if v < 10 else "%.1f" % v)
        for d in rdrivers:
            r = val.get(k + (d,))
            line.append("%.2fx" % r["ratio"] if r and r["ratio"] else "-")
        lines.append(line)
    return grid(head, lines)


def grid(head, lines):
    """An RST grid table."""
    w = [max(len(x) for x in col) for col in zip(head, *lines)]

    def sep(c):
        return "+" + "+".join(c * (n + 2) for n in w) + "+"

    def fmt(cells):
        return "|" + "|".join(" %-*s " % (n, x) for n, x in zip(w, cells)) + "|"
    out = [sep("-"), fmt(head), sep("=")]
    for line in lines:
        out += [fmt(line), sep("-")]
    return "\n".join(out)


def rst_remote(rows):
    """The second table of the autotest: ns per object of each driver, its
    speed over ring_mp_mc's, and the ping-pong round trip (2 lcores)."""
    keys, val = index(rows)
    drivers = [d for d in ["pagefrag"] + OTHERS
               if any(r["driver"] == d for r in rows)]
    head = ["figure", "pool", "bulk", "cache", "depth", "wr"]
    head += ["%s ns" % d for d in drivers]
    head += ["%s/ring" % ("pf" if d == "pagefrag" else d)
             for d in drivers if d != "ring_mp_mc"]
    head += ["ping-pong ns"]
    lines = []
    for k in keys:
        fig, bulk, cache, lc, n, depth, wr = k
        line = [fig, "%dK" % (n // 1024) if n and n % 1024 == 0 else str(n),
                str(bulk), str(cache), str(depth) if depth else "-",
                str(wr) if wr is not None else "-"]
        ring = val.get(k + ("ring_mp_mc",))
        for d in drivers:
            r = val.get(k + (d,))
            line.append("-" if r is None else
                        "%.3f" % r["ns"] if r["ns"] < 10 else "%.1f" % r["ns"])
        for d in drivers:
            if d == "ring_mp_mc":
                continue
            r = val.get(k + (d,))
            line.append("%.2fx" % (ring["ns"] / r["ns"])
                        if r and ring and r["ns"] > 0 else "-")
        pp = [r["pp"] for r in rows if key(r) == k and r["pp"]]
        line.append("%.1f" % pp[0] if pp else "-")
        lines.append(line)
    return grid(head, lines)


def rst_memory(paths):
    """The memory rows of the autotest as an RST grid, or None."""
    lines = []
    for path in paths:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                if r.get("figure") != "memory":
                    continue
                mib = float(r["mops"])
                meta = int(r["spread"].split("=")[1])
                lines.append([r["driver"], r["bulk"], "%.2f" % mib,
                              "%.1f" % float(r["ns_per_obj"]),
                              "%d" % meta,
                              "%.3f%%" % (100.0 * meta / (mib * 1048576)),
                              "%.2fx" % float(r["ratio_vs_pagefrag"])
                              if r["ratio_vs_pagefrag"] else "-"])
    if not lines:
        return None
    head = ["driver", "objects", "MiB reserved", "B/object", "metadata B",
            "metadata %", "driver/pagefrag"]
    return grid(head, lines)


def label(fig, bulk, cache, lcores, objects=None, depth=None, write=None):
    pool = "%dK" % (objects // 1024) if objects else ""
    if fig == "pipeline":
        return "pipe c%d\nd%d wr%d\n%s" % (cache, depth or 0, write or 0, pool)
    if fig == "fifo":
        return "fifo c%d\n%s" % (cache, pool)
    if fig == "bulk":
        return "bulk b%d\n%s" % (bulk, pool)
    if fig.startswith("testpmd-"):
        return "%s\nmbcache %d" % (fig[len("testpmd-"):], cache)
    if fig.startswith("l2fwd-"):
        return "%s\nmbcache %d" % (fig[len("l2fwd-"):], cache)
    if fig == "teardown":
        return "teardown\n%d objs" % bulk
    if fig == "getput":
        return "b%d c%d\n%d lcore%s" % (bulk, cache, lcores,
                                        "s" if lcores > 1 else "")
    return "%s b%d\nc%d %dlc" % (fig, bulk, cache, lcores)


def panel(ax, rows, title):
    keys = []
    for r in rows:
        k = key(r)
        if k not in keys:
            keys.append(k)
    drivers = [d for d in OTHERS + ["dpdk-l2fwd", "pagefrag"]
               if any(r["driver"] == d for r in rows)]
    width = 0.8 / max(len(drivers), 1)
    ratios = {}
    for r in rows:
        ratios[key(r) + (r["driver"],)] = r["ratio"]
    for i, d in enumerate(drivers):
        xs, ys = [], []
        for j, k in enumerate(keys):
            v = ratios.get(k + (d,))
            if v is not None and v > 0:
                xs.append(j - 0.4 + width * (i + 0.5))
                ys.append(v)
        name = "pagefrag put one by one" if d == "pagefrag" else d
        ax.bar(xs, ys, width, label="vs " + name, color=COLORS.get(d))
        for j, k in enumerate(keys):
            t = target(k, d)
            if t is not None:
                x = j - 0.4 + width * (i + 0.5)
                ax.plot([x - width / 2, x + width / 2], [t, t], color="black",
                        linewidth=2)
    ax.axhline(1.0, color="grey", linewidth=0.8, linestyle="--")
    ax.set_yscale("log")
    ticks = [0.0625, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256]
    lo = min([v for v in ratios.values()] + [0.5])
    hi = max([v for v in ratios.values()] + [2])
    ticks = [t for t in ticks if lo / 2 <= t <= hi * 2]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: "%gx" % v))
    ax.set_ylim(lo / 1.5, hi * 1.5)
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels([label(*k) for k in keys], fontsize=6.5)
    ax.set_xlim(-0.6, len(keys) - 0.4)
    ax.set_ylabel("pagefrag speed / driver speed")
    ax.set_title(title, fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="+", help="CSV files")
    ap.add_argument("-o", "--output", default="doc/guides/img/perf-ratios.png")
    ap.add_argument("--title", default="")
    ap.add_argument("--rst", action="store_true",
                    help="also print the results as RST tables")
    args = ap.parse_args()

    allrows = read_rows(args.csv)
    if args.rst:
        for name, test in (("getput", lambda f: f == "getput"),
                           ("remote", lambda f: f in REMOTE),
                           ("touch", lambda f: f == "touch"),
                           ("teardown", lambda f: f == "teardown"),
                           ("testpmd", lambda f: f.startswith("testpmd-")),
                           ("l2fwd", lambda f: f.startswith("l2fwd-"))):
            sel = [r for r in allrows if test(r["figure"])]
            if sel and name == "remote":
                print(rst_remote(sel) + "\n")
            elif sel:
                print(rst_table(sel, name in ("testpmd", "l2fwd")) + "\n")
        mem = rst_memory(args.csv)
        if mem:
            print(mem + "\n")
        sys.stdout.flush()
    # pagefrag's own row carries a ratio only in teardown (drain / 1-by-1)
    rows = [r for r in allrows if r["ratio"] is not None and
            (r["driver"] != "pagefrag" or r["figure"] == "teardown")]
    if not rows:
        sys.exit("plot-perf.py: no ratio rows in " + " ".join(args.csv))
    groups = [
        ("mempool get/put, 16K x 2176 B (bulk b, cache c, lcores)",
         [r for r in rows if r["figure"] == "getput"]),
        ("touch (large pool), queue teardown (ring-level drain vs put one by one)",
         [r for r in rows if r["figure"] in ("touch", "teardown")]),
        ("remote frees and small bursts: bulk (cache 0, 1 lcore), fifo (lag 512),"
         " pipeline (2 lcores, ring depth d, consumer writes wr)",
         [r for r in rows if r["figure"] in REMOTE]),
        ("dpdk-testpmd, 1 forwarding core",
         [r for r in rows if r["figure"].startswith("testpmd-")]),
        ("dpdk-l2fwd-frag end to end on net_null (1 lcore) and net_memif to"
         " testpmd (2 processes); copybreak cb; dpdk-l2fwd: DPDK's l2fwd",
         [r for r in rows if r["figure"].startswith("l2fwd-")]),
    ]
    groups = [g for g in groups if g[1]]
    fig, axes = plt.subplots(len(groups), 1, squeeze=False,
                             figsize=(max(10, 0.6 * max(
                                 len({key(r) for r in g[1]})
                                 for g in groups)), 4.2 * len(groups)))
    for ax, (title, grows) in zip(axes[:, 0], groups):
        panel(ax, grows, title)
    sup = "pagefrag relative speed (bars above 1: pagefrag faster; black marks: issue 7, 10 and 19 targets)"
    if args.title:
        sup += "\n" + args.title
    fig.suptitle(sup, fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(args.output, dpi=110)
    print("wrote " + args.output)


if __name__ == "__main__":
    main()
