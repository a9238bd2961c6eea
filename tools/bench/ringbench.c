// SPDX-License-Identifier: GPL-2.0
/*
 * ringbench: throughput of the VMBus ring (drivers/vmbus/ring.c, built for
 * user space) between a producer and a consumer thread pinned to two CPUs.
 * Both sides poll, as virtio's tools/virtio/ringtest does by default; each
 * packet's payload is copied into the ring and out again.
 *
 *   ringbench [-s payload_bytes] [-n packets] [-r ring_bytes] [-c cpu0,cpu1]
 *   ringbench -m payload_bytes [-n copies]     plain memcpy, one thread
 *
 * Prints one line: "ring|memcpy payload=B packets=N seconds=S pps=P gbps=G"
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
	u64 seq;
	bool sig;
	int ret;

	pin(b->cpu[0]);
	memset(payload, 0x5a, b->payload);
	for (seq = 0; seq < b->packets; seq++) {
		while ((ret = ohv_ring_send(&b->w, OHV_VMPKT_DATA_INBAND, 0, seq,
					    payload, b->payload, &sig)) == -EAGAIN)
			__builtin_ia32_pause();
		if (ret) {
			b->error = ret;
			break;
		}
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct bench *b = arg;
	u8 buf[65536 + 64];
	u64 seq = 0, sum = 0;
	u32 len;
	int ret;

	pin(b->cpu[1]);
	while (seq < b->packets) {
		ret = ohv_ring_read(&b->r, buf, sizeof(buf), &len);
		if (ret == -EAGAIN) {
			/* Give the space back only when idle or every 32. */
			ohv_ring_read_commit(&b->r);
			__builtin_ia32_pause();
			continue;
		}
		if (ret) {
			b->error = ret;
			break;
		}
		sum += buf[len - 1];
		if (!(++seq % 32))
			ohv_ring_read_commit(&b->r);
	}
	b->checksum = sum;
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
	report("memcpy", payload, n, t1 - t0);
	free(src);
	free(dst);
	return sum == 0x5a ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct bench *b = calloc(1, sizeof(*b));
	u32 ring_bytes = 256 * 1024, memcpy_payload = 0;
	pthread_t t[2];
	double t0, t1;
	int opt;

	if (!b)
		return 1;
	b->payload = 64;
	b->packets = 10000000;
	b->cpu[0] = 0;
	b->cpu[1] = 1;
	while ((opt = getopt(argc, argv, "s:n:r:c:m:")) != -1) {
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
		default:
			fprintf(stderr,
				"usage: %s [-s bytes] [-n packets] [-r ring] [-c a,b] [-m bytes]\n",
				argv[0]);
			return 2;
		}
	}
	if (memcpy_payload)
		return bench_memcpy(memcpy_payload, b->packets, ring_bytes);
	if (b->payload > 65536 - 16 || ohv_ring_mem_create(&b->mem, ring_bytes) ||
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
	ohv_ring_mem_destroy(&b->mem);
	free(b);
	return 0;
}
