/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioctl layer: the only file that talks to /dev/ohv-hyp. Every
 * function returns 0 (or an fd) on success, and -1 with a complete
 * one-line explanation in @err on failure.
 */
#ifndef OHV_VM_HYP_H
#define OHV_VM_HYP_H

#include <stddef.h>
#include "compat.h"

#include <ohv/hyp.h>

struct ohv_hyp {
	int sys_fd;		/* /dev/ohv-hyp */
	int part_fd;		/* the partition */
};

int ohv_hyp_open(struct ohv_hyp *h, char *err, size_t errlen);
void ohv_hyp_close(struct ohv_hyp *h);
int ohv_hyp_set_memslot(struct ohv_hyp *h, u32 slot, u64 gpa,
			u64 size, void *host, char *err, size_t errlen);
/* Returns the VP fd. */
int ohv_hyp_create_vp(struct ohv_hyp *h, unsigned int index, char *err,
		      size_t errlen);
struct ohv_hyp_run *ohv_hyp_map_run(int vp_fd, char *err, size_t errlen);
int ohv_hyp_set_state(int vp_fd, const struct ohv_hyp_regs *regs,
		      const struct ohv_hyp_sregs *sregs, char *err,
		      size_t errlen);
int ohv_hyp_get_regs(int vp_fd, struct ohv_hyp_regs *regs);

#endif /* OHV_VM_HYP_H */
