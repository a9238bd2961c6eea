// SPDX-License-Identifier: GPL-2.0
/*
 * ohv netvsc: the guest side of the synthetic NIC.
 *
 * Binds to network devices on ohvbus, brings up NVSP and RNDIS on the
 * primary channel, asks for vRSS sub-channels and registers a multi-queue
 * net_device with one NAPI context per channel. Transmit copies small
 * frames into send-buffer sections and describes large ones by their
 * pages (GPA direct); receive copies frames out of the receive buffer the
 * host filled and completes each transfer-page packet.
 *
 * The host is not trusted either: every NVSP and RNDIS message it sends is
 * parsed by ohv_net_proto and counted (ethtool -S bad_*) when malformed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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
#include <linux/u64_stats_sync.h>
#include <linux/udp.h>
#include <linux/vmalloc.h>

#include <ohv/vmbus.h>

#include "../netvsp/ohv_net_proto.h"

static unsigned int max_queues = 8;
module_param(max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "Most channels (queues) per NIC, 1..64");

static unsigned int ring_kb = 512;
module_param(ring_kb, uint, 0444);
MODULE_PARM_DESC(ring_kb, "Ring size per direction and channel, KiB");

/* Most frames packed into one send section, whatever the host allows. */
#define NVC_PACK_MAX		64

static unsigned int tx_pack = 16;
module_param(tx_pack, uint, 0644);
MODULE_PARM_DESC(tx_pack,
		 "Most frames packed into one send section when more follow (1: none; the host may allow fewer)");

#define NVC_CLASS_GUID \
	GUID_INIT(0xf8615163, 0xdf3e, 0x46c5, \
		  0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e)

#define NVC_MAX_QUEUES		OHV_MAX_SUBCHANNELS
/* RSS indirection table entries we send (the host takes up to 128). */
#define NVC_RSS_ENTRIES		64
#define NVC_RECV_BUF		(16 << 20)
#define NVC_SEND_BUF		(1024 * 1024)
#define NVC_TX_SLOTS		512
#define NVC_HDR_SLOT		256	/* RNDIS header room per TX slot */
#define NVC_PKT_BUF		(8 * 1024)
#define NVC_CTRL_TIMEOUT	(5 * HZ)
/* An RNDIS request, header included (one kmalloc-512 object). */
#define NVC_RNDIS_REQ_MAX	512
#define NVC_MAX_MTU		9000
#define NVC_TSO_MAX		62768
/* Largest frame taken with LRO (host-coalesced TCP segments) on. */
#define NVC_RX_MAX		(65535 + VLAN_ETH_HLEN)
/* Frames up to this size are copied into the skb head, larger into pages. */
#define NVC_RX_LINEAR		2048
#define NVC_RX_HEAD		256
/* Largest page order a received frame's fragments are copied into. */
#define NVC_RX_ORDER		3
/* Transaction ids: control requests, RNDIS control, then TX slots. */
#define NVC_TID_NVSP		1
#define NVC_TID_RNDIS		2
#define NVC_TID_TX		0x10000

static const u32 nvc_versions[] = {
	OHV_NVSP_VERSION_61, OHV_NVSP_VERSION_6, OHV_NVSP_VERSION_5,
	OHV_NVSP_VERSION_4, OHV_NVSP_VERSION_2, OHV_NVSP_VERSION_1,
};

struct nvc_dev;

/**
 * struct nvc_tx - one outstanding transmit
 * @skb: the frame, held until the host completes (GPA path only)
 * @section: send section used, or OHV_NVSP_NO_SECTION
 * @len: frame bytes, for statistics
 * @frames: frames (more than one if packed into the section)
 */
struct nvc_tx {
	struct sk_buff *skb;
	u32 section;
	u32 len;
	u32 frames;
};

/**
 * struct nvc_pack - a send section frames are being packed into, not sent
 *	yet: it goes when the stack has no more frames, or it is full
 * @slot: its transmit slot, -1: none open
 * @sec: the section
 * @used: bytes used
 * @last: offset of the last RNDIS message, whose length grows by the
 *	padding before the next
 * @last_len: its length as written (the host may change the copy)
 * @n: messages in it
 *
 * @slot is -1 while the section is with the host: a completion for the
 * open one is the host's error.
 */
struct nvc_pack {
	int slot;
	u32 sec;
	u32 used;
	u32 last;
	u32 last_len;
	u32 n;
};

struct nvc_pcpu_stats {
	u64 packets;
	u64 bytes;
	struct u64_stats_sync syncp;
};

/**
 * struct nvc_chan - one channel = one TX and RX queue
 * @nd: the device
 * @chan: the VMBus channel
 * @idx: queue index
 * @napi: its NAPI context
 * @pkt: packet copy buffer (NAPI only)
 * @tx: outstanding transmits by slot
 * @tx_map: slots in use
 * @pack: the open send section
 * @pack_stuck: @pack is complete but the ring had no room: NAPI sends it
 * @bulk: this poll completed a frame sent as GPA pages or took a frame
 *	of OHV_NET_MOD_BULK_LEN or more (ohv_net_mod_work())
 * @hdr_pages: RNDIS header buffers for GPA transmits, 16 per page
 * @comp: receive completions not sent yet (ring full), as trans ids
 * @comp_head: next to send
 * @comp_tail: next free
 * @bad: malformed input from the host
 * @rx: receive counters
 * @tx_stats: transmit counters
 * @tx_gpa: frames sent as GPA pages
 * @tx_copy: frames copied into sections
 * @tx_packed: of those, frames that shared a section with the one before
 * @tx_busy: times the queue stopped
 * @rx_csum_ok: frames the host verified
 * @bulk_polls: polls that started no moderation round for @bulk
 */
struct nvc_chan {
	struct nvc_dev *nd;
	struct ohv_channel *chan;
	u16 idx;
	struct napi_struct napi;
	u8 *pkt;
	struct nvc_tx tx[NVC_TX_SLOTS];
	bool bulk;
	unsigned long tx_map[BITS_TO_LONGS(NVC_TX_SLOTS)];
	struct nvc_pack pack;
	bool pack_stuck;
	struct page *hdr_pages[NVC_TX_SLOTS * NVC_HDR_SLOT / PAGE_SIZE];
	u64 *comp;
	u32 comp_head;
	u32 comp_tail;
	struct ohv_net_bad bad;
	struct nvc_pcpu_stats rx;
	struct nvc_pcpu_stats tx_stats;
	u64 tx_gpa;
	u64 tx_copy;
	u64 tx_packed;
	u64 tx_busy;
	u64 rx_csum_ok;
	u64 bulk_polls;
};

#define NVC_COMP_RING	4096

/* Counters of closed channels, so totals do not go back. */
struct nvc_gone {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_gpa;
	u64 tx_copy;
	u64 tx_packed;
	u64 tx_busy;
	u64 rx_csum_ok;
	u64 bulk_polls;
	struct ohv_net_bad bad;
};

/**
 * struct nvc_dev - one synthetic NIC
 * @odev: the ohvbus device
 * @ndev: the net_device
 * @prim: the primary channel's queue (queue 0), set while bound
 * @chans: open channels (RCU: freed after a grace period)
 * @subch: sub-channels the host offered, by index, each with a reference
 *	held (open or not: ethtool -L closes and reopens them)
 * @chan_lock: serializes opening and closing channels, @subch, @want
 * @want: channels this side wants open (1 + sub-channels)
 * @gone: counters of channels closed since probe
 * @nr_open: channels open
 * @nr_subs: sub-channels asked for, then granted by the host
 * @sub_wait: waits for sub-channels to open
 * @nvsp_ver: negotiated NVSP version
 * @rbuf: receive buffer
 * @rbuf_gpadl: its GPADL
 * @sbuf: send buffer
 * @sbuf_gpadl: its GPADL
 * @section_size: send section size
 * @nsections: sections in @sbuf
 * @section_map: sections in use
 * @max_pkt: most RNDIS messages the host takes in one section
 * @pkt_align: alignment of each message in a section, bytes
 * @ctrl_lock: one control exchange at a time
 * @ctrl_done: an NVSP or RNDIS answer arrived
 * @ctrl_resp: NVSP answer
 * @rndis_req: RNDIS request buffer (within one page)
 * @rndis_resp: RNDIS answer
 * @rndis_resp_len: its length
 * @rndis_id: request id of the outstanding RNDIS request
 * @send_table: host's send indirection table: the channel a frame goes
 *	out on, by its flow hash (read locklessly by nvc_select_queue())
 * @send_table_ok: the host sent @send_table
 * @rss_key: our Toeplitz key; the host hashes each flow with it
 * @rss_tab: our RSS indirection table (the host steers receives by it);
 *	rtnl or probe
 * @link_up: media state from the host
 * @rx_csum: host verifies checksums for us
 * @removing: remove() started
 */
struct nvc_dev {
	struct ohv_device *odev;
	struct net_device *ndev;
	struct nvc_chan *prim;
	struct nvc_chan __rcu *chans[NVC_MAX_QUEUES];
	struct ohv_channel *subch[NVC_MAX_QUEUES];
	struct mutex chan_lock;	/* channel open/close, subch, want */
	u32 want;
	struct nvc_gone gone;
	atomic_t nr_open;
	u32 nr_subs;
	wait_queue_head_t sub_wait;
	u32 nvsp_ver;
	u8 *rbuf;
	struct ohv_gpadl_handle rbuf_gpadl;
	u8 *sbuf;
	struct ohv_gpadl_handle sbuf_gpadl;
	u32 section_size;
	u32 nsections;
	unsigned long *section_map;
	u32 max_pkt;
	u32 pkt_align;
	struct mutex ctrl_lock;	/* control exchanges */
	struct completion ctrl_done;
	struct ohv_nvsp_msg ctrl_resp;
	u8 *rndis_req;
	u8 rndis_resp[512];
	u32 rndis_resp_len;
	u32 rndis_id;
	u32 send_table[OHV_NVSP_SEND_TABLE_SIZE];
	bool send_table_ok;
	u8 rss_tab[NVC_RSS_ENTRIES];
	u8 rss_key[OHV_NDIS_RSS_KEY_MAX];
	bool link_up;
	bool rx_csum;
	bool removing;
};

