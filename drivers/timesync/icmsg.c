// SPDX-License-Identifier: GPL-2.0
/*
 * IC framework: parse and build integration-component messages and
 * negotiate their framework and service versions.
 *
 * Pure code: built into ohv_icmsg.ko and, unchanged, in user space with
 * -I tools/vmbus/include. Callers hand in a private copy of the message;
 * every field is read with memcpy() so that no alignment is assumed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <ohv/icmsg.h>

#ifdef __KERNEL__
#include <linux/export.h>
#include <linux/module.h>
#endif

/* Framework versions, highest first: Windows Server 2012 and later, 2008. */
const struct ohv_ic_version ohv_icmsg_fw_versions[2] = {
	{ .major = 3, .minor = 0 },
	{ .major = 1, .minor = 0 },
};
EXPORT_SYMBOL_GPL(ohv_icmsg_fw_versions);

/* A negotiate answer: the fixed part and the chosen pair. */
#define OHV_ICMSG_NEGOTIATE_ANSWER_BODY \
	(sizeof(struct ohv_icmsg_negotiate) + 2 * sizeof(struct ohv_ic_version))

/**
 * ohv_ic_version_cmp() - order two versions
 * @a: one version
 * @b: the other
 *
 * Return: <0, 0 or >0 as @a is lower than, equal to or higher than @b.
 */
int ohv_ic_version_cmp(struct ohv_ic_version a, struct ohv_ic_version b)
{
	if (a.major != b.major)
		return a.major < b.major ? -1 : 1;
	if (a.minor != b.minor)
		return a.minor < b.minor ? -1 : 1;
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_ic_version_cmp);

static bool ohv_ic_version_listed(struct ohv_ic_version v,
				  const struct ohv_ic_version *list,
				  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!ohv_ic_version_cmp(v, list[i]))
			return true;
	return false;
}

static struct ohv_ic_version
ohv_ic_version_highest(const struct ohv_ic_version *list, unsigned int n)
{
	struct ohv_ic_version best = { 0, 0 };
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ohv_ic_version_cmp(list[i], best) > 0)
			best = list[i];
	return best;
}

/**
 * ohv_icmsg_parse() - validate the headers of a received IC message
 * @buf: the message (packet payload), already copied off the ring
 * @len: bytes at @buf; may include the packet's padding
 * @msg: filled with copies of both headers and the body's place
 *
 * The pipe header's flags and the IC header's flags are not checked:
 * senders may set bits this side does not know. Whenever @len covers both
 * headers, @msg->pipe and @msg->hdr are filled in, even on error, so that
 * the caller can still answer with an error status.
 *
 * Return: 0; -EMSGSIZE if @len exceeds %OHV_ICMSG_MAX_BYTES; -EBADMSG if
 * the headers do not fit in @len or claim more bytes than @len holds.
 */
int ohv_icmsg_parse(const void *buf, u32 len, struct ohv_icmsg *msg)
{
	const u8 *p = buf;

	if (len < OHV_ICMSG_HDR_BYTES)
		return -EBADMSG;
	memcpy(&msg->pipe, p, sizeof(msg->pipe));
	memcpy(&msg->hdr, p + sizeof(msg->pipe), sizeof(msg->hdr));
	if (len > OHV_ICMSG_MAX_BYTES)
		return -EMSGSIZE;
	if (msg->pipe.msgsize > len - sizeof(msg->pipe))
		return -EBADMSG;
	if (msg->hdr.icmsgsize > len - OHV_ICMSG_HDR_BYTES)
		return -EBADMSG;
	msg->body = p + OHV_ICMSG_HDR_BYTES;
	msg->body_len = msg->hdr.icmsgsize;
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_icmsg_parse);

