#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sandbox: --cpus 2 --memory 2G
# timeout: 900
#
# The hypervisor end to end, in one sandbox boot:
#  1. a Linux child (the sandbox's own bzImage + a busybox initramfs) boots
#     on ohv_hyp OHV_BOOT_RUNS times (default 5): each prints the marker on
#     the emulated UART, runs `sleep 1`, reads /proc/cpuinfo (which must
#     show the hypervisor flag), powers off, and ohv-vm exits 0;
#     while the first child runs, unloading ohv_hyp must be refused;
#  2. the hostile flat guest: every stage answers like the architecture,
#     the triple fault ends it with exit 3 and a reason; string I/O and an
#     unmapped-GPA read end their VMs cleanly; the VMMCALL loop works;
#  3. a normal child boots afterwards;
#  4. kmemleak finds nothing of ours, ohv_hyp unloads;
#  5. with a KVM VM alive (kvm_amd owns SVM), ohv_hyp refuses to load and
#     says why;
# and the kernel logs no BUG, WARNING, KASAN, lockdep or kmemleak report.
set -uo pipefail

: "${OHV_ROOT:?OHV_ROOT is not set}" "${OHV_KDIR:?OHV_KDIR is not set}"
VMDIR=$OHV_ROOT/tools/ohv-vm
VM=$VMDIR/ohv-vm
MODPROBE=$OHV_ROOT/tools/sandbox/ohv-modprobe
RUNS=${OHV_BOOT_RUNS:-5}
MARKER=OHV-GUEST-UP
APPEND="console=ttyS0 panic=-1 reboot=k printk.devkmsg=on"
BOOT_TIMEOUT=${OHV_BOOT_TIMEOUT:-300}

fail() { echo "FAIL: $*"; dmesg | tail -n 40; exit 1; }
# shellcheck source=SCRIPTDIR/../../tools/sandbox/kvm.sh
. "$OHV_ROOT/tools/sandbox/kvm.sh"	# kvm_load, kvm_unload, find_bzimage

pass() { echo "ok: $*"; }

work=$(mktemp -d)
hostroot=$work/hostroot
cleanup() {
	mountpoint -q "$hostroot" && umount "$hostroot"
	rm -rf "$work"
}
trap cleanup EXIT

mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
dmesg_base=$(dmesg | wc -l)
BZIMAGE=$(find_bzimage)
[ -x "$VM" ] || fail "$VM missing: build it first (make -C tools KSRC=...)"
[ -r "$BZIMAGE" ] || fail "no guest kernel (tried \$OHV_KDIR, the host root, $OHV_ROOT/build/bzImage)"
echo "guest kernel: $BZIMAGE"
kmemleak=/sys/kernel/debug/kmemleak
[ -w $kmemleak ] && echo clear >$kmemleak

"$MODPROBE" ohv_hyp || fail "loading ohv_hyp"
[ -c /dev/ohv-hyp ] || fail "/dev/ohv-hyp missing after loading ohv_hyp"
"$VMDIR/mkinitramfs" "$work/init.cpio" "$MARKER" 2>/dev/null || fail "mkinitramfs"

# check_boot N LOG RC: the child's log must show a clean, complete run.
check_boot() {
	local n=$1 log=$2 rc=$3
	if [ "$rc" -ne 0 ] || ! grep -q "^$MARKER" "$log" ||
	   ! grep -q 'OHV-GUEST-DONE' "$log"; then
		echo "--- child log (last 60 lines) ---"
		tail -n 60 "$log"
		fail "boot $n: exit $rc; want exit 0, '$MARKER' and OHV-GUEST-DONE"
	fi
	grep -q 'cpuinfo: flags.* hypervisor' "$log" || fail "boot $n: /proc/cpuinfo lacks the hypervisor flag"
	grep -q 'Hypervisor detected: Microsoft Hyper-V' "$log" ||
		fail "boot $n: the child did not detect the Hyper-V interface"
	grep -qi 'calibrat.*skipped\|tsc: Detected .* MHz processor\|TSC.*known' "$log" ||
		echo "note: boot $n: no TSC frequency line found"
}

boot_child() {
	timeout -k 5 "$BOOT_TIMEOUT" "$VM" --kernel "$BZIMAGE" --initrd "$work/init.cpio" \
		--memory 256M --append "$APPEND" </dev/null >"$1" 2>&1
}

