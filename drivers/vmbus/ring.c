// SPDX-License-Identifier: GPL-2.0
/*
 * VMBus ring buffer, Hyper-V layout and signalling rules.
 *
 * Pure code: built into ohv_vmbus.ko and, unchanged, into the user-space
 * unit tests, fuzzers and benchmark (<ohv/compat.h> maps the barriers).
 *
 * Shared-memory rules followed throughout:
 *  - each side owns one index (writer: write_index, reader: read_index),
 *    keeps the truth privately and only publishes it;
 *  - the peer's index is read once, validated, then used;
 *  - packet bytes are copied out before they are looked at, and only the
 *    copy is validated and returned;
 *  - the first inconsistency marks the ring broken; after that every call
 *    fails with -EPIPE and nothing touches the ring again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <ohv/ring.h>

#ifdef __KERNEL__
#include <linux/export.h>
#include <linux/printk.h>
#include <asm/barrier.h>
#endif

/* Largest data area we accept: keeps every index sum below 2^32. */
#define RING_MAX_SIZE	BIT(30)

/* ---------------------------------------------------------------------
 * Shared helpers
 * ---------------------------------------------------------------------
 */

static int ring_corrupt(struct ohv_ring *ring, const char *why)
{
	if (!ring->broken) {
		ring->broken = true;
		ring->broken_reason = why;
	}
	ring->stats.corrupt++;
	pr_warn_ratelimited("ring %p broken: %s\n", ring, why);
	return -EBADMSG;
}

static bool ring_index_valid(const struct ohv_ring *ring, u32 idx)
{
	return idx < ring->size && IS_ALIGNED(idx, 8);
}

static u32 ring_advance(const struct ohv_ring *ring, u32 idx, u32 len)
{
	idx += len;
	return idx >= ring->size ? idx - ring->size : idx;
}

/* Unread bytes between @read and @write. */
static u32 ring_used(const struct ohv_ring *ring, u32 read, u32 write)
{
	return write >= read ? write - read : ring->size - read + write;
}

/* The peer's index, validated before use. */
static int ring_peer_read_index(struct ohv_ring *ring, u32 *idx)
{
	/*
	 * Acquire: the reader finished copying out the space it frees
	 * before it published read_index; only then may we overwrite it.
	 */
	u32 v = virt_load_acquire(&ring->hdr->read_index);

	if (!ring_index_valid(ring, v))
		return ring_corrupt(ring, "read_index out of range");
	ring->cached_read = v;
	*idx = v;
	return 0;
}

static int ring_peer_write_index(struct ohv_ring *ring, u32 *idx)
{
	/*
	 * Acquire: the packets the writer published with write_index are
	 * visible before we copy them.
	 */
	u32 v = virt_load_acquire(&ring->hdr->write_index);

	if (!ring_index_valid(ring, v))
		return ring_corrupt(ring, "write_index out of range");
	ring->cached_write = v;
	*idx = v;
	return 0;
}

void ohv_ring_header_reset(struct ohv_ring_header *hdr)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->feature_bits = OHV_RING_FEAT_PENDING_SEND_SZ;
}
EXPORT_SYMBOL_GPL(ohv_ring_header_reset);

int ohv_ring_init(struct ohv_ring *ring, struct ohv_ring_header *hdr,
		  void *data, u32 size)
{
	memset(ring, 0, sizeof(*ring));
	if (!size || size > RING_MAX_SIZE || !IS_ALIGNED(size, OHV_HV_PAGE_SIZE))
		return -EINVAL;
	ring->hdr = hdr;
	ring->data = data;
	ring->size = size;
	ring->priv_write = READ_ONCE(hdr->write_index);
	ring->pub_write = ring->priv_write;
	ring->priv_read = READ_ONCE(hdr->read_index);
	ring->pub_read = ring->priv_read;
	ring->cached_read = ring->priv_read;
	ring->cached_write = ring->priv_write;
	if (!ring_index_valid(ring, ring->priv_write) ||
	    !ring_index_valid(ring, ring->priv_read))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_ring_init);

u32 ohv_ring_bytes_to_write(struct ohv_ring *ring)
{
	u32 read;

	if (ring->broken || ring_peer_read_index(ring, &read))
		return 0;
	return ring->size - ring_used(ring, read, ring->priv_write);
}
EXPORT_SYMBOL_GPL(ohv_ring_bytes_to_write);

