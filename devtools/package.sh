#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# Builds the Debian packages of the tree (debian/) and tests them without
# installing them:
#
#     bash devtools/package.sh
#
# as root (another user: through sudo, see devtools/root.sh). It
#
#   1. installs what the build needs with apt-get when it is missing
#      (printing what it installs);
#   2. copies the tree (the files git knows, with uncommitted changes and
#      new files not ignored; every file but build*/ outside git) to a
#      scratch directory and runs "dpkg-buildpackage -us -uc -b" there,
#      against the DPDK pkg-config finds (installed from Debian packages:
#      the package's dependencies come from them); the driver package is
#      named after that DPDK's ABI (librte-mempool-pagefrag23 for 22.11):
#      when debian/control names another ABI, the copy is renamed first;
#   3. runs lintian on the .changes: an error or warning that is not
#      overridden fails;
#   4. unpacks each package with dpkg-deb -x (none is installed) and checks
#      its files: the library and its link in DPDK's plugin directory, which
#      must be RTE_EAL_PMD_PATH of the DPDK built against (so that EAL
#      autoloads the installed package), Depends on that DPDK's ABI; the
#      headers, pkg-config file, link and static library (a program using
#      the API compiles and links with pkg-config); the tools;
#   5. runs dpdk-testpmd (io forwarding between two net_null ports,
#      --mbuf-pool-ops-name=pagefrag) with -d on the package's plugin
#      directory, and dpdk-l2fwd-frag of the tools package, both on the
#      unpacked files: packets forwarded, the pool's ops "pagefrag" (every
#      mbuf back in it after "stop", no driver line), the library mapped
#      from the package's files; l2fwd-frag's leak check passed.
#
# One line per check, "PASS name", "FAIL name (reason)" (then the last
# lines of its log) or "SKIP name (reason)", then the total time and last
# one of
#
#     PKG-OK (N checks passed)          exit 0
#     PKG-FAIL (N failed: names)        exit 1
#     PKG-SKIP (reason)                 exit 77: cannot run here (not a
#                                       Debian system, packages missing and
#                                       not root, no dpdk-testpmd...)
#
# Environment:
#   PAGEFRAG_KEEP_PACKAGE=DIR     copy the .deb files, the .changes, the
#                                 .buildinfo and the logs to DIR
#   PAGEFRAG_PACKAGE_TMPDIR=DIR   where the scratch directory is made
#                                 (default build-package/ in the tree; no
#                                 directory above it may be world-writable,
#                                 or EAL refuses -d); the scratch
#                                 directory is removed at exit
#   PAGEFRAG_PACKAGE_JOBS=N       dpkg-buildpackage -jN (2)
#   PAGEFRAG_TESTPMD_SECONDS=N    forwarding time of the testpmd run (3)
#   PAGEFRAG_NO_HUGE=1            run testpmd and l2fwd-frag with --no-huge
#                                 (the default when no 2 MB hugetlbfs with
#                                 128 free pages is mounted)
#   PAGEFRAG_FORCE_APT=1          run apt-get even when nothing is missing

# shellcheck disable=SC2317 # the t_* functions run through check()
set -uo pipefail
# shellcheck source=devtools/root.sh
. "$(dirname "${BASH_SOURCE[0]}")/root.sh" "$@"

