// SPDX-License-Identifier: GPL-2.0
/*
 * GPADL splitting and reassembly, in user space.
 */
#include <ohv/gpadl_wire.h>

#include "kselftest_harness.h"

/* Encode, decode and reassemble @n messages as the host would. */
static int reassemble(const struct ohv_vmbus_msg *msgs, int n,
		      struct ohv_gpadl *out)
{
	struct ohv_gpadl_asm a = { 0 };
	struct ohv_vmbus_msg m;
	u8 wire[OHV_VMBUS_MSG_MAX];
	int i, len, ret;

	for (i = 0; i < n; i++) {
		len = ohv_vmbus_msg_encode(&msgs[i], wire, sizeof(wire), NULL);
		if (len < 0)
			return len;
		ret = ohv_vmbus_msg_decode(wire, len, &m, NULL);
		if (!ret)
			ret = i ? ohv_gpadl_asm_add_body(&a, &m) :
				  ohv_gpadl_asm_begin(&a, &m);
		if (ret) {
			ohv_gpadl_asm_release(&a);
			return ret;
		}
	}
	return ohv_gpadl_asm_finish(&a, out);
}

TEST(buffer_of_16_mib_round_trips)
{
	u32 nr = 4096, i, nr_msgs = ohv_gpadl_msg_count(nr);
	struct ohv_vmbus_msg *msgs = calloc(nr_msgs, sizeof(*msgs));
	u64 *pfns = calloc(nr, sizeof(u64));
	struct ohv_gpadl g;

	ASSERT_EQ(147, nr_msgs);
	for (i = 0; i < nr; i++)
		pfns[i] = 0xabc000 + i;
	ASSERT_EQ(147, ohv_gpadl_build(msgs, nr_msgs, 3, 99, pfns, nr));
	ASSERT_EQ(0, reassemble(msgs, nr_msgs, &g));
	EXPECT_EQ(nr, g.nr_pfns);
	EXPECT_EQ(16U << 20, g.ranges[0].byte_count);
	EXPECT_EQ(0, memcmp(pfns, g.pfns, nr * sizeof(u64)));
	ohv_gpadl_free(&g);

	/* Any single missing or foreign body is refused. */
	EXPECT_EQ(-EBADMSG, reassemble(msgs, nr_msgs - 1, &g));
	msgs[50].gpadl_body.gpadl = 100;
	EXPECT_EQ(-EBADMSG, reassemble(msgs, nr_msgs, &g));
	free(msgs);
	free(pfns);
}

TEST(refuses_more_pfns_than_range_buflen_can_describe)
{
	EXPECT_EQ(0, ohv_gpadl_msg_count(OHV_GPADL_MAX_PFNS + 1));
	EXPECT_EQ(-EINVAL, ohv_gpadl_build(NULL, 0, 0, 0, NULL, 0));
}

TEST_HARNESS_MAIN
