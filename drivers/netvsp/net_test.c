// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: NVSP and RNDIS parsing (nvsp_parse.c, rndis_parse.c), the code
 * both netvsp (host) and netvsc (guest) run on everything the peer sends.
 *
 * net_nvsp: NVSP messages, transfer-page and GPA-direct packets.
 * net_rndis: RNDIS data packets with per-packet info, control messages
 * of both directions.
 * net_slots: the receive-buffer slot runs netvsp hands out, and the
 * guest's completions that free them (slots.c).
 *
 * Each malformed case checks that the parser refuses it and that the
 * right counter went up; each good case checks what was extracted.
 */
#include <kunit/test.h>
#include <linux/random.h>

#include "ohv_net_proto.h"

/* ---------------------------------------------------------------------- */
/* net_nvsp                                                               */
/* ---------------------------------------------------------------------- */

static void nvsp_good_messages(struct kunit *test)
{
	struct ohv_net_bad bad = {};
	struct ohv_nvsp_msg in = {}, out;

	in.init.type = OHV_NVSP_INIT;
	in.init.min_ver = OHV_NVSP_VERSION_1;
	in.init.max_ver = OHV_NVSP_VERSION_61;
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse(&in, sizeof(in), &out, &bad), 0);
	KUNIT_EXPECT_EQ(test, out.init.max_ver, OHV_NVSP_VERSION_61);
	/* Exactly the bytes the type needs is enough; the rest reads 0. */
	in.send_buf.type = OHV_NVSP1_SEND_RECV_BUF;
	in.send_buf.gpadl = 77;
	in.send_buf.id = OHV_NVSP_RECV_BUF_ID;
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse(&in, 10, &out, &bad), 0);
	KUNIT_EXPECT_EQ(test, out.send_buf.gpadl, 77U);
	KUNIT_EXPECT_EQ(test, out.raw[12], 0);
	/* Longer than the union: only the union is copied. */
	KUNIT_EXPECT_EQ(test, bad.nvsp, 0ULL);
}

static void nvsp_bad_messages(struct kunit *test)
{
	struct ohv_net_bad bad = {};
	struct ohv_nvsp_msg in = {}, out;
	static const u32 types[] = {
		OHV_NVSP_INIT, OHV_NVSP1_SEND_RECV_BUF,
		OHV_NVSP1_SEND_RNDIS_PKT, OHV_NVSP5_SUBCHANNEL,
		OHV_NVSP1_SEND_RECV_BUF_COMPLETE,
	};
	unsigned int i;

	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse(&in, 0, &out, &bad), -EBADMSG);
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse(&in, 3, &out, &bad), -EBADMSG);
	in.hdr.type = 9999;	/* unknown type */
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse(&in, sizeof(in), &out, &bad),
			-EBADMSG);
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		in.hdr.type = types[i];
		/* One byte short of what the type needs. */
		KUNIT_EXPECT_EQ(test, ohv_nvsp_parse(&in,
						     ohv_nvsp_min_len(types[i]) - 1,
						     &out, &bad), -EBADMSG);
	}
	KUNIT_EXPECT_EQ(test, bad.nvsp, 3ULL + ARRAY_SIZE(types));
}

/* A transfer-page packet with @nr ranges and an NVSP payload. */
static u32 make_xfer(u8 *pkt, u32 nr, const struct ohv_xfer_page_range *r)
{
	struct ohv_vmpacket_xfer_hdr *h = (void *)pkt;
	struct ohv_nvsp_rndis_pkt m = { .type = OHV_NVSP1_SEND_RNDIS_PKT };
	u32 off = sizeof(*h) + nr * sizeof(*r);

	memset(h, 0, sizeof(*h));
	h->d.type = OHV_VMPKT_DATA_USING_XFER_PAGES;
	h->d.offset8 = off / 8;
	h->d.len8 = (off + sizeof(m)) / 8;
	h->xfer_pageset_id = OHV_NVSP_RECV_BUF_ID;
	h->range_cnt = nr;
	memcpy(pkt + sizeof(*h), r, nr * sizeof(*r));
	memcpy(pkt + off, &m, sizeof(m));
	return off + sizeof(m);
}

