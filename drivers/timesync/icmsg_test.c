// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the IC framework (icmsg.c).
 *
 * timesync_icmsg: header validation and responses.
 * timesync_negotiate: every framework/service offer the host can make
 * against every set the guest can support, run through the whole
 * exchange (build, parse, answer, parse, result).
 */
#include <kunit/test.h>

#include <ohv/icmsg.h>

#define V(maj, min) { .major = (maj), .minor = (min) }

/* Framework versions, highest first: 3.0, 1.0. */
static const struct ohv_ic_version fw_all[] = { V(3, 0), V(1, 0) };
/* Time-sync service versions, highest first: 4.0, 3.0, 1.0. */
static const struct ohv_ic_version srv_all[] = { V(4, 0), V(3, 0), V(1, 0) };

/* A buffer with room for any message plus a canary. */
struct msgbuf {
	u8 b[OHV_ICMSG_MAX_BYTES + 64];
};

static struct msgbuf *new_buf(struct kunit *test)
{
	struct msgbuf *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	return m;
}

/* Put headers for a message with @body_len body bytes. */
static void put_hdr(u8 *b, u32 msgsize, u16 type, u16 body_len, u8 flags)
{
	struct ohv_vmbuspipe_hdr pipe = { .flags = 0, .msgsize = msgsize };
	struct ohv_icmsg_hdr hdr = {
		.icmsgtype = type,
		.icmsgsize = body_len,
		.ictransaction_id = 7,
		.icflags = flags,
	};

	memcpy(b, &pipe, sizeof(pipe));
	memcpy(b + sizeof(pipe), &hdr, sizeof(hdr));
}

/* ---------------------------------------------------------------------- */
/* timesync_icmsg                                                         */
/* ---------------------------------------------------------------------- */

static void parse_finds_body_after_both_headers(struct kunit *test)
{
	struct msgbuf *m = new_buf(test);
	struct ohv_icmsg msg;

	put_hdr(m->b, 20 + 25, OHV_ICMSGTYPE_TIMESYNC, 25,
		OHV_ICMSGHDRFLAG_TRANSACTION | OHV_ICMSGHDRFLAG_REQUEST);
	/* The payload arrives padded to 8 bytes. */
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, 56, &msg), 0);
	KUNIT_EXPECT_PTR_EQ(test, msg.body, (const u8 *)m->b + 28);
	KUNIT_EXPECT_EQ(test, msg.body_len, 25U);
	KUNIT_EXPECT_EQ(test, msg.hdr.icmsgtype, OHV_ICMSGTYPE_TIMESYNC);
	KUNIT_EXPECT_EQ(test, msg.hdr.ictransaction_id, 7);
}

static void parse_rejects_message_shorter_than_headers(struct kunit *test)
{
	struct msgbuf *m = new_buf(test);
	struct ohv_icmsg msg;
	u32 len;

	put_hdr(m->b, 20, OHV_ICMSGTYPE_TIMESYNC, 0, 0);
	for (len = 0; len < OHV_ICMSG_HDR_BYTES; len++)
		KUNIT_EXPECT_EQ(test, ohv_icmsg_parse(m->b, len, &msg),
				-EBADMSG);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_parse(m->b, 28, &msg), 0);
}

static void parse_rejects_message_over_4k(struct kunit *test)
{
	struct msgbuf *m = new_buf(test);
	struct ohv_icmsg msg;

	put_hdr(m->b, 20, OHV_ICMSGTYPE_TIMESYNC, 0, 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_parse(m->b, OHV_ICMSG_MAX_BYTES, &msg),
			0);
	KUNIT_EXPECT_EQ(test,
			ohv_icmsg_parse(m->b, OHV_ICMSG_MAX_BYTES + 8, &msg),
			-EMSGSIZE);
	/* The headers are still there to answer with an error. */
	KUNIT_EXPECT_EQ(test, msg.hdr.ictransaction_id, 7);
}

static void parse_rejects_body_size_beyond_message(struct kunit *test)
{
	struct msgbuf *m = new_buf(test);
	struct ohv_icmsg msg;

	put_hdr(m->b, 20, OHV_ICMSGTYPE_TIMESYNC, 29, 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_parse(m->b, 56, &msg), -EBADMSG);
	put_hdr(m->b, 20, OHV_ICMSGTYPE_TIMESYNC, 0xffff, 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_parse(m->b, OHV_ICMSG_MAX_BYTES, &msg),
			-EBADMSG);
	put_hdr(m->b, 20, OHV_ICMSGTYPE_TIMESYNC, 28, 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_parse(m->b, 56, &msg), 0);
}

