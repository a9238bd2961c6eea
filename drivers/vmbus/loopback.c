// SPDX-License-Identifier: GPL-2.0
/*
 * ohv VMBus loopback transport: the guest and the host half of a partition
 * both live in this kernel, so the whole stack runs in one machine.
 *
 * It behaves like the hypervisor would, as far as the engine can tell:
 * - a post hands the message straight to the receiving half's
 *   ohv_conn_rx_msg(), which copies and validates it and queues it for
 *   that half's message workqueue: delivery stays asynchronous and in
 *   order per direction (a post never runs a message handler), as with
 *   the SynIC message page, without an extra work item per message;
 * - signals set a bit in a per-direction event bitmap, as the SynIC
 *   event-flags page does, and a tasklet delivers them, as the interrupt
 *   would. A signal to the guest is delivered on the CPU the guest named
 *   as the channel's target VP (VP n is CPU n here), through an IPI if
 *   that is another CPU; one to the host on the signalling CPU;
 * - the host maps the guest's pages by page frame number. Here they are
 *   this kernel's pages, so mapping takes a page reference and vmaps them:
 *   a guest that frees a page the host still maps cannot pull it away.
 *
 * Partitions 0..loopback_partitions-1 are created at module load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <kunit/visibility.h>

#include "core.h"

static unsigned int loopback_partitions = 1;
module_param(loopback_partitions, uint, 0444);
MODULE_PARM_DESC(loopback_partitions,
		 "Loopback partitions (guest + host half each) to create");

#define OHV_LO_MAX_PARTITIONS	64

static struct ohv_lo_part *ohv_lo_parts[OHV_LO_MAX_PARTITIONS];
static DEFINE_MUTEX(ohv_lo_mutex);

static struct ohv_lo_part *to_lo(struct ohv_link *link)
{
	return container_of(link, struct ohv_lo_part, link);
}

/* ---------------------------------------------------------------------- */
/* Messages                                                               */
/* ---------------------------------------------------------------------- */

/*
 * ohv_conn_rx_msg() may be called in any context and only queues; under
 * @lo->lock so that nothing is handed over once ohv_lo_stop() returned.
 */
static int ohv_lo_post(struct ohv_lo_part *lo, struct ohv_conn *to,
		       u32 conn_id, const void *msg, u32 len)
{
	int ret = 0;

	if (len > OHV_VMBUS_MSG_MAX)
		return -EINVAL;
	spin_lock_bh(&lo->lock);
	if (lo->dead)
		ret = -ESHUTDOWN;
	else
		ohv_conn_rx_msg(to, conn_id, msg, len);
	spin_unlock_bh(&lo->lock);
	return ret;
}

static int ohv_lo_post_to_host(struct ohv_link *link, u32 conn_id,
			       const void *msg, u32 len)
{
	struct ohv_lo_part *lo = to_lo(link);

	return ohv_lo_post(lo, lo->link.host, conn_id, msg, len);
}

static int ohv_lo_post_to_guest(struct ohv_link *link, const void *msg,
				u32 len)
{
	struct ohv_lo_part *lo = to_lo(link);

	return ohv_lo_post(lo, lo->link.guest, 0, msg, len);
}

/* ---------------------------------------------------------------------- */
/* Signals                                                                */
/* ---------------------------------------------------------------------- */

static void ohv_lo_deliver(struct ohv_conn *conn, unsigned long *events)
{
	unsigned long bit;

	for_each_set_bit(bit, events, OHV_LO_EVENT_BITS)
		if (test_and_clear_bit(bit, events))
			ohv_conn_rx_signal(conn, bit);
}

static void ohv_lo_sig_tasklet(struct tasklet_struct *t)
{
	struct ohv_lo_cpu *c = from_tasklet(c, t, sig_tasklet);
	struct ohv_lo_part *lo = c->lo;

	ohv_lo_deliver(lo->link.host, lo->to_host_events);
	ohv_lo_deliver(lo->link.guest, c->to_guest_events);
}

/* IPI handler; the partition may be freed once @kicks drops. */
static void ohv_lo_kick(void *info)
{
	struct ohv_lo_cpu *c = info;
	struct ohv_lo_part *lo = c->lo;

	tasklet_schedule(&c->sig_tasklet);
	atomic_dec(&lo->kicks);
}

/*
 * Raise the partition's interrupt on @cpu, or on this CPU if @cpu is not
 * an online CPU (the VP number comes from the guest). RCU keeps
 * ohv_lo_stop() from returning while a signal is being raised.
 */
