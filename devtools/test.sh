#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# The README's test command:
#
#     bash devtools/test.sh [--dpdk-tarballs DIR] [--only-matrix]
#
# as root (another user: through sudo, see devtools/root.sh; without sudo it
# runs unprivileged, on --no-huge, with the packages already installed).
#
# Sets the machine up (devtools/setup.sh: Debian packages, hugepages or the
# --no-huge fallback), builds pagefrag in ./build the way the README does
# (warnings as errors), and runs every check, printing one line per check:
#
#     PASS name  |  FAIL name (reason)  |  SKIP name (reason)
#
# and last "N passed, N failed" (", N skipped" appended when N > 0). Exits
# non-zero when a check failed. Logs: build/test-logs/*.log; a failing
# check prints the tail of its log.
#
# Checks, in order:
#   - the meson test suite "fast-tests" (one check per test; a test that
#     prints "Test Skipped" or exits 77 counts as skipped), and again with
#     --no-huge when hugepages are in use;
#   - DPDK's own dpdk-test mbuf_autotest and mempool_autotest with
#     -d <built plugin> and --mbuf-pool-ops-name=pagefrag;
#   - dpdk-testpmd io forwarding between two net_null ports with the
#     pagefrag ops (-d): packets forwarded both ways, the mbuf pool's ops are
#     "pagefrag", every mbuf is back in the pool after "stop", and the
#     driver logged nothing at its default level (NOTICE); also with
#     no mempool cache (--mbcache=0), with a secondary testpmd process
#     forwarding from the primary's pool (hugepages only), and with each
#     --mp-alloc mode (native, anon, xmem, xmemhuge, xbuf), on hugepages
#     and with --no-huge (mempool_autotest too);
#   - meson install, then the same dpdk-test and testpmd runs without -d
#     (the plugin autoloaded from DPDK's plugin directory); the installed
#     files are removed at the end unless PAGEFRAG_KEEP_INSTALL=1 or the
#     plugin was installed before the run;
#   - build-asan (-Db_sanitize=address,undefined): the suite, and dpdk-test
#     mbuf_autotest and mempool_autotest with the sanitized plugin; any
#     sanitizer report fails the check;
#   - build-debug (-Dpagefrag_debug=true): the suite and dpdk-test;
#   - build-docs (-Denable_docs=true): the guides and the API reference
#     build without a warning (skipped without sphinx-build and doxygen);
#   - where users run it (PAGEFRAG_TEST_DEPLOY=0 skips these):
#       - the README's main job (devtools/demo.sh) started by a user who is
#         not root: it runs itself again through sudo (a scratch user with
#         password-less sudo; sudo installed for it and removed again when
#         the machine had none) and ends with "demo: OK";
#       - devtools/package.sh: the Debian package built from the tree,
#         lintian, its files where DPDK autoloads them, testpmd on them;
#       - devtools/ovs.sh: Open vSwitch's DPDK datapath on pagefrag pools
#         (traffic, reconfigurations, every replaced pool freed, a clean
#         exit, no driver line in its log);
#   - the DPDK matrix, with --dpdk-tarballs DIR (or PAGEFRAG_DPDK_TARBALLS;
#     skipped without either, or when DIR holds no dpdk-*.tar.xz): for each
#     DIR/dpdk-<version>.tar.xz, one after another,
#       - DPDK built minimally (devtools/dpdk.sh: shared, the drivers and
#         libraries the tests use, dpdk-test and dpdk-testpmd, ninja -j2)
#         into a private prefix cached in /var/cache/pagefrag-dpdk (or
#         PAGEFRAG_DPDK_CACHE), keyed by the tarball's checksum and the build
#         options: a second run on the machine reuses it;
#       - pagefrag built against it in build-dpdk-<version> with -Werror; its
#         library must carry that DPDK's ABI (soname as librte_eal's); and
#         compiled again (build-dpdk-<version>-stdatomic) with the headers in
#         the mode of a DPDK configured with -Denable_stdatomic=true;
#       - the suite, that version's dpdk-test mbuf_autotest and
#         mempool_autotest with -d, and, after a meson install into that
#         DPDK's prefix (removed again), its dpdk-testpmd io forwarding with
#         the plugin autoloaded from its plugin directory.
#     --only-matrix skips the checks against the installed DPDK.
#
# Environment:
#   PAGEFRAG_TEST_SANITIZERS=0   skip the build-asan checks
#   PAGEFRAG_TEST_DEBUG=0        skip the build-debug checks
#   PAGEFRAG_TEST_DOCS=0         skip the docs build
#   PAGEFRAG_TEST_DEPLOY=0       skip the deployment checks (sudo, package, OVS)
#   PAGEFRAG_TEST_INSTALL=0      skip meson install and the autoload checks
#   PAGEFRAG_KEEP_INSTALL=1      leave the meson install in place
#   PAGEFRAG_NO_HUGE=1           test with --no-huge only
#   PAGEFRAG_FORCE_APT=1         run apt-get even when nothing is missing
#   PAGEFRAG_TESTPMD_SECONDS=N   forwarding time of each testpmd run (3)
#   PAGEFRAG_DPDK_TARBALLS=DIR   as --dpdk-tarballs DIR
#   PAGEFRAG_DPDK_CACHE=DIR      where the DPDK builds are kept

