# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # hostroot is set by the caller
# Sourced (not run) inside the sandbox by the hypervisor scripts
# (tests/scenarios/40-hyp-guests.sh, tools/bench/hyp-bench.sh): loading
# kvm_amd and finding the guest kernel, both of which live in the sandbox
# kernel tree ($OHV_KDIR) rather than in /lib/modules or the repository.
#
# virtme-ng hides /var/cache under a tmpfs; a non-recursive, read-only
# bind mount of / on $hostroot shows the host's directory underneath it.
# The caller sets hostroot to a path in its own scratch directory and
# unmounts it on exit (mountpoint -q "$hostroot" && umount "$hostroot").

# kvm_load: insmod irqbypass, kvm and kvm_amd from the sandbox kernel tree
# (each unless already loaded); fails on the first one that does not load.
kvm_load() {
	local m base=$OHV_KDIR
	if [ ! -r "$base/arch/x86/kvm/kvm.ko" ]; then
		mkdir -p "$hostroot"
		mountpoint -q "$hostroot" || mount --bind -o ro / "$hostroot"
		base=$hostroot$OHV_KDIR
	fi
	for m in virt/lib/irqbypass arch/x86/kvm/kvm arch/x86/kvm/kvm-amd; do
		grep -q "^$(basename "$m" | tr - _) " /proc/modules && continue
		insmod "$base/$m.ko" || return 1
	done
}
kvm_unload() { rmmod kvm_amd kvm irqbypass 2>/dev/null || true; }

# find_bzimage: print the guest kernel's path: OHV_GUEST_KERNEL, else the
# sandbox kernel's bzImage, else $OHV_ROOT/build/bzImage (the caller checks
# that the result is readable).
find_bzimage() {
	local k=${OHV_GUEST_KERNEL:-$OHV_KDIR/arch/x86/boot/bzImage}
	if [ ! -r "$k" ]; then
		mkdir -p "$hostroot"
		mount --bind -o ro / "$hostroot" 2>/dev/null || true
		k=$hostroot$OHV_KDIR/arch/x86/boot/bzImage
	fi
	[ -r "$k" ] || k=$OHV_ROOT/build/bzImage
	echo "$k"
}
