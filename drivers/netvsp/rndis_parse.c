// SPDX-License-Identifier: GPL-2.0
/*
 * RNDIS parsing and building: data packets with per-packet info, and the
 * control messages of both directions. Inputs are copies of the message.
 *
 * Pure code: also built, unchanged, in user space for tools/fuzz.
 */
#include <ohv/compat.h>

#ifdef __KERNEL__
#include <linux/module.h>
#endif

#include "ohv_net_proto.h"

#define RNDIS_HDR	sizeof(struct ohv_rndis_hdr)

/* A [off, off + len) area inside [lo, hi), without overflow. */
static bool ohv_area_ok(u32 off, u32 len, u32 lo, u32 hi)
{
	return off >= lo && off <= hi && len <= hi - off;
}

static int ohv_rndis_walk_ppi(const u8 *p, u32 len,
			      struct ohv_rndis_pkt_info *pi,
			      struct ohv_net_bad *bad)
{
	while (len) {
		struct ohv_rndis_ppi h;
		u32 val;

		if (len < sizeof(h))
			goto bad;
		memcpy(&h, p, sizeof(h));
		if (h.size < sizeof(h) || h.size > len ||
		    h.ppi_offset < sizeof(h) || h.ppi_offset > h.size)
			goto bad;
		if (h.size - h.ppi_offset >= sizeof(val)) {
			memcpy(&val, p + h.ppi_offset, sizeof(val));
			switch (h.type) {
			case OHV_PPI_CHECKSUM:
				pi->flags |= OHV_PI_CSUM;
				pi->csum = val;
				break;
			case OHV_PPI_LSO:
				pi->flags |= OHV_PI_LSO;
				pi->lso = val;
				break;
			case OHV_PPI_8021Q:
				pi->flags |= OHV_PI_VLAN;
				pi->vlan = val;
				break;
			case OHV_PPI_HASH:
				pi->flags |= OHV_PI_HASH;
				pi->hash = val;
				break;
			}
		} else if (h.type == OHV_PPI_CHECKSUM || h.type == OHV_PPI_LSO ||
			   h.type == OHV_PPI_8021Q || h.type == OHV_PPI_HASH) {
			goto bad;
		}
		p += h.size;
		len -= h.size;
	}
	return 0;
bad:
	bad->ppi++;
	return -EBADMSG;
}

/**
 * ohv_rndis_parse_packet() - check an RNDIS data packet
 * @msg: copy of the message's first @avail bytes (header and PPIs)
 * @avail: bytes at @msg
 * @msg_len: bytes the sender says the message has (<= what it sent)
 * @pi: filled in
 * @bad: counters
 *
 * The per-packet info must lie in the copied part, before the frame.
 *
 * Return: 0 or -EBADMSG.
 */
int ohv_rndis_parse_packet(const void *msg, u32 avail, u32 msg_len,
			   struct ohv_rndis_pkt_info *pi,
			   struct ohv_net_bad *bad)
{
	struct ohv_rndis_packet p;
	struct ohv_rndis_hdr h;
	u32 body = RNDIS_HDR + sizeof(p), data_off;

	memset(pi, 0, sizeof(*pi));
	if (avail < body || msg_len < body)
		goto bad;
	memcpy(&h, msg, sizeof(h));
	memcpy(&p, (const u8 *)msg + RNDIS_HDR, sizeof(p));
	if (h.type != OHV_RNDIS_MSG_PACKET || h.len < body || h.len > msg_len)
		goto bad;
	msg_len = h.len;
	if (p.data_offset > msg_len)
		goto bad;
	data_off = RNDIS_HDR + p.data_offset;
	if (!ohv_area_ok(data_off, p.data_len, body, msg_len) ||
	    p.data_len < 14)
		goto bad;
	if (p.oob_len && (p.oob_offset > msg_len ||
			  !ohv_area_ok(RNDIS_HDR + p.oob_offset, p.oob_len,
				       body, msg_len)))
		goto bad;
	pi->data_off = data_off;
	pi->data_len = p.data_len;
	if (!p.ppi_len)
		return 0;
	if (p.ppi_offset > msg_len ||
	    !ohv_area_ok(RNDIS_HDR + p.ppi_offset, p.ppi_len, body,
			 min(data_off, avail))) {
		bad->ppi++;
		return -EBADMSG;
	}
	return ohv_rndis_walk_ppi((const u8 *)msg + RNDIS_HDR + p.ppi_offset,
				  p.ppi_len, pi, bad);
bad:
	bad->rndis++;
	return -EBADMSG;
}
EXPORT_SYMBOL_GPL(ohv_rndis_parse_packet);

