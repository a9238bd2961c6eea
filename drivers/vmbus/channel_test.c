// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite vmbus_chan: channel life cycle on a loopback partition, seen
 * from both halves: offer, open, I/O, close, rescind in each state,
 * sub-channels, and GPADLs of every size up to 16 MiB.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "core.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define TEST_PART_CHAN	1002

static const guid_t test_class =
	GUID_INIT(0x4f68c0de, 0x7e57, 0x4e1b,
		  0x9a, 0x37, 0x6f, 0x68, 0x76, 0x74, 0x73, 0x74);

/**
 * struct chan_env - a connected partition and a test provider
 * @lo: the partition
 * @opens: provider open calls
 * @closes: provider close calls
 * @rx_packets: packets the provider received
 * @open_ret: what the provider's open returns
 */
struct chan_env {
	struct ohv_lo_part *lo;
	atomic_t opens;
	atomic_t closes;
	atomic_t rx_packets;
	int open_ret;
};

static struct chan_env *env_of(struct ohv_channel *chan)
{
	return ohv_host_offer_priv(chan);
}

static int test_open(struct ohv_channel *chan, const u8 *userdata)
{
	struct chan_env *env = env_of(chan);

	atomic_inc(&env->opens);
	ohv_chan_set_drvdata(chan, env);
	return env->open_ret;
}

static void test_close(struct ohv_channel *chan)
{
	atomic_inc(&env_of(chan)->closes);
}

static void test_rx(struct ohv_channel *chan, void *ctx)
{
	struct chan_env *env = ctx;
	u8 buf[128];
	u32 len;

	while (!ohv_chan_recv(chan, buf, sizeof(buf), &len))
		atomic_inc(&env->rx_packets);
}

static const struct ohv_provider test_provider = {
	.name = "kunit",
	.class_id = test_class,
	.open = test_open,
	.close = test_close,
	.rx = test_rx,
	.cb_mode = OHV_CB_BATCHED,
};

static const struct ohv_chan_open_params small_rings = {
	.send_ring_bytes = 4 * PAGE_SIZE,
	.recv_ring_bytes = 2 * PAGE_SIZE,
};

static int chan_init(struct kunit *test)
{
	struct chan_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	int ret;

	if (!env)
		return -ENOMEM;
	env->lo = ohv_loopback_alloc(TEST_PART_CHAN);
	if (IS_ERR(env->lo)) {
		kunit_err(test, "no loopback partition: %ld\n",
			  PTR_ERR(env->lo));
		return PTR_ERR(env->lo);
	}
	ret = ohv_guest_connect(env->lo->link.guest);
	if (ret) {
		kunit_err(test, "connect failed: %d\n", ret);
		ohv_loopback_free(env->lo);
		return ret;
	}
	test->priv = env;
	return 0;
}

static void chan_exit(struct kunit *test)
{
	struct chan_env *env = test->priv;

	if (env)
		ohv_loopback_free(env->lo);
	test->priv = NULL;
}

/* Offer one instance; returns the host channel. */
static struct ohv_channel *offer(struct kunit *test, u8 instance)
{
	struct chan_env *env = test->priv;
	struct ohv_offer_params p = { .priv = env };
	struct ohv_partition *part;
	struct ohv_channel *hchan;

	p.instance_id.b[0] = instance;
	part = ohv_partition_get(TEST_PART_CHAN);
	KUNIT_ASSERT_NOT_NULL(test, part);
	hchan = ohv_host_offer(part, &test_provider, &p);
	ohv_partition_put(part);
	KUNIT_ASSERT_FALSE(test, IS_ERR(hchan));
	ohv_loopback_sync(env->lo);
	return hchan;
}

/* The guest's channel for a host channel, with a reference. */
static struct ohv_channel *guest_chan(struct kunit *test,
				      struct ohv_channel *hchan)
{
	struct chan_env *env = test->priv;

