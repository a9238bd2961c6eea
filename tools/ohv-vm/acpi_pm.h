/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardware-reduced ACPI power-management registers the FADT points
 * at: SLEEP_CONTROL (writing SLP_EN with the \_S5 sleep type powers the
 * VM off), SLEEP_STATUS, and RESET_REG (writing the reset value reboots).
 */
#ifndef OHV_VM_ACPI_PM_H
#define OHV_VM_ACPI_PM_H

#include "compat.h"

#include "acpi.h"
#include "devices.h"

#define OHV_PM_BASE		0x600
#define OHV_PM_SLEEP_CONTROL	0	/* offsets from OHV_PM_BASE */
#define OHV_PM_SLEEP_STATUS	1
#define OHV_PM_RESET		2
#define OHV_PM_PORTS		3
#define OHV_PM_RESET_VALUE	0x01
#define OHV_PM_S5_TYPE		5

/* ACPI 6.3, 4.8.3.7: sleep control register bits. */
#define OHV_SLP_TYP_SHIFT	2
#define OHV_SLP_TYP_MASK	0x1c
#define OHV_SLP_EN		0x20

enum ohv_pm_event {
	OHV_PM_NONE,
	OHV_PM_POWEROFF,
	OHV_PM_RESET_REQUEST,
	OHV_PM_UNSUPPORTED_SLEEP,	/* SLP_EN with a type we do not offer */
};

struct ohv_acpi_pm_dev {
	struct ohv_stopper stopper;	/* called on power-off and reset */
};

/* The register block as the FADT and DSDT must describe it. */
struct ohv_acpi_pm ohv_acpi_pm_layout(void);
/* Decodes a guest write at @offset. */
enum ohv_pm_event ohv_acpi_pm_decode(unsigned int offset, u8 value);
void ohv_acpi_pm_pio_init(struct ohv_pio_device *dev,
			  struct ohv_acpi_pm_dev *pm);

#endif /* OHV_VM_ACPI_PM_H */
