/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest physical memory map used by the worker. Everything the worker
 * writes before the first instruction lives below 1 MiB, apart from the
 * kernel, the initrd and raw guest images.
 *
 *   0x00000000  0x00000fff  unused (real-mode IVT area)
 *   0x00001000  0x0000107f  GDT (flat: null, null, code64, data, TSS)
 *   0x00001080  0x000010e7  64-bit TSS (all zero)
 *   0x00007000  0x00007fff  zero page (struct boot_params)
 *   0x00009000  0x00009fff  PML4
 *   0x0000a000  0x0000afff  PDPT
 *   0x0000b000  0x0000efff  4 page directories: identity map of 4 GiB
 *   0x00020000  0x00027fff  kernel command line
 *   0x00080000              initial RSP for raw images (grows down)
 *   0x0009fc00  0x000fffff  e820 reserved
 *   0x000e0000  0x000fefff  ACPI tables (RSDP first)
 *   0x00100000  low_end     RAM; kernel at its preferred address
 *   0xc0000000  0xffffffff  hole: local APIC, reset-vector page
 *   0xfffff000  0xffffffff  "firmware" page: HLT loop at the reset vector
 *   0x100000000 ...         RAM above 3 GiB of --memory, if any
 */
#ifndef OHV_VM_LAYOUT_H
#define OHV_VM_LAYOUT_H

#define OHV_GDT_GPA		0x1000ULL
#define OHV_TSS_GPA		0x1080ULL
#define OHV_TSS_SIZE		104
#define OHV_ZERO_PAGE_GPA	0x7000ULL
#define OHV_PML4_GPA		0x9000ULL
#define OHV_PDPT_GPA		0xa000ULL
#define OHV_PD_GPA		0xb000ULL
#define OHV_PD_COUNT		4	/* 4 x 1 GiB of 2 MiB pages */
#define OHV_CMDLINE_GPA		0x20000ULL
#define OHV_CMDLINE_MAX		0x8000ULL
#define OHV_RAW_STACK_TOP	0x80000ULL

#define OHV_EBDA_START		0x9fc00ULL
#define OHV_HIGH_RAM_START	0x100000ULL
#define OHV_ACPI_GPA		0xe0000ULL
#define OHV_ACPI_SIZE		0x1f000ULL

/* RAM above this address is moved above 4 GiB (MMIO hole below 4 GiB). */
#define OHV_LOW_RAM_LIMIT	0xc0000000ULL
#define OHV_4G			0x100000000ULL
#define OHV_FIRMWARE_GPA	0xfffff000ULL
#define OHV_FIRMWARE_SIZE	0x1000ULL

/* Segment selectors of the flat GDT (the Linux 64-bit boot protocol's). */
#define OHV_SEL_CODE64		0x10
#define OHV_SEL_DATA		0x18
#define OHV_SEL_TSS		0x20
#define OHV_GDT_ENTRIES		6	/* the TSS descriptor takes two slots */

#endif /* OHV_VM_LAYOUT_H */
