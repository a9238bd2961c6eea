/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Freestanding helpers for the flat test guests: port I/O, output on the
 * worker's 0xe9 debug console, the 0xf4 test-exit port, and an IDT whose
 * handler can resume after a faulting instruction (see GUEST_TRY).
 */
#ifndef OHV_GUEST_H
#define OHV_GUEST_H

#include <stdint.h>

#define DEBUGCON_PORT	0xe9
#define TEST_EXIT_PORT	0xf4
#define NO_VECTOR	(-1)

/* Saved by entry.S exception_common, lowest address first. */
struct guest_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void puts_e9(const char *s)
{
	while (*s)
		outb(DEBUGCON_PORT, (uint8_t)*s++);
}

static inline void put_hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char buf[19];
	int i = 18;

	buf[i] = 0;
	do {
		buf[--i] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	puts_e9(buf + i);
}

static inline void put_dec(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_e9(buf + i);
}

static inline void put_int(int64_t v)
{
	if (v < 0) {
		puts_e9("-");
		v = -v;
	}
	put_dec((uint64_t)v);
}

/* Ends the VM through the worker's test-exit port, then parks. */
static inline __attribute__((noreturn)) void test_exit(uint32_t code)
{
	outl(TEST_EXIT_PORT, code);
	for (;;)
		asm volatile("cli; hlt");
}

/*
 * GUEST_TRY(insn, OUT(outputs), IN(inputs)): runs one instruction; if it
 * faults, the exception handler resumes at the label after it. Evaluates
 * to the vector taken, or NO_VECTOR. The recovery address lives in
 * guest_recover_rip, which the handler clears.
 */
extern volatile uint64_t guest_recover_rip;
extern volatile int64_t guest_last_vector;

#define OUT(...)	__VA_ARGS__
#define IN(...)		__VA_ARGS__
#define GUEST_TRY(insn, outputs, inputs) ({				\
	guest_last_vector = NO_VECTOR;					\
	asm volatile("lea 1f(%%rip), %%r11\n\t"			\
		     "mov %%r11, guest_recover_rip(%%rip)\n\t"		\
		     insn "\n"						\
		     "1:\n\t"						\
		     "movq $0, guest_recover_rip(%%rip)"		\
		     : outputs : inputs : "r11", "memory");		\
	guest_last_vector;						\
})

void guest_idt_install(void);
/* Loads an empty IDT: the next exception shuts the VP down. */
void guest_idt_clear(void);

#endif /* OHV_GUEST_H */
