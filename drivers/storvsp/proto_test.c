// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the storvsp protocol engine (proto.c) against well-formed and
 * hostile packets. Every malformed request must end in an error
 * completion, never in an EXECUTE.
 */
/* The engine itself, so this module stands alone (no LIO, no VMBus). */
#include "proto.c"

#include <kunit/test.h>
#include <linux/slab.h>

#define T_MAX_XFER	(512 * 1024)
#define T_TRANS_ID	0x1234abcdULL

struct t_ctx {
	struct ohv_stor_proto st;
	struct ohv_stor_req req;
	struct ohv_vstor_packet reply;
	u8 pkt[4096];
};

static struct t_ctx *t_ctx(struct kunit *test)
{
	struct t_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->req.pfns = kunit_kcalloc(test, OHV_STOR_MAX_PFNS(T_MAX_XFER),
				    sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->req.pfns);
	ohv_stor_proto_init(&c->st, false, 4, T_MAX_XFER);
	return c;
}

/* An in-band packet carrying @len bytes of @vp. */
static u32 t_inband(struct t_ctx *c, const struct ohv_vstor_packet *vp,
		    u32 len)
{
	struct ohv_vmpacket_desc *d = (void *)c->pkt;
	u32 total = ALIGN(sizeof(*d) + len, 8);

	memset(c->pkt, 0, sizeof(c->pkt));
	d->type = OHV_VMPKT_DATA_INBAND;
	d->offset8 = sizeof(*d) / 8;
	d->len8 = total / 8;
	d->flags = OHV_VMPKT_FLAG_COMPLETION_REQUESTED;
	d->trans_id = T_TRANS_ID;
	memcpy(c->pkt + sizeof(*d), vp, len);
	return total;
}

/*
 * A GPA-direct packet: @nr ranges of @bytes each at @off, range_cnt set
 * to @claim (which may differ from @nr).
 */
static u32 t_gpa(struct t_ctx *c, const struct ohv_vstor_packet *vp,
		 u32 nr, u32 claim, u32 off, u32 bytes)
{
	struct ohv_vmpacket_gpa_direct_hdr *h = (void *)c->pkt;
	u32 pos = sizeof(*h), i, p, pages;

	memset(c->pkt, 0, sizeof(c->pkt));
	h->d.type = OHV_VMPKT_DATA_USING_GPA_DIRECT;
	h->d.flags = OHV_VMPKT_FLAG_COMPLETION_REQUESTED;
	h->d.trans_id = T_TRANS_ID;
	h->range_cnt = claim;
	for (i = 0; i < nr; i++) {
		struct ohv_gpa_range r = { .byte_count = bytes,
					   .byte_offset = off };

		memcpy(c->pkt + pos, &r, sizeof(r));
		pos += sizeof(r);
		pages = DIV_ROUND_UP(off % 4096 + bytes, 4096);
		for (p = 0; p < pages; p++) {
			u64 pfn = 0x1000 + i * 0x100 + p;

			memcpy(c->pkt + pos, &pfn, sizeof(pfn));
			pos += sizeof(pfn);
		}
	}
	h->d.offset8 = pos / 8;
	memcpy(c->pkt + pos, vp, sizeof(*vp));
	pos += sizeof(*vp);
	h->d.len8 = pos / 8;
	return pos;
}

static enum ohv_stor_action t_op(struct t_ctx *c, u32 op, u16 arg)
{
	struct ohv_vstor_packet vp = { .operation = op,
				       .flags = OHV_VSTOR_FLAG_REQUEST_COMPLETION };
	u32 len;

	if (op == OHV_VSTOR_OP_QUERY_PROTOCOL_VERSION)
		vp.version.major_minor = arg;
	if (op == OHV_VSTOR_OP_CREATE_SUB_CHANNELS)
		vp.sub_channel_count = arg;
	len = t_inband(c, &vp, sizeof(vp));
	return ohv_stor_handle(&c->st, c->pkt, len, &c->req, &c->reply);
}

