#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# dpdk-testpmd forwarding rate with each mempool driver, side by side:
#
#     bash devtools/perf-compare.sh (as root) [-b BUILD] [-o OUTDIR] [-t SECONDS]
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
# vhost (the real PMD pair): two testpmd processes joined by a vhost-user
# socket in a private directory: txonly over net_virtio_user in one
# (forwarding lcore on CPU 0), rxonly over net_vhost in the other (CPU 1),
# each with its own --file-prefix and its own pool on the driver under test.
# The virtio side allocates every packet and frees it when the vhost side
# has copied it out of the ring (completion lag); the vhost side allocates
# an mbuf per received packet and frees it at once. The rate is the vhost
# side's Rx packets/s. The drivers are interleaved over PERF_VHOST_REPS
# short runs (rep 1 of every driver, then rep 2, ...); a run's figure is the
# median of its 1 s samples, a driver's the median of its runs (min-max
# spread of the runs), and x/ring = driver pps / ring_mp_mc pps.
#
# Memory: devtools/setup.sh is sourced -- hugepages (reserved and mounted
# when root) or the --no-huge -m 2048 fallback (PAGEFRAG_NO_HUGE=1 forces it).
#
# Output: the table on stdout, OUTDIR/perf-testpmd.csv (columns
# figure,driver,bulk,cache,lcores,ns_per_obj,mops,ratio_vs_pagefrag,spread;
# ns_per_obj is ns per forwarded packet, spread its min-max), and each
# run's log in OUTDIR/testpmd-logs/ with its result (the samples) as JSON
# beside it. devtools/pf_dpdk_apps.py runs testpmd and reads its rates.
#
# Environment:
#   PERF_DRIVERS="pagefrag ring_mp_mc stack bucket"  drivers (pagefrag first)
#   PERF_VDEVS="null ring vhost" port types; add ovs for Open vSwitch's
#                                vhost-user path (devtools/perf-ovs.sh, its
#                                PERF_OVS_* variables; skipped without
#                                openvswitch-switch-dpdk); add l2fwd for
#                                dpdk-l2fwd-frag end to end on net_null and
#                                net_memif beside DPDK's l2fwd
#                                (devtools/perf-l2fwd.sh, its PERF_L2FWD_*
#                                variables)
#   PERF_MODES="io macswap"      forwarding modes (null and ring)
#   PERF_MBCACHE="250 0"         --mbcache values
#   PERF_SECONDS=8               measured seconds per run (-t; null, ring)
#   PERF_VHOST_REPS=5            vhost: runs per driver, interleaved
#   PERF_VHOST_SECONDS=3         vhost: measured seconds per run
#   PERF_VHOST_CPUS="0 1"        vhost: CPU of the txonly and rxonly process
#   PERF_VHOST_MBUFS=16384       vhost: --total-num-mbufs of each process
#   PERF_TESTPMD_ARGS=""         extra testpmd application arguments
#   TESTPMD=dpdk-testpmd

set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
BUILD=build
OUTDIR=
SECONDS_PER_RUN=${PERF_SECONDS:-8}
DRIVERS=${PERF_DRIVERS:-pagefrag ring_mp_mc stack bucket}
VDEVS=${PERF_VDEVS:-null ring vhost}
MODES=${PERF_MODES:-io macswap}
MBCACHES=${PERF_MBCACHE:-250 0}
TESTPMD=${TESTPMD:-dpdk-testpmd}
VHOST_REPS=${PERF_VHOST_REPS:-5}
VHOST_SECONDS=${PERF_VHOST_SECONDS:-3}
read -r VHOST_TX_CPU VHOST_RX_CPU <<< "${PERF_VHOST_CPUS:-0 1}"
VHOST_MBUFS=${PERF_VHOST_MBUFS:-16384}
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
read -r -a EXTRA_APP <<< "${PERF_TESTPMD_ARGS:-}"

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

# rates SUBCOMMAND ARGS...: devtools/pf_dpdk_apps.py rate or vhost-pair
# (testpmd run, stopped and judged there; the JSON result beside the log):
# the per-second rates, one a line, none when the run failed.
rates() {
	python3 "$ROOT/devtools/pf_dpdk_apps.py" "$1" --testpmd "$TESTPMD" "${@:2}"
}

