// SPDX-License-Identifier: GPL-2.0
/*
 * ohv netvsp: the host side of the synthetic NIC.
 *
 * Each NIC is a configfs item under /sys/kernel/config/ohv_netvsp/ (see
 * README.md). Enabling it registers a host net_device ("vif", named
 * ohvp<partition>n<nic>) and offers a network VMBus channel to the
 * partition. Frames the vif transmits are copied into the guest's receive
 * buffer and handed over in transfer-page packets; frames the guest sends
 * (in send-buffer sections or GPA pages) are copied into skbs and received
 * on the vif through GRO, like from a NIC.
 *
 * Each channel (primary and vRSS sub-channels) is drained by its own NAPI
 * context on the vif, in softirq: data packets and the guest's transfer
 * completions are handled there. What may sleep (NVSP and RNDIS control,
 * which take nic->lock and map buffers; GPA pages that must be mapped) is
 * copied and handed, in order, to the channel's work item. Completions
 * the ring has no room for wait in a small per-channel queue. Control
 * messages (NVSP setup, RNDIS INIT/QUERY/SET) come on the primary.
 * Everything read from guest memory is copied before it is checked; bad
 * messages are counted (configfs "stats") and dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/configfs.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/workqueue.h>
#include <net/ip6_checksum.h>
#include <net/checksum.h>
#include <net/flow_dissector.h>
#include <net/ip.h>

#include <ohv/vmbus.h>

#include "ohv_net_proto.h"

static unsigned int send_section_size = 6144;
module_param(send_section_size, uint, 0444);
MODULE_PARM_DESC(send_section_size, "Send-buffer section size offered to guests");

static bool napi_threaded = true;
module_param(napi_threaded, bool, 0644);
MODULE_PARM_DESC(napi_threaded,
		 "New vifs poll their channels in kernel threads (as /sys/class/net/<vif>/threaded)");

#define NSP_BATCH_FRAMES	32	/* most frames in one transfer packet */

/* Most RNDIS data messages a guest may pack into one send section. */
#define NSP_PKT_PER_MSG_MAX	64

static unsigned int max_pkt_per_msg = 16;
module_param(max_pkt_per_msg, uint, 0444);
MODULE_PARM_DESC(max_pkt_per_msg,
		 "RNDIS data messages a guest may pack into one send section (1-64)");

static unsigned int tx_batch = NSP_BATCH_FRAMES;
module_param(tx_batch, uint, 0644);
MODULE_PARM_DESC(tx_batch,
		 "Most frames to the guest in one transfer-page packet while the stack has more queued (1: one per packet; at most 32)");

/* Network device class {f8615163-df3e-46c5-913f-f2d2f965ed0e}. */
#define NSP_CLASS_GUID \
	GUID_INIT(0xf8615163, 0xdf3e, 0x46c5, \
		  0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e)

#define NSP_MAX_QUEUES		OHV_MAX_SUBCHANNELS
/*
 * The receive buffer is handed out in slots of NSP_SLOT_SIZE; a frame to
 * the guest takes as many contiguous slots as it needs, up to
 * NSP_FRAME_MAX bytes with its RNDIS header (a coalesced TCP segment).
 */
#define NSP_SLOT_SIZE		4096
#define NSP_FRAME_MAX		(64 * 1024 + OHV_NET_MAX_RNDIS_HDR)
#define NSP_FRAME_SLOTS		DIV_ROUND_UP(NSP_FRAME_MAX, NSP_SLOT_SIZE)
#define NSP_BATCH_SLOTS		4	/* slots a batch takes at first */
#define NSP_BATCH_ALIGN		64	/* its frames start on cache lines */
/* The payload of a transfer-page packet of a full batch. */
#define NSP_BATCH_PKT		(sizeof(struct ohv_vmpacket_xfer_hdr) - \
				 sizeof(struct ohv_vmpacket_desc) + \
				 NSP_BATCH_FRAMES * \
				 sizeof(struct ohv_xfer_page_range) + \
				 sizeof(struct ohv_nvsp_rndis_pkt))
/* Largest RNDIS message the guest may send us in one piece. */
#define NSP_MAX_XFER		(16 * 1024)
#define NSP_MAX_MTU		9000
#define NSP_PKT_BUF		(64 * 1024)
#define NSP_CTRL_BUF		4096
/* Packets NAPI may leave to the work item before it stops taking more. */
#define NSP_DEFER_MAX		256
/* Data-packet completions kept while the ring to the guest is full. */
#define NSP_COMP_RING		512
/* Completions nsp_reap() takes per signal, and the room for one. */
#define NSP_REAP_MAX		64
#define NSP_REAP_BUF		128
/* Largest TCP segment (frame) the vif passes to the guest whole. */
#define NSP_GSO_MAX		(NSP_FRAME_MAX - OHV_NET_MAX_RNDIS_HDR)
#define NSP_LINK_SPEED		100000000	/* 10 Gb/s in 100 b/s units */

static const u32 nsp_versions[] = {
	OHV_NVSP_VERSION_61, OHV_NVSP_VERSION_6, OHV_NVSP_VERSION_5,
	OHV_NVSP_VERSION_4, OHV_NVSP_VERSION_2, OHV_NVSP_VERSION_1,
};

struct nsp_nic;
struct nsp_src;

/**
 * struct nsp_rxq - what handling guest packets needs, per context
 * @nc: the channel
 * @napi: this is the channel's NAPI context (softirq, must not sleep);
 *	otherwise its work item (process context)
 * @wake: NAPI: a transfer completion freed a slot, wake the vif queues
 * @pkt: the packet being handled
 * @ctrl: control message copy (work only)
 * @gpa: GPA-direct packet description
 * @src: where a guest RNDIS message lies
 * @gpa_pages: the pages of a GPA-direct packet
 * @span: the messages of a send section
 * @bad: hostile input seen in this context
 * @rx_packets: frames from the guest
 * @rx_packed: of those, frames that shared a send section with the one
 *	before them
 * @rx_bytes: their bytes
 * @rx_dropped: frames from the guest dropped for lack of memory
 */
struct nsp_rxq {
	struct nsp_chan *nc;
	bool napi;
	bool wake;
	u8 *pkt;
	u8 *ctrl;
	struct ohv_net_gpa *gpa;
	struct nsp_src *src;
	struct page **gpa_pages;
	struct ohv_rndis_span span[NSP_PKT_PER_MSG_MAX];
	struct ohv_net_bad bad;
	u64 rx_packets;
	u64 rx_packed;
	u64 rx_bytes;
	u64 rx_dropped;
};

/* A packet NAPI hands to the work item (it may sleep), in ring order. */
struct nsp_defer {
	struct list_head node;
	u32 len;
	u8 data[];
};

/* A data-packet completion NAPI could not send: the ring was full. */
struct nsp_comp {
	u64 trans_id;
	u32 status;
};

/* What a run of slots out to the guest carries, for byte queue limits. */
struct nsp_run {
	u32 frames;
	u32 bytes;
};

/**
 * struct nsp_batch - frames to the guest packed into one run of slots, to
 *	go as one transfer-page packet with a range per frame
 * @slot: the receive-buffer slot number of the run's first slot, -1: none
 * @nslots: slots in the run
 * @used: bytes of the run used
 * @bytes: the frames' bytes (without RNDIS headers)
 * @n: frames
 * @stuck: the ring had no room when it was due; sent by the next frame or
 *	by the next guest completion (nsp_batch_retry())
 * @r: the frames' ranges in the receive buffer
 */
struct nsp_batch {
	int slot;
	u32 nslots;
	u32 used;
	u32 bytes;
	u32 n;
	bool stuck;
	struct ohv_xfer_page_range r[NSP_BATCH_FRAMES];
};

/* nsp_chan.flags */
enum {
	NSP_F_STALLED,	/* NAPI stopped taking packets: queues full */
	NSP_F_KICK,	/* the work item schedules NAPI */
};

/**
 * struct nsp_chan - one open channel of a NIC (queue @idx)
 * @nic: the NIC
 * @chan: the VMBus channel
 * @idx: queue index (sub-channel index)
 * @napi: drains the channel; handles data packets and transfer completions
 * @work: handles what NAPI deferred (control messages, mapped GPA
 *	packets), sends completions the ring had no room for
 * @fast: NAPI's context
 * @slow: the work item's context
 * @flags: NSP_F_*
 * @defer_lock: guards @defer_list and @defer_n
 * @defer_list: packets for the work item, oldest first
 * @defer_n: entries in @defer_list
 * @comp_lock: guards the comp_* ring
 * @comps: completions not sent yet, NSP_COMP_RING entries
 * @comp_head: oldest
 * @comp_n: entries
 * @deferred: packets handed to the work item
 * @defer_nomem: packets failed because no deferral entry could be had
 * @comp_queued: completions that found the ring full
 * @stalls: times NAPI stopped taking packets (deferral or completion
 *	queue full) until the work item caught up
 * @reap_lock: one nsp_reap() at a time
 * @reap_pkt: the completion nsp_reap() is looking at
 * @reap_bad: hostile completions nsp_reap() saw
 * @reaped: completions nsp_reap() took (in the signal's softirq)
 * @slot_lock: guards the slot fields
 * @slots: this queue's receive-buffer slots
 * @runs: by the first slot of each run out, the frames it carries (none
 *	for control messages)
 * @slot_first: the receive-buffer slot number of its first slot
 * @tx_packets: frames to the guest
 * @tx_bytes: their bytes
 * @tx_dropped: frames to the guest dropped
 * @tx_busy: times the vif queues were stopped for lack of slots or ring
 * @batch_lock: guards @batch
 * @batch: frames to the guest not sent yet
 * @tx_xfers: transfer-page packets with frames to the guest
 * @tx_bulk_polls: polls that started no moderation round because large
 *	frames had just gone to the guest (nsp_nic.tx_bulk_at)
 */
struct nsp_chan {
	struct nsp_nic *nic;
	struct ohv_channel *chan;
	u16 idx;
	struct napi_struct napi;
	struct work_struct work;
	struct nsp_rxq fast;
	struct nsp_rxq slow;
	unsigned long flags;
	spinlock_t defer_lock;	/* defer_* */
	struct list_head defer_list;
	u32 defer_n;
	spinlock_t comp_lock;	/* comp* */
	struct nsp_comp *comps;
	u32 comp_head;
	u32 comp_n;
	u64 deferred;
	atomic64_t defer_nomem;
	atomic64_t comp_queued;
	atomic64_t stalls;
	spinlock_t reap_lock;	/* reap_* */
	u8 reap_pkt[NSP_REAP_BUF];
	struct ohv_net_bad reap_bad;
	u64 reaped;
	spinlock_t slot_lock;	/* slot_* */
	struct ohv_net_slots slots;
	struct nsp_run *runs;
	u32 slot_first;
	atomic64_t tx_packets;
	atomic64_t tx_bytes;
	atomic64_t tx_dropped;
	atomic64_t tx_busy;
	spinlock_t batch_lock;	/* batch */
	struct nsp_batch batch;
	atomic64_t tx_xfers;
	u64 tx_bulk_polls;
};

/**
 * struct nsp_nic - one synthetic NIC (a configfs item)
 * @item: the configfs item
 * @lock: configuration and protocol state
 * @partition: partition to offer to
 * @nic: NIC number within the partition
 * @mac: MAC address reported to the guest
 * @queues: most channels (1 + sub-channels)
 * @link_up: administrative link state set by the host
 * @enabled: offered
 * @vif: the host net_device
 * @offer: the offered primary channel
 * @chans: open channels by index (RCU)
 * @txmap: open channels packed for the transmit path (RCU)
 * @nr_tx: entries in @txmap
 * @nvsp_ver: negotiated NVSP version, 0 before INIT
 * @ndis_ver: NDIS version the guest sent
 * @guest_mtu: MTU in NDIS_CONFIG
 * @rbuf_hg: receive buffer mapping
 * @rbuf: receive buffer
 * @rbuf_size: its bytes
 * @nslots: slots in it
 * @sbuf_hg: send buffer mapping
 * @sbuf: send buffer
 * @sbuf_size: its bytes
 * @section_size: send section size
 * @rndis_up: RNDIS initialised, data may flow
 * @filter: packet filter set by the guest
 * @guest_rxcsum: the guest accepts checksum-verified indications
 * @guest_rsc: the guest accepts coalesced TCP segments larger than its MTU
 * @subs: sub-channels offered
 * @send_table: the send indirection table the administrator set, by which
 *	the guest picks the channel a frame goes out on
 * @send_table_set: @send_table is set; otherwise entry i is i % channels
 * @rss: the guest's RSS indirection table (lock-free readers)
 * @rss_n: entries in @rss, 0: none (spread by the vif's queue)
 * @rss_hash_info: the guest's OHV_NDIS_RSS_HASH_* types
 * @rss_tab: the Toeplitz tables of the guest's key (replaced whole under
 *	@lock, read under RCU)
 * @rss_steered: frames queued for the channel @rss named
 * @tx_bulk_at: jiffies when a frame of OHV_NET_MOD_BULK_LEN or more last
 *	went to the guest, on any channel: the guest's ACKs may come back
 *	on another (its own send table picks it)
 * @bad: hostile input seen on closed channels, accumulated
 * @node: entry in nsp_nics (nsp_cfg_lock)
 */
struct nsp_nic {
	struct config_item item;
	struct list_head node;
	struct mutex lock;	/* config + protocol state */
	u32 partition;
	u32 nic;
	u8 mac[ETH_ALEN];
	u32 queues;
	bool link_up;
	bool enabled;
	struct net_device *vif;
	struct ohv_channel *offer;
	struct nsp_chan __rcu *chans[NSP_MAX_QUEUES];
	struct nsp_chan __rcu *txmap[NSP_MAX_QUEUES];
	unsigned int nr_tx;
	u32 nvsp_ver;
	u32 ndis_ver;
	u32 guest_mtu;
	struct ohv_host_gpadl *rbuf_hg;
	u8 *rbuf;
	u32 rbuf_size;
	u32 nslots;
	struct ohv_host_gpadl *sbuf_hg;
	u8 *sbuf;
	u32 sbuf_size;
	u32 section_size;
	bool rndis_up;
	u32 filter;
	bool guest_rxcsum;
	bool guest_rsc;
	u32 subs;
	u8 send_table[OHV_NVSP_SEND_TABLE_SIZE];
	bool send_table_set;
	struct ohv_rss_table rss;
	u32 rss_n;
	u32 rss_hash_info;
	struct ohv_toeplitz_tab __rcu *rss_tab;
	atomic64_t rss_steered;
	unsigned long tx_bulk_at;
	struct ohv_net_bad bad;
};

