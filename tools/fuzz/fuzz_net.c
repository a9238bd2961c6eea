// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the network protocol parsers (drivers/netvsp/
 * nvsp_parse.c and rndis_parse.c), as netvsp runs them on what a guest
 * sends and netvsc on what the host sends.
 *
 * The first input byte picks the parser; the rest is the message. What
 * must hold for any input:
 *  - NVSP: an accepted message is at least as long as its type needs;
 *  - transfer pages: every accepted range lies inside the receive buffer,
 *    and the range table and payload lie inside the packet;
 *  - GPA direct: the pages fit the page array, every segment lies inside
 *    the pages it names, and the segments add up to the total;
 *  - RNDIS data: the frame and the per-packet info lie inside the message,
 *    and a packet rebuilt from what was parsed parses to the same values;
 *  - RNDIS control: the message and its information buffer lie inside
 *    the input;
 *  - a send section: the messages it splits into are at least a header
 *    long, no more than allowed, and tile the used bytes exactly;
 *  - RSS parameters: an accepted indirection table names only channels
 *    that exist, and a table rebuilt with ohv_rss_build() parses to the
 *    same table.
 * Each parser also counts a rejected input in exactly one counter.
 */
#include <stdlib.h>

#include "../../drivers/netvsp/ohv_net_proto.h"

#define MAX_IN 8192

static void check(bool ok)
{
	if (!ok)
		abort();
}

static u64 bad_total(const struct ohv_net_bad *b)
{
	return b->nvsp + b->rndis + b->ppi + b->range + b->trans_id + b->state;
}

static bool inside(const void *p, u32 len, const void *lo, u32 size)
{
	const u8 *a = p, *b = lo;

	return a >= b && a <= b + size && len <= (u32)(b + size - a);
}

static int fuzz_nvsp(const u8 *in, u32 len, struct ohv_net_bad *bad)
{
	struct ohv_nvsp_msg msg;

	if (ohv_nvsp_parse(in, len, &msg, bad))
		return 1;
	check(ohv_nvsp_min_len(msg.hdr.type) &&
	      len >= ohv_nvsp_min_len(msg.hdr.type));
	return 0;
}

static int fuzz_xfer(const u8 *in, u32 len, struct ohv_net_bad *bad)
{
	struct ohv_net_xfer x;
	u32 buf_size, i;

	if (len < 4)
		return 0;
	memcpy(&buf_size, in, 4);
	buf_size %= 16 << 20;
	in += 4;
	len -= 4;
	if (ohv_nvsp_parse_xfer(in, len, buf_size, &x, bad))
		return 1;
	check(x.nr && x.nr <= OHV_NET_MAX_XFER_RANGES);
	check(inside(x.ranges, x.nr * sizeof(*x.ranges), in, len));
	check(inside(x.payload, x.payload_len, in, len));
	for (i = 0; i < x.nr; i++) {
		struct ohv_xfer_page_range r;

		memcpy(&r, &x.ranges[i], sizeof(r));
		check(r.byte_count &&
		      (u64)r.byte_offset + r.byte_count <= buf_size);
	}
	return 0;
}

static int fuzz_gpa(const u8 *in, u32 len, struct ohv_net_bad *bad)
{
	static struct ohv_net_gpa g;
	u64 sum = 0;
	u32 i;

	if (ohv_nvsp_parse_gpa(in, len, &g, bad))
		return 1;
	check(g.nr_segs && g.nr_segs <= OHV_MAX_PAGE_BUFFER_COUNT);
	check(g.nr_pfns <= OHV_NET_MAX_GPA_PFNS);
	check(inside(g.payload, g.payload_len, in, len));
	for (i = 0; i < g.nr_segs; i++) {
		check(g.seg_len[i]);
		check((u64)g.seg_off[i] + g.seg_len[i] <=
		      (u64)g.nr_pfns * OHV_HV_PAGE_SIZE);
		sum += g.seg_len[i];
	}
	check(sum == g.total);
	return 0;
}

