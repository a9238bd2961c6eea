// SPDX-License-Identifier: GPL-2.0
/* Initial long-mode CPU state: GDT, TSS, identity page tables, registers. */
#include <string.h>

#include "cpu_boot.h"
#include "layout.h"

#define PTE_P		BIT_ULL(0)
#define PTE_RW		BIT_ULL(1)
#define PTE_PS		BIT_ULL(7)	/* 2 MiB page in a PD entry */
#define PD_ENTRIES	512
#define PAGE_2M		0x200000ULL

/* Descriptor attribute words in the 12-bit layout of struct ohv_hyp_segment. */
#define ATTR_CODE64	(0xb | OHV_HYP_SEG_S | OHV_HYP_SEG_P | OHV_HYP_SEG_L | \
			 OHV_HYP_SEG_G)
#define ATTR_DATA	(0x3 | OHV_HYP_SEG_S | OHV_HYP_SEG_P | OHV_HYP_SEG_DB | \
			 OHV_HYP_SEG_G)
#define ATTR_TSS_BUSY	(0xb | OHV_HYP_SEG_P)
#define ATTR_LDT_UNUSABLE	0x2

/* Packs base/limit/12-bit attributes into a legacy 8-byte descriptor. */
static u64 gdt_entry(u32 base, u32 limit, u16 attr)
{
	u64 d;

	d = limit & 0xffffULL;
	d |= (u64)(base & 0xffffff) << 16;
	d |= (u64)(attr & 0xff) << 40;
	d |= (u64)((limit >> 16) & 0xf) << 48;
	d |= (u64)((attr >> 8) & 0xf) << 52;
	d |= (u64)(base >> 24) << 56;
	return d;
}

static int write_gdt(const struct ohv_guest_mem *mem)
{
	u64 gdt[OHV_GDT_ENTRIES] = { 0 };

	/* Limits are in 4 KiB units because G is set. */
	gdt[OHV_SEL_CODE64 / 8] = gdt_entry(0, 0xfffff, ATTR_CODE64);
	gdt[OHV_SEL_DATA / 8] = gdt_entry(0, 0xfffff, ATTR_DATA);
	/* A 64-bit TSS descriptor is 16 bytes: base[63:32] in the next slot. */
	gdt[OHV_SEL_TSS / 8] = gdt_entry((u32)OHV_TSS_GPA,
					 OHV_TSS_SIZE - 1, ATTR_TSS_BUSY);
	gdt[OHV_SEL_TSS / 8 + 1] = OHV_TSS_GPA >> 32;

	if (ohv_mem_write(mem, OHV_GDT_GPA, gdt, sizeof(gdt)))
		return -1;
	return ohv_gpa_to_host(mem, OHV_TSS_GPA, OHV_TSS_SIZE) ? 0 : -1;
}

static int write_page_tables(const struct ohv_guest_mem *mem)
{
	u64 *pml4, *pdpt, *pd;
	unsigned int i;

	pml4 = ohv_gpa_to_host(mem, OHV_PML4_GPA, 0x1000);
	pdpt = ohv_gpa_to_host(mem, OHV_PDPT_GPA, 0x1000);
	pd = ohv_gpa_to_host(mem, OHV_PD_GPA, 0x1000 * OHV_PD_COUNT);
	if (!pml4 || !pdpt || !pd)
		return -1;

	memset(pml4, 0, 0x1000);
	memset(pdpt, 0, 0x1000);
	pml4[0] = OHV_PDPT_GPA | PTE_P | PTE_RW;
	for (i = 0; i < OHV_PD_COUNT; i++)
		pdpt[i] = (OHV_PD_GPA + 0x1000ULL * i) | PTE_P | PTE_RW;
	for (i = 0; i < PD_ENTRIES * OHV_PD_COUNT; i++)
		pd[i] = (i * PAGE_2M) | PTE_P | PTE_RW | PTE_PS;
	return 0;
}

/*
 * A VP that starts at the reset vector (an AP the hypervisor did not hold
 * in wait-for-SIPI) finds "hlt; jmp $-1" there and parks with IF = 0.
 */
static int write_reset_vector(const struct ohv_guest_mem *mem)
{
	static const u8 park[] = { 0xf4, 0xeb, 0xfd };
	u8 *page = ohv_gpa_to_host(mem, OHV_FIRMWARE_GPA, OHV_FIRMWARE_SIZE);

	if (!page)
		return 0;	/* no firmware page: nothing to park on */
	memset(page, 0xf4, OHV_FIRMWARE_SIZE);
	memcpy(page + 0xff0, park, sizeof(park));
	return 0;
}

int ohv_cpu_write_tables(const struct ohv_guest_mem *mem)
{
	if (write_gdt(mem) || write_page_tables(mem))
		return -1;
	return write_reset_vector(mem);
}

static void flat_segment(struct ohv_hyp_segment *s, u16 sel,
			 u16 attr)
{
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = sel;
	s->attributes = attr;
}

void ohv_cpu_long_mode_sregs(struct ohv_hyp_sregs *sregs)
{
	memset(sregs, 0, sizeof(*sregs));
	flat_segment(&sregs->cs, OHV_SEL_CODE64, ATTR_CODE64);
	flat_segment(&sregs->ds, OHV_SEL_DATA, ATTR_DATA);
	flat_segment(&sregs->es, OHV_SEL_DATA, ATTR_DATA);
	flat_segment(&sregs->fs, OHV_SEL_DATA, ATTR_DATA);
	flat_segment(&sregs->gs, OHV_SEL_DATA, ATTR_DATA);
	flat_segment(&sregs->ss, OHV_SEL_DATA, ATTR_DATA);

	sregs->tr.base = OHV_TSS_GPA;
	sregs->tr.limit = OHV_TSS_SIZE - 1;
	sregs->tr.selector = OHV_SEL_TSS;
	sregs->tr.attributes = ATTR_TSS_BUSY;
	sregs->ldt.attributes = ATTR_LDT_UNUSABLE;

	sregs->gdt.base = OHV_GDT_GPA;
	sregs->gdt.limit = OHV_GDT_ENTRIES * 8 - 1;
	/* Empty IDT: any exception before the guest loads its own is fatal. */
	sregs->idt.base = 0;
	sregs->idt.limit = 0;

	sregs->cr0 = OHV_CR0_PE | OHV_CR0_ET | OHV_CR0_PG;
	sregs->cr3 = OHV_PML4_GPA;
	sregs->cr4 = OHV_CR4_PAE;
	sregs->efer = OHV_EFER_LME | OHV_EFER_LMA;
}

void ohv_cpu_entry_regs(struct ohv_hyp_regs *regs, u64 entry,
			u64 rsi, u64 rdi, u64 rsp)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = entry;
	regs->rsi = rsi;
	regs->rdi = rdi;
	regs->rsp = rsp;
	regs->rflags = OHV_RFLAGS_FIXED;
}