/* vif private data */
struct nsp_vif {
	struct nsp_nic *nic;
};

static struct workqueue_struct *nsp_wq;

static inline struct nsp_nic *to_nic(struct config_item *item)
{
	return container_of(item, struct nsp_nic, item);
}

static void nsp_bad_add(struct ohv_net_bad *to, const struct ohv_net_bad *from)
{
	to->nvsp += from->nvsp;
	to->rndis += from->rndis;
	to->ppi += from->ppi;
	to->range += from->range;
	to->trans_id += from->trans_id;
	to->state += from->state;
}

/* ---------------------------------------------------------------------- */
/* Receive-buffer slots                                                   */
/* ---------------------------------------------------------------------- */

static int nsp_slots_init(struct nsp_chan *nc)
{
	struct nsp_nic *nic = nc->nic;
	u32 per = nic->nslots / nic->queues;
	struct ohv_net_slots slots;
	struct nsp_run *runs;
	int ret;

	if (!per || nc->slots.map)
		return nc->slots.map ? 0 : -ENOSPC;
	runs = kvcalloc(per, sizeof(*runs), GFP_KERNEL);
	if (!runs)
		return -ENOMEM;
	ret = ohv_net_slots_init(&slots, per, min(per, NSP_FRAME_SLOTS),
				 GFP_KERNEL);
	if (ret) {
		kvfree(runs);
		return ret;
	}
	spin_lock_bh(&nc->slot_lock);
	nc->slot_first = nc->idx * per;
	nc->runs = runs;
	nc->slots = slots;
	spin_unlock_bh(&nc->slot_lock);
	return 0;
}

/* Slots for @len bytes. */
static u32 nsp_slots_for(u32 len)
{
	return DIV_ROUND_UP(len, NSP_SLOT_SIZE);
}

/* The receive-buffer slot number of @n free contiguous slots, or -ENOSPC. */
static int nsp_slot_get(struct nsp_chan *nc, u32 n)
{
	unsigned long flags;
	int i;

	spin_lock_irqsave(&nc->slot_lock, flags);
	i = ohv_net_slots_get(&nc->slots, n);
	spin_unlock_irqrestore(&nc->slot_lock, flags);
	return i < 0 ? i : nc->slot_first + i;
}

/*
 * Frees the run starting at @slot (a transaction id from the guest), and
 * tells byte queue limits its frames are done. Every completion of the
 * channel's queue comes here, under slot_lock: they are serialised.
 * Returns false if no run of this channel starts there.
 */
static bool nsp_slot_put(struct nsp_chan *nc, u64 slot)
{
	struct nsp_run run = {};
	unsigned long flags;
	int ret = -EINVAL;
	u64 i;

	spin_lock_irqsave(&nc->slot_lock, flags);
	if (slot >= nc->slot_first) {
		i = slot - nc->slot_first;
		ret = ohv_net_slots_put(&nc->slots, i);
		if (ret > 0) {
			swap(run, nc->runs[i]);
			if (run.frames)
				netdev_tx_completed_queue(netdev_get_tx_queue(nc->nic->vif,
									      nc->idx),
							  run.frames, run.bytes);
		}
	}
	spin_unlock_irqrestore(&nc->slot_lock, flags);
	return ret > 0;
}

/*
 * Before the run at @slot (from nsp_slot_get()) goes out: shortens it to
 * its first @n slots and records the frames it carries.
 */
static void nsp_slot_seal(struct nsp_chan *nc, int slot, u32 n,
			  const struct nsp_run *run)
{
	u32 i = slot - nc->slot_first;
	unsigned long flags;

	spin_lock_irqsave(&nc->slot_lock, flags);
	WARN_ON_ONCE(ohv_net_slots_trim(&nc->slots, i, n));
	nc->runs[i] = *run;
	spin_unlock_irqrestore(&nc->slot_lock, flags);
}

/* Whether @n more slots may be free now (a hint: they may be scattered). */
static bool nsp_slots_room(struct nsp_chan *nc, u32 n)
{
	return READ_ONCE(nc->slots.used) + n <= READ_ONCE(nc->slots.cnt);
}

/*
 * An RNDIS message to the guest: a transfer-page packet whose @n ranges
 * point into the run at @slot, completed by the guest naming @slot.
 */
static int nsp_xfer_to_guest(struct nsp_chan *nc, u32 channel_type,
			     const struct ohv_xfer_page_range *r, u32 n,
			     int slot)
{
	struct ohv_nvsp_rndis_pkt m = {
		.type = OHV_NVSP1_SEND_RNDIS_PKT,
		.channel_type = channel_type,
		.section_index = OHV_NVSP_NO_SECTION,
	};

	return ohv_chan_send_xfer(nc->chan, OHV_NVSP_RECV_BUF_ID, r, n, &m,
				  sizeof(m), slot);
}

/*
 * An RNDIS control message (reply or indication) to the guest, in a slot
 * of its own. Any context.
 */
static int nsp_ctrl_to_guest(struct nsp_chan *nc, const void *msg, u32 len)
{
	struct ohv_xfer_page_range r;
	int slot, ret;

	if (len > NSP_SLOT_SIZE)
		return -EMSGSIZE;
	slot = nsp_slot_get(nc, 1);
	if (slot < 0)
		return slot;
	memcpy(READ_ONCE(nc->nic->rbuf) + (size_t)slot * NSP_SLOT_SIZE, msg,
	       len);
	r.byte_offset = (u32)slot * NSP_SLOT_SIZE;
	r.byte_count = len;
	ret = nsp_xfer_to_guest(nc, OHV_NVSP_CHANNEL_CONTROL, &r, 1, slot);
	if (ret)
		nsp_slot_put(nc, slot);
	return ret;
}

/*
 * Sends the open batch (batch_lock held), its run first shortened to what
 * its frames use. The guest completes the packet once, naming the run.
 * Return: 0 if sent or none was open; -EAGAIN if the ring had no room (the
 * batch stays, stuck); another error if the channel is going away (its
 * frames are dropped).
 */
static int nsp_batch_send(struct nsp_chan *nc)
{
	struct nsp_batch *b = &nc->batch;
	struct nsp_run run = { .frames = b->n, .bytes = b->bytes };
	int ret;

	if (b->slot < 0)
		return 0;
	/* A stuck batch was sealed when it first went: nothing joins it. */
	if (!b->stuck) {
		b->nslots = nsp_slots_for(b->used);
		nsp_slot_seal(nc, b->slot, b->nslots, &run);
	}
	ret = nsp_xfer_to_guest(nc, OHV_NVSP_CHANNEL_DATA, b->r, b->n,
				b->slot);
	if (ret == -EAGAIN) {
		WRITE_ONCE(b->stuck, true);
		return ret;
	}
	if (ret) {
		nsp_slot_put(nc, b->slot);
		atomic64_add(b->n, &nc->tx_dropped);
	} else {
		atomic64_inc(&nc->tx_xfers);
		atomic64_add(b->n, &nc->tx_packets);
		atomic64_add(b->bytes, &nc->tx_bytes);
	}
	WRITE_ONCE(b->slot, -1);
	b->n = 0;
	WRITE_ONCE(b->stuck, false);
	return ret;
}

static void nsp_batch_flush(struct nsp_chan *nc)
{
	unsigned long flags;

	spin_lock_irqsave(&nc->batch_lock, flags);
	nsp_batch_send(nc);
	spin_unlock_irqrestore(&nc->batch_lock, flags);
}

/* A guest completion made room: send a batch the ring had none for. */
static void nsp_batch_retry(struct nsp_chan *nc)
{
	if (READ_ONCE(nc->batch.stuck))
		nsp_batch_flush(nc);
}

/*
 * One frame to the guest, @hdr (its RNDIS header) then @skb, into the
 * channel's batch. The batch goes when @more is false (the stack has no
 * more frames for now), when it is full, or when the frame's vif queue was
 * stopped: then the stack stops calling, and a stopper sends every batch
 * only after stopping (nsp_vif_stop_queues()); the lock orders the two.
 * Return: 0 if the frame was taken (its skb may go); -ENOSPC or -EAGAIN if
 * there was no room for it, in slots or in the ring; another error if it
 * was dropped.
 */
static int nsp_tx_frame(struct nsp_chan *nc, const void *hdr, u32 hlen,
			const struct sk_buff *skb, bool more)
{
	struct nsp_nic *nic = nc->nic;
	u32 len = hlen + skb->len, need = nsp_slots_for(len), max, off, want;
	struct nsp_batch *b = &nc->batch;
	struct netdev_queue *txq;
	unsigned long flags;
	int slot, ret = 0;
	u8 *dst;

	if (len > NSP_FRAME_MAX)
		return -EMSGSIZE;
	max = clamp_t(u32, READ_ONCE(tx_batch), 1, NSP_BATCH_FRAMES);
	spin_lock_irqsave(&nc->batch_lock, flags);
	off = ALIGN(b->used, NSP_BATCH_ALIGN);
	if (b->slot >= 0 && (b->stuck || b->n >= max ||
			     off + len > b->nslots * NSP_SLOT_SIZE)) {
		ret = nsp_batch_send(nc);
		if (ret)
			goto out;
	}
	if (b->slot < 0) {
		want = more && max > 1 ? max_t(u32, need, NSP_BATCH_SLOTS) :
		       need;
		slot = nsp_slot_get(nc, want);
		if (slot < 0 && want > need) {
			want = need;
			slot = nsp_slot_get(nc, want);
		}
		if (slot < 0) {
			ret = slot;
			goto out;
		}
		WRITE_ONCE(b->slot, slot);
		b->nslots = want;
		b->used = 0;
		b->bytes = 0;
		off = 0;
	}
	dst = READ_ONCE(nic->rbuf) + (size_t)b->slot * NSP_SLOT_SIZE + off;
	memcpy(dst, hdr, hlen);
	if (skb_copy_bits(skb, 0, dst + hlen, skb->len)) {
		if (!b->n) {
			nsp_slot_put(nc, b->slot);
			WRITE_ONCE(b->slot, -1);
		}
		ret = -EFAULT;
		goto out;
	}
	b->r[b->n].byte_offset = (u32)b->slot * NSP_SLOT_SIZE + off;
	b->r[b->n].byte_count = len;
	b->n++;
	b->used = off + len;
	b->bytes += skb->len;
	/* Written once a tick at most: every channel's sender reads it. */
	if (skb->len >= OHV_NET_MOD_BULK_LEN &&
	    time_after(jiffies, READ_ONCE(nic->tx_bulk_at)))
		WRITE_ONCE(nic->tx_bulk_at, jiffies);
	/*
	 * The frame is taken: a stuck batch is retried, a dropped one counted
	 * (and completed for byte queue limits, by nsp_slot_put()).
	 */
	txq = skb_get_tx_queue(nic->vif, skb);
	if (__netdev_tx_sent_queue(txq, skb->len, more) || b->n >= max ||
	    netif_xmit_stopped(txq))
		nsp_batch_send(nc);
out:
	spin_unlock_irqrestore(&nc->batch_lock, flags);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* vif: frames from the host stack to the guest                           */
/* ---------------------------------------------------------------------- */

/*
 * Sends what every channel has batched. Called with the vif's queues
 * stopped (or after the last of a burst): the stack may not call again.
 */
static void nsp_vif_flush(struct nsp_nic *nic)
{
	struct nsp_chan *nc;
	unsigned int i, n;

	rcu_read_lock_bh();
	n = READ_ONCE(nic->nr_tx);
	for (i = 0; i < n; i++) {
		nc = rcu_dereference_bh(nic->txmap[i]);
		if (nc && READ_ONCE(nc->batch.slot) >= 0)
			nsp_batch_flush(nc);
	}
	rcu_read_unlock_bh();
}

/* Stops the vif's queues: the channel @nc had no room. */
static void nsp_vif_stop_queues(struct nsp_nic *nic, struct nsp_chan *nc)
{
	netif_tx_stop_all_queues(nic->vif);
	atomic64_inc(&nc->tx_busy);
	nsp_vif_flush(nic);
}

/*
 * The hash the guest is told and steers by, as a Hyper-V host computes
 * it: Toeplitz over the guest's key, of the source and destination
 * addresses and, for TCP when the guest asked for it, the ports. Frames
 * that are not IP, or of a type the guest did not ask for, keep the
 * stack's flow hash.
 */
static u32 nsp_rss_hash(struct nsp_nic *nic, struct sk_buff *skb)
{
	u32 info = READ_ONCE(nic->rss_hash_info), l4, n, hash;
	const struct ohv_toeplitz_tab *tab;
	u8 in[OHV_RSS_INPUT_MAX];
	struct flow_keys fk;

	if (!skb_flow_dissect_flow_keys(skb, &fk, 0))
		return skb_get_hash(skb);
	if (fk.control.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS &&
	    (info & OHV_NDIS_RSS_HASH_IPV4)) {
		memcpy(in, &fk.addrs.v4addrs.src, 4);
		memcpy(in + 4, &fk.addrs.v4addrs.dst, 4);
		n = 8;
		l4 = info & OHV_NDIS_RSS_HASH_TCP_IPV4;
	} else if (fk.control.addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS &&
		   (info & OHV_NDIS_RSS_HASH_IPV6)) {
		memcpy(in, &fk.addrs.v6addrs.src, 16);
		memcpy(in + 16, &fk.addrs.v6addrs.dst, 16);
		n = 32;
		l4 = info & OHV_NDIS_RSS_HASH_TCP_IPV6;
	} else {
		return skb_get_hash(skb);
	}
	if (l4 && fk.basic.ip_proto == IPPROTO_TCP &&
	    !(fk.control.flags & FLOW_DIS_IS_FRAGMENT)) {
		memcpy(in + n, &fk.ports.src, 2);
		memcpy(in + n + 2, &fk.ports.dst, 2);
		n += 4;
	}
	rcu_read_lock();
	tab = rcu_dereference(nic->rss_tab);
	hash = tab ? ohv_toeplitz_tab(tab, in, n) : skb_get_hash(skb);
	rcu_read_unlock();
	return hash;
}

/*
 * Vif queue i feeds channel i, so that each queue's frames are completed
 * by one channel (byte queue limits count per queue). A frame takes the
 * channel the guest's RSS indirection table names for its hash (the hash
 * the guest is told, kept in the skb for nsp_vif_xmit()) if that channel
 * is open; otherwise one picked from the open ones by the stack's queue.
 */
static u16 nsp_vif_select_queue(struct net_device *dev, struct sk_buff *skb,
				struct net_device *sb_dev)
{
	struct nsp_vif *pv = netdev_priv(dev);
	struct nsp_nic *nic = pv->nic;
	u32 hash = nsp_rss_hash(nic, skb), idx;
	unsigned int n = READ_ONCE(nic->rss_n);
	struct nsp_chan *nc = NULL;

	skb_set_hash(skb, hash, PKT_HASH_TYPE_L4);
	rcu_read_lock();
	if (n) {
		smp_rmb();	/* the count before the entries */
		idx = ohv_rss_pick(&nic->rss, n, hash);
		nc = rcu_dereference(nic->chans[idx]);
		if (nc)
			atomic64_inc(&nic->rss_steered);
	}
	n = READ_ONCE(nic->nr_tx);
	if (!nc && n)
		nc = rcu_dereference(nic->txmap[netdev_pick_tx(dev, skb, sb_dev) %
						n]);
	idx = nc && nc->idx < dev->real_num_tx_queues ? nc->idx : 0;
	rcu_read_unlock();
	return idx;
}

/* The channel of the frame's vif queue, if open. */
static struct nsp_chan *nsp_tx_chan(struct nsp_nic *nic, struct sk_buff *skb)
{
	u16 q = skb_get_queue_mapping(skb);

	return q < NSP_MAX_QUEUES ? rcu_dereference_bh(nic->chans[q]) : NULL;
}

static netdev_tx_t nsp_vif_xmit_one(struct sk_buff *skb,
				    struct net_device *dev, u32 hash,
				    bool more);

/*
 * A TCP segment larger than the MTU goes to the guest as it is (one
 * coalesced frame, as RSC would deliver it) if the guest accepts that and
 * verified checksums, and its receive buffer holds at least two such
 * frames per queue; otherwise it is segmented here. Room for all the
 * segments is checked first, so a segmented frame is not half sent.
 */
static netdev_tx_t nsp_vif_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nsp_vif *pv = netdev_priv(dev);
	struct nsp_nic *nic = pv->nic;
	u32 hash = skb_get_hash(skb), need;
	struct sk_buff *segs, *next;
	struct nsp_chan *nc;

	if (!skb_is_gso(skb) ||
	    (READ_ONCE(nic->guest_rsc) && READ_ONCE(nic->guest_rxcsum) &&
	     skb->len <= NSP_GSO_MAX &&
	     READ_ONCE(nic->nslots) / nic->queues >= 2 * NSP_FRAME_SLOTS))
		return nsp_vif_xmit_one(skb, dev, hash, netdev_xmit_more());
	need = skb_shinfo(skb)->gso_segs *
	       nsp_slots_for(dev->mtu + VLAN_ETH_HLEN + OHV_NET_MAX_RNDIS_HDR);
	rcu_read_lock_bh();
	nc = nsp_tx_chan(nic, skb);
	if (nc && !nsp_slots_room(nc, need) && need <= nc->slots.cnt) {
		nsp_vif_stop_queues(nic, nc);
		smp_mb();	/* see nsp_vif_xmit_one() */
		if (nsp_slots_room(nc, need))
			netif_tx_wake_all_queues(dev);
		rcu_read_unlock_bh();
		return NETDEV_TX_BUSY;
	}
	rcu_read_unlock_bh();
	segs = skb_gso_segment(skb, dev->features & ~NETIF_F_GSO_MASK);
	if (IS_ERR_OR_NULL(segs)) {
		dev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		/*
		 * Every segment has the frame's hash and queue, so its
		 * channel; they go to the guest in as few packets as fit.
		 */
		if (nsp_vif_xmit_one(skb, dev, hash,
				     next || netdev_xmit_more()) ==
		    NETDEV_TX_BUSY) {
			dev->stats.tx_dropped++;
			dev_kfree_skb_any(skb);
		}
	}
	return NETDEV_TX_OK;
}

