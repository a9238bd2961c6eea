// SPDX-License-Identifier: GPL-2.0
/*
 * ohv VMBus host (server) role: one partition object per guest. Providers
 * offer channels to a partition; the guest's messages open them on rings
 * in guest memory, which the host maps through the transport.
 *
 * Everything a partition does happens under its conn->lock: the message
 * handlers (run one at a time on the connection's workqueue) and the
 * provider calls ohv_host_offer() and ohv_host_rescind(). Provider open and
 * close callbacks run under it too, so they must not offer or rescind.
 *
 * After the host rescinds a channel the guest may still send messages
 * about it until it answers with RELID_RELEASED (a Linux guest closes the
 * channel it was using); those are ignored, not counted as bad.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "core.h"
#include "ohv_vmbus.h"

/* OPENCHANNEL_RESULT status for a refused open (STATUS_UNSUCCESSFUL). */
#define OHV_OPEN_STATUS_REFUSED	0xc0000001

/* Partitions by id, for providers. */
static DEFINE_XARRAY(ohv_partitions);

/* ---------------------------------------------------------------------- */
/* Channel open and close                                                 */
/* ---------------------------------------------------------------------- */

/*
 * Map one ring of the ring GPADL: its header page, then its data pages
 * twice, so packets never wrap in memory.
 */
static void *ohv_host_ring_map(struct ohv_conn *conn, const u64 *pfns,
			       u32 npages)
{
	u32 ndata = npages - 1, i;
	u64 *map;
	void *va;

	map = kmalloc_array(1 + 2 * ndata, sizeof(*map), GFP_KERNEL);
	if (!map)
		return NULL;
	map[0] = pfns[0];
	for (i = 0; i < ndata; i++) {
		map[1 + i] = pfns[1 + i];
		map[1 + ndata + i] = pfns[1 + i];
	}
	va = ohv_host_map_pfns(conn, map, 1 + 2 * ndata);
	kfree(map);
	return va;
}

static void ohv_host_rings_unmap(struct ohv_channel *chan)
{
	struct ohv_conn *conn = chan->conn;
	u32 i;

	for (i = 0; i < 2; i++) {
		u32 data_pages = (i == 0 ? chan->out.size : chan->in.size) /
				 PAGE_SIZE;

		if (chan->ring_va[i])
			ohv_host_unmap_pfns(conn, chan->ring_va[i],
					    1 + 2 * data_pages);
		chan->ring_va[i] = NULL;
	}
	if (chan->ring_hg)
		ohv_host_gpadl_put(chan->ring_hg);
	chan->ring_hg = NULL;
}

/*
 * The guest's outbound ring (first in the GPADL) is the host's inbound
 * ring, and the other way round.
 */
static int ohv_host_rings_map(struct ohv_channel *chan,
			      const struct ohv_vmbus_msg_open *o,
			      const char **why)
{
	struct ohv_conn *conn = chan->conn;
	struct ohv_host_gpadl *hg;
	u32 g2h_pages, h2g_pages;

	hg = ohv_host_gpadl_find(conn, o->ringbuffer_gpadlhandle);
	if (!hg || hg->relid != chan->relid) {
		*why = "ring GPADL unknown or of another channel";
		goto err_put;
	}
	chan->ring_hg = hg;
	g2h_pages = o->downstream_ringbuffer_pageoffset;
	if (hg->g.nr_ranges != 1 || hg->g.ranges[0].byte_offset ||
	    g2h_pages < 2 || g2h_pages > hg->g.nr_pfns - 2) {
		*why = "ring GPADL layout invalid";
		goto err;
	}
	h2g_pages = hg->g.nr_pfns - g2h_pages;
	if (chan->prov->max_ring_bytes &&
	    ((g2h_pages - 1) * PAGE_SIZE > chan->prov->max_ring_bytes ||
	     (h2g_pages - 1) * PAGE_SIZE > chan->prov->max_ring_bytes)) {
		*why = "ring larger than the provider allows";
		goto err;
	}
	/* Sizes first: ohv_host_rings_unmap() derives the mapping sizes. */
	chan->in.size = (g2h_pages - 1) * PAGE_SIZE;
	chan->out.size = (h2g_pages - 1) * PAGE_SIZE;
	chan->ring_va[1] = ohv_host_ring_map(conn, hg->g.pfns, g2h_pages);
	chan->ring_va[0] = ohv_host_ring_map(conn, hg->g.pfns + g2h_pages,
					     h2g_pages);
	if (!chan->ring_va[0] || !chan->ring_va[1]) {
		*why = "cannot map the rings";
		goto err;
	}
	if (ohv_chan_rings_init(chan, chan->ring_va[0], chan->out.size,
				chan->ring_va[1], chan->in.size)) {
		*why = "ring headers invalid";
		goto err;
	}
	return 0;
err:
	ohv_host_rings_unmap(chan);
	return -EINVAL;
err_put:
	if (hg)
		ohv_host_gpadl_put(hg);
	return -EINVAL;
}

