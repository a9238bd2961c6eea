// SPDX-License-Identifier: GPL-2.0
/* 16550A UART register model. */
#include <string.h>

#include "uart.h"

void ohv_uart_init(struct ohv_uart *u, void (*tx)(void *, u8),
		   void *tx_ctx)
{
	memset(u, 0, sizeof(*u));
	u->tx = tx;
	u->tx_ctx = tx_ctx;
	u->dll = 12;		/* 9600 baud, the power-on value */
}

unsigned int ohv_uart_rx_room(const struct ohv_uart *u)
{
	return OHV_UART_FIFO - u->rx_count;
}

bool ohv_uart_receive(struct ohv_uart *u, u8 c)
{
	if (u->rx_count == OHV_UART_FIFO) {
		u->overrun = true;
		return false;
	}
	u->rx[(u->rx_head + u->rx_count) % OHV_UART_FIFO] = c;
	u->rx_count++;
	return true;
}

static u8 rx_pop(struct ohv_uart *u)
{
	u8 c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % OHV_UART_FIFO;
	u->rx_count--;
	return c;
}

static u8 uart_iir(struct ohv_uart *u)
{
	u8 fifo = u->fifo_enabled ? UART_IIR_FIFO : 0;

	if ((u->ier & UART_IER_RDI) && u->rx_count)
		return fifo | UART_IIR_RDI;
	if ((u->ier & UART_IER_THRI) && u->thr_pending) {
		/* Reading IIR acknowledges a THRE interrupt. */
		u->thr_pending = false;
		return fifo | UART_IIR_THRI;
	}
	return fifo | UART_IIR_NO_INT;
}

static u8 uart_msr(const struct ohv_uart *u)
{
	u8 msr = 0;

	if (!(u->mcr & UART_MCR_LOOP))
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	/* Loopback: the modem outputs come back on the inputs. */
	if (u->mcr & UART_MCR_RTS)
		msr |= UART_MSR_CTS;
	if (u->mcr & UART_MCR_DTR)
		msr |= UART_MSR_DSR;
	if (u->mcr & UART_MCR_OUT1)
		msr |= UART_MSR_RI;
	if (u->mcr & UART_MCR_OUT2)
		msr |= UART_MSR_DCD;
	return msr;
}

u8 ohv_uart_read(struct ohv_uart *u, unsigned int reg)
{
	bool dlab = u->lcr & UART_LCR_DLAB;
	u8 v;

	switch (reg) {
	case UART_RBR_THR_DLL:
		return dlab ? u->dll : rx_pop(u);
	case UART_IER_DLM:
		return dlab ? u->dlm : u->ier;
	case UART_IIR_FCR:
		return uart_iir(u);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		v = UART_LSR_THRE | UART_LSR_TEMT;
		if (u->rx_count)
			v |= UART_LSR_DR;
		if (u->overrun)
			v |= UART_LSR_OE;
		u->overrun = false;
		return v;
	case UART_MSR:
		return uart_msr(u);
	case UART_SCR:
		return u->scr;
	default:
		return 0xff;
	}
}

static void uart_thr(struct ohv_uart *u, u8 c)
{
	if (u->mcr & UART_MCR_LOOP)
		ohv_uart_receive(u, c);
	else if (u->tx)
		u->tx(u->tx_ctx, c);
	/* Sent at once: THR is empty again, which raises THRE. */
	u->thr_pending = true;
}

static void uart_ier(struct ohv_uart *u, u8 v)
{
	u8 old = u->ier;

	u->ier = v & UART_IER_MASK;
	/* Enabling THRI while THR is empty raises the interrupt at once. */
	if ((u->ier & UART_IER_THRI) && !(old & UART_IER_THRI))
		u->thr_pending = true;
}

void ohv_uart_write(struct ohv_uart *u, unsigned int reg, u8 v)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR_DLL:
		if (dlab)
			u->dll = v;
		else
			uart_thr(u, v);
		break;
	case UART_IER_DLM:
		if (dlab)
			u->dlm = v;
		else
			uart_ier(u, v);
		break;
	case UART_IIR_FCR:
		u->fifo_enabled = v & UART_FCR_ENABLE;
		if (v & UART_FCR_CLEAR_RX)
			u->rx_count = 0;
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		u->mcr = v & UART_MCR_MASK;
		break;
	case UART_SCR:
		u->scr = v;
		break;
	default:
		break;		/* LSR and MSR are read-only */
	}
}

static u32 uart_pio_read(void *opaque, u16 offset, unsigned int size)
{
	(void)size;	/* the bus only passes byte accesses */
	return ohv_uart_read(opaque, offset);
}

static void uart_pio_write(void *opaque, u16 offset, unsigned int size,
			   u32 value)
{
	(void)size;
	ohv_uart_write(opaque, offset, (u8)value);
}

void ohv_uart_pio_init(struct ohv_pio_device *dev, struct ohv_uart *u,
		       u16 base)
{
	memset(dev, 0, sizeof(*dev));
	dev->name = "uart";
	dev->base = base;
	dev->len = OHV_UART_REGS;
	dev->sizes = OHV_PIO_SIZE1;
	dev->read = uart_pio_read;
	dev->write = uart_pio_write;
	dev->opaque = u;
}

struct ohv_acpi_device ohv_uart_acpi_device(const char *name, u16 base, u32 uid)
{
	return (struct ohv_acpi_device){
		.scope = "\\_SB_",
		.name = name,
		.hid = "PNP0501",	/* 16550A-compatible COM port */
		.uid = uid,
		.io_base = base,
		.io_len = OHV_UART_REGS,
		.irq = OHV_ACPI_NO_IRQ,	/* no IRQ: the 8250 driver polls */
	};
}
