/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMBus ring buffer: one direction of a channel, Hyper-V layout.
 *
 * The ring lives in memory shared with an untrusted peer.  Each side keeps
 * its own index privately and only publishes it; the peer's index is read,
 * validated, and never trusted beyond that.  Incoming packets are copied out
 * of the ring before any field is looked at.  The first inconsistency marks
 * the ring broken: every later call fails with -EPIPE.
 *
 * The data area must be mapped twice, back to back (data[i] and
 * data[i + size] are the same byte), so packets are copied with one memcpy
 * even when they wrap.  See ohv_ring_map() (kernel) and
 * tools/vmbus/ring_map_user.c (user space).
 *
 * Reader loop, as the signalling protocol requires:
 *
 *	do {
 *		ohv_ring_mask_interrupts(ring);
 *		while (ohv_ring_read(ring, buf, len, &pktlen) == 0)
 *			consume(buf, pktlen);
 *		if (ohv_ring_read_commit(ring))
 *			signal the writer;
 *	} while (ohv_ring_unmask_interrupts(ring));
 *
 * ohv_ring_read_batch() may take the place of the ohv_ring_read() loop,
 * and the writer may queue several packets and flush them at once (see
 * ohv_ring_queue()).
 *
 * Concurrency: one writer and one reader per ring, each single-threaded
 * (callers serialise their own side).  The writer and the reader may run
 * concurrently on different CPUs or in different VMs.
 */
#ifndef _OHV_RING_H
#define _OHV_RING_H

#include <ohv/wire/ring.h>
#include <ohv/wire/vmbus.h>

/* Counters kept by each side; never shared with the peer. */
struct ohv_ring_stats {
	u64 packets;		/* packets written or read */
	u64 bytes;		/* packet bytes written or read */
	u64 signals;		/* times the peer had to be signalled */
	u64 full;		/* writes refused for lack of space */
	u64 corrupt;		/* inconsistencies found (ring is broken) */
};

/* One side's view of one ring. */
struct ohv_ring {
	struct ohv_ring_header *hdr;	/* shared header page */
	u8 *data;		/* data area, mapped twice back to back */
	u32 size;		/* bytes in the data area */
	u32 priv_write;		/* writer: where the next packet goes */
	u32 pub_write;		/* writer: write_index last published */
	u32 priv_read;		/* reader: next packet, not yet published */
	u32 pub_read;		/* reader: read_index last published */
	u32 cached_read;	/* writer: peer's read_index, last validated load */
	u32 cached_write;	/* reader: peer's write_index, last validated load */
	bool broken;		/* peer corrupted the ring: no more I/O */
	const char *broken_reason;	/* first inconsistency found */
	struct ohv_ring_stats stats;	/* this side's counters */
};

/* A piece of an outgoing packet (like struct kvec). */
struct ohv_ring_buf {
	const void *base;	/* bytes to copy */
	u32 len;		/* how many */
};

/* Largest packet a descriptor can describe (len8 is a u16). */
#define OHV_RING_MAX_PACKET	(0xffffU * 8)

/* Zero a fresh ring header and advertise pending_send_sz support. */
void ohv_ring_header_reset(struct ohv_ring_header *hdr);

/*
 * Attach to a ring whose header is @hdr and whose double-mapped data area
 * of @size bytes (a multiple of 4096) is @data.  Picks up the indices found
 * in the header; -EINVAL if they or @size are not valid.
 */
int ohv_ring_init(struct ohv_ring *ring, struct ohv_ring_header *hdr,
		  void *data, u32 size);

/* Bytes the writer could use now / the reader has not consumed yet. */
u32 ohv_ring_bytes_to_write(struct ohv_ring *ring);
u32 ohv_ring_bytes_to_read(struct ohv_ring *ring);

/* Fill in a descriptor for a packet of @pktlen bytes whose payload is at @hdrlen. */
void ohv_vmpacket_desc_init(struct ohv_vmpacket_desc *desc, u16 type,
			    u16 flags, u64 trans_id, u32 hdrlen, u32 pktlen);

/*
 * Writer: append the concatenation of @bufs (descriptor first) as one
 * packet, zero-padded to 8 bytes, plus its trailer.  Returns 0, -EAGAIN
 * when there is not strictly more free space than the packet needs,
 * -EINVAL for a malformed packet (or one that can never fit), -EBADMSG
 * when the reader's read_index is corrupt (the ring is now broken), or
 * -EPIPE once the ring is broken.
 * *@signal is set when the peer must be signalled (the ring was empty and
 * the reader has not masked interrupts).
 */
int ohv_ring_write(struct ohv_ring *ring, const struct ohv_ring_buf *bufs,
		   unsigned int nbufs, bool *signal);

/* Writer: an in-band packet of @type carrying @len bytes of @payload. */
int ohv_ring_send(struct ohv_ring *ring, u16 type, u16 flags, u64 trans_id,
		  const void *payload, u32 len, bool *signal);