/**
 * ohv_rndis_split() - the RNDIS messages packed into a send section
 * @sec: the section; it may be shared: each header is read once, copied
 * @used: bytes of it the sender used
 * @max: most messages allowed (what the host announced)
 * @span: filled in, up to @max entries: where each message lies
 * @bad: counters
 *
 * A section holds one message, or several back to back (a guest packs
 * data packets when the host allows it): each one's length, its padding
 * included, leads to the next, and together they fill @used exactly. The
 * spans are what callers parse each message within, whatever its header
 * says later.
 *
 * Return: how many messages (1..@max), or -EBADMSG.
 */
int ohv_rndis_split(const void *sec, u32 used, u32 max,
		    struct ohv_rndis_span *span, struct ohv_net_bad *bad)
{
	struct ohv_rndis_hdr h;
	u32 off = 0, n = 0;

	if (!used)
		goto bad;
	while (off < used) {
		if (n == max || used - off < RNDIS_HDR)
			goto bad;
		memcpy(&h, (const u8 *)sec + off, sizeof(h));
		if (h.len < RNDIS_HDR || h.len > used - off)
			goto bad;
		span[n].off = off;
		span[n].len = h.len;
		n++;
		off += h.len;
	}
	return n;
bad:
	bad->rndis++;
	return -EBADMSG;
}
EXPORT_SYMBOL_GPL(ohv_rndis_split);

static u8 *ohv_put_ppi(u8 *p, u32 type, u32 val)
{
	struct ohv_rndis_ppi h = {
		.size = sizeof(h) + sizeof(val),
		.type = type,
		.ppi_offset = sizeof(h),
	};

	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), &val, sizeof(val));
	return p + sizeof(h) + sizeof(val);
}

/**
 * ohv_rndis_build_packet() - write an RNDIS packet header and PPIs
 * @buf: where the message starts
 * @room: bytes available at @buf (at least OHV_NET_MAX_RNDIS_HDR)
 * @data_len: frame bytes that will follow the header
 * @pi: which PPIs to add (@pi->flags) and their values
 *
 * Return: the header length; the frame goes at @buf + that.
 */
u32 ohv_rndis_build_packet(void *buf, u32 room, u32 data_len,
			   const struct ohv_rndis_pkt_info *pi)
{
	struct ohv_rndis_packet p = {};
	struct ohv_rndis_hdr h;
	u8 *start = buf, *q;
	u32 hlen;

	if (room < OHV_NET_MAX_RNDIS_HDR)
		return 0;
	q = start + RNDIS_HDR + sizeof(p);
	if (pi->flags & OHV_PI_CSUM)
		q = ohv_put_ppi(q, OHV_PPI_CHECKSUM, pi->csum);
	if (pi->flags & OHV_PI_LSO)
		q = ohv_put_ppi(q, OHV_PPI_LSO, pi->lso);
	if (pi->flags & OHV_PI_VLAN)
		q = ohv_put_ppi(q, OHV_PPI_8021Q, pi->vlan);
	if (pi->flags & OHV_PI_HASH)
		q = ohv_put_ppi(q, OHV_PPI_HASH, pi->hash);
	hlen = q - start;
	p.ppi_offset = sizeof(p);
	p.ppi_len = hlen - RNDIS_HDR - sizeof(p);
	if (!p.ppi_len)
		p.ppi_offset = 0;
	p.data_offset = hlen - RNDIS_HDR;
	p.data_len = data_len;
	h.type = OHV_RNDIS_MSG_PACKET;
	h.len = hlen + data_len;
	memcpy(start, &h, sizeof(h));
	memcpy(start + RNDIS_HDR, &p, sizeof(p));
	return hlen;
}
EXPORT_SYMBOL_GPL(ohv_rndis_build_packet);

