// SPDX-License-Identifier: GPL-2.0
/* Port I/O bus: registration, splitting, unclaimed ports. */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "devices.h"

struct regs {
	u8 r[8];
	unsigned int last_size;
};

static u32 regs_read(void *opaque, u16 off, unsigned int size)
{
	struct regs *d = opaque;
	u32 v = 0;
	unsigned int i;

	d->last_size = size;
	for (i = 0; i < size; i++)
		v |= (u32)d->r[off + i] << (8 * i);
	return v;
}

static void regs_write(void *opaque, u16 off, unsigned int size,
		       u32 v)
{
	struct regs *d = opaque;
	unsigned int i;

	d->last_size = size;
	for (i = 0; i < size; i++)
		d->r[off + i] = (u8)(v >> (8 * i));
}

FIXTURE(bus) {
	struct ohv_pio_bus *bus;
	struct ohv_pio_device dev;
	struct regs regs;
};

FIXTURE_SETUP(bus)
{
	self->bus = calloc(1, sizeof(*self->bus));
	ASSERT_NE(NULL, self->bus);
	ohv_pio_bus_init(self->bus);
	self->bus->quiet = true;
	memset(&self->regs, 0, sizeof(self->regs));
	self->dev = (struct ohv_pio_device){
		.name = "test", .base = 0x100, .len = 8,
		.sizes = OHV_PIO_SIZE1 | OHV_PIO_SIZE2,
		.read = regs_read, .write = regs_write, .opaque = &self->regs,
	};
	ASSERT_EQ(0, ohv_pio_register(self->bus, &self->dev));
}

FIXTURE_TEARDOWN(bus)
{
	free(self->bus);
}

TEST_F(bus, overlapping_ranges_are_refused)
{
	struct ohv_pio_device other = self->dev;

	other.base = 0x107;
	EXPECT_EQ(-1, ohv_pio_register(self->bus, &other));
	other.base = 0xfc;
	other.len = 4;
	EXPECT_EQ(0, ohv_pio_register(self->bus, &other));
	other.base = 0xffff;
	other.len = 2;
	EXPECT_EQ(-1, ohv_pio_register(self->bus, &other));
}

TEST_F(bus, unclaimed_ports_read_ff_and_are_counted)
{
	EXPECT_EQ(0xff, ohv_pio_in(self->bus, 0x200, 1));
	EXPECT_EQ(0xffff, ohv_pio_in(self->bus, 0x200, 2));
	EXPECT_EQ(0xffffffff, ohv_pio_in(self->bus, 0x300, 4));
	ohv_pio_out(self->bus, 0x200, 1, 0x12);
	EXPECT_EQ(3, self->bus->unclaimed[0x200]);
	EXPECT_EQ(1, self->bus->unclaimed[0x201]);
	EXPECT_EQ(1, self->bus->unclaimed[0x303]);
	EXPECT_EQ(8, self->bus->unclaimed_total);
}

TEST_F(bus, native_sizes_reach_the_device_whole)
{
	ohv_pio_out(self->bus, 0x102, 2, 0xbeef);
	EXPECT_EQ(2, self->regs.last_size);
	EXPECT_EQ(0xef, self->regs.r[2]);
	EXPECT_EQ(0xbeef, ohv_pio_in(self->bus, 0x102, 2));
}

TEST_F(bus, other_sizes_are_split_into_bytes)
{
	ohv_pio_out(self->bus, 0x104, 4, 0x11223344);
	EXPECT_EQ(1, self->regs.last_size);
	EXPECT_EQ(0x11223344, ohv_pio_in(self->bus, 0x104, 4));
	/* Straddling the end: the byte past the device reads 0xff. */
	EXPECT_EQ(0xff11, ohv_pio_in(self->bus, 0x107, 2));
	EXPECT_EQ(1, self->bus->unclaimed[0x108]);
}

TEST_F(bus, invalid_sizes_are_dropped)
{
	ohv_pio_out(self->bus, 0x100, 3, 0xffffff);
	EXPECT_EQ(0, self->regs.r[0]);
	EXPECT_EQ(0xffffffff, ohv_pio_in(self->bus, 0x100, 0));
	EXPECT_EQ(0, self->regs.last_size);
}

TEST_F(bus, accesses_wrapping_past_ffff_stop_at_the_top)
{
	EXPECT_EQ(0xffffffff, ohv_pio_in(self->bus, 0xfffe, 4));
	EXPECT_EQ(1, self->bus->unclaimed[0xffff]);
}

TEST_HARNESS_MAIN
