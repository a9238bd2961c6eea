// SPDX-License-Identifier: GPL-2.0
/* ACPI sleep control/status and reset registers. */
#include <stdio.h>
#include <string.h>

#include "acpi_pm.h"
#include "exit_codes.h"

struct ohv_acpi_pm ohv_acpi_pm_layout(void)
{
	return (struct ohv_acpi_pm){
		.sleep_control_port = OHV_PM_BASE + OHV_PM_SLEEP_CONTROL,
		.sleep_status_port = OHV_PM_BASE + OHV_PM_SLEEP_STATUS,
		.reset_port = OHV_PM_BASE + OHV_PM_RESET,
		.reset_value = OHV_PM_RESET_VALUE,
		.s5_sleep_type = OHV_PM_S5_TYPE,
	};
}

enum ohv_pm_event ohv_acpi_pm_decode(unsigned int offset, u8 value)
{
	unsigned int type;

	switch (offset) {
	case OHV_PM_SLEEP_CONTROL:
		if (!(value & OHV_SLP_EN))
			return OHV_PM_NONE;
		type = (value & OHV_SLP_TYP_MASK) >> OHV_SLP_TYP_SHIFT;
		return type == OHV_PM_S5_TYPE ? OHV_PM_POWEROFF :
						OHV_PM_UNSUPPORTED_SLEEP;
	case OHV_PM_RESET:
		return value == OHV_PM_RESET_VALUE ? OHV_PM_RESET_REQUEST :
						     OHV_PM_NONE;
	default:
		return OHV_PM_NONE;	/* SLEEP_STATUS: write-1-to-clear, nothing set */
	}
}

static u32 pm_pio_read(void *opaque, u16 offset, unsigned int size)
{
	(void)opaque;
	(void)offset;
	(void)size;
	return 0;	/* no wake status: we never come back from sleep */
}

static void pm_pio_write(void *opaque, u16 offset, unsigned int size,
			 u32 value)
{
	struct ohv_acpi_pm_dev *pm = opaque;
	struct ohv_stopper *s = &pm->stopper;

	(void)size;
	switch (ohv_acpi_pm_decode(offset, (u8)value)) {
	case OHV_PM_POWEROFF:
		s->stop(s->ctx, OHV_EXIT_POWEROFF,
			"guest powered off (ACPI S5)");
		break;
	case OHV_PM_RESET_REQUEST:
		s->stop(s->ctx, OHV_EXIT_REBOOT,
			"guest requested a reset (ACPI reset register)");
		break;
	case OHV_PM_UNSUPPORTED_SLEEP:
		fprintf(stderr,
			"ohv-vm: ignored sleep request 0x%02x: not S5\n",
			(unsigned int)value & 0xff);
		break;
	case OHV_PM_NONE:
		break;
	}
}

void ohv_acpi_pm_pio_init(struct ohv_pio_device *dev,
			  struct ohv_acpi_pm_dev *pm)
{
	memset(dev, 0, sizeof(*dev));
	dev->name = "acpi-pm";
	dev->base = OHV_PM_BASE;
	dev->len = OHV_PM_PORTS;
	dev->sizes = OHV_PIO_SIZE1;
	dev->read = pm_pio_read;
	dev->write = pm_pio_write;
	dev->opaque = pm;
}
