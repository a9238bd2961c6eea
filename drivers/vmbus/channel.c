// SPDX-License-Identifier: GPL-2.0
/*
 * ohv VMBus channels: lifetime, the receive callback, and the packet API
 * drivers and providers use. The same code serves both roles: a channel's
 * outbound ring is the one this side writes, whichever side that is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include <kunit/visibility.h>

#include "core.h"

/* ---------------------------------------------------------------------- */
/* Lifetime                                                               */
/* ---------------------------------------------------------------------- */

static void ohv_chan_tasklet(struct tasklet_struct *t);

/**
 * ohv_chan_alloc() - make a channel object for an offer
 * @conn: the half it belongs to
 * @relid: its relid
 * @offer: the offer, copied
 *
 * Return: the channel with one reference, or NULL.
 */
struct ohv_channel *ohv_chan_alloc(struct ohv_conn *conn, u32 relid,
				   const struct ohv_vmbus_offer *offer)
{
	struct ohv_channel *chan;

	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return NULL;
	kref_init(&chan->ref);
	chan->conn = conn;
	chan->relid = relid;
	chan->offer = *offer;
	chan->state = OHV_CHAN_OFFERED;
	mutex_init(&chan->op_lock);
	INIT_LIST_HEAD(&chan->subchans);
	INIT_LIST_HEAD(&chan->sub_node);
	spin_lock_init(&chan->out_lock);
	spin_lock_init(&chan->in_lock);
	spin_lock_init(&chan->cb_lock);
	init_waitqueue_head(&chan->tx_wait);
	tasklet_setup(&chan->tasklet, ohv_chan_tasklet);
	kref_get(&conn->ref);
	return chan;
}

/**
 * ohv_chan_get() - hold a channel object
 * @chan: the channel
 *
 * Keeps the object (not the offer) alive: a driver that keeps using a
 * sub-channel's handle after the host may have rescinded it (sends and
 * receives then fail with -ENODEV) holds a reference until it is done.
 */
void ohv_chan_get(struct ohv_channel *chan)
{
	kref_get(&chan->ref);
}
EXPORT_SYMBOL_GPL(ohv_chan_get);

static void ohv_chan_release(struct kref *ref)
{
	struct ohv_channel *chan = container_of(ref, struct ohv_channel, ref);

	if (chan->primary)
		ohv_chan_put(chan->primary);
	ohv_conn_put(chan->conn);
	/* ohv_conn_rx_signal() may still be looking at it under RCU. */
	kfree_rcu(chan, rcu);
}

/**
 * ohv_chan_put() - drop a reference from ohv_chan_get()
 * @chan: the channel
 */
void ohv_chan_put(struct ohv_channel *chan)
{
	kref_put(&chan->ref, ohv_chan_release);
}
EXPORT_SYMBOL_GPL(ohv_chan_put);

const char *ohv_chan_state_name(const struct ohv_channel *chan)
{
	if (ohv_chan_rescinded(chan))
		return "rescinded";
	switch (chan->state) {
	case OHV_CHAN_OFFERED:
		return "offered";
	case OHV_CHAN_OPENING:
		return "opening";
	case OHV_CHAN_OPEN:
		return "open";
	}
	return "unknown";
}

/* ---------------------------------------------------------------------- */
/* Rings                                                                  */
/* ---------------------------------------------------------------------- */

/**
 * ohv_chan_rings_init() - attach the channel to its two rings
 * @chan: the channel
 * @out_va: header page of the outbound ring, its data area mapped twice
 *	right behind it
 * @out_data: bytes in the outbound data area
 * @in_va: the same for the inbound ring
 * @in_data: bytes in the inbound data area
 *
 * Return: 0, or -EINVAL if a ring header holds invalid indices.
 */