static void parse_rejects_pipe_size_beyond_message(struct kunit *test)
{
	struct msgbuf *m = new_buf(test);
	struct ohv_icmsg msg;

	put_hdr(m->b, 49, OHV_ICMSGTYPE_TIMESYNC, 0, 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_parse(m->b, 56, &msg), -EBADMSG);
	put_hdr(m->b, 0xffffffff, OHV_ICMSGTYPE_TIMESYNC, 0, 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_parse(m->b, 56, &msg), -EBADMSG);
}

static void parse_ignores_unknown_flags(struct kunit *test)
{
	struct msgbuf *m = new_buf(test);
	struct ohv_icmsg msg;

	put_hdr(m->b, 20, OHV_ICMSGTYPE_TIMESYNC, 0, 0xf8);
	m->b[0] = 0xff;		/* pipe flags */
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, 28, &msg), 0);
	KUNIT_EXPECT_EQ(test, msg.hdr.icflags, 0xf8);
}

static void response_sets_flags_status_and_keeps_transaction(struct kunit *test)
{
	struct msgbuf *m = new_buf(test);
	struct ohv_icmsg msg, resp;
	int len;

	put_hdr(m->b, 45, OHV_ICMSGTYPE_TIMESYNC, 25,
		OHV_ICMSGHDRFLAG_TRANSACTION | OHV_ICMSGHDRFLAG_REQUEST);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, 56, &msg), 0);
	len = ohv_icmsg_make_response(m->b, sizeof(m->b), &msg, OHV_IC_E_FAIL,
				      0);
	KUNIT_ASSERT_EQ(test, len, 28);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, len, &resp), 0);
	KUNIT_EXPECT_EQ(test, resp.hdr.icflags,
			OHV_ICMSGHDRFLAG_TRANSACTION | OHV_ICMSGHDRFLAG_RESPONSE);
	KUNIT_EXPECT_EQ(test, resp.hdr.status, OHV_IC_E_FAIL);
	KUNIT_EXPECT_EQ(test, resp.hdr.ictransaction_id, 7);
	KUNIT_EXPECT_EQ(test, resp.hdr.icmsgtype, OHV_ICMSGTYPE_TIMESYNC);
	KUNIT_EXPECT_EQ(test, resp.pipe.msgsize, 20U);
	KUNIT_EXPECT_EQ(test, resp.body_len, 0U);
}

static void init_refuses_message_over_4k(struct kunit *test)
{
	struct msgbuf *m = new_buf(test);
	struct ohv_ic_version v = V(3, 0);

	KUNIT_EXPECT_EQ(test, ohv_icmsg_init(m->b, sizeof(m->b), 0, v, v, 0,
					     OHV_ICMSG_MAX_BYTES - 28),
			OHV_ICMSG_MAX_BYTES);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_init(m->b, sizeof(m->b), 0, v, v, 0,
					     OHV_ICMSG_MAX_BYTES - 27),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_init(m->b, 40, 0, v, v, 0, 13),
			-EINVAL);
}

static struct kunit_case timesync_icmsg_cases[] = {
	KUNIT_CASE(parse_finds_body_after_both_headers),
	KUNIT_CASE(parse_rejects_message_shorter_than_headers),
	KUNIT_CASE(parse_rejects_message_over_4k),
	KUNIT_CASE(parse_rejects_body_size_beyond_message),
	KUNIT_CASE(parse_rejects_pipe_size_beyond_message),
	KUNIT_CASE(parse_ignores_unknown_flags),
	KUNIT_CASE(response_sets_flags_status_and_keeps_transaction),
	KUNIT_CASE(init_refuses_message_over_4k),
	{}
};

static struct kunit_suite timesync_icmsg_suite = {
	.name = "timesync_icmsg",
	.test_cases = timesync_icmsg_cases,
};

/* ---------------------------------------------------------------------- */
/* timesync_negotiate                                                     */
/* ---------------------------------------------------------------------- */