/**
 * ohv_icmsg_init() - start a request
 * @buf: where to build it
 * @buflen: room at @buf
 * @type: OHV_ICMSGTYPE_*
 * @fw: framework version in use
 * @srv: service version in use
 * @tid: transaction id, echoed in the response
 * @body_len: body bytes; the body (at %OHV_ICMSG_HDR_BYTES) is zeroed
 *
 * Return: the message length, or -EINVAL if it does not fit in @buflen or
 * in %OHV_ICMSG_MAX_BYTES.
 */
int ohv_icmsg_init(void *buf, u32 buflen, u16 type,
		   struct ohv_ic_version fw, struct ohv_ic_version srv,
		   u8 tid, u16 body_len)
{
	struct ohv_vmbuspipe_hdr pipe = {
		.flags = OHV_VMBUSPIPE_TYPE_MESSAGE,
		.msgsize = sizeof(struct ohv_icmsg_hdr) + body_len,
	};
	struct ohv_icmsg_hdr hdr = {
		.icverframe = fw,
		.icmsgtype = type,
		.icvermsg = srv,
		.icmsgsize = body_len,
		.ictransaction_id = tid,
		.icflags = OHV_ICMSGHDRFLAG_TRANSACTION |
			   OHV_ICMSGHDRFLAG_REQUEST,
	};
	u32 len = OHV_ICMSG_HDR_BYTES + body_len;
	u8 *p = buf;

	if (len > buflen || len > OHV_ICMSG_MAX_BYTES)
		return -EINVAL;
	memcpy(p, &pipe, sizeof(pipe));
	memcpy(p + sizeof(pipe), &hdr, sizeof(hdr));
	memset(p + OHV_ICMSG_HDR_BYTES, 0, body_len);
	return len;
}
EXPORT_SYMBOL_GPL(ohv_icmsg_init);

/**
 * ohv_icmsg_make_response() - turn a request into its response, in place
 * @buf: the buffer the request was parsed from
 * @buflen: room at @buf
 * @req: the parsed request
 * @status: %OHV_IC_S_OK or an error HRESULT
 * @body_len: body bytes of the response, as the caller left them at
 *	%OHV_ICMSG_HDR_BYTES
 *
 * Keeps the request's versions, type and transaction id; sets the
 * response flags and the sizes.
 *
 * Return: the response length, or -EINVAL if it does not fit.
 */
int ohv_icmsg_make_response(void *buf, u32 buflen,
			    const struct ohv_icmsg *req, u32 status,
			    u16 body_len)
{
	struct ohv_vmbuspipe_hdr pipe = req->pipe;
	struct ohv_icmsg_hdr hdr = req->hdr;
	u32 len = OHV_ICMSG_HDR_BYTES + body_len;
	u8 *p = buf;

	if (len > buflen || len > OHV_ICMSG_MAX_BYTES)
		return -EINVAL;
	pipe.msgsize = sizeof(hdr) + body_len;
	hdr.icmsgsize = body_len;
	hdr.status = status;
	hdr.icflags = OHV_ICMSGHDRFLAG_TRANSACTION | OHV_ICMSGHDRFLAG_RESPONSE;
	memcpy(p, &pipe, sizeof(pipe));
	memcpy(p + sizeof(pipe), &hdr, sizeof(hdr));
	return len;
}
EXPORT_SYMBOL_GPL(ohv_icmsg_make_response);

/**
 * ohv_icmsg_build_negotiate() - the host's version offer
 * @buf: where to build it
 * @buflen: room at @buf
 * @tid: transaction id
 * @offer: framework and service versions offered, 1..%OHV_ICMSG_MAX_VERCNT
 *	of each
 *
 * Return: the message length, or -EINVAL.
 */
