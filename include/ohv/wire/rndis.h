/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RNDIS as carried over NVSP: control messages (INIT, QUERY, SET, ...)
 * and data packets with per-packet info (checksum, LSO, 802.1Q, hash).
 *
 * Every message starts with struct ohv_rndis_hdr; the offsets inside a
 * message body are relative to the body (the byte after the header).
 * All fields little endian.
 */
#ifndef _OHV_WIRE_RNDIS_H
#define _OHV_WIRE_RNDIS_H

#include <ohv/compat.h>

/* Message types. */
#define OHV_RNDIS_MSG_PACKET		0x00000001
#define OHV_RNDIS_MSG_INIT		0x00000002
#define OHV_RNDIS_MSG_HALT		0x00000003
#define OHV_RNDIS_MSG_QUERY		0x00000004
#define OHV_RNDIS_MSG_SET		0x00000005
#define OHV_RNDIS_MSG_RESET		0x00000006
#define OHV_RNDIS_MSG_INDICATE		0x00000007
#define OHV_RNDIS_MSG_KEEPALIVE		0x00000008
#define OHV_RNDIS_MSG_COMPLETION	0x80000000

/* Status codes. */
#define OHV_RNDIS_STATUS_SUCCESS	0x00000000
#define OHV_RNDIS_STATUS_MEDIA_CONNECT	0x4001000b
#define OHV_RNDIS_STATUS_MEDIA_DISCONNECT 0x4001000c
#define OHV_RNDIS_STATUS_NETWORK_CHANGE	0x40010018
#define OHV_RNDIS_STATUS_FAILURE	0xc0000001
#define OHV_RNDIS_STATUS_NOT_SUPPORTED	0xc00000bb
#define OHV_RNDIS_STATUS_INVALID_DATA	0xc0010015
#define OHV_RNDIS_STATUS_INVALID_LENGTH	0xc0010014

/* OIDs the Linux driver uses. */
#define OHV_OID_GEN_SUPPORTED_LIST	0x00010101
#define OHV_OID_GEN_MAXIMUM_FRAME_SIZE	0x00010106
#define OHV_OID_GEN_LINK_SPEED		0x00010107
#define OHV_OID_GEN_CURRENT_PACKET_FILTER 0x0001010e
#define OHV_OID_GEN_MEDIA_CONNECT_STATUS 0x00010114
#define OHV_OID_GEN_RSS_CAPABILITIES	0x00010203
#define OHV_OID_GEN_RSS_PARAMETERS	0x00010204
#define OHV_OID_802_3_PERMANENT_ADDRESS	0x01010101
#define OHV_OID_802_3_CURRENT_ADDRESS	0x01010102
#define OHV_OID_TCP_OFFLOAD_PARAMETERS	0xfc01020c
#define OHV_OID_TCP_OFFLOAD_HW_CAPS	0xfc01020d

/* INIT completion values. */
#define OHV_RNDIS_MAJOR_VERSION		1
#define OHV_RNDIS_MINOR_VERSION		0
#define OHV_RNDIS_DF_CONNECTIONLESS	0x00000001
#define OHV_RNDIS_MEDIUM_802_3		0x00000000

/* Media connect status values. */
#define OHV_RNDIS_MEDIA_CONNECTED	0
#define OHV_RNDIS_MEDIA_DISCONNECTED	1

/* Packet filter bits. */
#define OHV_NDIS_PACKET_TYPE_DIRECTED	0x00000001
#define OHV_NDIS_PACKET_TYPE_MULTICAST	0x00000002
#define OHV_NDIS_PACKET_TYPE_ALL_MULTICAST 0x00000004
#define OHV_NDIS_PACKET_TYPE_BROADCAST	0x00000008
#define OHV_NDIS_PACKET_TYPE_PROMISCUOUS 0x00000020

/* Per-packet info types. */
#define OHV_PPI_CHECKSUM		0
#define OHV_PPI_LSO			2
#define OHV_PPI_8021Q			6
#define OHV_PPI_HASH			8

