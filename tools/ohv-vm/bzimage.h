/* SPDX-License-Identifier: GPL-2.0 */
/* bzImage header validation (pure logic, unit tested). */
#ifndef OHV_VM_BZIMAGE_H
#define OHV_VM_BZIMAGE_H

#include <stddef.h>
#include "compat.h"

#include "bootparam.h"

struct ohv_bzimage {
	const u8 *image;		/* the whole file */
	size_t image_size;
	struct ohv_setup_header hdr;	/* copy of the image's setup header */
	size_t hdr_len;			/* bytes of header to copy from 0x1f1 */
	size_t kernel_offset;		/* file offset of the 64-bit kernel */
	size_t kernel_size;		/* bytes from kernel_offset to the end */
	u64 load_addr;		/* GPA to load the kernel at */
	u64 entry;			/* 64-bit entry point GPA */
	u64 end;			/* first GPA the kernel will not touch */
};

/*
 * Validates @image (a bzImage, @size bytes) and fills @bz. On failure
 * returns -1 and leaves a human-readable reason in @err.
 */
int ohv_bzimage_parse(const u8 *image, size_t size,
		      struct ohv_bzimage *bz, char *err, size_t errlen);

#endif /* OHV_VM_BZIMAGE_H */
