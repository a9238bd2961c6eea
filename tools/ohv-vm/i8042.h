/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of an i8042 keyboard controller for a guest to reboot the
 * machine: status reads on 0x64 say "no data, input buffer empty", and
 * command 0xFE (pulse reset line), or command 0xD1 followed by an output
 * port value with bit 0 clear, requests a reset.
 */
#ifndef OHV_VM_I8042_H
#define OHV_VM_I8042_H

#include <stdbool.h>
#include "compat.h"

#include "devices.h"

#define OHV_I8042_DATA_PORT	0x60
#define OHV_I8042_CMD_PORT	0x64
#define OHV_I8042_CMD_WRITE_OUTPUT	0xd1
#define OHV_I8042_CMD_RESET	0xfe
#define OHV_I8042_STATUS_SYS	0x04	/* self-test passed */
#define OHV_I8042_STATUS_CMD	0x08	/* last write was a command */
#define OHV_I8042_STATUS_UNLOCK	0x10	/* keyboard not inhibited */

struct ohv_i8042 {
	bool last_was_cmd;		/* STATUS_CMD bit */
	bool output_port_next;		/* 0xd1 seen: next data byte is it */
	bool reset_requested;		/* the guest asked for a reset */
	struct ohv_stopper stopper;	/* called once on reset */
};

void ohv_i8042_init(struct ohv_i8042 *kbc, struct ohv_stopper stopper);
/* @port is 0x60 or 0x64. */
u8 ohv_i8042_read(struct ohv_i8042 *kbc, u16 port);
/* Returns true if this write requested a reset. */
bool ohv_i8042_write(struct ohv_i8042 *kbc, u16 port, u8 value);

/* Port I/O glue: two devices, 0x60 and 0x64. */
void ohv_i8042_pio_init(struct ohv_pio_device *data,
			struct ohv_pio_device *cmd, struct ohv_i8042 *kbc);

#endif /* OHV_VM_I8042_H */
