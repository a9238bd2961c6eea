/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMBus channel messages as they travel in the 240-byte payload of a SynIC
 * message (host -> guest) or of an HvPostMessage hypercall (guest -> host).
 *
 * Every message starts with struct ohv_vmbus_msg_header.  Layouts are those
 * of Hyper-V, so a stock Linux hv_vmbus guest understands them.  All fields
 * are little endian (see <ohv/compat.h>).
 */
#ifndef _OHV_WIRE_VMBUS_H
#define _OHV_WIRE_VMBUS_H

#include <ohv/compat.h>

/* Largest channel message: the SynIC message payload. */
#define OHV_VMBUS_MSG_MAX		240

/* Bytes of caller data carried by an offer and by an open request. */
#define OHV_VMBUS_USER_DEFINED_BYTES	120
/* Caller data left when the offer is in named-pipe mode. */
#define OHV_VMBUS_PIPE_USER_DEFINED_BYTES 116

/* Protocol versions, (major << 16) | minor. */
#define OHV_VMBUS_MAKE_VERSION(major, minor) (((major) << 16) | (minor))
#define OHV_VMBUS_VERSION_WS2008	OHV_VMBUS_MAKE_VERSION(0, 13)
#define OHV_VMBUS_VERSION_WIN7		OHV_VMBUS_MAKE_VERSION(1, 1)
#define OHV_VMBUS_VERSION_WIN8		OHV_VMBUS_MAKE_VERSION(2, 4)
#define OHV_VMBUS_VERSION_WIN8_1	OHV_VMBUS_MAKE_VERSION(3, 0)
#define OHV_VMBUS_VERSION_WIN10		OHV_VMBUS_MAKE_VERSION(4, 0)
#define OHV_VMBUS_VERSION_WIN10_V4_1	OHV_VMBUS_MAKE_VERSION(4, 1)
#define OHV_VMBUS_VERSION_WIN10_V5	OHV_VMBUS_MAKE_VERSION(5, 0)
#define OHV_VMBUS_VERSION_WIN10_V5_1	OHV_VMBUS_MAKE_VERSION(5, 1)
#define OHV_VMBUS_VERSION_WIN10_V5_2	OHV_VMBUS_MAKE_VERSION(5, 2)
#define OHV_VMBUS_VERSION_WIN10_V5_3	OHV_VMBUS_MAKE_VERSION(5, 3)

/*
 * Connection ids for HvPostMessage.  INITIATE_CONTACT goes to id 4 when
 * requesting version 5.0 or later, else to id 1; afterwards the guest uses
 * the msg_conn_id of the VERSION_RESPONSE.
 */
#define OHV_VMBUS_MESSAGE_CONNECTION_ID		1
#define OHV_VMBUS_MESSAGE_CONNECTION_ID_4	4
/* SINT on which the host delivers channel messages and channel events. */
#define OHV_VMBUS_MESSAGE_SINT			2

/* Channel message types (struct ohv_vmbus_msg_header.msgtype). */
enum ohv_vmbus_msgtype {
	OHV_CHMSG_INVALID			= 0,
	OHV_CHMSG_OFFERCHANNEL			= 1,
	OHV_CHMSG_RESCIND_CHANNELOFFER		= 2,
	OHV_CHMSG_REQUESTOFFERS			= 3,
	OHV_CHMSG_ALLOFFERS_DELIVERED		= 4,
	OHV_CHMSG_OPENCHANNEL			= 5,
	OHV_CHMSG_OPENCHANNEL_RESULT		= 6,
	OHV_CHMSG_CLOSECHANNEL			= 7,
	OHV_CHMSG_GPADL_HEADER			= 8,
	OHV_CHMSG_GPADL_BODY			= 9,
	OHV_CHMSG_GPADL_CREATED			= 10,
	OHV_CHMSG_GPADL_TEARDOWN		= 11,
	OHV_CHMSG_GPADL_TORNDOWN		= 12,
	OHV_CHMSG_RELID_RELEASED		= 13,
	OHV_CHMSG_INITIATE_CONTACT		= 14,
	OHV_CHMSG_VERSION_RESPONSE		= 15,
	OHV_CHMSG_UNLOAD			= 16,
	OHV_CHMSG_UNLOAD_RESPONSE		= 17,
	/* 18..20: reserved-channel messages, never used by Linux guests */
	OHV_CHMSG_TL_CONNECT_REQUEST		= 21,
	OHV_CHMSG_MODIFYCHANNEL			= 22,
	OHV_CHMSG_TL_CONNECT_RESULT		= 23,
	OHV_CHMSG_MODIFYCHANNEL_RESPONSE	= 24,
	OHV_CHMSG_COUNT
};

