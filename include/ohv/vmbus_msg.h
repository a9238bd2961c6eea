/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMBus channel-message codec.
 *
 * ohv_vmbus_msg_decode() copies a message out of (possibly shared) memory
 * and validates it before anything looks at its fields; the result is a
 * struct ohv_vmbus_msg whose union member for msg->hdr.msgtype may be used
 * without further length checks.  ohv_vmbus_msg_encode() applies the same
 * checks, so we never send what we would refuse to receive.
 *
 * Errors:
 *  -EINVAL   framing: no header, over 240 bytes, unknown type, or shorter
 *            than the fixed part of its type;
 *  -EBADMSG  fields inconsistent with each other or with the length
 *            (GPADL range_buflen/rangecount, PFN tails).
 * A short human-readable reason is returned through @reason when non-NULL.
 */
#ifndef _OHV_VMBUS_MSG_H
#define _OHV_VMBUS_MSG_H

#include <ohv/wire/vmbus.h>

/* A validated channel message, owned by the caller (not shared memory). */
struct ohv_vmbus_msg {
	u32 len;	/* wire length in bytes, header included */
	union {
		struct ohv_vmbus_msg_header hdr;	/* every type */
		struct ohv_vmbus_msg_offer offer;	/* OFFERCHANNEL */
		struct ohv_vmbus_msg_rescind rescind;	/* RESCIND_CHANNELOFFER */
		struct ohv_vmbus_msg_open open;		/* OPENCHANNEL */
		struct ohv_vmbus_msg_open_result open_result; /* OPENCHANNEL_RESULT */
		struct ohv_vmbus_msg_close close;	/* CLOSECHANNEL */
		struct ohv_vmbus_msg_gpadl_header gpadl_header; /* GPADL_HEADER */
		struct ohv_vmbus_msg_gpadl_body gpadl_body; /* GPADL_BODY */
		struct ohv_vmbus_msg_gpadl_created gpadl_created; /* GPADL_CREATED */
		struct ohv_vmbus_msg_gpadl_teardown gpadl_teardown; /* GPADL_TEARDOWN */
		struct ohv_vmbus_msg_gpadl_torndown gpadl_torndown; /* GPADL_TORNDOWN */
		struct ohv_vmbus_msg_relid_released relid_released; /* RELID_RELEASED */
		struct ohv_vmbus_msg_initiate_contact initiate_contact; /* INITIATE_CONTACT */
		struct ohv_vmbus_msg_version_response version_response; /* VERSION_RESPONSE */
		struct ohv_vmbus_msg_tl_connect_request tl_connect_request; /* TL_CONNECT_REQUEST */
		struct ohv_vmbus_msg_tl_connect_result tl_connect_result; /* TL_CONNECT_RESULT */
		struct ohv_vmbus_msg_modifychannel modifychannel; /* MODIFYCHANNEL */
		/* MODIFYCHANNEL_RESPONSE */
		struct ohv_vmbus_msg_modifychannel_response modifychannel_response;
		u8 raw[OHV_VMBUS_MSG_MAX];		/* the bytes as on the wire */
	};
};

/*
 * Number of bytes of the fixed part of message @type, 0 for an unknown
 * type.  Longer messages are accepted: later protocol versions append
 * fields, and the GPADL messages carry a PFN tail.
 */
u32 ohv_vmbus_msg_min_len(u32 type);

/* "OFFERCHANNEL", ... or "unknown". */
const char *ohv_vmbus_msg_name(u32 type);

/* Zero @msg and make it a minimal message of @type (len = fixed part). */
void ohv_vmbus_msg_init(struct ohv_vmbus_msg *msg, u32 type);

/* Copy @len bytes at @buf into @msg and validate them. */
int ohv_vmbus_msg_decode(const void *buf, size_t len,
			 struct ohv_vmbus_msg *msg, const char **reason);

/* Validate @msg and copy its msg->len bytes to @buf; returns the length. */
int ohv_vmbus_msg_encode(const struct ohv_vmbus_msg *msg, void *buf,
			 size_t buflen, const char **reason);

/* PFNs carried by a validated GPADL_BODY. */
static inline u32 ohv_vmbus_msg_gpadl_body_pfns(const struct ohv_vmbus_msg *msg)
{
	return (msg->len - sizeof(struct ohv_vmbus_msg_gpadl_body)) / sizeof(u64);
}

/* Range-buffer bytes carried by a validated GPADL_HEADER. */
static inline u32 ohv_vmbus_msg_gpadl_header_tail(const struct ohv_vmbus_msg *msg)
{
	return msg->len - sizeof(struct ohv_vmbus_msg_gpadl_header);
}

#endif /* _OHV_VMBUS_MSG_H */