/* The versions of @all whose bit is set in @mask, in order. */
static unsigned int subset(const struct ohv_ic_version *all, unsigned int n,
			   unsigned int mask, struct ohv_ic_version *out)
{
	unsigned int i, k = 0;

	for (i = 0; i < n; i++)
		if (mask & BIT(i))
			out[k++] = all[i];
	return k;
}

/*
 * Run one exchange. Returns the guest's result; on success *@fw / *@srv
 * are what both sides agreed on (checked to be the same).
 */
static int exchange(struct kunit *test, const struct ohv_icmsg_versions *host,
		    const struct ohv_icmsg_versions *guest,
		    struct ohv_ic_version *fw, struct ohv_ic_version *srv)
{
	struct ohv_ic_version gfw = {}, gsrv = {}, hfw = {}, hsrv = {};
	struct msgbuf *m = new_buf(test);
	struct ohv_icmsg req, resp;
	int len, gret, hret;

	len = ohv_icmsg_build_negotiate(m->b, sizeof(m->b), 9, host);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, len, &req), 0);
	gret = ohv_icmsg_negotiate_answer(m->b, sizeof(m->b), &req, guest,
					  &gfw, &gsrv);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b,
					      OHV_ICMSG_NEGOTIATE_RESP_BYTES,
					      &resp), 0);
	KUNIT_EXPECT_EQ(test, resp.hdr.ictransaction_id, 9);
	KUNIT_EXPECT_EQ(test, resp.hdr.status,
			gret ? OHV_IC_E_FAIL : OHV_IC_S_OK);
	hret = ohv_icmsg_negotiate_result(&resp, host, &hfw, &hsrv);
	if (gret) {
		KUNIT_EXPECT_EQ(test, hret, -EPROTONOSUPPORT);
		return gret;
	}
	KUNIT_EXPECT_EQ(test, hret, 0);
	KUNIT_EXPECT_EQ(test, ohv_ic_version_cmp(gfw, hfw), 0);
	KUNIT_EXPECT_EQ(test, ohv_ic_version_cmp(gsrv, hsrv), 0);
	*fw = gfw;
	*srv = gsrv;
	return 0;
}

/* Lowest set bit of @mask: the highest version both lists hold. */
static int first_common(unsigned int mask)
{
	return mask ? __ffs(mask) : -1;
}

static void negotiate_picks_highest_common_pair_for_every_offer(struct kunit *test)
{
	unsigned int i, hf, gf, hs, gs, combos = 0, refused = 0;
	struct ohv_ic_version hfw[2], gfw[2], hsrv[3], gsrv[3], fw, srv;
	struct ohv_icmsg_versions host, guest;
	int want_fw, want_srv, ret;

	/* Every non-empty subset of each list, on each side. */
	for (i = 0; i < 3 * 3 * 7 * 7; i++) {
		hf = 1 + i % 3;
		gf = 1 + i / 3 % 3;
		hs = 1 + i / 9 % 7;
		gs = 1 + i / 63;
		host.fw = hfw;
		host.nfw = subset(fw_all, 2, hf, hfw);
		host.srv = hsrv;
		host.nsrv = subset(srv_all, 3, hs, hsrv);
		guest.fw = gfw;
		guest.nfw = subset(fw_all, 2, gf, gfw);
		guest.srv = gsrv;
		guest.nsrv = subset(srv_all, 3, gs, gsrv);
		want_fw = first_common(hf & gf);
		want_srv = first_common(hs & gs);
		ret = exchange(test, &host, &guest, &fw, &srv);
		combos++;
		if (want_fw < 0 || want_srv < 0) {
			KUNIT_EXPECT_EQ_MSG(test, ret, -EPROTONOSUPPORT,
					    "fw %x/%x srv %x/%x", hf, gf, hs, gs);
			refused++;
			continue;
		}
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "fw %x/%x srv %x/%x",
				    hf, gf, hs, gs);
		KUNIT_EXPECT_EQ_MSG(test, ohv_ic_version_cmp(fw, fw_all[want_fw]),
				    0, "fw %x/%x srv %x/%x", hf, gf, hs, gs);
		KUNIT_EXPECT_EQ_MSG(test,
				    ohv_ic_version_cmp(srv, srv_all[want_srv]),
				    0, "fw %x/%x srv %x/%x", hf, gf, hs, gs);
	}
	KUNIT_EXPECT_EQ(test, combos, 3U * 3 * 7 * 7);
	/* fw: 2 disjoint pairs of 9; srv: 12 disjoint pairs of 49. */
	KUNIT_EXPECT_EQ(test, refused, 3U * 3 * 7 * 7 - 7U * 37);
}

