// SPDX-License-Identifier: GPL-2.0
/* e820 map construction (pure logic, unit tested). */
#include "e820.h"
#include "layout.h"

static int e820_add(struct ohv_e820_entry *map, unsigned int *n,
		    unsigned int max, u64 start, u64 end,
		    u32 type)
{
	if (*n == max)
		return -1;
	map[*n].addr = start;
	map[*n].size = end - start;
	map[*n].type = type;
	(*n)++;
	return 0;
}

int ohv_e820_build(u64 ram_size, struct ohv_e820_entry *map,
		   unsigned int max)
{
	u64 low_end;
	unsigned int n = 0;

	if (ram_size < 2 * OHV_HIGH_RAM_START)
		return -1;
	low_end = ram_size < OHV_LOW_RAM_LIMIT ? ram_size : OHV_LOW_RAM_LIMIT;

	if (e820_add(map, &n, max, 0, OHV_EBDA_START, OHV_E820_RAM) ||
	    e820_add(map, &n, max, OHV_EBDA_START, OHV_HIGH_RAM_START,
		     OHV_E820_RESERVED) ||
	    e820_add(map, &n, max, OHV_HIGH_RAM_START, low_end, OHV_E820_RAM))
		return -1;
	if (ram_size > low_end &&
	    e820_add(map, &n, max, OHV_4G, OHV_4G + (ram_size - low_end),
		     OHV_E820_RAM))
		return -1;
	return (int)n;
}
