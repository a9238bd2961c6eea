// SPDX-License-Identifier: GPL-2.0
/*
 * ohv VMBus guest (client) role: version negotiation, offers become devices
 * on ohvbus, channels are opened on rings the guest allocates, rescinds
 * take devices away, and unload says goodbye.
 *
 * Three contexts do the work:
 * - the connection's message workqueue handles every host message; it never
 *   waits for the host, so a response can always get through;
 * - the device workqueue (ordered) adds and removes devices, which runs
 *   driver probe() and remove(), which open and close channels;
 * - drivers open and close channels from probe(), remove() and sub-channel
 *   callbacks, and wait there for the host's answers.
 * A rescind fails every request about its channel before the removal is
 * queued, so nothing waits for an answer that cannot come.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include "core.h"
#include "ohv_vmbus.h"

/* Largest ring data area the guest allocates, each direction. */
#define OHV_GUEST_MAX_RING_BYTES	(16U << 20)

static_assert(OHV_OFFER_USER_DEF_LEN == OHV_VMBUS_USER_DEFINED_BYTES);
static_assert(OHV_OPEN_USER_DATA_LEN == OHV_VMBUS_USER_DEFINED_BYTES);

/* ---------------------------------------------------------------------- */
/* Contact and unload                                                     */
/* ---------------------------------------------------------------------- */

static int ohv_guest_try_version(struct ohv_conn *conn, u32 version)
{
	struct ohv_vmbus_msg_version_response *vr;
	struct ohv_vmbus_msg_initiate_contact *ic;
	struct ohv_vmbus_msg msg;
	struct ohv_wait w;
	int ret;

	ohv_vmbus_msg_init(&msg, OHV_CHMSG_INITIATE_CONTACT);
	ic = &msg.initiate_contact;
	ic->vmbus_version_requested = version;
	if (version >= OHV_VMBUS_VERSION_WIN10_V5)
		ic->msg_sint = OHV_VMBUS_MESSAGE_SINT;

	WRITE_ONCE(conn->msg_conn_id, ohv_conn_contact_id(version));
	ohv_wait_init(&w, OHV_CHMSG_VERSION_RESPONSE, 0, 0);
	ret = ohv_conn_request(conn, &msg, 1, &w, NULL);
	if (ret)
		return ret;
	vr = &w.resp.version_response;
	if (!vr->version_supported)
		return -EPROTONOSUPPORT;

	conn->version = version;
	/* Before 5.0 every message goes to connection id 1. */
	WRITE_ONCE(conn->msg_conn_id, version >= OHV_VMBUS_VERSION_WIN10_V5 ?
		   vr->msg_conn_id : OHV_VMBUS_MESSAGE_CONNECTION_ID);
	return 0;
}

/**
 * ohv_guest_connect() - negotiate a version and ask for the offers
 * @conn: a disconnected guest half
 *
 * Tries the versions in conn->supported, newest first. Waits until the host
 * delivered all offers; their devices are created asynchronously.
 *
 * Return: 0, -EPROTONOSUPPORT if the host accepted none, or an error.
 */
int ohv_guest_connect(struct ohv_conn *conn)
{
	struct ohv_vmbus_msg msg;
	unsigned int i;
	int ret = -EPROTONOSUPPORT;

	WRITE_ONCE(conn->state, OHV_CONN_CONNECTING);
	for (i = 0; i < conn->nr_supported; i++) {
		ret = ohv_guest_try_version(conn, conn->supported[i]);
		if (ret != -EPROTONOSUPPORT)
			break;
	}
	if (ret) {
		WRITE_ONCE(conn->state, OHV_CONN_DISCONNECTED);
		return ret;
	}
	WRITE_ONCE(conn->state, OHV_CONN_CONNECTED);
	pr_info("%s: connected, protocol %u.%u\n", conn->name,
		conn->version >> 16, conn->version & 0xffff);

	reinit_completion(&conn->offers_done);
	ohv_vmbus_msg_init(&msg, OHV_CHMSG_REQUESTOFFERS);
	ret = ohv_conn_post(conn, &msg);
	if (ret)
		return ret;
	if (!wait_for_completion_timeout(&conn->offers_done,
					 OHV_RESPONSE_TIMEOUT)) {
		ohv_conn_break(conn, "no ALLOFFERS_DELIVERED");
		return -ETIMEDOUT;
	}
	return READ_ONCE(conn->state) == OHV_CONN_BROKEN ? -ESHUTDOWN : 0;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_guest_connect);