struct nvc_priv {
	struct nvc_dev *nd;
};

static inline struct nvc_dev *nvc_of(struct net_device *ndev)
{
	return ((struct nvc_priv *)netdev_priv(ndev))->nd;
}

/* ---------------------------------------------------------------------- */
/* Transmit                                                               */
/* ---------------------------------------------------------------------- */

static int nvc_section_get(struct nvc_dev *nd)
{
	u32 i;

	for (;;) {
		i = find_first_zero_bit(nd->section_map, nd->nsections);
		if (i >= nd->nsections)
			return -ENOSPC;
		if (!test_and_set_bit(i, nd->section_map))
			return i;
	}
}

static int nvc_slot_get(struct nvc_chan *nc)
{
	u32 i;

	for (;;) {
		i = find_first_zero_bit(nc->tx_map, NVC_TX_SLOTS);
		if (i >= NVC_TX_SLOTS)
			return -ENOSPC;
		if (!test_and_set_bit(i, nc->tx_map))
			return i;
	}
}

static void nvc_tx_release(struct nvc_chan *nc, u32 slot, bool done)
{
	struct nvc_tx *t = &nc->tx[slot];

	if (t->section != OHV_NVSP_NO_SECTION)
		clear_bit(t->section, nc->nd->section_map);
	if (t->skb) {
		if (done)
			napi_consume_skb(t->skb, 1);
		else
			dev_kfree_skb_any(t->skb);
	}
	t->skb = NULL;
	if (done) {
		u64_stats_update_begin(&nc->tx_stats.syncp);
		nc->tx_stats.packets += t->frames;
		nc->tx_stats.bytes += t->len;
		u64_stats_update_end(&nc->tx_stats.syncp);
	}
	clear_bit(slot, nc->tx_map);
}

/* Per-packet info for @skb; may fall back to a software checksum. */
static int nvc_tx_info(struct sk_buff *skb, struct ohv_rndis_pkt_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	if (skb_vlan_tag_present(skb)) {
		u16 tci = skb_vlan_tag_get(skb);

		pi->flags |= OHV_PI_VLAN;
		pi->vlan = (tci >> VLAN_PRIO_SHIFT) |
			   ((tci & VLAN_VID_MASK) << OHV_8021Q_VID_SHIFT);
	}
	if (skb_is_gso(skb)) {
		bool v6 = skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6;

		pi->flags |= OHV_PI_LSO;
		pi->lso = skb_shinfo(skb)->gso_size |
			  (skb_transport_offset(skb) << OHV_LSO_TCP_OFF_SHIFT) |
			  OHV_LSO_V2 | (v6 ? OHV_LSO_IPV6 : 0);
		return 0;
	}
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	if (skb->protocol == htons(ETH_P_IP))
		pi->csum = OHV_CSUM_TX_IPV4;
	else if (skb->protocol == htons(ETH_P_IPV6))
		pi->csum = OHV_CSUM_TX_IPV6;
	if (pi->csum && skb->csum_offset == offsetof(struct tcphdr, check))
		pi->csum |= OHV_CSUM_TX_TCP;
	else if (pi->csum && skb->csum_offset == offsetof(struct udphdr, check))
		pi->csum |= OHV_CSUM_TX_UDP;
	else
		return skb_checksum_help(skb);
	pi->csum |= skb_transport_offset(skb) << OHV_CSUM_TX_TCP_OFF_SHIFT;
	pi->flags |= OHV_PI_CSUM;
	return 0;
}

/* Page ranges of @len bytes at @va in the linear map. */
static void nvc_range(struct ohv_pkt_range *r, u64 *pfns, void *va, u32 len)
{
	u64 pfn = PHYS_PFN(virt_to_phys(va));
	u32 i;

	r->byte_offset = offset_in_page(va);
	r->byte_count = len;
	r->pfn_count = DIV_ROUND_UP(r->byte_offset + len, PAGE_SIZE);
	for (i = 0; i < r->pfn_count; i++)
		pfns[i] = pfn + i;
	r->pfns = pfns;
}

static int nvc_send_gpa(struct nvc_chan *nc, struct sk_buff *skb, u32 slot,
			const struct ohv_rndis_pkt_info *pi)
{
	struct ohv_pkt_range r[OHV_MAX_PAGE_BUFFER_COUNT];
	u64 pfns[OHV_NET_MAX_GPA_PFNS];
	struct ohv_nvsp_rndis_pkt m = {
		.type = OHV_NVSP1_SEND_RNDIS_PKT,
		.channel_type = OHV_NVSP_CHANNEL_DATA,
		.section_index = OHV_NVSP_NO_SECTION,
	};
	u8 *hdr = page_address(nc->hdr_pages[slot * NVC_HDR_SLOT / PAGE_SIZE]) +
		  (slot * NVC_HDR_SLOT) % PAGE_SIZE;
	u32 n = 0, used = 0, hlen, i;

	hlen = ohv_rndis_build_packet(hdr, NVC_HDR_SLOT, skb->len, pi);
	nvc_range(&r[n], pfns, hdr, hlen);
	used += r[n++].pfn_count;
	if (skb_headlen(skb)) {
		nvc_range(&r[n], pfns + used, skb->data, skb_headlen(skb));
		used += r[n++].pfn_count;
	}
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];
		u32 off = skb_frag_off(f), len = skb_frag_size(f);
		u64 pfn = page_to_pfn(skb_frag_page(f)) + off / PAGE_SIZE;
		u32 j;

		off %= PAGE_SIZE;
		r[n].byte_offset = off;
		r[n].byte_count = len;
		r[n].pfn_count = DIV_ROUND_UP(off + len, PAGE_SIZE);
		if (used + r[n].pfn_count > ARRAY_SIZE(pfns))
			return -EMSGSIZE;
		for (j = 0; j < r[n].pfn_count; j++)
			pfns[used + j] = pfn + j;
		r[n].pfns = pfns + used;
		used += r[n++].pfn_count;
	}
	return ohv_chan_send_gpa(nc->chan, r, n, &m, sizeof(m),
				 NVC_TID_TX + slot);
}

/*
 * Sends the open section (the queue's lock held). Return: 0 if sent or none
 * was open; -EAGAIN if the ring had no room (it stays open, complete);
 * another error if the channel is going away (its frames are dropped).
 */
static int nvc_pack_send(struct nvc_chan *nc)
{
	struct nvc_pack *p = &nc->pack;
	struct ohv_nvsp_rndis_pkt m = {
		.type = OHV_NVSP1_SEND_RNDIS_PKT,
		.channel_type = OHV_NVSP_CHANNEL_DATA,
		.section_index = p->sec,
		.section_size = p->used,
	};
	int slot = p->slot, ret;

	if (slot < 0)
		return 0;
	/* Before the host can complete it (the send publishes with release). */
	WRITE_ONCE(p->slot, -1);
	ret = ohv_chan_send(nc->chan, &m, sizeof(m), NVC_TID_TX + slot,
			    OHV_VMPKT_DATA_INBAND,
			    OHV_VMPKT_FLAG_COMPLETION_REQUESTED);
	if (ret == -EAGAIN) {
		WRITE_ONCE(p->slot, slot);
		return ret;
	}
	if (ret) {
		nc->nd->ndev->stats.tx_dropped += p->n;
		nvc_tx_release(nc, slot, false);
	}
	WRITE_ONCE(nc->pack_stuck, false);
	return ret;
}

/* NAPI: a guest completion made room for a section that is complete. */
static void nvc_pack_retry(struct nvc_chan *nc)
{
	struct netdev_queue *txq;

	if (!READ_ONCE(nc->pack_stuck))
		return;
	txq = netdev_get_tx_queue(nc->nd->ndev, nc->idx);
	__netif_tx_lock(txq, smp_processor_id());
	nvc_pack_send(nc);
	__netif_tx_unlock(txq);
}

/*
 * Copies @skb, its RNDIS header first, into the channel's open section,
 * behind the frames there (each message padded to the host's alignment),
 * or into a new section. The section goes to the host unless @more frames
 * follow and it may take another.
 * Return: 0 if the frame was taken (the skb is consumed); -ENOSPC if no
 * section was free (send it as pages); -EAGAIN if there was no room for it
 * (slots or ring: the frame is not in the section); another error if the
 * channel is going away.
 */
static int nvc_pack(struct nvc_chan *nc, struct sk_buff *skb,
		    const struct ohv_rndis_pkt_info *pi, bool more)
{
	u32 max = clamp(min(nc->nd->max_pkt, READ_ONCE(tx_pack)), 1U,
			(u32)NVC_PACK_MAX);
	struct nvc_dev *nd = nc->nd;
	struct nvc_pack *p = &nc->pack, old = *p;
	struct ohv_rndis_hdr *prev = NULL;
	u32 off = 0, hlen;
	int slot, sec, ret;
	bool packed;
	u8 *base;

	if (p->slot >= 0) {
		off = ALIGN(p->used, nd->pkt_align);
		if (p->n >= max || off > nd->section_size ||
		    nd->section_size - off < OHV_NET_MAX_RNDIS_HDR + skb->len) {
			ret = nvc_pack_send(nc);
			if (ret)
				return ret;
			off = 0;
		}
	}
	if (p->slot < 0) {
		slot = nvc_slot_get(nc);
		if (slot < 0)
			return -EAGAIN;
		sec = nvc_section_get(nd);
		if (sec < 0) {
			clear_bit(slot, nc->tx_map);
			return -ENOSPC;
		}
		nc->tx[slot] = (struct nvc_tx){ .section = sec };
		p->sec = sec;
		p->used = 0;
		p->n = 0;
		/* Last: NAPI reads it (nvc_comp()). */
		WRITE_ONCE(p->slot, slot);
		old = *p;
	}
	base = nd->sbuf + (size_t)p->sec * nd->section_size;
	if (p->n) {
		/* The padding belongs to the message before. */
		prev = (struct ohv_rndis_hdr *)(base + p->last);
		memset(base + p->used, 0, off - p->used);
		prev->len = p->last_len + off - p->used;
	}
	hlen = ohv_rndis_build_packet(base + off, nd->section_size - off,
				      skb->len, pi);
	skb_copy_bits(skb, 0, base + off + hlen, skb->len);
	p->last = off;
	p->last_len = hlen + skb->len;
	p->used = off + p->last_len;
	packed = ++p->n > 1;
	nc->tx[p->slot].len += skb->len;
	nc->tx[p->slot].frames++;
	if (!more || p->n >= max) {
		ret = nvc_pack_send(nc);
		if (ret == -EAGAIN) {
			/* Take the frame out again: the stack will retry it. */
			nc->tx[old.slot].len -= skb->len;
			nc->tx[old.slot].frames--;
			if (prev)
				prev->len = old.last_len;
			p->used = old.used;
			p->last = old.last;
			p->last_len = old.last_len;
			p->n = old.n;
			if (!old.n) {
				nvc_tx_release(nc, old.slot, false);
				WRITE_ONCE(p->slot, -1);
			}
			return ret;
		}
		/* On another error the frame was counted with its section. */
	}
	nc->tx_copy++;
	nc->tx_packed += packed;
	dev_consume_skb_any(skb);
	return 0;
}

