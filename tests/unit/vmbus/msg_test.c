// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus channel-message codec, in user space.
 */
#include <ohv/vmbus_msg.h>

#include "kselftest_harness.h"

/* Every known type, encoded and decoded: bytes and length survive. */
TEST(round_trips_every_known_type)
{
	struct ohv_vmbus_msg in, out;
	u8 wire[OHV_VMBUS_MSG_MAX];
	u32 type, i, known = 0;
	const char *why = NULL;
	int len;

	for (type = 0; type < OHV_CHMSG_COUNT; type++) {
		if (!ohv_vmbus_msg_min_len(type))
			continue;
		ohv_vmbus_msg_init(&in, type);
		for (i = sizeof(in.hdr); i < in.len; i++)
			in.raw[i] = (u8)(type + i);
		if (type == OHV_CHMSG_GPADL_HEADER) {
			in.gpadl_header.rangecount = 1;
			in.gpadl_header.range_buflen = 16;
			in.len += 8;
		}
		len = ohv_vmbus_msg_encode(&in, wire, sizeof(wire), &why);
		ASSERT_EQ(in.len, len) TH_LOG("%s: %s", ohv_vmbus_msg_name(type), why);
		ASSERT_EQ(0, ohv_vmbus_msg_decode(wire, len, &out, &why));
		EXPECT_EQ(0, memcmp(in.raw, out.raw, in.len));
		known++;
	}
	EXPECT_EQ(21, known);
}

TEST(rejects_short_unknown_and_oversized)
{
	struct ohv_vmbus_msg out;
	u8 wire[OHV_VMBUS_MSG_MAX + 1] = { OHV_CHMSG_OFFERCHANNEL };
	const char *why;

	EXPECT_EQ(-EINVAL, ohv_vmbus_msg_decode(wire, 195, &out, &why));
	EXPECT_STREQ("too short for its type", why);
	EXPECT_EQ(0, ohv_vmbus_msg_decode(wire, 196, &out, &why));
	EXPECT_EQ(-EINVAL, ohv_vmbus_msg_decode(wire, 241, &out, &why));
	wire[0] = 19;
	EXPECT_EQ(-EINVAL, ohv_vmbus_msg_decode(wire, 240, &out, &why));
	EXPECT_STREQ("unknown message type", why);
}

TEST(rejects_gpadl_header_with_inconsistent_counts)
{
	struct ohv_vmbus_msg m, out;

	ohv_vmbus_msg_init(&m, OHV_CHMSG_GPADL_HEADER);
	m.gpadl_header.rangecount = 3;
	m.gpadl_header.range_buflen = 16;
	m.len += 8;
	EXPECT_EQ(-EBADMSG, ohv_vmbus_msg_decode(m.raw, m.len, &out, NULL));
	m.gpadl_header.rangecount = 1;
	EXPECT_EQ(0, ohv_vmbus_msg_decode(m.raw, m.len, &out, NULL));
	EXPECT_EQ(-EBADMSG, ohv_vmbus_msg_decode(m.raw, m.len + 8, &out, NULL));
}

TEST_HARNESS_MAIN