u32 ohv_ring_bytes_to_read(struct ohv_ring *ring)
{
	u32 write;

	if (ring->broken || ring_peer_write_index(ring, &write))
		return 0;
	return ring_used(ring, ring->priv_read, write);
}
EXPORT_SYMBOL_GPL(ohv_ring_bytes_to_read);

/*
 * The rules both sides apply to a descriptor: a known type, a payload that
 * starts after the descriptor and inside the packet, and a packet that fits
 * in @room bytes.  Returns NULL or why the descriptor is bad.
 */
static const char *ring_desc_error(const struct ohv_vmpacket_desc *d, u32 room)
{
	if (d->type == OHV_VMPKT_INVALID || d->type > OHV_VMPKT_TYPE_MAX)
		return "unknown packet type";
	if (d->offset8 * 8U < sizeof(*d))
		return "offset8 inside the descriptor";
	if (d->offset8 > d->len8)
		return "offset8 beyond len8";
	if (d->len8 * 8U > room)
		return "len8 beyond the written data";
	return NULL;
}

/* ---------------------------------------------------------------------
 * Writer
 * ---------------------------------------------------------------------
 */

void ohv_vmpacket_desc_init(struct ohv_vmpacket_desc *desc, u16 type,
			    u16 flags, u64 trans_id, u32 hdrlen, u32 pktlen)
{
	desc->type = type;
	desc->offset8 = hdrlen / 8;
	desc->len8 = ALIGN(pktlen, 8) / 8;
	desc->flags = flags;
	desc->trans_id = trans_id;
}
EXPORT_SYMBOL_GPL(ohv_vmpacket_desc_init);

/*
 * Hyper-V's rule: signal only on the empty -> non-empty transition, and
 * only if the reader has not masked interrupts.  Anything more makes the
 * peer take interrupts for packets it would have found anyway (and Hyper-V
 * may throttle a guest that does that).
 */
static bool ring_need_signal(struct ohv_ring *ring, u32 old_write)
{
	/*
	 * Full barrier: the write_index store must be visible before we
	 * sample interrupt_mask.  Pairs with ohv_ring_unmask_interrupts():
	 * either the reader sees our packet when it re-checks after
	 * unmasking, or we see the cleared mask and signal.
	 */
	virt_mb();
	if (READ_ONCE(ring->hdr->interrupt_mask))
		return false;

	/* Sample read_index only after the mask (Linux orders them too). */
	virt_rmb();

	/*
	 * A reader that had not caught up with old_write is still busy and
	 * will find this packet before it stops; it needs no interrupt.
	 */
	if (READ_ONCE(ring->hdr->read_index) != old_write)
		return false;
	ring->stats.signals++;
	return true;
}

/*
 * Room for a packet of @len bytes (unpadded) plus its trailer, or -EAGAIN.
 * Strictly more free space than we write: a completely full ring would
 * have write_index == read_index, which means empty.  The cached
 * read_index can only under-estimate the free space, so the shared cache
 * line is read again only when it says "full".
 */
static int ring_reserve(struct ohv_ring *ring, u32 total)
{
	u32 read = ring->cached_read;

	if (ring->size - ring_used(ring, read, ring->priv_write) > total)
		return 0;
	if (ring_peer_read_index(ring, &read))
		return -EBADMSG;
	if (ring->size - ring_used(ring, read, ring->priv_write) > total)
		return 0;
	ring->stats.full++;
	return -EAGAIN;
}

/*
 * Zero padding up to 8 bytes, then the trailer (our start offset), after
 * @len packet bytes written at @start; then the packet is queued.  Both
 * stores come from registers: no byte of the ring is read back.
 */
static void ring_finish_packet(struct ohv_ring *ring, u32 start, u32 len)
{
	u64 zero = 0, trailer = OHV_RING_TRAILER(start);

	/* The 8 zero bytes may run into the trailer, which comes next. */
	if (len & 7)
		memcpy(ring->data + start + len, &zero, sizeof(zero));
	memcpy(ring->data + start + ALIGN(len, 8), &trailer, sizeof(trailer));
	ring->priv_write = ring_advance(ring, start,
					ALIGN(len, 8) + OHV_RING_TRAILER_SIZE);
	ring->stats.packets++;
	ring->stats.bytes += len;
}

