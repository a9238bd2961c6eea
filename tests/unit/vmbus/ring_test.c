// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus ring buffer, in user space, on a memfd double mapping.
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "ring_map_user.h"

#include "kselftest_harness.h"

FIXTURE(ring) {
	struct ohv_ring_mem mem;	/* one 4 KiB data area */
	struct ohv_ring w;		/* writer's view */
	struct ohv_ring r;		/* reader's view */
};

/* Reset @mem and attach both views with both indices at @start. */
static int attach(struct ohv_ring_mem *mem, struct ohv_ring *w,
		  struct ohv_ring *r, u32 start)
{
	ohv_ring_header_reset(mem->hdr);
	mem->hdr->write_index = start;
	mem->hdr->read_index = start;
	return ohv_ring_init(w, mem->hdr, mem->data, mem->size) ?:
	       ohv_ring_init(r, mem->hdr, mem->data, mem->size);
}

FIXTURE_SETUP(ring)
{
	ASSERT_EQ(0, ohv_ring_mem_create(&self->mem, 4096));
	ASSERT_EQ(0, attach(&self->mem, &self->w, &self->r, 0));
}

FIXTURE_TEARDOWN(ring)
{
	ohv_ring_mem_destroy(&self->mem);
}

static int send_seq(struct ohv_ring *w, u32 len, u64 seq, bool *signal)
{
	u8 payload[4096];
	u32 i;

	for (i = 0; i < len; i++)
		payload[i] = (u8)(seq + i);
	return ohv_ring_send(w, OHV_VMPKT_DATA_INBAND, 0, seq, payload, len,
			     signal);
}

static bool recv_seq(struct ohv_ring *r, u32 len, u64 seq)
{
	u8 buf[4096 + 32];
	const struct ohv_vmpacket_desc *d = (const void *)buf;
	const u8 *p;
	u32 pktlen, i;

	if (ohv_ring_read(r, buf, sizeof(buf), &pktlen) || d->trans_id != seq)
		return false;
	p = ohv_vmpacket_payload(buf);
	for (i = 0; i < len; i++)
		if (p[i] != (u8)(seq + i))
			return false;
	return true;
}

TEST_F(ring, double_mapping_aliases_the_data_area)
{
	self->mem.data[5] = 42;
	EXPECT_EQ(42, self->mem.data[self->mem.size + 5]);
}

TEST_F(ring, empty_read_would_block)
{
	u8 buf[32];
	u32 len;

	EXPECT_EQ(-EAGAIN, ohv_ring_read(&self->r, buf, sizeof(buf), &len));
	EXPECT_EQ(4096, ohv_ring_bytes_to_write(&self->w));
}

TEST_F(ring, writer_needs_strictly_more_space_than_it_writes)
{
	bool sig;

	ASSERT_EQ(0, send_seq(&self->w, 1000, 1, &sig));	/* 1024 used */
	EXPECT_EQ(-EAGAIN, send_seq(&self->w, 3048, 2, &sig));	/* 3072: exact */
	EXPECT_EQ(0, send_seq(&self->w, 3040, 3, &sig));	/* 3064 */
	EXPECT_EQ(8, ohv_ring_bytes_to_write(&self->w));
	EXPECT_TRUE(recv_seq(&self->r, 1000, 1));
	EXPECT_TRUE(recv_seq(&self->r, 3040, 3));
}

TEST_F(ring, wraps_at_every_alignment)
{
	u32 start;
	bool sig;

	for (start = 0; start < 4096; start += 8) {
		ASSERT_EQ(0, attach(&self->mem, &self->w, &self->r, start));
		ASSERT_EQ(0, send_seq(&self->w, 2001, start, &sig));
		ASSERT_TRUE(recv_seq(&self->r, 2001, start));
		ohv_ring_read_commit(&self->r);
		ASSERT_EQ((start + 2024 + 8) % 4096, self->mem.hdr->read_index);
	}
}

