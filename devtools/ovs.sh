#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# Open vSwitch on its DPDK datapath with pagefrag pools, as root:
#
#     bash devtools/ovs.sh [PLUGIN.so | installed]
#
# PLUGIN.so is the pagefrag plugin to load with -d (default: the one in
# ./build); "installed" tests the copy EAL autoloads from DPDK's plugin
# directory (meson install, the Debian package). When pagefrag is
# installed there and PLUGIN.so is the same build (the same file or GNU
# build-id), -d is left out (EAL would load it twice); another build
# installed there makes the run a skip.
#
# It uses Debian's openvswitch-switch-dpdk (installed with apt-get when
# missing, under a policy-rc.d that keeps the package's service from
# starting) and runs its DPDK build of ovs-vswitchd directly
# (/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk): update-alternatives,
# the system's openvswitch service and its database are not touched, nor
# any running ovsdb-server or ovs-vswitchd, and no systemd is needed. Its
# own ovsdb-server and ovs-vswitchd run from a private directory
# (OVS_RUNDIR, OVS_DBDIR, OVS_LOGDIR and OVS_SYSCONFDIR point there; the
# database is made with ovsdb-tool create), ovs-vswitchd inside a network
# namespace of its own, where the tap devices of its userspace datapath
# (ovs-netdev, br-pf) cannot meet those of another instance:
#
#   pfovs-P-a           pfovs-P-sw (ovs-vswitchd)                pfovs-P-b
#   pfoP-a <-veth-> pfoP-s0 [k0 t0] p0  br-pf  p1 [t1 k1] pfoP-s1 <-veth-> pfoP-b
#   192.0.2.1/24                                                 192.0.2.2/24
#
# (P: the script's PID; k0, t0...: pfoP-k0, pfoP-t0..., for tap ports
# only; 192.0.2.0/24 is TEST-NET-1 and no namespace has a route
# elsewhere; the hosts' veth ends compute their own checksums, ethtool -K
# tx off, as a packet socket would see them unfinished.) The ports of
# br-pf (datapath_type=netdev) are DPDK vdevs (type=dpdk,
# options:dpdk-devargs=...), one of two kinds per run:
#
#   tap        net_tap0,iface=pfoP-t0: a tap device in pfovs-P-sw, bridged
#              to the veth end pfoP-s0 by a Linux bridge (pfoP-k0). Its
#              RX queues hold mbufs (1023 each, as a NIC's ring holds
#              them). It takes MTUs up to 1500 (frames of 1522 bytes at
#              most, in DPDK 22.11): the run lowers the MTU to 900, which
#              needs a pool of smaller mbufs.
#   af_packet  net_af_packet0,iface=pfoP-s0: a packet socket on the veth
#              end; it takes an mbuf per packet received. It takes no MTU
#              above 1500 (frames of 1518 bytes at most), and refuses a pool
#              whose data room is smaller than its frames (framesz, fixed
#              when the port is probed, less 32: 2016 bytes), so every MTU
#              it takes maps to the same pool: the run changes the RX ring
#              size instead (options:n_rxq_desc, which per-port memory sizes
#              the pool from; the shared model keeps its pool).
#
# OVS's DPDK is started with
#
#   other_config:dpdk-init=true
#   other_config:dpdk-extra="-d PLUGIN --mbuf-pool-ops-name=pagefrag
#       --file-prefix=pfovs-P-MODEL --no-pci
#       --log-level=pmd.mempool.pagefrag:info"
#       (+ "--no-huge --legacy-mem" without hugepages: OVS adds --in-memory
#       unless it sees --legacy-mem, and EAL refuses it with --no-huge)
#   other_config:dpdk-socket-mem=N, dpdk-socket-limit=N (hugepages) or
#       dpdk-alloc-mem=N (-m N, with --no-huge); N = 320 (MB)
#   other_config:pmd-cpu-mask (the second CPU), pmd-maxsleep=1000 (the PMD
#       thread sleeps when idle: CI machines are shared)
#
# and the runs (PAGEFRAG_OVS_RUNS, default "shared:tap per-port:af_packet")
# are, each with a new ovs-vswitchd:
#
#   shared     OVS's default memory model: one pool per MTU (and NUMA node)
#              shared by the ports, 262144 mbufs halved until it fits
#   per-port   other_config:per-port-memory=true: a pool per port, sized
#              from its queues (22560 mbufs with OVS's defaults)
#
# For each it prints "ok: [MODEL/KIND] ..." or "FAIL: [MODEL/KIND] ..." for:
#
#   - ovs-vswitchd starts and initializes DPDK (dpdk_initialized);
#   - both ports are up (link_state) with no error;
#   - their pools are on pagefrag: ovs-appctl netdev-dpdk/get-mempool-info
#     shows "ops_name: <pagefrag>", and over DPDK telemetry
#     (dpdk-telemetry.py -f PREFIX, ovs-vswitchd's socket)
#     /mempool_pagefrag/list holds every pool of /mempool/list (net_tap's
#     own pools, mp_net_tapN, included); one pool for both ports or one
#     each, as the model says;
#   - ping both ways, and an HTTP download of PAGEFRAG_OVS_XFER_MB (8) MB
#     of random data from pfovs-P-b to pfovs-P-a whose SHA-256 must match;
#   - a reconfiguration that replaces the pools: tap: mtu_request=900 on
#     both ports (a pool of 1024-byte data rooms; DPDK 22.11's tap takes
#     no MTU above 1500), pings of 800 bytes that may not be fragmented
#     both ways, the download, then MTU 1500 again and a ping; af_packet:
#     options:n_rxq_desc=1024 on both ports, a ping and the download, then
#     the default again and a ping;
#   - port p1 deleted and added again while pfovs-P-a pings (10 a second):
#     replies before the delete and again once the port is back, then the
#     download;
#   - pools: OVS frees a pool no port uses once rte_mempool_full() says
#     every mbuf is back, when a port next asks for a pool (its log, with
#     netdev_dpdk at debug level: "Allocated", "Reusing", "Freeing
#     mempool"); every pool allocated and no longer used was freed, the
#     allocations less the frees are the pools in use, and telemetry lists
#     exactly those; /mempool_pagefrag/info has no get_fails or put_errors
#     (the in-flight view of each pool is printed);
#   - the final sweep: both ports deleted and p0 added again (at MTU 900
#     on tap, so that the shared model cannot reuse the old pool): every
#     pool the traffic ran on is freed, which OVS does only when it is full
#     (no mbuf leaked), and the driver's free finds none out (it would log
#     a warning);
#   - "ovs-appctl exit --cleanup": ovs-vswitchd exits with status 0 within
#     30 s;
#   - the log: no line of the driver (DPDK log type pmd.mempool.pagefrag,
#     "PAGEFRAG: ...", which OVS logs as dpdk|LEVEL|) and no other line
#     that names pagefrag at WARN, ERR or EMER. Other WARN, ERR and EMER
#     lines of OVS and DPDK are printed as "note:" lines and do not fail.
#
# Everything is removed at exit, also after a failure or Ctrl-C: the
# daemons, the namespaces (and the veths, bridges and taps in them), the
# private directory, the DPDK runtime directories of the run's file
# prefixes, a policy-rc.d it made. Leftovers of an interrupted run whose
# PID is gone are removed first.
#
# Exit status: 0 every check passed ("ovs: OK" last), 1 a check failed, 77
# cannot run here ("SKIP: reason" last): not root, no network namespaces,
# openvswitch-switch-dpdk, dpdk-telemetry.py, ping or ethtool missing and
# not installable, another pagefrag installed. Before that, "ovs: N
# passed, N failed, N notes, T s": about 30 s for the two runs.
#
# Environment:
#   PF_HUGE=1|0              hugepages or --no-huge (devtools/setup.sh
#                            exports it); unset: hugepages when a 2 MB
#                            hugetlbfs is mounted with enough free pages
#   PAGEFRAG_NO_HUGE=1       as PF_HUGE=0
#   PAGEFRAG_OVS_RUNS=LIST   MODEL:KIND runs ("shared:tap per-port:af_packet";
#                            MODEL shared or per-port, KIND tap or af_packet)
#   PAGEFRAG_OVS_MEM_MB=N    DPDK memory of ovs-vswitchd (320)
#   PAGEFRAG_OVS_XFER_MB=N   size of each download (8)
#   OVS_LOG_OUT=FILE         copy ovs-vswitchd.log there (the runs one
#                            after the other)

