# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# Copyright(c) 2026 The pagefrag authors
#
# Sourced by the README's two commands (devtools/demo.sh, devtools/test.sh)
# before anything else, with the script's own arguments:
#
#     . devtools/root.sh "$@"
#
# As root it does nothing: a fresh Debian machine where one works as root
# has no sudo, and the commands run as `bash devtools/<script>.sh`. As
# another user it runs the script again through sudo when sudo is there
# (the environment kept: PAGEFRAG_* settings reach the script), and
# otherwise lets it go on unprivileged (PAGEFRAG_NO_SUDO=1 does the same).

if [ "$(id -u)" -ne 0 ] && [ "${PAGEFRAG_NO_SUDO:-0}" != 1 ] &&
		command -v sudo >/dev/null 2>&1; then
	echo "not root: running again as root through sudo" >&2
	exec sudo -E bash "$(readlink -f "${BASH_SOURCE[1]}")" "$@"
fi
