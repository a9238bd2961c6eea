// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the VMBus channel-message codec.
 */
#include <kunit/test.h>

#include <ohv/vmbus_msg.h>

static const u32 known_types[] = {
	OHV_CHMSG_OFFERCHANNEL, OHV_CHMSG_RESCIND_CHANNELOFFER,
	OHV_CHMSG_REQUESTOFFERS, OHV_CHMSG_ALLOFFERS_DELIVERED,
	OHV_CHMSG_OPENCHANNEL, OHV_CHMSG_OPENCHANNEL_RESULT,
	OHV_CHMSG_CLOSECHANNEL, OHV_CHMSG_GPADL_HEADER, OHV_CHMSG_GPADL_BODY,
	OHV_CHMSG_GPADL_CREATED, OHV_CHMSG_GPADL_TEARDOWN,
	OHV_CHMSG_GPADL_TORNDOWN, OHV_CHMSG_RELID_RELEASED,
	OHV_CHMSG_INITIATE_CONTACT, OHV_CHMSG_VERSION_RESPONSE,
	OHV_CHMSG_UNLOAD, OHV_CHMSG_UNLOAD_RESPONSE,
	OHV_CHMSG_TL_CONNECT_REQUEST, OHV_CHMSG_MODIFYCHANNEL,
	OHV_CHMSG_TL_CONNECT_RESULT, OHV_CHMSG_MODIFYCHANNEL_RESPONSE,
};

/* A valid message of @type whose every byte after the header is set. */
static void msg_fill(struct ohv_vmbus_msg *msg, u32 type)
{
	u32 i;

	ohv_vmbus_msg_init(msg, type);
	for (i = sizeof(msg->hdr); i < msg->len; i++)
		msg->raw[i] = (u8)(type * 17 + i);

	if (type == OHV_CHMSG_GPADL_HEADER) {
		/* One range of one page: the only shape the fill can't fake. */
		msg->gpadl_header.rangecount = 1;
		msg->gpadl_header.range_buflen = 16;
		msg->len += sizeof(u64);
	} else if (type == OHV_CHMSG_GPADL_BODY) {
		msg->gpadl_body.msgnumber = 0;
	}
}

static void msg_round_trips_every_type(struct kunit *test)
{
	struct ohv_vmbus_msg in, out;
	u8 wire[OHV_VMBUS_MSG_MAX];
	const char *why = NULL;
	unsigned int i;
	int len;

	for (i = 0; i < ARRAY_SIZE(known_types); i++) {
		msg_fill(&in, known_types[i]);
		len = ohv_vmbus_msg_encode(&in, wire, sizeof(wire), &why);
		KUNIT_ASSERT_EQ_MSG(test, len, (int)in.len, "%s: %s",
				    ohv_vmbus_msg_name(known_types[i]), why);
		KUNIT_ASSERT_EQ_MSG(test, ohv_vmbus_msg_decode(wire, len, &out, &why),
				    0, "%s: %s",
				    ohv_vmbus_msg_name(known_types[i]), why);
		KUNIT_EXPECT_EQ(test, out.len, in.len);
		KUNIT_EXPECT_EQ(test, out.hdr.msgtype, known_types[i]);
		KUNIT_EXPECT_EQ(test, memcmp(out.raw, in.raw, in.len), 0);
	}
}

/* Fields land where Hyper-V expects them on the wire. */
static void msg_encodes_fields_at_wire_offsets(struct kunit *test)
{
	struct ohv_vmbus_msg m;
	u8 wire[OHV_VMBUS_MSG_MAX];
	u32 v;

	ohv_vmbus_msg_init(&m, OHV_CHMSG_OFFERCHANNEL);
	m.offer.child_relid = 0x11223344;
	m.offer.connection_id = 0x55667788;
	m.offer.offer.sub_channel_index = 3;
	KUNIT_ASSERT_EQ(test, ohv_vmbus_msg_encode(&m, wire, sizeof(wire), NULL), 196);
	KUNIT_EXPECT_EQ(test, wire[0], OHV_CHMSG_OFFERCHANNEL);
	memcpy(&v, wire + 184, 4);
	KUNIT_EXPECT_EQ(test, v, 0x11223344U);
	memcpy(&v, wire + 192, 4);
	KUNIT_EXPECT_EQ(test, v, 0x55667788U);
	KUNIT_EXPECT_EQ(test, wire[8 + 172], 3);

	ohv_vmbus_msg_init(&m, OHV_CHMSG_VERSION_RESPONSE);
	m.version_response.version_supported = 1;
	m.version_response.msg_conn_id = 4;
	KUNIT_ASSERT_EQ(test, ohv_vmbus_msg_encode(&m, wire, sizeof(wire), NULL), 16);
	KUNIT_EXPECT_EQ(test, wire[8], 1);
	KUNIT_EXPECT_EQ(test, wire[12], 4);
}