int ohv_icmsg_build_negotiate(void *buf, u32 buflen, u8 tid,
			      const struct ohv_icmsg_versions *offer)
{
	struct ohv_icmsg_negotiate neg = {};
	u32 body_len;
	u8 *body;
	int len;

	if (!offer->nfw || offer->nfw > OHV_ICMSG_MAX_VERCNT ||
	    !offer->nsrv || offer->nsrv > OHV_ICMSG_MAX_VERCNT)
		return -EINVAL;
	body_len = sizeof(neg) + (offer->nfw + offer->nsrv) *
				 sizeof(struct ohv_ic_version);
	len = ohv_icmsg_init(buf, buflen, OHV_ICMSGTYPE_NEGOTIATE,
			     ohv_ic_version_highest(offer->fw, offer->nfw),
			     ohv_ic_version_highest(offer->srv, offer->nsrv),
			     tid, body_len);
	if (len < 0)
		return len;
	body = (u8 *)buf + OHV_ICMSG_HDR_BYTES;
	neg.icframe_vercnt = offer->nfw;
	neg.icmsg_vercnt = offer->nsrv;
	memcpy(body, &neg, sizeof(neg));
	body += sizeof(neg);
	memcpy(body, offer->fw, offer->nfw * sizeof(*offer->fw));
	body += offer->nfw * sizeof(*offer->fw);
	memcpy(body, offer->srv, offer->nsrv * sizeof(*offer->srv));
	return len;
}
EXPORT_SYMBOL_GPL(ohv_icmsg_build_negotiate);

/* The highest of the @n versions at @wire that @ours also lists. */
static bool ohv_icmsg_pick(const u8 *wire, unsigned int n,
			   const struct ohv_ic_version *ours, unsigned int nours,
			   struct ohv_ic_version *best)
{
	struct ohv_ic_version v;
	bool found = false;
	unsigned int i;

	for (i = 0; i < n; i++) {
		memcpy(&v, wire + i * sizeof(v), sizeof(v));
		if (!ohv_ic_version_listed(v, ours, nours))
			continue;
		if (!found || ohv_ic_version_cmp(v, *best) > 0)
			*best = v;
		found = true;
	}
	return found;
}

/**
 * ohv_icmsg_negotiate_select() - the guest's choice for a version offer
 * @req: the parsed negotiate request
 * @ours: the versions this side supports
 * @fw: set to the chosen framework version
 * @srv: set to the chosen service version
 *
 * Return: 0; -EPROTONOSUPPORT if no framework or no service version is
 * common to both sides; -EBADMSG if @req is not a negotiate message, a
 * count exceeds %OHV_ICMSG_MAX_VERCNT or the versions overrun the body.
 */
int ohv_icmsg_negotiate_select(const struct ohv_icmsg *req,
			       const struct ohv_icmsg_versions *ours,
			       struct ohv_ic_version *fw,
			       struct ohv_ic_version *srv)
{
	struct ohv_icmsg_negotiate neg;
	const u8 *list;

	if (req->hdr.icmsgtype != OHV_ICMSGTYPE_NEGOTIATE ||
	    req->body_len < sizeof(neg))
		return -EBADMSG;
	memcpy(&neg, req->body, sizeof(neg));
	if (neg.icframe_vercnt > OHV_ICMSG_MAX_VERCNT ||
	    neg.icmsg_vercnt > OHV_ICMSG_MAX_VERCNT)
		return -EBADMSG;
	if (req->body_len < sizeof(neg) + (neg.icframe_vercnt +
					   neg.icmsg_vercnt) *
					  sizeof(struct ohv_ic_version))
		return -EBADMSG;
	list = req->body + sizeof(neg);
	if (!ohv_icmsg_pick(list, neg.icframe_vercnt, ours->fw, ours->nfw, fw))
		return -EPROTONOSUPPORT;
	list += neg.icframe_vercnt * sizeof(struct ohv_ic_version);
	if (!ohv_icmsg_pick(list, neg.icmsg_vercnt, ours->srv, ours->nsrv, srv))
		return -EPROTONOSUPPORT;
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_icmsg_negotiate_select);

