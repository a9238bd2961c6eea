// SPDX-License-Identifier: GPL-2.0
/*
 * NVSP parsing: message lengths per type, transfer-page packets (guest
 * side) and GPA-direct packets (host side). Inputs are packet copies.
 *
 * Pure code: also built, unchanged, in user space for tools/fuzz.
 */
#include <ohv/compat.h>

#ifdef __KERNEL__
#include <linux/module.h>
#endif

#include <ohv/wire/vmbus.h>

#include "ohv_net_proto.h"

/**
 * ohv_nvsp_min_len() - bytes a message of @type must have
 * @type: NVSP message type
 *
 * Return: the length, or 0 for a type this implementation does not know.
 */
u32 ohv_nvsp_min_len(u32 type)
{
	switch (type) {
	case OHV_NVSP_INIT:
		return sizeof(struct ohv_nvsp_init);
	case OHV_NVSP_INIT_COMPLETE:
		return sizeof(struct ohv_nvsp_init_complete);
	case OHV_NVSP1_SEND_NDIS_VER:
		return sizeof(struct ohv_nvsp_ndis_ver);
	case OHV_NVSP1_SEND_RECV_BUF:
	case OHV_NVSP1_SEND_SEND_BUF:
		return sizeof(struct ohv_nvsp_send_buf);
	case OHV_NVSP1_SEND_RECV_BUF_COMPLETE:
		return sizeof(struct ohv_nvsp_recv_buf_complete);
	case OHV_NVSP1_SEND_SEND_BUF_COMPLETE:
		return sizeof(struct ohv_nvsp_send_buf_complete);
	case OHV_NVSP1_REVOKE_RECV_BUF:
	case OHV_NVSP1_REVOKE_SEND_BUF:
		return sizeof(struct ohv_nvsp_revoke_buf);
	case OHV_NVSP1_SEND_RNDIS_PKT:
		return sizeof(struct ohv_nvsp_rndis_pkt);
	case OHV_NVSP1_SEND_RNDIS_PKT_COMPLETE:
		return sizeof(struct ohv_nvsp_rndis_pkt_complete);
	case OHV_NVSP2_SEND_NDIS_CONFIG:
		return sizeof(struct ohv_nvsp_ndis_config);
	case OHV_NVSP4_SEND_VF_ASSOC:
	case OHV_NVSP4_SWITCH_DATA_PATH:
		return sizeof(struct ohv_nvsp_hdr) + 4;
	case OHV_NVSP5_SUBCHANNEL:
		return sizeof(struct ohv_nvsp_subchannel);
	case OHV_NVSP5_SEND_INDIRECTION_TABLE:
		return sizeof(struct ohv_nvsp_send_table);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_nvsp_min_len);

/**
 * ohv_nvsp_parse() - check and copy an NVSP message
 * @payload: the packet payload (already copied off the ring)
 * @len: its length
 * @out: receives the message, zero-padded to OHV_NVSP_MSG_SIZE
 * @bad: counters
 *
 * Return: 0, or -EBADMSG if the type is unknown or the message too short.
 */
int ohv_nvsp_parse(const void *payload, u32 len, struct ohv_nvsp_msg *out,
		   struct ohv_net_bad *bad)
{
	u32 type, need;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(struct ohv_nvsp_hdr))
		goto bad;
	memcpy(&type, payload, sizeof(type));
	need = ohv_nvsp_min_len(type);
	if (!need || len < need)
		goto bad;
	memcpy(out, payload, min_t(u32, len, sizeof(*out)));
	return 0;
bad:
	bad->nvsp++;
	return -EBADMSG;
}
EXPORT_SYMBOL_GPL(ohv_nvsp_parse);

/**
 * ohv_nvsp_parse_xfer() - check a transfer-page packet
 * @pkt: the packet, descriptor first, as ohv_chan_recv() copied it
 * @pktlen: its length
 * @buf_size: bytes in the receive buffer the ranges point into
 * @x: filled in; pointers are into @pkt
 * @bad: counters
 *
 * Return: 0 or -EBADMSG.
 */
