// SPDX-License-Identifier: GPL-2.0
/*
 * ohv VMBus GPADLs: the guest describes a buffer by its page frames, the
 * host reassembles the description, checks it against its limits and maps
 * the pages through the transport when a user needs them.
 *
 * Wire splitting and reassembly are gpadl_wire.c's; this file holds the
 * state on both sides and the limits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <kunit/visibility.h>
#include <ohv/gpadl_wire.h>

#include "core.h"

/* GPADL_CREATED status for a refused GPADL (STATUS_UNSUCCESSFUL). */
#define OHV_GPADL_STATUS_REFUSED	0xc0000001

unsigned int ohv_max_gpadl_pages = 8190;
module_param_named(max_gpadl_pages, ohv_max_gpadl_pages, uint, 0644);
MODULE_PARM_DESC(max_gpadl_pages,
		 "Host: most pages one guest GPADL may describe");
EXPORT_SYMBOL_IF_KUNIT(ohv_max_gpadl_pages);

unsigned int ohv_max_partition_pages = 1U << 19;
module_param_named(max_partition_pages, ohv_max_partition_pages, uint, 0644);
MODULE_PARM_DESC(max_partition_pages,
		 "Host: most pages all GPADLs of one partition may describe");

/* ---------------------------------------------------------------------- */
/* Guest side                                                             */
/* ---------------------------------------------------------------------- */

/**
 * ohv_gpadl_establish_pfns() - describe guest pages to the host
 * @chan: the channel the GPADL belongs to
 * @pfns: the page frames, in buffer order
 * @npfns: entries in @pfns
 * @offset: where the buffer starts in the first page
 * @size: bytes in the buffer
 * @gpadl: receives the handle
 *
 * Sends a GPADL_HEADER and as many GPADL_BODY messages as needed, then
 * waits for GPADL_CREATED.
 *
 * Return: 0; -EINVAL for a description GPADL messages cannot carry;
 * -EIO if the host refused; -ENODEV on rescind; other errors.
 */
int ohv_gpadl_establish_pfns(struct ohv_channel *chan, const u64 *pfns,
			     u32 npfns, u32 offset, u32 size,
			     struct ohv_gpadl_handle *gpadl)
{
	struct ohv_conn *conn = chan->conn;
	struct ohv_vmbus_msg *msgs;
	struct ohv_gpa_range range;
	struct ohv_wait w;
	u32 id, nr;
	int ret;

	if (!size || offset >= PAGE_SIZE ||
	    npfns != DIV_ROUND_UP((u64)offset + size, PAGE_SIZE))
		return -EINVAL;
	nr = ohv_gpadl_msg_count(npfns);
	if (!nr)
		return -EINVAL;
	msgs = kvmalloc_array(nr, sizeof(*msgs), GFP_KERNEL);
	if (!msgs)
		return -ENOMEM;
	do {
		id = atomic_inc_return(&conn->next_gpadl);
	} while (!id);
	ret = ohv_gpadl_build(msgs, nr, chan->relid, id, pfns, npfns);
	if (ret < 0)
		goto out;
	/* The builder describes whole pages; narrow the range to the buffer. */
	range.byte_count = size;
	range.byte_offset = offset;
	memcpy(msgs[0].raw + sizeof(struct ohv_vmbus_msg_gpadl_header), &range,
	       sizeof(range));

	ohv_wait_init(&w, OHV_CHMSG_GPADL_CREATED, chan->relid, id);
	ret = ohv_conn_request(conn, msgs, ret, &w, chan);
	if (ret)
		goto out;
	if (w.resp.gpadl_created.creation_status) {
		ret = -EIO;
		goto out;
	}
	gpadl->id = id;
	gpadl->size = size;
out:
	kvfree(msgs);
	return ret;
}

/**
 * ohv_gpadl_establish() - describe a kernel buffer to the host
 * @chan: the channel the GPADL belongs to (need not be open)
 * @buf: the buffer: vmalloc()ed, or linear-map memory (kmalloc, pages)
 * @size: its length in bytes; need not be page aligned
 * @gpadl: receives the handle
 *
 * Process context. Buffers of up to 8190 pages (32 MiB less 8 KiB) fit
 * in one GPADL; the host may impose lower limits.
 *
 * Return: 0 or a negative errno (see ohv_gpadl_establish_pfns()).
 */
