// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory slots: validation, pinning and second-level mapping.
 *
 * Guest memory is the worker's own anonymous memory. It is pinned with
 * FOLL_LONGTERM for as long as the slot exists, because the second-level
 * tables point at the physical pages and must never see them move.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/highmem.h>

#include "ohv.h"

bool ohv_memslot_overlaps(u64 gpa_a, u64 npages_a, u64 gpa_b, u64 npages_b)
{
	u64 end_a = gpa_a + (npages_a << PAGE_SHIFT);
	u64 end_b = gpa_b + (npages_b << PAGE_SHIFT);

	return gpa_a < end_b && gpa_b < end_a;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_memslot_overlaps);

static int ohv_memslot_check_range(const struct ohv_hyp_memslot *req)
{
	if (req->slot >= OHV_HYP_MAX_MEMSLOTS || req->flags || !req->size)
		return -EINVAL;
	if (!PAGE_ALIGNED(req->guest_phys_addr) || !PAGE_ALIGNED(req->size) ||
	    !PAGE_ALIGNED(req->userspace_addr))
		return -EINVAL;
	/* Written so that neither sum can wrap. */
	if (req->size > OHV_HYP_MAX_GPA ||
	    req->guest_phys_addr > OHV_HYP_MAX_GPA - req->size)
		return -EINVAL;
	if (req->userspace_addr + req->size < req->userspace_addr)
		return -EINVAL;
	return 0;
}

/*
 * Checks a new slot against the slots in use. Pure logic: no locking, no
 * side effects, so it is unit tested as is.
 */
int ohv_memslot_check(const struct ohv_memslot *slots, u64 total_pages,
		      const struct ohv_hyp_memslot *req)
{
	u64 npages;
	int ret, i;

	ret = ohv_memslot_check_range(req);
	if (ret)
		return ret;
	if (slots[req->slot].pages)
		return -EEXIST;

	npages = req->size >> PAGE_SHIFT;
	for (i = 0; i < OHV_HYP_MAX_MEMSLOTS; i++) {
		if (slots[i].pages &&
		    ohv_memslot_overlaps(slots[i].gpa, slots[i].npages,
					 req->guest_phys_addr, npages))
			return -EINVAL;
	}
	if (npages > OHV_HYP_MAX_GUEST_PAGES - total_pages)
		return -E2BIG;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_memslot_check);

static void ohv_memslot_unpin(struct ohv_memslot *slot, u64 npinned)
{
	/* The guest may have written to any page: mark them all dirty. */
	unpin_user_pages_dirty_lock(slot->pages, npinned, true);
	kvfree(slot->pages);
	slot->pages = NULL;
}

static int ohv_memslot_pin(struct ohv_memslot *slot)
{
	unsigned int gup = FOLL_WRITE | FOLL_LONGTERM;
	u64 done = 0;
	long n;

	slot->pages = kvcalloc(slot->npages, sizeof(*slot->pages),
			       GFP_KERNEL_ACCOUNT);
	if (!slot->pages)
		return -ENOMEM;

	while (done < slot->npages) {
		n = pin_user_pages_fast(slot->uaddr + (done << PAGE_SHIFT),
					min_t(u64, slot->npages - done, INT_MAX),
					gup, slot->pages + done);
		if (n <= 0) {
			ohv_memslot_unpin(slot, done);
			return n ? n : -EFAULT;
		}
		done += n;
		cond_resched();
	}
	return 0;
}

int ohv_memslot_set(struct ohv_partition *p, const struct ohv_hyp_memslot *req)
{
	struct ohv_memslot *slot;
	int ret;

	if (!down_write_trylock(&p->mem_lock))
		return -EBUSY;

	ret = ohv_memslot_check(p->slots, p->total_pages, req);
	if (ret)
		goto out;

	slot = &p->slots[req->slot];
	slot->gpa = req->guest_phys_addr;
	slot->npages = req->size >> PAGE_SHIFT;
	slot->uaddr = req->userspace_addr;
	ret = ohv_memslot_pin(slot);
	if (ret)
		goto out;

	ret = ohv_backend->map(p, slot->gpa, slot->pages, slot->npages);
	if (ret) {
		ohv_memslot_unpin(slot, slot->npages);
		goto out;
	}
	p->total_pages += slot->npages;
	p->nr_slots++;
out:
	up_write(&p->mem_lock);
	return ret;
}

/* Called with mem_lock write-held, or when the partition is dying. */
static void ohv_memslot_destroy(struct ohv_partition *p,
				struct ohv_memslot *slot)
{
	ohv_backend->unmap(p, slot->gpa, slot->npages);
	/* No VP runs now; each flushes its stale translations on entry. */
	atomic_inc(&p->tlb_gen);
	p->total_pages -= slot->npages;
	p->nr_slots--;
	ohv_memslot_unpin(slot, slot->npages);
}

int ohv_memslot_remove(struct ohv_partition *p, u32 slot)
{
	int ret = 0;

	if (slot >= OHV_HYP_MAX_MEMSLOTS)
		return -EINVAL;
	if (!down_write_trylock(&p->mem_lock))
		return -EBUSY;

	if (p->slots[slot].pages)
		ohv_memslot_destroy(p, &p->slots[slot]);
	else
		ret = -ENOENT;

	up_write(&p->mem_lock);
	return ret;
}

/*
 * Writes @len bytes into guest memory at @gpa, within one page. The caller
 * holds mem_lock (a running VP holds it for read), so the slot stays.
 * Returns -EFAULT when no slot covers @gpa.
 */
int ohv_memslot_write(struct ohv_partition *p, u64 gpa, const void *buf,
		      size_t len)
{
	const struct ohv_memslot *slot;
	u64 index;
	int i;

	if (offset_in_page(gpa) + len > PAGE_SIZE)
		return -EINVAL;
	for (i = 0; i < OHV_HYP_MAX_MEMSLOTS; i++) {
		slot = &p->slots[i];
		if (!slot->pages || gpa < slot->gpa)
			continue;
		index = (gpa - slot->gpa) >> PAGE_SHIFT;
		if (index >= slot->npages)
			continue;
		memcpy_to_page(slot->pages[index], offset_in_page(gpa), buf,
			       len);
		return 0;
	}
	return -EFAULT;
}

void ohv_memslot_remove_all(struct ohv_partition *p)
{
	int i;

	for (i = 0; i < OHV_HYP_MAX_MEMSLOTS; i++) {
		if (p->slots[i].pages)
			ohv_memslot_destroy(p, &p->slots[i]);
	}
}