/* Offer chn_flags bits. */
#define OHV_VMBUS_OFFER_ENUMERATE_DEVICE_INTERFACE	0x0001
#define OHV_VMBUS_OFFER_SERVER_SUPPORTS_XFER_PAGES	0x0002
#define OHV_VMBUS_OFFER_SERVER_SUPPORTS_GPADLS		0x0004
#define OHV_VMBUS_OFFER_NAMED_PIPE_MODE			0x0010
#define OHV_VMBUS_OFFER_LOOPBACK			0x0100
#define OHV_VMBUS_OFFER_PARENT				0x0200
#define OHV_VMBUS_OFFER_REQUEST_MONITORED_NOTIFICATION	0x0400
#define OHV_VMBUS_OFFER_TLNPI_PROVIDER			0x2000

/* Bit 0 of ohv_vmbus_msg_offer.monitor_flags. */
#define OHV_VMBUS_OFFER_MONITOR_ALLOCATED	0x01
/* Bit 0 of ohv_vmbus_msg_offer.interrupt_flags. */
#define OHV_VMBUS_OFFER_DEDICATED_INTERRUPT	0x0001

/* Value of GPADL range_buflen/rangecount produced by Linux: one range. */
#define OHV_GPADL_TYPE_RING_BUFFER	1

/* Common header of every channel message. */
struct ohv_vmbus_msg_header {
	u32 msgtype;	/* enum ohv_vmbus_msgtype */
	u32 padding;	/* zero */
} __packed;

/* Device description inside an OFFERCHANNEL message. */
struct ohv_vmbus_offer {
	guid_t if_type;		/* device class GUID (what the device is) */
	guid_t if_instance;	/* instance GUID (which one) */
	u64 reserved1;		/* zero */
	u64 reserved2;		/* zero */
	u16 chn_flags;		/* OHV_VMBUS_OFFER_* */
	u16 mmio_megabytes;	/* MMIO space the device needs, in MiB */
	union {
		/* Non-pipe offers: opaque device-class data. */
		u8 user_def[OHV_VMBUS_USER_DEFINED_BYTES];
		/* Named-pipe offers (hv_sock). */
		struct {
			u32 pipe_mode;	/* byte (0) or message (4) pipe */
			u8 user_def[OHV_VMBUS_PIPE_USER_DEFINED_BYTES]; /* pipe data */
		} __packed pipe;
	} __packed u;		/* class-specific data */
	u16 sub_channel_index;	/* 0 = primary channel, else sub-channel */
	u16 reserved3;		/* zero */
} __packed;

/* OHV_CHMSG_OFFERCHANNEL: host -> guest, one per channel. */
struct ohv_vmbus_msg_offer {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_OFFERCHANNEL */
	struct ohv_vmbus_offer offer;	/* what is offered */
	u32 child_relid;	/* relid: channel id used in every later message */
	u8 monitorid;		/* monitor-page slot, if monitor allocated */
	u8 monitor_flags;	/* OHV_VMBUS_OFFER_MONITOR_ALLOCATED */
	u16 interrupt_flags;	/* OHV_VMBUS_OFFER_DEDICATED_INTERRUPT */
	u32 connection_id;	/* HvSignalEvent connection id of the channel */
} __packed;

