// SPDX-License-Identifier: GPL-2.0
/* Kernel, initrd, command line and zero page placement. */
#include <stdio.h>
#include <string.h>

#include "boot.h"
#include "e820.h"
#include "errf.h"
#include "layout.h"

#define MIB(x)		((unsigned long long)(x) >> 20)
#define PAGE_DOWN(x)	((x) & ~0xfffULL)
/* Kernels older than 2.06 had no cmdline_size; 2.12+ always has one. */
#define OHV_DEFAULT_CMDLINE_SIZE	255

u64 ohv_initrd_place(const struct ohv_guest_mem *mem,
		     const struct ohv_bzimage *bz, u64 initrd_size)
{
	u64 top = mem->low_end;
	u64 addr;

	if ((u64)bz->hdr.initrd_addr_max + 1 < top)
		top = (u64)bz->hdr.initrd_addr_max + 1;
	if (initrd_size > top)
		return 0;
	addr = PAGE_DOWN(top - initrd_size);
	if (addr < bz->end)
		return 0;
	return addr;
}

static int load_cmdline(const struct ohv_guest_mem *mem,
			const struct ohv_bzimage *bz, const char *cmdline,
			char *err, size_t errlen)
{
	size_t max = bz->hdr.cmdline_size ? bz->hdr.cmdline_size :
					    OHV_DEFAULT_CMDLINE_SIZE;
	size_t len = strlen(cmdline);

	if (max > OHV_CMDLINE_MAX - 1)
		max = OHV_CMDLINE_MAX - 1;
	if (len > max)
		return ohv_errf(err, errlen,
				"command line is %zu bytes, the kernel accepts at most %zu",
				len, max);
	if (ohv_mem_write(mem, OHV_CMDLINE_GPA, cmdline, len + 1))
		return ohv_errf(err, errlen, "command line area is not in guest RAM");
	return 0;
}

static int fill_zero_page(const struct ohv_guest_mem *mem,
			  const struct ohv_linux_boot *lb, u64 initrd_gpa,
			  char *err, size_t errlen)
{
	struct ohv_boot_params *bp;
	int n;

	bp = ohv_gpa_to_host(mem, OHV_ZERO_PAGE_GPA, sizeof(*bp));
	if (!bp)
		return ohv_errf(err, errlen, "zero page is not in guest RAM");
	memset(bp, 0, sizeof(*bp));
	memcpy(&bp->hdr, lb->bz->image + OHV_SETUP_HEADER_OFFSET,
	       lb->bz->hdr_len);

	bp->hdr.type_of_loader = OHV_LOADER_UNDEFINED;
	bp->hdr.loadflags |= OHV_LOADED_HIGH | OHV_CAN_USE_HEAP;
	bp->hdr.cmd_line_ptr = (u32)OHV_CMDLINE_GPA;
	bp->hdr.ramdisk_image = (u32)initrd_gpa;
	bp->hdr.ramdisk_size = (u32)lb->initrd_size;
	bp->ext_ramdisk_image = (u32)(initrd_gpa >> 32);
	bp->ext_ramdisk_size = (u32)((u64)lb->initrd_size >> 32);
	bp->acpi_rsdp_addr = lb->rsdp_gpa;

	n = ohv_e820_build(mem->ram_size, bp->e820_table, OHV_E820_MAX_ENTRIES);
	if (n < 0)
		return ohv_errf(err, errlen, "cannot build the e820 map");
	bp->e820_entries = (u8)n;
	return 0;
}

int ohv_boot_load_linux(const struct ohv_guest_mem *mem,
			const struct ohv_linux_boot *lb,
			struct ohv_boot_result *out, char *err, size_t errlen)
{
	const struct ohv_bzimage *bz = lb->bz;
	u64 initrd_gpa = 0;

	memset(out, 0, sizeof(*out));
	if (bz->end > mem->low_end)
		return ohv_errf(err, errlen,
				"not enough memory: the kernel needs RAM up to %llu MiB (load address + init_size), --memory gives %llu MiB",
				MIB(bz->end) + 1, MIB(mem->ram_size));
	if (ohv_mem_write(mem, bz->load_addr, bz->image + bz->kernel_offset,
			  bz->kernel_size))
		return ohv_errf(err, errlen, "kernel does not fit in guest RAM");

	if (lb->initrd) {
		initrd_gpa = ohv_initrd_place(mem, bz, lb->initrd_size);
		if (!initrd_gpa)
			return ohv_errf(err, errlen,
					"not enough memory for the initrd: kernel needs %llu MiB plus %llu MiB of initrd, --memory gives %llu MiB",
					MIB(bz->end) + 1, MIB(lb->initrd_size) + 1,
					MIB(mem->ram_size));
		if (ohv_mem_write(mem, initrd_gpa, lb->initrd, lb->initrd_size))
			return ohv_errf(err, errlen, "initrd does not fit in guest RAM");
	}

	if (load_cmdline(mem, bz, lb->cmdline, err, errlen) ||
	    fill_zero_page(mem, lb, initrd_gpa, err, errlen))
		return -1;

	out->entry = bz->entry;
	out->zero_page = OHV_ZERO_PAGE_GPA;
	out->initrd_gpa = initrd_gpa;
	return 0;
}

int ohv_boot_load_raw(const struct ohv_guest_mem *mem, const u8 *image,
		      size_t size, u64 load_gpa, char *err,
		      size_t errlen)
{
	if (load_gpa < OHV_HIGH_RAM_START)
		return ohv_errf(err, errlen,
				"raw image load address 0x%llx is below 1 MiB, where the worker keeps its tables",
				(unsigned long long)load_gpa);
	if (ohv_mem_write(mem, load_gpa, image, size))
		return ohv_errf(err, errlen,
				"raw image (%zu bytes at 0x%llx) does not fit in guest RAM",
				size, (unsigned long long)load_gpa);
	return 0;
}