/* Run the guest's init sequence, offering @version. */
static void t_init(struct kunit *test, struct t_ctx *c, u16 version)
{
	KUNIT_ASSERT_EQ(test, t_op(c, OHV_VSTOR_OP_BEGIN_INIT, 0),
			OHV_STOR_ACT_REPLY);
	KUNIT_ASSERT_EQ(test, c->reply.status, 0U);
	KUNIT_ASSERT_EQ(test, t_op(c, OHV_VSTOR_OP_QUERY_PROTOCOL_VERSION,
				   version), OHV_STOR_ACT_REPLY);
	KUNIT_ASSERT_EQ(test, c->reply.status, 0U);
	KUNIT_ASSERT_EQ(test, c->reply.operation,
			(u32)OHV_VSTOR_OP_COMPLETE_IO);
	KUNIT_ASSERT_EQ(test, t_op(c, OHV_VSTOR_OP_QUERY_PROPERTIES, 0),
			OHV_STOR_ACT_REPLY);
	KUNIT_ASSERT_EQ(test, c->reply.status, 0U);
	KUNIT_EXPECT_EQ(test, c->reply.props.max_transfer_bytes,
			(u32)T_MAX_XFER);
	KUNIT_EXPECT_EQ(test, c->reply.props.max_channel_cnt, 4);
	KUNIT_EXPECT_EQ(test, c->reply.props.flags,
			(u32)OHV_VSTOR_PROP_MULTI_CHANNEL);
	KUNIT_ASSERT_EQ(test, t_op(c, OHV_VSTOR_OP_END_INIT, 0),
			OHV_STOR_ACT_REPLY);
	KUNIT_ASSERT_EQ(test, c->reply.status, 0U);
	KUNIT_ASSERT_EQ(test, c->st.state, (u8)OHV_STOR_ST_READY);
	KUNIT_ASSERT_EQ(test, c->st.version, version);
}

static void t_negotiate_win10(struct kunit *test)
{
	t_init(test, t_ctx(test), OHV_VSTOR_VERSION_WIN10);
}

static void t_negotiate_win8_1(struct kunit *test)
{
	t_init(test, t_ctx(test), OHV_VSTOR_VERSION_WIN8_1);
}

static void t_negotiate_win8(struct kunit *test)
{
	t_init(test, t_ctx(test), OHV_VSTOR_VERSION_WIN8);
}

/* Older and unknown versions are refused; the guest may try the next. */
static void t_negotiate_refused(struct kunit *test)
{
	static const u16 bad[] = { 0x0200, 0x0402, 0x0603, 0x0700, 0xffff };
	struct t_ctx *c = t_ctx(test);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, t_op(c, OHV_VSTOR_OP_BEGIN_INIT, 0),
			OHV_STOR_ACT_REPLY);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ(test, t_op(c,
					   OHV_VSTOR_OP_QUERY_PROTOCOL_VERSION,
					   bad[i]), OHV_STOR_ACT_REPLY);
		KUNIT_EXPECT_NE(test, c->reply.status, 0U);
	}
	/* Properties before a version: refused. */
	t_op(c, OHV_VSTOR_OP_QUERY_PROPERTIES, 0);
	KUNIT_EXPECT_NE(test, c->reply.status, 0U);
	/* Then the guest falls back to 0x0600, which works. */
	t_op(c, OHV_VSTOR_OP_QUERY_PROTOCOL_VERSION, OHV_VSTOR_VERSION_WIN8_1);
	KUNIT_EXPECT_EQ(test, c->reply.status, 0U);
}

/* Out-of-order init steps and I/O before END_INIT. */
static void t_state_machine(struct kunit *test)
{
	struct t_ctx *c = t_ctx(test);
	struct ohv_vstor_packet vp = { .operation = OHV_VSTOR_OP_EXECUTE_SRB };
	u32 len;

	t_op(c, OHV_VSTOR_OP_END_INIT, 0);
	KUNIT_EXPECT_NE(test, c->reply.status, 0U);
	t_op(c, OHV_VSTOR_OP_QUERY_PROTOCOL_VERSION, OHV_VSTOR_VERSION_WIN10);
	KUNIT_EXPECT_NE(test, c->reply.status, 0U);
	vp.srb.cdb_length = 6;
	vp.srb.data_in = OHV_SRB_DATA_NONE;
	len = t_inband(c, &vp, sizeof(vp));
	KUNIT_EXPECT_EQ(test, ohv_stor_handle(&c->st, c->pkt, len, &c->req,
					      &c->reply), OHV_STOR_ACT_REPLY);
	KUNIT_EXPECT_NE(test, c->reply.srb.srb_status, OHV_SRB_STATUS_SUCCESS);
	t_op(c, 99, 0);
	KUNIT_EXPECT_NE(test, c->reply.status, 0U);
	/* Sub-channels: only after END_INIT, within the limit, once. */
	t_init(test, c, OHV_VSTOR_VERSION_WIN10);
	KUNIT_EXPECT_EQ(test, t_op(c, OHV_VSTOR_OP_CREATE_SUB_CHANNELS, 5),
			OHV_STOR_ACT_REPLY);
	KUNIT_EXPECT_NE(test, c->reply.status, 0U);
	KUNIT_EXPECT_EQ(test, t_op(c, OHV_VSTOR_OP_CREATE_SUB_CHANNELS, 2),
			OHV_STOR_ACT_SUBCHANNELS);
	KUNIT_EXPECT_EQ(test, t_op(c, OHV_VSTOR_OP_CREATE_SUB_CHANNELS, 2),
			OHV_STOR_ACT_REPLY);
	KUNIT_EXPECT_NE(test, c->reply.status, 0U);
}

