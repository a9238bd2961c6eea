// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: GPADL reassembly from a GPADL_HEADER and GPADL_BODY
 * messages.  Input: a sequence of { u8 length; length bytes } messages,
 * each fed through the channel-message decoder first, as the host would.
 */
#include <stdlib.h>

#include <ohv/gpadl_wire.h>

/* libFuzzer calls this under its fixed entry-point name. */
int ohv_fuzz_gpadl(const u8 *in, size_t len) __asm__("LLVMFuzzerTestOneInput");

static void check_result(const struct ohv_gpadl *g)
{
	u32 i, pfns = 0;

	for (i = 0; i < g->nr_ranges; i++) {
		const struct ohv_gpadl_range *r = &g->ranges[i];

		if (r->pfn_start != pfns || !r->byte_count ||
		    r->byte_offset >= OHV_HV_PAGE_SIZE)
			abort();
		pfns += r->pfn_count;
	}
	if (pfns != g->nr_pfns || pfns > OHV_GPADL_MAX_PFNS)
		abort();
	for (i = 0; i < g->nr_pfns; i++)
		if (g->pfns[i] > OHV_GPADL_MAX_PFN)
			abort();
}

int ohv_fuzz_gpadl(const u8 *in, size_t len)
{
	struct ohv_gpadl_asm a = { 0 };
	struct ohv_vmbus_msg msg;
	struct ohv_gpadl g;
	bool started = false;
	size_t n;
	int ret;

	while (len) {
		n = min_t(size_t, in[0], len - 1);
		ret = ohv_vmbus_msg_decode(in + 1, n, &msg, NULL);
		in += 1 + n;
		len -= 1 + n;
		if (ret)
			continue;
		if (!started)
			ret = ohv_gpadl_asm_begin(&a, &msg);
		else
			ret = ohv_gpadl_asm_add_body(&a, &msg);
		if (!started && !ret)
			started = true;
		else if (started && ret)
			break;
	}
	if (!started)
		return 0;
	if (ohv_gpadl_asm_finish(&a, &g))
		return 0;
	check_result(&g);
	ohv_gpadl_free(&g);
	return 0;
}