int ohv_nvsp_parse_xfer(const void *pkt, u32 pktlen, u32 buf_size,
			struct ohv_net_xfer *x, struct ohv_net_bad *bad)
{
	const struct ohv_vmpacket_xfer_hdr *h = pkt;
	u32 off, i, cnt;

	if (pktlen < sizeof(*h) || h->d.type != OHV_VMPKT_DATA_USING_XFER_PAGES)
		goto bad_nvsp;
	off = h->d.offset8 * 8;
	cnt = h->range_cnt;
	if (!cnt || cnt > OHV_NET_MAX_XFER_RANGES ||
	    sizeof(*h) + cnt * sizeof(struct ohv_xfer_page_range) > off ||
	    off > pktlen)
		goto bad_nvsp;
	x->pageset = h->xfer_pageset_id;
	x->nr = cnt;
	x->ranges = (const void *)(h + 1);
	x->payload = (const u8 *)pkt + off;
	x->payload_len = pktlen - off;
	for (i = 0; i < cnt; i++) {
		const struct ohv_xfer_page_range *r = &x->ranges[i];

		if (!r->byte_count ||
		    (u64)r->byte_offset + r->byte_count > buf_size) {
			bad->range++;
			return -EBADMSG;
		}
	}
	return 0;
bad_nvsp:
	bad->nvsp++;
	return -EBADMSG;
}
EXPORT_SYMBOL_GPL(ohv_nvsp_parse_xfer);

/**
 * ohv_nvsp_parse_gpa() - check a GPA-direct packet and list its pages
 * @pkt: the packet copy, descriptor first
 * @pktlen: its length
 * @g: filled in: segments relative to a mapping of @g->pfns in order
 * @bad: counters
 *
 * Return: 0 or -EBADMSG.
 */
int ohv_nvsp_parse_gpa(const void *pkt, u32 pktlen, struct ohv_net_gpa *g,
		       struct ohv_net_bad *bad)
{
	const struct ohv_vmpacket_gpa_direct_hdr *h = pkt;
	u32 off, pos, i, cnt;

	if (pktlen < sizeof(*h) || h->d.type != OHV_VMPKT_DATA_USING_GPA_DIRECT)
		goto bad_nvsp;
	off = h->d.offset8 * 8;
	cnt = h->range_cnt;
	if (!cnt || cnt > OHV_MAX_PAGE_BUFFER_COUNT || off > pktlen ||
	    off < sizeof(*h))
		goto bad_nvsp;
	pos = sizeof(*h);
	g->nr_segs = cnt;
	g->nr_pfns = 0;
	g->total = 0;
	for (i = 0; i < cnt; i++) {
		struct ohv_gpa_range r;
		u32 npfn;

		if (pos + sizeof(r) > off)
			goto bad_range;
		memcpy(&r, (const u8 *)pkt + pos, sizeof(r));
		pos += sizeof(r);
		if (!r.byte_count || r.byte_offset >= OHV_HV_PAGE_SIZE ||
		    r.byte_count > OHV_NET_MAX_GPA_PFNS * OHV_HV_PAGE_SIZE)
			goto bad_range;
		npfn = DIV_ROUND_UP(r.byte_offset + r.byte_count,
				    OHV_HV_PAGE_SIZE);
		if (g->nr_pfns + npfn > OHV_NET_MAX_GPA_PFNS ||
		    pos + npfn * sizeof(u64) > off)
			goto bad_range;
		memcpy(&g->pfns[g->nr_pfns], (const u8 *)pkt + pos,
		       npfn * sizeof(u64));
		pos += npfn * sizeof(u64);
		g->seg_off[i] = g->nr_pfns * OHV_HV_PAGE_SIZE + r.byte_offset;
		g->seg_len[i] = r.byte_count;
		g->nr_pfns += npfn;
		g->total += r.byte_count;
	}
	g->payload = (const u8 *)pkt + off;
	g->payload_len = pktlen - off;
	return 0;
bad_range:
	bad->range++;
	return -EBADMSG;
bad_nvsp:
	bad->nvsp++;
	return -EBADMSG;
}
EXPORT_SYMBOL_GPL(ohv_nvsp_parse_gpa);
