/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ohv IC framework: parsing, building and version negotiation of
 * integration-component messages (<ohv/wire/icmsg.h>), plus the time-sync
 * body codec. Implemented in ohv_icmsg.ko; pure code that also builds in
 * user space.
 *
 * Every function works on a private copy of the message (copy it off the
 * ring first) and trusts nothing in it until ohv_icmsg_parse() and the
 * body-specific checks accepted it.
 *
 * Negotiation, as the util services do it:
 *
 *	host				guest
 *	ohv_icmsg_build_negotiate()  ->	ohv_icmsg_parse()
 *					ohv_icmsg_negotiate_answer()
 *	ohv_icmsg_parse()	     <-	(sent back as the response)
 *	ohv_icmsg_negotiate_result()
 *
 * The guest picks the highest framework and the highest service version
 * both sides list; with no common pair it answers with both counts 0 and
 * status %OHV_IC_E_FAIL.
 */
#ifndef _OHV_ICMSG_H
#define _OHV_ICMSG_H

#include <ohv/wire/icmsg.h>

/**
 * struct ohv_icmsg - a parsed IC message
 * @pipe: copy of the pipe header
 * @hdr: copy of the IC header
 * @body: the body, inside the buffer given to ohv_icmsg_parse()
 * @body_len: bytes at @body (the header's icmsgsize)
 */
struct ohv_icmsg {
	struct ohv_vmbuspipe_hdr pipe;
	struct ohv_icmsg_hdr hdr;
	const u8 *body;
	u32 body_len;
};

/**
 * struct ohv_icmsg_versions - versions one side supports
 * @fw: framework versions, any order
 * @nfw: entries in @fw, at most %OHV_ICMSG_MAX_VERCNT
 * @srv: service versions, any order
 * @nsrv: entries in @srv, at most %OHV_ICMSG_MAX_VERCNT
 */
struct ohv_icmsg_versions {
	const struct ohv_ic_version *fw;
	unsigned int nfw;
	const struct ohv_ic_version *srv;
	unsigned int nsrv;
};

/* Length of every negotiate response: headers, counts, the chosen pair. */
#define OHV_ICMSG_NEGOTIATE_RESP_BYTES \
	(OHV_ICMSG_HDR_BYTES + sizeof(struct ohv_icmsg_negotiate) + \
	 2 * sizeof(struct ohv_ic_version))

/* The framework versions the util services use: 3.0, then 1.0. */
extern const struct ohv_ic_version ohv_icmsg_fw_versions[2];

int ohv_ic_version_cmp(struct ohv_ic_version a, struct ohv_ic_version b);

int ohv_icmsg_parse(const void *buf, u32 len, struct ohv_icmsg *msg);
int ohv_icmsg_init(void *buf, u32 buflen, u16 type,
		   struct ohv_ic_version fw, struct ohv_ic_version srv,
		   u8 tid, u16 body_len);
int ohv_icmsg_make_response(void *buf, u32 buflen,
			    const struct ohv_icmsg *req, u32 status,
			    u16 body_len);

int ohv_icmsg_build_negotiate(void *buf, u32 buflen, u8 tid,
			      const struct ohv_icmsg_versions *offer);
int ohv_icmsg_negotiate_select(const struct ohv_icmsg *req,
			       const struct ohv_icmsg_versions *ours,
			       struct ohv_ic_version *fw,
			       struct ohv_ic_version *srv);
int ohv_icmsg_negotiate_answer(void *buf, u32 buflen,
			       const struct ohv_icmsg *req,
			       const struct ohv_icmsg_versions *ours,
			       struct ohv_ic_version *fw,
			       struct ohv_ic_version *srv);
int ohv_icmsg_negotiate_result(const struct ohv_icmsg *resp,
			       const struct ohv_icmsg_versions *offered,
			       struct ohv_ic_version *fw,
			       struct ohv_ic_version *srv);

/* ------------------------------------------------------------------ */
/* Time sync bodies                                                    */
/* ------------------------------------------------------------------ */

/**
 * struct ohv_timesync_sample - a time-sync body, either layout
 * @parenttime: host UTC, 100 ns units since 1601-01-01
 * @reftime: partition reference time (100 ns units) at which @parenttime
 *	was read; only if @has_reftime (service 4.0 and later)
 * @has_reftime: @reftime is valid
 * @flags: OHV_ICTIMESYNC_*; bits the guest does not know are kept
 */
struct ohv_timesync_sample {
	u64 parenttime;
	u64 reftime;
	bool has_reftime;
	u8 flags;
};

int ohv_timesync_decode(const struct ohv_icmsg *msg, struct ohv_ic_version srv,
			struct ohv_timesync_sample *s);
int ohv_timesync_encode(void *buf, u32 buflen, u8 tid,
			struct ohv_ic_version fw, struct ohv_ic_version srv,
			const struct ohv_timesync_sample *s);
int ohv_timesync_to_unix_ns(u64 t100, s64 *ns);
int ohv_timesync_from_unix_ns(s64 ns, u64 *t100);

#endif /* _OHV_ICMSG_H */
