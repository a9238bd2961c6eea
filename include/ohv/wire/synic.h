/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SynIC message slots, the HvPostMessage input page and the monitor page,
 * as VMBus uses them.  All fields are little endian (see <ohv/compat.h>).
 */
#ifndef _OHV_WIRE_SYNIC_H
#define _OHV_WIRE_SYNIC_H

#include <ohv/compat.h>

/* Size of one SynIC message slot and of its payload. */
#define OHV_HV_MESSAGE_SIZE		256
#define OHV_HV_MESSAGE_PAYLOAD_BYTES	240
#define OHV_HV_MESSAGE_PAYLOAD_QWORDS	30
/* Message slots (one per SINT) in the SIMP page. */
#define OHV_HV_SYNIC_SINT_COUNT		16

/* Message types in ohv_hv_message_header.message_type. */
#define OHV_HVMSG_NONE			0x00000000
#define OHV_HVMSG_TIMER_EXPIRED		0x80000010
/* HvPostMessage message_type used by VMBus for channel messages. */
#define OHV_HVMSG_VMBUS_CHANNEL		1

/* ohv_hv_message_header.message_flags: another message is queued. */
#define OHV_HV_MESSAGE_FLAG_PENDING	0x01

/* Header of a SynIC message slot. */
struct ohv_hv_message_header {
	u32 message_type;	/* OHV_HVMSG_*; NONE marks a free slot */
	u8 payload_size;	/* valid payload bytes, <= 240 */
	u8 message_flags;	/* OHV_HV_MESSAGE_FLAG_* */
	u8 reserved[2];		/* zero */
	u64 sender;		/* port id (low 24 bits) or partition id */
} __packed;

/* One SynIC message slot (SIMP page + n * 256). */
struct ohv_hv_message {
	struct ohv_hv_message_header header;	/* type, size, flags */
	u64 payload[OHV_HV_MESSAGE_PAYLOAD_QWORDS]; /* the message itself */
} __packed;

/* Input page of the HvPostMessage hypercall (guest -> host message). */
struct ohv_hv_input_post_message {
	u32 connectionid;	/* target connection id (low 24 bits) */
	u32 reserved;		/* zero */
	u32 message_type;	/* OHV_HVMSG_VMBUS_CHANNEL */
	u32 payload_size;	/* bytes of payload, <= 240 */
	u64 payload[OHV_HV_MESSAGE_PAYLOAD_QWORDS]; /* the channel message */
} __packed;

/* One trigger group of the monitor page. */
struct ohv_hv_monitor_trigger_group {
	u32 pending;		/* bit n set: monitor n of the group fired */
	u32 armed;		/* bit n set: monitor n is armed */
} __packed;

/* Where a monitor bit is forwarded when it fires. */
struct ohv_hv_monitor_parameter {
	u32 connectionid;	/* event connection to signal */
	u16 flagnumber;		/* event flag to set */
	u16 rsvdz;		/* zero */
} __packed;

/* Monitor page: latency-batched channel notifications (4 KiB). */
struct ohv_hv_monitor_page {
	u32 trigger_state;	/* bit n: group n has pending triggers */
	u32 rsvdz1;		/* zero */
	struct ohv_hv_monitor_trigger_group trigger_group[4]; /* 4 x 32 monitors */
	u64 rsvdz2[3];		/* zero */
	s32 next_checktime[4][32]; /* per-monitor next scan time */
	u16 latency[4][32];	/* per-monitor latency, 100 ns units */
	u64 rsvdz3[32];		/* zero */
	struct ohv_hv_monitor_parameter parameter[4][32]; /* per-monitor target */
	u8 rsvdz4[1984];	/* pads the page to 4 KiB */
} __packed;

OHV_WIRE_SIZE(struct ohv_hv_message_header, 16);
OHV_WIRE_OFFSET(struct ohv_hv_message_header, message_type, 0);
OHV_WIRE_OFFSET(struct ohv_hv_message_header, payload_size, 4);
OHV_WIRE_OFFSET(struct ohv_hv_message_header, message_flags, 5);
OHV_WIRE_OFFSET(struct ohv_hv_message_header, reserved, 6);
OHV_WIRE_OFFSET(struct ohv_hv_message_header, sender, 8);

OHV_WIRE_SIZE(struct ohv_hv_message, OHV_HV_MESSAGE_SIZE);
OHV_WIRE_OFFSET(struct ohv_hv_message, header, 0);
OHV_WIRE_OFFSET(struct ohv_hv_message, payload, 16);

OHV_WIRE_SIZE(struct ohv_hv_input_post_message, 256);
OHV_WIRE_OFFSET(struct ohv_hv_input_post_message, connectionid, 0);
OHV_WIRE_OFFSET(struct ohv_hv_input_post_message, reserved, 4);
OHV_WIRE_OFFSET(struct ohv_hv_input_post_message, message_type, 8);
OHV_WIRE_OFFSET(struct ohv_hv_input_post_message, payload_size, 12);
OHV_WIRE_OFFSET(struct ohv_hv_input_post_message, payload, 16);

OHV_WIRE_SIZE(struct ohv_hv_monitor_trigger_group, 8);
OHV_WIRE_SIZE(struct ohv_hv_monitor_parameter, 8);
OHV_WIRE_OFFSET(struct ohv_hv_monitor_parameter, flagnumber, 4);
OHV_WIRE_SIZE(struct ohv_hv_monitor_page, 4096);
OHV_WIRE_OFFSET(struct ohv_hv_monitor_page, trigger_state, 0);
OHV_WIRE_OFFSET(struct ohv_hv_monitor_page, trigger_group, 8);
OHV_WIRE_OFFSET(struct ohv_hv_monitor_page, rsvdz2, 40);
OHV_WIRE_OFFSET(struct ohv_hv_monitor_page, next_checktime, 64);
OHV_WIRE_OFFSET(struct ohv_hv_monitor_page, latency, 576);
OHV_WIRE_OFFSET(struct ohv_hv_monitor_page, rsvdz3, 832);
OHV_WIRE_OFFSET(struct ohv_hv_monitor_page, parameter, 1088);
OHV_WIRE_OFFSET(struct ohv_hv_monitor_page, rsvdz4, 2112);

#endif /* _OHV_WIRE_SYNIC_H */