static void ohv_lo_signal(struct ohv_lo_part *lo, u32 id, bool to_guest,
			  u32 cpu)
{
	struct ohv_lo_cpu *c;
	int this;

	if (id >= OHV_LO_EVENT_BITS)
		return;
	rcu_read_lock();
	if (READ_ONCE(lo->dead))
		goto out;
	this = get_cpu();
	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		cpu = this;
	c = per_cpu_ptr(lo->cpu, cpu);
	set_bit(id, to_guest ? c->to_guest_events : lo->to_host_events);
	if (cpu == this) {
		tasklet_schedule(&c->sig_tasklet);
	} else {
		/* -EBUSY: an IPI is on its way and schedules the tasklet. */
		atomic_inc(&lo->kicks);
		if (smp_call_function_single_async(cpu, &c->kick))
			atomic_dec(&lo->kicks);
	}
	put_cpu();
out:
	rcu_read_unlock();
}

static void ohv_lo_signal_host(struct ohv_link *link, u32 connection_id)
{
	ohv_lo_signal(to_lo(link), connection_id, false, U32_MAX);
}

static void ohv_lo_signal_guest(struct ohv_link *link, u32 relid, u32 vp)
{
	ohv_lo_signal(to_lo(link), relid, true, vp);
}

/* ---------------------------------------------------------------------- */
/* Guest memory                                                           */
/* ---------------------------------------------------------------------- */

static void ohv_lo_put_pages(struct page **pages, u32 n)
{
	while (n--)
		folio_put(page_folio(pages[n]));
}

static int ohv_lo_get_pages(struct ohv_link *link, const u64 *pfns,
			    u32 count, struct page **pages)
{
	u32 i;

	for (i = 0; i < count; i++) {
		/* Only pages that exist and are allocated to someone. */
		if (!pfn_valid(pfns[i]))
			break;
		pages[i] = pfn_to_page(pfns[i]);
		/* The folio: slab and compound tail pages have no own count. */
		if (!folio_try_get(page_folio(pages[i])))
			break;
	}
	if (i == count)
		return 0;
	ohv_lo_put_pages(pages, i);
	return -EFAULT;
}

static void ohv_lo_put_guest_pages(struct ohv_link *link, struct page **pages,
				   u32 count)
{
	ohv_lo_put_pages(pages, count);
}

