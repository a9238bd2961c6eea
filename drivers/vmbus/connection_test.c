// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the VMBus connection halves, on loopback partitions:
 *   vmbus_version  version negotiation with different version sets on
 *                  each side, and the connection ids 5.x brings
 *   vmbus_conn     messages a peer should not send are rejected and
 *                  counted, and the connection keeps working; a request
 *                  that cannot be sent leaves no wait behind
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "core.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define V(maj, min)	OHV_VMBUS_MAKE_VERSION(maj, min)

/* Partition ids far above what the loopback parameter creates. */
#define TEST_PART_VERSION	1000
#define TEST_PART_CONN		1001

struct version_case {
	const char *name;
	u32 guest[8];
	u32 host[8];
	u32 host_msg_conn_id;
	int ret;
	u32 version;
	u32 msg_conn_id;
};

static const struct version_case version_cases[] = {
	{ "both_all_5_3", { V(5, 3), V(5, 2), V(5, 1), V(5, 0), V(4, 1),
			    V(4, 0), V(3, 0), V(2, 4) },
	  { V(5, 3), V(5, 2), V(5, 1), V(5, 0), V(4, 1), V(4, 0), V(3, 0),
	    V(2, 4) }, 7, 0, V(5, 3), 7 },
	{ "host_pre5_uses_id_1", { V(5, 3), V(5, 2), V(5, 1), V(5, 0),
				   V(4, 1), V(4, 0), V(3, 0), V(2, 4) },
	  { V(4, 1), V(4, 0), V(3, 0), V(2, 4) }, 7, 0, V(4, 1), 1 },
	{ "host_only_5_0", { V(5, 3), V(5, 2), V(5, 1), V(5, 0), V(4, 1),
			     V(4, 0), V(3, 0), V(2, 4) },
	  { V(5, 0) }, 9, 0, V(5, 0), 9 },
	{ "guest_win8_1", { V(3, 0), V(2, 4) },
	  { V(5, 3), V(5, 2), V(5, 1), V(5, 0), V(4, 1), V(4, 0), V(3, 0),
	    V(2, 4) }, 7, 0, V(3, 0), 1 },
	{ "only_win8", { V(2, 4) }, { V(2, 4) }, 7, 0, V(2, 4), 1 },
	{ "overlap_5_1", { V(5, 2), V(5, 1) }, { V(5, 3), V(5, 1) }, 3, 0,
	  V(5, 1), 3 },
	{ "disjoint", { V(5, 3) }, { V(4, 0) }, 1, -EPROTONOSUPPORT, 0, 0 },
};

static void version_case_desc(const struct version_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(version, version_cases, version_case_desc);

static unsigned int nr_versions(const u32 *v)
{
	unsigned int n = 0;

	while (n < 8 && v[n])
		n++;
	return n;
}

static struct ohv_lo_part *test_part(struct kunit *test, u32 id)
{
	struct ohv_lo_part *lo = ohv_loopback_alloc(id);

	KUNIT_ASSERT_FALSE(test, IS_ERR(lo));
	return lo;
}

static void version_negotiates_highest_common(struct kunit *test)
{
	const struct version_case *c = test->param_value;
	struct ohv_lo_part *lo = test_part(test, TEST_PART_VERSION);
	struct ohv_conn *guest = lo->link.guest, *host = lo->link.host;
	int ret;

	guest->supported = c->guest;
	guest->nr_supported = nr_versions(c->guest);
	host->supported = c->host;
	host->nr_supported = nr_versions(c->host);
	host->msg_conn_id = c->host_msg_conn_id;

	ret = ohv_guest_connect(guest);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, guest->version, c->version);
		KUNIT_EXPECT_EQ(test, host->version, c->version);
		KUNIT_EXPECT_EQ(test, guest->msg_conn_id, c->msg_conn_id);
		KUNIT_EXPECT_EQ(test, (int)host->state, OHV_CONN_CONNECTED);
	} else {
		KUNIT_EXPECT_NE(test, (int)host->state, OHV_CONN_CONNECTED);
	}
	/* The guest asked in the right order on the right ids: no rejects. */
	KUNIT_EXPECT_EQ(test, atomic64_read(&host->stats.msgs_bad), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&guest->stats.msgs_bad), 0);
	ohv_loopback_free(lo);
}

