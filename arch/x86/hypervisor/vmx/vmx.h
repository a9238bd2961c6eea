/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel VMX backend internals.
 */
#ifndef _OHV_HYP_VMX_VMX_H
#define _OHV_HYP_VMX_VMX_H

#include <linux/types.h>

/* ---- pure helpers (caps.c), KUnit-tested ---------------------------------- */

/*
 * A VMX capability MSR: bits 31:0 are the controls that must be 1, bits
 * 63:32 the controls that may be 1. Returns the control word with every
 * @required and as many @optional bits as the CPU allows, or -EOPNOTSUPP
 * (with the missing bits in @missing) when a required bit is not allowed.
 */
int ohv_vmx_adjust_controls(u64 cap, u32 required, u32 optional, u32 *out,
			    u32 *missing);
/* CR0/CR4 value with the FIXED0 bits set and the non-FIXED1 bits clear. */
u64 ohv_vmx_cr_fixup(u64 val, u64 fixed0, u64 fixed1);
/* True when @val already satisfies the fixed bits. */
bool ohv_vmx_cr_ok(u64 val, u64 fixed0, u64 fixed1);
/* Bits whose value is forced by the fixed MSRs, minus @guest_free. */
u64 ohv_vmx_cr_owned(u64 fixed0, u64 fixed1, u64 guest_free);

/* EPT entries: 4-level, 4 KiB leaves, write-back. */
#define OHV_EPT_READ		BIT_ULL(0)
#define OHV_EPT_WRITE		BIT_ULL(1)
#define OHV_EPT_EXEC		BIT_ULL(2)
#define OHV_EPT_MT_SHIFT	3
#define OHV_EPT_MT_WB		6ULL
#define OHV_EPT_IGNORE_PAT	BIT_ULL(6)
#define OHV_EPT_LARGE		BIT_ULL(7)
#define OHV_EPT_ACCESSED	BIT_ULL(8)
#define OHV_EPT_DIRTY		BIT_ULL(9)
#define OHV_EPT_ADDR_MASK	GENMASK_ULL(51, 12)
#define OHV_EPT_RWX		(OHV_EPT_READ | OHV_EPT_WRITE | OHV_EPT_EXEC)
#define OHV_EPT_LEVELS		4
#define OHV_EPT_ENTRIES		512

/* EPTP: memory type WB, walk length 4 (encoded 3), A/D enable bit 6. */
#define OHV_EPTP_WALK_4		(3ULL << 3)
#define OHV_EPTP_AD		BIT_ULL(6)

u64 ohv_ept_table_entry(phys_addr_t table, bool ad);
u64 ohv_ept_leaf_entry(phys_addr_t page, bool ad);
unsigned int ohv_ept_index(u64 gpa, int level);
u64 ohv_eptp(phys_addr_t root, bool ad);

/* MSR bitmap: bit number of @msr's read (or write) intercept, -1 if none. */
int ohv_vmx_msr_bitmap_bit(u32 msr, bool write);

/* Readable names for VM-instruction errors and failed-entry exits. */
const char *ohv_vmx_insn_error_name(u32 error);
const char *ohv_vmx_entry_failure_name(u32 reason, u64 qualification);

/* AR bytes <-> the uapi's 12-bit attribute format. */
u32 ohv_vmx_ar_from_attr(u16 attr, bool unusable);
u16 ohv_vmx_attr_from_ar(u32 ar);

/* ---- EPT tables (ept.c) ----------------------------------------------------- */

struct page;

struct ohv_ept {
	u64 *root;		/* PML4, kernel virtual address */
	bool ad;		/* accessed/dirty flags enabled */
};

int ohv_ept_init(struct ohv_ept *ept, bool ad);
void ohv_ept_destroy(struct ohv_ept *ept);
int ohv_ept_map(struct ohv_ept *ept, u64 gpa, struct page **pages, u64 n);
void ohv_ept_unmap(struct ohv_ept *ept, u64 gpa, u64 n);

/* ---- backend state ------------------------------------------------------- */

struct ohv_vmx_partition {
	struct ohv_ept ept;
	u64 eptp;
};

/*
 * The VMCS is the home of the guest state. It is active on a CPU only
 * inside a preempt-disabled bracket (VMPTRLD ... VMCLEAR), so a VP can
 * move between CPUs freely and any CPU may read or change its state.
 */
struct ohv_vmx_vp {
	void *vmcs;
	u16 vpid;		/* 0 when VPID is not used */
	int last_cpu;		/* CPU of the last entry, -1 before the first */
	int tlb_gen;		/* partition tlb_gen at the last flush */
	bool flush;		/* guest TLB must be flushed before entry */
	bool load_pdptrs;	/* PAE paging set up by us: reload PDPTEs */
	u64 cr0_shadow, cr4_shadow;	/* what the guest believes */
	u64 cr2;		/* not in the VMCS: loaded around entries */
	/* MSRs the VMCS does not switch; loaded around each entry. */
	u64 kernel_gs_base;
	u64 star, lstar, cstar, sfmask;
	bool syscall_msrs;	/* the guest wrote one of the STAR family */
	u32 interruptibility;	/* from the last exit */
	u64 exit_rip;		/* RIP when the last exit was taken */
	u32 entry_intr;		/* pending VM-entry interruption info */
	u32 entry_error;
	u32 entry_insn_len;
	bool irq_window;
};

/* vmenter.S: 0 after a VM exit, 1 when VMLAUNCH failed. */
int ohv_vmx_vmlaunch(u64 *gprs);

#endif /* _OHV_HYP_VMX_VMX_H */
