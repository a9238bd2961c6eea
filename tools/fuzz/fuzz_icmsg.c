// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the IC message parser (drivers/timesync/icmsg.c and
 * timesync_msg.c), as the guest's time-sync driver runs it on what the
 * host sends, and as the host runs it on the guest's negotiate answer.
 *
 * What must hold for any input:
 *  - ohv_icmsg_parse() accepts only messages whose body lies inside the
 *    input;
 *  - a negotiate request is answered with a response that parses again
 *    and, if a pair was chosen, is accepted by ohv_icmsg_negotiate_result()
 *    with the same pair;
 *  - a time-sync body that decodes encodes back to a message that decodes
 *    to the same sample.
 */
#include <stdlib.h>

#include <ohv/icmsg.h>

static const struct ohv_ic_version srv_versions[] = {
	{ .major = 4, .minor = 0 },
	{ .major = 3, .minor = 0 },
	{ .major = 1, .minor = 0 },
};

static const struct ohv_icmsg_versions ours = {
	.fw = ohv_icmsg_fw_versions,
	.nfw = 2,
	.srv = srv_versions,
	.nsrv = 3,
};

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void fuzz_negotiate(const u8 *in, size_t len, const struct ohv_icmsg *msg)
{
	static u8 buf[OHV_ICMSG_MAX_BYTES];
	struct ohv_ic_version fw = {}, srv = {}, rfw, rsrv;
	struct ohv_icmsg req, resp;
	int ret;

	/* The guest answers in place, in its own copy. */
	memcpy(buf, in, len);
	check(!ohv_icmsg_parse(buf, len, &req));
	ret = ohv_icmsg_negotiate_answer(buf, sizeof(buf), &req, &ours, &fw,
					 &srv);
	if (ret == -ENOSPC)
		abort();
	check(!ohv_icmsg_parse(buf, OHV_ICMSG_NEGOTIATE_RESP_BYTES, &resp));
	check(resp.hdr.icflags & OHV_ICMSGHDRFLAG_RESPONSE);
	check(resp.hdr.ictransaction_id == msg->hdr.ictransaction_id);
	if (ret) {
		check(resp.hdr.status == OHV_IC_E_FAIL);
		check(ohv_icmsg_negotiate_result(&resp, &ours, &rfw, &rsrv) ==
		      -EPROTONOSUPPORT);
		return;
	}
	check(resp.hdr.status == OHV_IC_S_OK);
	check(!ohv_icmsg_negotiate_result(&resp, &ours, &rfw, &rsrv));
	check(!ohv_ic_version_cmp(fw, rfw) && !ohv_ic_version_cmp(srv, rsrv));
}

static void fuzz_timesync(const struct ohv_icmsg *msg)
{
	static u8 buf[OHV_ICMSG_MAX_BYTES];
	struct ohv_timesync_sample s, s2;
	struct ohv_icmsg again;
	unsigned int i;
	s64 ns;
	int n;

	for (i = 0; i < 3; i++) {
		if (ohv_timesync_decode(msg, srv_versions[i], &s))
			continue;
		check(!ohv_timesync_to_unix_ns(s.parenttime, &ns) && ns >= 0);
		n = ohv_timesync_encode(buf, sizeof(buf), 1,
					ohv_icmsg_fw_versions[0],
					srv_versions[i], &s);
		check(n > 0);
		check(!ohv_icmsg_parse(buf, n, &again));
		check(!ohv_timesync_decode(&again, srv_versions[i], &s2));
		check(s2.parenttime == s.parenttime && s2.flags == s.flags &&
		      s2.has_reftime == s.has_reftime &&
		      (!s.has_reftime || s2.reftime == s.reftime));
	}
}

/* libFuzzer calls this under its fixed entry-point name. */
int ohv_fuzz_icmsg(const u8 *in, size_t len) __asm__("LLVMFuzzerTestOneInput");

int ohv_fuzz_icmsg(const u8 *in, size_t len)
{
	struct ohv_icmsg msg;
	u8 *copy;

	if (len > OHV_ICMSG_MAX_BYTES + 16)
		return 0;
	/* A heap copy of exactly len bytes: ASan sees any overrun. */
	copy = malloc(len ? len : 1);
	if (!copy)
		return 0;
	memcpy(copy, in, len);
	if (ohv_icmsg_parse(copy, len, &msg))
		goto out;
	check(msg.body == copy + OHV_ICMSG_HDR_BYTES);
	check(msg.body_len <= len - OHV_ICMSG_HDR_BYTES);
	switch (msg.hdr.icmsgtype) {
	case OHV_ICMSGTYPE_NEGOTIATE:
		fuzz_negotiate(copy, len, &msg);
		break;
	case OHV_ICMSGTYPE_TIMESYNC:
		fuzz_timesync(&msg);
		break;
	}
out:
	free(copy);
	return 0;
}