static void send_raw(struct ohv_conn *to, u32 conn_id,
		     const struct ohv_vmbus_msg *msg)
{
	ohv_conn_rx_msg(to, conn_id, msg->raw, msg->len);
}

static void contact_on_wrong_connection_id_is_rejected(struct kunit *test)
{
	struct ohv_lo_part *lo = test_part(test, TEST_PART_VERSION);
	struct ohv_conn *host = lo->link.host, *guest = lo->link.guest;
	struct ohv_vmbus_msg msg;

	/* 5.x must come on id 4, older versions on id 1. */
	ohv_vmbus_msg_init(&msg, OHV_CHMSG_INITIATE_CONTACT);
	msg.initiate_contact.vmbus_version_requested = V(5, 3);
	send_raw(host, OHV_VMBUS_MESSAGE_CONNECTION_ID, &msg);
	msg.initiate_contact.vmbus_version_requested = V(4, 0);
	send_raw(host, OHV_VMBUS_MESSAGE_CONNECTION_ID_4, &msg);
	ohv_loopback_sync(lo);
	KUNIT_EXPECT_EQ(test, atomic64_read(&host->stats.msgs_bad), 2);
	KUNIT_EXPECT_EQ(test, (int)host->state, OHV_CONN_DISCONNECTED);
	KUNIT_EXPECT_EQ(test, atomic64_read(&guest->stats.msgs_rx), 0);

	/* The right id works. */
	msg.initiate_contact.vmbus_version_requested = V(5, 3);
	send_raw(host, OHV_VMBUS_MESSAGE_CONNECTION_ID_4, &msg);
	ohv_loopback_sync(lo);
	KUNIT_EXPECT_EQ(test, (int)host->state, OHV_CONN_CONNECTED);
	KUNIT_EXPECT_EQ(test, host->version, V(5, 3));
	ohv_loopback_free(lo);
}

static void unsupported_version_is_answered_not_supported(struct kunit *test)
{
	static const u32 host_v[] = { V(4, 0) };
	struct ohv_lo_part *lo = test_part(test, TEST_PART_VERSION);
	struct ohv_conn *host = lo->link.host, *guest = lo->link.guest;
	struct ohv_vmbus_msg msg;
	struct ohv_wait w;

	host->supported = host_v;
	host->nr_supported = 1;
	guest->state = OHV_CONN_CONNECTING;
	ohv_wait_init(&w, OHV_CHMSG_VERSION_RESPONSE, 0, 0);
	ohv_wait_add(guest, &w, NULL);
	ohv_vmbus_msg_init(&msg, OHV_CHMSG_INITIATE_CONTACT);
	msg.initiate_contact.vmbus_version_requested = V(5, 3);
	send_raw(host, OHV_VMBUS_MESSAGE_CONNECTION_ID_4, &msg);
	KUNIT_ASSERT_EQ(test, ohv_wait_for(guest, &w), 0);
	KUNIT_EXPECT_EQ(test, w.resp.version_response.version_supported, 0);
	KUNIT_EXPECT_EQ(test, (int)host->state, OHV_CONN_DISCONNECTED);
	guest->state = OHV_CONN_DISCONNECTED;
	ohv_loopback_free(lo);
}

static struct kunit_case version_test_cases[] = {
	KUNIT_CASE_PARAM(version_negotiates_highest_common,
			 version_gen_params),
	KUNIT_CASE(contact_on_wrong_connection_id_is_rejected),
	KUNIT_CASE(unsupported_version_is_answered_not_supported),
	{}
};

static struct kunit_suite version_suite = {
	.name = "vmbus_version",
	.test_cases = version_test_cases,
};