	return ohv_conn_get_chan(env->lo->link.guest, ohv_chan_relid(hchan));
}

static void offer_creates_device_and_open_close_cycle(struct kunit *test)
{
	struct chan_env *env = test->priv;
	struct ohv_channel *hchan = offer(test, 1), *g;
	int i;

	g = guest_chan(test, hchan);
	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_EXPECT_NOT_NULL(test, g->dev);
	KUNIT_EXPECT_TRUE(test, guid_equal(&g->offer.if_type, &test_class));
	KUNIT_EXPECT_EQ(test, (int)g->state, OHV_CHAN_OFFERED);

	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, ohv_chan_open(g, &small_rings), 0);
		KUNIT_EXPECT_EQ(test, (int)g->state, OHV_CHAN_OPEN);
		KUNIT_EXPECT_EQ(test, (int)hchan->state, OHV_CHAN_OPEN);
		KUNIT_EXPECT_EQ(test, ohv_chan_open(g, &small_rings), -EBUSY);
		ohv_chan_close(g);
		ohv_loopback_sync(env->lo);
		KUNIT_EXPECT_EQ(test, (int)g->state, OHV_CHAN_OFFERED);
		KUNIT_EXPECT_EQ(test, (int)hchan->state, OHV_CHAN_OFFERED);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&env->opens), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->closes), 3);
	/* Every ring GPADL was torn down. */
	KUNIT_EXPECT_TRUE(test, xa_empty(&env->lo->link.host->gpadls));
	ohv_chan_put(g);
	ohv_host_rescind(hchan);
}

static void packets_reach_the_provider(struct kunit *test)
{
	struct chan_env *env = test->priv;
	struct ohv_channel *hchan = offer(test, 2), *g;
	u64 payload = 0x1122334455667788ULL;
	int i;

	g = guest_chan(test, hchan);
	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_ASSERT_EQ(test, ohv_chan_open(g, &small_rings), 0);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, ohv_chan_send(g, &payload, sizeof(payload),
						    i, OHV_VMPKT_DATA_INBAND, 0),
				0);
	for (i = 0; i < 200 && atomic_read(&env->rx_packets) < 10; i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->rx_packets), 10);
	KUNIT_EXPECT_EQ(test, atomic64_read(&g->stats.tx_bytes),
			10 * sizeof(payload));
	ohv_chan_close(g);
	/* A closed channel refuses to send. */
	KUNIT_EXPECT_EQ(test, ohv_chan_send(g, &payload, sizeof(payload), 0,
					    OHV_VMPKT_DATA_INBAND, 0), -ENODEV);
	ohv_chan_put(g);
	ohv_host_rescind(hchan);
}

/*
 * ohv_chan_queue(): the packets sit in the ring unseen until
 * ohv_chan_flush() publishes them all with at most one signal.
 */
static void queued_packets_wait_for_the_flush(struct kunit *test)
{
	struct chan_env *env = test->priv;
	struct ohv_channel *hchan = offer(test, 10), *g;
	u64 payload = 0x0123456789abcdefULL;
	s64 signals;
	int i;

	g = guest_chan(test, hchan);
	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_ASSERT_EQ(test, ohv_chan_open(g, &small_rings), 0);
	signals = atomic64_read(&g->stats.signals);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, ohv_chan_queue(g, &payload,
						     sizeof(payload), i,
						     OHV_VMPKT_DATA_INBAND, 0),
				0);
	msleep(100);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->rx_packets), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&g->stats.signals), signals);
	ohv_chan_flush(g);
	for (i = 0; i < 200 && atomic_read(&env->rx_packets) < 5; i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->rx_packets), 5);
	KUNIT_EXPECT_EQ(test, atomic64_read(&g->stats.signals), signals + 1);
	/* Nothing queued: a flush publishes and signals nothing. */
	ohv_chan_flush(g);
	KUNIT_EXPECT_EQ(test, atomic64_read(&g->stats.signals), signals + 1);
	ohv_chan_close(g);
	KUNIT_EXPECT_EQ(test, ohv_chan_queue(g, &payload, sizeof(payload), 0,
					     OHV_VMPKT_DATA_INBAND, 0), -ENODEV);
	ohv_chan_flush(g);
	ohv_chan_put(g);
	ohv_host_rescind(hchan);
}