static void negotiate_picks_highest_whatever_the_host_order(struct kunit *test)
{
	static const struct ohv_ic_version fw_up[] = { V(1, 0), V(3, 0) };
	static const struct ohv_ic_version srv_up[] = {
		V(1, 0), V(4, 0), V(3, 0),
	};
	const struct ohv_icmsg_versions host = { fw_up, 2, srv_up, 3 };
	const struct ohv_icmsg_versions guest = { fw_all, 2, srv_all, 3 };
	struct ohv_ic_version fw, srv;

	KUNIT_ASSERT_EQ(test, exchange(test, &host, &guest, &fw, &srv), 0);
	KUNIT_EXPECT_EQ(test, fw.major, 3);
	KUNIT_EXPECT_EQ(test, srv.major, 4);
}

static void negotiate_ignores_unknown_host_versions(struct kunit *test)
{
	static const struct ohv_ic_version fw_new[] = { V(9, 9), V(3, 0) };
	static const struct ohv_ic_version srv_new[] = { V(5, 1), V(3, 0) };
	const struct ohv_icmsg_versions host = { fw_new, 2, srv_new, 2 };
	const struct ohv_icmsg_versions guest = { fw_all, 2, srv_all, 3 };
	struct ohv_ic_version fw, srv;

	KUNIT_ASSERT_EQ(test, exchange(test, &host, &guest, &fw, &srv), 0);
	KUNIT_EXPECT_EQ(test, fw.major, 3);
	KUNIT_EXPECT_EQ(test, srv.major, 3);
}

/* A negotiate request with the given counts and @nver versions of 3.0. */
static u32 raw_negotiate(u8 *b, u16 nfw, u16 nsrv, u32 nver)
{
	struct ohv_icmsg_negotiate neg = {
		.icframe_vercnt = nfw,
		.icmsg_vercnt = nsrv,
	};
	struct ohv_ic_version v = V(3, 0);
	u32 body = sizeof(neg) + nver * sizeof(v);
	u32 i;

	put_hdr(b, 20 + body, OHV_ICMSGTYPE_NEGOTIATE, body,
		OHV_ICMSGHDRFLAG_TRANSACTION | OHV_ICMSGHDRFLAG_REQUEST);
	memcpy(b + 28, &neg, sizeof(neg));
	for (i = 0; i < nver; i++)
		memcpy(b + 36 + i * sizeof(v), &v, sizeof(v));
	return 28 + body;
}

static void negotiate_rejects_counts_over_limit(struct kunit *test)
{
	const struct ohv_icmsg_versions guest = { fw_all, 2, fw_all, 2 };
	struct msgbuf *m = new_buf(test);
	struct ohv_ic_version fw, srv;
	struct ohv_icmsg msg;
	u32 len;

	len = raw_negotiate(m->b, 100, 100, 200);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, len, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_select(&msg, &guest, &fw,
							 &srv), 0);
	len = raw_negotiate(m->b, 101, 1, 102);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, len, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_select(&msg, &guest, &fw,
							 &srv), -EBADMSG);
	len = raw_negotiate(m->b, 1, 101, 102);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, len, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_select(&msg, &guest, &fw,
							 &srv), -EBADMSG);
}

static void negotiate_rejects_versions_beyond_body(struct kunit *test)
{
	const struct ohv_icmsg_versions guest = { fw_all, 2, fw_all, 2 };
	struct msgbuf *m = new_buf(test);
	struct ohv_ic_version fw, srv;
	struct ohv_icmsg msg;
	u32 len;

	len = raw_negotiate(m->b, 2, 2, 3);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, len, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_select(&msg, &guest, &fw,
							 &srv), -EBADMSG);
	/* Even with the rest of the buffer there: the body size counts. */
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, len + 8, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_select(&msg, &guest, &fw,
							 &srv), -EBADMSG);
	len = raw_negotiate(m->b, 2, 2, 4);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, len, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_select(&msg, &guest, &fw,
							 &srv), 0);
}

