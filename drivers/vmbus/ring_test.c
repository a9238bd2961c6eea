// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the VMBus ring buffer.
 *
 * Every test builds a real ring (header page + data pages, data mapped
 * twice with ohv_ring_map()) and looks at it through two views: the
 * writer's and the reader's, as the two ends of a channel would.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include <ohv/ring.h>

/* One ring in kernel memory and both of its ends. */
struct ring_pair {
	struct page **pages;		/* header page, then data pages */
	unsigned int nr_pages;		/* entries in @pages */
	struct ohv_ring_header *hdr;	/* mapping from ohv_ring_map() */
	u8 *data;			/* data area (mapped twice) */
	u32 size;			/* bytes in the data area */
	struct ohv_ring w;		/* the writer's view */
	struct ohv_ring r;		/* the reader's view */
};

static void ring_pair_free(struct ring_pair *p)
{
	unsigned int i;

	if (p->hdr)
		ohv_ring_unmap(p->hdr);
	for (i = 0; p->pages && i < p->nr_pages; i++)
		if (p->pages[i])
			__free_page(p->pages[i]);
	kfree(p->pages);
	kfree(p);
}

/* Reset the header and attach both views with both indices at @start. */
static void ring_pair_attach(struct kunit *test, struct ring_pair *p, u32 start)
{
	ohv_ring_header_reset(p->hdr);
	p->hdr->write_index = start;
	p->hdr->read_index = start;
	KUNIT_ASSERT_EQ(test, ohv_ring_init(&p->w, p->hdr, p->data, p->size), 0);
	KUNIT_ASSERT_EQ(test, ohv_ring_init(&p->r, p->hdr, p->data, p->size), 0);
}

static struct ring_pair *ring_pair_create(struct kunit *test,
					  unsigned int data_pages)
{
	struct ring_pair *p = kzalloc(sizeof(*p), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	test->priv = p;
	p->nr_pages = data_pages + 1;
	p->pages = kcalloc(p->nr_pages, sizeof(*p->pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p->pages);
	for (i = 0; i < p->nr_pages; i++) {
		p->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, p->pages[i]);
	}
	p->hdr = ohv_ring_map(p->pages, p->nr_pages);
	KUNIT_ASSERT_NOT_NULL(test, p->hdr);
	p->data = (u8 *)p->hdr + OHV_HV_PAGE_SIZE;
	p->size = data_pages * OHV_HV_PAGE_SIZE;
	ring_pair_attach(test, p, 0);
	return p;
}

static void vmbus_ring_exit(struct kunit *test)
{
	if (test->priv)
		ring_pair_free(test->priv);
}

static void fill_payload(u8 *buf, u32 len, u64 seq)
{
	u32 i;

	for (i = 0; i < len; i++)
		buf[i] = (u8)(seq * 31 + i * 7);
}

static bool payload_ok(const u8 *buf, u32 len, u64 seq)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (buf[i] != (u8)(seq * 31 + i * 7))
			return false;
	return true;
}

/* Send an in-band packet of @len payload bytes; returns the errno. */
static int ring_send(struct ring_pair *p, u32 len, u64 seq, bool *signal)
{
	static u8 payload[4096];
	bool dummy;

	fill_payload(payload, len, seq);
	return ohv_ring_send(&p->w, OHV_VMPKT_DATA_INBAND, 0, seq, payload, len,
			     signal ? signal : &dummy);
}

/* Receive one packet and check it is the one ring_send(@len, @seq) sent. */
static void ring_expect_packet(struct kunit *test, struct ring_pair *p,
			       u32 len, u64 seq)
{
	static u8 buf[4096 + 64];
	const struct ohv_vmpacket_desc *d = (const void *)buf;
	u32 pktlen;

	KUNIT_ASSERT_EQ(test, ohv_ring_read(&p->r, buf, sizeof(buf), &pktlen), 0);
	KUNIT_EXPECT_EQ(test, pktlen, ALIGN(16 + len, 8));
	KUNIT_EXPECT_EQ(test, d->trans_id, seq);
	KUNIT_EXPECT_EQ(test, (u32)d->type, (u32)OHV_VMPKT_DATA_INBAND);
	KUNIT_EXPECT_TRUE(test, payload_ok(ohv_vmpacket_payload(buf), len, seq));
}

/* ---------------------------------------------------------------------
 * Capacity and layout
 * ---------------------------------------------------------------------
 */

