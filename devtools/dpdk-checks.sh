# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash disable=SC2034 # REASON is check()'s
# Copyright(c) 2026 The pagefrag authors
#
# The checks of devtools/test.sh (and package.sh's testpmd run) that run
# DPDK's own applications on the pagefrag ops: dpdk-test's mbuf_autotest and mempool_autotest, and
# dpdk-testpmd io forwarding (one process, primary + secondary, each
# --mp-alloc mode). Sourced; each t_* function is a check for check() of
# devtools/checks.sh. devtools/pf_dpdk_apps.py runs the application and
# judges its output; its JSON result lands beside the check's log.
#
# The sourcing script sets ROOT, PLUGIN_REL, FP (the EAL file prefix),
# TESTPMD_SECONDS, MEM_ARGS and NOHUGE_ARGS (the EAL memory options of the
# set-up's mode and of --no-huge) and PF_HUGE (devtools/setup.sh).

# The EAL and testpmd arguments of the forwarding runs.
TP_EAL=(--no-pci --vdev net_null0 --vdev net_null1)
TP_APP=(-i --forward-mode=io --total-num-mbufs=16384)

# secure_plugin BUILDDIR: print a path of BUILDDIR's plugin that EAL
# accepts for -d (devtools/dpdk.sh), one private copy per clone and build
# directory when it needs one.
secure_plugin() {
	pf_plugin_for_d "$ROOT/$1/$PLUGIN_REL" \
		"$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)-$(slug "$1")"
}

# Remove the hugepage files and runtime directories of the EAL file
# prefixes of the checks ($FP*): a DPDK process may leave them at exit.
cleanup_runtime() {
	local mnt fs rest
	[ "$(id -u)" -eq 0 ] || return 0
	while read -r _ mnt fs rest; do
		[ "$fs" = hugetlbfs ] && rm -f "$mnt/$FP"_*
	done < /proc/mounts
	rm -rf "/var/run/dpdk/$FP"_*
}

# pf_app SUBCOMMAND ARGS...: devtools/pf_dpdk_apps.py SUBCOMMAND for the
# current check, logging to $LOG; its verdict in APP_VERDICT, and REASON on
# a failure.
pf_app() {
	local out rc
	out=$(python3 "$ROOT/devtools/pf_dpdk_apps.py" "$1" --log "$LOG" "${@:2}")
	rc=$?
	APP_VERDICT=$(tail -n 1 <<< "$out")
	[ $rc -eq 0 ] || REASON=$APP_VERDICT
	return $rc
}

# t_autotest TEST PLUGIN|"" SANITIZE MEMARGS...: DPDK's dpdk-test TEST
# (mbuf_autotest, mempool_autotest) on the pagefrag ops; SANITIZE=1: the
# plugin is sanitized, any sanitizer report fails.
t_autotest() {
	local test=$1 plugin=$2 sanitize=$3
	local -a dargs=() opt=()
	shift 3
	[ -n "$plugin" ] && dargs=(-d "$plugin")
	[ "$sanitize" = 1 ] && opt=(--sanitize)
	pf_app autotest --test "$test" "${opt[@]}" -- -l 0-1 --no-pci \
		--file-prefix="${FP}_$test" "$@" "${dargs[@]}" \
		--mbuf-pool-ops-name=pagefrag
}

