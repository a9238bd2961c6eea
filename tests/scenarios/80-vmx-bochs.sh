#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# runner: bochs
# timeout: 1500
#
# Everything the VMX backend is tested with, in one Bochs boot
# (corei7_skylake_x: VMX with EPT, VPID, unrestricted guest, preemption
# timer). Runs inside Bochs through tools/sandbox/bochs with OHV_ROOT set:
#   1. ohv_hyp loads with the vmx backend; its KUnit suites pass
#   2. the uapi kselftests (tests/selftests/hyp) pass on VMX
#   3. the hostile flat guest is contained (same checks as on SVM) and
#      the host stays up
#   4. exit round trips: ohv_hyp vs kvm_intel, same guest code
#      (tools/bench/vmx-exitbench), in guest TSC cycles
#   5. ohv_hyp refuses to load while KVM owns VMX
#   6. a Linux child (the sandbox bzImage) boots to its /init marker, runs
#      `sleep 1` and powers off (exit 0); OHV_VMX_LINUX=0 skips it
# OHV_VMX_SKIP="bench" skips the benchmark. Every check prints one line.
set -uo pipefail

: "${OHV_ROOT:?OHV_ROOT is not set}"
VMDIR=$OHV_ROOT/tools/ohv-vm
VM=$VMDIR/ohv-vm
KO=$OHV_ROOT/arch/x86/hypervisor/ohv_hyp.ko
KUNIT_KO=$OHV_ROOT/arch/x86/hypervisor/ohv_hyp_kunit.ko
BENCH=$OHV_ROOT/tools/bench/vmx-exitbench
BZIMAGE=${OHV_GUEST_KERNEL:-$OHV_ROOT/build/bzImage}
CHILD_INITRD=$OHV_ROOT/build/child-init.cpio
SKIP=" ${OHV_VMX_SKIP:-} "
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# Kernel problems since the last call; the log is cleared for what follows.
kernel_problems=""
drain_dmesg() {
	local bad
	bad=$(dmesg -c | grep -E 'BUG:|WARNING: CPU|KASAN|UBSAN|Call Trace' || true)
	[ -z "$bad" ] || kernel_problems="$kernel_problems$bad"$'\n'
}
skipped() { case "$SKIP" in *" $1 "*) echo "SKIP: $1"; return 0 ;; esac; return 1; }

# ---- 1. module load and KUnit ----------------------------------------------
mount -t debugfs none /sys/kernel/debug 2>/dev/null
flags=$(grep -m1 '^vmx flags' /proc/cpuinfo || true)
for f in ept vpid unrestricted_guest; do
	case " $flags " in *" $f "*) pass "cpu has $f" ;; *) fail "cpu lacks $f" ;; esac
done
# Bochs's APIC trips a UBSAN report at boot; only what we cause counts.
dmesg -c >/dev/null
if insmod "$KO"; then
	pass "insmod ohv_hyp"
else
	fail "insmod ohv_hyp"; dmesg | tail -20; exit 1
fi
if dmesg | grep -q 'ohv_hyp: loaded, vmx backend'; then
	pass "vmx backend selected ($(dmesg | grep -o 'VMX: pin.*' | head -1))"
else
	fail "vmx backend not selected"; dmesg | tail -5
fi
if insmod "$KUNIT_KO" 2>/dev/null; then
	for d in /sys/kernel/debug/kunit/ohv_hyp_*; do
		r=$(head -1 "$d/results" 2>/dev/null; tail -1 "$d/results" 2>/dev/null)
		if tail -1 "$d/results" | grep -q '^ok'; then
			pass "kunit $(basename "$d")"
		else
			fail "kunit $(basename "$d")"; sed 's/^/  /' "$d/results" | grep -v '^  *#' | head -20
		fi
		: "$r"
	done
	rmmod ohv_hyp_kunit
else
	fail "insmod ohv_hyp_kunit"
fi

# ---- 2. uapi kselftests --------------------------------------------------------
rmmod ohv_hyp || fail "rmmod ohv_hyp"
drain_dmesg
if "$OHV_ROOT/tests/selftests/hyp/run" >"$work/selftest.log" 2>&1; then
	pass "kselftests: $(grep -c '^ok' "$work/selftest.log") ok, $(grep -c '^not ok' "$work/selftest.log") not ok"
else
	fail "kselftests"
fi
grep -E '^(ok|not ok)' "$work/selftest.log" | sed 's/^/  /'
grep -E '^not ok' -B15 "$work/selftest.log" | grep '#' | head -40 | sed 's/^/  /'
drain_dmesg
insmod "$KO" || { fail "insmod ohv_hyp after the selftests"; exit 1; }

# ---- 3. hostile guest ------------------------------------------------------------
# vm NAME WANT_CODES... -- ARGS: one worker run with a time limit.
vm() {
	local name=$1 rc ok=0 want codes=()
	shift
	while [ "$1" != -- ]; do codes+=("$1"); shift; done
	shift
	timeout -k 5 600 "$VM" "$@" </dev/null >"$work/$name.log" 2>&1
	rc=$?
	for want in "${codes[@]}"; do [ $rc -eq "$want" ] && ok=1; done
	if [ $ok -eq 1 ]; then
		pass "$name: exit $rc: $(grep '^ohv-vm: ' "$work/$name.log" | tail -1)"
	else
		fail "$name: exit $rc, want one of ${codes[*]}"
		tail -n 30 "$work/$name.log" | sed 's/^/  /'
	fi
	return $((1 - ok))
}

