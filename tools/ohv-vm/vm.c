// SPDX-License-Identifier: GPL-2.0
/*
 * VM lifecycle: load the images, build guest memory (tables, kernel),
 * create the partition and its VPs, wire the devices, run until a stop
 * request, report the outcome.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "acpi.h"
#include "boot.h"
#include "bzimage.h"
#include "cpu_boot.h"
#include "exit_codes.h"
#include "layout.h"
#include "vm.h"

#define ERR_MAX			512
#define MAX_IMAGE_SIZE		BIT_ULL(30)	/* kernel, initrd, raw */
#define STOP_POLL_NS		50000000L

struct images {
	u8 *kernel, *initrd, *raw;
	size_t kernel_size, initrd_size, raw_size;
	struct ohv_bzimage bz;
};

/* ---- stop requests -------------------------------------------------- */

void ohv_vm_stop(struct ohv_vm *vm, int exit_code, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&vm->lock);
	if (!vm->stopping) {
		vm->stopping = true;
		vm->exit_code = exit_code;
		va_start(ap, fmt);
		vsnprintf(vm->reason, sizeof(vm->reason), fmt, ap);
		va_end(ap);
		pthread_cond_broadcast(&vm->stopped_cond);
	}
	pthread_mutex_unlock(&vm->lock);
}

bool ohv_vm_stopping(struct ohv_vm *vm)
{
	bool s;

	pthread_mutex_lock(&vm->lock);
	s = vm->stopping;
	pthread_mutex_unlock(&vm->lock);
	return s;
}

static void stopper_fn(void *ctx, int exit_code, const char *reason)
{
	ohv_vm_stop(ctx, exit_code, "%s", reason);
}

struct ohv_stopper ohv_vm_stopper(struct ohv_vm *vm)
{
	return (struct ohv_stopper){ .stop = stopper_fn, .ctx = vm };
}

/* ---- images --------------------------------------------------------- */

static int read_file(const char *path, const char *what, u8 **data,
		     size_t *size, char *err)
{
	struct stat st;
	ssize_t n;
	size_t done = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, ERR_MAX, "cannot open %s '%s': %s", what, path,
			 strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (u64)st.st_size > MAX_IMAGE_SIZE) {
		snprintf(err, ERR_MAX, "%s '%s' is not a regular file of 1 byte to 1 GiB",
			 what, path);
		goto fail;
	}
	*size = (size_t)st.st_size;
	*data = malloc(*size);
	if (!*data) {
		snprintf(err, ERR_MAX, "out of memory reading %s '%s'", what, path);
		goto fail;
	}
	while (done < *size) {
		n = read(fd, *data + done, *size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, ERR_MAX, "cannot read %s '%s': %s", what,
				 path, n ? strerror(errno) : "file shrank");
			free(*data);
			*data = NULL;
			goto fail;
		}
		done += (size_t)n;
	}
	close(fd);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static int load_images(const struct ohv_vm_config *cfg, struct images *img,
		       char *err)
{
	char why[ERR_MAX - 64];

	if (cfg->kernel) {
		if (read_file(cfg->kernel, "kernel", &img->kernel,
			      &img->kernel_size, err))
			return -1;
		if (ohv_bzimage_parse(img->kernel, img->kernel_size, &img->bz,
				      why, sizeof(why))) {
			snprintf(err, ERR_MAX, "kernel '%s': %s", cfg->kernel, why);
			return -1;
		}
	}
	if (cfg->initrd && read_file(cfg->initrd, "initrd", &img->initrd,
				     &img->initrd_size, err))
		return -1;
	if (cfg->raw && read_file(cfg->raw, "raw image", &img->raw,
				  &img->raw_size, err))
		return -1;
	return 0;
}

static void free_images(struct images *img)
{
	free(img->kernel);
	free(img->initrd);
	free(img->raw);
}

/* ---- guest memory contents ------------------------------------------ */

static int alloc_memory(struct ohv_vm *vm, u64 size, char *err)
{
	vm->ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED) {
		vm->ram = NULL;
		snprintf(err, ERR_MAX, "cannot allocate %llu MiB of guest memory: %s",
			 (unsigned long long)(size >> 20), strerror(errno));
		return -1;
	}
	vm->firmware = mmap(NULL, OHV_FIRMWARE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->firmware == MAP_FAILED) {
		vm->firmware = NULL;
		snprintf(err, ERR_MAX, "cannot allocate the firmware page: %s",
			 strerror(errno));
		return -1;
	}
	if (ohv_mem_init(&vm->mem, vm->ram, size) ||
	    ohv_mem_add_region(&vm->mem, OHV_FIRMWARE_GPA, OHV_FIRMWARE_SIZE,
			       vm->firmware)) {
		snprintf(err, ERR_MAX, "invalid guest memory size %llu bytes",
			 (unsigned long long)size);
		return -1;
	}
	return 0;
}

