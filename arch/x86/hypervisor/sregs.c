// SPDX-License-Identifier: GPL-2.0
/*
 * System register state from user space: the reset state and the checks
 * SET_SREGS applies before anything reaches the CPU. The CPU's own
 * consistency checks at VMRUN stay the final word (an INVALID_STATE exit).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>

#include "ohv.h"

#define OHV_EFER_VALID	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | EFER_FFXSR)

/* Attributes of the reset state: present, S=1, accessed. */
#define OHV_SEG_CODE_RESET	(OHV_HYP_SEG_P | OHV_HYP_SEG_S | 0xb)
#define OHV_SEG_DATA_RESET	(OHV_HYP_SEG_P | OHV_HYP_SEG_S | 0x3)
#define OHV_SEG_LDT_RESET	(OHV_HYP_SEG_P | 0x2)
#define OHV_SEG_TSS_RESET	(OHV_HYP_SEG_P | 0x3)

static bool ohv_sregs_reserved_clear(const struct ohv_hyp_sregs *s)
{
	int i;

	if (s->gdt.reserved || s->idt.reserved)
		return false;
	for (i = 0; i < ARRAY_SIZE(s->reserved); i++) {
		if (s->reserved[i])
			return false;
	}
	return true;
}

int ohv_sregs_check(const struct ohv_hyp_sregs *s)
{
	if (!ohv_sregs_reserved_clear(s))
		return -EINVAL;
	if (upper_32_bits(s->cr0) || (s->efer & ~OHV_EFER_VALID))
		return -EINVAL;
	if ((s->cr0 & X86_CR0_PG) && !(s->cr0 & X86_CR0_PE))
		return -EINVAL;
	if ((s->cr0 & X86_CR0_NW) && !(s->cr0 & X86_CR0_CD))
		return -EINVAL;
	/* Long mode needs PAE paging. */
	if ((s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG) &&
	    !(s->cr4 & X86_CR4_PAE))
		return -EINVAL;
	/* A 64-bit code segment cannot also be a 32-bit one. */
	if ((s->cs.attributes & OHV_HYP_SEG_L) &&
	    (s->cs.attributes & OHV_HYP_SEG_DB))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_sregs_check);

static void ohv_sregs_seg(struct ohv_hyp_segment *seg, u16 attributes)
{
	seg->base = 0;
	seg->limit = 0xffff;
	seg->selector = 0;
	seg->attributes = attributes;
}

/* The x86 power-on state: real mode, CS base 0xffff0000, caches off. */
void ohv_sregs_reset(struct ohv_hyp_sregs *s)
{
	memset(s, 0, sizeof(*s));
	ohv_sregs_seg(&s->cs, OHV_SEG_CODE_RESET);
	s->cs.selector = 0xf000;
	s->cs.base = 0xffff0000;
	ohv_sregs_seg(&s->ds, OHV_SEG_DATA_RESET);
	ohv_sregs_seg(&s->es, OHV_SEG_DATA_RESET);
	ohv_sregs_seg(&s->fs, OHV_SEG_DATA_RESET);
	ohv_sregs_seg(&s->gs, OHV_SEG_DATA_RESET);
	ohv_sregs_seg(&s->ss, OHV_SEG_DATA_RESET);
	ohv_sregs_seg(&s->ldt, OHV_SEG_LDT_RESET);
	ohv_sregs_seg(&s->tr, OHV_SEG_TSS_RESET);
	s->gdt.limit = 0xffff;
	s->idt.limit = 0xffff;
	s->cr0 = X86_CR0_CD | X86_CR0_NW | X86_CR0_ET;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_sregs_reset);