/* OHV_CHMSG_RESCIND_CHANNELOFFER: host -> guest, the channel goes away. */
struct ohv_vmbus_msg_rescind {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_RESCIND_CHANNELOFFER */
	u32 child_relid;	/* rescinded channel */
} __packed;

/* OHV_CHMSG_OPENCHANNEL: guest -> host. */
struct ohv_vmbus_msg_open {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_OPENCHANNEL */
	u32 child_relid;	/* channel to open */
	u32 openid;		/* echoed in the OPENCHANNEL_RESULT */
	u32 ringbuffer_gpadlhandle; /* GPADL holding both rings */
	u32 target_vp;		/* VP that receives the channel interrupt */
	u32 downstream_ringbuffer_pageoffset; /* page of the inbound ring */
	u8 userdata[OHV_VMBUS_USER_DEFINED_BYTES]; /* passed to the device */
} __packed;

/* OHV_CHMSG_OPENCHANNEL_RESULT: host -> guest. */
struct ohv_vmbus_msg_open_result {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_OPENCHANNEL_RESULT */
	u32 child_relid;	/* channel that was opened */
	u32 openid;		/* from the OPENCHANNEL */
	u32 status;		/* 0 = success */
} __packed;

/* OHV_CHMSG_CLOSECHANNEL: guest -> host. */
struct ohv_vmbus_msg_close {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_CLOSECHANNEL */
	u32 child_relid;	/* channel to close */
} __packed;

/*
 * One range of a GPADL (and of a GPA-direct packet).  On the wire it is
 * followed by DIV_ROUND_UP(byte_offset + byte_count, 4096) u64 PFNs; the
 * PFNs are not a member so that ranges can be laid out back to back.
 */
struct ohv_gpa_range {
	u32 byte_count;		/* bytes described by this range */
	u32 byte_offset;	/* offset of the first byte in the first page */
} __packed;

/*
 * OHV_CHMSG_GPADL_HEADER: guest -> host, first message of a GPADL.  The
 * range buffer (ranges and their PFNs, range_buflen bytes in total) starts
 * right after this struct and continues in OHV_CHMSG_GPADL_BODY messages.
 */
struct ohv_vmbus_msg_gpadl_header {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_GPADL_HEADER */
	u32 child_relid;	/* channel the GPADL belongs to */
	u32 gpadl;		/* guest-chosen GPADL handle */
	u16 range_buflen;	/* total bytes of ranges + PFNs, all messages */
	u16 rangecount;		/* number of ranges */
} __packed;

/* OHV_CHMSG_GPADL_BODY: guest -> host, more PFNs of a GPADL. */
struct ohv_vmbus_msg_gpadl_body {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_GPADL_BODY */
	u32 msgnumber;		/* sequence hint; Linux leaves it 0 */
	u32 gpadl;		/* GPADL handle from the header message */
	u64 pfn[];		/* continuation of the range buffer */
} __packed;

/* OHV_CHMSG_GPADL_CREATED: host -> guest. */
struct ohv_vmbus_msg_gpadl_created {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_GPADL_CREATED */
	u32 child_relid;	/* channel from the header message */
	u32 gpadl;		/* handle from the header message */
	u32 creation_status;	/* 0 = success */
} __packed;

/* OHV_CHMSG_GPADL_TEARDOWN: guest -> host. */
struct ohv_vmbus_msg_gpadl_teardown {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_GPADL_TEARDOWN */
	u32 child_relid;	/* channel the GPADL belongs to */
	u32 gpadl;		/* handle to tear down */
} __packed;

/* OHV_CHMSG_GPADL_TORNDOWN: host -> guest. */
struct ohv_vmbus_msg_gpadl_torndown {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_GPADL_TORNDOWN */
	u32 gpadl;		/* handle that is gone */
} __packed;

/* OHV_CHMSG_RELID_RELEASED: guest -> host, answer to a rescind. */
struct ohv_vmbus_msg_relid_released {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_RELID_RELEASED */
	u32 child_relid;	/* relid the host may reuse */
} __packed;

