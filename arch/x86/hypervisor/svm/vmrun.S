/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMRUN with the state it does not handle itself.
 *
 * VMRUN/#VMEXIT switch RAX, RSP, RIP, RFLAGS, CRs, EFER and the segment
 * registers visible to the CPU; the other guest GPRs are ours to load and
 * save. VMSAVE/VMLOAD move the rest of the host and guest context (FS, GS,
 * TR, LDTR with hidden state, KERNEL_GS_BASE, STAR/LSTAR/CSTAR/SFMASK,
 * SYSENTER_*). Until the host VMLOAD the CPU runs with the guest's GS
 * base, so nothing between VMRUN and it may touch per-CPU data; GIF=0
 * (the caller's CLGI) keeps interrupts and NMIs out of that window.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include "../gpr_macros.S"

/* Our saved arguments on the stack, after the pushes below. */
#define ARG_VMCB	0
#define ARG_HOST_SAVE	8
#define ARG_GPRS	16

	.text

/* void ohv_svm_vmrun(u64 vmcb_pa, u64 *gprs, u64 host_save_pa) */
SYM_FUNC_START(ohv_svm_vmrun)
	OHV_PUSH_CALLEE_SAVED
	push	%rsi
	push	%rdx
	push	%rdi

	mov	%rdx, %rax
	vmsave	%rax

	OHV_GPRS_LOAD %rsi
	mov	GPR_RSI(%rsi), %rsi

	mov	ARG_VMCB(%rsp), %rax
	vmload	%rax
	vmrun	%rax
	vmsave	%rax

	mov	ARG_HOST_SAVE(%rsp), %rax
	vmload	%rax

	mov	ARG_GPRS(%rsp), %rax
	OHV_GPRS_SAVE %rax

	/* Guest-controlled return predictions must not reach the host. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	OHV_GPRS_CLEAR_SCRATCH

	add	$24, %rsp
	OHV_POP_CALLEE_SAVED
	RET
SYM_FUNC_END(ohv_svm_vmrun)