static netdev_tx_t nvc_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct nvc_dev *nd = nvc_of(ndev);
	u16 q = skb_get_queue_mapping(skb);
	bool more = netdev_xmit_more();
	struct ohv_rndis_pkt_info pi;
	struct netdev_queue *txq;
	struct nvc_chan *nc;
	int slot, ret;

	/* Called under rcu_read_lock_bh(): channels are freed after a GP. */
	nc = q < NVC_MAX_QUEUES ? rcu_dereference_bh(nd->chans[q]) : NULL;
	txq = netdev_get_tx_queue(ndev, q);
	if (!nc || nvc_tx_info(skb, &pi))
		goto drop;
	if (skb_shinfo(skb)->nr_frags + 2 > OHV_MAX_PAGE_BUFFER_COUNT &&
	    skb_linearize(skb))
		goto drop;
	if (skb->len + OHV_NET_MAX_RNDIS_HDR <= nd->section_size) {
		ret = nvc_pack(nc, skb, &pi, more);
		if (ret != -ENOSPC)
			goto sent;
	}
	/* A frame sent as pages: what was packed before it goes first. */
	ret = nvc_pack_send(nc);
	if (ret)
		goto sent;
	slot = nvc_slot_get(nc);
	if (slot < 0)
		goto busy;
	nc->tx[slot] = (struct nvc_tx){
		.skb = skb,
		.section = OHV_NVSP_NO_SECTION,
		.len = skb->len,
		.frames = 1,
	};
	ret = nvc_send_gpa(nc, skb, slot, &pi);
	if (!ret) {
		nc->tx_gpa++;
		return NETDEV_TX_OK;
	}
	nc->tx[slot].skb = NULL;
	nvc_tx_release(nc, slot, false);
sent:
	if (ret == -EAGAIN)
		goto busy;
	if (ret)
		goto drop;
	return NETDEV_TX_OK;
busy:
	netif_tx_stop_queue(txq);
	nc->tx_busy++;
	/* A completion may have raced past the stop. */
	smp_mb();
	if (find_first_zero_bit(nc->tx_map, NVC_TX_SLOTS) < NVC_TX_SLOTS &&
	    ohv_chan_can_send(nc->chan, 1024))
		netif_tx_wake_queue(txq);
	return NETDEV_TX_BUSY;
drop:
	/*
	 * The last frame of a burst sends the open section; a dropped one
	 * did not. If the ring has no room, NAPI sends it after completions.
	 */
	if (nc && !more && nvc_pack_send(nc) == -EAGAIN)
		WRITE_ONCE(nc->pack_stuck, true);
	ndev->stats.tx_dropped++;
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* ---------------------------------------------------------------------- */
/* Receive                                                                */
/* ---------------------------------------------------------------------- */

static void nvc_rndis_ctrl_in(struct nvc_chan *nc, const u8 *msg, u32 len)
{
	struct nvc_dev *nd = nc->nd;
	struct ohv_rndis_ctrl c;

	if (ohv_rndis_parse_ctrl(msg, len, &c, &nc->bad))
		return;
	if (!(c.type & OHV_RNDIS_MSG_COMPLETION)) {
		if (c.type != OHV_RNDIS_MSG_INDICATE) {
			nc->bad.rndis++;
			return;
		}
		if (c.status == OHV_RNDIS_STATUS_MEDIA_CONNECT) {
			nd->link_up = true;
			netif_carrier_on(nd->ndev);
		} else if (c.status == OHV_RNDIS_STATUS_MEDIA_DISCONNECT) {
			nd->link_up = false;
			netif_carrier_off(nd->ndev);
		}
		return;
	}
	if (c.type != (OHV_RNDIS_MSG_RESET | OHV_RNDIS_MSG_COMPLETION) &&
	    c.req_id != READ_ONCE(nd->rndis_id)) {
		nc->bad.trans_id++;
		return;
	}
	memcpy(nd->rndis_resp, msg, len);
	nd->rndis_resp_len = len;
	WRITE_ONCE(nd->rndis_id, 0);
	complete(&nd->ctrl_done);
}

/*
 * A copy of a received frame: small ones in the head, large ones (jumbo,
 * host-coalesced TCP segments) in pages behind a short head.
 */
static struct sk_buff *nvc_rx_skb(struct nvc_chan *nc, const u8 *data,
				  u32 len)
{
	u32 head = len <= NVC_RX_LINEAR ? len : NVC_RX_HEAD, off, n, order;
	struct sk_buff *skb;
	struct page *pg;

	skb = napi_alloc_skb(&nc->napi, head);
	if (!skb)
		return NULL;
	skb_put_data(skb, data, head);
	for (off = head; off < len; off += n) {
		/*
		 * Blocks of up to 2^NVC_RX_ORDER pages, a quarter of each at
		 * most unused: a 64 KiB coalesced frame is then two
		 * allocations and two fragments, not sixteen.
		 */
		order = min_t(u32, get_order(len - off), NVC_RX_ORDER);
		while (order && (PAGE_SIZE << order) -
				min_t(u32, len - off, PAGE_SIZE << order) >
				(PAGE_SIZE << order) / 4)
			order--;
		pg = NULL;
		if (order)
			pg = alloc_pages(GFP_ATOMIC | __GFP_COMP | __GFP_NOWARN |
					 __GFP_NORETRY, order);
		if (!pg) {
			order = 0;
			pg = dev_alloc_page();
		}
		n = min_t(u32, len - off, PAGE_SIZE << order);
		if (!pg || skb_shinfo(skb)->nr_frags >= MAX_SKB_FRAGS) {
			if (pg)
				__free_pages(pg, order);
			kfree_skb(skb);
			return NULL;
		}
		memcpy(page_address(pg), data + off, n);
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, pg, 0, n,
				PAGE_SIZE << order);
	}
	return skb;
}

/*
 * A frame longer than the MTU is TCP segments the host coalesced (RSC).
 * It is marked GSO with the segment size a sender on this MTU would use,
 * so the stack counts it as the segments it stands for (TCP's receive-MSS
 * estimate and ACK pacing; forwarding segments it again). Its contents
 * are untrusted, hence SKB_GSO_DODGY: GRO leaves it alone, and a
 * forwarding path checks it before segmenting.
 */
static void nvc_rx_gso(struct sk_buff *skb, unsigned int mtu)
{
	const struct tcphdr *th;
	unsigned int hl, thl, type;

	if (skb->len <= mtu || skb->ip_summed != CHECKSUM_UNNECESSARY)
		return;
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return;
		iph = (const struct iphdr *)skb->data;
		if (iph->protocol != IPPROTO_TCP || iph->ihl < 5)
			return;
		hl = iph->ihl * 4;
		type = SKB_GSO_TCPV4;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)) ||
		    ipv6_hdr(skb)->nexthdr != IPPROTO_TCP)
			return;
		hl = sizeof(struct ipv6hdr);
		type = SKB_GSO_TCPV6;
	} else {
		return;
	}
	if (!pskb_may_pull(skb, hl + sizeof(*th)))
		return;
	th = (const struct tcphdr *)(skb->data + hl);
	thl = th->doff * 4;
	if (thl < sizeof(*th) || mtu <= hl + thl + 64 ||
	    skb->len <= hl + thl)
		return;
	skb_shinfo(skb)->gso_size = mtu - hl - thl;
	skb_shinfo(skb)->gso_type = type | SKB_GSO_DODGY;
	skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(skb->len - hl - thl,
						 mtu - hl - thl);
}

static void nvc_rx_one(struct nvc_chan *nc, const u8 *src, u32 len)
{
	struct net_device *ndev = nc->nd->ndev;
	u8 hdr[OHV_NET_MAX_RNDIS_HDR];
	struct ohv_rndis_pkt_info pi;
	u32 n = min_t(u32, len, sizeof(hdr)), type;
	struct sk_buff *skb;

	memcpy(hdr, src, n);
	if (n < sizeof(struct ohv_rndis_hdr)) {
		nc->bad.rndis++;
		return;
	}
	memcpy(&type, hdr, sizeof(type));
	if (type != OHV_RNDIS_MSG_PACKET) {
		u8 *buf = kmalloc(512, GFP_ATOMIC);

		if (!buf)
			return;
		n = min_t(u32, len, 512);
		memcpy(buf, src, n);
		nvc_rndis_ctrl_in(nc, buf, n);
		kfree(buf);
		return;
	}
	if (ohv_rndis_parse_packet(hdr, n, len, &pi, &nc->bad))
		return;
	if (pi.data_len > ((ndev->features & NETIF_F_LRO) ? NVC_RX_MAX :
			   NVC_MAX_MTU + VLAN_ETH_HLEN)) {
		nc->bad.rndis++;
		return;
	}
	skb = nvc_rx_skb(nc, src + pi.data_off, pi.data_len);
	if (!skb) {
		ndev->stats.rx_dropped++;
		return;
	}
	skb->protocol = eth_type_trans(skb, ndev);
	if ((pi.flags & OHV_PI_CSUM) && (ndev->features & NETIF_F_RXCSUM) &&
	    (pi.csum & (OHV_CSUM_RX_TCP_OK | OHV_CSUM_RX_UDP_OK)) &&
	    !(pi.csum & (OHV_CSUM_RX_TCP_FAILED | OHV_CSUM_RX_UDP_FAILED |
			 OHV_CSUM_RX_IP_FAILED))) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		nc->rx_csum_ok++;
	}
	if ((pi.flags & OHV_PI_VLAN) &&
	    (ndev->features & NETIF_F_HW_VLAN_CTAG_RX)) {
		u16 vid = (pi.vlan >> OHV_8021Q_VID_SHIFT) & OHV_8021Q_VID_MASK;
		u16 pri = pi.vlan & OHV_8021Q_PRI_MASK;

		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q),
				       vid | (pri << VLAN_PRIO_SHIFT));
	}
	if ((pi.flags & OHV_PI_HASH) && (ndev->features & NETIF_F_RXHASH))
		skb_set_hash(skb, pi.hash, PKT_HASH_TYPE_L4);
	nvc_rx_gso(skb, ndev->mtu);
	skb_record_rx_queue(skb, nc->idx);
	u64_stats_update_begin(&nc->rx.syncp);
	nc->rx.packets++;
	nc->rx.bytes += pi.data_len;
	u64_stats_update_end(&nc->rx.syncp);
	if (pi.data_len >= OHV_NET_MOD_BULK_LEN)
		nc->bulk = true;
	napi_gro_receive(&nc->napi, skb);
}

