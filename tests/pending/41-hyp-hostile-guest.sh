#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sandbox: --cpus 2 --memory 2G
# timeout: 1800
#
# Runs the hostile flat guest (tools/ohv-vm/guests/hostile.bin) on
# ohv_hyp: undefined and privileged instructions, random MSRs, unknown
# ports, then a triple fault that ohv-vm must report with exit code 3.
# Variants with string I/O and an unmapped-GPA read must end the VM with
# a clean error (exit 3 or 4), and the VMMCALL benchmark guest must exit
# 0. Afterwards a normal Linux guest must still boot and power off, and
# the sandbox kernel must not have logged BUG, WARNING or KASAN.
set -uo pipefail

: "${OHV_ROOT:?OHV_ROOT is not set}" "${OHV_KDIR:?OHV_KDIR is not set}"
VMDIR=$OHV_ROOT/tools/ohv-vm
VM=$VMDIR/ohv-vm
KO=$OHV_ROOT/arch/x86/hypervisor/ohv_hyp.ko
# The guest kernel: OHV_GUEST_KERNEL, else the sandbox kernel's bzImage.
# virtme-ng mounts a tmpfs on /var/cache, so a kernel tree under
# /var/cache/ohv is not visible in the sandbox; the host side may leave a
# copy in $OHV_ROOT/build/bzImage (git-ignored) instead.
BZIMAGE=${OHV_GUEST_KERNEL:-}
for k in "$OHV_KDIR/arch/x86/boot/bzImage" "$OHV_ROOT/build/bzImage"; do
	[ -n "$BZIMAGE" ] || { [ -r "$k" ] && BZIMAGE=$k; }
done
MARKER=OHV-GUEST-UP

fail() { echo "FAIL: $*"; exit 1; }

for f in "$VM" "$VMDIR/guests/hostile.bin" "$VMDIR/guests/bench-vmmcall.bin"; do
	[ -e "$f" ] || fail "$f missing: build tools/ohv-vm first"
done
if ! grep -q '^ohv_hyp ' /proc/modules; then
	insmod "$KO" || fail "insmod $KO"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dmesg_before=$(dmesg | wc -l)

# run NAME WANT_CODES... -- ARGS: one worker run with a time limit.
run() {
	local name=$1 rc ok=0 want
	shift
	local codes=()
	while [ "$1" != -- ]; do codes+=("$1"); shift; done
	shift
	timeout -k 5 600 "$VM" "$@" </dev/null >"$work/$name.log" 2>&1
	rc=$?
	for want in "${codes[@]}"; do [ $rc -eq "$want" ] && ok=1; done
	echo "$name: exit $rc: $(grep '^ohv-vm: exit\|^ohv-vm: ' "$work/$name.log" | tail -1)"
	if [ $ok -ne 1 ]; then
		tail -n 40 "$work/$name.log"
		fail "$name: exit $rc, want one of ${codes[*]}"
	fi
}

run hostile 3 -- --raw "$VMDIR/guests/hostile.bin" --memory 64M
grep -q 'hostile: all stages done' "$work/hostile.log" ||
	{ tail -n 40 "$work/hostile.log"; fail "hostile guest did not finish its stages"; }
grep -q 'triple fault' "$work/hostile.log" || fail "no triple-fault reason on stderr"
if grep -q UNEXPECTED "$work/hostile.log"; then
	grep UNEXPECTED "$work/hostile.log"
	fail "the hypervisor's answers differ from the architecture"
fi

run hostile-string-io 3 4 -- --raw "$VMDIR/guests/hostile.bin" --raw-arg 1 --memory 64M
run hostile-unmapped 3 4 -- --raw "$VMDIR/guests/hostile.bin" --raw-arg 2 --memory 64M
run bench-vmmcall 0 -- --raw "$VMDIR/guests/bench-vmmcall.bin" --raw-arg 10000 --memory 64M --stats
grep '^bench:' "$work/bench-vmmcall.log" || fail "benchmark printed no result"

[ -r "$BZIMAGE" ] || fail "no guest kernel: set OHV_GUEST_KERNEL or copy the sandbox bzImage to $OHV_ROOT/build/bzImage"
"$VMDIR/mkinitramfs" "$work/init.cpio" "$MARKER" || fail "mkinitramfs"
run linux-after 0 -- --kernel "$BZIMAGE" --initrd "$work/init.cpio" \
	--memory 512M --append "console=ttyS0 panic=-1 reboot=k"
grep -q "^$MARKER" "$work/linux-after.log" || fail "Linux guest did not reach /init"

bad=$(dmesg | tail -n +"$((dmesg_before + 1))" | grep -E 'BUG|WARNING|KASAN' || true)
[ -z "$bad" ] || { echo "$bad"; fail "kernel reported problems"; }
echo "PASS: hostile guest contained, Linux boots afterwards"
