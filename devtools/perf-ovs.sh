#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# Open vSwitch's vhost-user path with each mempool driver, side by side, as
# root:
#
#     bash devtools/perf-ovs.sh [PLUGIN.so | installed]
#
# PLUGIN.so (default: ./build's) is loaded with -d for the pagefrag runs;
# "installed": none, EAL autoloads pagefrag from DPDK's plugin directory.
#
#              ovs-vswitchd (DPDK datapath, one PMD thread on CPU 1)
#   net_virtio_user0 <--vhost-user--> vhu0 <-flows-> vhu1 <--vhost-user--> net_virtio_user1
#   \------------ dpdk-testpmd io forwarding, one lcore on CPU 0 ----------/
#
# Only ovs-vswitchd's pools change ops (other_config:dpdk-extra
# "--mbuf-pool-ops-name=DRIVER", with -d PLUGIN for pagefrag); testpmd
# keeps DPDK's default ops. testpmd starts with one burst of 256 packets
# on each port (--tx-first) and forwards whatever comes back: 512 packets
# circle, and OVS's PMD thread, the slowest stage, takes every packet from
# one vhost-user port (vhost dequeue: an mbuf of OVS's pool per packet,
# from its mempool cache of 512) and copies it into the other's ring (the
# mbuf freed after the copy): that is where the driver works.
#
# For each driver in turn (interleaved, PERF_OVS_REPS rounds) a fresh
# ovs-vswitchd starts, testpmd runs, and after PERF_OVS_WARMUP seconds the
# run reads OVS's own figures for its PMD thread over PERF_OVS_SECONDS
# (ovs-appctl dpif-netdev/pmd-stats-clear, then -show): packets received
# per second (Mpps), and "avg processing cycles per packet" (the cycles
# the PMD spent per packet when it had work, which does not depend on how
# the host schedules testpmd).
#
# After each run the cache-line ping-pong between the two CPUs is measured
# (PERF_OVS_PINGPONG, default: the dpdk-test-pagefrag of the plugin's
# build; "-" without it) and printed with the run: a 2-CPU figure moves
# with where the host puts the vCPUs.
#
# Output: one line per run, then per driver the median, minimum and
# maximum of the runs' Mpps and of their cycles per packet, and the
# ratios of pagefrag to each other driver (medians); the same as CSV in
# OUTDIR/perf-ovs.csv (driver,run,mpps,cycles_per_pkt,pingpong_ns) and the logs in
# OUTDIR/ovs-logs/. A driver that cannot hold OVS's pool (ovs-vswitchd
# logs "Failed to create memory pool") is reported once and left out.
# Exits 1 when a run failed otherwise; prints "SKIP: reason" and exits 77 without
# openvswitch-switch-dpdk (install it: apt-get install
# openvswitch-switch-dpdk), root, or hugepages.
#
# Environment:
#   PERF_OVS_DRIVERS="pagefrag ring_mp_mc stack bucket"
#   PERF_OVS_REPS=5  PERF_OVS_SECONDS=5  PERF_OVS_WARMUP=2
#   PERF_OVS_MEM_MB=1024  OVS's DPDK memory (dpdk-socket-mem): its shared
#                         pool of 262144 mbufs and the vhost rings
#   PERF_OVS_PROFILE=1    also record the PMD's CPU with perf (cpu-clock)
#                         over the measured seconds: ovs-logs/*.perf.data,
#                         read with perf report -i FILE --sort symbol
#   OUTDIR=build/perf     where the CSV and logs go

set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PLUGIN=${1:-$ROOT/build/drivers/mempool/pagefrag/librte_mempool_pagefrag.so}
[ "$PLUGIN" = installed ] || PLUGIN=$(readlink -f "$PLUGIN")
DRIVERS=${PERF_OVS_DRIVERS:-pagefrag ring_mp_mc stack bucket}
REPS=${PERF_OVS_REPS:-5}
SECONDS_PER_RUN=${PERF_OVS_SECONDS:-5}
WARMUP=${PERF_OVS_WARMUP:-2}
MEM_MB=${PERF_OVS_MEM_MB:-1024}
OUTDIR=${OUTDIR:-$ROOT/build/perf}
VSWITCHD=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
TESTPMD=${TESTPMD:-dpdk-testpmd}
# the cache-line ping-pong between the two CPUs, measured after each run
# (a 2-CPU figure moves with it): the perf autotest of the plugin's build
PINGPONG_BIN=${PERF_OVS_PINGPONG:-$(dirname "$PLUGIN")/../../../app/test-pagefrag/dpdk-test-pagefrag}

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespace, hugepages)"
if [ ! -x "$VSWITCHD" ] || [ ! -f "$SCHEMA" ]; then
	skip "no $VSWITCHD (apt-get install openvswitch-switch-dpdk)"
