/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART register model (8 byte-wide registers). The transmitter
 * is infinitely fast: every THR write reaches the @tx callback at once,
 * so LSR always shows THRE | TEMT. Received bytes queue in a 16-byte
 * FIFO. No interrupt line is wired; the guest driver polls, and IIR
 * reports what would be pending so that a polling 8250 driver (which
 * reads IIR first) still transmits.
 */
#ifndef OHV_VM_UART_H
#define OHV_VM_UART_H

#include <stdbool.h>
#include "compat.h"

#include "acpi.h"
#include "devices.h"

#define OHV_UART_COM1_BASE	0x3f8
#define OHV_UART_REGS		8
#define OHV_UART_FIFO		16

/* Register offsets. */
#define UART_RBR_THR_DLL	0
#define UART_IER_DLM		1
#define UART_IIR_FCR		2
#define UART_LCR		3
#define UART_MCR		4
#define UART_LSR		5
#define UART_MSR		6
#define UART_SCR		7

#define UART_LCR_DLAB		0x80
#define UART_IER_RDI		0x01
#define UART_IER_THRI		0x02
#define UART_IER_MASK		0x0f
#define UART_IIR_NO_INT		0x01
#define UART_IIR_THRI		0x02
#define UART_IIR_RDI		0x04
#define UART_IIR_FIFO		0xc0
#define UART_FCR_ENABLE		0x01
#define UART_FCR_CLEAR_RX	0x02
#define UART_MCR_DTR		0x01
#define UART_MCR_RTS		0x02
#define UART_MCR_OUT1		0x04
#define UART_MCR_OUT2		0x08
#define UART_MCR_LOOP		0x10
#define UART_MCR_MASK		0x1f
#define UART_LSR_DR		0x01
#define UART_LSR_OE		0x02
#define UART_LSR_THRE		0x20
#define UART_LSR_TEMT		0x40
#define UART_MSR_CTS		0x10
#define UART_MSR_DSR		0x20
#define UART_MSR_RI		0x40
#define UART_MSR_DCD		0x80

struct ohv_uart {
	u8 ier;			/* interrupt enable (low 4 bits) */
	u8 lcr;			/* line control; bit 7 = DLAB */
	u8 mcr;			/* modem control (low 5 bits) */
	u8 scr;			/* scratch */
	u8 dll, dlm;		/* divisor latch */
	bool fifo_enabled;		/* FCR bit 0 */
	bool thr_pending;		/* THRE interrupt not yet acknowledged */
	bool overrun;			/* LSR.OE until LSR is read */
	u8 rx[OHV_UART_FIFO];	/* receive FIFO (ring) */
	unsigned int rx_head;		/* index of the oldest byte */
	unsigned int rx_count;		/* bytes queued */
	void (*tx)(void *ctx, u8 c);	/* transmitted byte sink */
	void *tx_ctx;
};

void ohv_uart_init(struct ohv_uart *u, void (*tx)(void *, u8),
		   void *tx_ctx);
u8 ohv_uart_read(struct ohv_uart *u, unsigned int reg);
void ohv_uart_write(struct ohv_uart *u, unsigned int reg, u8 value);
/* Queues a received byte. Returns false (and flags overrun) if full. */
bool ohv_uart_receive(struct ohv_uart *u, u8 c);
/* Free space in the receive FIFO. */
unsigned int ohv_uart_rx_room(const struct ohv_uart *u);

/* Port I/O glue: @dev covers 8 ports at @base and drives @u. */
void ohv_uart_pio_init(struct ohv_pio_device *dev, struct ohv_uart *u,
		       u16 base);
/* The DSDT entry for a COM port with I/O only (the guest polls). */
struct ohv_acpi_device ohv_uart_acpi_device(const char *name, u16 base,
					    u32 uid);

#endif /* OHV_VM_UART_H */