static void ohv_host_open_result(struct ohv_conn *conn, u32 relid,
				 u32 openid, u32 status)
{
	struct ohv_vmbus_msg msg;

	ohv_vmbus_msg_init(&msg, OHV_CHMSG_OPENCHANNEL_RESULT);
	msg.open_result.child_relid = relid;
	msg.open_result.openid = openid;
	msg.open_result.status = status;
	ohv_conn_post(conn, &msg);
}

static void ohv_host_open(struct ohv_conn *conn,
			  const struct ohv_vmbus_msg_open *o)
{
	struct ohv_channel *chan = xa_load(&conn->chans, o->child_relid);
	const char *why = NULL;
	int ret;

	/* The guest had not seen the rescind yet; it expects no answer. */
	if (chan && ohv_chan_rescinded(chan))
		return;
	if (!chan || !test_bit(OHV_CHAN_F_OFFER_SENT, &chan->flags))
		why = "open of an unknown relid";
	else if (chan->state != OHV_CHAN_OFFERED)
		why = "open of an open channel";
	else if (ohv_host_rings_map(chan, o, &why) == 0)
		why = NULL;
	if (why) {
		ohv_conn_reject(conn, OHV_CHMSG_OPENCHANNEL, why);
		ohv_host_open_result(conn, o->child_relid, o->openid,
				     OHV_OPEN_STATUS_REFUSED);
		return;
	}
	/* Checked by the transport when it signals: an invalid VP is any. */
	WRITE_ONCE(chan->target_vp, o->target_vp);
	ret = chan->prov->open ? chan->prov->open(chan, o->userdata) : 0;
	if (ret) {
		ohv_chan_rings_down(chan);
		ohv_host_rings_unmap(chan);
		ohv_host_open_result(conn, o->child_relid, o->openid,
				     OHV_OPEN_STATUS_REFUSED);
		return;
	}
	chan->state = OHV_CHAN_OPEN;
	/*
	 * The callback context is the driver data open() may have set. A
	 * guest may have written before the callback was on: look once.
	 */
	ohv_chan_start_cb(chan, chan->prov->rx, chan->drvdata,
			  chan->prov->cb_mode);
	if (chan->prov->rx)
		ohv_chan_interrupt(chan);
	trace_ohv_chan_state(conn->name, chan->relid, "open");
	ohv_host_open_result(conn, o->child_relid, o->openid, 0);
}

/* conn->lock held */
static void ohv_host_close_chan(struct ohv_channel *chan)
{
	if (chan->state != OHV_CHAN_OPEN)
		return;
	ohv_chan_stop_cb(chan);
	/* Senders blocked on a full ring give up before close() waits. */
	ohv_chan_rings_down(chan);
	if (chan->prov->close)
		chan->prov->close(chan);
	ohv_host_rings_unmap(chan);
	chan->state = OHV_CHAN_OFFERED;
	trace_ohv_chan_state(chan->conn->name, chan->relid, "closed");
}

static void ohv_host_close(struct ohv_conn *conn, u32 relid)
{
	struct ohv_channel *chan = xa_load(&conn->chans, relid);

	if (chan && ohv_chan_rescinded(chan))
		return;
	if (!chan || chan->state != OHV_CHAN_OPEN) {
		ohv_conn_reject(conn, OHV_CHMSG_CLOSECHANNEL,
				"close of a channel that is not open");
		return;
	}
	ohv_host_close_chan(chan);
}

/* ---------------------------------------------------------------------- */
/* Offers                                                                 */
/* ---------------------------------------------------------------------- */