/* Checksum PPI, transmit (guest asks the host to compute). */
#define OHV_CSUM_TX_IPV4		BIT(0)
#define OHV_CSUM_TX_IPV6		BIT(1)
#define OHV_CSUM_TX_TCP			BIT(2)
#define OHV_CSUM_TX_UDP			BIT(3)
#define OHV_CSUM_TX_IP_HDR		BIT(4)
#define OHV_CSUM_TX_TCP_OFF_SHIFT	16
#define OHV_CSUM_TX_TCP_OFF_MASK	0x3ff
/* Checksum PPI, receive (host tells the guest what it verified). */
#define OHV_CSUM_RX_TCP_FAILED		BIT(0)
#define OHV_CSUM_RX_UDP_FAILED		BIT(1)
#define OHV_CSUM_RX_IP_FAILED		BIT(2)
#define OHV_CSUM_RX_TCP_OK		BIT(3)
#define OHV_CSUM_RX_UDP_OK		BIT(4)
#define OHV_CSUM_RX_IP_OK		BIT(5)

/* LSO v2 PPI (transmit). */
#define OHV_LSO_MSS_MASK		0xfffff
#define OHV_LSO_TCP_OFF_SHIFT		20
#define OHV_LSO_TCP_OFF_MASK		0x3ff
#define OHV_LSO_V2			BIT(30)
#define OHV_LSO_IPV6			BIT(31)

/* 802.1Q PPI: priority 0..2, CFI 3, VLAN id 4..15. */
#define OHV_8021Q_PRI_MASK		0x7
#define OHV_8021Q_VID_SHIFT		4
#define OHV_8021Q_VID_MASK		0xfff

/* NDIS object header types and offload encodings. */
#define OHV_NDIS_OBJ_DEFAULT		0x80
#define OHV_NDIS_OBJ_RSS_CAPS		0x88
#define OHV_NDIS_OBJ_RSS_PARAMS		0x89
#define OHV_NDIS_OBJ_OFFLOAD		0xa7
#define OHV_NDIS_ENCAP_8023		0x0002
#define OHV_NDIS_CSUM_IP4OPT		0x001
#define OHV_NDIS_CSUM_TCPOPT		0x004
#define OHV_NDIS_CSUM_TCP		0x010
#define OHV_NDIS_CSUM_UDP		0x040
#define OHV_NDIS_CSUM_IP4		0x100
#define OHV_NDIS_LSOV2_IP6		0x005
/* ndis_offload_params per-field values. */
#define OHV_NDIS_OFFLOAD_NO_CHANGE	0
#define OHV_NDIS_OFFLOAD_TXRX_DISABLED	1
#define OHV_NDIS_OFFLOAD_TX_ONLY	2
#define OHV_NDIS_OFFLOAD_RX_ONLY	3
#define OHV_NDIS_OFFLOAD_TXRX		4
#define OHV_NDIS_LSO_DISABLED		1
#define OHV_NDIS_LSO_ENABLED		2
#define OHV_NDIS_RSC_DISABLED		1
#define OHV_NDIS_RSC_ENABLED		2
/* Offload parameters revision that carries the RSC fields. */
#define OHV_NDIS_OFFLOAD_PARAMS_REVISION_3	3

struct ohv_rndis_hdr {
	u32 type;		/* OHV_RNDIS_MSG_* */
	u32 len;		/* whole message, header included */
} __packed;

struct ohv_rndis_init_req {
	u32 req_id;
	u32 major;
	u32 minor;
	u32 max_xfer_size;
} __packed;

struct ohv_rndis_init_cmplt {
	u32 req_id;
	u32 status;
	u32 major;
	u32 minor;
	u32 dev_flags;
	u32 medium;
	u32 max_pkt_per_msg;
	u32 max_xfer_size;
	u32 pkt_align_factor;	/* log2 of the packet alignment */
	u32 af_list_offset;
	u32 af_list_size;
} __packed;

struct ohv_rndis_query_req {	/* also SET */
	u32 req_id;
	u32 oid;
	u32 info_len;
	u32 info_offset;	/* from the body start */
	u32 dev_vc_handle;
} __packed;

struct ohv_rndis_query_cmplt {
	u32 req_id;
	u32 status;
	u32 info_len;
	u32 info_offset;	/* from the body start */
} __packed;

struct ohv_rndis_set_cmplt {	/* also KEEPALIVE completion */
	u32 req_id;
	u32 status;
} __packed;

