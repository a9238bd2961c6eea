/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SVM backend internals.
 */
#ifndef _OHV_HYP_SVM_SVM_H
#define _OHV_HYP_SVM_SVM_H

#include <linux/types.h>
#include <asm/svm.h>

#include "npt.h"

struct ohv_vp;

/* MSR permission map: 8 KiB, two bits (read, write) per MSR. */
#define OHV_SVM_MSRPM_SIZE	(8 * 1024)
/* I/O permission map: 12 KiB, one bit per port (plus spill-over bits). */
#define OHV_SVM_IOPM_SIZE	(12 * 1024)

struct ohv_svm_partition {
	struct ohv_npt npt;
};

struct ohv_svm_vp {
	struct vmcb *vmcb;
	u32 asid;
	int last_cpu;		/* CPU of the last VMRUN, -1 before the first */
	int tlb_gen;		/* partition tlb_gen at the last flush */
	/* The CPU accepted this state since the last SET_SREGS/SIPI. */
	bool entered;
};

int ohv_svm_msrpm_bit(u32 msr);

/* A decoded MOV to CRn (or CLTS), see cr.c. */
struct ohv_svm_cr_insn {
	bool clts;	/* CLTS: clears CR0.TS */
	u8 cr;		/* control register number */
	u8 gpr;		/* source register, enum ohv_gpr */
	u8 len;		/* instruction length */
};

int ohv_svm_decode_cr_write(const u8 *b, int n, bool long_mode,
			    struct ohv_svm_cr_insn *insn);
int ohv_svm_emulate_cr_write(struct ohv_vp *vp, u32 exit_code);

/* vmrun.S: runs the guest once. @gprs is struct ohv_vp.gpr. */
void ohv_svm_vmrun(u64 vmcb_pa, u64 *gprs, u64 host_save_pa);

#endif /* _OHV_HYP_SVM_SVM_H */
