/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest physical memory as seen from the worker: up to a few regions, each
 * a GPA range backed by a contiguous host buffer. Every access goes through
 * ohv_gpa_to_host(), which refuses ranges that are not wholly inside one
 * region, so a guest-supplied address can never reach outside the buffers.
 */
#ifndef OHV_VM_GUEST_MEM_H
#define OHV_VM_GUEST_MEM_H

#include <stddef.h>
#include "compat.h"

#define OHV_MEM_MAX_REGIONS	4

struct ohv_mem_region {
	u64 gpa;		/* first guest physical address */
	u64 size;		/* bytes */
	u8 *host;		/* host address of gpa */
};

struct ohv_guest_mem {
	struct ohv_mem_region region[OHV_MEM_MAX_REGIONS];
	unsigned int nr_regions;
	u64 ram_size;	/* --memory: RAM bytes, without the firmware page */
	u64 low_end;	/* end of RAM below 4 GiB */
};

/*
 * Splits @ram_size bytes of RAM into regions over the host buffer @host
 * (which must be at least @ram_size bytes): [0, low_end) and, when
 * @ram_size exceeds OHV_LOW_RAM_LIMIT, [4 GiB, 4 GiB + rest). Returns 0, or
 * -1 if @ram_size is not a multiple of 4 KiB or below 2 MiB.
 */
int ohv_mem_init(struct ohv_guest_mem *mem, u8 *host, u64 ram_size);

/* Adds one more region (e.g. the firmware page). Returns 0 or -1. */
int ohv_mem_add_region(struct ohv_guest_mem *mem, u64 gpa,
		       u64 size, u8 *host);

/* Host pointer for [gpa, gpa + len), or NULL if not inside one region. */
void *ohv_gpa_to_host(const struct ohv_guest_mem *mem, u64 gpa,
		      u64 len);

/* Copies @len bytes to guest memory. Returns 0 or -1 (range not mapped). */
int ohv_mem_write(const struct ohv_guest_mem *mem, u64 gpa,
		  const void *src, u64 len);

#endif /* OHV_VM_GUEST_MEM_H */
