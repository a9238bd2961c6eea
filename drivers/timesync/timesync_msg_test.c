// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: time-sync bodies (timesync_msg.c). Suite timesync_sample: both
 * layouts, the epoch conversion and malformed bodies.
 */
#include <kunit/test.h>

#include <ohv/icmsg.h>

static const struct ohv_ic_version fw3 = { 3, 0 };
static const struct ohv_ic_version srv1 = { 1, 0 };
static const struct ohv_ic_version srv3 = { 3, 0 };
static const struct ohv_ic_version srv4 = { 4, 0 };

/* 2000-01-01T00:00:00Z as a Windows FILETIME and as Unix seconds. */
#define Y2K_T100	125911584000000000ULL
#define Y2K_UNIX_S	946684800LL

static u8 *new_buf(struct kunit *test)
{
	u8 *b = kunit_kzalloc(test, OHV_ICMSG_MAX_BYTES, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	return b;
}

/* Encode @in for @srv, parse it back, decode it as @srv. */
static int roundtrip(struct kunit *test, struct ohv_ic_version srv,
		     const struct ohv_timesync_sample *in,
		     struct ohv_timesync_sample *out, int *len)
{
	struct ohv_icmsg msg;
	u8 *b = new_buf(test);

	*len = ohv_timesync_encode(b, OHV_ICMSG_MAX_BYTES, 3, fw3, srv, in);
	KUNIT_ASSERT_GT(test, *len, 0);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(b, ALIGN(*len, 8), &msg), 0);
	KUNIT_EXPECT_EQ(test, msg.hdr.icmsgtype, OHV_ICMSGTYPE_TIMESYNC);
	KUNIT_EXPECT_EQ(test, msg.hdr.icvermsg.major, srv.major);
	return ohv_timesync_decode(&msg, srv, out);
}