set -uo pipefail
# shellcheck source=devtools/root.sh
. "$(dirname "${BASH_SOURCE[0]}")/root.sh" "$@"
# a write to the fifo of a testpmd that died must not kill this script
trap '' PIPE

usage() {
	sed -n '5,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# the tarball directory: the option, else the environment; relative to the
# caller's working directory
TARBALLS=${PAGEFRAG_DPDK_TARBALLS:-}
ONLY_MATRIX=0
while [ $# -gt 0 ]; do
	case $1 in
	--dpdk-tarballs) TARBALLS=${2:-}; shift 2 || shift ;;
	--dpdk-tarballs=*) TARBALLS=${1#*=}; shift ;;
	--only-matrix) ONLY_MATRIX=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "unknown argument: $1 (--help)" >&2; exit 2 ;;
	esac
done
case $TARBALLS in
'' | /*) ;;
*) TARBALLS=$PWD/$TARBALLS ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
# shellcheck source=devtools/dpdk.sh
. "$ROOT/devtools/dpdk.sh"
# shellcheck source=devtools/checks.sh
. "$ROOT/devtools/checks.sh"
BUILD=build
LOGDIR=$ROOT/$BUILD/test-logs
PLUGIN_REL=drivers/mempool/pagefrag/librte_mempool_pagefrag.so
TESTPMD_SECONDS=${PAGEFRAG_TESTPMD_SECONDS:-3}
# the EAL file prefix of the DPDK processes started here, one per clone:
# runs from two clones on one machine do not share hugepage files
FP=pftest$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
SANITIZER_RE='ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer|SUMMARY: [A-Za-z]*Sanitizer'

T_START=$SECONDS
INSTALLED=      # the build directories this run did a meson install of
KEEP_INSTALL=${PAGEFRAG_KEEP_INSTALL:-0}

mkdir -p "$LOGDIR"
rm -f "$LOGDIR"/*.log "$LOGDIR/summary.txt"

# ---------------------------------------------------------------- reporting

# the last lines (check(), record() and logrun() are devtools/checks.sh's)
summary() {
	echo "total time $((SECONDS - T_START))s" >> "$LOGDIR/summary.txt"
	echo "total time: $((SECONDS - T_START))s, logs in ${LOGDIR#"$ROOT"/}/"
	if [ "$NSKIP" -gt 0 ]; then
		echo "$NPASS passed, $NFAIL failed, $NSKIP skipped"
	else
		echo "$NPASS passed, $NFAIL failed"
	fi
}

# ---------------------------------------------------------------- set-up

t_setup() {
	local rc=0
	# sourced so that PF_HUGE, PF_EAL_MEM_ARGS, PAGEFRAG_TEST_EAL_ARGS stay set
	# shellcheck source=devtools/setup.sh
	. "$ROOT/devtools/setup.sh" 2> >(tee -a "$LOG" >&2) || rc=1
	wait # for tee
	[ $rc -eq 0 ] || REASON="missing packages, see the messages above"
	return $rc
}

# meson_build DIR OPTIONS...: configure (or reconfigure) DIR and build it.
meson_build() {
	local dir=$1
	shift
	if [ -f "$dir/meson-private/coredata.dat" ]; then
		if ! logrun meson setup --reconfigure "$dir" "$@"; then
			logrun meson setup --wipe "$dir" "$@" || { REASON="meson setup failed"; return 1; }
		fi
	else
		logrun meson setup "$dir" "$@" || { REASON="meson setup failed"; return 1; }
	fi
	logrun ninja -C "$dir" || { REASON="compilation failed"; return 1; }
	[ -f "$dir/$PLUGIN_REL" ] || { REASON="no $dir/$PLUGIN_REL"; return 1; }
}

# The README's build, with warnings as errors.
t_build() {
	meson_build "$BUILD" -Dwerror=true
}

# ---------------------------------------------------------------- meson test

# meson_suite DIR LABEL SANITIZE [VAR=VALUE...]: run the fast-tests suite
# of DIR and record one check per test, named "LABEL <test>".
meson_suite() {
	local dir=$1 label=$2 sanitize=$3 logbase name result reason log
	shift 3
	logbase=testlog-$(slug "$label")
	LOG=$LOGDIR/$(slug "$label").log
	: > "$LOG"
	rm -f "$dir/meson-logs/$logbase.json"
	echo "+ $* meson test -C $dir --suite fast-tests --print-errorlogs" >> "$LOG"
	env "$@" meson test -C "$dir" --suite fast-tests --print-errorlogs \
		--logbase "$logbase" >> "$LOG" 2>&1
	if [ ! -s "$dir/meson-logs/$logbase.json" ]; then
		record FAIL "$label" "no test ran" "$LOG"
		return
	fi
	# one line per test: result, name, reason; each test's output to its log
	while IFS=$'\t' read -r result name secs reason; do
		log=$LOGDIR/$(slug "$label $name").log
		record "$result" "$label $name" "$reason" "$log" "$secs"
	done < <(python3 - "$dir/meson-logs/$logbase.json" "$LOGDIR" \
			"$(slug "$label")" "$sanitize" "$SANITIZER_RE" <<'EOF'
import json, re, sys
path, logdir, prefix, sanitize, san_re = sys.argv[1:6]
for line in open(path):
    t = json.loads(line)
    name, res = t["name"], t["result"]
    out = (t.get("stdout") or "") + (t.get("stderr") or "")
    slug = re.sub(r"[^A-Za-z0-9_.]+", "-", prefix + " " + name).strip("-")
    with open("%s/%s.log" % (logdir, slug), "w") as f:
        f.write("+ " + " ".join(t.get("command", [])) + "\n" + out)
    reason = ""
    if sanitize == "1" and re.search(san_re, out):
        verdict, reason = "FAIL", "sanitizer report"
    elif res in ("OK", "EXPECTEDFAIL"):
        if re.search(r"^Test Skipped", out, re.M):
            verdict, reason = "SKIP", "Test Skipped"
        else:
            verdict = "PASS"
    elif res == "SKIP":
        verdict, reason = "SKIP", "exit status 77"
    else:
        verdict = "FAIL"
        reason = res.lower() + (", exit status %s" % t.get("returncode")
                                if t.get("returncode") not in (None, 0) else "")
    print("%s\t%s\t%d\t%s" % (verdict, name, round(t.get("duration", 0)), reason))
EOF
	)
}

# ---------------------------------------------------------------- plugin path

# secure_plugin BUILDDIR: print a path of BUILDDIR's plugin that EAL
# accepts for -d (devtools/dpdk.sh), one private copy per clone and build
# directory when it needs one.
secure_plugin() {
	pf_plugin_for_d "$ROOT/$1/$PLUGIN_REL" \
		"$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)-$(slug "$1")"
}

# ---------------------------------------------------------------- dpdk-test

# t_autotest TEST PLUGIN|"" SANITIZE MEMARGS...: DPDK's dpdk-test TEST
# (mbuf_autotest, mempool_autotest) on the pagefrag ops.
t_autotest() {
	local test=$1 plugin=$2 sanitize=$3 rc
	local -a dargs=() env=()
	shift 3
	[ -n "$plugin" ] && dargs=(-d "$plugin")
	if [ "$sanitize" = 1 ]; then
		# the plugin is sanitized, dpdk-test is not: preload the runtimes
		env=("LD_PRELOAD=$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
			"ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:print_summary=1"
			"UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:print_summary=1")
	fi
	logrun env "${env[@]}" DPDK_TEST="$test" timeout -k 10 300 \
		dpdk-test -l 0-1 --no-pci --file-prefix="${FP}_$test" "$@" \
		"${dargs[@]}" --mbuf-pool-ops-name=pagefrag
	rc=$?
	if [ "$sanitize" = 1 ] && grep -Eq "$SANITIZER_RE" "$LOG"; then
		REASON="sanitizer report"
		return 1
	fi
	if [ $rc -ne 0 ] || ! grep -q '^Test OK' "$LOG"; then
		REASON="exit status $rc, no \"Test OK\""
		return 1
	fi
}

# ---------------------------------------------------------------- testpmd

# tp_start ID LOGFILE ARGS...: start dpdk-testpmd ARGS in the background,
# its commands coming from a fifo; tp_cmd ID CMD sends one; tp_end ID closes
# the fifo and waits (exit status of testpmd).
declare -A TP_PID TP_FD
TP_TMP=

tp_start() {
	local id=$1 log=$2 fd i
	shift 2
	[ -n "$TP_TMP" ] || TP_TMP=$(mktemp -d) || return 1
	rm -f "$TP_TMP/$id"
	mkfifo "$TP_TMP/$id" || return 1
	echo "+ dpdk-testpmd $*" >> "$log"
	timeout -k 10 120 stdbuf -oL -eL dpdk-testpmd "$@" \
		< "$TP_TMP/$id" >> "$log" 2>&1 &
	TP_PID[$id]=$!
	exec {fd}> "$TP_TMP/$id"
	TP_FD[$id]=$fd
	# wait for the prompt (ports configured), or for testpmd to die
	for ((i = 0; i < 600; i++)); do
		grep -q 'testpmd> ' "$log" && return 0
		kill -0 "${TP_PID[$id]}" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

tp_cmd() {
	echo "$2" 1>&"${TP_FD[$1]}" 2>/dev/null
}

# tp_dump_mempool ID: dump the mempools; the command is "dump_mempool" up
# to DPDK 24.11 and "dump mempool" from 25.11 (the other one answers
# "Command not found").
tp_dump_mempool() {
	tp_cmd "$1" "dump_mempool"
	tp_cmd "$1" "dump mempool"
}

tp_end() {
	local id=$1 fd=${TP_FD[$1]}
	exec {fd}>&-
	{ wait "${TP_PID[$id]}"; } 2>/dev/null
}

# The EAL and testpmd arguments of the forwarding runs.
TP_EAL=(--no-pci --vdev net_null0 --vdev net_null1)
TP_APP=(-i --forward-mode=io --total-num-mbufs=16384)

# t_testpmd PLUGIN|"" MEMARGS... [-- TESTPMD-ARGS...]: io forwarding between
# two net_null ports on a pagefrag pool.
t_testpmd() {
	local plugin=$1 rc out
	local -a dargs=() eal=()
	shift
	[ -n "$plugin" ] && dargs=(-d "$plugin")
	while [ $# -gt 0 ] && [ "$1" != -- ]; do eal+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	if ! tp_start main "$LOG" -l 0-1 "${TP_EAL[@]}" --file-prefix="${FP}_testpmd" \
			"${eal[@]}" "${dargs[@]}" --mbuf-pool-ops-name=pagefrag -- \
			"${TP_APP[@]}" "$@"; then
		tp_end main
		REASON="testpmd ended before its prompt, exit status $?"
		return 1
	fi
	tp_cmd main "start tx_first"
	sleep "$TESTPMD_SECONDS"
	tp_cmd main "stop"
	sleep 1
	tp_dump_mempool main
	sleep 1
	tp_cmd main "quit"
	tp_end main
	rc=$?
	if [ $rc -ne 0 ]; then
		REASON="exit status $rc"
		return 1
	fi
	out=$(check_testpmd_log "$LOG")
	rc=$?
	echo "testpmd check: $out" >> "$LOG"
	[ $rc -eq 0 ] || { REASON=$out; return 1; }
}

# t_testpmd_mp PLUGIN|"": a primary testpmd (lcores 0-1) creates the
# pagefrag pool and the ports; a secondary testpmd (lcores 2-3, on the same
# CPUs) forwards on the ports' second queues with mbufs of that pool. Both
# must forward, and after the secondary quits every mbuf is back.
t_testpmd_mp() {
	local plugin=$1 slog rc1 rc2 out
	local -a dargs=() mp=(--rxq=2 --txq=2 --num-procs=2)
	[ -n "$plugin" ] && dargs=(-d "$plugin")
	if [ "${PF_HUGE:-0}" != 1 ]; then
		REASON="secondary processes need hugepages"
		return 77
	fi
	slog=${LOG%.log}-secondary.log
	: > "$slog"
	if ! tp_start prim "$LOG" -l 0-1 --proc-type=primary "${TP_EAL[@]}" \
			--file-prefix="${FP}_mp" "${dargs[@]}" \
			--mbuf-pool-ops-name=pagefrag -- "${TP_APP[@]}" "${mp[@]}" --proc-id=0; then
		tp_end prim
		REASON="primary did not start"
		return 1
	fi
	# the secondary loads the same plugins in the same order (ops indexes)
	tp_start sec "$slog" --lcores=2@0,3@1 --proc-type=secondary --no-pci \
		--file-prefix="${FP}_mp" "${dargs[@]}" \
		--mbuf-pool-ops-name=pagefrag -- -i --forward-mode=io "${mp[@]}" --proc-id=1
	tp_cmd prim "start"
	tp_cmd sec "start"
	sleep "$TESTPMD_SECONDS"
	tp_cmd sec "stop"
	tp_cmd prim "stop"
	sleep 1
	tp_cmd sec "quit"
	tp_end sec
	rc2=$?
	tp_dump_mempool prim
	sleep 1
	tp_cmd prim "quit"
	tp_end prim
	rc1=$?
	{ echo "==== secondary (${slog#"$ROOT"/})"; cat "$slog"; } >> "$LOG"
	if [ $rc1 -ne 0 ] || [ $rc2 -ne 0 ]; then
		REASON="exit status: primary $rc1, secondary $rc2"
		return 1
	fi
	# lcore 3 is the secondary's forwarding lcore: its mempool cache was used
	out=$(check_testpmd_log "$LOG" 1 3) &&
		out="$out; secondary: $(check_testpmd_log "$slog" 0)"
	rc1=$?
	echo "testpmd check: $out" >> "$LOG"
	[ $rc1 -eq 0 ] || { REASON=$out; return 1; }
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

# check_testpmd_log LOG [POOL [LCORE]]: judge a testpmd log; print what is
# wrong and fail, or a summary. POOL=0: the log has no pool dump (secondary
# process); LCORE: that lcore's mempool cache must have been used. The
# driver must log nothing at its default level (no "PAGEFRAG: " line).
check_testpmd_log() {
	awk -v pool="${2:-1}" -v lcore="${3:--1}" '
	# the number after "key=" or "key: " in the current line
	function num(key,   s) {
		if (!match($0, key "[=:]? *[0-9]+"))
			return -1
		s = substr($0, RSTART, RLENGTH)
		sub(/^[^0-9]*/, "", s)
		return s + 0
	}
	/preferred mempool ops selected: pagefrag/ { preferred = 1 }
	/mempool <[^>]*>@/ { inpool = ($0 ~ /mempool <mb_pool_0>@/) }
	inpool && /ops_name: </ {
		match($0, /ops_name: <[^>]*>/)
		ops = substr($0, RSTART + 11, RLENGTH - 12)
	}
	inpool && /(^|[ >])size=[0-9]/ { size = num("(^|[ >])size") }
	inpool && /total_cache_count=/ { cached = num("total_cache_count") }
	inpool && /common_pool_count=/ { common = num("common_pool_count") }
	inpool && lcore >= 0 && index($0, "cache_count[" lcore "]=") { lcache = num("\\]") }
	/Forward statistics for port [0-9]+/ { port = num("port"); inport = 1 }
	/Accumulated forward statistics/ { inport = 0 }
	inport && /RX-packets: / { rx[port] = num("RX-packets") }
	inport && /TX-packets: / { tx[port] = num("TX-packets") }
	# the driver at its default level (NOTICE): silent in normal operation
	/PAGEFRAG: / { if (!drv++) drvline = $0 }
	END {
		err = ""
		if (drv)
			err = err sprintf("; the driver logged %d line(s) at NOTICE or above, first: %s", drv, drvline)
		for (p = 0; p < 2; p++)
			if (!(rx[p] > 0 && tx[p] > 0))
				err = err sprintf("; port %d forwarded RX %d TX %d packets", p, rx[p], tx[p])
		if (pool) {
			if (!preferred)
				err = err "; pagefrag not the preferred mempool ops"
			if (ops != "pagefrag")
				err = err "; mb_pool_0 ops_name is <" ops ">"
			if (cached == "" && common != "")
				cached = 0	# no mempool cache (cache_size=0)
			if (common == "" || size <= 0)
				err = err "; no pool counts in the mempool dump"
			else if (cached + common != size)
				err = err sprintf("; mbufs lost: %d in caches + %d in pool != size %d", cached, common, size)
			if (lcore >= 0 && !(lcache > 0))
				err = err sprintf("; lcore %d did not use the pool", lcore)
		}
		if (err != "") {
			print substr(err, 3)
			exit 1
		}
		printf "forwarded %d/%d packets", rx[0] + rx[1], tx[0] + tx[1]
		if (pool)
			printf ", pool ops %s, all %d mbufs back", ops, size
		if (lcore >= 0)
			printf ", %d in lcore %d cache", lcache, lcore
		printf "\n"
	}' "$1"
}