static void nvsp_xfer(struct kunit *test)
{
	struct ohv_xfer_page_range r[2] = {
		{ .byte_count = 100, .byte_offset = 0 },
		{ .byte_count = 1000, .byte_offset = 4096 - 1000 },
	};
	struct ohv_net_bad bad = {};
	struct ohv_net_xfer x;
	u8 pkt[128];
	u32 len;

	len = make_xfer(pkt, 2, r);
	KUNIT_ASSERT_EQ(test, ohv_nvsp_parse_xfer(pkt, len, 4096, &x, &bad), 0);
	KUNIT_EXPECT_EQ(test, x.nr, 2U);
	KUNIT_EXPECT_EQ(test, x.ranges[1].byte_count, 1000U);
	KUNIT_EXPECT_EQ(test, x.payload_len, 16U);
	/* Range ending one byte past the buffer. */
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse_xfer(pkt, len, 4095, &x, &bad),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, bad.range, 1ULL);
	/* Offset near 4 GiB must not wrap around. */
	r[0].byte_offset = 0xffffff00;
	r[0].byte_count = 0x200;
	len = make_xfer(pkt, 2, r);
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse_xfer(pkt, len, 4096, &x, &bad),
			-EBADMSG);
	/* Zero-length range. */
	r[0].byte_offset = 0;
	r[0].byte_count = 0;
	len = make_xfer(pkt, 2, r);
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse_xfer(pkt, len, 4096, &x, &bad),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, bad.range, 3ULL);
	/* More ranges claimed than the packet holds. */
	r[0].byte_count = 1;
	len = make_xfer(pkt, 2, r);
	((struct ohv_vmpacket_xfer_hdr *)pkt)->range_cnt = 9;
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse_xfer(pkt, len, 4096, &x, &bad),
			-EBADMSG);
	/* No ranges; payload offset past the packet; truncated header. */
	((struct ohv_vmpacket_xfer_hdr *)pkt)->range_cnt = 0;
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse_xfer(pkt, len, 4096, &x, &bad),
			-EBADMSG);
	len = make_xfer(pkt, 2, r);
	((struct ohv_vmpacket_xfer_hdr *)pkt)->d.offset8 = 200;
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse_xfer(pkt, len, 4096, &x, &bad),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse_xfer(pkt, 20, 4096, &x, &bad),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, bad.nvsp, 4ULL);
}

/* A GPA-direct packet: ranges (each with its PFNs), then NVSP. */
static u32 make_gpa(u8 *pkt, u32 nr, const u32 *count, const u32 *offset)
{
	struct ohv_vmpacket_gpa_direct_hdr *h = (void *)pkt;
	struct ohv_nvsp_rndis_pkt m = { .type = OHV_NVSP1_SEND_RNDIS_PKT };
	u32 pos = sizeof(*h), i, j;

	memset(h, 0, sizeof(*h));
	h->d.type = OHV_VMPKT_DATA_USING_GPA_DIRECT;
	h->range_cnt = nr;
	for (i = 0; i < nr; i++) {
		struct ohv_gpa_range r = {
			.byte_count = count[i],
			.byte_offset = offset[i],
		};
		u32 npfn = DIV_ROUND_UP(offset[i] + count[i], 4096);

		memcpy(pkt + pos, &r, sizeof(r));
		pos += sizeof(r);
		for (j = 0; j < npfn; j++) {
			u64 pfn = 0x1000 + i * 16 + j;

			memcpy(pkt + pos, &pfn, sizeof(pfn));
			pos += sizeof(pfn);
		}
	}
	h->d.offset8 = pos / 8;
	memcpy(pkt + pos, &m, sizeof(m));
	pos += sizeof(m);
	h->d.len8 = pos / 8;
	return pos;
}

static void nvsp_gpa(struct kunit *test)
{
	u32 count[2] = { 200, 5000 }, offset[2] = { 4000, 100 };
	struct ohv_net_bad bad = {};
	struct ohv_net_gpa *g;
	u8 pkt[256];
	u32 len;

	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, g);
	len = make_gpa(pkt, 2, count, offset);
	KUNIT_ASSERT_EQ(test, ohv_nvsp_parse_gpa(pkt, len, g, &bad), 0);
	/* 4000 + 200 spans two pages; 100 + 5000 spans two. */
	KUNIT_EXPECT_EQ(test, g->nr_pfns, 4U);
	KUNIT_EXPECT_EQ(test, g->seg_off[0], 4000U);
	KUNIT_EXPECT_EQ(test, g->seg_off[1], 2 * 4096U + 100);
	KUNIT_EXPECT_EQ(test, g->total, 5200U);
	KUNIT_EXPECT_EQ(test, g->pfns[2], 0x1010ULL);
	/* A byte offset outside the first page. */
	offset[0] = 4096;
	len = make_gpa(pkt, 2, count, offset);
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse_gpa(pkt, len, g, &bad), -EBADMSG);
	/* Ranges whose PFN lists run into the payload. */
	offset[0] = 0;
	len = make_gpa(pkt, 2, count, offset);
	((struct ohv_vmpacket_gpa_direct_hdr *)pkt)->d.offset8 = 5;
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse_gpa(pkt, len, g, &bad), -EBADMSG);
	/* A range claiming more pages than any packet may map. */
	len = make_gpa(pkt, 1, count, offset);
	((struct ohv_gpa_range *)(pkt + 24))->byte_count = 0x7fffffff;
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse_gpa(pkt, len, g, &bad), -EBADMSG);
	KUNIT_EXPECT_EQ(test, bad.range, 3ULL);
	/* Too many ranges. */
	((struct ohv_vmpacket_gpa_direct_hdr *)pkt)->range_cnt = 33;
	KUNIT_EXPECT_EQ(test, ohv_nvsp_parse_gpa(pkt, len, g, &bad), -EBADMSG);
	KUNIT_EXPECT_EQ(test, bad.nvsp, 1ULL);
}

static struct kunit_case nvsp_cases[] = {
	KUNIT_CASE(nvsp_good_messages),
	KUNIT_CASE(nvsp_bad_messages),
	KUNIT_CASE(nvsp_xfer),
	KUNIT_CASE(nvsp_gpa),
	{}
};