static void t_srb(struct ohv_vstor_packet *vp, u8 op, u32 blocks, u8 dir)
{
	memset(vp, 0, sizeof(*vp));
	vp->operation = OHV_VSTOR_OP_EXECUTE_SRB;
	vp->flags = OHV_VSTOR_FLAG_REQUEST_COMPLETION;
	vp->srb.length = sizeof(vp->srb);
	vp->srb.cdb_length = 10;
	vp->srb.sense_info_length = OHV_VSTOR_SENSE_LEN;
	vp->srb.data_in = dir;
	vp->srb.data_transfer_length = blocks * 512;
	vp->srb.cdb[0] = op;
	vp->srb.cdb[7] = blocks >> 8;
	vp->srb.cdb[8] = blocks;
}

static struct t_ctx *t_ready(struct kunit *test)
{
	struct t_ctx *c = t_ctx(test);

	t_init(test, c, OHV_VSTOR_VERSION_WIN10);
	return c;
}

/* A good READ(10) over two pages, at an offset: executed as sent. */
static void t_srb_good(struct kunit *test)
{
	struct t_ctx *c = t_ready(test);
	struct ohv_vstor_packet vp;
	u32 len;

	t_srb(&vp, 0x28, 8, OHV_SRB_DATA_READ);
	len = t_gpa(c, &vp, 1, 1, 512, 4096);
	KUNIT_ASSERT_EQ(test, ohv_stor_handle(&c->st, c->pkt, len, &c->req,
					      &c->reply), OHV_STOR_ACT_EXECUTE);
	KUNIT_EXPECT_EQ(test, c->req.nr_ranges, 1U);
	KUNIT_EXPECT_EQ(test, c->req.nr_pfns, 2U);
	KUNIT_EXPECT_EQ(test, c->req.ranges[0].byte_offset, 512U);
	KUNIT_EXPECT_EQ(test, c->req.pfns[1], 0x1001ULL);
	KUNIT_EXPECT_EQ(test, c->req.srb.data_transfer_length, 4096U);
	/* A TEST UNIT READY in band. */
	memset(&vp, 0, sizeof(vp));
	vp.operation = OHV_VSTOR_OP_EXECUTE_SRB;
	vp.srb.cdb_length = 6;
	vp.srb.data_in = OHV_SRB_DATA_NONE;
	len = t_inband(c, &vp, sizeof(vp));
	KUNIT_EXPECT_EQ(test, ohv_stor_handle(&c->st, c->pkt, len, &c->req,
					      &c->reply), OHV_STOR_ACT_EXECUTE);
}

static void t_expect_srb_error(struct kunit *test, struct t_ctx *c, u32 len)
{
	KUNIT_EXPECT_EQ(test, ohv_stor_handle(&c->st, c->pkt, len, &c->req,
					      &c->reply), OHV_STOR_ACT_REPLY);
	KUNIT_EXPECT_EQ(test, c->reply.operation,
			(u32)OHV_VSTOR_OP_COMPLETE_IO);
	KUNIT_EXPECT_TRUE(test, c->reply.status != 0 ||
			  OHV_SRB_STATUS(c->reply.srb.srb_status) !=
			  OHV_SRB_STATUS_SUCCESS);
}

