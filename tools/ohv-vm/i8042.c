// SPDX-License-Identifier: GPL-2.0
/* i8042 reset line and status register. */
#include <string.h>

#include "exit_codes.h"
#include "i8042.h"

#define OUTPUT_PORT_RESET_N	0x01	/* output port bit 0: CPU reset, low active */

void ohv_i8042_init(struct ohv_i8042 *kbc, struct ohv_stopper stopper)
{
	memset(kbc, 0, sizeof(*kbc));
	kbc->stopper = stopper;
}

u8 ohv_i8042_read(struct ohv_i8042 *kbc, u16 port)
{
	if (port == OHV_I8042_DATA_PORT)
		return 0;	/* the output buffer is always empty */
	return OHV_I8042_STATUS_SYS | OHV_I8042_STATUS_UNLOCK |
	       (kbc->last_was_cmd ? OHV_I8042_STATUS_CMD : 0);
}

static bool request_reset(struct ohv_i8042 *kbc, const char *how)
{
	if (!kbc->reset_requested && kbc->stopper.stop)
		kbc->stopper.stop(kbc->stopper.ctx, OHV_EXIT_REBOOT, how);
	kbc->reset_requested = true;
	return true;
}

bool ohv_i8042_write(struct ohv_i8042 *kbc, u16 port, u8 value)
{
	if (port == OHV_I8042_CMD_PORT) {
		kbc->last_was_cmd = true;
		kbc->output_port_next = value == OHV_I8042_CMD_WRITE_OUTPUT;
		if (value == OHV_I8042_CMD_RESET)
			return request_reset(kbc,
					     "guest requested a reset (i8042 command 0xfe)");
		return false;
	}
	kbc->last_was_cmd = false;
	if (kbc->output_port_next) {
		kbc->output_port_next = false;
		if (!(value & OUTPUT_PORT_RESET_N))
			return request_reset(kbc,
					     "guest requested a reset (i8042 output port bit 0 clear)");
	}
	return false;
}

static u32 i8042_data_read(void *opaque, u16 offset, unsigned int size)
{
	(void)offset;
	(void)size;
	return ohv_i8042_read(opaque, OHV_I8042_DATA_PORT);
}

static void i8042_data_write(void *opaque, u16 offset,
			     unsigned int size, u32 value)
{
	(void)offset;
	(void)size;
	ohv_i8042_write(opaque, OHV_I8042_DATA_PORT, (u8)value);
}

static u32 i8042_cmd_read(void *opaque, u16 offset, unsigned int size)
{
	(void)offset;
	(void)size;
	return ohv_i8042_read(opaque, OHV_I8042_CMD_PORT);
}

static void i8042_cmd_write(void *opaque, u16 offset, unsigned int size,
			    u32 value)
{
	(void)offset;
	(void)size;
	ohv_i8042_write(opaque, OHV_I8042_CMD_PORT, (u8)value);
}

void ohv_i8042_pio_init(struct ohv_pio_device *data,
			struct ohv_pio_device *cmd, struct ohv_i8042 *kbc)
{
	memset(data, 0, sizeof(*data));
	data->name = "i8042-data";
	data->base = OHV_I8042_DATA_PORT;
	data->len = 1;
	data->sizes = OHV_PIO_SIZE1;
	data->read = i8042_data_read;
	data->write = i8042_data_write;
	data->opaque = kbc;

	memset(cmd, 0, sizeof(*cmd));
	cmd->name = "i8042-cmd";
	cmd->base = OHV_I8042_CMD_PORT;
	cmd->len = 1;
	cmd->sizes = OHV_PIO_SIZE1;
	cmd->read = i8042_cmd_read;
	cmd->write = i8042_cmd_write;
	cmd->opaque = kbc;
}
