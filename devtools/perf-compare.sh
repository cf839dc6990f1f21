#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# dpdk-testpmd forwarding rate with each mempool driver, side by side:
#
#     sudo bash devtools/perf-compare.sh [-b BUILD] [-o OUTDIR] [-t SECONDS]
#
# For each port type (net_null, net_ring), forwarding mode (io, macswap) and
# mbuf cache size (--mbcache=250, --mbcache=0), runs dpdk-testpmd on 2 lcores
# (-l 0-1, one forwarding core) once per driver -- pagefrag (loaded with -d
# from BUILD), ring_mp_mc, stack, bucket -- selected with
# --mbuf-pool-ops-name, and prints the forwarded Mpps (median of the
# per-second samples, first sample dropped, min-max spread) and the ratio
# pagefrag / driver.
#
# net_null: every received packet is a freshly allocated mbuf and every
# transmitted one is freed, so the rate is bound by the mempool (get a burst
# of 32, put one by one). net_ring: the two ports loop back through rings
# and --tx-first puts one burst in flight; the same mbufs circulate and the
# mempool is hardly used: a control where every driver should tie.
#
# Memory: devtools/setup.sh is sourced -- hugepages (reserved and mounted
# when root) or the --no-huge -m 2048 fallback (PAGEFRAG_NO_HUGE=1 forces it).
#
# Output: the table on stdout, OUTDIR/perf-testpmd.csv (columns
# figure,driver,bulk,cache,lcores,ns_per_obj,mops,ratio_vs_pagefrag,spread;
# ns_per_obj is ns per forwarded packet, spread its min-max), and each
# run's log in OUTDIR/testpmd-logs/.
#
# Environment:
#   PERF_DRIVERS="pagefrag ring_mp_mc stack bucket"  drivers (pagefrag first)
#   PERF_VDEVS="null ring"       port types
#   PERF_MODES="io macswap"      forwarding modes
#   PERF_MBCACHE="250 0"         --mbcache values
#   PERF_SECONDS=8               measured seconds per run (-t)
#   PERF_TESTPMD_ARGS=""         extra testpmd application arguments
#   TESTPMD=dpdk-testpmd

set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
BUILD=build
OUTDIR=
SECONDS_PER_RUN=${PERF_SECONDS:-8}
DRIVERS=${PERF_DRIVERS:-pagefrag ring_mp_mc stack bucket}
VDEVS=${PERF_VDEVS:-null ring}
MODES=${PERF_MODES:-io macswap}
MBCACHES=${PERF_MBCACHE:-250 0}
TESTPMD=${TESTPMD:-dpdk-testpmd}
PLUGIN_REL=drivers/mempool/pagefrag/librte_mempool_pagefrag.so

usage() {
	sed -n '3,/^$/s/^# \{0,1\}//p' "$0"
	exit "${1:-0}"
}

while getopts "b:o:t:h" opt; do
	case $opt in
	b) BUILD=$OPTARG ;;
	o) OUTDIR=$OPTARG ;;
	t) SECONDS_PER_RUN=$OPTARG ;;
	h) usage 0 ;;
	*) usage 1 ;;
	esac