# run_testpmd VDEV MODE MBCACHE DRIVER LOG: forward for SECONDS_PER_RUN
# seconds and print the per-second forwarded rates (pps), one a line: the
# Tx-pps of each "Port statistics" block, summed over the ports, the first
# (partial) second dropped.
run_testpmd() {
	local vdev=$1 mode=$2 mbcache=$3 drv=$4 log=$5
	local -a eal app dargs=()

	[ "$drv" = pagefrag ] && dargs=("${PLUGIN_ARGS[@]}")
	eal=(-l 0-1 --no-pci --file-prefix=pfperf_testpmd
		--vdev "net_${vdev}0" --vdev "net_${vdev}1"
		"${MEM_ARGS[@]}" "${dargs[@]}" --mbuf-pool-ops-name="$drv")
	app=(--forward-mode="$mode" --nb-cores=1 --mbcache="$mbcache"
		--stats-period=1)
	[ "$vdev" = ring ] && app+=(--tx-first)
	app+=("${EXTRA_APP[@]}")

	: > "$log"
	rates rate --log "$log" --samples "$SECONDS_PER_RUN" --ops "$drv" -- \
		"${eal[@]}" -- "${app[@]}"
}

# run_vhost_pair MBCACHE DRIVER LOG: txonly over net_virtio_user in one
# process, rxonly over net_vhost in another, joined by a vhost-user socket
# in a private directory; print the rxonly side's per-second Rx rates from
# the first second with traffic on, that partial second dropped.
run_vhost_pair() {
	local mbcache=$1 drv=$2 log=$3 dir sock rc
	local -a dargs=() app

	[ "$drv" = pagefrag ] && dargs=("${PLUGIN_ARGS[@]}")
	dir=$(mktemp -d) || return 1	# mode 0700: nobody else reaches the socket
	sock=$dir/vhost-user.sock
	app=(--nb-cores=1 --mbcache="$mbcache" --stats-period=1
		--total-num-mbufs="$VHOST_MBUFS" "${EXTRA_APP[@]}")
	: > "$log"
	# The vhost side is the socket's server: it goes first. --in-memory:
	# no hugepage file or runtime directory stays behind. virtio-user
	# passes its memory to the vhost side as one file descriptor per
	# segment file, and a vhost-user message holds few:
	# --single-file-segments
	rates vhost-pair --log "$log" --samples "$VHOST_SECONDS" --ops "$drv" \
		--socket "$sock" -- \
		--lcores "0@$VHOST_RX_CPU,1@$VHOST_RX_CPU" --no-pci \
		--file-prefix=pfperf_vhost_rx --in-memory "${MEM_ARGS[@]}" \
		--vdev "net_vhost0,iface=$sock,queues=1" \
		"${dargs[@]}" --mbuf-pool-ops-name="$drv" \
		-- --forward-mode=rxonly "${app[@]}" \
		:: --lcores "0@$VHOST_TX_CPU,1@$VHOST_TX_CPU" --no-pci \
		--file-prefix=pfperf_vhost_tx --in-memory \
		--single-file-segments "${MEM_ARGS[@]}" \
		--vdev "net_virtio_user0,path=$sock,queues=1" \
		"${dargs[@]}" --mbuf-pool-ops-name="$drv" \
		-- --forward-mode=txonly "${app[@]}"
	rc=$?
	rm -rf "$dir"
	return $rc
}

# stats: median min max of numbers on stdin
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print med, v[1], v[NR] }'
}

# run_failed VDEV MODE MBCACHE DRIVER LOG: report a run without figures.
run_failed() {
	printf '%-8s %-8s %7s  %-11s %8s  see %s\n' "$1" "$2" "$3" "$4" FAILED \
		"${5#"$ROOT"/}"
	tail -n 5 "$5" | sed 's/^/    | /'
	NFAIL=$((NFAIL + 1))
}

# print_rows VDEV MODE MBCACHE: the table rows and CSV rows of the drivers
# in MED, LO and HI (pps), with pf/x and x/ring.
print_rows() {
	local drv
	for drv in $DRIVERS; do
		[ -n "${MED[$drv]:-}" ] || continue
		awk -v vdev="$1" -v mode="$2" -v c="$3" \
			-v drv="$drv" -v med="${MED[$drv]}" \
			-v lo="${LO[$drv]}" -v hi="${HI[$drv]}" \
			-v pf="${MED[pagefrag]:-}" -v ring="${MED[ring_mp_mc]:-}" \
			-v csv="$CSV" 'BEGIN {
			m = med / 1e6
			r = (pf != "" && med > 0 && drv != "pagefrag") ? pf / med : ""
			xr = (ring != "" && ring > 0) ? sprintf("%.2f", med / ring) : "-"
			printf "%-8s %-8s %7s  %-11s %8.3f  %7.3f-%-8.3f %6s %6s\n",
				vdev, mode, c, drv, m, lo / 1e6, hi / 1e6,
				r == "" ? "-" : sprintf("%.2f", r), xr
			printf("testpmd-%s-%s,%s,32,%s,2,%.4f,%.4f,%s,%.4f-%.4f\n",
				vdev, mode, drv, c, (m > 0) ? 1e3 / m : 0, m,
				(r == "") ? "" : sprintf("%.4f", r),
				(hi > 0) ? 1e9 / hi : 0,
				(lo > 0) ? 1e9 / lo : 0) >> csv
		}'
	done
}

