// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: storvsp's protocol engine (drivers/storvsp/proto.c),
 * fed a whole conversation as a guest would send it.
 *
 * Input: one flag byte (bit 0: the channel is a sub-channel), then packets,
 * each a 2-byte little-endian length and that many bytes. What must hold
 * for every packet:
 *  - the reply is always a COMPLETE_IO;
 *  - the state only moves forward along NEW -> INIT -> VERSIONED -> READY
 *    (BEGIN_INIT may restart it) and a sub-channel is READY throughout;
 *  - an SRB is executed only when READY, and then its CDB is at most
 *    cdb_length bytes with the rest zeroed, its data direction is one of
 *    the three, its length is within max_transfer_bytes and equals the
 *    sum of its ranges, and every range lies inside the pages it names,
 *    which fit the page array;
 *  - sub-channels are offered once, at most max_subchannels of them.
 */
#include <stdlib.h>

#include <ohv/wire/ring.h>

#include "../../drivers/storvsp/proto.h"

#define MAX_XFER	(512 << 10)
#define MAX_SUBS	4

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_execute(const struct ohv_stor_proto *st,
			  const struct ohv_stor_req *req)
{
	const struct ohv_vmscsi_request *srb = &req->srb;
	u64 total = 0;
	u32 i, pfns = 0;
	int len;

	check(st->state == OHV_STOR_ST_READY);
	check(srb->cdb_length >= 1 && srb->cdb_length <= OHV_VSTOR_MAX_CDB_LEN);
	len = ohv_stor_cdb_len(srb->cdb);
	check(len > 0 && len <= srb->cdb_length);
	for (i = len; i < OHV_VSTOR_MAX_CDB_LEN; i++)
		check(!srb->cdb[i]);
	check(srb->data_in <= OHV_SRB_DATA_NONE);
	check(srb->data_transfer_length <= MAX_XFER);
	check(req->nr_ranges <= OHV_STOR_MAX_RANGES);
	check(req->nr_pfns <= OHV_STOR_MAX_PFNS(MAX_XFER));
	for (i = 0; i < req->nr_ranges; i++) {
		const struct ohv_stor_range *r = &req->ranges[i];

		check(r->byte_count && r->byte_offset < OHV_HV_PAGE_SIZE);
		check(r->pfn_first == pfns);
		check((u64)r->byte_offset + r->byte_count <=
		      (u64)r->pfn_count * OHV_HV_PAGE_SIZE);
		pfns += r->pfn_count;
		total += r->byte_count;
	}
	check(pfns == req->nr_pfns);
	check(total == srb->data_transfer_length);
	check(req->nr_ranges || !srb->data_transfer_length);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u64 pfns[OHV_STOR_MAX_PFNS(MAX_XFER)];
	struct ohv_vstor_packet reply;
	struct ohv_stor_proto st;
	struct ohv_stor_req req;
	bool offered = false;
	size_t pos = 1;

	if (size < 1)
		return 0;
	ohv_stor_proto_init(&st, data[0] & 1, MAX_SUBS, MAX_XFER);
	while (size - pos >= 2) {
		u32 len = data[pos] | data[pos + 1] << 8;
		enum ohv_stor_action act;
		u8 prev = st.state;
		u8 *pkt;

		pos += 2;
		if (len > size - pos)
			len = size - pos;
		/* A private, exactly sized copy: ASan catches reads past it. */
		pkt = malloc(len ? len : 1);
		check(pkt);
		memcpy(pkt, data + pos, len);
		pos += len;

		memset(&req, 0xa5, sizeof(req));
		req.pfns = pfns;
		act = ohv_stor_handle(&st, pkt, len, &req, &reply);
		free(pkt);

		check(reply.operation == OHV_VSTOR_OP_COMPLETE_IO);
		check(st.state <= OHV_STOR_ST_READY);
		check(st.state >= prev || st.state == OHV_STOR_ST_INIT);
		check(!st.subchannel || st.state == OHV_STOR_ST_READY);
		switch (act) {
		case OHV_STOR_ACT_EXECUTE:
			check_execute(&st, &req);
			break;
		case OHV_STOR_ACT_SUBCHANNELS:
			check(!offered && !st.subchannel);
			check(reply.sub_channel_count >= 1 &&
			      reply.sub_channel_count <= MAX_SUBS);
			offered = true;
			break;
		case OHV_STOR_ACT_RESET_LUN:
		case OHV_STOR_ACT_RESET_BUS:
			check(st.state == OHV_STOR_ST_READY);
			break;
		case OHV_STOR_ACT_DROP:
		case OHV_STOR_ACT_REPLY:
			break;
		default:
			check(false);
		}
	}
	return 0;
}
