// SPDX-License-Identifier: GPL-2.0
/* Port I/O bus: registration, validation and dispatch. */
#include <stdio.h>
#include <string.h>

#include "devices.h"

void ohv_pio_bus_init(struct ohv_pio_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
	pthread_mutex_init(&bus->lock, NULL);
}

int ohv_pio_register(struct ohv_pio_bus *bus, struct ohv_pio_device *dev)
{
	u32 start = dev->base, end = (u32)dev->base + dev->len;
	unsigned int i;

	if (bus->nr_devices == OHV_PIO_MAX_DEVICES || !dev->len ||
	    end > OHV_PIO_PORTS || !(dev->sizes & OHV_PIO_SIZE1) ||
	    !dev->read || !dev->write)
		return -1;
	for (i = 0; i < bus->nr_devices; i++) {
		struct ohv_pio_device *d = bus->dev[i];

		if (start < (u32)d->base + d->len && d->base < end)
			return -1;
	}
	pthread_mutex_init(&dev->lock, NULL);
	bus->dev[bus->nr_devices++] = dev;
	return 0;
}

struct ohv_pio_device *ohv_pio_find(struct ohv_pio_bus *bus, u16 port)
{
	unsigned int i;

	for (i = 0; i < bus->nr_devices; i++) {
		struct ohv_pio_device *d = bus->dev[i];

		if (port >= d->base && port - d->base < d->len)
			return d;
	}
	return NULL;
}

static bool size_valid(unsigned int size)
{
	return size == 1 || size == 2 || size == 4;
}

/* The device that takes the whole access natively, or NULL. */
static struct ohv_pio_device *whole_access(struct ohv_pio_bus *bus,
					   u16 port, unsigned int size)
{
	struct ohv_pio_device *d = ohv_pio_find(bus, port);

	if (!d || !(d->sizes & size))
		return NULL;
	if ((u32)port - d->base + size > d->len)
		return NULL;
	return d;
}

static void note_unclaimed_access(struct ohv_pio_bus *bus, u32 port, bool write,
				  u32 value)
{
	pthread_mutex_lock(&bus->lock);
	bus->unclaimed_total++;
	if (port >= OHV_PIO_PORTS) {
		pthread_mutex_unlock(&bus->lock);
		return;
	}
	if (bus->unclaimed[port]++ == 0 && !bus->quiet) {
		if (bus->logged < OHV_PIO_LOG_LIMIT) {
			if (write)
				fprintf(stderr,
					"ohv-vm: no device at port 0x%04x: write 0x%02x dropped (logged once)\n",
					port, value & 0xff);
			else
				fprintf(stderr,
					"ohv-vm: no device at port 0x%04x: read returns 0xff (logged once)\n",
					port);
		} else if (bus->logged == OHV_PIO_LOG_LIMIT) {
			fprintf(stderr,
				"ohv-vm: accesses to more ports without a device; not logging them\n");
		}
		bus->logged++;
	}
	pthread_mutex_unlock(&bus->lock);
}

static u8 byte_in(struct ohv_pio_bus *bus, u32 port)
{
	struct ohv_pio_device *d;
	u8 v;

	d = port < OHV_PIO_PORTS ? ohv_pio_find(bus, (u16)port) : NULL;
	if (!d) {
		note_unclaimed_access(bus, port, false, 0);
		return 0xff;
	}
	pthread_mutex_lock(&d->lock);
	v = (u8)d->read(d->opaque, (u16)(port - d->base), 1);
	pthread_mutex_unlock(&d->lock);
	return v;
}

static void byte_out(struct ohv_pio_bus *bus, u32 port, u8 v)
{
	struct ohv_pio_device *d;

	d = port < OHV_PIO_PORTS ? ohv_pio_find(bus, (u16)port) : NULL;
	if (!d) {
		note_unclaimed_access(bus, port, true, v);
		return;
	}
	pthread_mutex_lock(&d->lock);
	d->write(d->opaque, (u16)(port - d->base), 1, v);
	pthread_mutex_unlock(&d->lock);
}

u32 ohv_pio_in(struct ohv_pio_bus *bus, u16 port, unsigned int size)
{
	struct ohv_pio_device *d;
	u32 v = 0;
	unsigned int i;

	if (!size_valid(size)) {
		note_unclaimed_access(bus, port, false, 0);
		return 0xffffffff;
	}
	d = whole_access(bus, port, size);
	if (d) {
		pthread_mutex_lock(&d->lock);
		v = d->read(d->opaque, (u16)(port - d->base), size);
		pthread_mutex_unlock(&d->lock);
		return size == 4 ? v : v & ((1u << (8 * size)) - 1);
	}
	for (i = 0; i < size; i++)
		v |= (u32)byte_in(bus, (u32)port + i) << (8 * i);
	return v;
}

void ohv_pio_out(struct ohv_pio_bus *bus, u16 port, unsigned int size,
		 u32 value)
{
	struct ohv_pio_device *d;
	unsigned int i;

	if (!size_valid(size)) {
		note_unclaimed_access(bus, port, true, value);
		return;
	}
	if (size < 4)
		value &= (1u << (8 * size)) - 1;
	d = whole_access(bus, port, size);
	if (d) {
		pthread_mutex_lock(&d->lock);
		d->write(d->opaque, (u16)(port - d->base), size, value);
		pthread_mutex_unlock(&d->lock);
		return;
	}
	for (i = 0; i < size; i++)
		byte_out(bus, (u32)port + i, (u8)(value >> (8 * i)));
}
