#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# The measured table of doc/guides/sample_app_ug/l2fwd_frag.rst: runs
# devtools/demo.sh (the veth/namespace/af_packet topology) RUNS times for
# each configuration and prints, in RST, the median forwarding rate at the
# receiver and the packet memory per packet in flight:
#
#   - DPDK's own l2fwd, the control (built from the dpdk-doc package);
#   - l2fwd-frag on ring_mp_mc and on pagefrag, copybreak off and on,
#     pipeline off and on.
#
# As root: bash devtools/demo-table.sh
#
# Environment:
#   PAGEFRAG_TABLE_RUNS=N      runs per configuration (default 3)
#   PAGEFRAG_TABLE_SECONDS=N   traffic time of each run (default 5)
#   PAGEFRAG_TABLE_MBCACHE=N   l2fwd-frag's mempool cache (default 256, as
#                              the control's)
#   PAGEFRAG_TABLE_COPYBREAK=N copybreak of the "on" rows (default 256)
#   PAGEFRAG_BUILD=DIR         build directory (default build)
# Each run's figures come from the JSON demo.sh writes
# (BUILD/demo-logs/demo-result.json), kept as BUILD/demo-logs/table-run-N.json
# beside its whole output, table-run-N.log; BUILD/demo-logs/table-runs.csv
# has a row per run (the table's input).

set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
RUNS=${PAGEFRAG_TABLE_RUNS:-3}
SECONDS_PER_RUN=${PAGEFRAG_TABLE_SECONDS:-5}
MBCACHE=${PAGEFRAG_TABLE_MBCACHE:-256}
CB=${PAGEFRAG_TABLE_COPYBREAK:-256}
BUILD=${PAGEFRAG_BUILD:-build}
RESULTS=$BUILD/demo-logs/table-runs.csv
RUN_FIELDS=mpps,mem_per_pkt,forwarded,drain_refs,rc

# app ops copybreak pipeline
CONFIGS=(
	"l2fwd ring_mp_mc 0 0"
	"l2fwd-frag ring_mp_mc 0 0"
	"l2fwd-frag pagefrag 0 0"
	"l2fwd-frag ring_mp_mc $CB 0"
	"l2fwd-frag pagefrag $CB 0"
	"l2fwd-frag ring_mp_mc 0 1"
	"l2fwd-frag pagefrag 0 1"
	"l2fwd-frag ring_mp_mc $CB 1"
	"l2fwd-frag pagefrag $CB 1"
)

mkdir -p "$BUILD/demo-logs" || exit 1
echo "app,ops,copybreak,pipeline,run,$RUN_FIELDS" > "$RESULTS"

# median of the numbers on stdin ("-" if none)
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		if (NR % 2) print v[(NR + 1) / 2];
		else printf "%g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# run_row JSON: the RUN_FIELDS of a demo-result.json, comma-separated
# (empty where null); nothing without the file
run_row() {
	[ -f "$1" ] && python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(",".join("" if d.get(k) is None else str(d[k]) for k in sys.argv[2].split(",")))' \
		"$1" "$RUN_FIELDS"
}

# column CFG NAME: the NAME figures of the passed runs of CFG ("app ops
# copybreak pipeline"), one a line
column() {
	awk -F, -v cfg="$(tr ' ' , <<< "$1")" -v name="$2" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	($1 "," $2 "," $3 "," $4) == cfg && $col["rc"] == "0" && $col[name] != "" {
		print $col[name] }' "$RESULTS"
}

failed=0
n=0
LOADS=
for cfg in "${CONFIGS[@]}"; do
	read -r app ops cb pipe <<< "$cfg"
	for ((run = 1; run <= RUNS; run++)); do
		n=$((n + 1))
		log=$BUILD/demo-logs/table-run-$n.log
		echo "table: $app ops=$ops copybreak=$cb pipeline=$pipe run $run/$RUNS (${log#"$BUILD"/})" >&2
		LOADS="$LOADS $(cut -d ' ' -f 1 /proc/loadavg)"
		json=$BUILD/demo-logs/table-run-$n.json
		rm -f "$BUILD/demo-logs/demo-result.json"
		PAGEFRAG_BUILD=$BUILD PAGEFRAG_DEMO_SECONDS=$SECONDS_PER_RUN \
			PAGEFRAG_DEMO_APP=$app PAGEFRAG_DEMO_OPS=$ops \
			PAGEFRAG_DEMO_COPYBREAK=$cb PAGEFRAG_DEMO_PIPELINE=$pipe \
			PAGEFRAG_DEMO_MBCACHE=$MBCACHE bash devtools/demo.sh \
			> "$log" 2>&1
		cp "$BUILD/demo-logs/demo-result.json" "$json" 2>/dev/null || rm -f "$json"
		row=$(run_row "$json")
		if [ "${row##*,}" != 0 ]; then
			echo "table: run failed: $(grep -m 1 'FAILED' "$log" || echo "no demo-result.json")" >&2
			failed=$((failed + 1))
		fi
		echo "$app,$ops,$cb,$pipe,$run,${row:-,,,,1}" >> "$RESULTS"
	done
done

echo
echo "Median of $RUNS runs of ${SECONDS_PER_RUN} s each, 64-byte packets, mempool cache $MBCACHE, $(nproc) CPUs,"
echo "1-minute load average at the start of the runs: $(echo "$LOADS" | tr ' ' '\n' | sed '/^$/d' | sort -g | head -n 1) to $(echo "$LOADS" | tr ' ' '\n' | sort -g | tail -n 1):"
echo
echo ".. list-table::"
echo "   :header-rows: 1"
echo
echo "   * - Forwarder"
echo "     - Pool ops"
echo "     - Copybreak"
echo "     - Pipeline"
echo "     - Mpps at the receiver (min-max)"
echo "     - Bytes per packet in flight"
for cfg in "${CONFIGS[@]}"; do
	read -r app ops cb pipe <<< "$cfg"
	rates=$(column "$cfg" mpps)
	mem=$(column "$cfg" mem_per_pkt | median)
	[ "$app" = l2fwd ] && mem="(as ring_mp_mc, copybreak off)"
	echo "   * - $app"
	echo "     - $ops"
	echo "     - $([ "$cb" -gt 0 ] && echo "$cb B" || echo off)"
	echo "     - $([ "$pipe" = 1 ] && echo on || echo off)"
	echo "     - $(echo "$rates" | sed '/^$/d' | median) ($(echo "$rates" | sort -g | sed '/^$/d' | head -n 1)-$(echo "$rates" | sort -g | tail -n 1), $(echo "$rates" | sed '/^$/d' | wc -l) runs)"
	echo "     - $mem"
done
echo
echo "every run: $RESULTS"
[ "$failed" -eq 0 ] || { echo "table: $failed runs failed" >&2; exit 1; }