/*
 * One frame whose RSS hash (nsp_rss_hash()) is @hash, on its queue's
 * channel; @more: more frames follow at once (nsp_tx_frame()).
 */
static netdev_tx_t nsp_vif_xmit_one(struct sk_buff *skb,
				    struct net_device *dev, u32 hash,
				    bool more)
{
	struct nsp_vif *pv = netdev_priv(dev);
	struct nsp_nic *nic = pv->nic;
	struct ohv_rndis_pkt_info pi = {};
	u8 hdr[OHV_NET_MAX_RNDIS_HDR];
	struct nsp_chan *nc;
	u32 hlen;
	int ret;

	pi.flags |= OHV_PI_HASH;
	pi.hash = hash;
	rcu_read_lock_bh();
	/* None if it closed after the queue was picked: the frame is lost. */
	nc = nsp_tx_chan(nic, skb);
	if (!nc || !READ_ONCE(nic->rndis_up) || !READ_ONCE(nic->filter) ||
	    !READ_ONCE(nic->link_up))
		goto drop;
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		bool tcp = skb->csum_offset == offsetof(struct tcphdr, check);
		bool udp = skb->csum_offset == offsetof(struct udphdr, check);

		if (READ_ONCE(nic->guest_rxcsum) && (tcp || udp)) {
			pi.flags |= OHV_PI_CSUM;
			pi.csum = tcp ? OHV_CSUM_RX_TCP_OK : OHV_CSUM_RX_UDP_OK;
			if (skb->protocol == htons(ETH_P_IP))
				pi.csum |= OHV_CSUM_RX_IP_OK;
		} else if (skb_checksum_help(skb)) {
			goto drop;
		}
	}
	if (skb_vlan_tag_present(skb)) {
		u16 tci = skb_vlan_tag_get(skb);

		pi.flags |= OHV_PI_VLAN;
		pi.vlan = (tci >> VLAN_PRIO_SHIFT) |
			  ((tci & VLAN_VID_MASK) << OHV_8021Q_VID_SHIFT);
	}
	hlen = ohv_rndis_build_packet(hdr, sizeof(hdr), skb->len, &pi);
	ret = nsp_tx_frame(nc, hdr, hlen, skb, more);
	if (ret == -ENOSPC || ret == -EAGAIN) {
		/* Completions from the guest wake the queues. */
		nsp_vif_stop_queues(nic, nc);
		/*
		 * Recheck: the guest may have completed everything meanwhile
		 * (slots), or read the ring (a packet of a full batch).
		 */
		smp_mb();
		if (ret == -ENOSPC ?
		    nsp_slots_room(nc, nsp_slots_for(hlen + skb->len)) :
		    ohv_chan_can_send(nc->chan, NSP_BATCH_PKT))
			netif_tx_wake_all_queues(dev);
		rcu_read_unlock_bh();
		return NETDEV_TX_BUSY;
	}
	if (ret)
		goto drop;
	rcu_read_unlock_bh();
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
drop:
	/*
	 * The last frame of a burst sends its channel's batch; other queues
	 * (channels) end their own bursts. A dropped last frame did not.
	 */
	if (nc && !more)
		nsp_batch_flush(nc);
	rcu_read_unlock_bh();
	dev->stats.tx_dropped++;
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static int nsp_vif_open(struct net_device *dev)
{
	netif_tx_start_all_queues(dev);
	return 0;
}

static int nsp_vif_stop(struct net_device *dev)
{
	struct nsp_vif *pv = netdev_priv(dev);

	netif_tx_stop_all_queues(dev);
	nsp_vif_flush(pv->nic);
	return 0;
}

static void nsp_vif_stats(struct net_device *dev,
			  struct rtnl_link_stats64 *s)
{
	struct nsp_vif *pv = netdev_priv(dev);
	struct nsp_nic *nic = pv->nic;
	struct nsp_chan *nc;
	unsigned int i;

	netdev_stats_to_stats64(s, &dev->stats);
	rcu_read_lock();
	for (i = 0; i < NSP_MAX_QUEUES; i++) {
		nc = rcu_dereference(nic->chans[i]);
		if (!nc)
			continue;
		s->tx_packets += atomic64_read(&nc->tx_packets);
		s->tx_bytes += atomic64_read(&nc->tx_bytes);
		s->tx_dropped += atomic64_read(&nc->tx_dropped);
		s->rx_packets += READ_ONCE(nc->fast.rx_packets) +
				 READ_ONCE(nc->slow.rx_packets);
		s->rx_bytes += READ_ONCE(nc->fast.rx_bytes) +
			       READ_ONCE(nc->slow.rx_bytes);
		s->rx_dropped += READ_ONCE(nc->fast.rx_dropped) +
				 READ_ONCE(nc->slow.rx_dropped);
	}
	rcu_read_unlock();
}

static const struct net_device_ops nsp_vif_ops = {
	.ndo_open = nsp_vif_open,
	.ndo_stop = nsp_vif_stop,
	.ndo_start_xmit = nsp_vif_xmit,
	.ndo_select_queue = nsp_vif_select_queue,
	.ndo_get_stats64 = nsp_vif_stats,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void nsp_vif_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
}

static const struct ethtool_ops nsp_vif_ethtool_ops = {
	.get_drvinfo = nsp_vif_drvinfo,
	.get_link = ethtool_op_get_link,
};

static void nsp_vif_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &nsp_vif_ops;
	dev->ethtool_ops = &nsp_vif_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA |
			NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_TSO |
			NETIF_F_TSO6;
	dev->hw_features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO |
			   NETIF_F_TSO6;
	netif_set_tso_max_size(dev, NSP_GSO_MAX);
	dev->vlan_features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO |
			     NETIF_F_TSO6;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = NSP_MAX_MTU;
	/*
	 * Interrupt moderation, as in netvsc: after a poll that took only
	 * small frames, NAPI polls again from a timer, the channel still
	 * masked, up to OHV_NET_MOD_POLLS times OHV_NET_MOD_NS apart, so a
	 * stream of small frames costs the guest no signal and this side no
	 * wakeup per frame. A poll that took frames in guest pages (the guest
	 * waits for their completions: TCP's small-queue limit) or
	 * completions of frames sent to the guest (they open this side's
	 * queues), or that runs within a tick of large frames going to the
	 * guest (the guest's frames are then the ACKs that clock this side's
	 * sender), starts no such round and ends one already running
	 * (nsp_poll()). napi_defer_hard_irqs and gro_flush_timeout in sysfs
	 * change it; 0 turns it off.
	 */
	dev->napi_defer_hard_irqs = OHV_NET_MOD_POLLS;
	dev->gro_flush_timeout = OHV_NET_MOD_NS;
	eth_hw_addr_random(dev);
}

/* Carrier follows the host's link setting and the guest's RNDIS state. */
static void nsp_update_carrier(struct nsp_nic *nic)
{
	if (!nic->vif)
		return;
	if (nic->link_up && nic->rndis_up)
		netif_carrier_on(nic->vif);
	else
		netif_carrier_off(nic->vif);
}

/* ---------------------------------------------------------------------- */
/* Frames from the guest                                                  */
/* ---------------------------------------------------------------------- */

/*
 * Where an RNDIS message from the guest lives (guest memory): a section,
 * or the pieces of GPA ranges, at most one page each.
 */
#define NSP_SRC_MAX	(OHV_NET_MAX_GPA_PFNS + OHV_MAX_PAGE_BUFFER_COUNT)
struct nsp_src {
	u32 nseg;
	u32 total;
	const u8 *seg[NSP_SRC_MAX];
	u32 len[NSP_SRC_MAX];
};

static void nsp_src_copy(const struct nsp_src *s, u32 off, void *dst, u32 len,
			 struct sk_buff *skb, u32 skb_off)
{
	u32 i;

	for (i = 0; i < s->nseg && len; i++) {
		u32 n;

		if (off >= s->len[i]) {
			off -= s->len[i];
			continue;
		}
		n = min(len, s->len[i] - off);
		if (skb)
			skb_store_bits(skb, skb_off, s->seg[i] + off, n);
		else
			memcpy(dst, s->seg[i] + off, n);
		dst = (u8 *)dst + n;
		skb_off += n;
		len -= n;
		off = 0;
	}
}

/* Seed the pseudo-header sum so the stack can finish a partial checksum. */
static int nsp_set_partial(struct sk_buff *skb, u32 csum, u32 l4off, bool tcp)
{
	u32 l4hdr = tcp ? sizeof(struct tcphdr) : sizeof(struct udphdr);
	u32 l4len;

	/*
	 * @l4off counts from the start of the Ethernet frame, as the guest
	 * sees it; eth_type_trans() has already pulled ETH_HLEN, so the
	 * linear part at skb->data starts at frame offset ETH_HLEN.
	 */
	if (l4off < ETH_HLEN || l4off - ETH_HLEN > skb_headlen(skb) ||
	    l4hdr > skb_headlen(skb) - (l4off - ETH_HLEN))
		return -EINVAL;
	if (!skb_partial_csum_set(skb, l4off - ETH_HLEN,
				  tcp ? offsetof(struct tcphdr, check) :
				  offsetof(struct udphdr, check)))
		return -EINVAL;
	l4len = skb->len - l4off + ETH_HLEN;
	if (csum & OHV_CSUM_TX_IPV4) {
		const struct iphdr *ip = ip_hdr(skb);

		if ((u8 *)(ip + 1) > skb->data + skb_headlen(skb))
			return -EINVAL;
		*(__sum16 *)(skb->head + skb->csum_start + skb->csum_offset) =
			~csum_tcpudp_magic(ip->saddr, ip->daddr, l4len,
					   tcp ? IPPROTO_TCP : IPPROTO_UDP, 0);
	} else {
		const struct ipv6hdr *ip6 = ipv6_hdr(skb);

		if ((u8 *)(ip6 + 1) > skb->data + skb_headlen(skb))
			return -EINVAL;
		*(__sum16 *)(skb->head + skb->csum_start + skb->csum_offset) =
			~csum_ipv6_magic(&ip6->saddr, &ip6->daddr, l4len,
					 tcp ? IPPROTO_TCP : IPPROTO_UDP, 0);
	}
	return 0;
}

/*
 * LSO as NDIS defines it lets the sender leave the IP length zero; the
 * Linux stack needs it right before it segments or delivers.
 */
static int nsp_fix_lengths(struct sk_buff *skb, bool v6)
{
	u32 l3len = skb->len;

	if (v6) {
		struct ipv6hdr *ip6 = ipv6_hdr(skb);

		if (skb_headlen(skb) < sizeof(*ip6) || l3len - sizeof(*ip6) > 0xffff)
			return -EINVAL;
		ip6->payload_len = htons(l3len - sizeof(*ip6));
	} else {
		struct iphdr *ip = ip_hdr(skb);

		if (skb_headlen(skb) < sizeof(*ip) || l3len > 0xffff ||
		    ip->ihl < 5 || ip->version != 4 ||
		    skb_headlen(skb) < ip->ihl * 4)
			return -EINVAL;
		ip->tot_len = htons(l3len);
		ip_send_check(ip);
	}
	return 0;
}

