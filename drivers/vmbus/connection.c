// SPDX-License-Identifier: GPL-2.0
/*
 * ohv VMBus connection halves: the received-message queue, sending,
 * requests that wait for a response, and the rules for a misbehaving peer.
 *
 * A transport hands every message to ohv_conn_rx_msg(), possibly from
 * interrupt context. The message is copied and validated by the codec
 * right there and queued; an ordered workqueue then hands the copies, in
 * arrival order, to the guest or host half's handler. Handlers therefore
 * run in process context, one at a time per half, and never see bytes the
 * peer can still change.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include <kunit/visibility.h>

#include "core.h"

#define CREATE_TRACE_POINTS
#include "ohv_vmbus.h"

/*
 * The versions both halves speak, newest first: the guest asks for them
 * in this order, the host accepts any of them (KUnit narrows either).
 */
static const u32 ohv_vmbus_versions[] = {
	OHV_VMBUS_VERSION_WIN10_V5_3,
	OHV_VMBUS_VERSION_WIN10_V5_2,
	OHV_VMBUS_VERSION_WIN10_V5_1,
	OHV_VMBUS_VERSION_WIN10_V5,
	OHV_VMBUS_VERSION_WIN10_V4_1,
	OHV_VMBUS_VERSION_WIN10,
	OHV_VMBUS_VERSION_WIN8_1,
	OHV_VMBUS_VERSION_WIN8,
};

/**
 * struct ohv_rx_msg - a received message waiting to be handled
 * @node: entry in ohv_conn.rxq
 * @conn_id: connection id it arrived on (host half checks it)
 * @msg: the validated copy
 */
struct ohv_rx_msg {
	struct list_head node;
	u32 conn_id;
	struct ohv_vmbus_msg msg;
};

/**
 * ohv_conn_contact_id() - connection id INITIATE_CONTACT must use
 * @version: the version the guest requests
 *
 * Return: 4 for protocol 5.0 and later, 1 before.
 */
u32 ohv_conn_contact_id(u32 version)
{
	return version >= OHV_VMBUS_VERSION_WIN10_V5 ?
		OHV_VMBUS_MESSAGE_CONNECTION_ID_4 :
		OHV_VMBUS_MESSAGE_CONNECTION_ID;
}

/**
 * ohv_conn_reject() - count and log a message the peer should not have sent
 * @conn: the receiving half
 * @msgtype: type of the message
 * @why: what was wrong with it
 *
 * The message is dropped; the connection stays up.
 */
void ohv_conn_reject(struct ohv_conn *conn, u32 msgtype, const char *why)
{
	atomic64_inc(&conn->stats.msgs_bad);
	if (__ratelimit(&conn->bad_rs))
		pr_warn("%s: rejected %s (%u): %s\n", conn->name,
			ohv_vmbus_msg_name(msgtype), msgtype, why);
}

static void ohv_wait_fail_all(struct ohv_conn *conn, int err)
{
	struct ohv_wait *w, *tmp;

	spin_lock_irq(&conn->wait_lock);
	list_for_each_entry_safe(w, tmp, &conn->waits, node) {
		list_del_init(&w->node);
		w->err = err;
		complete(&w->done);
	}
	spin_unlock_irq(&conn->wait_lock);
}

/**
 * ohv_conn_break() - stop talking to a peer that cannot be trusted any more
 * @conn: the half that gives up
 * @why: for the log; NULL for an orderly stop
 *
 * Every waiting request fails with -ESHUTDOWN and nothing more is sent.
 */
void ohv_conn_break(struct ohv_conn *conn, const char *why)
{
	if (xchg(&conn->state, OHV_CONN_BROKEN) == OHV_CONN_BROKEN)
		return;
	if (why)
		pr_err("%s: connection broken: %s\n", conn->name, why);
	ohv_wait_fail_all(conn, -ESHUTDOWN);
	complete_all(&conn->offers_done);
}

/**
 * ohv_conn_post() - send a channel message to the other half
 * @conn: the sending half
 * @msg: the message; validated by the codec before it leaves
 *
 * Return: 0, -ESHUTDOWN on a broken connection, or a transport error.
 */