static bool nvc_send_comp(struct nvc_chan *nc, u64 tid)
{
	struct ohv_nvsp_rndis_pkt_complete c = {
		.type = OHV_NVSP1_SEND_RNDIS_PKT_COMPLETE,
		.status = OHV_NVSP_STAT_SUCCESS,
	};

	/* Published once per poll, by ohv_chan_flush() in nvc_poll(). */
	return !ohv_chan_queue(nc->chan, &c, sizeof(c), tid, OHV_VMPKT_COMP, 0);
}

static void nvc_flush_comps(struct nvc_chan *nc)
{
	while (nc->comp_head != nc->comp_tail) {
		if (!nvc_send_comp(nc, nc->comp[nc->comp_head % NVC_COMP_RING]))
			return;
		nc->comp_head++;
	}
}

/*
 * A transfer-page packet: the frames in its ranges (the parser allows no
 * fewer than one). Return: how many frames it carried (1 for a bad
 * packet), which is what NAPI's budget counts.
 */
static int nvc_xfer(struct nvc_chan *nc, u32 pktlen)
{
	const struct ohv_vmpacket_desc *d = (const void *)nc->pkt;
	struct nvc_dev *nd = nc->nd;
	struct ohv_net_xfer x;
	struct ohv_nvsp_msg m;
	u32 i, n = 1;

	if (ohv_nvsp_parse_xfer(nc->pkt, pktlen, NVC_RECV_BUF, &x, &nc->bad) ||
	    ohv_nvsp_parse(x.payload, x.payload_len, &m, &nc->bad))
		goto complete;
	if (m.hdr.type != OHV_NVSP1_SEND_RNDIS_PKT ||
	    x.pageset != OHV_NVSP_RECV_BUF_ID) {
		nc->bad.nvsp++;
		goto complete;
	}
	for (i = 0; i < x.nr; i++)
		nvc_rx_one(nc, nd->rbuf + x.ranges[i].byte_offset,
			   x.ranges[i].byte_count);
	n = x.nr;
complete:
	/* Complete even bad packets: the host must get its buffer back. */
	if (nc->comp_head != nc->comp_tail || !nvc_send_comp(nc, d->trans_id)) {
		if (nc->comp_tail - nc->comp_head < NVC_COMP_RING)
			nc->comp[nc->comp_tail++ % NVC_COMP_RING] = d->trans_id;
	}
	return n;
}

static void nvc_comp(struct nvc_chan *nc, u32 pktlen)
{
	const struct ohv_vmpacket_desc *d = (const void *)nc->pkt;
	struct nvc_dev *nd = nc->nd;
	struct ohv_nvsp_msg m;
	u64 slot;

	if (ohv_nvsp_parse(ohv_vmpacket_payload(nc->pkt),
			   ohv_vmpacket_payload_len(nc->pkt), &m, &nc->bad))
		return;
	if (m.hdr.type == OHV_NVSP1_SEND_RNDIS_PKT_COMPLETE) {
		if (d->trans_id == NVC_TID_RNDIS)
			return;
		slot = d->trans_id - NVC_TID_TX;
		if (d->trans_id < NVC_TID_TX || slot >= NVC_TX_SLOTS ||
		    !test_bit(slot, nc->tx_map) ||
		    (int)slot == READ_ONCE(nc->pack.slot)) {
			nc->bad.trans_id++;
			return;
		}
		if (nc->tx[slot].skb)
			nc->bulk = true;
		nvc_tx_release(nc, slot, true);
		if (netif_tx_queue_stopped(netdev_get_tx_queue(nd->ndev,
							       nc->idx)))
			netif_tx_wake_queue(netdev_get_tx_queue(nd->ndev,
								nc->idx));
		return;
	}
	if (d->trans_id != NVC_TID_NVSP || nc->idx || completion_done(&nd->ctrl_done)) {
		nc->bad.trans_id++;
		return;
	}
	nd->ctrl_resp = m;
	complete(&nd->ctrl_done);
}

static void nvc_inband(struct nvc_chan *nc, u32 pktlen)
{
	const u8 *pl = ohv_vmpacket_payload(nc->pkt);
	u32 plen = ohv_vmpacket_payload_len(nc->pkt);
	struct ohv_nvsp_msg m;
	u32 i, off, v;

	if (ohv_nvsp_parse(pl, plen, &m, &nc->bad))
		return;
	if (m.hdr.type != OHV_NVSP5_SEND_INDIRECTION_TABLE) {
		nc->bad.state++;
		return;
	}
	off = m.send_table.offset;
	if (m.send_table.count != OHV_NVSP_SEND_TABLE_SIZE || off > plen ||
	    plen - off < OHV_NVSP_SEND_TABLE_SIZE * sizeof(u32)) {
		nc->bad.nvsp++;
		return;
	}
	for (i = 0; i < OHV_NVSP_SEND_TABLE_SIZE; i++) {
		memcpy(&v, pl + off + i * sizeof(u32), sizeof(u32));
		WRITE_ONCE(nc->nd->send_table[i], v);
	}
	WRITE_ONCE(nc->nd->send_table_ok, true);
}

static int nvc_poll(struct napi_struct *napi, int budget)
{
	struct nvc_chan *nc = container_of(napi, struct nvc_chan, napi);
	const struct ohv_vmpacket_desc *d = (const void *)nc->pkt;
	int done = 0, moderate, ret, n;
	u32 pktlen;

	nvc_flush_comps(nc);
	while (done < budget) {
		ret = ohv_chan_recv(nc->chan, nc->pkt, NVC_PKT_BUF, &pktlen);
		if (ret == -ENOBUFS) {
			nc->bad.nvsp++;
			break;
		}
		if (ret)
			break;
		if (d->offset8 > d->len8 || d->offset8 * 8 > pktlen) {
			nc->bad.nvsp++;
			continue;
		}
		n = 1;
		switch (d->type) {
		case OHV_VMPKT_DATA_USING_XFER_PAGES:
			/* A host may batch frames: the budget counts each. */
			n = nvc_xfer(nc, pktlen);
			break;
		case OHV_VMPKT_COMP:
			nvc_comp(nc, pktlen);
			break;
		case OHV_VMPKT_DATA_INBAND:
			nvc_inband(nc, pktlen);
			break;
		default:
			nc->bad.nvsp++;
			break;
		}
		done += n;
	}
	nvc_flush_comps(nc);
	nvc_pack_retry(nc);
	/* The host sees this poll's completions at once: one signal at most. */
	ohv_chan_flush(nc->chan);
	/*
	 * Moderation (see nvc_probe()) leaves the ring to the timer. A poll
	 * that completed frames sent as GPA pages (TSO, jumbo) or took a
	 * large frame reports no work, so it starts no round of timer polls:
	 * TCP's small-queue limit waits for those completions, and a bulk
	 * stream's ACKs clock its sender, so the timer would pace it; for the
	 * same reason it ends a round an earlier poll began.
	 */
	moderate = ohv_net_mod_work(napi, done, nc->bulk);
	if (nc->bulk && done < budget)
		nc->bulk_polls++;
	nc->bulk = false;
	if (done < budget && napi_complete_done(napi, moderate) &&
	    !ohv_chan_rx_unmask(nc->chan) &&
	    napi_schedule_prep(napi)) {
		ohv_chan_rx_mask(nc->chan);
		__napi_schedule(napi);
	}
	return min(done, budget);
}

static void nvc_chan_cb(struct ohv_channel *chan, void *ctx)
{
	struct nvc_chan *nc = ctx;

	if (napi_schedule_prep(&nc->napi)) {
		ohv_chan_rx_mask(chan);
		__napi_schedule(&nc->napi);
	}
}

/* ---------------------------------------------------------------------- */
/* Channels                                                               */
/* ---------------------------------------------------------------------- */

static void nvc_chan_free(struct nvc_chan *nc)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nc->hdr_pages); i++)
		if (nc->hdr_pages[i])
			__free_page(nc->hdr_pages[i]);
	kfree(nc->comp);
	kfree(nc->pkt);
	kfree(nc);
}

static struct nvc_chan *nvc_chan_alloc(struct nvc_dev *nd,
				       struct ohv_channel *chan)
{
	struct nvc_chan *nc;
	unsigned int i;

	nc = kzalloc(sizeof(*nc), GFP_KERNEL);
	if (!nc)
		return NULL;
	nc->pkt = kmalloc(NVC_PKT_BUF, GFP_KERNEL);
	nc->comp = kcalloc(NVC_COMP_RING, sizeof(u64), GFP_KERNEL);
	if (!nc->pkt || !nc->comp)
		goto fail;
	for (i = 0; i < ARRAY_SIZE(nc->hdr_pages); i++) {
		nc->hdr_pages[i] = alloc_page(GFP_KERNEL);
		if (!nc->hdr_pages[i])
			goto fail;
	}
	nc->nd = nd;
	nc->chan = chan;
	nc->idx = ohv_chan_subchannel_index(chan);
	nc->pack.slot = -1;
	u64_stats_init(&nc->rx.syncp);
	u64_stats_init(&nc->tx_stats.syncp);
	netif_napi_add(nd->ndev, &nc->napi, nvc_poll);
	napi_enable(&nc->napi);
	return nc;
fail:
	nvc_chan_free(nc);
	return NULL;
}

