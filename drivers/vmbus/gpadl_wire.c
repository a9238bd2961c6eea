// SPDX-License-Identifier: GPL-2.0
/*
 * GPADL range buffers: reassembly and validation (host side) and splitting
 * into GPADL_HEADER + GPADL_BODY messages (guest side).
 *
 * Pure code: built into ohv_vmbus.ko and into the user-space tests and
 * fuzzers.  Every input has already been through ohv_vmbus_msg_decode(), so
 * message lengths are trusted here but field values are not.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <ohv/gpadl_wire.h>

#ifdef __KERNEL__
#include <linux/export.h>
#include <linux/slab.h>
#endif

static const u64 *gpadl_header_words(const struct ohv_vmbus_msg *hdr)
{
	return (const u64 *)(hdr->raw + sizeof(struct ohv_vmbus_msg_gpadl_header));
}

int ohv_gpadl_asm_begin(struct ohv_gpadl_asm *a,
			const struct ohv_vmbus_msg *hdr)
{
	const struct ohv_vmbus_msg_gpadl_header *h = &hdr->gpadl_header;
	u32 tail_words = ohv_vmbus_msg_gpadl_header_tail(hdr) / sizeof(u64);

	memset(a, 0, sizeof(*a));
	if (h->header.msgtype != OHV_CHMSG_GPADL_HEADER)
		return -EINVAL;

	a->child_relid = h->child_relid;
	a->gpadl = h->gpadl;
	a->rangecount = h->rangecount;
	a->buf_words = h->range_buflen / sizeof(u64);
	/* ohv_vmbus_msg_decode() guarantees this; don't rely on every caller. */
	if (!tail_words || tail_words > a->buf_words)
		return -EBADMSG;
	a->buf = kvcalloc(a->buf_words, sizeof(u64), GFP_KERNEL);
	if (!a->buf)
		return -ENOMEM;
	memcpy(a->buf, gpadl_header_words(hdr), tail_words * sizeof(u64));
	a->filled_words = tail_words;
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_gpadl_asm_begin);

int ohv_gpadl_asm_add_body(struct ohv_gpadl_asm *a,
			   const struct ohv_vmbus_msg *body)
{
	u32 words;

	if (!a->buf || body->hdr.msgtype != OHV_CHMSG_GPADL_BODY)
		return -EINVAL;
	if (body->gpadl_body.gpadl != a->gpadl)
		return -EBADMSG;
	/* msgnumber is not checked: Linux guests always send 0. */
	words = ohv_vmbus_msg_gpadl_body_pfns(body);
	if (words > a->buf_words - a->filled_words)
		return -EBADMSG;
	memcpy(a->buf + a->filled_words, body->gpadl_body.pfn,
	       words * sizeof(u64));
	a->filled_words += words;
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_gpadl_asm_add_body);

void ohv_gpadl_asm_release(struct ohv_gpadl_asm *a)
{
	kvfree(a->buf);
	a->buf = NULL;
}
EXPORT_SYMBOL_GPL(ohv_gpadl_asm_release);

void ohv_gpadl_free(struct ohv_gpadl *g)
{
	kvfree(g->ranges);
	kvfree(g->pfns);
	g->ranges = NULL;
	g->pfns = NULL;
}
EXPORT_SYMBOL_GPL(ohv_gpadl_free);

/*
 * Walk the range buffer once.  With @out NULL only count PFNs; otherwise
 * fill @out, which was sized by the counting pass.
 */
static int gpadl_parse(const struct ohv_gpadl_asm *a, struct ohv_gpadl *out,
		       u32 *nr_pfns)
{
	u32 pos = 0, pfns = 0, i, j;

	for (i = 0; i < a->rangecount; i++) {
		struct ohv_gpa_range r;
		u32 count;

		if (pos >= a->buf_words)
			return -EBADMSG;
		memcpy(&r, &a->buf[pos++], sizeof(r));
		if (!r.byte_count || r.byte_offset >= OHV_HV_PAGE_SIZE)
			return -EBADMSG;
		count = DIV_ROUND_UP((u64)r.byte_offset + r.byte_count,
				     OHV_HV_PAGE_SIZE);
		if (count > a->buf_words - pos)
			return -EBADMSG;
		for (j = 0; j < count; j++)
			if (a->buf[pos + j] > OHV_GPADL_MAX_PFN)
				return -EBADMSG;
		if (out) {
			out->ranges[i].byte_count = r.byte_count;
			out->ranges[i].byte_offset = r.byte_offset;
			out->ranges[i].pfn_start = pfns;
			out->ranges[i].pfn_count = count;
			memcpy(out->pfns + pfns, &a->buf[pos], count * sizeof(u64));
		}
		pos += count;
		pfns += count;
	}
	/* range_buflen must describe exactly the ranges, nothing more. */
	if (pos != a->buf_words)
		return -EBADMSG;
	*nr_pfns = pfns;
	return 0;
}