/* OHV_CHMSG_INITIATE_CONTACT: guest -> host, version negotiation. */
struct ohv_vmbus_msg_initiate_contact {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_INITIATE_CONTACT */
	u32 vmbus_version_requested; /* OHV_VMBUS_VERSION_* */
	u32 target_vcpu;	/* VP that receives the host's messages */
	union {
		u64 interrupt_page;	/* GPA of the event page (< WIN8) */
		struct {
			u8 msg_sint;	/* SINT for host messages (>= 5.0) */
			u8 padding1[3];	/* zero */
			u32 padding2;	/* zero */
		} __packed;
	} __packed;
	u64 monitor_page1;	/* GPA of the host -> guest monitor page */
	u64 monitor_page2;	/* GPA of the guest -> host monitor page */
} __packed;

/* OHV_CHMSG_VERSION_RESPONSE: host -> guest. */
struct ohv_vmbus_msg_version_response {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_VERSION_RESPONSE */
	u8 version_supported;	/* 0 = try an older version */
	u8 connection_state;	/* 0 = connected */
	u16 padding;		/* zero */
	u32 msg_conn_id;	/* connection id for later messages (>= 5.0) */
} __packed;

/* OHV_CHMSG_TL_CONNECT_REQUEST: guest -> host, hv_sock connect(). */
struct ohv_vmbus_msg_tl_connect_request {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_TL_CONNECT_REQUEST */
	guid_t guest_endpoint_id;	/* guest side of the connection */
	guid_t host_service_id;		/* service the guest connects to */
} __packed;

/* OHV_CHMSG_TL_CONNECT_RESULT: host -> guest, a failed hv_sock connect(). */
struct ohv_vmbus_msg_tl_connect_result {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_TL_CONNECT_RESULT */
	guid_t guest_endpoint_id;	/* from the request */
	guid_t host_service_id;		/* from the request */
	u32 status;		/* NTSTATUS-style failure code */
} __packed;

/* OHV_CHMSG_MODIFYCHANNEL: guest -> host, move the channel interrupt. */
struct ohv_vmbus_msg_modifychannel {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_MODIFYCHANNEL */
	u32 child_relid;	/* channel to retarget */
	u32 target_vp;		/* new interrupt VP */
} __packed;

/* OHV_CHMSG_MODIFYCHANNEL_RESPONSE: host -> guest (>= 5.3). */
struct ohv_vmbus_msg_modifychannel_response {
	struct ohv_vmbus_msg_header header;	/* OHV_CHMSG_MODIFYCHANNEL_RESPONSE */
	u32 child_relid;	/* channel that was retargeted */
	u32 status;		/* 0 = success */
} __packed;

/*
 * REQUESTOFFERS, ALLOFFERS_DELIVERED, UNLOAD and UNLOAD_RESPONSE carry
 * nothing but struct ohv_vmbus_msg_header.
 */

/* PFNs that fit in the first (header) message and in each body message. */
#define OHV_GPADL_HEADER_MAX_PFNS \
	((OHV_VMBUS_MSG_MAX - sizeof(struct ohv_vmbus_msg_gpadl_header) - \
	  sizeof(struct ohv_gpa_range)) / sizeof(u64))
#define OHV_GPADL_BODY_MAX_PFNS \
	((OHV_VMBUS_MSG_MAX - sizeof(struct ohv_vmbus_msg_gpadl_body)) / \
	 sizeof(u64))

OHV_WIRE_SIZE(struct ohv_vmbus_msg_header, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_header, msgtype, 0);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_header, padding, 4);

