/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMLAUNCH with the guest GPRs the VMCS does not hold.
 *
 * The VMCS switches RSP, RIP, RFLAGS, the CRs, segments, EFER and PAT;
 * the other guest GPRs are loaded and saved here. The VMCS is cleared
 * after every exit, so every entry is a VMLAUNCH. HOST_RSP is this
 * function's stack with the GPR array pointer on top, HOST_RIP is the
 * instruction right after VMLAUNCH: a VM exit and a failed VMLAUNCH both
 * continue there, told apart by the flags (a VM exit clears RFLAGS, a
 * failure sets CF or ZF).
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include "../gpr_macros.S"

/* VMCS field encodings. */
#define VMCS_HOST_RSP	0x6c14
#define VMCS_HOST_RIP	0x6c16

	.text

/* int ohv_vmx_vmlaunch(u64 *gprs) */
SYM_FUNC_START(ohv_vmx_vmlaunch)
	OHV_PUSH_CALLEE_SAVED
	push	%rdi

	mov	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jbe	.Lfail_early
	lea	.Lafter(%rip), %rdx
	mov	$VMCS_HOST_RIP, %eax
	vmwrite	%rdx, %rax
	jbe	.Lfail_early

	mov	%rdi, %rax
	OHV_GPRS_LOAD %rax
	mov	GPR_RAX(%rax), %rax

	vmlaunch
.Lafter:
	/* Both paths: RSP is our stack again, the GPRs hold guest values. */
	push	%rax
	mov	8(%rsp), %rax
	popq	GPR_RAX(%rax)
	OHV_GPRS_SAVE %rax
	/* The MOVs and PUSH/POP above leave the VMLAUNCH flags alone. */
	setbe	%bl
	movzbl	%bl, %ebx

	/* Guest-controlled return predictions must not reach the host. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	mov	%ebx, %eax
	OHV_GPRS_CLEAR_SCRATCH
	jmp	.Lout

.Lfail_early:
	mov	$1, %eax
.Lout:
	add	$8, %rsp
	OHV_POP_CALLEE_SAVED
	RET
SYM_FUNC_END(ohv_vmx_vmlaunch)
