// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpora of the fuzz targets, built with the real
 * encoders so the seeds are valid inputs the fuzzer then mutates:
 *   gen_seeds DIR   writes DIR/ring, DIR/msg and DIR/gpadl
 */
#include <ohv/gpadl_wire.h>
#include <ohv/ring.h>

#include "seed.h"

#define RING_SIZE	4096

static const char *out_dir;

static int write_seed(const char *target, const char *name, const void *buf,
		      size_t len)
{
	return ohv_write_seed(out_dir, target, name, buf, len);
}

/* A ring state: the four header words, then the data area. */
struct ring_seed {
	u32 idx[4];		/* write, read, mask, pending */
	u8 data[RING_SIZE];	/* packets as the writer laid them out */
};

static int ring_seeds(void)
{
	static struct ohv_ring_header hdr;
	static u8 data[2 * RING_SIZE];
	static struct ring_seed seed;
	u64 words[8] = { 0 };
	struct ohv_ring_buf buf = { .base = words };
	struct ohv_ring ring;
	u8 payload[300];
	char name[16];
	bool sig;
	int i, err = 0;

	for (i = 0; i < 4; i++) {
		ohv_ring_header_reset(&hdr);
		memset(data, 0, sizeof(data));
		ohv_ring_init(&ring, &hdr, data, RING_SIZE);
		memset(payload, i, sizeof(payload));
		switch (i) {
		case 0:		/* one in-band packet */
			ohv_ring_send(&ring, OHV_VMPKT_DATA_INBAND, 1, 7, payload,
				      100, &sig);
			break;
		case 1:		/* several packets, completions among them */
			ohv_ring_send(&ring, OHV_VMPKT_DATA_INBAND, 0, 1, payload,
				      3, &sig);
			ohv_ring_send(&ring, OHV_VMPKT_COMP, 0, 1, NULL, 0, &sig);
			ohv_ring_send(&ring, OHV_VMPKT_DATA_INBAND, 0, 2, payload,
				      300, &sig);
			break;
		case 2:		/* transfer pages: 2 ranges, 8 payload bytes */
			words[0] = OHV_VMPKT_DATA_USING_XFER_PAGES |
				   5ULL << 16 | 6ULL << 32;
			words[2] = 1ULL | 2ULL << 32;
			words[3] = 100;
			words[4] = 200 | 100ULL << 32;
			buf.len = 6 * 8;
			ohv_ring_write(&ring, &buf, 1, &sig);
			break;
		case 3:		/* GPA direct: 1 range over 2 pages */
			words[0] = OHV_VMPKT_DATA_USING_GPA_DIRECT |
				   6ULL << 16 | 7ULL << 32;
			words[2] = 1ULL << 32;
			words[3] = 5000 | 100ULL << 32;
			words[4] = 0x1234;
			words[5] = 0x1235;
			buf.len = 7 * 8;
			ohv_ring_write(&ring, &buf, 1, &sig);
			break;
		}
		seed.idx[0] = hdr.write_index;
		seed.idx[1] = hdr.read_index;
		seed.idx[2] = 0;
		seed.idx[3] = 0;
		memcpy(seed.data, data, RING_SIZE);
		snprintf(name, sizeof(name), "ring-%d", i);
		err |= write_seed("ring", name, &seed,
				  sizeof(seed.idx) + hdr.write_index);
	}
	return err;
}

static int msg_seeds(void)
{
	u8 wire[OHV_VMBUS_MSG_MAX];
	struct ohv_vmbus_msg m;
	char name[32];
	u32 type;
	int n, err = 0;

	for (type = 0; type < OHV_CHMSG_COUNT; type++) {
		if (!ohv_vmbus_msg_min_len(type))
			continue;
		ohv_vmbus_msg_init(&m, type);
		if (type == OHV_CHMSG_GPADL_HEADER) {
			m.gpadl_header.rangecount = 1;
			m.gpadl_header.range_buflen = 16;
			m.len += 8;
		}
		n = ohv_vmbus_msg_encode(&m, wire, sizeof(wire), NULL);
		if (n < 0)
			return 1;
		snprintf(name, sizeof(name), "%s", ohv_vmbus_msg_name(type));
		err |= write_seed("msg", name, wire, n);
	}
	return err;
}

/* A GPADL of @nr PFNs as { u8 len; bytes } messages. */
static int gpadl_seed(u32 nr)
{
	static struct ohv_vmbus_msg msgs[300];
	static u8 out[300 * (OHV_VMBUS_MSG_MAX + 1)];
	static u64 pfns[OHV_GPADL_MAX_PFNS];
	size_t pos = 0;
	char name[32];
	int i, n, len;

	for (i = 0; i < (int)nr; i++)
		pfns[i] = 0x1000 + i;
	n = ohv_gpadl_build(msgs, 300, 1, 2, pfns, nr);
	if (n < 0)
		return 1;
	for (i = 0; i < n; i++) {
		len = ohv_vmbus_msg_encode(&msgs[i], out + pos + 1,
					   OHV_VMBUS_MSG_MAX, NULL);
		if (len < 0)
			return 1;
		out[pos] = len;
		pos += 1 + len;
	}
	snprintf(name, sizeof(name), "pfns-%u", nr);
	return write_seed("gpadl", name, out, pos);
}

int main(int argc, char **argv)
{
	static const u32 sizes[] = { 1, 26, 27, 54, 55, 100, 4096 };
	unsigned int i;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	err = ring_seeds() | msg_seeds();
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		err |= gpadl_seed(sizes[i]);
	return err;
}