/* Body bytes each control message type needs at least. */
static u32 ohv_rndis_ctrl_min(u32 type)
{
	switch (type) {
	case OHV_RNDIS_MSG_INIT:
		return sizeof(struct ohv_rndis_init_req);
	case OHV_RNDIS_MSG_HALT:
	case OHV_RNDIS_MSG_RESET:
	case OHV_RNDIS_MSG_KEEPALIVE:
		return sizeof(u32);
	case OHV_RNDIS_MSG_QUERY:
	case OHV_RNDIS_MSG_SET:
		return sizeof(struct ohv_rndis_query_req);
	case OHV_RNDIS_MSG_INIT | OHV_RNDIS_MSG_COMPLETION:
		return sizeof(struct ohv_rndis_init_cmplt);
	case OHV_RNDIS_MSG_QUERY | OHV_RNDIS_MSG_COMPLETION:
		return sizeof(struct ohv_rndis_query_cmplt);
	case OHV_RNDIS_MSG_SET | OHV_RNDIS_MSG_COMPLETION:
	case OHV_RNDIS_MSG_KEEPALIVE | OHV_RNDIS_MSG_COMPLETION:
		return sizeof(struct ohv_rndis_set_cmplt);
	case OHV_RNDIS_MSG_RESET | OHV_RNDIS_MSG_COMPLETION:
		return sizeof(struct ohv_rndis_reset_cmplt);
	case OHV_RNDIS_MSG_INDICATE:
		return sizeof(struct ohv_rndis_indicate);
	}
	return 0;
}

/**
 * ohv_rndis_parse_ctrl() - check an RNDIS control message
 * @msg: copy of the message
 * @avail: bytes at @msg
 * @c: filled in
 * @bad: counters
 *
 * Return: 0 or -EBADMSG.
 */
int ohv_rndis_parse_ctrl(const void *msg, u32 avail,
			 struct ohv_rndis_ctrl *c, struct ohv_net_bad *bad)
{
	const u8 *b = (const u8 *)msg + RNDIS_HDR;
	struct ohv_rndis_hdr h;
	u32 need, w[11], off = 0, len = 0, lo = 0;

	memset(c, 0, sizeof(*c));
	if (avail < RNDIS_HDR)
		goto bad;
	memcpy(&h, msg, sizeof(h));
	need = ohv_rndis_ctrl_min(h.type);
	if (!need || h.len > avail || h.len < RNDIS_HDR + need)
		goto bad;
	memset(w, 0, sizeof(w));
	memcpy(w, b, min_t(u32, need, sizeof(w)));
	c->type = h.type;
	c->len = h.len;
	switch (h.type) {
	case OHV_RNDIS_MSG_QUERY:
	case OHV_RNDIS_MSG_SET:
		c->req_id = w[0];
		c->oid = w[1];
		len = w[2];
		off = w[3];
		lo = sizeof(struct ohv_rndis_query_req);
		break;
	case OHV_RNDIS_MSG_QUERY | OHV_RNDIS_MSG_COMPLETION:
		c->req_id = w[0];
		c->status = w[1];
		len = w[2];
		off = w[3];
		lo = sizeof(struct ohv_rndis_query_cmplt);
		break;
	case OHV_RNDIS_MSG_INDICATE:
		c->status = w[0];
		len = w[1];
		off = w[2];
		lo = sizeof(struct ohv_rndis_indicate);
		break;
	case OHV_RNDIS_MSG_INIT | OHV_RNDIS_MSG_COMPLETION:
		c->req_id = w[0];
		c->status = w[1];
		c->max_pkt = w[6];
		c->align_shift = w[8];
		if (w[8] > 12)
			goto bad;
		break;
	case OHV_RNDIS_MSG_RESET | OHV_RNDIS_MSG_COMPLETION:
		c->status = w[0];
		break;
	default:
		c->req_id = w[0];
		c->status = w[1];
		break;
	}
	if (len) {
		if (off > h.len ||
		    !ohv_area_ok(RNDIS_HDR + off, len, RNDIS_HDR + lo, h.len))
			goto bad;
		c->info_off = RNDIS_HDR + off;
		c->info_len = len;
	}
	return 0;
bad:
	bad->rndis++;
	return -EBADMSG;
}
EXPORT_SYMBOL_GPL(ohv_rndis_parse_ctrl);

