// SPDX-License-Identifier: GPL-2.0
/*
 * VP threads: one per virtual processor, each looping on OHV_HYP_RUN and
 * handling the exits the hypervisor leaves to user space.
 *
 * Stopping: ohv_vm_stop() only records the outcome. ohv_vp_stop_all()
 * then sends SIGUSR1 to every VP thread until it has left its loop; the
 * signal makes a blocked RUN return -EINTR, and the loop checks the stop
 * flag before every RUN. Repeating the kick closes the window between
 * that check and the ioctl.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "exit_codes.h"
#include "vm.h"

#define KICK_SIGNAL		SIGUSR1
#define KICK_INTERVAL_NS	10000000L	/* 10 ms */
#define KICK_ATTEMPTS		500		/* give up after ~5 s */
/* A VP halted with IF = 0 while others run: look again after this. */
#define HALT_RECHECK_NS		10000000L
/* Hyper-V status for a hypercall the hypervisor does not know. */
#define HV_STATUS_INVALID_HYPERCALL_CODE	0x0002

static void sleep_ns(long ns)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ns };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void vp_io(struct ohv_vp *vp)
{
	struct ohv_hyp_run *run = vp->run;
	unsigned int size = run->io.size;
	u16 port = run->io.port;

	/* The run page is shared with the kernel: check what we use. */
	if (size != 1 && size != 2 && size != 4) {
		ohv_vm_stop(vp->vm, OHV_EXIT_INTERNAL,
			    "VP%u: I/O exit with invalid size %u at port 0x%04x",
			    vp->index, size, port);
		return;
	}
	if (run->io.direction == OHV_HYP_IO_OUT)
		ohv_pio_out(vp->vm->bus, port, size, (u32)run->io.data);
	else if (run->io.direction == OHV_HYP_IO_IN)
		run->io.data = ohv_pio_in(vp->vm->bus, port, size);
	else
		ohv_vm_stop(vp->vm, OHV_EXIT_INTERNAL,
			    "VP%u: I/O exit with invalid direction %u",
			    vp->index, run->io.direction);
}

static void set_halted(struct ohv_vp *vp, bool halted)
{
	struct ohv_vm *vm = vp->vm;

	if (vp->halted == halted)
		return;
	pthread_mutex_lock(&vm->lock);
	vp->halted = halted;
	if (halted)
		vm->nr_halted++;
	else
		vm->nr_halted--;
	pthread_mutex_unlock(&vm->lock);
}

/*
 * HLT with IF = 0: this VP will not wake up by itself. When every VP is
 * in that state the guest has powered off the old-fashioned way. Until
 * then the VP is re-run now and then (an INIT/SIPI may still arrive).
 */
static void vp_halt(struct ohv_vp *vp)
{
	struct ohv_vm *vm = vp->vm;
	bool all;

	set_halted(vp, true);
	pthread_mutex_lock(&vm->lock);
	all = vm->nr_halted == vm->nr_vps;
	pthread_mutex_unlock(&vm->lock);
	if (all) {
		ohv_vm_stop(vm, OHV_EXIT_POWEROFF,
			    "guest powered off (all %u VPs halted with interrupts disabled)",
			    vm->nr_vps);
		return;
	}
	sleep_ns(HALT_RECHECK_NS);
}

static const char *internal_error_name(u32 suberror)
{
	switch (suberror) {
	case OHV_HYP_INTERNAL_UNHANDLED_EXIT:
		return "unhandled hardware exit";
	case OHV_HYP_INTERNAL_INVALID_STATE:
		return "CPU refused the VP state";
	case OHV_HYP_INTERNAL_UNSUPPORTED_IO:
		return "unsupported string/REP I/O instruction";
	case OHV_HYP_INTERNAL_DELIVERY:
		return "fault while delivering an event";
	default:
		return "unknown suberror";
	}
}

