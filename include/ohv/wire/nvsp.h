/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NVSP: the network VSP protocol spoken on a synthetic NIC's VMBus
 * channels, as Hyper-V defines it.
 *
 * Every NVSP message starts with a 32-bit type. Senders pad messages to
 * OHV_NVSP_MSG_SIZE (Linux sends the whole 40-byte union); receivers must
 * only rely on the bytes a message type needs (ohv_nvsp_min_len()).
 *
 * Guest-to-host requests go in-band with COMPLETION_REQUESTED; the host
 * answers in a VMBus completion packet (OHV_VMPKT_COMP) carrying the
 * *_COMPLETE message and the request's transaction id. Received frames go
 * host-to-guest in DATA_USING_XFER_PAGES packets that point into the
 * receive buffer (transfer page set OHV_NVSP_RECV_BUF_ID); the guest
 * completes each with SEND_RNDIS_PKT_COMPLETE. All fields little endian.
 */
#ifndef _OHV_WIRE_NVSP_H
#define _OHV_WIRE_NVSP_H

#include <ohv/compat.h>

/* Protocol versions, oldest first. */
#define OHV_NVSP_VERSION_1		0x00002
#define OHV_NVSP_VERSION_2		0x30002
#define OHV_NVSP_VERSION_4		0x40000
#define OHV_NVSP_VERSION_5		0x50000
#define OHV_NVSP_VERSION_6		0x60000
#define OHV_NVSP_VERSION_61		0x60001

/* Message types (struct ohv_nvsp_hdr.type). */
#define OHV_NVSP_INIT			1
#define OHV_NVSP_INIT_COMPLETE		2
#define OHV_NVSP1_SEND_NDIS_VER		100
#define OHV_NVSP1_SEND_RECV_BUF		101
#define OHV_NVSP1_SEND_RECV_BUF_COMPLETE 102
#define OHV_NVSP1_REVOKE_RECV_BUF	103
#define OHV_NVSP1_SEND_SEND_BUF		104
#define OHV_NVSP1_SEND_SEND_BUF_COMPLETE 105
#define OHV_NVSP1_REVOKE_SEND_BUF	106
#define OHV_NVSP1_SEND_RNDIS_PKT	107
#define OHV_NVSP1_SEND_RNDIS_PKT_COMPLETE 108
#define OHV_NVSP2_SEND_NDIS_CONFIG	125
#define OHV_NVSP4_SEND_VF_ASSOC		128
#define OHV_NVSP4_SWITCH_DATA_PATH	129
#define OHV_NVSP5_SUBCHANNEL		133
#define OHV_NVSP5_SEND_INDIRECTION_TABLE 134

/* Status values in completions. */
#define OHV_NVSP_STAT_NONE		0
#define OHV_NVSP_STAT_SUCCESS		1
#define OHV_NVSP_STAT_FAIL		2

/* SEND_RNDIS_PKT channel_type. */
#define OHV_NVSP_CHANNEL_DATA		0
#define OHV_NVSP_CHANNEL_CONTROL	1
/* SEND_RNDIS_PKT section index: the message is in GPA ranges instead. */
#define OHV_NVSP_NO_SECTION		0xffffffffU

/* Transfer page set id of the receive buffer; id of the send buffer. */
#define OHV_NVSP_RECV_BUF_ID		0xcafe
#define OHV_NVSP_SEND_BUF_ID		0

/* SUBCHANNEL operation. */
#define OHV_NVSP_SUBCHANNEL_ALLOCATE	1

/* Entries of the send indirection table. */
#define OHV_NVSP_SEND_TABLE_SIZE	16

/* Bytes Linux sends for every message (header + largest union member). */
#define OHV_NVSP_MSG_SIZE		40

/* NDIS_CONFIG capability bits. */
#define OHV_NVSP_CAP_VMQ		BIT_ULL(0)
#define OHV_NVSP_CAP_SRIOV		BIT_ULL(2)
#define OHV_NVSP_CAP_IEEE8021Q		BIT_ULL(3)
#define OHV_NVSP_CAP_TEAMING		BIT_ULL(5)
#define OHV_NVSP_CAP_RSC		BIT_ULL(7)

struct ohv_nvsp_hdr {
	u32 type;		/* OHV_NVSP_* */
} __packed;