/*
 * Writer, batched: ohv_ring_queue() copies a packet into the ring exactly
 * like ohv_ring_write() (same checks, same return values) but does not
 * publish it; ohv_ring_flush() publishes every queued packet with one
 * write_index update and makes the signalling decision once, for the whole
 * batch, by the same rule as a single write (the batch counts as one
 * packet).  It returns true when the peer must be signalled.
 * ohv_ring_write() is ohv_ring_queue() followed by ohv_ring_flush().
 * Flush before waiting for space: the reader cannot free what it cannot
 * see.
 */
int ohv_ring_queue(struct ohv_ring *ring, const struct ohv_ring_buf *bufs,
		   unsigned int nbufs);
int ohv_ring_queue_send(struct ohv_ring *ring, u16 type, u16 flags,
			u64 trans_id, const void *payload, u32 len);
bool ohv_ring_flush(struct ohv_ring *ring);

/*
 * Writer flow control.  After -EAGAIN, ask the reader to signal once
 * @pktlen bytes (payload + descriptor, unpadded) fit.  Returns true if
 * they already fit, in which case retry at once instead of sleeping.
 * Call ohv_ring_wait_space_end() once the write went through.
 */
bool ohv_ring_wait_space_begin(struct ohv_ring *ring, u32 pktlen);
void ohv_ring_wait_space_end(struct ohv_ring *ring);

/*
 * Reader: copy the next packet (descriptor included) into @buf and
 * validate it.  Returns 0 and sets *@pktlen, -EAGAIN when empty, -ENOBUFS
 * when @buflen is too small (*@pktlen says how much is needed; the packet
 * stays), -EBADMSG when the packet is corrupt (the ring is now broken) or
 * -EPIPE once broken.  The space is only given back to the writer by
 * ohv_ring_read_commit().
 */
int ohv_ring_read(struct ohv_ring *ring, void *buf, u32 buflen, u32 *pktlen);

/*
 * Reader: ohv_ring_read(), if the next packet's descriptor (validated
 * first) is of @type; -ENOMSG, the packet staying, if it is another.
 */
int ohv_ring_read_type(struct ohv_ring *ring, u16 type, void *buf,
		       u32 buflen, u32 *pktlen);

/* Where ohv_ring_read_batch() put one packet in the caller's buffer. */
struct ohv_ring_pkt {
	u32 off;		/* descriptor's offset in the buffer */
	u32 len;		/* packet length, descriptor included */
};

/*
 * Reader, batched: copy the unread bytes (at most @buflen) out of the ring
 * with one copy, then validate the packets in that private copy one by one,
 * by the same rules as ohv_ring_read().  Returns the number of whole,
 * valid packets (at most @max), each described in @pkts; their trailers
 * stay in between.  Returns -EAGAIN when empty, -ENOBUFS when the first
 * packet does not fit (@pkts[0].len says how much it needs), -EBADMSG when
 * the first packet is corrupt or -EPIPE once broken.  A corrupt packet
 * after good ones ends the batch with the good ones and breaks the ring,
 * so the next call fails.  Publish with ohv_ring_read_commit(), as for
 * ohv_ring_read().
 */
int ohv_ring_read_batch(struct ohv_ring *ring, void *buf, u32 buflen,
			struct ohv_ring_pkt *pkts, unsigned int max);

/*
 * Reader: publish the packets read so far.  Returns true if the writer is
 * waiting for space (pending_send_sz) and this made enough of it.
 */
bool ohv_ring_read_commit(struct ohv_ring *ring);

/*
 * Reader: batch mode.  While masked the writer does not signal.  Unmasking
 * returns the bytes that arrived meanwhile; if non-zero, keep reading, as
 * no signal will come for them.
 */
void ohv_ring_mask_interrupts(struct ohv_ring *ring);
u32 ohv_ring_unmask_interrupts(struct ohv_ring *ring);

/* Payload of a packet returned by ohv_ring_read(). */
static inline const void *ohv_vmpacket_payload(const void *pkt)
{
	const struct ohv_vmpacket_desc *d = pkt;

	return (const u8 *)pkt + d->offset8 * 8;
}

static inline u32 ohv_vmpacket_payload_len(const void *pkt)
{
	const struct ohv_vmpacket_desc *d = pkt;

	return (d->len8 - d->offset8) * 8;
}

#ifdef __KERNEL__
struct page;

/*
 * Map a ring whose header is @pages[0] and whose data area is @pages[1..]
 * with the data area twice in a row.  The data area starts one page after
 * the returned header.  Undo with ohv_ring_unmap().
 */
struct ohv_ring_header *ohv_ring_map(struct page **pages,
				     unsigned int nr_pages);
void ohv_ring_unmap(struct ohv_ring_header *hdr);
#endif

#endif /* _OHV_RING_H */
