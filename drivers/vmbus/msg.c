// SPDX-License-Identifier: GPL-2.0
/*
 * VMBus channel-message codec: copy out, then validate.
 *
 * Pure code: built into ohv_vmbus.ko and, unchanged, into the user-space
 * unit tests and fuzzers (tools/vmbus, tools/fuzz).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <ohv/vmbus_msg.h>

#ifdef __KERNEL__
#include <linux/export.h>
#endif

/* What the codec knows about one message type. */
struct ohv_vmbus_msg_type_info {
	const char *name;	/* for logs and reasons */
	u32 min_len;		/* fixed part; 0 = unknown type */
};

#define MSG_TYPE(type, size) \
	[OHV_CHMSG_##type] = { .name = #type, .min_len = (size) }

static const struct ohv_vmbus_msg_type_info msg_types[OHV_CHMSG_COUNT] = {
	MSG_TYPE(OFFERCHANNEL, sizeof(struct ohv_vmbus_msg_offer)),
	MSG_TYPE(RESCIND_CHANNELOFFER, sizeof(struct ohv_vmbus_msg_rescind)),
	MSG_TYPE(REQUESTOFFERS, sizeof(struct ohv_vmbus_msg_header)),
	MSG_TYPE(ALLOFFERS_DELIVERED, sizeof(struct ohv_vmbus_msg_header)),
	MSG_TYPE(OPENCHANNEL, sizeof(struct ohv_vmbus_msg_open)),
	MSG_TYPE(OPENCHANNEL_RESULT, sizeof(struct ohv_vmbus_msg_open_result)),
	MSG_TYPE(CLOSECHANNEL, sizeof(struct ohv_vmbus_msg_close)),
	/* The first range header must be in the header message. */
	MSG_TYPE(GPADL_HEADER, sizeof(struct ohv_vmbus_msg_gpadl_header) +
			       sizeof(struct ohv_gpa_range)),
	/* A body without a single PFN carries nothing. */
	MSG_TYPE(GPADL_BODY, sizeof(struct ohv_vmbus_msg_gpadl_body) +
			     sizeof(u64)),
	MSG_TYPE(GPADL_CREATED, sizeof(struct ohv_vmbus_msg_gpadl_created)),
	MSG_TYPE(GPADL_TEARDOWN, sizeof(struct ohv_vmbus_msg_gpadl_teardown)),
	MSG_TYPE(GPADL_TORNDOWN, sizeof(struct ohv_vmbus_msg_gpadl_torndown)),
	MSG_TYPE(RELID_RELEASED, sizeof(struct ohv_vmbus_msg_relid_released)),
	MSG_TYPE(INITIATE_CONTACT,
		 sizeof(struct ohv_vmbus_msg_initiate_contact)),
	MSG_TYPE(VERSION_RESPONSE,
		 sizeof(struct ohv_vmbus_msg_version_response)),
	MSG_TYPE(UNLOAD, sizeof(struct ohv_vmbus_msg_header)),
	MSG_TYPE(UNLOAD_RESPONSE, sizeof(struct ohv_vmbus_msg_header)),
	MSG_TYPE(TL_CONNECT_REQUEST,
		 sizeof(struct ohv_vmbus_msg_tl_connect_request)),
	MSG_TYPE(MODIFYCHANNEL, sizeof(struct ohv_vmbus_msg_modifychannel)),
	MSG_TYPE(TL_CONNECT_RESULT,
		 sizeof(struct ohv_vmbus_msg_tl_connect_result)),
	MSG_TYPE(MODIFYCHANNEL_RESPONSE,
		 sizeof(struct ohv_vmbus_msg_modifychannel_response)),
};

u32 ohv_vmbus_msg_min_len(u32 type)
{
	if (type >= OHV_CHMSG_COUNT)
		return 0;
	return msg_types[type].min_len;
}
EXPORT_SYMBOL_GPL(ohv_vmbus_msg_min_len);

const char *ohv_vmbus_msg_name(u32 type)
{
	if (!ohv_vmbus_msg_min_len(type))
		return "unknown";
	return msg_types[type].name;
}
EXPORT_SYMBOL_GPL(ohv_vmbus_msg_name);

void ohv_vmbus_msg_init(struct ohv_vmbus_msg *msg, u32 type)
{
	memset(msg, 0, sizeof(*msg));
	msg->hdr.msgtype = type;
	msg->len = ohv_vmbus_msg_min_len(type);
}
EXPORT_SYMBOL_GPL(ohv_vmbus_msg_init);

static int msg_reject(const char **reason, const char *why, int err)
{
	if (reason)
		*reason = why;
	return err;
}

/*
 * The range buffer of a GPADL (ranges + PFNs, range_buflen bytes) starts
 * in the header message and continues in body messages.  Only what can be
 * checked from the header alone is checked here; ohv_gpadl_asm_*() checks
 * the assembled buffer.
 */
static int msg_check_gpadl_header(const struct ohv_vmbus_msg *msg,
				  const char **reason)
{
	const struct ohv_vmbus_msg_gpadl_header *h = &msg->gpadl_header;
	u32 tail = ohv_vmbus_msg_gpadl_header_tail(msg);

	if (tail % sizeof(u64))
		return msg_reject(reason, "GPADL_HEADER tail not in 8-byte units",
				  -EBADMSG);
	if (!h->rangecount)
		return msg_reject(reason, "GPADL_HEADER without ranges", -EBADMSG);
	if (h->range_buflen % sizeof(u64))
		return msg_reject(reason, "GPADL_HEADER range_buflen not in 8-byte units",
				  -EBADMSG);
	/* Each range is at least its 8-byte header plus one PFN. */
	if (h->range_buflen < (u32)h->rangecount * 2 * sizeof(u64))
		return msg_reject(reason, "GPADL_HEADER range_buflen too small for rangecount",
				  -EBADMSG);
	if (tail > h->range_buflen)
		return msg_reject(reason, "GPADL_HEADER carries more than range_buflen",
				  -EBADMSG);
	return 0;
}

static int msg_check_gpadl_body(const struct ohv_vmbus_msg *msg,
				const char **reason)
{
	if ((msg->len - sizeof(struct ohv_vmbus_msg_gpadl_body)) % sizeof(u64))
		return msg_reject(reason, "GPADL_BODY PFN tail not in 8-byte units",
				  -EBADMSG);
	return 0;
}

static int msg_check(const struct ohv_vmbus_msg *msg, const char **reason)
{
	u32 type = msg->hdr.msgtype;
	u32 min_len = ohv_vmbus_msg_min_len(type);

	if (!min_len)
		return msg_reject(reason, "unknown message type", -EINVAL);
	if (msg->len < min_len)
		return msg_reject(reason, "too short for its type", -EINVAL);

	switch (type) {
	case OHV_CHMSG_GPADL_HEADER:
		return msg_check_gpadl_header(msg, reason);
	case OHV_CHMSG_GPADL_BODY:
		return msg_check_gpadl_body(msg, reason);
	default:
		return 0;
	}
}

int ohv_vmbus_msg_decode(const void *buf, size_t len,
			 struct ohv_vmbus_msg *msg, const char **reason)
{
	if (len > OHV_VMBUS_MSG_MAX)
		return msg_reject(reason, "longer than a SynIC payload", -EINVAL);
	if (len < sizeof(struct ohv_vmbus_msg_header))
		return msg_reject(reason, "shorter than the message header",
				  -EINVAL);

	/*
	 * Copy first: @buf may be a SynIC slot the peer can rewrite while we
	 * look at it.  Only the copy is validated and used.
	 */
	memset(msg, 0, sizeof(*msg));
	memcpy(msg->raw, buf, len);
	msg->len = len;
	return msg_check(msg, reason);
}
EXPORT_SYMBOL_GPL(ohv_vmbus_msg_decode);

int ohv_vmbus_msg_encode(const struct ohv_vmbus_msg *msg, void *buf,
			 size_t buflen, const char **reason)
{
	int ret;

	if (msg->len > OHV_VMBUS_MSG_MAX)
		return msg_reject(reason, "longer than a SynIC payload", -EINVAL);
	if (buflen < msg->len)
		return msg_reject(reason, "output buffer too small", -ENOSPC);
	ret = msg_check(msg, reason);
	if (ret)
		return ret;
	memcpy(buf, msg->raw, msg->len);
	return msg->len;
}
EXPORT_SYMBOL_GPL(ohv_vmbus_msg_encode);
