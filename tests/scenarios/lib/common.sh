# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers for the scenario scripts, sourced (not run) inside the sandbox:
#   . "$OHV_ROOT/tests/scenarios/lib/common.sh"
# It lives in a folder of its own because tests/run runs every
# tests/scenarios/*.sh as a scenario.

# ok MESSAGE: one passed check.
ok() { echo "ok: $*"; }

# fail MESSAGE: one failed check; ends the scenario with exit 1. Prints the
# message, then what the scenario's own fail_dump (if it defines one)
# prints, then the last FAIL_DMESG_LINES (default 40) kernel log lines, all
# on stderr.
fail() {
	echo "FAIL: $*" >&2
	if declare -F fail_dump >/dev/null; then
		fail_dump >&2 || true
	fi
	dmesg | tail -n "${FAIL_DMESG_LINES:-40}" >&2
	exit 1
}

# wait_for SECONDS COMMAND...: poll COMMAND (its stderr discarded) every
# 0.1 s until it succeeds; fails after SECONDS.
wait_for() {
	local n=$(($1 * 10))
	shift
	while ! "$@" 2>/dev/null; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}

# stat_of FILE KEY: the value of the "KEY: value" line in FILE (a debugfs
# or configfs stats file).
stat_of() { sed -n "s/^$2: //p" "$1"; }

# dmesg_problems FIRST: print the kernel log lines from line FIRST (1 for
# the first) on that report a BUG, WARNING, KASAN or UBSAN finding, a
# lockdep cycle or a stack trace; true if there is any.
dmesg_problems() {
	dmesg | tail -n +"$1" |
		grep -E 'BUG:|WARNING:|KASAN|UBSAN|possible circular locking|Call Trace'
}
