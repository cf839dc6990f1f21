#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# The README's first command: `bash devtools/demo.sh`, as root (another
# user: through sudo, see devtools/root.sh).
#
# On a fresh Debian 12 machine, as root:
#   1. devtools/setup.sh: packages, hugepages or the --no-huge fallback;
#   2. builds pagefrag and dpdk-l2fwd-frag in ./build (meson, ninja);
#   3. builds a topology of three network namespaces joined by veth pairs
#      (names carry the script's PID, P below, so that runs do not collide;
#      namespaces left by an interrupted run whose PID is gone are removed):
#
#        pfdemo-P-src             pfdemo-P-fwd               pfdemo-P-dst
#      [pfdP-src] <--veth--> [pfdP-fwd0]  [pfdP-fwd1] <--veth--> [pfdP-dst]
#      192.0.2.1/24           port 0      port 1                192.0.2.2/24
#      dpdk-testpmd txonly    dpdk-l2fwd-frag (pagefrag pool)   kernel: counts
#
#      (192.0.2.0/24 is TEST-NET-1; the namespaces have no route anywhere
#      else, so no packet leaves them);
#   4. checks the path with a few pings through l2fwd-frag (when ping is
#      installed), then floods it from dpdk-testpmd (txonly, 64-byte UDP)
#      on its own af_packet port for PAGEFRAG_DEMO_SECONDS;
#   5. prints packets forwarded, Mpps, the copybreak figures (packets copied
#      into fragments, fragments allocated and freed, references released
#      by the ring-level caches' drain at queue stop), the packet memory
#      per packet in flight and the allocator statistics, tears the
#      topology down and exits non-zero if nothing was forwarded, if
#      nothing arrived, if l2fwd-frag's leak check failed, if the driver
#      logged anything at its default level (NOTICE) or, with copybreak,
#      if no packet was copied or the drain released nothing.
#
# The line "demo-result: ..." sums the run up, and BUILD/demo-logs/
# demo-result.json holds its figures for scripts (devtools/demo-table.sh).
# The figures of testpmd's and l2fwd-frag's output are read by
# devtools/pf_dpdk_apps.py parse.
#
# Environment:
#   PAGEFRAG_DEMO_SECONDS=N   traffic time (default 10)
#   PAGEFRAG_DEMO_OPS=NAME    mempool ops of l2fwd-frag's pool (default
#                             pagefrag; ring_mp_mc, stack... to compare)
#   PAGEFRAG_DEMO_MBCACHE=N   l2fwd-frag's mempool cache per lcore (default
#                             0: every mbuf goes through the driver, which
#                             the statistics then show at work; 256 is
#                             l2fwd's usual value)
#   PAGEFRAG_DEMO_COPYBREAK=N l2fwd-frag's --copybreak (default 256; 0: off)
#   PAGEFRAG_DEMO_PIPELINE=1  l2fwd-frag --pipeline: RX on lcore 0 (first
#                             CPU), TX on lcore 1 (second CPU, shared with
#                             the sender)
#   PAGEFRAG_DEMO_APP=l2fwd   run DPDK's own l2fwd instead (the control),
#                             built from the dpdk-doc package's sources
#                             into BUILD/dpdk-l2fwd (installs dpdk-doc)
#   PAGEFRAG_NO_HUGE=1        use --no-huge (see devtools/setup.sh)
#   PAGEFRAG_BUILD=DIR        build directory (default build)

set -uo pipefail
# shellcheck source=devtools/root.sh
. "$(dirname "${BASH_SOURCE[0]}")/root.sh" "$@"

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
BUILD=${PAGEFRAG_BUILD:-build}
SEND_SECONDS=${PAGEFRAG_DEMO_SECONDS:-10}
POOL_OPS=${PAGEFRAG_DEMO_OPS:-pagefrag}
MBCACHE=${PAGEFRAG_DEMO_MBCACHE:-0}
COPYBREAK=${PAGEFRAG_DEMO_COPYBREAK:-256}
PIPELINE=${PAGEFRAG_DEMO_PIPELINE:-0}
APP=${PAGEFRAG_DEMO_APP:-l2fwd-frag}
case $APP in l2fwd-frag|l2fwd) ;; *)
	echo "demo: PAGEFRAG_DEMO_APP is l2fwd-frag or l2fwd" >&2; exit 1 ;;