/* Where a guest callback ran, for guest_signals_arrive_on_the_target_vp. */
struct vp_probe {
	atomic_t calls;
	int cpu;
};

static void vp_cb(struct ohv_channel *chan, void *ctx)
{
	struct vp_probe *p = ctx;
	u8 buf[64];
	u32 len;

	while (!ohv_chan_recv(chan, buf, sizeof(buf), &len))
		;
	WRITE_ONCE(p->cpu, raw_smp_processor_id());
	atomic_inc(&p->calls);
}

static long vp_send(void *hchan)
{
	u64 payload = 0x5a5a5a5a5a5a5a5aULL;

	return ohv_chan_send(hchan, &payload, sizeof(payload), 0,
			     OHV_VMPKT_DATA_INBAND, 0);
}

/* Send from the host on @from; true once the guest callback ran again. */
static bool vp_ping(struct ohv_channel *hchan, struct vp_probe *p, int from)
{
	int calls = atomic_read(&p->calls), i;

	if (work_on_cpu(from, vp_send, hchan))
		return false;
	for (i = 0; i < 100 && atomic_read(&p->calls) == calls; i++)
		msleep(20);
	return atomic_read(&p->calls) != calls;
}

/*
 * Each open names a target VP, the next online CPU in turn, and the host
 * keeps it; a host signal runs the guest's callback on that CPU even when
 * it is raised on another. A VP that is no CPU (hostile guest) still gets
 * its signal delivered, on the raising CPU.
 */
static void guest_signals_arrive_on_the_target_vp(struct kunit *test)
{
	struct ohv_channel *h[2], *g[2];
	struct vp_probe probe[2] = {};
	struct ohv_chan_open_params params = small_rings;
	int i, cpu;

	for (i = 0; i < 2; i++) {
		h[i] = offer(test, 20 + i);
		g[i] = guest_chan(test, h[i]);
		KUNIT_ASSERT_NOT_NULL(test, g[i]);
		params.callback = vp_cb;
		params.cb_ctx = &probe[i];
		params.cb_mode = OHV_CB_DIRECT;
		KUNIT_ASSERT_EQ(test, ohv_chan_open(g[i], &params), 0);
		KUNIT_EXPECT_EQ(test, READ_ONCE(h[i]->target_vp), g[i]->target_vp);
		KUNIT_EXPECT_TRUE(test, g[i]->target_vp < nr_cpu_ids &&
				  cpu_online(g[i]->target_vp));
	}
	if (num_online_cpus() > 1)
		KUNIT_EXPECT_NE(test, g[0]->target_vp, g[1]->target_vp);
	for (i = 0; i < 2; i++) {
		for_each_online_cpu(cpu) {
			KUNIT_ASSERT_TRUE(test, vp_ping(h[i], &probe[i], cpu));
			KUNIT_EXPECT_EQ(test, READ_ONCE(probe[i].cpu),
					(int)g[i]->target_vp);
		}
	}
	WRITE_ONCE(h[0]->target_vp, 100000);
	cpu = cpumask_first(cpu_online_mask);
	KUNIT_EXPECT_TRUE(test, vp_ping(h[0], &probe[0], cpu));
	KUNIT_EXPECT_EQ(test, READ_ONCE(probe[0].cpu), cpu);
	for (i = 0; i < 2; i++) {
		ohv_chan_close(g[i]);
		ohv_chan_put(g[i]);
		ohv_host_rescind(h[i]);
	}
}

/*
 * GPA-direct data pages: referenced without a mapping, each page's count
 * up by one while held; a frame outside memory fails the whole request
 * and leaves no reference behind on the pages before it.
 */
