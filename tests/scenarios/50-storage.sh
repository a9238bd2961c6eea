#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sandbox: --cpus 3 --memory 2G
# timeout: 900
#
# Synthetic storage end to end over the VMBus loopback: storvsp (LIO
# fabric) offers a controller whose LUN 0 is a sparse fileio image;
# storvsc in the guest role turns it into an ordinary /dev/sdX.
#   1. size: the disk has exactly the image's size
#   2. ext4: mkfs, mount, write OHV_STOR_MB MiB of random files, unmount,
#      fsck -fn clean, remount, checksums match, fstrim punches holes
#   3. fio: random writes, 4 jobs at QD32 for OHV_FIO_SECS s with crc32c
#      verify: 0 errors; every channel (primary + 2 sub-channels) did I/O
#   4. hot-add: LUN 1 on dm-error appears without reload; I/O to it fails
#      with EIO within the I/O timeout; hot-remove makes it disappear
#   5. hot-remove of a LUN and rescind of the controller while fio runs:
#      fio sees errors, nothing hangs
#   6. teardown, every module unloads, kmemleak has nothing of ours,
#      dmesg has no BUG/WARNING/KASAN/UBSAN/lockdep report
set -euo pipefail
root=${OHV_ROOT:?}
mb=${OHV_STOR_MB:-256}
fio_secs=${OHV_FIO_SECS:-60}
io_timeout=${OHV_IO_TIMEOUT:-10}
modprobe=$root/tools/sandbox/ohv-modprobe
setup=$root/tools/ohv-storage-setup
dbg=/sys/kernel/debug
work=/tmp/ohv-stor.$$
mnt=$work/mnt
export DM_DISABLE_UDEV=1
mount -t debugfs none $dbg 2>/dev/null || true
dmesg_base=$(dmesg | wc -l)
[ -w $dbg/kmemleak ] && echo clear >$dbg/kmemleak
mkdir -p "$mnt"

# shellcheck source=SCRIPTDIR/lib/common.sh
. "$root/tests/scenarios/lib/common.sh"	# ok, fail, wait_for, stat_of, dmesg_problems
# What fail prints before the kernel log.
fail_dump() {
	for f in $dbg/ohv_storvsc/*/channels $dbg/ohv_storvsp/*/*; do
		[ -r "$f" ] && { echo "--- $f"; cat "$f"; }
	done
}
now() { date +%s.%N; }
secs() { python3 -c "print('%.1f' % ($2 - $1))"; }
vsc_host() {
	local h
	for h in /sys/class/scsi_host/host*; do
		[ "$(cat "$h/proc_name" 2>/dev/null)" = ohv_storvsc ] &&
			{ basename "$h" | sed 's/host//'; return 0; }
	done
	return 1
}
# disk_of LUN: the sdX of LUN on our host, if present.
disk_of() {
	local h
	h=$(vsc_host) || return 1
	ls "/sys/class/scsi_disk/$h:0:0:$1/device/block/" 2>/dev/null | head -n 1 | grep .
}
has_disk() { disk_of "$1" >/dev/null; }
no_disk() { ! has_disk "$1"; }

# ---------------------------------------------------------------- load
# virtme-ng links /lib/modules/$(uname -r) to the sandbox kernel's module
# tree under /var/cache, which virtme-ng-init hides behind a tmpfs; LIO's
# modules live there. Uncover it (this guest only).
if ! modprobe -n target_core_mod 2>/dev/null && mountpoint -q /var/cache; then
	umount -l /var/cache
fi
$modprobe ohv_vmbus target_core_mod target_core_file target_core_iblock \
	ohv_storvsp