int ohv_chan_rings_init(struct ohv_channel *chan, void *out_va, u32 out_data,
			void *in_va, u32 in_data)
{
	int ret;

	ret = ohv_ring_init(&chan->out, out_va, (u8 *)out_va + PAGE_SIZE,
			    out_data);
	if (ret)
		return ret;
	ret = ohv_ring_init(&chan->in, in_va, (u8 *)in_va + PAGE_SIZE,
			    in_data);
	if (ret)
		return ret;
	spin_lock_irq(&chan->out_lock);
	spin_lock(&chan->in_lock);
	chan->rings_up = true;
	spin_unlock(&chan->in_lock);
	spin_unlock_irq(&chan->out_lock);
	return 0;
}

/**
 * ohv_chan_rings_down() - stop all ring access before the rings go away
 * @chan: the channel
 *
 * Later sends and receives fail with -ENODEV; blocked senders wake up.
 */
void ohv_chan_rings_down(struct ohv_channel *chan)
{
	spin_lock_irq(&chan->out_lock);
	spin_lock(&chan->in_lock);
	chan->rings_up = false;
	spin_unlock(&chan->in_lock);
	spin_unlock_irq(&chan->out_lock);
	wake_up_all(&chan->tx_wait);
}

static void ohv_ring_snap(const struct ohv_ring *ring, u32 *w, u32 *r,
			  u32 *mask, u32 *pend)
{
	*w = READ_ONCE(ring->hdr->write_index);
	*r = READ_ONCE(ring->hdr->read_index);
	*mask = READ_ONCE(ring->hdr->interrupt_mask);
	*pend = READ_ONCE(ring->hdr->pending_send_sz);
}

/**
 * ohv_chan_snapshot() - read the ring headers for sysfs and debugfs
 * @chan: the channel
 * @snap: filled in; @snap->up is false when the channel is not open
 */
void ohv_chan_snapshot(struct ohv_channel *chan, struct ohv_chan_snap *snap)
{
	unsigned long flags;

	memset(snap, 0, sizeof(*snap));
	spin_lock_irqsave(&chan->out_lock, flags);
	spin_lock(&chan->in_lock);
	if (chan->rings_up) {
		snap->up = true;
		ohv_ring_snap(&chan->out, &snap->out.write_index,
			      &snap->out.read_index, &snap->out.interrupt_mask,
			      &snap->out.pending_send_sz);
		ohv_ring_snap(&chan->in, &snap->in.write_index,
			      &snap->in.read_index, &snap->in.interrupt_mask,
			      &snap->in.pending_send_sz);
		snap->out.size = chan->out.size;
		snap->in.size = chan->in.size;
		snap->out_broken = chan->out.broken;
		snap->in_broken = chan->in.broken;
	}
	spin_unlock(&chan->in_lock);
	spin_unlock_irqrestore(&chan->out_lock, flags);
}

/* ---------------------------------------------------------------------- */
/* Signals and the receive callback                                       */
/* ---------------------------------------------------------------------- */

/**
 * ohv_chan_signal_peer() - tell the other side the channel has work
 * @chan: the channel
 */
void ohv_chan_signal_peer(struct ohv_channel *chan)
{
	struct ohv_link *link = chan->conn->link;

	atomic64_inc(&chan->stats.signals);
	if (ohv_conn_is_guest(chan->conn))
		link->ops->signal_host(link, chan->connection_id);
	else
		link->ops->signal_guest(link, chan->relid,
					READ_ONCE(chan->target_vp));
}

/*
 * Batched mode: with the peer's interrupts masked, the callback drains the
 * ring; unmasking reports data that raced in while masked, for which no
 * signal will come, so the callback runs again.
 */
static void ohv_chan_tasklet(struct tasklet_struct *t)
{
	struct ohv_channel *chan = from_tasklet(chan, t, tasklet);
	unsigned int idle = 0;
	s64 before;

	for (;;) {
		before = atomic64_read(&chan->stats.rx_bytes);
		ohv_chan_rx_mask(chan);
		chan->cb(chan, chan->cb_ctx);
		if (ohv_chan_rx_unmask(chan))
			break;
		/*
		 * A callback that leaves packets it cannot take must not spin.
		 * One idle round is normal: the data arrived after it looked.
		 */
		if (atomic64_read(&chan->stats.rx_bytes) != before)
			idle = 0;
		else if (++idle == 2)
			break;
	}
}