static struct kunit_suite nvsp_suite = {
	.name = "net_nvsp",
	.test_cases = nvsp_cases,
};

/* ---------------------------------------------------------------------- */
/* net_rndis                                                              */
/* ---------------------------------------------------------------------- */

static void rndis_packet_roundtrip(struct kunit *test)
{
	struct ohv_rndis_pkt_info in = {
		.flags = OHV_PI_CSUM | OHV_PI_LSO | OHV_PI_VLAN | OHV_PI_HASH,
		.csum = OHV_CSUM_TX_IPV4 | OHV_CSUM_TX_TCP,
		.lso = 1448 | OHV_LSO_V2,
		.vlan = 5 << OHV_8021Q_VID_SHIFT,
		.hash = 0xabcd,
	}, out;
	struct ohv_net_bad bad = {};
	u8 buf[OHV_NET_MAX_RNDIS_HDR + 64];
	u32 hlen;

	hlen = ohv_rndis_build_packet(buf, sizeof(buf), 60, &in);
	KUNIT_ASSERT_GT(test, hlen, 44U);
	KUNIT_ASSERT_EQ(test, ohv_rndis_parse_packet(buf, hlen, hlen + 60, &out,
						     &bad), 0);
	KUNIT_EXPECT_EQ(test, out.data_off, hlen);
	KUNIT_EXPECT_EQ(test, out.data_len, 60U);
	KUNIT_EXPECT_EQ(test, out.flags, in.flags);
	KUNIT_EXPECT_EQ(test, out.lso, in.lso);
	KUNIT_EXPECT_EQ(test, out.vlan, in.vlan);
	KUNIT_EXPECT_EQ(test, out.hash, in.hash);
	KUNIT_EXPECT_EQ(test, bad.rndis + bad.ppi, 0ULL);
}

struct rndis_pkt_msg {
	struct ohv_rndis_hdr h;
	struct ohv_rndis_packet p;
	u8 ppi[64];
} __packed;

static void init_pkt(struct rndis_pkt_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->h.type = OHV_RNDIS_MSG_PACKET;
	m->h.len = sizeof(*m) + 100;
	m->p.data_offset = sizeof(m->p) + sizeof(m->ppi);
	m->p.data_len = 100;
}

static void rndis_packet_hostile(struct kunit *test)
{
	struct ohv_net_bad bad = {};
	struct ohv_rndis_pkt_info pi;
	struct rndis_pkt_msg m;
	struct ohv_rndis_ppi ppi;
	u32 full = sizeof(m) + 100;

	init_pkt(&m);
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	/* Message longer than what was sent. */
	m.h.len = full + 1;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	/* Frame past the end, offset wrapping, frame inside the header. */
	init_pkt(&m);
	m.p.data_len = 101;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	init_pkt(&m);
	m.p.data_offset = 0xfffffff8;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	init_pkt(&m);
	m.p.data_offset = 4;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	/* Runt frame; wrong type; message shorter than its header. */
	init_pkt(&m);
	m.p.data_len = 13;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	init_pkt(&m);
	m.h.type = OHV_RNDIS_MSG_QUERY;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, 20, 20, &pi, &bad), 0);
	KUNIT_EXPECT_EQ(test, bad.rndis, 7ULL);

	/* PPI area overlapping the frame, or outside what was copied. */
	init_pkt(&m);
	m.p.ppi_offset = sizeof(m.p);
	m.p.ppi_len = sizeof(m.ppi) + 4;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	m.p.ppi_len = sizeof(m.ppi);
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, 60, full, &pi, &bad),
			0);
	/* A PPI whose size runs past the area, or is smaller than its header. */
	ppi.size = 200;
	ppi.type = OHV_PPI_8021Q;
	ppi.ppi_offset = 12;
	memcpy(m.ppi, &ppi, sizeof(ppi));
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	ppi.size = 0;
	memcpy(m.ppi, &ppi, sizeof(ppi));
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	/* PPI data offset past the PPI; a known PPI too short for its value. */
	ppi.size = 16;
	ppi.ppi_offset = 20;
	memcpy(m.ppi, &ppi, sizeof(ppi));
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	ppi.size = 14;
	ppi.ppi_offset = 12;
	memcpy(m.ppi, &ppi, sizeof(ppi));
	m.p.ppi_len = 14;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	KUNIT_EXPECT_EQ(test, bad.ppi, 6ULL);
	/* An unknown PPI type is skipped, not an error. */
	ppi.size = 16;
	ppi.type = 30;
	memcpy(m.ppi, &ppi, sizeof(ppi));
	m.p.ppi_len = 16;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_packet(&m, sizeof(m), full, &pi,
						     &bad), 0);
	KUNIT_EXPECT_EQ(test, pi.flags, 0U);
}

struct rndis_query_msg {
	struct ohv_rndis_hdr h;
	struct ohv_rndis_query_req q;
	u8 info[16];
} __packed;

