#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# Prepare a Debian 12 machine to build and test pagefrag. Idempotent: a
# second run only checks. Run it as root (`bash devtools/setup.sh`) or source it
# from another script (`. devtools/setup.sh`); either way it
#
#   1. installs the Debian packages the build and the tests need (apt-get is
#      skipped when they are all installed; PAGEFRAG_FORCE_APT=1 forces it);
#   2. reserves 2 MB hugepages (PAGEFRAG_HUGEPAGES, default 1024 = 2 GiB) and
#      mounts hugetlbfs on /dev/hugepages unless a 2 MB hugetlbfs is mounted;
#   3. exports what the test scripts need to know about memory:
#        PF_HUGE=1|0             hugepages usable, or the --no-huge fallback
#        PF_EAL_MEM_ARGS         EAL memory options for dpdk-test, dpdk-testpmd
#                                and examples ("" or "--no-huge -m 2048")
#        PAGEFRAG_TEST_EAL_ARGS  the same, read by dpdk-test-pagefrag
#
# PAGEFRAG_NO_HUGE=1 skips step 2 and selects the --no-huge fallback.
# Sourced with PF_SETUP_FUNCTIONS_ONLY=1, it only defines its functions.
# A sourcing script can call pf_setup again, or pf_eal_mem_args to print
# the memory options.

# Packages: the build (compiler, meson, ninja, pkg-config, DPDK headers,
# libnuma, pyelftools for DPDK's build tools) and the tests (dpdk-test and
# dpdk-testpmd come with dpdk-dev).
PF_APT_PACKAGES="gcc libc6-dev dpdk dpdk-dev libdpdk-dev meson ninja-build pkg-config libnuma-dev python3-pyelftools python3-sphinx doxygen"

PF_HUGEPAGE_DIR=/sys/kernel/mm/hugepages/hugepages-2048kB
PF_HUGE_MOUNT=/dev/hugepages
PF_NO_HUGE_MEM_MB=${PAGEFRAG_NO_HUGE_MEM_MB:-2048}

pf_log() {
	echo "setup: $*" >&2
}

pf_is_root() {
	[ "$(id -u)" -eq 0 ]
}

# Prints the packages of PF_APT_PACKAGES that are not installed.
pf_missing_packages() {
	local p st
	for p in $PF_APT_PACKAGES; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || st=
		[ "$st" = installed ] || printf '%s ' "$p"
	done
}

pf_install_packages() {
	local missing
	if ! command -v dpkg-query >/dev/null 2>&1; then
		pf_log "not a Debian system (no dpkg-query): install by hand: $PF_APT_PACKAGES"
		return 0
	fi
	missing=$(pf_missing_packages)
	if [ -z "$missing" ] && [ "${PAGEFRAG_FORCE_APT:-0}" != 1 ]; then
		pf_log "packages: all installed"
		return 0
	fi
	if ! pf_is_root; then
		pf_log "packages missing: ${missing:-none} -- run as root (sudo) to install them"
		[ -z "$missing" ]
		return
	fi
	pf_log "packages: apt-get install ${missing:-(forced) $PF_APT_PACKAGES}"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086 # word splitting of the package list is wanted
	if ! apt-get update -q >&2 ||
			! apt-get install -y -q $PF_APT_PACKAGES >&2; then
		pf_log "apt-get failed"
		return 1
	fi
}

# True when a hugetlbfs of 2 MB pages is mounted and writable by us.
pf_hugetlbfs_mounted() {
	local mnt fs opts rest
	while read -r _ mnt fs opts rest; do
		[ "$fs" = hugetlbfs ] || continue
		case ",$opts," in
		*,pagesize=1G,* | *,pagesize=1024M,*) continue ;;
		esac
		if [ -w "$mnt" ]; then
			return 0
		fi
	done < /proc/mounts
	return 1
}

pf_free_hugepages() {
	cat "$PF_HUGEPAGE_DIR/free_hugepages" 2>/dev/null || echo 0
}

