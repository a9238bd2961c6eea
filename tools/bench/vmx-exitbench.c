// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-exitbench: the same real-mode guest loop on ohv_hyp and on KVM.
 *
 *   vmx-exitbench ohv|kvm io|vmcall [ITERATIONS] [--hold SECONDS]
 *
 * The guest reads the TSC, runs ITERATIONS round trips and reads the TSC
 * again; the result is in guest TSC cycles per round trip, so it does not
 * depend on how fast the emulator runs (under Bochs the TSC follows the
 * emulated instruction count). "io" is OUT to port 0xf0, which both
 * hypervisors hand to this program (a full user-space round trip);
 * "vmcall" is VMCALL, which ohv_hyp also hands to user space while KVM
 * answers it in the kernel (-KVM_ENOSYS for an unknown call).
 *
 * --hold keeps the partition/VM open for SECONDS after creating it (for
 * checking that the other hypervisor refuses to load meanwhile).
 * Prints one line: "exitbench: HV MODE N iterations C cycles/iter".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kvm.h>

#include <ohv/hyp.h>

#define MEM_SIZE	0x100000UL
#define CODE_GPA	0x1000UL
#define BENCH_PORT	0xf0

static void die(const char *what)
{
	fprintf(stderr, "exitbench: %s: %s\n", what, strerror(errno));
	exit(2);
}

/*
 * 16-bit code:
 *   rdtsc; mov esi, eax; mov edi, edx; mov ecx, N
 * 1: out 0xf0, al  |  vmcall ; nop
 *   dec ecx; jnz 1b; rdtsc; hlt
 */
static size_t build_guest(uint8_t *p, int vmcall, uint32_t n)
{
	uint8_t *s = p;

	*p++ = 0x0f; *p++ = 0x31;			/* rdtsc */
	*p++ = 0x66; *p++ = 0x89; *p++ = 0xc6;		/* mov esi, eax */
	*p++ = 0x66; *p++ = 0x89; *p++ = 0xd7;		/* mov edi, edx */
	*p++ = 0x66; *p++ = 0xb9;			/* mov ecx, imm32 */
	memcpy(p, &n, 4);
	p += 4;
	if (vmcall) {
		*p++ = 0x66; *p++ = 0x31; *p++ = 0xc0;	/* xor eax, eax */
		*p++ = 0x0f; *p++ = 0x01; *p++ = 0xc1;	/* vmcall */
	} else {
		*p++ = 0x90; *p++ = 0x90; *p++ = 0x90;	/* nops: same length */
		*p++ = 0xe6; *p++ = BENCH_PORT;		/* out 0xf0, al */
		*p++ = 0x90;
	}
	*p++ = 0x66; *p++ = 0x49;			/* dec ecx */
	*p++ = 0x75; *p++ = (uint8_t)-(6 + 2 + 2);	/* jnz loop */
	*p++ = 0x0f; *p++ = 0x31;			/* rdtsc */
	*p++ = 0xf4;					/* hlt */
	return p - s;
}

