// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: GPADL splitting (guest side) and reassembly (host side).
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <ohv/gpadl_wire.h>

/* PFNs of a 16 MiB buffer, as a netvsc receive buffer would have. */
#define PFNS_16MIB	((16U << 20) / OHV_HV_PAGE_SIZE)

/* Send @msgs through the codec, as the wire would, and reassemble them. */
static int gpadl_reassemble(struct kunit *test, const struct ohv_vmbus_msg *msgs,
			    int nr_msgs, struct ohv_gpadl *out)
{
	struct ohv_gpadl_asm a = {};
	struct ohv_vmbus_msg m;
	u8 wire[OHV_VMBUS_MSG_MAX];
	int i, len, ret;

	for (i = 0; i < nr_msgs; i++) {
		len = ohv_vmbus_msg_encode(&msgs[i], wire, sizeof(wire), NULL);
		KUNIT_ASSERT_GT(test, len, 0);
		KUNIT_ASSERT_EQ(test, ohv_vmbus_msg_decode(wire, len, &m, NULL), 0);
		if (i == 0)
			ret = ohv_gpadl_asm_begin(&a, &m);
		else
			ret = ohv_gpadl_asm_add_body(&a, &m);
		if (ret) {
			ohv_gpadl_asm_release(&a);
			return ret;
		}
	}
	return ohv_gpadl_asm_finish(&a, out);
}

static u64 *gpadl_test_pfns(struct kunit *test, u32 n)
{
	u64 *pfns = kunit_kmalloc_array(test, n, sizeof(u64), GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, pfns);
	for (i = 0; i < n; i++)
		pfns[i] = 0x100000ULL + i * 3;
	return pfns;
}

static void gpadl_16mib_buffer_round_trips(struct kunit *test)
{
	u32 nr_msgs = ohv_gpadl_msg_count(PFNS_16MIB);
	u64 *pfns = gpadl_test_pfns(test, PFNS_16MIB);
	struct ohv_vmbus_msg *msgs;
	struct ohv_gpadl g;
	int n;

	/* 26 PFNs in the header, 4070 in 146 bodies of up to 28. */
	KUNIT_ASSERT_EQ(test, nr_msgs, 147U);
	msgs = kunit_kmalloc_array(test, nr_msgs, sizeof(*msgs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msgs);
	n = ohv_gpadl_build(msgs, nr_msgs, 7, 0x1234, pfns, PFNS_16MIB);
	KUNIT_ASSERT_EQ(test, n, 147);
	KUNIT_EXPECT_EQ(test, msgs[0].len, 20U + 8 + 26 * 8);
	KUNIT_EXPECT_EQ(test, msgs[1].len, 16U + 28 * 8);
	KUNIT_EXPECT_EQ(test, msgs[146].len, 16U + (4070 - 145 * 28) * 8);
	KUNIT_EXPECT_EQ(test, msgs[0].gpadl_header.range_buflen, 8 + PFNS_16MIB * 8);

	KUNIT_ASSERT_EQ(test, gpadl_reassemble(test, msgs, n, &g), 0);
	KUNIT_EXPECT_EQ(test, g.child_relid, 7U);
	KUNIT_EXPECT_EQ(test, g.gpadl, 0x1234U);
	KUNIT_EXPECT_EQ(test, g.nr_ranges, 1U);
	KUNIT_EXPECT_EQ(test, g.nr_pfns, PFNS_16MIB);
	KUNIT_EXPECT_EQ(test, g.ranges[0].byte_count, 16U << 20);
	KUNIT_EXPECT_EQ(test, g.ranges[0].byte_offset, 0U);
	KUNIT_EXPECT_EQ(test, memcmp(g.pfns, pfns, PFNS_16MIB * sizeof(u64)), 0);
	ohv_gpadl_free(&g);
}

static void gpadl_splits_at_26_and_28_pfns(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ohv_gpadl_msg_count(0), 0U);
	KUNIT_EXPECT_EQ(test, ohv_gpadl_msg_count(1), 1U);
	KUNIT_EXPECT_EQ(test, ohv_gpadl_msg_count(26), 1U);
	KUNIT_EXPECT_EQ(test, ohv_gpadl_msg_count(27), 2U);
	KUNIT_EXPECT_EQ(test, ohv_gpadl_msg_count(26 + 28), 2U);
	KUNIT_EXPECT_EQ(test, ohv_gpadl_msg_count(26 + 29), 3U);
	/* range_buflen is a u16: 8190 PFNs is the most one GPADL holds. */
	KUNIT_EXPECT_NE(test, ohv_gpadl_msg_count(OHV_GPADL_MAX_PFNS), 0U);
	KUNIT_EXPECT_EQ(test, ohv_gpadl_msg_count(OHV_GPADL_MAX_PFNS + 1), 0U);
}