/*
 * A frame is copied into a fresh skb: from NAPI (atomic) a small one comes
 * from the NAPI page-fragment cache and goes through GRO; from the work
 * item it is received with netif_rx().
 */
static void nsp_rx_frame(struct nsp_rxq *q, const struct nsp_src *src,
			 const struct ohv_rndis_pkt_info *pi)
{
	struct nsp_chan *nc = q->nc;
	struct net_device *vif = nc->nic->vif;
	u32 len = pi->data_len, head = min_t(u32, len, 256);
	gfp_t gfp = q->napi ? GFP_ATOMIC | __GFP_NOWARN : GFP_KERNEL;
	struct sk_buff *skb;
	int err;

	if (len > NSP_MAX_MTU + VLAN_ETH_HLEN && !(pi->flags & OHV_PI_LSO)) {
		q->bad.rndis++;
		return;
	}
	if (len <= SKB_WITH_OVERHEAD(PAGE_SIZE) - NET_IP_ALIGN - NET_SKB_PAD) {
		skb = q->napi ? napi_alloc_skb(&nc->napi, len) :
				netdev_alloc_skb_ip_align(vif, len);
		if (!skb)
			goto nomem;
		skb_put(skb, len);
	} else {
		skb = alloc_skb_with_frags(NET_SKB_PAD + NET_IP_ALIGN + head,
					   len - head, PAGE_ALLOC_COSTLY_ORDER,
					   &err, gfp);
		if (!skb)
			goto nomem;
		skb_reserve(skb, NET_SKB_PAD + NET_IP_ALIGN);
		skb_put(skb, head);
		skb->data_len = len - head;
		skb->len = len;
	}
	nsp_src_copy(src, pi->data_off, NULL, len, skb, 0);
	skb->protocol = eth_type_trans(skb, vif);
	skb_reset_network_header(skb);
	if (pi->flags & OHV_PI_VLAN) {
		u16 vid = (pi->vlan >> OHV_8021Q_VID_SHIFT) & OHV_8021Q_VID_MASK;
		u16 pri = pi->vlan & OHV_8021Q_PRI_MASK;

		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q),
				       vid | (pri << VLAN_PRIO_SHIFT));
	}
	if (pi->flags & OHV_PI_LSO) {
		u32 mss = pi->lso & OHV_LSO_MSS_MASK;
		u32 off = (pi->lso >> OHV_LSO_TCP_OFF_SHIFT) &
			  OHV_LSO_TCP_OFF_MASK;
		bool v6 = pi->lso & OHV_LSO_IPV6;

		if (mss < 64 || nsp_fix_lengths(skb, v6) ||
		    nsp_set_partial(skb, v6 ? OHV_CSUM_TX_IPV6 :
				    OHV_CSUM_TX_IPV4, off, true))
			goto bad;
		skb_shinfo(skb)->gso_size = mss;
		skb_shinfo(skb)->gso_type = (v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4) |
					    SKB_GSO_DODGY;
		skb_shinfo(skb)->gso_segs = 0;
	} else if ((pi->flags & OHV_PI_CSUM) &&
		   (pi->csum & (OHV_CSUM_TX_TCP | OHV_CSUM_TX_UDP))) {
		u32 off = (pi->csum >> OHV_CSUM_TX_TCP_OFF_SHIFT) &
			  OHV_CSUM_TX_TCP_OFF_MASK;
		bool tcp = pi->csum & OHV_CSUM_TX_TCP;
		bool v4 = pi->csum & OHV_CSUM_TX_IPV4;

		if (!(pi->csum & (OHV_CSUM_TX_IPV4 | OHV_CSUM_TX_IPV6)))
			goto bad;
		if (!off) {
			/* No transport offset given: find it past IP. */
			if (skb_headlen(skb) < (v4 ? sizeof(struct iphdr) :
						sizeof(struct ipv6hdr)))
				goto bad;
			off = ETH_HLEN + (v4 ? ip_hdr(skb)->ihl * 4 :
					  sizeof(struct ipv6hdr));
		}
		if (nsp_set_partial(skb, pi->csum, off, tcp))
			goto bad;
	}
	WRITE_ONCE(q->rx_packets, q->rx_packets + 1);
	WRITE_ONCE(q->rx_bytes, q->rx_bytes + len);
	if (q->napi)
		napi_gro_receive(&nc->napi, skb);
	else
		netif_rx(skb);
	return;
bad:
	q->bad.ppi++;
	kfree_skb(skb);
	return;
nomem:
	WRITE_ONCE(q->rx_dropped, q->rx_dropped + 1);
}

/* ---------------------------------------------------------------------- */
/* RNDIS control                                                          */
/* ---------------------------------------------------------------------- */

static void nsp_rndis_reply(struct nsp_chan *nc, void *msg, u32 len)
{
	struct ohv_rndis_hdr *h = msg;

	h->len = len;
	if (nsp_ctrl_to_guest(nc, msg, len))
		pr_warn_ratelimited("%s: RNDIS reply %#x not sent\n",
				    nc->nic->vif->name, h->type);
}

static void nsp_indicate(struct nsp_chan *nc, u32 status)
{
	struct {
		struct ohv_rndis_hdr h;
		struct ohv_rndis_indicate i;
	} __packed m = {
		.h.type = OHV_RNDIS_MSG_INDICATE,
		.i.status = status,
	};

	nsp_rndis_reply(nc, &m, sizeof(m));
}

static u32 nsp_query(struct nsp_nic *nic, u32 oid, u8 *out, u32 *len)
{
	u32 v;

	switch (oid) {
	case OHV_OID_802_3_PERMANENT_ADDRESS:
	case OHV_OID_802_3_CURRENT_ADDRESS:
		memcpy(out, nic->mac, ETH_ALEN);
		*len = ETH_ALEN;
		return OHV_RNDIS_STATUS_SUCCESS;
	case OHV_OID_GEN_MAXIMUM_FRAME_SIZE:
		v = NSP_MAX_MTU;
		break;
	case OHV_OID_GEN_LINK_SPEED:
		v = NSP_LINK_SPEED;
		break;
	case OHV_OID_GEN_MEDIA_CONNECT_STATUS:
		v = nic->link_up ? OHV_RNDIS_MEDIA_CONNECTED :
				   OHV_RNDIS_MEDIA_DISCONNECTED;
		break;
	case OHV_OID_GEN_CURRENT_PACKET_FILTER:
		v = nic->filter;
		break;
	case OHV_OID_GEN_RSS_CAPABILITIES: {
		struct ohv_ndis_rss_caps c = {
			.hdr.type = OHV_NDIS_OBJ_RSS_CAPS,
			.hdr.revision = 2,
			.hdr.size = sizeof(c),
			.num_int_msg = nic->queues,
			.num_recv_queues = nic->queues,
			.num_indirect_entries = 128,
		};

		memcpy(out, &c, sizeof(c));
		*len = sizeof(c);
		return OHV_RNDIS_STATUS_SUCCESS;
	}
	case OHV_OID_TCP_OFFLOAD_HW_CAPS: {
		struct ohv_ndis_offload o = {
			.hdr.type = OHV_NDIS_OBJ_OFFLOAD,
			.hdr.revision = OHV_NDIS_OFFLOAD_REVISION,
			.hdr.size = sizeof(o),
			.ip4_txenc = OHV_NDIS_ENCAP_8023,
			.ip4_txcsum = OHV_NDIS_CSUM_TCP | OHV_NDIS_CSUM_UDP |
				      OHV_NDIS_CSUM_TCPOPT,
			.ip4_rxenc = OHV_NDIS_ENCAP_8023,
			.ip4_rxcsum = OHV_NDIS_CSUM_TCP | OHV_NDIS_CSUM_UDP |
				      OHV_NDIS_CSUM_IP4 | OHV_NDIS_CSUM_TCPOPT,
			.ip6_txenc = OHV_NDIS_ENCAP_8023,
			.ip6_txcsum = OHV_NDIS_CSUM_TCP | OHV_NDIS_CSUM_UDP |
				      OHV_NDIS_CSUM_TCPOPT | OHV_NDIS_CSUM_IP4OPT,
			.ip6_rxenc = OHV_NDIS_ENCAP_8023,
			.ip6_rxcsum = OHV_NDIS_CSUM_TCP | OHV_NDIS_CSUM_UDP |
				      OHV_NDIS_CSUM_TCPOPT | OHV_NDIS_CSUM_IP4OPT,
			.lso4_encap = OHV_NDIS_ENCAP_8023,
			.lso4_maxsz = 62768,
			.lso4_minsegs = 2,
			.lso6_encap = OHV_NDIS_ENCAP_8023,
			.lso6_maxsz = 62768,
			.lso6_minsegs = 2,
			.lso6_opts = OHV_NDIS_LSOV2_IP6,
			.rsc_ip4 = 1,
			.rsc_ip6 = 1,
		};

		memcpy(out, &o, sizeof(o));
		*len = sizeof(o);
		return OHV_RNDIS_STATUS_SUCCESS;
	}
	default:
		*len = 0;
		return OHV_RNDIS_STATUS_NOT_SUPPORTED;
	}
	memcpy(out, &v, sizeof(v));
	*len = sizeof(v);
	return OHV_RNDIS_STATUS_SUCCESS;
}

/*
 * Hash with @key from now on; nic->lock held (or @nic not yet shared).
 * On -ENOMEM the previous key stays.
 */
static int nsp_set_rss_key(struct nsp_nic *nic, const u8 *key)
{
	struct ohv_toeplitz_tab *tab;

	tab = kmalloc(sizeof(*tab), GFP_KERNEL);
	if (!tab)
		return -ENOMEM;
	ohv_toeplitz_prep(tab, key);
	tab = rcu_replace_pointer(nic->rss_tab, tab, true);
	kfree_rcu_mightsleep(tab);
	return 0;
}

/* What the host hashes until the guest says otherwise. */
static int nsp_rss_key_default(struct nsp_nic *nic)
{
	WRITE_ONCE(nic->rss_hash_info, OHV_RSS_HASH_DEFAULT);
	return nsp_set_rss_key(nic, ohv_rss_default_key);
}

/* The guest's RSS parameters; nic->lock held. */
static u32 nsp_set_rss(struct nsp_nic *nic, const u8 *in, u32 len,
		       struct ohv_net_bad *bad)
{
	struct ohv_rss_table t;
	u32 i;
	int ret;

	ret = ohv_rndis_parse_rss(in, len, 1 + nic->subs, &t, bad);
	if (ret == -ENODATA)
		return OHV_RNDIS_STATUS_SUCCESS;
	if (ret) {
		pr_warn_ratelimited("%s: bad RSS parameters (%u bytes)\n",
				    nic->vif->name, len);
		return OHV_RNDIS_STATUS_INVALID_DATA;
	}
	/*
	 * Readers load rss_n once and index below it; every entry they can
	 * see was validated, so a table being replaced is harmless.
	 */
	if (t.n && t.key_len && nsp_set_rss_key(nic, t.key))
		return OHV_RNDIS_STATUS_FAILURE;
	WRITE_ONCE(nic->rss_n, 0);
	for (i = 0; i < t.n; i++)
		WRITE_ONCE(nic->rss.chan[i], t.chan[i]);
	if (t.n)
		WRITE_ONCE(nic->rss_hash_info, t.hash_info);
	smp_wmb();	/* entries before the count */
	WRITE_ONCE(nic->rss_n, t.n);
	return OHV_RNDIS_STATUS_SUCCESS;
}

static u32 nsp_set(struct nsp_nic *nic, u32 oid, const u8 *in, u32 len,
		   struct ohv_net_bad *bad)
{
	struct ohv_ndis_offload_params p;
	u32 v;

	switch (oid) {
	case OHV_OID_GEN_CURRENT_PACKET_FILTER:
		if (len < sizeof(v))
			return OHV_RNDIS_STATUS_INVALID_LENGTH;
		memcpy(&v, in, sizeof(v));
		WRITE_ONCE(nic->filter, v);
		return OHV_RNDIS_STATUS_SUCCESS;
	case OHV_OID_TCP_OFFLOAD_PARAMETERS:
		if (len < offsetof(struct ohv_ndis_offload_params, flags))
			return OHV_RNDIS_STATUS_INVALID_LENGTH;
		memset(&p, 0, sizeof(p));
		memcpy(&p, in, min_t(u32, len, sizeof(p)));
		if (p.hdr.type != OHV_NDIS_OBJ_DEFAULT)
			return OHV_RNDIS_STATUS_INVALID_DATA;
		if (p.tcp4_csum != OHV_NDIS_OFFLOAD_NO_CHANGE)
			WRITE_ONCE(nic->guest_rxcsum,
				   p.tcp4_csum == OHV_NDIS_OFFLOAD_TXRX ||
				   p.tcp4_csum == OHV_NDIS_OFFLOAD_RX_ONLY);
		/* RSC fields only from revision 3 on, if they arrived. */
		if (p.hdr.revision >= OHV_NDIS_OFFLOAD_PARAMS_REVISION_3 &&
		    len > offsetof(struct ohv_ndis_offload_params, rsc_ip6) &&
		    p.rsc_ip4 != OHV_NDIS_OFFLOAD_NO_CHANGE)
			WRITE_ONCE(nic->guest_rsc,
				   p.rsc_ip4 == OHV_NDIS_RSC_ENABLED &&
				   p.rsc_ip6 == OHV_NDIS_RSC_ENABLED);
		return OHV_RNDIS_STATUS_SUCCESS;
	case OHV_OID_GEN_RSS_PARAMETERS:
		return nsp_set_rss(nic, in, len, bad);
	default:
		return OHV_RNDIS_STATUS_NOT_SUPPORTED;
	}
}