/* conn->lock held */
static void ohv_host_send_offer(struct ohv_channel *chan)
{
	struct ohv_vmbus_msg msg;

	ohv_vmbus_msg_init(&msg, OHV_CHMSG_OFFERCHANNEL);
	msg.offer.offer = chan->offer;
	msg.offer.child_relid = chan->relid;
	msg.offer.connection_id = chan->connection_id;
	if (!ohv_conn_post(chan->conn, &msg))
		set_bit(OHV_CHAN_F_OFFER_SENT, &chan->flags);
}

/* conn->lock held */
static void ohv_host_forget(struct ohv_channel *chan)
{
	struct ohv_conn *conn = chan->conn;

	if (!test_and_clear_bit(OHV_CHAN_F_IN_TABLE, &chan->flags))
		return;
	xa_erase(&conn->chans, chan->relid);
	list_del_init(&chan->sub_node);
	ohv_debugfs_chan_remove(chan);
	trace_ohv_chan_state(conn->name, chan->relid, "released");
	ohv_chan_put(chan);
}

static void ohv_host_request_offers(struct ohv_conn *conn)
{
	struct ohv_channel *chan;
	struct ohv_vmbus_msg msg;
	unsigned long relid;

	if (conn->offers_requested) {
		ohv_conn_reject(conn, OHV_CHMSG_REQUESTOFFERS, "asked twice");
		return;
	}
	/* Primaries before sub-channels: a guest finds a sub's primary. */
	xa_for_each(&conn->chans, relid, chan)
		if (!chan->primary && !ohv_chan_rescinded(chan))
			ohv_host_send_offer(chan);
	xa_for_each(&conn->chans, relid, chan)
		if (chan->primary && !ohv_chan_rescinded(chan))
			ohv_host_send_offer(chan);
	ohv_vmbus_msg_init(&msg, OHV_CHMSG_ALLOFFERS_DELIVERED);
	ohv_conn_post(conn, &msg);
	conn->offers_requested = true;
}

static struct ohv_channel *ohv_host_new_chan(struct ohv_conn *conn,
					     const struct ohv_provider *prov,
					     const struct ohv_vmbus_offer *offer)
{
	struct ohv_channel *chan;
	u32 relid;

	chan = ohv_chan_alloc(conn, 0, offer);
	if (!chan)
		return NULL;
	if (xa_alloc(&conn->chans, &relid, chan,
		     XA_LIMIT(1, OHV_MAX_RELID), GFP_KERNEL)) {
		ohv_chan_put(chan);
		return NULL;
	}
	chan->relid = relid;
	chan->connection_id = relid;
	chan->prov = prov;
	set_bit(OHV_CHAN_F_IN_TABLE, &chan->flags);
	ohv_debugfs_chan_add(chan);
	trace_ohv_chan_state(conn->name, relid, "offered");
	if (conn->offers_requested)
		ohv_host_send_offer(chan);
	return chan;
}

static void ohv_host_subchan_work(struct work_struct *work);

/**
 * ohv_host_offer() - offer a device instance to a partition
 * @part: the partition (see ohv_partition_get())
 * @prov: the provider; must outlive the offer
 * @params: instance GUID, offer data and provider data
 *
 * Process context. The offer reaches the guest at once if it is connected,
 * else when it asks for offers. The provider's callbacks run for the
 * channel until ohv_host_rescind() returns.
 *
 * Return: the channel (the provider's handle), or an ERR_PTR().
 */
struct ohv_channel *ohv_host_offer(struct ohv_partition *part,
				   const struct ohv_provider *prov,
				   const struct ohv_offer_params *params)
{
	struct ohv_conn *conn = &part->conn;
	struct ohv_vmbus_offer offer = {};
	struct ohv_channel *chan;

	offer.if_type = prov->class_id;
	offer.if_instance = params->instance_id;
	if (params->user_def)
		memcpy(offer.u.user_def, params->user_def,
		       sizeof(offer.u.user_def));
	mutex_lock(&conn->lock);
	chan = ohv_host_new_chan(conn, prov, &offer);
	if (chan) {
		chan->offer_priv = params->priv;
		INIT_WORK(&chan->subchan_work, ohv_host_subchan_work);
		/* The provider's reference. */
		ohv_chan_get(chan);
	}
	mutex_unlock(&conn->lock);
	return chan ?: ERR_PTR(-ENOSPC);
}
EXPORT_SYMBOL_GPL(ohv_host_offer);