static void rndis_ctrl_requests(struct kunit *test)
{
	struct ohv_net_bad bad = {};
	struct ohv_rndis_ctrl c;
	struct rndis_query_msg m = {
		.h.type = OHV_RNDIS_MSG_SET,
		.h.len = sizeof(m),
		.q.req_id = 3,
		.q.oid = OHV_OID_GEN_CURRENT_PACKET_FILTER,
		.q.info_len = 4,
		.q.info_offset = sizeof(m.q),
	};

	KUNIT_ASSERT_EQ(test, ohv_rndis_parse_ctrl(&m, sizeof(m), &c, &bad), 0);
	KUNIT_EXPECT_EQ(test, c.oid, (u32)OHV_OID_GEN_CURRENT_PACKET_FILTER);
	KUNIT_EXPECT_EQ(test, c.info_off, 28U);
	KUNIT_EXPECT_EQ(test, c.info_len, 4U);
	/* Info buffer past the message, overlapping the request, wrapping. */
	m.q.info_len = 17;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_ctrl(&m, sizeof(m), &c, &bad), 0);
	m.q.info_len = 4;
	m.q.info_offset = 4;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_ctrl(&m, sizeof(m), &c, &bad), 0);
	m.q.info_offset = 0xfffffffc;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_ctrl(&m, sizeof(m), &c, &bad), 0);
	/* Length beyond what arrived; shorter than the request; bad type. */
	m.q.info_offset = sizeof(m.q);
	m.h.len = sizeof(m) + 1;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_ctrl(&m, sizeof(m), &c, &bad), 0);
	m.h.len = 20;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_ctrl(&m, sizeof(m), &c, &bad), 0);
	m.h.len = sizeof(m);
	m.h.type = 0x42;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_ctrl(&m, sizeof(m), &c, &bad), 0);
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_ctrl(&m, 4, &c, &bad), 0);
	KUNIT_EXPECT_EQ(test, bad.rndis, 7ULL);
}

/* Puts a data packet with a @len-byte frame at @off; returns its length. */
static u32 put_packet(u8 *sec, u32 off, u32 len)
{
	struct ohv_rndis_pkt_info pi = {};
	u32 hlen = ohv_rndis_build_packet(sec + off, 4096 - off, len, &pi);

	memset(sec + off + hlen, 0x5a, len);
	return hlen + len;
}

static void set_len(u8 *sec, u32 off, u32 len)
{
	struct ohv_rndis_hdr h;

	memcpy(&h, sec + off, sizeof(h));
	h.len = len;
	memcpy(sec + off, &h, sizeof(h));
}

static void rndis_split_sections(struct kunit *test)
{
	struct ohv_rndis_span span[4];
	struct ohv_net_bad bad = {};
	struct ohv_rndis_pkt_info pi;
	u32 a, b, c, used;
	u8 *sec;

	sec = kunit_kzalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sec);
	/* One message fills the section: one span. */
	a = put_packet(sec, 0, 60);
	KUNIT_EXPECT_EQ(test, ohv_rndis_split(sec, a, 1, span, &bad), 1);
	KUNIT_EXPECT_EQ(test, span[0].len, a);
	/* Three, each padded to 8 bytes by its own length. */
	b = put_packet(sec, ALIGN(a, 8), 61);
	set_len(sec, 0, ALIGN(a, 8));
	c = put_packet(sec, ALIGN(a, 8) + ALIGN(b, 8), 1514);
	set_len(sec, ALIGN(a, 8), ALIGN(b, 8));
	used = ALIGN(a, 8) + ALIGN(b, 8) + c;
	KUNIT_ASSERT_EQ(test, ohv_rndis_split(sec, used, 4, span, &bad), 3);
	KUNIT_EXPECT_EQ(test, span[1].off, ALIGN(a, 8));
	KUNIT_EXPECT_EQ(test, span[2].off, ALIGN(a, 8) + ALIGN(b, 8));
	KUNIT_EXPECT_EQ(test, span[2].len, c);
	/* Each parses within its span, padding and all. */
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_packet(sec + span[1].off,
						     span[1].len, span[1].len,
						     &pi, &bad), 0);
	KUNIT_EXPECT_EQ(test, pi.data_len, 61U);
	KUNIT_EXPECT_EQ(test, bad.rndis, 0ULL);
	/* More messages than the host allows. */
	KUNIT_EXPECT_EQ(test, ohv_rndis_split(sec, used, 2, span, &bad),
			-EBADMSG);
	/* The used bytes end inside the last message, or past it. */
	KUNIT_EXPECT_EQ(test, ohv_rndis_split(sec, used - 1, 4, span, &bad),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, ohv_rndis_split(sec, used + 4, 4, span, &bad),
			-EBADMSG);
	/* A length that would never advance, or runs past the section. */
	set_len(sec, ALIGN(a, 8), 0);
	KUNIT_EXPECT_EQ(test, ohv_rndis_split(sec, used, 4, span, &bad),
			-EBADMSG);
	set_len(sec, ALIGN(a, 8), 0xfffffff8);
	KUNIT_EXPECT_EQ(test, ohv_rndis_split(sec, used, 4, span, &bad),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, ohv_rndis_split(sec, 0, 4, span, &bad),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, bad.rndis, 6ULL);
}