static void ring_empty_read_would_block(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);
	u8 buf[64];
	u32 len;

	KUNIT_EXPECT_EQ(test, ohv_ring_read(&p->r, buf, sizeof(buf), &len), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ohv_ring_bytes_to_read(&p->r), 0U);
	KUNIT_EXPECT_EQ(test, ohv_ring_bytes_to_write(&p->w), p->size);
	KUNIT_EXPECT_FALSE(test, p->r.broken);
}

/* A typed read takes only its type, and leaves any other packet queued. */
static void ring_typed_read_leaves_other_types(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);
	const struct ohv_vmpacket_desc *d;
	static u8 payload[16], buf[256];
	u32 len;
	bool sig;

	d = (const void *)buf;
	KUNIT_EXPECT_EQ(test, ohv_ring_read_type(&p->r, OHV_VMPKT_COMP, buf,
						 sizeof(buf), &len), -EAGAIN);
	KUNIT_ASSERT_EQ(test, ohv_ring_send(&p->w, OHV_VMPKT_COMP, 0, 1,
					    payload, 8, &sig), 0);
	KUNIT_ASSERT_EQ(test, ring_send(p, 24, 2, NULL), 0);
	KUNIT_ASSERT_EQ(test, ohv_ring_send(&p->w, OHV_VMPKT_COMP, 0, 3,
					    payload, 8, &sig), 0);
	/* Another type first: refused, whatever the room. */
	KUNIT_EXPECT_EQ(test, ohv_ring_read_type(&p->r, OHV_VMPKT_DATA_INBAND,
						 buf, 8, &len), -ENOMSG);
	KUNIT_ASSERT_EQ(test, ohv_ring_read_type(&p->r, OHV_VMPKT_COMP, buf,
						 sizeof(buf), &len), 0);
	KUNIT_EXPECT_EQ(test, d->trans_id, 1ULL);
	KUNIT_EXPECT_EQ(test, len, 24U);
	KUNIT_EXPECT_EQ(test, ohv_ring_read_type(&p->r, OHV_VMPKT_COMP, buf,
						 sizeof(buf), &len), -ENOMSG);
	KUNIT_EXPECT_EQ(test, ohv_ring_read_type(&p->r, OHV_VMPKT_COMP, buf,
						 sizeof(buf), &len), -ENOMSG);
	ring_expect_packet(test, p, 24, 2);
	/* Too small: the packet stays, as with ohv_ring_read(). */
	KUNIT_EXPECT_EQ(test, ohv_ring_read_type(&p->r, OHV_VMPKT_COMP, buf,
						 16, &len), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, len, 24U);
	KUNIT_ASSERT_EQ(test, ohv_ring_read_type(&p->r, OHV_VMPKT_COMP, buf,
						 sizeof(buf), &len), 0);
	KUNIT_EXPECT_EQ(test, d->trans_id, 3ULL);
	ohv_ring_read_commit(&p->r);
	KUNIT_EXPECT_EQ(test, ohv_ring_read_type(&p->r, OHV_VMPKT_COMP, buf,
						 sizeof(buf), &len), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ohv_ring_bytes_to_read(&p->r), 0U);
	KUNIT_EXPECT_FALSE(test, p->r.broken);
}

/* The writer needs strictly more free bytes than it writes. */
static void ring_refuses_write_that_would_fill_it_exactly(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);

	/* Packet 1016 + trailer 8: 3072 bytes stay free. */
	KUNIT_ASSERT_EQ(test, ring_send(p, 1000, 1, NULL), 0);
	KUNIT_ASSERT_EQ(test, ohv_ring_bytes_to_write(&p->w), 3072U);
	/* 3048 + 16 + 8 == 3072: would fill the ring exactly. */
	KUNIT_EXPECT_EQ(test, ring_send(p, 3048, 2, NULL), -EAGAIN);
	KUNIT_EXPECT_EQ(test, p->w.stats.full, 1ULL);
	/* Eight bytes less fits, and leaves exactly 8 bytes free. */
	KUNIT_EXPECT_EQ(test, ring_send(p, 3040, 3, NULL), 0);
	KUNIT_EXPECT_EQ(test, ohv_ring_bytes_to_write(&p->w), 8U);
	KUNIT_EXPECT_EQ(test, ring_send(p, 0, 4, NULL), -EAGAIN);

	ring_expect_packet(test, p, 1000, 1);
	ring_expect_packet(test, p, 3040, 3);
	ohv_ring_read_commit(&p->r);
	KUNIT_EXPECT_EQ(test, ohv_ring_bytes_to_write(&p->w), p->size);
}