usage() {
	sed -n '5,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	*) echo "unknown argument: $1 (--help)" >&2; exit 1 ;;
	esac
done

# directories given relative to the caller's working directory
KEEP=${PAGEFRAG_KEEP_PACKAGE:-}
TMPBASE=${PAGEFRAG_PACKAGE_TMPDIR:-}
case $KEEP in '' | /*) ;; *) KEEP=$PWD/$KEEP ;; esac
case $TMPBASE in '' | /*) ;; *) TMPBASE=$PWD/$TMPBASE ;; esac

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
# shellcheck source=devtools/dpdk.sh
. "$ROOT/devtools/dpdk.sh"
# shellcheck source=devtools/checks.sh
. "$ROOT/devtools/checks.sh"
# shellcheck source=devtools/dpdk-checks.sh
. "$ROOT/devtools/dpdk-checks.sh"
# the set-up's helpers, without its set-up
# shellcheck source=devtools/setup.sh
PF_SETUP_FUNCTIONS_ONLY=1 . "$ROOT/devtools/setup.sh"

# What the build (debian/control's Build-Depends), lintian and the checks
# need; dpdk-dev has dpdk-testpmd.
PKG_APT_PACKAGES="dpkg-dev debhelper lintian gcc libc6-dev meson ninja-build pkg-config libdpdk-dev libnuma-dev dpdk dpdk-dev binutils"
JOBS=${PAGEFRAG_PACKAGE_JOBS:-2}
TESTPMD_SECONDS=${PAGEFRAG_TESTPMD_SECONDS:-3}
LIB=librte_mempool_pagefrag
FP=pfpkg$$

T_START=$SECONDS
SCRATCH=
BASE_MADE=

# ---------------------------------------------------------------- reporting

# finish RESULT REASON: the last lines, and the exit code.
finish() {
	keep
	echo "total time: $((SECONDS - T_START))s"
	case $1 in
	OK) echo "PKG-OK ($NPASS checks passed)"; exit 0 ;;
	SKIP) echo "PKG-SKIP ($2)"; exit 77 ;;
	*) echo "PKG-FAIL ($2)"; exit 1 ;;
	esac
}

# With PAGEFRAG_KEEP_PACKAGE=DIR: copy the packages and logs there.
keep() {
	[ -n "$KEEP" ] && [ -n "$SCRATCH" ] && [ -d "$SCRATCH" ] || return 0
	mkdir -p "$KEEP/logs" || return 0
	cp -p "$SCRATCH"/out/*.deb "$SCRATCH"/out/*.changes \
		"$SCRATCH"/out/*.buildinfo "$KEEP"/ 2>/dev/null
	cp -p "$SCRATCH"/logs/*.log "$KEEP/logs/" 2>/dev/null
	echo "packages and logs kept in $KEEP"
}

cleanup() {
	rm -rf "/var/run/dpdk/$FP" 2>/dev/null
	[ -n "$SCRATCH" ] && rm -rf "$SCRATCH"
	[ -n "$BASE_MADE" ] && rmdir "$BASE_MADE" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- helpers

# EAL memory options: hugepages when a 2 MB hugetlbfs is mounted with
# enough free pages (--in-memory: no hugepage file is left behind), else
# (or with PAGEFRAG_NO_HUGE=1) --no-huge, which --in-memory does not go
# with. The machine is not changed.
eal_mem_args() {
	if [ "${PAGEFRAG_NO_HUGE:-0}" != 1 ] && pf_hugetlbfs_mounted &&
			[ "$(pf_free_hugepages)" -ge 128 ]; then
		echo "--in-memory"
	else
		echo "--no-huge -m 1024"
	fi
}

# deb NAME: the path of package NAME's .deb
deb() {
	compgen -G "$SCRATCH/out/${1}_*.deb" | head -n 1
}

# ---------------------------------------------------------------- checks

t_packages() {
	local missing
	missing=$(PF_APT_PACKAGES=$PKG_APT_PACKAGES pf_missing_packages)
	if [ -z "$missing" ] && [ "${PAGEFRAG_FORCE_APT:-0}" != 1 ]; then
		REASON="all installed"
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		REASON="missing: ${missing% }; not root, cannot install them"
		return 77
	fi
	echo "package: apt-get install ${missing:-(forced) $PKG_APT_PACKAGES}"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086 # word splitting of the package list is wanted
	if ! logrun apt-get update -q || ! logrun apt-get install -y -q $PKG_APT_PACKAGES; then
		REASON="apt-get failed"
		return 1
	fi
	REASON="installed ${missing:-(forced)}"
	missing=$(PF_APT_PACKAGES=$PKG_APT_PACKAGES pf_missing_packages)
	[ -z "$missing" ] || { REASON="still missing: $missing"; return 1; }
}

# The DPDK built against: its ABI (librte_eal.so -> librte_eal.so.<ABI>,
# as meson.build reads it) and plugin directory.
t_dpdk() {
	local libdir eal
	libdir=$(pkg-config --variable=libdir libdpdk 2>>"$LOG") ||
		{ REASON="pkg-config finds no libdpdk"; return 1; }
	DPDK_VERSION=$(pkg-config --modversion libdpdk)
	eal=$(readlink -f "$libdir/librte_eal.so")
	ABI=${eal##*.so.}
	ABI_MAJOR=${ABI%%.*}
	case $ABI in
	[0-9]*.[0-9]*) ;;
	*) REASON="cannot tell DPDK's ABI from $eal"; return 1 ;;
	esac
	PMD_DIR=$(pf_pmd_dir)
	[ -n "$PMD_DIR" ] || { REASON="no RTE_EAL_PMD_PATH in rte_build_config.h"; return 1; }
	MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	case $PMD_DIR in
	/usr/lib/$MA/dpdk/pmds-*) ;;
	*)
		# a DPDK built into a prefix of its own (PKG_CONFIG_PATH):
		# its plugin directory is no place for a Debian package
		REASON="DPDK's plugin directory $PMD_DIR is not /usr/lib/$MA/dpdk/pmds-<ABI>: package against a DPDK installed from Debian packages"
		return 1
		;;
	esac
	LIBPKG=librte-mempool-pagefrag$ABI_MAJOR
	REASON="DPDK $DPDK_VERSION, ABI $ABI, plugin directory $PMD_DIR"
}

# Copy the tree into $SCRATCH/src/pagefrag.
t_copy() {
	local dst=$SCRATCH/src/pagefrag n ctl old f
	mkdir -p "$dst" || return 1
	if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		# tracked files (as in the work tree) and new files not ignored;
		# tracked files deleted in the work tree are left out
		git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
			(cd "$ROOT" && while IFS= read -r -d '' f; do
				[ -e "$f" ] || [ -L "$f" ] || continue
				printf '%s\0' "$f"
			done) |
			(cd "$ROOT" && xargs -0 -r cp -P --parents -t "$dst") 2>>"$LOG" ||
			{ REASON="copy failed"; return 1; }
	else
		tar -C "$ROOT" --exclude='./build*' --exclude=./.git -cf - . |
			tar -C "$dst" -xf - 2>>"$LOG" || { REASON="copy failed"; return 1; }
	fi
	[ -f "$dst/debian/control" ] || { REASON="no debian/control in the tree"; return 1; }
	n=$(find "$dst" -type f | wc -l)
	# the driver package carries the ABI of the DPDK built against
	ctl=$dst/debian/control
	old=$(sed -n 's/^Package: \(librte-mempool-pagefrag[0-9][0-9]*\)$/\1/p' "$ctl")
	[ -n "$old" ] || { REASON="no librte-mempool-pagefrag<ABI> package in debian/control"; return 1; }
	if [ "$old" != "$LIBPKG" ]; then
		sed -i "s/$old\b/$LIBPKG/g" "$ctl"
		for f in "$dst/debian/$old".*; do
			[ -e "$f" ] && mv "$f" "$dst/debian/$LIBPKG.${f##*/"$old".}"
		done
		REASON="$n files; $old renamed $LIBPKG for DPDK ABI $ABI"
	else
		REASON="$n files"
	fi
}