struct ohv_nvsp_init {
	u32 type;		/* OHV_NVSP_INIT */
	u32 min_ver;		/* oldest version the guest accepts */
	u32 max_ver;		/* newest version the guest accepts */
} __packed;

struct ohv_nvsp_init_complete {
	u32 type;		/* OHV_NVSP_INIT_COMPLETE */
	u32 negotiated_ver;	/* version chosen */
	u32 max_mdl_chain_len;	/* informational */
	u32 status;		/* OHV_NVSP_STAT_* */
} __packed;

struct ohv_nvsp_ndis_ver {
	u32 type;		/* OHV_NVSP1_SEND_NDIS_VER */
	u32 major;		/* NDIS major version (6) */
	u32 minor;		/* NDIS minor version */
} __packed;

struct ohv_nvsp_ndis_config {
	u32 type;		/* OHV_NVSP2_SEND_NDIS_CONFIG */
	u32 mtu;		/* MTU + Ethernet header */
	u32 reserved;
	u64 caps;		/* OHV_NVSP_CAP_* */
} __packed;

struct ohv_nvsp_send_buf {
	u32 type;		/* SEND_RECV_BUF or SEND_SEND_BUF */
	u32 gpadl;		/* GPADL handle of the buffer */
	u16 id;			/* OHV_NVSP_RECV_BUF_ID / OHV_NVSP_SEND_BUF_ID */
} __packed;

struct ohv_nvsp_recv_section {
	u32 offset;		/* start of the section in the buffer */
	u32 sub_alloc_size;	/* bytes per sub-allocation */
	u32 num_sub_allocs;	/* sub-allocations in the section */
	u32 end_offset;		/* end of the section */
} __packed;

struct ohv_nvsp_recv_buf_complete {
	u32 type;		/* OHV_NVSP1_SEND_RECV_BUF_COMPLETE */
	u32 status;		/* OHV_NVSP_STAT_* */
	u32 num_sections;	/* 1 */
	struct ohv_nvsp_recv_section section;
} __packed;

struct ohv_nvsp_send_buf_complete {
	u32 type;		/* OHV_NVSP1_SEND_SEND_BUF_COMPLETE */
	u32 status;		/* OHV_NVSP_STAT_* */
	u32 section_size;	/* bytes per send section */
} __packed;

struct ohv_nvsp_revoke_buf {
	u32 type;		/* REVOKE_RECV_BUF or REVOKE_SEND_BUF */
	u16 id;			/* the buffer's id */
} __packed;

struct ohv_nvsp_rndis_pkt {
	u32 type;		/* OHV_NVSP1_SEND_RNDIS_PKT */
	u32 channel_type;	/* OHV_NVSP_CHANNEL_* */
	u32 section_index;	/* send section, or OHV_NVSP_NO_SECTION */
	u32 section_size;	/* bytes used in the section */
} __packed;

struct ohv_nvsp_rndis_pkt_complete {
	u32 type;		/* OHV_NVSP1_SEND_RNDIS_PKT_COMPLETE */
	u32 status;		/* OHV_NVSP_STAT_* */
} __packed;

struct ohv_nvsp_subchannel {
	u32 type;		/* OHV_NVSP5_SUBCHANNEL */
	u32 op;			/* OHV_NVSP_SUBCHANNEL_ALLOCATE */
	u32 num;		/* sub-channels wanted */
} __packed;

struct ohv_nvsp_subchannel_complete {
	u32 type;		/* OHV_NVSP5_SUBCHANNEL */
	u32 status;		/* OHV_NVSP_STAT_* */
	u32 num;		/* sub-channels offered */
} __packed;

struct ohv_nvsp_send_table {
	u32 type;		/* OHV_NVSP5_SEND_INDIRECTION_TABLE */
	u32 count;		/* OHV_NVSP_SEND_TABLE_SIZE */
	u32 offset;		/* of the u32 table from the message start */
} __packed;