esac

# Names unique to this run: namespaces, veth ends (at most 15 characters:
# PIDs have at most 7 digits), EAL file prefixes.
TAG=pfdemo-$$
NS_SRC=$TAG-src
NS_FWD=$TAG-fwd
NS_DST=$TAG-dst
IF_SRC=pfd$$-src
IF_FWD0=pfd$$-fwd0
IF_FWD1=pfd$$-fwd1
IF_DST=pfd$$-dst
IP_SRC=192.0.2.1
IP_DST=192.0.2.2
# l2fwd-frag rewrites the destination MAC to 02:00:00:00:00:<TX port>:
# give the end hosts those addresses so that their kernels take the frames.
MAC_SRC=02:00:00:00:00:00
MAC_DST=02:00:00:00:00:01

L2FWD_PID=
TX_PID=
NS_MADE=()

say() {
	echo "demo: $*"
}

die() {
	echo "demo: FAILED: $*" >&2
	exit 1
}

# ---------------------------------------------------------------- teardown

# shellcheck disable=SC2317 # called from the EXIT trap
teardown() {
	local ns
	pf_stop_pid "$TX_PID"
	pf_stop_pid "$L2FWD_PID"
	wait 2>/dev/null
	# deleting a namespace deletes the veth ends in it
	for ns in "${NS_MADE[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -f /dev/hugepages/"$TAG"-* 2>/dev/null
}

# the set-up's helpers (pf_stop_pid, pf_setup below)
# shellcheck source=devtools/setup.sh
PF_SETUP_FUNCTIONS_ONLY=1 . "$ROOT/devtools/setup.sh"
trap teardown EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- set-up

[ "$(id -u)" -eq 0 ] || die "run as root (network namespaces, hugepages): bash $0 as root, or install sudo"

say "setting up (devtools/setup.sh)"
pf_setup || die "devtools/setup.sh failed"
if [ "${PF_HUGE:-0}" = 1 ]; then
	MODE="hugepages"
	TX_MEM_ARGS=()
else
	MODE="--no-huge"
	# the sender needs far less than the forwarder
	TX_MEM_ARGS=(--no-huge -m 512)
fi
read -r -a FWD_MEM_ARGS <<< "${PF_EAL_MEM_ARGS:-}"

# the topology and the ping need iproute2 and iputils-ping
missing=
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
command -v ping >/dev/null 2>&1 || missing="$missing iputils-ping"
if [ -n "$missing" ] && command -v apt-get >/dev/null 2>&1; then
	say "installing$missing"
	# shellcheck disable=SC2086 # a list of package names
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $missing >/dev/null 2>&1; }
fi
command -v ip >/dev/null 2>&1 || die "no ip command (install iproute2)"
command -v dpdk-testpmd >/dev/null 2>&1 || die "no dpdk-testpmd (install dpdk-dev)"

say "building in $BUILD"
if [ ! -f "$BUILD/build.ninja" ]; then
	meson setup "$BUILD" > /dev/null || die "meson setup $BUILD failed"
fi
ninja -C "$BUILD" > /dev/null || die "ninja -C $BUILD failed"
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
L2FWD=$BUILD/examples/l2fwd-frag/dpdk-l2fwd-frag
[ -x "$L2FWD" ] || die "no $L2FWD (configured with -Dexamples=false?)"

LOGDIR=$BUILD/demo-logs
mkdir -p "$LOGDIR" || die "cannot create $LOGDIR"
L2FWD_LOG=$LOGDIR/$APP.log
TX_LOG=$LOGDIR/testpmd.log