# debian/changelog must be at the version of VERSION
t_version() {
	local v c
	v=$(cat "$ROOT/VERSION")
	c=$(cd "$SCRATCH/src/pagefrag" && dpkg-parsechangelog -S Version 2>>"$LOG")
	if [ "${c%%-*}" != "$v" ]; then
		REASON="debian/changelog is at $c, VERSION at $v: add a changelog entry"
		return 1
	fi
	REASON="$c"
}

t_build() {
	local t0=$SECONDS
	(cd "$SCRATCH/src/pagefrag" && logrun dpkg-buildpackage -us -uc -b "-j$JOBS") ||
		{ REASON="dpkg-buildpackage failed"; return 1; }
	mkdir -p "$SCRATCH/out"
	mv "$SCRATCH"/src/*.deb "$SCRATCH"/src/*.changes "$SCRATCH"/src/*.buildinfo \
		"$SCRATCH/out/" 2>>"$LOG"
	# the .changes names its files relative to its own directory
	CHANGES=$(compgen -G "$SCRATCH/out/*.changes" | head -n 1)
	[ -n "$CHANGES" ] || { REASON="no .changes"; return 1; }
	REASON="$(find "$SCRATCH/out" -name '*.deb' ! -name '*-dbgsym_*' | wc -l) packages (and -dbgsym) in $((SECONDS - t0))s"
}

t_lintian() {
	local rc tags
	logrun lintian --fail-on error,warning --display-info "$CHANGES"
	rc=$?
	tags=$(grep -cE '^[EWIP]: ' "$LOG")
	if [ "$rc" -ne 0 ]; then
		REASON="$(grep -cE '^[EW]: ' "$LOG") error/warning tags (exit status $rc)"
		return 1
	fi
	REASON="no error or warning tag; info tags: $tags"
}

# Unpack every package (not the -dbgsym ones) into $SCRATCH/pkg/NAME and
# all of them into $SCRATCH/root.
t_unpack() {
	local d name
	mkdir -p "$SCRATCH/root" "$SCRATCH/pkg"
	for d in "$SCRATCH"/out/*.deb; do
		name=$(dpkg-deb -f "$d" Package)
		case $name in *-dbgsym) continue ;; esac
		logrun dpkg-deb -c "$d"
		mkdir -p "$SCRATCH/pkg/$name"
		if ! logrun dpkg-deb -x "$d" "$SCRATCH/pkg/$name" ||
				! logrun dpkg-deb -x "$d" "$SCRATCH/root"; then
			REASON="dpkg-deb -x $name failed"
			return 1
		fi
	done
	for name in "$LIBPKG" librte-mempool-pagefrag-dev pagefrag-tools; do
		[ -d "$SCRATCH/pkg/$name" ] || { REASON="no package $name"; return 1; }
	done
	REASON="$(find "$SCRATCH/root" -type f -o -type l | wc -l) files"
}

t_lib_files() {
	local p=$SCRATCH/pkg/$LIBPKG rel so link target='' soname='' dep d err=''
	rel=usr/lib/$MA
	so=$p/$rel/$LIB.so.$ABI
	link=$p${PMD_DIR}/$LIB.so
	[ -f "$so" ] && [ ! -L "$so" ] || err="$err; no $rel/$LIB.so.$ABI"
	[ -L "$p/$rel/$LIB.so.$ABI_MAJOR" ] || err="$err; no link $rel/$LIB.so.$ABI_MAJOR"
	# the plugin link must be where the DPDK built against autoloads from
	if [ "/$rel/dpdk/pmds-$ABI" != "$PMD_DIR" ]; then
		err="$err; DPDK's plugin directory $PMD_DIR is not /$rel/dpdk/pmds-$ABI"
	fi
	if [ ! -L "$link" ]; then
		err="$err; no link ${PMD_DIR#/}/$LIB.so (package has: $(cd "$p" && find . -path '*pmds*' | tr '\n' ' '))"
	else
		# relative, resolving inside the package to the library
		target=$(readlink "$link")
		case $target in /*) err="$err; ${PMD_DIR#/}/$LIB.so -> $target is absolute" ;; esac
		[ "$(readlink -f "$link")" = "$(readlink -f "$so")" ] ||
			err="$err; ${PMD_DIR#/}/$LIB.so -> $target is not the library"
	fi
	if [ -f "$so" ]; then
		soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
		[ "$soname" = "$LIB.so.$ABI_MAJOR" ] || err="$err; SONAME $soname"
	fi
	# Depends pins the ABI of the DPDK built against
	dep=$(dpkg-deb -f "$(deb "$LIBPKG")" Depends)
	echo "Depends: $dep" >> "$LOG"
	for d in librte-eal librte-mempool; do
		case ", $dep," in
		*", $d$ABI_MAJOR "*) ;;
		*) err="$err; Depends has no $d$ABI_MAJOR" ;;
		esac
	done
	[ -z "$err" ] || { REASON=${err#; }; return 1; }
	REASON="${PMD_DIR#/}/$LIB.so -> $target, SONAME $soname, Depends librte-eal$ABI_MAJOR, librte-mempool$ABI_MAJOR"
}

t_dev_files() {
	local p=$SCRATCH/pkg/librte-mempool-pagefrag-dev f err='' pcdir flags
	for f in usr/include/rte_mempool_pagefrag.h usr/include/rte_pagefrag.h \
			"usr/lib/$MA/pkgconfig/libdpdk-mempool-pagefrag.pc" \
			"usr/lib/$MA/$LIB.a"; do
		[ -f "$p/$f" ] || err="$err; no $f"
	done
	[ -L "$p/usr/lib/$MA/$LIB.so" ] || err="$err; no link usr/lib/$MA/$LIB.so"
	[ -z "$err" ] || { REASON=${err#; }; return 1; }
	# a program using both headers builds with the package's pkg-config
	# file (its prefix moved to the unpacked root; DPDK's own is the
	# system's)
	pcdir=$SCRATCH/root/usr/lib/$MA/pkgconfig
	sed "s|^prefix=.*|prefix=$SCRATCH/root/usr|" \
		"$pcdir/libdpdk-mempool-pagefrag.pc" > "$SCRATCH/pc/libdpdk-mempool-pagefrag.pc"
	cat > "$SCRATCH/pc/use.c" <<-'EOF'
	#include <rte_mempool_pagefrag.h>
	#include <rte_pagefrag.h>

	int
	main(void)
	{
		return rte_mempool_pagefrag_is_pagefrag(NULL) ? 1 : 0;
	}
	EOF
	cat "$SCRATCH/pc/libdpdk-mempool-pagefrag.pc" >> "$LOG"
	flags=$(PKG_CONFIG_PATH=$SCRATCH/pc pkg-config --cflags --libs libdpdk-mempool-pagefrag 2>>"$LOG") ||
		{ REASON="pkg-config libdpdk-mempool-pagefrag failed"; return 1; }
	# shellcheck disable=SC2086 # the flags are words
	logrun gcc -o "$SCRATCH/pc/use" "$SCRATCH/pc/use.c" $flags ||
		{ REASON="a program using the headers does not build with pkg-config"; return 1; }
	readelf -d "$SCRATCH/pc/use" | grep -q "NEEDED.*\[$LIB.so.$ABI_MAJOR\]" ||
		{ REASON="the program does not link $LIB.so.$ABI_MAJOR"; return 1; }
	REASON="headers, .pc, .a, .so link; a program builds and links with pkg-config libdpdk-mempool-pagefrag"
}

t_tools_files() {
	local p=$SCRATCH/pkg/pagefrag-tools b err=''
	for b in dpdk-test-pagefrag dpdk-l2fwd-frag; do
		if [ ! -x "$p/usr/bin/$b" ]; then
			err="$err; no usr/bin/$b"
		elif readelf -d "$p/usr/bin/$b" | grep -qE 'R(UN)?PATH'; then
			err="$err; $b has a RUNPATH"
		fi
		[ -f "$p/usr/share/man/man1/$b.1.gz" ] || err="$err; no manual page of $b"
	done
	[ -z "$err" ] || { REASON=${err#; }; return 1; }
	REASON="usr/bin/dpdk-test-pagefrag, usr/bin/dpdk-l2fwd-frag, manual pages"
}

# testpmd io forwarding with -d on the package's plugin directory (every
# .so in it is loaded: what the installed package puts in DPDK's plugin
# directory), run and judged as devtools/test.sh's testpmd checks
# (devtools/dpdk-checks.sh): packets forwarded both ways, the pool on the
# pagefrag ops with every mbuf back after "stop", no driver line; and the
# library testpmd mapped is the package's.
t_testpmd() {
	local dir=$SCRATCH/root$PMD_DIR bad sys
	local -a mem opt=()
	read -r -a mem <<< "$(eal_mem_args)"
	if bad=$(pf_world_writable_component "$dir"); then
		REASON="$bad is world-writable, EAL refuses -d below it: set PAGEFRAG_PACKAGE_TMPDIR"
		return 77
	fi
	# the driver is silent in normal operation; a plugin also installed
	# in the system is loaded twice, which it logs
	if sys=$(pf_plugin_installed); then
		echo "note: a pagefrag plugin is installed in $sys too" >> "$LOG"
		opt=(--driver-log-ok)
	fi
	pf_app fwd --seconds "$TESTPMD_SECONDS" "${opt[@]}" \
		--expect-mapped "$SCRATCH/root/usr/lib/$MA/$LIB.so.$ABI" -- \
		-l 0-1 "${TP_EAL[@]}" --file-prefix="$FP" "${mem[@]}" -d "$dir" \
		--mbuf-pool-ops-name=pagefrag -- "${TP_APP[@]}" || return 1
	REASON="-d <unpacked packages>${dir#"$SCRATCH"/root}: $APP_VERDICT${sys:+ (also installed in $sys)}"
}

# dpdk-l2fwd-frag of the tools package, on the package's library (it has
# no RUNPATH: the loader finds it through LD_LIBRARY_PATH here, in libdir
# once installed): forwarding, copybreak, leak check.
t_l2fwd() {
	local bin=$SCRATCH/root/usr/bin/dpdk-l2fwd-frag rc fwd leak
	local -a mem
	read -r -a mem <<< "$(eal_mem_args)"
	LD_LIBRARY_PATH=$SCRATCH/root/usr/lib/$MA logrun timeout -k 10 60 "$bin" \
		-l 0-1 --no-pci --file-prefix="$FP" "${mem[@]}" \
		--vdev=net_null0 --vdev=net_ring0 -- -p 0x3 -T 1 --runtime 2 --copybreak 256
	rc=$?
	[ "$rc" -eq 0 ] || { REASON="exit status $rc"; return 1; }
	read -r fwd leak < <(python3 "$ROOT/devtools/pf_dpdk_apps.py" parse \
		l2fwd-frag "$LOG" --fields forwarded,leak_check)
	[ "$leak" = OK ] || { REASON="no \"leak check: OK\""; return 1; }
	case $fwd in '' | - | 0) REASON="no packet forwarded"; return 1 ;; esac
	REASON="$fwd packets forwarded with --copybreak 256, leak check OK"
}

# ---------------------------------------------------------------- main

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	finish SKIP "not a Debian system (no dpkg-query or apt-get)"
fi
BASE=${TMPBASE:-$ROOT/build-package}
if [ ! -d "$BASE" ]; then
	mkdir -p "$BASE" 2>/dev/null && BASE_MADE=$BASE
fi
if ! SCRATCH=$(mktemp -d "$BASE/pfpkg.XXXXXX" 2>/dev/null); then
	SCRATCH=
	[ "$(id -u)" -eq 0 ] || finish SKIP "not root and $BASE is not writable (PAGEFRAG_PACKAGE_TMPDIR)"
	finish FAIL "cannot make a scratch directory in $BASE"
fi
chmod 0755 "$SCRATCH"
mkdir -p "$SCRATCH/logs" "$SCRATCH/out" "$SCRATCH/pc"
LOGDIR=$SCRATCH/logs

check "package: build dependencies" t_packages
case $? in
0) ;;
77) finish SKIP "packages missing and not root" ;;
*) finish FAIL "cannot install the build dependencies" ;;
esac
check "package: DPDK built against" t_dpdk || finish FAIL "$NFAIL failed: $FAILED"
check "package: copy of the tree" t_copy || finish FAIL "$NFAIL failed: $FAILED"
check "package: debian/changelog at VERSION" t_version
check "package: dpkg-buildpackage -us -uc -b" t_build || finish FAIL "$NFAIL failed: $FAILED"
check "package: lintian" t_lintian
if check "package: unpack (dpkg-deb -x)" t_unpack; then
	check "package: $LIBPKG files, plugin directory, Depends" t_lib_files
	check "package: librte-mempool-pagefrag-dev files, pkg-config" t_dev_files
	check "package: pagefrag-tools files" t_tools_files
	if ! command -v dpdk-testpmd >/dev/null 2>&1; then
		record SKIP "package: testpmd io-fwd, -d the package's plugin directory" "no dpdk-testpmd" ""
	elif [ "$(id -u)" -ne 0 ]; then
		record SKIP "package: testpmd io-fwd, -d the package's plugin directory" "not root" ""
	else
		check "package: testpmd io-fwd, -d the package's plugin directory" t_testpmd
		check "package: dpdk-l2fwd-frag of the package" t_l2fwd
	fi
fi

if [ "$NFAIL" -gt 0 ]; then
	finish FAIL "$NFAIL failed: $FAILED"
elif [ "$NSKIP" -gt 0 ]; then
	finish SKIP "$NSKIP checks skipped"
fi
finish OK
