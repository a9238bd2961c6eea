/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The port I/O bus: devices claim port ranges, VPs dispatch IN/OUT exits.
 *
 * Each access is checked before it reaches a device: the size must be 1,
 * 2 or 4, and the whole access must be inside one device range and of a
 * size the device accepts; otherwise it is split into byte accesses, and
 * bytes no device claims read as 0xff and are dropped on write. Unclaimed
 * ports are counted per port; the first access to each is logged, up to
 * a fixed number of lines per run.
 *
 * Handlers run with the device's lock held, so a device model needs no
 * locking of its own even with several VP threads.
 */
#ifndef OHV_VM_DEVICES_H
#define OHV_VM_DEVICES_H

#include <pthread.h>
#include <stdbool.h>
#include "compat.h"

#define OHV_PIO_MAX_DEVICES	32
#define OHV_PIO_PORTS		65536
#define OHV_PIO_LOG_LIMIT	16	/* unclaimed ports logged per run */

#define OHV_PIO_SIZE1		BIT(0)	/* access size masks */
#define OHV_PIO_SIZE2		BIT(1)
#define OHV_PIO_SIZE4		BIT(2)

/* Ends the VM: worker exit code and a one-line reason. */
struct ohv_stopper {
	void (*stop)(void *ctx, int exit_code, const char *reason);
	void *ctx;
};

struct ohv_pio_device {
	const char *name;		/* for logs */
	u16 base;			/* first port */
	u16 len;			/* number of ports */
	unsigned int sizes;		/* OHV_PIO_SIZE* handled natively */
	/* @offset is port - base; @size is 1, 2 or 4 and in @sizes. */
	u32 (*read)(void *opaque, u16 offset, unsigned int size);
	void (*write)(void *opaque, u16 offset, unsigned int size,
		      u32 value);
	void *opaque;			/* device model state */
	pthread_mutex_t lock;		/* serialises read/write */
};

struct ohv_pio_bus {
	struct ohv_pio_device *dev[OHV_PIO_MAX_DEVICES];
	unsigned int nr_devices;
	u32 unclaimed[OHV_PIO_PORTS];	/* accesses per unclaimed port */
	u64 unclaimed_total;
	unsigned int logged;			/* unclaimed ports logged */
	bool quiet;				/* no log lines (tests) */
	pthread_mutex_t lock;			/* counters and logging */
};

void ohv_pio_bus_init(struct ohv_pio_bus *bus);
/* Adds @dev. Returns 0, or -1 if the bus is full or the range overlaps. */
int ohv_pio_register(struct ohv_pio_bus *bus, struct ohv_pio_device *dev);
/* The device claiming @port, or NULL. */
struct ohv_pio_device *ohv_pio_find(struct ohv_pio_bus *bus, u16 port);

/* Guest IN: returns the value (the @size low bytes are meaningful). */
u32 ohv_pio_in(struct ohv_pio_bus *bus, u16 port, unsigned int size);
/* Guest OUT of the @size low bytes of @value. */
void ohv_pio_out(struct ohv_pio_bus *bus, u16 port, unsigned int size,
		 u32 value);

#endif /* OHV_VM_DEVICES_H */