# Reserve and mount 2 MB hugepages. Returns non-zero (with a reason on
# stderr) when they cannot be used.
pf_setup_hugepages() {
	local want nr free min
	want=${PAGEFRAG_HUGEPAGES:-1024}
	# enough for the tests; a machine may have fewer than asked for
	min=${PAGEFRAG_MIN_HUGEPAGES:-256}
	if [ ! -d "$PF_HUGEPAGE_DIR" ]; then
		pf_log "kernel has no 2 MB hugepages ($PF_HUGEPAGE_DIR missing)"
		return 1
	fi
	nr=$(cat "$PF_HUGEPAGE_DIR/nr_hugepages" 2>/dev/null || echo 0)
	free=$(pf_free_hugepages)
	if [ "$free" -lt "$want" ]; then
		# grow the pool so that $want pages are free (used ones stay used)
		if ! { echo $((nr + want - free)) > "$PF_HUGEPAGE_DIR/nr_hugepages"; } 2>/dev/null; then
			pf_log "cannot write $PF_HUGEPAGE_DIR/nr_hugepages (not root, or read-only /sys)"
		fi
		free=$(pf_free_hugepages)
	fi
	if [ "$free" -lt "$min" ]; then
		pf_log "only $free free 2 MB hugepages (need $min)"
		return 1
	fi
	if ! pf_hugetlbfs_mounted; then
		if mkdir -p "$PF_HUGE_MOUNT" 2>/dev/null &&
				mount -t hugetlbfs -o pagesize=2M nodev "$PF_HUGE_MOUNT" 2>/dev/null; then
			pf_log "mounted hugetlbfs on $PF_HUGE_MOUNT"
		else
			pf_log "cannot mount hugetlbfs on $PF_HUGE_MOUNT (not root, or a container without hugetlbfs)"
			return 1
		fi
	fi
	pf_log "hugepages: $free free 2 MB pages, hugetlbfs mounted"
	return 0
}

# Prints the EAL memory options for the current mode.
pf_eal_mem_args() {
	if [ "${PF_HUGE:-0}" = 1 ]; then
		echo ""
	else
		echo "--no-huge -m $PF_NO_HUGE_MEM_MB"
	fi
}

pf_setup() {
	local rc=0
	pf_install_packages || rc=1
	if [ "${PAGEFRAG_NO_HUGE:-0}" != 1 ] && pf_setup_hugepages; then
		PF_HUGE=1
	else
		PF_HUGE=0
		echo "no hugepages: falling back to --no-huge" >&2
	fi
	PF_EAL_MEM_ARGS=$(pf_eal_mem_args)
	PAGEFRAG_TEST_EAL_ARGS=$PF_EAL_MEM_ARGS
	export PF_HUGE PF_EAL_MEM_ARGS PAGEFRAG_TEST_EAL_ARGS
	return $rc
}

# Stop process PID: SIGTERM, then SIGKILL after 5 s. Used by demo.sh and
# ovs.sh.
pf_stop_pid() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
}

# Print the first component of PATH's real path (itself or a parent
# directory) that is world-writable, if any: EAL refuses -d for a plugin
# below one. Used by test.sh and perf-compare.sh.
pf_world_writable_component() {
	local p
	p=$(readlink -f "$1") || return 1
	while :; do
		if [ -n "$(find "$p" -maxdepth 0 -perm -0002 2>/dev/null)" ]; then
			echo "$p"
			return 0
		fi
		[ "$p" = / ] && return 1
		p=$(dirname "$p")
	done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	# run as a script: do the set-up and show the result
	set -uo pipefail
	pf_setup
	rc=$?
	echo "PF_HUGE=$PF_HUGE"
	echo "PF_EAL_MEM_ARGS=\"$PF_EAL_MEM_ARGS\""
	echo "PAGEFRAG_TEST_EAL_ARGS=\"$PAGEFRAG_TEST_EAL_ARGS\""
	exit $rc
elif [ "${PF_SETUP_FUNCTIONS_ONLY:-0}" != 1 ]; then
	# sourced: set up, and let the caller decide what a failure means
	pf_setup
fi
