#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hyp-bench.sh: hypervisor benchmarks; runs inside one sandbox as root:
#   tools/sandbox/run -- tools/bench/hyp-bench.sh
#
#  1. guest exit round trips, ohv_hyp vs kvm_amd, same flat guests:
#     VMMCALL (KVM answers it in the kernel; ohv_hyp passes every
#     hypercall to the worker) and OUT to port 0x80 (a user-space exit on
#     both); cycles per round trip as the guest measures them with RDTSC;
#  2. time for a Linux child (sandbox bzImage + busybox initramfs) to
#     reach its init, seen from the host (worker start to the marker);
#  3. exits per second of that child while it idles (`sleep`), from the
#     debugfs exit counters.
# Prints "result: NAME VALUE UNIT" lines. Needs tools/ohv-vm built.
# OHV_BENCH_ITERS (default 20000) sets the round trips per run.
set -uo pipefail

: "${OHV_ROOT:?OHV_ROOT is not set}" "${OHV_KDIR:?OHV_KDIR is not set}"
VMDIR=$OHV_ROOT/tools/ohv-vm
VM=$VMDIR/ohv-vm
MODPROBE=$OHV_ROOT/tools/sandbox/ohv-modprobe
ITERS=${OHV_BENCH_ITERS:-20000}
IDLE_S=10

work=$(mktemp -d)
hostroot=$work/hostroot
cleanup() {
	mountpoint -q "$hostroot" && umount "$hostroot"
	rm -rf "$work"
}
trap cleanup EXIT
die() { echo "hyp-bench: $*" >&2; exit 1; }
# shellcheck source=SCRIPTDIR/../../tools/sandbox/kvm.sh
. "$OHV_ROOT/tools/sandbox/kvm.sh"	# kvm_load, kvm_unload, find_bzimage

mount -t debugfs none /sys/kernel/debug 2>/dev/null || true

# cycles LOG: the per-call cycle count the bench guest printed.
cycles() { sed -n 's/^bench: .* \([0-9]*\) cycles per call.*/\1/p' "$1" | tail -1; }
# best of 3 runs of CMD...: the lowest cycles per call.
best_of_3() {
	local best="" c
	for _ in 1 2 3; do
		"$@" >"$work/run.log" 2>&1 || { cat "$work/run.log" >&2; die "run failed: $*"; }
		c=$(cycles "$work/run.log")
		[ -n "$c" ] || { cat "$work/run.log" >&2; die "no result from: $*"; }
		if [ -z "$best" ] || [ "$c" -lt "$best" ]; then best=$c; fi
	done
	echo "$best"
}

tsc_mhz=$(dmesg | sed -n 's/.*tsc: Refined TSC clocksource calibration: \([0-9.]*\) MHz.*/\1/p' | tail -1)
[ -n "$tsc_mhz" ] || tsc_mhz=$(dmesg | sed -n 's/.*tsc: Detected \([0-9.]*\) MHz.*/\1/p' | tail -1)
[ -n "$tsc_mhz" ] || die "cannot find the TSC frequency in dmesg"
ns() { awk -v c="$1" -v m="$tsc_mhz" 'BEGIN { printf "%.0f", c * 1000 / m }'; }
echo "TSC: $tsc_mhz MHz, $ITERS round trips per run, best of 3"

# ---- 1a. ohv_hyp -------------------------------------------------------------
"$MODPROBE" ohv_hyp || die "loading ohv_hyp"
ohv_vmmcall=$(best_of_3 "$VM" --raw "$VMDIR/guests/bench-vmmcall.bin" --raw-arg "$ITERS" --memory 64M)
ohv_pio=$(best_of_3 "$VM" --raw "$VMDIR/guests/bench-pio.bin" --raw-arg "$ITERS" --memory 64M)

# ---- 2. time to init, 3. idle exits -------------------------------------------
k=$(find_bzimage)
[ -r "$k" ] || die "no guest kernel"
OHV_INIT_SLEEP=$IDLE_S "$VMDIR/mkinitramfs" "$work/idle.cpio" OHV-BENCH-UP 2>/dev/null || die mkinitramfs

exits_total() { awk '{ s += $2 } END { print s + 0 }' /sys/kernel/debug/ohv_hyp/*/vp0/exits; }
start=$(date +%s%N)
"$VM" --kernel "$k" --initrd "$work/idle.cpio" --memory 256M \
	--append "console=ttyS0 panic=-1 reboot=k printk.devkmsg=on" </dev/null >"$work/child.log" 2>&1 &
child=$!
while ! grep -q '^OHV-BENCH-UP' "$work/child.log"; do
	kill -0 "$child" 2>/dev/null || { tail -40 "$work/child.log"; die "child died before init"; }
	sleep 0.05
done
init_ms=$(( ($(date +%s%N) - start) / 1000000 ))
# Let the marker's own output settle, then count over 5 s of `sleep`.
sleep 1
e0=$(exits_total); t0=$(date +%s%N)
sleep 5
e1=$(exits_total); t1=$(date +%s%N)
cp /sys/kernel/debug/ohv_hyp/*/vp0/exits "$work/exits.txt"
wait "$child" || { tail -40 "$work/child.log"; die "child did not power off cleanly"; }
idle_rate=$(awk -v e=$((e1 - e0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", e * 1e9 / t }')
guest_init=$(grep -m1 "Run /init" "$work/child.log" | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
echo "idle child exit counters at the end:"; cat "$work/exits.txt"
"$MODPROBE" -r ohv_hyp

# ---- 1b. kvm_amd ----------------------------------------------------------------
runner=$work/hyp-kvm-runner
gcc -O2 -std=gnu11 -D_GNU_SOURCE -I"$VMDIR" -I"$OHV_ROOT/include/uapi" -o "$runner" \
	"$OHV_ROOT/tools/bench/hyp-kvm-runner.c" "$VMDIR/guest_mem.c" "$VMDIR/cpu_boot.c" ||
	die "building hyp-kvm-runner"
kvm_load 2>"$work/kvm.err" ||
	{ cat "$work/kvm.err"; dmesg | grep -i 'kvm\|svm' | tail -5; die "loading kvm_amd"; }
kvm_vmmcall=$(best_of_3 "$runner" "$VMDIR/guests/bench-vmmcall.bin" "$ITERS")
kvm_pio=$(best_of_3 "$runner" "$VMDIR/guests/bench-pio.bin" "$ITERS")
kvm_unload

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "result: vmmcall-ohv $ohv_vmmcall cycles ($(ns "$ohv_vmmcall") ns) per round trip (to the worker)"
echo "result: vmmcall-kvm $kvm_vmmcall cycles ($(ns "$kvm_vmmcall") ns) per round trip (in the kernel)"
echo "result: vmmcall-ratio $(ratio "$kvm_vmmcall" "$ohv_vmmcall") (KVM time / ours; >= 1 means no slower)"
echo "result: pio-ohv $ohv_pio cycles ($(ns "$ohv_pio") ns) per round trip (to the worker)"
echo "result: pio-kvm $kvm_pio cycles ($(ns "$kvm_pio") ns) per round trip (to the runner)"
echo "result: pio-ratio $(ratio "$kvm_pio" "$ohv_pio") (KVM time / ours; >= 1 means no slower)"
echo "result: child-init $init_ms ms from worker start to the init marker (child uptime at Run /init: ${guest_init:-?} s)"
echo "result: idle-exits $idle_rate exits/s of an idle 1-VP child"