/**
 * ohv_chan_interrupt() - the peer signalled the channel
 * @chan: the channel
 *
 * Any context; the caller keeps @chan's memory alive (RCU).
 */
void ohv_chan_interrupt(struct ohv_channel *chan)
{
	unsigned long flags;

	spin_lock_irqsave(&chan->cb_lock, flags);
	if (chan->cb_on) {
		atomic64_inc(&chan->stats.interrupts);
		if (chan->cb_mode == OHV_CB_DIRECT)
			chan->cb(chan, chan->cb_ctx);
		else
			tasklet_schedule(&chan->tasklet);
		/* A signal may also mean "ring space freed" for senders. */
		wake_up(&chan->tx_wait);
	} else {
		atomic64_inc(&chan->conn->stats.signals_bad);
	}
	spin_unlock_irqrestore(&chan->cb_lock, flags);
}

/**
 * ohv_chan_start_cb() - let signals run the receive callback
 * @chan: the channel, rings up
 * @cb: the callback; NULL only wakes blocked senders
 * @ctx: its context
 * @mode: &enum ohv_cb_mode
 */
void ohv_chan_start_cb(struct ohv_channel *chan, ohv_chan_cb_t cb, void *ctx,
		       enum ohv_cb_mode mode)
{
	spin_lock_irq(&chan->cb_lock);
	chan->cb = cb;
	chan->cb_ctx = ctx;
	chan->cb_mode = cb ? mode : OHV_CB_BATCHED;
	chan->cb_on = !!cb;
	spin_unlock_irq(&chan->cb_lock);
}

/**
 * ohv_chan_stop_cb() - no more callbacks; waits for a running one
 * @chan: the channel
 */
void ohv_chan_stop_cb(struct ohv_channel *chan)
{
	spin_lock_irq(&chan->cb_lock);
	chan->cb_on = false;
	spin_unlock_irq(&chan->cb_lock);
	tasklet_kill(&chan->tasklet);
	wake_up_all(&chan->tx_wait);
}

/**
 * ohv_chan_rx_mask() - ask the peer not to signal while we poll
 * @chan: the channel
 *
 * For %OHV_CB_DIRECT drivers that poll (NAPI); the core does this itself
 * around %OHV_CB_BATCHED callbacks.
 */
void ohv_chan_rx_mask(struct ohv_channel *chan)
{
	unsigned long flags;

	spin_lock_irqsave(&chan->in_lock, flags);
	if (chan->rings_up)
		ohv_ring_mask_interrupts(&chan->in);
	spin_unlock_irqrestore(&chan->in_lock, flags);
}
EXPORT_SYMBOL_GPL(ohv_chan_rx_mask);

/**
 * ohv_chan_rx_unmask() - let the peer signal again
 * @chan: the channel
 *
 * Return: true if the ring is empty (or unusable) and polling may stop;
 * false if packets arrived while masked: keep polling, no signal will come.
 */
bool ohv_chan_rx_unmask(struct ohv_channel *chan)
{
	unsigned long flags;
	bool done = true;

	spin_lock_irqsave(&chan->in_lock, flags);
	if (chan->rings_up && !chan->in.broken)
		done = !ohv_ring_unmask_interrupts(&chan->in);
	spin_unlock_irqrestore(&chan->in_lock, flags);
	return done;
}
EXPORT_SYMBOL_GPL(ohv_chan_rx_unmask);

/* ---------------------------------------------------------------------- */
/* Packets                                                                */
/* ---------------------------------------------------------------------- */

