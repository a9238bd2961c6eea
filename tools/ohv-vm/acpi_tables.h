/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI table wire formats (ACPI 6.3, sections 5.2.5 - 5.2.12) for the
 * tables the worker generates. Offsets are pinned by static_asserts.
 */
#ifndef OHV_VM_ACPI_TABLES_H
#define OHV_VM_ACPI_TABLES_H

#include <assert.h>
#include <stddef.h>
#include "compat.h"

#define OHV_ACPI_OEM_ID		"OHV   "	/* 6 characters */
#define OHV_ACPI_OEM_TABLE_ID	"OHVVM   "	/* 8 characters */
#define OHV_ACPI_CREATOR_ID	"OHVW"
#define OHV_ACPI_SPACE_IO	1	/* GAS address space: system I/O */
#define OHV_ACPI_ACCESS_BYTE	1	/* GAS access size: 8 bits */

struct ohv_acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	u8 checksum;		/* over the first 20 bytes */
	char oem_id[6];
	u8 revision;		/* 2: ACPI 2.0+ with XSDT */
	u32 rsdt_address;		/* 0: no RSDT */
	u32 length;		/* 36 */
	u64 xsdt_address;
	u8 extended_checksum;	/* over all 36 bytes */
	u8 reserved[3];
} __packed;

static_assert(sizeof(struct ohv_acpi_rsdp) == 36, "rsdp size");
static_assert(offsetof(struct ohv_acpi_rsdp, xsdt_address) == 24, "rsdp xsdt");

struct ohv_acpi_header {
	char signature[4];
	u32 length;		/* whole table, header included */
	u8 revision;
	u8 checksum;		/* whole table sums to 0 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char creator_id[4];
	u32 creator_revision;
} __packed;

static_assert(sizeof(struct ohv_acpi_header) == 36, "header size");

/* Generic Address Structure. */
struct ohv_acpi_gas {
	u8 space_id;		/* OHV_ACPI_SPACE_* */
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;		/* OHV_ACPI_ACCESS_* */
	u64 address;
} __packed;

static_assert(sizeof(struct ohv_acpi_gas) == 12, "gas size");

#define OHV_FADT_RESET_REG_SUP	BIT(10)
#define OHV_FADT_HW_REDUCED	BIT(20)
#define OHV_FADT_BOOT_NO_VGA	BIT(2)
#define OHV_FADT_BOOT_NO_CMOS_RTC	BIT(5)

struct ohv_acpi_fadt {
	struct ohv_acpi_header header;	/* "FACP", revision 6 */
	u32 firmware_ctrl;
	u32 dsdt;			/* 0: X_DSDT is used */
	u8 reserved0;
	u8 preferred_pm_profile;
	u16 sci_int;
	u32 smi_cmd;
	u8 legacy_fixed[88 - 52];	/* PM1/PM2/GPE blocks: none */
	u8 legacy_lengths[109 - 88];
	u16 iapc_boot_arch;	/* OHV_FADT_BOOT_* */
	u8 reserved1;
	u32 flags;			/* OHV_FADT_* */
	struct ohv_acpi_gas reset_reg;
	u8 reset_value;
	u16 arm_boot_arch;
	u8 minor_revision;
	u64 x_firmware_ctrl;
	u64 x_dsdt;
	struct ohv_acpi_gas x_legacy_blocks[8];
	struct ohv_acpi_gas sleep_control;
	struct ohv_acpi_gas sleep_status;
	u64 hypervisor_vendor_id;
} __packed;

static_assert(offsetof(struct ohv_acpi_fadt, sci_int) == 46, "fadt sci");
static_assert(offsetof(struct ohv_acpi_fadt, iapc_boot_arch) == 109, "fadt boot");
static_assert(offsetof(struct ohv_acpi_fadt, flags) == 112, "fadt flags");
static_assert(offsetof(struct ohv_acpi_fadt, reset_reg) == 116, "fadt reset");
static_assert(offsetof(struct ohv_acpi_fadt, reset_value) == 128, "fadt rv");
static_assert(offsetof(struct ohv_acpi_fadt, minor_revision) == 131, "fadt minor");
static_assert(offsetof(struct ohv_acpi_fadt, x_dsdt) == 140, "fadt x_dsdt");
static_assert(offsetof(struct ohv_acpi_fadt, sleep_control) == 244, "fadt slpc");
static_assert(offsetof(struct ohv_acpi_fadt, sleep_status) == 256, "fadt slps");
static_assert(sizeof(struct ohv_acpi_fadt) == 276, "fadt size");

#define OHV_MADT_LOCAL_APIC	0
#define OHV_MADT_LOCAL_X2APIC	9
#define OHV_MADT_ENABLED	1u
/* APIC IDs from 255 up need x2APIC entries (ACPI 6.3, 5.2.12.12). */
#define OHV_MADT_XAPIC_ID_LIMIT	255

struct ohv_acpi_madt {
	struct ohv_acpi_header header;	/* "APIC" */
	u32 lapic_address;		/* 0xfee00000 */
	u32 flags;			/* 0: no 8259 PICs */
} __packed;

static_assert(sizeof(struct ohv_acpi_madt) == 44, "madt size");

struct ohv_madt_local_apic {
	u8 type;			/* OHV_MADT_LOCAL_APIC */
	u8 length;			/* 8 */
	u8 processor_uid;
	u8 apic_id;
	u32 flags;			/* OHV_MADT_ENABLED */
} __packed;

static_assert(sizeof(struct ohv_madt_local_apic) == 8, "lapic size");

struct ohv_madt_local_x2apic {
	u8 type;			/* OHV_MADT_LOCAL_X2APIC */
	u8 length;			/* 16 */
	u16 reserved;
	u32 x2apic_id;
	u32 flags;			/* OHV_MADT_ENABLED */
	u32 processor_uid;
} __packed;

static_assert(sizeof(struct ohv_madt_local_x2apic) == 16, "x2apic size");

#endif /* OHV_VM_ACPI_TABLES_H */
