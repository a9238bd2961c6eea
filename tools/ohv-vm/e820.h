/* SPDX-License-Identifier: GPL-2.0 */
/* The BIOS-style e820 memory map handed to the guest in the zero page. */
#ifndef OHV_VM_E820_H
#define OHV_VM_E820_H

#include <assert.h>
#include "compat.h"

#define OHV_E820_RAM		1
#define OHV_E820_RESERVED	2
#define OHV_E820_MAX_ENTRIES	128	/* boot_params.e820_table[] size */

/* One e820 entry exactly as in boot_params.e820_table (20 bytes). */
struct ohv_e820_entry {
	u64 addr;		/* first byte */
	u64 size;		/* bytes */
	u32 type;		/* OHV_E820_* */
} __packed;

static_assert(sizeof(struct ohv_e820_entry) == 20, "e820 entry size");

/*
 * Fills @map for a guest with @ram_size bytes of RAM (the layout of
 * layout.h: low RAM, reserved EBDA/BIOS area, RAM from 1 MiB, RAM above
 * 4 GiB for what does not fit below OHV_LOW_RAM_LIMIT). Returns the number
 * of entries, or -1 if @ram_size is too small (2 MiB minimum) or @max is
 * too small.
 */
int ohv_e820_build(u64 ram_size, struct ohv_e820_entry *map,
		   unsigned int max);

#endif /* OHV_VM_E820_H */