/* Counts a write's outcome; signals the peer if the ring said so. */
static int ohv_chan_wrote(struct ohv_channel *chan, int ret, u32 len,
			  bool signal)
{
	if (!ret)
		atomic64_add(len, &chan->stats.tx_bytes);
	else if (ret == -EAGAIN)
		atomic64_inc(&chan->stats.tx_full);
	if (signal)
		ohv_chan_signal_peer(chan);
	return ret;
}

static int ohv_chan_write(struct ohv_channel *chan,
			  const struct ohv_ring_buf *bufs, unsigned int nbufs,
			  u32 len)
{
	bool signal = false;
	unsigned long flags;
	int ret = -ENODEV;

	if (ohv_chan_rescinded(chan))
		return -ENODEV;
	spin_lock_irqsave(&chan->out_lock, flags);
	if (chan->rings_up)
		ret = ohv_ring_write(&chan->out, bufs, nbufs, &signal);
	spin_unlock_irqrestore(&chan->out_lock, flags);
	return ohv_chan_wrote(chan, ret, len, signal);
}

/*
 * An in-band packet, its descriptor built by the ring; published (with
 * the signalling decision) only if @publish.
 */
static int ohv_chan_inband(struct ohv_channel *chan, const void *data,
			   u32 len, u64 trans_id, u16 type, u16 flags,
			   bool publish)
{
	bool signal = false;
	unsigned long irqflags;
	int ret = -ENODEV;

	if (len > OHV_RING_MAX_PACKET - sizeof(struct ohv_vmpacket_desc))
		return -EINVAL;
	if (ohv_chan_rescinded(chan))
		return -ENODEV;
	spin_lock_irqsave(&chan->out_lock, irqflags);
	if (chan->rings_up) {
		ret = ohv_ring_queue_send(&chan->out, type, flags, trans_id,
					  data, len);
		if (!ret && publish)
			signal = ohv_ring_flush(&chan->out);
	}
	spin_unlock_irqrestore(&chan->out_lock, irqflags);
	return ohv_chan_wrote(chan, ret, len, signal);
}

/**
 * ohv_chan_send() - send an in-band packet
 * @chan: an open channel
 * @data: the payload
 * @len: its length
 * @trans_id: transaction id, returned in the peer's completion
 * @type: packet type, usually %OHV_VMPKT_DATA_INBAND or %OHV_VMPKT_COMP
 * @flags: %OHV_VMPKT_FLAG_COMPLETION_REQUESTED or 0
 *
 * Any context. Signals the peer when the ring protocol says so.
 *
 * Return: 0; -EAGAIN if the ring is full (see ohv_chan_send_wait());
 * -ENODEV if the channel is not open or was rescinded; -EPIPE if the ring
 * is broken; -EINVAL for a packet too large for the ring.
 */
int ohv_chan_send(struct ohv_channel *chan, const void *data, u32 len,
		  u64 trans_id, u16 type, u16 flags)
{
	return ohv_chan_inband(chan, data, len, trans_id, type, flags, true);
}
EXPORT_SYMBOL_GPL(ohv_chan_send);

/**
 * ohv_chan_queue() - ohv_chan_send(), but the peer does not see it yet
 * @chan: an open channel
 * @data: the payload
 * @len: its length
 * @trans_id: transaction id
 * @type: packet type
 * @flags: packet flags
 *
 * Any context. The packet is written to the ring without publishing the
 * ring's write index or signalling, so a batch of packets costs one
 * signalling decision: the caller must call ohv_chan_flush() after the
 * batch. Any send on the channel also publishes queued packets.
 *
 * Return: as ohv_chan_send().
 */
int ohv_chan_queue(struct ohv_channel *chan, const void *data, u32 len,
		   u64 trans_id, u16 type, u16 flags)
{
	return ohv_chan_inband(chan, data, len, trans_id, type, flags, false);
}
EXPORT_SYMBOL_GPL(ohv_chan_queue);