static void t_srb_cdb_too_long(struct kunit *test)
{
	struct t_ctx *c = t_ready(test);
	struct ohv_vstor_packet vp;

	t_srb(&vp, 0x28, 8, OHV_SRB_DATA_READ);
	vp.srb.cdb_length = 17;
	t_expect_srb_error(test, c, t_gpa(c, &vp, 1, 1, 0, 4096));
	vp.srb.cdb_length = 255;
	t_expect_srb_error(test, c, t_gpa(c, &vp, 1, 1, 0, 4096));
	/* Shorter than the opcode's own length. */
	vp.srb.cdb_length = 6;
	t_expect_srb_error(test, c, t_gpa(c, &vp, 1, 1, 0, 4096));
	/* Variable-length CDB (0x7f) whose length the CDB claims. */
	t_srb(&vp, 0x7f, 0, OHV_SRB_DATA_NONE);
	vp.srb.cdb_length = 16;
	vp.srb.cdb[7] = 0xf8;
	t_expect_srb_error(test, c, t_inband(c, &vp, sizeof(vp)));
	vp.srb.cdb_length = 0;
	t_expect_srb_error(test, c, t_inband(c, &vp, sizeof(vp)));
}

static void t_srb_too_big(struct kunit *test)
{
	struct t_ctx *c = t_ready(test);
	struct ohv_vstor_packet vp;

	/* 1 MiB > max_transfer_bytes, even with consistent ranges. */
	t_srb(&vp, 0x28, 2048, OHV_SRB_DATA_READ);
	t_expect_srb_error(test, c, t_gpa(c, &vp, 2, 2, 0, 512 * 1024));
	/* Length larger than the ranges carry. */
	t_srb(&vp, 0x28, 16, OHV_SRB_DATA_READ);
	t_expect_srb_error(test, c, t_gpa(c, &vp, 1, 1, 0, 4096));
	/* Data length in an in-band SRB (no pages to carry it). */
	t_srb(&vp, 0x28, 8, OHV_SRB_DATA_READ);
	t_expect_srb_error(test, c, t_inband(c, &vp, sizeof(vp)));
	/* A READ with data_in "write". */
	t_srb(&vp, 0x28, 8, OHV_SRB_DATA_WRITE);
	t_expect_srb_error(test, c, t_gpa(c, &vp, 1, 1, 0, 4096));
	/* data_in out of range. */
	t_srb(&vp, 0x28, 8, 7);
	t_expect_srb_error(test, c, t_gpa(c, &vp, 1, 1, 0, 4096));
}

static void t_srb_bad_ranges(struct kunit *test)
{
	struct t_ctx *c = t_ready(test);
	struct ohv_gpa_range r;
	struct ohv_vstor_packet vp;
	u32 len;

	t_srb(&vp, 0x28, 8, OHV_SRB_DATA_READ);
	/* Offset past the first page. */
	t_expect_srb_error(test, c, t_gpa(c, &vp, 1, 1, 4096, 4096));
	/* byte_count claims more than the PFNs sent: grow it in place. */
	len = t_gpa(c, &vp, 1, 1, 0, 4096);
	memcpy(&r, c->pkt + 24, sizeof(r));
	r.byte_count = 3 * 4096;
	memcpy(c->pkt + 24, &r, sizeof(r));
	t_expect_srb_error(test, c, len);
	/* Zero-length range. */
	len = t_gpa(c, &vp, 1, 1, 0, 4096);
	r.byte_count = 0;
	r.byte_offset = 0;
	memcpy(c->pkt + 24, &r, sizeof(r));
	t_expect_srb_error(test, c, len);
}

static void t_srb_range_cnt_mismatch(struct kunit *test)
{
	struct t_ctx *c = t_ready(test);
	struct ohv_vstor_packet vp;

	t_srb(&vp, 0x28, 8, OHV_SRB_DATA_READ);
	t_expect_srb_error(test, c, t_gpa(c, &vp, 1, 2, 0, 4096));
	t_srb(&vp, 0x28, 16, OHV_SRB_DATA_READ);
	t_expect_srb_error(test, c, t_gpa(c, &vp, 2, 1, 0, 4096));
	t_expect_srb_error(test, c, t_gpa(c, &vp, 2, 0, 0, 4096));
	t_expect_srb_error(test, c, t_gpa(c, &vp, 2, 0xffffffff, 0, 4096));
	/* More ranges than the provider takes. */
	t_srb(&vp, 0x28, 8 * (OHV_STOR_MAX_RANGES + 1), OHV_SRB_DATA_READ);
	t_expect_srb_error(test, c, t_gpa(c, &vp, OHV_STOR_MAX_RANGES + 1,
					  OHV_STOR_MAX_RANGES + 1, 0, 4096));
}

