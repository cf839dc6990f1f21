# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# Copyright(c) 2026 The pagefrag authors
#
# Shell functions shared by devtools/test.sh, perf-compare.sh, demo.sh and
# perf-l2fwd.sh,
# sourced (no side effect when sourced):
#
#   pf_pmd_dir                 DPDK's plugin directory (RTE_EAL_PMD_PATH of the
#                              DPDK that pkg-config finds)
#   pf_plugin_installed        true (and print the directory) when pagefrag
#                              is installed in that plugin directory
#   pf_plugin_for_d SRC TAG    a path of the plugin SRC that EAL accepts for -d
#   pf_dpdk_prefix TARBALL LOG build DPDK from a source tarball into a cached
#                              private prefix (or reuse it) and print the prefix
#   pf_dpdk_use PREFIX         point pkg-config, the loader and PATH at PREFIX
#   pf_dpdk_l2fwd BUILD        build DPDK's own l2fwd (dpdk-doc's sources) into
#                              BUILD/dpdk-l2fwd and print the binary
#   pf_pingpong BIN PREFIX     the cache-line round trip between CPU 0 and 1
#                              now, in ns, measured by dpdk-test-pagefrag BIN
#
# Needs pf_world_writable_component from devtools/setup.sh.

# A minimal DPDK for the tests: the mempool, net and bus drivers they use,
# dpdk-test and dpdk-testpmd, and only the mandatory libraries (enable_libs
# names one optional library, timer, which 23.11 counts as mandatory: an
# empty list would mean all). Shared, so that a plugin loaded with -d uses
# the applications' copy of the libraries. Not optimized (buildtype plain):
# it compiles in a third of the time of -O3, and the tests check function,
# not speed (pagefrag itself, and DPDK's inline functions it uses, are
# compiled with pagefrag's own flags).
PF_DPDK_DRIVERS=mempool/ring,mempool/stack,mempool/bucket,net/null,net/ring,bus/vdev,bus/pci
PF_DPDK_MESON_ARGS=(-Ddefault_library=shared -Dbuildtype=plain
	"-Denable_drivers=$PF_DPDK_DRIVERS" -Denable_libs=timer
	"-Denable_apps=test,test-pmd" -Dtests=true -Dexamples= -Denable_docs=false)

# pf_pmd_dir: print RTE_EAL_PMD_PATH of the DPDK found by pkg-config.
pf_pmd_dir() {
	local cflags
	cflags=$(pkg-config --cflags libdpdk 2>/dev/null) || return 1
	# shellcheck disable=SC2086 # the cflags are words
	printf '#include <rte_build_config.h>\nRTE_EAL_PMD_PATH\n' |
		${CC:-cc} -E -P $cflags - 2>/dev/null | tail -n 1 | tr -d '"'
}

# pf_plugin_installed: print DPDK's plugin directory and succeed when
# pagefrag is in it (EAL autoloads it there).
pf_plugin_installed() {
	local d
	d=$(pf_pmd_dir) || return 1
	[ -n "$d" ] && compgen -G "$d/librte_mempool_pagefrag.so*" >/dev/null || return 1
	echo "$d"
}

# pf_plugin_for_d SRC TAG: print a path of the plugin SRC that EAL accepts
# for -d: SRC itself, or a copy in a private directory (one per TAG) when a
# directory above SRC is world-writable (a clone in /tmp), which EAL refuses.
pf_plugin_for_d() {
	local src=$1 tag=$2 bad dir
	[ -f "$src" ] || return 1
	bad=$(pf_world_writable_component "$src") || { readlink -f "$src"; return 0; }
	dir=${XDG_CACHE_HOME:-$HOME/.cache}/pagefrag-plugin/$tag
	mkdir -p "$dir" && chmod 0700 "$dir" || return 1
	cp -L "$src" "$dir/librte_mempool_pagefrag.so" || return 1
	chmod 0644 "$dir/librte_mempool_pagefrag.so"
	if pf_world_writable_component "$dir/librte_mempool_pagefrag.so" >/dev/null; then
		echo "cannot find a private directory for the plugin" >&2
		return 1
	fi
	echo "note: $bad is world-writable, -d loads a copy: $dir/librte_mempool_pagefrag.so" >&2
	echo "$dir/librte_mempool_pagefrag.so"
}

# The persistent directory of the DPDK builds: PAGEFRAG_DPDK_CACHE, else
# /var/cache/pagefrag-dpdk when writable (root), else the user's cache.
pf_dpdk_cache_dir() {
	local d=${PAGEFRAG_DPDK_CACHE:-}
	if [ -z "$d" ]; then
		d=/var/cache/pagefrag-dpdk
		mkdir -p "$d" 2>/dev/null && [ -w "$d" ] ||
			d=${XDG_CACHE_HOME:-$HOME/.cache}/pagefrag-dpdk
	fi
	mkdir -p "$d" && readlink -f "$d"
}