/**
 * ohv_rndis_parse_rss() - validate RSS parameters (an RNDIS SET's buffer)
 * @info: a copy of the SET's information buffer
 * @len: its length
 * @nr_chans: channels the table may name (1 + sub-channels allocated)
 * @t: the table, written only on success
 * @bad: counters
 *
 * Return: 0 with @t set (@t->n 0 if the sender turned RSS off), -ENODATA
 * if the sender keeps its previous table, -EBADMSG for a malformed or
 * out-of-range request (counted in @bad->rndis).
 */
int ohv_rndis_parse_rss(const void *info, u32 len, u32 nr_chans,
			struct ohv_rss_table *t, struct ohv_net_bad *bad)
{
	struct ohv_ndis_rss_params p;
	u32 i, n, v;

	if (len < sizeof(p))
		goto bad;
	memcpy(&p, info, sizeof(p));
	if (p.hdr.type != OHV_NDIS_OBJ_RSS_PARAMS || p.hdr.size < sizeof(p) ||
	    p.hdr.size > len)
		goto bad;
	if (p.flags & OHV_NDIS_RSS_FLAG_DISABLE) {
		t->n = 0;
		return 0;
	}
	if (p.flags & OHV_NDIS_RSS_FLAG_ITABLE_UNCHANGED)
		return -ENODATA;
	n = p.itab_size / sizeof(u32);
	if (!n || p.itab_size % sizeof(u32) || n > OHV_NDIS_RSS_ITAB_MAX ||
	    !ohv_area_ok(p.itab_offset, p.itab_size, sizeof(p), len))
		goto bad;
	if (p.key_size > OHV_NDIS_RSS_KEY_MAX ||
	    (p.key_size &&
	     !ohv_area_ok(p.key_offset, p.key_size, sizeof(p), len)))
		goto bad;
	if (!nr_chans || nr_chans > U8_MAX)
		goto bad;
	for (i = 0; i < n; i++) {
		memcpy(&v, (const u8 *)info + p.itab_offset + i * sizeof(v),
		       sizeof(v));
		if (v >= nr_chans)
			goto bad;
	}
	for (i = 0; i < n; i++) {
		memcpy(&v, (const u8 *)info + p.itab_offset + i * sizeof(v),
		       sizeof(v));
		t->chan[i] = v;
	}
	t->n = n;
	t->hash_info = p.hash_info;
	t->key_len = 0;
	if (p.key_size) {
		memset(t->key, 0, sizeof(t->key));
		memcpy(t->key, (const u8 *)info + p.key_offset, p.key_size);
		t->key_len = OHV_NDIS_RSS_KEY_MAX;
	}
	return 0;
bad:
	bad->rndis++;
	return -EBADMSG;
}
EXPORT_SYMBOL_GPL(ohv_rndis_parse_rss);

/**
 * ohv_rss_build() - RSS parameters naming a given indirection table
 * @buf: where to build them
 * @room: its size
 * @chan: channel index per entry
 * @entries: entries, 1..OHV_NDIS_RSS_ITAB_MAX
 * @key: the Toeplitz key (OHV_NDIS_RSS_KEY_MAX bytes, after the table),
 *	or NULL to keep the one the host has
 *
 * The host hashes each flow with Toeplitz over @key (TCP with its ports,
 * other IP traffic by its addresses) and reports the hash with each
 * packet.
 *
 * Return: the length built, 0 if it does not fit.
 */
u32 ohv_rss_build(void *buf, u32 room, const u8 *chan, u32 entries,
		  const u8 *key)
{
	struct ohv_ndis_rss_params p = {
		.hdr.type = OHV_NDIS_OBJ_RSS_PARAMS,
		.hdr.revision = OHV_NDIS_RSS_PARAMS_REVISION,
		.hdr.size = sizeof(p),
		.hash_info = OHV_RSS_HASH_DEFAULT,
		.itab_size = entries * sizeof(u32),
		.itab_offset = sizeof(p),
	};
	u32 i, v, len = sizeof(p) + entries * sizeof(u32);

	if (!entries || entries > OHV_NDIS_RSS_ITAB_MAX)
		return 0;
	if (key) {
		p.key_size = OHV_NDIS_RSS_KEY_MAX;
		p.key_offset = len;
		len += OHV_NDIS_RSS_KEY_MAX;
	}
	if (room < len)
		return 0;
	memcpy(buf, &p, sizeof(p));
	for (i = 0; i < entries; i++) {
		v = chan[i];
		memcpy((u8 *)buf + sizeof(p) + i * sizeof(v), &v, sizeof(v));
	}
	if (key)
		memcpy((u8 *)buf + p.key_offset, key, OHV_NDIS_RSS_KEY_MAX);
	return len;
}
EXPORT_SYMBOL_GPL(ohv_rss_build);