static void ohv_host_subchan_work(struct work_struct *work)
{
	struct ohv_channel *primary = container_of(work, struct ohv_channel,
						   subchan_work);
	struct ohv_conn *conn = primary->conn;
	struct ohv_vmbus_offer offer;
	struct ohv_channel *sub;
	unsigned int have = 0;

	mutex_lock(&conn->lock);
	list_for_each_entry(sub, &primary->subchans, sub_node)
		have++;
	while (!ohv_chan_rescinded(primary) && have < primary->subchan_want) {
		offer = primary->offer;
		offer.sub_channel_index = ++have;
		sub = ohv_host_new_chan(conn, primary->prov, &offer);
		if (!sub)
			break;
		sub->offer_priv = primary->offer_priv;
		ohv_chan_get(primary);
		sub->primary = primary;
		list_add_tail(&sub->sub_node, &primary->subchans);
	}
	mutex_unlock(&conn->lock);
	ohv_chan_put(primary);
}

/**
 * ohv_host_offer_priv() - the provider data an offer was made with
 * @chan: a host channel; for a sub-channel, its primary's offer counts
 *
 * Return: &ohv_offer_params.priv.
 */
void *ohv_host_offer_priv(const struct ohv_channel *chan)
{
	return chan->offer_priv;
}
EXPORT_SYMBOL_GPL(ohv_host_offer_priv);

/**
 * ohv_host_offer_subchannels() - offer sub-channels of a primary
 * @primary: a channel from ohv_host_offer()
 * @n: how many sub-channels the primary should have in total
 *	(at most %OHV_MAX_SUBCHANNELS); existing ones count
 *
 * Any context; the offers go out asynchronously, with sub_channel_index
 * 1..@n. Each is opened by the guest like a primary, and the provider's
 * open callback sees it (ohv_chan_primary() tells which primary).
 *
 * Return: 0 or -EINVAL.
 */
int ohv_host_offer_subchannels(struct ohv_channel *primary, unsigned int n)
{
	struct ohv_conn *conn = primary->conn;

	if (ohv_conn_is_guest(conn) || primary->primary ||
	    n > OHV_MAX_SUBCHANNELS)
		return -EINVAL;
	WRITE_ONCE(primary->subchan_want, n);
	ohv_chan_get(primary);
	if (!queue_work(conn->wq, &primary->subchan_work))
		ohv_chan_put(primary);
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_host_offer_subchannels);

/* conn->lock held */
static void ohv_host_rescind_locked(struct ohv_channel *chan)
{
	struct ohv_conn *conn = chan->conn;
	struct ohv_channel *sub, *tmp;
	struct ohv_vmbus_msg msg;

	if (test_and_set_bit(OHV_CHAN_F_RESCINDED, &chan->flags))
		return;
	/* Sub-channels go first, as on Hyper-V. */
	list_for_each_entry_safe(sub, tmp, &chan->subchans, sub_node)
		ohv_host_rescind_locked(sub);
	ohv_host_close_chan(chan);
	ohv_host_gpadl_drop_relid(conn, chan->relid);
	trace_ohv_chan_state(conn->name, chan->relid, "rescinded");
	if (test_bit(OHV_CHAN_F_OFFER_SENT, &chan->flags) &&
	    READ_ONCE(conn->state) == OHV_CONN_CONNECTED) {
		/* The relid stays taken until the guest releases it. */
		ohv_vmbus_msg_init(&msg, OHV_CHMSG_RESCIND_CHANNELOFFER);
		msg.rescind.child_relid = chan->relid;
		if (!ohv_conn_post(conn, &msg))
			return;
	}
	ohv_host_forget(chan);
}

/**
 * ohv_host_rescind() - withdraw an offer
 * @chan: a channel from ohv_host_offer(); the handle is dead afterwards
 *
 * Process context. Closes the channel (calling the provider's close),
 * rescinds its sub-channels, and tells the guest. No provider callback
 * runs for the channel after this returns.
 */