static void ohv_guest_forget(struct ohv_channel *chan, bool release_relid);

/**
 * ohv_guest_disconnect() - remove every device and unload
 * @conn: the guest half
 *
 * Drivers' remove() closes their channels; then UNLOAD tells the host to
 * drop everything of this guest, and the channel objects go away.
 */
void ohv_guest_disconnect(struct ohv_conn *conn)
{
	struct ohv_channel *chan;
	struct ohv_vmbus_msg msg;
	unsigned long relid;
	struct ohv_wait w;

	/* Finish pending adds and rescinds before removing the rest. */
	flush_workqueue(conn->wq);
	flush_workqueue(conn->dev_wq);
	xa_for_each(&conn->chans, relid, chan) {
		if (chan->primary)
			continue;
		ohv_chan_get(chan);
		ohv_device_remove(chan);
		ohv_guest_close(chan);
		ohv_chan_put(chan);
	}

	if (READ_ONCE(conn->state) == OHV_CONN_CONNECTED) {
		WRITE_ONCE(conn->state, OHV_CONN_UNLOADING);
		ohv_vmbus_msg_init(&msg, OHV_CHMSG_UNLOAD);
		ohv_wait_init(&w, OHV_CHMSG_UNLOAD_RESPONSE, 0, 0);
		ohv_conn_request(conn, &msg, 1, &w, NULL);
	}
	ohv_conn_stop(conn);

	/* Sub-channels first: they hold references to their primaries. */
	xa_for_each(&conn->chans, relid, chan)
		if (chan->primary)
			ohv_guest_forget(chan, false);
	xa_for_each(&conn->chans, relid, chan)
		ohv_guest_forget(chan, false);
	ohv_debugfs_conn_remove(conn);
}

/* ---------------------------------------------------------------------- */
/* Offers and rescinds                                                    */
/* ---------------------------------------------------------------------- */

static struct ohv_channel *ohv_guest_find_primary(struct ohv_conn *conn,
						  const struct ohv_vmbus_offer *o)
{
	struct ohv_channel *chan;
	unsigned long relid;

	xa_for_each(&conn->chans, relid, chan) {
		if (chan->primary || ohv_chan_rescinded(chan))
			continue;
		if (guid_equal(&chan->offer.if_type, &o->if_type) &&
		    guid_equal(&chan->offer.if_instance, &o->if_instance))
			return chan;
	}
	return NULL;
}

static void ohv_guest_offer_work(struct work_struct *work);
static void ohv_guest_remove_work(struct work_struct *work);

static void ohv_guest_offer(struct ohv_conn *conn,
			    const struct ohv_vmbus_msg_offer *m)
{
	struct ohv_channel *chan, *primary = NULL;
	u32 relid = m->child_relid;

	if (!relid || relid > OHV_MAX_RELID) {
		ohv_conn_reject(conn, OHV_CHMSG_OFFERCHANNEL,
				"relid out of range");
		return;
	}
	mutex_lock(&conn->lock);
	if (xa_load(&conn->chans, relid)) {
		ohv_conn_reject(conn, OHV_CHMSG_OFFERCHANNEL, "relid in use");
		goto out;
	}
	if (m->offer.sub_channel_index) {
		primary = ohv_guest_find_primary(conn, &m->offer);
		if (!primary) {
			ohv_conn_reject(conn, OHV_CHMSG_OFFERCHANNEL,
					"sub-channel without a primary");
			goto out;
		}
	}
	chan = ohv_chan_alloc(conn, relid, &m->offer);
	if (!chan) {
		ohv_conn_break(conn, "out of memory for an offer");
		goto out;
	}
	chan->connection_id = m->connection_id;
	/*
	 * Two INIT_WORK sites, so that lockdep keeps primaries' offer work
	 * (device workqueue) and sub-channels' (sub workqueue) apart: a
	 * driver's probe, run by the former, may close its primary, which
	 * flushes the latter.
	 */
	if (m->offer.sub_channel_index)
		INIT_WORK(&chan->offer_work, ohv_guest_offer_work);
	else
		INIT_WORK(&chan->offer_work, ohv_guest_offer_work);
	INIT_WORK(&chan->remove_work, ohv_guest_remove_work);
	if (xa_insert(&conn->chans, relid, chan, GFP_KERNEL)) {
		ohv_chan_put(chan);
		ohv_conn_break(conn, "out of memory for an offer");
		goto out;
	}
	set_bit(OHV_CHAN_F_IN_TABLE, &chan->flags);
	if (primary) {
		/* The sub holds its primary; the primary's list holds the sub. */
		ohv_chan_get(primary);
		chan->primary = primary;
		ohv_chan_get(chan);
		list_add_tail(&chan->sub_node, &primary->subchans);
	}
	trace_ohv_chan_state(conn->name, relid, "offered");
	ohv_debugfs_chan_add(chan);
	ohv_chan_get(chan);
	queue_work(primary ? conn->sub_wq : conn->dev_wq, &chan->offer_work);
out:
	mutex_unlock(&conn->lock);
}