/**
 * ohv_chan_flush() - publish the packets ohv_chan_queue() wrote
 * @chan: an open channel
 *
 * Any context. Signals the peer when the ring protocol says so.
 */
void ohv_chan_flush(struct ohv_channel *chan)
{
	bool signal = false;
	unsigned long flags;

	spin_lock_irqsave(&chan->out_lock, flags);
	if (chan->rings_up)
		signal = ohv_ring_flush(&chan->out);
	spin_unlock_irqrestore(&chan->out_lock, flags);
	if (signal)
		ohv_chan_signal_peer(chan);
}
EXPORT_SYMBOL_GPL(ohv_chan_flush);

static bool ohv_chan_send_stopped(struct ohv_channel *chan)
{
	return ohv_chan_rescinded(chan) || !READ_ONCE(chan->rings_up) ||
	       READ_ONCE(chan->out.broken);
}

static bool ohv_chan_send_ready(struct ohv_channel *chan, u32 len)
{
	return ohv_chan_can_send(chan, len) || ohv_chan_send_stopped(chan);
}

/**
 * ohv_chan_send_wait() - ohv_chan_send(), sleeping while the ring is full
 * @chan: an open channel
 * @data: the payload
 * @len: its length
 * @trans_id: transaction id
 * @type: packet type
 * @flags: packet flags
 *
 * Process context. Uses the ring's pending_send_sz protocol: the peer
 * signals once enough space is free.
 *
 * Return: as ohv_chan_send(), or -EINTR on a signal; never -EAGAIN.
 */