struct ohv_rndis_reset_cmplt {
	u32 status;
	u32 addressing_reset;
} __packed;

struct ohv_rndis_indicate {
	u32 status;
	u32 buf_len;
	u32 buf_offset;		/* from the body start */
} __packed;

struct ohv_rndis_packet {
	u32 data_offset;	/* frame, from the body start */
	u32 data_len;
	u32 oob_offset;
	u32 oob_len;
	u32 num_oob;
	u32 ppi_offset;		/* per-packet info, from the body start */
	u32 ppi_len;
	u32 vc_handle;
	u32 reserved;
} __packed;

struct ohv_rndis_ppi {
	u32 size;		/* this PPI, header included */
	u32 type;		/* OHV_PPI_*; bit 31: internal */
	u32 ppi_offset;		/* data, from the PPI start (12) */
} __packed;

struct ohv_ndis_obj_hdr {
	u8 type;
	u8 revision;
	u16 size;
} __packed;

struct ohv_ndis_rss_caps {
	struct ohv_ndis_obj_hdr hdr;
	u32 cap_flags;
	u32 num_int_msg;
	u32 num_recv_queues;
	u16 num_indirect_entries;
} __packed;

/* NDIS receive-scale (RSS) parameters: OID_GEN_RECEIVE_SCALE_PARAMETERS. */
#define OHV_NDIS_RSS_PARAMS_REVISION	2
#define OHV_NDIS_RSS_FLAG_ITABLE_UNCHANGED	0x0004
#define OHV_NDIS_RSS_FLAG_DISABLE	0x0010
#define OHV_NDIS_RSS_HASH_TOEPLITZ	0x00000001
#define OHV_NDIS_RSS_HASH_IPV4		0x00000100
#define OHV_NDIS_RSS_HASH_TCP_IPV4	0x00000200
#define OHV_NDIS_RSS_HASH_IPV6		0x00000400
#define OHV_NDIS_RSS_HASH_TCP_IPV6	0x00001000
/* Most indirection-table entries (u32 each) and key bytes accepted. */
#define OHV_NDIS_RSS_ITAB_MAX		128
#define OHV_NDIS_RSS_KEY_MAX		40

/*
 * Followed, at the offsets it names from its own start, by the
 * indirection table (itab_size bytes of u32 channel indexes) and the
 * hash key.
 */
struct ohv_ndis_rss_params {
	struct ohv_ndis_obj_hdr hdr;
	u16 flags;
	u16 base_cpu;
	u32 hash_info;
	u16 itab_size;
	u16 pad1;
	u32 itab_offset;
	u16 key_size;
	u16 pad2;
	u32 key_offset;
	u32 cpu_masks_offset;
	u32 nr_cpu_masks;
	u32 cpu_mask_entry_size;
} __packed;

struct ohv_ndis_offload {
	struct ohv_ndis_obj_hdr hdr;
	/* checksum */
	u32 ip4_txenc;
	u32 ip4_txcsum;
	u32 ip4_rxenc;
	u32 ip4_rxcsum;
	u32 ip6_txenc;
	u32 ip6_txcsum;
	u32 ip6_rxenc;
	u32 ip6_rxcsum;
	u32 lsov1[4];
	u32 ipsecv1[7];
	/* LSO v2 */
	u32 lso4_encap;
	u32 lso4_maxsz;
	u32 lso4_minsegs;
	u32 lso6_encap;
	u32 lso6_maxsz;
	u32 lso6_minsegs;
	u32 lso6_opts;
	u32 flags;
	u8 ipsecv2[32];
	u8 rsc_ip4;
	u8 rsc_ip6;
	u8 pad[2];
	u32 encap_flags;
	u32 encap_maxhdr;
} __packed;

struct ohv_ndis_offload_params {
	struct ohv_ndis_obj_hdr hdr;
	u8 ip4_csum;
	u8 tcp4_csum;
	u8 udp4_csum;
	u8 tcp6_csum;
	u8 udp6_csum;
	u8 lsov1;
	u8 ipsecv1;
	u8 lsov2_ip4;
	u8 lsov2_ip6;
	u8 tcp_conn_ip4;
	u8 tcp_conn_ip6;
	u8 pad;
	u32 flags;
	u8 ipsecv2;
	u8 ipsecv2_ip4;
	u8 rsc_ip4;
	u8 rsc_ip6;
	u8 encap_task;
	u8 encap_types;
	u8 pad2[2];
} __packed;

