// SPDX-License-Identifier: GPL-2.0
/*
 * ringbench: throughput of the VMBus ring (drivers/vmbus/ring.c, built for
 * user space) between a producer and a consumer thread pinned to two CPUs.
 * Both sides poll, as virtio's tools/virtio/ringtest does by default; each
 * packet's payload is copied into the ring and out again, the consumer
 * validates every packet (ring.c's checks, then its sequence number in
 * trans_id) and the producer makes Hyper-V's signalling decision each
 * time it publishes write_index.
 *
 *   ringbench [-s payload_bytes] [-n packets] [-r ring_bytes] [-c cpu0,cpu1]
 *             [-b batch]
 *   ringbench -m payload_bytes [-n copies]     memcpy of one hot buffer
 *   ringbench -M payload_bytes [-n copies] [-B buffer_bytes]
 *                                              streaming memcpy
 *
 * -b 1 (the default) moves packets one at a time: ohv_ring_send(), which
 * publishes write_index and decides on a signal per packet, and
 * ohv_ring_read(), committing read_index every 32 packets or when the
 * ring looks empty.  -b N uses the batched API: up to N packets
 * ohv_ring_queue_send() then one ohv_ring_flush() (one write_index update,
 * one signalling decision); ohv_ring_read_batch() of up to N packets then
 * one ohv_ring_read_commit().
 *
 * -m copies @payload bytes from one source buffer to successive places in
 * a @ring_bytes destination, one thread: both stay in the core's caches.
 * -M copies @payload-byte chunks from one @buffer_bytes buffer (default
 * 256 MiB, well past the last-level cache) to another, sequentially, one
 * thread: the usual meaning of memcpy bandwidth.
 *
 * Prints one line:
 *   "ring|memcpy-hot|memcpy-stream payload=B packets=N seconds=S pps=P gbps=G ..."
 * (gbps: payload gigabytes per second).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "ring_map_user.h"

/* What both threads share. */
struct bench {
	struct ohv_ring_mem mem;	/* the ring's memory */
	/* Each view on its own cache lines: they are written per packet. */
	struct ohv_ring w __aligned(64);	/* producer's view */
	struct ohv_ring r __aligned(64);	/* consumer's view */
	u8 pad[64];			/* keeps the fields below off r's lines */
	u32 payload;			/* bytes per packet */
	u32 batch;			/* packets per flush / batch read */
	u64 signals[2];			/* producer's and consumer's signals */
	u64 packets;			/* packets to move */
	int cpu[2];			/* producer, consumer CPU */
	u64 checksum;			/* consumer's, so copies are not elided */
	int error;			/* first errno seen */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *producer(void *arg)
{
	struct bench *b = arg;
	u8 payload[65536];
	u64 seq = 0, signals = 0;
	u32 n;
	bool sig;
	int ret;

	pin(b->cpu[0]);
	memset(payload, 0x5a, b->payload);
	if (b->batch == 1) {
		for (seq = 0; seq < b->packets; seq++) {
			while ((ret = ohv_ring_send(&b->w, OHV_VMPKT_DATA_INBAND,
						    0, seq, payload, b->payload,
						    &sig)) == -EAGAIN)
				__builtin_ia32_pause();
			if (ret) {
				b->error = ret;
				break;
			}
			signals += sig;
		}
		b->signals[0] = signals;
		return NULL;
	}
	while (seq < b->packets) {
		for (n = 0; n < b->batch && seq < b->packets; n++, seq++) {
			ret = ohv_ring_queue_send(&b->w, OHV_VMPKT_DATA_INBAND,
						  0, seq, payload, b->payload);
			if (ret == -EAGAIN)
				break;
			if (ret) {
				b->error = ret;
				return NULL;
			}
		}
		if (n)
			signals += ohv_ring_flush(&b->w);
		else
			__builtin_ia32_pause();
	}
	b->signals[0] = signals;
	return NULL;
}

/* What the consumer checks in each packet it got. */
static int check_packet(const u8 *pkt, u32 len, u64 seq, u32 payload)
{
	struct ohv_vmpacket_desc d;

	memcpy(&d, pkt, sizeof(d));
	if (d.trans_id != seq || len < sizeof(d) + payload)
		return -EILSEQ;
	return pkt[sizeof(d) + payload - 1];
}

static void *consumer(void *arg)
{
	struct bench *b = arg;
	static struct ohv_ring_pkt pkts[4096];
	u8 *buf;
	u64 seq = 0, sum = 0, signals = 0;
	u32 len, buflen;
	int ret, i, v;

	pin(b->cpu[1]);
	/* One batch of packets, trailers included. */
	buflen = b->batch * (ALIGN(b->payload + 16, 8) + 8);
	if (buflen < 65536 + 64)
		buflen = 65536 + 64;
	buf = malloc(buflen);
	if (!buf) {
		b->error = -ENOMEM;
		return NULL;
	}
	if (b->batch > 1)
		buflen = b->batch * (ALIGN(b->payload + 16, 8) + 8);
	while (seq < b->packets) {
		if (b->batch == 1) {
			ret = ohv_ring_read(&b->r, buf, buflen, &len);
			if (!ret) {
				v = check_packet(buf, len, seq, b->payload);
				if (v < 0) {
					ret = v;
					goto fail;
				}
				sum += v;
				if (!(++seq % 32))
					signals += ohv_ring_read_commit(&b->r);
				continue;
			}
		} else {
			ret = ohv_ring_read_batch(&b->r, buf, buflen, pkts,
						  b->batch);
			if (ret > 0) {
				for (i = 0; i < ret; i++, seq++) {
					v = check_packet(buf + pkts[i].off,
							 pkts[i].len, seq,
							 b->payload);
					if (v < 0) {
						ret = v;
						goto fail;
					}
					sum += v;
				}
				signals += ohv_ring_read_commit(&b->r);
				continue;
			}
		}
		if (ret != -EAGAIN)
			goto fail;
		/* Idle: give back what was read, then poll again. */
		signals += ohv_ring_read_commit(&b->r);
		__builtin_ia32_pause();
	}
	b->checksum = sum;
	b->signals[1] = signals;
	free(buf);
	return NULL;
fail:
	b->error = ret;
	free(buf);
	return NULL;
}

static void report(const char *what, u32 payload, u64 n, double secs)
{
	printf("%s payload=%u packets=%llu seconds=%.3f pps=%.0f gbps=%.3f\n",
	       what, payload, (unsigned long long)n, secs, n / secs,
	       (double)n * payload / secs / 1e9);
}

static int bench_memcpy(u32 payload, u64 n, u32 ring_bytes)
{
	u8 *src = malloc(payload), *dst = malloc(ring_bytes + payload);
	u64 i, off = 0, sum = 0;
	double t0, t1;

	if (!src || !dst)
		return 1;
	memset(src, 0x5a, payload);
	memset(dst, 0, ring_bytes + payload);
	t0 = now();
	for (i = 0; i < n; i++) {
		memcpy(dst + off, src, payload);
		/* Keep the compiler from dropping the copy. */
		__asm__ __volatile__("" : : "r"(dst) : "memory");
		off += ALIGN(payload, 8);
		if (off >= ring_bytes)
			off = 0;
	}
	t1 = now();
	sum = dst[0];
	report("memcpy-hot", payload, n, t1 - t0);
	printf("  (one %u B source, destination cycling through %u B: in cache)\n",
	       payload, ring_bytes);
	free(src);
	free(dst);
	return sum == 0x5a ? 0 : 1;
}

/* Sequential @payload-byte copies between two buffers larger than the LLC. */
static int bench_memcpy_stream(u32 payload, u64 n, size_t bytes)
{
	u8 *src = malloc(bytes), *dst = malloc(bytes);
	size_t off = 0;
	double t0, t1;
	u64 i;
	int ok;

	if (!src || !dst || bytes < payload)
		return 1;
	/* Fault every page in before timing. */
	memset(src, 0x5a, bytes);
	memset(dst, 0, bytes);
	t0 = now();
	for (i = 0; i < n; i++) {
		memcpy(dst + off, src + off, payload);
		__asm__ __volatile__("" : : "r"(dst) : "memory");
		off += payload;
		if (off + payload > bytes)
			off = 0;
	}
	t1 = now();
	ok = dst[0] == 0x5a;
	report("memcpy-stream", payload, n, t1 - t0);
	printf("  (%u B chunks, sequentially through two %zu MiB buffers)\n",
	       payload, bytes >> 20);
	free(src);
	free(dst);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct bench *b = calloc(1, sizeof(*b));
	u32 ring_bytes = 256 * 1024, memcpy_payload = 0, stream_payload = 0;
	size_t stream_bytes = 256UL << 20;
	pthread_t t[2];
	double t0, t1;
	int opt;

	if (!b)
		return 1;
	b->payload = 64;
	b->batch = 1;
	b->packets = 10000000;
	b->cpu[0] = 0;
	b->cpu[1] = 1;
	while ((opt = getopt(argc, argv, "s:n:r:c:m:M:B:b:")) != -1) {
		switch (opt) {
		case 's':
			b->payload = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			b->packets = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			ring_bytes = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			if (sscanf(optarg, "%d,%d", &b->cpu[0], &b->cpu[1]) != 2)
				return 2;
			break;
		case 'm':
			memcpy_payload = strtoul(optarg, NULL, 0);
			break;
		case 'M':
			stream_payload = strtoul(optarg, NULL, 0);
			break;
		case 'B':
			stream_bytes = strtoull(optarg, NULL, 0);
			break;
		case 'b':
			b->batch = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: %s [-s bytes] [-n packets] [-r ring] [-c a,b] [-b batch]\n"
				"       %s -m bytes | -M bytes [-B buffer] [-n copies]\n",
				argv[0],
				argv[0]);
			return 2;
		}
	}
	if (memcpy_payload)
		return bench_memcpy(memcpy_payload, b->packets, ring_bytes);
	if (stream_payload)
		return bench_memcpy_stream(stream_payload, b->packets,
					   stream_bytes);
	if (b->payload > 65536 - 16 || !b->batch || b->batch > 4096 || ohv_ring_mem_create(&b->mem, ring_bytes) ||
	    ohv_ring_init(&b->w, b->mem.hdr, b->mem.data, b->mem.size) ||
	    ohv_ring_init(&b->r, b->mem.hdr, b->mem.data, b->mem.size)) {
		fprintf(stderr, "ringbench: bad payload or ring size\n");
		return 1;
	}

	t0 = now();
	pthread_create(&t[0], NULL, producer, b);
	pthread_create(&t[1], NULL, consumer, b);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	t1 = now();
	if (b->error) {
		fprintf(stderr, "ringbench: error %d\n", b->error);
		return 1;
	}
	report("ring", b->payload, b->packets, t1 - t0);
	printf("  batch=%u producer_signals=%llu consumer_signals=%llu full=%llu checksum=%llu\n",
	       b->batch, (unsigned long long)b->signals[0],
	       (unsigned long long)b->signals[1],
	       (unsigned long long)b->w.stats.full,
	       (unsigned long long)b->checksum);
	ohv_ring_mem_destroy(&b->mem);
	free(b);
	return 0;
}
