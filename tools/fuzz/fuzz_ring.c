// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the ring reader (and writer) against a hostile peer.
 *
 * Input: u32 write_index, u32 read_index, u32 interrupt_mask,
 * u32 pending_send_sz, then the data area (4 KiB, zero-padded).  The data
 * area is a heap buffer holding the ring twice, standing in for the double
 * mapping, so AddressSanitizer sees any access outside it.
 */
#include <stdlib.h>

#include <ohv/ring.h>

#define RING_SIZE	4096

/* libFuzzer calls this under its fixed entry-point name. */
int ohv_fuzz_ring(const u8 *in, size_t len) __asm__("LLVMFuzzerTestOneInput");

int ohv_fuzz_ring(const u8 *in, size_t len)
{
	static struct ohv_ring_header hdr;
	static u8 data[2 * RING_SIZE];
	static u8 pkt[RING_SIZE];
	struct ohv_ring ring;
	u32 idx[4] = { 0 }, pktlen;
	size_t n = min_t(size_t, len, sizeof(idx));
	bool signal;
	int i, ret;

	memcpy(idx, in, n);
	in += n;
	len -= n;
	memset(data, 0, RING_SIZE);
	memcpy(data, in, min_t(size_t, len, RING_SIZE));
	memcpy(data + RING_SIZE, data, RING_SIZE);

	ohv_ring_header_reset(&hdr);
	hdr.write_index = idx[0];
	hdr.read_index = idx[1];
	hdr.interrupt_mask = idx[2];
	hdr.pending_send_sz = idx[3];
	if (ohv_ring_init(&ring, &hdr, data, RING_SIZE))
		return 0;

	for (i = 0; i < 64; i++) {
		ret = ohv_ring_read(&ring, pkt, sizeof(pkt), &pktlen);
		if (ret == -ENOBUFS || ret == -EAGAIN)
			break;
		if (ret)
			break;
		/* A packet the reader accepted is well formed. */
		if (pktlen > sizeof(pkt) || ohv_vmpacket_payload_len(pkt) > pktlen)
			abort();
	}
	ohv_ring_read_commit(&ring);
	ohv_ring_unmask_interrupts(&ring);

	/* The same ring through the batched reader, into a buffer of 0..4 KiB. */
	hdr.write_index = idx[0];
	hdr.read_index = idx[1];
	if (ohv_ring_init(&ring, &hdr, data, RING_SIZE))
		return 0;
	for (i = 0; i < 64; i++) {
		struct ohv_ring_pkt pkts[8];
		u32 buflen = (idx[3] >> 16) % (RING_SIZE + 1);
		int j;

		ret = ohv_ring_read_batch(&ring, pkt, buflen, pkts, 8);
		if (ret <= 0)
			break;
		/* Every packet accepted lies inside the copy and is well formed. */
		for (j = 0; j < ret; j++)
			if (pkts[j].off + pkts[j].len > buflen ||
			    ohv_vmpacket_payload_len(pkt + pkts[j].off) > pkts[j].len)
				abort();
		ohv_ring_read_commit(&ring);
	}

	/* The same hostile header, seen from the writer's side. */
	hdr.write_index = idx[0];
	hdr.read_index = idx[1];
	if (ohv_ring_init(&ring, &hdr, data, RING_SIZE))
		return 0;
	ohv_ring_send(&ring, OHV_VMPKT_DATA_INBAND, 0, 1, pkt, idx[2] % 8192,
		      &signal);
	ohv_ring_queue_send(&ring, idx[2] >> 16, 0, 2, pkt, idx[3] % 8192);
	ohv_ring_flush(&ring);
	ohv_ring_wait_space_begin(&ring, idx[3] % 8192);
	return 0;
}
