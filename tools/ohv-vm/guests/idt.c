// SPDX-License-Identifier: GPL-2.0
/* IDT for the test guests: 32 exception vectors, resumable faults. */
#include "guest.h"

#define IDT_VECTORS	32
#define STUB_SIZE	16
#define KERNEL_CS	0x10
#define GATE_INTR	0x8e	/* present, DPL 0, 64-bit interrupt gate */

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern char exception_stubs[];

volatile uint64_t guest_recover_rip;
volatile int64_t guest_last_vector = NO_VECTOR;
static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

void guest_idt_install(void)
{
	struct idt_ptr p = { .limit = sizeof(idt) - 1, .base = (uint64_t)idt };
	unsigned int i;

	for (i = 0; i < IDT_VECTORS; i++) {
		uint64_t a = (uint64_t)exception_stubs + i * STUB_SIZE;

		idt[i].offset_low = (uint16_t)a;
		idt[i].selector = KERNEL_CS;
		idt[i].ist = 0;
		idt[i].type_attr = GATE_INTR;
		idt[i].offset_mid = (uint16_t)(a >> 16);
		idt[i].offset_high = (uint32_t)(a >> 32);
		idt[i].reserved = 0;
	}
	asm volatile("lidt %0" : : "m"(p));
}

void guest_idt_clear(void)
{
	struct idt_ptr p = { .limit = 0, .base = 0 };

	asm volatile("lidt %0" : : "m"(p));
}

void guest_exception(struct guest_frame *f);

void guest_exception(struct guest_frame *f)
{
	if (!guest_recover_rip) {
		puts_e9("guest: unexpected exception ");
		put_dec(f->vector);
		puts_e9(" error ");
		put_hex(f->error);
		puts_e9(" at RIP ");
		put_hex(f->rip);
		puts_e9("\n");
		test_exit(0x100 + (uint32_t)f->vector);
	}
	guest_last_vector = (int64_t)f->vector;
	f->rip = guest_recover_rip;
	guest_recover_rip = 0;
}
