#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sandbox: --cpus 2 --memory 2G
# timeout: 900
#
# VMBus loopback end to end: load the engine and the echo pair, push
# OHV_ECHO_MB MiB (default 1024) of random data through the echo device
# and back, and check that the guest's sent, host's received and guest's
# echoed data all have the crc32 user space computes. Then the configfs
# interface: partitions and offers made by the tools. Unload cleanly.
set -euo pipefail
root=${OHV_ROOT:?}
mb=${OHV_ECHO_MB:-1024}
modprobe=$root/tools/sandbox/ohv-modprobe
mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
# Only what the kernel says from here on counts (boot has its own noise).
dmesg_start=$(($(dmesg | wc -l) + 1))

# shellcheck source=SCRIPTDIR/lib/common.sh
. "$root/tests/scenarios/lib/common.sh"	# ok, fail, wait_for, stat_of, dmesg_problems
# What fail prints before the kernel log.
fail_dump() {
	for f in /sys/kernel/debug/ohv_echo/*/stats \
		 /sys/kernel/debug/ohv_vmbus/0/*/stats \
		 /sys/kernel/debug/ohv_vmbus/0/*/*/ring; do
		[ -r "$f" ] && { echo "--- $f"; cat "$f"; }
	done
}
FAIL_DMESG_LINES=30

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
# OHV_ECHO_CHUNK: data bytes per echo packet, if not the driver's default.
[ -z "${OHV_ECHO_CHUNK:-}" ] ||
	echo "$OHV_ECHO_CHUNK" >/sys/module/ohv_echo_vsc/parameters/chunk
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
	# Each write returns once all of it came back: large writes keep
	# the pipeline full.
	dd if="$src" of="$dev/data" bs=16M conv=notrunc status=none ||
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

# The configfs interface (drivers/vmbus/README.md): a loopback partition
# made at run time, an echo instance offered to it by the tools, data
# through it, rescind and re-offer, removal; then an offer to the
# partition that existed before, whose rmdir must leave it in place.
cfs=/sys/kernel/config/ohv_vmbus
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
[ -d $cfs/partitions ] || fail "no $cfs/partitions"
grep -qx ohv_echo $cfs/providers || fail "echo provider not registered"
echo "providers: $(tr '\n' ' ' <$cfs/providers)"
inst=0e400005-0000-4000-8000-00000000c0f5
cdev=5-$inst
mkdir $cfs/partitions/5 || fail "mkdir partition 5"
[ "$(cat $cfs/partitions/5/loopback)" = 1 ] || fail "partition 5 not created"
[ -d /sys/kernel/debug/ohv_vmbus/5 ] || fail "partition 5 has no debugfs"
o=$cfs/partitions/5/echo1
mkdir $o
echo nosuchprovider >$o/provider
if echo 1 >$o/enable 2>/dev/null; then fail "offer of an unknown provider"; fi
echo ohv_echo >$o/provider
echo $inst >$o/instance
echo 1 >$o/enable || fail "enable the offer"
[ "$(cat $o/relid)" -gt 0 ] || fail "no relid"
if echo 0e400005-0000-4000-8000-000000000000 >$o/instance 2>/dev/null; then
	fail "instance changed while offered"
fi
echo_through() {
	local d=/sys/kernel/debug/ohv_echo/$1 n
	for n in $(seq 100); do [ -e $d/data ] && break; sleep 0.1; done
	[ -e $d/data ] || return 1
	[ "$(cat /sys/bus/ohvbus/devices/$1/partition)" = "$2" ] || return 1
	echo 1 >$d/reset
	head -c 1048576 /dev/urandom | dd of=$d/data bs=64k status=none || return 1
	[ "$(stat_of $d/stats rx_bytes)" = 1048576 ] &&
		[ "$(stat_of $d/stats tx_crc32)" = "$(stat_of $d/stats rx_crc32)" ]
}
echo_through $cdev 5 || fail "echo through the configfs offer"
echo "configfs offer: relid $(cat $o/relid) on partition 5, 1 MiB echoed"
echo 0 >$o/enable
for _ in $(seq 100); do [ -e /sys/bus/ohvbus/devices/$cdev ] || break; sleep 0.1; done
[ -e /sys/bus/ohvbus/devices/$cdev ] && fail "device stayed after disable"
echo 1 >$o/enable
echo_through $cdev 5 || fail "echo after re-offer"
echo "re-offered as relid $(cat $o/relid)"
rmdir $o
for _ in $(seq 100); do [ -e /sys/bus/ohvbus/devices/$cdev ] || break; sleep 0.1; done
[ -e /sys/bus/ohvbus/devices/$cdev ] && fail "device stayed after rmdir"
rmdir $cfs/partitions/5 || fail "rmdir partition 5"
[ -d /sys/kernel/debug/ohv_vmbus/5 ] && fail "partition 5 still there"
mkdir $cfs/partitions/0 $cfs/partitions/0/e
[ "$(cat $cfs/partitions/0/loopback)" = 0 ] || fail "partition 0 re-created"
echo ohv_echo >$cfs/partitions/0/e/provider
echo $inst >$cfs/partitions/0/e/instance
echo 1 >$cfs/partitions/0/e/enable
echo_through 0-$inst 0 || fail "echo through an offer to partition 0"
rmdir $cfs/partitions/0/e $cfs/partitions/0
[ -d /sys/kernel/debug/ohv_vmbus/0 ] || fail "partition 0 went away"
[ -e /sys/bus/ohvbus/devices/0-$inst ] && sleep 1
[ -e /sys/bus/ohvbus/devices/0-$inst ] && fail "partition 0 offer stayed"
echo "configfs: partitions and offers work"

$modprobe -r ohv_echo_vsc ohv_echo_vsp ohv_vmbus
! grep -q '^ohv_' /proc/modules || fail "modules still loaded"
if dmesg_problems "$dmesg_start"; then
	fail "kernel reported a problem"
fi
echo "PASS 20-vmbus-echo"
