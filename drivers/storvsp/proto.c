// SPDX-License-Identifier: GPL-2.0
/*
 * storvsp protocol engine (pure code; see proto.h).
 *
 * Every packet comes from an untrusted guest. ohv_stor_handle() copies the
 * vstor packet out of the (already private) packet buffer, checks it
 * against the channel's state and, for an SRB, checks the CDB, the
 * transfer length and every GPA range before the provider touches guest
 * memory. Anything malformed gets a COMPLETE_IO with an error status (and,
 * for an SRB, SRB_STATUS_INVALID_REQUEST) so the guest's request ends.
 *
 * Nothing here is exported: ohv_storvsp links it, and the KUnit module
 * (proto_test.c) includes it, so the tests need neither LIO nor VMBus;
 * tools/fuzz builds it, unchanged, in user space.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <ohv/compat.h>

#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/module.h>
#include <asm/unaligned.h>
#endif

#include <ohv/ring.h>

#include "proto.h"

/**
 * ohv_stor_proto_init() - reset a channel's protocol state
 * @st: the state
 * @subchannel: sub-channels skip the init sequence
 * @max_subchannels: offered in QUERY_PROPERTIES
 * @max_transfer_bytes: offered in QUERY_PROPERTIES and enforced on SRBs
 */
void ohv_stor_proto_init(struct ohv_stor_proto *st, bool subchannel,
			 u16 max_subchannels, u32 max_transfer_bytes)
{
	memset(st, 0, sizeof(*st));
	st->subchannel = subchannel;
	st->state = subchannel ? OHV_STOR_ST_READY : OHV_STOR_ST_NEW;
	st->max_subchannels = max_subchannels;
	st->max_transfer_bytes = max_transfer_bytes;
}

/**
 * ohv_stor_version_supported() - is @version one storvsp speaks?
 * @version: OHV_VSTOR_VERSION()
 *
 * Return: true for 0x0602, 0x0600 and 0x0501.
 */
bool ohv_stor_version_supported(u16 version)
{
	return version == OHV_VSTOR_VERSION_WIN10 ||
	       version == OHV_VSTOR_VERSION_WIN8_1 ||
	       version == OHV_VSTOR_VERSION_WIN8;
}

/**
 * ohv_stor_cdb_len() - length of a CDB from its operation code
 * @cdb: at least one byte
 *
 * Return: the length the SCSI command groups give, or -1 for a
 * variable-length or vendor-specific group whose length the code does
 * not fix (group 3, 6 and 7 opcodes are not accepted by storvsp).
 */
int ohv_stor_cdb_len(const u8 *cdb)
{
	static const s8 group_len[8] = { 6, 10, 10, -1, 16, 12, -1, -1 };

	return group_len[cdb[0] >> 5];
}

/**
 * ohv_stor_cdb_blocks() - blocks a READ or WRITE CDB transfers
 * @cdb: the CDB (16 bytes readable)
 * @blocks: set to the block count
 *
 * Return: true for READ/WRITE(6, 10, 12, 16), false for other commands.
 */
bool ohv_stor_cdb_blocks(const u8 *cdb, u64 *blocks)
{
	switch (cdb[0]) {
	case 0x08: /* READ(6) */
	case 0x0a: /* WRITE(6) */
		*blocks = cdb[4] ? cdb[4] : 256;
		return true;
	case 0x28: /* READ(10) */
	case 0x2a: /* WRITE(10) */
		*blocks = get_unaligned_be16(&cdb[7]);
		return true;
	case 0xa8: /* READ(12) */
	case 0xaa: /* WRITE(12) */
		*blocks = get_unaligned_be32(&cdb[6]);
		return true;
	case 0x88: /* READ(16) */
	case 0x8a: /* WRITE(16) */
		*blocks = get_unaligned_be32(&cdb[10]);
		return true;
	}
	return false;
}

/**
 * ohv_stor_srb_fail() - make @reply the error completion of its SRB
 * @reply: a reply whose srb holds the request
 * @srb_status: OHV_SRB_STATUS_*
 */
void ohv_stor_srb_fail(struct ohv_vstor_packet *reply, u8 srb_status)
{
	reply->operation = OHV_VSTOR_OP_COMPLETE_IO;
	reply->flags = 0;
	reply->status = OHV_VSTOR_STATUS_SUCCESS;
	reply->srb.srb_status = srb_status;
	reply->srb.scsi_status = 0;
	reply->srb.sense_info_length = 0;
	reply->srb.data_transfer_length = 0;
	memset(reply->srb.sense_data, 0, sizeof(reply->srb.sense_data));
}

/*
 * Walk the GPA-direct header of @pkt (@hdrlen bytes including the packet
 * descriptor). Every range must fit, have a sane offset and exactly the
 * page count its offset and length need; the ranges must fill the header
 * exactly (so range_cnt agrees with the bytes sent).
 */