static int nvc_chan_open(struct nvc_dev *nd, struct ohv_channel *chan)
{
	u32 ring = clamp(ring_kb, 16U, 16384U) * 1024;
	struct ohv_chan_open_params p = {
		.send_ring_bytes = ring,
		.recv_ring_bytes = ring,
		.callback = nvc_chan_cb,
		.cb_mode = OHV_CB_DIRECT,
	};
	struct nvc_chan *nc;
	int ret;

	nc = nvc_chan_alloc(nd, chan);
	if (!nc)
		return -ENOMEM;
	if (nc->idx >= NVC_MAX_QUEUES) {
		ret = -EINVAL;
		goto fail;
	}
	p.cb_ctx = nc;
	ret = ohv_chan_open(chan, &p);
	if (ret)
		goto fail;
	if (!nc->idx)
		nd->prim = nc;
	rcu_assign_pointer(nd->chans[nc->idx], nc);
	atomic_inc(&nd->nr_open);
	return 0;
fail:
	napi_disable(&nc->napi);
	netif_napi_del(&nc->napi);
	nvc_chan_free(nc);
	return ret;
}

/*
 * Adds a channel's counters to @g: the device totals when the channel goes
 * away, or a sum for ethtool -S.
 */
static void nvc_counters_add(struct nvc_gone *g, const struct nvc_chan *nc)
{
	g->rx_packets += nc->rx.packets;
	g->rx_bytes += nc->rx.bytes;
	g->tx_packets += nc->tx_stats.packets;
	g->tx_bytes += nc->tx_stats.bytes;
	g->tx_gpa += nc->tx_gpa;
	g->tx_copy += nc->tx_copy;
	g->tx_packed += nc->tx_packed;
	g->tx_busy += nc->tx_busy;
	g->rx_csum_ok += nc->rx_csum_ok;
	g->bulk_polls += nc->bulk_polls;
	g->bad.nvsp += nc->bad.nvsp;
	g->bad.rndis += nc->bad.rndis;
	g->bad.ppi += nc->bad.ppi;
	g->bad.range += nc->bad.range;
	g->bad.trans_id += nc->bad.trans_id;
	g->bad.state += nc->bad.state;
}

/*
 * After the channel is closed: the host no longer reads our buffers and
 * nothing completes any more, so outstanding transmits are dropped here.
 */
static void nvc_chan_teardown(struct nvc_chan *nc)
{
	u32 slot;

	napi_disable(&nc->napi);
	netif_napi_del(&nc->napi);
	for_each_set_bit(slot, nc->tx_map, NVC_TX_SLOTS)
		nvc_tx_release(nc, slot, false);
	nvc_chan_free(nc);
}

/*
 * Close queue @idx's channel and free its queue; chan_lock held. The
 * stack no longer transmits on it (real_num_tx_queues is at most @idx, or
 * the device is unregistered).
 */
static void nvc_chan_close(struct nvc_dev *nd, u32 idx)
{
	struct nvc_chan *nc;

	nc = rcu_dereference_protected(nd->chans[idx],
				       lockdep_is_held(&nd->chan_lock));
	if (!nc)
		return;
	RCU_INIT_POINTER(nd->chans[idx], NULL);
	if (!idx)
		nd->prim = NULL;
	/* No transmit or statistics reader still looks at @nc. */
	synchronize_net();
	/* A primary's sub-channels are closed first. */
	ohv_chan_close(nc->chan);
	nvc_counters_add(&nd->gone, nc);
	nvc_chan_teardown(nc);
	atomic_dec(&nd->nr_open);
}

static void nvc_subchannel(struct ohv_channel *primary, struct ohv_channel *sub)
{
	struct ohv_device *odev = ohv_chan_get_drvdata(primary);
	struct nvc_dev *nd = dev_get_drvdata(&odev->dev);
	u16 idx = ohv_chan_subchannel_index(sub);

	mutex_lock(&nd->chan_lock);
	if (nd->removing || !idx || idx >= NVC_MAX_QUEUES ||
	    idx > nd->nr_subs || nd->subch[idx])
		goto out;
	/* Held until remove(): ethtool -L may close and reopen it. */
	ohv_chan_get(sub);
	WRITE_ONCE(nd->subch[idx], sub);
	if (idx < nd->want && nvc_chan_open(nd, sub))
		dev_warn(&odev->dev, "sub-channel %u did not open\n", idx);
out:
	mutex_unlock(&nd->chan_lock);
	wake_up(&nd->sub_wait);
}

/* ---------------------------------------------------------------------- */
/* Control                                                                */
/* ---------------------------------------------------------------------- */

/* Send an NVSP request on the primary; wait for its answer if @resp. */
static int nvc_nvsp(struct nvc_dev *nd, const struct ohv_nvsp_msg *req,
		    u32 want)
{
	struct ohv_channel *chan = nd->prim->chan;
	int ret;

	reinit_completion(&nd->ctrl_done);
	ret = ohv_chan_send_wait(chan, req, sizeof(*req), NVC_TID_NVSP,
				 OHV_VMPKT_DATA_INBAND,
				 want ? OHV_VMPKT_FLAG_COMPLETION_REQUESTED : 0);
	if (ret || !want)
		return ret;
	if (!wait_for_completion_timeout(&nd->ctrl_done, NVC_CTRL_TIMEOUT))
		return -ETIMEDOUT;
	if (nd->ctrl_resp.hdr.type != want)
		return -EPROTO;
	return 0;
}

/*
 * One RNDIS request/answer. @body (@len bytes) follows the header; the
 * answer is left in nd->rndis_resp. Caller holds ctrl_lock.
 */
static int nvc_rndis(struct nvc_dev *nd, u32 type, const void *body, u32 len,
		     struct ohv_rndis_ctrl *c)
{
	struct ohv_nvsp_rndis_pkt m = {
		.type = OHV_NVSP1_SEND_RNDIS_PKT,
		.channel_type = OHV_NVSP_CHANNEL_CONTROL,
		.section_index = OHV_NVSP_NO_SECTION,
	};
	struct ohv_rndis_hdr h = { .type = type, .len = sizeof(h) + len };
	struct ohv_pkt_range r;
	u64 pfn;
	u32 id;
	int ret;

	if (sizeof(h) + len > NVC_RNDIS_REQ_MAX)
		return -EINVAL;
	memcpy(nd->rndis_req, &h, sizeof(h));
	memcpy(nd->rndis_req + sizeof(h), body, len);
	/* Every request body starts with its request id. */
	memcpy(&id, body, sizeof(id));
	reinit_completion(&nd->ctrl_done);
	WRITE_ONCE(nd->rndis_id, id);
	nvc_range(&r, &pfn, nd->rndis_req, sizeof(h) + len);
	ret = ohv_chan_send_gpa(nd->prim->chan, &r, 1, &m, sizeof(m),
				NVC_TID_RNDIS);
	if (ret)
		return ret;
	if (type == OHV_RNDIS_MSG_HALT)
		return 0;
	if (!wait_for_completion_timeout(&nd->ctrl_done, NVC_CTRL_TIMEOUT))
		return -ETIMEDOUT;
	return ohv_rndis_parse_ctrl(nd->rndis_resp, nd->rndis_resp_len, c,
				    &nd->prim->bad);
}

static int nvc_query(struct nvc_dev *nd, u32 oid, void *out, u32 *len)
{
	static atomic_t ids = ATOMIC_INIT(100);
	struct ohv_rndis_query_req q = {
		.req_id = atomic_inc_return(&ids),
		.oid = oid,
	};
	struct ohv_rndis_ctrl c;
	int ret;

	mutex_lock(&nd->ctrl_lock);
	ret = nvc_rndis(nd, OHV_RNDIS_MSG_QUERY, &q, sizeof(q), &c);
	if (!ret && c.status != OHV_RNDIS_STATUS_SUCCESS)
		ret = -EOPNOTSUPP;
	if (!ret) {
		*len = min(*len, c.info_len);
		memcpy(out, nd->rndis_resp + c.info_off, *len);
	}
	mutex_unlock(&nd->ctrl_lock);
	return ret;
}