static void rndis_ctrl_completions(struct kunit *test)
{
	struct ohv_net_bad bad = {};
	struct ohv_rndis_ctrl c;
	struct {
		struct ohv_rndis_hdr h;
		struct ohv_rndis_init_cmplt i;
	} __packed ic = {
		.h.type = OHV_RNDIS_MSG_INIT | OHV_RNDIS_MSG_COMPLETION,
		.h.len = sizeof(ic),
		.i.req_id = 1,
		.i.max_pkt_per_msg = 8,
		.i.pkt_align_factor = 3,
	};
	struct {
		struct ohv_rndis_hdr h;
		struct ohv_rndis_indicate i;
		u32 extra;
	} __packed ind = {
		.h.type = OHV_RNDIS_MSG_INDICATE,
		.h.len = sizeof(ind),
		.i.status = OHV_RNDIS_STATUS_MEDIA_CONNECT,
	};

	KUNIT_ASSERT_EQ(test, ohv_rndis_parse_ctrl(&ic, sizeof(ic), &c, &bad), 0);
	KUNIT_EXPECT_EQ(test, c.max_pkt, 8U);
	KUNIT_EXPECT_EQ(test, c.align_shift, 3U);
	/* An absurd alignment, a truncated completion. */
	ic.i.pkt_align_factor = 40;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_ctrl(&ic, sizeof(ic), &c, &bad), 0);
	ic.h.len = 20;
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_ctrl(&ic, sizeof(ic), &c, &bad), 0);
	KUNIT_ASSERT_EQ(test, ohv_rndis_parse_ctrl(&ind, sizeof(ind), &c, &bad),
			0);
	KUNIT_EXPECT_EQ(test, c.status, (u32)OHV_RNDIS_STATUS_MEDIA_CONNECT);
	/* Status buffer past the end. */
	ind.i.buf_len = 8;
	ind.i.buf_offset = sizeof(ind.i);
	KUNIT_EXPECT_NE(test, ohv_rndis_parse_ctrl(&ind, sizeof(ind), &c, &bad),
			0);
	KUNIT_EXPECT_EQ(test, bad.rndis, 3ULL);
}

/* RSS parameters: round trip, selection, hostile sizes/offsets/indexes. */
static void rndis_rss_table(struct kunit *test)
{
	struct ohv_net_bad bad = {};
	struct ohv_rss_table t = {}, keep;
	struct ohv_ndis_rss_params *p;
	u8 chan[64], *buf;
	u32 len, i, v, hits[4] = {};
	u32 room = sizeof(*p) + OHV_NDIS_RSS_ITAB_MAX * 4 + 64;

	buf = kunit_kzalloc(test, room, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	p = (void *)buf;
	for (i = 0; i < ARRAY_SIZE(chan); i++)
		chan[i] = i % 4;
	len = ohv_rss_build(buf, room, chan, ARRAY_SIZE(chan), NULL);
	KUNIT_ASSERT_EQ(test, len, (u32)(sizeof(*p) + 64 * 4));
	KUNIT_ASSERT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad), 0);
	KUNIT_EXPECT_EQ(test, t.n, 64U);
	/* Every hash lands on the entry hash % n names. */
	for (i = 0; i < 1000; i++) {
		v = ohv_rss_pick(&t, t.n, i * 2654435761U);
		KUNIT_ASSERT_LT(test, v, 4U);
		KUNIT_EXPECT_EQ(test, v, (u32)chan[(i * 2654435761U) % 64]);
		hits[v]++;
	}
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_GT(test, hits[i], 0U);
	/* All on channel 2. */
	memset(chan, 2, sizeof(chan));
	len = ohv_rss_build(buf, room, chan, 16, NULL);
	KUNIT_ASSERT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad), 0);
	KUNIT_EXPECT_EQ(test, t.n, 16U);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, ohv_rss_pick(&t, t.n, i * 7919), 2U);
	KUNIT_EXPECT_EQ(test, bad.rndis, 0ULL);
	keep = t;

	/* Channel index beyond the channels the guest has. */
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 2, &t, &bad),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 0, &t, &bad),
			-EBADMSG);
	chan[5] = 200;
	len = ohv_rss_build(buf, room, chan, 16, NULL);
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 64, &t, &bad),
			-EBADMSG);
	chan[5] = 2;
	len = ohv_rss_build(buf, room, chan, 16, NULL);
	/* Truncated; table past the end; offset inside the header. */
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, 39, 4, &t, &bad),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len - 1, 4, &t, &bad),
			-EBADMSG);
	p->itab_offset = 8;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad),
			-EBADMSG);
	p->itab_offset = 0xfffffff0;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad),
			-EBADMSG);
	p->itab_offset = sizeof(*p);
	/* Size: not whole entries, empty, more than the maximum. */
	p->itab_size = 63;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad),
			-EBADMSG);
	p->itab_size = 0;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad),
			-EBADMSG);
	p->itab_size = (OHV_NDIS_RSS_ITAB_MAX + 1) * 4;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, room, 4, &t, &bad),
			-EBADMSG);
	p->itab_size = 64;
	/* Key: too long, or out of the buffer. */
	p->key_size = 41;
	p->key_offset = sizeof(*p);
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad),
			-EBADMSG);
	p->key_size = 40;
	p->key_offset = len - 8;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad),
			-EBADMSG);
	p->key_size = 0;
	/* Wrong object type or header size. */
	p->hdr.type = OHV_NDIS_OBJ_DEFAULT;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad),
			-EBADMSG);
	p->hdr.type = OHV_NDIS_OBJ_RSS_PARAMS;
	p->hdr.size = 12;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad),
			-EBADMSG);
	p->hdr.size = len + 1;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, bad.rndis, 15ULL);
	/* Failures left the table alone. */
	KUNIT_EXPECT_EQ(test, t.n, keep.n);
	KUNIT_EXPECT_EQ(test, memcmp(t.chan, keep.chan, sizeof(t.chan)), 0);

	/* Unchanged table; RSS off. */
	p->hdr.size = sizeof(*p);
	p->flags = OHV_NDIS_RSS_FLAG_ITABLE_UNCHANGED;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad),
			-ENODATA);
	p->flags = OHV_NDIS_RSS_FLAG_DISABLE;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 4, &t, &bad), 0);
	KUNIT_EXPECT_EQ(test, t.n, 0U);
	/* The builder refuses what does not fit. */
	KUNIT_EXPECT_EQ(test, ohv_rss_build(buf, 100, chan, 64, NULL), 0U);
	KUNIT_EXPECT_EQ(test, ohv_rss_build(buf, room, chan, 0, NULL), 0U);
	KUNIT_EXPECT_EQ(test, bad.rndis, 15ULL);
}