static int ohv_stor_parse_ranges(const u8 *pkt, u32 hdrlen,
				 struct ohv_stor_req *req, u32 max_pfns,
				 u64 *total)
{
	const struct ohv_vmpacket_gpa_direct_hdr *h = (const void *)pkt;
	u32 off = sizeof(*h), n, i;

	if (hdrlen < sizeof(*h))
		return -EBADMSG;
	n = h->range_cnt;
	if (!n || n > OHV_STOR_MAX_RANGES)
		return -EBADMSG;
	*total = 0;
	req->nr_pfns = 0;
	for (i = 0; i < n; i++) {
		struct ohv_gpa_range gr;
		struct ohv_stor_range *r = &req->ranges[i];
		u64 pages;

		if (hdrlen - off < sizeof(gr))
			return -EBADMSG;
		memcpy(&gr, pkt + off, sizeof(gr));
		off += sizeof(gr);
		if (!gr.byte_count || gr.byte_offset >= OHV_HV_PAGE_SIZE)
			return -EBADMSG;
		pages = DIV_ROUND_UP((u64)gr.byte_offset + gr.byte_count,
				     OHV_HV_PAGE_SIZE);
		if (pages > max_pfns - req->nr_pfns ||
		    (hdrlen - off) / sizeof(u64) < pages)
			return -EBADMSG;
		r->byte_count = gr.byte_count;
		r->byte_offset = gr.byte_offset;
		r->pfn_count = pages;
		r->pfn_first = req->nr_pfns;
		memcpy(&req->pfns[req->nr_pfns], pkt + off, pages * sizeof(u64));
		req->nr_pfns += pages;
		off += pages * sizeof(u64);
		*total += gr.byte_count;
	}
	if (off != hdrlen)
		return -EBADMSG;
	req->nr_ranges = n;
	return 0;
}

static enum ohv_stor_action ohv_stor_srb(struct ohv_stor_proto *st,
					 const u8 *pkt, u32 hdrlen, u16 type,
					 struct ohv_stor_req *req,
					 struct ohv_vstor_packet *reply)
{
	struct ohv_vmscsi_request *srb = &req->srb;
	u64 total = 0, blocks;
	int len;

	memcpy(srb, &reply->srb, sizeof(*srb));
	req->nr_ranges = 0;
	req->nr_pfns = 0;
	if (srb->cdb_length < 1 || srb->cdb_length > OHV_VSTOR_MAX_CDB_LEN)
		goto invalid;
	/* The CDB's own length may not reach past what was sent. */
	len = ohv_stor_cdb_len(srb->cdb);
	if (len < 0 || len > srb->cdb_length)
		goto invalid;
	memset(srb->cdb + len, 0, OHV_VSTOR_MAX_CDB_LEN - len);
	if (srb->data_in > OHV_SRB_DATA_NONE)
		goto invalid;
	if (srb->data_transfer_length > st->max_transfer_bytes)
		goto invalid;
	if (type == OHV_VMPKT_DATA_USING_GPA_DIRECT) {
		if (ohv_stor_parse_ranges(pkt, hdrlen, req,
					  OHV_STOR_MAX_PFNS(st->max_transfer_bytes),
					  &total))
			goto invalid;
		if (srb->data_in == OHV_SRB_DATA_NONE ||
		    total != srb->data_transfer_length)
			goto invalid;
	} else if (srb->data_transfer_length) {
		/* Data needs pages; an in-band SRB has none. */
		goto invalid;
	}
	/* A READ/WRITE must move data, in the direction it says. */
	if (ohv_stor_cdb_blocks(srb->cdb, &blocks) && blocks) {
		bool wr = srb->cdb[0] & 0x02;

		if (!srb->data_transfer_length ||
		    srb->data_in != (wr ? OHV_SRB_DATA_WRITE : OHV_SRB_DATA_READ))
			goto invalid;
	}
	return OHV_STOR_ACT_EXECUTE;

invalid:
	ohv_stor_srb_fail(reply, OHV_SRB_STATUS_INVALID_REQUEST);
	return OHV_STOR_ACT_REPLY;
}

/**
 * ohv_stor_handle() - decode one packet from the guest
 * @st: the channel's protocol state
 * @pkt: the whole packet, descriptor first, as ohv_chan_recv() returned it
 * @pktlen: its length
 * @req: filled in for %OHV_STOR_ACT_EXECUTE (its pfns array provided)
 * @reply: always filled in: the COMPLETE_IO to send (for EXECUTE, the
 *	template of the completion, holding the request's SRB)
 *
 * Return: what the provider must do.
 */
enum ohv_stor_action ohv_stor_handle(struct ohv_stor_proto *st,
				     const void *pkt, u32 pktlen,
				     struct ohv_stor_req *req,
				     struct ohv_vstor_packet *reply)
{
	const struct ohv_vmpacket_desc *d = pkt;
	u32 hdrlen, plen, op;