# 1. Linux children; the first one with an unload attempt while it runs.
for i in $(seq 1 "$RUNS"); do
	log=$work/boot-$i.log
	start=$(date +%s%N)
	if [ "$i" -eq 1 ]; then
		boot_child "$log" &
		pid=$!
		for _ in $(seq 1 100); do
			compgen -G "/sys/kernel/debug/ohv_hyp/*" >/dev/null && break
			sleep 0.1
		done
		if rmmod ohv_hyp 2>"$work/rmmod.err"; then
			fail "ohv_hyp unloaded while a partition was alive"
		fi
		grep -q ohv_hyp /proc/modules || fail "ohv_hyp is gone"
		pass "unload refused while a partition is alive ($(tr -d '\n' <"$work/rmmod.err"))"
		wait "$pid"
		rc=$?
	else
		boot_child "$log"
		rc=$?
	fi
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	check_boot "$i" "$log" "$rc"
	init_s=$(grep -m1 "^\[ *[0-9.]*\] Run /init" "$log" | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
	pass "boot $i: exit 0 after $ms ms (child reached /init at ${init_s:-?} s of its uptime): $(grep '^ohv-vm: exit' "$log" | tail -1)"
done
grep -m1 'Hyper-V: privilege flags' "$work/boot-1.log"
grep -m1 -i 'tsc: Detected\|Calibrating delay' "$work/boot-1.log"

# 2. The hostile guest.
# run NAME WANT_CODES... -- ARGS: one worker run with a time limit.
run() {
	local name=$1 rc ok=0 want
	shift
	local codes=()
	while [ "$1" != -- ]; do codes+=("$1"); shift; done
	shift
	timeout -k 5 300 "$VM" "$@" </dev/null >"$work/$name.log" 2>&1
	rc=$?
	for want in "${codes[@]}"; do [ $rc -eq "$want" ] && ok=1; done
	if [ $ok -ne 1 ]; then
		tail -n 40 "$work/$name.log"
		fail "$name: exit $rc, want one of ${codes[*]}"
	fi
	pass "$name: exit $rc: $(grep '^ohv-vm: exit' "$work/$name.log" | tail -1)"
}

run hostile 3 -- --raw "$VMDIR/guests/hostile.bin" --memory 64M
grep -q 'hostile: all stages done' "$work/hostile.log" ||
	{ tail -n 40 "$work/hostile.log"; fail "hostile guest did not finish its stages"; }
grep -q 'triple fault' "$work/hostile.log" || fail "no triple-fault reason on stderr"
if grep -q UNEXPECTED "$work/hostile.log"; then
	grep UNEXPECTED "$work/hostile.log"
	fail "the hypervisor's answers differ from the architecture"
fi
pass "hostile: $(grep -c '(ok)' "$work/hostile.log") stages answered as the architecture says"
run hostile-string-io 3 4 -- --raw "$VMDIR/guests/hostile.bin" --raw-arg 1 --memory 64M
run hostile-unmapped 3 4 -- --raw "$VMDIR/guests/hostile.bin" --raw-arg 2 --memory 64M
run bench-vmmcall 0 -- --raw "$VMDIR/guests/bench-vmmcall.bin" --raw-arg 10000 --memory 64M
grep '^bench:' "$work/bench-vmmcall.log" || fail "benchmark printed no result"

# 3. A normal child after all that.
boot_child "$work/after.log"
check_boot after "$work/after.log" $?
pass "a Linux child boots after the hostile runs"

# 4. Leaks, unload.
if [ -w $kmemleak ]; then
	echo scan >$kmemleak
	sleep 6
	echo scan >$kmemleak
	if grep -q 'ohv' $kmemleak; then
		cat $kmemleak
		fail "kmemleak reports leaks in ohv code"
	fi
	pass "kmemleak: $(grep -c '^unreferenced object' $kmemleak) unreferenced objects, none from ohv"
else
	echo "note: kmemleak not available"
fi
"$MODPROBE" -r ohv_hyp || fail "unloading ohv_hyp after the VMs ended"
[ ! -e /dev/ohv-hyp ] || fail "/dev/ohv-hyp still there after unload"
pass "ohv_hyp unloaded"

# 5. KVM owns SVM: ohv_hyp must refuse to load, and say why.
if kvm_load 2>"$work/kvm.err"; then
	runner=$work/hyp-kvm-runner
	gcc -O2 -std=gnu11 -D_GNU_SOURCE -I"$VMDIR" -I"$OHV_ROOT/include/uapi" \
		-o "$runner" "$OHV_ROOT/tools/bench/hyp-kvm-runner.c" \
		"$VMDIR/guest_mem.c" "$VMDIR/cpu_boot.c" || fail "building hyp-kvm-runner"
	# Held until killed below: loading ohv_hyp (a find over the 9p root,
	# modinfo, insmod) can take longer than any short hold under TCG.
	"$runner" --hold 3600 >"$work/hold.log" 2>&1 &
	hold=$!
	for _ in $(seq 1 50); do grep -q holding "$work/hold.log" && break; sleep 0.1; done
	grep -q holding "$work/hold.log" || { cat "$work/hold.log"; fail "no KVM VM"; }
	mark=$(dmesg | wc -l)
	if "$MODPROBE" ohv_hyp 2>/dev/null; then
		kill "$hold"
		fail "ohv_hyp loaded while KVM owns SVM"
	fi
	msg=$(dmesg | tail -n +"$((mark + 1))" | grep -m1 'ohv_hyp:.*refusing')
	kill "$hold"
	wait "$hold" 2>/dev/null
	[ -n "$msg" ] || fail "ohv_hyp refused to load without saying why"
	pass "refused to load while KVM holds SVM: $msg"
	kvm_unload
	"$MODPROBE" ohv_hyp || fail "ohv_hyp does not load after KVM let go"
	"$MODPROBE" -r ohv_hyp
	pass "ohv_hyp loads again once KVM is gone"
else
	echo "note: kvm_amd does not load here ($(tr '\n' ' ' <"$work/kvm.err")$(dmesg | grep -m1 -i 'kvm.*\(support\|disabled\)')), KVM refusal not checked"
fi

bad=$(dmesg | tail -n +"$((dmesg_base + 1))" |
	grep -E 'BUG:|WARNING: CPU|KASAN:|UBSAN:|possible circular|inconsistent lock|kmemleak: .*new suspected' || true)
[ -z "$bad" ] || { echo "$bad"; fail "kernel reported problems"; }
echo "PASS: $RUNS Linux children, hostile guest contained, unload and KVM refusals"