static void v4_sample_carries_reference_time(struct kunit *test)
{
	struct ohv_timesync_sample in = {
		.parenttime = Y2K_T100 + 1234567,
		.reftime = 0x1122334455667788ULL,
		.flags = OHV_ICTIMESYNC_SAMPLE,
	}, out;
	int len;

	KUNIT_ASSERT_EQ(test, roundtrip(test, srv4, &in, &out, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 28 + 22);
	KUNIT_EXPECT_EQ(test, out.parenttime, in.parenttime);
	KUNIT_EXPECT_TRUE(test, out.has_reftime);
	KUNIT_EXPECT_EQ(test, out.reftime, in.reftime);
	KUNIT_EXPECT_EQ(test, out.flags, OHV_ICTIMESYNC_SAMPLE);
}

static void v1_and_v3_samples_have_no_reference_time(struct kunit *test)
{
	struct ohv_timesync_sample in = {
		.parenttime = Y2K_T100,
		.reftime = 99,
		.flags = OHV_ICTIMESYNC_SYNC,
	}, out;
	int len;

	KUNIT_ASSERT_EQ(test, roundtrip(test, srv3, &in, &out, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 28 + 25);
	KUNIT_EXPECT_EQ(test, out.parenttime, in.parenttime);
	KUNIT_EXPECT_FALSE(test, out.has_reftime);
	KUNIT_EXPECT_EQ(test, out.flags, OHV_ICTIMESYNC_SYNC);
	KUNIT_ASSERT_EQ(test, roundtrip(test, srv1, &in, &out, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 28 + 25);
	KUNIT_EXPECT_FALSE(test, out.has_reftime);
}

static void v4_fields_sit_at_wire_offsets(struct kunit *test)
{
	struct ohv_timesync_sample in = {
		.parenttime = 0x0102030405060708ULL,
		.reftime = 0x1112131415161718ULL,
		.flags = OHV_ICTIMESYNC_SYNC,
	};
	u8 *b = new_buf(test);
	u64 v;

	KUNIT_ASSERT_EQ(test, ohv_timesync_encode(b, OHV_ICMSG_MAX_BYTES, 0,
						  fw3, srv4, &in), 50);
	memcpy(&v, b + 28, 8);
	KUNIT_EXPECT_EQ(test, v, in.parenttime);
	memcpy(&v, b + 36, 8);
	KUNIT_EXPECT_EQ(test, v, in.reftime);
	KUNIT_EXPECT_EQ(test, b[44], OHV_ICTIMESYNC_SYNC);
}

static void v1_flags_sit_after_three_times(struct kunit *test)
{
	struct ohv_timesync_sample in = {
		.parenttime = Y2K_T100,
		.flags = OHV_ICTIMESYNC_SAMPLE,
	};
	u8 *b = new_buf(test);

	KUNIT_ASSERT_EQ(test, ohv_timesync_encode(b, OHV_ICMSG_MAX_BYTES, 0,
						  fw3, srv1, &in), 53);
	KUNIT_EXPECT_EQ(test, b[28 + 24], OHV_ICTIMESYNC_SAMPLE);
}

static void decode_rejects_body_shorter_than_layout(struct kunit *test)
{
	struct ohv_timesync_sample in = { .parenttime = Y2K_T100 }, out;
	struct ohv_icmsg msg;
	u8 *b = new_buf(test);
	int len;

	/* A v3 body (25 bytes) is long enough for v4 (22) but not vice versa. */
	len = ohv_timesync_encode(b, OHV_ICMSG_MAX_BYTES, 0, fw3, srv4, &in);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(b, len, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_timesync_decode(&msg, srv3, &out), -EBADMSG);
	msg.body_len = 21;
	KUNIT_EXPECT_EQ(test, ohv_timesync_decode(&msg, srv4, &out), -EBADMSG);
	msg.body_len = 0;
	KUNIT_EXPECT_EQ(test, ohv_timesync_decode(&msg, srv1, &out), -EBADMSG);
}

static void decode_rejects_other_message_types(struct kunit *test)
{
	struct ohv_timesync_sample in = { .parenttime = Y2K_T100 }, out;
	struct ohv_icmsg msg;
	u8 *b = new_buf(test);
	int len;

	len = ohv_timesync_encode(b, OHV_ICMSG_MAX_BYTES, 0, fw3, srv4, &in);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(b, len, &msg), 0);
	msg.hdr.icmsgtype = OHV_ICMSGTYPE_HEARTBEAT;
	KUNIT_EXPECT_EQ(test, ohv_timesync_decode(&msg, srv4, &out), -EBADMSG);
}

static void decode_rejects_host_time_before_1970(struct kunit *test)
{
	struct ohv_timesync_sample in = {
		.parenttime = OHV_ICTIMESYNC_EPOCH_DELTA - 1,
	}, out;
	int len;

	KUNIT_EXPECT_EQ(test, roundtrip(test, srv4, &in, &out, &len), -ERANGE);
	in.parenttime = OHV_ICTIMESYNC_EPOCH_DELTA;
	KUNIT_EXPECT_EQ(test, roundtrip(test, srv4, &in, &out, &len), 0);
}

static void epoch_1970_is_the_1601_delta(struct kunit *test)
{
	s64 ns = -1;
	u64 t100 = 0;

	KUNIT_ASSERT_EQ(test, ohv_timesync_to_unix_ns(116444736000000000ULL,
						      &ns), 0);
	KUNIT_EXPECT_EQ(test, ns, 0LL);
	KUNIT_ASSERT_EQ(test, ohv_timesync_from_unix_ns(0, &t100), 0);
	KUNIT_EXPECT_EQ(test, t100, 116444736000000000ULL);
}

static void epoch_converts_y2k_both_ways(struct kunit *test)
{
	s64 ns;
	u64 t100;

	KUNIT_ASSERT_EQ(test, ohv_timesync_to_unix_ns(Y2K_T100 + 7, &ns), 0);
	KUNIT_EXPECT_EQ(test, ns, Y2K_UNIX_S * NSEC_PER_SEC + 700);
	/* 100 ns resolution: the last two digits are dropped. */
	KUNIT_ASSERT_EQ(test, ohv_timesync_from_unix_ns(Y2K_UNIX_S *
							NSEC_PER_SEC + 799,
							&t100), 0);
	KUNIT_EXPECT_EQ(test, t100, Y2K_T100 + 7);
}

static void epoch_rejects_times_out_of_range(struct kunit *test)
{
	s64 ns;
	u64 t100;

	KUNIT_EXPECT_EQ(test, ohv_timesync_to_unix_ns(0, &ns), -ERANGE);
	KUNIT_EXPECT_EQ(test, ohv_timesync_to_unix_ns(U64_MAX, &ns), -ERANGE);
	KUNIT_EXPECT_EQ(test, ohv_timesync_from_unix_ns(-1, &t100), -ERANGE);
	KUNIT_ASSERT_EQ(test, ohv_timesync_from_unix_ns(S64_MAX, &t100), 0);
	KUNIT_ASSERT_EQ(test, ohv_timesync_to_unix_ns(t100, &ns), 0);
	KUNIT_EXPECT_EQ(test, ns, S64_MAX / 100 * 100);
	KUNIT_EXPECT_EQ(test, ohv_timesync_to_unix_ns(t100 + 1, &ns), -ERANGE);
}

static struct kunit_case timesync_sample_cases[] = {
	KUNIT_CASE(v4_sample_carries_reference_time),
	KUNIT_CASE(v1_and_v3_samples_have_no_reference_time),
	KUNIT_CASE(v4_fields_sit_at_wire_offsets),
	KUNIT_CASE(v1_flags_sit_after_three_times),
	KUNIT_CASE(decode_rejects_body_shorter_than_layout),
	KUNIT_CASE(decode_rejects_other_message_types),
	KUNIT_CASE(decode_rejects_host_time_before_1970),
	KUNIT_CASE(epoch_1970_is_the_1601_delta),
	KUNIT_CASE(epoch_converts_y2k_both_ways),
	KUNIT_CASE(epoch_rejects_times_out_of_range),
	{}
};

static struct kunit_suite timesync_sample_suite = {
	.name = "timesync_sample",
	.test_cases = timesync_sample_cases,
};

kunit_test_suite(timesync_sample_suite);

MODULE_DESCRIPTION("KUnit tests for the ohv time-sync service");
MODULE_LICENSE("GPL");
