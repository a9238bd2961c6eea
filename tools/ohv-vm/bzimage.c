// SPDX-License-Identifier: GPL-2.0
/*
 * bzImage parsing. Everything in the image is untrusted input: the header
 * is copied out first, then each field is range-checked before use.
 */
#include <stdio.h>
#include <string.h>

#include "bzimage.h"
#include "errf.h"
#include "layout.h"

/* A protected-mode kernel that wants to run below 1 MiB is not a bzImage. */
#define OHV_KERNEL_MIN_ADDR	OHV_HIGH_RAM_START
/* Zero setup_sects means 4 (boot protocol, for ancient images). */
#define OHV_DEFAULT_SETUP_SECTS	4

static int check_header(const struct ohv_setup_header *h, char *err,
			size_t errlen)
{
	if (h->header != OHV_HDRS_MAGIC)
		return ohv_errf(err, errlen,
				"not a bzImage: no \"HdrS\" magic at offset 0x202");
	if (h->boot_flag != OHV_BOOT_FLAG)
		return ohv_errf(err, errlen,
				"not a bzImage: boot flag is 0x%04x, expected 0xaa55",
				h->boot_flag);
	if (h->version < OHV_MIN_BOOT_PROTOCOL)
		return ohv_errf(err, errlen,
				"boot protocol %u.%02u is too old: 64-bit entry needs 2.12 or later",
				h->version >> 8, h->version & 0xff);
	if (!(h->xloadflags & OHV_XLF_KERNEL_64))
		return ohv_errf(err, errlen,
				"kernel has no 64-bit entry point (XLF_KERNEL_64 clear): not an x86_64 kernel?");
	if (!(h->loadflags & OHV_LOADED_HIGH))
		return ohv_errf(err, errlen,
				"zImage (loaded low) kernels are not supported");
	if (h->pref_address < OHV_KERNEL_MIN_ADDR ||
	    h->pref_address >= OHV_LOW_RAM_LIMIT || (h->pref_address & 0xfff))
		return ohv_errf(err, errlen,
				"kernel preferred address 0x%llx is not usable",
				(unsigned long long)h->pref_address);
	if (!h->init_size)
		return ohv_errf(err, errlen, "kernel header has init_size 0");
	return 0;
}

int ohv_bzimage_parse(const u8 *image, size_t size,
		      struct ohv_bzimage *bz, char *err, size_t errlen)
{
	size_t hdr_end, sects;

	memset(bz, 0, sizeof(*bz));
	if (size < OHV_SETUP_HEADER_OFFSET + sizeof(bz->hdr))
		return ohv_errf(err, errlen,
				"file is %zu bytes, too small for a bzImage", size);
	memcpy(&bz->hdr, image + OHV_SETUP_HEADER_OFFSET, sizeof(bz->hdr));
	if (check_header(&bz->hdr, err, errlen))
		return -1;

	/* The header ends where the jump at 0x200 lands (boot.rst). */
	hdr_end = 0x202 + (bz->hdr.jump >> 8);
	if (hdr_end > OHV_SETUP_HEADER_OFFSET + sizeof(bz->hdr))
		hdr_end = OHV_SETUP_HEADER_OFFSET + sizeof(bz->hdr);
	bz->hdr_len = hdr_end - OHV_SETUP_HEADER_OFFSET;

	sects = bz->hdr.setup_sects ? bz->hdr.setup_sects :
				      OHV_DEFAULT_SETUP_SECTS;
	bz->kernel_offset = (sects + 1) * 512;
	if (bz->kernel_offset >= size)
		return ohv_errf(err, errlen,
				"truncated bzImage: %zu setup sectors but the file is %zu bytes",
				sects, size);
	bz->kernel_size = size - bz->kernel_offset;
	if (bz->kernel_size > bz->hdr.init_size)
		return ohv_errf(err, errlen,
				"kernel payload (%zu bytes) is larger than its init_size (%u)",
				bz->kernel_size, bz->hdr.init_size);

	bz->image = image;
	bz->image_size = size;
	bz->load_addr = bz->hdr.pref_address;
	bz->entry = bz->load_addr + 0x200;
	bz->end = bz->load_addr + bz->hdr.init_size;
	return 0;
}
