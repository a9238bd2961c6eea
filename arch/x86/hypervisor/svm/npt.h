/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD nested page tables: 4-level, long-mode format, 4 KiB leaves.
 */
#ifndef _OHV_HYP_SVM_NPT_H
#define _OHV_HYP_SVM_NPT_H

#include <linux/types.h>

struct page;

/*
 * Nested walks are user-mode accesses, so every level needs U/S. A and D
 * are preset so the walker never writes back into the tables.
 */
#define OHV_NPT_PRESENT		BIT_ULL(0)
#define OHV_NPT_WRITE		BIT_ULL(1)
#define OHV_NPT_USER		BIT_ULL(2)
#define OHV_NPT_ACCESSED	BIT_ULL(5)
#define OHV_NPT_DIRTY		BIT_ULL(6)
#define OHV_NPT_ADDR_MASK	GENMASK_ULL(51, 12)

#define OHV_NPT_LEVELS		4
#define OHV_NPT_ENTRIES		512

struct ohv_npt {
	u64 *root;		/* PML4, kernel virtual address */
};

u64 ohv_npt_table_entry(phys_addr_t table);
u64 ohv_npt_leaf_entry(phys_addr_t page);
unsigned int ohv_npt_index(u64 gpa, int level);

int ohv_npt_init(struct ohv_npt *npt);
void ohv_npt_destroy(struct ohv_npt *npt);
int ohv_npt_map(struct ohv_npt *npt, u64 gpa, struct page **pages, u64 n);
void ohv_npt_unmap(struct ohv_npt *npt, u64 gpa, u64 n);
phys_addr_t ohv_npt_root_pa(const struct ohv_npt *npt);

#endif /* _OHV_HYP_SVM_NPT_H */