static void gpadl_largest_round_trips(struct kunit *test)
{
	u32 nr = OHV_GPADL_MAX_PFNS, nr_msgs = ohv_gpadl_msg_count(nr);
	u64 *pfns = gpadl_test_pfns(test, nr);
	struct ohv_vmbus_msg *msgs;
	struct ohv_gpadl g;
	int n;

	msgs = kunit_kmalloc_array(test, nr_msgs, sizeof(*msgs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msgs);
	n = ohv_gpadl_build(msgs, nr_msgs, 1, 2, pfns, nr);
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_ASSERT_EQ(test, gpadl_reassemble(test, msgs, n, &g), 0);
	KUNIT_EXPECT_EQ(test, g.nr_pfns, nr);
	ohv_gpadl_free(&g);
	KUNIT_EXPECT_EQ(test, ohv_gpadl_build(msgs, nr_msgs - 1, 1, 2, pfns, nr), -ENOSPC);
}

static void gpadl_rejects_body_of_another_gpadl(struct kunit *test)
{
	u64 *pfns = gpadl_test_pfns(test, 60);
	struct ohv_vmbus_msg msgs[3];
	struct ohv_gpadl g;

	KUNIT_ASSERT_EQ(test, ohv_gpadl_build(msgs, 3, 1, 2, pfns, 60), 3);
	msgs[2].gpadl_body.gpadl = 3;
	KUNIT_EXPECT_EQ(test, gpadl_reassemble(test, msgs, 3, &g), -EBADMSG);
}

static void gpadl_rejects_bodies_past_range_buflen(struct kunit *test)
{
	u64 *pfns = gpadl_test_pfns(test, 60);
	struct ohv_vmbus_msg msgs[4];
	struct ohv_gpadl g;

	KUNIT_ASSERT_EQ(test, ohv_gpadl_build(msgs, 3, 1, 2, pfns, 60), 3);
	msgs[3] = msgs[2];
	KUNIT_EXPECT_EQ(test, gpadl_reassemble(test, msgs, 4, &g), -EBADMSG);
}

static void gpadl_rejects_missing_bodies(struct kunit *test)
{
	u64 *pfns = gpadl_test_pfns(test, 60);
	struct ohv_vmbus_msg msgs[3];
	struct ohv_gpadl g;

	KUNIT_ASSERT_EQ(test, ohv_gpadl_build(msgs, 3, 1, 2, pfns, 60), 3);
	KUNIT_EXPECT_EQ(test, gpadl_reassemble(test, msgs, 2, &g), -EBADMSG);
}

/* A one-message GPADL whose single range is { @count, @offset }. */
static int gpadl_single_range(struct kunit *test, u32 count, u32 offset,
			      u32 nr_pfns, u64 pfn)
{
	struct ohv_vmbus_msg m;
	struct ohv_gpa_range r = { .byte_count = count, .byte_offset = offset };
	struct ohv_gpadl g;
	u32 i;
	int ret;

	ohv_vmbus_msg_init(&m, OHV_CHMSG_GPADL_HEADER);
	m.gpadl_header.rangecount = 1;
	m.gpadl_header.range_buflen = sizeof(r) + nr_pfns * sizeof(u64);
	memcpy(m.raw + 20, &r, sizeof(r));
	for (i = 0; i < nr_pfns; i++)
		memcpy(m.raw + 28 + i * 8, &pfn, sizeof(pfn));
	m.len = 28 + nr_pfns * 8;
	ret = gpadl_reassemble(test, &m, 1, &g);
	if (!ret)
		ohv_gpadl_free(&g);
	return ret;
}

static void gpadl_validates_range_geometry(struct kunit *test)
{
	/* 4096 bytes at offset 0 is one page; at offset 1 it is two. */
	KUNIT_EXPECT_EQ(test, gpadl_single_range(test, 4096, 0, 1, 5), 0);
	KUNIT_EXPECT_EQ(test, gpadl_single_range(test, 4096, 1, 2, 5), 0);
	KUNIT_EXPECT_EQ(test, gpadl_single_range(test, 4096, 1, 1, 5), -EBADMSG);
	KUNIT_EXPECT_EQ(test, gpadl_single_range(test, 4096, 0, 2, 5), -EBADMSG);
	KUNIT_EXPECT_EQ(test, gpadl_single_range(test, 0, 0, 1, 5), -EBADMSG);
	KUNIT_EXPECT_EQ(test, gpadl_single_range(test, 1, 4096, 2, 5), -EBADMSG);
	KUNIT_EXPECT_EQ(test, gpadl_single_range(test, 0xffffffff, 0, 1, 5), -EBADMSG);
	KUNIT_EXPECT_EQ(test, gpadl_single_range(test, 4096, 0, 1, OHV_GPADL_MAX_PFN), 0);
	KUNIT_EXPECT_EQ(test, gpadl_single_range(test, 4096, 0, 1, OHV_GPADL_MAX_PFN + 1),
			-EBADMSG);
}

static void gpadl_parses_several_ranges(struct kunit *test)
{
	struct ohv_vmbus_msg m;
	struct ohv_gpadl g;
	/* { 100 bytes at 4000: 2 PFNs }, { 8192 bytes at 0: 2 PFNs } */
	u64 words[] = { 100ULL | (4000ULL << 32), 10, 11,
			8192ULL, 20, 21 };

	ohv_vmbus_msg_init(&m, OHV_CHMSG_GPADL_HEADER);
	m.gpadl_header.rangecount = 2;
	m.gpadl_header.range_buflen = sizeof(words);
	memcpy(m.raw + 20, words, sizeof(words));
	m.len = 20 + sizeof(words);
	KUNIT_ASSERT_EQ(test, gpadl_reassemble(test, &m, 1, &g), 0);
	KUNIT_EXPECT_EQ(test, g.nr_ranges, 2U);
	KUNIT_EXPECT_EQ(test, g.nr_pfns, 4U);
	KUNIT_EXPECT_EQ(test, g.ranges[0].byte_offset, 4000U);
	KUNIT_EXPECT_EQ(test, g.ranges[1].pfn_start, 2U);
	KUNIT_EXPECT_EQ(test, g.pfns[3], 21ULL);
	ohv_gpadl_free(&g);
}

static struct kunit_case vmbus_gpadl_cases[] = {
	KUNIT_CASE(gpadl_16mib_buffer_round_trips),
	KUNIT_CASE(gpadl_splits_at_26_and_28_pfns),
	KUNIT_CASE(gpadl_largest_round_trips),
	KUNIT_CASE(gpadl_rejects_body_of_another_gpadl),
	KUNIT_CASE(gpadl_rejects_bodies_past_range_buflen),
	KUNIT_CASE(gpadl_rejects_missing_bodies),
	KUNIT_CASE(gpadl_validates_range_geometry),
	KUNIT_CASE(gpadl_parses_several_ranges),
	{}
};

static struct kunit_suite vmbus_gpadl_suite = {
	.name = "vmbus_gpadl",
	.test_cases = vmbus_gpadl_cases,
};

kunit_test_suite(vmbus_gpadl_suite);