/* A packet can never be as large as the ring. */
static void ring_rejects_packet_larger_than_ring(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);

	/* 4072 + 16 + 8 == 4096 */
	KUNIT_EXPECT_EQ(test, ring_send(p, 4072, 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ring_send(p, 4064, 1, NULL), 0);
	KUNIT_EXPECT_FALSE(test, p->w.broken);
}

/*
 * Start the ring at every 8-byte position so each packet (and separately
 * each trailer) wraps at every possible point.
 */
static void ring_wraps_at_every_alignment(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);
	u32 start, pktlen = ALIGN(16 + 1001, 8);
	u64 trailer;

	for (start = 0; start < p->size; start += 8) {
		ring_pair_attach(test, p, start);
		KUNIT_ASSERT_EQ(test, ring_send(p, 1001, start, NULL), 0);
		memcpy(&trailer, p->data + start + pktlen, sizeof(trailer));
		KUNIT_EXPECT_EQ(test, trailer, (u64)start << 32);
		ring_expect_packet(test, p, 1001, start);
		ohv_ring_read_commit(&p->r);
		KUNIT_ASSERT_EQ(test, p->hdr->read_index,
				(start + pktlen + 8) % p->size);
		KUNIT_ASSERT_EQ(test, p->hdr->write_index, p->hdr->read_index);
	}
}

static void ring_carries_smallest_and_largest_packets(struct kunit *test)
{
	/* 129 data pages: room for a 0xffff * 8 byte packet and its trailer. */
	struct ring_pair *p = ring_pair_create(test, 129);
	u32 max_payload = OHV_RING_MAX_PACKET - 16, pktlen;
	u8 *buf = kvmalloc(OHV_RING_MAX_PACKET, GFP_KERNEL);
	bool signal;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* Smallest: a descriptor and nothing else. */
	KUNIT_EXPECT_EQ(test, ohv_ring_send(&p->w, OHV_VMPKT_COMP, 0, 9, NULL, 0,
					    &signal), 0);
	KUNIT_EXPECT_EQ(test, ohv_ring_read(&p->r, buf, 16, &pktlen), 0);
	KUNIT_EXPECT_EQ(test, pktlen, 16U);
	KUNIT_EXPECT_EQ(test, ohv_vmpacket_payload_len(buf), 0U);

	/* Largest: len8 == 0xffff. */
	fill_payload(buf, max_payload, 77);
	KUNIT_EXPECT_EQ(test, ohv_ring_send(&p->w, OHV_VMPKT_DATA_INBAND, 0, 77,
					    buf, max_payload, &signal), 0);
	KUNIT_EXPECT_EQ(test, ohv_ring_send(&p->w, OHV_VMPKT_DATA_INBAND, 0, 78,
					    buf, max_payload + 1, &signal), -EINVAL);
	memset(buf, 0, OHV_RING_MAX_PACKET);
	/* Too small a buffer leaves the packet where it is. */
	KUNIT_EXPECT_EQ(test, ohv_ring_read(&p->r, buf, 4096, &pktlen), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, pktlen, OHV_RING_MAX_PACKET);
	KUNIT_EXPECT_EQ(test, ohv_ring_read(&p->r, buf, OHV_RING_MAX_PACKET, &pktlen), 0);
	KUNIT_EXPECT_EQ(test, pktlen, OHV_RING_MAX_PACKET);
	KUNIT_EXPECT_TRUE(test, payload_ok(buf + 16, max_payload, 77));
	kvfree(buf);
}

/* ---------------------------------------------------------------------
 * Signalling: interrupt_mask and pending_send_sz
 * ---------------------------------------------------------------------
 */

