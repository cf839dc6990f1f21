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
# BUILD (default build) must have been configured with valgrind's headers
# there (this script installs valgrind; reconfigure after that). OUT (a
# new directory under /tmp) keeps callgrind's dumps, one per driver, bulk
# and cache: callgrind_annotate OUT/cg.out.N shows where a count goes.
# Prints, per object got and put: all instructions of the loop (the
# benchmark's own loop and rte_mempool.h's inline code are the same for
# every driver), those in the driver's library, and pagefrag's counts
# relative to each other driver's (< 1: pagefrag runs fewer).
# Environment: PAGEFRAG_PERF_DRIVERS (default all four).
set -euo pipefail
build=${1:-build}
out=${2:-$(mktemp -d /tmp/icount.XXXXXX)}
bin=$build/app/test-pagefrag/dpdk-test-pagefrag
[ -x "$bin" ] || { echo "icount: no $bin: build first" >&2; exit 1; }
if ! command -v valgrind > /dev/null; then
	echo "icount: installing valgrind"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind > /dev/null
	echo "icount: valgrind's headers are new: reconfigure and rebuild $build, then run again" >&2
	exit 1
fi
mkdir -p "$out"
rm -f "$out"/cg.out*
# one lcore, no hugepages: counts do not depend on either
valgrind --tool=callgrind -q --callgrind-out-file="$out/cg.out" \
	"$bin" --no-huge -m 1024 -l 0 --no-pci --file-prefix=icount_$$ \
	-- pagefrag_perf_icount > "$out/log" 2>&1 || {
	tail -5 "$out/log" >&2
	echo "icount: pagefrag_perf_icount failed (log: $out/log)" >&2
	exit 1
}
if ! ls "$out"/cg.out.* > /dev/null 2>&1; then
	echo "icount: no counts: $build was built without valgrind/callgrind.h; reconfigure it (meson setup --reconfigure $build) and rebuild" >&2
	exit 1
fi

# one row per dump: driver bulk cache objs total_ir driver_ir
find "$out" -name 'cg.out.*' | sort -V | while read -r f; do
	desc=$(sed -n 's/^desc: Trigger: Client Request: icount //p' "$f")
	[ -n "$desc" ] || continue
	total=$(awk '/^totals:/ { print $2 }' "$f")
	drv=$(callgrind_annotate --threshold=100 --inclusive=no "$f" 2> /dev/null |
		awk '/\[.*librte_mempool_[a-z]*\.so/ { gsub(",", "", $1); s += $1 }
			END { print s + 0 }')
	read -r d _ b _ c _ n <<< "$desc"
	echo "$d $b $c $n $total $drv"
done > "$out/rows"

echo "instructions per object got and put (callgrind, $(valgrind --version)); loop: all of it, drv: in the driver's library; pf/x: pagefrag's loop count / x's (< 1: fewer)"
awk '
	function ratio(key, d) { return tot["pagefrag", key] / tot[d, key] }
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
				printf " %13.1f/%7.1f", tot[drvs[d], keys[k]],
					drv[drvs[d], keys[k]]
			for (d = 0; d < nd; d++)
				if (drvs[d] != "pagefrag")
					printf " %8.2f", ratio(keys[k], drvs[d])
			printf "\n"
		}
	}' "$out/rows"
echo "dumps: $out (callgrind_annotate $out/cg.out.N)"
