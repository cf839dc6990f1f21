#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# l2fwd_frag_autotest: run dpdk-l2fwd-frag for a few seconds on virtual
# ports and check that it forwarded packets and that its exit leak check
# passed (exit status 0, "leak check: OK").
#
#   l2fwd_frag_test.sh PATH/TO/dpdk-l2fwd-frag [extra l2fwd-frag options]
#
# Environment:
#   PAGEFRAG_TEST_EAL_ARGS  extra EAL options (e.g. "--no-huge -m 2048"),
#                           set by the test scripts; when it is unset and
#                           no 2 MB hugepage is free, --no-huge is used.
#   L2FWD_FRAG_TEST_SECONDS run time (default 3).

bin=${1:?usage: $0 PATH/TO/dpdk-l2fwd-frag [options]}
shift
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
set -- --lcores "$lcores" --no-pci --file-prefix=l2fwd_frag_autotest \
	$PAGEFRAG_TEST_EAL_ARGS --vdev=net_null0 --vdev=net_ring0 \
	-- -p 0x3 -T 1 --runtime "$seconds" "$@"
echo "+ $bin $*"
timeout -k 10 $((seconds + 40)) "$bin" "$@" > "$out" 2>&1
rc=$?
cat "$out"

fail() {
	echo "l2fwd_frag_autotest: FAILED: $*"
	exit 1
}

[ $rc -eq 0 ] || fail "exit status $rc"
grep -q '^leak check: OK' "$out" || fail "no \"leak check: OK\""
fwd=$(sed -n 's/^Packets forwarded: \([0-9]*\)$/\1/p' "$out")
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
echo "l2fwd_frag_autotest: OK ($fwd packets forwarded)"