int ohv_gpadl_asm_finish(struct ohv_gpadl_asm *a, struct ohv_gpadl *out)
{
	u32 nr_pfns;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = -EBADMSG;
	if (!a->buf || !ohv_gpadl_asm_complete(a))
		goto release;
	ret = gpadl_parse(a, NULL, &nr_pfns);
	if (ret)
		goto release;

	ret = -ENOMEM;
	out->ranges = kvcalloc(a->rangecount, sizeof(*out->ranges), GFP_KERNEL);
	out->pfns = kvcalloc(nr_pfns, sizeof(u64), GFP_KERNEL);
	if (!out->ranges || !out->pfns)
		goto free_out;
	ret = gpadl_parse(a, out, &nr_pfns);
	if (ret)
		goto free_out;
	out->child_relid = a->child_relid;
	out->gpadl = a->gpadl;
	out->nr_ranges = a->rangecount;
	out->nr_pfns = nr_pfns;
	goto release;

free_out:
	ohv_gpadl_free(out);
release:
	ohv_gpadl_asm_release(a);
	return ret;
}
EXPORT_SYMBOL_GPL(ohv_gpadl_asm_finish);

u32 ohv_gpadl_msg_count(u32 nr_pfns)
{
	if (!nr_pfns || nr_pfns > OHV_GPADL_MAX_PFNS)
		return 0;
	if (nr_pfns <= OHV_GPADL_HEADER_MAX_PFNS)
		return 1;
	return 1 + DIV_ROUND_UP(nr_pfns - (u32)OHV_GPADL_HEADER_MAX_PFNS,
				(u32)OHV_GPADL_BODY_MAX_PFNS);
}
EXPORT_SYMBOL_GPL(ohv_gpadl_msg_count);

int ohv_gpadl_build(struct ohv_vmbus_msg *msgs, u32 nr_msgs, u32 child_relid,
		    u32 gpadl, const u64 *pfns, u32 nr_pfns)
{
	u32 need = ohv_gpadl_msg_count(nr_pfns);
	struct ohv_vmbus_msg_gpadl_header *h;
	struct ohv_gpa_range range;
	u32 done, n, i;

	if (!need)
		return -EINVAL;
	if (nr_msgs < need)
		return -ENOSPC;

	ohv_vmbus_msg_init(&msgs[0], OHV_CHMSG_GPADL_HEADER);
	h = &msgs[0].gpadl_header;
	h->child_relid = child_relid;
	h->gpadl = gpadl;
	h->rangecount = 1;
	h->range_buflen = sizeof(range) + nr_pfns * sizeof(u64);
	range.byte_count = nr_pfns * OHV_HV_PAGE_SIZE;
	range.byte_offset = 0;
	memcpy(msgs[0].raw + sizeof(*h), &range, sizeof(range));

	n = min_t(u32, nr_pfns, OHV_GPADL_HEADER_MAX_PFNS);
	memcpy(msgs[0].raw + sizeof(*h) + sizeof(range), pfns, n * sizeof(u64));
	msgs[0].len = sizeof(*h) + sizeof(range) + n * sizeof(u64);

	for (done = n, i = 1; done < nr_pfns; done += n, i++) {
		n = min_t(u32, nr_pfns - done, OHV_GPADL_BODY_MAX_PFNS);
		ohv_vmbus_msg_init(&msgs[i], OHV_CHMSG_GPADL_BODY);
		msgs[i].gpadl_body.gpadl = gpadl;
		memcpy(msgs[i].gpadl_body.pfn, pfns + done, n * sizeof(u64));
		msgs[i].len = sizeof(struct ohv_vmbus_msg_gpadl_body) +
			      n * sizeof(u64);
	}
	return i;
}
EXPORT_SYMBOL_GPL(ohv_gpadl_build);