int ohv_gpadl_establish(struct ohv_channel *chan, void *buf, u32 size,
			struct ohv_gpadl_handle *gpadl)
{
	u32 offset = offset_in_page(buf), npfns, i;
	u8 *page = (u8 *)buf - offset;
	u64 *pfns;
	int ret;

	if (!ohv_conn_is_guest(chan->conn) || !size)
		return -EINVAL;
	npfns = DIV_ROUND_UP((u64)offset + size, PAGE_SIZE);
	pfns = kvmalloc_array(npfns, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	for (i = 0; i < npfns; i++, page += PAGE_SIZE)
		pfns[i] = is_vmalloc_addr(page) ? vmalloc_to_pfn(page) :
						   page_to_pfn(virt_to_page(page));
	ret = ohv_gpadl_establish_pfns(chan, pfns, npfns, offset, size, gpadl);
	kvfree(pfns);
	return ret;
}
EXPORT_SYMBOL_GPL(ohv_gpadl_establish);

/**
 * ohv_gpadl_teardown() - withdraw a GPADL
 * @chan: the channel it belongs to
 * @gpadl: the handle; zeroed
 *
 * Process context. Waits for the host to let go of the pages; after a
 * rescind it does not ask (the host already dropped them). The buffer may
 * be freed when this returns.
 */
void ohv_gpadl_teardown(struct ohv_channel *chan,
			struct ohv_gpadl_handle *gpadl)
{
	struct ohv_conn *conn = chan->conn;
	struct ohv_vmbus_msg msg;
	struct ohv_wait w;