static int nvc_set(struct nvc_dev *nd, u32 oid, const void *in, u32 len)
{
	static atomic_t ids = ATOMIC_INIT(1000000);
	struct ohv_rndis_query_req q = {
		.req_id = atomic_inc_return(&ids),
		.oid = oid,
		.info_len = len,
		.info_offset = sizeof(q),
	};
	struct ohv_rndis_ctrl c;
	u8 *s;
	int ret;

	if (len > NVC_RNDIS_REQ_MAX - sizeof(struct ohv_rndis_hdr) - sizeof(q))
		return -EINVAL;
	s = kmalloc(sizeof(q) + len, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	memcpy(s, &q, sizeof(q));
	memcpy(s + sizeof(q), in, len);
	mutex_lock(&nd->ctrl_lock);
	ret = nvc_rndis(nd, OHV_RNDIS_MSG_SET, s, sizeof(q) + len, &c);
	if (!ret && c.status != OHV_RNDIS_STATUS_SUCCESS)
		ret = -EIO;
	mutex_unlock(&nd->ctrl_lock);
	kfree(s);
	return ret;
}

/* Tell the host our RSS indirection table (rss_tab). */
static int nvc_send_rss(struct nvc_dev *nd)
{
	u8 buf[sizeof(struct ohv_ndis_rss_params) + NVC_RSS_ENTRIES * 4 +
	       OHV_NDIS_RSS_KEY_MAX];
	u32 len = ohv_rss_build(buf, sizeof(buf), nd->rss_tab,
				NVC_RSS_ENTRIES, nd->rss_key);

	return len ? nvc_set(nd, OHV_OID_GEN_RSS_PARAMETERS, buf, len) :
		     -EINVAL;
}

/* The default table over @n channels; sent to the host. */
static int nvc_rss_default(struct nvc_dev *nd, u32 n)
{
	u32 i;

	for (i = 0; i < NVC_RSS_ENTRIES; i++)
		nd->rss_tab[i] = ethtool_rxfh_indir_default(i, n);
	return nvc_send_rss(nd);
}

/* @rsc: take host-coalesced TCP segments (NETIF_F_LRO). */
static int nvc_set_offload(struct nvc_dev *nd, bool rxcsum, bool rsc)
{
	u8 csum = rxcsum ? OHV_NDIS_OFFLOAD_TXRX : OHV_NDIS_OFFLOAD_TX_ONLY;
	u8 r = rsc ? OHV_NDIS_RSC_ENABLED : OHV_NDIS_RSC_DISABLED;
	struct ohv_ndis_offload_params p = {
		.hdr.type = OHV_NDIS_OBJ_DEFAULT,
		.hdr.revision = OHV_NDIS_OFFLOAD_PARAMS_REVISION_3,
		.hdr.size = offsetof(struct ohv_ndis_offload_params,
				     encap_task),
		.rsc_ip4 = r,
		.rsc_ip6 = r,
		.ip4_csum = csum,
		.tcp4_csum = csum,
		.udp4_csum = csum,
		.tcp6_csum = csum,
		.udp6_csum = csum,
		.lsov2_ip4 = OHV_NDIS_LSO_ENABLED,
		.lsov2_ip6 = OHV_NDIS_LSO_ENABLED,
	};
	int ret = nvc_set(nd, OHV_OID_TCP_OFFLOAD_PARAMETERS, &p, sizeof(p));

	if (!ret)
		nd->rx_csum = rxcsum;
	return ret;
}

static int nvc_set_filter(struct nvc_dev *nd, bool on)
{
	u32 f = on ? OHV_NDIS_PACKET_TYPE_DIRECTED |
		     OHV_NDIS_PACKET_TYPE_MULTICAST |
		     OHV_NDIS_PACKET_TYPE_ALL_MULTICAST |
		     OHV_NDIS_PACKET_TYPE_BROADCAST : 0;

	return nvc_set(nd, OHV_OID_GEN_CURRENT_PACKET_FILTER, &f, sizeof(f));
}

/*
 * Allocate a buffer of @size, share it with the host through a GPADL and
 * announce it with @type (receive or send buffer, @id); the host answers
 * with @done, left in nd->ctrl_resp for the caller to check. What is set
 * up stays for the teardown to undo, even on failure.
 */
static int nvc_share_buf(struct nvc_dev *nd, u8 **buf, size_t size,
			 struct ohv_gpadl_handle *gpadl, u32 type, u16 id,
			 u32 done)
{
	struct ohv_nvsp_msg m;
	int ret;

	*buf = vzalloc(size);
	if (!*buf)
		return -ENOMEM;
	ret = ohv_gpadl_establish(nd->prim->chan, *buf, size, gpadl);
	if (ret)
		return ret;
	memset(&m, 0, sizeof(m));
	m.send_buf.type = type;
	m.send_buf.gpadl = gpadl->id;
	m.send_buf.id = id;
	return nvc_nvsp(nd, &m, done);
}

static int nvc_connect(struct nvc_dev *nd)
{
	struct ohv_nvsp_msg m;
	unsigned int i;
	int ret = -EPROTO;

	for (i = 0; i < ARRAY_SIZE(nvc_versions); i++) {
		memset(&m, 0, sizeof(m));
		m.init.type = OHV_NVSP_INIT;
		m.init.min_ver = nvc_versions[i];
		m.init.max_ver = nvc_versions[i];
		ret = nvc_nvsp(nd, &m, OHV_NVSP_INIT_COMPLETE);
		if (ret)
			return ret;
		if (nd->ctrl_resp.init_complete.status == OHV_NVSP_STAT_SUCCESS)
			break;
	}
	if (i == ARRAY_SIZE(nvc_versions))
		return -EPROTO;
	nd->nvsp_ver = nvc_versions[i];
	if (nd->nvsp_ver >= OHV_NVSP_VERSION_2) {
		memset(&m, 0, sizeof(m));
		m.ndis_config.type = OHV_NVSP2_SEND_NDIS_CONFIG;
		m.ndis_config.mtu = nd->ndev->mtu + ETH_HLEN;
		m.ndis_config.caps = OHV_NVSP_CAP_IEEE8021Q;
		ret = nvc_nvsp(nd, &m, 0);
		if (ret)
			return ret;
	}
	memset(&m, 0, sizeof(m));
	m.ndis_ver.type = OHV_NVSP1_SEND_NDIS_VER;
	m.ndis_ver.major = 6;
	m.ndis_ver.minor = nd->nvsp_ver >= OHV_NVSP_VERSION_5 ? 30 : 1;
	ret = nvc_nvsp(nd, &m, 0);
	if (ret)
		return ret;

	ret = nvc_share_buf(nd, &nd->rbuf, NVC_RECV_BUF, &nd->rbuf_gpadl,
			    OHV_NVSP1_SEND_RECV_BUF, OHV_NVSP_RECV_BUF_ID,
			    OHV_NVSP1_SEND_RECV_BUF_COMPLETE);
	if (ret)
		return ret;
	if (nd->ctrl_resp.recv_buf_complete.status != OHV_NVSP_STAT_SUCCESS ||
	    nd->ctrl_resp.recv_buf_complete.num_sections != 1 ||
	    nd->ctrl_resp.recv_buf_complete.section.offset)
		return -EPROTO;

	ret = nvc_share_buf(nd, &nd->sbuf, NVC_SEND_BUF, &nd->sbuf_gpadl,
			    OHV_NVSP1_SEND_SEND_BUF, OHV_NVSP_SEND_BUF_ID,
			    OHV_NVSP1_SEND_SEND_BUF_COMPLETE);
	if (ret)
		return ret;
	if (nd->ctrl_resp.send_buf_complete.status != OHV_NVSP_STAT_SUCCESS)
		return -EPROTO;
	nd->section_size = nd->ctrl_resp.send_buf_complete.section_size;
	if (nd->section_size < OHV_NET_MAX_RNDIS_HDR + ETH_ZLEN ||
	    nd->section_size > NVC_SEND_BUF)
		return -EPROTO;
	nd->nsections = NVC_SEND_BUF / nd->section_size;
	nd->section_map = bitmap_zalloc(nd->nsections, GFP_KERNEL);
	return nd->section_map ? 0 : -ENOMEM;
}

static int nvc_rndis_init(struct nvc_dev *nd)
{
	struct ohv_rndis_init_req req = {
		.req_id = 1,
		.major = OHV_RNDIS_MAJOR_VERSION,
		.minor = OHV_RNDIS_MINOR_VERSION,
		.max_xfer_size = 0x4000,
	};
	struct ohv_ndis_rss_caps rss = {};
	struct net_device *ndev = nd->ndev;
	struct ohv_rndis_ctrl c;
	u8 mac[ETH_ALEN];
	u32 v, len;
	int ret;

	mutex_lock(&nd->ctrl_lock);
	ret = nvc_rndis(nd, OHV_RNDIS_MSG_INIT, &req, sizeof(req), &c);
	mutex_unlock(&nd->ctrl_lock);
	if (ret)
		return ret;
	if (c.type != (OHV_RNDIS_MSG_INIT | OHV_RNDIS_MSG_COMPLETION) ||
	    c.status != OHV_RNDIS_STATUS_SUCCESS)
		return -EPROTO;
	/* 0 and 1 both mean one message per section (parser: shift <= 12). */
	nd->max_pkt = max(c.max_pkt, 1U);
	nd->pkt_align = 1U << c.align_shift;
	len = ETH_ALEN;
	ret = nvc_query(nd, OHV_OID_802_3_PERMANENT_ADDRESS, mac, &len);
	if (ret || len != ETH_ALEN || !is_valid_ether_addr(mac))
		return ret ?: -EPROTO;
	eth_hw_addr_set(ndev, mac);
	len = sizeof(v);
	if (!nvc_query(nd, OHV_OID_GEN_MAXIMUM_FRAME_SIZE, &v, &len) &&
	    len == sizeof(v) && v >= ETH_MIN_MTU)
		ndev->max_mtu = min_t(u32, v, NVC_MAX_MTU);
	len = sizeof(v);
	v = OHV_RNDIS_MEDIA_CONNECTED;
	nvc_query(nd, OHV_OID_GEN_MEDIA_CONNECT_STATUS, &v, &len);
	nd->link_up = v == OHV_RNDIS_MEDIA_CONNECTED;
	len = sizeof(rss);
	if (nd->nvsp_ver >= OHV_NVSP_VERSION_5 &&
	    !nvc_query(nd, OHV_OID_GEN_RSS_CAPABILITIES, &rss, &len) &&
	    len >= sizeof(rss))
		nd->nr_subs = min(rss.num_recv_queues,
				  clamp(max_queues, 1U, 64U)) - 1;
	return nvc_set_offload(nd, true, true);
}

/* 1 + the sub-channels the host offered, open or not. */
static u32 nvc_max_chans(struct nvc_dev *nd)
{
	u32 i, n = 1;

	for (i = 1; i < NVC_MAX_QUEUES; i++)
		if (READ_ONCE(nd->subch[i]))
			n = i + 1;
	return n;
}

/*
 * Channels opened at bring-up: one per online CPU, at most what the host
 * granted (like virtio_net's queue pairs). The rest stay offered; ethtool
 * -L opens them.
 */
static u32 nvc_default_chans(struct nvc_dev *nd)
{
	return min_t(u32, nd->nr_subs + 1, num_online_cpus());
}

static int nvc_open_subs(struct nvc_dev *nd)
{
	struct ohv_nvsp_msg m = {};
	int ret;

	mutex_lock(&nd->chan_lock);
	nd->want = nvc_default_chans(nd);
	mutex_unlock(&nd->chan_lock);
	if (!nd->nr_subs)
		return 0;
	m.subchannel.type = OHV_NVSP5_SUBCHANNEL;
	m.subchannel.op = OHV_NVSP_SUBCHANNEL_ALLOCATE;
	m.subchannel.num = nd->nr_subs;
	mutex_lock(&nd->ctrl_lock);
	ret = nvc_nvsp(nd, &m, OHV_NVSP5_SUBCHANNEL);
	mutex_unlock(&nd->ctrl_lock);
	mutex_lock(&nd->chan_lock);
	if (ret || nd->ctrl_resp.subchannel_complete.status !=
		   OHV_NVSP_STAT_SUCCESS)
		nd->nr_subs = 0;
	else
		nd->nr_subs = min(nd->nr_subs,
				  nd->ctrl_resp.subchannel_complete.num);
	nd->want = nvc_default_chans(nd);
	mutex_unlock(&nd->chan_lock);
	/* Every grant offered, so that ethtool -l shows them all. */
	wait_event_timeout(nd->sub_wait,
			   atomic_read(&nd->nr_open) >= nd->want &&
			   nvc_max_chans(nd) > nd->nr_subs,
			   NVC_CTRL_TIMEOUT);
	return 0;
}

/* Open channels from queue 0 up without a gap: the queues in use. */
static u32 nvc_nr_contig(struct nvc_dev *nd)
{
	u32 n = 0;

	while (n < NVC_MAX_QUEUES && rcu_access_pointer(nd->chans[n]))
		n++;
	return n;
}

/* ---------------------------------------------------------------------- */
/* net_device                                                             */
/* ---------------------------------------------------------------------- */

static int nvc_ndo_open(struct net_device *ndev)
{
	struct nvc_dev *nd = nvc_of(ndev);
	int ret = nvc_set_filter(nd, true);

	if (ret)
		return ret;
	if (nd->link_up)
		netif_carrier_on(ndev);
	netif_tx_start_all_queues(ndev);
	return 0;
}

static int nvc_ndo_stop(struct net_device *ndev)
{
	struct nvc_dev *nd = nvc_of(ndev);

	netif_tx_disable(ndev);
	if (!READ_ONCE(nd->removing))
		nvc_set_filter(nd, false);
	return 0;
}

static int nvc_change_mtu(struct net_device *ndev, int mtu)
{
	WRITE_ONCE(ndev->mtu, mtu);
	return 0;
}

static int nvc_set_features(struct net_device *ndev,
			    netdev_features_t features)
{
	struct nvc_dev *nd = nvc_of(ndev);
	netdev_features_t changed = ndev->features ^ features;

	if (changed & (NETIF_F_RXCSUM | NETIF_F_LRO))
		return nvc_set_offload(nd, features & NETIF_F_RXCSUM,
				       features & NETIF_F_LRO);
	return 0;
}

static void nvc_get_stats64(struct net_device *ndev,
			    struct rtnl_link_stats64 *s)
{
	struct nvc_dev *nd = nvc_of(ndev);
	unsigned int i, start;
	u64 p, b;

	netdev_stats_to_stats64(s, &ndev->stats);
	s->rx_packets += READ_ONCE(nd->gone.rx_packets);
	s->rx_bytes += READ_ONCE(nd->gone.rx_bytes);
	s->tx_packets += READ_ONCE(nd->gone.tx_packets);
	s->tx_bytes += READ_ONCE(nd->gone.tx_bytes);
	rcu_read_lock();
	for (i = 0; i < NVC_MAX_QUEUES; i++) {
		struct nvc_chan *nc = rcu_dereference(nd->chans[i]);

		if (!nc)
			continue;
		do {
			start = u64_stats_fetch_begin(&nc->rx.syncp);
			p = nc->rx.packets;
			b = nc->rx.bytes;
		} while (u64_stats_fetch_retry(&nc->rx.syncp, start));
		s->rx_packets += p;
		s->rx_bytes += b;
		do {
			start = u64_stats_fetch_begin(&nc->tx_stats.syncp);
			p = nc->tx_stats.packets;
			b = nc->tx_stats.bytes;
		} while (u64_stats_fetch_retry(&nc->tx_stats.syncp, start));
		s->tx_packets += p;
		s->tx_bytes += b;
	}
	rcu_read_unlock();
}

/*
 * The queue (channel) a frame goes out on: as the host's send indirection
 * table names for its flow hash, wrapped to the queues in use (the table
 * may name more, or anything: it comes from the host); before the host
 * sent one, the stack's choice.
 */
static u16 nvc_select_queue(struct net_device *ndev, struct sk_buff *skb,
			    struct net_device *sb_dev)
{
	struct nvc_dev *nd = nvc_of(ndev);
	u32 q;

	if (!READ_ONCE(nd->send_table_ok))
		return netdev_pick_tx(ndev, skb, sb_dev);
	q = READ_ONCE(nd->send_table[skb_get_hash(skb) %
				     OHV_NVSP_SEND_TABLE_SIZE]);
	return q % ndev->real_num_tx_queues;
}

static const struct net_device_ops nvc_ndo = {
	.ndo_open = nvc_ndo_open,
	.ndo_stop = nvc_ndo_stop,
	.ndo_start_xmit = nvc_xmit,
	.ndo_select_queue = nvc_select_queue,
	.ndo_change_mtu = nvc_change_mtu,
	.ndo_set_features = nvc_set_features,
	.ndo_get_stats64 = nvc_get_stats64,
	.ndo_validate_addr = eth_validate_addr,
};

/* ethtool -S: per-device totals, then per queue. */
static const char nvc_stat_names[][ETH_GSTRING_LEN] = {
	"tx_copy", "tx_gpa", "tx_busy", "rx_csum_ok", "tx_packed",
	"bulk_polls", "bad_nvsp", "bad_rndis", "bad_ppi", "bad_range",
	"bad_trans_id", "bad_state",
};

#define NVC_NSTATS		ARRAY_SIZE(nvc_stat_names)
#define NVC_QSTATS		4

static int nvc_get_sset_count(struct net_device *ndev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return NVC_NSTATS + NVC_QSTATS * ndev->real_num_tx_queues;
}

static void nvc_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	memcpy(data, nvc_stat_names, sizeof(nvc_stat_names));
	data += sizeof(nvc_stat_names);
	for (i = 0; i < ndev->real_num_tx_queues; i++) {
		ethtool_sprintf(&data, "queue_%u_tx_packets", i);
		ethtool_sprintf(&data, "queue_%u_tx_bytes", i);
		ethtool_sprintf(&data, "queue_%u_rx_packets", i);
		ethtool_sprintf(&data, "queue_%u_rx_bytes", i);
	}
}