/* Device workqueue: a primary becomes a device, a sub-channel is announced. */
static void ohv_guest_offer_work(struct work_struct *work)
{
	struct ohv_channel *chan = container_of(work, struct ohv_channel,
						offer_work);
	struct ohv_channel *primary = chan->primary;
	ohv_subchan_cb_t cb;
	int ret;

	if (ohv_chan_rescinded(chan))
		goto out;
	if (!primary) {
		ret = ohv_device_add(chan);
		if (ret)
			pr_err("%s: relid %u: no device: %d\n",
			       chan->conn->name, chan->relid, ret);
		goto out;
	}
	mutex_lock(&primary->op_lock);
	cb = primary->state == OHV_CHAN_OPEN &&
	     !test_bit(OHV_CHAN_F_CLOSING, &primary->flags) ?
		primary->subchan_cb : NULL;
	mutex_unlock(&primary->op_lock);
	if (cb)
		cb(primary, chan);
out:
	ohv_chan_put(chan);
}

/*
 * Drop the relid table's reference, and for a sub-channel its primary's
 * list reference, optionally telling the host it may reuse the relid.
 */
static void ohv_guest_forget(struct ohv_channel *chan, bool release_relid)
{
	struct ohv_conn *conn = chan->conn;
	struct ohv_channel *primary = chan->primary;
	struct ohv_vmbus_msg msg;
	bool in_list = false;

	mutex_lock(&conn->lock);
	if (!test_and_clear_bit(OHV_CHAN_F_IN_TABLE, &chan->flags)) {
		mutex_unlock(&conn->lock);
		return;
	}
	xa_erase(&conn->chans, chan->relid);
	if (primary && !list_empty(&chan->sub_node)) {
		list_del_init(&chan->sub_node);
		in_list = true;
	}
	mutex_unlock(&conn->lock);

	ohv_debugfs_chan_remove(chan);
	trace_ohv_chan_state(conn->name, chan->relid, "released");
	if (release_relid) {
		ohv_vmbus_msg_init(&msg, OHV_CHMSG_RELID_RELEASED);
		msg.relid_released.child_relid = chan->relid;
		ohv_conn_post(conn, &msg);
	}
	if (in_list)
		ohv_chan_put(chan);
	ohv_chan_put(chan);
}

/* Device workqueue: the channel was rescinded. */
static void ohv_guest_remove_work(struct work_struct *work)
{
	struct ohv_channel *chan = container_of(work, struct ohv_channel,
						remove_work);

	if (!chan->primary)
		ohv_device_remove(chan);
	ohv_guest_close(chan);
	ohv_guest_forget(chan, true);
	ohv_chan_put(chan);
}

static void ohv_guest_rescind(struct ohv_conn *conn, u32 relid)
{
	struct ohv_channel *chan;

	chan = ohv_conn_get_chan(conn, relid);
	if (!chan) {
		ohv_conn_reject(conn, OHV_CHMSG_RESCIND_CHANNELOFFER,
				"unknown relid");
		return;
	}
	if (test_and_set_bit(OHV_CHAN_F_RESCINDED, &chan->flags)) {
		ohv_conn_reject(conn, OHV_CHMSG_RESCIND_CHANNELOFFER,
				"rescinded twice");
		ohv_chan_put(chan);
		return;
	}
	trace_ohv_chan_state(conn->name, relid, "rescinded");
	/* Nobody may wait for an answer about this channel any more. */
	ohv_wait_fail_relid(conn, relid, -ENODEV);
	wake_up_all(&chan->tx_wait);
	/* The work inherits our reference. */
	queue_work(conn->dev_wq, &chan->remove_work);
}