/* Process context: takes nic->lock. */
static void nsp_rndis_ctrl(struct nsp_rxq *q, const u8 *msg, u32 len)
{
	struct nsp_chan *nc = q->nc;
	struct nsp_nic *nic = nc->nic;
	struct ohv_rndis_ctrl c;
	u8 *out;

	if (ohv_rndis_parse_ctrl(msg, len, &c, &q->bad))
		return;
	if (nc->idx) {
		q->bad.state++;
		return;
	}
	out = kzalloc(512, GFP_KERNEL);
	if (!out)
		return;
	mutex_lock(&nic->lock);
	switch (c.type) {
	case OHV_RNDIS_MSG_INIT: {
		struct ohv_rndis_init_cmplt *ic = (void *)(out + 8);

		ic->req_id = c.req_id;
		ic->status = OHV_RNDIS_STATUS_SUCCESS;
		ic->major = OHV_RNDIS_MAJOR_VERSION;
		ic->minor = OHV_RNDIS_MINOR_VERSION;
		ic->dev_flags = OHV_RNDIS_DF_CONNECTIONLESS;
		ic->medium = OHV_RNDIS_MEDIUM_802_3;
		ic->max_pkt_per_msg = max_pkt_per_msg;
		ic->max_xfer_size = NSP_MAX_XFER;
		ic->pkt_align_factor = 3;
		((struct ohv_rndis_hdr *)out)->type = c.type |
						      OHV_RNDIS_MSG_COMPLETION;
		WRITE_ONCE(nic->rndis_up, true);
		nsp_rndis_reply(nc, out, 8 + sizeof(*ic));
		nsp_update_carrier(nic);
		break;
	}
	case OHV_RNDIS_MSG_QUERY: {
		struct ohv_rndis_query_cmplt *qc = (void *)(out + 8);
		u32 ilen;

		qc->req_id = c.req_id;
		qc->status = nsp_query(nic, c.oid, (u8 *)(qc + 1), &ilen);
		qc->info_len = ilen;
		qc->info_offset = ilen ? sizeof(*qc) : 0;
		((struct ohv_rndis_hdr *)out)->type = c.type |
						      OHV_RNDIS_MSG_COMPLETION;
		nsp_rndis_reply(nc, out, 8 + sizeof(*qc) + ilen);
		break;
	}
	case OHV_RNDIS_MSG_SET: {
		struct ohv_rndis_set_cmplt *sc = (void *)(out + 8);

		sc->req_id = c.req_id;
		sc->status = nsp_set(nic, c.oid, msg + c.info_off,
				     c.info_len, &q->bad);
		((struct ohv_rndis_hdr *)out)->type = c.type |
						      OHV_RNDIS_MSG_COMPLETION;
		nsp_rndis_reply(nc, out, 8 + sizeof(*sc));
		if (c.oid == OHV_OID_GEN_CURRENT_PACKET_FILTER)
			netif_tx_wake_all_queues(nic->vif);
		break;
	}
	case OHV_RNDIS_MSG_KEEPALIVE: {
		struct ohv_rndis_set_cmplt *sc = (void *)(out + 8);

		sc->req_id = c.req_id;
		((struct ohv_rndis_hdr *)out)->type = c.type |
						      OHV_RNDIS_MSG_COMPLETION;
		nsp_rndis_reply(nc, out, 8 + sizeof(*sc));
		break;
	}
	case OHV_RNDIS_MSG_RESET: {
		struct ohv_rndis_reset_cmplt *rc = (void *)(out + 8);

		((struct ohv_rndis_hdr *)out)->type = c.type |
						      OHV_RNDIS_MSG_COMPLETION;
		nsp_rndis_reply(nc, out, 8 + sizeof(*rc));
		break;
	}
	case OHV_RNDIS_MSG_HALT:
		WRITE_ONCE(nic->rndis_up, false);
		nsp_update_carrier(nic);
		break;
	default:
		/* Completions and indications are host-to-guest only. */
		q->bad.rndis++;
		break;
	}
	mutex_unlock(&nic->lock);
	kfree(out);
}

/* nsp_rndis_msg(): NAPI cannot handle this message, the work item will. */
#define NSP_DEFER	U32_MAX

/*
 * One RNDIS message the guest sent (in a section or in GPA pages).
 * Returns the NVSP status for its completion, or NSP_DEFER (NAPI only,
 * nothing done yet) for a control message. @packed: the message shares a
 * section with others, so it must be a data packet.
 */
static u32 nsp_rndis_msg(struct nsp_rxq *q, const struct nsp_src *src,
			 bool packed)
{
	u32 n = min_t(u32, src->total, OHV_NET_MAX_RNDIS_HDR);
	struct ohv_rndis_pkt_info pi;
	struct ohv_rndis_hdr h;
	u8 hdr[OHV_NET_MAX_RNDIS_HDR];

	if (src->total < sizeof(h)) {
		q->bad.rndis++;
		return OHV_NVSP_STAT_FAIL;
	}
	nsp_src_copy(src, 0, hdr, n, NULL, 0);
	memcpy(&h, hdr, sizeof(h));
	if (h.type == OHV_RNDIS_MSG_PACKET) {
		if (!READ_ONCE(q->nc->nic->rndis_up)) {
			q->bad.state++;
			return OHV_NVSP_STAT_FAIL;
		}
		if (ohv_rndis_parse_packet(hdr, n, src->total, &pi, &q->bad))
			return OHV_NVSP_STAT_FAIL;
		nsp_rx_frame(q, src, &pi);
		return OHV_NVSP_STAT_SUCCESS;
	}
	if (packed) {
		q->bad.rndis++;
		return OHV_NVSP_STAT_FAIL;
	}
	if (q->napi)
		return NSP_DEFER;
	n = min_t(u32, src->total, NSP_CTRL_BUF);
	nsp_src_copy(src, 0, q->ctrl, n, NULL, 0);
	nsp_rndis_ctrl(q, q->ctrl, n);
	return OHV_NVSP_STAT_SUCCESS;
}

/* ---------------------------------------------------------------------- */
/* NVSP                                                                   */
/* ---------------------------------------------------------------------- */

/* Process context: may wait for room in the ring. */
static void nsp_complete(struct nsp_chan *nc, u64 trans_id, const void *m,
			 u32 len)
{
	ohv_chan_send_wait(nc->chan, m, len, trans_id, OHV_VMPKT_COMP, 0);
}

static void nsp_complete_status(struct nsp_chan *nc, u64 trans_id, u32 status)
{
	struct ohv_nvsp_rndis_pkt_complete c = {
		.type = OHV_NVSP1_SEND_RNDIS_PKT_COMPLETE,
		.status = status,
	};

	nsp_complete(nc, trans_id, &c, sizeof(c));
}

/*
 * NAPI; -EAGAIN if the ring is full. The completion is written but not
 * published: nsp_poll() publishes the poll's completions at its end, with
 * one signalling decision.
 */
static int nsp_send_done(struct nsp_chan *nc, u64 trans_id, u32 status)
{
	struct ohv_nvsp_rndis_pkt_complete c = {
		.type = OHV_NVSP1_SEND_RNDIS_PKT_COMPLETE,
		.status = status,
	};

	return ohv_chan_queue(nc->chan, &c, sizeof(c), trans_id, OHV_VMPKT_COMP,
			      0);
}

/*
 * NAPI: send the queued completions while the ring has room. Any error
 * but a full ring (channel closing, ring broken) drops them: the guest
 * will not read them anyway.
 */
static void nsp_flush_comps(struct nsp_chan *nc)
{
	struct nsp_comp *c;

	if (!READ_ONCE(nc->comp_n))
		return;
	spin_lock(&nc->comp_lock);
	while (nc->comp_n) {
		c = &nc->comps[nc->comp_head % NSP_COMP_RING];
		if (nsp_send_done(nc, c->trans_id, c->status) == -EAGAIN)
			break;
		nc->comp_head++;
		WRITE_ONCE(nc->comp_n, nc->comp_n - 1);
	}
	spin_unlock(&nc->comp_lock);
}

/*
 * NAPI: complete a data packet without sleeping. Completions go in order
 * of arrival; while some are queued, new ones queue behind them. NAPI
 * stops taking packets before the queue can overflow (nsp_stalled()).
 */
static void nsp_comp_atomic(struct nsp_chan *nc, u64 trans_id, u32 status)
{
	struct nsp_comp *c;

	if (!READ_ONCE(nc->comp_n) && nsp_send_done(nc, trans_id, status) !=
	    -EAGAIN)
		return;
	atomic64_inc(&nc->comp_queued);
	spin_lock(&nc->comp_lock);
	if (!WARN_ON_ONCE(nc->comp_n >= NSP_COMP_RING)) {
		c = &nc->comps[(nc->comp_head + nc->comp_n) % NSP_COMP_RING];
		c->trans_id = trans_id;
		c->status = status;
		WRITE_ONCE(nc->comp_n, nc->comp_n + 1);
	}
	spin_unlock(&nc->comp_lock);
}

/* Work item: send the queued completions, waiting for room. */
static void nsp_flush_comps_wait(struct nsp_chan *nc)
{
	struct nsp_comp c;

	for (;;) {
		spin_lock_bh(&nc->comp_lock);
		if (!nc->comp_n) {
			spin_unlock_bh(&nc->comp_lock);
			return;
		}
		c = nc->comps[nc->comp_head++ % NSP_COMP_RING];
		WRITE_ONCE(nc->comp_n, nc->comp_n - 1);
		spin_unlock_bh(&nc->comp_lock);
		nsp_complete_status(nc, c.trans_id, c.status);
	}
}

static void nsp_rndis_done(struct nsp_rxq *q, u64 trans_id, u16 flags,
			   u32 status)
{
	if (!(flags & OHV_VMPKT_FLAG_COMPLETION_REQUESTED))
		return;
	if (q->napi)
		nsp_comp_atomic(q->nc, trans_id, status);
	else
		nsp_complete_status(q->nc, trans_id, status);
}

/* Entry @i of the send indirection table; nic->lock held. */
static u32 nsp_send_table_entry(struct nsp_nic *nic, u32 i)
{
	return nic->send_table_set ? nic->send_table[i] : i % (1 + nic->subs);
}

/* Tells the guest the send indirection table; nic->lock held. */
static void nsp_send_table(struct nsp_chan *nc)
{
	struct ohv_nvsp_send_table_msg t = {};
	u32 i;

	t.msg.send_table.type = OHV_NVSP5_SEND_INDIRECTION_TABLE;
	t.msg.send_table.count = OHV_NVSP_SEND_TABLE_SIZE;
	t.msg.send_table.offset = offsetof(struct ohv_nvsp_send_table_msg,
					   table);
	for (i = 0; i < OHV_NVSP_SEND_TABLE_SIZE; i++)
		t.table[i] = nsp_send_table_entry(nc->nic, i);
	ohv_chan_send_wait(nc->chan, &t, sizeof(t), 0, OHV_VMPKT_DATA_INBAND, 0);
}

/* Control messages: primary channel only, nic->lock held. */
/*
 * @hg/@va/@size: the buffer a SEND_RECV_BUF/SEND_SEND_BUF names, mapped by
 * the caller before it took nic->lock (mapping takes the partition's lock,
 * which is held around open and close, which take nic->lock). Consumed.
 */
static void nsp_nvsp_ctrl(struct nsp_rxq *q, const struct ohv_nvsp_msg *m,
			  u64 tid, struct ohv_host_gpadl *hg, void *va, u32 size)
{
	struct nsp_chan *nc = q->nc;
	struct nsp_nic *nic = nc->nic;
	struct ohv_nvsp_msg r = {};
	unsigned int i;

	switch (m->hdr.type) {
	case OHV_NVSP_INIT:
		r.init_complete.type = OHV_NVSP_INIT_COMPLETE;
		r.init_complete.status = OHV_NVSP_STAT_FAIL;
		r.init_complete.max_mdl_chain_len = 34;
		for (i = 0; i < ARRAY_SIZE(nsp_versions); i++) {
			if (nsp_versions[i] <= m->init.max_ver &&
			    nsp_versions[i] >= m->init.min_ver) {
				nic->nvsp_ver = nsp_versions[i];
				r.init_complete.negotiated_ver = nsp_versions[i];
				r.init_complete.status = OHV_NVSP_STAT_SUCCESS;
				break;
			}
		}
		nsp_complete(nc, tid, &r, sizeof(r));
		return;
	case OHV_NVSP2_SEND_NDIS_CONFIG:
		if (!nic->nvsp_ver)
			break;
		nic->guest_mtu = m->ndis_config.mtu;
		return;
	case OHV_NVSP1_SEND_NDIS_VER:
		if (!nic->nvsp_ver)
			break;
		nic->ndis_ver = m->ndis_ver.major << 16 |
				(m->ndis_ver.minor & 0xffff);
		return;
	case OHV_NVSP1_SEND_RECV_BUF:
		r.recv_buf_complete.type = OHV_NVSP1_SEND_RECV_BUF_COMPLETE;
		r.recv_buf_complete.status = OHV_NVSP_STAT_FAIL;
		if (!nic->nvsp_ver || nic->rbuf_hg || !hg ||
		    m->send_buf.id != OHV_NVSP_RECV_BUF_ID ||
		    size / NSP_SLOT_SIZE < nic->queues * 4)
			goto reply_fail;
		nic->rbuf_hg = hg;
		hg = NULL;
		nic->rbuf_size = size;
		WRITE_ONCE(nic->nslots, size / NSP_SLOT_SIZE);
		WRITE_ONCE(nic->rbuf, va);
		if (nsp_slots_init(nc))
			goto reply_fail;
		r.recv_buf_complete.status = OHV_NVSP_STAT_SUCCESS;
		r.recv_buf_complete.num_sections = 1;
		r.recv_buf_complete.section.sub_alloc_size = NSP_SLOT_SIZE;
		r.recv_buf_complete.section.num_sub_allocs = nic->nslots;
		r.recv_buf_complete.section.end_offset =
			nic->nslots * NSP_SLOT_SIZE;
reply_fail:
		if (hg)
			ohv_host_gpadl_unmap(hg);
		nsp_complete(nc, tid, &r, sizeof(r));
		return;
	case OHV_NVSP1_SEND_SEND_BUF:
		r.send_buf_complete.type = OHV_NVSP1_SEND_SEND_BUF_COMPLETE;
		r.send_buf_complete.status = OHV_NVSP_STAT_FAIL;
		if (!nic->nvsp_ver || nic->sbuf_hg || !hg ||
		    size < send_section_size)
			goto reply_fail;
		nic->sbuf_hg = hg;
		hg = NULL;
		nic->sbuf_size = size;
		nic->section_size = send_section_size;
		/* NAPI on other channels reads the size after the buffer. */
		smp_store_release(&nic->sbuf, va);
		r.send_buf_complete.status = OHV_NVSP_STAT_SUCCESS;
		r.send_buf_complete.section_size = send_section_size;
		goto reply_fail;
	case OHV_NVSP1_REVOKE_RECV_BUF:
	case OHV_NVSP1_REVOKE_SEND_BUF:
		/* The mappings stay until the channel closes. */
		WRITE_ONCE(nic->rndis_up, false);
		nsp_update_carrier(nic);
		return;
	case OHV_NVSP5_SUBCHANNEL:
		r.subchannel_complete.type = OHV_NVSP5_SUBCHANNEL;
		r.subchannel_complete.status = OHV_NVSP_STAT_FAIL;
		if (nic->nvsp_ver >= OHV_NVSP_VERSION_5 &&
		    m->subchannel.op == OHV_NVSP_SUBCHANNEL_ALLOCATE) {
			u32 n = min(m->subchannel.num, nic->queues - 1);

			if (!ohv_host_offer_subchannels(nic->offer, n)) {
				nic->subs = n;
				r.subchannel_complete.status =
					OHV_NVSP_STAT_SUCCESS;
				r.subchannel_complete.num = n;
			}
		}
		nsp_complete(nc, tid, &r, sizeof(r));
		if (r.subchannel_complete.status == OHV_NVSP_STAT_SUCCESS)
			nsp_send_table(nc);
		return;
	case OHV_NVSP4_SEND_VF_ASSOC:
	case OHV_NVSP4_SWITCH_DATA_PATH:
		return;
	}
	q->bad.state++;
}