	if (!gpadl->id)
		return;
	if (!ohv_chan_rescinded(chan)) {
		ohv_vmbus_msg_init(&msg, OHV_CHMSG_GPADL_TEARDOWN);
		msg.gpadl_teardown.child_relid = chan->relid;
		msg.gpadl_teardown.gpadl = gpadl->id;
		ohv_wait_init(&w, OHV_CHMSG_GPADL_TORNDOWN, chan->relid,
			      gpadl->id);
		ohv_conn_request(conn, &msg, 1, &w, chan);
	}
	gpadl->id = 0;
	gpadl->size = 0;
}
EXPORT_SYMBOL_GPL(ohv_gpadl_teardown);

/* ---------------------------------------------------------------------- */
/* Host side                                                              */
/* ---------------------------------------------------------------------- */

static void ohv_host_gpadl_release(struct kref *ref)
{
	struct ohv_host_gpadl *hg = container_of(ref, struct ohv_host_gpadl,
						 ref);

	if (hg->va)
		ohv_host_unmap_pfns(hg->conn, hg->va, hg->g.nr_pfns);
	ohv_gpadl_asm_release(&hg->asm_state);
	ohv_gpadl_free(&hg->g);
	ohv_conn_put(hg->conn);
	kfree(hg);
}

void ohv_host_gpadl_put(struct ohv_host_gpadl *hg)
{
	kref_put(&hg->ref, ohv_host_gpadl_release);
}

static void ohv_host_gpadl_reply(struct ohv_conn *conn, u32 relid, u32 id,
				 u32 status)
{
	struct ohv_vmbus_msg msg;

	ohv_vmbus_msg_init(&msg, OHV_CHMSG_GPADL_CREATED);
	msg.gpadl_created.child_relid = relid;
	msg.gpadl_created.gpadl = id;
	msg.gpadl_created.creation_status = status;
	ohv_conn_post(conn, &msg);
}

/* Remove from the table, give back the pages to the partition budget. */
static void ohv_host_gpadl_unlink(struct ohv_conn *conn,
				  struct ohv_host_gpadl *hg)
{
	xa_erase(&conn->gpadls, hg->id);
	conn->gpadl_pages -= hg->g.nr_pfns;
	ohv_host_gpadl_put(hg);
}

static void ohv_host_gpadl_refuse(struct ohv_conn *conn,
				  struct ohv_host_gpadl *hg, u32 msgtype,
				  const char *why)
{
	ohv_conn_reject(conn, msgtype, why);
	ohv_host_gpadl_reply(conn, hg->relid, hg->id, OHV_GPADL_STATUS_REFUSED);
	ohv_host_gpadl_unlink(conn, hg);
}

/* Reassembly done: validate, account and answer. */
static void ohv_host_gpadl_finish(struct ohv_conn *conn,
				  struct ohv_host_gpadl *hg, u32 msgtype)
{
	if (ohv_gpadl_asm_finish(&hg->asm_state, &hg->g)) {
		ohv_host_gpadl_refuse(conn, hg, msgtype, "malformed GPADL");
		return;
	}
	if (hg->g.nr_pfns > ohv_max_gpadl_pages) {
		ohv_host_gpadl_refuse(conn, hg, msgtype, "GPADL too large");
		return;
	}
	if (conn->gpadl_pages + hg->g.nr_pfns > ohv_max_partition_pages) {
		ohv_host_gpadl_refuse(conn, hg, msgtype,
				      "partition GPADL budget exhausted");
		return;
	}
	conn->gpadl_pages += hg->g.nr_pfns;
	/* Pairs with the acquire in ohv_host_gpadl_get_mapped(). */
	smp_store_release(&hg->complete, true);
	ohv_host_gpadl_reply(conn, hg->relid, hg->id, 0);
}

/**
 * ohv_host_gpadl_header() - handle GPADL_HEADER
 * @conn: the host half; conn->lock held
 * @msg: the validated message
 *
 * A well-formed message naming a bad channel or handle is answered with a
 * failed GPADL_CREATED, so the guest does not wait forever.
 */
void ohv_host_gpadl_header(struct ohv_conn *conn,
			   const struct ohv_vmbus_msg *msg)
{
	const struct ohv_vmbus_msg_gpadl_header *h = &msg->gpadl_header;
	struct ohv_channel *chan = xa_load(&conn->chans, h->child_relid);
	struct ohv_host_gpadl *hg;
	const char *why = NULL;

	/* The guest had not seen the rescind yet; it expects no answer. */
	if (chan && ohv_chan_rescinded(chan))
		return;
	if (!chan || !test_bit(OHV_CHAN_F_OFFER_SENT, &chan->flags))
		why = "GPADL for an unknown relid";
	else if (!h->gpadl || xa_load(&conn->gpadls, h->gpadl))
		why = "GPADL handle zero or in use";
	else if (h->range_buflen / sizeof(u64) >
		 (u64)ohv_max_gpadl_pages + h->rangecount)
		why = "GPADL too large";
	if (why) {
		ohv_conn_reject(conn, OHV_CHMSG_GPADL_HEADER, why);
		ohv_host_gpadl_reply(conn, h->child_relid, h->gpadl,
				     OHV_GPADL_STATUS_REFUSED);
		return;
	}
	hg = kzalloc(sizeof(*hg), GFP_KERNEL);
	if (!hg)
		goto nomem;
	kref_init(&hg->ref);
	mutex_init(&hg->map_lock);
	hg->id = h->gpadl;
	hg->relid = h->child_relid;
	hg->conn = conn;
	kref_get(&conn->ref);
	if (ohv_gpadl_asm_begin(&hg->asm_state, msg) ||
	    xa_insert(&conn->gpadls, hg->id, hg, GFP_KERNEL)) {
		ohv_host_gpadl_put(hg);
		goto nomem;
	}
	if (ohv_gpadl_asm_complete(&hg->asm_state))
		ohv_host_gpadl_finish(conn, hg, OHV_CHMSG_GPADL_HEADER);
	return;
nomem:
	ohv_host_gpadl_reply(conn, h->child_relid, h->gpadl,
			     OHV_GPADL_STATUS_REFUSED);
}

/**
 * ohv_host_gpadl_body() - handle GPADL_BODY
 * @conn: the host half; conn->lock held
 * @msg: the validated message
 */
void ohv_host_gpadl_body(struct ohv_conn *conn, const struct ohv_vmbus_msg *msg)
{
	struct ohv_host_gpadl *hg = xa_load(&conn->gpadls,
					    msg->gpadl_body.gpadl);

	if (!hg || hg->complete) {
		ohv_conn_reject(conn, OHV_CHMSG_GPADL_BODY,
				"body for an unknown or complete GPADL");
		return;
	}
	if (ohv_gpadl_asm_add_body(&hg->asm_state, msg)) {
		ohv_host_gpadl_refuse(conn, hg, OHV_CHMSG_GPADL_BODY,
				      "body does not fit the GPADL");
		return;
	}
	if (ohv_gpadl_asm_complete(&hg->asm_state))
		ohv_host_gpadl_finish(conn, hg, OHV_CHMSG_GPADL_BODY);
}

/**
 * ohv_host_gpadl_teardown() - handle GPADL_TEARDOWN
 * @conn: the host half; conn->lock held
 * @msg: the validated message
 *
 * Mappings made from the GPADL stay valid until their users unmap them:
 * they hold their own reference, and the transport keeps the pages.
 */
void ohv_host_gpadl_teardown(struct ohv_conn *conn,
			     const struct ohv_vmbus_msg *msg)
{
	const struct ohv_vmbus_msg_gpadl_teardown *t = &msg->gpadl_teardown;
	struct ohv_host_gpadl *hg = xa_load(&conn->gpadls, t->gpadl);
	struct ohv_channel *chan = xa_load(&conn->chans, t->child_relid);
	struct ohv_vmbus_msg reply;

	/* The rescind dropped the GPADL; the guest expects no answer. */
	if (!hg && chan && ohv_chan_rescinded(chan))
		return;
	if (!hg || !hg->complete || hg->relid != t->child_relid) {
		ohv_conn_reject(conn, OHV_CHMSG_GPADL_TEARDOWN,
				"teardown of an unknown GPADL");
		return;
	}
	ohv_host_gpadl_unlink(conn, hg);
	ohv_vmbus_msg_init(&reply, OHV_CHMSG_GPADL_TORNDOWN);
	reply.gpadl_torndown.gpadl = t->gpadl;
	ohv_conn_post(conn, &reply);
}

/**
 * ohv_host_gpadl_drop_relid() - forget the GPADLs of a channel
 * @conn: the host half; conn->lock held
 * @relid: the channel, or 0 for all channels
 */
void ohv_host_gpadl_drop_relid(struct ohv_conn *conn, u32 relid)
{
	struct ohv_host_gpadl *hg;
	unsigned long id;

	xa_for_each(&conn->gpadls, id, hg)
		if (!relid || hg->relid == relid)
			ohv_host_gpadl_unlink(conn, hg);
}

/**
 * ohv_host_gpadl_find() - look up a complete GPADL
 * @conn: the host half; conn->lock held
 * @id: the handle
 *
 * Return: the GPADL with a reference held, or NULL.
 */
struct ohv_host_gpadl *ohv_host_gpadl_find(struct ohv_conn *conn, u32 id)
{
	struct ohv_host_gpadl *hg = xa_load(&conn->gpadls, id);

