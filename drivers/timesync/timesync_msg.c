// SPDX-License-Identifier: GPL-2.0
/*
 * Time-sync message bodies: both layouts, and the 1601 <-> 1970 epoch
 * conversion of the host's clock.
 *
 * Service versions 1.0 and 3.0 carry the host time only; the guest reads
 * its reference counter when the message arrives. Version 4.0 adds the
 * partition reference time at which the host read its clock, so the delay
 * of the message does not count.
 *
 * Pure code, like icmsg.c: part of ohv_icmsg.ko and buildable in user
 * space.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <ohv/icmsg.h>

#ifdef __KERNEL__
#include <linux/export.h>
#endif

/* Largest host time, in 100 ns since 1970, whose ns fit in an s64. */
#define OHV_TS_MAX_UNIX_100NS	((u64)(~0ULL >> 1) / 100)

static bool ohv_timesync_has_reftime(struct ohv_ic_version srv)
{
	return srv.major >= 4;
}

/**
 * ohv_timesync_to_unix_ns() - host time to ns since the Unix epoch
 * @t100: 100 ns units since 1601-01-01 UTC
 * @ns: set to ns since 1970-01-01 UTC
 *
 * Return: 0, or -ERANGE for times before 1970 or beyond the s64 range.
 */
int ohv_timesync_to_unix_ns(u64 t100, s64 *ns)
{
	if (t100 < OHV_ICTIMESYNC_EPOCH_DELTA)
		return -ERANGE;
	t100 -= OHV_ICTIMESYNC_EPOCH_DELTA;
	if (t100 > OHV_TS_MAX_UNIX_100NS)
		return -ERANGE;
	*ns = (s64)(t100 * 100);
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_timesync_to_unix_ns);

/**
 * ohv_timesync_from_unix_ns() - ns since the Unix epoch to host time
 * @ns: ns since 1970-01-01 UTC
 * @t100: set to 100 ns units since 1601-01-01 UTC (truncated)
 *
 * Return: 0, or -ERANGE for times before 1970.
 */
int ohv_timesync_from_unix_ns(s64 ns, u64 *t100)
{
	if (ns < 0)
		return -ERANGE;
	*t100 = (u64)ns / 100 + OHV_ICTIMESYNC_EPOCH_DELTA;
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_timesync_from_unix_ns);

/**
 * ohv_timesync_decode() - read a time-sync body
 * @msg: the parsed message
 * @srv: the negotiated service version; selects the layout
 * @s: filled in
 *
 * Return: 0; -EBADMSG if @msg is not a time-sync message or its body is
 * shorter than the layout; -ERANGE if the host time is before 1970 or too
 * far in the future to handle.
 */
int ohv_timesync_decode(const struct ohv_icmsg *msg, struct ohv_ic_version srv,
			struct ohv_timesync_sample *s)
{
	struct ohv_ictimesync_ref_data v4;
	struct ohv_ictimesync_data v1;
	s64 ns;

	if (msg->hdr.icmsgtype != OHV_ICMSGTYPE_TIMESYNC)
		return -EBADMSG;
	if (ohv_timesync_has_reftime(srv)) {
		if (msg->body_len < sizeof(v4))
			return -EBADMSG;
		memcpy(&v4, msg->body, sizeof(v4));
		s->parenttime = v4.parenttime;
		s->reftime = v4.vmreferencetime;
		s->has_reftime = true;
		s->flags = v4.flags;
	} else {
		if (msg->body_len < sizeof(v1))
			return -EBADMSG;
		memcpy(&v1, msg->body, sizeof(v1));
		s->parenttime = v1.parenttime;
		s->reftime = 0;
		s->has_reftime = false;
		s->flags = v1.flags;
	}
	return ohv_timesync_to_unix_ns(s->parenttime, &ns);
}
EXPORT_SYMBOL_GPL(ohv_timesync_decode);

/**
 * ohv_timesync_encode() - build a time-sync request
 * @buf: where to build it
 * @buflen: room at @buf
 * @tid: transaction id
 * @fw: negotiated framework version
 * @srv: negotiated service version; selects the layout
 * @s: what to send; @s->reftime is used from version 4.0 on
 *
 * Return: the message length, or -EINVAL if it does not fit.
 */
int ohv_timesync_encode(void *buf, u32 buflen, u8 tid,
			struct ohv_ic_version fw, struct ohv_ic_version srv,
			const struct ohv_timesync_sample *s)
{
	struct ohv_ictimesync_ref_data v4 = {};
	struct ohv_ictimesync_data v1 = {};
	bool ref = ohv_timesync_has_reftime(srv);
	u16 body_len = ref ? sizeof(v4) : sizeof(v1);
	int len;

	len = ohv_icmsg_init(buf, buflen, OHV_ICMSGTYPE_TIMESYNC, fw, srv,
			     tid, body_len);
	if (len < 0)
		return len;
	if (ref) {
		v4.parenttime = s->parenttime;
		v4.vmreferencetime = s->reftime;
		v4.flags = s->flags;
		memcpy((u8 *)buf + OHV_ICMSG_HDR_BYTES, &v4, sizeof(v4));
	} else {
		v1.parenttime = s->parenttime;
		v1.flags = s->flags;
		memcpy((u8 *)buf + OHV_ICMSG_HDR_BYTES, &v1, sizeof(v1));
	}
	return len;
}
EXPORT_SYMBOL_GPL(ohv_timesync_encode);