/*
 * Toeplitz against the NDIS verification vectors (IPv4, sample key):
 * addresses alone, and with the TCP ports.
 */
static void rndis_rss_toeplitz(struct kunit *test)
{
	static const struct {
		u8 src[4], dst[4];
		u16 sport, dport;
		u32 l3, l4;
	} v[] = {
		{ { 66, 9, 149, 187 }, { 161, 142, 100, 80 }, 2794, 1766,
		  0x323e8fc2, 0x51ccc178 },
		{ { 199, 92, 111, 2 }, { 65, 69, 140, 83 }, 14230, 4739,
		  0xd718262a, 0xc626b0ea },
		{ { 24, 19, 198, 95 }, { 12, 22, 207, 184 }, 12898, 38024,
		  0xd2d0a5de, 0x5c2b394a },
		{ { 38, 27, 205, 30 }, { 209, 142, 163, 6 }, 48228, 2217,
		  0x82989176, 0xafc7327f },
		{ { 153, 39, 163, 191 }, { 202, 188, 127, 2 }, 44251, 1303,
		  0x5d1809c5, 0x10e828a2 },
	};
	u8 in[OHV_RSS_INPUT_MAX + 8] = {}, zero[OHV_NDIS_RSS_KEY_MAX] = {};
	struct ohv_toeplitz_tab *tab;
	u32 i;

	tab = kunit_kmalloc(test, sizeof(*tab), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tab);
	ohv_toeplitz_prep(tab, ohv_rss_default_key);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		memcpy(in, v[i].src, 4);
		memcpy(in + 4, v[i].dst, 4);
		in[8] = v[i].sport >> 8;
		in[9] = v[i].sport & 0xff;
		in[10] = v[i].dport >> 8;
		in[11] = v[i].dport & 0xff;
		KUNIT_EXPECT_EQ(test, ohv_toeplitz(ohv_rss_default_key, in, 8),
				v[i].l3);
		KUNIT_EXPECT_EQ(test,
				ohv_toeplitz(ohv_rss_default_key, in, 12),
				v[i].l4);
		KUNIT_EXPECT_EQ(test, ohv_toeplitz_tab(tab, in, 8), v[i].l3);
		KUNIT_EXPECT_EQ(test, ohv_toeplitz_tab(tab, in, 12), v[i].l4);
		/* A zero key hashes everything to 0. */
		KUNIT_EXPECT_EQ(test, ohv_toeplitz(zero, in, 12), 0U);
	}
	/* An over-long input is cut at OHV_RSS_INPUT_MAX, not read past. */
	memset(in, 0xff, sizeof(in));
	KUNIT_EXPECT_EQ(test,
			ohv_toeplitz(ohv_rss_default_key, in, sizeof(in)),
			ohv_toeplitz(ohv_rss_default_key, in,
				     OHV_RSS_INPUT_MAX));
}

/*
 * The table lookup and the bit loop agree for pseudo-random keys and
 * inputs of every length, up to the last key byte a window reaches.
 */
static u8 net_test_xorshift(u32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x >> 11;
}

static void rndis_rss_toeplitz_tab(struct kunit *test)
{
	u8 key[OHV_NDIS_RSS_KEY_MAX], in[OHV_RSS_INPUT_MAX + 4];
	struct ohv_toeplitz_tab *tab;
	u32 x = 0x2545f491, round, i, len;

	tab = kunit_kmalloc(test, sizeof(*tab), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tab);
	for (round = 0; round < 16; round++) {
		for (i = 0; i < sizeof(key); i++)
			key[i] = net_test_xorshift(&x);
		for (i = 0; i < sizeof(in); i++)
			in[i] = net_test_xorshift(&x);
		/* Every input bit set reads every window of the key. */
		if (round == 0)
			memset(in, 0xff, sizeof(in));
		ohv_toeplitz_prep(tab, key);
		for (len = 0; len <= sizeof(in); len++)
			KUNIT_EXPECT_EQ_MSG(test, ohv_toeplitz_tab(tab, in, len),
					    ohv_toeplitz(key, in, len),
					    "round %u, %u bytes", round, len);
	}
}

