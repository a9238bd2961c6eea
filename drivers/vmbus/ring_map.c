// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel mapping of a VMBus ring: the header page, then the data pages
 * twice in a row, so that ring.c can copy any packet with one memcpy even
 * when it wraps around the end of the data area.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <ohv/ring.h>

static_assert(PAGE_SIZE == OHV_HV_PAGE_SIZE, "ring pages are 4 KiB");

struct ohv_ring_header *ohv_ring_map(struct page **pages,
				     unsigned int nr_pages)
{
	unsigned int nr_data = nr_pages - 1, i;
	struct page **map;
	void *va;

	if (nr_pages < 2)
		return NULL;
	map = kcalloc(1 + 2 * nr_data, sizeof(*map), GFP_KERNEL);
	if (!map)
		return NULL;
	map[0] = pages[0];
	for (i = 0; i < nr_data; i++) {
		map[1 + i] = pages[1 + i];
		map[1 + nr_data + i] = pages[1 + i];
	}
	va = vmap(map, 1 + 2 * nr_data, VM_MAP, PAGE_KERNEL);
	kfree(map);
	return va;
}
EXPORT_SYMBOL_GPL(ohv_ring_map);

void ohv_ring_unmap(struct ohv_ring_header *hdr)
{
	vunmap(hdr);
}
EXPORT_SYMBOL_GPL(ohv_ring_unmap);