# The control: DPDK's own l2fwd, built from the sources the dpdk-doc
# package installs (devtools/dpdk.sh).
if [ "$APP" = l2fwd ]; then
	# shellcheck source=devtools/dpdk.sh
	. "$ROOT/devtools/dpdk.sh"
	L2FWD=$(pf_dpdk_l2fwd "$BUILD") || die "cannot build DPDK's l2fwd"
fi

# ---------------------------------------------------------------- topology

say "topology: $NS_SRC [$IF_SRC] <-> [$IF_FWD0] $NS_FWD [$IF_FWD1] <-> [$IF_DST] $NS_DST"
# namespaces (with their veth ends) and hugepage files left over by an
# interrupted run, whose script is gone
for ns in $(ip netns list | sed -n 's/^\(pfdemo-[0-9]*-[a-z]*\).*/\1/p'); do
	pid=${ns#pfdemo-}
	pid=${pid%%-*}
	kill -0 "$pid" 2>/dev/null && continue
	say "removing namespace $ns of an interrupted run"
	ip netns del "$ns"
	rm -f /dev/hugepages/pfdemo-"$pid"-* 2>/dev/null
done
for ns in "$NS_SRC" "$NS_FWD" "$NS_DST"; do
	ip netns add "$ns" || die "ip netns add $ns failed"
	NS_MADE+=("$ns")
	ip -n "$ns" link set lo up
	# no IPv6 chatter (DAD, router solicitations) in the counts
	ip netns exec "$ns" sh -c \
		'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6;
		 echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null
done
ip link add "$IF_SRC" netns "$NS_SRC" address "$MAC_SRC" type veth \
	peer name "$IF_FWD0" netns "$NS_FWD" || die "cannot create veth $IF_SRC"
ip link add "$IF_DST" netns "$NS_DST" address "$MAC_DST" type veth \
	peer name "$IF_FWD1" netns "$NS_FWD" || die "cannot create veth $IF_DST"
ip -n "$NS_SRC" addr add "$IP_SRC/24" dev "$IF_SRC"
ip -n "$NS_DST" addr add "$IP_DST/24" dev "$IF_DST"
for pair in "$NS_SRC:$IF_SRC" "$NS_FWD:$IF_FWD0" "$NS_FWD:$IF_FWD1" \
		"$NS_DST:$IF_DST"; do
	ip -n "${pair%%:*}" link set "${pair#*:}" up ||
		die "cannot set ${pair#*:} up"
done
FWD0_MAC=$(ip netns exec "$NS_FWD" cat "/sys/class/net/$IF_FWD0/address")

rx_count() {
	ip netns exec "$NS_DST" cat "/sys/class/net/$IF_DST/statistics/rx_packets"
}

# ---------------------------------------------------------------- forwarder

# One lcore handles both ports (-q 2) on the first CPU; the sender gets the
# second one. With the pipeline, lcore 0 receives on the first CPU and
# lcore 1 transmits on the second, beside the sender.
CPUS=$(nproc)
FWD_CPU=0
TX_CPU=$((CPUS > 1 ? 1 : 0))
FWD_LCORES="0@$FWD_CPU"
FWD_ARGS=(-p 0x3 -q 2 -T 2)
if [ "$APP" = l2fwd-frag ]; then
	FWD_ARGS+=(--runtime $((SEND_SECONDS + 60))
		--mbuf-pool-ops "$POOL_OPS" --mbcache "$MBCACHE"
		--copybreak "$COPYBREAK")
	if [ "$PIPELINE" = 1 ]; then
		FWD_LCORES="0@$FWD_CPU,1@$TX_CPU"
		FWD_ARGS+=(--pipeline)
	fi
	DESC="pool ops: $POOL_OPS, mempool cache: $MBCACHE, copybreak: $COPYBREAK, pipeline: $([ "$PIPELINE" = 1 ] && echo on || echo off)"
else
	DESC="DPDK's l2fwd, the control: ring_mp_mc pool, mempool cache 256"
fi

say "starting dpdk-$APP in $NS_FWD (memory: $MODE, $DESC)"
ip netns exec "$NS_FWD" "$L2FWD" --lcores "$FWD_LCORES" --no-pci \
	--file-prefix="$TAG-fwd" "${FWD_MEM_ARGS[@]}" \
	--vdev="net_af_packet0,iface=$IF_FWD0,qdisc_bypass=1,framecnt=4096" \
	--vdev="net_af_packet1,iface=$IF_FWD1,qdisc_bypass=1,framecnt=4096" \
	-- "${FWD_ARGS[@]}" > "$L2FWD_LOG" 2>&1 &
L2FWD_PID=$!
# a loaded machine can take long to initialize EAL: wait up to 90 s
for ((i = 0; i < 900; i++)); do
	grep -q 'entering main loop' "$L2FWD_LOG" && break
	kill -0 "$L2FWD_PID" 2>/dev/null || break
	sleep 0.1
done
if ! grep -q 'entering main loop' "$L2FWD_LOG"; then
	tail -n 30 "$L2FWD_LOG" >&2
	if kill -0 "$L2FWD_PID" 2>/dev/null; then
		say "dpdk-$APP still initializing after 90 s:"
		ps -o pid,stat,wchan:24,time,cmd --ppid "$L2FWD_PID" -p "$L2FWD_PID" >&2
	fi
	die "dpdk-$APP did not start"
fi
grep -E '^(Created (fragment )?pool|  pagefrag:|Port [0-9], MAC|Lcore)' "$L2FWD_LOG" | sed 's/^/    /'

if command -v ping >/dev/null 2>&1; then
	if out=$(ip netns exec "$NS_SRC" ping -n -c 3 -i 0.2 -W 1 "$IP_DST" 2>&1); then
		say "ping $IP_SRC -> $IP_DST through $APP: $(echo "$out" | grep -o '[0-9]* received')"
	else
		say "ping $IP_SRC -> $IP_DST through $APP failed (continuing):"
		echo "$out" | tail -n 2 | sed 's/^/    /'
	fi
fi

# ---------------------------------------------------------------- sender

RX_BEFORE=$(rx_count)
say "sending for ${SEND_SECONDS}s: dpdk-testpmd txonly in $NS_SRC, 64-byte UDP $IP_SRC -> $IP_DST"
ip netns exec "$NS_SRC" dpdk-testpmd --lcores "0@$TX_CPU,1@$TX_CPU" --no-pci \
	--file-prefix="$TAG-tx" "${TX_MEM_ARGS[@]}" \
	--vdev="net_af_packet0,iface=$IF_SRC,qdisc_bypass=1" \
	-- --forward-mode=txonly --txpkts=64 --burst=32 \
	--tx-ip="$IP_SRC,$IP_DST" --eth-peer="0,$FWD0_MAC" \
	--total-num-mbufs=8192 --stats-period=60 > "$TX_LOG" 2>&1 &
TX_PID=$!
for ((i = 0; i < 300; i++)); do
	grep -q 'Press enter to exit\|Port statistics\|Start automatic packet forwarding\|txonly packet forwarding' "$TX_LOG" && break
	kill -0 "$TX_PID" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$TX_PID" 2>/dev/null || { tail -n 30 "$TX_LOG" >&2; die "dpdk-testpmd did not start"; }

# measure the steady state at the receiver: skip the first second
sleep 1
RX_T0=$(rx_count)
T0=$(date +%s.%N)
sleep "$SEND_SECONDS"
RX_T1=$(rx_count)
T1=$(date +%s.%N)
# the last statistics block l2fwd-frag printed under traffic
BLOCKS=$(grep -c '^Allocator statistics' "$L2FWD_LOG")
pf_stop_pid "$TX_PID"
wait "$TX_PID" 2>/dev/null
TX_PID=
sleep 1
pf_stop_pid "$L2FWD_PID"
wait "$L2FWD_PID"
L2FWD_RC=$?
L2FWD_PID=
RX_AFTER=$(rx_count)

# ---------------------------------------------------------------- report

# the figures of both logs, read by devtools/pf_dpdk_apps.py ("-": absent)
read -r TX_SENT < <(python3 "$ROOT/devtools/pf_dpdk_apps.py" parse testpmd \
	"$TX_LOG" --fields accumulated_tx)
read -r FORWARDED L2FWD_SENT COPIED FRAG_ALLOCS FRAG_FREES DRAIN_REFS \
	MEM_PER_PKT LEAK_CHECK DRV_LINES < <(python3 \
	"$ROOT/devtools/pf_dpdk_apps.py" parse l2fwd-frag "$L2FWD_LOG" --fields \
	forwarded,l2fwd_sent,copied,frag_allocs,frag_frees,drain_refs,mem_per_pkt,leak_check,driver_lines)
for v in TX_SENT FORWARDED L2FWD_SENT COPIED FRAG_ALLOCS FRAG_FREES \
		DRAIN_REFS MEM_PER_PKT LEAK_CHECK DRV_LINES; do
	[ "${!v:--}" = - ] && printf -v "$v" '%s' ''
done
# l2fwd prints no summary: its last periodic statistics
[ "$APP" = l2fwd ] && FORWARDED=$L2FWD_SENT
RECEIVED=$((RX_AFTER - RX_BEFORE))
RATE=$(awk -v n=$((RX_T1 - RX_T0)) -v t0="$T0" -v t1="$T1" \
	'BEGIN { printf "%.3f", (t1 > t0) ? n / (t1 - t0) / 1e6 : 0 }')

echo
echo "==================== pagefrag demo: results ===================="
echo "memory mode:                  $MODE"
echo "forwarder:                    $APP ($DESC)"
echo "sender (testpmd) sent:        ${TX_SENT:-?} packets"
echo "$APP forwarded:$(printf '%*s' $((18 - ${#APP})) '')${FORWARDED:-?} packets"
echo "receiver ($IF_DST) got:$(printf '%*s' $((13 - ${#IF_DST})) '')$RECEIVED packets"
echo "forwarding rate at receiver:  $RATE Mpps (${SEND_SECONDS}s under traffic)"
if [ "$APP" = l2fwd-frag ]; then
	echo "---- copybreak and drain"
	echo "packets copied into fragments:            ${COPIED:-0}"
	echo "fragments allocated / freed:              ${FRAG_ALLOCS:-0} / ${FRAG_FREES:-0}"
	echo "ring cache references released at stop:  ${DRAIN_REFS:-0}"
	echo "packet memory per packet in flight:       ${MEM_PER_PKT:-?} bytes"
	echo "---- l2fwd-frag summary"
	sed -n '/^l2fwd-frag summary/,/^leak check/p' "$L2FWD_LOG" | sed '1d; s/^/    /'
fi
# alloc_block N: the Nth allocator statistics block of the log (0: last)
alloc_block() {
	awk -v want="$1" '/^Allocator statistics/ { n++; blk = ""; inb = 1; next }
		inb && /^====/ { inb = 0; if (n == want) sel = blk; last = blk; next }
		inb { blk = blk "    " $0 "\n" }
		END { printf "%s", (want > 0 ? sel : last) }' "$L2FWD_LOG"
}
if [ "$APP" = l2fwd-frag ]; then
	if [ "$BLOCKS" -gt 0 ]; then
		echo "---- allocator statistics under traffic"
		alloc_block "$BLOCKS"
	fi
	echo "---- allocator statistics at exit (every cache flushed)"
	alloc_block 0
fi
echo "================================================================"
echo "full output: ${LOGDIR#"$ROOT"/}/$APP.log, ${LOGDIR#"$ROOT"/}/testpmd.log"

rc=0
if [ "$L2FWD_RC" -ne 0 ]; then
	echo "demo: FAILED: dpdk-$APP exited with status $L2FWD_RC"
	grep -E '^leak check' "$L2FWD_LOG"
	tail -n 20 "$L2FWD_LOG" | sed 's/^/    | /'
	rc=1
fi
if [ "$APP" = l2fwd-frag ] && [ "$LEAK_CHECK" != OK ]; then
	echo "demo: FAILED: leak check did not pass"
	rc=1
fi
# the driver at its default level (NOTICE) is silent in normal operation
if [ "${DRV_LINES:-0}" -gt 0 ]; then
	echo "demo: FAILED: the driver logged $DRV_LINES line(s) in normal operation:"
	grep 'PAGEFRAG: ' "$L2FWD_LOG" | head -n 5 | sed 's/^/    | /'
	rc=1
fi
if [ -z "$FORWARDED" ] || [ "$FORWARDED" -eq 0 ]; then
	echo "demo: FAILED: nothing was forwarded"
	rc=1
fi
if [ "$RECEIVED" -le 0 ]; then
	echo "demo: FAILED: nothing arrived in $NS_DST"
	rc=1
fi
if [ "$APP" = l2fwd-frag ] && [ "$COPYBREAK" -gt 0 ]; then
	if [ "${COPIED:-0}" -le 0 ]; then
		echo "demo: FAILED: copybreak on, but no packet was copied into a fragment"
		rc=1
	fi
	if [ "${FRAG_ALLOCS:-0}" != "${FRAG_FREES:-x}" ]; then
		echo "demo: FAILED: ${FRAG_ALLOCS:-?} fragments allocated, ${FRAG_FREES:-?} freed"
		rc=1
	fi
	if [ "$POOL_OPS" = pagefrag ] && [ "${DRAIN_REFS:-0}" -le 0 ]; then
		echo "demo: FAILED: the ring-level caches released no reference at queue stop"
		rc=1
	fi
fi
if [ "$APP" = l2fwd ]; then
	POOL_OPS=ring_mp_mc COPYBREAK=0 PIPELINE=0 MBCACHE=256
fi
echo "demo-result: app=$APP ops=$POOL_OPS copybreak=$COPYBREAK pipeline=$PIPELINE mbcache=$MBCACHE mpps=$RATE mem_per_pkt=${MEM_PER_PKT:--} forwarded=${FORWARDED:-0} drain_refs=${DRAIN_REFS:--} rc=$rc"
# the same for scripts (devtools/demo-table.sh): BUILD/demo-logs/demo-result.json
num() { echo "${1:-null}"; }
printf '{"app": "%s", "ops": "%s", "copybreak": %s, "pipeline": %s, "mbcache": %s, "seconds": %s, "mpps": %s, "sent": %s, "forwarded": %s, "received": %s, "copied": %s, "frag_allocs": %s, "frag_frees": %s, "drain_refs": %s, "mem_per_pkt": %s, "driver_lines": %s, "leak_check": "%s", "rc": %s}\n' \
	"$APP" "$POOL_OPS" "$COPYBREAK" "$PIPELINE" "$MBCACHE" "$SEND_SECONDS" \
	"$RATE" "$(num "$TX_SENT")" "$(num "$FORWARDED")" "$RECEIVED" \
	"$(num "$COPIED")" "$(num "$FRAG_ALLOCS")" "$(num "$FRAG_FREES")" \
	"$(num "$DRAIN_REFS")" "$(num "$MEM_PER_PKT")" "$(num "$DRV_LINES")" \
	"$LEAK_CHECK" "$rc" > "$LOGDIR/demo-result.json"
[ $rc -eq 0 ] && echo "demo: OK"
exit $rc