/* ---------------------------------------------------------------------- */
/* vmbus_conn: hostile messages                                           */
/* ---------------------------------------------------------------------- */

enum reject_target { TO_GUEST, TO_HOST };

struct reject_case {
	const char *name;
	enum reject_target to;
	u32 type;
	u32 len;	/* 0: the type's fixed length */
	u32 a, b;	/* first two u32 fields after the header */
	u32 conn_id;	/* TO_HOST: 0 means the negotiated id */
};

static const struct reject_case reject_cases[] = {
	{ "short_message", TO_GUEST, OHV_CHMSG_OFFERCHANNEL, 4 },
	{ "truncated_offer", TO_GUEST, OHV_CHMSG_OFFERCHANNEL, 100 },
	{ "unknown_type", TO_GUEST, 99, 8 },
	{ "offer_relid_zero", TO_GUEST, OHV_CHMSG_OFFERCHANNEL, 0, 0 },
	{ "offer_relid_out_of_range", TO_GUEST, OHV_CHMSG_OFFERCHANNEL, 0,
	  OHV_MAX_RELID + 1 },
	{ "rescind_unknown_relid", TO_GUEST, OHV_CHMSG_RESCIND_CHANNELOFFER, 0,
	  77 },
	{ "gpadl_created_unknown_id", TO_GUEST, OHV_CHMSG_GPADL_CREATED, 0, 1,
	  12345 },
	{ "torndown_unknown_id", TO_GUEST, OHV_CHMSG_GPADL_TORNDOWN, 0, 12345 },
	{ "open_result_unknown", TO_GUEST, OHV_CHMSG_OPENCHANNEL_RESULT, 0, 5,
	  5 },
	{ "version_response_when_connected", TO_GUEST,
	  OHV_CHMSG_VERSION_RESPONSE },
	{ "guest_bound_type_from_host", TO_GUEST, OHV_CHMSG_OPENCHANNEL },
	{ "gpadl_body_unknown_id", TO_HOST, OHV_CHMSG_GPADL_BODY,
	  sizeof(struct ohv_vmbus_msg_gpadl_body) + 8, 0, 4242 },
	{ "teardown_unknown_gpadl", TO_HOST, OHV_CHMSG_GPADL_TEARDOWN, 0, 1,
	  4242 },
	{ "open_unknown_relid", TO_HOST, OHV_CHMSG_OPENCHANNEL, 0, 999 },
	{ "close_unknown_relid", TO_HOST, OHV_CHMSG_CLOSECHANNEL, 0, 999 },
	{ "release_of_live_relid", TO_HOST, OHV_CHMSG_RELID_RELEASED, 0, 999 },
	{ "wrong_connection_id", TO_HOST, OHV_CHMSG_REQUESTOFFERS, 0, 0, 0,
	  OHV_VMBUS_MESSAGE_CONNECTION_ID_4 },
	{ "host_bound_type_from_guest", TO_HOST, OHV_CHMSG_OFFERCHANNEL },
	{ "contact_when_connected", TO_HOST, OHV_CHMSG_INITIATE_CONTACT, 0,
	  V(5, 3), 0, OHV_VMBUS_MESSAGE_CONNECTION_ID_4 },
};

