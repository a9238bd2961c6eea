#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# runner: bochs
# timeout: 1800
#
# tests/scenarios/80-vmx-bochs.sh plus the Linux child boot on VMX (the
# sandbox bzImage with a busybox initramfs: marker, `sleep 1`, power-off
# with exit 0). Pending: the child stops in early boot on both backends
# ("x2apic: IRQ remapping doesn't support X2APIC mode", then an xAPIC MMIO
# read at 0xfee000f0 outside every slot); the CPUID side of that is being
# fixed in the common code. Once it passes, drop this file and make
# OHV_VMX_LINUX=1 the default in 80-vmx-bochs.sh.
: "${OHV_ROOT:?OHV_ROOT is not set}"
OHV_VMX_LINUX=1 exec bash "$OHV_ROOT/tests/scenarios/80-vmx-bochs.sh"
