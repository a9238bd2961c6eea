// SPDX-License-Identifier: GPL-2.0
/*
 * The guest console on the worker's stdio: bytes the guest transmits go
 * to stdout unbuffered; bytes on stdin are fed to COM1's receive FIFO by
 * a reader thread, never faster than the FIFO drains. A terminal on stdin
 * is switched to non-canonical, no-echo mode (signals still work, so
 * Ctrl-C stops the worker) and restored on exit.
 */
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "vm.h"

#define POLL_MS		50

static struct termios saved_tio;
static bool tio_saved;
static pthread_t reader;
static bool reader_started;
static atomic_bool reader_stop;

void ohv_console_tx(void *ctx, u8 c)
{
	ssize_t n;

	(void)ctx;
	do {
		n = write(STDOUT_FILENO, &c, 1);
	} while (n < 0 && errno == EINTR);
	/* A closed stdout must not stop the guest: the byte is dropped. */
}

static void restore_tty(void)
{
	if (tio_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	tio_saved = false;
}

static void raw_tty(void)
{
	struct termios tio;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tio))
		return;
	tio = saved_tio;
	tio.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	tio.c_iflag &= ~(tcflag_t)ICRNL;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0) {
		tio_saved = true;
		atexit(restore_tty);
	}
}

/* Waits until COM1 can take at least one byte; returns the free room. */
static unsigned int wait_for_room(struct ohv_vm *vm)
{
	struct ohv_pio_device *pio = &vm->dev.com1_pio;
	unsigned int room = 0;

	while (!reader_stop) {
		pthread_mutex_lock(&pio->lock);
		room = ohv_uart_rx_room(&vm->dev.com1);
		pthread_mutex_unlock(&pio->lock);
		if (room)
			break;
		poll(NULL, 0, POLL_MS);
	}
	return room;
}

static void *reader_thread(void *arg)
{
	struct ohv_vm *vm = arg;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	u8 buf[OHV_UART_FIFO];
	unsigned int room, i;
	ssize_t n;

	while (!reader_stop) {
		room = wait_for_room(vm);
		if (!room)
			break;
		if (poll(&pfd, 1, POLL_MS) <= 0)
			continue;
		n = read(STDIN_FILENO, buf, room);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;	/* EOF or error: no more input */
		pthread_mutex_lock(&vm->dev.com1_pio.lock);
		for (i = 0; i < (unsigned int)n; i++)
			ohv_uart_receive(&vm->dev.com1, buf[i]);
		pthread_mutex_unlock(&vm->dev.com1_pio.lock);
	}
	return NULL;
}

int ohv_console_start(struct ohv_vm *vm)
{
	raw_tty();
	reader_stop = false;
	if (pthread_create(&reader, NULL, reader_thread, vm))
		return -1;
	reader_started = true;
	return 0;
}

void ohv_console_stop(void)
{
	if (reader_started) {
		reader_stop = true;
		pthread_join(reader, NULL);
		reader_started = false;
	}
	restore_tty();
}