int ohv_ring_queue(struct ohv_ring *ring, const struct ohv_ring_buf *bufs,
		   unsigned int nbufs)
{
	struct ohv_vmpacket_desc desc;
	u32 len = 0, total, pos, start;
	unsigned int i;
	int ret;

	if (ring->broken)
		return -EPIPE;

	for (i = 0; i < nbufs; i++) {
		if (bufs[i].len > OHV_RING_MAX_PACKET - len)
			return -EINVAL;
		len += bufs[i].len;
	}
	if (!nbufs || bufs[0].len < sizeof(desc))
		return -EINVAL;
	/* Never send what our own reader would call corrupt. */
	memcpy(&desc, bufs[0].base, sizeof(desc));
	if (desc.len8 * 8U != ALIGN(len, 8) || ring_desc_error(&desc, desc.len8 * 8U))
		return -EINVAL;

	total = ALIGN(len, 8) + OHV_RING_TRAILER_SIZE;
	if (total >= ring->size)
		return -EINVAL;
	ret = ring_reserve(ring, total);
	if (ret)
		return ret;

	/* The data area is mapped twice, so no copy ever needs to wrap. */
	start = ring->priv_write;
	pos = start;
	for (i = 0; i < nbufs; i++) {
		if (!bufs[i].len)
			continue;
		memcpy(ring->data + pos, bufs[i].base, bufs[i].len);
		pos += bufs[i].len;
	}
	ring_finish_packet(ring, start, len);
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_ring_queue);

bool ohv_ring_flush(struct ohv_ring *ring)
{
	u32 old_write = ring->pub_write;

	if (ring->broken || ring->priv_write == old_write)
		return false;
	ring->pub_write = ring->priv_write;
	/*
	 * Release: the packets and their trailers must be visible before
	 * the index that hands them to the reader.
	 */
	virt_store_release(&ring->hdr->write_index, ring->priv_write);
	return ring_need_signal(ring, old_write);
}
EXPORT_SYMBOL_GPL(ohv_ring_flush);

int ohv_ring_write(struct ohv_ring *ring, const struct ohv_ring_buf *bufs,
		   unsigned int nbufs, bool *signal)
{
	int ret = ohv_ring_queue(ring, bufs, nbufs);

	/* Also publishes anything the caller queued before. */
	*signal = ret ? false : ohv_ring_flush(ring);
	return ret;
}
EXPORT_SYMBOL_GPL(ohv_ring_write);

int ohv_ring_queue_send(struct ohv_ring *ring, u16 type, u16 flags,
			u64 trans_id, const void *payload, u32 len)
{
	const u32 hdrlen = sizeof(struct ohv_vmpacket_desc);
	u64 desc[2];
	u32 total, start;
	int ret;

	if (ring->broken)
		return -EPIPE;
	/* The descriptor below is valid for any known type and length. */
	if (len > OHV_RING_MAX_PACKET - hdrlen || type == OHV_VMPKT_INVALID ||
	    type > OHV_VMPKT_TYPE_MAX)
		return -EINVAL;
	total = ALIGN(hdrlen + len, 8) + OHV_RING_TRAILER_SIZE;
	if (total >= ring->size)
		return -EINVAL;
	ret = ring_reserve(ring, total);
	if (ret)
		return ret;

	/*
	 * struct ohv_vmpacket_desc as two little-endian words (the layout is
	 * asserted in <ohv/wire/ring.h>), built in registers: stored field by
	 * field and copied, it would be read back from the stack.
	 */
	desc[0] = type | (u64)(hdrlen / 8) << 16 |
		  (u64)(ALIGN(hdrlen + len, 8) / 8) << 32 | (u64)flags << 48;
	desc[1] = trans_id;
	start = ring->priv_write;
	memcpy(ring->data + start, desc, sizeof(desc));
	if (len)
		memcpy(ring->data + start + hdrlen, payload, len);
	ring_finish_packet(ring, start, hdrlen + len);
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_ring_queue_send);

int ohv_ring_send(struct ohv_ring *ring, u16 type, u16 flags, u64 trans_id,
		  const void *payload, u32 len, bool *signal)
{
	int ret = ohv_ring_queue_send(ring, type, flags, trans_id, payload, len);

	*signal = ret ? false : ohv_ring_flush(ring);
	return ret;
}
EXPORT_SYMBOL_GPL(ohv_ring_send);

