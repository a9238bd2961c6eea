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

/* Byte offsets in the GPR array, x86 encoding order (enum ohv_gpr). */
#define GPR_RCX		(1 * 8)
#define GPR_RDX		(2 * 8)
#define GPR_RBX		(3 * 8)
#define GPR_RBP		(5 * 8)
#define GPR_RSI		(6 * 8)
#define GPR_RDI		(7 * 8)
#define GPR_R8		(8 * 8)
#define GPR_R9		(9 * 8)
#define GPR_R10		(10 * 8)
#define GPR_R11		(11 * 8)
#define GPR_R12		(12 * 8)
#define GPR_R13		(13 * 8)
#define GPR_R14		(14 * 8)
#define GPR_R15		(15 * 8)

/* Our saved arguments on the stack, after the pushes below. */
#define ARG_VMCB	0
#define ARG_HOST_SAVE	8
#define ARG_GPRS	16

	.text

/* void ohv_svm_vmrun(u64 vmcb_pa, u64 *gprs, u64 host_save_pa) */
SYM_FUNC_START(ohv_svm_vmrun)
	push	%rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	push	%rsi
	push	%rdx
	push	%rdi

	mov	%rdx, %rax
	vmsave	%rax

	mov	GPR_RCX(%rsi), %rcx
	mov	GPR_RDX(%rsi), %rdx
	mov	GPR_RBX(%rsi), %rbx
	mov	GPR_RBP(%rsi), %rbp
	mov	GPR_RDI(%rsi), %rdi
	mov	GPR_R8(%rsi), %r8
	mov	GPR_R9(%rsi), %r9
	mov	GPR_R10(%rsi), %r10
	mov	GPR_R11(%rsi), %r11
	mov	GPR_R12(%rsi), %r12
	mov	GPR_R13(%rsi), %r13
	mov	GPR_R14(%rsi), %r14
	mov	GPR_R15(%rsi), %r15
	mov	GPR_RSI(%rsi), %rsi

	mov	ARG_VMCB(%rsp), %rax
	vmload	%rax
	vmrun	%rax
	vmsave	%rax

	mov	ARG_HOST_SAVE(%rsp), %rax
	vmload	%rax

	mov	ARG_GPRS(%rsp), %rax
	mov	%rcx, GPR_RCX(%rax)
	mov	%rdx, GPR_RDX(%rax)
	mov	%rbx, GPR_RBX(%rax)
	mov	%rbp, GPR_RBP(%rax)
	mov	%rsi, GPR_RSI(%rax)
	mov	%rdi, GPR_RDI(%rax)
	mov	%r8, GPR_R8(%rax)
	mov	%r9, GPR_R9(%rax)
	mov	%r10, GPR_R10(%rax)
	mov	%r11, GPR_R11(%rax)
	mov	%r12, GPR_R12(%rax)
	mov	%r13, GPR_R13(%rax)
	mov	%r14, GPR_R14(%rax)
	mov	%r15, GPR_R15(%rax)

	/* Guest-controlled return predictions must not reach the host. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	/* Leave no guest values in scratch registers for speculation. */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d

	add	$24, %rsp
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(ohv_svm_vmrun)