static void negotiate_answers_malformed_offer_with_error(struct kunit *test)
{
	const struct ohv_icmsg_versions guest = { fw_all, 2, srv_all, 3 };
	struct msgbuf *m = new_buf(test);
	struct ohv_ic_version fw = V(7, 7), srv = V(7, 7);
	struct ohv_icmsg msg, resp;
	u16 counts[2];
	u32 len;

	len = raw_negotiate(m->b, 2, 2, 1);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, len, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_answer(m->b, sizeof(m->b),
							 &msg, &guest, &fw,
							 &srv), -EBADMSG);
	KUNIT_EXPECT_EQ(test, fw.major, 7);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b,
					      OHV_ICMSG_NEGOTIATE_RESP_BYTES,
					      &resp), 0);
	KUNIT_EXPECT_EQ(test, resp.hdr.status, OHV_IC_E_FAIL);
	KUNIT_EXPECT_TRUE(test, resp.hdr.icflags & OHV_ICMSGHDRFLAG_RESPONSE);
	memcpy(counts, resp.body, sizeof(counts));
	KUNIT_EXPECT_EQ(test, counts[0], 0);
	KUNIT_EXPECT_EQ(test, counts[1], 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_answer(m->b, 43, &msg,
							 &guest, &fw, &srv),
			-ENOSPC);
}

/* A guest answer choosing @fw/@srv, with @flags and @status. */
static void raw_answer(u8 *b, struct ohv_ic_version fw,
		       struct ohv_ic_version srv, u8 flags, u32 status)
{
	struct ohv_icmsg_negotiate neg = { 1, 1, 0 };
	struct ohv_icmsg_hdr hdr;

	put_hdr(b, 36, OHV_ICMSGTYPE_NEGOTIATE, 16, flags);
	memcpy(&hdr, b + 8, sizeof(hdr));
	hdr.status = status;
	memcpy(b + 8, &hdr, sizeof(hdr));
	memcpy(b + 28, &neg, sizeof(neg));
	memcpy(b + 36, &fw, sizeof(fw));
	memcpy(b + 40, &srv, sizeof(srv));
}

static void negotiate_result_rejects_unoffered_or_unflagged_answer(struct kunit *test)
{
	static const struct ohv_ic_version srv3[] = { V(3, 0), V(1, 0) };
	const struct ohv_icmsg_versions host = { fw_all, 2, srv3, 2 };
	struct ohv_ic_version v3 = V(3, 0), v4 = V(4, 0), fw, srv;
	u8 resp = OHV_ICMSGHDRFLAG_TRANSACTION | OHV_ICMSGHDRFLAG_RESPONSE;
	struct msgbuf *m = new_buf(test);
	struct ohv_icmsg msg;

	raw_answer(m->b, v3, v3, resp, OHV_IC_S_OK);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, 44, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_result(&msg, &host, &fw,
							 &srv), 0);
	raw_answer(m->b, v3, v4, resp, OHV_IC_S_OK);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, 44, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_result(&msg, &host, &fw,
							 &srv), -EBADMSG);
	raw_answer(m->b, v3, v3, OHV_ICMSGHDRFLAG_TRANSACTION, OHV_IC_S_OK);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, 44, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_result(&msg, &host, &fw,
							 &srv), -EBADMSG);
	raw_answer(m->b, v3, v3, resp, OHV_IC_E_FAIL);
	KUNIT_ASSERT_EQ(test, ohv_icmsg_parse(m->b, 44, &msg), 0);
	KUNIT_EXPECT_EQ(test, ohv_icmsg_negotiate_result(&msg, &host, &fw,
							 &srv),
			-EPROTONOSUPPORT);
}

static struct kunit_case timesync_negotiate_cases[] = {
	KUNIT_CASE(negotiate_picks_highest_common_pair_for_every_offer),
	KUNIT_CASE(negotiate_picks_highest_whatever_the_host_order),
	KUNIT_CASE(negotiate_ignores_unknown_host_versions),
	KUNIT_CASE(negotiate_rejects_counts_over_limit),
	KUNIT_CASE(negotiate_rejects_versions_beyond_body),
	KUNIT_CASE(negotiate_answers_malformed_offer_with_error),
	KUNIT_CASE(negotiate_result_rejects_unoffered_or_unflagged_answer),
	{}
};

static struct kunit_suite timesync_negotiate_suite = {
	.name = "timesync_negotiate",
	.test_cases = timesync_negotiate_cases,
};

kunit_test_suites(&timesync_icmsg_suite, &timesync_negotiate_suite);