/*
 * pending_send_sz: a writer that found the ring full tells the reader how
 * much space it waits for; the reader signals once that much is free (see
 * ohv_ring_read_commit()).  Hyper-V honours it when feature_bits says so.
 */
bool ohv_ring_wait_space_begin(struct ohv_ring *ring, u32 pktlen)
{
	u32 need = ALIGN(pktlen, 8) + OHV_RING_TRAILER_SIZE;

	WRITE_ONCE(ring->hdr->pending_send_sz, need);
	/*
	 * Full barrier: the request must be visible before we re-read
	 * read_index.  Pairs with ohv_ring_read_commit(): either the reader
	 * sees our request, or we see the space it freed.
	 */
	virt_mb();
	return ohv_ring_bytes_to_write(ring) > need;
}
EXPORT_SYMBOL_GPL(ohv_ring_wait_space_begin);

void ohv_ring_wait_space_end(struct ohv_ring *ring)
{
	WRITE_ONCE(ring->hdr->pending_send_sz, 0);
}
EXPORT_SYMBOL_GPL(ohv_ring_wait_space_end);

/* ---------------------------------------------------------------------
 * Reader
 * ---------------------------------------------------------------------
 */

/* Transfer-page ranges must sit between the header and the payload. */
static const char *ring_xfer_error(const u8 *pkt, u32 hdr_end)
{
	struct ohv_vmpacket_xfer_hdr h;

	if (hdr_end < sizeof(h))
		return "xfer-page header truncated";
	memcpy(&h, pkt, sizeof(h));
	if (!h.range_cnt ||
	    h.range_cnt > (hdr_end - sizeof(h)) / sizeof(struct ohv_xfer_page_range))
		return "xfer-page range_cnt inconsistent";
	return NULL;
}

/* GPA ranges and their PFNs must sit between the header and the payload. */
static const char *ring_gpa_direct_error(const u8 *pkt, u32 hdr_end)
{
	struct ohv_vmpacket_gpa_direct_hdr h;
	struct ohv_gpa_range r;
	u32 pos, i, pfns;

	if (hdr_end < sizeof(h))
		return "gpa-direct header truncated";
	memcpy(&h, pkt, sizeof(h));
	if (!h.range_cnt)
		return "gpa-direct without ranges";
	pos = sizeof(h);
	/* Each range uses at least 16 bytes, so this loop is bounded. */
	for (i = 0; i < h.range_cnt; i++) {
		if (hdr_end - pos < sizeof(r))
			return "gpa-direct range_cnt inconsistent";
		memcpy(&r, pkt + pos, sizeof(r));
		pos += sizeof(r);
		if (!r.byte_count || r.byte_offset >= OHV_HV_PAGE_SIZE)
			return "gpa-direct range malformed";
		pfns = DIV_ROUND_UP((u64)r.byte_offset + r.byte_count,
				    OHV_HV_PAGE_SIZE);
		if (pfns > (hdr_end - pos) / sizeof(u64))
			return "gpa-direct PFNs beyond the header";
		pos += pfns * sizeof(u64);
	}
	return NULL;
}

/*
 * Checks beyond the descriptor, on a private copy of a packet whose
 * descriptor @d already passed ring_desc_error().
 */
static const char *ring_body_error(const u8 *pkt,
				   const struct ohv_vmpacket_desc *d)
{
	switch (d->type) {
	case OHV_VMPKT_DATA_USING_XFER_PAGES:
		return ring_xfer_error(pkt, d->offset8 * 8U);
	case OHV_VMPKT_DATA_USING_GPA_DIRECT:
		return ring_gpa_direct_error(pkt, d->offset8 * 8U);
	default:
		return NULL;
	}
}

/*
 * Unread bytes, from the cached write_index when it still shows some
 * (the acquire that loaded it made them visible), else from a fresh load
 * of the shared one.  Returns 0 or -EBADMSG.
 */
static int ring_avail(struct ohv_ring *ring, u32 *avail)
{
	u32 write = ring->cached_write;

	*avail = ring_used(ring, ring->priv_read, write);
	if (*avail)
		return 0;
	if (ring_peer_write_index(ring, &write))
		return -EBADMSG;
	*avail = ring_used(ring, ring->priv_read, write);
	return 0;
}