if vm hostile 3 -- --raw "$VMDIR/guests/hostile.bin" --memory 64M; then
	if grep -q 'hostile: all stages done' "$work/hostile.log"; then
		pass "hostile: all stages done"
	else
		fail "hostile: stages did not finish"
	fi
	grep -q 'triple fault' "$work/hostile.log" && pass "hostile: triple fault reported" ||
		fail "hostile: no triple-fault reason"
	if grep -q UNEXPECTED "$work/hostile.log"; then
		fail "hostile: $(grep -c UNEXPECTED "$work/hostile.log") answers differ from the architecture"
		grep UNEXPECTED "$work/hostile.log" | sed 's/^/  /'
	else
		pass "hostile: every answer as the architecture says"
	fi
fi
vm hostile-string-io 3 4 -- --raw "$VMDIR/guests/hostile.bin" --raw-arg 1 --memory 64M
vm hostile-unmapped 3 4 -- --raw "$VMDIR/guests/hostile.bin" --raw-arg 2 --memory 64M
for b in vmcall vmmcall; do
	if vm "bench-$b" 0 -- --raw "$VMDIR/guests/bench-$b.bin" --raw-arg 2000 --memory 64M; then
		echo "  $(grep '^bench:' "$work/bench-$b.log")"
	fi
done
grep -q 'ohv_hyp' /proc/modules && pass "host still up, ohv_hyp loaded" || fail "ohv_hyp gone"

# ---- 4. benchmark: ours vs kvm_intel ------------------------------------------------
# exitbench WHO: vmx-exitbench's io and vmcall round trips, $n each, on
# WHO (ohv or kvm); the cycle counts go into ${WHO}_io and ${WHO}_vmcall.
exitbench() {
	local who=$1 mode out
	for mode in io vmcall; do
		if out=$("$BENCH" "$who" $mode "$n" 2>&1); then
			echo "  $out"
			eval "${who}_$mode=$(echo "$out" | awk '{print $6}')"
		else
			fail "exitbench $who $mode: $out"
		fi
	done
}
if ! skipped bench; then
	n=${OHV_VMX_BENCH_N:-2000}
	exitbench ohv
	rmmod ohv_hyp || fail "rmmod ohv_hyp before kvm"
	if modprobe kvm_intel; then
		exitbench kvm
		# ---- 5. KVM owns VMX while a VM exists: we must refuse ----------
		"$BENCH" kvm io 1 --hold 8 >/dev/null 2>&1 &
		holder=$!
		sleep 4
		drain_dmesg
		if insmod "$KO" 2>/dev/null; then
			fail "ohv_hyp loaded while KVM owns VMX"
			rmmod ohv_hyp
		elif dmesg | grep -q 'another hypervisor (KVM?) owns VMX'; then
			pass "refused while KVM owns VMX: $(dmesg | grep -m1 -o 'CR4.VMXE.*')"
		else
			fail "refused, but without the KVM message"; dmesg | tail -3
		fi
		wait $holder
		rmmod kvm_intel kvm 2>/dev/null
	else
		fail "modprobe kvm_intel"
	fi
	for mode in io vmcall; do
		o=$(eval echo "\${ohv_$mode:-}") k=$(eval echo "\${kvm_$mode:-}")
		if [ -n "$o" ] && [ -n "$k" ] && [ "$k" -gt 0 ]; then
			pass "bench $mode round trip: ohv $o, kvm $k TSC cycles, ratio kvm/ohv $(awk "BEGIN{printf \"%.2f\", $k/$o}")"
		fi
	done
	drain_dmesg
	insmod "$KO" || { fail "insmod ohv_hyp after kvm"; exit 1; }
fi

# ---- 6. Linux child ----------------------------------------------------------------
if [ "${OHV_VMX_LINUX:-1}" = 1 ]; then
	if [ -r "$BZIMAGE" ] && [ -r "$CHILD_INITRD" ]; then
		start=$(date +%s)
		if vm linux 0 -- --kernel "$BZIMAGE" --initrd "$CHILD_INITRD" --memory 256M \
			--append "console=ttyS0 panic=-1 reboot=k printk.devkmsg=on"; then
			grep -q '^OHV-GUEST-UP' "$work/linux.log" && pass "linux: marker after $(( $(date +%s) - start )) s" ||
				fail "linux: no marker"
			# /init logs its last line through /dev/kmsg (see mkinitramfs).
			grep -q 'OHV-GUEST-DONE' "$work/linux.log" && pass "linux: /init finished" ||
				fail "linux: /init did not finish"
		else
			grep -E 'Kernel panic|unmapped|error|x2apic' "$work/linux.log" | tail -5 | sed 's/^/  /'
		fi
	else
		fail "no child kernel or initramfs"
	fi
fi

drain_dmesg
if [ -n "$kernel_problems" ]; then
	fail "kernel reported problems"; echo "$kernel_problems" | head -20
else
	pass "no kernel warnings"
fi
rmmod ohv_hyp || fail "rmmod ohv_hyp at the end"
echo "vmx: $failures failure(s)"
[ $failures -eq 0 ]