static void nvc_get_ethtool_stats(struct net_device *ndev,
				  struct ethtool_stats *st, u64 *data)
{
	struct nvc_dev *nd = nvc_of(ndev);
	struct nvc_gone t = nd->gone;
	unsigned int i;

	/* rtnl held, as in set_channels(): the channels stay. */
	for (i = 0; i < NVC_MAX_QUEUES; i++) {
		struct nvc_chan *nc = rtnl_dereference(nd->chans[i]);

		if (nc)
			nvc_counters_add(&t, nc);
	}
	data[0] = t.tx_copy;
	data[1] = t.tx_gpa;
	data[2] = t.tx_busy;
	data[3] = t.rx_csum_ok;
	data[4] = t.tx_packed;
	data[5] = t.bulk_polls;
	data[6] = t.bad.nvsp;
	data[7] = t.bad.rndis;
	data[8] = t.bad.ppi;
	data[9] = t.bad.range;
	data[10] = t.bad.trans_id;
	data[11] = t.bad.state;
	data += NVC_NSTATS;
	for (i = 0; i < ndev->real_num_tx_queues; i++) {
		struct nvc_chan *nc = i < NVC_MAX_QUEUES ?
				      rtnl_dereference(nd->chans[i]) : NULL;

		data[0] = nc ? nc->tx_stats.packets : 0;
		data[1] = nc ? nc->tx_stats.bytes : 0;
		data[2] = nc ? nc->rx.packets : 0;
		data[3] = nc ? nc->rx.bytes : 0;
		data += NVC_QSTATS;
	}
}

static void nvc_get_channels(struct net_device *ndev,
			     struct ethtool_channels *ch)
{
	struct nvc_dev *nd = nvc_of(ndev);

	ch->max_combined = nvc_max_chans(nd);
	ch->combined_count = ndev->real_num_tx_queues;
}

/*
 * -L N: channels 0..N-1 are open and carry one TX and one RX queue each.
 * Going down, the stack stops using the queues first, then their
 * sub-channels are closed (the host closes its side and stops sending on
 * them); going up, the sub-channels the host offered are opened again.
 * rtnl held.
 */
static int nvc_set_channels(struct net_device *ndev,
			    struct ethtool_channels *ch)
{
	struct nvc_dev *nd = nvc_of(ndev);
	u32 n = ch->combined_count, cur, i;
	int ret = 0;

	if (!n || ch->rx_count || ch->tx_count || ch->other_count ||
	    n > nvc_max_chans(nd))
		return -EINVAL;
	mutex_lock(&nd->chan_lock);
	cur = ndev->real_num_tx_queues;
	if (n < cur) {
		ret = netif_set_real_num_tx_queues(ndev, n);
		if (!ret)
			ret = netif_set_real_num_rx_queues(ndev, n);
		if (ret)
			goto out;
	}
	for (i = NVC_MAX_QUEUES - 1; i >= n; i--)
		nvc_chan_close(nd, i);
	for (i = 1; i < n; i++) {
		if (rcu_access_pointer(nd->chans[i]))
			continue;
		ret = nd->subch[i] ? nvc_chan_open(nd, nd->subch[i]) : -ENODEV;
		if (ret)
			break;
	}
	n = nvc_nr_contig(nd);
	if (n != ndev->real_num_tx_queues) {
		/* Up: every new queue has its open channel now. */
		netif_set_real_num_tx_queues(ndev, n);
		netif_set_real_num_rx_queues(ndev, n);
		if (netif_running(ndev))
			for (i = cur; i < n; i++)
				netif_tx_wake_queue(netdev_get_tx_queue(ndev,
									i));
	}
	nd->want = n;
	if (ret)
		netdev_warn(ndev, "%u channel(s) open: %d\n", n, ret);
out:
	mutex_unlock(&nd->chan_lock);
	/* A table set with ethtool -X stays: the core keeps it in range. */
	if (!netif_is_rxfh_configured(ndev) &&
	    nvc_rss_default(nd, ndev->real_num_rx_queues))
		netdev_warn(ndev, "RSS table not taken by the host\n");
	return ret;
}

