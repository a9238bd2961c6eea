// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile test guest. Runs instructions a well-behaved kernel avoids and
 * reports each stage on the 0xe9 debug console as
 *   "stage NN <what>: vector V (ok)"  or  "... (UNEXPECTED, want W)",
 * then prints "hostile: all stages done" and triple-faults (empty IDT,
 * then #UD), which the worker must report with exit code 3.
 *
 * A non-zero RDI (--raw-arg) runs only the extra stages its bits select
 * (each may end the VM early), then the triple fault:
 *   bit 0: REP OUTSB (string I/O) - the hypervisor may refuse it
 *   bit 1: read of an unmapped guest physical address (3 GiB)
 */
#include "guest.h"

#define UD		6
#define GP		13
#define BP		3
#define ANY		(-2)	/* no fixed expectation; just report */
#define NONE		NO_VECTOR

#define EXTRA_STRING_IO	(1u << 0)
#define EXTRA_UNMAPPED	(1u << 1)

#define RANDOM_MSR_READS	48
#define RANDOM_MSR_WRITES	48

static unsigned int stage;
static unsigned int unexpected;
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void report(const char *what, uint64_t arg, int64_t got, int64_t want)
{
	stage++;
	puts_e9("stage ");
	if (stage < 10)
		puts_e9("0");
	put_dec(stage);
	puts_e9(" ");
	puts_e9(what);
	if (arg != (uint64_t)-1) {
		puts_e9(" ");
		put_hex(arg);
	}
	puts_e9(": ");
	if (got == NONE)
		puts_e9("no exception");
	else {
		puts_e9("vector ");
		put_int(got);
	}
	if (want == ANY || got == want) {
		puts_e9(" (ok)\n");
		return;
	}
	unexpected++;
	puts_e9(" (UNEXPECTED, want ");
	if (want == NONE)
		puts_e9("no exception");
	else
		put_int(want);
	puts_e9(")\n");
}

#define NOARG	((uint64_t)-1)

static void undefined_instructions(void)
{
	report("int3", NOARG, GUEST_TRY("int3", OUT(), IN()), BP);
	report("ud2", NOARG, GUEST_TRY("ud2", OUT(), IN()), UD);
	report("ud0", NOARG, GUEST_TRY(".byte 0x0f, 0xff, 0xc0", OUT(), IN()), UD);
	/* SVM instructions with EFER.SVME clear (the hypervisor hides it). */
	report("vmrun", NOARG, GUEST_TRY("vmrun", OUT(), IN("a"(0UL))), UD);
	report("vmload", NOARG, GUEST_TRY("vmload", OUT(), IN("a"(0UL))), UD);
	report("vmsave", NOARG, GUEST_TRY("vmsave", OUT(), IN("a"(0UL))), UD);
	report("stgi", NOARG, GUEST_TRY("stgi", OUT(), IN()), UD);
	report("clgi", NOARG, GUEST_TRY("clgi", OUT(), IN()), UD);
	report("skinit", NOARG, GUEST_TRY("skinit", OUT(), IN("a"(0UL))), UD);
	report("invlpga", NOARG,
	       GUEST_TRY("invlpga", OUT(), IN("a"(0UL), "c"(0U))), UD);
	/* VMX instructions on AMD, or without VMXON. */
	report("vmxon", NOARG,
	       GUEST_TRY("vmxon (%0)", OUT(), IN("r"(0x2000UL))), UD);
	report("vmcall", NOARG, GUEST_TRY("vmcall", OUT(), IN("a"(0UL))), ANY);
	/* XSETBV needs CR4.OSXSAVE, which the worker leaves clear. */
	report("xsetbv", NOARG,
	       GUEST_TRY("xsetbv", OUT(), IN("a"(0U), "d"(0U), "c"(0U))), UD);
	report("rdpmc bad counter", 0x12345,
	       GUEST_TRY("rdpmc", OUT(), IN("c"(0x12345U))), GP);
}

static void hypercalls(void)
{
	static const uint64_t codes[] = { 0, 1, 0xffff, 0x12340000ffffULL,
					  ~0ULL };
	unsigned int i;
	uint64_t ret;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ret = 0;
		report("vmmcall code", codes[i],
		       GUEST_TRY("vmmcall", OUT("=a"(ret)),
				 IN("c"(codes[i]), "d"(0xdead000ULL),
				    "0"(0ULL))), NONE);
		puts_e9("  returned ");
		put_hex(ret);
		puts_e9("\n");
	}
}

static int64_t try_rdmsr(uint32_t idx)
{
	uint32_t lo, hi;

	return GUEST_TRY("rdmsr", OUT("=a"(lo), "=d"(hi)), IN("c"(idx)));
}

static int64_t try_wrmsr(uint32_t idx, uint64_t v)
{
	return GUEST_TRY("wrmsr", OUT(),
			 IN("c"(idx), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))));
}

/* Random indices outside the architectural and hypervisor ranges. */
static uint32_t random_unknown_msr(void)
{
	uint32_t idx;

	for (;;) {
		idx = (uint32_t)rng();
		if (idx < 0x2000)
			continue;
		if (idx >= 0x40000000 && idx < 0x40001000)
			continue;
		if (idx >= 0xc0000000 && idx < 0xc0020000)
			continue;
		return idx;
	}
}

