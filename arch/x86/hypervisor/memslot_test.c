// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: memory slot validation (ohv_memslot_check) and overlap logic.
 */
#include <kunit/test.h>
#include <linux/mm.h>

#include "ohv.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* Any non-NULL value marks a slot as in use. */
static struct page *ohv_test_pages[1];

static void ohv_test_slots_init(struct ohv_memslot *slots)
{
	memset(slots, 0, sizeof(*slots) * OHV_HYP_MAX_MEMSLOTS);
	/* Slot 0: 1 MiB at GPA 1 MiB. */
	slots[0].gpa = 0x100000;
	slots[0].npages = 256;
	slots[0].pages = ohv_test_pages;
}

static int ohv_test_check(u32 slot, u64 gpa, u64 size, u64 uaddr)
{
	struct ohv_memslot slots[OHV_HYP_MAX_MEMSLOTS];
	struct ohv_hyp_memslot req = {
		.slot = slot, .guest_phys_addr = gpa, .size = size,
		.userspace_addr = uaddr,
	};

	ohv_test_slots_init(slots);
	return ohv_memslot_check(slots, 256, &req);
}

static void ohv_memslot_accepts_disjoint_slot(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0, ohv_test_check(1, 0, 0x100000, 0x7f0000000000));
	KUNIT_EXPECT_EQ(test, 0, ohv_test_check(1, 0x200000, 0x1000, 0x1000));
}

static void ohv_memslot_rejects_overlap(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_test_check(1, 0x1ff000, 0x1000, 0x1000));
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_test_check(1, 0, 0x101000, 0x1000));
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_test_check(1, 0, 0x400000, 0x1000));
}

static void ohv_memslot_rejects_bad_shape(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_test_check(1, 0x400000, 0, 0x1000));
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_test_check(1, 0x400800, 0x1000, 0x1000));
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_test_check(1, 0x400000, 0x800, 0x1000));
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_test_check(1, 0x400000, 0x1000, 0x1004));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			ohv_test_check(OHV_HYP_MAX_MEMSLOTS, 0x400000, 0x1000, 0x1000));
}

static void ohv_memslot_rejects_absurd_ranges(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL,
			ohv_test_check(1, OHV_HYP_MAX_GPA, 0x1000, 0x1000));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			ohv_test_check(1, OHV_HYP_MAX_GPA - 0x1000, 0x2000, 0x1000));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			ohv_test_check(1, 0x400000, 0x2000, (u64)-0x1000));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			ohv_test_check(1, (u64)-0x1000, 0x2000, 0x1000));
	KUNIT_EXPECT_EQ(test, 0,
			ohv_test_check(1, OHV_HYP_MAX_GPA - 0x1000, 0x1000, 0x1000));
}

static void ohv_memslot_rejects_used_id(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EEXIST, ohv_test_check(0, 0x400000, 0x1000, 0x1000));
}

static void ohv_memslot_enforces_page_limit(struct kunit *test)
{
	/* 256 pages are in use already. */
	u64 left = (OHV_HYP_MAX_GUEST_PAGES - 256) << PAGE_SHIFT;

	KUNIT_EXPECT_EQ(test, 0, ohv_test_check(1, 1ULL << 40, left, 0x1000));
	KUNIT_EXPECT_EQ(test, -E2BIG,
			ohv_test_check(1, 1ULL << 40, left + PAGE_SIZE, 0x1000));
}

static void ohv_memslot_overlap_is_half_open(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, ohv_memslot_overlaps(0, 1, 0x1000, 1));
	KUNIT_EXPECT_TRUE(test, ohv_memslot_overlaps(0, 2, 0x1000, 1));
	KUNIT_EXPECT_TRUE(test, ohv_memslot_overlaps(0x1000, 1, 0, 2));
	KUNIT_EXPECT_TRUE(test, ohv_memslot_overlaps(0, 10, 0x2000, 1));
}

static struct kunit_case ohv_memslot_cases[] = {
	KUNIT_CASE(ohv_memslot_accepts_disjoint_slot),
	KUNIT_CASE(ohv_memslot_rejects_overlap),
	KUNIT_CASE(ohv_memslot_rejects_bad_shape),
	KUNIT_CASE(ohv_memslot_rejects_absurd_ranges),
	KUNIT_CASE(ohv_memslot_rejects_used_id),
	KUNIT_CASE(ohv_memslot_enforces_page_limit),
	KUNIT_CASE(ohv_memslot_overlap_is_half_open),
	{}
};

static struct kunit_suite ohv_memslot_suite = {
	.name = "ohv_hyp_memslot",
	.test_cases = ohv_memslot_cases,
};

kunit_test_suites(&ohv_memslot_suite);

MODULE_DESCRIPTION("KUnit tests for ohv_hyp");
MODULE_LICENSE("GPL");
