/* SPDX-License-Identifier: GPL-2.0 */
/*
 * storvsp protocol engine: pure code that turns one received packet into
 * an action for the provider (reply, execute an SRB, offer sub-channels,
 * reset). It touches no channel, LIO or guest memory, so KUnit
 * (proto_test.c) drives it directly with hostile packets.
 */
#ifndef _OHV_STORVSP_PROTO_H
#define _OHV_STORVSP_PROTO_H

#include <ohv/compat.h>

#include <ohv/wire/storvsc.h>

/* GPA ranges one SRB may carry; Linux guests send one. */
#define OHV_STOR_MAX_RANGES	4
/* Largest page count for a transfer of @max bytes in OHV_STOR_MAX_RANGES ranges. */
#define OHV_STOR_MAX_PFNS(max)	(((max) >> 12) + 2 * OHV_STOR_MAX_RANGES)

enum ohv_stor_state {
	OHV_STOR_ST_NEW,	/* nothing yet; only BEGIN_INIT is valid */
	OHV_STOR_ST_INIT,	/* BEGIN_INIT seen; version not agreed */
	OHV_STOR_ST_VERSIONED,	/* version agreed; properties and END_INIT */
	OHV_STOR_ST_READY,	/* END_INIT done: I/O */
};

/**
 * struct ohv_stor_proto - protocol state of one channel
 * @state: enum ohv_stor_state
 * @version: the agreed protocol version
 * @subchannel: this is a sub-channel (ready from the start, no init)
 * @subs_offered: CREATE_SUB_CHANNELS was accepted once
 * @max_subchannels: sub-channels offered in QUERY_PROPERTIES
 * @max_transfer_bytes: the transfer limit offered in QUERY_PROPERTIES
 */
struct ohv_stor_proto {
	u8 state;
	u16 version;
	bool subchannel;
	bool subs_offered;
	u16 max_subchannels;
	u32 max_transfer_bytes;
};

/**
 * struct ohv_stor_range - one validated data range of an SRB
 * @byte_count: bytes
 * @byte_offset: offset in the first page (< 4096)
 * @pfn_count: pages
 * @pfn_first: index of the range's first page in &ohv_stor_req.pfns
 */
struct ohv_stor_range {
	u32 byte_count;
	u32 byte_offset;
	u32 pfn_count;
	u32 pfn_first;
};

/**
 * struct ohv_stor_req - a validated EXECUTE_SRB (copied out of the packet)
 * @srb: the SRB
 * @nr_ranges: entries in @ranges (0 for an in-band SRB)
 * @ranges: the data ranges
 * @nr_pfns: entries used in @pfns
 * @pfns: guest page frames of all ranges in order; the caller provides
 *	room for OHV_STOR_MAX_PFNS(max_transfer_bytes)
 */
struct ohv_stor_req {
	struct ohv_vmscsi_request srb;
	u32 nr_ranges;
	struct ohv_stor_range ranges[OHV_STOR_MAX_RANGES];
	u32 nr_pfns;
	u64 *pfns;
};

enum ohv_stor_action {
	OHV_STOR_ACT_DROP,		/* nothing to send (no transaction) */
	OHV_STOR_ACT_REPLY,		/* send the reply as is */
	OHV_STOR_ACT_EXECUTE,		/* run the SRB in the request */
	OHV_STOR_ACT_SUBCHANNELS,	/* offer reply.sub_channel_count, then reply */
	OHV_STOR_ACT_RESET_LUN,		/* reset srb.lun, then reply */
	OHV_STOR_ACT_RESET_BUS,		/* reset all LUNs, then reply */
};

void ohv_stor_proto_init(struct ohv_stor_proto *st, bool subchannel,
			 u16 max_subchannels, u32 max_transfer_bytes);
bool ohv_stor_version_supported(u16 version);
enum ohv_stor_action ohv_stor_handle(struct ohv_stor_proto *st,
				     const void *pkt, u32 pktlen,
				     struct ohv_stor_req *req,
				     struct ohv_vstor_packet *reply);
int ohv_stor_cdb_len(const u8 *cdb);
bool ohv_stor_cdb_blocks(const u8 *cdb, u64 *blocks);
void ohv_stor_srb_fail(struct ohv_vstor_packet *reply, u8 srb_status);

#endif /* _OHV_STORVSP_PROTO_H */
