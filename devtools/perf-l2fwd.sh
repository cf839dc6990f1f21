#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# End to end on ports that cost little (issue 19): dpdk-l2fwd-frag on each
# mempool driver, with and without copybreak, side by side with DPDK's own
# l2fwd, on net_null ports and on net_memif ports to a dpdk-testpmd in
# another process, as root:
#
#     bash devtools/perf-l2fwd.sh [BUILD]
#
# BUILD (default ./build) holds dpdk-l2fwd-frag; DPDK's l2fwd is built from
# the dpdk-doc package's sources into BUILD/dpdk-l2fwd (devtools/dpdk.sh).
#
#   net_null0 --RX--> \                        / --TX--> net_null0
#                      one lcore (CPU PERF_L2FWD_CPU), -q 2
#   net_null1 --RX--> /                        \ --TX--> net_null1
#
# Each RX burst of net_null is a fresh burst of 32 mbufs from the
# application's pool, and its TX frees every mbuf one by one: the packet
# path is the application plus its mempool, with no wire (the af_packet
# wire of devtools/demo.sh is kernel-bound at about 0.2 Mpps). With
# --copybreak N each 64-byte packet is copied into a fragment on a header
# mbuf, taken from the RX queue's ring-level cache on a pagefrag pool,
# and the NIC's mbuf is freed at once.
#
#   memif: dpdk-testpmd (CPU PERF_L2FWD_PEER_CPU, io forwarding, --tx-first)
#   net_memif0,1 (clients) <==shared memory==> net_memif0,1 (servers)
#                                       the forwarder (CPU PERF_L2FWD_CPU)
#
# net_memif copies every packet: the forwarder's RX copies it into an
# mbuf of its pool, its TX copies it out and frees the mbuf. The rate is
# the slower process's; the forwarder's cycles per packet are its CPU's
# (it polls without pause) per packet. After each memif run the
# cache-line ping-pong between CPU 0 and CPU 1 is measured and printed
# with it (devtools/dpdk.sh's pf_pingpong; a 2-CPU figure moves with
# where the host puts the vCPUs).
#
# Contenders, for each port type of PERF_L2FWD_PORTS, mbuf cache size of PERF_L2FWD_MBCACHE (l2fwd-frag's
# --mbcache) and copybreak of PERF_L2FWD_COPYBREAK: l2fwd-frag on each
# driver of PERF_L2FWD_DRIVERS (--mbuf-pool-ops); and DPDK's l2fwd
# (ring_mp_mc, its fixed mempool cache of 256, no copybreak) once. They
# are interleaved over PERF_L2FWD_REPS rounds (round 1 of every
# contender, then round 2, ...; the order rotates). A run forwards for
# PERF_L2FWD_SECONDS + 2 s with statistics every second (-T 1) and is
# stopped with SIGTERM (setup.sh's pf_stop_pid; memif: then the peer);
# its Mpps is the median of its 1 s rates ("Total packets sent" of
# consecutive statistics blocks printed before the stop, the first
# interval dropped; devtools/pf_dpdk_apps.py parse), a
# contender's the median of its runs (min-max of the runs).
#
# Figures per contender: Mpps; cycles per packet (TSC Hz / packets per
# second: the one lcore polls without pause); atomics per packet
# (l2fwd-frag's summary: pagefrag's counter of its read-modify-writes, "-"
# for drivers that count none, plus one per fragment freed); packet memory
# per packet in flight (l2fwd-frag's summary: the mbuf, or header mbuf and
# fragment, each packet holds); the references the RX queues' ring-level
# caches drained at stop (> 0: the queues took header mbufs from them);
# x/ring: the Mpps over l2fwd-frag on ring_mp_mc with the same ports,
# mbcache and copybreak. net_null: one lcore, one process, no cache line
# crosses CPUs, so no ping-pong figure goes with these.
#
# Output: one line per run, then the table; OUTDIR/perf-l2fwd.csv in
# perf-compare.sh's columns (figure l2fwd-PORTS-cbN, driver, bulk 32,
# cache, lcores 1 or 2 (memif), ns_per_obj, mops, ratio_vs_pagefrag, spread: what
# devtools/plot-perf.py plots; DPDK's l2fwd is driver "dpdk-l2fwd"),
# OUTDIR/perf-l2fwd-runs.csv (every run's figures) and each run's log in
# OUTDIR/l2fwd-logs/ with its parsed figures as JSON beside it. Exits 1
# when a run failed (no rate, or l2fwd-frag's leak check failed).
#
# Environment:
#   PERF_L2FWD_PORTS="null memif"  port types
#   PERF_L2FWD_DRIVERS="pagefrag ring_mp_mc"  l2fwd-frag's pool drivers
#   PERF_L2FWD_MBCACHE="256 0"   --mbcache values (256: l2fwd's)
#   PERF_L2FWD_COPYBREAK="0 64"  --copybreak values (0: off)
#   PERF_L2FWD_REPS=5  PERF_L2FWD_SECONDS=4  PERF_L2FWD_CPU=1
#   PERF_L2FWD_PEER_CPU=0        memif: the testpmd peer's CPU
#   PERF_L2FWD_PINGPONG=BIN      the ping-pong's dpdk-test-pagefrag (default:
#                                BUILD's; "-": none)
#   PERF_L2FWD_DPDK=1            also DPDK's l2fwd (0: not)
#   OUTDIR=BUILD/perf            where the CSVs and logs go

