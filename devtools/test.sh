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
# non-zero when a check failed. Logs: build/test-logs/*.log (and a .json
# result beside the log of each DPDK application run); a failing check
# prints the tail of its log.
#
# Checks, in order (doc/guides/testing.rst has the list): the meson suite
# "fast-tests" (one check per test; again with --no-huge on hugepages);
# DPDK's dpdk-test and dpdk-testpmd with -d (devtools/dpdk-checks.sh, run
# and judged by devtools/pf_dpdk_apps.py); meson install and the same
# autoloaded; build-asan and build-debug; the docs; the README's main job
# through sudo, devtools/package.sh and devtools/ovs.sh
# (devtools/deploy-checks.sh); with --dpdk-tarballs DIR (or
# PAGEFRAG_DPDK_TARBALLS; else skipped) the DPDK matrix: for each
# DIR/dpdk-<version>.tar.xz, DPDK built into a cached prefix
# (devtools/dpdk.sh), pagefrag built against it with -Werror (its ABI in
# the soname) and with its stdatomic headers, the suite, dpdk-test with -d
# and, installed into that prefix, testpmd autoloading the plugin.
# --only-matrix skips the checks against the installed DPDK.
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
# shellcheck source=devtools/dpdk-checks.sh
. "$ROOT/devtools/dpdk-checks.sh"
# shellcheck source=devtools/deploy-checks.sh
. "$ROOT/devtools/deploy-checks.sh"
BUILD=build
LOGDIR=$ROOT/$BUILD/test-logs
PLUGIN_REL=drivers/mempool/pagefrag/librte_mempool_pagefrag.so
TESTPMD_SECONDS=${PAGEFRAG_TESTPMD_SECONDS:-3}
# the EAL file prefix of the DPDK processes started here, one per clone:
# runs from two clones on one machine do not share hugepage files
FP=pftest$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)

T_START=$SECONDS
INSTALLED=      # the build directories this run did a meson install of
KEEP_INSTALL=${PAGEFRAG_KEEP_INSTALL:-0}

mkdir -p "$LOGDIR"
rm -f "$LOGDIR"/*.log "$LOGDIR"/*.json "$LOGDIR/summary.txt"

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
	local dir=$1 label=$2 logbase name result reason log
	local -a opt=()
	[ "$3" = 1 ] && opt=(--sanitize)
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
	done < <(python3 "$ROOT/devtools/pf_dpdk_apps.py" meson-results \
		"$dir/meson-logs/$logbase.json" "$LOGDIR" "$(slug "$label")" "${opt[@]}")
}

cleanup() {
	local d
	for d in $INSTALLED; do uninstall "$d"; done
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
		dpdk_apps_checks "$PLUGIN"
	fi

	# --- installed: autoloaded from DPDK's plugin directory
	install_checks

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
	deploy_checks
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
