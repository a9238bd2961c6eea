/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test guest entry and exception stubs. The worker starts us in 64-bit
 * mode (CS 0x10, flat data 0x18, identity-mapped 4 GiB) with RDI = the
 * --raw-arg value. Each IDT stub pushes a dummy error code where the CPU
 * pushes none, then the vector, so guest_exception() sees one layout.
 */
	.section .text.entry, "ax"
	.globl _start
_start:
	lea	stack_top(%rip), %rsp
	call	guest_main
1:	cli
	hlt
	jmp	1b


	.macro stub v
	.align 16
stub_\v:
	.if !(\v == 8 || (\v >= 10 && \v <= 14) || \v == 17 || \v == 21 || \v == 29 || \v == 30)
	pushq	$0
	.endif
	pushq	$\v
	jmp	exception_common
	.endm

	.text
	.globl exception_stubs
	.align 16
exception_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	stub \v
	.endr

exception_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	call	guest_exception
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp	/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits

	.bss
	.align 16
	.space 16384
stack_top:
