/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GPADL (guest physical address descriptor list) wire handling.
 *
 * A guest describes a buffer to the host as a "range buffer": rangecount
 * ranges { u32 byte_count; u32 byte_offset; u64 pfn[n] } with
 * n = DIV_ROUND_UP(byte_offset + byte_count, 4096), range_buflen bytes in
 * total.  The range buffer is sent as one GPADL_HEADER message (up to 26
 * PFNs) followed by GPADL_BODY messages (up to 28 PFNs each).
 *
 * Host side: ohv_gpadl_asm_begin() / _add_body() / _finish() reassemble
 * and validate it.  Guest side: ohv_gpadl_build() splits a PFN list into
 * those messages.
 */
#ifndef _OHV_GPADL_WIRE_H
#define _OHV_GPADL_WIRE_H

#include <ohv/vmbus_msg.h>
#include <ohv/wire/ring.h>

/* range_buflen is a u16: the largest range buffer, in bytes. */
#define OHV_GPADL_MAX_RANGE_BUFLEN	0xfff8U
/* Most PFNs one GPADL can carry (a single range). */
#define OHV_GPADL_MAX_PFNS \
	((OHV_GPADL_MAX_RANGE_BUFLEN - sizeof(struct ohv_gpa_range)) / sizeof(u64))
/* PFNs must fit a 52-bit guest physical address. */
#define OHV_GPADL_MAX_PFN		((1ULL << (52 - OHV_HV_PAGE_SHIFT)) - 1)

/* One validated range of an assembled GPADL. */
struct ohv_gpadl_range {
	u32 byte_count;		/* bytes in the range, > 0 */
	u32 byte_offset;	/* offset in the first page, < 4096 */
	u32 pfn_start;		/* index of the first PFN in ohv_gpadl.pfns */
	u32 pfn_count;		/* PFNs of the range */
};

/* An assembled, validated GPADL.  Free with ohv_gpadl_free(). */
struct ohv_gpadl {
	u32 child_relid;	/* channel from the GPADL_HEADER */
	u32 gpadl;		/* guest-chosen handle */
	u32 nr_ranges;		/* entries in @ranges */
	u32 nr_pfns;		/* entries in @pfns */
	struct ohv_gpadl_range *ranges;	/* ranges, in wire order */
	u64 *pfns;		/* all PFNs, in wire order */
};

/* Reassembly state between GPADL_HEADER and the last GPADL_BODY. */
struct ohv_gpadl_asm {
	u32 child_relid;	/* channel from the GPADL_HEADER */
	u32 gpadl;		/* handle that bodies must repeat */
	u32 rangecount;		/* ranges announced by the header */
	u32 buf_words;		/* range_buflen / 8 */
	u32 filled_words;	/* words of @buf received so far */
	u64 *buf;		/* the range buffer being reassembled */
};

/* Start reassembly from a decoded GPADL_HEADER; allocates the buffer. */
int ohv_gpadl_asm_begin(struct ohv_gpadl_asm *a,
			const struct ohv_vmbus_msg *hdr);

/* True once the header and bodies filled the whole range buffer. */
static inline bool ohv_gpadl_asm_complete(const struct ohv_gpadl_asm *a)
{
	return a->filled_words == a->buf_words;
}

/* Append a decoded GPADL_BODY; -EBADMSG if it does not belong or fit. */
int ohv_gpadl_asm_add_body(struct ohv_gpadl_asm *a,
			   const struct ohv_vmbus_msg *body);

/*
 * Validate the complete range buffer and turn it into @out.  The
 * reassembly state is released whatever the outcome.
 */
int ohv_gpadl_asm_finish(struct ohv_gpadl_asm *a, struct ohv_gpadl *out);

/* Drop reassembly state (e.g. on rescind or a bad body). */
void ohv_gpadl_asm_release(struct ohv_gpadl_asm *a);

void ohv_gpadl_free(struct ohv_gpadl *g);

/* Messages ohv_gpadl_build() needs for @nr_pfns PFNs (0 if too many). */
u32 ohv_gpadl_msg_count(u32 nr_pfns);

/*
 * Guest side: describe @nr_pfns whole pages as one range and split it into
 * a GPADL_HEADER and GPADL_BODY messages in @msgs.  Returns the number of
 * messages written or a negative errno.
 */
int ohv_gpadl_build(struct ohv_vmbus_msg *msgs, u32 nr_msgs, u32 child_relid,
		    u32 gpadl, const u64 *pfns, u32 nr_pfns);

#endif /* _OHV_GPADL_WIRE_H */