set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
PORTS=${PERF_L2FWD_PORTS:-null memif}
DRIVERS=${PERF_L2FWD_DRIVERS:-pagefrag ring_mp_mc}
MBCACHES=${PERF_L2FWD_MBCACHE:-256 0}
COPYBREAKS=${PERF_L2FWD_COPYBREAK:-0 64}
REPS=${PERF_L2FWD_REPS:-5}
SECONDS_PER_RUN=${PERF_L2FWD_SECONDS:-4}
CPU=${PERF_L2FWD_CPU:-1}
PEER_CPU=${PERF_L2FWD_PEER_CPU:-0}
PINGPONG_BIN=${PERF_L2FWD_PINGPONG:-$BUILD/app/test-pagefrag/dpdk-test-pagefrag}
TESTPMD=${TESTPMD:-dpdk-testpmd}
WITH_DPDK=${PERF_L2FWD_DPDK:-1}
OUTDIR=${OUTDIR:-$BUILD/perf}
FRAG=$BUILD/examples/l2fwd-frag/dpdk-l2fwd-frag
LOGDIR=$OUTDIR/l2fwd-logs
CSV=$OUTDIR/perf-l2fwd.csv
RUNS_CSV=$OUTDIR/perf-l2fwd-runs.csv
TAG=pfl2fwdperf$$
APPS="python3 $ROOT/devtools/pf_dpdk_apps.py"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (hugepages)"
[ -x "$FRAG" ] || skip "no $FRAG (build first: meson setup BUILD && ninja -C BUILD)"
mkdir -p "$LOGDIR" || exit 1

# shellcheck source=devtools/dpdk.sh
. "$ROOT/devtools/dpdk.sh"
# shellcheck source=devtools/setup.sh
PF_SETUP_FUNCTIONS_ONLY=1 . "$ROOT/devtools/setup.sh"
pf_setup >/dev/null 2>&1 || echo "setup.sh reported a problem, going on" >&2
read -r -a MEM_ARGS <<< "${PF_EAL_MEM_ARGS:-}"
DPDK_L2FWD=
if [ "$WITH_DPDK" = 1 ]; then
	DPDK_L2FWD=$(pf_dpdk_l2fwd "$BUILD") || DPDK_L2FWD=
	[ -n "$DPDK_L2FWD" ] || echo "no DPDK l2fwd: left out" >&2
fi

APP_PID='' PEER_PID='' MEMIF_DIR=''
teardown() {
	pf_stop_pid "$APP_PID"
	pf_stop_pid "$PEER_PID"
	[ -n "$MEMIF_DIR" ] && rm -rf "$MEMIF_DIR"
	rm -rf /var/run/dpdk/"$TAG"* /dev/hugepages/"$TAG"*
}
trap teardown EXIT
trap 'exit 130' INT TERM

# peer SOCKET LOG: the memif peer, dpdk-testpmd io forwarding between
# two client ports of SOCKET, one burst in flight on each (--tx-first)
peer() {
	"$TESTPMD" --lcores "0@$PEER_CPU,1@$PEER_CPU" --no-pci --in-memory \
		-m 256 --file-prefix="$TAG-peer" \
		--vdev "net_memif0,role=client,id=0,socket=$1,socket-abstract=no" \
		--vdev "net_memif1,role=client,id=1,socket=$1,socket-abstract=no" \
		-- --forward-mode=io --nb-cores=1 --tx-first --stats-period=1 \
		--total-num-mbufs=16384 < /dev/null > "$2" 2>&1 &
	PEER_PID=$!
}

