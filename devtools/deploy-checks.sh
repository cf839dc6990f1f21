# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# Copyright(c) 2026 The pagefrag authors
#
# The checks of devtools/test.sh on how users get and run pagefrag: meson
# install into DPDK's plugin directory (and removing it again), the
# README's main job started by a user who is not root, and the checks that
# are scripts of their own (devtools/package.sh, devtools/ovs.sh).
# Sourced; each t_* function is a check for check() of devtools/checks.sh.
#
# The sourcing script sets ROOT, BUILD, LOGDIR, MEM_ARGS, KEEP_INSTALL
# (leave the install in place) and INSTALLED (the build directories this
# run did a meson install of, for uninstall), and sources
# devtools/dpdk-checks.sh.

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


# install_checks: meson install of the main build, then dpdk-test and
# testpmd with the plugin autoloaded (no -d); the install is removed
# again unless KEEP_INSTALL=1.
install_checks() {
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
}

# deploy_checks: where users run it (PAGEFRAG_TEST_DEPLOY=0 skips it).
deploy_checks() {
	local p
	if [ "${PAGEFRAG_TEST_DEPLOY:-1}" = 0 ]; then
		record SKIP "deployment checks" "PAGEFRAG_TEST_DEPLOY=0" ""
		return
	fi
	check "README main job as a non-root user, through sudo" t_readme_sudo
	check "Debian package: build, lintian, layout, testpmd" t_script package.sh
	if p=$(secure_plugin "$BUILD"); then
		export OVS_LOG_OUT=$LOGDIR/ovs-vswitchd.log
		check "Open vSwitch on pagefrag pools" t_script ovs.sh "$p"
	fi
}