/* The RSS key: sent, kept when absent, padded when short, bounded. */
static void rndis_rss_key(struct kunit *test)
{
	struct ohv_net_bad bad = {};
	struct ohv_rss_table t = {};
	struct ohv_ndis_rss_params *p;
	u8 chan[16] = {}, key[OHV_NDIS_RSS_KEY_MAX], *buf;
	u32 room = sizeof(*p) + sizeof(chan) * 4 + 2 * OHV_NDIS_RSS_KEY_MAX;
	u32 len, i;

	buf = kunit_kzalloc(test, room, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	p = (void *)buf;
	for (i = 0; i < sizeof(key); i++)
		key[i] = 0xa0 + i;
	len = ohv_rss_build(buf, room, chan, ARRAY_SIZE(chan), key);
	KUNIT_ASSERT_EQ(test, len,
			(u32)(sizeof(*p) + 16 * 4 + OHV_NDIS_RSS_KEY_MAX));
	KUNIT_EXPECT_EQ(test, p->key_size, OHV_NDIS_RSS_KEY_MAX);
	KUNIT_ASSERT_EQ(test, ohv_rndis_parse_rss(buf, len, 1, &t, &bad), 0);
	KUNIT_EXPECT_EQ(test, t.key_len, (u32)OHV_NDIS_RSS_KEY_MAX);
	KUNIT_EXPECT_EQ(test, memcmp(t.key, key, sizeof(key)), 0);
	KUNIT_EXPECT_EQ(test, t.hash_info & OHV_NDIS_RSS_HASH_TCP_IPV4,
			(u32)OHV_NDIS_RSS_HASH_TCP_IPV4);
	/* A short key is zero-padded to the full length. */
	p->key_size = 16;
	KUNIT_ASSERT_EQ(test, ohv_rndis_parse_rss(buf, len, 1, &t, &bad), 0);
	KUNIT_EXPECT_EQ(test, t.key_len, (u32)OHV_NDIS_RSS_KEY_MAX);
	KUNIT_EXPECT_EQ(test, memcmp(t.key, key, 16), 0);
	KUNIT_EXPECT_EQ(test, t.key[16] | t.key[39], 0);
	/* Too long, or past the end of the buffer: refused. */
	p->key_size = OHV_NDIS_RSS_KEY_MAX + 1;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, room, 1, &t, &bad),
			-EBADMSG);
	p->key_size = OHV_NDIS_RSS_KEY_MAX;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len - 1, 1, &t, &bad),
			-EBADMSG);
	p->key_offset = 0xffffffe0;
	KUNIT_EXPECT_EQ(test, ohv_rndis_parse_rss(buf, len, 1, &t, &bad),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, bad.rndis, 3ULL);
	/* No key: the host keeps the one it has. */
	len = ohv_rss_build(buf, room, chan, ARRAY_SIZE(chan), NULL);
	KUNIT_ASSERT_EQ(test, ohv_rndis_parse_rss(buf, len, 1, &t, &bad), 0);
	KUNIT_EXPECT_EQ(test, t.key_len, 0U);
	/* The builder counts the key in the room it needs. */
	KUNIT_EXPECT_EQ(test, ohv_rss_build(buf, sizeof(*p) + 16 * 4, chan,
					    16, key), 0U);
}

static struct kunit_case rndis_cases[] = {
	KUNIT_CASE(rndis_packet_roundtrip),
	KUNIT_CASE(rndis_packet_hostile),
	KUNIT_CASE(rndis_ctrl_requests),
	KUNIT_CASE(rndis_split_sections),
	KUNIT_CASE(rndis_ctrl_completions),
	KUNIT_CASE(rndis_rss_table),
	KUNIT_CASE(rndis_rss_toeplitz),
	KUNIT_CASE(rndis_rss_toeplitz_tab),
	KUNIT_CASE(rndis_rss_key),
	{}
};

static struct kunit_suite rndis_suite = {
	.name = "net_rndis",
	.test_cases = rndis_cases,
};

/* ---------------------------------------------------------------------- */
/* net_slots                                                              */
/* ---------------------------------------------------------------------- */