static void ring_signals_only_when_empty_and_unmasked(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);
	bool signal;

	/* empty, unmasked: signal */
	KUNIT_ASSERT_EQ(test, ring_send(p, 8, 1, &signal), 0);
	KUNIT_EXPECT_TRUE(test, signal);
	/* not empty: the reader will get to it anyway */
	KUNIT_ASSERT_EQ(test, ring_send(p, 8, 2, &signal), 0);
	KUNIT_EXPECT_FALSE(test, signal);
	/* read but not yet committed: still not empty for the writer */
	ring_expect_packet(test, p, 8, 1);
	ring_expect_packet(test, p, 8, 2);
	KUNIT_ASSERT_EQ(test, ring_send(p, 8, 3, &signal), 0);
	KUNIT_EXPECT_FALSE(test, signal);
	ring_expect_packet(test, p, 8, 3);
	ohv_ring_read_commit(&p->r);
	/* empty again: signal */
	KUNIT_ASSERT_EQ(test, ring_send(p, 8, 4, &signal), 0);
	KUNIT_EXPECT_TRUE(test, signal);
	ring_expect_packet(test, p, 8, 4);
	ohv_ring_read_commit(&p->r);
	/* empty but masked: the reader is polling, no signal */
	ohv_ring_mask_interrupts(&p->r);
	KUNIT_ASSERT_EQ(test, ring_send(p, 8, 5, &signal), 0);
	KUNIT_EXPECT_FALSE(test, signal);
	/* unmasking reports what arrived meanwhile */
	KUNIT_EXPECT_EQ(test, ohv_ring_unmask_interrupts(&p->r), 32U);
	ring_expect_packet(test, p, 8, 5);
	ohv_ring_read_commit(&p->r);
	KUNIT_EXPECT_EQ(test, ohv_ring_unmask_interrupts(&p->r), 0U);
	KUNIT_EXPECT_EQ(test, p->w.stats.signals, 2ULL);
}

/* Fill a 4 KiB ring with 8 packets of 512 bytes (504 + trailer 8). */
static void ring_fill_with_eight(struct kunit *test, struct ring_pair *p)
{
	u64 i;

	for (i = 0; i < 7; i++)
		KUNIT_ASSERT_EQ(test, ring_send(p, 488, i, NULL), 0);
	/* The 8th would fill the ring exactly. */
	KUNIT_ASSERT_EQ(test, ring_send(p, 488, 7, NULL), -EAGAIN);
}

static void ring_reader_signals_when_free_space_crosses_pending(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);

	ring_fill_with_eight(test, p);
	/* Free: 512.  A 1000-byte packet needs more than 1024. */
	KUNIT_EXPECT_FALSE(test, ohv_ring_wait_space_begin(&p->w, 16 + 1000));
	KUNIT_EXPECT_EQ(test, p->hdr->pending_send_sz, 1024U);

	/* Free 1024 after this commit: not strictly more, no signal. */
	ring_expect_packet(test, p, 488, 0);
	KUNIT_EXPECT_FALSE(test, ohv_ring_read_commit(&p->r));
	/* Free 1536: crossed, signal. */
	ring_expect_packet(test, p, 488, 1);
	KUNIT_EXPECT_TRUE(test, ohv_ring_read_commit(&p->r));
	/* Free 2048: was already above, no second signal. */
	ring_expect_packet(test, p, 488, 2);
	KUNIT_EXPECT_FALSE(test, ohv_ring_read_commit(&p->r));

	KUNIT_EXPECT_TRUE(test, ohv_ring_wait_space_begin(&p->w, 16 + 1000));
	KUNIT_EXPECT_EQ(test, ring_send(p, 1000, 8, NULL), 0);
	ohv_ring_wait_space_end(&p->w);
	KUNIT_EXPECT_EQ(test, p->hdr->pending_send_sz, 0U);
	/* Nobody waiting: no signal. */
	ring_expect_packet(test, p, 488, 3);
	KUNIT_EXPECT_FALSE(test, ohv_ring_read_commit(&p->r));
}

static void ring_reader_signals_once_for_a_batch(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);

	ring_fill_with_eight(test, p);
	KUNIT_EXPECT_FALSE(test, ohv_ring_wait_space_begin(&p->w, 16 + 1000));
	/* Three packets read, one commit: 512 -> 2048 crosses 1024. */
	ring_expect_packet(test, p, 488, 0);
	ring_expect_packet(test, p, 488, 1);
	ring_expect_packet(test, p, 488, 2);
	KUNIT_EXPECT_TRUE(test, ohv_ring_read_commit(&p->r));
	/* Nothing new read: nothing to publish, no signal. */
	KUNIT_EXPECT_FALSE(test, ohv_ring_read_commit(&p->r));
}