/* Returns false when the loop must end. */
static bool vp_handle_exit(struct ohv_vp *vp)
{
	struct ohv_hyp_run *run = vp->run;
	u32 reason = run->exit_reason;

	if (reason < OHV_VP_EXIT_KINDS)
		vp->exits[reason]++;
	if (reason != OHV_HYP_EXIT_HLT && reason != OHV_HYP_EXIT_INTR)
		set_halted(vp, false);

	switch (reason) {
	case OHV_HYP_EXIT_IO:
		vp_io(vp);
		return true;
	case OHV_HYP_EXIT_HLT:
		vp_halt(vp);
		return true;
	case OHV_HYP_EXIT_INTR:
		return true;
	case OHV_HYP_EXIT_HYPERCALL:
		run->hypercall.result = HV_STATUS_INVALID_HYPERCALL_CODE;
		return true;
	case OHV_HYP_EXIT_SHUTDOWN:
		ohv_vm_stop(vp->vm, OHV_EXIT_TRIPLE_FAULT,
			    "VP%u: triple fault (shutdown) near RIP 0x%llx",
			    vp->index, (unsigned long long)run->rip);
		return false;
	case OHV_HYP_EXIT_MEMORY_FAULT:
		ohv_vm_stop(vp->vm, OHV_EXIT_INTERNAL,
			    "VP%u: %s of unmapped guest physical address 0x%llx at RIP 0x%llx",
			    vp->index,
			    run->memory.flags & OHV_HYP_MEMORY_FAULT_WRITE ? "write" :
			    run->memory.flags & OHV_HYP_MEMORY_FAULT_EXEC ? "execution" :
			    "read",
			    (unsigned long long)run->memory.gpa,
			    (unsigned long long)run->rip);
		return false;
	case OHV_HYP_EXIT_INTERNAL_ERROR:
		ohv_vm_stop(vp->vm, OHV_EXIT_INTERNAL,
			    "VP%u: hypervisor internal error %u (%s), data 0x%llx 0x%llx, RIP 0x%llx",
			    vp->index, run->internal.suberror,
			    internal_error_name(run->internal.suberror),
			    (unsigned long long)run->internal.data[0],
			    (unsigned long long)run->internal.data[1],
			    (unsigned long long)run->rip);
		return false;
	default:
		ohv_vm_stop(vp->vm, OHV_EXIT_INTERNAL,
			    "VP%u: unknown exit reason %u", vp->index, reason);
		return false;
	}
}

static void *vp_thread(void *arg)
{
	struct ohv_vp *vp = arg;

	while (!ohv_vm_stopping(vp->vm)) {
		if (ioctl(vp->fd, OHV_HYP_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			ohv_vm_stop(vp->vm, OHV_EXIT_INTERNAL,
				    "VP%u: OHV_HYP_RUN failed: %s", vp->index,
				    strerror(errno));
			break;
		}
		if (!vp_handle_exit(vp))
			break;
	}
	return NULL;
}

static void kick_handler(int sig)
{
	(void)sig;	/* only there to interrupt the RUN ioctl */
}

int ohv_vp_start_all(struct ohv_vm *vm)
{
	struct sigaction sa;
	unsigned int i;
	int e;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;	/* no SA_RESTART: RUN must fail */
	sigemptyset(&sa.sa_mask);
	if (sigaction(KICK_SIGNAL, &sa, NULL)) {
		ohv_vm_stop(vm, OHV_EXIT_SETUP, "sigaction: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < vm->nr_vps; i++) {
		e = pthread_create(&vm->vps[i].thread, NULL, vp_thread,
				   &vm->vps[i]);
		if (e) {
			ohv_vm_stop(vm, OHV_EXIT_SETUP,
				    "cannot start the thread of VP%u: %s", i,
				    strerror(e));
			return -1;
		}
		vm->vps[i].started = true;
	}
	return 0;
}

void ohv_vp_stop_all(struct ohv_vm *vm)
{
	unsigned int i, attempt;
	bool left;

	for (attempt = 0; attempt < KICK_ATTEMPTS; attempt++) {
		left = false;
		for (i = 0; i < vm->nr_vps; i++) {
			struct ohv_vp *vp = &vm->vps[i];

			if (!vp->started)
				continue;
			if (pthread_tryjoin_np(vp->thread, NULL) == 0) {
				vp->started = false;
				continue;
			}
			pthread_kill(vp->thread, KICK_SIGNAL);
			left = true;
		}
		if (!left)
			return;
		sleep_ns(KICK_INTERVAL_NS);
	}
	fprintf(stderr, "ohv-vm: some VP threads did not stop; exiting anyway\n");
}