set -uo pipefail
# shellcheck source=devtools/root.sh
. "$(dirname "${BASH_SOURCE[0]}")/root.sh" "$@"

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
# the set-up's helpers, without its set-up
# shellcheck source=devtools/setup.sh
PF_SETUP_FUNCTIONS_ONLY=1 . "$ROOT/devtools/setup.sh"
T_START=$(date +%s)

VSWITCHD=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
PLUGIN_REL=build/drivers/mempool/pagefrag/librte_mempool_pagefrag.so
RUNS=${PAGEFRAG_OVS_RUNS:-shared:tap per-port:af_packet}
MEM_MB=${PAGEFRAG_OVS_MEM_MB:-320}
XFER_MB=${PAGEFRAG_OVS_XFER_MB:-8}
# the MTU of the pool change: 900 needs mbufs of 1024-byte data rooms (1500
# and anything up to 1996: 2048). Lower, not higher: DPDK 22.11's net_tap
# takes frames of at most 1522 bytes.
MTU2=900
HTTP_PORT=8080

TAG=pfovs-$$
NS_A=$TAG-a
NS_B=$TAG-b
NS_SW=$TAG-sw
# interface names: at most 15 characters (PIDs have at most 7 digits)
IF_A=pfo$$-a
IF_B=pfo$$-b
IF_S=(pfo$$-s0 pfo$$-s1)
IF_K=(pfo$$-k0 pfo$$-k1)
IF_T=(pfo$$-t0 pfo$$-t1)
IP_A=192.0.2.1
IP_B=192.0.2.2
BR=br-pf

WORK=
NS_MADE=()
PREFIXES=()
BG_PIDS=()
VS_PID=
DB_PID=
POLICY_MADE=0
NOK=0
NFAIL=0
NNOTE=0
RUN=setup
MODEL=
KIND=
PREFIX=
LOG_START=0

# RUNTIME_DIRECTORY would move EAL's runtime directory (and the telemetry
# socket) away from where dpdk-telemetry.py -f looks
unset RUNTIME_DIRECTORY

say() {
	echo "ovs: $*"
}

ok() {
	echo "ok: [$RUN] $*"
	NOK=$((NOK + 1))
}

fail() {
	echo "FAIL: [$RUN] $*"
	NFAIL=$((NFAIL + 1))
}

note() {
	echo "note: [$RUN] $*"
	NNOTE=$((NNOTE + 1))
}

skip() {
	echo "SKIP: $*"
	exit 77
}

die() {
	echo "FAIL: $*"
	exit 1
}

# ---------------------------------------------------------------- teardown

# shellcheck disable=SC2317 # called from the EXIT trap
teardown() {
	local pid ns p
	trap '' INT TERM
	for pid in "${BG_PIDS[@]}"; do
		pf_stop_pid "$pid"
	done
	if [ -n "$VS_PID" ] && kill -0 "$VS_PID" 2>/dev/null; then
		timeout 10 ovs-appctl -t "$WORK/ovs-vswitchd.ctl" exit >/dev/null 2>&1
		pf_stop_pid "$VS_PID"
	fi
	pf_stop_pid "$DB_PID"
	wait 2>/dev/null
	# deleting a namespace deletes the devices in it
	for ns in "${NS_MADE[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	for p in "${PREFIXES[@]}"; do
		rm -rf "/var/run/dpdk/$p"
	done
	if [ -n "$WORK" ] && [ -d "$WORK" ]; then
		if [ -n "${OVS_LOG_OUT:-}" ] && [ -f "$WORK/ovs-vswitchd.log" ]; then
			cp "$WORK/ovs-vswitchd.log" "$OVS_LOG_OUT" 2>/dev/null ||
				echo "ovs: cannot copy the log to $OVS_LOG_OUT"
		fi
		rm -rf "$WORK"
	fi
	[ "$POLICY_MADE" = 1 ] && rm -f /usr/sbin/policy-rc.d
}

trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- helpers

vsctl() {
	ovs-vsctl --db="unix:$WORK/db.sock" --timeout=60 "$@"
}

appctl() {
	timeout 60 ovs-appctl -t "$WORK/ovs-vswitchd.ctl" "$@"
}

# tel CMD: the JSON answer of ovs-vswitchd's DPDK telemetry to CMD
tel() {
	echo "$1" | timeout 20 dpdk-telemetry.py -f "$PREFIX" 2>/dev/null |
		grep '^{' | tail -n 1
}

# json EXPR: a Python expression on the JSON of stdin (d); lists are
# printed one item a line
json() {
	python3 -c 'import json, sys
d = json.load(sys.stdin)
r = eval(sys.argv[1])
print("\n".join(map(str, r)) if isinstance(r, (list, tuple, set)) else r)' "$1" 2>/dev/null
}

# plog: the log lines of the current ovs-vswitchd
plog() {
	tail -n +"$((LOG_START + 1))" "$WORK/ovs-vswitchd.log" 2>/dev/null
}

link_state() {
	vsctl get Interface "$1" link_state 2>/dev/null | tr -d '"'
}

wait_up() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(link_state "$1")" = up ] && return 0
		sleep 0.2
	done
	return 1
}

# ping_check NS DST LABEL [ping options]: a reply within 20 s, then 5 of 5
ping_check() {
	local ns=$1 dst=$2 label=$3 i out
	shift 3
	for ((i = 0; i < 20; i++)); do
		ip netns exec "$ns" ping -n -q -c 1 -W 1 "$@" "$dst" >/dev/null 2>&1 && break
	done
	out=$(ip netns exec "$ns" ping -n -c 5 -i 0.2 -W 2 "$@" "$dst" 2>&1)
	if echo "$out" | grep -q ' 5 received'; then
		ok "$label: $(echo "$out" | grep -o '[0-9]* packets transmitted, [0-9]* received')"
	else
		fail "$label: $(echo "$out" | grep -E 'transmitted|rror' | head -n 2 | tr '\n' ' ')"
	fi
}

# xfer_check LABEL: download the blob of pfovs-P-b into pfovs-P-a
xfer_check() {
	local out bytes sum secs
	out=$(ip netns exec "$NS_A" timeout 90 python3 -c '
import hashlib, sys, time, urllib.request
t = time.monotonic()
with urllib.request.urlopen(sys.argv[1], timeout=30) as r:
    data = r.read()
print(len(data), hashlib.sha256(data).hexdigest(), "%.2f" % (time.monotonic() - t))
' "http://$IP_B:$HTTP_PORT/blob" 2>&1 | tail -n 1)
	read -r bytes sum secs <<< "$out"
	if [ "$sum" = "$BLOB_SUM" ]; then
		ok "$1: TCP download of $bytes bytes $IP_B -> $IP_A in ${secs}s, SHA-256 matches"
	else
		fail "$1: TCP download: ${out:-nothing} (want $BLOB_BYTES bytes, SHA-256 $BLOB_SUM)"
	fi
}

# port_pool PORT, port_ops PORT: its pool's name and ops, from
# ovs-appctl netdev-dpdk/get-mempool-info PORT
port_pool() {
	appctl netdev-dpdk/get-mempool-info "$1" 2>/dev/null |
		sed -n 's/^mempool <\([^>]*\)>.*/\1/p' | head -n 1
}

port_ops() {
	appctl netdev-dpdk/get-mempool-info "$1" 2>/dev/null |
		sed -n 's/^ *ops_name: <\([^>]*\)>.*/\1/p' | head -n 1
}

# add_port N [ovs-vsctl set arguments for the interface]: port pN, of the
# run's kind, on the switch's side N
add_port() {
	local n=$1 i
	shift
	if [ "$KIND" = tap ]; then
		vsctl add-port "$BR" "p$n" -- set Interface "p$n" type=dpdk \
			"options:dpdk-devargs=net_tap$n,iface=${IF_T[$n]}" \
			options:n_rxq=2 "$@" ||
			return 1
		# the tap device is made when the port is probed: bridge it
		for ((i = 0; i < 50; i++)); do
			ip -n "$NS_SW" link set "${IF_T[$n]}" master "${IF_K[$n]}" \
				2>/dev/null && return 0
			sleep 0.1
		done
		echo "ovs: cannot bridge ${IF_T[$n]} to ${IF_K[$n]}"
		return 1
	fi
	vsctl add-port "$BR" "p$n" -- set Interface "p$n" type=dpdk \
		"options:dpdk-devargs=net_af_packet$n,iface=${IF_S[$n]}" "$@"
}

# ---------------------------------------------------------------- set-up

[ "$(id -u)" -eq 0 ] || skip "not root (network namespaces, hugepages, OVS): run as root or install sudo"
command -v ip >/dev/null 2>&1 || skip "no ip command (iproute2)"
command -v python3 >/dev/null 2>&1 || skip "no python3"

# Packages: OVS's DPDK build, dpdk-telemetry.py (dpdk-dev), ping, ethtool.
missing=
[ -x "$VSWITCHD" ] || missing="$missing openvswitch-switch-dpdk"
command -v ovsdb-tool >/dev/null 2>&1 || missing="$missing openvswitch-switch"
command -v dpdk-telemetry.py >/dev/null 2>&1 || missing="$missing dpdk-dev"
command -v ping >/dev/null 2>&1 || missing="$missing iputils-ping"
command -v ethtool >/dev/null 2>&1 || missing="$missing ethtool"
if [ -n "$missing" ]; then
	command -v apt-get >/dev/null 2>&1 || skip "missing:$missing, and no apt-get"
	say "installing$missing (apt-get)"
	# openvswitch-switch's postinst starts the system's service
	# (invoke-rc.d, or deb-systemd-invoke under systemd): a policy-rc.d
	# answering 101 ("action forbidden") keeps it stopped. The DPDK
	# package only registers its ovs-vswitchd as an alternative of lower
	# priority than the plain one, which stays selected.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\n# devtools/ovs.sh: no service start during its install\nexit 101\n' \
			> /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d &&
			POLICY_MADE=1
	fi
	# shellcheck disable=SC2086 # a list of package names
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $missing >/dev/null 2>&1; }
	if [ "$POLICY_MADE" = 1 ]; then
		rm -f /usr/sbin/policy-rc.d
		POLICY_MADE=0
	fi
	[ -x "$VSWITCHD" ] || skip "openvswitch-switch-dpdk not installable here"
	command -v ovsdb-tool >/dev/null 2>&1 || skip "no ovsdb-tool (openvswitch-switch not installable)"
	command -v dpdk-telemetry.py >/dev/null 2>&1 || skip "no dpdk-telemetry.py (dpdk-dev not installable)"
	command -v ping >/dev/null 2>&1 || skip "no ping (iputils-ping not installable)"
	command -v ethtool >/dev/null 2>&1 || skip "no ethtool (not installable)"
