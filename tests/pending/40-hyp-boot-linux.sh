#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sandbox: --cpus 2 --memory 2G
# timeout: 3600
#
# Boots a Linux guest on ohv_hyp with the ohv-vm worker five times in a
# row: each boot must print the initramfs marker, power off through ACPI
# S5 and make ohv-vm exit 0. The sandbox kernel must stay free of BUG,
# WARNING and KASAN reports. Runs inside the sandbox as root with
# OHV_ROOT and OHV_KDIR set; needs tools/ohv-vm built on the host.
set -uo pipefail

: "${OHV_ROOT:?OHV_ROOT is not set}" "${OHV_KDIR:?OHV_KDIR is not set}"
VM=$OHV_ROOT/tools/ohv-vm/ohv-vm
KO=$OHV_ROOT/arch/x86/hypervisor/ohv_hyp.ko
# The guest kernel: OHV_GUEST_KERNEL, else the sandbox kernel's bzImage.
# virtme-ng mounts a tmpfs on /var/cache, so a kernel tree under
# /var/cache/ohv is not visible in the sandbox; the host side may leave a
# copy in $OHV_ROOT/build/bzImage (git-ignored) instead.
BZIMAGE=${OHV_GUEST_KERNEL:-}
for k in "$OHV_KDIR/arch/x86/boot/bzImage" "$OHV_ROOT/build/bzImage"; do
	[ -n "$BZIMAGE" ] || { [ -r "$k" ] && BZIMAGE=$k; }
done
RUNS=${OHV_BOOT_RUNS:-5}
MARKER=OHV-GUEST-UP
APPEND="console=ttyS0 panic=-1 reboot=k"

fail() { echo "FAIL: $*"; exit 1; }

[ -x "$VM" ] || fail "$VM missing: build it first (make -C tools KSRC=...)"
[ -r "$BZIMAGE" ] || fail "no guest kernel: set OHV_GUEST_KERNEL or copy the sandbox bzImage to $OHV_ROOT/build/bzImage"
if ! grep -q '^ohv_hyp ' /proc/modules; then
	[ -f "$KO" ] || fail "$KO missing: build the modules first"
	insmod "$KO" || fail "insmod $KO"
fi
[ -c /dev/ohv-hyp ] || fail "/dev/ohv-hyp missing after loading ohv_hyp"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$OHV_ROOT/tools/ohv-vm/mkinitramfs" "$work/init.cpio" "$MARKER" ||
	fail "mkinitramfs"
dmesg_before=$(dmesg | wc -l)

for i in $(seq 1 "$RUNS"); do
	log=$work/boot-$i.log
	start=$(date +%s)
	timeout -k 5 600 "$VM" --kernel "$BZIMAGE" --initrd "$work/init.cpio" \
		--memory 512M --append "$APPEND" </dev/null >"$log" 2>&1
	rc=$?
	echo "boot $i: exit $rc after $(( $(date +%s) - start )) s: $(grep '^ohv-vm: exit' "$log" | tail -1)"
	if [ $rc -ne 0 ] || ! grep -q "^$MARKER" "$log"; then
		echo "--- guest log (last 60 lines) ---"
		tail -n 60 "$log"
		fail "boot $i: want exit 0 and the marker '$MARKER'"
	fi
	grep -q '^OHV-GUEST-DONE' "$log" || fail "boot $i: /init did not finish"
done

bad=$(dmesg | tail -n +"$((dmesg_before + 1))" | grep -E 'BUG|WARNING|KASAN' || true)
[ -z "$bad" ] || { echo "$bad"; fail "kernel reported problems"; }
echo "PASS: $RUNS boots, all powered off cleanly"