done
case $BUILD in
/*) BUILD_DIR=$BUILD ;;
*) BUILD_DIR=$ROOT/$BUILD ;;
esac
OUTDIR=${OUTDIR:-$BUILD_DIR/perf}
mkdir -p "$OUTDIR/testpmd-logs" || exit 1
OUTDIR=$(readlink -f "$OUTDIR")
CSV=$OUTDIR/perf-testpmd.csv

command -v "$TESTPMD" >/dev/null || { echo "no $TESTPMD (Debian package dpdk)" >&2; exit 1; }

# ---------------------------------------------------------------- memory

# shellcheck source=devtools/dpdk.sh
. "$ROOT/devtools/dpdk.sh"
# shellcheck source=devtools/setup.sh
. "$ROOT/devtools/setup.sh" || echo "setup.sh reported a problem, going on" >&2
read -r -a MEM_ARGS <<< "${PF_EAL_MEM_ARGS:-}"

# ---------------------------------------------------------------- plugin

PLUGIN_ARGS=()
if PMD_DIR=$(pf_plugin_installed); then
	echo "pagefrag is installed in $PMD_DIR: autoloaded, no -d" >&2
elif P=$(pf_plugin_for_d "$BUILD_DIR/$PLUGIN_REL" perf); then
	PLUGIN_ARGS=(-d "$P")
else
	echo "no $BUILD/$PLUGIN_REL: build first (meson setup $BUILD && ninja -C $BUILD); pagefrag runs will fail" >&2
fi

# ---------------------------------------------------------------- one run

# run_testpmd VDEV MODE MBCACHE DRIVER LOG: forward for SECONDS_PER_RUN
# seconds and print the per-second forwarded rates (pps), one a line.
run_testpmd() {
	local vdev=$1 mode=$2 mbcache=$3 drv=$4 log=$5
	local tmp fd pid i n rc
	local -a eal app dargs=()

	[ "$drv" = pagefrag ] && dargs=("${PLUGIN_ARGS[@]}")
	eal=(-l 0-1 --no-pci --file-prefix=pfperf_testpmd
		--vdev "net_${vdev}0" --vdev "net_${vdev}1"
		"${MEM_ARGS[@]}" "${dargs[@]}" --mbuf-pool-ops-name="$drv")
	app=(--forward-mode="$mode" --nb-cores=1 --mbcache="$mbcache"
		--stats-period=1)
	[ "$vdev" = ring ] && app+=(--tx-first)
	read -r -a extra <<< "${PERF_TESTPMD_ARGS:-}"
	app+=("${extra[@]}")

	tmp=$(mktemp -d) || return 1
	mkfifo "$tmp/in" || return 1
	echo "+ $TESTPMD ${eal[*]} -- ${app[*]}" > "$log"
	stdbuf -oL -eL "$TESTPMD" "${eal[@]}" -- "${app[@]}" < "$tmp/in" >> "$log" 2>&1 &
	pid=$!
	exec {fd}> "$tmp/in"
	# samples: one "Port statistics" block a second; the first is 0 pps
	rc=0
	for ((i = 0; i < 10 * (SECONDS_PER_RUN + 60); i++)); do
		n=$(grep -c 'Port statistics ====' "$log")
		[ "$n" -gt "$SECONDS_PER_RUN" ] && break
		kill -0 "$pid" 2>/dev/null || { rc=1; break; }
		sleep 0.1
	done
	kill -INT "$pid" 2>/dev/null
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	exec {fd}>&-
	rm -rf "$tmp"
	[ $rc -eq 0 ] || return 1
	grep -q "preferred mempool ops selected: $drv\$" "$log" || {
		echo "mempool ops $drv not selected" >> "$log"
		return 1
	}
	awk '
	/Port statistics ====/ { if (blk) print sum; blk++; sum = 0 }
	/Tx-pps:/ { sum += $2 }
	END { if (blk) print sum }' "$log" | sed -n "2,$((SECONDS_PER_RUN + 1))p"
}

# stats: median min max of numbers on stdin
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print med, v[1], v[NR] }'
}

# ---------------------------------------------------------------- main

echo "figure,driver,bulk,cache,lcores,ns_per_obj,mops,ratio_vs_pagefrag,spread" > "$CSV"
echo "perf-compare: DPDK $(pkg-config --modversion libdpdk 2>/dev/null)," \
	"$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')," \
	"memory: ${PF_EAL_MEM_ARGS:-hugepages}, ${SECONDS_PER_RUN}s per run"
echo "testpmd -l 0-1 --nb-cores=1 (2 lcores, 1 forwarding core); Mpps = median of 1 s samples; pf/x = pagefrag Mpps / x Mpps"
printf '%-8s %-8s %7s  %-11s %8s  %-15s %6s\n' vdev mode mbcache driver Mpps "spread Mpps" "pf/x"
NFAIL=0
for vdev in $VDEVS; do
	for mode in $MODES; do
		for mbcache in $MBCACHES; do
			declare -A MED=() LO=() HI=()
			for drv in $DRIVERS; do
				log=$OUTDIR/testpmd-logs/$vdev-$mode-c$mbcache-$drv.log
				if ! s=$(run_testpmd "$vdev" "$mode" "$mbcache" "$drv" "$log" | stats); then
					printf '%-8s %-8s %7s  %-11s %8s  see %s\n' "$vdev" "$mode" \
						"$mbcache" "$drv" FAILED "${log#"$ROOT"/}"
					tail -n 5 "$log" | sed 's/^/    | /'
					NFAIL=$((NFAIL + 1))
					continue
				fi
				read -r med lo hi <<< "$s"
				MED[$drv]=$med LO[$drv]=$lo HI[$drv]=$hi
			done
			for drv in $DRIVERS; do
				[ -n "${MED[$drv]:-}" ] || continue
				awk -v vdev="$vdev" -v mode="$mode" -v c="$mbcache" \
					-v drv="$drv" -v med="${MED[$drv]}" \
					-v lo="${LO[$drv]}" -v hi="${HI[$drv]}" \
					-v pf="${MED[pagefrag]:-}" -v csv="$CSV" 'BEGIN {
					m = med / 1e6
					r = (pf != "" && med > 0 && drv != "pagefrag") ? pf / med : ""
					printf "%-8s %-8s %7s  %-11s %8.2f  %6.2f-%-8.2f %6s\n",
						vdev, mode, c, drv, m, lo / 1e6, hi / 1e6,
						r == "" ? "-" : sprintf("%.2f", r)
					printf("testpmd-%s-%s,%s,32,%s,2,%.4f,%.3f,%s,%.4f-%.4f\n",
						vdev, mode, drv, c, (m > 0) ? 1e3 / m : 0, m,
						(r == "") ? "" : sprintf("%.4f", r),
						(hi > 0) ? 1e9 / hi : 0,
						(lo > 0) ? 1e9 / lo : 0) >> csv
				}'
			done
			unset MED LO HI
		done
	done
done
echo "CSV: $CSV"
echo "logs: $OUTDIR/testpmd-logs/"
[ "$NFAIL" -eq 0 ]