/**
 * ohv_icmsg_negotiate_answer() - answer a version offer, in place
 * @buf: the buffer @req was parsed from; receives the response
 * @buflen: room at @buf, at least %OHV_ICMSG_NEGOTIATE_RESP_BYTES
 * @req: the parsed negotiate request
 * @ours: the versions this side supports
 * @fw: set to the chosen framework version on success
 * @srv: set to the chosen service version on success
 *
 * The response is %OHV_ICMSG_NEGOTIATE_RESP_BYTES long unless -ENOSPC is
 * returned. Without a choice it carries both counts 0 and %OHV_IC_E_FAIL.
 *
 * Return: as ohv_icmsg_negotiate_select(), or -ENOSPC if @buflen is too
 * small (nothing written).
 */
int ohv_icmsg_negotiate_answer(void *buf, u32 buflen,
			       const struct ohv_icmsg *req,
			       const struct ohv_icmsg_versions *ours,
			       struct ohv_ic_version *fw,
			       struct ohv_ic_version *srv)
{
	struct ohv_ic_version pair[2] = {};
	struct ohv_icmsg_negotiate neg = {};
	u8 *body = (u8 *)buf + OHV_ICMSG_HDR_BYTES;
	int ret;

	if (buflen < OHV_ICMSG_NEGOTIATE_RESP_BYTES)
		return -ENOSPC;
	ret = ohv_icmsg_negotiate_select(req, ours, &pair[0], &pair[1]);
	if (!ret) {
		neg.icframe_vercnt = 1;
		neg.icmsg_vercnt = 1;
		*fw = pair[0];
		*srv = pair[1];
	} else {
		memset(pair, 0, sizeof(pair));
	}
	/* The body may alias req->body: it is not read after this. */
	memcpy(body, &neg, sizeof(neg));
	memcpy(body + sizeof(neg), pair, sizeof(pair));
	ohv_icmsg_make_response(buf, buflen, req,
				ret ? OHV_IC_E_FAIL : OHV_IC_S_OK,
				OHV_ICMSG_NEGOTIATE_ANSWER_BODY);
	return ret;
}
EXPORT_SYMBOL_GPL(ohv_icmsg_negotiate_answer);

/**
 * ohv_icmsg_negotiate_result() - what the guest chose, as the host sees it
 * @resp: the parsed negotiate response
 * @offered: what the host offered
 * @fw: set to the chosen framework version on success
 * @srv: set to the chosen service version on success
 *
 * Return: 0; -EPROTONOSUPPORT if the guest found no common version;
 * -EBADMSG if @resp is not a well-formed negotiate response or names a
 * version that was not offered.
 */
int ohv_icmsg_negotiate_result(const struct ohv_icmsg *resp,
			       const struct ohv_icmsg_versions *offered,
			       struct ohv_ic_version *fw,
			       struct ohv_ic_version *srv)
{
	struct ohv_ic_version pair[2];
	struct ohv_icmsg_negotiate neg;

	if (resp->hdr.icmsgtype != OHV_ICMSGTYPE_NEGOTIATE ||
	    !(resp->hdr.icflags & OHV_ICMSGHDRFLAG_RESPONSE) ||
	    resp->body_len < sizeof(neg))
		return -EBADMSG;
	memcpy(&neg, resp->body, sizeof(neg));
	if (resp->hdr.status != OHV_IC_S_OK ||
	    (!neg.icframe_vercnt && !neg.icmsg_vercnt))
		return -EPROTONOSUPPORT;
	if (neg.icframe_vercnt != 1 || neg.icmsg_vercnt != 1 ||
	    resp->body_len < OHV_ICMSG_NEGOTIATE_ANSWER_BODY)
		return -EBADMSG;
	memcpy(pair, resp->body + sizeof(neg), sizeof(pair));
	if (!ohv_ic_version_listed(pair[0], offered->fw, offered->nfw) ||
	    !ohv_ic_version_listed(pair[1], offered->srv, offered->nsrv))
		return -EBADMSG;
	*fw = pair[0];
	*srv = pair[1];
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_icmsg_negotiate_result);

#ifdef __KERNEL__
MODULE_DESCRIPTION("ohv integration-component message framework");
MODULE_LICENSE("GPL");
#endif