TEST_F(ring, signals_on_empty_to_non_empty_only_when_unmasked)
{
	bool sig;

	ASSERT_EQ(0, send_seq(&self->w, 8, 1, &sig));
	EXPECT_TRUE(sig);
	ASSERT_EQ(0, send_seq(&self->w, 8, 2, &sig));
	EXPECT_FALSE(sig);
	EXPECT_TRUE(recv_seq(&self->r, 8, 1));
	EXPECT_TRUE(recv_seq(&self->r, 8, 2));
	ohv_ring_read_commit(&self->r);
	ohv_ring_mask_interrupts(&self->r);
	ASSERT_EQ(0, send_seq(&self->w, 8, 3, &sig));
	EXPECT_FALSE(sig);
	EXPECT_EQ(32, ohv_ring_unmask_interrupts(&self->r));
}

TEST_F(ring, reader_signals_when_free_space_crosses_pending_send_sz)
{
	u64 i;
	bool sig;

	for (i = 0; i < 7; i++)
		ASSERT_EQ(0, send_seq(&self->w, 488, i, &sig));	/* 512 each */
	ASSERT_EQ(-EAGAIN, send_seq(&self->w, 1000, 7, &sig));
	EXPECT_FALSE(ohv_ring_wait_space_begin(&self->w, 1016));
	EXPECT_TRUE(recv_seq(&self->r, 488, 0));
	EXPECT_FALSE(ohv_ring_read_commit(&self->r));	/* 1024 free: not > */
	EXPECT_TRUE(recv_seq(&self->r, 488, 1));
	EXPECT_TRUE(ohv_ring_read_commit(&self->r));	/* 1536: crossed */
	EXPECT_TRUE(recv_seq(&self->r, 488, 2));
	EXPECT_FALSE(ohv_ring_read_commit(&self->r));	/* already above */
}

TEST_F(ring, corrupt_len8_breaks_the_ring_for_good)
{
	u8 buf[64];
	u32 len;
	bool sig;

	ASSERT_EQ(0, send_seq(&self->w, 8, 1, &sig));
	self->mem.data[4] = 0xff;	/* len8 low byte */
	EXPECT_EQ(-EBADMSG, ohv_ring_read(&self->r, buf, sizeof(buf), &len));
	EXPECT_STREQ("len8 beyond the written data", self->r.broken_reason);
	EXPECT_EQ(-EPIPE, ohv_ring_read(&self->r, buf, sizeof(buf), &len));
	EXPECT_EQ(1, self->r.stats.corrupt);
}

TEST_F(ring, queued_packets_stay_invisible_until_flushed)
{
	u8 buf[64];
	u32 len;

	ASSERT_EQ(0, ohv_ring_queue_send(&self->w, OHV_VMPKT_DATA_INBAND, 0, 1,
					 "abcdefgh", 8));
	ASSERT_EQ(0, ohv_ring_queue_send(&self->w, OHV_VMPKT_DATA_INBAND, 0, 2,
					 "abc", 3));
	EXPECT_EQ(0, self->mem.hdr->write_index);
	EXPECT_EQ(-EAGAIN, ohv_ring_read(&self->r, buf, sizeof(buf), &len));
	/* Two packets, one publication, one signal: the batch was empty -> non-empty. */
	EXPECT_TRUE(ohv_ring_flush(&self->w));
	EXPECT_EQ(64, self->mem.hdr->write_index);
	EXPECT_FALSE(ohv_ring_flush(&self->w));		/* nothing queued */
	/* Padding is zeroed and the trailer holds the packet's start. */
	EXPECT_EQ(0, self->mem.data[32 + 16 + 3]);
	EXPECT_EQ(32ULL << 32, *(u64 *)(self->mem.data + 32 + 24));
	EXPECT_EQ(0, ohv_ring_read(&self->r, buf, sizeof(buf), &len));
	EXPECT_EQ(24, len);
	/* Not yet caught up with the first batch: no signal for the second. */
	ASSERT_EQ(0, ohv_ring_queue_send(&self->w, OHV_VMPKT_DATA_INBAND, 0, 3,
					 NULL, 0));
	EXPECT_FALSE(ohv_ring_flush(&self->w));
	EXPECT_EQ(-EINVAL, ohv_ring_queue_send(&self->w, OHV_VMPKT_INVALID, 0,
					       4, NULL, 0));
	EXPECT_EQ(-EINVAL, ohv_ring_queue_send(&self->w, OHV_VMPKT_TYPE_MAX + 1,
					       0, 4, NULL, 0));
}

