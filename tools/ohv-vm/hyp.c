// SPDX-License-Identifier: GPL-2.0
/* /dev/ohv-hyp ioctl wrappers with readable errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hyp.h"

static int fail_errno(char *err, size_t errlen, const char *fmt, ...)
{
	int saved = errno;
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	n = strlen(err);
	snprintf(err + n, errlen - n, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

static const char *open_hint(int e)
{
	switch (e) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return " (is ohv_hyp.ko loaded?)";
	case EACCES:
	case EPERM:
		return " (run as root, or get access to the device)";
	default:
		return "";
	}
}

int ohv_hyp_open(struct ohv_hyp *h, char *err, size_t errlen)
{
	int version, e;

	h->part_fd = -1;
	h->sys_fd = open(OHV_HYP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (h->sys_fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot open %s: %s%s", OHV_HYP_DEVICE_PATH,
			 strerror(e), open_hint(e));
		return -1;
	}
	version = ioctl(h->sys_fd, OHV_HYP_GET_API_VERSION, 0);
	if (version < 0) {
		fail_errno(err, errlen, "OHV_HYP_GET_API_VERSION failed");
		goto close_sys;
	}
	if (version != OHV_HYP_API_VERSION) {
		snprintf(err, errlen,
			 "hypervisor API version %d, this worker was built for %d",
			 version, OHV_HYP_API_VERSION);
		goto close_sys;
	}
	h->part_fd = ioctl(h->sys_fd, OHV_HYP_CREATE_PARTITION, 0);
	if (h->part_fd < 0) {
		fail_errno(err, errlen, "cannot create a partition");
		goto close_sys;
	}
	return 0;

close_sys:
	close(h->sys_fd);
	h->sys_fd = -1;
	return -1;
}

void ohv_hyp_close(struct ohv_hyp *h)
{
	if (h->part_fd >= 0)
		close(h->part_fd);
	if (h->sys_fd >= 0)
		close(h->sys_fd);
	h->part_fd = -1;
	h->sys_fd = -1;
}

int ohv_hyp_set_memslot(struct ohv_hyp *h, u32 slot, u64 gpa,
			u64 size, void *host, char *err, size_t errlen)
{
	struct ohv_hyp_memslot ms = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.size = size,
		.userspace_addr = (u64)(uintptr_t)host,
	};

	if (ioctl(h->part_fd, OHV_HYP_SET_MEMSLOT, &ms) < 0)
		return fail_errno(err, errlen,
				  "cannot map guest memory slot %u (GPA 0x%llx, %llu MiB)",
				  slot, (unsigned long long)gpa,
				  (unsigned long long)(size >> 20));
	return 0;
}

int ohv_hyp_create_vp(struct ohv_hyp *h, unsigned int index, char *err,
		      size_t errlen)
{
	int fd = ioctl(h->part_fd, OHV_HYP_CREATE_VP, (unsigned long)index);

	if (fd < 0)
		return fail_errno(err, errlen, "cannot create VP %u", index);
	return fd;
}

struct ohv_hyp_run *ohv_hyp_map_run(int vp_fd, char *err, size_t errlen)
{
	void *p = mmap(NULL, OHV_HYP_RUN_MMAP_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED, vp_fd, 0);

	if (p == MAP_FAILED) {
		fail_errno(err, errlen, "cannot map the VP run structure");
		return NULL;
	}
	return p;
}

int ohv_hyp_set_state(int vp_fd, const struct ohv_hyp_regs *regs,
		      const struct ohv_hyp_sregs *sregs, char *err,
		      size_t errlen)
{
	if (ioctl(vp_fd, OHV_HYP_SET_SREGS, sregs) < 0)
		return fail_errno(err, errlen,
				  "OHV_HYP_SET_SREGS refused the long-mode state");
	if (ioctl(vp_fd, OHV_HYP_SET_REGS, regs) < 0)
		return fail_errno(err, errlen, "OHV_HYP_SET_REGS failed");
	return 0;
}

int ohv_hyp_get_regs(int vp_fd, struct ohv_hyp_regs *regs)
{
	return ioctl(vp_fd, OHV_HYP_GET_REGS, regs) < 0 ? -1 : 0;
}
