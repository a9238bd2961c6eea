/* SPDX-License-Identifier: GPL-2.0 */
/* The part of a test bzImage's setup header every test image shares. */
#ifndef OHV_TEST_SETUP_HEADER_H
#define OHV_TEST_SETUP_HEADER_H

#include <string.h>

#include "bzimage.h"

/*
 * A header that passes the magic, boot flag, protocol (2.15), loaded-high
 * and 64-bit entry checks; the caller sets the sizes and addresses.
 */
static inline void test_setup_header_init(struct ohv_setup_header *h)
{
	memset(h, 0, sizeof(*h));
	h->boot_flag = OHV_BOOT_FLAG;
	h->jump = (u16)((0x26c - 0x202) << 8 | 0xeb);
	h->header = OHV_HDRS_MAGIC;
	h->version = 0x020f;
	h->loadflags = OHV_LOADED_HIGH;
	h->initrd_addr_max = 0x7fffffff;
	h->kernel_alignment = 0x200000;
	h->xloadflags = OHV_XLF_KERNEL_64;
}

#endif /* OHV_TEST_SETUP_HEADER_H */
