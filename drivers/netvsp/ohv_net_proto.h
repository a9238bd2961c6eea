/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ohv_net_proto: NVSP and RNDIS parsers and builders shared by the host
 * provider (netvsp), the guest driver (netvsc) and their KUnit suite.
 *
 * Every parser works on bytes already copied out of shared memory, checks
 * every length and offset against what was copied, and on failure counts
 * the reason in a struct ohv_net_bad and returns -EBADMSG. Callers drop the
 * message; nothing a peer sends can make them read out of bounds.
 */
#ifndef _OHV_NET_PROTO_H
#define _OHV_NET_PROTO_H

#include <ohv/compat.h>

#include <ohv/wire/nvsp.h>
#include <ohv/wire/ring.h>
#include <ohv/wire/vmbus.h>
#include <ohv/wire/rndis.h>

/**
 * struct ohv_net_bad - hostile or malformed input seen, by kind
 * @nvsp: NVSP message too short or of an unknown type
 * @rndis: RNDIS message with a bad length, type or offset
 * @ppi: per-packet info walking out of its area
 * @range: transfer-page or GPA range outside its buffer
 * @trans_id: completion for a transaction that is not outstanding
 * @state: message that is not valid in the current protocol state
 */
struct ohv_net_bad {
	u64 nvsp;
	u64 rndis;
	u64 ppi;
	u64 range;
	u64 trans_id;
	u64 state;
};

/* Most ranges in a transfer-page packet we accept (Linux RSC maximum). */
#define OHV_NET_MAX_XFER_RANGES		562
/* Most pages one GPA-direct packet may name in total. */
#define OHV_NET_MAX_GPA_PFNS		96
/* RNDIS header plus all per-packet info must fit in this. */
#define OHV_NET_MAX_RNDIS_HDR		256

u32 ohv_nvsp_min_len(u32 type);
int ohv_nvsp_parse(const void *payload, u32 len, struct ohv_nvsp_msg *out,
		   struct ohv_net_bad *bad);

/**
 * struct ohv_net_xfer - a parsed DATA_USING_XFER_PAGES packet
 * @pageset: transfer page set id
 * @nr: ranges
 * @ranges: the ranges, inside the caller's packet copy
 * @payload: in-band payload (an NVSP message) inside the packet copy
 * @payload_len: its length
 */
struct ohv_net_xfer {
	u16 pageset;
	u32 nr;
	const struct ohv_xfer_page_range *ranges;
	const void *payload;
	u32 payload_len;
};

int ohv_nvsp_parse_xfer(const void *pkt, u32 pktlen, u32 buf_size,
			struct ohv_net_xfer *x, struct ohv_net_bad *bad);

/**
 * struct ohv_net_gpa - a parsed DATA_USING_GPA_DIRECT packet
 * @nr_segs: byte segments (one per range)
 * @nr_pfns: pages in @pfns
 * @total: bytes in all segments
 * @seg_off: where segment i starts when the pages are mapped in order
 * @seg_len: bytes in segment i
 * @pfns: every range's pages, in order
 * @payload: in-band payload inside the packet copy
 * @payload_len: its length
 */
struct ohv_net_gpa {
	u32 nr_segs;
	u32 nr_pfns;
	u32 total;
	u32 seg_off[OHV_MAX_PAGE_BUFFER_COUNT];
	u32 seg_len[OHV_MAX_PAGE_BUFFER_COUNT];
	u64 pfns[OHV_NET_MAX_GPA_PFNS];
	const void *payload;
	u32 payload_len;
};

int ohv_nvsp_parse_gpa(const void *pkt, u32 pktlen, struct ohv_net_gpa *g,
		       struct ohv_net_bad *bad);

/* struct ohv_rndis_pkt_info.flags */
#define OHV_PI_CSUM	BIT(0)
#define OHV_PI_LSO	BIT(1)
#define OHV_PI_VLAN	BIT(2)
#define OHV_PI_HASH	BIT(3)