TEST_F(ring, batch_read_returns_every_packet_once)
{
	struct ohv_ring_pkt pkts[8];
	u8 buf[4096];
	const u8 *p;
	int n, i, got = 0;
	u32 j;
	bool sig;

	for (i = 0; i < 20; i++)
		ASSERT_EQ(0, send_seq(&self->w, i * 9, i, &sig));
	while (got < 20) {
		n = ohv_ring_read_batch(&self->r, buf, sizeof(buf), pkts, 8);
		ASSERT_GT(n, 0);
		ASSERT_LE(n, 8);
		for (i = 0; i < n; i++, got++) {
			p = buf + pkts[i].off;
			ASSERT_EQ(got, ((const struct ohv_vmpacket_desc *)p)->trans_id);
			ASSERT_EQ(ALIGN(16 + got * 9, 8), pkts[i].len);
			for (j = 0; j < got * 9U; j++)
				ASSERT_EQ((u8)(got + j), ((const u8 *)ohv_vmpacket_payload(p))[j]);
		}
	}
	EXPECT_EQ(-EAGAIN, ohv_ring_read_batch(&self->r, buf, sizeof(buf), pkts, 8));
	ohv_ring_read_commit(&self->r);
	EXPECT_EQ(self->mem.hdr->write_index, self->mem.hdr->read_index);
}

TEST_F(ring, batch_read_wraps_and_respects_the_buffer)
{
	struct ohv_ring_pkt pkts[4];
	u8 buf[4096];
	u32 start;
	bool sig;

	for (start = 0; start < 4096; start += 8) {
		ASSERT_EQ(0, attach(&self->mem, &self->w, &self->r, start));
		ASSERT_EQ(0, send_seq(&self->w, 1001, 1, &sig));	/* 1024 */
		ASSERT_EQ(0, send_seq(&self->w, 1001, 2, &sig));
		/* Too small for the first packet: says how much it needs. */
		ASSERT_EQ(-ENOBUFS, ohv_ring_read_batch(&self->r, buf, 100, pkts, 4));
		ASSERT_EQ(1024, pkts[0].len);
		/* Room for one and a half: one now, the other next time. */
		ASSERT_EQ(1, ohv_ring_read_batch(&self->r, buf, 1600, pkts, 4));
		ASSERT_EQ(1, ohv_ring_read_batch(&self->r, buf, 1600, pkts, 4));
		ASSERT_EQ(2, ((const struct ohv_vmpacket_desc *)buf)->trans_id);
		ohv_ring_read_commit(&self->r);
		ASSERT_EQ((start + 2 * 1032) % 4096, self->mem.hdr->read_index);
	}
}

TEST_F(ring, batch_read_keeps_good_packets_before_a_corrupt_one)
{
	struct ohv_ring_pkt pkts[8];
	u8 buf[4096];
	bool sig;

	ASSERT_EQ(0, send_seq(&self->w, 8, 1, &sig));		/* 32 bytes */
	ASSERT_EQ(0, send_seq(&self->w, 8, 2, &sig));
	self->mem.data[32] = 0x77;	/* second packet's type */
	EXPECT_EQ(1, ohv_ring_read_batch(&self->r, buf, sizeof(buf), pkts, 8));
	EXPECT_STREQ("unknown packet type", self->r.broken_reason);
	EXPECT_EQ(-EPIPE, ohv_ring_read_batch(&self->r, buf, sizeof(buf), pkts, 8));
	EXPECT_EQ(1, self->r.stats.corrupt);
}

TEST_F(ring, batch_read_rejects_a_packet_longer_than_the_data)
{
	struct ohv_ring_pkt pkts[8];
	u8 buf[64];
	bool sig;

	ASSERT_EQ(0, send_seq(&self->w, 8, 1, &sig));
	self->mem.data[4] = 0x40;	/* len8 = 64: 512 bytes, 32 written */
	/* Corrupt even though the buffer is too small to tell by copying. */
	EXPECT_EQ(-EBADMSG, ohv_ring_read_batch(&self->r, buf, sizeof(buf), pkts, 8));
	EXPECT_STREQ("len8 beyond the written data", self->r.broken_reason);
}

/* Two threads on two CPUs stream packets of 0..240 bytes through 64 KiB. */
#define STREAM_PACKETS 1000000ULL

