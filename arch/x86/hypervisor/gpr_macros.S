/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest GPR load and save around a VM entry, and the host's callee-saved
 * registers around the entry function, shared by the SVM (vmrun.S) and
 * VMX (vmenter.S) entry code. Only included by them, never built on its
 * own.
 *
 * The array is struct ohv_vp.gpr: one u64 per register in x86 encoding
 * order (enum ohv_gpr in ohv.h). RSP is never loaded or saved here (the
 * VMCB or VMCS holds it), and neither is RAX by these macros: SVM keeps
 * it in the VMCB, VMX handles it around the macros itself.
 */
#ifndef OHV_HYP_GPR_MACROS_S
#define OHV_HYP_GPR_MACROS_S

/* Byte offsets in the GPR array. */
#define GPR_RAX		(0 * 8)
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

/*
 * Load RCX..R15 from the array at \base, except RSP and \base itself;
 * \base must be %rax or %rsi, and the caller loads it last.
 */
.macro OHV_GPRS_LOAD base:req
	.ifnc \base, %rax
	.ifnc \base, %rsi
	.error "OHV_GPRS_LOAD: base must be %rax or %rsi"
	.endif
	.endif
	mov	GPR_RCX(\base), %rcx
	mov	GPR_RDX(\base), %rdx
	mov	GPR_RBX(\base), %rbx
	mov	GPR_RBP(\base), %rbp
	.ifnc \base, %rsi
	mov	GPR_RSI(\base), %rsi
	.endif
	mov	GPR_RDI(\base), %rdi
	mov	GPR_R8(\base), %r8
	mov	GPR_R9(\base), %r9
	mov	GPR_R10(\base), %r10
	mov	GPR_R11(\base), %r11
	mov	GPR_R12(\base), %r12
	mov	GPR_R13(\base), %r13
	mov	GPR_R14(\base), %r14
	mov	GPR_R15(\base), %r15
.endm

/* Save RCX..R15 (all but RAX and RSP) to the array at \base. */
.macro OHV_GPRS_SAVE base:req
	mov	%rcx, GPR_RCX(\base)
	mov	%rdx, GPR_RDX(\base)
	mov	%rbx, GPR_RBX(\base)
	mov	%rbp, GPR_RBP(\base)
	mov	%rsi, GPR_RSI(\base)
	mov	%rdi, GPR_RDI(\base)
	mov	%r8, GPR_R8(\base)
	mov	%r9, GPR_R9(\base)
	mov	%r10, GPR_R10(\base)
	mov	%r11, GPR_R11(\base)
	mov	%r12, GPR_R12(\base)
	mov	%r13, GPR_R13(\base)
	mov	%r14, GPR_R14(\base)
	mov	%r15, GPR_R15(\base)
.endm

/*
 * Leave no guest values in the caller-saved scratch registers for
 * speculation (RAX is the caller's to set).
 */
.macro OHV_GPRS_CLEAR_SCRATCH
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
.endm

/* The host's callee-saved registers, around the whole entry function. */
.macro OHV_PUSH_CALLEE_SAVED
	push	%rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
.endm

.macro OHV_POP_CALLEE_SAVED
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
.endm

#endif /* OHV_HYP_GPR_MACROS_S */
