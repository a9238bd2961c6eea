// SPDX-License-Identifier: GPL-2.0
/*
 * Ports for test guests and for noise:
 *   0xe9  debug console: bytes written appear on stdout (reads 0xe9, the
 *         Bochs convention for "present");
 *   0x80  POST code port, used by Linux as an I/O delay: ignored;
 *   0x40-0x43  PIT: absent, but its counters read 0 rather than 0xff, so
 *         Linux's fast PIT calibration gives up after one read instead of
 *         polling a counter that seems stuck at 0xff 50000 times;
 *   0xf4  test exit (4 ports, so that a 32-bit OUT stays inside): a write
 *         ends the VM, exit code 0 for value 0, else OHV_EXIT_GUEST_FAILURE.
 */
#include <stdio.h>
#include <string.h>

#include "exit_codes.h"
#include "vm.h"

#define DEBUGCON_PORT	0xe9
#define POST_PORT	0x80
#define PIT_PORT	0x40
#define PIT_PORTS	4
#define TEST_EXIT_PORT	0xf4
#define TEST_EXIT_PORTS	4

static u32 debugcon_read(void *opaque, u16 offset, unsigned int size)
{
	(void)opaque;
	(void)offset;
	(void)size;
	return DEBUGCON_PORT;
}

static void debugcon_write(void *opaque, u16 offset, unsigned int size,
			   u32 value)
{
	(void)opaque;
	(void)offset;
	(void)size;
	ohv_console_tx(NULL, (u8)value);
}

static u32 ignore_read(void *opaque, u16 offset, unsigned int size)
{
	(void)opaque;
	(void)offset;
	(void)size;
	return 0xffffffff;
}

static void ignore_write(void *opaque, u16 offset, unsigned int size,
			 u32 value)
{
	(void)opaque;
	(void)offset;
	(void)size;
	(void)value;
}

static u32 zero_read(void *opaque, u16 offset, unsigned int size)
{
	(void)opaque;
	(void)offset;
	(void)size;
	return 0;
}

static void test_exit_write(void *opaque, u16 offset, unsigned int size,
			    u32 value)
{
	struct ohv_stopper *s = opaque;
	char reason[96];

	(void)size;
	if (offset)
		return;		/* bytes 1-3 of a narrow access: ignored */
	if (!value) {
		s->stop(s->ctx, OHV_EXIT_POWEROFF,
			"guest wrote 0 to the test exit port 0xf4");
		return;
	}
	snprintf(reason, sizeof(reason),
		 "guest wrote 0x%x to the test exit port 0xf4 (failure)", value);
	s->stop(s->ctx, OHV_EXIT_GUEST_FAILURE, reason);
}

static void port_init(struct ohv_pio_device *d, const char *name,
		      u16 port, u16 len, unsigned int sizes)
{
	memset(d, 0, sizeof(*d));
	d->name = name;
	d->base = port;
	d->len = len;
	d->sizes = sizes;
	d->read = ignore_read;
	d->write = ignore_write;
}

void ohv_debugport_init(struct ohv_platform *dev, struct ohv_stopper stopper)
{
	port_init(&dev->debugcon_pio, "debugcon", DEBUGCON_PORT, 1,
		  OHV_PIO_SIZE1);
	dev->debugcon_pio.read = debugcon_read;
	dev->debugcon_pio.write = debugcon_write;

	port_init(&dev->post_pio, "post", POST_PORT, 1, OHV_PIO_SIZE1);

	port_init(&dev->pit_pio, "pit-stub", PIT_PORT, PIT_PORTS, OHV_PIO_SIZE1);
	dev->pit_pio.read = zero_read;

	dev->test_exit_stopper = stopper;
	port_init(&dev->test_exit_pio, "test-exit", TEST_EXIT_PORT, TEST_EXIT_PORTS,
		  OHV_PIO_SIZE1 | OHV_PIO_SIZE2 | OHV_PIO_SIZE4);
	dev->test_exit_pio.write = test_exit_write;
	dev->test_exit_pio.opaque = &dev->test_exit_stopper;
}