# run CONTENDER LOG: one run of CONTENDER (PORTS:APP:DRIVER:MBCACHE:
# COPYBREAK); the log's figures go to LOG.json; prints nothing, fails
# without a rate
run() {
	local ports app drv mbcache cb log=$2 bin i sock
	local -a args=(-p 0x3 -q 2 -T 1) vdevs=(--vdev net_null0 --vdev net_null1)

	IFS=: read -r ports app drv mbcache cb <<< "$1"
	if [ "$ports" = memif ]; then
		MEMIF_DIR=$(mktemp -d) || return 1	# 0700: nobody else connects
		sock=$MEMIF_DIR/memif.sock
		vdevs=(--vdev "net_memif0,role=server,id=0,socket=$sock,socket-abstract=no"
			--vdev "net_memif1,role=server,id=1,socket=$sock,socket-abstract=no")
	fi
	if [ "$app" = l2fwd ]; then
		bin=$DPDK_L2FWD
	else
		bin=$FRAG
		args+=(--mbuf-pool-ops "$drv" --mbcache "$mbcache"
			--copybreak "$cb")
	fi
	"$bin" --lcores "0@$CPU" --no-pci --file-prefix="$TAG" \
		"${MEM_ARGS[@]}" "${vdevs[@]}" \
		-- "${args[@]}" < /dev/null > "$log" 2>&1 &
	APP_PID=$!
	if [ "$ports" = memif ]; then
		for ((i = 0; i < 600; i++)); do
			[ -S "$sock" ] && break
			kill -0 "$APP_PID" 2>/dev/null || break
			sleep 0.1
		done
		peer "$sock" "${log%.log}-peer.log"
	fi
	# a loaded machine can take long to initialize EAL: up to 60 s
	for ((i = 0; i < 600; i++)); do
		grep -q 'entering main loop' "$log" && break
		kill -0 "$APP_PID" 2>/dev/null || break
		sleep 0.1
	done
	sleep $((SECONDS_PER_RUN + 2))
	# the statistics blocks printed under traffic; then the forwarder
	# first: DPDK 22.11's memif crashes in the data path of the side that
	# still polls when the other one disconnects, and the forwarder must
	# exit cleanly (its summary, its leak check). The peer may crash: its
	# exit status goes to its log (and bash's word of its crash nowhere).
	BLOCKS=$(grep -c '^Total packets sent' "$log")
	{
		pf_stop_pid "$APP_PID"
		wait "$APP_PID"
		APP_PID=''
		if [ -n "$PEER_PID" ]; then
			pf_stop_pid "$PEER_PID"
			wait "$PEER_PID"
			echo "peer exit status $?" >> "${log%.log}-peer.log"
			PEER_PID=''
			rm -rf "$MEMIF_DIR"
			MEMIF_DIR=''
		fi
	} 2>/dev/null
	$APPS parse l2fwd-frag "$log" --blocks "$BLOCKS" > "${log%.log}.json" || return 1
	[ "$(figures "$log" mpps)" != - ] || return 1
	[ "$app" = l2fwd ] || [ "$(figures "$log" leak_check)" = OK ]
}

# figures LOG F1,F2...: the run's figures, "-" where absent (the rates
# from the first BLOCKS statistics blocks)
figures() {
	$APPS parse l2fwd-frag "$1" --blocks "$BLOCKS" --fields "$2"
}

stats() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1
		med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print med, v[1], v[NR] }'
}

# the contenders: per port type, l2fwd-frag per mbcache, copybreak and
# driver, then l2fwd
CONT=()
for ports in $PORTS; do
	for c in $MBCACHES; do
		for cb in $COPYBREAKS; do
			for drv in $DRIVERS; do
				CONT+=("$ports:frag:$drv:$c:$cb")
			done
		done
	done
	[ -n "$DPDK_L2FWD" ] && CONT+=("$ports:l2fwd:ring_mp_mc:256:0")
done

echo "l2fwd end to end on $PORTS: DPDK $(pkg-config --modversion libdpdk 2>/dev/null)," \
	"forwarder: one lcore on CPU $CPU, -q 2; memif peer: testpmd io on CPU $PEER_CPU;" \
	"memory: ${PF_EAL_MEM_ARGS:-hugepages}; $REPS rounds of ${SECONDS_PER_RUN} s samples"