/* pending_send_sz only counts when the ring advertises support for it. */
/* Queued packets are published, and signalled for, once per flush. */
static void ring_batched_write_and_read(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 2);
	struct ohv_ring_pkt pkts[8];
	static u8 payload[512], buf[8192];
	const struct ohv_vmpacket_desc *d;
	u64 seq;
	int n, i;

	for (seq = 0; seq < 5; seq++) {
		fill_payload(payload, seq * 50, seq);
		KUNIT_ASSERT_EQ(test, ohv_ring_queue_send(&p->w, OHV_VMPKT_DATA_INBAND,
							  0, seq, payload, seq * 50), 0);
	}
	/* nothing visible before the flush */
	KUNIT_EXPECT_EQ(test, ohv_ring_bytes_to_read(&p->r), 0U);
	KUNIT_EXPECT_TRUE(test, ohv_ring_flush(&p->w));
	KUNIT_EXPECT_FALSE(test, ohv_ring_flush(&p->w));
	/* a second batch while the first is unread: no signal */
	fill_payload(payload, 250, 5);
	KUNIT_ASSERT_EQ(test, ohv_ring_queue_send(&p->w, OHV_VMPKT_DATA_INBAND,
						  0, 5, payload, 250), 0);
	KUNIT_EXPECT_FALSE(test, ohv_ring_flush(&p->w));
	KUNIT_EXPECT_EQ(test, p->w.stats.signals, 1ULL);

	n = ohv_ring_read_batch(&p->r, buf, sizeof(buf), pkts, ARRAY_SIZE(pkts));
	KUNIT_ASSERT_EQ(test, n, 6);
	for (i = 0; i < n; i++) {
		d = (const void *)(buf + pkts[i].off);
		KUNIT_EXPECT_EQ(test, d->trans_id, (u64)i);
		KUNIT_EXPECT_EQ(test, pkts[i].len, ALIGN(16 + i * 50, 8));
		KUNIT_EXPECT_TRUE(test, payload_ok(ohv_vmpacket_payload(d),
						   i * 50, i));
	}
	KUNIT_EXPECT_EQ(test, ohv_ring_read_batch(&p->r, buf, sizeof(buf), pkts,
						  ARRAY_SIZE(pkts)), -EAGAIN);
	ohv_ring_read_commit(&p->r);
	KUNIT_EXPECT_EQ(test, p->hdr->read_index, p->hdr->write_index);
}

static void ring_ignores_pending_without_feature_bit(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);

	p->hdr->feature_bits = 0;
	ring_fill_with_eight(test, p);
	KUNIT_EXPECT_FALSE(test, ohv_ring_wait_space_begin(&p->w, 16 + 1000));
	ring_expect_packet(test, p, 488, 0);
	ring_expect_packet(test, p, 488, 1);
	KUNIT_EXPECT_FALSE(test, ohv_ring_read_commit(&p->r));
}

/* ---------------------------------------------------------------------
 * Corruption: one field at a time, each must break the ring cleanly
 * ---------------------------------------------------------------------
 */

/* Put one packet made of @words at the start of an empty ring. */
static void ring_put_raw(struct kunit *test, struct ring_pair *p,
			 const u64 *words, u32 nr_words)
{
	struct ohv_ring_buf buf = { .base = words, .len = nr_words * 8 };
	bool signal;

	ring_pair_attach(test, p, 0);
	KUNIT_ASSERT_EQ(test, ohv_ring_write(&p->w, &buf, 1, &signal), 0);
}

/* The reader must find the ring corrupt now and refuse all later I/O. */
static void ring_expect_broken(struct kunit *test, struct ring_pair *p,
			       const char *what)
{
	u8 buf[256];
	u32 len;
	bool signal;

	KUNIT_EXPECT_EQ_MSG(test, ohv_ring_read(&p->r, buf, sizeof(buf), &len),
			    -EBADMSG, "%s", what);
	KUNIT_EXPECT_TRUE_MSG(test, p->r.broken, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, p->r.stats.corrupt, 1ULL, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, ohv_ring_read(&p->r, buf, sizeof(buf), &len),
			    -EPIPE, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, ohv_ring_send(&p->r, OHV_VMPKT_DATA_INBAND, 0, 0,
						NULL, 0, &signal), -EPIPE, "%s", what);
	KUNIT_EXPECT_FALSE(test, ohv_ring_read_commit(&p->r));
}

/* Descriptor of an in-band packet of 4 words (payload at word 2). */
#define INBAND_DESC(type, off8, len8) \
	((u64)(type) | (u64)(off8) << 16 | (u64)(len8) << 32)