OHV_WIRE_SIZE(struct ohv_vmbus_offer, 176);
OHV_WIRE_OFFSET(struct ohv_vmbus_offer, if_type, 0);
OHV_WIRE_OFFSET(struct ohv_vmbus_offer, if_instance, 16);
OHV_WIRE_OFFSET(struct ohv_vmbus_offer, reserved1, 32);
OHV_WIRE_OFFSET(struct ohv_vmbus_offer, reserved2, 40);
OHV_WIRE_OFFSET(struct ohv_vmbus_offer, chn_flags, 48);
OHV_WIRE_OFFSET(struct ohv_vmbus_offer, mmio_megabytes, 50);
OHV_WIRE_OFFSET(struct ohv_vmbus_offer, u, 52);
OHV_WIRE_SIZE(((struct ohv_vmbus_offer *)0)->u, 120);
OHV_WIRE_OFFSET(struct ohv_vmbus_offer, u.pipe.user_def, 56);
OHV_WIRE_OFFSET(struct ohv_vmbus_offer, sub_channel_index, 172);
OHV_WIRE_OFFSET(struct ohv_vmbus_offer, reserved3, 174);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_offer, 196);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_offer, header, 0);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_offer, offer, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_offer, child_relid, 184);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_offer, monitorid, 188);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_offer, monitor_flags, 189);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_offer, interrupt_flags, 190);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_offer, connection_id, 192);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_rescind, 12);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_rescind, child_relid, 8);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_open, 148);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_open, child_relid, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_open, openid, 12);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_open, ringbuffer_gpadlhandle, 16);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_open, target_vp, 20);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_open, downstream_ringbuffer_pageoffset, 24);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_open, userdata, 28);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_open_result, 20);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_open_result, child_relid, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_open_result, openid, 12);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_open_result, status, 16);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_close, 12);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_close, child_relid, 8);

OHV_WIRE_SIZE(struct ohv_gpa_range, 8);
OHV_WIRE_OFFSET(struct ohv_gpa_range, byte_count, 0);
OHV_WIRE_OFFSET(struct ohv_gpa_range, byte_offset, 4);

/* The range buffer starts at offset 20 ("range off=20"). */
OHV_WIRE_SIZE(struct ohv_vmbus_msg_gpadl_header, 20);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_header, child_relid, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_header, gpadl, 12);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_header, range_buflen, 16);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_header, rangecount, 18);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_gpadl_body, 16);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_body, msgnumber, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_body, gpadl, 12);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_body, pfn, 16);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_gpadl_created, 20);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_created, child_relid, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_created, gpadl, 12);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_created, creation_status, 16);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_gpadl_teardown, 16);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_teardown, child_relid, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_teardown, gpadl, 12);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_gpadl_torndown, 12);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_gpadl_torndown, gpadl, 8);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_relid_released, 12);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_relid_released, child_relid, 8);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_initiate_contact, 40);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_initiate_contact, vmbus_version_requested, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_initiate_contact, target_vcpu, 12);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_initiate_contact, interrupt_page, 16);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_initiate_contact, msg_sint, 16);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_initiate_contact, monitor_page1, 24);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_initiate_contact, monitor_page2, 32);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_version_response, 16);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_version_response, version_supported, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_version_response, connection_state, 9);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_version_response, padding, 10);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_version_response, msg_conn_id, 12);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_tl_connect_request, 40);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_tl_connect_request, guest_endpoint_id, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_tl_connect_request, host_service_id, 24);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_tl_connect_result, 44);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_tl_connect_result, guest_endpoint_id, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_tl_connect_result, host_service_id, 24);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_tl_connect_result, status, 40);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_modifychannel, 16);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_modifychannel, child_relid, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_modifychannel, target_vp, 12);

OHV_WIRE_SIZE(struct ohv_vmbus_msg_modifychannel_response, 16);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_modifychannel_response, child_relid, 8);
OHV_WIRE_OFFSET(struct ohv_vmbus_msg_modifychannel_response, status, 12);

/* 26 PFNs in the header message, 28 in each body (Hyper-V's split). */
static_assert(OHV_GPADL_HEADER_MAX_PFNS == 26, "26 PFNs in GPADL_HEADER");
static_assert(OHV_GPADL_BODY_MAX_PFNS == 28, "28 PFNs per GPADL_BODY");

#endif /* _OHV_WIRE_VMBUS_H */