fi
OVS_VERSION=$("$VSWITCHD" --version 2>/dev/null | head -n 1)
DPDK_VERSION=$("$VSWITCHD" --version 2>/dev/null | sed -n 's/^DPDK //p')

# The plugin directory of the DPDK ovs-vswitchd runs on: its librte_eal
# holds the path (RTE_EAL_PMD_PATH).
PMD_DIR=
EAL_LIB=$(ldd "$VSWITCHD" 2>/dev/null | sed -n 's/.*librte_eal\.so[^ ]* => \([^ ]*\).*/\1/p')
[ -n "$EAL_LIB" ] && PMD_DIR=$(grep -a -o -m 1 '/[^[:cntrl:]]*/dpdk/pmds-[0-9.]*' "$EAL_LIB" | head -n 1)
INSTALLED=
[ -n "$PMD_DIR" ] && INSTALLED=$(compgen -G "$PMD_DIR/librte_mempool_pagefrag.so*" | head -n 1)
# the GNU build-id of a library: the same build, whatever installing did
build_id() {
	readelf -n "$1" 2>/dev/null | sed -n 's/.*Build ID: *//p'
}
ARG=${1:-$ROOT/$PLUGIN_REL}
D_PLUGIN=
if [ "$ARG" = installed ]; then
	[ -n "$INSTALLED" ] || skip "pagefrag is not installed in ${PMD_DIR:-the plugin directory}"
	PLUGIN_DESC="autoloaded from $PMD_DIR"
else
	[ -f "$ARG" ] || die "no plugin $ARG (build it: meson setup build && ninja -C build)"
	ARG=$(readlink -f "$ARG")
	if [ -z "$INSTALLED" ]; then
		D_PLUGIN=$ARG
		PLUGIN_DESC="-d $ARG"
	elif cmp -s "$ARG" "$INSTALLED" ||
			{ [ -n "$(build_id "$ARG")" ] &&
			[ "$(build_id "$ARG")" = "$(build_id "$INSTALLED")" ]; }; then
		PLUGIN_DESC="autoloaded from $PMD_DIR (the same build as $ARG: no -d, EAL would load it twice)"
	else
		skip "another pagefrag is installed in $PMD_DIR: EAL would load it and $ARG (-d) both"
	fi
fi

# The private directory: the daemons' sockets, pid files, database and
# logs, and a copy of the plugin when EAL would refuse its path (below a
# world-writable directory such as /tmp).
WORK=$(mktemp -d /run/pfovs.XXXXXX 2>/dev/null) || WORK=$(mktemp -d) ||
	die "cannot make a private directory"
chmod 0700 "$WORK"
world_writable() {
	local p
	p=$(readlink -f "$1")
	while :; do
		[ -n "$(find "$p" -maxdepth 0 -perm -0002 2>/dev/null)" ] && return 0
		[ "$p" = / ] && return 1
		p=$(dirname "$p")
	done
}
if [ -n "$D_PLUGIN" ] && world_writable "$D_PLUGIN"; then
	world_writable "$WORK" &&
		die "$D_PLUGIN is below a world-writable directory (EAL refuses -d there) and no private directory was found for a copy"
	cp "$D_PLUGIN" "$WORK/librte_mempool_pagefrag.so" || die "cannot copy $D_PLUGIN"
	PLUGIN_DESC="-d $WORK/librte_mempool_pagefrag.so (a copy of $D_PLUGIN: EAL refuses -d below a world-writable directory)"
	D_PLUGIN=$WORK/librte_mempool_pagefrag.so
fi

# Memory: hugepages (a 2 MB hugetlbfs mounted, enough free pages) or the
# --no-huge fallback.
HUGE=${PF_HUGE:-}
[ "${PAGEFRAG_NO_HUGE:-0}" = 1 ] && HUGE=0
if [ -z "$HUGE" ]; then
	free_pages=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)
	if awk '$3 == "hugetlbfs" && $4 !~ /pagesize=1G/ { f = 1 } END { exit !f }' /proc/mounts &&
			[ "$free_pages" -ge $((MEM_MB / 2 + 16)) ]; then
		HUGE=1
	else
		HUGE=0
		say "no hugepages ($free_pages free 2 MB pages, or no hugetlbfs): falling back to --no-huge"
	fi
fi

