#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# Loading the pagefrag plugin into DPDK's own dpdk-test, as users do:
#   1. -d <plugin>: mbuf_autotest passes with --mbuf-pool-ops-name=pagefrag
#   2. the plugin loaded twice (two copies): noticed, logged, still works
#   3. the ops table already full: the driver logs that it cannot register,
#      and pools asking for "pagefrag" fail instead of using another driver
# Usage: test-plugin-load.sh <librte_mempool_pagefrag.so> <pf_fill_ops.so>
# Extra EAL options come from PAGEFRAG_TEST_EAL_ARGS (e.g. --no-huge -m 2048).
set -u
plugin=$1
filler=$2
DPDK_TEST=${DPDK_TEST_BIN:-$(command -v dpdk-test)}
if [ -z "$DPDK_TEST" ]; then
	echo "SKIP: dpdk-test not installed (Debian package dpdk-dev)"
	exit 77
fi
# A sanitized plugin cannot be dlopen()ed by an unsanitized dpdk-test
# (the ASan runtime must come first); devtools/test.sh runs that case
# with LD_PRELOAD.
if ldd "$plugin" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	echo "SKIP: $plugin is built with sanitizers"
	exit 77
fi
# EAL refuses -d for files under world-writable directories (e.g. /tmp):
# copy the plugins into a private directory.
cache=${XDG_CACHE_HOME:-$HOME/.cache}
mkdir -p "$cache" && chmod go-w "$cache"
dir=$(mktemp -d "$cache/pagefrag-plugin.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/a" "$dir/b"
cp "$plugin" "$dir/a/librte_mempool_pagefrag.so"
cp "$plugin" "$dir/b/librte_mempool_pagefrag.so"
cp "$filler" "$dir/a/pf_fill_ops.so"
# shellcheck disable=SC2206
eal=(-l 0-1 --no-pci ${PAGEFRAG_TEST_EAL_ARGS:-})
failed=0

run() { # name, expected "Test OK"|"Test Failed", log pattern, dpdk-test args...
	local name=$1 want=$2 pattern=$3 out
	shift 3
	out=$(echo mbuf_autotest | timeout 300 "$DPDK_TEST" "${eal[@]}" \
		--file-prefix="pf_load_$$" "$@" 2>&1)
	if ! grep -q "^$want" <<<"$out" && ! grep -q "$want" <<<"$out"; then
		echo "FAIL: $name: expected '$want'"
		tail -20 <<<"$out"
		failed=1
		return
	fi
	if [ -n "$pattern" ] && ! grep -q "$pattern" <<<"$out"; then
		echo "FAIL: $name: log has no '$pattern'"
		tail -20 <<<"$out"
		failed=1
		return
	fi
	echo "ok: $name"
}

run "dpdk-test mbuf_autotest with -d plugin" "Test OK" "" \
	-d "$dir/a/librte_mempool_pagefrag.so" --mbuf-pool-ops-name=pagefrag
run "plugin loaded twice is noticed" "Test OK" "already registered" \
	-d "$dir/a/librte_mempool_pagefrag.so" \
	-d "$dir/b/librte_mempool_pagefrag.so" --mbuf-pool-ops-name=pagefrag
run "ops table full is logged, pagefrag pools refused" "Test Failed" \
	"cannot register mempool ops \"pagefrag\"" \
	-d "$dir/a/pf_fill_ops.so" -d "$dir/a/librte_mempool_pagefrag.so" \
	--mbuf-pool-ops-name=pagefrag
exit $failed