	memset(reply, 0, sizeof(*reply));
	reply->operation = OHV_VSTOR_OP_COMPLETE_IO;
	reply->status = OHV_VSTOR_STATUS_INVALID_PARAMETER;
	if (pktlen < sizeof(*d))
		return OHV_STOR_ACT_DROP;
	hdrlen = (u32)d->offset8 * 8;
	if (hdrlen < sizeof(*d) || d->offset8 > d->len8 ||
	    (u32)d->len8 * 8 > pktlen)
		return OHV_STOR_ACT_DROP;
	plen = ((u32)d->len8 - d->offset8) * 8;
	if (d->type != OHV_VMPKT_DATA_INBAND &&
	    d->type != OHV_VMPKT_DATA_USING_GPA_DIRECT)
		return OHV_STOR_ACT_REPLY;
	if (d->type == OHV_VMPKT_DATA_INBAND && hdrlen != sizeof(*d))
		return OHV_STOR_ACT_REPLY;
	/* Truncated: not even one whole vstor packet. */
	if (plen < sizeof(*reply))
		return OHV_STOR_ACT_REPLY;
	memcpy(reply, (const u8 *)pkt + hdrlen, sizeof(*reply));
	op = reply->operation;
	reply->operation = OHV_VSTOR_OP_COMPLETE_IO;
	reply->flags = 0;
	reply->status = OHV_VSTOR_STATUS_SUCCESS;

	/* Data ranges only make sense on an SRB. */
	if (d->type != OHV_VMPKT_DATA_INBAND && op != OHV_VSTOR_OP_EXECUTE_SRB)
		goto bad;

	switch (op) {
	case OHV_VSTOR_OP_BEGIN_INIT:
		if (st->subchannel)
			goto bad_state;
		st->state = OHV_STOR_ST_INIT;
		st->version = 0;
		return OHV_STOR_ACT_REPLY;
	case OHV_VSTOR_OP_QUERY_PROTOCOL_VERSION:
		if (st->state != OHV_STOR_ST_INIT &&
		    st->state != OHV_STOR_ST_VERSIONED)
			goto bad_state;
		if (!ohv_stor_version_supported(reply->version.major_minor)) {
			reply->status = OHV_VSTOR_STATUS_REVISION_MISMATCH;
			return OHV_STOR_ACT_REPLY;
		}
		st->version = reply->version.major_minor;
		st->state = OHV_STOR_ST_VERSIONED;
		return OHV_STOR_ACT_REPLY;
	case OHV_VSTOR_OP_QUERY_PROPERTIES:
		if (st->state != OHV_STOR_ST_VERSIONED)
			goto bad_state;
		memset(reply->body, 0, sizeof(reply->body));
		reply->props.max_channel_cnt = st->max_subchannels;
		reply->props.flags = st->max_subchannels ?
				     OHV_VSTOR_PROP_MULTI_CHANNEL : 0;
		reply->props.max_transfer_bytes = st->max_transfer_bytes;
		return OHV_STOR_ACT_REPLY;
	case OHV_VSTOR_OP_END_INIT:
		if (st->state != OHV_STOR_ST_VERSIONED)
			goto bad_state;
		st->state = OHV_STOR_ST_READY;
		return OHV_STOR_ACT_REPLY;
	case OHV_VSTOR_OP_CREATE_SUB_CHANNELS:
		if (st->state != OHV_STOR_ST_READY || st->subchannel ||
		    st->subs_offered)
			goto bad_state;
		if (!reply->sub_channel_count ||
		    reply->sub_channel_count > st->max_subchannels)
			goto bad;
		st->subs_offered = true;
		return OHV_STOR_ACT_SUBCHANNELS;
	case OHV_VSTOR_OP_EXECUTE_SRB:
		if (st->state != OHV_STOR_ST_READY)
			goto bad_state;
		return ohv_stor_srb(st, pkt, hdrlen, d->type, req, reply);
	case OHV_VSTOR_OP_RESET_LUN:
	case OHV_VSTOR_OP_RESET_BUS:
	case OHV_VSTOR_OP_RESET_ADAPTER:
		if (st->state != OHV_STOR_ST_READY)
			goto bad_state;
		req->srb = reply->srb;
		return op == OHV_VSTOR_OP_RESET_LUN ? OHV_STOR_ACT_RESET_LUN :
						      OHV_STOR_ACT_RESET_BUS;
	}
bad:
	reply->status = OHV_VSTOR_STATUS_INVALID_PARAMETER;
	if (op == OHV_VSTOR_OP_EXECUTE_SRB)
		ohv_stor_srb_fail(reply, OHV_SRB_STATUS_INVALID_REQUEST);
	return OHV_STOR_ACT_REPLY;
bad_state:
	reply->status = OHV_VSTOR_STATUS_INVALID_DEVICE_STATE;
	if (op == OHV_VSTOR_OP_EXECUTE_SRB) {
		ohv_stor_srb_fail(reply, OHV_SRB_STATUS_ERROR);
		reply->status = OHV_VSTOR_STATUS_INVALID_DEVICE_STATE;
	}
	return OHV_STOR_ACT_REPLY;
}