fi
command -v "$TESTPMD" >/dev/null || skip "no $TESTPMD (apt-get install dpdk)"
[ "$PLUGIN" = installed ] || [ -f "$PLUGIN" ] || skip "no plugin $PLUGIN (build first)"
[ "$(awk '/HugePages_Free/ { print $2 }' /proc/meminfo)" -ge $(((MEM_MB + 512) / 2)) ] ||
	skip "needs $(((MEM_MB + 512) / 2)) free 2 MB hugepages (devtools/setup.sh)"

# shellcheck source=devtools/setup.sh
PF_SETUP_FUNCTIONS_ONLY=1 . "$ROOT/devtools/setup.sh"
# shellcheck source=devtools/dpdk.sh
. "$ROOT/devtools/dpdk.sh"

WORK=$(mktemp -d /tmp/pfovsperf.XXXXXX) || exit 1
NS=pfovsperf-$$
TAG=pfovsperf$$
LOGDIR=$OUTDIR/ovs-logs
mkdir -p "$LOGDIR" || exit 1
CSV=$OUTDIR/perf-ovs.csv
export OVS_RUNDIR=$WORK OVS_DBDIR=$WORK OVS_LOGDIR=$WORK OVS_SYSCONFDIR=$WORK
DB_PID='' VS_PID='' TX_PID=''

# stop PID: pf_stop_pid (setup.sh: SIGTERM, which testpmd and
# ovs-vswitchd take as a clean exit, SIGKILL after 5 s), then reap it
stop() {
	[ -n "$1" ] || return 0
	pf_stop_pid "$1"
	wait "$1" 2>/dev/null
	return 0
}

teardown() {
	stop "$TX_PID"
	[ -n "$VS_PID" ] && { ovs-appctl -t "$WORK/ovs-vswitchd.ctl" exit >/dev/null 2>&1; stop "$VS_PID"; }
	stop "$DB_PID"
	ip netns del "$NS" 2>/dev/null
	rm -rf "$WORK" /var/run/dpdk/"$TAG"*
}
trap teardown EXIT
trap 'exit 130' INT TERM

vsctl() { ovs-vsctl --db="unix:$WORK/db.sock" --timeout=20 "$@"; }
appctl() { ovs-appctl -t "$WORK/ovs-vswitchd.ctl" "$@"; }

ovsdb-tool create "$WORK/conf.db" "$SCHEMA" || exit 1
ovsdb-server "$WORK/conf.db" --remote="punix:$WORK/db.sock" \
	--unixctl="$WORK/ovsdb.ctl" --log-file="$WORK/ovsdb.log" \
	-vconsole:off >/dev/null 2>&1 &
DB_PID=$!
for ((i = 0; i < 100; i++)); do [ -S "$WORK/db.sock" ] && break; sleep 0.1; done
vsctl --no-wait init || exit 1
ip netns add "$NS" || exit 1

# start_vswitchd DRIVER LOG: ovs-vswitchd with its pools on DRIVER, the
# bridge and the two vhost-user ports
start_vswitchd() {
	local drv=$1 log=$2 extra i
	extra="--file-prefix=$TAG-vs --no-pci --mbuf-pool-ops-name=$drv"
	[ "$drv" = pagefrag ] && [ "$PLUGIN" != installed ] && extra="-d $PLUGIN $extra"
	vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
		"other_config:dpdk-extra=\"$extra\"" \
		"other_config:dpdk-socket-mem=$MEM_MB" \
		"other_config:dpdk-socket-limit=$MEM_MB" \
		other_config:pmd-cpu-mask=0x2 || return 1
	ip netns exec "$NS" "$VSWITCHD" "unix:$WORK/db.sock" \
		--pidfile="$WORK/ovs-vswitchd.pid" \
		--unixctl="$WORK/ovs-vswitchd.ctl" --log-file="$log" \
		-vconsole:off -vsyslog:off > "$log.out" 2>&1 &
	VS_PID=$!
	for ((i = 0; i < 600; i++)); do
		[ "$(vsctl get Open_vSwitch . dpdk_initialized 2>/dev/null)" = true ] &&
			[ -S "$WORK/ovs-vswitchd.ctl" ] && break
		kill -0 "$VS_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	vsctl -- --may-exist add-br br0 -- set bridge br0 datapath_type=netdev \
		-- --may-exist add-port br0 vhu0 -- set Interface vhu0 type=dpdkvhostuser \
		-- --may-exist add-port br0 vhu1 -- set Interface vhu1 type=dpdkvhostuser ||
		return 1
	ovs-ofctl del-flows "unix:$WORK/br0.mgmt" &&
		ovs-ofctl add-flow "unix:$WORK/br0.mgmt" in_port=vhu0,actions=output:vhu1 &&
		ovs-ofctl add-flow "unix:$WORK/br0.mgmt" in_port=vhu1,actions=output:vhu0 ||
		return 1
	for ((i = 0; i < 100; i++)); do
		[ -S "$WORK/vhu0" ] && [ -S "$WORK/vhu1" ] && return 0
		sleep 0.1
	done
	return 1
}