static void gpa_pages_are_referenced_and_validated(struct kunit *test)
{
	struct ohv_channel *hchan = offer(test, 3), *g;
	struct page *pg[2], *got[3];
	u64 pfns[3];
	int before[2], i;

	g = guest_chan(test, hchan);
	KUNIT_ASSERT_NOT_NULL(test, g);
	for (i = 0; i < 2; i++) {
		pg[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pg[i]);
		pfns[i] = page_to_pfn(pg[i]);
		before[i] = page_ref_count(pg[i]);
	}
	KUNIT_EXPECT_EQ(test, ohv_host_get_gpa_pages(hchan, pfns, 2, got), 0);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_PTR_EQ(test, got[i], pg[i]);
		KUNIT_EXPECT_EQ(test, page_ref_count(pg[i]), before[i] + 1);
	}
	ohv_host_put_gpa_pages(hchan, got, 2);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(pg[i]), before[i]);

	/* The last frame is beyond any memory: nothing stays referenced. */
	pfns[2] = OHV_GPADL_MAX_PFN;
	KUNIT_EXPECT_EQ(test, ohv_host_get_gpa_pages(hchan, pfns, 3, got),
			-EFAULT);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(pg[i]), before[i]);
	KUNIT_EXPECT_EQ(test, ohv_host_get_gpa_pages(hchan, pfns, 0, got),
			-EINVAL);
	/* Only the host half may reach guest memory. */
	KUNIT_EXPECT_EQ(test, ohv_host_get_gpa_pages(g, pfns, 1, got), -EINVAL);

	for (i = 0; i < 2; i++)
		__free_page(pg[i]);
	ohv_chan_put(g);
	ohv_host_rescind(hchan);
}

static void refused_open_leaves_channel_offered(struct kunit *test)
{
	struct chan_env *env = test->priv;
	struct ohv_channel *hchan = offer(test, 3), *g;

	g = guest_chan(test, hchan);
	KUNIT_ASSERT_NOT_NULL(test, g);
	env->open_ret = -ENOSPC;
	KUNIT_EXPECT_EQ(test, ohv_chan_open(g, &small_rings), -EIO);
	KUNIT_EXPECT_EQ(test, (int)g->state, OHV_CHAN_OFFERED);
	ohv_loopback_sync(env->lo);
	KUNIT_EXPECT_TRUE(test, xa_empty(&env->lo->link.host->gpadls));
	env->open_ret = 0;
	KUNIT_EXPECT_EQ(test, ohv_chan_open(g, &small_rings), 0);
	ohv_chan_close(g);
	ohv_chan_put(g);
	ohv_host_rescind(hchan);
}

static void rescind_of_open_channel_closes_both_sides(struct kunit *test)
{
	struct chan_env *env = test->priv;
	struct ohv_channel *hchan = offer(test, 4), *g;
	struct ohv_conn *guest = env->lo->link.guest;
	u32 relid = ohv_chan_relid(hchan);

	g = guest_chan(test, hchan);
	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_ASSERT_EQ(test, ohv_chan_open(g, &small_rings), 0);
	ohv_host_rescind(hchan);
	ohv_loopback_sync(env->lo);

	KUNIT_EXPECT_EQ(test, atomic_read(&env->closes), 1);
	KUNIT_EXPECT_TRUE(test, ohv_chan_is_rescinded(g));
	KUNIT_EXPECT_EQ(test, (int)g->state, OHV_CHAN_OFFERED);
	KUNIT_EXPECT_NULL(test, g->dev);
	/* The guest released the relid and the host forgot it. */
	KUNIT_EXPECT_NULL(test, xa_load(&guest->chans, relid));
	KUNIT_EXPECT_NULL(test, xa_load(&env->lo->link.host->chans, relid));
	KUNIT_EXPECT_EQ(test, ohv_chan_open(g, &small_rings), -ENODEV);
	KUNIT_EXPECT_EQ(test, atomic64_read(&guest->stats.msgs_bad), 0);
	ohv_chan_put(g);
}

