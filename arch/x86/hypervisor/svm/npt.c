// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page tables for the SVM backend.
 *
 * The tables map exactly the registered memory slots, eagerly, with
 * 4 KiB leaves: a slot's pages are pinned, so their addresses are known
 * when the slot is registered and never change. Anything else faults to
 * the hypervisor as a nested page fault. Table pages are only freed with
 * the partition; unmapping just clears leaves.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/sched.h>
#include <kunit/visibility.h>

#include "npt.h"

u64 ohv_npt_table_entry(phys_addr_t table)
{
	return (table & OHV_NPT_ADDR_MASK) | OHV_NPT_PRESENT | OHV_NPT_WRITE |
	       OHV_NPT_USER | OHV_NPT_ACCESSED;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_npt_table_entry);

/* Writable, executable (NX clear), write-back (PAT index 0). */
u64 ohv_npt_leaf_entry(phys_addr_t page)
{
	return ohv_npt_table_entry(page) | OHV_NPT_DIRTY;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_npt_leaf_entry);

/* Index into the table at @level (4 = PML4 ... 1 = page table). */
unsigned int ohv_npt_index(u64 gpa, int level)
{
	return (gpa >> (PAGE_SHIFT + 9 * (level - 1))) & (OHV_NPT_ENTRIES - 1);
}
EXPORT_SYMBOL_IF_KUNIT(ohv_npt_index);

static u64 *ohv_npt_alloc_table(void)
{
	return (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
}

/*
 * Returns the leaf entry for @gpa, creating missing tables when @create,
 * or NULL (no memory, or absent and !@create).
 */
static u64 *ohv_npt_walk(struct ohv_npt *npt, u64 gpa, bool create)
{
	u64 *table = npt->root;
	u64 *entry;
	int level;

	for (level = OHV_NPT_LEVELS; level > 1; level--) {
		entry = &table[ohv_npt_index(gpa, level)];
		if (!(*entry & OHV_NPT_PRESENT)) {
			u64 *next;

			if (!create)
				return NULL;
			next = ohv_npt_alloc_table();
			if (!next)
				return NULL;
			*entry = ohv_npt_table_entry(__pa(next));
		}
		table = __va(*entry & OHV_NPT_ADDR_MASK);
	}
	return &table[ohv_npt_index(gpa, 1)];
}

void ohv_npt_unmap(struct ohv_npt *npt, u64 gpa, u64 n)
{
	u64 i, *pte;

	for (i = 0; i < n; i++) {
		pte = ohv_npt_walk(npt, gpa + (i << PAGE_SHIFT), false);
		if (pte)
			*pte = 0;
	}
}

int ohv_npt_map(struct ohv_npt *npt, u64 gpa, struct page **pages, u64 n)
{
	u64 i, *pte;

	for (i = 0; i < n; i++) {
		pte = ohv_npt_walk(npt, gpa + (i << PAGE_SHIFT), true);
		if (!pte) {
			ohv_npt_unmap(npt, gpa, i);
			return -ENOMEM;
		}
		*pte = ohv_npt_leaf_entry(page_to_phys(pages[i]));
		if (!(i % 4096))
			cond_resched();
	}
	return 0;
}

int ohv_npt_init(struct ohv_npt *npt)
{
	npt->root = ohv_npt_alloc_table();
	return npt->root ? 0 : -ENOMEM;
}

static void ohv_npt_free_table(u64 *table, int level)
{
	int i;

	for (i = 0; level > 1 && i < OHV_NPT_ENTRIES; i++) {
		if (table[i] & OHV_NPT_PRESENT)
			ohv_npt_free_table(__va(table[i] & OHV_NPT_ADDR_MASK),
					   level - 1);
	}
	free_page((unsigned long)table);
}

void ohv_npt_destroy(struct ohv_npt *npt)
{
	if (npt->root)
		ohv_npt_free_table(npt->root, OHV_NPT_LEVELS);
	npt->root = NULL;
}

phys_addr_t ohv_npt_root_pa(const struct ohv_npt *npt)
{
	return __pa(npt->root);
}