static void msrs(void)
{
	unsigned int i;
	uint32_t idx;

	for (i = 0; i < RANDOM_MSR_READS; i++) {
		idx = random_unknown_msr();
		report("rdmsr", idx, try_rdmsr(idx), GP);
	}
	for (i = 0; i < RANDOM_MSR_WRITES; i++) {
		idx = random_unknown_msr();
		report("wrmsr", idx, try_wrmsr(idx, rng()), GP);
	}
	/* EFER with reserved bits, APIC base with reserved bits. */
	report("wrmsr EFER reserved bits", 0xc0000080,
	       try_wrmsr(0xc0000080, 0xffff000000000d01ULL), GP);
	report("wrmsr APIC_BASE reserved bits", 0x1b,
	       try_wrmsr(0x1b, 0xfffff00000000000ULL | 0xfee00c00), GP);
	report("rdmsr 0xffffffff", 0xffffffff, try_rdmsr(0xffffffff), GP);
	report("rdmsr Hyper-V range", 0x400000ff, try_rdmsr(0x400000ff), ANY);
}

static void control_registers(void)
{
	uint64_t cr0, cr3, cr4;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	report("mov cr4 reserved bit 31", NOARG,
	       GUEST_TRY("mov %0, %%cr4", OUT(), IN("r"(cr4 | (1ULL << 31)))), GP);
	report("mov cr0 PG without PE", NOARG,
	       GUEST_TRY("mov %0, %%cr0", OUT(), IN("r"(cr0 & ~1ULL))), GP);
	report("mov cr0 upper bits", NOARG,
	       GUEST_TRY("mov %0, %%cr0", OUT(), IN("r"(cr0 | (1ULL << 40)))), GP);
	report("mov cr3 reserved bit 62", NOARG,
	       GUEST_TRY("mov %0, %%cr3", OUT(), IN("r"(cr3 | (1ULL << 62)))), GP);
	report("mov cr4 clear PAE in long mode", NOARG,
	       GUEST_TRY("mov %0, %%cr4", OUT(), IN("r"(cr4 & ~(1ULL << 5)))), GP);
}

static void cpuid_leaves(void)
{
	static const uint32_t leaves[] = { 0x4fffffff, 0x8fffffff, 0xffffffff,
					   0x40000000, 0x4000ffff, 0xd };
	uint32_t a, b, c, d;
	unsigned int i;

	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		report("cpuid", leaves[i],
		       GUEST_TRY("cpuid", OUT("=a"(a), "=b"(b), "=c"(c), "=d"(d)),
				 IN("0"(leaves[i]), "2"(0xffffffffU))), NONE);
	report("invd", NOARG, GUEST_TRY("invd", OUT(), IN()), ANY);
	report("wbinvd", NOARG, GUEST_TRY("wbinvd", OUT(), IN()), NONE);
}

static void port_io(void)
{
	static const uint16_t ports[] = { 0x1234, 0xcf8, 0xcfc, 0x4d0, 0x92,
					  0x3fa, 0xfff0, 0xfffe, 0xffff };
	unsigned int i;

	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		uint16_t p = ports[i];

		report("outb/outw/outl", p, GUEST_TRY(
			"outb %%al, %%dx\n\toutw %%ax, %%dx\n\toutl %%eax, %%dx",
			OUT(), IN("a"(0xa5a5a5a5U), "d"(p))), NONE);
		puts_e9("  inb/inw/inl: ");
		put_hex(inb(p));
		puts_e9(" ");
		put_hex(inw(p));
		puts_e9(" ");
		put_hex(inl(p));
		puts_e9("\n");
	}
}

static void early_exit_stages(uint64_t flags)
{
	if (flags & EXTRA_STRING_IO) {
		static const char msg[] = "string I/O\n";

		puts_e9("hostile: trying REP OUTSB to 0xe9\n");
		asm volatile("rep outsb" : : "S"(msg), "c"(sizeof(msg) - 1),
			     "d"(DEBUGCON_PORT) : "memory");
		puts_e9("hostile: REP OUTSB completed\n");
	}
	if (flags & EXTRA_UNMAPPED) {
		puts_e9("hostile: reading unmapped GPA 0xc0000000\n");
		put_hex(*(volatile uint32_t *)0xc0000000UL);
		puts_e9("\nhostile: unmapped read returned\n");
	}
}

void guest_main(uint64_t flags);

void guest_main(uint64_t flags)
{
	puts_e9("hostile: start\n");
	guest_idt_install();
	if (flags) {
		early_exit_stages(flags);
	} else {
		undefined_instructions();
		hypercalls();
		msrs();
		cpuid_leaves();
		port_io();
		control_registers();
	}

	puts_e9("hostile: ");
	put_dec(unexpected);
	puts_e9(" unexpected results\n");
	puts_e9("hostile: all stages done, triple-faulting now\n");
	guest_idt_clear();
	asm volatile("ud2");
	puts_e9("hostile: still alive after a triple fault\n");
	test_exit(1);
}