static void t_truncated(struct kunit *test)
{
	struct t_ctx *c = t_ready(test);
	struct ohv_vmpacket_desc *d = (void *)c->pkt;
	struct ohv_vstor_packet vp;
	u32 len;

	t_srb(&vp, 0x00, 0, OHV_SRB_DATA_NONE);
	/* A vstor packet cut short. */
	len = t_inband(c, &vp, 40);
	t_expect_srb_error(test, c, len);
	len = t_inband(c, &vp, 0);
	t_expect_srb_error(test, c, len);
	/* A GPA-direct header cut short of its first range. */
	t_srb(&vp, 0x28, 8, OHV_SRB_DATA_READ);
	len = t_gpa(c, &vp, 1, 1, 0, 4096);
	d->offset8 = 3;
	t_expect_srb_error(test, c, len);
	/* Descriptor offsets that point outside the packet: dropped. */
	len = t_inband(c, &vp, sizeof(vp));
	d->len8 = 200;
	KUNIT_EXPECT_EQ(test, ohv_stor_handle(&c->st, c->pkt, len, &c->req,
					      &c->reply), OHV_STOR_ACT_DROP);
	KUNIT_EXPECT_EQ(test, ohv_stor_handle(&c->st, c->pkt, 8, &c->req,
					      &c->reply), OHV_STOR_ACT_DROP);
	/* Wrong packet type. */
	len = t_inband(c, &vp, sizeof(vp));
	d->type = OHV_VMPKT_DATA_USING_XFER_PAGES;
	t_expect_srb_error(test, c, len);
}

static void t_subchannel(struct kunit *test)
{
	struct t_ctx *c = t_ctx(test);
	struct ohv_vstor_packet vp;

	ohv_stor_proto_init(&c->st, true, 4, T_MAX_XFER);
	t_op(c, OHV_VSTOR_OP_BEGIN_INIT, 0);
	KUNIT_EXPECT_NE(test, c->reply.status, 0U);
	t_srb(&vp, 0x2a, 8, OHV_SRB_DATA_WRITE);
	KUNIT_EXPECT_EQ(test, ohv_stor_handle(&c->st, c->pkt,
					      t_gpa(c, &vp, 1, 1, 0, 4096),
					      &c->req, &c->reply),
			OHV_STOR_ACT_EXECUTE);
}

static void t_cdb_helpers(struct kunit *test)
{
	u8 cdb[16] = { 0x88 };
	u64 blocks;

	cdb[13] = 0x10;
	KUNIT_EXPECT_TRUE(test, ohv_stor_cdb_blocks(cdb, &blocks));
	KUNIT_EXPECT_EQ(test, blocks, 0x10ULL);
	KUNIT_EXPECT_EQ(test, ohv_stor_cdb_len(cdb), 16);
	cdb[0] = 0x08;
	cdb[4] = 0;
	KUNIT_EXPECT_TRUE(test, ohv_stor_cdb_blocks(cdb, &blocks));
	KUNIT_EXPECT_EQ(test, blocks, 256ULL);
	cdb[0] = 0x12;
	KUNIT_EXPECT_FALSE(test, ohv_stor_cdb_blocks(cdb, &blocks));
	cdb[0] = 0xc0;
	KUNIT_EXPECT_EQ(test, ohv_stor_cdb_len(cdb), -1);
}

static struct kunit_case storvsp_proto_cases[] = {
	KUNIT_CASE(t_negotiate_win10),
	KUNIT_CASE(t_negotiate_win8_1),
	KUNIT_CASE(t_negotiate_win8),
	KUNIT_CASE(t_negotiate_refused),
	KUNIT_CASE(t_state_machine),
	KUNIT_CASE(t_srb_good),
	KUNIT_CASE(t_srb_cdb_too_long),
	KUNIT_CASE(t_srb_too_big),
	KUNIT_CASE(t_srb_bad_ranges),
	KUNIT_CASE(t_srb_range_cnt_mismatch),
	KUNIT_CASE(t_truncated),
	KUNIT_CASE(t_subchannel),
	KUNIT_CASE(t_cdb_helpers),
	{}
};

static struct kunit_suite storvsp_proto_suite = {
	.name = "ohv_storvsp_proto",
	.test_cases = storvsp_proto_cases,
};

kunit_test_suite(storvsp_proto_suite);

MODULE_DESCRIPTION("KUnit tests for the ohv storage protocol");
MODULE_LICENSE("GPL");