static void rescind_before_guest_saw_offer_leaves_nothing(struct kunit *test)
{
	struct chan_env *env = test->priv;
	struct ohv_offer_params p = { .priv = env };
	struct ohv_partition *part = ohv_partition_get(TEST_PART_CHAN);
	struct ohv_channel *hchan;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, part);
	for (i = 0; i < 20; i++) {
		p.instance_id.b[0] = 0x40 + i;
		hchan = ohv_host_offer(part, &test_provider, &p);
		KUNIT_ASSERT_FALSE(test, IS_ERR(hchan));
		ohv_host_rescind(hchan);
	}
	ohv_partition_put(part);
	ohv_loopback_sync(env->lo);
	KUNIT_EXPECT_TRUE(test, xa_empty(&env->lo->link.guest->chans));
	KUNIT_EXPECT_TRUE(test, xa_empty(&env->lo->link.host->chans));
	/* Relids are reused once released. */
	hchan = offer(test, 5);
	KUNIT_EXPECT_EQ(test, ohv_chan_relid(hchan), 1);
	ohv_host_rescind(hchan);
}

static atomic_t subs_seen;

/* Runs on the guest's sub-channel workqueue: no KUnit asserts here. */
static void open_sub(struct ohv_channel *primary, struct ohv_channel *sub)
{
	if (ohv_chan_primary(sub) == primary &&
	    !ohv_chan_open(sub, &small_rings))
		atomic_inc(&subs_seen);
}

static void subchannels_are_offered_and_opened(struct kunit *test)
{
	struct chan_env *env = test->priv;
	struct ohv_channel *hchan = offer(test, 6), *g;
	int i;

	g = guest_chan(test, hchan);
	KUNIT_ASSERT_NOT_NULL(test, g);
	atomic_set(&subs_seen, 0);
	ohv_chan_set_subchannel_cb(g, open_sub);
	KUNIT_ASSERT_EQ(test, ohv_chan_open(g, &small_rings), 0);
	KUNIT_EXPECT_EQ(test, ohv_host_offer_subchannels(hchan, 3), 0);
	for (i = 0; i < 200 && atomic_read(&subs_seen) < 3; i++) {
		ohv_loopback_sync(env->lo);
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&subs_seen), 3);
	/* Primary plus three open sub-channels on the host. */
	KUNIT_EXPECT_EQ(test, atomic_read(&env->opens), 4);
	ohv_host_rescind(hchan);
	ohv_loopback_sync(env->lo);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->closes), 4);
	KUNIT_EXPECT_TRUE(test, xa_empty(&env->lo->link.host->chans));
	ohv_chan_put(g);
}

struct gpadl_case {
	const char *name;
	u32 size;
	u32 offset;
	bool vmalloced;
};

static const struct gpadl_case gpadl_cases[] = {
	{ "one_page", PAGE_SIZE, 0, false },
	{ "unaligned_kmalloc", 5000, 100, false },
	{ "26_pages_header_only", 26 * PAGE_SIZE, 0, true },
	{ "27_pages_one_body", 27 * PAGE_SIZE, 0, true },
	{ "16_mib_vmalloc", 16 << 20, 0, true },
};

