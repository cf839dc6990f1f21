#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
"""One-lcore figures split by the host's mode, repetition by repetition.

    python3 devtools/perf-modes.py [--split CYCLES] LABEL=GLOB...

Reads the repetition rows the autotest writes with
PAGEFRAG_PERF_SAMPLES=path: each 1-lcore repetition of a driver comes with
the core probe taken right before and right after it (core_before,
core_after: TSC cycles per loop of 8 independent register adds, which
grows when the host takes issue slots from the lcore's core). A
repetition is "fast" when both probes are below --split (default 1.8),
"slow" when both are at or above it, and "mixed" otherwise (the mode
changed around it; left out).

Each LABEL=GLOB names a group of files (e.g. the runs of one build). Per
figure (figure, pool, bulk, cache, depth), mode and group it prints the
number of repetitions and the median ns per object of pagefrag and
ring_mp_mc, and x/ring: the median over the rounds of ring_mp_mc's time
over pagefrag's, counting a round only when both drivers' repetitions
of it fall in that mode. A last column sets each group's x/ring against
the first group's. First it prints how the probes are distributed, so
that the split can be checked.
"""

import argparse
import collections
import csv
import glob
import statistics
import sys

PF, RING = "pagefrag", "ring_mp_mc"


def read(groups, split):
    """{(label, key, file, rep): {driver: (ns, mode)}} and all probes."""
    reps, probes = {}, []
    for label, pattern in groups:
        paths = sorted(glob.glob(pattern))
        if not paths:
            sys.exit("no file matches %s" % pattern)
        for path in paths:
            with open(path, newline="") as f:
                for r in csv.DictReader(f):
                    if r.get("lcores") != "1" or not r.get("core_before"):
                        continue
                    b, a = float(r["core_before"]), float(r["core_after"])
                    probes += [b, a]
                    key = (r["figure"], r["objects"], r["bulk"], r["cache"],
                           r["depth"])
                    reps.setdefault((label, key, path, r["rep"]), {})[
                        r["driver"]] = (float(r["ns_per_obj"]),
                                        mode(b, a, split))
    return reps, probes


def mode(b, a, split):
    """The mode the probes before (b) and after (a) a repetition agree
    on, else "mixed"."""
    if b < split and a < split:
        return "fast"
    if b >= split and a >= split:
        return "slow"
    return "mixed"


def histogram(probes, split):
    bins = collections.Counter(int(p * 10) for p in probes)
    top = max(bins.values())
    print("core probes (%d), TSC cycles per loop, split at %.2f:"
          % (len(probes), split))
    for b in sorted(bins):
        print("  %4.1f-%4.1f %6d %s" % (b / 10, (b + 1) / 10, bins[b],
                                        "#" * max(1, 50 * bins[b] // top)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", type=float, default=1.8,
                    help="probe (TSC cycles per loop) between the modes")
    ap.add_argument("groups", nargs="+", metavar="LABEL=GLOB")
    args = ap.parse_args()
    groups = []
    for g in args.groups:
        if "=" not in g:
            ap.error("%s: not LABEL=GLOB" % g)
        groups.append(tuple(g.split("=", 1)))
    labels = [g[0] for g in groups]

    reps, probes = read(groups, args.split)
    histogram(probes, args.split)

    # (key, mode, label) -> ns per driver, and ring/pf per clean round
    ns = collections.defaultdict(lambda: collections.defaultdict(list))
    ratio = collections.defaultdict(list)
    for (label, key, _, _), drv in reps.items():
        for d, (t, m) in drv.items():
            if m != "mixed":
                ns[(key, m, label)][d].append(t)
        if PF in drv and RING in drv:
            m = drv[PF][1]
            if m != "mixed" and m == drv[RING][1]:
                ratio[(key, m, label)].append(drv[RING][0] / drv[PF][0])

    keys = sorted({k[0] for k in ns}, key=lambda k: (
        k[0], int(k[1]), int(k[2]), int(k[3])))
    print("\n%-10s %6s %4s %5s %-5s %-12s %4s %8s %8s %4s %7s %7s" % (
        "figure", "pool", "bulk", "cache", "mode", "group", "reps",
        "pf ns", "ring ns", "rnds", "x/ring", "vs " + labels[0][:4]))
    for key in keys:
        for m in ("fast", "slow"):
            base = None
            for label in labels:
                d = ns.get((key, m, label))
                if not d:
                    continue
                rr = ratio.get((key, m, label), [])
                med = statistics.median(rr) if rr else None
                if label == labels[0]:
                    base = med
                rel = ("%+6.1f%%" % (100 * (med / base - 1))
                       if med and base and label != labels[0] else "")
                print("%-10s %6s %4s %5s %-5s %-12s %4d %8s %8s %4d %7s %7s"
                      % (key[0], key[1], key[2], key[3], m, label[:12],
                         len(d.get(PF, [])),
                         "%.3f" % statistics.median(d[PF]) if PF in d
                         else "-",
                         "%.3f" % statistics.median(d[RING]) if RING in d
                         else "-",
                         len(rr), "%.3f" % med if med else "-", rel))


if __name__ == "__main__":
    main()
