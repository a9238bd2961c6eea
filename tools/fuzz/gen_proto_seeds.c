// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpora of fuzz_net and fuzz_vstor with well-formed
 * messages, built with the real RNDIS encoder where there is one:
 *   gen_proto_seeds DIR   writes the files of DIR/net and DIR/vstor
 */
#include <ohv/wire/ring.h>
#include <ohv/wire/vmbus.h>

#include "../../drivers/netvsp/ohv_net_proto.h"
#include "../../drivers/storvsp/proto.h"
#include "seed.h"

static u8 buf[8192];

/* fuzz_net: mode byte, then the message. */
static int net_seeds(const char *out)
{
	struct ohv_rndis_pkt_info pi = {};
	struct ohv_nvsp_init init = { .type = OHV_NVSP_INIT,
				      .min_ver = 0x2, .max_ver = 0x60001 };
	struct ohv_vmpacket_xfer_hdr xh = {};
	struct ohv_vmpacket_gpa_direct_hdr gh = {};
	struct ohv_xfer_page_range xr[2] = { { 1514, 0 }, { 60, 6144 } };
	struct ohv_gpa_range gr = { .byte_count = 5000, .byte_offset = 100 };
	struct ohv_rndis_hdr rh;
	struct ohv_rndis_query_req q = {};
	struct ohv_rndis_init_cmplt ic = {};
	u64 pfn[2] = { 0x1234, 0x1235 };
	u32 n, hlen, bufsz = 1 << 20;
	char name[32];
	int err = 0;

	buf[0] = 0;
	memcpy(buf + 1, &init, sizeof(init));
	err |= ohv_write_seed(out, "net", "nvsp-init", buf, 1 + sizeof(init));

	buf[0] = 1;
	memcpy(buf + 1, &bufsz, 4);
	xh.d.type = OHV_VMPKT_DATA_USING_XFER_PAGES;
	xh.d.offset8 = (sizeof(xh) + sizeof(xr)) / 8;
	xh.range_cnt = 2;
	n = 5;
	memcpy(buf + n, &xh, sizeof(xh));
	memcpy(buf + n + sizeof(xh), xr, sizeof(xr));
	memcpy(buf + n + sizeof(xh) + sizeof(xr), &init, sizeof(init));
	err |= ohv_write_seed(out, "net", "xfer", buf,
			      n + sizeof(xh) + sizeof(xr) + sizeof(init));

	buf[0] = 2;
	gh.d.type = OHV_VMPKT_DATA_USING_GPA_DIRECT;
	gh.d.offset8 = (sizeof(gh) + sizeof(gr) + sizeof(pfn)) / 8;
	gh.range_cnt = 1;
	memcpy(buf + 1, &gh, sizeof(gh));
	memcpy(buf + 1 + sizeof(gh), &gr, sizeof(gr));
	memcpy(buf + 1 + sizeof(gh) + sizeof(gr), pfn, sizeof(pfn));
	memcpy(buf + 1 + gh.d.offset8 * 8, &init, sizeof(init));
	err |= ohv_write_seed(out, "net", "gpa", buf,
			      1 + gh.d.offset8 * 8 + sizeof(init));

	/* RNDIS data packets: every combination of per-packet info. */
	for (n = 0; n < 16; n++) {
		pi.flags = n;
		pi.csum = 0x11;
		pi.lso = 0x8000 | 1448;
		pi.vlan = 42;
		pi.hash = 0xdeadbeef;
		buf[0] = 3;
		hlen = ohv_rndis_build_packet(buf + 1, sizeof(buf) - 1, 60, &pi);
		memset(buf + 1 + hlen, 0xee, 60);
		snprintf(name, sizeof(name), "rndis-packet-%u", n);
		err |= ohv_write_seed(out, "net", name, buf, 1 + hlen + 60);
	}

	buf[0] = 4;
	rh.type = OHV_RNDIS_MSG_QUERY;
	rh.len = sizeof(rh) + sizeof(q) + 8;
	q.req_id = 7;
	q.oid = 0x00010101;
	q.info_len = 8;
	q.info_offset = sizeof(q);
	memcpy(buf + 1, &rh, sizeof(rh));
	memcpy(buf + 1 + sizeof(rh), &q, sizeof(q));
	memset(buf + 1 + sizeof(rh) + sizeof(q), 0, 8);
	err |= ohv_write_seed(out, "net", "rndis-query", buf, 1 + rh.len);

	rh.type = OHV_RNDIS_MSG_INIT | OHV_RNDIS_MSG_COMPLETION;
	rh.len = sizeof(rh) + sizeof(ic);
	ic.req_id = 1;
	ic.max_pkt_per_msg = 8;
	ic.pkt_align_factor = 3;
	memcpy(buf + 1, &rh, sizeof(rh));
	memcpy(buf + 1 + sizeof(rh), &ic, sizeof(ic));
	err |= ohv_write_seed(out, "net", "rndis-init-cmplt", buf, 1 + rh.len);

	/* RSS parameters: 4 channels, a 64-entry table spread over them. */
	{
		u8 chan[64];

		for (n = 0; n < 64; n++)
			chan[n] = n % 4;
		buf[0] = 5;
		buf[1] = 4;
		hlen = ohv_rss_build(buf + 2, sizeof(buf) - 2, chan, 64,
				     ohv_rss_default_key);
		err |= ohv_write_seed(out, "net", "rss-64", buf, 2 + hlen);
	}

	/* A send section with three data packets, each padded to 8 bytes. */
	{
		u32 off = 2, last = 0;

		buf[0] = 6;
		buf[1] = 16;
		for (n = 0; n < 3; n++) {
			struct ohv_rndis_hdr *h;

			off = (off - 2 + 7) / 8 * 8 + 2;
			if (n) {
				h = (struct ohv_rndis_hdr *)(buf + last);
				h->len = off - last;
			}
			hlen = ohv_rndis_build_packet(buf + off,
						      sizeof(buf) - off,
						      61 + n, &pi);
			memset(buf + off + hlen, 0xee, 61 + n);
			last = off;
			off += hlen + 61 + n;
		}
		err |= ohv_write_seed(out, "net", "rndis-section-3", buf, off);
	}
	return err;
}