static int ring_read(struct ohv_ring *ring, int type, void *buf, u32 buflen,
		     u32 *pktlen)
{
	struct ohv_vmpacket_desc desc;
	u32 avail, len;
	const char *why;

	*pktlen = 0;
	if (ring->broken)
		return -EPIPE;
	if (ring_avail(ring, &avail))
		return -EBADMSG;
	if (!avail)
		return -EAGAIN;
	if (avail < sizeof(desc) + OHV_RING_TRAILER_SIZE)
		return ring_corrupt(ring, "partial packet");

	/*
	 * Copy out, then validate: the peer can rewrite the ring any time.
	 * The descriptor is copied once; the rest of the packet is copied
	 * after it, so the buffer holds exactly the descriptor we checked.
	 */
	memcpy(&desc, ring->data + ring->priv_read, sizeof(desc));
	why = ring_desc_error(&desc, avail - OHV_RING_TRAILER_SIZE);
	if (why)
		return ring_corrupt(ring, why);
	if (type >= 0 && desc.type != type)
		return -ENOMSG;
	len = desc.len8 * 8U;
	if (len > buflen) {
		*pktlen = len;
		return -ENOBUFS;
	}
	memcpy(buf, &desc, sizeof(desc));
	memcpy((u8 *)buf + sizeof(desc),
	       ring->data + ring->priv_read + sizeof(desc), len - sizeof(desc));
	why = ring_body_error(buf, &desc);
	if (why)
		return ring_corrupt(ring, why);

	ring->priv_read = ring_advance(ring, ring->priv_read,
				       len + OHV_RING_TRAILER_SIZE);
	ring->stats.packets++;
	ring->stats.bytes += len;
	*pktlen = len;
	return 0;
}

int ohv_ring_read(struct ohv_ring *ring, void *buf, u32 buflen, u32 *pktlen)
{
	return ring_read(ring, -1, buf, buflen, pktlen);
}
EXPORT_SYMBOL_GPL(ohv_ring_read);

int ohv_ring_read_type(struct ohv_ring *ring, u16 type, void *buf,
		       u32 buflen, u32 *pktlen)
{
	return ring_read(ring, type, buf, buflen, pktlen);
}
EXPORT_SYMBOL_GPL(ohv_ring_read_type);

/*
 * After a batch of @len bytes at priv_read was copied out: evict the cache
 * lines wholly inside it.  The writer will next store to them one lap
 * later; measured on AMD EPYC (Zen 4) under KVM, that store is several
 * times cheaper when the line is in no cache than when the reader's CPU
 * still shares it (64 B packets went from ~26 to 60-120 Mpps in
 * tools/bench/ringbench).  The ring's contents are not changed; the lines
 * the batch only partly covers are left alone, as the writer may be
 * filling them.
 */
static void ring_evict_consumed(struct ohv_ring *ring, u32 len)
{
	unsigned long from = (unsigned long)(ring->data + ring->priv_read);
	unsigned long to = from + len;

	if (!OHV_EVICT_LINE_SIZE)
		return;
	from = ALIGN(from, OHV_EVICT_LINE_SIZE);
	to &= ~(unsigned long)(OHV_EVICT_LINE_SIZE - 1);
	for (; from < to; from += OHV_EVICT_LINE_SIZE)
		ohv_evict_line((const void *)from);
}

int ohv_ring_read_batch(struct ohv_ring *ring, void *buf, u32 buflen,
			struct ohv_ring_pkt *pkts, unsigned int max)
{
	struct ohv_vmpacket_desc desc;
	u32 avail, copied, pos = 0, len, bytes = 0;
	unsigned int n = 0;
	const char *why = NULL;
	u8 *p = buf;

	if (ring->broken)
		return -EPIPE;
	if (!max)
		return -EINVAL;
	/*
	 * A batch is worth one look at the shared write_index when the
	 * cached one shows less than the caller can take.
	 */
	avail = ring_used(ring, ring->priv_read, ring->cached_write);
	if (avail < buflen) {
		if (ring_peer_write_index(ring, &avail))
			return -EBADMSG;
		avail = ring_used(ring, ring->priv_read, avail);
	}
	if (!avail)
		return -EAGAIN;
	if (avail < sizeof(desc) + OHV_RING_TRAILER_SIZE)
		return ring_corrupt(ring, "partial packet");

