// SPDX-License-Identifier: GPL-2.0
/*
 * Receive-buffer slots: the host cuts a guest's receive buffer into
 * fixed-size slots and hands each frame a run of contiguous ones. The
 * guest names the run's first slot in its completion, so a completion is
 * hostile input: only the first slot of a run that is out frees anything.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "ohv_net_proto.h"

int ohv_net_slots_init(struct ohv_net_slots *s, u32 cnt, u32 max_run,
		       gfp_t gfp)
{
	size_t words = BITS_TO_LONGS(cnt);

	if (!cnt || !max_run || max_run > U8_MAX || max_run > cnt)
		return -EINVAL;
	/* One allocation: the map, then the run lengths. */
	s->map = kzalloc(words * sizeof(long) + cnt, gfp);
	if (!s->map)
		return -ENOMEM;
	s->run = (u8 *)(s->map + words);
	s->cnt = cnt;
	s->used = 0;
	s->next = 0;
	s->max_run = max_run;
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_net_slots_init);

void ohv_net_slots_destroy(struct ohv_net_slots *s)
{
	kfree(s->map);
	s->map = NULL;
	s->run = NULL;
	s->cnt = 0;
	s->used = 0;
}
EXPORT_SYMBOL_GPL(ohv_net_slots_destroy);

int ohv_net_slots_get(struct ohv_net_slots *s, u32 n)
{
	unsigned long i;

	if (!s->map || !n || n > s->max_run || s->used + n > s->cnt)
		return -ENOSPC;
	/*
	 * From where the last run ended, then from the start: the slots are
	 * used in order, like a ring, which keeps free space in one piece
	 * while the guest completes in order.
	 */
	i = bitmap_find_next_zero_area(s->map, s->cnt, s->next, n, 0);
	if (i >= s->cnt)
		i = bitmap_find_next_zero_area(s->map, s->cnt, 0, n, 0);
	if (i >= s->cnt)
		return -ENOSPC;
	bitmap_set(s->map, i, n);
	s->run[i] = n;
	s->used += n;
	s->next = i + n;
	return i;
}
EXPORT_SYMBOL_GPL(ohv_net_slots_get);

int ohv_net_slots_put(struct ohv_net_slots *s, u64 i)
{
	u32 n;

	if (!s->map || i >= s->cnt || !s->run[i])
		return -EINVAL;
	n = s->run[i];
	bitmap_clear(s->map, i, n);
	s->run[i] = 0;
	s->used -= n;
	return n;
}
EXPORT_SYMBOL_GPL(ohv_net_slots_put);

int ohv_net_slots_trim(struct ohv_net_slots *s, u64 i, u32 n)
{
	u32 old;

	if (!s->map || i >= s->cnt || !s->run[i] || !n || n > s->run[i])
		return -EINVAL;
	old = s->run[i];
	bitmap_clear(s->map, i + n, old - n);
	s->run[i] = n;
	s->used -= old - n;
	/* The next run follows this one, as if it had been this long. */
	if (s->next == i + old)
		s->next = i + n;
	return 0;
}
EXPORT_SYMBOL_GPL(ohv_net_slots_trim);