# t_testpmd PLUGIN|"" MEMARGS... [-- TESTPMD-ARGS...]: io forwarding between
# two net_null ports on a pagefrag pool.
t_testpmd() {
	local plugin=$1
	local -a dargs=() eal=()
	shift
	[ -n "$plugin" ] && dargs=(-d "$plugin")
	while [ $# -gt 0 ] && [ "$1" != -- ]; do eal+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	pf_app fwd --seconds "$TESTPMD_SECONDS" -- -l 0-1 "${TP_EAL[@]}" \
		--file-prefix="${FP}_testpmd" "${eal[@]}" "${dargs[@]}" \
		--mbuf-pool-ops-name=pagefrag -- "${TP_APP[@]}" "$@"
}

# t_testpmd_mp PLUGIN|"": a primary testpmd (lcores 0-1) creates the
# pagefrag pool and the ports; a secondary testpmd (lcores 2-3, on the same
# CPUs) forwards on the ports' second queues with mbufs of that pool. Both
# must forward, and after the secondary quits every mbuf is back; lcore 3,
# the secondary's forwarding lcore, used its mempool cache.
t_testpmd_mp() {
	local plugin=$1
	local -a dargs=() mp=(--rxq=2 --txq=2 --num-procs=2)
	[ -n "$plugin" ] && dargs=(-d "$plugin")
	if [ "${PF_HUGE:-0}" != 1 ]; then
		REASON="secondary processes need hugepages"
		return 77
	fi
	# the secondary loads the same plugins in the same order (ops indexes)
	pf_app fwd-mp --seconds "$TESTPMD_SECONDS" --lcore-cache 3 -- \
		-l 0-1 --proc-type=primary "${TP_EAL[@]}" --file-prefix="${FP}_mp" \
		"${dargs[@]}" --mbuf-pool-ops-name=pagefrag -- "${TP_APP[@]}" \
		"${mp[@]}" --proc-id=0 \
		:: --lcores=2@0,3@1 --proc-type=secondary --no-pci \
		--file-prefix="${FP}_mp" "${dargs[@]}" --mbuf-pool-ops-name=pagefrag \
		-- -i --forward-mode=io "${mp[@]}" --proc-id=1
}

# t_testpmd_mp_alloc PLUGIN|"" MODE MEMARGS...: io forwarding (t_testpmd)
# with the mbuf pool made by testpmd --mp-alloc=MODE: native (EAL memory),
# anon (populate_anon, but with the default ops: skipped), xmem / xmemhuge
# (an external malloc heap on 4 KB pages / on 2 MB hugepages testpmd maps
# itself), xbuf (pinned external buffers). xmemhuge needs hugepages from
# the kernel, even under --no-huge.
t_testpmd_mp_alloc() {
	local plugin=$1 mode=$2
	shift 2
	if [ "$mode" = anon ]; then
		# testpmd makes this pool with rte_mempool_create_empty()
		# and no set_ops: --mbuf-pool-ops-name cannot reach it
		REASON="testpmd's anon pool ignores --mbuf-pool-ops-name (always ring_mp_mc); populate_anon: pagefrag_memory_autotest"
		return 77
	fi
	if [ "$mode" = xmemhuge ] && [ "${PF_HUGE:-0}" != 1 ]; then
		REASON="--mp-alloc=xmemhuge maps 2 MB hugepages, none reserved"
		return 77
	fi
	t_testpmd "$plugin" "$@" -- --mp-alloc="$mode"
}

# mp_alloc_checks LABEL PLUGIN MEMARGS...: testpmd forwarding with every
# --mp-alloc mode, in the memory mode MEMARGS.
mp_alloc_checks() {
	local label=$1 plugin=$2 mode
	shift 2
	for mode in native anon xmem xmemhuge xbuf; do
		check "testpmd io-fwd $label --mp-alloc=$mode" t_testpmd_mp_alloc \
			"$plugin" "$mode" "$@"
	done
}

# dpdk_apps_checks PLUGIN: dpdk-test and testpmd with -d PLUGIN, in the
# set-up's memory mode and, when that is hugepages, with --no-huge too.
dpdk_apps_checks() {
	local p=$1
	check "dpdk-test mbuf_autotest -d" t_autotest mbuf_autotest "$p" 0 "${MEM_ARGS[@]}"
	check "dpdk-test mempool_autotest -d" t_autotest mempool_autotest "$p" 0 "${MEM_ARGS[@]}"
	check "testpmd io-fwd -d" t_testpmd "$p" "${MEM_ARGS[@]}"
	check "testpmd io-fwd -d, no mempool cache" t_testpmd "$p" "${MEM_ARGS[@]}" -- --mbcache=0
	check "testpmd io-fwd -d, primary + secondary process" t_testpmd_mp "$p"
	if [ "${PF_HUGE:-0}" = 1 ]; then
		check "dpdk-test mbuf_autotest -d --no-huge" t_autotest mbuf_autotest "$p" 0 "${NOHUGE_ARGS[@]}"
		check "testpmd io-fwd -d --no-huge" t_testpmd "$p" "${NOHUGE_ARGS[@]}"
	fi
	# every memory model: testpmd --mp-alloc, hugepages and --no-huge
	mp_alloc_checks "-d" "$p" "${MEM_ARGS[@]}"
	if [ "${PF_HUGE:-0}" = 1 ]; then
		check "dpdk-test mempool_autotest -d --no-huge" t_autotest mempool_autotest "$p" 0 "${NOHUGE_ARGS[@]}"
		mp_alloc_checks "-d --no-huge" "$p" "${NOHUGE_ARGS[@]}"
	fi
}