static void gpadl_case_desc(const struct gpadl_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(gpadl, gpadl_cases, gpadl_case_desc);

static void gpadl_maps_the_same_bytes_on_the_host(struct kunit *test)
{
	const struct gpadl_case *c = test->param_value;
	struct chan_env *env = test->priv;
	struct ohv_channel *hchan = offer(test, 7), *g;
	struct ohv_gpadl_handle gh = {};
	struct ohv_host_gpadl *hg;
	u8 *alloc, *buf;
	void *hva;
	u32 i, hsize;

	g = guest_chan(test, hchan);
	KUNIT_ASSERT_NOT_NULL(test, g);
	alloc = c->vmalloced ? vmalloc(c->size + c->offset) :
			       kmalloc(c->size + c->offset, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, alloc);
	buf = alloc + c->offset;
	for (i = 0; i < c->size; i++)
		buf[i] = i * 7 + (i >> 12);

	KUNIT_ASSERT_EQ(test, ohv_gpadl_establish(g, buf, c->size, &gh), 0);
	hg = ohv_host_gpadl_map(hchan, gh.id, &hva, &hsize);
	KUNIT_ASSERT_FALSE(test, IS_ERR(hg));
	KUNIT_EXPECT_EQ(test, hsize, c->size);
	KUNIT_EXPECT_EQ(test, memcmp(hva, buf, c->size), 0);
	ohv_host_gpadl_unmap(hg);
	ohv_gpadl_teardown(g, &gh);
	KUNIT_EXPECT_TRUE(test, xa_empty(&env->lo->link.host->gpadls));
	KUNIT_EXPECT_EQ(test, env->lo->link.host->gpadl_pages, 0);
	kvfree(alloc);
	ohv_chan_put(g);
	ohv_host_rescind(hchan);
}

static void gpadl_over_the_limit_is_refused(struct kunit *test)
{
	struct chan_env *env = test->priv;
	struct ohv_channel *hchan = offer(test, 8), *g;
	unsigned int saved = ohv_max_gpadl_pages;
	struct ohv_gpadl_handle gh = {};
	void *buf = vzalloc(64 * PAGE_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	g = guest_chan(test, hchan);
	KUNIT_ASSERT_NOT_NULL(test, g);
	ohv_max_gpadl_pages = 32;
	KUNIT_EXPECT_EQ(test, ohv_gpadl_establish(g, buf, 64 * PAGE_SIZE, &gh),
			-EIO);
	KUNIT_EXPECT_EQ(test, ohv_gpadl_establish(g, buf, 32 * PAGE_SIZE, &gh),
			0);
	ohv_max_gpadl_pages = saved;
	ohv_gpadl_teardown(g, &gh);
	KUNIT_EXPECT_TRUE(test, xa_empty(&env->lo->link.host->gpadls));
	vfree(buf);
	ohv_chan_put(g);
	ohv_host_rescind(hchan);
}

/* A GPADL of two ranges, as Windows guests may send: each maps on its own. */
static void gpadl_with_two_ranges_maps_each_range(struct kunit *test)
{
	struct chan_env *env = test->priv;
	struct ohv_channel *hchan = offer(test, 9), *g;
	struct ohv_host_gpadl_range r[3];
	struct ohv_gpadl_handle gh = {};
	struct ohv_host_gpadl *hg;
	struct ohv_vmbus_msg msg;
	struct ohv_gpa_range wr;
	struct ohv_wait w;
	u8 *a, *b, *tail;
	u32 id = 0x7e570001, n = 0, i;
	void *va;
	u64 pfn;

	a = (u8 *)__get_free_page(GFP_KERNEL);
	/* Compound: the host takes a reference on every page it maps. */
	b = (u8 *)__get_free_pages(GFP_KERNEL | __GFP_COMP, 1);
	KUNIT_ASSERT_TRUE(test, a && b);
	for (i = 0; i < PAGE_SIZE; i++)
		a[i] = i * 3;
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		b[i] = i * 5 + 1;
	g = guest_chan(test, hchan);
	KUNIT_ASSERT_NOT_NULL(test, g);

	/* Range 0: 200 bytes at offset 100 of a; range 1: 5000 bytes of b. */
	ohv_vmbus_msg_init(&msg, OHV_CHMSG_GPADL_HEADER);
	msg.gpadl_header.child_relid = g->relid;
	msg.gpadl_header.gpadl = id;
	msg.gpadl_header.rangecount = 2;
	msg.gpadl_header.range_buflen = 2 * sizeof(wr) + 3 * sizeof(u64);
	tail = msg.raw + sizeof(struct ohv_vmbus_msg_gpadl_header);
	wr.byte_count = 200;
	wr.byte_offset = 100;
	memcpy(tail, &wr, sizeof(wr));
	pfn = page_to_pfn(virt_to_page(a));
	memcpy(tail + 8, &pfn, 8);
	wr.byte_count = 5000;
	wr.byte_offset = 0;
	memcpy(tail + 16, &wr, sizeof(wr));
	pfn = page_to_pfn(virt_to_page(b));
	memcpy(tail + 24, &pfn, 8);
	pfn++;
	memcpy(tail + 32, &pfn, 8);
	msg.len = sizeof(struct ohv_vmbus_msg_gpadl_header) +
		  msg.gpadl_header.range_buflen;

	ohv_wait_init(&w, OHV_CHMSG_GPADL_CREATED, g->relid, id);
	ohv_wait_add(g->conn, &w, g);
	KUNIT_ASSERT_EQ(test, ohv_conn_post(g->conn, &msg), 0);
	KUNIT_ASSERT_EQ(test, ohv_wait_for(g->conn, &w), 0);
	KUNIT_ASSERT_EQ(test, w.resp.gpadl_created.creation_status, 0);
	gh.id = id;
	gh.size = 5200;

	/* The single-buffer call refuses it; too small an array is refused. */
	hg = ohv_host_gpadl_map(hchan, id, &va, &n);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(hg), -EOPNOTSUPP);
	hg = ohv_host_gpadl_map_ranges(hchan, id, r, 1, &n);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(hg), -ENOSPC);

	hg = ohv_host_gpadl_map_ranges(hchan, id, r, ARRAY_SIZE(r), &n);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(hg), 0);
	if (!IS_ERR(hg)) {
		KUNIT_EXPECT_EQ(test, n, 2);
		KUNIT_EXPECT_EQ(test, r[0].size, 200);
		KUNIT_EXPECT_EQ(test, r[1].size, 5000);
		KUNIT_EXPECT_EQ(test, memcmp(r[0].va, a + 100, 200), 0);
		KUNIT_EXPECT_EQ(test, memcmp(r[1].va, b, 5000), 0);
		ohv_host_gpadl_unmap(hg);
	}
	ohv_gpadl_teardown(g, &gh);
	KUNIT_EXPECT_TRUE(test, xa_empty(&env->lo->link.host->gpadls));
	free_page((unsigned long)a);
	free_pages((unsigned long)b, 1);
	ohv_chan_put(g);
	ohv_host_rescind(hchan);
}

static struct kunit_case chan_test_cases[] = {
	KUNIT_CASE(offer_creates_device_and_open_close_cycle),
	KUNIT_CASE(packets_reach_the_provider),
	KUNIT_CASE(queued_packets_wait_for_the_flush),
	KUNIT_CASE(guest_signals_arrive_on_the_target_vp),
	KUNIT_CASE(gpa_pages_are_referenced_and_validated),
	KUNIT_CASE(refused_open_leaves_channel_offered),
	KUNIT_CASE(rescind_of_open_channel_closes_both_sides),
	KUNIT_CASE(rescind_before_guest_saw_offer_leaves_nothing),
	KUNIT_CASE(subchannels_are_offered_and_opened),
	KUNIT_CASE_PARAM(gpadl_maps_the_same_bytes_on_the_host,
			 gpadl_gen_params),
	KUNIT_CASE(gpadl_over_the_limit_is_refused),
	KUNIT_CASE(gpadl_with_two_ranges_maps_each_range),
	{}
};

static struct kunit_suite chan_suite = {
	.name = "vmbus_chan",
	.init = chan_init,
	.exit = chan_exit,
	.test_cases = chan_test_cases,
};

kunit_test_suite(chan_suite);