insmod "$(find "$root/drivers/storvsc" -name ohv_storvsc.ko)" io_timeout="$io_timeout"
img=$work/lun0.img
truncate -s 1G "$img"
$setup lun -l 0 -f "$img"
t0=$(now)
$setup enable
wait_for 60 has_disk 0 || fail "LUN 0 did not appear"
dev=/dev/$(disk_of 0)
echo "disk $dev after $(secs "$t0" "$(now)") s"
head -n 1 $dbg/ohv_storvsc/*/channels

# ---------------------------------------------------------------- 1. size
size=$(blockdev --getsize64 "$dev")
[ "$size" = $((1 << 30)) ] || fail "size $size, want $((1 << 30))"
ok "size $size bytes"
sdev=/sys/block/$(basename "$dev")/device
pmode=$(cat $sdev/scsi_disk/*/provisioning_mode)
echo "discard: mode $pmode, max $(cat /sys/block/$(basename "$dev")/queue/discard_max_bytes) bytes; VPD pages: $(cd $sdev && ls -d vpd_pg* | tr '\n' ' ')"
[ "$pmode" = unmap ] || fail "discard mode $pmode, want unmap (VPD pages missing?)"
vendor=$(cat "/sys/block/$(basename "$dev")/device/vendor")
echo "vendor '$vendor' model '$(cat "/sys/block/$(basename "$dev")/device/model")'"

# ---------------------------------------------------------------- 2. ext4
mkfs.ext4 -q -F -E nodiscard "$dev" || fail mkfs
mount "$dev" "$mnt" || fail mount
nfiles=$(((mb + 15) / 16))
t0=$(now)
for i in $(seq "$nfiles"); do
	head -c $((16 << 20)) /dev/urandom >"$mnt/f$i"
done
sync
t1=$(now)
(cd "$mnt" && sha256sum f*) >"$work/sums"
umount "$mnt"
python3 -c "print('wrote %d MiB in %.1f s = %.1f MB/s' % ($nfiles * 16, $t1 - $t0, $nfiles * 16 * 1.048576 / ($t1 - $t0)))"
fsck.ext4 -fn "$dev" >"$work/fsck" 2>&1 || { cat "$work/fsck"; fail "fsck not clean"; }
ok "fsck -fn clean"
echo 3 >/proc/sys/vm/drop_caches
mount "$dev" "$mnt" || fail remount
t0=$(now)
(cd "$mnt" && sha256sum -c --quiet "$work/sums") || fail "checksums differ after remount"
t1=$(now)
ok "$nfiles files verified after remount ($(secs "$t0" "$t1") s)"
used0=$(du -k "$img" | cut -f1)
rm -f "$mnt"/f*
sync
fstrim -v "$mnt" || fail fstrim
used1=$(du -k "$img" | cut -f1)
echo "image uses ${used0} KiB before, ${used1} KiB after fstrim"
[ "$used1" -lt $((used0 / 2)) ] || fail "fstrim did not free the image's blocks"
ok "fstrim punched holes"
umount "$mnt"