	if (!hg || !hg->complete)
		return NULL;
	kref_get(&hg->ref);
	return hg;
}

/**
 * ohv_host_map_pfns() - map guest pages through the transport
 * @conn: the host half
 * @pfns: guest page frames, in order, possibly repeating
 * @count: entries in @pfns
 *
 * Return: the mapping or NULL.
 */
void *ohv_host_map_pfns(struct ohv_conn *conn, const u64 *pfns, u32 count)
{
	struct ohv_link *link = conn->link;

	return link->ops->map_guest_pages(link, pfns, count);
}

void ohv_host_unmap_pfns(struct ohv_conn *conn, void *va, u32 count)
{
	struct ohv_link *link = conn->link;

	link->ops->unmap_guest_pages(link, va, count);
}

/*
 * Find GPADL @id for @chan and map all its pages, in wire order, if it has
 * at least one and at most @max_ranges ranges (else -EOPNOTSUPP or -ENOSPC
 * as @single says).
 */
static struct ohv_host_gpadl *ohv_host_gpadl_get_mapped(struct ohv_channel *chan,
							u32 id, u32 max_ranges,
							bool single)
{
	struct ohv_conn *conn = chan->conn;
	struct ohv_host_gpadl *hg;

	if (ohv_conn_is_guest(conn))
		return ERR_PTR(-EINVAL);
	/*
	 * Providers map GPADLs from their channel work, and the core closes
	 * channels (which waits for that work) under conn->lock; so this
	 * lookup must not take conn->lock. The table holds a reference that
	 * is dropped only after xa_erase(), which needs the xa_lock held
	 * here, so a GPADL seen under it can safely be referenced.
	 */
	xa_lock(&conn->gpadls);
	hg = xa_load(&conn->gpadls, id);
	/* Pairs with the release in the GPADL completion: pages are built. */
	if (hg && smp_load_acquire(&hg->complete))
		kref_get(&hg->ref);
	else
		hg = NULL;
	xa_unlock(&conn->gpadls);
	if (!hg)
		return ERR_PTR(-ENOENT);
	if (hg->relid != ohv_chan_primary(chan)->relid && hg->relid !=
	    chan->relid) {
		ohv_host_gpadl_put(hg);
		return ERR_PTR(-EPERM);
	}
	if (hg->g.nr_ranges > max_ranges) {
		ohv_host_gpadl_put(hg);
		return ERR_PTR(single ? -EOPNOTSUPP : -ENOSPC);
	}
	mutex_lock(&hg->map_lock);
	if (!hg->va)
		hg->va = ohv_host_map_pfns(conn, hg->g.pfns, hg->g.nr_pfns);
	mutex_unlock(&hg->map_lock);
	if (!hg->va) {
		ohv_host_gpadl_put(hg);
		return ERR_PTR(-ENOMEM);
	}
	return hg;
}

/**
 * ohv_host_gpadl_map() - map a guest GPADL into the host kernel
 * @chan: host channel the GPADL was created for
 * @id: the GPADL handle (from a driver-level message)
 * @va: receives the address of the buffer's first byte
 * @size: receives the buffer's length
 *
 * Process context. Only single-range GPADLs (what Linux guests create) can
 * be mapped this way; see ohv_host_gpadl_map_ranges() for the others. The
 * mapping outlives a guest teardown of the GPADL; drop it with
 * ohv_host_gpadl_unmap().
 *
 * Return: a handle for ohv_host_gpadl_unmap(), or an ERR_PTR().
 */
struct ohv_host_gpadl *ohv_host_gpadl_map(struct ohv_channel *chan, u32 id,
					  void **va, u32 *size)
{
	struct ohv_host_gpadl *hg;

	hg = ohv_host_gpadl_get_mapped(chan, id, 1, true);
	if (IS_ERR(hg))
		return hg;
	*va = (u8 *)hg->va + hg->g.ranges[0].byte_offset;
	*size = hg->g.ranges[0].byte_count;
	return hg;
}
EXPORT_SYMBOL_GPL(ohv_host_gpadl_map);

/**
 * ohv_host_gpadl_map_ranges() - map a guest GPADL of one or more ranges
 * @chan: host channel the GPADL was created for
 * @id: the GPADL handle
 * @ranges: receives one entry per range, in wire order
 * @max_ranges: room at @ranges
 * @nr_ranges: receives the number of ranges
 *
 * Process context. Each range is contiguous in host memory (all pages of
 * the GPADL are mapped once, in order); different ranges are separate
 * buffers. The mapping lives until ohv_host_gpadl_unmap().
 *
 * Return: a handle for ohv_host_gpadl_unmap(), or an ERR_PTR(): -ENOSPC
 * if the GPADL has more than @max_ranges ranges, else as
 * ohv_host_gpadl_map().
 */
struct ohv_host_gpadl *
ohv_host_gpadl_map_ranges(struct ohv_channel *chan, u32 id,
			  struct ohv_host_gpadl_range *ranges, u32 max_ranges,
			  u32 *nr_ranges)
{
	struct ohv_host_gpadl *hg;
	u32 i;

	hg = ohv_host_gpadl_get_mapped(chan, id, max_ranges, false);
	if (IS_ERR(hg))
		return hg;
	/* The assembler checked that every range's PFNs are within g.pfns. */
	for (i = 0; i < hg->g.nr_ranges; i++) {
		const struct ohv_gpadl_range *r = &hg->g.ranges[i];

		ranges[i].va = (u8 *)hg->va + (size_t)r->pfn_start * PAGE_SIZE +
			       r->byte_offset;
		ranges[i].size = r->byte_count;
	}
	*nr_ranges = hg->g.nr_ranges;
	return hg;
}
EXPORT_SYMBOL_GPL(ohv_host_gpadl_map_ranges);

/**
 * ohv_host_gpadl_unmap() - drop a mapping from ohv_host_gpadl_map()
 * @hg: the handle
 *
 * Process context.
 */
void ohv_host_gpadl_unmap(struct ohv_host_gpadl *hg)
{
	ohv_host_gpadl_put(hg);
}
EXPORT_SYMBOL_GPL(ohv_host_gpadl_unmap);

/**
 * ohv_host_map_gpa() - map the pages of a GPA-direct packet
 * @chan: the host channel the packet came on
 * @pfns: the packet's page frames (already copied out of the ring)
 * @count: entries in @pfns
 *
 * Process context.
 *
 * Return: the mapping of the first page, or NULL.
 */
void *ohv_host_map_gpa(struct ohv_channel *chan, const u64 *pfns, u32 count)
{
	if (ohv_conn_is_guest(chan->conn) || !count ||
	    count > ohv_max_gpadl_pages)
		return NULL;
	return ohv_host_map_pfns(chan->conn, pfns, count);
}
EXPORT_SYMBOL_GPL(ohv_host_map_gpa);

/**
 * ohv_host_unmap_gpa() - undo ohv_host_map_gpa()
 * @chan: the channel
 * @va: the mapping
 * @count: pages mapped
 */
void ohv_host_unmap_gpa(struct ohv_channel *chan, void *va, u32 count)
{
	ohv_host_unmap_pfns(chan->conn, va, count);
}
EXPORT_SYMBOL_GPL(ohv_host_unmap_gpa);

/**
 * ohv_host_get_gpa_pages() - the pages of a GPA-direct packet, unmapped
 * @chan: the host channel the packet came on
 * @pfns: the packet's page frames (already copied out of the ring)
 * @count: entries in @pfns
 * @pages: room for @count pages
 *
 * For data that goes to a scatterlist: no kernel mapping is made, only a
 * reference on each page, so per-I/O cost stays low. Process context.
 *
 * Return: 0; -EFAULT if a frame is not the partition's memory; -EINVAL
 * for a bad count; -EOPNOTSUPP if the transport cannot (then map instead).
 */
int ohv_host_get_gpa_pages(struct ohv_channel *chan, const u64 *pfns,
			   u32 count, struct page **pages)
{
	struct ohv_link *link = chan->conn->link;

	if (ohv_conn_is_guest(chan->conn) || !count ||
	    count > ohv_max_gpadl_pages)
		return -EINVAL;
	if (!link->ops->get_guest_pages)
		return -EOPNOTSUPP;
	return link->ops->get_guest_pages(link, pfns, count, pages);
}
EXPORT_SYMBOL_GPL(ohv_host_get_gpa_pages);

/**
 * ohv_host_put_gpa_pages() - undo ohv_host_get_gpa_pages()
 * @chan: the channel
 * @pages: the pages
 * @count: how many
 */
void ohv_host_put_gpa_pages(struct ohv_channel *chan, struct page **pages,
			    u32 count)
{
	struct ohv_link *link = chan->conn->link;

	link->ops->put_guest_pages(link, pages, count);
}
EXPORT_SYMBOL_GPL(ohv_host_put_gpa_pages);