void ohv_host_rescind(struct ohv_channel *chan)
{
	struct ohv_conn *conn = chan->conn;

	cancel_work_sync(&chan->subchan_work);
	mutex_lock(&conn->lock);
	ohv_host_rescind_locked(chan);
	mutex_unlock(&conn->lock);
	/* A sub-channel offer work may hold the last reference but ours. */
	ohv_chan_put(chan);
}
EXPORT_SYMBOL_GPL(ohv_host_rescind);

static void ohv_host_relid_released(struct ohv_conn *conn, u32 relid)
{
	struct ohv_channel *chan = xa_load(&conn->chans, relid);

	if (!chan || !ohv_chan_rescinded(chan)) {
		ohv_conn_reject(conn, OHV_CHMSG_RELID_RELEASED,
				"release of a relid that was not rescinded");
		return;
	}
	ohv_host_forget(chan);
}

/* ---------------------------------------------------------------------- */
/* Contact and unload                                                     */
/* ---------------------------------------------------------------------- */

static bool ohv_host_supports(const struct ohv_conn *conn, u32 version)
{
	unsigned int i;

	for (i = 0; i < conn->nr_supported; i++)
		if (conn->supported[i] == version)
			return true;
	return false;
}

static void ohv_host_contact(struct ohv_conn *conn, u32 conn_id,
			     const struct ohv_vmbus_msg_initiate_contact *ic)
{
	u32 version = ic->vmbus_version_requested;
	struct ohv_vmbus_msg msg;
	bool ok;

	if (conn_id != ohv_conn_contact_id(version)) {
		ohv_conn_reject(conn, OHV_CHMSG_INITIATE_CONTACT,
				"wrong connection id for the version");
		return;
	}
	if (conn->state == OHV_CONN_CONNECTED) {
		ohv_conn_reject(conn, OHV_CHMSG_INITIATE_CONTACT,
				"already connected");
		return;
	}
	ok = ohv_host_supports(conn, version);
	ohv_vmbus_msg_init(&msg, OHV_CHMSG_VERSION_RESPONSE);
	msg.version_response.version_supported = ok;
	if (ok && version >= OHV_VMBUS_VERSION_WIN10_V5)
		msg.version_response.msg_conn_id = conn->msg_conn_id;
	if (ohv_conn_post(conn, &msg) || !ok)
		return;
	conn->version = version;
	WRITE_ONCE(conn->state, OHV_CONN_CONNECTED);
	pr_info("%s: guest connected, protocol %u.%u\n", conn->name,
		version >> 16, version & 0xffff);
}

/* conn->lock held: forget everything the guest did, keep the offers. */
static void ohv_host_reset(struct ohv_conn *conn)
{
	struct ohv_channel *chan;
	unsigned long relid;

	xa_for_each(&conn->chans, relid, chan) {
		ohv_host_close_chan(chan);
		clear_bit(OHV_CHAN_F_OFFER_SENT, &chan->flags);
		if (ohv_chan_rescinded(chan))
			ohv_host_forget(chan);
	}
	ohv_host_gpadl_drop_relid(conn, 0);
	conn->offers_requested = false;
}

static void ohv_host_unload(struct ohv_conn *conn)
{
	struct ohv_vmbus_msg msg;

	ohv_host_reset(conn);
	ohv_vmbus_msg_init(&msg, OHV_CHMSG_UNLOAD_RESPONSE);
	ohv_conn_post(conn, &msg);
	WRITE_ONCE(conn->state, OHV_CONN_DISCONNECTED);
	pr_info("%s: guest unloaded\n", conn->name);
}

/**
 * ohv_host_handle_msg() - handle one validated message from the guest
 * @conn: the host half
 * @conn_id: connection id the guest posted it to
 * @msg: the message
 */
