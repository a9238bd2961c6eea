/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One VM = one worker process. struct ohv_vm ties the partition, guest
 * memory, devices and VP threads together, and owns the "VM is over"
 * state: the first stop request wins and fixes the exit code and reason.
 */
#ifndef OHV_VM_VM_H
#define OHV_VM_VM_H

#include <pthread.h>
#include <stdbool.h>
#include "compat.h"

#include "acpi_pm.h"
#include "devices.h"
#include "guest_mem.h"
#include "hyp.h"
#include "i8042.h"
#include "rtc.h"
#include "uart.h"

#define OHV_REASON_MAX	256

/* Per-VP exit counters, indexed by enum ohv_hyp_exit_reason. */
#define OHV_VP_EXIT_KINDS	8

struct ohv_vm;

struct ohv_vp {
	unsigned int index;		/* VP index = APIC ID */
	int fd;				/* VP fd */
	struct ohv_hyp_run *run;	/* shared run structure */
	struct ohv_hyp_regs regs;	/* initial registers */
	struct ohv_hyp_sregs sregs;	/* initial system registers */
	struct ohv_vm *vm;
	pthread_t thread;
	bool started;			/* thread was created */
	bool halted;			/* last exit was HLT with IF = 0 */
	u64 exits[OHV_VP_EXIT_KINDS];	/* exits seen, by reason */
};

/* Fixed-function devices of the platform. */
struct ohv_platform {
	struct ohv_uart com1;
	struct ohv_pio_device com1_pio;
	struct ohv_i8042 kbc;
	struct ohv_pio_device kbc_data_pio, kbc_cmd_pio;
	struct ohv_rtc rtc;
	struct ohv_pio_device rtc_pio;
	struct ohv_acpi_pm_dev pm;
	struct ohv_pio_device pm_pio;
	struct ohv_pio_device debugcon_pio;	/* 0xe9 */
	struct ohv_pio_device post_pio;		/* 0x80 */
	struct ohv_pio_device pit_pio;		/* 0x40-0x43, reads 0 */
	struct ohv_pio_device test_exit_pio;	/* 0xf4 */
	struct ohv_stopper test_exit_stopper;	/* what 0xf4 calls */
};

struct ohv_vm {
	struct ohv_hyp hyp;
	struct ohv_guest_mem mem;
	u8 *ram;			/* --memory bytes of anonymous memory */
	u8 *firmware;		/* the reset-vector page */
	unsigned int nr_vps;
	struct ohv_vp *vps;
	struct ohv_pio_bus *bus;
	struct ohv_platform dev;

	pthread_mutex_t lock;		/* protects everything below */
	pthread_cond_t stopped_cond;	/* signalled when stopping is set */
	bool stopping;
	int exit_code;			/* enum ohv_vm_exit_code */
	char reason[OHV_REASON_MAX];	/* one line, for stderr */
	unsigned int nr_halted;		/* VPs with halted set */
};

/* Requests the end of the VM; later requests are ignored. */
void ohv_vm_stop(struct ohv_vm *vm, int exit_code, const char *fmt, ...)
	__printf(3, 4);
bool ohv_vm_stopping(struct ohv_vm *vm);
/* struct ohv_stopper that calls ohv_vm_stop(). */
struct ohv_stopper ohv_vm_stopper(struct ohv_vm *vm);

/* Starts one thread per VP. Returns 0 or -1 (reason set). */
int ohv_vp_start_all(struct ohv_vm *vm);
/* Kicks every VP out of RUN and joins the threads. */
void ohv_vp_stop_all(struct ohv_vm *vm);

/* Console: stdout writer for UART/debugcon, optional stdin reader. */
void ohv_console_tx(void *ctx, u8 c);
int ohv_console_start(struct ohv_vm *vm);
void ohv_console_stop(void);

/* 0xe9 debug console, 0x80 POST sink, PIT stub, 0xf4 test exit. */
void ohv_debugport_init(struct ohv_platform *dev, struct ohv_stopper stopper);

/* What the user asked for on the command line. */
struct ohv_vm_config {
	const char *kernel;		/* bzImage, or NULL with raw */
	const char *initrd;		/* optional */
	const char *append;		/* kernel command line */
	const char *raw;		/* flat binary, or NULL with kernel */
	u64 raw_load;		/* raw image load GPA */
	u64 raw_entry;		/* raw image entry GPA */
	u64 raw_arg;		/* RDI for raw images */
	u64 memory;		/* guest RAM bytes */
	unsigned int cpus;		/* VPs */
	bool stats;			/* print exit statistics at the end */
};

/* Builds, runs and tears down the VM. Returns the worker exit code. */
int ohv_vm_main(const struct ohv_vm_config *cfg);
#endif /* OHV_VM_VM_H */