/*
 * Lists segment @i of @g, which lies in the referenced pages
 * q->gpa_pages, in @src: one piece per page touched.
 */
static int nsp_src_add_pages(struct nsp_rxq *q, struct nsp_src *src,
			     const struct ohv_net_gpa *g, u32 i)
{
	u32 pos = g->seg_off[i], left = g->seg_len[i], pg, in, n;

	while (left) {
		pg = pos / OHV_HV_PAGE_SIZE;
		in = pos % OHV_HV_PAGE_SIZE;
		n = min_t(u32, left, OHV_HV_PAGE_SIZE - in);
		if (src->nseg == NSP_SRC_MAX || pg >= g->nr_pfns)
			return -ERANGE;
		src->seg[src->nseg] = (u8 *)page_address(q->gpa_pages[pg]) + in;
		src->len[src->nseg++] = n;
		pos += n;
		left -= n;
	}
	return 0;
}

/*
 * The @used bytes of a send section at @sec: one RNDIS message or, from a
 * guest that packs, up to max_pkt_per_msg data messages back to back.
 */
static u32 nsp_rndis_section(struct nsp_rxq *q, const u8 *sec, u32 used)
{
	u32 status = OHV_NVSP_STAT_SUCCESS, st;
	struct nsp_src *src = q->src;
	int n, i;

	n = ohv_rndis_split(sec, used, max_pkt_per_msg, q->span, &q->bad);
	if (n < 0)
		return OHV_NVSP_STAT_FAIL;
	for (i = 0; i < n; i++) {
		src->nseg = 1;
		src->total = q->span[i].len;
		src->seg[0] = sec + q->span[i].off;
		src->len[0] = src->total;
		/* Only a lone message may be a control one (and be deferred). */
		st = nsp_rndis_msg(q, src, n > 1);
		if (st == NSP_DEFER)
			return st;
		if (st != OHV_NVSP_STAT_SUCCESS)
			status = st;
		else if (i)
			WRITE_ONCE(q->rx_packed, q->rx_packed + 1);
	}
	return status;
}

/*
 * An RNDIS message in a send section, or in GPA ranges (@g) that are
 * either mapped at @map or, with @map NULL, referenced in q->gpa_pages.
 * Returns true if NAPI must leave it to the work item (nothing done yet).
 */
static bool nsp_handle_rndis_pkt(struct nsp_rxq *q,
				 const struct ohv_vmpacket_desc *d,
				 const struct ohv_nvsp_msg *m,
				 const struct ohv_net_gpa *g, void *map)
{
	struct nsp_nic *nic = q->nc->nic;
	struct nsp_src *src = q->src;
	u32 status = OHV_NVSP_STAT_FAIL, idx, used, i;
	u8 *sbuf;

	src->nseg = 0;
	if (g) {
		if (m->rndis_pkt.section_index != OHV_NVSP_NO_SECTION)
			goto bad;
		src->total = g->total;
		for (i = 0; i < g->nr_segs; i++) {
			if (map) {
				src->seg[src->nseg] = (u8 *)map + g->seg_off[i];
				src->len[src->nseg++] = g->seg_len[i];
			} else if (nsp_src_add_pages(q, src, g, i)) {
				goto bad_range;
			}
		}
	} else {
		/* Published after its size: see nsp_nvsp_ctrl(). */
		sbuf = smp_load_acquire(&nic->sbuf);
		idx = m->rndis_pkt.section_index;
		used = m->rndis_pkt.section_size;
		if (!sbuf || !nic->section_size ||
		    idx >= nic->sbuf_size / nic->section_size ||
		    used > nic->section_size || !used)
			goto bad_range;
		status = nsp_rndis_section(q, sbuf + (size_t)idx *
					   nic->section_size, used);
		if (status == NSP_DEFER)
			return true;
		goto done;
	}
	status = nsp_rndis_msg(q, src, false);
	if (status == NSP_DEFER)
		return true;
	goto done;
bad_range:
	q->bad.range++;
	goto done;
bad:
	q->bad.nvsp++;
done:
	nsp_rndis_done(q, d->trans_id, d->flags, status);
	return false;
}

static void nsp_ctrl_locked(struct nsp_rxq *q, const struct ohv_nvsp_msg *m,
			    u64 tid)
{
	struct nsp_chan *nc = q->nc;
	struct ohv_host_gpadl *hg = NULL;
	void *va = NULL;
	u32 size = 0;

	if (m->hdr.type == OHV_NVSP1_SEND_RECV_BUF ||
	    m->hdr.type == OHV_NVSP1_SEND_SEND_BUF) {
		hg = ohv_host_gpadl_map(nc->chan, m->send_buf.gpadl, &va, &size);
		if (IS_ERR(hg)) {
			q->bad.state++;
			hg = NULL;
		}
	}
	mutex_lock(&nc->nic->lock);
	nsp_nvsp_ctrl(q, m, tid, hg, va, size);
	mutex_unlock(&nc->nic->lock);
}

static bool nsp_pages_lowmem(struct page **pages, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (PageHighMem(pages[i]))
			return false;
	return true;
}

/*
 * A GPA-direct RNDIS packet. Referencing the pages avoids a vmap() and
 * vunmap() per frame; the data is copied into the skb right away. The
 * loopback transport references pages without sleeping, so NAPI does
 * this; a transport that cannot, or highmem pages, need a mapping, which
 * may sleep: NAPI leaves those to the work item.
 */
static bool nsp_handle_gpa(struct nsp_rxq *q, const struct ohv_vmpacket_desc *d,
			   const struct ohv_nvsp_msg *m,
			   const struct ohv_net_gpa *g)
{
	struct nsp_chan *nc = q->nc;
	bool defer;
	void *map;
	int ret;

	ret = ohv_host_get_gpa_pages(nc->chan, g->pfns, g->nr_pfns,
				     q->gpa_pages);
	if (!ret && !nsp_pages_lowmem(q->gpa_pages, g->nr_pfns)) {
		ohv_host_put_gpa_pages(nc->chan, q->gpa_pages, g->nr_pfns);
		ret = -EOPNOTSUPP;
	}
	if (!ret) {
		defer = nsp_handle_rndis_pkt(q, d, m, g, NULL);
		ohv_host_put_gpa_pages(nc->chan, q->gpa_pages, g->nr_pfns);
		return defer;
	}
	if (ret == -EOPNOTSUPP && q->napi)
		return true;
	map = ret == -EOPNOTSUPP ?
	      ohv_host_map_gpa(nc->chan, g->pfns, g->nr_pfns) : NULL;
	if (!map) {
		q->bad.range++;
		nsp_rndis_done(q, d->trans_id, d->flags, OHV_NVSP_STAT_FAIL);
		return false;
	}
	nsp_handle_rndis_pkt(q, d, m, g, map);
	ohv_host_unmap_gpa(nc->chan, map, g->nr_pfns);
	return false;
}

/* The NVSP message of an in-band or completion packet of @pktlen bytes. */
static int nsp_parse_inband(const u8 *pkt, u32 pktlen, struct ohv_nvsp_msg *m,
			    struct ohv_net_bad *bad)
{
	const struct ohv_vmpacket_desc *d = (const void *)pkt;
	u32 plen = ohv_vmpacket_payload_len(pkt);

	if (d->offset8 * 8 > pktlen || plen > pktlen) {
		bad->nvsp++;
		return -EINVAL;
	}
	return ohv_nvsp_parse(ohv_vmpacket_payload(pkt), plen, m, bad);
}

/*
 * The guest completed a frame the host sent it: free its receive-buffer
 * slots. Return: true if slots were freed (the caller wakes the queues).
 */
static bool nsp_guest_done(struct nsp_chan *nc, u64 trans_id,
			   const struct ohv_nvsp_msg *m,
			   struct ohv_net_bad *bad)
{
	if (m->hdr.type != OHV_NVSP1_SEND_RNDIS_PKT_COMPLETE) {
		bad->nvsp++;
		return false;
	}
	if (!nsp_slot_put(nc, trans_id)) {
		bad->trans_id++;
		return false;
	}
	return true;
}

/* nsp_handle(): NAPI leaves the packet to the work item */
enum {
	NSP_DEFER_CTRL = 1,	/* an NVSP control message */
	NSP_DEFER_RNDIS,	/* an RNDIS message (completed as such) */
};

/*
 * The packet at q->pkt. From NAPI, returns NSP_DEFER_* if the work item
 * must handle it instead (nothing was done about it yet): control
 * messages take nic->lock and may map buffers, both of which sleep.
 * Otherwise 0.
 */