/* ---------------------------------------------------------------------- */
/* Message dispatch                                                       */
/* ---------------------------------------------------------------------- */

static void ohv_guest_response(struct ohv_conn *conn, u32 relid, u32 key,
			       const struct ohv_vmbus_msg *msg)
{
	if (!ohv_wait_complete(conn, relid, key, msg))
		ohv_conn_reject(conn, msg->hdr.msgtype,
				"nobody waits for this response");
}

/**
 * ohv_guest_handle_msg() - handle one validated message from the host
 * @conn: the guest half
 * @msg: the message
 */
void ohv_guest_handle_msg(struct ohv_conn *conn,
			  const struct ohv_vmbus_msg *msg)
{
	u32 type = msg->hdr.msgtype;
	enum ohv_conn_state state = READ_ONCE(conn->state);

	if (type != OHV_CHMSG_VERSION_RESPONSE &&
	    state != OHV_CONN_CONNECTED && state != OHV_CONN_UNLOADING) {
		ohv_conn_reject(conn, type, "not connected");
		return;
	}
	switch (type) {
	case OHV_CHMSG_VERSION_RESPONSE:
		if (state != OHV_CONN_CONNECTING)
			ohv_conn_reject(conn, type, "no contact in progress");
		else
			ohv_guest_response(conn, U32_MAX, 0, msg);
		break;
	case OHV_CHMSG_OFFERCHANNEL:
		ohv_guest_offer(conn, &msg->offer);
		break;
	case OHV_CHMSG_RESCIND_CHANNELOFFER:
		ohv_guest_rescind(conn, msg->rescind.child_relid);
		break;
	case OHV_CHMSG_ALLOFFERS_DELIVERED:
		complete_all(&conn->offers_done);
		break;
	case OHV_CHMSG_OPENCHANNEL_RESULT:
		ohv_guest_response(conn, msg->open_result.child_relid,
				   msg->open_result.openid, msg);
		break;
	case OHV_CHMSG_GPADL_CREATED:
		ohv_guest_response(conn, msg->gpadl_created.child_relid,
				   msg->gpadl_created.gpadl, msg);
		break;
	case OHV_CHMSG_GPADL_TORNDOWN:
		ohv_guest_response(conn, U32_MAX, msg->gpadl_torndown.gpadl,
				   msg);
		break;
	case OHV_CHMSG_UNLOAD_RESPONSE:
		ohv_guest_response(conn, U32_MAX, 0, msg);
		break;
	default:
		ohv_conn_reject(conn, type, "not a host-to-guest message");
		break;
	}
}

/* ---------------------------------------------------------------------- */
/* Open and close                                                         */
/* ---------------------------------------------------------------------- */

static void ohv_guest_rings_free(struct ohv_channel *chan)
{
	u32 i;

	if (chan->ring_va[0])
		ohv_ring_unmap(chan->ring_va[0]);
	if (chan->ring_va[1])
		ohv_ring_unmap(chan->ring_va[1]);
	chan->ring_va[0] = NULL;
	chan->ring_va[1] = NULL;
	for (i = 0; i < chan->ring_npages; i++)
		if (chan->ring_pages[i])
			__free_page(chan->ring_pages[i]);
	kfree(chan->ring_pages);
	chan->ring_pages = NULL;
	chan->ring_npages = 0;
}

static int ohv_guest_rings_alloc(struct ohv_channel *chan, u32 out_bytes,
				 u32 in_bytes)
{
	u32 out_pages = 1 + out_bytes / PAGE_SIZE;
	u32 in_pages = 1 + in_bytes / PAGE_SIZE;
	u32 i;

	chan->ring_npages = out_pages + in_pages;
	chan->ring_pages = kcalloc(chan->ring_npages, sizeof(struct page *),
				   GFP_KERNEL);
	if (!chan->ring_pages)
		goto err;
	for (i = 0; i < chan->ring_npages; i++) {
		chan->ring_pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!chan->ring_pages[i])
			goto err;
	}
	/* Data areas mapped twice: packets never wrap in memory. */
	chan->ring_va[0] = ohv_ring_map(chan->ring_pages, out_pages);
	chan->ring_va[1] = ohv_ring_map(chan->ring_pages + out_pages, in_pages);
	if (!chan->ring_va[0] || !chan->ring_va[1])
		goto err;
	ohv_ring_header_reset(chan->ring_va[0]);
	ohv_ring_header_reset(chan->ring_va[1]);
	if (ohv_chan_rings_init(chan, chan->ring_va[0], out_bytes,
				chan->ring_va[1], in_bytes))
		goto err;
	return 0;