# pf_dpdk_prefix TARBALL LOG: print the install prefix of DPDK built from
# TARBALL (dpdk-<version>.tar.xz). The prefix lives in the cache directory,
# keyed by the tarball's checksum and the build options, so a second run on
# the same machine reuses it; the build (meson, ninja -j2, ninja install)
# logs to LOG. DPDK's meson needs Python's elftools: /usr/bin comes first in
# PATH (Debian's python3-pyelftools). Runs under flock: two runs wanting the
# same build wait for each other.
pf_dpdk_prefix() {
	local tarball=$1 log=$2 cache key entry src rc
	local bad
	cache=$(pf_dpdk_cache_dir) || return 1
	# the prefix is compiled into DPDK (RTE_EAL_PMD_PATH), and EAL refuses a
	# plugin directory under a world-writable one
	if bad=$(pf_world_writable_component "$cache"); then
		echo "the DPDK cache $cache is under the world-writable $bad, where EAL refuses plugins: set PAGEFRAG_DPDK_CACHE to a private directory" >> "$log"
		return 1
	fi
	key=$( { sha256sum < "$tarball" && printf '%s\n' "${PF_DPDK_MESON_ARGS[@]}"; } |
		sha256sum | cut -c1-16) || return 1
	entry=$cache/$(basename "$tarball" .tar.xz)-$key
	mkdir -p "$entry" || return 1
	(
		flock 9 || exit 1
		[ -f "$entry/complete" ] && exit 0
		echo "building $(basename "$tarball") into $entry/prefix" >> "$log"
		rm -rf "$entry/prefix" "$entry/src"
		mkdir -p "$entry/src" &&
			tar -xJf "$tarball" -C "$entry/src" --strip-components=1 || exit 1
		cd "$entry/src" || exit 1
		PATH=/usr/bin:$PATH meson setup build --prefix="$entry/prefix" \
				"${PF_DPDK_MESON_ARGS[@]}" >> "$log" 2>&1 &&
			PATH=/usr/bin:$PATH ninja -j2 -C build >> "$log" 2>&1 &&
			PATH=/usr/bin:$PATH ninja -C build install >> "$log" 2>&1
		rc=$?
		cd "$entry" && rm -rf "$entry/src"
		[ $rc -eq 0 ] && touch "$entry/complete"
		exit $rc
	) 9> "$entry/lock" || return 1
	echo "$entry/prefix"
}

# pf_dpdk_use PREFIX: export PKG_CONFIG_PATH, LD_LIBRARY_PATH and PATH for
# the DPDK installed in PREFIX (its libdir is lib/<multiarch> or lib).
pf_dpdk_use() {
	local prefix=$1 pc
	pc=$(find "$prefix" -path '*/pkgconfig/libdpdk.pc' -print -quit)
	[ -n "$pc" ] || return 1
	PF_DPDK_LIBDIR=$(dirname "$(dirname "$pc")")
	export PKG_CONFIG_PATH=$PF_DPDK_LIBDIR/pkgconfig
	export LD_LIBRARY_PATH=$PF_DPDK_LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	export PATH=$prefix/bin:$PATH
}

# pf_dpdk_l2fwd BUILD: print DPDK's own l2fwd (the control of demo.sh and
# perf-l2fwd.sh), built from the sources the dpdk-doc package installs
# (installed here when missing; nothing of it is kept in this repository)
# into BUILD/dpdk-l2fwd/dpdk-l2fwd when absent or older than them.
pf_dpdk_l2fwd() {
	local src=/usr/share/dpdk/examples/l2fwd bin=$1/dpdk-l2fwd/dpdk-l2fwd
	if [ ! -f "$src/main.c" ]; then
		echo "installing dpdk-doc (DPDK's example sources)" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends dpdk-doc >/dev/null 2>&1
	fi
	[ -f "$src/main.c" ] || { echo "no $src/main.c (install dpdk-doc)" >&2; return 1; }
	if [ ! -x "$bin" ] || [ "$src/main.c" -nt "$bin" ]; then
		echo "building DPDK's l2fwd from $src into $bin" >&2
		mkdir -p "$(dirname "$bin")" || return 1
		# shellcheck disable=SC2046 # pkg-config prints lists of words
		cc -O3 -DALLOW_EXPERIMENTAL_API $(pkg-config --cflags libdpdk) \
			"$src/main.c" -o "$bin" $(pkg-config --libs libdpdk) ||
			{ echo "cannot build DPDK's l2fwd" >&2; return 1; }
	fi
	echo "$bin"
}

# pf_pingpong BIN PREFIX: the cache-line round trip between CPU 0 and CPU 1
# now, in ns (the perf autotest's, 0.6 s; EAL file prefix PREFIX), or "-"
# without the test binary BIN: a 2-CPU figure moves with where the host
# puts the vCPUs, so it is printed with each one.
pf_pingpong() {
	local ns=''
	[ -x "$1" ] && ns=$(PAGEFRAG_PERF_FIGURES=getput \
		PAGEFRAG_PERF_DRIVERS=ring_mp_mc PAGEFRAG_PERF_MS=2 \
		PAGEFRAG_PERF_REPS=5 "$1" -l 0-1 --no-pci --in-memory \
		--file-prefix="$2" -- pagefrag_perf_autotest 2>/dev/null |
		awk '/ping-pong round trip/ { print $(NF - 2); exit }')
	echo "${ns:--}"
}
