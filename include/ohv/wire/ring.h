/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMBus ring buffer and packet layouts, as shared with a Hyper-V peer.
 *
 * A channel has two rings (outbound first, then inbound) in one GPADL.
 * Each ring is a 4 KiB header page followed by a data area that is a
 * multiple of 4 KiB.  Packets are 8-byte aligned; each is followed by an
 * 8-byte trailer holding the writer's previous write index in its upper
 * 32 bits.  All fields are little endian (see <ohv/compat.h>).
 */
#ifndef _OHV_WIRE_RING_H
#define _OHV_WIRE_RING_H

#include <ohv/compat.h>

/* Page size of the Hyper-V ABI, independent of the kernel's PAGE_SIZE. */
#define OHV_HV_PAGE_SHIFT	12
#define OHV_HV_PAGE_SIZE	4096U

/* feature_bits bit 0: the peer honours pending_send_sz. */
#define OHV_RING_FEAT_PENDING_SEND_SZ	0x1

/* Header page at the start of every ring. */
struct ohv_ring_header {
	u32 write_index;	/* writer's next byte offset in the data area */
	u32 read_index;		/* reader's next byte offset in the data area */
	u32 interrupt_mask;	/* non-zero: reader polls, writer must not signal */
	u32 pending_send_sz;	/* bytes a blocked writer waits for; 0 = none */
	u32 reserved1[12];	/* zero */
	u32 feature_bits;	/* OHV_RING_FEAT_* */
	u8 reserved2[4028];	/* pads the header to one 4 KiB page */
} __packed __aligned(8);	/* always page aligned; lets us use its fields atomically */

/* Packet types (ohv_vmpacket_desc.type). */
enum ohv_vmpacket_type {
	OHV_VMPKT_INVALID		= 0x0,
	OHV_VMPKT_SYNCH			= 0x1,
	OHV_VMPKT_ADD_XFER_PAGESET	= 0x2,
	OHV_VMPKT_RM_XFER_PAGESET	= 0x3,
	OHV_VMPKT_ESTABLISH_GPADL	= 0x4,
	OHV_VMPKT_TEARDOWN_GPADL	= 0x5,
	OHV_VMPKT_DATA_INBAND		= 0x6,
	OHV_VMPKT_DATA_USING_XFER_PAGES	= 0x7,
	OHV_VMPKT_DATA_USING_GPADL	= 0x8,
	OHV_VMPKT_DATA_USING_GPA_DIRECT	= 0x9,
	OHV_VMPKT_CANCEL_REQUEST	= 0xa,
	OHV_VMPKT_COMP			= 0xb,
	OHV_VMPKT_DATA_USING_ADDITIONAL_PKT = 0xc,
	OHV_VMPKT_ADDITIONAL_DATA	= 0xd,
	OHV_VMPKT_TYPE_MAX		= OHV_VMPKT_ADDITIONAL_DATA
};

/* ohv_vmpacket_desc.flags: the sender wants an OHV_VMPKT_COMP back. */
#define OHV_VMPKT_FLAG_COMPLETION_REQUESTED	0x1

/* Descriptor at the start of every packet. */
struct ohv_vmpacket_desc {
	u16 type;		/* enum ohv_vmpacket_type */
	u16 offset8;		/* payload offset from packet start, 8-byte units */
	u16 len8;		/* packet length without trailer, 8-byte units */
	u16 flags;		/* OHV_VMPKT_FLAG_* */
	u64 trans_id;		/* request id, echoed by the completion */
} __packed;

/*
 * Trailer after every packet: the write index at which the packet was
 * written, in the upper 32 bits.  Readers must not trust it.
 */
#define OHV_RING_TRAILER_SIZE	8
#define OHV_RING_TRAILER(old_write_index) ((u64)(old_write_index) << 32)

/* One sub-buffer of an OHV_VMPKT_DATA_USING_XFER_PAGES packet. */
struct ohv_xfer_page_range {
	u32 byte_count;		/* bytes in the sub-buffer */
	u32 byte_offset;	/* offset in the transfer page set */
} __packed;

/*
 * Header of an OHV_VMPKT_DATA_USING_XFER_PAGES packet; range_cnt
 * struct ohv_xfer_page_range follow it, then (at offset8) the payload.
 */
struct ohv_vmpacket_xfer_hdr {
	struct ohv_vmpacket_desc d;	/* type DATA_USING_XFER_PAGES */
	u16 xfer_pageset_id;	/* which transfer page set (receive buffer) */
	u8 sender_owns_set;	/* 1 = sender keeps ownership of the pages */
	u8 reserved;		/* zero */
	u32 range_cnt;		/* number of ranges that follow */
} __packed;

