#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
"""The pipeline's time per burst against the cross-lcore line transfer.

    python3 devtools/perf-handoff.py [--phase-ns 250] [--max-ns 1000]
        CSV [CSV ...]

Reads the pipeline rows of pagefrag_perf_autotest CSVs (PAGEFRAG_PERF_CSV,
many runs) and relates each figure's time per burst (ns_per_obj x bulk) to
the cache-line ping-pong measured next to it (pingpong_ns, a round trip:
two line transfers between the lcores, so one transfer takes pingpong_ns /
2). Figures whose ping-pong exceeds --max-ns (a vCPU descheduled while it
was measured) are left out. Per phase of the host (fast up to --phase-ns,
slow above it), cache size, write flag and driver it prints:

- ns/burst: the median time per burst;
- xfer: the median of ns/burst / transfer, the burst's time in line
  transfers;
- the least-squares line ns/burst = a + b x transfer over the figures, and
  its correlation r. Where r is high, the time per burst scales with the
  transfer: b is the number of transfers per burst on the pipeline's
  critical path and a the time that does not scale with them. Where r is
  near 0, the time does not follow the transfer: the compute of the
  busier lcore sets the pace;
- x/ring: ring_mp_mc's xfer over the driver's (above 1: the driver's
  bursts take fewer transfers' time than ring_mp_mc's).
"""

import argparse
import collections
import csv
import statistics
import sys

Fit = collections.namedtuple("Fit", "burst xfer slope intercept r")


def read_points(paths, phase_ns, max_ns):
    """{(phase, cache, write, driver): [(transfer ns, ns per burst)]}"""
    pts = collections.defaultdict(list)
    for path in paths:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                if r.get("figure") != "pipeline" or not r.get("pingpong_ns"):
                    continue
                pp = float(r["pingpong_ns"])
                if pp > max_ns:
                    continue
                phase = "slow" if pp > phase_ns else "fast"
                k = (phase, int(r["cache"]), int(r["write"]), r["driver"])
                burst = float(r["ns_per_obj"]) * int(r["bulk"])
                pts[k].append((pp / 2, burst))
    return pts


def fit(points):
    """Fit of the medians and the line; slope, intercept and r are None
    under 3 points or when x or y does not vary"""
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    burst = statistics.median(y)
    xfer = statistics.median(b / t for t, b in points)
    if len(points) < 3 or len(set(x)) < 2 or len(set(y)) < 2:
        return Fit(burst, xfer, None, None, None)
    line = statistics.linear_regression(x, y)
    return Fit(burst, xfer, line.slope, line.intercept,
               statistics.correlation(x, y))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phase-ns", type=float, default=250.0,
                    help="ping-pong (ns) between the fast and slow phase")
    ap.add_argument("--max-ns", type=float, default=1000.0,
                    help="leave out figures with a longer ping-pong (ns)")
    ap.add_argument("csv", nargs="+")
    args = ap.parse_args()
    pts = read_points(args.csv, args.phase_ns, args.max_ns)
    if not pts:
        sys.exit("perf-handoff.py: no pipeline rows with a ping-pong")
    fits = {k: fit(v) for k, v in pts.items()}
    print("phase cache wr driver       figures ns/burst  xfer  "
          "ns/burst = a + b x transfer      r  x/ring")
    for k in sorted(pts):
        f = fits[k]
        ring = fits.get(k[:3] + ("ring_mp_mc",))
        line = "%8.1f + %5.2f x transfer %6.2f" % (f.intercept, f.slope, f.r) \
            if f.slope is not None else "%-34s" % "-"
        print("%-5s %5d %2d %-12s %7d %8.1f %5.2f  %s  %6.2f"
              % (k + (len(pts[k]), f.burst, f.xfer, line, ring.xfer / f.xfer
                      if ring else float("nan"))))


if __name__ == "__main__":
    main()
