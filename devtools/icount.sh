#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# Instructions per get+put, exact where the timed figures swing with the
# host: pagefrag_perf_icount under callgrind, for pagefrag, ring_mp_mc,
# stack and bucket, bulk 1, 8, 32 and 128, cache 0 and 256:
#
#     bash devtools/icount.sh [BUILD] [OUT]
#
# BUILD (default build) must have been built with valgrind's headers
# there (without valgrind, this script installs it on Debian and asks for
# a rebuild). OUT (a new directory under /tmp) keeps callgrind's dumps,
# one per driver, bulk and cache: callgrind_annotate OUT/cg.out.N shows
# where a count goes.
# Prints, per object got and put: all instructions of the loop (the
# benchmark's own loop and rte_mempool.h's inline code, 31.1 at bulk 1,
# cache 0), those in the driver's library (what a driver runs in other
# libraries, as bucket does, counts in the loop only), and pagefrag's
# loop counts relative to each other driver's (< 1: pagefrag runs fewer).
# Environment: PAGEFRAG_PERF_DRIVERS (default all four).
set -euo pipefail
build=${1:-build}
out=${2:-$(mktemp -d /tmp/icount.XXXXXX)}
bin=$build/app/test-pagefrag/dpdk-test-pagefrag
[ -x "$bin" ] || { echo "icount: no $bin: build first" >&2; exit 1; }
rebuild="touch app/test-pagefrag/test_pagefrag_perf.c && ninja -C $build"
if ! command -v valgrind > /dev/null; then
	if [ "$(id -u)" -ne 0 ] || ! command -v apt-get > /dev/null; then
		echo "icount: install valgrind (Debian: apt-get install valgrind), then: $rebuild" >&2
		exit 1
	fi
	echo "icount: installing valgrind"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q valgrind > /dev/null ||
		{ apt-get update -q > /dev/null &&
		  apt-get install -y -q valgrind > /dev/null; }
	echo "icount: valgrind's headers are new: $rebuild; then run again" >&2
	exit 1
fi
mkdir -p "$out"
rm -f "$out"/cg.out*
# one lcore, no hugepages: counts do not depend on either
eal=(--no-huge -m 1024 -l 0 --no-pci --file-prefix=icount_$$)
# natively first (a second): were the client requests compiled in?
"$bin" "${eal[@]}" -- pagefrag_perf_icount > "$out/native.log" 2>&1 || {
	tail -5 "$out/native.log" >&2
	echo "icount: pagefrag_perf_icount failed (log: $out/native.log)" >&2
	exit 1
}
if grep -q 'callgrind requests compiled out' "$out/native.log"; then
	echo "icount: $bin was built without valgrind/callgrind.h: $rebuild" >&2
	exit 1
fi
valgrind --tool=callgrind -q --callgrind-out-file="$out/cg.out" \
	"$bin" "${eal[@]}" -- pagefrag_perf_icount > "$out/log" 2>&1 || {
	tail -5 "$out/log" >&2
	echo "icount: pagefrag_perf_icount failed under callgrind (log: $out/log)" >&2
	exit 1
}
if ! ls "$out"/cg.out.* > /dev/null 2>&1; then
	echo "icount: callgrind wrote no dump (log: $out/log)" >&2
	exit 1
fi

# one row per dump: driver bulk cache objs total_ir driver_ir
find "$out" -name 'cg.out.*' | sort -V | while read -r f; do
	desc=$(sed -n 's/^desc: Trigger: Client Request: icount //p' "$f")
	[ -n "$desc" ] || continue
	total=$(awk '/^totals:/ { print $2 }' "$f")
	ann=$(callgrind_annotate --threshold=100 --inclusive=no "$f") || {
		echo "icount: callgrind_annotate failed on $f" >&2
		exit 1
	}
	drv=$(awk '/\[.*librte_mempool_[a-z]*\.so/ { gsub(",", "", $1); s += $1 }
		END { print s + 0 }' <<< "$ann")
	read -r d _ b _ c _ n <<< "$desc"
	# at cache 0 every get and put runs the driver's library
	if [ "$c" = 0 ] && [ "$drv" = 0 ]; then
		echo "icount: no instruction in a librte_mempool_*.so for $desc: a driver linked in statically, or callgrind_annotate's format changed" >&2
		exit 1
	fi
	echo "$d $b $c $n $total $drv"
done > "$out/rows"

echo "instructions per object got and put (callgrind, $(valgrind --version)); loop: all of it, drv: in the driver's library; pf/x: pagefrag's loop count / x's (< 1: fewer)"
awk '
	function ratio(key, d) {
		if (!(("pagefrag", key) in tot) || !((d, key) in tot) || tot[d, key] == 0)
			return "-"
		return sprintf("%.2f", tot["pagefrag", key] / tot[d, key])
	}
	function cell(d, key) {
		if (!((d, key) in tot))
			return sprintf("%21s", "-")
		return sprintf("%13.1f/%7.1f", tot[d, key], drv[d, key])
	}
	{ key = $3 " " $2; tot[$1, key] = $5 / $4; drv[$1, key] = $6 / $4
	  if (!(key in seen)) { seen[key] = 1; keys[nk++] = key }
	  if (!($1 in dseen)) { dseen[$1] = 1; drvs[nd++] = $1 } }
	END {
		printf "%-5s %-4s", "cache", "bulk"
		for (d = 0; d < nd; d++)
			printf " %21s", drvs[d] " loop/drv"
		for (d = 0; d < nd; d++)
			if (drvs[d] != "pagefrag")
				printf " %8s", "pf/" substr(drvs[d], 1, 5)
		printf "\n"
		for (k = 0; k < nk; k++) {
			split(keys[k], kc, " ")
			printf "%-5s %-4s", kc[1], kc[2]
			for (d = 0; d < nd; d++)
				printf " %s", cell(drvs[d], keys[k])
			for (d = 0; d < nd; d++)
				if (drvs[d] != "pagefrag")
					printf " %8s", ratio(keys[k], drvs[d])
			printf "\n"
		}
	}' "$out/rows"
echo "dumps: $out (callgrind_annotate $out/cg.out.N)"