static uint64_t run_ohv(uint8_t *mem, int hold,
			uint64_t *t1)
{
	struct ohv_hyp_memslot m = { .slot = 0, .guest_phys_addr = 0,
				     .size = MEM_SIZE,
				     .userspace_addr = (unsigned long)mem };
	struct ohv_hyp_regs r = { .rip = 0, .rflags = 2 };
	struct ohv_hyp_sregs s;
	struct ohv_hyp_run *run;
	int sys, part, vp;

	sys = open(OHV_HYP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (sys < 0)
		die(OHV_HYP_DEVICE_PATH);
	part = ioctl(sys, OHV_HYP_CREATE_PARTITION, 0);
	if (part < 0 || ioctl(part, OHV_HYP_SET_MEMSLOT, &m))
		die("partition");
	vp = ioctl(part, OHV_HYP_CREATE_VP, 0);
	if (vp < 0)
		die("vp");
	run = mmap(NULL, OHV_HYP_RUN_MMAP_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED, vp, 0);
	if (run == MAP_FAILED)
		die("mmap run");
	if (hold)
		sleep(hold);
	if (ioctl(vp, OHV_HYP_GET_SREGS, &s))
		die("get sregs");
	s.cs.base = CODE_GPA;
	s.cs.selector = CODE_GPA >> 4;
	if (ioctl(vp, OHV_HYP_SET_SREGS, &s) || ioctl(vp, OHV_HYP_SET_REGS, &r))
		die("set regs");
	for (;;) {
		if (ioctl(vp, OHV_HYP_RUN, 0))
			die("run");
		if (run->exit_reason == OHV_HYP_EXIT_IO &&
		    run->io.port == BENCH_PORT)
			continue;
		if (run->exit_reason == OHV_HYP_EXIT_HYPERCALL) {
			run->hypercall.result = 0;
			continue;
		}
		break;
	}
	if (run->exit_reason != OHV_HYP_EXIT_HLT) {
		fprintf(stderr, "exitbench: ohv: unexpected exit %u\n",
			run->exit_reason);
		exit(1);
	}
	if (ioctl(vp, OHV_HYP_GET_REGS, &r))
		die("get regs");
	*t1 = (r.rdx << 32) | (uint32_t)r.rax;
	return (r.rdi << 32) | (uint32_t)r.rsi;
}

static uint64_t run_kvm(uint8_t *mem, int hold,
			uint64_t *t1)
{
	struct kvm_userspace_memory_region m = { .slot = 0,
		.guest_phys_addr = 0, .memory_size = MEM_SIZE,
		.userspace_addr = (unsigned long)mem };
	struct kvm_regs r;
	struct kvm_sregs s;
	struct kvm_run *run;
	int kvm, vm, vcpu, size;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0 || ioctl(vm, KVM_SET_USER_MEMORY_REGION, &m))
		die("vm");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vcpu < 0 || size <= 0)
		die("vcpu");
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap run");
	if (hold)
		sleep(hold);
	if (ioctl(vcpu, KVM_GET_SREGS, &s))
		die("get sregs");
	s.cs.base = CODE_GPA;
	s.cs.selector = CODE_GPA >> 4;
	if (ioctl(vcpu, KVM_SET_SREGS, &s))
		die("set sregs");
	memset(&r, 0, sizeof(r));
	r.rflags = 2;
	if (ioctl(vcpu, KVM_SET_REGS, &r))
		die("set regs");
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0))
			die("run");
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == BENCH_PORT)
			continue;
		break;
	}
	if (run->exit_reason != KVM_EXIT_HLT) {
		fprintf(stderr, "exitbench: kvm: unexpected exit %u\n",
			run->exit_reason);
		exit(1);
	}
	if (ioctl(vcpu, KVM_GET_REGS, &r))
		die("get regs");
	*t1 = ((uint64_t)r.rdx << 32) | (uint32_t)r.rax;
	return ((uint64_t)r.rdi << 32) | (uint32_t)r.rsi;
}

int main(int argc, char **argv)
{
	uint32_t n = 1000;
	int hold = 0, vmcall, kvm;
	uint64_t t0, t1;
	uint8_t *mem;

	if (argc < 3) {
		fprintf(stderr, "usage: vmx-exitbench ohv|kvm io|vmcall [N] [--hold S]\n");
		return 2;
	}
	kvm = !strcmp(argv[1], "kvm");
	vmcall = !strcmp(argv[2], "vmcall");
	if (argc > 3 && strcmp(argv[3], "--hold"))
		n = strtoul(argv[3], NULL, 0);
	for (int i = 3; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--hold"))
			hold = atoi(argv[i + 1]);
	if (!n)
		n = 1;

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	build_guest(mem + CODE_GPA, vmcall, n);
	t0 = kvm ? run_kvm(mem, hold, &t1) :
		   run_ohv(mem, hold, &t1);
	printf("exitbench: %s %s %u iterations %llu cycles/iter\n",
	       kvm ? "kvm" : "ohv", vmcall ? "vmcall" : "io", n,
	       (unsigned long long)((t1 - t0) / n));
	return 0;
}