static void *ohv_lo_map(struct ohv_link *link, const u64 *pfns, u32 count)
{
	struct page **pages;
	void *va = NULL;

	pages = kvmalloc_array(count, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	if (!ohv_lo_get_pages(link, pfns, count, pages)) {
		va = vmap(pages, count, VM_MAP, PAGE_KERNEL);
		if (!va)
			ohv_lo_put_pages(pages, count);
	}
	kvfree(pages);
	return va;
}

static void ohv_lo_unmap(struct ohv_link *link, void *va, u32 count)
{
	struct page **pages;
	u32 i;

	pages = kvmalloc_array(count, sizeof(*pages), GFP_KERNEL | __GFP_NOFAIL);
	for (i = 0; i < count; i++)
		pages[i] = vmalloc_to_page((u8 *)va + i * PAGE_SIZE);
	vunmap(va);
	ohv_lo_put_pages(pages, count);
	kvfree(pages);
}

static u32 ohv_lo_partition_id(struct ohv_link *link)
{
	return to_lo(link)->id;
}

static const struct ohv_transport_ops ohv_lo_ops = {
	.name = "loopback",
	.post_to_host = ohv_lo_post_to_host,
	.post_to_guest = ohv_lo_post_to_guest,
	.signal_host = ohv_lo_signal_host,
	.signal_guest = ohv_lo_signal_guest,
	.map_guest_pages = ohv_lo_map,
	.unmap_guest_pages = ohv_lo_unmap,
	.get_guest_pages = ohv_lo_get_pages,
	.put_guest_pages = ohv_lo_put_guest_pages,
	.partition_id = ohv_lo_partition_id,
};

/* ---------------------------------------------------------------------- */
/* Partitions                                                             */
/* ---------------------------------------------------------------------- */

/* Stop delivery: nothing reaches either half after this returns. */
static void ohv_lo_stop(struct ohv_lo_part *lo)
{
	int cpu;

	spin_lock_bh(&lo->lock);
	lo->dead = true;
	spin_unlock_bh(&lo->lock);
	synchronize_rcu();	/* no signal is being raised */
	while (atomic_read(&lo->kicks))
		usleep_range(100, 200);
	for_each_possible_cpu(cpu)
		tasklet_kill(&per_cpu_ptr(lo->cpu, cpu)->sig_tasklet);
}

/**
 * ohv_loopback_alloc() - make partition @id with both halves, unconnected
 * @id: partition id, unused so far
 *
 * Return: the partition, or an ERR_PTR().
 */
struct ohv_lo_part *ohv_loopback_alloc(u32 id)
{
	struct ohv_lo_part *lo;
	char name[16];
	int cpu;

	lo = kzalloc(sizeof(*lo), GFP_KERNEL);
	if (!lo)
		return ERR_PTR(-ENOMEM);
	lo->cpu = alloc_percpu(struct ohv_lo_cpu);
	if (!lo->cpu) {
		kfree(lo);
		return ERR_PTR(-ENOMEM);
	}
	lo->id = id;
	lo->link.ops = &ohv_lo_ops;
	spin_lock_init(&lo->lock);
	for_each_possible_cpu(cpu) {
		struct ohv_lo_cpu *c = per_cpu_ptr(lo->cpu, cpu);

		c->lo = lo;
		INIT_CSD(&c->kick, ohv_lo_kick, c);
		tasklet_setup(&c->sig_tasklet, ohv_lo_sig_tasklet);
	}
	lo->link.host = ohv_host_create(&lo->link, id);
	if (!lo->link.host) {
		free_percpu(lo->cpu);
		kfree(lo);
		return ERR_PTR(-EEXIST);
	}
	snprintf(name, sizeof(name), "guest%u", id);
	lo->link.guest = ohv_conn_create(OHV_ROLE_GUEST, &lo->link, name);
	if (!lo->link.guest) {
		ohv_lo_stop(lo);
		ohv_host_destroy(lo->link.host, id);
		free_percpu(lo->cpu);
		kfree(lo);
		return ERR_PTR(-ENOMEM);
	}
	ohv_debugfs_conn_add(lo->link.guest);
	return lo;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_loopback_alloc);

/**
 * ohv_loopback_free() - unload the guest half and remove the partition
 * @lo: the partition
 */
void ohv_loopback_free(struct ohv_lo_part *lo)
{
	ohv_guest_disconnect(lo->link.guest);
	ohv_lo_stop(lo);
	ohv_conn_put(lo->link.guest);
	ohv_host_destroy(lo->link.host, lo->id);
	free_percpu(lo->cpu);
	kfree(lo);
}
EXPORT_SYMBOL_IF_KUNIT(ohv_loopback_free);

/**
 * ohv_loopback_sync() - let everything in flight settle
 * @lo: the partition
 *
 * For tests: a few rounds of flushing both halves' workqueues, so
 * request/response exchanges started before have finished.
 */
void ohv_loopback_sync(struct ohv_lo_part *lo)
{
	int i;

	for (i = 0; i < 4; i++) {
		flush_workqueue(lo->link.host->wq);
		flush_workqueue(lo->link.guest->wq);
		flush_workqueue(lo->link.guest->sub_wq);
		flush_workqueue(lo->link.guest->dev_wq);
	}
}
EXPORT_SYMBOL_IF_KUNIT(ohv_loopback_sync);

/**
 * ohv_loopback_create() - create loopback partition @id and connect it
 * @id: partition id, below 64
 *
 * Return: 0 or a negative errno.
 */
int ohv_loopback_create(u32 id)
{
	struct ohv_lo_part *lo;
	int ret;

	if (id >= OHV_LO_MAX_PARTITIONS)
		return -EINVAL;
	mutex_lock(&ohv_lo_mutex);
	ret = -EEXIST;
	if (ohv_lo_parts[id])
		goto out;
	lo = ohv_loopback_alloc(id);
	ret = PTR_ERR_OR_ZERO(lo);
	if (ret)
		goto out;
	ret = ohv_guest_connect(lo->link.guest);
	if (ret) {
		pr_err("loopback partition %u: connect failed: %d\n", id, ret);
		ohv_loopback_free(lo);
		goto out;
	}
	ohv_lo_parts[id] = lo;
out:
	mutex_unlock(&ohv_lo_mutex);
	return ret;
}

/**
 * ohv_loopback_destroy() - unload the guest half and remove partition @id
 * @id: partition id
 *
 * Return: 0 or -ENOENT.
 */
int ohv_loopback_destroy(u32 id)
{
	struct ohv_lo_part *lo;

	if (id >= OHV_LO_MAX_PARTITIONS)
		return -ENOENT;
	mutex_lock(&ohv_lo_mutex);
	lo = ohv_lo_parts[id];
	ohv_lo_parts[id] = NULL;
	mutex_unlock(&ohv_lo_mutex);
	if (!lo)
		return -ENOENT;
	ohv_loopback_free(lo);
	return 0;
}

int ohv_loopback_init(void)
{
	unsigned int i;
	int ret;

	if (loopback_partitions > OHV_LO_MAX_PARTITIONS)
		return -EINVAL;
	for (i = 0; i < loopback_partitions; i++) {
		ret = ohv_loopback_create(i);
		if (ret) {
			while (i--)
				ohv_loopback_destroy(i);
			return ret;
		}
	}
	return 0;
}

void ohv_loopback_exit(void)
{
	u32 i;

	for (i = 0; i < OHV_LO_MAX_PARTITIONS; i++)
		ohv_loopback_destroy(i);
}