int ohv_conn_post(struct ohv_conn *conn, const struct ohv_vmbus_msg *msg)
{
	struct ohv_link *link = conn->link;
	u8 buf[OHV_VMBUS_MSG_MAX];
	const char *why;
	u32 conn_id;
	int len, ret;

	if (READ_ONCE(conn->state) == OHV_CONN_BROKEN)
		return -ESHUTDOWN;
	len = ohv_vmbus_msg_encode(msg, buf, sizeof(buf), &why);
	if (len < 0) {
		pr_err("%s: refusing to send %s: %s\n", conn->name,
		       ohv_vmbus_msg_name(msg->hdr.msgtype), why);
		return len;
	}
	trace_ohv_msg_tx(conn->name, msg->hdr.msgtype, len);
	if (ohv_conn_is_guest(conn)) {
		conn_id = READ_ONCE(conn->msg_conn_id);
		ret = link->ops->post_to_host(link, conn_id, buf, len);
	} else {
		ret = link->ops->post_to_guest(link, buf, len);
	}
	if (!ret)
		atomic64_inc(&conn->stats.msgs_tx);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_conn_post);

/**
 * ohv_conn_rx_msg() - a transport delivers a channel message
 * @conn: the receiving half
 * @conn_id: connection id the message was posted to (guest to host only)
 * @msg: the bytes; copied before anything looks at them
 * @len: their length
 *
 * Any context. Messages are handled later, in order, in process context.
 */
void ohv_conn_rx_msg(struct ohv_conn *conn, u32 conn_id, const void *msg,
		     u32 len)
{
	struct ohv_rx_msg *m;
	const char *why;
	unsigned long flags;

	m = kmalloc(sizeof(*m), GFP_ATOMIC);
	if (!m) {
		ohv_conn_break(conn, "out of memory for a message");
		return;
	}
	if (ohv_vmbus_msg_decode(msg, len, &m->msg, &why)) {
		u32 type = len >= sizeof(u32) ? m->msg.hdr.msgtype : 0;

		ohv_conn_reject(conn, type, why);
		kfree(m);
		return;
	}
	m->conn_id = conn_id;
	spin_lock_irqsave(&conn->rxq_lock, flags);
	list_add_tail(&m->node, &conn->rxq);
	spin_unlock_irqrestore(&conn->rxq_lock, flags);
	queue_work(conn->wq, &conn->rx_work);
}
EXPORT_SYMBOL_GPL(ohv_conn_rx_msg);

static struct ohv_rx_msg *ohv_conn_rx_pop(struct ohv_conn *conn)
{
	struct ohv_rx_msg *m;

	spin_lock_irq(&conn->rxq_lock);
	m = list_first_entry_or_null(&conn->rxq, struct ohv_rx_msg, node);
	if (m)
		list_del(&m->node);
	spin_unlock_irq(&conn->rxq_lock);
	return m;
}

static void ohv_conn_rx_work(struct work_struct *work)
{
	struct ohv_conn *conn = container_of(work, struct ohv_conn, rx_work);
	struct ohv_rx_msg *m;

	while ((m = ohv_conn_rx_pop(conn))) {
		atomic64_inc(&conn->stats.msgs_rx);
		trace_ohv_msg_rx(conn->name, m->msg.hdr.msgtype, m->msg.len);
		if (READ_ONCE(conn->state) == OHV_CONN_BROKEN)
			ohv_conn_reject(conn, m->msg.hdr.msgtype,
					"connection is broken");
		else if (ohv_conn_is_guest(conn))
			ohv_guest_handle_msg(conn, &m->msg);
		else
			ohv_host_handle_msg(conn, m->conn_id, &m->msg);
		kfree(m);
	}
}

/**
 * ohv_conn_get_chan() - look up a channel by relid
 * @conn: the half whose table to search
 * @relid: child relid
 *
 * Any context.
 *
 * Return: the channel with a reference held, or NULL.
 */
struct ohv_channel *ohv_conn_get_chan(struct ohv_conn *conn, u32 relid)
{
	struct ohv_channel *chan;

	rcu_read_lock();
	chan = xa_load(&conn->chans, relid);
	if (chan && !kref_get_unless_zero(&chan->ref))
		chan = NULL;
	rcu_read_unlock();
	return chan;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_conn_get_chan);

/**
 * ohv_conn_rx_signal() - a transport delivers a channel signal
 * @conn: the signalled half
 * @id: guest half: relid; host half: the offer's connection id
 *
 * Any context. Signals for channels that are not open are counted and
 * dropped: a peer may signal a channel it just closed.
 */