/**
 * struct ohv_rndis_pkt_info - an RNDIS data packet's framing
 * @data_off: frame offset from the message start
 * @data_len: frame length
 * @flags: OHV_PI_* present
 * @csum: checksum PPI value
 * @lso: LSO PPI value
 * @vlan: 802.1Q PPI value
 * @hash: hash PPI value
 */
struct ohv_rndis_pkt_info {
	u32 data_off;
	u32 data_len;
	u32 flags;
	u32 csum;
	u32 lso;
	u32 vlan;
	u32 hash;
};

int ohv_rndis_parse_packet(const void *msg, u32 avail, u32 msg_len,
			   struct ohv_rndis_pkt_info *pi,
			   struct ohv_net_bad *bad);
u32 ohv_rndis_build_packet(void *buf, u32 room, u32 data_len,
			   const struct ohv_rndis_pkt_info *pi);

/**
 * struct ohv_rndis_span - one RNDIS message within a send section
 * @off: where it starts
 * @len: its length, padding included
 */
struct ohv_rndis_span {
	u32 off;
	u32 len;
};

int ohv_rndis_split(const void *sec, u32 used, u32 max,
		    struct ohv_rndis_span *span, struct ohv_net_bad *bad);

/**
 * struct ohv_rndis_ctrl - a parsed RNDIS control message
 * @type: message type
 * @len: message length
 * @req_id: request id (0 for INDICATE)
 * @status: status of a completion or indication
 * @oid: QUERY/SET OID
 * @info_off: QUERY/SET/QUERY_C/INDICATE buffer, from the message start
 * @info_len: its length
 * @max_pkt: INIT_C packets per message
 * @align_shift: INIT_C alignment factor
 */
struct ohv_rndis_ctrl {
	u32 type;
	u32 len;
	u32 req_id;
	u32 status;
	u32 oid;
	u32 info_off;
	u32 info_len;
	u32 max_pkt;
	u32 align_shift;
};

int ohv_rndis_parse_ctrl(const void *msg, u32 avail,
			 struct ohv_rndis_ctrl *c, struct ohv_net_bad *bad);

/**
 * struct ohv_rss_table - validated RSS parameters
 * @n: entries, 0: RSS off (the sender spreads by its own rule)
 * @hash_info: the OHV_NDIS_RSS_HASH_* types asked for
 * @key_len: 0 if the sender kept its key, else OHV_NDIS_RSS_KEY_MAX
 * @key: the Toeplitz key, a shorter one zero-padded
 * @chan: channel (queue) index per entry
 */
struct ohv_rss_table {
	u32 n;
	u32 hash_info;
	u32 key_len;
	u8 key[OHV_NDIS_RSS_KEY_MAX];
	u8 chan[OHV_NDIS_RSS_ITAB_MAX];
};

int ohv_rndis_parse_rss(const void *info, u32 len, u32 nr_chans,
			struct ohv_rss_table *t, struct ohv_net_bad *bad);

/*
 * The channel @t names for a packet with hash @hash; @t->n must be
 * non-zero. Lock-free readers may see a table being replaced: @n is read
 * once and every entry ever stored was validated.
 */
static inline u32 ohv_rss_pick(const struct ohv_rss_table *t, u32 n, u32 hash)
{
	return READ_ONCE(t->chan[hash % n]);
}

u32 ohv_rss_build(void *buf, u32 room, const u8 *chan, u32 entries,
		  const u8 *key);

/* The hash types the guest asks for, and the host assumes until it does. */
#define OHV_RSS_HASH_DEFAULT	(OHV_NDIS_RSS_HASH_TOEPLITZ |		\
				 OHV_NDIS_RSS_HASH_IPV4 |		\
				 OHV_NDIS_RSS_HASH_TCP_IPV4 |		\
				 OHV_NDIS_RSS_HASH_IPV6 |		\
				 OHV_NDIS_RSS_HASH_TCP_IPV6)

