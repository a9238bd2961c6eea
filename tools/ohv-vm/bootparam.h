/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 Linux boot protocol wire format: the setup header of a bzImage
 * and the zero page (boot_params) built from it. Only what the worker
 * fills or checks is named; the rest is padding. Every offset is pinned
 * by a static_assert against Documentation/x86/boot.rst / zero-page.rst.
 */
#ifndef OHV_VM_BOOTPARAM_H
#define OHV_VM_BOOTPARAM_H

#include <assert.h>
#include <stddef.h>
#include "compat.h"

#include "e820.h"

#define OHV_SETUP_HEADER_OFFSET	0x1f1	/* in the bzImage and the zero page */
#define OHV_BOOT_FLAG		0xaa55
#define OHV_HDRS_MAGIC		0x53726448	/* "HdrS" */
#define OHV_MIN_BOOT_PROTOCOL	0x020c		/* first with XLF_KERNEL_64 */

#define OHV_LOADED_HIGH		BIT(0)	/* loadflags */
#define OHV_CAN_USE_HEAP	BIT(7)
#define OHV_XLF_KERNEL_64	BIT(0)	/* xloadflags */
#define OHV_LOADER_UNDEFINED	0xff		/* type_of_loader */

/* Setup header, starting at offset 0x1f1 of the image and the zero page. */
struct ohv_setup_header {
	u8 setup_sects;		/* 512-byte sectors of real-mode code */
	u16 root_flags;
	u32 syssize;
	u16 ram_size;
	u16 vid_mode;
	u16 root_dev;
	u16 boot_flag;		/* 0xaa55 */
	u16 jump;			/* high byte: header end - 0x202 */
	u32 header;		/* "HdrS" */
	u16 version;		/* boot protocol version */
	u32 realmode_swtch;
	u16 start_sys_seg;
	u16 kernel_version;
	u8 type_of_loader;
	u8 loadflags;
	u16 setup_move_size;
	u32 code32_start;
	u32 ramdisk_image;		/* initrd GPA */
	u32 ramdisk_size;		/* initrd bytes */
	u32 bootsect_kludge;
	u16 heap_end_ptr;
	u8 ext_loader_ver;
	u8 ext_loader_type;
	u32 cmd_line_ptr;		/* command line GPA */
	u32 initrd_addr_max;	/* highest byte the initrd may use */
	u32 kernel_alignment;
	u8 relocatable_kernel;
	u8 min_alignment;
	u16 xloadflags;
	u32 cmdline_size;		/* max command line length, no NUL */
	u32 hardware_subarch;
	u64 hardware_subarch_data;
	u32 payload_offset;
	u32 payload_length;
	u64 setup_data;
	u64 pref_address;		/* where the kernel wants to run */
	u32 init_size;		/* bytes needed from the load address */
	u32 handover_offset;
	u32 kernel_info_offset;
} __packed;

#define OHV_HDR_OFF(f) \
	(OHV_SETUP_HEADER_OFFSET + offsetof(struct ohv_setup_header, f))
static_assert(OHV_HDR_OFF(boot_flag) == 0x1fe, "boot_flag");
static_assert(OHV_HDR_OFF(header) == 0x202, "header");
static_assert(OHV_HDR_OFF(version) == 0x206, "version");
static_assert(OHV_HDR_OFF(type_of_loader) == 0x210, "type_of_loader");
static_assert(OHV_HDR_OFF(loadflags) == 0x211, "loadflags");
static_assert(OHV_HDR_OFF(ramdisk_image) == 0x218, "ramdisk_image");
static_assert(OHV_HDR_OFF(ramdisk_size) == 0x21c, "ramdisk_size");
static_assert(OHV_HDR_OFF(heap_end_ptr) == 0x224, "heap_end_ptr");
static_assert(OHV_HDR_OFF(cmd_line_ptr) == 0x228, "cmd_line_ptr");
static_assert(OHV_HDR_OFF(initrd_addr_max) == 0x22c, "initrd_addr_max");
static_assert(OHV_HDR_OFF(kernel_alignment) == 0x230, "kernel_alignment");
static_assert(OHV_HDR_OFF(xloadflags) == 0x236, "xloadflags");
static_assert(OHV_HDR_OFF(cmdline_size) == 0x238, "cmdline_size");
static_assert(OHV_HDR_OFF(pref_address) == 0x258, "pref_address");
static_assert(OHV_HDR_OFF(init_size) == 0x260, "init_size");
static_assert(sizeof(struct ohv_setup_header) == 0x26c - 0x1f1, "hdr size");

/* The zero page. */
struct ohv_boot_params {
	u8 pad0[0x070];
	u64 acpi_rsdp_addr;	/* RSDP GPA; 0 = scan the BIOS area */
	u8 pad1[0x0c0 - 0x078];
	u32 ext_ramdisk_image;	/* high 32 bits of ramdisk_image */
	u32 ext_ramdisk_size;	/* high 32 bits of ramdisk_size */
	u32 ext_cmd_line_ptr;	/* high 32 bits of cmd_line_ptr */
	u8 pad2[0x1e8 - 0x0cc];
	u8 e820_entries;		/* used entries of e820_table */
	u8 pad3[0x1ef - 0x1e9];
	u8 sentinel;		/* must be 0, see boot.rst */
	u8 pad4;
	struct ohv_setup_header hdr;
	u8 pad5[0x2d0 - 0x26c];
	struct ohv_e820_entry e820_table[OHV_E820_MAX_ENTRIES];
	u8 pad6[0x1000 - 0xcd0];
} __packed;

static_assert(offsetof(struct ohv_boot_params, acpi_rsdp_addr) == 0x070, "rsdp");
static_assert(offsetof(struct ohv_boot_params, ext_ramdisk_image) == 0x0c0, "ext_ri");
static_assert(offsetof(struct ohv_boot_params, ext_cmd_line_ptr) == 0x0c8, "ext_cl");
static_assert(offsetof(struct ohv_boot_params, e820_entries) == 0x1e8, "e820_entries");
static_assert(offsetof(struct ohv_boot_params, sentinel) == 0x1ef, "sentinel");
static_assert(offsetof(struct ohv_boot_params, hdr) == 0x1f1, "hdr");
static_assert(offsetof(struct ohv_boot_params, e820_table) == 0x2d0, "e820_table");
static_assert(sizeof(struct ohv_boot_params) == 0x1000, "zero page size");

#endif /* OHV_VM_BOOTPARAM_H */