int ohv_chan_send_wait(struct ohv_channel *chan, const void *data, u32 len,
		       u64 trans_id, u16 type, u16 flags)
{
	u32 need = sizeof(struct ohv_vmpacket_desc) + len;
	bool waited = false, fits;
	int ret;

	might_sleep();
	for (;;) {
		ret = ohv_chan_send(chan, data, len, trans_id, type, flags);
		if (ret != -EAGAIN)
			break;
		spin_lock_irq(&chan->out_lock);
		fits = true;
		if (chan->rings_up) {
			/*
			 * Ask for a quarter of the ring, not just this packet:
			 * a full ring then wakes us once per batch of packets
			 * rather than once per packet. The reader drains the
			 * ring whole, so the wait is no longer, only rarer.
			 */
			fits = ohv_ring_wait_space_begin(&chan->out,
							 max(need,
							     chan->out.size / 4));
			waited = true;
		}
		spin_unlock_irq(&chan->out_lock);
		if (fits)
			continue;
		if (wait_event_interruptible_timeout(chan->tx_wait,
						     ohv_chan_send_ready(chan,
									 len),
						     HZ) < 0) {
			ret = -EINTR;
			break;
		}
	}
	if (waited) {
		spin_lock_irq(&chan->out_lock);
		if (chan->rings_up)
			ohv_ring_wait_space_end(&chan->out);
		spin_unlock_irq(&chan->out_lock);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(ohv_chan_send_wait);

/**
 * ohv_chan_can_send() - would a packet with @len payload bytes fit now?
 * @chan: the channel
 * @len: payload bytes
 *
 * Return: true if it fits (or the channel is dead, so a send fails fast).
 */
bool ohv_chan_can_send(struct ohv_channel *chan, u32 len)
{
	u32 need = ALIGN(sizeof(struct ohv_vmpacket_desc) + len, 8) +
		   OHV_RING_TRAILER_SIZE;
	unsigned long flags;
	bool fits = true;

	spin_lock_irqsave(&chan->out_lock, flags);
	if (chan->rings_up && !chan->out.broken)
		fits = ohv_ring_bytes_to_write(&chan->out) > need;
	spin_unlock_irqrestore(&chan->out_lock, flags);
	return fits;
}
EXPORT_SYMBOL_GPL(ohv_chan_can_send);

/**
 * ohv_chan_send_gpa() - send a GPA-direct packet
 * @chan: an open channel
 * @ranges: the page ranges the packet describes
 * @nr_ranges: entries in @ranges, at most %OHV_MAX_PAGE_BUFFER_COUNT
 * @data: the in-band payload after the ranges
 * @len: its length
 * @trans_id: transaction id
 *
 * The packet asks for a completion, as Hyper-V's storage and network
 * protocols expect.
 *
 * Return: as ohv_chan_send(); -EINVAL for inconsistent ranges.
 */
int ohv_chan_send_gpa(struct ohv_channel *chan,
		      const struct ohv_pkt_range *ranges, u32 nr_ranges,
		      const void *data, u32 len, u64 trans_id)
{
	struct ohv_vmpacket_gpa_direct_hdr *hdr;
	struct ohv_ring_buf bufs[2];
	u32 i, desc_len = sizeof(*hdr);
	u8 *p;
	int ret;

	if (!nr_ranges || nr_ranges > OHV_MAX_PAGE_BUFFER_COUNT)
		return -EINVAL;
	for (i = 0; i < nr_ranges; i++) {
		const struct ohv_pkt_range *r = &ranges[i];

		if (!r->byte_count || r->byte_offset >= OHV_HV_PAGE_SIZE ||
		    r->pfn_count != DIV_ROUND_UP((u64)r->byte_offset +
						 r->byte_count,
						 OHV_HV_PAGE_SIZE))
			return -EINVAL;
		desc_len += sizeof(struct ohv_gpa_range) +
			    r->pfn_count * sizeof(u64);
		if (desc_len > OHV_RING_MAX_PACKET - len)
			return -EINVAL;
	}
	hdr = kzalloc(desc_len, GFP_ATOMIC);
	if (!hdr)
		return -ENOMEM;
	ohv_vmpacket_desc_init(&hdr->d, OHV_VMPKT_DATA_USING_GPA_DIRECT,
			       OHV_VMPKT_FLAG_COMPLETION_REQUESTED, trans_id,
			       desc_len, desc_len + len);
	hdr->range_cnt = nr_ranges;
	p = (u8 *)(hdr + 1);
	for (i = 0; i < nr_ranges; i++) {
		struct ohv_gpa_range wr = {
			.byte_count = ranges[i].byte_count,
			.byte_offset = ranges[i].byte_offset,
		};

		memcpy(p, &wr, sizeof(wr));
		p += sizeof(wr);
		memcpy(p, ranges[i].pfns, ranges[i].pfn_count * sizeof(u64));
		p += ranges[i].pfn_count * sizeof(u64);
	}
	bufs[0].base = hdr;
	bufs[0].len = desc_len;
	bufs[1].base = data;
	bufs[1].len = len;
	ret = ohv_chan_write(chan, bufs, 2, len);
	kfree(hdr);
	return ret;
}
EXPORT_SYMBOL_GPL(ohv_chan_send_gpa);

/**
 * ohv_chan_send_xfer() - send a transfer-page packet (host side)
 * @chan: an open channel
 * @pageset_id: the transfer page set (e.g. a receive buffer id)
 * @ranges: byte ranges inside the page set
 * @nr_ranges: entries in @ranges, at least 1
 * @data: the in-band payload after the ranges
 * @len: its length
 * @trans_id: transaction id, returned in the peer's completion
 *
 * Any context. The packet asks for a completion. Additive helper for
 * providers whose protocol hands the guest data in a buffer it gave
 * (netvsp's receive buffer).
 *
 * Return: as ohv_chan_send(); -EINVAL for a bad range count.
 */
int ohv_chan_send_xfer(struct ohv_channel *chan, u16 pageset_id,
		       const struct ohv_xfer_page_range *ranges, u32 nr_ranges,
		       const void *data, u32 len, u64 trans_id)
{
	struct ohv_vmpacket_xfer_hdr hdr = {};
	u32 rlen = nr_ranges * sizeof(*ranges);
	struct ohv_ring_buf bufs[3] = {
		{ .base = &hdr, .len = sizeof(hdr) },
		{ .base = ranges, .len = rlen },
		{ .base = data, .len = len },
	};

	if (!nr_ranges || rlen > OHV_RING_MAX_PACKET / 2 ||
	    len > OHV_RING_MAX_PACKET / 2)
		return -EINVAL;
	ohv_vmpacket_desc_init(&hdr.d, OHV_VMPKT_DATA_USING_XFER_PAGES,
			       OHV_VMPKT_FLAG_COMPLETION_REQUESTED, trans_id,
			       sizeof(hdr) + rlen, sizeof(hdr) + rlen + len);
	hdr.xfer_pageset_id = pageset_id;
	hdr.range_cnt = nr_ranges;
	return ohv_chan_write(chan, bufs, 3, len);
}
EXPORT_SYMBOL_GPL(ohv_chan_send_xfer);

static int chan_recv(struct ohv_channel *chan, int type, void *buf,
		     u32 buflen, u32 *pktlen)
{
	bool signal = false;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&chan->in_lock, flags);
	if (chan->rings_up) {
		ret = type < 0 ?
		      ohv_ring_read(&chan->in, buf, buflen, pktlen) :
		      ohv_ring_read_type(&chan->in, type, buf, buflen, pktlen);
		if (!ret)
			signal = ohv_ring_read_commit(&chan->in);
	} else {
		ret = -ENODEV;
	}
	spin_unlock_irqrestore(&chan->in_lock, flags);
	if (!ret)
		atomic64_add(*pktlen, &chan->stats.rx_bytes);
	else if (ret == -EBADMSG)
		ret = -EPIPE;
	if (ret == -EPIPE && __ratelimit(&chan->conn->bad_rs))
		pr_warn("%s: relid %u: inbound ring broken: %s\n",
			chan->conn->name, chan->relid,
			chan->in.broken_reason ?: "?");
	if (signal)
		ohv_chan_signal_peer(chan);
	return ret;
}

/**
 * ohv_chan_recv() - take the next packet off the inbound ring
 * @chan: an open channel
 * @buf: receives the whole packet, descriptor first (see
 *	ohv_vmpacket_payload() and ohv_vmpacket_payload_len())
 * @buflen: room at @buf
 * @pktlen: set to the packet's length (or the room it needs on -ENOBUFS)
 *
 * Any context; one reader at a time per channel is enforced. The packet
 * is copied and its descriptor validated before this returns.
 *
 * Return: 0; -EAGAIN when empty; -ENOBUFS when @buflen is too small (the
 * packet stays); -ENODEV when not open; -EPIPE once the ring is broken
 * (the peer corrupted it).
 */
int ohv_chan_recv(struct ohv_channel *chan, void *buf, u32 buflen,
		  u32 *pktlen)
{
	return chan_recv(chan, -1, buf, buflen, pktlen);
}
EXPORT_SYMBOL_GPL(ohv_chan_recv);

/**
 * ohv_chan_recv_type() - ohv_chan_recv(), if the next packet is of @type
 * @chan: an open channel
 * @type: an OHV_VMPKT_* descriptor type
 * @buf: as for ohv_chan_recv()
 * @buflen: as for ohv_chan_recv()
 * @pktlen: as for ohv_chan_recv()
 *
 * Lets a driver take one kind of packet where it is cheap (completions
 * in the signal's softirq, say) and leave the rest to its usual reader.
 *
 * Return: as ohv_chan_recv(), and -ENOMSG (the packet stays) when the
 * next packet is of another type.
 */
int ohv_chan_recv_type(struct ohv_channel *chan, u16 type, void *buf,
		       u32 buflen, u32 *pktlen)
{
	return chan_recv(chan, type, buf, buflen, pktlen);
}
EXPORT_SYMBOL_GPL(ohv_chan_recv_type);

/* ---------------------------------------------------------------------- */
/* Accessors                                                              */
/* ---------------------------------------------------------------------- */

/**
 * ohv_chan_is_rescinded() - has the host withdrawn the channel?
 * @chan: the channel
 *
 * Return: true once the rescind arrived (guest) or was issued (host).
 */
bool ohv_chan_is_rescinded(const struct ohv_channel *chan)
{
	return ohv_chan_rescinded(chan);
}
EXPORT_SYMBOL_GPL(ohv_chan_is_rescinded);

/**
 * ohv_chan_relid() - the channel's relid
 * @chan: the channel
 *
 * Return: the child relid.
 */
u32 ohv_chan_relid(const struct ohv_channel *chan)
{
	return chan->relid;
}
EXPORT_SYMBOL_GPL(ohv_chan_relid);

/**
 * ohv_chan_subchannel_index() - 0 for a primary, else the sub-channel index
 * @chan: the channel
 *
 * Return: the offer's sub_channel_index.
 */
u16 ohv_chan_subchannel_index(const struct ohv_channel *chan)
{
	return chan->offer.sub_channel_index;
}
EXPORT_SYMBOL_GPL(ohv_chan_subchannel_index);

/**
 * ohv_chan_offer_user_def() - the offer's class-specific data
 * @chan: the channel
 *
 * Return: %OHV_OFFER_USER_DEF_LEN bytes.
 */
const u8 *ohv_chan_offer_user_def(const struct ohv_channel *chan)
{
	return chan->offer.u.user_def;
}
EXPORT_SYMBOL_GPL(ohv_chan_offer_user_def);

/**
 * ohv_chan_set_drvdata() - attach driver data to a channel
 * @chan: the channel
 * @data: the data
 */
void ohv_chan_set_drvdata(struct ohv_channel *chan, void *data)
{
	chan->drvdata = data;
}
EXPORT_SYMBOL_GPL(ohv_chan_set_drvdata);

/**
 * ohv_chan_get_drvdata() - driver data of a channel
 * @chan: the channel
 *
 * Return: what ohv_chan_set_drvdata() stored, initially NULL.
 */
void *ohv_chan_get_drvdata(const struct ohv_channel *chan)
{
	return chan->drvdata;
}
EXPORT_SYMBOL_GPL(ohv_chan_get_drvdata);

/**
 * ohv_chan_primary() - the primary channel of a sub-channel
 * @chan: the channel
 *
 * Return: the primary, or @chan itself if it is a primary.
 */
struct ohv_channel *ohv_chan_primary(struct ohv_channel *chan)
{
	return chan->primary ?: chan;
}
EXPORT_SYMBOL_GPL(ohv_chan_primary);

/**
 * ohv_chan_open() - open a channel (guest side)
 * @chan: an offered channel: a device's primary or a sub-channel
 * @params: ring sizes, open data and the receive callback
 *
 * Process context; sleeps until the host answers.
 *
 * Return: 0; -ENODEV if the channel was rescinded meanwhile; -EBUSY if
 * already open; -EIO if the host refused; -EINVAL on the host side or
 * for bad @params; -ENOMEM; -ESHUTDOWN on a broken connection.
 */
int ohv_chan_open(struct ohv_channel *chan,
		  const struct ohv_chan_open_params *params)
{
	if (!ohv_conn_is_guest(chan->conn))
		return -EINVAL;
	return ohv_guest_open(chan, params);
}
EXPORT_SYMBOL_GPL(ohv_chan_open);

/**
 * ohv_chan_close() - close a channel (guest side)
 * @chan: the channel; a primary's open sub-channels are closed first
 *
 * Process context. After this returns the callback no longer runs.
 * Closing a closed channel does nothing.
 */
void ohv_chan_close(struct ohv_channel *chan)
{
	if (ohv_conn_is_guest(chan->conn))
		ohv_guest_close(chan);
}
EXPORT_SYMBOL_GPL(ohv_chan_close);
