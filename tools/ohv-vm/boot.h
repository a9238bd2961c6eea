/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Placing a Linux kernel (or a raw flat binary) in guest memory: kernel,
 * initrd, command line and zero page, with the e820 map and RSDP pointer.
 */
#ifndef OHV_VM_BOOT_H
#define OHV_VM_BOOT_H

#include <stddef.h>
#include "compat.h"

#include "bzimage.h"
#include "guest_mem.h"

struct ohv_linux_boot {
	const struct ohv_bzimage *bz;	/* parsed kernel */
	const u8 *initrd;		/* NULL: no initrd */
	size_t initrd_size;
	const char *cmdline;		/* NUL-terminated */
	u64 rsdp_gpa;		/* 0: let the kernel scan for it */
};

struct ohv_boot_result {
	u64 entry;			/* first RIP */
	u64 zero_page;		/* RSI at entry (0 for raw images) */
	u64 initrd_gpa;		/* 0 without initrd */
};

/*
 * Where the initrd goes: as high as possible below the end of low RAM and
 * initrd_addr_max, page aligned, above everything the kernel will touch.
 * Returns the GPA, or 0 if it does not fit.
 */
u64 ohv_initrd_place(const struct ohv_guest_mem *mem,
		     const struct ohv_bzimage *bz, u64 initrd_size);

/* Loads a Linux kernel. Returns 0, or -1 with a reason in @err. */
int ohv_boot_load_linux(const struct ohv_guest_mem *mem,
			const struct ohv_linux_boot *lb,
			struct ohv_boot_result *out, char *err, size_t errlen);

/* Copies a raw image to @load_gpa. Returns 0, or -1 with a reason. */
int ohv_boot_load_raw(const struct ohv_guest_mem *mem, const u8 *image,
		      size_t size, u64 load_gpa, char *err,
		      size_t errlen);

#endif /* OHV_VM_BOOT_H */
