#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# What the host leaves of one CPU's execution units, over time:
#
#     bash devtools/core-probe.sh [SECONDS (30)] [CPU (1)]
#
# Pinned to CPU, every ~0.1 s, times two loops of 2 million iterations
# in TSC cycles per iteration:
#   thr: 8 independent register adds, bound by how many adds the core
#        issues per cycle (its throughput);
#   lat: 4 dependent multiplies, bound by the multiply's latency.
# A change of the clock moves both alike. A thread the host runs on the
# same physical core (an SMT sibling) takes issue slots: thr grows, lat
# hardly moves. Prints each sample, then per 2 s bin the means, then the
# distribution of thr. Needs gcc (build-essential).
set -euo pipefail
secs=${1:-30} cpu=${2:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/probe.c" <<'EOF'
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <x86intrin.h>

/* the loops' results, kept so that the compiler keeps their calls */
static volatile uint64_t sink;

static uint64_t
thr(uint64_t n)
{
	uint64_t a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;

	for (uint64_t i = 0; i < n; i++)
		__asm__ volatile("add $1,%0\n\tadd $1,%1\n\tadd $1,%2\n\t"
			"add $1,%3\n\tadd $1,%4\n\tadd $1,%5\n\tadd $1,%6\n\t"
			"add $1,%7" : "+r"(a), "+r"(b), "+r"(c), "+r"(d),
			"+r"(e), "+r"(f), "+r"(g), "+r"(h));
	return a + b + c + d + e + f + g + h;
}

static uint64_t
lat(uint64_t n)
{
	uint64_t a = 3;

	for (uint64_t i = 0; i < n; i++)
		__asm__ volatile("imul %0,%0\n\timul %0,%0\n\timul %0,%0\n\t"
			"imul %0,%0" : "+r"(a));
	return a;
}

int
main(int argc, char **argv)
{
	(void)argc;
	const double secs = atof(argv[1]);
	const uint64_t n = 2000000;
	const struct timespec pause = { 0, 100000000 };
	struct timespec t0, t;
	uint64_t x, y, z;
	double el;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		x = __rdtsc();
		sink = thr(n);
		y = __rdtsc();
		sink = lat(n);
		z = __rdtsc();
		clock_gettime(CLOCK_MONOTONIC, &t);
		el = (t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9;
		printf("%.2f %.3f %.3f\n", el, (double)(y - x) / n,
			(double)(z - y) / n);
		nanosleep(&pause, NULL);
	} while (el < secs);
	return 0;
}
EOF
command -v gcc > /dev/null || { echo "core-probe: gcc missing (apt-get install build-essential)" >&2; exit 1; }
gcc -O2 -o "$tmp/probe" "$tmp/probe.c"
taskset -c "$cpu" "$tmp/probe" "$secs" > "$tmp/out"
echo "CPU $cpu, $secs s; seconds, thr (TSC cycles per 8 adds), lat (per 4 multiplies):"
cat "$tmp/out"
echo "per 2 s: mean thr, mean lat"
awk '{ k = int($1 / 2) * 2; s[k] += $2; l[k] += $3; n[k]++ }
	END { for (k in s) printf "%4d s  %.2f  %.2f\n", k, s[k] / n[k], l[k] / n[k] }' \
	"$tmp/out" | sort -n
echo "thr distribution (samples per 0.1 cycle):"
awk '{ printf "%.1f\n", $2 }' "$tmp/out" | sort -n | uniq -c