/* Any NVSP message, padded to what Linux sends. */
struct ohv_nvsp_msg {
	union {
		struct ohv_nvsp_hdr hdr;
		struct ohv_nvsp_init init;
		struct ohv_nvsp_init_complete init_complete;
		struct ohv_nvsp_ndis_ver ndis_ver;
		struct ohv_nvsp_ndis_config ndis_config;
		struct ohv_nvsp_send_buf send_buf;
		struct ohv_nvsp_recv_buf_complete recv_buf_complete;
		struct ohv_nvsp_send_buf_complete send_buf_complete;
		struct ohv_nvsp_revoke_buf revoke_buf;
		struct ohv_nvsp_rndis_pkt rndis_pkt;
		struct ohv_nvsp_rndis_pkt_complete rndis_pkt_complete;
		struct ohv_nvsp_subchannel subchannel;
		struct ohv_nvsp_subchannel_complete subchannel_complete;
		struct ohv_nvsp_send_table send_table;
		u8 raw[OHV_NVSP_MSG_SIZE];
	};
} __packed;

/* The indirection table message: header, then the table at offset 40. */
struct ohv_nvsp_send_table_msg {
	struct ohv_nvsp_msg msg;
	u32 table[OHV_NVSP_SEND_TABLE_SIZE];
} __packed;

OHV_WIRE_SIZE(struct ohv_nvsp_hdr, 4);
OHV_WIRE_SIZE(struct ohv_nvsp_init, 12);
OHV_WIRE_OFFSET(struct ohv_nvsp_init, min_ver, 4);
OHV_WIRE_OFFSET(struct ohv_nvsp_init, max_ver, 8);
OHV_WIRE_SIZE(struct ohv_nvsp_init_complete, 16);
OHV_WIRE_OFFSET(struct ohv_nvsp_init_complete, negotiated_ver, 4);
OHV_WIRE_OFFSET(struct ohv_nvsp_init_complete, max_mdl_chain_len, 8);
OHV_WIRE_OFFSET(struct ohv_nvsp_init_complete, status, 12);
OHV_WIRE_SIZE(struct ohv_nvsp_ndis_ver, 12);
OHV_WIRE_OFFSET(struct ohv_nvsp_ndis_ver, minor, 8);
OHV_WIRE_SIZE(struct ohv_nvsp_ndis_config, 20);
OHV_WIRE_OFFSET(struct ohv_nvsp_ndis_config, mtu, 4);
OHV_WIRE_OFFSET(struct ohv_nvsp_ndis_config, caps, 12);
OHV_WIRE_SIZE(struct ohv_nvsp_send_buf, 10);
OHV_WIRE_OFFSET(struct ohv_nvsp_send_buf, gpadl, 4);
OHV_WIRE_OFFSET(struct ohv_nvsp_send_buf, id, 8);
OHV_WIRE_SIZE(struct ohv_nvsp_recv_section, 16);
OHV_WIRE_SIZE(struct ohv_nvsp_recv_buf_complete, 28);
OHV_WIRE_OFFSET(struct ohv_nvsp_recv_buf_complete, num_sections, 8);
OHV_WIRE_OFFSET(struct ohv_nvsp_recv_buf_complete, section, 12);
OHV_WIRE_SIZE(struct ohv_nvsp_send_buf_complete, 12);
OHV_WIRE_OFFSET(struct ohv_nvsp_send_buf_complete, section_size, 8);
OHV_WIRE_SIZE(struct ohv_nvsp_revoke_buf, 6);
OHV_WIRE_SIZE(struct ohv_nvsp_rndis_pkt, 16);
OHV_WIRE_OFFSET(struct ohv_nvsp_rndis_pkt, channel_type, 4);
OHV_WIRE_OFFSET(struct ohv_nvsp_rndis_pkt, section_index, 8);
OHV_WIRE_OFFSET(struct ohv_nvsp_rndis_pkt, section_size, 12);
OHV_WIRE_SIZE(struct ohv_nvsp_rndis_pkt_complete, 8);
OHV_WIRE_SIZE(struct ohv_nvsp_subchannel, 12);
OHV_WIRE_SIZE(struct ohv_nvsp_subchannel_complete, 12);
OHV_WIRE_SIZE(struct ohv_nvsp_send_table, 12);
OHV_WIRE_OFFSET(struct ohv_nvsp_send_table, offset, 8);
OHV_WIRE_SIZE(struct ohv_nvsp_msg, OHV_NVSP_MSG_SIZE);
OHV_WIRE_SIZE(struct ohv_nvsp_send_table_msg, 104);
OHV_WIRE_OFFSET(struct ohv_nvsp_send_table_msg, table, 40);

#endif /* _OHV_WIRE_NVSP_H */