static int nvc_get_rxnfc(struct net_device *ndev, struct ethtool_rxnfc *info,
			 u32 *rules)
{
	if (info->cmd != ETHTOOL_GRXRINGS)
		return -EOPNOTSUPP;
	info->data = ndev->real_num_rx_queues;
	return 0;
}

static u32 nvc_get_rxfh_indir_size(struct net_device *ndev)
{
	return NVC_RSS_ENTRIES;
}

static u32 nvc_get_rxfh_key_size(struct net_device *ndev)
{
	return OHV_NDIS_RSS_KEY_MAX;
}

static int nvc_get_rxfh(struct net_device *ndev, u32 *indir, u8 *key,
			u8 *hfunc)
{
	struct nvc_dev *nd = nvc_of(ndev);
	u32 i;

	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	if (indir)
		for (i = 0; i < NVC_RSS_ENTRIES; i++)
			indir[i] = nd->rss_tab[i];
	if (key)
		memcpy(key, nd->rss_key, sizeof(nd->rss_key));
	return 0;
}

/* ethtool -X: entries were checked against the RX queues by the core. */
static int nvc_set_rxfh(struct net_device *ndev, const u32 *indir,
			const u8 *key, const u8 hfunc)
{
	struct nvc_dev *nd = nvc_of(ndev);
	u8 old[NVC_RSS_ENTRIES], old_key[OHV_NDIS_RSS_KEY_MAX];
	u32 i;
	int ret;

	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	if (!indir && !key)
		return 0;
	if (indir)
		for (i = 0; i < NVC_RSS_ENTRIES; i++)
			if (indir[i] >= ndev->real_num_rx_queues)
				return -EINVAL;
	memcpy(old, nd->rss_tab, sizeof(old));
	memcpy(old_key, nd->rss_key, sizeof(old_key));
	if (indir)
		for (i = 0; i < NVC_RSS_ENTRIES; i++)
			nd->rss_tab[i] = indir[i];
	if (key)
		memcpy(nd->rss_key, key, sizeof(nd->rss_key));
	ret = nvc_send_rss(nd);
	if (ret) {
		memcpy(nd->rss_tab, old, sizeof(old));
		memcpy(nd->rss_key, old_key, sizeof(old_key));
	}
	return ret;
}

static void nvc_get_drvinfo(struct net_device *ndev,
			    struct ethtool_drvinfo *info)
{
	struct nvc_dev *nd = nvc_of(ndev);

	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	snprintf(info->fw_version, sizeof(info->fw_version), "nvsp %#x",
		 nd->nvsp_ver);
	strscpy(info->bus_info, dev_name(&nd->odev->dev),
		sizeof(info->bus_info));
}

static const struct ethtool_ops nvc_ethtool_ops = {
	.get_drvinfo = nvc_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_sset_count = nvc_get_sset_count,
	.get_strings = nvc_get_strings,
	.get_ethtool_stats = nvc_get_ethtool_stats,
	.get_channels = nvc_get_channels,
	.set_channels = nvc_set_channels,
	.get_rxnfc = nvc_get_rxnfc,
	.get_rxfh_indir_size = nvc_get_rxfh_indir_size,
	.get_rxfh_key_size = nvc_get_rxfh_key_size,
	.get_rxfh = nvc_get_rxfh,
	.set_rxfh = nvc_set_rxfh,
};

/* ---------------------------------------------------------------------- */
/* Probe / remove                                                         */
/* ---------------------------------------------------------------------- */

static void nvc_teardown(struct nvc_dev *nd)
{
	struct ohv_channel *chan = nd->odev->channel;
	unsigned int i;

	mutex_lock(&nd->chan_lock);
	/* No sub-channel is opened or recorded any more. */
	WRITE_ONCE(nd->removing, true);
	mutex_unlock(&nd->chan_lock);
	/*
	 * Starts no sub-channel callback any more and waits for a running
	 * one, then closes the sub-channels; no callback runs afterwards, and
	 * the host is done with every buffer it was given. The device is
	 * not registered (any more): nothing transmits or reads counters.
	 */
	ohv_chan_close(chan);
	nd->prim = NULL;
	for (i = 0; i < NVC_MAX_QUEUES; i++) {
		struct nvc_chan *nc = rcu_dereference_protected(nd->chans[i],
								1);

		if (!nc)
			continue;
		RCU_INIT_POINTER(nd->chans[i], NULL);
		nvc_chan_teardown(nc);
	}
	for (i = 0; i < NVC_MAX_QUEUES; i++)
		if (nd->subch[i])
			ohv_chan_put(nd->subch[i]);
	if (nd->sbuf_gpadl.id)
		ohv_gpadl_teardown(chan, &nd->sbuf_gpadl);
	if (nd->rbuf_gpadl.id)
		ohv_gpadl_teardown(chan, &nd->rbuf_gpadl);
	bitmap_free(nd->section_map);
	vfree(nd->sbuf);
	vfree(nd->rbuf);
	kfree(nd->rndis_req);
}

static int nvc_probe(struct ohv_device *odev, const struct ohv_device_id *id)
{
	struct net_device *ndev;
	struct nvc_dev *nd;
	int ret;

	ndev = alloc_etherdev_mq(sizeof(struct nvc_priv), NVC_MAX_QUEUES);
	if (!ndev)
		return -ENOMEM;
	nd = kzalloc(sizeof(*nd), GFP_KERNEL);
	if (!nd) {
		free_netdev(ndev);
		return -ENOMEM;
	}
	((struct nvc_priv *)netdev_priv(ndev))->nd = nd;
	nd->odev = odev;
	nd->ndev = ndev;
	mutex_init(&nd->ctrl_lock);
	mutex_init(&nd->chan_lock);
	init_completion(&nd->ctrl_done);
	init_waitqueue_head(&nd->sub_wait);
	atomic_set(&nd->nr_open, 0);
	memcpy(nd->rss_key, ohv_rss_default_key, sizeof(nd->rss_key));
	/* kmalloc-512 objects never straddle a page: one GPA range. */
	nd->rndis_req = kzalloc(NVC_RNDIS_REQ_MAX, GFP_KERNEL);
	SET_NETDEV_DEV(ndev, &odev->dev);
	ndev->netdev_ops = &nvc_ndo;
	ndev->ethtool_ops = &nvc_ethtool_ops;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = NVC_MAX_MTU;
	/*
	 * Interrupt moderation, as a NIC's rx-usecs: after a poll that found
	 * work, NAPI polls again from a timer, the channel still masked (no
	 * signal, no IPI), up to OHV_NET_MOD_POLLS times OHV_NET_MOD_NS apart,
	 * before it unmasks; a poll that completed bulk transmits or took a
	 * large frame starts no such round and ends one already running
	 * (nvc_poll()). The standard sysfs files napi_defer_hard_irqs and
	 * gro_flush_timeout change it; 0 turns it off.
	 */
	ndev->napi_defer_hard_irqs = OHV_NET_MOD_POLLS;
	ndev->gro_flush_timeout = OHV_NET_MOD_NS;
	ndev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			    NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM |
			    NETIF_F_RXHASH | NETIF_F_HW_VLAN_CTAG_TX |
			    NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_LRO;
	ndev->features = ndev->hw_features | NETIF_F_HIGHDMA;
	ndev->vlan_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			      NETIF_F_TSO | NETIF_F_TSO6;
	netif_set_tso_max_size(ndev, NVC_TSO_MAX);
	dev_set_drvdata(&odev->dev, nd);
	ohv_chan_set_drvdata(odev->channel, odev);
	ohv_chan_set_subchannel_cb(odev->channel, nvc_subchannel);
	ret = -ENOMEM;
	if (!nd->rndis_req)
		goto fail;
	ret = nvc_chan_open(nd, odev->channel);
	if (ret)
		goto fail;
	ret = nvc_connect(nd);
	if (!ret)
		ret = nvc_rndis_init(nd);
	if (!ret)
		ret = nvc_open_subs(nd);
	if (ret)
		goto fail;
	mutex_lock(&nd->chan_lock);
	nd->want = nvc_nr_contig(nd);
	netif_set_real_num_tx_queues(ndev, nd->want);
	netif_set_real_num_rx_queues(ndev, nd->want);
	mutex_unlock(&nd->chan_lock);
	/* Without it the host spreads by its own rule: not fatal. */
	if (nvc_rss_default(nd, nd->want))
		dev_warn(&odev->dev, "RSS table not taken by the host\n");
	netif_carrier_off(ndev);
	ret = register_netdev(ndev);
	if (ret)
		goto fail;
	dev_info(&odev->dev, "%s: NVSP %#x, %u channel(s), MAC %pM\n",
		 ndev->name, nd->nvsp_ver, ndev->real_num_tx_queues,
		 ndev->dev_addr);
	return 0;
fail:
	dev_err(&odev->dev, "bring-up failed: %d\n", ret);
	nvc_teardown(nd);
	free_netdev(ndev);
	kfree(nd);
	return ret;
}

static void nvc_remove(struct ohv_device *odev)
{
	struct nvc_dev *nd = dev_get_drvdata(&odev->dev);
	struct net_device *ndev = nd->ndev;

	mutex_lock(&nd->chan_lock);
	WRITE_ONCE(nd->removing, true);
	mutex_unlock(&nd->chan_lock);
	unregister_netdev(ndev);
	nvc_teardown(nd);
	free_netdev(ndev);
	kfree(nd);
}

static const struct ohv_device_id nvc_ids[] = {
	{ .guid = NVC_CLASS_GUID },
	{ }
};

static struct ohv_driver nvc_driver = {
	.name = "ohv_netvsc",
	.id_table = nvc_ids,
	.probe = nvc_probe,
	.remove = nvc_remove,
};

module_ohv_driver(nvc_driver);

MODULE_DESCRIPTION("ohv synthetic network adapter (guest side)");
MODULE_LICENSE("GPL");