# ---------------------------------------------------------------- 3. fio
chans=$dbg/ohv_storvsc/*/channels
errs() { awk '/^chan / { n += $12 } END { print n + 0 }' $chans; }
errs0=$(errs)
t0=$(now)
timeout $((fio_secs * 3 + 120)) fio --name=verify --filename="$dev" \
	--direct=1 --ioengine=libaio --rw=randwrite --bs=4k --iodepth=32 \
	--numjobs=4 --size=32M --offset_increment=32M --runtime="$fio_secs" \
	--time_based --verify=crc32c --verify_fatal=1 --verify_state_save=0 \
	--group_reporting \
	--output="$work/fio.out" || { cat "$work/fio.out"; fail "fio verify failed"; }
grep -E "write:|err=" "$work/fio.out" | head -n 3
grep -q "err= 0" "$work/fio.out" || fail "fio reported errors"
ok "fio randwrite+verify 4x QD32 ${fio_secs}s: 0 errors ($(secs "$t0" "$(now)") s)"
cat $chans
nch=$(grep -c '^chan ' $chans)
[ "$nch" -ge 3 ] || fail "$nch channels, want >= 3"
idle=$(awk '/^chan / && $6 == 0' $chans | wc -l)
[ "$idle" = 0 ] || fail "$idle channel(s) did no I/O"
ok "$nch channels, all did I/O"
[ "$(errs)" = "$errs0" ] || fail "error completions during fio on a good LUN"
# A lost request or completion would surface as a timeout, which storvsc
# answers with a LUN reset: on a healthy LUN there must be none.
resets=$(sed -n 's/.* resets \([0-9]*\)$/\1/p' $chans)
[ "$resets" = 0 ] || fail "$resets reset(s) on a healthy LUN: a command timed out"
ok "no command timed out (0 resets)"


# ---------------------------------------------------------------- 4. hot-add, EIO
dmsetup create ohv_err --table "0 131072 error" || fail dmsetup
$setup lun -l 1 -b /dev/mapper/ohv_err -n ohv_err
wait_for 60 has_disk 1 || fail "hot-added LUN 1 did not appear"
bad=/dev/$(disk_of 1)
ok "hot-added LUN 1 appeared as $bad"
t0=$(now)
if timeout $((io_timeout * 6 + 30)) dd if="$bad" of=/dev/null bs=4k count=1 \
	iflag=direct 2>"$work/dd.err"; then
	fail "read from a dm-error LUN succeeded"
fi
t1=$(now)
cat "$work/dd.err"
grep -q "Input/output error" "$work/dd.err" || fail "no EIO from the failing LUN"
python3 -c "import sys; sys.exit(0 if $t1 - $t0 < $io_timeout else 1)" ||
	fail "EIO took $(secs "$t0" "$t1") s, more than the ${io_timeout}s timeout"
ok "EIO from the failing LUN after $(secs "$t0" "$t1") s"
$setup unlun -l 1
wait_for 60 no_disk 1 || fail "hot-removed LUN 1 is still there"
ok "hot-removed LUN 1 disappeared"
rmdir /sys/kernel/config/target/core/iblock_0/ohv_err
dmsetup remove ohv_err

# ---------------------------------------------------------------- 5. remove under load
$setup lun -l 2 -r -s 64M -n ohv_rd2
wait_for 60 has_disk 2 || fail "LUN 2 did not appear"
d2=/dev/$(disk_of 2)
fio --name=hotrm --filename="$d2" --direct=1 --ioengine=libaio \
	--rw=randrw --bs=4k --iodepth=16 --runtime=120 --time_based \
	--output="$work/fio2.out" &
fpid=$!
sleep 5
$setup unlun -l 2
timeout 150 tail --pid=$fpid -f /dev/null || fail "fio hangs after LUN removal"
wait $fpid && fail "fio saw no error when its LUN went away"
grep -E "err=" "$work/fio2.out" | head -n 2
wait_for 60 no_disk 2 || fail "removed LUN 2 is still there"
ok "LUN removed under fio: fio failed, LUN gone"

fio --name=rescind --filename="$dev" --direct=1 --ioengine=libaio \
	--rw=randrw --bs=4k --iodepth=32 --numjobs=2 --runtime=120 \
	--time_based --output="$work/fio3.out" &
fpid=$!
sleep 5
t0=$(now)
$setup disable
timeout 150 tail --pid=$fpid -f /dev/null || fail "fio hangs after rescind"
wait $fpid && fail "fio saw no error when the controller went away"
grep -E "err=" "$work/fio3.out" | head -n 2
wait_for 60 no_disk 0 || fail "disk still present after rescind"
! vsc_host >/dev/null || fail "SCSI host still present after rescind"
ok "controller rescinded under fio: fio failed, host gone ($(secs "$t0" "$(now)") s)"

# ---------------------------------------------------------------- 6. unload
$setup teardown
$modprobe -r ohv_storvsc ohv_storvsp ohv_vmbus
! grep -q '^ohv_' /proc/modules || fail "modules still loaded"
ok "all modules unloaded"
rm -rf "$work"
if [ -w $dbg/kmemleak ]; then
	echo scan >$dbg/kmemleak
	sleep 5
	echo scan >$dbg/kmemleak
	if grep -E -A25 'unreferenced object' $dbg/kmemleak |
		grep -E 'ohv|storvs|vsp_|vsc_|target_|scsi'; then
		fail "kmemleak reports leaks of ours"
	fi
	ok "kmemleak: nothing of ours ($(grep -c 'unreferenced object' $dbg/kmemleak) unrelated)"
fi
if dmesg_problems $((dmesg_base + 1)); then
	fail "kernel reported a problem"
fi
echo "PASS 50-storage"
