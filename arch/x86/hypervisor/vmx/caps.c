// SPDX-License-Identifier: GPL-2.0
/*
 * Pure VMX helpers: control words from capability MSRs, CR fixed bits,
 * EPT entry encoding, the MSR bitmap layout and readable entry-failure
 * reasons. No hardware access, so KUnit can test them anywhere.
 */
#include <linux/kernel.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <kunit/visibility.h>
#include <asm/vmx.h>

#include "vmx.h"

int ohv_vmx_adjust_controls(u64 cap, u32 required, u32 optional, u32 *out,
			    u32 *missing)
{
	u32 must_be_one = lower_32_bits(cap);
	u32 may_be_one = upper_32_bits(cap);

	*missing = required & ~may_be_one;
	if (*missing)
		return -EOPNOTSUPP;
	*out = ((required | optional) & may_be_one) | must_be_one;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_vmx_adjust_controls);

u64 ohv_vmx_cr_fixup(u64 val, u64 fixed0, u64 fixed1)
{
	return (val | fixed0) & fixed1;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_vmx_cr_fixup);

bool ohv_vmx_cr_ok(u64 val, u64 fixed0, u64 fixed1)
{
	return ohv_vmx_cr_fixup(val, fixed0, fixed1) == val;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_vmx_cr_ok);

u64 ohv_vmx_cr_owned(u64 fixed0, u64 fixed1, u64 guest_free)
{
	return (fixed0 | ~fixed1) & ~guest_free;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_vmx_cr_owned);

/* Non-leaf: read/write/execute, so the leaf alone decides. */
u64 ohv_ept_table_entry(phys_addr_t table, bool ad)
{
	u64 e = (table & OHV_EPT_ADDR_MASK) | OHV_EPT_RWX;

	/* Preset A so the walker has nothing to write back. */
	if (ad)
		e |= OHV_EPT_ACCESSED;
	return e;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_ept_table_entry);

/* Leaf: RWX, write-back, guest PAT honoured; A/D preset when enabled. */
u64 ohv_ept_leaf_entry(phys_addr_t page, bool ad)
{
	u64 e = (page & OHV_EPT_ADDR_MASK) | OHV_EPT_RWX |
		(OHV_EPT_MT_WB << OHV_EPT_MT_SHIFT);

	if (ad)
		e |= OHV_EPT_ACCESSED | OHV_EPT_DIRTY;
	return e;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_ept_leaf_entry);

unsigned int ohv_ept_index(u64 gpa, int level)
{
	return (gpa >> (12 + 9 * (level - 1))) & (OHV_EPT_ENTRIES - 1);
}
EXPORT_SYMBOL_IF_KUNIT(ohv_ept_index);

u64 ohv_eptp(phys_addr_t root, bool ad)
{
	u64 eptp = (root & OHV_EPT_ADDR_MASK) | OHV_EPT_MT_WB | OHV_EPTP_WALK_4;

	return ad ? eptp | OHV_EPTP_AD : eptp;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_eptp);

/*
 * The 4 KiB bitmap holds four 1 KiB quarters: reads of 0-0x1fff, reads of
 * 0xc0000000-0xc0001fff, then the writes of the same two ranges.
 */
int ohv_vmx_msr_bitmap_bit(u32 msr, bool write)
{
	int base = write ? 0x800 * 8 : 0;

	if (msr <= 0x1fff)
		return base + msr;
	if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		return base + 0x400 * 8 + (msr - 0xc0000000);
	return -1;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_vmx_msr_bitmap_bit);

static const char *const ohv_vmx_insn_errors[] = {
	[1] = "VMCALL in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *ohv_vmx_insn_error_name(u32 error)
{
	if (error < ARRAY_SIZE(ohv_vmx_insn_errors) && ohv_vmx_insn_errors[error])
		return ohv_vmx_insn_errors[error];
	return "unknown VM-instruction error";
}
EXPORT_SYMBOL_IF_KUNIT(ohv_vmx_insn_error_name);

/* Exit reasons 33/34/41 with bit 31 set: the entry itself failed. */
const char *ohv_vmx_entry_failure_name(u32 reason, u64 qualification)
{
	switch (reason & 0xffff) {
	case EXIT_REASON_INVALID_STATE:
		switch (qualification) {
		case 2:
			return "invalid guest state: PDPTE load failed";
		case 3:
			return "invalid guest state: NMI injection with blocking by NMI";
		case 4:
			return "invalid guest state: invalid VMCS link pointer";
		default:
			return "invalid guest state (segment, CR, RFLAGS or activity checks)";
		}
	case EXIT_REASON_MSR_LOAD_FAIL:
		return "VM entry failed loading an MSR from the MSR-load area";
	case EXIT_REASON_MCE_DURING_VMENTRY:
		return "machine check during VM entry";
	default:
		return "VM entry failed for an unknown reason";
	}
}
EXPORT_SYMBOL_IF_KUNIT(ohv_vmx_entry_failure_name);

/*
 * The uapi packs type/S/DPL/P into bits 7:0 and AVL/L/DB/G into 11:8;
 * the VMCS keeps the latter in bits 15:12 and marks unusable segments
 * with bit 16.
 */
u32 ohv_vmx_ar_from_attr(u16 attr, bool unusable)
{
	u32 ar = (attr & 0xff) | ((u32)(attr & 0xf00) << 4);

	return unusable ? ar | VMX_AR_UNUSABLE_MASK : ar;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_vmx_ar_from_attr);

u16 ohv_vmx_attr_from_ar(u32 ar)
{
	if (ar & VMX_AR_UNUSABLE_MASK)
		return 0;
	return (ar & 0xff) | ((ar >> 4) & 0xf00);
}
EXPORT_SYMBOL_IF_KUNIT(ohv_vmx_attr_from_ar);