# Leftovers of an interrupted run, whose script is gone.
for ns in $(ip netns list 2>/dev/null | sed -n 's/^\(pfovs-[0-9]*-[a-z]*\).*/\1/p'); do
	pid=${ns#pfovs-}
	pid=${pid%%-*}
	kill -0 "$pid" 2>/dev/null && continue
	say "removing namespace $ns of an interrupted run"
	ip netns del "$ns"
done
for d in /var/run/dpdk/pfovs-[0-9]*-*; do
	[ -d "$d" ] || continue
	pid=${d#/var/run/dpdk/pfovs-}
	pid=${pid%%-*}
	kill -0 "$pid" 2>/dev/null || rm -rf "$d"
done

# ---------------------------------------------------------------- topology

ip netns add "$NS_SW" 2>/dev/null || skip "cannot create network namespaces (ip netns add failed)"
NS_MADE+=("$NS_SW")
for ns in "$NS_A" "$NS_B"; do
	ip netns add "$ns" || die "ip netns add $ns failed"
	NS_MADE+=("$ns")
done
for ns in "$NS_SW" "$NS_A" "$NS_B"; do
	ip -n "$ns" link set lo up
	# no IPv6 chatter (DAD, router solicitations, MLD)
	ip netns exec "$ns" sh -c \
		'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6;
		 echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null
done
ip link add "$IF_A" netns "$NS_A" type veth peer name "${IF_S[0]}" netns "$NS_SW" ||
	die "cannot create veth $IF_A"
ip link add "$IF_B" netns "$NS_B" type veth peer name "${IF_S[1]}" netns "$NS_SW" ||
	die "cannot create veth $IF_B"
# af_packet hands OVS what the veth end in the switch's namespace receives,
# TCP checksums left to offload included: the hosts compute theirs
for pair in "$NS_A:$IF_A" "$NS_B:$IF_B"; do
	ip netns exec "${pair%%:*}" ethtool -K "${pair#*:}" tx off >/dev/null 2>&1 ||
		die "cannot turn TX checksum offload off on ${pair#*:} (ethtool)"
done
ip -n "$NS_A" addr add "$IP_A/24" dev "$IF_A"
ip -n "$NS_B" addr add "$IP_B/24" dev "$IF_B"
for pair in "$NS_A:$IF_A" "$NS_B:$IF_B" "$NS_SW:${IF_S[0]}" "$NS_SW:${IF_S[1]}"; do
	ip -n "${pair%%:*}" link set "${pair#*:}" up || die "cannot set ${pair#*:} up"
done

# the download: random data served from pfovs-P-b
mkdir -p "$WORK/www"
head -c $((XFER_MB * 1024 * 1024)) /dev/urandom > "$WORK/www/blob"
BLOB_BYTES=$(stat -c %s "$WORK/www/blob")
BLOB_SUM=$(sha256sum "$WORK/www/blob" | cut -d' ' -f1)
ip netns exec "$NS_B" python3 -m http.server "$HTTP_PORT" --bind "$IP_B" \
	--directory "$WORK/www" > "$WORK/http.log" 2>&1 &
BG_PIDS+=($!)

# ---------------------------------------------------------------- OVS

export OVS_RUNDIR=$WORK OVS_DBDIR=$WORK OVS_LOGDIR=$WORK OVS_SYSCONFDIR=$WORK/etc
mkdir -p "$OVS_SYSCONFDIR/openvswitch"
ovsdb-tool create "$WORK/conf.db" "$SCHEMA" > "$WORK/ovsdb-tool.log" 2>&1 ||
	die "ovsdb-tool create failed: $(cat "$WORK/ovsdb-tool.log")"
ovsdb-server "$WORK/conf.db" --remote="punix:$WORK/db.sock" \
	--pidfile="$WORK/ovsdb-server.pid" --unixctl="$WORK/ovsdb-server.ctl" \
	--log-file="$WORK/ovsdb-server.log" -vconsole:off -vsyslog:off \
	> "$WORK/ovsdb-server.out" 2>&1 &
DB_PID=$!
for ((i = 0; i < 100; i++)); do
	[ -S "$WORK/db.sock" ] && break
	kill -0 "$DB_PID" 2>/dev/null || break
	sleep 0.1
done
[ -S "$WORK/db.sock" ] || die "ovsdb-server did not start: $(tail -n 3 "$WORK/ovsdb-server.out")"
vsctl --no-wait init || die "ovs-vsctl init failed"

PMD_MASK=$(($(nproc) > 1 ? 2 : 1))

say "$OVS_VERSION, DPDK $DPDK_VERSION ($VSWITCHD)"
say "plugin: $PLUGIN_DESC"
say "memory: $([ "$HUGE" = 1 ] && echo "hugepages" || echo "--no-huge"), $MEM_MB MB"
say "topology: $NS_A [$IF_A $IP_A] <-> [${IF_S[0]} p0] $NS_SW $BR [p1 ${IF_S[1]}] <-> [$IF_B $IP_B] $NS_B"

# ---------------------------------------------------------------- a run

start_vswitchd() {
	local extra i
	PREFIX=$TAG-$MODEL
	PREFIXES+=("$PREFIX")
	extra="--file-prefix=$PREFIX --no-pci --mbuf-pool-ops-name=pagefrag --log-level=pmd.mempool.pagefrag:info"
	[ -n "$D_PLUGIN" ] && extra="-d $D_PLUGIN $extra"
	vsctl --no-wait remove Open_vSwitch . other_config dpdk-socket-mem \
		-- remove Open_vSwitch . other_config dpdk-socket-limit \
		-- remove Open_vSwitch . other_config dpdk-alloc-mem
	if [ "$HUGE" = 1 ]; then
		vsctl --no-wait set Open_vSwitch . \
			"other_config:dpdk-socket-mem=$MEM_MB" \
			"other_config:dpdk-socket-limit=$MEM_MB"
	else
		# --no-huge runs EAL's legacy memory mode, which --in-memory
		# (OVS adds it unless it sees --legacy-mem) refuses
		extra="$extra --no-huge --legacy-mem"
		vsctl --no-wait set Open_vSwitch . "other_config:dpdk-alloc-mem=$MEM_MB"
	fi
	vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
		"other_config:dpdk-extra=\"$extra\"" \
		"other_config:pmd-cpu-mask=$(printf '0x%x' "$PMD_MASK")" \
		other_config:pmd-maxsleep=1000 \
		"other_config:per-port-memory=$([ "$MODEL" = per-port ] && echo true || echo false)" ||
		return 1
	LOG_START=0
	[ -f "$WORK/ovs-vswitchd.log" ] && LOG_START=$(wc -l < "$WORK/ovs-vswitchd.log")
	ip netns exec "$NS_SW" "$VSWITCHD" "unix:$WORK/db.sock" \
		--pidfile="$WORK/ovs-vswitchd.pid" \
		--unixctl="$WORK/ovs-vswitchd.ctl" \
		--log-file="$WORK/ovs-vswitchd.log" \
		-vconsole:off -vsyslog:off -vnetdev_dpdk:file:dbg \
		> "$WORK/ovs-vswitchd.out" 2>&1 &
	VS_PID=$!
	for ((i = 0; i < 600; i++)); do
		[ "$(vsctl get Open_vSwitch . dpdk_initialized 2>/dev/null)" = true ] &&
			[ -S "$WORK/ovs-vswitchd.ctl" ] && return 0
		kill -0 "$VS_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# the pools of telemetry's /mempool/list and /mempool_pagefrag/list,
# sorted, one a line
pool_names() {
	tel /mempool/list | json 'sorted(d["/mempool/list"])'
}

pagefrag_names() {
	tel /mempool_pagefrag/list | json 'sorted(d["/mempool_pagefrag/list"])'
}

# check_pools LABEL PORT...: the ports' pools are pagefrag pools
check_pools() {
	local label=$1 p pool ops all pf pools=()
	shift
	for p in "$@"; do
		pool=$(port_pool "$p")
		ops=$(port_ops "$p")
		if [ "$ops" = pagefrag ]; then
			ok "$label: $p's pool $pool: ops_name <pagefrag> (netdev-dpdk/get-mempool-info)"
		else
			fail "$label: $p's pool ${pool:-?}: ops_name <${ops:-?}>, not pagefrag"
		fi
		pools+=("$pool")
	done
	if [ $# -eq 2 ]; then
		if [ "$MODEL" = shared ] && [ "${pools[0]}" = "${pools[1]}" ]; then
			ok "$label: $1 and $2 share their pool (shared memory model)"
		elif [ "$MODEL" = per-port ] && [ "${pools[0]}" != "${pools[1]}" ]; then
			ok "$label: $1 and $2 have a pool each (per-port memory)"
		else
			fail "$label: $MODEL memory model, but the pools of $1 and $2 are ${pools[0]} and ${pools[1]}"
		fi
	fi
	all=$(pool_names | tr '\n' ' ')
	pf=$(pagefrag_names | tr '\n' ' ')
	if [ -n "$all" ] && [ "$all" = "$pf" ]; then
		ok "$label: telemetry: every mempool is a pagefrag pool (/mempool/list = /mempool_pagefrag/list = ${all% })"
	else
		fail "$label: telemetry: /mempool/list [${all% }] but /mempool_pagefrag/list [${pf% }]"
	fi
}

check_ports_up() {
	local label=$1 p st err
	for p in p0 p1; do
		wait_up "$p"
		st=$(link_state "$p")
		err=$(vsctl get Interface "$p" error 2>/dev/null)
		if [ "$st" = up ] && { [ -z "$err" ] || [ "$err" = '[]' ]; }; then
			ok "$label: $p up, mtu $(vsctl get Interface "$p" mtu 2>/dev/null)"
		else
			fail "$label: $p link_state ${st:-?}, error ${err:-none}"
		fi
	done
}

# set_mtu MTU: the MTU of the veth ends (and, for tap, of the bridges in
# the switch's namespace; OVS sets the tap devices')
set_mtu() {
	local n
	ip -n "$NS_A" link set "$IF_A" mtu "$1"
	ip -n "$NS_B" link set "$IF_B" mtu "$1"
	for n in 0 1; do
		ip -n "$NS_SW" link set "${IF_S[$n]}" mtu "$1"
	done
}

# readd_under_ping: delete p1 and add it again while pfovs-P-a pings
readd_under_ping() {
	local out pid t_del t_add i before after lost
	out=$WORK/ping-readd-$MODEL.txt
	ip netns exec "$NS_A" ping -n -D -i 0.1 -W 1 -w 60 "$IP_B" > "$out" 2>&1 &
	pid=$!
	BG_PIDS+=("$pid")
	sleep 2
	t_del=$(date +%s.%N)
	vsctl del-port "$BR" p1 || fail "ovs-vsctl del-port p1 failed"
	sleep 1
	add_port 1 || fail "ovs-vsctl add-port p1 failed"
	wait_up p1
	t_add=$(date +%s.%N)
	# 10 replies after the port is back, within 20 s
	for ((i = 0; i < 200; i++)); do
		after=$(awk -v t="$t_add" -F'[][]' '/bytes from/ && $2 > t { n++ } END { print n + 0 }' "$out")
		[ "$after" -ge 10 ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	before=$(awk -v t="$t_del" -F'[][]' '/bytes from/ && $2 < t { n++ } END { print n + 0 }' "$out")
	after=$(awk -v t="$t_add" -F'[][]' '/bytes from/ && $2 > t { n++ } END { print n + 0 }' "$out")
	lost=$(sed -n 's/.* \([0-9]*\)[0-9.]*% packet loss.*/\1 %/p' "$out")
	if [ "$before" -gt 0 ] && [ "$after" -ge 10 ] && [ "$(link_state p1)" = up ]; then
		ok "p1 deleted and added again under ping: $before replies before, $after after it was back ($(awk -v a="$t_del" -v b="$t_add" 'BEGIN { printf "%.1f", b - a }') s without p1, ${lost:-?} lost)"
	else
		fail "p1 deleted and added again under ping: $before replies before, $after after (p1 $(link_state p1)); $(tail -n 2 "$out" | tr '\n' ' ')"
	fi
}

# check_accounting LABEL PORT...: allocated - freed = in use = telemetry's
# list; prints the pools allocated so far
check_accounting() {
	local label=$1 inuse all alloc freed n_alloc n_freed n_inuse stale name p pmd_pools
	shift
	inuse=$(for p in "$@"; do port_pool "$p"; done | sort -u | sed '/^$/d')
	# OVS's pools ("ovs" and a hash of the port's name, socket, MTU,
	# size); PMDs may have their own (net_tap: mp_net_tapN, for GSO)
	all=$(pool_names | grep '^ovs')
	alloc=$(plog | sed -n 's/.*|netdev_dpdk|DBG|Allocated "\([^"]*\)" mempool.*/\1/p')
	freed=$(plog | sed -n 's/.*|netdev_dpdk|DBG|Freeing mempool "\([^"]*\)".*/\1/p')
	n_alloc=$(echo "$alloc" | sed '/^$/d' | wc -l)
	n_freed=$(echo "$freed" | sed '/^$/d' | wc -l)
	n_inuse=$(echo "$inuse" | sed '/^$/d' | wc -l)
	stale=
	for name in $(echo "$alloc" | sort -u); do
		echo "$inuse" | grep -qx "$name" && continue
		echo "$freed" | grep -qx "$name" || stale="$stale $name"
	done
	if [ -z "$stale" ] && [ $((n_alloc - n_freed)) -eq "$n_inuse" ]; then
		ok "$label: pools allocated $n_alloc, freed $n_freed (\"Freeing mempool\"), in use $n_inuse ($(echo "$inuse" | tr '\n' ' ' | sed 's/ $//')): every pool no port uses was freed"
	else
		fail "$label: pools allocated $n_alloc, freed $n_freed, in use $n_inuse; not freed:${stale:- (the counts do not add up)}"
	fi
	if [ "$all" = "$inuse" ]; then
		pmd_pools=$(pool_names | grep -v '^ovs' | tr '\n' ' ')
		ok "$label: telemetry lists exactly the pools in use${pmd_pools:+ (and the PMD pools ${pmd_pools% })}"
	else
		fail "$label: telemetry lists [$(echo "$all" | tr '\n' ' ')] but the ports use [$(echo "$inuse" | tr '\n' ' ')]"
	fi
}

# check_stats: every pool's driver statistics and in-flight view
check_stats() {
	local pool inf info errs fails
	for pool in $(pool_names); do
		info=$(tel "/mempool_pagefrag/info,$pool")
		errs=$(echo "$info" | json 'd["/mempool_pagefrag/info"]["put_errors"]')
		fails=$(echo "$info" | json 'd["/mempool_pagefrag/info"]["get_fails"]')
		inf=$(tel "/mempool_pagefrag/inflight,$pool" |
			json '", ".join("%s %s" % (k, v["objs"] if isinstance(v, dict) else v) for k, v in d["/mempool_pagefrag/inflight"].items() if k.startswith(("objs", "lcore_", "non_eal")))')
		if [ "$errs" = 0 ] && [ "$fails" = 0 ]; then
			ok "$pool: get_fails 0, put_errors 0; in flight: $inf"
		else
			fail "$pool: get_fails ${fails:-?}, put_errors ${errs:-?}; in flight: $inf"
		fi
	done
}

# reconfigure: what replaces the pools, and back
reconfigure() {
	local pools_before
	pools_before=$(pool_names | tr '\n' ' ')
	if [ "$KIND" = tap ]; then
		# the hosts' MTU first: no frame larger than the new mbufs
		# reach a port (the Linux bridges also drop what exceeds the
		# taps' MTU, which OVS sets)
		set_mtu "$MTU2"
		vsctl set Interface p0 "mtu_request=$MTU2" -- set Interface p1 "mtu_request=$MTU2" ||
			fail "ovs-vsctl set Interface mtu_request=$MTU2 failed"
		check_ports_up "mtu $MTU2"
		check_pools "mtu $MTU2" p0 p1
		say "pools at MTU 1500: ${pools_before% }; at MTU $MTU2: $(pool_names | tr '\n' ' ')"
		ping_check "$NS_A" "$IP_B" "mtu $MTU2: ping -s 800 -M do $IP_A -> $IP_B" -s 800 -M "do"
		ping_check "$NS_B" "$IP_A" "mtu $MTU2: ping -s 800 -M do $IP_B -> $IP_A" -s 800 -M "do"
		xfer_check "mtu $MTU2"
		vsctl set Interface p0 mtu_request=1500 -- set Interface p1 mtu_request=1500 ||
			fail "ovs-vsctl set Interface mtu_request=1500 failed"
		set_mtu 1500
		check_ports_up "mtu 1500 again"
		check_pools "mtu 1500 again" p0 p1
		ping_check "$NS_A" "$IP_B" "mtu 1500 again: ping $IP_A -> $IP_B"
	else
		vsctl set Interface p0 options:n_rxq_desc=1024 -- set Interface p1 options:n_rxq_desc=1024 ||
			fail "ovs-vsctl set Interface options:n_rxq_desc=1024 failed"
		check_ports_up "n_rxq_desc 1024"
		check_pools "n_rxq_desc 1024" p0 p1
		say "pools before: ${pools_before% }; with n_rxq_desc=1024: $(pool_names | tr '\n' ' ')"
		ping_check "$NS_A" "$IP_B" "n_rxq_desc 1024: ping $IP_A -> $IP_B"
		xfer_check "n_rxq_desc 1024"
		vsctl remove Interface p0 options n_rxq_desc -- remove Interface p1 options n_rxq_desc ||
			fail "ovs-vsctl remove Interface options n_rxq_desc failed"
		check_ports_up "n_rxq_desc default again"
		check_pools "n_rxq_desc default again" p0 p1
		ping_check "$NS_A" "$IP_B" "n_rxq_desc default again: ping $IP_A -> $IP_B"
	fi
}

# final_sweep: both ports deleted, p0 added again with a configuration
# whose pool the shared model cannot reuse: OVS frees every earlier pool
# once it is full
final_sweep() {
	local used
	used=$(pool_names | tr '\n' ' ')
	vsctl del-port "$BR" p0 -- del-port "$BR" p1 || fail "ovs-vsctl del-port p0 p1 failed"
	if [ "$KIND" = tap ]; then
		add_port 0 "mtu_request=$MTU2" || fail "ovs-vsctl add-port p0 failed"
	else
		add_port 0 options:n_rxq_desc=512 || fail "ovs-vsctl add-port p0 failed"
	fi
	wait_up p0
	say "final sweep: pools before: ${used% }; after deleting p0 and p1 and adding p0 again: $(pool_names | tr '\n' ' ')"
	check_pools "final sweep" p0
	check_accounting "final sweep" p0
}

stop_vswitchd() {
	local i rc apid
	appctl exit --cleanup >/dev/null 2>&1 &
	apid=$!
	for ((i = 0; i < 300; i++)); do
		kill -0 "$VS_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$VS_PID" 2>/dev/null; then
		fail "ovs-appctl exit --cleanup: ovs-vswitchd still runs after 30 s"
		pf_stop_pid "$VS_PID"
		wait "$VS_PID" 2>/dev/null
	else
		wait "$VS_PID"
		rc=$?
		if [ "$rc" -eq 0 ]; then
			ok "ovs-appctl exit --cleanup: ovs-vswitchd exited with status 0 after $(awk -v n="$i" 'BEGIN { printf "%.1f", n / 10 }') s"
		else
			fail "ovs-appctl exit --cleanup: ovs-vswitchd exited with status $rc$([ "$rc" -gt 128 ] && echo " (signal $((rc - 128)))")"
			tail -n 5 "$WORK/ovs-vswitchd.out" | sed 's/^/    | /'
		fi
	fi
	pf_stop_pid "$apid"
	wait "$apid" 2>/dev/null
	VS_PID=
}

check_log() {
	local drv other n_info line
	# the driver's lines ("PAGEFRAG: ", its log type), and any other that
	# names pagefrag, at WARN, ERR or EMER
	drv=$(plog | grep -E '\|(WARN|ERR|EMER)\|' | grep -i 'pagefrag')
	other=$(plog | grep -E '\|(WARN|ERR|EMER)\|' | grep -v -i 'pagefrag')
	n_info=$(plog | grep -c '|dpdk|INFO|PAGEFRAG: ')
	if [ -z "$drv" ]; then
		ok "log: no line of the driver at WARN or above ($n_info at INFO: the geometry of each pool created)"
	else
		fail "log: $(echo "$drv" | wc -l) line(s) of the driver at WARN or above:"
		echo "$drv" | head -n 10 | sed 's/^/    | /'
	fi
	# the others, once per message with their count
	if [ -n "$other" ]; then
		while IFS= read -r line; do
			note "not the driver: $line"
		done < <(echo "$other" | cut -d'|' -f3- | sort | uniq -c |
			sort -rn | sed 's/^ *\([0-9]*\) \(.*\)/\2 (x\1)/')
	fi
	# its console is off: only what comes before that (the log file's
	# name) or from outside vlog (a crash) is there
	if grep -v -q 'vlog|INFO|opened log file' "$WORK/ovs-vswitchd.out" 2>/dev/null; then
		note "ovs-vswitchd's stdout/stderr: $(grep -v 'vlog|INFO|opened log file' "$WORK/ovs-vswitchd.out" | head -c 300 | tr '\n' ' ')"
	fi
}

# run MODEL KIND
run() {
	local t0 n
	MODEL=$1
	KIND=$2
	RUN=$MODEL/$KIND
	t0=$(date +%s)
	say "---- $MODEL memory model$([ "$MODEL" = per-port ] && echo " (other_config:per-port-memory=true)"), $KIND ports"
	if [ "$KIND" = tap ]; then
		for n in 0 1; do
			if ! { ip -n "$NS_SW" link add "${IF_K[$n]}" type bridge &&
					ip -n "$NS_SW" link set "${IF_S[$n]}" master "${IF_K[$n]}" &&
					ip -n "$NS_SW" link set "${IF_K[$n]}" up; }; then
				fail "cannot bridge ${IF_S[$n]}"
			fi
		done
	fi
	if start_vswitchd; then
		ok "ovs-vswitchd started, DPDK initialized (file prefix $PREFIX)"
	else
		fail "ovs-vswitchd did not initialize DPDK"
		plog | tail -n 15 | sed 's/^/    | /'
		tail -n 5 "$WORK/ovs-vswitchd.out" | sed 's/^/    | /'
		pf_stop_pid "$VS_PID"
		VS_PID=
		return
	fi
	say "EAL arguments: $(plog | sed -n 's/.*|dpdk|INFO|EAL ARGS: //p' | tail -n 1)"
	vsctl add-br "$BR" -- set bridge "$BR" datapath_type=netdev ||
		fail "ovs-vsctl add-br $BR failed"
	add_port 0 || fail "ovs-vsctl add-port p0 failed"
	add_port 1 || fail "ovs-vsctl add-port p1 failed"

	check_ports_up "start"
	check_pools "start" p0 p1
	ping_check "$NS_A" "$IP_B" "ping $IP_A -> $IP_B"
	ping_check "$NS_B" "$IP_A" "ping $IP_B -> $IP_A"
	xfer_check "start"
	reconfigure
	readd_under_ping
	check_pools "p1 added again" p0 p1
	xfer_check "p1 added again"
	check_accounting "pools" p0 p1
	check_stats
	final_sweep

	stop_vswitchd
	check_log
	# the next run starts from an empty switch and bare veth ends
	vsctl --no-wait --if-exists del-br "$BR"
	if [ "$KIND" = tap ]; then
		for n in 0 1; do
			ip -n "$NS_SW" link del "${IF_K[$n]}" 2>/dev/null
		done
	fi
	say "$RUN: $(($(date +%s) - t0)) s"
}

for r in $RUNS; do
	case $r in
	shared:tap | shared:af_packet | per-port:tap | per-port:af_packet)
		run "${r%%:*}" "${r#*:}" ;;
	*) die "PAGEFRAG_OVS_RUNS: $r is not MODEL:KIND (shared or per-port, tap or af_packet)" ;;
	esac
done

echo "ovs: $NOK passed, $NFAIL failed, $NNOTE notes, $(($(date +%s) - T_START)) s"
[ "$NFAIL" -eq 0 ] || exit 1
echo "ovs: OK"
exit 0