static int fuzz_rndis_packet(const u8 *in, u32 len, struct ohv_net_bad *bad)
{
	static u8 buf[OHV_NET_MAX_RNDIS_HDR + MAX_IN];
	struct ohv_rndis_pkt_info pi, pi2;
	u32 avail, hlen;

	/* The caller copies at most OHV_NET_MAX_RNDIS_HDR bytes of header. */
	avail = min_t(u32, len, OHV_NET_MAX_RNDIS_HDR);
	if (ohv_rndis_parse_packet(in, avail, len, &pi, bad))
		return 1;
	check(pi.data_len >= 14);
	check((u64)pi.data_off + pi.data_len <= len);

	/* Rebuilt from what was parsed, it must parse the same. */
	hlen = ohv_rndis_build_packet(buf, sizeof(buf), pi.data_len, &pi);
	check(hlen && hlen <= OHV_NET_MAX_RNDIS_HDR);
	memset(buf + hlen, 0, min_t(u32, pi.data_len, sizeof(buf) - hlen));
	if (hlen + pi.data_len > sizeof(buf))
		return 0;
	check(!ohv_rndis_parse_packet(buf, hlen, hlen + pi.data_len, &pi2, bad));
	check(pi2.data_off == hlen && pi2.data_len == pi.data_len);
	check(pi2.flags == pi.flags);
	check(!(pi.flags & OHV_PI_CSUM) || pi2.csum == pi.csum);
	check(!(pi.flags & OHV_PI_LSO) || pi2.lso == pi.lso);
	check(!(pi.flags & OHV_PI_VLAN) || pi2.vlan == pi.vlan);
	check(!(pi.flags & OHV_PI_HASH) || pi2.hash == pi.hash);
	return 0;
}

static int fuzz_rndis_ctrl(const u8 *in, u32 len, struct ohv_net_bad *bad)
{
	struct ohv_rndis_ctrl c;

	if (ohv_rndis_parse_ctrl(in, len, &c, bad))
		return 1;
	check(c.len <= len);
	check((u64)c.info_off + c.info_len <= c.len);
	check(c.align_shift <= 12);
	return 0;
}

static int fuzz_rss(const u8 *in, u32 len, struct ohv_net_bad *bad)
{
	static struct ohv_rss_table t, t2;
	static u8 buf[4096];
	u32 nr_chans, i, blen;
	int ret;

	if (len < 1)
		return 0;
	nr_chans = in[0];	/* 0 must be refused too */
	ret = ohv_rndis_parse_rss(in + 1, len - 1, nr_chans, &t, bad);
	if (ret == -ENODATA)
		return 0;
	if (ret)
		return 1;
	check(t.n <= OHV_NDIS_RSS_ITAB_MAX);
	if (!t.n)
		return 0;
	for (i = 0; i < t.n; i++)
		check(t.chan[i] < nr_chans);
	check(t.key_len == 0 || t.key_len == OHV_NDIS_RSS_KEY_MAX);
	blen = ohv_rss_build(buf, sizeof(buf), t.chan, t.n,
			     t.key_len ? t.key : NULL);
	check(blen);
	check(!ohv_rndis_parse_rss(buf, blen, nr_chans, &t2, bad));
	check(t2.n == t.n && !memcmp(t2.chan, t.chan, t.n));
	check(t2.key_len == t.key_len &&
	      !memcmp(t2.key, t.key, t.key_len));
	if (t.key_len) {
		/* The host hashes with the key's tables: they agree. */
		static struct ohv_toeplitz_tab tab;

		ohv_toeplitz_prep(&tab, t.key);
		check(ohv_toeplitz_tab(&tab, in + 1, len - 1) ==
		      ohv_toeplitz(t.key, in + 1, len - 1));
	}
	return 0;
}

static int fuzz_rndis_split(const u8 *in, u32 len, struct ohv_net_bad *bad)
{
	static struct ohv_rndis_span span[256];
	u32 max, off = 0;
	int n, i;

	if (len < 1)
		return 0;
	max = in[0];	/* 0 allows nothing: refused */
	n = ohv_rndis_split(in + 1, len - 1, max, span, bad);
	if (n < 0)
		return 1;
	check(n >= 1 && (u32)n <= max);
	for (i = 0; i < n; i++) {
		check(span[i].off == off);
		check(span[i].len >= sizeof(struct ohv_rndis_hdr));
		off += span[i].len;
	}
	check(off == len - 1);
	return 0;
}

/* What the first input byte selects. */
static int (*const targets[])(const u8 *in, u32 len, struct ohv_net_bad *bad) = {
	fuzz_nvsp, fuzz_xfer, fuzz_gpa, fuzz_rndis_packet, fuzz_rndis_ctrl,
	fuzz_rss, fuzz_rndis_split,
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ohv_net_bad bad = {};
	int rejected;
	u8 *in;
	u32 len;

	if (size < 1 || size > MAX_IN + 1)
		return 0;
	len = size - 1;
	/* A private, exactly sized copy: ASan catches any read past it. */
	in = malloc(len ? len : 1);
	check(in);
	memcpy(in, data + 1, len);
	rejected = targets[data[0] % ARRAY_SIZE(targets)](in, len, &bad);
	/* A rejection is counted once; an accepted input is not counted. */
	check(bad_total(&bad) == (u64)rejected);
	free(in);
	return 0;
}
