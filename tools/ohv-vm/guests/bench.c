// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall round-trip benchmark guest: RDI (--raw-arg) iterations of
 * VMMCALL (or VMCALL when built with -DUSE_VMCALL, or an OUT to the
 * ignored POST port 0x80 with -DUSE_PIO: an exit every hypervisor sends
 * to its user-space device model), timed with RDTSC,
 * reported on the 0xe9 debug console; then it writes 0 to the test-exit
 * port (the worker exits 0) and halts.
 */
#include "guest.h"

#define DEFAULT_ITERATIONS	100000
/* An unassigned Hyper-V call code: the cheapest full round trip. */
#define HYPERCALL_CODE		0xffffULL

#if defined(USE_PIO)
#define HYPERCALL_INSN		"outb %%al, $0x80"
#define INSN_NAME		"outb 0x80"
#elif defined(USE_VMCALL)
#define HYPERCALL_INSN		"vmcall"
#define INSN_NAME		"vmcall"
#else
#define HYPERCALL_INSN		"vmmcall"
#define INSN_NAME		"vmmcall"
#endif

void guest_main(uint64_t iterations);

void guest_main(uint64_t iterations)
{
	uint64_t i, t0, t1, ret = 0;

	if (!iterations)
		iterations = DEFAULT_ITERATIONS;
	guest_idt_install();
	t0 = rdtsc();
	for (i = 0; i < iterations; i++)
		asm volatile(HYPERCALL_INSN
			     : "=a"(ret)
			     : "c"(HYPERCALL_CODE), "d"(0ULL), "0"(0ULL)
			     : "r8", "memory");
	t1 = rdtsc();
	puts_e9("bench: ");
	put_dec(iterations);
	puts_e9(" x " INSN_NAME ", ");
	put_dec(t1 - t0);
	puts_e9(" TSC cycles, ");
	put_dec((t1 - t0) / iterations);
	puts_e9(" cycles per call, last status ");
	put_hex(ret);
	puts_e9("\n");
	test_exit(0);
}