stop_vswitchd() {
	appctl exit --cleanup >/dev/null 2>&1
	stop "$VS_PID"
	VS_PID=''
	vsctl --no-wait -- --if-exists del-br br0
	rm -rf /var/run/dpdk/"$TAG"-vs "$WORK/vhu0" "$WORK/vhu1"
}

# testpmd LOG: io forwarding between virtio-user ports on OVS's two
# sockets, on the first CPU, default ops, statistics every second
testpmd() {
	"$TESTPMD" --lcores "0@0,1@0" --no-pci --in-memory \
		--single-file-segments -m 256 --file-prefix="$TAG-tp" \
		--vdev "net_virtio_user0,path=$WORK/vhu0,queues=1,queue_size=1024" \
		--vdev "net_virtio_user1,path=$WORK/vhu1,queues=1,queue_size=1024" \
		-- --forward-mode=io --nb-cores=1 --tx-first --burst=256 \
		--rxd=1024 --txd=1024 --stats-period=1 \
		--total-num-mbufs=16384 < /dev/null > "$1" 2>&1 &
}

# testpmd's Rx-pps samples (both ports) after traffic came on
rx_samples() {
	awk '/Rx-pps:/ { print $2 }' "$1" | awk '$1 > 0 { on++ } on > 2'
}

