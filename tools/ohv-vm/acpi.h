/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI tables for a firmware-less guest: RSDP (rev 2) -> XSDT -> FADT
 * (hardware-reduced, with sleep and reset registers on trapped I/O ports)
 * and MADT (one local APIC per VP); FADT -> DSDT, which declares \_S5 and
 * one AML Device per entry of a device table. Adding a device (e.g. the
 * VMBus) to the guest's ACPI namespace means adding a table entry.
 */
#ifndef OHV_VM_ACPI_H
#define OHV_VM_ACPI_H

#include <stddef.h>
#include "compat.h"

#define OHV_ACPI_NO_IRQ		(-1)
#define OHV_ACPI_MAX_VPS	4096

/* One device in the DSDT. */
struct ohv_acpi_device {
	const char *scope;	/* parent scope, e.g. "\\_SB_" */
	const char *name;	/* 1-4 character NameSeg, e.g. "COM1" */
	const char *hid;	/* EISA id ("PNP0501") or string ("VMBUS") */
	u32 uid;		/* _UID */
	u16 io_base;	/* first I/O port in _CRS */
	u8 io_len;		/* number of ports; 0: no I/O resource */
	int irq;		/* ISA IRQ 0-15 in _CRS, or OHV_ACPI_NO_IRQ */
};

/* Power-management registers (all byte-wide system I/O ports). */
struct ohv_acpi_pm {
	u16 sleep_control_port;	/* FADT SLEEP_CONTROL_REG */
	u16 sleep_status_port;	/* FADT SLEEP_STATUS_REG */
	u16 reset_port;		/* FADT RESET_REG */
	u8 reset_value;		/* FADT RESET_VALUE */
	u8 s5_sleep_type;		/* SLP_TYP of \_S5 */
};

struct ohv_acpi_config {
	unsigned int nr_vps;			/* APIC IDs 0 .. nr_vps-1 */
	const struct ohv_acpi_device *devices;	/* DSDT devices */
	unsigned int nr_devices;
	struct ohv_acpi_pm pm;
};

/* Where each table ended up (GPAs), for the zero page and for tests. */
struct ohv_acpi_layout {
	u64 rsdp, xsdt, fadt, madt, dsdt;
	size_t used;		/* bytes of the buffer in use */
};

/* Sum of @len bytes modulo 256 (0 for a valid ACPI table). */
u8 ohv_acpi_checksum(const void *data, size_t len);

/*
 * Builds all tables into @buf (@size bytes), which the guest sees at
 * @gpa. Returns 0, or -1 if the configuration is invalid (no VPs, too
 * many, a bad device name or IRQ) or the tables do not fit.
 */
int ohv_acpi_build(const struct ohv_acpi_config *cfg, u8 *buf,
		   size_t size, u64 gpa, struct ohv_acpi_layout *out);

#endif /* OHV_VM_ACPI_H */