static void ring_breaks_on_each_corrupt_descriptor_field(struct kunit *test)
{
	static const struct {
		const char *what;	/* which field is wrong */
		u64 desc;		/* first word of the packet */
	} cases[] = {
		{ "type 0", INBAND_DESC(0, 2, 4) },
		{ "type past the last", INBAND_DESC(OHV_VMPKT_TYPE_MAX + 1, 2, 4) },
		{ "offset8 inside the descriptor", INBAND_DESC(6, 1, 4) },
		{ "offset8 zero", INBAND_DESC(6, 0, 4) },
		{ "offset8 beyond len8", INBAND_DESC(6, 5, 4) },
		{ "len8 zero", INBAND_DESC(6, 2, 0) },
		{ "len8 beyond written data", INBAND_DESC(6, 2, 5) },
		{ "len8 beyond the ring", INBAND_DESC(6, 2, 0xffff) },
	};
	struct ring_pair *p = ring_pair_create(test, 1);
	u64 words[4] = { INBAND_DESC(6, 2, 4), 1, 2, 3 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ring_put_raw(test, p, words, 4);
		/* The peer rewrites the descriptor in shared memory. */
		memcpy(p->data, &cases[i].desc, sizeof(u64));
		ring_expect_broken(test, p, cases[i].what);
	}
}

static void ring_breaks_on_corrupt_write_index(struct kunit *test)
{
	static const struct {
		const char *what;	/* what is wrong with write_index */
		u32 write_index;	/* value the peer stores */
	} cases[] = {
		{ "write_index unaligned", 36 },
		{ "write_index past the ring", 4096 },
		{ "write_index far past the ring", 0xfffffff8 },
		{ "partial packet", 16 },
	};
	struct ring_pair *p = ring_pair_create(test, 1);
	u64 words[4] = { INBAND_DESC(6, 2, 4), 1, 2, 3 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ring_put_raw(test, p, words, 4);
		p->hdr->write_index = cases[i].write_index;
		ring_expect_broken(test, p, cases[i].what);
	}
}

static void ring_writer_breaks_on_corrupt_read_index(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);

	/* A full ring: the next write has to look at read_index. */
	ring_fill_with_eight(test, p);
	p->hdr->read_index = 4100;
	KUNIT_EXPECT_EQ(test, ring_send(p, 488, 8, NULL), -EBADMSG);
	KUNIT_EXPECT_TRUE(test, p->w.broken);
	p->hdr->read_index = 0;
	KUNIT_EXPECT_EQ(test, ring_send(p, 8, 9, NULL), -EPIPE);
	KUNIT_EXPECT_EQ(test, ohv_ring_bytes_to_write(&p->w), 0U);
}

/* Transfer-page packet: header (3 words), @ranges ranges, payload. */
static void ring_breaks_on_inconsistent_xfer_page_ranges(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);
	/* desc (off8 5, len8 6), pageset 1, range_cnt 2, 2 ranges, payload */
	u64 words[6] = { INBAND_DESC(OHV_VMPKT_DATA_USING_XFER_PAGES, 5, 6),
			 0, 1ULL | 2ULL << 32, 100, 200, 0xabcd };
	u8 buf[64];
	u32 len;

	ring_put_raw(test, p, words, 6);
	KUNIT_ASSERT_EQ(test, ohv_ring_read(&p->r, buf, sizeof(buf), &len), 0);

	/* range_cnt 3 does not fit before the payload */
	words[2] = 1ULL | 3ULL << 32;
	ring_put_raw(test, p, words, 6);
	ring_expect_broken(test, p, "xfer range_cnt too large");

	words[2] = 1ULL;
	ring_put_raw(test, p, words, 6);
	ring_expect_broken(test, p, "xfer range_cnt zero");

	/* header cut short by offset8 */
	words[0] = INBAND_DESC(OHV_VMPKT_DATA_USING_XFER_PAGES, 2, 6);
	words[2] = 1ULL | 1ULL << 32;
	ring_put_raw(test, p, words, 6);
	ring_expect_broken(test, p, "xfer header truncated");
}