# pmd_figure STATS KEY: a number of OVS's PMD thread in pmd-stats-show
pmd_figure() {
	awk -F': *' -v k="$2" '$1 ~ "^ *" k "$" { split($2, a, " "); print a[1]; exit }' <<< "$1"
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1
		print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# run DRIVER R: one run; prints "Mpps cycles"
run() {
	local drv=$1 r=$2 log i t0 t1 st cyc='' mpps=''
	log=$LOGDIR/ovs-$drv-run$r
	rm -f "$log".*
	start_vswitchd "$drv" "$log.vswitchd.log"
	i=$?
	# the driver cannot hold OVS's pool: DPDK 22.11's stack names its
	# memzone "MP_" and the pool's name, which OVS's 25-character pool
	# names overflow (ENAMETOOLONG); bucket fails to populate it (ENOMEM)
	# down to 8192 mbufs
	if grep -q 'Failed to create memory pool' "$log.vswitchd.log"; then
		stop_vswitchd
		echo "cannot: $(grep -m1 'Failed to create memory pool' "$log.vswitchd.log" | sed 's/.*|ERR|//')"
		return 2
	fi
	if [ "$i" -ne 0 ]; then
		stop_vswitchd
		echo "ovs-vswitchd did not start: $log.vswitchd.log" >&2
		return 1
	fi
	testpmd "$log.testpmd.log"; TX_PID=$!
	for ((i = 0; i < 300; i++)); do
		[ "$(rx_samples "$log.testpmd.log" | wc -l)" -ge $((2 * WARMUP)) ] && break
		kill -0 "$TX_PID" 2>/dev/null || break
		sleep 0.1
	done
	appctl dpif-netdev/pmd-stats-clear >/dev/null
	t0=$(date +%s.%N)
	if [ "${PERF_OVS_PROFILE:-0}" = 1 ]; then
		perf record -q -e cpu-clock -C 1 -o "$log.perf.data" \
			sleep "$SECONDS_PER_RUN" >/dev/null 2>&1
	else
		sleep "$SECONDS_PER_RUN"
	fi
	st=$(appctl dpif-netdev/pmd-stats-show)
	t1=$(date +%s.%N)
	echo "$st" > "$log.pmd-stats"
	cyc=$(pmd_figure "$st" "avg processing cycles per packet")
	mpps=$(awk -v n="$(pmd_figure "$st" "packets received")" -v t0="$t0" -v t1="$t1" \
		'BEGIN { if (n > 0) printf "%.3f", n / (t1 - t0) / 1e6 }')
	appctl netdev-dpdk/get-mempool-info vhu0 > "$log.mempool" 2>&1
	grep -q "ops_name: <$drv>" "$log.mempool" || mpps=''
	stop "$TX_PID"; TX_PID=''
	stop_vswitchd
	rm -rf /var/run/dpdk/"$TAG"-tp
	if [ -z "$mpps" ]; then
		# OVS may log the refused pool after add-port returned
		if grep -q 'Failed to create memory pool' "$log.vswitchd.log"; then
			echo "cannot: $(grep -m1 'Failed to create memory pool' "$log.vswitchd.log" | sed 's/.*|ERR|//')"
			return 2
		fi
		echo "OVS's pool is not on $drv: $log.mempool" >&2
		return 1
	fi
	[ -n "$mpps" ] && [ -n "$cyc" ] || return 1
	echo "$mpps $cyc $(pf_pingpong "$PINGPONG_BIN" "$TAG-pp")"
}

echo "OVS vhost-user loop: $($VSWITCHD --version | head -n 1), PMD on CPU 1, testpmd io on CPU 0"
echo "drivers: $DRIVERS; $REPS rounds of ${SECONDS_PER_RUN} s after ${WARMUP} s"
echo "driver,run,mpps,cycles_per_pkt,pingpong_ns" > "$CSV"
declare -A M C MED CMED CANNOT
NFAIL=0
for ((r = 1; r <= REPS; r++)); do
	for drv in $DRIVERS; do
		[ -n "${CANNOT[$drv]:-}" ] && continue
		out=$(run "$drv" "$r")
		case $? in
		0)
			read -r mpps cyc pp <<< "$out"
			printf 'round %d  %-11s %7.3f Mpps  %7.1f cycles/pkt in the OVS PMD  (CPU 0-1 ping-pong %s ns)\n' \
				"$r" "$drv" "$mpps" "$cyc" "$pp"
			echo "$drv,$r,$mpps,$cyc,$pp" >> "$CSV"
			M[$drv]="${M[$drv]:-} $mpps" C[$drv]="${C[$drv]:-} $cyc" ;;
		2)
			CANNOT[$drv]=${out#cannot: }
			printf 'round %d  %-11s cannot run OVS: %s\n' "$r" "$drv" "${CANNOT[$drv]}" ;;
		*)
			NFAIL=$((NFAIL + 1))
			printf 'round %d  %-11s FAILED (logs: %s)\n' "$r" "$drv" "$LOGDIR/ovs-$drv-run$r*" ;;
		esac
	done
done
echo
printf '%-11s %8s %17s %10s %17s %9s %9s\n' driver Mpps "(min-max)" cyc/pkt "(min-max)" "pf/x Mpps" "x/pf cyc"
for drv in $DRIVERS; do
	[ -n "${M[$drv]:-}" ] || continue
	m=$(tr ' ' '\n' <<< "${M[$drv]}" | grep . | median)
	c=$(tr ' ' '\n' <<< "${C[$drv]}" | grep . | median)
	mlo=$(tr ' ' '\n' <<< "${M[$drv]}" | grep . | sort -g | head -n 1)
	mhi=$(tr ' ' '\n' <<< "${M[$drv]}" | grep . | sort -g | tail -n 1)
	clo=$(tr ' ' '\n' <<< "${C[$drv]}" | grep . | sort -g | head -n 1)
	chi=$(tr ' ' '\n' <<< "${C[$drv]}" | grep . | sort -g | tail -n 1)
	MED[$drv]=$m CMED[$drv]=$c
	awk -v d="$drv" -v m="$m" -v mlo="$mlo" -v mhi="$mhi" -v c="$c" -v clo="$clo" -v chi="$chi" \
		-v pm="${MED[pagefrag]:-}" -v pc="${CMED[pagefrag]:-}" 'BEGIN {
		printf "%-11s %8.3f %8.3f-%-8.3f %10.1f %8.1f-%-8.1f %9s %9s\n", d, m, mlo, mhi, c, clo, chi,
			(pm != "" && d != "pagefrag") ? sprintf("%.2f", pm / m) : "-",
			(pc != "" && d != "pagefrag") ? sprintf("%.2f", c / pc) : "-" }'
done
echo "pf/x Mpps: pagefrag's rate over the driver's; x/pf cyc: the driver's OVS cycles per packet over pagefrag's (> 1: pagefrag cheaper)"
echo "CSV: $CSV"
[ "$NFAIL" -eq 0 ]
