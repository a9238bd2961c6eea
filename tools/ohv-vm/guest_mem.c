// SPDX-License-Identifier: GPL-2.0
/* Guest physical memory regions and bounds-checked GPA translation. */
#include <string.h>

#include "guest_mem.h"
#include "layout.h"

#define OHV_PAGE_MASK	0xfffULL
#define OHV_MIN_RAM	0x200000ULL

int ohv_mem_init(struct ohv_guest_mem *mem, u8 *host, u64 ram_size)
{
	u64 low;

	memset(mem, 0, sizeof(*mem));
	if (ram_size < OHV_MIN_RAM || (ram_size & OHV_PAGE_MASK))
		return -1;

	low = ram_size < OHV_LOW_RAM_LIMIT ? ram_size : OHV_LOW_RAM_LIMIT;
	mem->ram_size = ram_size;
	mem->low_end = low;
	if (ohv_mem_add_region(mem, 0, low, host))
		return -1;
	if (ram_size > low &&
	    ohv_mem_add_region(mem, OHV_4G, ram_size - low, host + low))
		return -1;
	return 0;
}

int ohv_mem_add_region(struct ohv_guest_mem *mem, u64 gpa,
		       u64 size, u8 *host)
{
	struct ohv_mem_region *r;
	unsigned int i;

	if (mem->nr_regions == OHV_MEM_MAX_REGIONS || !size ||
	    gpa + size < gpa)
		return -1;
	for (i = 0; i < mem->nr_regions; i++) {
		r = &mem->region[i];
		if (gpa < r->gpa + r->size && r->gpa < gpa + size)
			return -1;
	}
	r = &mem->region[mem->nr_regions++];
	r->gpa = gpa;
	r->size = size;
	r->host = host;
	return 0;
}

void *ohv_gpa_to_host(const struct ohv_guest_mem *mem, u64 gpa,
		      u64 len)
{
	const struct ohv_mem_region *r;
	unsigned int i;

	for (i = 0; i < mem->nr_regions; i++) {
		r = &mem->region[i];
		if (gpa < r->gpa || gpa - r->gpa >= r->size)
			continue;
		if (len > r->size - (gpa - r->gpa))
			return NULL;
		return r->host + (gpa - r->gpa);
	}
	return NULL;
}

int ohv_mem_write(const struct ohv_guest_mem *mem, u64 gpa,
		  const void *src, u64 len)
{
	void *dst = ohv_gpa_to_host(mem, gpa, len);

	if (!dst)
		return -1;
	memcpy(dst, src, len);
	return 0;
}