# ---------------------------------------------------------------- install

# t_install [DIR]: meson install of DIR (default the main build, into the
# system: root only); the plugin must land in DPDK's plugin directory.
t_install() {
	local dir=${1:-$BUILD} d
	if [ "$dir" = "$BUILD" ] && [ "$(id -u)" -ne 0 ]; then
		REASON="not root"
		return 77
	fi
	INSTALLED="$INSTALLED $dir"
	logrun meson install -C "$dir" || { REASON="meson install failed"; return 1; }
	d=$(pf_pmd_dir)
	echo "plugin directory: $d" >> "$LOG"
	if ! compgen -G "$d/librte_mempool_pagefrag.so*" >/dev/null; then
		REASON="plugin not installed in DPDK's plugin directory $d"
		return 1
	fi
}

# uninstall DIR: remove what the meson install of DIR put in place;
# forget_install DIR: leave it.
uninstall() {
	local dir=$1 f n=0 log=$ROOT/$1/meson-logs/install-log.txt
	case " $INSTALLED " in *" $dir "*) ;; *) return 0 ;; esac
	forget_install "$dir"
	[ -f "$log" ] || return 0
	# files first, then the directories meson created (removed when empty)
	while read -r f; do
		case $f in '#'* | '') continue ;; esac
		if [ -d "$f" ] && [ ! -L "$f" ]; then
			rmdir "$f" 2>/dev/null || true
		elif rm -f "$f"; then
			n=$((n + 1))
		fi
	done < "$log"
	if [ "$dir" = "$BUILD" ]; then
		echo "removed the $n files meson install put in place (PAGEFRAG_KEEP_INSTALL=1 keeps them)" >&2
	fi
}