static void ring_breaks_on_inconsistent_gpa_direct_ranges(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 1);
	/*
	 * desc (off8 6, len8 7), range_cnt 1, range { 5000 bytes at 100 }
	 * with its 2 PFNs, payload.
	 */
	u64 words[7] = { INBAND_DESC(OHV_VMPKT_DATA_USING_GPA_DIRECT, 6, 7),
			 0, 1ULL << 32, 5000ULL | 100ULL << 32, 10, 11, 0x55 };
	u8 buf[64];
	u32 len;

	ring_put_raw(test, p, words, 7);
	KUNIT_ASSERT_EQ(test, ohv_ring_read(&p->r, buf, sizeof(buf), &len), 0);

	words[2] = 2ULL << 32;
	ring_put_raw(test, p, words, 7);
	ring_expect_broken(test, p, "gpa range_cnt too large");

	words[2] = 1ULL << 32;
	words[3] = 9000ULL | 100ULL << 32;	/* needs 3 PFNs */
	ring_put_raw(test, p, words, 7);
	ring_expect_broken(test, p, "gpa PFNs past the header");

	words[3] = 5000ULL | 4096ULL << 32;
	ring_put_raw(test, p, words, 7);
	ring_expect_broken(test, p, "gpa byte_offset past the page");

	words[3] = 0;
	ring_put_raw(test, p, words, 7);
	ring_expect_broken(test, p, "gpa byte_count zero");

	words[2] = 0;
	words[3] = 5000ULL | 100ULL << 32;
	ring_put_raw(test, p, words, 7);
	ring_expect_broken(test, p, "gpa range_cnt zero");
}

/* ---------------------------------------------------------------------
 * Two CPUs, one million packets
 * ---------------------------------------------------------------------
 */

#define STREAM_PACKETS		1000000ULL
#define STREAM_MAX_PAYLOAD	240

/* A producer and a consumer kthread sharing one ring. */
struct ring_stream {
	struct ring_pair *p;		/* the ring */
	wait_queue_head_t data_wq;	/* consumer sleeps here */
	wait_queue_head_t space_wq;	/* producer sleeps here */
	atomic_t data_signals;		/* writer -> reader signals */
	atomic_t space_signals;		/* reader -> writer signals */
	u8 pattern[512];		/* payload of packet n: pattern + n % 256 */
	struct completion done[2];	/* producer, consumer finished */
	u64 received;			/* packets verified */
	u64 bad;			/* packets with wrong contents */
	u64 lost_wakeups;		/* waits that no signal ended */
	int error;			/* first unexpected errno */
};

static u32 stream_len(u64 seq)
{
	return (seq * 7) % (STREAM_MAX_PAYLOAD + 1);
}

static const u8 *stream_payload(struct ring_stream *s, u64 seq)
{
	return s->pattern + seq % 256;
}

/* Sleep until @counter moves past @seen; false if no signal came. */
static bool stream_wait(wait_queue_head_t *wq, atomic_t *counter, int seen)
{
	return wait_event_timeout(*wq, atomic_read(counter) != seen, 10 * HZ);
}

static int stream_producer(void *arg)
{
	struct ring_stream *s = arg;
	bool signal, waiting;
	u64 seq;
	int ret = 0, seen;

	for (seq = 0; seq < STREAM_PACKETS && !READ_ONCE(s->error); seq++) {
		u32 len = stream_len(seq);

		waiting = false;
		for (;;) {
			ret = ohv_ring_send(&s->p->w, OHV_VMPKT_DATA_INBAND, 0,
					    seq, stream_payload(s, seq), len, &signal);
			if (ret != -EAGAIN)
				break;
			seen = atomic_read(&s->space_signals);
			waiting = true;
			if (ohv_ring_wait_space_begin(&s->p->w, 16 + len))
				continue;
			if (!stream_wait(&s->space_wq, &s->space_signals, seen))
				s->lost_wakeups++;
			if (READ_ONCE(s->error))
				break;
		}
		if (waiting)
			ohv_ring_wait_space_end(&s->p->w);
		if (ret) {
			WRITE_ONCE(s->error, ret);
			break;
		}
		if (signal) {
			atomic_inc(&s->data_signals);
			wake_up(&s->data_wq);
		}
	}
	complete(&s->done[0]);
	return 0;
}

static int stream_consumer(void *arg)
{
	struct ring_stream *s = arg;
	u8 buf[16 + STREAM_MAX_PAYLOAD + 8];
	const struct ohv_vmpacket_desc *d = (const void *)buf;
	u32 pktlen;
	int ret, seen;

	while (s->received < STREAM_PACKETS && !READ_ONCE(s->error)) {
		ohv_ring_mask_interrupts(&s->p->r);
		while ((ret = ohv_ring_read(&s->p->r, buf, sizeof(buf), &pktlen)) == 0) {
			u64 seq = s->received;

			if (d->trans_id != seq ||
			    ohv_vmpacket_payload_len(buf) != ALIGN(stream_len(seq), 8) ||
			    memcmp(ohv_vmpacket_payload(buf), stream_payload(s, seq),
				   stream_len(seq)))
				s->bad++;
			s->received++;
		}
		if (ret != -EAGAIN) {
			WRITE_ONCE(s->error, ret);
			break;
		}
		if (ohv_ring_read_commit(&s->p->r)) {
			atomic_inc(&s->space_signals);
			wake_up(&s->space_wq);
		}
		seen = atomic_read(&s->data_signals);
		if (ohv_ring_unmask_interrupts(&s->p->r) || s->received == STREAM_PACKETS)
			continue;
		if (!stream_wait(&s->data_wq, &s->data_signals, seen))
			s->lost_wakeups++;
	}
	complete(&s->done[1]);
	return 0;
}

