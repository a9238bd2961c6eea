/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space ring memory: a header page and a data area mapped twice in a
 * row (memfd + two MAP_FIXED mappings), the layout ring.c expects.
 */
#ifndef _OHV_RING_MAP_USER_H
#define _OHV_RING_MAP_USER_H

#include <ohv/ring.h>

/* One ring's memory, as a peer VM would share it. */
struct ohv_ring_mem {
	struct ohv_ring_header *hdr;	/* header page */
	u8 *data;			/* data area, then the same again */
	u32 size;			/* bytes in the data area */
	size_t map_len;			/* bytes reserved at @hdr */
};

/* Map a fresh, zeroed ring with @size data bytes (a multiple of 4096). */
int ohv_ring_mem_create(struct ohv_ring_mem *mem, u32 size);
void ohv_ring_mem_destroy(struct ohv_ring_mem *mem);

#endif /* _OHV_RING_MAP_USER_H */
