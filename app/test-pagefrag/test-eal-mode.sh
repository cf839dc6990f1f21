#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# test-eal-mode.sh BINARY NEEDS-HUGE EAL-ARGS... -- COMMAND
#
# Runs one autotest of dpdk-test-pagefrag in an EAL memory mode given by
# EAL-ARGS (--legacy-mem, --single-file-segments, --in-memory, --no-huge).
# NEEDS-HUGE is 1 for a mode that only exists on hugepages (--in-memory:
# --no-huge memory is in-memory already and EAL refuses the pair); such a
# run is reported skipped (exit 77) when the machine has no free hugepage
# or the test scripts fall back to --no-huge (PAGEFRAG_TEST_EAL_ARGS).
# Other modes combine with that fallback.

bin=$1
needs_huge=$2
shift 2
if [ "$needs_huge" = 1 ]; then
	case " ${PAGEFRAG_TEST_EAL_ARGS:-} " in
	*" --no-huge "*)
		echo "Test Skipped: this EAL memory mode needs hugepages (--no-huge run)"
		exit 77
		;;
	esac
	free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
	if [ "${free:-0}" -eq 0 ]; then
		echo "Test Skipped: this EAL memory mode needs hugepages, none free"
		exit 77
	fi
fi
exec "$bin" "$@"