void ohv_host_handle_msg(struct ohv_conn *conn, u32 conn_id,
			 const struct ohv_vmbus_msg *msg)
{
	u32 type = msg->hdr.msgtype;

	mutex_lock(&conn->lock);
	if (type == OHV_CHMSG_INITIATE_CONTACT) {
		ohv_host_contact(conn, conn_id, &msg->initiate_contact);
		goto out;
	}
	if (conn->state != OHV_CONN_CONNECTED) {
		ohv_conn_reject(conn, type, "guest not connected");
		goto out;
	}
	/* Before 5.0 the guest keeps using connection id 1. */
	if (conn_id != (conn->version >= OHV_VMBUS_VERSION_WIN10_V5 ?
			conn->msg_conn_id : OHV_VMBUS_MESSAGE_CONNECTION_ID)) {
		ohv_conn_reject(conn, type, "wrong connection id");
		goto out;
	}
	switch (type) {
	case OHV_CHMSG_REQUESTOFFERS:
		ohv_host_request_offers(conn);
		break;
	case OHV_CHMSG_GPADL_HEADER:
		ohv_host_gpadl_header(conn, msg);
		break;
	case OHV_CHMSG_GPADL_BODY:
		ohv_host_gpadl_body(conn, msg);
		break;
	case OHV_CHMSG_GPADL_TEARDOWN:
		ohv_host_gpadl_teardown(conn, msg);
		break;
	case OHV_CHMSG_OPENCHANNEL:
		ohv_host_open(conn, &msg->open);
		break;
	case OHV_CHMSG_CLOSECHANNEL:
		ohv_host_close(conn, msg->close.child_relid);
		break;
	case OHV_CHMSG_RELID_RELEASED:
		ohv_host_relid_released(conn, msg->relid_released.child_relid);
		break;
	case OHV_CHMSG_UNLOAD:
		ohv_host_unload(conn);
		break;
	default:
		ohv_conn_reject(conn, type, "not a guest-to-host message");
		break;
	}
out:
	mutex_unlock(&conn->lock);
}

/* ---------------------------------------------------------------------- */
/* Partitions                                                             */
/* ---------------------------------------------------------------------- */

/**
 * ohv_host_create() - make the host half of partition @id
 * @link: the transport link
 * @id: partition id, unique
 *
 * Return: the host half, registered for ohv_partition_get(), or NULL.
 */
struct ohv_conn *ohv_host_create(struct ohv_link *link, u32 id)
{
	struct ohv_conn *conn;
	char name[16];

	snprintf(name, sizeof(name), "host%u", id);
	conn = ohv_conn_create(OHV_ROLE_HOST, link, name);
	if (!conn)
		return NULL;
	if (xa_insert(&ohv_partitions, id, conn, GFP_KERNEL)) {
		ohv_conn_put(conn);
		return NULL;
	}
	ohv_debugfs_conn_add(conn);
	return conn;
}

/**
 * ohv_host_destroy() - take a partition away
 * @conn: the host half
 * @id: its partition id
 *
 * Closes open channels; offers still there (providers should have
 * rescinded them) are dropped with a warning.
 */
void ohv_host_destroy(struct ohv_conn *conn, u32 id)
{
	struct ohv_channel *chan;
	unsigned long relid;

	xa_erase(&ohv_partitions, id);
	ohv_conn_stop(conn);
	mutex_lock(&conn->lock);
	ohv_host_reset(conn);
	xa_for_each(&conn->chans, relid, chan) {
		pr_warn("%s: relid %u still offered at teardown\n",
			conn->name, chan->relid);
		ohv_host_forget(chan);
	}
	mutex_unlock(&conn->lock);
	ohv_debugfs_conn_remove(conn);
	ohv_conn_put(conn);
}

/**
 * ohv_partition_get() - find a partition to offer devices to
 * @id: partition id (loopback partitions are numbered from 0)
 *
 * Return: the partition with a reference held, or NULL.
 */
struct ohv_partition *ohv_partition_get(u32 id)
{
	struct ohv_conn *conn;

	xa_lock(&ohv_partitions);
	conn = xa_load(&ohv_partitions, id);
	if (conn)
		kref_get(&conn->ref);
	xa_unlock(&ohv_partitions);
	return conn ? container_of(conn, struct ohv_partition, conn) : NULL;
}
EXPORT_SYMBOL_GPL(ohv_partition_get);

/**
 * ohv_partition_put() - drop a reference from ohv_partition_get()
 * @part: the partition
 */
void ohv_partition_put(struct ohv_partition *part)
{
	ohv_conn_put(&part->conn);
}
EXPORT_SYMBOL_GPL(ohv_partition_put);

/**
 * ohv_partition_id() - the id of a partition
 * @part: the partition
 *
 * Return: the id given to ohv_partition_get().
 */
u32 ohv_partition_id(const struct ohv_partition *part)
{
	struct ohv_link *link = part->conn.link;

	return link->ops->partition_id(link);
}
EXPORT_SYMBOL_GPL(ohv_partition_id);