struct stream {
	struct ohv_ring_mem mem;	/* the shared ring */
	struct ohv_ring w;		/* producer's view */
	struct ohv_ring r;		/* consumer's view */
	u8 pattern[512];		/* payload source */
	u64 bad;			/* packets with wrong contents */
	bool batched;			/* queue/flush and read_batch */
};

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % CPU_SETSIZE, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *producer(void *arg)
{
	struct stream *s = arg;
	u64 seq;
	bool sig;

	pin(0);
	for (seq = 0; s->batched && seq < STREAM_PACKETS; ) {
		u32 len = (seq * 7) % 241;
		int ret = ohv_ring_queue_send(&s->w, OHV_VMPKT_DATA_INBAND, 0,
					      seq, s->pattern + seq % 256, len);

		if (!ret)
			seq++;
		/* Publish every 16 packets, and before waiting for space. */
		if (!(seq % 16) || ret == -EAGAIN || seq == STREAM_PACKETS)
			ohv_ring_flush(&s->w);
		if (ret == -EAGAIN)
			sched_yield();
		else if (ret)
			break;
	}
	for (seq = 0; !s->batched && seq < STREAM_PACKETS; seq++) {
		u32 len = (seq * 7) % 241;

		while (ohv_ring_send(&s->w, OHV_VMPKT_DATA_INBAND, 0, seq,
				     s->pattern + seq % 256, len, &sig) == -EAGAIN)
			sched_yield();
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct stream *s = arg;
	u8 buf[512];
	const struct ohv_vmpacket_desc *d = (const void *)buf;
	u64 seq = 0;
	u32 len;
	int ret;

	pin(1);
	while (s->batched && seq < STREAM_PACKETS) {
		struct ohv_ring_pkt pkts[16];
		static u8 big[16 * 512];
		int i;

		ret = ohv_ring_read_batch(&s->r, big, sizeof(big), pkts, 16);
		if (ret == -EAGAIN) {
			ohv_ring_read_commit(&s->r);
			sched_yield();
			continue;
		}
		if (ret < 0)
			break;
		for (i = 0; i < ret; i++, seq++) {
			d = (const void *)(big + pkts[i].off);
			len = (seq * 7) % 241;
			if (d->trans_id != seq ||
			    pkts[i].len != ALIGN(16 + len, 8) ||
			    memcmp(ohv_vmpacket_payload(d), s->pattern + seq % 256, len))
				s->bad++;
		}
		ohv_ring_read_commit(&s->r);
	}
	while (!s->batched && seq < STREAM_PACKETS) {
		ret = ohv_ring_read(&s->r, buf, sizeof(buf), &len);
		if (ret == -EAGAIN) {
			ohv_ring_read_commit(&s->r);
			sched_yield();
			continue;
		}
		if (ret)
			break;
		if (d->trans_id != seq ||
		    memcmp(ohv_vmpacket_payload(buf), s->pattern + seq % 256,
			   (seq * 7) % 241))
			s->bad++;
		seq++;
		if (!(seq % 64))
			ohv_ring_read_commit(&s->r);
	}
	return NULL;
}

static void stream(struct __test_metadata *_metadata, bool batched)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct timespec t0, t1;
	pthread_t t[2];
	int i;

	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, ohv_ring_mem_create(&s->mem, 65536));
	ASSERT_EQ(0, ohv_ring_init(&s->w, s->mem.hdr, s->mem.data, s->mem.size));
	ASSERT_EQ(0, ohv_ring_init(&s->r, s->mem.hdr, s->mem.data, s->mem.size));
	s->batched = batched;
	for (i = 0; i < 512; i++)
		s->pattern[i] = (u8)(i * 13 + 5);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&t[0], NULL, producer, s);
	pthread_create(&t[1], NULL, consumer, s);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	TH_LOG("%llu packets in %.0f ms", STREAM_PACKETS,
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	EXPECT_EQ(STREAM_PACKETS, s->r.stats.packets);
	EXPECT_EQ(0, s->bad);
	EXPECT_FALSE(s->r.broken || s->w.broken);
	ohv_ring_mem_destroy(&s->mem);
	free(s);
}

TEST(streams_a_million_packets_between_two_threads)
{
	stream(_metadata, false);
}

TEST(streams_a_million_packets_in_batches)
{
	stream(_metadata, true);
}

TEST_HARNESS_MAIN