static void reject_case_desc(const struct reject_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(reject, reject_cases, reject_case_desc);

static void bad_message_is_counted_and_dropped(struct kunit *test)
{
	const struct reject_case *c = test->param_value;
	struct ohv_lo_part *lo = test_part(test, TEST_PART_CONN);
	struct ohv_conn *guest = lo->link.guest, *host = lo->link.host;
	struct ohv_conn *to = c->to == TO_GUEST ? guest : host;
	struct ohv_vmbus_msg msg;
	u32 conn_id;
	s64 bad;

	KUNIT_ASSERT_EQ(test, ohv_guest_connect(guest), 0);
	bad = atomic64_read(&to->stats.msgs_bad);

	memset(&msg, 0, sizeof(msg));
	msg.hdr.msgtype = c->type;
	msg.len = c->len ?: ohv_vmbus_msg_min_len(c->type);
	memcpy(msg.raw + 8, &c->a, sizeof(c->a));
	memcpy(msg.raw + 12, &c->b, sizeof(c->b));
	conn_id = c->conn_id ?: READ_ONCE(guest->msg_conn_id);
	send_raw(to, conn_id, &msg);
	ohv_loopback_sync(lo);

	KUNIT_EXPECT_EQ(test, atomic64_read(&to->stats.msgs_bad), bad + 1);
	KUNIT_EXPECT_TRUE(test, xa_empty(&guest->chans));
	/* Still connected and answering. */
	KUNIT_EXPECT_EQ(test, (int)guest->state, OHV_CONN_CONNECTED);
	KUNIT_EXPECT_EQ(test, (int)host->state, OHV_CONN_CONNECTED);
	ohv_loopback_free(lo);
	/* UNLOAD went through: the host is disconnected again. */
}

/*
 * A request that cannot be sent fails at once and leaves no wait behind
 * for a response to land in; on a broken connection it fails with
 * -ESHUTDOWN without posting anything.
 */
static void unsendable_request_leaves_no_wait(struct kunit *test)
{
	struct ohv_lo_part *lo = test_part(test, TEST_PART_CONN);
	struct ohv_conn *guest = lo->link.guest, *host = lo->link.host;
	struct ohv_vmbus_msg msgs[2];
	struct ohv_wait w;
	s64 tx, bad;

	ohv_vmbus_msg_init(&msgs[0], OHV_CHMSG_REQUESTOFFERS);
	ohv_vmbus_msg_init(&msgs[1], OHV_CHMSG_REQUESTOFFERS);
	msgs[1].len = OHV_VMBUS_MSG_MAX + 1;	/* the codec refuses it */
	tx = atomic64_read(&guest->stats.msgs_tx);
	bad = atomic64_read(&host->stats.msgs_bad);
	guest->state = OHV_CONN_CONNECTING;
	ohv_wait_init(&w, OHV_CHMSG_VERSION_RESPONSE, 0, 0);
	KUNIT_EXPECT_EQ(test, ohv_conn_request(guest, msgs, 2, &w, NULL),
			-EINVAL);
	KUNIT_EXPECT_TRUE(test, list_empty(&guest->waits));
	/* The first went out, the second did not. */
	KUNIT_EXPECT_EQ(test, atomic64_read(&guest->stats.msgs_tx), tx + 1);

	guest->state = OHV_CONN_BROKEN;
	ohv_wait_init(&w, OHV_CHMSG_VERSION_RESPONSE, 0, 0);
	KUNIT_EXPECT_EQ(test, ohv_conn_request(guest, msgs, 1, &w, NULL),
			-ESHUTDOWN);
	KUNIT_EXPECT_TRUE(test, list_empty(&guest->waits));
	KUNIT_EXPECT_EQ(test, atomic64_read(&guest->stats.msgs_tx), tx + 1);
	/* The host, not contacted, refused the one that went out. */
	ohv_loopback_sync(lo);
	KUNIT_EXPECT_EQ(test, atomic64_read(&host->stats.msgs_bad), bad + 1);
	KUNIT_EXPECT_EQ(test, (int)host->state, OHV_CONN_DISCONNECTED);
	guest->state = OHV_CONN_DISCONNECTED;
	ohv_loopback_free(lo);
}

static struct kunit_case conn_test_cases[] = {
	KUNIT_CASE_PARAM(bad_message_is_counted_and_dropped, reject_gen_params),
	KUNIT_CASE(unsendable_request_leaves_no_wait),
	{}
};

static struct kunit_suite conn_suite = {
	.name = "vmbus_conn",
	.test_cases = conn_test_cases,
};

kunit_test_suites(&version_suite, &conn_suite);
