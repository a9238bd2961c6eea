// SPDX-License-Identifier: GPL-2.0
/*
 * Extended page tables for the VMX backend: 4 levels, 4 KiB leaves,
 * filled eagerly from the pinned pages of each memory slot. Addresses
 * outside every slot have no entry and exit as EPT violations. Table
 * pages live as long as the partition; unmapping clears leaves only (the
 * caller bumps tlb_gen, and every VP does INVEPT before its next entry).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/sched.h>

#include "vmx.h"

static u64 *ohv_ept_alloc_table(void)
{
	return (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
}

/* The leaf entry for @gpa; missing tables are created when @create. */
static u64 *ohv_ept_leaf(struct ohv_ept *ept, u64 gpa, bool create)
{
	u64 *table = ept->root;
	int level;

	for (level = OHV_EPT_LEVELS; level > 1; level--) {
		u64 *entry = &table[ohv_ept_index(gpa, level)];

		if (!(*entry & OHV_EPT_RWX)) {
			u64 *next;

			if (!create)
				return NULL;
			next = ohv_ept_alloc_table();
			if (!next)
				return NULL;
			*entry = ohv_ept_table_entry(__pa(next), ept->ad);
		}
		table = __va(*entry & OHV_EPT_ADDR_MASK);
	}
	return &table[ohv_ept_index(gpa, 1)];
}

void ohv_ept_unmap(struct ohv_ept *ept, u64 gpa, u64 n)
{
	u64 i, *leaf;

	for (i = 0; i < n; i++) {
		leaf = ohv_ept_leaf(ept, gpa + (i << PAGE_SHIFT), false);
		if (leaf)
			WRITE_ONCE(*leaf, 0);
	}
}

int ohv_ept_map(struct ohv_ept *ept, u64 gpa, struct page **pages, u64 n)
{
	u64 i, *leaf;

	for (i = 0; i < n; i++) {
		leaf = ohv_ept_leaf(ept, gpa + (i << PAGE_SHIFT), true);
		if (!leaf) {
			ohv_ept_unmap(ept, gpa, i);
			return -ENOMEM;
		}
		WRITE_ONCE(*leaf, ohv_ept_leaf_entry(page_to_phys(pages[i]),
						     ept->ad));
		if (!(i % 4096))
			cond_resched();
	}
	return 0;
}

int ohv_ept_init(struct ohv_ept *ept, bool ad)
{
	ept->ad = ad;
	ept->root = ohv_ept_alloc_table();
	return ept->root ? 0 : -ENOMEM;
}

static void ohv_ept_free(u64 *table, int level)
{
	int i;

	for (i = 0; level > 1 && i < OHV_EPT_ENTRIES; i++) {
		if (table[i] & OHV_EPT_RWX)
			ohv_ept_free(__va(table[i] & OHV_EPT_ADDR_MASK),
				     level - 1);
	}
	free_page((unsigned long)table);
}

void ohv_ept_destroy(struct ohv_ept *ept)
{
	if (ept->root)
		ohv_ept_free(ept->root, OHV_EPT_LEVELS);
	ept->root = NULL;
}
