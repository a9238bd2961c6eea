// SPDX-License-Identifier: GPL-2.0
/* 16550A register model. */
#include <string.h>

#include "kselftest_harness.h"

#include "uart.h"

struct sink {
	u8 out[64];
	unsigned int n;
};

static void sink_tx(void *ctx, u8 c)
{
	struct sink *s = ctx;

	if (s->n < sizeof(s->out))
		s->out[s->n++] = c;
}

FIXTURE(uart) {
	struct ohv_uart u;
	struct sink s;
};

FIXTURE_SETUP(uart)
{
	memset(&self->s, 0, sizeof(self->s));
	ohv_uart_init(&self->u, sink_tx, &self->s);
}

FIXTURE_TEARDOWN(uart)
{
}

TEST_F(uart, lsr_always_shows_transmitter_empty)
{
	EXPECT_EQ(UART_LSR_THRE | UART_LSR_TEMT, ohv_uart_read(&self->u, UART_LSR));
	ohv_uart_write(&self->u, UART_RBR_THR_DLL, 'x');
	EXPECT_EQ(UART_LSR_THRE | UART_LSR_TEMT, ohv_uart_read(&self->u, UART_LSR));
	ASSERT_EQ(1, self->s.n);
	EXPECT_EQ('x', self->s.out[0]);
}

TEST_F(uart, dlab_redirects_to_divisor_latch)
{
	ohv_uart_write(&self->u, UART_LCR, UART_LCR_DLAB | 0x03);
	ohv_uart_write(&self->u, UART_RBR_THR_DLL, 0x01);
	ohv_uart_write(&self->u, UART_IER_DLM, 0x02);
	EXPECT_EQ(0, self->s.n);	/* nothing transmitted */
	EXPECT_EQ(0x01, ohv_uart_read(&self->u, UART_RBR_THR_DLL));
	EXPECT_EQ(0x02, ohv_uart_read(&self->u, UART_IER_DLM));
	ohv_uart_write(&self->u, UART_LCR, 0x03);
	EXPECT_EQ(0, ohv_uart_read(&self->u, UART_IER_DLM));	/* IER */
	ohv_uart_write(&self->u, UART_RBR_THR_DLL, 'a');
	EXPECT_EQ(1, self->s.n);
	EXPECT_EQ(0x03, ohv_uart_read(&self->u, UART_LCR));
}

TEST_F(uart, scratch_register_keeps_its_value)
{
	ohv_uart_write(&self->u, UART_SCR, 0x5a);
	EXPECT_EQ(0x5a, ohv_uart_read(&self->u, UART_SCR));
	ohv_uart_write(&self->u, UART_SCR, 0xa5);
	EXPECT_EQ(0xa5, ohv_uart_read(&self->u, UART_SCR));
}

TEST_F(uart, ier_keeps_only_the_low_nibble)
{
	ohv_uart_write(&self->u, UART_IER_DLM, 0xff);
	EXPECT_EQ(0x0f, ohv_uart_read(&self->u, UART_IER_DLM));
	ohv_uart_write(&self->u, UART_IER_DLM, 0);
	EXPECT_EQ(0, ohv_uart_read(&self->u, UART_IER_DLM));
}

TEST_F(uart, loopback_mirrors_modem_lines_and_data)
{
	/* The 8250 driver's probe: MCR = LOOP | OUT2 | RTS -> MSR 0x90. */
	ohv_uart_write(&self->u, UART_MCR, UART_MCR_LOOP | 0x0a);
	EXPECT_EQ(0x90, ohv_uart_read(&self->u, UART_MSR) & 0xf0);
	ohv_uart_write(&self->u, UART_RBR_THR_DLL, 'L');
	EXPECT_EQ(0, self->s.n);
	EXPECT_TRUE(ohv_uart_read(&self->u, UART_LSR) & UART_LSR_DR);
	EXPECT_EQ('L', ohv_uart_read(&self->u, UART_RBR_THR_DLL));
	ohv_uart_write(&self->u, UART_MCR, 0);
	EXPECT_EQ(0xb0, ohv_uart_read(&self->u, UART_MSR));
}

TEST_F(uart, received_bytes_set_dr_until_drained)
{
	unsigned int i;

	EXPECT_FALSE(ohv_uart_read(&self->u, UART_LSR) & UART_LSR_DR);
	ASSERT_TRUE(ohv_uart_receive(&self->u, 'h'));
	ASSERT_TRUE(ohv_uart_receive(&self->u, 'i'));
	EXPECT_TRUE(ohv_uart_read(&self->u, UART_LSR) & UART_LSR_DR);
	EXPECT_EQ('h', ohv_uart_read(&self->u, UART_RBR_THR_DLL));
	EXPECT_EQ('i', ohv_uart_read(&self->u, UART_RBR_THR_DLL));
	EXPECT_FALSE(ohv_uart_read(&self->u, UART_LSR) & UART_LSR_DR);
	for (i = 0; i < OHV_UART_FIFO; i++)
		ASSERT_TRUE(ohv_uart_receive(&self->u, (u8)i));
	EXPECT_FALSE(ohv_uart_receive(&self->u, 'x'));
	EXPECT_TRUE(ohv_uart_read(&self->u, UART_LSR) & UART_LSR_OE);
	EXPECT_FALSE(ohv_uart_read(&self->u, UART_LSR) & UART_LSR_OE);
}

TEST_F(uart, iir_reports_thre_once_per_transmit)
{
	EXPECT_EQ(UART_IIR_NO_INT, ohv_uart_read(&self->u, UART_IIR_FCR));
	ohv_uart_write(&self->u, UART_IIR_FCR, UART_FCR_ENABLE);
	EXPECT_EQ(0xc1, ohv_uart_read(&self->u, UART_IIR_FCR));
	ohv_uart_write(&self->u, UART_IER_DLM, UART_IER_THRI);
	EXPECT_EQ(0xc2, ohv_uart_read(&self->u, UART_IIR_FCR));
	EXPECT_EQ(0xc1, ohv_uart_read(&self->u, UART_IIR_FCR));
	ohv_uart_write(&self->u, UART_RBR_THR_DLL, 'z');
	EXPECT_EQ(0xc2, ohv_uart_read(&self->u, UART_IIR_FCR));
	ohv_uart_write(&self->u, UART_IER_DLM, UART_IER_RDI);
	ohv_uart_receive(&self->u, 'r');
	EXPECT_EQ(0xc4, ohv_uart_read(&self->u, UART_IIR_FCR));
}

TEST_F(uart, fcr_clears_the_receive_fifo)
{
	ohv_uart_receive(&self->u, 'q');
	ohv_uart_write(&self->u, UART_IIR_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX);
	EXPECT_FALSE(ohv_uart_read(&self->u, UART_LSR) & UART_LSR_DR);
}

TEST_HARNESS_MAIN