const u8 ohv_rss_default_key[OHV_NDIS_RSS_KEY_MAX] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};
EXPORT_SYMBOL_GPL(ohv_rss_default_key);

/**
 * ohv_toeplitz() - the Toeplitz hash RSS uses
 * @key: OHV_NDIS_RSS_KEY_MAX bytes
 * @in: the input (addresses, then ports, in network byte order)
 * @len: its length, at most OHV_RSS_INPUT_MAX
 *
 * Each set input bit, most significant first, XORs in the 32 key bits
 * that start at its position.
 *
 * Return: the hash.
 */
u32 ohv_toeplitz(const u8 *key, const u8 *in, u32 len)
{
	u32 win = (u32)key[0] << 24 | (u32)key[1] << 16 | (u32)key[2] << 8 |
		  key[3];
	u32 hash = 0, i, b;

	if (len > OHV_RSS_INPUT_MAX)
		len = OHV_RSS_INPUT_MAX;
	for (i = 0; i < len; i++) {
		for (b = 0; b < 8; b++) {
			if (in[i] & (0x80 >> b))
				hash ^= win;
			/* Slide the window one bit along the key. */
			win = win << 1 | ((key[i + 4] >> (7 - b)) & 1);
		}
	}
	return hash;
}
EXPORT_SYMBOL_GPL(ohv_toeplitz);

/* The last window read starts in key byte OHV_RSS_INPUT_MAX - 1. */
static_assert(OHV_RSS_INPUT_MAX + 4 <= OHV_NDIS_RSS_KEY_MAX,
	      "a Toeplitz window past the key");

/* The 32 key bits that start at bit @bit (0: the first key byte's MSB). */
static u32 ohv_toeplitz_window(const u8 *key, u32 bit)
{
	const u8 *k = key + bit / 8;
	u64 w = (u64)k[0] << 32 | (u64)k[1] << 24 | (u64)k[2] << 16 |
		(u64)k[3] << 8 | k[4];

	return (u32)(w >> (8 - bit % 8));
}

/**
 * ohv_toeplitz_prep() - the lookup tables of a key
 * @tab: filled in
 * @key: OHV_NDIS_RSS_KEY_MAX bytes
 */
void ohv_toeplitz_prep(struct ohv_toeplitz_tab *tab, const u8 *key)
{
	u32 n, v, j, h;

	for (n = 0; n < OHV_TOEPLITZ_ROWS; n++) {
		for (v = 0; v < 16; v++) {
			h = 0;
			for (j = 0; j < 4; j++)
				if (v & (8 >> j))
					h ^= ohv_toeplitz_window(key, 4 * n + j);
			tab->row[n][v] = h;
		}
	}
}
EXPORT_SYMBOL_GPL(ohv_toeplitz_prep);

/**
 * ohv_toeplitz_tab() - ohv_toeplitz() through the tables of its key
 * @tab: from ohv_toeplitz_prep()
 * @in: the input
 * @len: its length, at most OHV_RSS_INPUT_MAX
 *
 * Return: the hash.
 */
u32 ohv_toeplitz_tab(const struct ohv_toeplitz_tab *tab, const u8 *in,
		     u32 len)
{
	u32 hash = 0, i;

	if (len > OHV_RSS_INPUT_MAX)
		len = OHV_RSS_INPUT_MAX;
	for (i = 0; i < len; i++)
		hash ^= tab->row[2 * i][in[i] >> 4] ^
			tab->row[2 * i + 1][in[i] & 15];
	return hash;
}
EXPORT_SYMBOL_GPL(ohv_toeplitz_tab);

#ifdef __KERNEL__
MODULE_DESCRIPTION("ohv NVSP and RNDIS protocol helpers");
MODULE_LICENSE("GPL");
#endif