/* One vstor packet, in-band or with @gpa_len bytes of GPA header. */
static size_t vstor_pkt(u8 *p, u32 op, const void *body, size_t body_len,
			const void *gpa, size_t gpa_len)
{
	struct ohv_vmpacket_desc d = {};
	struct ohv_vstor_packet v = {};
	size_t hdr = gpa_len ? gpa_len : sizeof(d);
	size_t len = (hdr + sizeof(v) + 7) & ~(size_t)7;
	u16 l16 = len;

	v.operation = op;
	if (body_len)
		memcpy(v.body, body, body_len);
	d.type = gpa_len ? OHV_VMPKT_DATA_USING_GPA_DIRECT : OHV_VMPKT_DATA_INBAND;
	d.offset8 = hdr / 8;
	d.len8 = len / 8;
	d.flags = 1;
	memset(p + 2, 0, len);
	memcpy(p, &l16, 2);
	if (gpa_len)
		memcpy(p + 2, gpa, gpa_len);
	memcpy(p + 2, &d, sizeof(d));
	memcpy(p + 2 + hdr, &v, sizeof(v));
	return 2 + len;
}

static int vstor_seeds(const char *out)
{
	struct ohv_vstor_proto_version ver = { .major_minor = 0x0602 };
	struct ohv_vmscsi_request srb = {};
	struct ohv_vmpacket_gpa_direct_hdr gh = {};
	struct ohv_gpa_range gr = { .byte_count = 8192, .byte_offset = 0 };
	u64 pfn[2] = { 0x100, 0x101 };
	u8 gpa[sizeof(gh) + sizeof(gr) + sizeof(pfn)];
	u16 subs = 2;
	size_t n = 1;

	buf[0] = 0;
	n += vstor_pkt(buf + n, OHV_VSTOR_OP_BEGIN_INIT, NULL, 0, NULL, 0);
	n += vstor_pkt(buf + n, OHV_VSTOR_OP_QUERY_PROTOCOL_VERSION, &ver,
		       sizeof(ver), NULL, 0);
	n += vstor_pkt(buf + n, OHV_VSTOR_OP_QUERY_PROPERTIES, NULL, 0, NULL, 0);
	n += vstor_pkt(buf + n, OHV_VSTOR_OP_END_INIT, NULL, 0, NULL, 0);
	n += vstor_pkt(buf + n, OHV_VSTOR_OP_CREATE_SUB_CHANNELS, &subs,
		       sizeof(subs), NULL, 0);
	/* READ(10) of 16 sectors into two pages. */
	srb.length = sizeof(srb);
	srb.cdb_length = 10;
	srb.data_in = OHV_SRB_DATA_READ;
	srb.data_transfer_length = 8192;
	srb.cdb[0] = 0x28;
	srb.cdb[8] = 16;
	gh.d.type = OHV_VMPKT_DATA_USING_GPA_DIRECT;
	gh.range_cnt = 1;
	memcpy(gpa, &gh, sizeof(gh));
	memcpy(gpa + sizeof(gh), &gr, sizeof(gr));
	memcpy(gpa + sizeof(gh) + sizeof(gr), pfn, sizeof(pfn));
	n += vstor_pkt(buf + n, OHV_VSTOR_OP_EXECUTE_SRB, &srb, sizeof(srb),
		       gpa, sizeof(gpa));
	/* TEST UNIT READY, in-band. */
	memset(&srb, 0, sizeof(srb));
	srb.length = sizeof(srb);
	srb.cdb_length = 6;
	srb.data_in = OHV_SRB_DATA_NONE;
	n += vstor_pkt(buf + n, OHV_VSTOR_OP_EXECUTE_SRB, &srb, sizeof(srb),
		       NULL, 0);
	n += vstor_pkt(buf + n, OHV_VSTOR_OP_RESET_BUS, NULL, 0, NULL, 0);
	return ohv_write_seed(out, "vstor", "conversation", buf, n);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	return net_seeds(argv[1]) | vstor_seeds(argv[1]);
}