err:
	ohv_guest_rings_free(chan);
	return -ENOMEM;
}

static int ohv_guest_ring_gpadl(struct ohv_channel *chan)
{
	u64 *pfns;
	u32 i;
	int ret;

	pfns = kmalloc_array(chan->ring_npages, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	for (i = 0; i < chan->ring_npages; i++)
		pfns[i] = page_to_pfn(chan->ring_pages[i]);
	ret = ohv_gpadl_establish_pfns(chan, pfns, chan->ring_npages, 0,
				       chan->ring_npages * PAGE_SIZE,
				       &chan->ring_gpadl);
	kfree(pfns);
	return ret;
}

static int ohv_guest_check_params(const struct ohv_chan_open_params *p)
{
	if (!p->send_ring_bytes || !p->recv_ring_bytes ||
	    !PAGE_ALIGNED(p->send_ring_bytes) ||
	    !PAGE_ALIGNED(p->recv_ring_bytes) ||
	    p->send_ring_bytes > OHV_GUEST_MAX_RING_BYTES ||
	    p->recv_ring_bytes > OHV_GUEST_MAX_RING_BYTES)
		return -EINVAL;
	if (p->userdata_len > OHV_OPEN_USER_DATA_LEN ||
	    (p->userdata_len && !p->userdata))
		return -EINVAL;
	return 0;
}

static int ohv_guest_send_open(struct ohv_channel *chan,
			       const struct ohv_chan_open_params *params)
{
	struct ohv_conn *conn = chan->conn;
	struct ohv_vmbus_msg_open *o;
	struct ohv_vmbus_msg msg;
	struct ohv_wait w;
	u32 openid, seq;
	int ret;

	openid = atomic_inc_return(&conn->next_openid);
	ohv_vmbus_msg_init(&msg, OHV_CHMSG_OPENCHANNEL);
	o = &msg.open;
	o->child_relid = chan->relid;
	o->openid = openid;
	o->ringbuffer_gpadlhandle = chan->ring_gpadl.id;
	/*
	 * Interrupts for the channel go to one CPU (the VP number is the
	 * CPU): a primary's is the next in turn, and sub-channel i's the
	 * i-th after its primary's, so a device's channels spread over the
	 * CPUs and each reopens where it was (ethtool -L).
	 */
	if (chan->primary) {
		seq = READ_ONCE(chan->primary->vp_seq) +
		      ohv_chan_subchannel_index(chan);
	} else {
		seq = atomic_inc_return(&conn->next_vp);
		WRITE_ONCE(chan->vp_seq, seq);
	}
	chan->target_vp = cpumask_local_spread(seq, NUMA_NO_NODE);
	o->target_vp = chan->target_vp;
	/* The outbound ring comes first in the GPADL. */
	o->downstream_ringbuffer_pageoffset = 1 + params->send_ring_bytes /
					      PAGE_SIZE;
	if (params->userdata_len)
		memcpy(o->userdata, params->userdata, params->userdata_len);

	ohv_wait_init(&w, OHV_CHMSG_OPENCHANNEL_RESULT, chan->relid, openid);
	ret = ohv_conn_request(conn, &msg, 1, &w, chan);
	if (ret)
		return ret;
	if (w.resp.open_result.status) {
		pr_warn_ratelimited("%s: relid %u: host refused open: %#x\n",
				    conn->name, chan->relid,
				    w.resp.open_result.status);
		return -EIO;
	}
	return 0;
}

/**
 * ohv_guest_open() - open a guest channel
 * @chan: the channel
 * @params: what the driver asks for
 *
 * Return: see ohv_chan_open().
 */
int ohv_guest_open(struct ohv_channel *chan,
		   const struct ohv_chan_open_params *params)
{
	struct ohv_conn *conn = chan->conn;
	int ret;

	ret = ohv_guest_check_params(params);
	if (ret)
		return ret;
	mutex_lock(&chan->op_lock);
	if (ohv_chan_rescinded(chan)) {
		ret = -ENODEV;
		goto out;
	}
	if (chan->state != OHV_CHAN_OFFERED) {
		ret = -EBUSY;
		goto out;
	}
	ret = ohv_guest_rings_alloc(chan, params->send_ring_bytes,
				    params->recv_ring_bytes);
	if (ret)
		goto out;
	chan->state = OHV_CHAN_OPENING;
	trace_ohv_chan_state(conn->name, chan->relid, "opening");
	ret = ohv_guest_ring_gpadl(chan);
	if (ret)
		goto err_rings;
	/* The host may send as soon as it opened, before its answer arrives. */
	ohv_chan_start_cb(chan, params->callback, params->cb_ctx,
			  params->cb_mode);
	ret = ohv_guest_send_open(chan, params);
	if (ret)
		goto err_gpadl;
	chan->state = OHV_CHAN_OPEN;
	clear_bit(OHV_CHAN_F_CLOSING, &chan->flags);
	trace_ohv_chan_state(conn->name, chan->relid, "open");
	goto out;

err_gpadl:
	ohv_chan_stop_cb(chan);
	ohv_gpadl_teardown(chan, &chan->ring_gpadl);
err_rings:
	ohv_chan_rings_down(chan);
	ohv_guest_rings_free(chan);
	chan->state = OHV_CHAN_OFFERED;
	trace_ohv_chan_state(conn->name, chan->relid, "open failed");
out:
	mutex_unlock(&chan->op_lock);
	return ret;
}

static void ohv_guest_close_subchans(struct ohv_channel *primary)
{
	struct ohv_conn *conn = primary->conn;
	struct ohv_channel *sub, *subs[OHV_MAX_SUBCHANNELS];
	unsigned int n = 0, i;

	mutex_lock(&conn->lock);
	list_for_each_entry(sub, &primary->subchans, sub_node) {
		if (n == ARRAY_SIZE(subs))
			break;
		ohv_chan_get(sub);
		subs[n++] = sub;
	}
	mutex_unlock(&conn->lock);
	for (i = 0; i < n; i++) {
		ohv_guest_close(subs[i]);
		ohv_chan_put(subs[i]);
	}
}

/**
 * ohv_guest_close() - close a guest channel
 * @chan: the channel
 *
 * A rescinded channel is closed locally only: the host already dropped it.
 */
void ohv_guest_close(struct ohv_channel *chan)
{
	struct ohv_conn *conn = chan->conn;
	struct ohv_vmbus_msg msg;

	if (!chan->primary) {
		/*
		 * A driver frees what its sub-channel callback uses once close
		 * returns: start no callback from here on, wait for one that
		 * runs, and only then close the sub-channels, so that none is
		 * opened behind our back.
		 */
		mutex_lock(&chan->op_lock);
		set_bit(OHV_CHAN_F_CLOSING, &chan->flags);
		mutex_unlock(&chan->op_lock);
		flush_workqueue(conn->sub_wq);
		ohv_guest_close_subchans(chan);
	}

	mutex_lock(&chan->op_lock);
	if (chan->state != OHV_CHAN_OPEN) {
		mutex_unlock(&chan->op_lock);
		return;
	}
	ohv_chan_stop_cb(chan);
	if (!ohv_chan_rescinded(chan)) {
		ohv_vmbus_msg_init(&msg, OHV_CHMSG_CLOSECHANNEL);
		msg.close.child_relid = chan->relid;
		ohv_conn_post(conn, &msg);
	}
	ohv_gpadl_teardown(chan, &chan->ring_gpadl);
	ohv_chan_rings_down(chan);
	ohv_guest_rings_free(chan);
	chan->state = OHV_CHAN_OFFERED;
	trace_ohv_chan_state(conn->name, chan->relid, "closed");
	mutex_unlock(&chan->op_lock);
}

/**
 * ohv_chan_set_subchannel_cb() - be told about sub-channel offers
 * @primary: a primary channel
 * @cb: called in process context for each sub-channel the host offers
 *	while the primary is open; NULL to stop. Set it before opening the
 *	primary or before asking the provider for sub-channels, whichever
 *	comes first: offers that arrive without a callback are not repeated.
 */
void ohv_chan_set_subchannel_cb(struct ohv_channel *primary,
				ohv_subchan_cb_t cb)
{
	mutex_lock(&primary->op_lock);
	primary->subchan_cb = cb;
	mutex_unlock(&primary->op_lock);
}
EXPORT_SYMBOL_GPL(ohv_chan_set_subchannel_cb);