void ohv_conn_rx_signal(struct ohv_conn *conn, u32 id)
{
	struct ohv_channel *chan;

	rcu_read_lock();
	chan = xa_load(&conn->chans, id);
	if (chan)
		ohv_chan_interrupt(chan);
	else
		atomic64_inc(&conn->stats.signals_bad);
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(ohv_conn_rx_signal);

/* ---------------------------------------------------------------------- */
/* Requests waiting for a response                                        */
/* ---------------------------------------------------------------------- */

/**
 * ohv_wait_init() - prepare to wait for a response
 * @w: the wait
 * @msgtype: response type
 * @relid: channel the request concerns; its rescind fails the wait
 * @key: GPADL id or open id the response must carry, else 0
 */
void ohv_wait_init(struct ohv_wait *w, u32 msgtype, u32 relid, u32 key)
{
	INIT_LIST_HEAD(&w->node);
	w->msgtype = msgtype;
	w->relid = relid;
	w->key = key;
	w->err = 0;
	init_completion(&w->done);
}
EXPORT_SYMBOL_IF_KUNIT(ohv_wait_init);

/**
 * ohv_wait_add() - make a wait visible to responses, before the request
 * @conn: the half that sends the request
 * @w: the wait
 * @chan: the channel the request is about, or NULL
 *
 * A rescinded @chan or a broken connection fails the wait at once. The
 * rescind flag is tested under the same lock ohv_wait_fail_relid() takes,
 * so a rescind either sees the wait or the wait sees the rescind.
 */
void ohv_wait_add(struct ohv_conn *conn, struct ohv_wait *w,
		  struct ohv_channel *chan)
{
	spin_lock_irq(&conn->wait_lock);
	if (READ_ONCE(conn->state) == OHV_CONN_BROKEN) {
		w->err = -ESHUTDOWN;
		complete(&w->done);
	} else if (chan && ohv_chan_rescinded(chan)) {
		w->err = -ENODEV;
		complete(&w->done);
	} else {
		list_add_tail(&w->node, &conn->waits);
	}
	spin_unlock_irq(&conn->wait_lock);
}
EXPORT_SYMBOL_IF_KUNIT(ohv_wait_add);

/**
 * ohv_wait_cancel() - give up a wait whose request could not be sent
 * @conn: the half
 * @w: the wait
 */
void ohv_wait_cancel(struct ohv_conn *conn, struct ohv_wait *w)
{
	spin_lock_irq(&conn->wait_lock);
	list_del_init(&w->node);
	spin_unlock_irq(&conn->wait_lock);
}
EXPORT_SYMBOL_IF_KUNIT(ohv_wait_cancel);

/**
 * ohv_wait_for() - wait for the response, a rescind or a broken connection
 * @conn: the half
 * @w: the wait
 *
 * A peer that does not answer within %OHV_RESPONSE_TIMEOUT breaks the
 * connection.
 *
 * Return: 0 with w->resp filled in, or a negative errno.
 */
int ohv_wait_for(struct ohv_conn *conn, struct ohv_wait *w)
{
	if (!wait_for_completion_timeout(&w->done, OHV_RESPONSE_TIMEOUT)) {
		ohv_conn_break(conn, "peer did not answer");
		wait_for_completion(&w->done);
	}
	return w->err;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_wait_for);

/**
 * ohv_conn_request() - send a request and wait for the response to it
 * @conn: the half that sends the request
 * @msgs: the request's messages, posted in order
 * @n: entries in @msgs
 * @w: the wait, from ohv_wait_init()
 * @chan: the channel the request is about, or NULL
 *
 * Return: 0 with w->resp filled in, or a negative errno from posting a
 * message or from ohv_wait_for().
 */
int ohv_conn_request(struct ohv_conn *conn, const struct ohv_vmbus_msg *msgs,
		     unsigned int n, struct ohv_wait *w,
		     struct ohv_channel *chan)
{
	unsigned int i;
	int ret;

	ohv_wait_add(conn, w, chan);
	for (i = 0; i < n; i++) {
		ret = ohv_conn_post(conn, &msgs[i]);
		if (ret) {
			ohv_wait_cancel(conn, w);
			return ret;
		}
	}
	return ohv_wait_for(conn, w);
}
EXPORT_SYMBOL_IF_KUNIT(ohv_conn_request);

/**
 * ohv_wait_complete() - hand a response to the request that waits for it
 * @conn: the receiving half
 * @relid: relid the response names, or U32_MAX if it names none
 * @key: GPADL id or open id the response carries, else 0
 * @msg: the response
 *
 * Return: false if nobody waits for it; the caller rejects it then.
 */
bool ohv_wait_complete(struct ohv_conn *conn, u32 relid, u32 key,
		       const struct ohv_vmbus_msg *msg)
{
	struct ohv_wait *w;
	bool found = false;

	spin_lock_irq(&conn->wait_lock);
	list_for_each_entry(w, &conn->waits, node) {
		if (w->msgtype != msg->hdr.msgtype || w->key != key)
			continue;
		if (relid != U32_MAX && w->relid != relid)
			continue;
		list_del_init(&w->node);
		w->resp = *msg;
		complete(&w->done);
		found = true;
		break;
	}
	spin_unlock_irq(&conn->wait_lock);
	return found;
}

/**
 * ohv_wait_fail_relid() - fail every request about a channel
 * @conn: the half
 * @relid: the channel
 * @err: the error the requests return
 */
void ohv_wait_fail_relid(struct ohv_conn *conn, u32 relid, int err)
{
	struct ohv_wait *w, *tmp;

	spin_lock_irq(&conn->wait_lock);
	list_for_each_entry_safe(w, tmp, &conn->waits, node) {
		if (w->relid != relid)
			continue;
		list_del_init(&w->node);
		w->err = err;
		complete(&w->done);
	}
	spin_unlock_irq(&conn->wait_lock);
}

/* ---------------------------------------------------------------------- */
/* Lifetime                                                               */
/* ---------------------------------------------------------------------- */

static void ohv_conn_destroy_wqs(struct ohv_conn *conn)
{
	if (conn->wq)
		destroy_workqueue(conn->wq);
	if (conn->dev_wq)
		destroy_workqueue(conn->dev_wq);
	if (conn->sub_wq)
		destroy_workqueue(conn->sub_wq);
}

/**
 * ohv_conn_create() - make one half of a connection
 * @role: guest or host
 * @link: the transport link; the caller stores the result in it
 * @name: for logs, workqueues and debugfs
 *
 * Host halves are embedded in a &struct ohv_partition.
 *
 * Return: the half with one reference, or NULL.
 */
struct ohv_conn *ohv_conn_create(enum ohv_role role, struct ohv_link *link,
				 const char *name)
{
	struct ohv_partition *part;
	struct ohv_conn *conn;

	part = kzalloc(sizeof(*part), GFP_KERNEL);
	if (!part)
		return NULL;
	conn = &part->conn;
	conn->role = role;
	conn->link = link;
	kref_init(&conn->ref);
	mutex_init(&conn->lock);
	xa_init_flags(&conn->chans, XA_FLAGS_ALLOC1);
	xa_init(&conn->gpadls);
	spin_lock_init(&conn->rxq_lock);
	INIT_LIST_HEAD(&conn->rxq);
	INIT_WORK(&conn->rx_work, ohv_conn_rx_work);
	spin_lock_init(&conn->wait_lock);
	INIT_LIST_HEAD(&conn->waits);
	ratelimit_state_init(&conn->bad_rs, 5 * HZ, 10);
	init_completion(&conn->offers_done);
	atomic_set(&conn->next_gpadl, 0xe1e10);
	strscpy(conn->name, name, sizeof(conn->name));
	conn->supported = ohv_vmbus_versions;
	conn->nr_supported = ARRAY_SIZE(ohv_vmbus_versions);
	if (!ohv_conn_is_guest(conn))
		conn->msg_conn_id = OHV_VMBUS_MESSAGE_CONNECTION_ID;
	conn->wq = alloc_ordered_workqueue("ohv_%s", 0, conn->name);
	if (!conn->wq)
		goto err;
	if (ohv_conn_is_guest(conn)) {
		conn->dev_wq = alloc_ordered_workqueue("ohv_%s_dev", 0,
						       conn->name);
		conn->sub_wq = alloc_ordered_workqueue("ohv_%s_sub", 0,
						       conn->name);
		if (!conn->dev_wq || !conn->sub_wq)
			goto err;
	}
	return conn;
err:
	ohv_conn_destroy_wqs(conn);
	kfree(part);
	return NULL;
}

/**
 * ohv_conn_stop() - stop handling messages
 * @conn: the half
 *
 * Waits for queued messages to be handled; later ones are dropped.
 */
void ohv_conn_stop(struct ohv_conn *conn)
{
	struct ohv_rx_msg *m;

	ohv_conn_break(conn, NULL);
	flush_workqueue(conn->wq);
	if (conn->dev_wq) {
		flush_workqueue(conn->sub_wq);
		flush_workqueue(conn->dev_wq);
	}
	while ((m = ohv_conn_rx_pop(conn)))
		kfree(m);
}

static void ohv_conn_release(struct kref *ref)
{
	struct ohv_conn *conn = container_of(ref, struct ohv_conn, ref);
	struct ohv_partition *part = container_of(conn, struct ohv_partition,
						  conn);
	struct ohv_rx_msg *m;

	ohv_conn_destroy_wqs(conn);
	while ((m = ohv_conn_rx_pop(conn)))
		kfree(m);
	WARN_ON(!xa_empty(&conn->chans));
	WARN_ON(!xa_empty(&conn->gpadls));
	xa_destroy(&conn->chans);
	xa_destroy(&conn->gpadls);
	kfree(part);
}

/**
 * ohv_conn_put() - drop a reference to a half
 * @conn: the half
 */
void ohv_conn_put(struct ohv_conn *conn)
{
	kref_put(&conn->ref, ohv_conn_release);
}