echo "run,ports,app,driver,mbcache,copybreak,mpps,cycles_per_pkt,atomics_pool,atomics_frag,mem_per_pkt,drain_refs,pingpong_ns" > "$RUNS_CSV"
declare -A M=() MED=() LO=() HI=() FIG=()
TSC='' PP='' BLOCKS=''
NFAIL=0
n=${#CONT[@]}
for ((r = 1; r <= REPS; r++)); do
	for ((k = 0; k < n; k++)); do
		ct=${CONT[(k + r - 1) % n]}
		IFS=: read -r ports app drv c cb <<< "$ct"
		log=$LOGDIR/$ports-$app-$drv-c$c-cb$cb-run$r.log
		if ! run "$ct" "$log"; then
			NFAIL=$((NFAIL + 1))
			printf 'round %d  %-5s %-5s %-11s c%-3s cb%-3s FAILED: %s\n' "$r" \
				"$ports" "$app" "$drv" "$c" "$cb" "$log"
			continue
		fi
		pp=-
		if [ "$ports" = memif ]; then
			pp=$(pf_pingpong "$PINGPONG_BIN" "$TAG-pp")
			PP+="$pp "
		fi
		read -r mpps tsc ap af mem dr < <(figures "$log" \
			mpps,tsc_hz,atomics_pool,atomics_frag,mem_per_pkt,drain_refs)
		[ "$tsc" != - ] && TSC=$tsc
		M[$ct]+="$mpps "
		printf 'round %d  %-5s %-5s %-11s c%-3s cb%-3s %7.3f Mpps  atomics %s + %s  mem %s B  drained %s%s\n' \
			"$r" "$ports" "$app" "$drv" "$c" "$cb" "$mpps" "$ap" "$af" "$mem" "$dr" \
			"$([ "$pp" = - ] || echo "  (CPU 0-1 ping-pong $pp ns)")"
		cyc=$(awk -v t="$tsc" -v m="$mpps" 'BEGIN {
			if (t > 0 && m > 0) printf "%.1f", t / (m * 1e6); else print "-" }')
		echo "$r,$ports,$app,$drv,$c,$cb,$mpps,$cyc,$ap,$af,$mem,$dr,$pp" >> "$RUNS_CSV"
		# the per-contender figures that do not move: the last run's
		FIG[$ct]="$ap $af $mem $dr"
	done
done

echo
echo "figure,driver,bulk,cache,lcores,ns_per_obj,mops,ratio_vs_pagefrag,spread" > "$CSV"
printf '%-5s %-5s %-11s %7s %5s %8s %17s %8s %15s %8s %8s %6s\n' ports app driver mbcache cb \
	Mpps "(min-max)" cyc/pkt "atomics/pkt" "mem B" drained x/ring
for ct in "${CONT[@]}"; do
	s=$(tr ' ' '\n' <<< "${M[$ct]:-}" | grep . | stats) || continue
	read -r med lo hi <<< "$s"
	MED[$ct]=$med
	LO[$ct]=$lo HI[$ct]=$hi
done
for ct in "${CONT[@]}"; do
	[ -n "${MED[$ct]:-}" ] || continue
	IFS=: read -r ports app drv c cb <<< "$ct"
	read -r ap af mem dr <<< "${FIG[$ct]}"
	name=$drv
	[ "$app" = l2fwd ] && name=dpdk-l2fwd
	awk -v ports="$ports" -v app="$app" -v drv="$name" -v c="$c" -v cb="$cb" -v med="${MED[$ct]}" \
		-v lo="${LO[$ct]}" -v hi="${HI[$ct]}" -v tsc="${TSC:-0}" \
		-v ap="$ap" -v af="$af" -v mem="$mem" -v dr="$dr" \
		-v ring="${MED[$ports:frag:ring_mp_mc:$c:$cb]:-}" \
		-v pf="${MED[$ports:frag:pagefrag:$c:$cb]:-}" -v csv="$CSV" 'BEGIN {
		cyc = (tsc > 0 && med > 0) ? sprintf("%.1f", tsc / (med * 1e6)) : "-"
		at = (af == "-") ? "-" : (ap == "-") ? sprintf("- + %.4f", af) : \
			sprintf("%.4f", ap + af)
		xr = (ring != "" && ring > 0) ? sprintf("%.2f", med / ring) : "-"
		if (app == "l2fwd") { mem = "-"; dr = "-" }
		printf "%-5s %-5s %-11s %7s %5s %8.3f %8.3f-%-8.3f %8s %15s %8s %8s %6s\n",
			ports, app, drv, c, cb, med, lo, hi, cyc, at, mem, dr, xr
		r = (pf != "" && med > 0 && drv != "pagefrag") ? sprintf("%.4f", pf / med) : ""
		printf "l2fwd-%s-cb%s,%s,32,%s,%d,%.4f,%.4f,%s,%.4f-%.4f\n",
			ports, cb, drv, c, ports == "memif" ? 2 : 1, 1e3 / med, med, r,
			1e3 / hi, 1e3 / lo >> csv
	}'
done
echo "Mpps: median of the runs' medians of 1 s rates; cyc/pkt: TSC Hz / rate;" \
	"atomics/pkt: mbuf pools' driver (- : not counted) + fragment frees;" \
	"mem B: packet memory per packet in flight; drained: ring-level cache" \
	"references drained at stop (last run); x/ring: Mpps over l2fwd-frag on" \
	"ring_mp_mc (same mbcache, cb)"
if [ -n "$PP" ]; then
	tr ' ' '\n' <<< "$PP" | grep -v '^-*$' | stats |
		awk '{ printf "memif runs: CPU 0-1 cache-line ping-pong %s ns (median; %s-%s)\n", $1, $2, $3 }'
fi
echo "CSV: $CSV, runs: $RUNS_CSV, logs: $LOGDIR/"
[ "$NFAIL" -eq 0 ]
