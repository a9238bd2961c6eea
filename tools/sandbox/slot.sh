# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the sandbox runners. ohv_sandbox_slot takes one of
# $OHV_SANDBOX_SLOTS (default 2, one per host core) emulator slots and holds
# it on file descriptor 8 until the calling process and its children exit.
# Emulators under TCG are CPU-bound: running more of them than there are
# cores only makes each one slower, and timeouts start to fire.

ohv_sandbox_slot() {
	local cache=${OHV_CACHE:-/var/cache/ohv} n=${OHV_SANDBOX_SLOTS:-2}
	local i waited=0
	mkdir -p "$cache"
	while :; do
		for i in $(seq 1 "$n"); do
			exec 8>"$cache/sandbox-slot-$i"
			if flock -n 8; then
				[ $waited -eq 0 ] || echo "sandbox: got slot $i after ${waited}s" >&2
				return 0
			fi
			exec 8>&-
		done
		[ $waited -eq 0 ] && echo "sandbox: all $n emulator slots busy, waiting" >&2
		sleep 2
		waited=$((waited + 2))
	done
}