static int build_acpi(struct ohv_vm *vm, u64 *rsdp, char *err)
{
	struct ohv_acpi_device devices[] = {
		ohv_uart_acpi_device("COM1", OHV_UART_COM1_BASE, 0),
	};
	struct ohv_acpi_config cfg = {
		.nr_vps = vm->nr_vps,
		.devices = devices,
		.nr_devices = ARRAY_SIZE(devices),
		.pm = ohv_acpi_pm_layout(),
	};
	struct ohv_acpi_layout layout;
	u8 *buf = ohv_gpa_to_host(&vm->mem, OHV_ACPI_GPA, OHV_ACPI_SIZE);

	if (!buf || ohv_acpi_build(&cfg, buf, OHV_ACPI_SIZE, OHV_ACPI_GPA,
				   &layout)) {
		snprintf(err, ERR_MAX, "cannot build the ACPI tables for %u VPs",
			 vm->nr_vps);
		return -1;
	}
	*rsdp = layout.rsdp;
	return 0;
}

static int fill_memory(struct ohv_vm *vm, const struct ohv_vm_config *cfg,
		       struct images *img, struct ohv_boot_result *boot,
		       char *err)
{
	char why[ERR_MAX - 64];
	u64 rsdp;

	if (build_acpi(vm, &rsdp, err))
		return -1;
	if (cfg->raw) {
		if (ohv_boot_load_raw(&vm->mem, img->raw, img->raw_size,
				      cfg->raw_load, why, sizeof(why))) {
			snprintf(err, ERR_MAX, "raw image '%s': %s", cfg->raw, why);
			return -1;
		}
		memset(boot, 0, sizeof(*boot));
		boot->entry = cfg->raw_entry;
	} else {
		struct ohv_linux_boot lb = {
			.bz = &img->bz,
			.initrd = img->initrd,
			.initrd_size = img->initrd_size,
			.cmdline = cfg->append,
			.rsdp_gpa = rsdp,
		};

		if (ohv_boot_load_linux(&vm->mem, &lb, boot, why, sizeof(why))) {
			snprintf(err, ERR_MAX, "%s", why);
			return -1;
		}
	}
	if (ohv_cpu_write_tables(&vm->mem)) {
		snprintf(err, ERR_MAX, "cannot write the boot page tables");
		return -1;
	}
	return 0;
}

/* ---- partition and VPs ---------------------------------------------- */

static int create_partition(struct ohv_vm *vm, const struct ohv_vm_config *cfg,
			    const struct ohv_boot_result *boot, char *err)
{
	unsigned int i;

	if (ohv_hyp_open(&vm->hyp, err, ERR_MAX))
		return -1;
	for (i = 0; i < vm->mem.nr_regions; i++) {
		const struct ohv_mem_region *r = &vm->mem.region[i];

		if (ohv_hyp_set_memslot(&vm->hyp, i, r->gpa, r->size, r->host,
					err, ERR_MAX))
			return -1;
	}
	for (i = 0; i < vm->nr_vps; i++) {
		struct ohv_vp *vp = &vm->vps[i];

		vp->index = i;
		vp->vm = vm;
		vp->fd = ohv_hyp_create_vp(&vm->hyp, i, err, ERR_MAX);
		if (vp->fd < 0)
			return -1;
		vp->run = ohv_hyp_map_run(vp->fd, err, ERR_MAX);
		if (!vp->run)
			return -1;
	}
	/* VP0 starts in long mode; APs stay in reset until INIT/SIPI. */
	ohv_cpu_long_mode_sregs(&vm->vps[0].sregs);
	ohv_cpu_entry_regs(&vm->vps[0].regs, boot->entry, boot->zero_page,
			   cfg->raw ? cfg->raw_arg : 0,
			   cfg->raw ? OHV_RAW_STACK_TOP : 0);
	return ohv_hyp_set_state(vm->vps[0].fd, &vm->vps[0].regs,
				 &vm->vps[0].sregs, err, ERR_MAX);
}

static void destroy_partition(struct ohv_vm *vm)
{
	unsigned int i;

	for (i = 0; vm->vps && i < vm->nr_vps; i++) {
		if (vm->vps[i].run)
			munmap(vm->vps[i].run, OHV_HYP_RUN_MMAP_SIZE);
		if (vm->vps[i].fd > 0)
			close(vm->vps[i].fd);
	}
	ohv_hyp_close(&vm->hyp);
}

/* ---- devices -------------------------------------------------------- */

static time_t host_time(void)
{
	return time(NULL);
}

