#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sandbox: --cpus 2 --memory 2G
# timeout: 900
#
# VMBus loopback end to end: load the engine and the echo pair, push
# OHV_ECHO_MB MiB (default 16; the issue asks for 1024, not yet run) of random data through the echo device and
# back, and check that the guest's sent, host's received and guest's
# echoed data all have the crc32 user space computes. Then unload cleanly.
set -euo pipefail
root=${OHV_ROOT:?}
mb=${OHV_ECHO_MB:-16}
modprobe=$root/tools/sandbox/ohv-modprobe
mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
# Only what the kernel says from here on counts (boot has its own noise).
dmesg_start=$(($(dmesg | wc -l) + 1))

fail() {
	echo "FAIL: $*" >&2
	for f in /sys/kernel/debug/ohv_echo/*/stats \
		 /sys/kernel/debug/ohv_vmbus/0/*/stats \
		 /sys/kernel/debug/ohv_vmbus/0/*/*/ring; do
		[ -r "$f" ] && { echo "--- $f"; cat "$f"; } >&2
	done
	dmesg | tail -n 30 >&2
	exit 1
}
stat_of() { sed -n "s/^$2: //p" "$1"; }

$modprobe crc32_generic 2>/dev/null || true
$modprobe ohv_vmbus ohv_echo_vsp ohv_echo_vsc

dev=""
for _ in $(seq 100); do
	dev=$(ls -d /sys/kernel/debug/ohv_echo/*/ 2>/dev/null | head -n 1) || true
	[ -n "$dev" ] && break
	sleep 0.1
done
[ -n "$dev" ] || fail "echo device did not bind"
sysdev=/sys/bus/ohvbus/devices/$(basename "$dev")
echo "device: $(basename "$dev") class $(cat "$sysdev/class_id") relid $(cat "$sysdev/id")"
[ "$(cat "$sysdev/state")" = open ] || fail "channel not open"

# 64 MiB of random data, sent mb/64 times (or a smaller piece once).
piece=$((mb < 64 ? mb : 64))
reps=$((mb / piece))
src=/tmp/ohv-echo.$$
head -c $((piece << 20)) /dev/urandom >"$src"
want=$(python3 - "$src" "$reps" <<'PY'
import sys, zlib
data = open(sys.argv[1], 'rb').read()
crc = 0
for _ in range(int(sys.argv[2])):
    crc = zlib.crc32(data, crc)
print('%08x' % crc)
PY
)

start=$(date +%s.%N)
for _ in $(seq "$reps"); do
	dd if="$src" of="$dev/data" bs=1M conv=notrunc status=none ||
		fail "write to the echo device failed"
done
end=$(date +%s.%N)
rm -f "$src"

total=$((reps * piece << 20))
cat "$dev/stats"
cat /sys/kernel/debug/ohv_echo_vsp/0/stats
[ "$(stat_of "$dev/stats" tx_bytes)" = $total ] || fail "tx_bytes"
[ "$(stat_of "$dev/stats" rx_bytes)" = $total ] || fail "rx_bytes"
[ "$(stat_of "$dev/stats" errors)" = 0 ] || fail "echo errors"
[ "$(stat_of "$dev/stats" tx_crc32)" = "$want" ] || fail "tx crc"
[ "$(stat_of "$dev/stats" rx_crc32)" = "$want" ] || fail "rx crc"
vsp=/sys/kernel/debug/ohv_echo_vsp/0/stats
[ "$(stat_of $vsp bytes)" = $total ] || fail "host saw wrong byte count"
[ "$(stat_of $vsp crc32)" = "$want" ] || fail "host crc"
[ "$(cat "$sysdev/channel/broken")" = 0 ] || fail "ring broken"
python3 -c "print('echo: %d MiB in %.2f s = %.1f MB/s' % ($total >> 20, $end - $start, $total / 1e6 / ($end - $start)))"

$modprobe -r ohv_echo_vsc ohv_echo_vsp ohv_vmbus
! grep -q '^ohv_' /proc/modules || fail "modules still loaded"
if dmesg | tail -n +"$dmesg_start" |
	grep -E 'BUG:|WARNING:|KASAN|UBSAN|possible circular locking|Call Trace'; then
	fail "kernel reported a problem"
fi
echo "PASS 20-vmbus-echo"