/* Sizes the Linux driver checks offload capabilities against. */
#define OHV_NDIS_OFFLOAD_SIZE_6_0	112
#define OHV_NDIS_OFFLOAD_REVISION	3

OHV_WIRE_SIZE(struct ohv_rndis_hdr, 8);
OHV_WIRE_SIZE(struct ohv_rndis_init_req, 16);
OHV_WIRE_SIZE(struct ohv_rndis_init_cmplt, 44);
OHV_WIRE_OFFSET(struct ohv_rndis_init_cmplt, max_pkt_per_msg, 24);
OHV_WIRE_OFFSET(struct ohv_rndis_init_cmplt, pkt_align_factor, 32);
OHV_WIRE_SIZE(struct ohv_rndis_query_req, 20);
OHV_WIRE_OFFSET(struct ohv_rndis_query_req, info_offset, 12);
OHV_WIRE_SIZE(struct ohv_rndis_query_cmplt, 16);
OHV_WIRE_OFFSET(struct ohv_rndis_query_cmplt, info_offset, 12);
OHV_WIRE_SIZE(struct ohv_rndis_set_cmplt, 8);
OHV_WIRE_SIZE(struct ohv_rndis_reset_cmplt, 8);
OHV_WIRE_SIZE(struct ohv_rndis_indicate, 12);
OHV_WIRE_SIZE(struct ohv_rndis_packet, 36);
OHV_WIRE_OFFSET(struct ohv_rndis_packet, ppi_offset, 20);
OHV_WIRE_OFFSET(struct ohv_rndis_packet, ppi_len, 24);
OHV_WIRE_SIZE(struct ohv_rndis_ppi, 12);
OHV_WIRE_SIZE(struct ohv_ndis_obj_hdr, 4);
OHV_WIRE_SIZE(struct ohv_ndis_rss_caps, 18);
OHV_WIRE_OFFSET(struct ohv_ndis_rss_caps, num_recv_queues, 12);
OHV_WIRE_SIZE(struct ohv_ndis_rss_params, 40);
OHV_WIRE_OFFSET(struct ohv_ndis_rss_params, hash_info, 8);
OHV_WIRE_OFFSET(struct ohv_ndis_rss_params, itab_size, 12);
OHV_WIRE_OFFSET(struct ohv_ndis_rss_params, itab_offset, 16);
OHV_WIRE_OFFSET(struct ohv_ndis_rss_params, key_size, 20);
OHV_WIRE_OFFSET(struct ohv_ndis_rss_params, key_offset, 24);
OHV_WIRE_OFFSET(struct ohv_ndis_rss_params, cpu_mask_entry_size, 36);
OHV_WIRE_SIZE(struct ohv_ndis_offload, 156);
OHV_WIRE_OFFSET(struct ohv_ndis_offload, ip4_txcsum, 8);
OHV_WIRE_OFFSET(struct ohv_ndis_offload, ip6_rxcsum, 32);
OHV_WIRE_OFFSET(struct ohv_ndis_offload, lso4_encap, 80);
OHV_WIRE_OFFSET(struct ohv_ndis_offload, flags, 108);
OHV_WIRE_OFFSET(struct ohv_ndis_offload, ipsecv2, OHV_NDIS_OFFLOAD_SIZE_6_0);
OHV_WIRE_OFFSET(struct ohv_ndis_offload, rsc_ip4, 144);
OHV_WIRE_OFFSET(struct ohv_ndis_offload, encap_flags, 148);
OHV_WIRE_SIZE(struct ohv_ndis_offload_params, 28);
OHV_WIRE_OFFSET(struct ohv_ndis_offload_params, tcp4_csum, 5);
OHV_WIRE_OFFSET(struct ohv_ndis_offload_params, lsov2_ip4, 11);
OHV_WIRE_OFFSET(struct ohv_ndis_offload_params, flags, 16);
OHV_WIRE_OFFSET(struct ohv_ndis_offload_params, rsc_ip4, 22);

#endif /* _OHV_WIRE_RNDIS_H */
