# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# Copyright(c) 2026 The pagefrag authors
#
# The checks of the test scripts (devtools/test.sh, package.sh, ovs.sh):
# sourced by them, it prints one line per check,
#
#     PASS name [(summary)]  |  FAIL name (reason)  |  SKIP name (reason)
#
# and counts them in NPASS, NFAIL and NSKIP (FAILED lists the names that
# failed). Each check's output goes to its own log, $LOGDIR/<name>.log;
# $LOGDIR/summary.txt gets every line with the time the check took. A
# failing check prints the tail of its log. The sourcing script sets
# LOGDIR (and creates it) before the first check.

NPASS=0
NFAIL=0
NSKIP=0
FAILED=

slug() {
	printf '%s' "$1" | tr -cs 'A-Za-z0-9_.' '-' | sed 's/^-//; s/-$//'
}

# record RESULT NAME REASON LOG [SECONDS]: print one check line and count
# it; $LOGDIR/summary.txt also gets the time the check took.
record() {
	local result=$1 name=$2 reason=$3 log=$4 secs=${5:-}
	printf '%s %s%s%s\n' "$result" "$name" "${reason:+ ($reason)}" \
		"${secs:+ [${secs}s]}" >> "$LOGDIR/summary.txt"
	case $result in
	PASS)
		echo "PASS $name${reason:+ ($reason)}"
		NPASS=$((NPASS + 1))
		;;
	SKIP)
		echo "SKIP $name (${reason:-skipped})"
		NSKIP=$((NSKIP + 1))
		;;
	*)
		echo "FAIL $name${reason:+ ($reason)}"
		NFAIL=$((NFAIL + 1))
		FAILED="$FAILED${FAILED:+, }$name"
		if [ -s "$log" ]; then
			echo "    ---- last lines of ${log#"${ROOT:-}"/}:"
			# awk ends the last line even when the log does not
			tail -n 40 "$log" | awk '{ print "    | " $0 }'
		fi
		;;
	esac
}

# check NAME FUNCTION ARGS...: run FUNCTION with $LOG set to this check's
# log; it returns 0 (pass, with an optional summary in $REASON), 77 (skip)
# or anything else (fail), with the reason in $REASON.
check() {
	local name=$1 rc t0=$SECONDS
	shift
	LOG=$LOGDIR/$(slug "$name").log
	REASON=
	: > "$LOG"
	"$@"
	rc=$?
	case $rc in
	0) record PASS "$name" "$REASON" "$LOG" $((SECONDS - t0)) ;;
	77) record SKIP "$name" "$REASON" "$LOG" $((SECONDS - t0)) ;;
	*) record FAIL "$name" "$REASON" "$LOG" $((SECONDS - t0)) ;;
	esac
	return $rc
}

# Run a command with its output appended to $LOG, the command line first.
logrun() {
	echo "+ $*" >> "$LOG"
	# the braces catch bash's own "Aborted ..." line of a crashing command
	{ "$@" >> "$LOG" 2>&1; } 2>> "$LOG"
}


# summary: the last lines of a run, its total time (since T_START, the
# $SECONDS of its start) and "N passed, N failed" (", N skipped" when N > 0).
summary() {
	echo "total time $((SECONDS - T_START))s" >> "$LOGDIR/summary.txt"
	echo "total time: $((SECONDS - T_START))s, logs in ${LOGDIR#"${ROOT:-}"/}/"
	if [ "$NSKIP" -gt 0 ]; then
		echo "$NPASS passed, $NFAIL failed, $NSKIP skipped"
	else
		echo "$NPASS passed, $NFAIL failed"
	fi
}