forget_install() {
	local d rest=
	for d in $INSTALLED; do
		[ "$d" = "$1" ] || rest="$rest $d"
	done
	INSTALLED=$rest
}

# Remove the hugepage files and runtime directories of the EAL file
# prefixes used here ($FP*): a DPDK process may leave them at exit.
cleanup_runtime() {
	local mnt fs rest
	[ "$(id -u)" -eq 0 ] || return 0
	while read -r _ mnt fs rest; do
		[ "$fs" = hugetlbfs ] && rm -f "$mnt/$FP"_*
	done < /proc/mounts
	rm -rf "/var/run/dpdk/$FP"_*
}

cleanup() {
	local d
	for d in $INSTALLED; do uninstall "$d"; done
	[ -z "$TP_TMP" ] || rm -rf "$TP_TMP"
}

trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- sanitizers

ASAN_ENV=(ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=0:print_summary=1
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:print_summary=1)

t_build_asan() {
	meson_build build-asan -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debugoptimized
}

t_build_debug() {
	meson_build build-debug -Dpagefrag_debug=true -Dbuildtype=debug
}

# The guides (Sphinx) and the API reference (Doxygen) build without a
# warning (both treat warnings as errors), when the tools are installed.
t_build_docs() {
	if ! command -v sphinx-build >/dev/null || ! command -v doxygen >/dev/null; then
		REASON="sphinx-build or doxygen not installed (python3-sphinx, doxygen)"
		return 77
	fi
	meson_build build-docs -Denable_docs=true -Dexamples=false || return 1
	if [ ! -f build-docs/doc/guides/index.html ] ||
			[ ! -f build-docs/doc/api/html/index.html ]; then
		REASON="no HTML produced"
		return 1
	fi
}

