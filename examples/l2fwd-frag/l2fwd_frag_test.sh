#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# l2fwd_frag_*autotest: run dpdk-l2fwd-frag for a few seconds on virtual
# ports and check that it forwarded packets and that its exit leak check
# passed (exit status 0, "leak check: OK"). With --copybreak among the
# options, also that packets were copied into fragments, that every
# fragment allocated was freed and, on a pagefrag pool, that the ring-level
# caches released references when they drained at queue stop. With
# --pipeline, that the pipeline was on. Always, that the driver logged
# nothing at its default level (NOTICE): no "PAGEFRAG: " line.
#
#   l2fwd_frag_test.sh NAME PATH/TO/dpdk-l2fwd-frag [extra l2fwd-frag options]
#
# NAME names the test in its messages and, with the build directory's
# name, its EAL file prefix.
#
# Environment:
#   PAGEFRAG_TEST_EAL_ARGS  extra EAL options (e.g. "--no-huge -m 2048"),
#                           set by the test scripts; when it is unset and
#                           no 2 MB hugepage is free, --no-huge is used.
#   L2FWD_FRAG_TEST_SECONDS run time (default 3).

name=${1:?usage: $0 NAME PATH/TO/dpdk-l2fwd-frag [options]}
bin=${2:?usage: $0 NAME PATH/TO/dpdk-l2fwd-frag [options]}
shift 2
# the build directory: three levels above the binary (meson passes a path
# relative to it: resolve it first, so that each build directory has its
# own prefix)
prefix=${name}_$(basename "$(dirname "$(dirname "$(dirname "$(readlink -f "$bin")")")")")
copybreak=0
pipeline=0
ops=pagefrag
prev=
for a in "$@"; do
	case $prev in
	--copybreak) copybreak=$a ;;
	--mbuf-pool-ops) ops=$a ;;
	esac
	[ "$a" = --pipeline ] && pipeline=1
	prev=$a
done
seconds=${L2FWD_FRAG_TEST_SECONDS:-3}

if [ -z "${PAGEFRAG_TEST_EAL_ARGS+set}" ]; then
	free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages \
		2>/dev/null || echo 0)
	if [ "$free" -lt 64 ]; then
		PAGEFRAG_TEST_EAL_ARGS="--no-huge -m 2048"
	fi
fi

lcores="0-1"
if [ "$(nproc 2>/dev/null || echo 1)" -lt 2 ]; then
	# one core: both lcores on it
	lcores="(0-1)@0"
fi

out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT

# shellcheck disable=SC2086 # PAGEFRAG_TEST_EAL_ARGS is a list of words
set -- --lcores "$lcores" --no-pci --file-prefix="$prefix" \
	$PAGEFRAG_TEST_EAL_ARGS --vdev=net_null0 --vdev=net_ring0 \
	-- -p 0x3 -T 1 --runtime "$seconds" "$@"
echo "+ $bin $*"
timeout -k 10 $((seconds + 40)) "$bin" "$@" > "$out" 2>&1
rc=$?
cat "$out"

fail() {
	echo "$name: FAILED: $*"
	exit 1
}

# figure NAME: the number after "NAME: " in the summary
figure() {
	sed -n "s/^$1: \([0-9]*\).*/\1/p" "$out" | tail -n 1
}

[ $rc -eq 0 ] || fail "exit status $rc"
drv=$(grep -c 'PAGEFRAG: ' "$out")
[ "$drv" -eq 0 ] || fail "the driver logged $drv line(s) in normal operation"
grep -q '^leak check: OK' "$out" || fail "no \"leak check: OK\""
fwd=$(figure 'Packets forwarded')
[ -n "$fwd" ] || fail "no \"Packets forwarded\" line"
[ "$fwd" -gt 0 ] || fail "no packet forwarded"
for p in 0 1; do
	# the last statistics are the final ones
	sent=$(awk -v p="$p" '
		/^Statistics for port / { port = $4 }
		/^Packets sent:/ && port == p { n = $3 }
		END { print n + 0 }' "$out")
	[ "$sent" -gt 0 ] || fail "port $p sent no packet"
done
if [ "$pipeline" = 1 ]; then
	grep -q '^Pipeline: on' "$out" || fail "no \"Pipeline: on\""
fi
# packets a TX buffer failed to send: recycled into the RX queue's ring
# cache on pagefrag (the lcore that received them sends them)
dropped=$(awk '/^Total packets dropped:/ { n = $4 } END { print n + 0 }' "$out")
recycled=$(sed -n 's/^Dropped mbufs released via ring caches: \([0-9]*\).*/\1/p' \
	"$out" | tail -n 1)
if [ "$ops" = pagefrag ] && [ "$pipeline" = 0 ] && [ "$dropped" -gt 0 ]; then
	[ "${recycled:-0}" -gt 0 ] ||
		fail "$dropped packets dropped, none recycled into a ring cache"
fi
extra=
if [ "$copybreak" -gt 0 ]; then
	copied=$(sed -n 's/.*packets copied into fragments: \([0-9]*\).*/\1/p' "$out")
	[ "${copied:-0}" -gt 0 ] || fail "no packet copied into a fragment"
	allocs=$(figure 'Fragments allocated')
	frees=$(figure 'Fragments freed')
	[ "${allocs:-0}" -gt 0 ] || fail "no fragment allocated"
	[ "$allocs" = "$frees" ] ||
		fail "$allocs fragments allocated, ${frees:-?} freed"
	extra=", $copied copied into fragments"
	# in the drains' unit: fragments freed back plus one per page held
	# (a few lcores' caches: fewer than 64), not the pre-charged bias
	frefs=$(figure 'Fragment cache references drained at stop')
	if [ "${frefs:-0}" -eq 0 ] || [ "$frefs" -gt $((allocs + 64)) ]; then
		fail "fragment caches drained ${frefs:-?} references for $allocs fragments"
	fi
	extra="$extra, $frefs fragment cache references drained"
	if [ "$ops" = pagefrag ]; then
		refs=$(figure 'Ring cache references drained at stop')
		[ "${refs:-0}" -gt 0 ] ||
			fail "the ring-level caches released no reference at stop"
		extra="$extra, $refs ring cache references drained"
	fi
fi
echo "$name: OK ($fwd packets forwarded$extra)"
