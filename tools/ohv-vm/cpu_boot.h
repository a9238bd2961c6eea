/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state a VP starts in: 64-bit long mode with an identity map of the
 * first 4 GiB, a flat GDT and a TSS, as the Linux 64-bit boot protocol
 * asks. The tables are written into guest memory; the register values are
 * computed without touching the hypervisor, so they can be unit tested.
 */
#ifndef OHV_VM_CPU_BOOT_H
#define OHV_VM_CPU_BOOT_H

#include "compat.h"

#include <ohv/hyp.h>

#include "guest_mem.h"

#define OHV_CR0_PE	BIT_ULL(0)
#define OHV_CR0_ET	BIT_ULL(4)
#define OHV_CR0_PG	BIT_ULL(31)
#define OHV_CR4_PAE	BIT_ULL(5)
#define OHV_EFER_LME	BIT_ULL(8)
#define OHV_EFER_LMA	BIT_ULL(10)
#define OHV_RFLAGS_FIXED	0x2ULL

/* Writes GDT, TSS, page tables and the reset-vector page. 0 or -1. */
int ohv_cpu_write_tables(const struct ohv_guest_mem *mem);

/* Long-mode system registers pointing at those tables. */
void ohv_cpu_long_mode_sregs(struct ohv_hyp_sregs *sregs);

/* General registers: RIP = @entry, RSI = @rsi, RDI = @rdi, RSP = @rsp. */
void ohv_cpu_entry_regs(struct ohv_hyp_regs *regs, u64 entry,
			u64 rsi, u64 rdi, u64 rsp);

#endif /* OHV_VM_CPU_BOOT_H */