static void ring_streams_a_million_packets_between_two_cpus(struct kunit *test)
{
	struct ring_pair *p = ring_pair_create(test, 16);
	struct task_struct *t[2];
	struct ring_stream *s;
	unsigned int cpu0, cpu1;
	ktime_t start;
	s64 ms;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	cpu0 = cpumask_first(cpu_online_mask);
	cpu1 = cpumask_next(cpu0, cpu_online_mask);

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->p = p;
	fill_payload(s->pattern, sizeof(s->pattern), 5);
	init_waitqueue_head(&s->data_wq);
	init_waitqueue_head(&s->space_wq);
	init_completion(&s->done[0]);
	init_completion(&s->done[1]);

	t[0] = kthread_create(stream_producer, s, "ohv_ring_prod");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t[0]));
	t[1] = kthread_create(stream_consumer, s, "ohv_ring_cons");
	if (IS_ERR(t[1])) {
		kthread_stop(t[0]);
		KUNIT_FAIL(test, "kthread_create failed");
		return;
	}
	kthread_bind(t[0], cpu0);
	kthread_bind(t[1], cpu1);

	start = ktime_get();
	wake_up_process(t[0]);
	wake_up_process(t[1]);
	wait_for_completion(&s->done[0]);
	wait_for_completion(&s->done[1]);
	ms = ktime_ms_delta(ktime_get(), start);

	kunit_info(test, "%llu packets in %lld ms, %llu+%llu signals, %llu full\n",
		   s->received, ms, p->w.stats.signals, p->r.stats.signals,
		   p->w.stats.full);
	KUNIT_EXPECT_EQ(test, s->error, 0);
	KUNIT_EXPECT_EQ(test, s->received, STREAM_PACKETS);
	KUNIT_EXPECT_EQ(test, s->bad, 0ULL);
	KUNIT_EXPECT_EQ(test, s->lost_wakeups, 0ULL);
	KUNIT_EXPECT_FALSE(test, p->r.broken || p->w.broken);
}

static struct kunit_case vmbus_ring_cases[] = {
	KUNIT_CASE(ring_empty_read_would_block),
	KUNIT_CASE(ring_typed_read_leaves_other_types),
	KUNIT_CASE(ring_refuses_write_that_would_fill_it_exactly),
	KUNIT_CASE(ring_rejects_packet_larger_than_ring),
	KUNIT_CASE(ring_wraps_at_every_alignment),
	KUNIT_CASE(ring_carries_smallest_and_largest_packets),
	KUNIT_CASE(ring_signals_only_when_empty_and_unmasked),
	KUNIT_CASE(ring_reader_signals_when_free_space_crosses_pending),
	KUNIT_CASE(ring_reader_signals_once_for_a_batch),
	KUNIT_CASE(ring_batched_write_and_read),
	KUNIT_CASE(ring_ignores_pending_without_feature_bit),
	KUNIT_CASE(ring_breaks_on_each_corrupt_descriptor_field),
	KUNIT_CASE(ring_breaks_on_corrupt_write_index),
	KUNIT_CASE(ring_writer_breaks_on_corrupt_read_index),
	KUNIT_CASE(ring_breaks_on_inconsistent_xfer_page_ranges),
	KUNIT_CASE(ring_breaks_on_inconsistent_gpa_direct_ranges),
	KUNIT_CASE(ring_streams_a_million_packets_between_two_cpus),
	{}
};

static struct kunit_suite vmbus_ring_suite = {
	.name = "vmbus_ring",
	.exit = vmbus_ring_exit,
	.test_cases = vmbus_ring_cases,
};

kunit_test_suite(vmbus_ring_suite);

MODULE_DESCRIPTION("KUnit tests for the ohv VMBus core");
MODULE_LICENSE("GPL");