static void slots_runs_and_hostile_completions(struct kunit *test)
{
	struct ohv_net_slots s;

	KUNIT_ASSERT_EQ(test, ohv_net_slots_init(&s, 16, 4, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 3), 0);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 2), 3);
	KUNIT_EXPECT_EQ(test, s.used, 5U);
	/* Runs that cannot be handed out. */
	KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 0), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 5), -ENOSPC);
	/* Completions naming no run: the middle of one, a free slot, past the end. */
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 9), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, U64_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, s.used, 5U);
	/* The real ones, once each. */
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 3), 2);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 0), 3);
	KUNIT_EXPECT_EQ(test, s.used, 0U);
	ohv_net_slots_destroy(&s);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 0), -EINVAL);
	/* Bad geometry. */
	KUNIT_EXPECT_EQ(test, ohv_net_slots_init(&s, 0, 1, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_init(&s, 8, 0, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_init(&s, 8, 9, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_init(&s, 1024, 256, GFP_KERNEL),
			-EINVAL);
}

static void slots_full_wrap_and_fragments(struct kunit *test)
{
	struct ohv_net_slots s;
	int i;

	KUNIT_ASSERT_EQ(test, ohv_net_slots_init(&s, 8, 4, GFP_KERNEL), 0);
	/* Exactly full, then one more is refused. */
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 2), 2 * i);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 1), -ENOSPC);
	/* Four slots free, but no two of them adjacent to a third. */
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 0), 2);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 4), 2);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 3), -ENOSPC);
	KUNIT_EXPECT_EQ(test, s.used, 4U);
	/* The search wraps: past the last run, then from the start. */
	KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 2), 0);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 2), 4);
	KUNIT_EXPECT_EQ(test, s.used, 8U);
	ohv_net_slots_destroy(&s);
}

/* A batch's run, shortened to what its frames used before it is sent. */
static void slots_trim_returns_the_tail(struct kunit *test)
{
	struct ohv_net_slots s;

	KUNIT_ASSERT_EQ(test, ohv_net_slots_init(&s, 8, 4, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 4), 0);
	/* Not a run's first slot, no slots, longer than the run, past the end. */
	KUNIT_EXPECT_EQ(test, ohv_net_slots_trim(&s, 1, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_trim(&s, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_trim(&s, 0, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_trim(&s, 8, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, s.used, 4U);
	/* The same length is no change; then the tail is free again. */
	KUNIT_EXPECT_EQ(test, ohv_net_slots_trim(&s, 0, 4), 0);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_trim(&s, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, s.used, 1U);
	/* The next run starts right after the shortened one. */
	KUNIT_EXPECT_EQ(test, ohv_net_slots_get(&s, 2), 1);
	/* A completion of the shortened run frees only what is left of it. */
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 0), 1);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_put(&s, 1), 2);
	KUNIT_EXPECT_EQ(test, s.used, 0U);
	ohv_net_slots_destroy(&s);
	KUNIT_EXPECT_EQ(test, ohv_net_slots_trim(&s, 0, 1), -EINVAL);
}

/*
 * Random runs, trims and completions (some hostile) against a model of
 * owners.
 */
static void slots_random_against_model(struct kunit *test)
{
	enum { CNT = 64, RUNS = 8 };
	struct ohv_net_slots s;
	int owner[CNT], i, j, n, first, len, used = 0;
	u32 r;

	KUNIT_ASSERT_EQ(test, ohv_net_slots_init(&s, CNT, RUNS, GFP_KERNEL), 0);
	for (i = 0; i < CNT; i++)
		owner[i] = -1;
	for (i = 0; i < 20000; i++) {
		r = get_random_u32();
		if (r % 3 == 2) {
			j = (r >> 2) % (CNT + 4);
			n = 1 + (r >> 10) % RUNS;
			/* The length of the run starting at j, if one does. */
			for (len = 0; j < CNT && j + len < CNT &&
			     owner[j] == j && owner[j + len] == j; len++)
				;
			if (!len || n > len) {
				KUNIT_ASSERT_EQ(test,
						ohv_net_slots_trim(&s, j, n),
						-EINVAL);
				continue;
			}
			KUNIT_ASSERT_EQ(test, ohv_net_slots_trim(&s, j, n), 0);
			used -= len - n;
			while (n < len)
				owner[j + n++] = -1;
		} else if (r & 1) {
			n = 1 + (r >> 1) % RUNS;
			first = ohv_net_slots_get(&s, n);
			if (first < 0)
				continue;
			KUNIT_ASSERT_LE(test, first + n, CNT);
			for (j = first; j < first + n; j++) {
				KUNIT_ASSERT_EQ(test, owner[j], -1);
				owner[j] = first;
			}
			used += n;
		} else {
			j = (r >> 1) % (CNT + 4);
			n = ohv_net_slots_put(&s, j);
			if (j >= CNT || owner[j] != j) {
				KUNIT_ASSERT_EQ(test, n, -EINVAL);
				continue;
			}
			KUNIT_ASSERT_GT(test, n, 0);
			for (first = j; first < j + n; first++) {
				KUNIT_ASSERT_EQ(test, owner[first], j);
				owner[first] = -1;
			}
			used -= n;
		}
		KUNIT_ASSERT_EQ(test, s.used, (u32)used);
	}
	ohv_net_slots_destroy(&s);
}

static struct kunit_case slots_cases[] = {
	KUNIT_CASE(slots_runs_and_hostile_completions),
	KUNIT_CASE(slots_full_wrap_and_fragments),
	KUNIT_CASE(slots_trim_returns_the_tail),
	KUNIT_CASE(slots_random_against_model),
	{}
};

static struct kunit_suite slots_suite = {
	.name = "net_slots",
	.test_cases = slots_cases,
};

kunit_test_suites(&nvsp_suite, &rndis_suite, &slots_suite);

MODULE_DESCRIPTION("KUnit tests for ohv NVSP and RNDIS parsing");
MODULE_LICENSE("GPL");