/*
 * Header of an OHV_VMPKT_DATA_USING_GPA_DIRECT packet; range_cnt
 * struct ohv_gpa_range, each followed by its PFNs, follow it, then (at
 * offset8) the payload.  ohv_gpa_range is defined in <ohv/wire/vmbus.h>.
 */
struct ohv_vmpacket_gpa_direct_hdr {
	struct ohv_vmpacket_desc d;	/* type DATA_USING_GPA_DIRECT */
	u32 reserved;		/* zero */
	u32 range_cnt;		/* number of ranges that follow */
} __packed;

/* Maximum ranges in a Linux "page buffer" GPA-direct packet. */
#define OHV_MAX_PAGE_BUFFER_COUNT	32

/* A one-page range as used by Linux's page-buffer packets. */
struct ohv_page_buffer {
	u32 len;		/* bytes in the page */
	u32 offset;		/* offset of the first byte in the page */
	u64 pfn;		/* guest page frame number */
} __packed;

static_assert(OHV_HV_PAGE_SIZE == 1U << OHV_HV_PAGE_SHIFT, "page size");
OHV_WIRE_SIZE(struct ohv_ring_header, OHV_HV_PAGE_SIZE);
OHV_WIRE_OFFSET(struct ohv_ring_header, write_index, 0);
OHV_WIRE_OFFSET(struct ohv_ring_header, read_index, 4);
OHV_WIRE_OFFSET(struct ohv_ring_header, interrupt_mask, 8);
OHV_WIRE_OFFSET(struct ohv_ring_header, pending_send_sz, 12);
OHV_WIRE_OFFSET(struct ohv_ring_header, reserved1, 16);
OHV_WIRE_OFFSET(struct ohv_ring_header, feature_bits, 64);
OHV_WIRE_OFFSET(struct ohv_ring_header, reserved2, 68);

OHV_WIRE_SIZE(struct ohv_vmpacket_desc, 16);
OHV_WIRE_OFFSET(struct ohv_vmpacket_desc, type, 0);
OHV_WIRE_OFFSET(struct ohv_vmpacket_desc, offset8, 2);
OHV_WIRE_OFFSET(struct ohv_vmpacket_desc, len8, 4);
OHV_WIRE_OFFSET(struct ohv_vmpacket_desc, flags, 6);
OHV_WIRE_OFFSET(struct ohv_vmpacket_desc, trans_id, 8);

static_assert(sizeof(OHV_RING_TRAILER(0)) == OHV_RING_TRAILER_SIZE,
	      "trailer size");

OHV_WIRE_SIZE(struct ohv_xfer_page_range, 8);
OHV_WIRE_OFFSET(struct ohv_xfer_page_range, byte_count, 0);
OHV_WIRE_OFFSET(struct ohv_xfer_page_range, byte_offset, 4);

/* Ranges start at 24; Linux's struct with one inline range is 32 bytes. */
OHV_WIRE_SIZE(struct ohv_vmpacket_xfer_hdr, 24);
OHV_WIRE_OFFSET(struct ohv_vmpacket_xfer_hdr, xfer_pageset_id, 16);
OHV_WIRE_OFFSET(struct ohv_vmpacket_xfer_hdr, sender_owns_set, 18);
OHV_WIRE_OFFSET(struct ohv_vmpacket_xfer_hdr, reserved, 19);
OHV_WIRE_OFFSET(struct ohv_vmpacket_xfer_hdr, range_cnt, 20);
static_assert(sizeof(struct ohv_vmpacket_xfer_hdr) +
	      sizeof(struct ohv_xfer_page_range) == 32, "xfer-page header");

/* Same for GPA direct (and Linux's mpb_array, which shares the layout). */
OHV_WIRE_SIZE(struct ohv_vmpacket_gpa_direct_hdr, 24);
OHV_WIRE_OFFSET(struct ohv_vmpacket_gpa_direct_hdr, reserved, 16);
OHV_WIRE_OFFSET(struct ohv_vmpacket_gpa_direct_hdr, range_cnt, 20);
static_assert(sizeof(struct ohv_vmpacket_gpa_direct_hdr) + 8 == 32,
	      "gpa-direct header");

OHV_WIRE_SIZE(struct ohv_page_buffer, 16);
OHV_WIRE_OFFSET(struct ohv_page_buffer, len, 0);
OHV_WIRE_OFFSET(struct ohv_page_buffer, offset, 4);
OHV_WIRE_OFFSET(struct ohv_page_buffer, pfn, 8);
/* Linux's vmbus_channel_packet_page_buffer: 24 + 32 * 16 = 536 bytes. */
static_assert(sizeof(struct ohv_vmpacket_gpa_direct_hdr) +
	      OHV_MAX_PAGE_BUFFER_COUNT * sizeof(struct ohv_page_buffer) == 536,
	      "page-buffer packet");

#endif /* _OHV_WIRE_RING_H */