	/* One copy out of the ring; from here on only the copy is used. */
	copied = min(avail, buflen);
	memcpy(p, ring->data + ring->priv_read, copied);

	while (n < max && copied - pos >= sizeof(desc) + OHV_RING_TRAILER_SIZE) {
		memcpy(&desc, p + pos, sizeof(desc));
		/*
		 * Checked against all the written data, as ohv_ring_read()
		 * does: a packet longer than that is corrupt; one that is
		 * merely longer than the copy waits for the next call.
		 */
		why = ring_desc_error(&desc, avail - pos - OHV_RING_TRAILER_SIZE);
		if (why)
			break;
		len = desc.len8 * 8U;
		if (len + OHV_RING_TRAILER_SIZE > copied - pos)
			break;
		why = ring_body_error(p + pos, &desc);
		if (why)
			break;
		pkts[n].off = pos;
		pkts[n].len = len;
		n++;
		bytes += len;
		pos += len + OHV_RING_TRAILER_SIZE;
	}
	if (n) {
		ring_evict_consumed(ring, pos);
		ring->priv_read = ring_advance(ring, ring->priv_read, pos);
		ring->stats.packets += n;
		ring->stats.bytes += bytes;
	}
	if (why) {
		ring_corrupt(ring, why);
		return n ? (int)n : -EBADMSG;
	}
	if (n)
		return (int)n;
	/*
	 * Nothing whole in the copy, so the first packet is larger than
	 * @buflen.  Say how large, from a descriptor checked again here (a
	 * copy too short to hold one never reached the loop).
	 */
	memcpy(&desc, ring->data + ring->priv_read, sizeof(desc));
	why = ring_desc_error(&desc, avail - OHV_RING_TRAILER_SIZE);
	if (why)
		return ring_corrupt(ring, why);
	pkts[0].len = desc.len8 * 8U;
	pkts[0].off = 0;
	return -ENOBUFS;
}
EXPORT_SYMBOL_GPL(ohv_ring_read_batch);

bool ohv_ring_read_commit(struct ohv_ring *ring)
{
	u32 freed, pending, write, free_now, free_before;

	if (ring->broken || ring->priv_read == ring->pub_read)
		return false;

	freed = ring_used(ring, ring->pub_read, ring->priv_read);
	ring->pub_read = ring->priv_read;
	/*
	 * Release: our copies out of the ring are complete before the
	 * writer may reuse that space.
	 */
	virt_store_release(&ring->hdr->read_index, ring->priv_read);
	/*
	 * Full barrier: publish read_index before sampling pending_send_sz.
	 * Pairs with ohv_ring_wait_space_begin(): either the writer sees the
	 * space we freed, or we see its request and signal it.
	 */
	virt_mb();

	if (!(READ_ONCE(ring->hdr->feature_bits) & OHV_RING_FEAT_PENDING_SEND_SZ))
		return false;
	pending = READ_ONCE(ring->hdr->pending_send_sz);
	if (!pending)
		return false;
	if (ring_peer_write_index(ring, &write))
		return false;

	/*
	 * Signal only when this commit crossed the threshold.  If enough
	 * space was free before it, the writer was signalled then, or never
	 * had to wait.
	 */
	free_now = ring->size - ring_used(ring, ring->priv_read, write);
	free_before = free_now > freed ? free_now - freed : 0;
	if (free_now <= pending || free_before > pending)
		return false;
	ring->stats.signals++;
	return true;
}
EXPORT_SYMBOL_GPL(ohv_ring_read_commit);

void ohv_ring_mask_interrupts(struct ohv_ring *ring)
{
	WRITE_ONCE(ring->hdr->interrupt_mask, 1);
	/* Make the mask visible before we start polling write_index. */
	virt_mb();
}
EXPORT_SYMBOL_GPL(ohv_ring_mask_interrupts);

u32 ohv_ring_unmask_interrupts(struct ohv_ring *ring)
{
	WRITE_ONCE(ring->hdr->interrupt_mask, 0);
	/*
	 * Full barrier: the cleared mask must be visible before we look for
	 * data.  Pairs with ring_need_signal(): a packet written while we
	 * were masked is either seen here or signalled by its writer.
	 */
	virt_mb();
	return ohv_ring_bytes_to_read(ring);
}
EXPORT_SYMBOL_GPL(ohv_ring_unmask_interrupts);