static int nsp_handle(struct nsp_rxq *q, u32 pktlen)
{
	const struct ohv_vmpacket_desc *d = (const void *)q->pkt;
	struct nsp_chan *nc = q->nc;
	struct ohv_net_gpa *g = NULL;
	struct ohv_nvsp_msg m;

	if (d->type == OHV_VMPKT_DATA_USING_GPA_DIRECT) {
		g = q->gpa;
		if (ohv_nvsp_parse_gpa(q->pkt, pktlen, g, &q->bad) ||
		    ohv_nvsp_parse(g->payload, g->payload_len, &m, &q->bad))
			return 0;
	} else if (nsp_parse_inband(q->pkt, pktlen, &m, &q->bad)) {
		return 0;
	}
	switch (d->type) {
	case OHV_VMPKT_COMP:
		if (!nsp_guest_done(nc, d->trans_id, &m, &q->bad))
			break;
		if (q->napi) {
			q->wake = true;
		} else {
			nsp_batch_retry(nc);
			netif_tx_wake_all_queues(nc->nic->vif);
		}
		break;
	case OHV_VMPKT_DATA_INBAND:
		if (m.hdr.type == OHV_NVSP1_SEND_RNDIS_PKT)
			return nsp_handle_rndis_pkt(q, d, &m, NULL, NULL) ?
			       NSP_DEFER_RNDIS : 0;
		if (nc->idx) {
			q->bad.state++;
			break;
		}
		if (q->napi)
			return NSP_DEFER_CTRL;
		nsp_ctrl_locked(q, &m, d->trans_id);
		break;
	case OHV_VMPKT_DATA_USING_GPA_DIRECT:
		if (m.hdr.type != OHV_NVSP1_SEND_RNDIS_PKT) {
			q->bad.nvsp++;
			break;
		}
		return nsp_handle_gpa(q, d, &m, g) ? NSP_DEFER_RNDIS : 0;
	default:
		q->bad.nvsp++;
		break;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* NAPI and the work item                                                 */
/* ---------------------------------------------------------------------- */

/* Schedule NAPI from process context. */
static void nsp_napi_kick(struct nsp_chan *nc)
{
	local_bh_disable();
	napi_schedule(&nc->napi);
	local_bh_enable();
}

/*
 * Handles what NAPI deferred, in order, then the completions the ring had
 * no room for; restarts NAPI if it stopped for that.
 */
static void nsp_work(struct work_struct *work)
{
	struct nsp_chan *nc = container_of(work, struct nsp_chan, work);
	struct nsp_defer *e;

	for (;;) {
		spin_lock_bh(&nc->defer_lock);
		e = list_first_entry_or_null(&nc->defer_list, struct nsp_defer,
					     node);
		if (e) {
			list_del(&e->node);
			nc->defer_n--;
		}
		spin_unlock_bh(&nc->defer_lock);
		if (!e)
			break;
		nc->slow.pkt = e->data;
		nsp_handle(&nc->slow, e->len);
		nc->slow.pkt = NULL;
		kfree(e);
		cond_resched();
	}
	nsp_flush_comps_wait(nc);
	/* After the queues shrank (the atomic op orders): see nsp_stalled(). */
	if (test_and_clear_bit(NSP_F_STALLED, &nc->flags) |
	    test_and_clear_bit(NSP_F_KICK, &nc->flags))
		nsp_napi_kick(nc);
}

/*
 * NAPI: the work item has too much to do (deferred packets or unsent
 * completions); take no more packets until it catches up and kicks NAPI.
 */
static bool nsp_full(struct nsp_chan *nc)
{
	return READ_ONCE(nc->defer_n) >= NSP_DEFER_MAX ||
	       READ_ONCE(nc->comp_n) >= NSP_COMP_RING;
}

static bool nsp_stalled(struct nsp_chan *nc)
{
	if (!nsp_full(nc))
		return false;
	set_bit(NSP_F_STALLED, &nc->flags);
	smp_mb__after_atomic();	/* the flag before the recheck */
	if (!nsp_full(nc))
		return false;
	atomic64_inc(&nc->stalls);
	queue_work(nsp_wq, &nc->work);
	return true;
}

/* NAPI: hand the packet at nc->fast.pkt to the work item. */
static void nsp_defer(struct nsp_chan *nc, u32 pktlen, int why)
{
	const struct ohv_vmpacket_desc *d = (const void *)nc->fast.pkt;
	struct nsp_defer *e;

	e = kmalloc(struct_size(e, data, pktlen), GFP_ATOMIC | __GFP_NOWARN);
	if (!e) {
		/* An RNDIS message fails as a frame would; control is lost. */
		atomic64_inc(&nc->defer_nomem);
		pr_warn_ratelimited("relid %u: no memory for a control message\n",
				    ohv_chan_relid(nc->chan));
		if (why == NSP_DEFER_RNDIS)
			nsp_rndis_done(&nc->fast, d->trans_id, d->flags,
				       OHV_NVSP_STAT_FAIL);
		return;
	}
	e->len = pktlen;
	memcpy(e->data, nc->fast.pkt, pktlen);
	spin_lock(&nc->defer_lock);
	list_add_tail(&e->node, &nc->defer_list);
	WRITE_ONCE(nc->defer_n, nc->defer_n + 1);
	nc->deferred++;
	spin_unlock(&nc->defer_lock);
	queue_work(nsp_wq, &nc->work);
}

static int nsp_poll(struct napi_struct *napi, int budget)
{
	struct nsp_chan *nc = container_of(napi, struct nsp_chan, napi);
	struct nsp_rxq *q = &nc->fast;
	const struct ohv_vmpacket_desc *d = (const void *)q->pkt;
	bool stop = false, bulk = false;
	int done = 0, ret, why;
	u32 pktlen;

	nsp_flush_comps(nc);
	while (done < budget) {
		if (nsp_stalled(nc)) {
			stop = true;
			break;
		}
		ret = ohv_chan_recv(nc->chan, q->pkt, NSP_PKT_BUF, &pktlen);
		if (ret == -ENOBUFS) {
			/* Larger than any valid packet: the ring is useless. */
			q->bad.nvsp++;
			pr_warn_ratelimited("relid %u: oversized packet\n",
					    ohv_chan_relid(nc->chan));
			stop = true;
			break;
		}
		if (ret)
			break;
		bulk |= d->type != OHV_VMPKT_DATA_INBAND;
		why = nsp_handle(q, pktlen);
		if (why)
			nsp_defer(nc, pktlen, why);
		done++;
	}
	if (q->wake) {
		q->wake = false;
		netif_tx_wake_all_queues(nc->nic->vif);
	}
	/* The guest read the ring: a batch it had no room for may fit now. */
	nsp_batch_retry(nc);
	nsp_flush_comps(nc);
	ohv_chan_flush(nc->chan);
	if (done == budget)
		return budget;
	/*
	 * Large frames went to the guest within the last tick: the guest's
	 * frames here may be the ACKs of that stream, no timer polls for
	 * them either.
	 */
	if (!bulk && time_before_eq(jiffies,
				    READ_ONCE(nc->nic->tx_bulk_at) + 1)) {
		bulk = true;
		WRITE_ONCE(nc->tx_bulk_polls, nc->tx_bulk_polls + 1);
	}
	/* Nothing may come to flush what is left but the work item. */
	if (READ_ONCE(nc->comp_n))
		queue_work(nsp_wq, &nc->work);
	/*
	 * Moderated only after small frames (see nsp_vif_setup()). Stopped:
	 * the channel stays masked, the work item restarts NAPI.
	 */
	if (napi_complete_done(napi, ohv_net_mod_work(napi, done, bulk)) &&
	    !stop && !ohv_chan_rx_unmask(nc->chan) &&
	    napi_schedule_prep(napi)) {
		/* Data raced in while masked: no signal will come for it. */
		ohv_chan_rx_mask(nc->chan);
		__napi_schedule(napi);
	}
	return done;
}

/*
 * The guest signalled: take its completions of the frames sent to it
 * here, in the signal's softirq. When only the host sends, they are all
 * the ring holds, and waking the NAPI thread for them would cost two
 * context switches per guest poll. Stops at the first other packet, which
 * NAPI takes (as it does a completion too large or a broken ring).
 *
 * Return: true if the ring was left empty.
 */
static bool nsp_reap(struct nsp_chan *nc)
{
	const struct ohv_vmpacket_desc *d = (const void *)nc->reap_pkt;
	bool empty = false, freed = false;
	struct ohv_nvsp_msg m;
	u32 pktlen, n;
	int ret;

	/* Another CPU is reaping: it may have seen the ring empty already. */
	if (!spin_trylock(&nc->reap_lock))
		return false;
	for (n = 0; n < NSP_REAP_MAX; n++) {
		ret = ohv_chan_recv_type(nc->chan, OHV_VMPKT_COMP, nc->reap_pkt,
					 sizeof(nc->reap_pkt), &pktlen);
		if (ret) {
			empty = ret == -EAGAIN;
			break;
		}
		WRITE_ONCE(nc->reaped, nc->reaped + 1);
		if (!nsp_parse_inband(nc->reap_pkt, pktlen, &m, &nc->reap_bad) &&
		    nsp_guest_done(nc, d->trans_id, &m, &nc->reap_bad))
			freed = true;
	}
	spin_unlock(&nc->reap_lock);
	if (freed) {
		nsp_batch_retry(nc);
		netif_tx_wake_all_queues(nc->nic->vif);
	}
	return empty;
}

/* The guest signalled (softirq), or the channel just opened (process). */
static void nsp_rx(struct ohv_channel *chan, void *ctx)
{
	struct nsp_chan *nc = ctx;

	if (!in_interrupt()) {
		/* A softirq raised here would wait for the next interrupt. */
		set_bit(NSP_F_KICK, &nc->flags);
		queue_work(nsp_wq, &nc->work);
		return;
	}
	if (nsp_reap(nc))
		return;
	if (napi_schedule_prep(&nc->napi)) {
		ohv_chan_rx_mask(chan);
		__napi_schedule(&nc->napi);
	}
}

/* ---------------------------------------------------------------------- */
/* Channel open / close                                                   */
/* ---------------------------------------------------------------------- */

static void nsp_rebuild_txmap(struct nsp_nic *nic)
{
	unsigned int i, n = 0;
	struct nsp_chan *nc;

	for (i = 0; i < NSP_MAX_QUEUES; i++) {
		nc = rcu_dereference_protected(nic->chans[i], 1);
		if (nc)
			rcu_assign_pointer(nic->txmap[n++], nc);
	}
	for (i = n; i < NSP_MAX_QUEUES; i++)
		RCU_INIT_POINTER(nic->txmap[i], NULL);
	WRITE_ONCE(nic->nr_tx, n);
}

static void nsp_rxq_free(struct nsp_rxq *q)
{
	kfree(q->gpa_pages);
	kfree(q->src);
	kfree(q->gpa);
	kfree(q->ctrl);
}

static int nsp_rxq_init(struct nsp_rxq *q, struct nsp_chan *nc, bool napi)
{
	q->nc = nc;
	q->napi = napi;
	q->ctrl = napi ? NULL : kmalloc(NSP_CTRL_BUF, GFP_KERNEL);
	q->gpa = kmalloc(sizeof(*q->gpa), GFP_KERNEL);
	q->src = kmalloc(sizeof(*q->src), GFP_KERNEL);
	q->gpa_pages = kcalloc(OHV_NET_MAX_GPA_PFNS, sizeof(*q->gpa_pages),
			       GFP_KERNEL);
	if ((!napi && !q->ctrl) || !q->gpa || !q->src || !q->gpa_pages)
		return -ENOMEM;
	return 0;
}

static void nsp_chan_bufs_free(struct nsp_chan *nc)
{
	nsp_rxq_free(&nc->fast);
	nsp_rxq_free(&nc->slow);
	kvfree(nc->fast.pkt);
	kfree(nc->comps);
}

static int nsp_open(struct ohv_channel *chan, const u8 *userdata)
{
	struct nsp_nic *nic = ohv_host_offer_priv(chan);
	u16 idx = ohv_chan_subchannel_index(chan);
	struct nsp_chan *nc;

	if (idx >= nic->queues)
		return -EINVAL;
	nc = kzalloc(sizeof(*nc), GFP_KERNEL);
	if (!nc)
		return -ENOMEM;
	nc->fast.pkt = kvmalloc(NSP_PKT_BUF, GFP_KERNEL);
	nc->comps = kcalloc(NSP_COMP_RING, sizeof(*nc->comps), GFP_KERNEL);
	if (!nc->fast.pkt || !nc->comps || nsp_rxq_init(&nc->fast, nc, true) ||
	    nsp_rxq_init(&nc->slow, nc, false)) {
		nsp_chan_bufs_free(nc);
		kfree(nc);
		return -ENOMEM;
	}
	nc->nic = nic;
	nc->chan = chan;
	nc->idx = idx;
	spin_lock_init(&nc->slot_lock);
	spin_lock_init(&nc->batch_lock);
	nc->batch.slot = -1;
	atomic64_set(&nc->tx_xfers, 0);
	spin_lock_init(&nc->reap_lock);
	spin_lock_init(&nc->defer_lock);
	spin_lock_init(&nc->comp_lock);
	INIT_LIST_HEAD(&nc->defer_list);
	INIT_WORK(&nc->work, nsp_work);
	atomic64_set(&nc->defer_nomem, 0);
	atomic64_set(&nc->comp_queued, 0);
	atomic64_set(&nc->stalls, 0);
	atomic64_set(&nc->tx_packets, 0);
	atomic64_set(&nc->tx_bytes, 0);
	atomic64_set(&nc->tx_dropped, 0);
	atomic64_set(&nc->tx_busy, 0);
	/*
	 * The vif outlives every channel: nsp_disable() rescinds (closing
	 * them all) before it unregisters the vif. Opens and closes of one
	 * partition are serialised (its connection lock), so the vif's NAPI
	 * list is not changed concurrently.
	 */
	netif_napi_add(nic->vif, &nc->napi, nsp_poll);
	napi_enable(&nc->napi);
	mutex_lock(&nic->lock);
	if (idx == 0) {
		nic->nvsp_ver = 0;
		nic->rndis_up = false;
		nic->filter = 0;
		nic->guest_rxcsum = false;
		nic->guest_rsc = false;
		nic->subs = 0;
		WRITE_ONCE(nic->rss_n, 0);
		if (nsp_rss_key_default(nic))
			pr_warn("%s: out of memory: RSS keeps the last key\n",
				nic->vif->name);
	} else if (nic->rbuf) {
		nsp_slots_init(nc);
	}
	netdev_tx_reset_queue(netdev_get_tx_queue(nic->vif, idx));
	rcu_assign_pointer(nic->chans[idx], nc);
	nsp_rebuild_txmap(nic);
	mutex_unlock(&nic->lock);
	ohv_chan_set_drvdata(chan, nc);
	return 0;
}

/*
 * The core stopped the callback and took the rings down first: NAPI and
 * the work item find nothing more to read and sends fail at once.
 */
static void nsp_close(struct ohv_channel *chan)
{
	struct nsp_chan *nc = ohv_chan_get_drvdata(chan);
	struct nsp_nic *nic = nc->nic;
	struct nsp_defer *e, *tmp;

	mutex_lock(&nic->lock);
	RCU_INIT_POINTER(nic->chans[nc->idx], NULL);
	nsp_rebuild_txmap(nic);
	if (nc->idx == 0) {
		WRITE_ONCE(nic->rndis_up, false);
		nsp_update_carrier(nic);
	}
	mutex_unlock(&nic->lock);
	synchronize_net();
	/* NAPI first: it queues the work; the work only kicks NAPI. */
	napi_disable(&nc->napi);
	cancel_work_sync(&nc->work);
	netif_napi_del(&nc->napi);
	/* What the work item had not got to: the guest is gone. */
	list_for_each_entry_safe(e, tmp, &nc->defer_list, node) {
		list_del(&e->node);
		kfree(e);
	}
	mutex_lock(&nic->lock);
	nsp_bad_add(&nic->bad, &nc->fast.bad);
	nsp_bad_add(&nic->bad, &nc->slow.bad);
	nsp_bad_add(&nic->bad, &nc->reap_bad);
	if (nc->idx == 0) {
		/* Sub-channels are closed before their primary. */
		WRITE_ONCE(nic->rbuf, NULL);
		WRITE_ONCE(nic->sbuf, NULL);
		if (nic->rbuf_hg)
			ohv_host_gpadl_unmap(nic->rbuf_hg);
		if (nic->sbuf_hg)
			ohv_host_gpadl_unmap(nic->sbuf_hg);
		nic->rbuf_hg = NULL;
		nic->sbuf_hg = NULL;
		nic->nvsp_ver = 0;
	}
	mutex_unlock(&nic->lock);
	ohv_chan_set_drvdata(chan, NULL);
	/* Frames the guest never completed: the queue starts afresh. */
	if (nic->vif)
		netdev_tx_reset_queue(netdev_get_tx_queue(nic->vif, nc->idx));
	ohv_net_slots_destroy(&nc->slots);
	kvfree(nc->runs);
	nsp_chan_bufs_free(nc);
	kfree(nc);
	if (nic->vif)
		netif_tx_wake_all_queues(nic->vif);
}

static const struct ohv_provider nsp_provider = {
	.name = "ohv_netvsp",
	.class_id = NSP_CLASS_GUID,
	.max_ring_bytes = 16 << 20,
	.open = nsp_open,
	.close = nsp_close,
	.rx = nsp_rx,
	.cb_mode = OHV_CB_DIRECT,
	.owner = THIS_MODULE,
};

/* ---------------------------------------------------------------------- */
/* Enable / disable                                                       */
/* ---------------------------------------------------------------------- */

static int nsp_enable(struct nsp_nic *nic)
{
	struct ohv_offer_params params = {};
	struct ohv_partition *part;
	struct net_device *vif;
	struct ohv_channel *chan;
	char name[IFNAMSIZ];
	int ret;

	snprintf(name, sizeof(name), "ohvp%un%u", nic->partition, nic->nic);
	vif = alloc_netdev_mqs(sizeof(struct nsp_vif), name, NET_NAME_USER,
			       nsp_vif_setup, nic->queues, nic->queues);
	if (!vif)
		return -ENOMEM;
	((struct nsp_vif *)netdev_priv(vif))->nic = nic;
	nic->tx_bulk_at = jiffies - 2;
	netif_carrier_off(vif);
	ret = register_netdev(vif);
	if (ret) {
		free_netdev(vif);
		return ret;
	}
	if (READ_ONCE(napi_threaded)) {
		/* Before any channel adds its NAPI context. */
		rtnl_lock();
		if (dev_set_threaded(vif, true))
			netdev_warn(vif, "no threaded NAPI\n");
		rtnl_unlock();
	}
	part = ohv_partition_get(nic->partition);
	if (!part) {
		unregister_netdev(vif);
		return -ENODEV;
	}
	nic->vif = vif;
	/* Instance GUID: partition and NIC number, readable in the guest. */
	params.instance_id = GUID_INIT(0x6f68766e, nic->partition, nic->nic,
				       0, 0, 0, 0, 0, 0, 0, 0);
	params.priv = nic;
	chan = ohv_host_offer(part, &nsp_provider, &params);
	ohv_partition_put(part);
	if (IS_ERR(chan)) {
		nic->vif = NULL;
		unregister_netdev(vif);
		return PTR_ERR(chan);
	}
	nic->offer = chan;
	nic->enabled = true;
	return 0;
}

/* nic->lock not held: rescind calls back into close(). */
static void nsp_disable(struct nsp_nic *nic)
{
	if (!nic->enabled)
		return;
	ohv_host_rescind(nic->offer);
	nic->offer = NULL;
	unregister_netdev(nic->vif);
	nic->vif = NULL;
	nic->enabled = false;
}

/* ---------------------------------------------------------------------- */
/* configfs                                                               */
/* ---------------------------------------------------------------------- */

static DEFINE_MUTEX(nsp_cfg_lock);	/* enable/disable, config writes */
static LIST_HEAD(nsp_nics);		/* every configfs NIC, nsp_cfg_lock */

/*
 * Another enabled NIC with the same partition and NIC number would offer
 * a second channel with the same instance GUID. nsp_cfg_lock held.
 */
static bool nsp_nic_taken(const struct nsp_nic *nic)
{
	const struct nsp_nic *o;

	list_for_each_entry(o, &nsp_nics, node)
		if (o != nic && o->enabled && o->partition == nic->partition &&
		    o->nic == nic->nic)
			return true;
	return false;
}

static int nsp_store_u32(struct nsp_nic *nic, const char *page, u32 *dst,
			 u32 lo, u32 hi)
{
	u32 v;
	int ret = kstrtou32(page, 0, &v);

	if (ret)
		return ret;
	if (v < lo || v > hi)
		return -ERANGE;
	mutex_lock(&nsp_cfg_lock);
	if (nic->enabled)
		ret = -EBUSY;
	else
		*dst = v;
	mutex_unlock(&nsp_cfg_lock);
	return ret;
}

static ssize_t nsp_partition_show(struct config_item *item, char *page)
{
	return sprintf(page, "%u\n", to_nic(item)->partition);
}

static ssize_t nsp_partition_store(struct config_item *item, const char *page,
				   size_t count)
{
	struct nsp_nic *nic = to_nic(item);

	return nsp_store_u32(nic, page, &nic->partition, 0, 9999) ?: count;
}

static ssize_t nsp_nic_show(struct config_item *item, char *page)
{
	return sprintf(page, "%u\n", to_nic(item)->nic);
}

static ssize_t nsp_nic_store(struct config_item *item, const char *page,
			     size_t count)
{
	struct nsp_nic *nic = to_nic(item);

	return nsp_store_u32(nic, page, &nic->nic, 0, 999) ?: count;
}

static ssize_t nsp_queues_show(struct config_item *item, char *page)
{
	return sprintf(page, "%u\n", to_nic(item)->queues);
}

static ssize_t nsp_queues_store(struct config_item *item, const char *page,
				size_t count)
{
	struct nsp_nic *nic = to_nic(item);

	return nsp_store_u32(nic, page, &nic->queues, 1, NSP_MAX_QUEUES) ?:
	       count;
}

static ssize_t nsp_mac_show(struct config_item *item, char *page)
{
	return sprintf(page, "%pM\n", to_nic(item)->mac);
}

static ssize_t nsp_mac_store(struct config_item *item, const char *page,
			     size_t count)
{
	struct nsp_nic *nic = to_nic(item);
	u8 mac[ETH_ALEN];
	int ret = 0;

	if (!mac_pton(page, mac) || !is_valid_ether_addr(mac))
		return -EINVAL;
	mutex_lock(&nsp_cfg_lock);
	if (nic->enabled)
		ret = -EBUSY;
	else
		ether_addr_copy(nic->mac, mac);
	mutex_unlock(&nsp_cfg_lock);
	return ret ?: count;
}

static ssize_t nsp_link_show(struct config_item *item, char *page)
{
	return sprintf(page, "%d\n", to_nic(item)->link_up);
}

static ssize_t nsp_link_store(struct config_item *item, const char *page,
			      size_t count)
{
	struct nsp_nic *nic = to_nic(item);
	struct nsp_chan *nc;
	bool up;
	int ret = kstrtobool(page, &up);

	if (ret)
		return ret;
	mutex_lock(&nsp_cfg_lock);
	mutex_lock(&nic->lock);
	if (nic->link_up != up) {
		nic->link_up = up;
		nc = rcu_dereference_protected(nic->chans[0],
					       lockdep_is_held(&nic->lock));
		if (nc && nic->rndis_up)
			nsp_indicate(nc, up ? OHV_RNDIS_STATUS_MEDIA_CONNECT :
					      OHV_RNDIS_STATUS_MEDIA_DISCONNECT);
		nsp_update_carrier(nic);
	}
	mutex_unlock(&nic->lock);
	mutex_unlock(&nsp_cfg_lock);
	return count;
}

static ssize_t nsp_send_table_show(struct config_item *item, char *page)
{
	struct nsp_nic *nic = to_nic(item);
	ssize_t n = 0;
	u32 i;

	mutex_lock(&nic->lock);
	for (i = 0; i < OHV_NVSP_SEND_TABLE_SIZE; i++)
		n += sprintf(page + n, "%u%c", nsp_send_table_entry(nic, i),
			     i + 1 < OHV_NVSP_SEND_TABLE_SIZE ? ' ' : '\n');
	mutex_unlock(&nic->lock);
	return n;
}

/*
 * "default" (entry i is i % channels), or one channel index per entry,
 * OHV_NVSP_SEND_TABLE_SIZE of them. A guest with sub-channels is told at
 * once; an index past its channels wraps around there.
 */
static ssize_t nsp_send_table_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct nsp_nic *nic = to_nic(item);
	u8 tab[OHV_NVSP_SEND_TABLE_SIZE];
	char *buf, *p, *tok;
	struct nsp_chan *nc;
	u32 n = 0, v;
	int ret = 0;

	buf = kstrndup(page, count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	p = strim(buf);
	if (strcmp(p, "default")) {
		while ((tok = strsep(&p, " \t\n")) && !ret) {
			if (!*tok)
				continue;
			if (n == OHV_NVSP_SEND_TABLE_SIZE)
				ret = -E2BIG;
			else if (kstrtou32(tok, 0, &v) || v >= NSP_MAX_QUEUES)
				ret = -EINVAL;
			else
				tab[n++] = v;
		}
		if (!ret && n != OHV_NVSP_SEND_TABLE_SIZE)
			ret = -EINVAL;
	}
	kfree(buf);
	if (ret)
		return ret;
	mutex_lock(&nic->lock);
	nic->send_table_set = n != 0;
	if (n)
		memcpy(nic->send_table, tab, sizeof(tab));
	nc = rcu_dereference_protected(nic->chans[0],
				       lockdep_is_held(&nic->lock));
	if (nc && nic->subs)
		nsp_send_table(nc);
	mutex_unlock(&nic->lock);
	return count;
}

static ssize_t nsp_enable_show(struct config_item *item, char *page)
{
	return sprintf(page, "%d\n", to_nic(item)->enabled);
}

static ssize_t nsp_enable_store(struct config_item *item, const char *page,
				size_t count)
{
	struct nsp_nic *nic = to_nic(item);
	bool on;
	int ret = kstrtobool(page, &on);

	if (ret)
		return ret;
	mutex_lock(&nsp_cfg_lock);
	if (on && !nic->enabled && nsp_nic_taken(nic)) {
		pr_info("%s: partition %u NIC %u is already enabled\n",
			config_item_name(item), nic->partition, nic->nic);
		ret = -EBUSY;
	} else if (on && !nic->enabled) {
		ret = nsp_enable(nic);
	} else if (!on) {
		nsp_disable(nic);
	}
	mutex_unlock(&nsp_cfg_lock);
	return ret ?: count;
}

static ssize_t nsp_ifname_show(struct config_item *item, char *page)
{
	struct nsp_nic *nic = to_nic(item);
	ssize_t n;

	mutex_lock(&nsp_cfg_lock);
	n = sprintf(page, "%s\n", nic->vif ? nic->vif->name : "");
	mutex_unlock(&nsp_cfg_lock);
	return n;
}

static ssize_t nsp_stats_show(struct config_item *item, char *page)
{
	struct nsp_nic *nic = to_nic(item);
	u64 deferred = 0, nomem = 0, queued = 0, stalls = 0, reaped = 0;
	u64 xfers = 0, frames = 0, packed = 0, busy = 0, bulk = 0;
	struct ohv_net_bad b;
	struct nsp_chan *nc;
	unsigned int i, open = 0;
	ssize_t n;

	mutex_lock(&nic->lock);
	b = nic->bad;
	for (i = 0; i < NSP_MAX_QUEUES; i++) {
		nc = rcu_dereference_protected(nic->chans[i],
					       lockdep_is_held(&nic->lock));
		if (!nc)
			continue;
		open++;
		nsp_bad_add(&b, &nc->fast.bad);
		nsp_bad_add(&b, &nc->slow.bad);
		nsp_bad_add(&b, &nc->reap_bad);
		reaped += READ_ONCE(nc->reaped);
		xfers += atomic64_read(&nc->tx_xfers);
		busy += atomic64_read(&nc->tx_busy);
		frames += atomic64_read(&nc->tx_packets);
		packed += READ_ONCE(nc->fast.rx_packed) +
			  READ_ONCE(nc->slow.rx_packed);
		deferred += READ_ONCE(nc->deferred);
		nomem += atomic64_read(&nc->defer_nomem);
		queued += atomic64_read(&nc->comp_queued);
		stalls += atomic64_read(&nc->stalls);
		bulk += READ_ONCE(nc->tx_bulk_polls);
	}
	n = sprintf(page,
		    "nvsp_version: %#x\nndis_version: %#x\nrndis_up: %d\n"
		    "channels_open: %u\nsubchannels_offered: %u\n"
		    "recv_buf_bytes: %u\nsend_buf_bytes: %u\n"
		    "packet_filter: %#x\nguest_mtu: %u\n"
		    "bad_nvsp: %llu\nbad_rndis: %llu\nbad_ppi: %llu\n"
		    "bad_range: %llu\nbad_trans_id: %llu\nbad_state: %llu\n"
		    "rss_entries: %u\nrss_steered: %lld\n"
		    "rx_deferred: %llu\nrx_defer_nomem: %llu\n"
		    "comp_queued: %llu\nrx_stalls: %llu\ncomp_reaped: %llu\n"
		    "tx_frames: %llu\ntx_xfers: %llu\ntx_busy: %llu\n"
		    "rx_packed: %llu\ntx_bulk_polls: %llu\n",
		    nic->nvsp_ver, nic->ndis_ver, nic->rndis_up, open, nic->subs,
		    nic->rbuf ? nic->rbuf_size : 0,
		    nic->sbuf ? nic->sbuf_size : 0, nic->filter, nic->guest_mtu,
		    b.nvsp, b.rndis, b.ppi, b.range, b.trans_id, b.state,
		    nic->rss_n, (s64)atomic64_read(&nic->rss_steered),
		    deferred, nomem, queued, stalls, reaped, frames, xfers, busy,
		    packed, bulk);
	mutex_unlock(&nic->lock);
	return n;
}

CONFIGFS_ATTR(nsp_, partition);
CONFIGFS_ATTR(nsp_, nic);
CONFIGFS_ATTR(nsp_, queues);
CONFIGFS_ATTR(nsp_, mac);
CONFIGFS_ATTR(nsp_, link);
CONFIGFS_ATTR(nsp_, send_table);
CONFIGFS_ATTR(nsp_, enable);
CONFIGFS_ATTR_RO(nsp_, ifname);
CONFIGFS_ATTR_RO(nsp_, stats);

static struct configfs_attribute *nsp_attrs[] = {
	&nsp_attr_partition,
	&nsp_attr_nic,
	&nsp_attr_queues,
	&nsp_attr_mac,
	&nsp_attr_link,
	&nsp_attr_send_table,
	&nsp_attr_enable,
	&nsp_attr_ifname,
	&nsp_attr_stats,
	NULL,
};

static void nsp_item_release(struct config_item *item)
{
	struct nsp_nic *nic = to_nic(item);

	/* The vif is unregistered: no xmit reads the tables any more. */
	kfree(rcu_dereference_protected(nic->rss_tab, true));
	kfree(nic);
}

static struct configfs_item_operations nsp_item_ops = {
	.release = nsp_item_release,
};

static const struct config_item_type nsp_nic_type = {
	.ct_item_ops = &nsp_item_ops,
	.ct_attrs = nsp_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_item *nsp_make_item(struct config_group *group,
					 const char *name)
{
	struct nsp_nic *nic;

	nic = kzalloc(sizeof(*nic), GFP_KERNEL);
	if (!nic)
		return ERR_PTR(-ENOMEM);
	mutex_init(&nic->lock);
	nic->queues = 1;
	if (nsp_rss_key_default(nic)) {
		kfree(nic);
		return ERR_PTR(-ENOMEM);
	}
	nic->link_up = true;
	eth_random_addr(nic->mac);
	/* Hyper-V's OUI, as guests expect for a synthetic NIC. */
	nic->mac[0] = 0x00;
	nic->mac[1] = 0x15;
	nic->mac[2] = 0x5d;
	config_item_init_type_name(&nic->item, name, &nsp_nic_type);
	mutex_lock(&nsp_cfg_lock);
	list_add_tail(&nic->node, &nsp_nics);
	mutex_unlock(&nsp_cfg_lock);
	return &nic->item;
}

static void nsp_drop_item(struct config_group *group, struct config_item *item)
{
	struct nsp_nic *nic = to_nic(item);

	mutex_lock(&nsp_cfg_lock);
	nsp_disable(nic);
	list_del(&nic->node);
	mutex_unlock(&nsp_cfg_lock);
	config_item_put(item);
}

static struct configfs_group_operations nsp_group_ops = {
	.make_item = nsp_make_item,
	.drop_item = nsp_drop_item,
};

static const struct config_item_type nsp_subsys_type = {
	.ct_group_ops = &nsp_group_ops,
	.ct_owner = THIS_MODULE,
};

static struct configfs_subsystem nsp_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "ohv_netvsp",
			.ci_type = &nsp_subsys_type,
		},
	},
};

static int __init nsp_init(void)
{
	int ret;

	if (send_section_size < 2048 || send_section_size > (1 << 20) ||
	    !max_pkt_per_msg || max_pkt_per_msg > NSP_PKT_PER_MSG_MAX)
		return -EINVAL;
	nsp_wq = alloc_workqueue("ohv_netvsp", WQ_UNBOUND | WQ_HIGHPRI |
				 WQ_MEM_RECLAIM, 0);
	if (!nsp_wq)
		return -ENOMEM;
	config_group_init(&nsp_subsys.su_group);
	mutex_init(&nsp_subsys.su_mutex);
	ret = configfs_register_subsystem(&nsp_subsys);
	if (ret)
		destroy_workqueue(nsp_wq);
	return ret;
}

static void __exit nsp_exit(void)
{
	configfs_unregister_subsystem(&nsp_subsys);
	destroy_workqueue(nsp_wq);
}

module_init(nsp_init);
module_exit(nsp_exit);

MODULE_DESCRIPTION("ohv synthetic network provider (host side)");
MODULE_LICENSE("GPL");