# ---------------------------------------------------------------- DPDK matrix

# t_dpdk_build TARBALL: build DPDK from TARBALL into a cached private prefix
# (devtools/dpdk.sh), or reuse the cached one; sets DPDK_PREFIX.
t_dpdk_build() {
	local t0=$SECONDS
	if ! DPDK_PREFIX=$(pf_dpdk_prefix "$1" "$LOG"); then
		REASON="DPDK build failed: $(tail -n 1 "$LOG")"
		return 1
	fi
	if grep -q '^building ' "$LOG"; then
		echo "    built in $((SECONDS - t0))s, cached in $DPDK_PREFIX"
	else
		echo "    cached build $DPDK_PREFIX"
	fi
}

# soname_suffix LIB: the part of LIB's soname after ".so.".
soname_suffix() {
	readelf -d "$1" 2>/dev/null | sed -n 's/.*Library soname: \[.*\.so\.\(.*\)\]/\1/p'
}

# t_build_against DIR: pagefrag built in DIR against the DPDK of
# pf_dpdk_use, warnings as errors, to be installed into that DPDK's prefix;
# its library carries that DPDK's ABI (the version of librte_eal.so's file,
# the major part in the soname).
t_build_against() {
	local dir=$1 abi want got
	meson_build "$dir" -Dwerror=true --prefix="$DPDK_PREFIX" \
		-Dlibdir="${PF_DPDK_LIBDIR#"$DPDK_PREFIX"/}" \
		-Dpkg_config_path="$PKG_CONFIG_PATH" || return 1
	abi=$(readlink -f "$PF_DPDK_LIBDIR/librte_eal.so")
	abi=${abi##*.so.}
	want=$(soname_suffix "$PF_DPDK_LIBDIR/librte_eal.so")
	got=$(soname_suffix "$dir/$PLUGIN_REL")
	echo "DPDK ABI $abi, librte_eal soname .so.$want, pagefrag soname .so.$got" >> "$LOG"
	if [ -z "$want" ] || [ "$got" != "$want" ] || [ ! -f "$dir/$PLUGIN_REL.$abi" ]; then
		REASON="pagefrag soname .so.$got, DPDK's .so.$want (ABI $abi)"
		return 1
	fi
	echo "    ABI $abi, soname librte_mempool_pagefrag.so.$got, plugin directory $(pf_pmd_dir)"
}

# t_build_stdatomic DIR: pagefrag compiled in DIR, warnings as errors, with
# that DPDK's headers in their stdatomic mode, as a DPDK configured with
# -Denable_stdatomic=true has them (RTE_ENABLE_STDATOMIC defined after
# rte_config.h, which #undefs it otherwise): RTE_ATOMIC() fields are C11
# _Atomic and rte_atomic_*() map to <stdatomic.h>. DPDK 23.11 and later.
t_build_stdatomic() {
	local dir=$1 inc
	inc=$(pkg-config --variable=includedir libdpdk)
	if [ ! -f "$inc/rte_stdatomic.h" ]; then
		REASON="no rte_stdatomic.h in this DPDK"
		return 77
	fi
	printf '#include <rte_config.h>\n#define RTE_ENABLE_STDATOMIC 1\n' > "$LOGDIR/stdatomic-config.h"
	meson_build "$dir" -Dwerror=true -Dpkg_config_path="$PKG_CONFIG_PATH" \
		"-Dc_args=-I$inc -include $LOGDIR/stdatomic-config.h"
}

# matrix_version TARBALL: DPDK from TARBALL, pagefrag built against it, and
# that version's checks: the suite, dpdk-test with -d, and testpmd with the
# plugin autoloaded from a private install into that DPDK's prefix.
matrix_version() {
	local tarball=$1 ver dir label t0=$SECONDS plugin
	local save_pc=${PKG_CONFIG_PATH-} save_ld=${LD_LIBRARY_PATH-} save_path=$PATH
	ver=$(basename "$tarball" .tar.xz)
	ver=${ver#dpdk-}
	dir=build-dpdk-$ver
	label="DPDK $ver"
	check "$label: DPDK build" t_dpdk_build "$tarball" || return
	if ! pf_dpdk_use "$DPDK_PREFIX"; then
		record FAIL "$label: DPDK install" "no libdpdk.pc in $DPDK_PREFIX" ""
		return
	fi
	if check "$label: pagefrag build -Werror" t_build_against "$dir"; then
		meson_suite "$dir" "$label meson-test" 0
		if plugin=$(secure_plugin "$dir"); then
			check "$label: dpdk-test mbuf_autotest -d" t_autotest mbuf_autotest "$plugin" 0 "${MEM_ARGS[@]}"
			check "$label: dpdk-test mempool_autotest -d" t_autotest mempool_autotest "$plugin" 0 "${MEM_ARGS[@]}"
		else
			record FAIL "$label: plugin path" "no usable path for -d" ""
		fi
		if check "$label: install into its prefix" t_install "$dir"; then
			check "$label: testpmd io-fwd autoload" t_testpmd "" "${MEM_ARGS[@]}"
		fi
		uninstall "$dir"
	fi
	check "$label: pagefrag build -Werror, stdatomic headers" t_build_stdatomic "$dir-stdatomic"
	export PKG_CONFIG_PATH=$save_pc LD_LIBRARY_PATH=$save_ld PATH=$save_path
	[ -n "$save_pc" ] || unset PKG_CONFIG_PATH
	[ -n "$save_ld" ] || unset LD_LIBRARY_PATH
	echo "$label: $((SECONDS - t0))s" | tee -a "$LOGDIR/summary.txt"
}

# matrix DIR: matrix_version for each dpdk-*.tar.xz in DIR, one after
# another (each DPDK build uses the 2 jobs of ninja -j2).
matrix() {
	local t
	if [ -z "$TARBALLS" ]; then
		record SKIP "DPDK matrix" "no --dpdk-tarballs DIR or PAGEFRAG_DPDK_TARBALLS" ""
		return
	fi
	if [ ! -d "$TARBALLS" ]; then
		record SKIP "DPDK matrix" "no directory $TARBALLS" ""
		return
	fi
	if ! compgen -G "$TARBALLS/dpdk-*.tar.xz" >/dev/null; then
		record SKIP "DPDK matrix" "no dpdk-*.tar.xz in $TARBALLS" ""
		return
	fi
	for t in "$TARBALLS"/dpdk-*.tar.xz; do
		matrix_version "$t"
	done
}

# ---------------------------------------------------------------- deployment

# t_readme_sudo: the README's main job (devtools/demo.sh, 3 s of traffic)
# started by a user who is not root, as the README says: it must run
# itself again through sudo and end with "demo: OK". A scratch user with
# password-less sudo is made for it (and sudo installed when the machine
# has none, as a fresh Debian machine does), and removed again.
t_readme_sudo() {
	local user=pftest$$ had_sudo=1 rc
	if [ "$(id -u)" -ne 0 ]; then
		REASON="needs root to create a scratch user"
		return 77
	fi
	if ! command -v sudo >/dev/null 2>&1; then
		had_sudo=0
		logrun env DEBIAN_FRONTEND=noninteractive apt-get install -y -q sudo ||
			{ REASON="cannot install sudo"; return 1; }
	fi
	logrun useradd -M -d /nonexistent -s /bin/bash "$user" ||
		{ REASON="useradd failed"; t_readme_sudo_undo "$user" "$had_sudo"; return 1; }
	echo "$user ALL=(ALL) NOPASSWD: ALL" > "/etc/sudoers.d/$user"
	chmod 0440 "/etc/sudoers.d/$user"
	# the user's own shell, in the repository, with no root environment
	logrun runuser -u "$user" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/tmp PAGEFRAG_DEMO_SECONDS=3 PAGEFRAG_BUILD="$BUILD" \
		bash -c "cd '$ROOT' && id -un && bash devtools/demo.sh"
	rc=$?
	t_readme_sudo_undo "$user" "$had_sudo"
	if ! grep -q '^not root: running again as root through sudo' "$LOG"; then
		REASON="demo.sh did not run itself again through sudo"
		return 1
	fi
	if [ $rc -ne 0 ] || ! grep -q '^demo: OK' "$LOG"; then
		REASON="exit status $rc, no \"demo: OK\""
		return 1
	fi
}

# t_script SCRIPT ARGS...: a check that is a script of its own (exit 0
# pass, 77 skip, else fail), its output in $LOG; the reason of a skip or a
# failure is the last line it printed (its verdict).
t_script() {
	local rc
	logrun timeout -k 10 900 bash "$ROOT/devtools/$1" "${@:2}"
	rc=$?
	if [ $rc -ne 0 ]; then
		REASON=$(grep -v '^[[:space:]]*$' "$LOG" | tail -n 1 | cut -c1-200)
		[ $rc -eq 77 ] || REASON="exit status $rc: $REASON"
	fi
	return $rc
}

t_readme_sudo_undo() {
	rm -f "/etc/sudoers.d/$1"
	userdel "$1" >> "$LOG" 2>&1
	if [ "$2" = 0 ]; then
		# sudo refuses to be removed while root has no password
		logrun env SUDO_FORCE_REMOVE=yes DEBIAN_FRONTEND=noninteractive \
			apt-get purge -y -q sudo
	fi
}

# ================================================================ main

check "setup" t_setup
NOHUGE_ARGS=(--no-huge -m "${PAGEFRAG_NO_HUGE_MEM_MB:-2048}")
read -r -a MEM_ARGS <<< "${PF_EAL_MEM_ARGS:-}"
if [ "${PF_HUGE:-0}" = 1 ]; then MODE="hugepages"; else MODE="--no-huge"; fi
echo "memory: $MODE"

# The checks against the DPDK that pkg-config finds (Debian's packages).
installed_dpdk_checks() {
	local D P PLUGIN
	if ! check "build" t_build; then
		return 1
	fi

	# --- the suite, in the set-up's mode, and with --no-huge as well
	meson_suite "$BUILD" "meson-test" 0
	if [ "${PF_HUGE:-0}" = 1 ]; then
		meson_suite "$BUILD" "meson-test --no-huge" 0 \
			"PAGEFRAG_TEST_EAL_ARGS=${NOHUGE_ARGS[*]}"
	fi

	# --- DPDK's own applications, plugin given with -d
	if D=$(pf_plugin_installed); then
		echo "note: pagefrag is installed in $D: the -d runs load it twice" >&2
		KEEP_INSTALL=1
	fi
	PLUGIN=$(secure_plugin "$BUILD") || PLUGIN=
	if [ -z "$PLUGIN" ]; then
		REASON=
		record FAIL "plugin path" "no usable path for -d" ""
	else
		check "dpdk-test mbuf_autotest -d" t_autotest mbuf_autotest "$PLUGIN" 0 "${MEM_ARGS[@]}"
		check "dpdk-test mempool_autotest -d" t_autotest mempool_autotest "$PLUGIN" 0 "${MEM_ARGS[@]}"
		check "testpmd io-fwd -d" t_testpmd "$PLUGIN" "${MEM_ARGS[@]}"
		check "testpmd io-fwd -d, no mempool cache" t_testpmd "$PLUGIN" "${MEM_ARGS[@]}" -- --mbcache=0
		check "testpmd io-fwd -d, primary + secondary process" t_testpmd_mp "$PLUGIN"
		if [ "${PF_HUGE:-0}" = 1 ]; then
			check "dpdk-test mbuf_autotest -d --no-huge" t_autotest mbuf_autotest "$PLUGIN" 0 "${NOHUGE_ARGS[@]}"
			check "testpmd io-fwd -d --no-huge" t_testpmd "$PLUGIN" "${NOHUGE_ARGS[@]}"
		fi
		# --- every memory model: testpmd --mp-alloc, hugepages and --no-huge
		mp_alloc_checks "-d" "$PLUGIN" "${MEM_ARGS[@]}"
		if [ "${PF_HUGE:-0}" = 1 ]; then
			check "dpdk-test mempool_autotest -d --no-huge" t_autotest mempool_autotest "$PLUGIN" 0 "${NOHUGE_ARGS[@]}"
			mp_alloc_checks "-d --no-huge" "$PLUGIN" "${NOHUGE_ARGS[@]}"
		fi
	fi

	# --- installed: autoloaded from DPDK's plugin directory
	if [ "${PAGEFRAG_TEST_INSTALL:-1}" = 0 ]; then
		record SKIP "meson install" "PAGEFRAG_TEST_INSTALL=0" ""
	elif check "meson install" t_install; then
		check "dpdk-test mbuf_autotest autoload" t_autotest mbuf_autotest "" 0 "${MEM_ARGS[@]}"
		check "testpmd io-fwd autoload" t_testpmd "" "${MEM_ARGS[@]}"
	fi
	if [ "$KEEP_INSTALL" = 1 ]; then
		forget_install "$BUILD"
	else
		uninstall "$BUILD"
	fi

	# --- sanitizers
	if [ "${PAGEFRAG_TEST_SANITIZERS:-1}" = 0 ]; then
		record SKIP "asan build" "PAGEFRAG_TEST_SANITIZERS=0" ""
	elif check "asan build" t_build_asan; then
		meson_suite build-asan "asan meson-test" 1 "${ASAN_ENV[@]}"
		if P=$(secure_plugin build-asan); then
			check "asan dpdk-test mbuf_autotest -d" t_autotest mbuf_autotest "$P" 1 "${MEM_ARGS[@]}"
			check "asan dpdk-test mempool_autotest -d" t_autotest mempool_autotest "$P" 1 "${MEM_ARGS[@]}"
		fi
	fi

	# --- debug build: per-object state checks
	if [ "${PAGEFRAG_TEST_DEBUG:-1}" = 0 ]; then
		record SKIP "debug build" "PAGEFRAG_TEST_DEBUG=0" ""
	elif check "debug build" t_build_debug; then
		meson_suite build-debug "debug meson-test" 0
		if P=$(secure_plugin build-debug); then
			check "debug dpdk-test mbuf_autotest -d" t_autotest mbuf_autotest "$P" 0 "${MEM_ARGS[@]}"
			check "debug testpmd io-fwd -d" t_testpmd "$P" "${MEM_ARGS[@]}"
		fi
	fi

	# --- documentation
	if [ "${PAGEFRAG_TEST_DOCS:-1}" = 0 ]; then
		record SKIP "docs build" "PAGEFRAG_TEST_DOCS=0" ""
	else
		check "docs build (Sphinx, Doxygen)" t_build_docs
	fi

	# --- where users run it
	if [ "${PAGEFRAG_TEST_DEPLOY:-1}" = 0 ]; then
		record SKIP "deployment checks" "PAGEFRAG_TEST_DEPLOY=0" ""
	else
		check "README main job as a non-root user, through sudo" t_readme_sudo
		check "Debian package: build, lintian, layout, testpmd" t_script package.sh
		if P=$(secure_plugin "$BUILD"); then
			export OVS_LOG_OUT=$LOGDIR/ovs-vswitchd.log
			check "Open vSwitch on pagefrag pools" t_script ovs.sh "$P"
		fi
	fi
}

if [ "$ONLY_MATRIX" = 1 ]; then
	record SKIP "checks against the installed DPDK" "--only-matrix" ""
elif ! installed_dpdk_checks; then
	summary
	exit 1
fi

# --- each DPDK of the tarball directory
matrix

cleanup_runtime
summary
[ "$NFAIL" -eq 0 ]