/* The key both ends use until the guest sends one (the NDIS sample key). */
extern const u8 ohv_rss_default_key[OHV_NDIS_RSS_KEY_MAX];

/* Longest Toeplitz input: two IPv6 addresses and two ports. */
#define OHV_RSS_INPUT_MAX	36

u32 ohv_toeplitz(const u8 *key, const u8 *in, u32 len);

/*
 * The same hash by table lookup, two per input byte: row 2i (2i + 1) maps
 * the high (low) nibble of input byte i to the XOR of the key windows of
 * its set bits.
 */
#define OHV_TOEPLITZ_ROWS	(2 * OHV_RSS_INPUT_MAX)

struct ohv_toeplitz_tab {
	u32 row[OHV_TOEPLITZ_ROWS][16];
};

void ohv_toeplitz_prep(struct ohv_toeplitz_tab *tab, const u8 *key);
u32 ohv_toeplitz_tab(const struct ohv_toeplitz_tab *tab, const u8 *in,
		     u32 len);

#ifdef __KERNEL__
#include <linux/netdevice.h>

/*
 * Interrupt moderation defaults of netvsc and the vif (napi_defer_hard_irqs
 * and gro_flush_timeout): after a poll that found work, NAPI polls again
 * from a timer, the channel still masked, up to OHV_NET_MOD_POLLS times
 * OHV_NET_MOD_NS apart, before it unmasks.
 */
#define OHV_NET_MOD_POLLS	2
#define OHV_NET_MOD_NS		50000

/*
 * A frame of this length or more (a coalesced or TSO frame, or a jumbo
 * one) marks bulk traffic: a poll that took or sent one starts no round of
 * timer polls (ohv_net_mod_work()). Its peer's frames are the ACKs that
 * clock the stream, and a timer poll delays each by the timer's period
 * at least, several times that when timers run late (in an emulator).
 */
#define OHV_NET_MOD_BULK_LEN	2048

/*
 * The work a moderated poll reports to napi_complete_done(). After @bulk
 * work (frames whose completions a sender waits for: TCP's small-queue
 * limit; frames of OHV_NET_MOD_BULK_LEN or more, either way) none, so no
 * round of timer polls starts, and a round an earlier poll began ends
 * here: the core has no call for that.
 */
static inline int ohv_net_mod_work(struct napi_struct *napi, int done,
				   bool bulk)
{
	if (!bulk)
		return done;
	napi->defer_hard_irqs_count = 0;
	return 0;
}

/**
 * struct ohv_net_slots - a receive buffer cut into slots, handed out in
 *	runs of contiguous slots (slots.c; kernel only, callers lock)
 * @map: slots in use
 * @run: at the first slot of each run out, its length; 0 elsewhere
 * @cnt: slots
 * @used: slots in use
 * @next: where the next search starts
 * @max_run: longest run handed out (at most 255)
 */
struct ohv_net_slots {
	unsigned long *map;
	u8 *run;
	u32 cnt;
	u32 used;
	u32 next;
	u32 max_run;
};

int ohv_net_slots_init(struct ohv_net_slots *s, u32 cnt, u32 max_run,
		       gfp_t gfp);
void ohv_net_slots_destroy(struct ohv_net_slots *s);
/* The first slot of a free run of @n, or -ENOSPC. */
int ohv_net_slots_get(struct ohv_net_slots *s, u32 n);
/* Frees the run starting at @i: its length, or -EINVAL if none does. */
int ohv_net_slots_put(struct ohv_net_slots *s, u64 i);
/* Shortens the run starting at @i to its first @n slots: 0 or -EINVAL. */
int ohv_net_slots_trim(struct ohv_net_slots *s, u64 i, u32 n);
#endif

#endif /* _OHV_NET_PROTO_H */
