#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sandbox: --cpus 2 --memory 2G
# timeout: 1800
#
# VMBus loopback stress: OHV_STRESS_CYCLES (default 10000) offer/open/
# close/rescind cycles with rescinds raced against open and against I/O
# (ohv_vmbus_stress.ko fails to load if any cycle goes wrong), then the
# echo pair still works, everything unloads, and kmemleak finds nothing
# of ours.
set -euo pipefail
root=${OHV_ROOT:?}
cycles=${OHV_STRESS_CYCLES:-10000}
modprobe=$root/tools/sandbox/ohv-modprobe
mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
# Only what the kernel says from here on counts (boot has its own noise).
dmesg_start=$(($(dmesg | wc -l) + 1))

# shellcheck source=SCRIPTDIR/lib/common.sh
. "$root/tests/scenarios/lib/common.sh"	# ok, fail, wait_for, stat_of, dmesg_problems

kmemleak=/sys/kernel/debug/kmemleak
[ -w $kmemleak ] && echo clear >$kmemleak

$modprobe ohv_vmbus
start=$(date +%s)
insmod "$(find "$root/drivers/vmbus" -name ohv_vmbus_stress.ko)" \
	cycles="$cycles" || fail "stress cycles failed"
end=$(date +%s)
dmesg | grep 'ohv_vmbus_stress' | tail -n 7
rmmod ohv_vmbus_stress
echo "stress: $cycles cycles in $((end - start)) s"

# The engine is still healthy: one echo round trip.
OHV_ECHO_MB=1 bash "$root/tests/scenarios/20-vmbus-echo.sh" >/tmp/echo.log 2>&1 ||
	{ cat /tmp/echo.log; fail "echo after stress"; }
! grep -q '^ohv_' /proc/modules || fail "modules still loaded"

if [ -w $kmemleak ]; then
	# Objects freed by RCU need a grace period and two scans to settle.
	sleep 5
	echo scan >$kmemleak
	sleep 5
	echo scan >$kmemleak
	if grep -B2 -A20 'ohv_' $kmemleak; then
		fail "kmemleak found leaks in ohv modules"
	fi
	echo "kmemleak: nothing of ours"
else
	echo "kmemleak: not available"
fi
if dmesg_problems "$dmesg_start"; then
	fail "kernel reported a problem"
fi
echo "PASS 21-vmbus-stress"