static int register_devices(struct ohv_vm *vm, char *err)
{
	struct ohv_platform *d = &vm->dev;
	struct ohv_stopper stopper = ohv_vm_stopper(vm);
	struct ohv_pio_device *all[] = {
		&d->com1_pio, &d->kbc_data_pio, &d->kbc_cmd_pio, &d->rtc_pio,
		&d->pm_pio, &d->debugcon_pio, &d->post_pio, &d->pit_pio,
		&d->test_exit_pio,
	};
	unsigned int i;

	vm->bus = calloc(1, sizeof(*vm->bus));
	if (!vm->bus) {
		snprintf(err, ERR_MAX, "out of memory for the I/O bus");
		return -1;
	}
	ohv_pio_bus_init(vm->bus);
	ohv_uart_init(&d->com1, ohv_console_tx, NULL);
	ohv_uart_pio_init(&d->com1_pio, &d->com1, OHV_UART_COM1_BASE);
	ohv_i8042_init(&d->kbc, stopper);
	ohv_i8042_pio_init(&d->kbc_data_pio, &d->kbc_cmd_pio, &d->kbc);
	ohv_rtc_init(&d->rtc, host_time);
	ohv_rtc_pio_init(&d->rtc_pio, &d->rtc);
	d->pm.stopper = stopper;
	ohv_acpi_pm_pio_init(&d->pm_pio, &d->pm);
	ohv_debugport_init(d, stopper);

	for (i = 0; i < ARRAY_SIZE(all); i++) {
		if (ohv_pio_register(vm->bus, all[i])) {
			snprintf(err, ERR_MAX, "cannot register device %s at port 0x%x",
				 all[i]->name, all[i]->base);
			return -1;
		}
	}
	return 0;
}

/* ---- run ------------------------------------------------------------ */

static void wait_for_stop(struct ohv_vm *vm, const sigset_t *sigs)
{
	struct timespec tmo = { .tv_sec = 0, .tv_nsec = STOP_POLL_NS };
	siginfo_t info;

	while (!ohv_vm_stopping(vm)) {
		if (sigtimedwait(sigs, &info, &tmo) > 0)
			ohv_vm_stop(vm, OHV_EXIT_SIGNAL, "stopped by signal %s",
				    strsignal(info.si_signo));
	}
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void print_stats(struct ohv_vm *vm, double secs)
{
	unsigned int i;

	fprintf(stderr, "ohv-vm: ran %.3f s\n", secs);
	for (i = 0; i < vm->nr_vps; i++) {
		const u64 *e = vm->vps[i].exits;

		fprintf(stderr,
			"ohv-vm: VP%u exits: io %llu, hlt %llu, hypercall %llu, intr %llu, shutdown %llu, memory %llu, internal %llu\n",
			i, (unsigned long long)e[OHV_HYP_EXIT_IO],
			(unsigned long long)e[OHV_HYP_EXIT_HLT],
			(unsigned long long)e[OHV_HYP_EXIT_HYPERCALL],
			(unsigned long long)e[OHV_HYP_EXIT_INTR],
			(unsigned long long)e[OHV_HYP_EXIT_SHUTDOWN],
			(unsigned long long)e[OHV_HYP_EXIT_MEMORY_FAULT],
			(unsigned long long)e[OHV_HYP_EXIT_INTERNAL_ERROR]);
	}
	fprintf(stderr, "ohv-vm: unclaimed port accesses: %llu\n",
		(unsigned long long)vm->bus->unclaimed_total);
}

static int run(struct ohv_vm *vm, const struct ohv_vm_config *cfg)
{
	struct timespec t0;
	sigset_t sigs;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	/* Threads inherit the mask: only sigtimedwait() sees these. */
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ohv_console_start(vm))
		fprintf(stderr, "ohv-vm: no console input (cannot start the stdin reader)\n");
	if (!ohv_vp_start_all(vm))
		wait_for_stop(vm, &sigs);
	ohv_vp_stop_all(vm);
	ohv_console_stop();
	if (cfg->stats)
		print_stats(vm, seconds_since(&t0));
	return vm->exit_code;
}

int ohv_vm_main(const struct ohv_vm_config *cfg)
{
	struct ohv_boot_result boot;
	struct images img = { 0 };
	struct ohv_vm *vm;
	char err[ERR_MAX] = "";
	int code = OHV_EXIT_SETUP;

	vm = calloc(1, sizeof(*vm));
	if (!vm) {
		fprintf(stderr, "ohv-vm: out of memory\n");
		return OHV_EXIT_SETUP;
	}
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->stopped_cond, NULL);
	vm->hyp.sys_fd = -1;
	vm->hyp.part_fd = -1;
	vm->nr_vps = cfg->cpus;
	vm->vps = calloc(cfg->cpus, sizeof(*vm->vps));

	if (!vm->vps)
		snprintf(err, ERR_MAX, "out of memory for %u VPs", cfg->cpus);
	else if (!load_images(cfg, &img, err) &&
		 !alloc_memory(vm, cfg->memory, err) &&
		 !fill_memory(vm, cfg, &img, &boot, err) &&
		 !register_devices(vm, err) &&
		 !create_partition(vm, cfg, &boot, err))
		err[0] = 0;

	if (err[0]) {
		fprintf(stderr, "ohv-vm: %s\n", err);
	} else {
		code = run(vm, cfg);
		fprintf(stderr, "ohv-vm: exit %d: %s\n", code, vm->reason);
	}

	destroy_partition(vm);
	free(vm->vps);
	free(vm->bus);
	if (vm->ram)
		munmap(vm->ram, cfg->memory);
	if (vm->firmware)
		munmap(vm->firmware, OHV_FIRMWARE_SIZE);
	free_images(&img);
	free(vm);
	return code;
}