static void msg_rejects_messages_shorter_than_their_type(struct kunit *test)
{
	struct ohv_vmbus_msg in, out;
	const char *why = NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(known_types); i++) {
		u32 short_len = ohv_vmbus_msg_min_len(known_types[i]) - 1;

		msg_fill(&in, known_types[i]);
		KUNIT_EXPECT_EQ_MSG(test, ohv_vmbus_msg_decode(in.raw, short_len, &out, &why),
				    -EINVAL, "%s", ohv_vmbus_msg_name(known_types[i]));
	}
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(in.raw, 4, &out, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(in.raw, 0, &out, &why), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, why);
}

static void msg_rejects_unknown_types(struct kunit *test)
{
	static const u32 bad[] = { 0, 18, 19, 20, OHV_CHMSG_COUNT, 0x80000001 };
	struct ohv_vmbus_msg out;
	u8 wire[OHV_VMBUS_MSG_MAX] = {};
	const char *why;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(wire, &bad[i], sizeof(bad[i]));
		why = NULL;
		KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(wire, sizeof(wire), &out, &why),
				-EINVAL);
		KUNIT_EXPECT_STREQ(test, why, "unknown message type");
	}
	KUNIT_EXPECT_STREQ(test, ohv_vmbus_msg_name(19), "unknown");
}

static void msg_rejects_payload_over_240_bytes(struct kunit *test)
{
	struct ohv_vmbus_msg out;
	u8 wire[OHV_VMBUS_MSG_MAX + 8] = { OHV_CHMSG_UNLOAD };

	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(wire, OHV_VMBUS_MSG_MAX + 1, &out, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(wire, OHV_VMBUS_MSG_MAX, &out, NULL), 0);
}

/* Later protocol versions append fields; we must not reject them. */
static void msg_accepts_longer_messages_of_newer_versions(struct kunit *test)
{
	struct ohv_vmbus_msg in, out;

	msg_fill(&in, OHV_CHMSG_VERSION_RESPONSE);
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(in.raw, 24, &out, NULL), 0);
	KUNIT_EXPECT_EQ(test, out.len, 24U);
}

static void msg_rejects_inconsistent_gpadl_header(struct kunit *test)
{
	struct ohv_vmbus_msg m, out;
	const char *why;

	/* rangecount 0 */
	msg_fill(&m, OHV_CHMSG_GPADL_HEADER);
	m.gpadl_header.rangecount = 0;
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(m.raw, m.len, &out, &why), -EBADMSG);
	/* range_buflen not a multiple of 8 */
	msg_fill(&m, OHV_CHMSG_GPADL_HEADER);
	m.gpadl_header.range_buflen = 20;
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(m.raw, m.len, &out, &why), -EBADMSG);
	/* two ranges cannot fit in 16 bytes */
	msg_fill(&m, OHV_CHMSG_GPADL_HEADER);
	m.gpadl_header.rangecount = 2;
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(m.raw, m.len, &out, &why), -EBADMSG);
	/* the message carries more than range_buflen */
	msg_fill(&m, OHV_CHMSG_GPADL_HEADER);
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(m.raw, m.len + 8, &out, &why), -EBADMSG);
	/* a partial PFN */
	msg_fill(&m, OHV_CHMSG_GPADL_HEADER);
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(m.raw, m.len - 4, &out, &why), -EBADMSG);
	/* and an encoder that refuses to send any of that */
	m.gpadl_header.rangecount = 0;
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_encode(&m, out.raw, sizeof(out.raw), &why),
			-EBADMSG);
}

static void msg_rejects_gpadl_body_with_partial_pfn(struct kunit *test)
{
	struct ohv_vmbus_msg m, out;

	msg_fill(&m, OHV_CHMSG_GPADL_BODY);
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(m.raw, m.len + 4, &out, NULL), -EBADMSG);
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(m.raw, m.len + 8, &out, NULL), 0);
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_gpadl_body_pfns(&out), 2U);
	/* A body with no PFN at all is too short. */
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_decode(m.raw, 16, &out, NULL), -EINVAL);
}

static void msg_encode_refuses_small_buffer(struct kunit *test)
{
	struct ohv_vmbus_msg m;
	u8 wire[8];

	msg_fill(&m, OHV_CHMSG_OPENCHANNEL);
	KUNIT_EXPECT_EQ(test, ohv_vmbus_msg_encode(&m, wire, sizeof(wire), NULL), -ENOSPC);
}

static struct kunit_case vmbus_msg_cases[] = {
	KUNIT_CASE(msg_round_trips_every_type),
	KUNIT_CASE(msg_encodes_fields_at_wire_offsets),
	KUNIT_CASE(msg_rejects_messages_shorter_than_their_type),
	KUNIT_CASE(msg_rejects_unknown_types),
	KUNIT_CASE(msg_rejects_payload_over_240_bytes),
	KUNIT_CASE(msg_accepts_longer_messages_of_newer_versions),
	KUNIT_CASE(msg_rejects_inconsistent_gpadl_header),
	KUNIT_CASE(msg_rejects_gpadl_body_with_partial_pfn),
	KUNIT_CASE(msg_encode_refuses_small_buffer),
	{}
};

static struct kunit_suite vmbus_msg_suite = {
	.name = "vmbus_msg",
	.test_cases = vmbus_msg_cases,
};

kunit_test_suite(vmbus_msg_suite);