# vhost_section MBCACHE: the vhost pair for every driver, interleaved over
# VHOST_REPS runs; a driver's figure is the median of its runs' medians.
vhost_section() {
	local mbcache=$1 r k nd drv log s med lo hi
	local -a drvs
	local -A RUNS=() MED=() LO=() HI=()

	read -r -a drvs <<< "$DRIVERS"
	nd=${#drvs[@]}
	for ((r = 0; r < VHOST_REPS; r++)); do
		# rotate the order so no driver always goes first
		for ((k = 0; k < nd; k++)); do
			drv=${drvs[(k + r) % nd]}
			log=$OUTDIR/testpmd-logs/vhost-c$mbcache-$drv-run$((r + 1)).log
			if ! s=$(run_vhost_pair "$mbcache" "$drv" "$log" | stats); then
				run_failed vhost tx-rx "$mbcache" "$drv" "$log"
				continue
			fi
			read -r med lo hi <<< "$s"
			RUNS[$drv]+="$med "
		done
	done
	for drv in "${drvs[@]}"; do
		s=$(tr ' ' '\n' <<< "${RUNS[$drv]:-}" | grep . | stats) || continue
		read -r med lo hi <<< "$s"
		MED[$drv]=$med LO[$drv]=$lo HI[$drv]=$hi
	done
	print_rows vhost tx-rx "$mbcache"
}

# ---------------------------------------------------------------- main

echo "figure,driver,bulk,cache,lcores,ns_per_obj,mops,ratio_vs_pagefrag,spread" > "$CSV"
echo "perf-compare: DPDK $(pkg-config --modversion libdpdk 2>/dev/null)," \
	"$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')," \
	"memory: ${PF_EAL_MEM_ARGS:-hugepages}, ${SECONDS_PER_RUN}s per run"
echo "null, ring: testpmd -l 0-1 --nb-cores=1 (2 lcores, 1 forwarding core); Mpps = median of 1 s samples"
case " $VDEVS " in
*" vhost "*)
	echo "vhost: txonly/net_virtio_user on CPU $VHOST_TX_CPU, rxonly/net_vhost on CPU $VHOST_RX_CPU (2 processes);" \
		"Mpps = median of $VHOST_REPS interleaved runs of ${VHOST_SECONDS}s (spread: min-max of the runs)" ;;
esac
echo "pf/x = pagefrag Mpps / x Mpps; x/ring = x Mpps / ring_mp_mc Mpps"
printf '%-8s %-8s %7s  %-11s %8s  %-16s %6s %6s\n' vdev mode mbcache driver Mpps "spread Mpps" "pf/x" "x/ring"
NFAIL=0
for vdev in $VDEVS; do
	if [ "$vdev" = ovs ]; then
		PERF_OVS_DRIVERS=$DRIVERS OUTDIR=$OUTDIR bash devtools/perf-ovs.sh \
			"${PLUGIN_ARGS[1]:-installed}"
		[ $? -eq 1 ] && NFAIL=$((NFAIL + 1))
		continue
	fi
	if [ "$vdev" = l2fwd ]; then
		PERF_L2FWD_DRIVERS=${PERF_L2FWD_DRIVERS:-pagefrag ring_mp_mc} \
			OUTDIR=$OUTDIR bash devtools/perf-l2fwd.sh "$BUILD_DIR"
		[ $? -eq 1 ] && NFAIL=$((NFAIL + 1))
		continue
	fi
	if [ "$vdev" = vhost ]; then
		for mbcache in $MBCACHES; do
			vhost_section "$mbcache"
		done
		continue
	fi
	for mode in $MODES; do
		for mbcache in $MBCACHES; do
			declare -A MED=() LO=() HI=()
			for drv in $DRIVERS; do
				log=$OUTDIR/testpmd-logs/$vdev-$mode-c$mbcache-$drv.log
				if ! s=$(run_testpmd "$vdev" "$mode" "$mbcache" "$drv" "$log" | stats); then
					run_failed "$vdev" "$mode" "$mbcache" "$drv" "$log"
					continue
				fi
				read -r med lo hi <<< "$s"
				MED[$drv]=$med LO[$drv]=$lo HI[$drv]=$hi
			done
			print_rows "$vdev" "$mode" "$mbcache"
			unset MED LO HI
		done
	done
done
echo "CSV: $CSV"
echo "logs: $OUTDIR/testpmd-logs/"
[ "$NFAIL" -eq 0 ]
