// SPDX-License-Identifier: GPL-2.0
/*
 * uapi tests for /dev/ohv-hyp (ohv_hyp.ko must be loaded, root needed).
 *
 * The guests are a few hand-assembled instructions; each test asserts the
 * exits they must produce, in order, and the errno of every misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <ohv/hyp.h>

#include "kselftest_harness.h"

#define GUEST_MEM_SIZE	(2UL << 20)
#define CODE_GPA	0x10000UL
#define STACK_GPA	0x80000UL
#define GDT_GPA		0x500UL
#define PML4_GPA	0x2000UL
#define PDPT_GPA	0x3000UL
#define PD_GPA		0x4000UL

#define BIT(n)		(1UL << (n))

#define X86_CR0_PE	BIT(0)
#define X86_CR0_ET	BIT(4)
#define X86_CR0_PG	BIT(31)
#define X86_CR4_PAE	BIT(5)
#define EFER_LME	BIT(8)
#define EFER_LMA	BIT(10)

#define CODE64_ATTR	(0xb | OHV_HYP_SEG_S | OHV_HYP_SEG_P | OHV_HYP_SEG_L | \
			 OHV_HYP_SEG_G)
#define DATA_ATTR	(0x3 | OHV_HYP_SEG_S | OHV_HYP_SEG_P | OHV_HYP_SEG_DB | \
			 OHV_HYP_SEG_G)

struct guest {
	int sys;
	int part;
	int vp;
	struct ohv_hyp_run *run;
	__u8 *mem;
};

static int open_sys(void)
{
	return open(OHV_HYP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
}

static __u8 *alloc_guest_mem(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int set_slot(int part, __u32 slot, __u64 gpa, __u64 size,
		    void *uaddr)
{
	struct ohv_hyp_memslot m = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.size = size,
		.userspace_addr = (unsigned long)uaddr,
	};

	return ioctl(part, OHV_HYP_SET_MEMSLOT, &m);
}

/* Partition with 2 MiB of RAM at GPA 0 and VP 0 mapped. 0 on success. */
static int guest_create(struct guest *g)
{
	memset(g, 0, sizeof(*g));
	g->sys = open_sys();
	if (g->sys < 0)
		return -1;
	g->part = ioctl(g->sys, OHV_HYP_CREATE_PARTITION, 0);
	g->mem = alloc_guest_mem(GUEST_MEM_SIZE);
	if (g->part < 0 || !g->mem)
		return -1;
	if (set_slot(g->part, 0, 0, GUEST_MEM_SIZE, g->mem))
		return -1;
	g->vp = ioctl(g->part, OHV_HYP_CREATE_VP, 0);
	if (g->vp < 0)
		return -1;
	g->run = mmap(NULL, OHV_HYP_RUN_MMAP_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED, g->vp, 0);
	return g->run == MAP_FAILED ? -1 : 0;
}

static void guest_destroy(struct guest *g)
{
	if (g->run && g->run != MAP_FAILED)
		munmap(g->run, OHV_HYP_RUN_MMAP_SIZE);
	if (g->mem)
		munmap(g->mem, GUEST_MEM_SIZE);
	close(g->vp);
	close(g->part);
	close(g->sys);
}

/* Real mode, code at CS:IP = CODE_GPA / 16 : 0, IF = 0. */
static int guest_real_mode(struct guest *g, const void *code, size_t len)
{
	struct ohv_hyp_sregs s;
	struct ohv_hyp_regs r = { .rip = 0, .rflags = 2 };

	memcpy(g->mem + CODE_GPA, code, len);
	if (ioctl(g->vp, OHV_HYP_GET_SREGS, &s))
		return -1;
	s.cs.base = CODE_GPA;
	s.cs.selector = CODE_GPA >> 4;
	if (ioctl(g->vp, OHV_HYP_SET_SREGS, &s))
		return -1;
	return ioctl(g->vp, OHV_HYP_SET_REGS, &r);
}

static void set_seg(struct ohv_hyp_segment *s, uint16_t sel, uint16_t attr)
{
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = sel;
	s->attributes = attr;
}

/* 64-bit mode, identity map of the first 1 GiB with 2 MiB pages. */
static int guest_long_mode(struct guest *g, const void *code, size_t len)
{
	__u64 *gdt = (__u64 *)(g->mem + GDT_GPA);
	__u64 *pml4 = (__u64 *)(g->mem + PML4_GPA);
	__u64 *pdpt = (__u64 *)(g->mem + PDPT_GPA);
	__u64 *pd = (__u64 *)(g->mem + PD_GPA);
	struct ohv_hyp_regs r = { .rip = CODE_GPA, .rsp = STACK_GPA,
				  .rflags = 2 };
	struct ohv_hyp_sregs s;
	int i;

	gdt[1] = 0x00af9b000000ffffULL;
	gdt[2] = 0x00cf93000000ffffULL;
	pml4[0] = PDPT_GPA | 3;
	pdpt[0] = PD_GPA | 3;
	for (i = 0; i < 512; i++)
		pd[i] = ((__u64)i << 21) | 0x83;
	memcpy(g->mem + CODE_GPA, code, len);

	if (ioctl(g->vp, OHV_HYP_GET_SREGS, &s))
		return -1;
	set_seg(&s.cs, 8, CODE64_ATTR);
	set_seg(&s.ds, 16, DATA_ATTR);
	set_seg(&s.es, 16, DATA_ATTR);
	set_seg(&s.fs, 16, DATA_ATTR);
	set_seg(&s.gs, 16, DATA_ATTR);
	set_seg(&s.ss, 16, DATA_ATTR);
	s.tr.attributes = OHV_HYP_SEG_P | 0xb;
	s.tr.limit = 0x67;
	s.gdt.base = GDT_GPA;
	s.gdt.limit = 3 * 8 - 1;
	s.cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_PG;
	s.cr3 = PML4_GPA;
	s.cr4 = X86_CR4_PAE;
	s.efer = EFER_LME | EFER_LMA;
	if (ioctl(g->vp, OHV_HYP_SET_SREGS, &s))
		return -1;
	return ioctl(g->vp, OHV_HYP_SET_REGS, &r);
}

/* ---- system fd -------------------------------------------------------- */

TEST(api_version)
{
	int sys = open_sys();

	ASSERT_LE(0, sys);
	EXPECT_EQ(OHV_HYP_API_VERSION, ioctl(sys, OHV_HYP_GET_API_VERSION, 0));
	EXPECT_EQ(-1, ioctl(sys, OHV_HYP_GET_API_VERSION, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(sys, OHV_HYP_CREATE_PARTITION, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(sys, _IO(OHV_HYP_IOC_MAGIC, 0x7f), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_LT(0, ioctl(sys, OHV_HYP_GET_TSC_KHZ, 0));
	close(sys);
}

/* ---- memory slots ----------------------------------------------------- */

FIXTURE(partition) {
	int sys;
	int part;
	__u8 *mem;
};

FIXTURE_SETUP(partition)
{
	self->sys = open_sys();
	ASSERT_LE(0, self->sys);
	self->part = ioctl(self->sys, OHV_HYP_CREATE_PARTITION, 0);
	ASSERT_LE(0, self->part);
	self->mem = alloc_guest_mem(GUEST_MEM_SIZE);
	ASSERT_NE(NULL, self->mem);
}

FIXTURE_TEARDOWN(partition)
{
	munmap(self->mem, GUEST_MEM_SIZE);
	close(self->part);
	close(self->sys);
}

struct slot_case {
	const char *name;
	__u32 slot;
	__u32 flags;
	__u64 gpa;
	__u64 size;
	__u64 uaddr_off;
	int err;
};

TEST_F(partition, bad_slots)
{
	const struct slot_case cases[] = {
		{ "zero size", 1, 0, 0x100000, 0, 0, EINVAL },
		{ "unaligned gpa", 1, 0, 0x100010, 4096, 0, EINVAL },
		{ "unaligned size", 1, 0, 0x100000, 100, 0, EINVAL },
		{ "unaligned uaddr", 1, 0, 0x100000, 4096, 8, EINVAL },
		{ "slot id out of range", OHV_HYP_MAX_MEMSLOTS, 0, 0x100000,
		  4096, 0, EINVAL },
		{ "flags set", 1, 1, 0x100000, 4096, 0, EINVAL },
		{ "above max gpa", 1, 0, OHV_HYP_MAX_GPA, 4096, 0, EINVAL },
		{ "wraps", 1, 0, ~0xfffULL, 8192, 0, EINVAL },
		{ "overlaps slot 0", 1, 0, 0x1000, 4096, 0, EINVAL },
		{ "slot 0 in use", 0, 0, 0x40000000, 4096, 0, EEXIST },
		{ "over page limit", 1, 0, 0x40000000,
		  OHV_HYP_MAX_GUEST_PAGES * 4096, 0, E2BIG },
	};
	int i;

	ASSERT_EQ(0, set_slot(self->part, 0, 0, 0x10000, self->mem));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct slot_case *c = &cases[i];
		struct ohv_hyp_memslot m = {
			.slot = c->slot,
			.flags = c->flags,
			.guest_phys_addr = c->gpa,
			.size = c->size,
			.userspace_addr = (unsigned long)self->mem + c->uaddr_off,
		};

		errno = 0;
		EXPECT_EQ(-1, ioctl(self->part, OHV_HYP_SET_MEMSLOT, &m))
			TH_LOG("case '%s' succeeded", c->name);
		EXPECT_EQ(c->err, errno) TH_LOG("case '%s'", c->name);
	}
}

TEST_F(partition, slot_unmapped_memory)
{
	void *hole = mmap(NULL, 8192, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, hole);
	EXPECT_EQ(-1, set_slot(self->part, 0, 0, 8192, hole));
	EXPECT_EQ(EFAULT, errno);
	munmap(hole, 8192);
	/* A failed slot leaves nothing behind: the id is free again. */
	EXPECT_EQ(0, set_slot(self->part, 0, 0, 8192, self->mem));
}

TEST_F(partition, slot_remove)
{
	__u32 id = 0;

	EXPECT_EQ(-1, ioctl(self->part, OHV_HYP_REMOVE_MEMSLOT, &id));
	EXPECT_EQ(ENOENT, errno);
	id = OHV_HYP_MAX_MEMSLOTS;
	EXPECT_EQ(-1, ioctl(self->part, OHV_HYP_REMOVE_MEMSLOT, &id));
	EXPECT_EQ(EINVAL, errno);

	ASSERT_EQ(0, set_slot(self->part, 3, 0, GUEST_MEM_SIZE, self->mem));
	id = 3;
	EXPECT_EQ(0, ioctl(self->part, OHV_HYP_REMOVE_MEMSLOT, &id));
	/* The range is free again for another slot. */
	EXPECT_EQ(0, set_slot(self->part, 4, 0, GUEST_MEM_SIZE, self->mem));
}

/* ---- VPs --------------------------------------------------------------- */

TEST_F(partition, bad_vp_ids)
{
	int vp;

	EXPECT_EQ(-1, ioctl(self->part, OHV_HYP_CREATE_VP, OHV_HYP_MAX_VPS));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->part, OHV_HYP_CREATE_VP, -1UL));
	EXPECT_EQ(EINVAL, errno);

	vp = ioctl(self->part, OHV_HYP_CREATE_VP, OHV_HYP_MAX_VPS - 1);
	ASSERT_LE(0, vp);
	EXPECT_EQ(-1, ioctl(self->part, OHV_HYP_CREATE_VP, OHV_HYP_MAX_VPS - 1));
	EXPECT_EQ(EEXIST, errno);
	close(vp);
	/* Closing the VP frees its id. */
	vp = ioctl(self->part, OHV_HYP_CREATE_VP, OHV_HYP_MAX_VPS - 1);
	EXPECT_LE(0, vp);
	close(vp);
}

TEST_F(partition, run_without_memory)
{
	int vp = ioctl(self->part, OHV_HYP_CREATE_VP, 0);

	ASSERT_LE(0, vp);
	EXPECT_EQ(-1, ioctl(vp, OHV_HYP_RUN, 0));
	EXPECT_EQ(ENOMEM, errno);
	close(vp);
}

TEST_F(partition, bad_sregs)
{
	int vp = ioctl(self->part, OHV_HYP_CREATE_VP, 0);
	struct ohv_hyp_sregs s;

	ASSERT_LE(0, vp);
	ASSERT_EQ(0, ioctl(vp, OHV_HYP_GET_SREGS, &s));
	EXPECT_EQ(0xfee00000ULL | (1 << 11) | (1 << 10) | (1 << 8),
		  s.apic_base);
	s.cr0 = X86_CR0_PG;	/* paging without protection */
	EXPECT_EQ(-1, ioctl(vp, OHV_HYP_SET_SREGS, &s));
	EXPECT_EQ(EINVAL, errno);
	close(vp);
}

TEST(vp_outlives_partition_fd)
{
	struct guest g;
	static const __u8 code[] = { 0xf4 };	/* hlt */

	ASSERT_EQ(0, guest_create(&g));
	ASSERT_EQ(0, guest_real_mode(&g, code, sizeof(code)));
	close(g.part);
	g.part = -1;
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_RUN, 0));
	EXPECT_EQ(OHV_HYP_EXIT_HLT, g.run->exit_reason);
	guest_destroy(&g);
}

/* ---- guests ------------------------------------------------------------ */

static void run_expect_io(struct __test_metadata *_metadata, struct guest *g,
			  int dir, int size, int port)
{
	ASSERT_EQ(0, ioctl(g->vp, OHV_HYP_RUN, 0));
	ASSERT_EQ(OHV_HYP_EXIT_IO, g->run->exit_reason);
	EXPECT_EQ(dir, g->run->io.direction);
	EXPECT_EQ(size, g->run->io.size);
	EXPECT_EQ(port, g->run->io.port);
}

TEST(real_mode_io_and_hlt)
{
	static const __u8 code[] = {
		0xba, 0xf8, 0x03,	/* mov dx, 0x3f8 */
		0xb0, 0x42,		/* mov al, 0x42 */
		0xee,			/* out dx, al */
		0xec,			/* in al, dx */
		0x04, 0x01,		/* add al, 1 */
		0xee,			/* out dx, al */
		0xb8, 0x34, 0x12,	/* mov ax, 0x1234 */
		0xef,			/* out dx, ax */
		0xf4,			/* hlt (IF = 0) */
	};
	struct ohv_hyp_sregs s;
	struct ohv_hyp_regs r;
	struct guest g;

	ASSERT_EQ(0, guest_create(&g));
	ASSERT_EQ(0, guest_real_mode(&g, code, sizeof(code)));

	run_expect_io(_metadata, &g, OHV_HYP_IO_OUT, 1, 0x3f8);
	EXPECT_EQ(0x42, g.run->io.data);

	run_expect_io(_metadata, &g, OHV_HYP_IO_IN, 1, 0x3f8);
	g.run->io.data = 0x55;

	run_expect_io(_metadata, &g, OHV_HYP_IO_OUT, 1, 0x3f8);
	EXPECT_EQ(0x56, g.run->io.data);

	run_expect_io(_metadata, &g, OHV_HYP_IO_OUT, 2, 0x3f8);
	EXPECT_EQ(0x1234, g.run->io.data);

	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_RUN, 0));
	EXPECT_EQ(OHV_HYP_EXIT_HLT, g.run->exit_reason);
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_GET_REGS, &r));
	EXPECT_EQ(sizeof(code), r.rip);
	EXPECT_EQ(0x1234, r.rax & 0xffff);
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_GET_SREGS, &s));
	EXPECT_EQ(CODE_GPA >> 4, s.cs.selector);
	guest_destroy(&g);
}

TEST(long_mode_cpuid_msr_io)
{
	static const __u8 code[] = {
		0xba, 0xf8, 0x03, 0x00, 0x00,	/* mov edx, 0x3f8 */
		0xb8, 0xef, 0xbe, 0xad, 0xde,	/* mov eax, 0xdeadbeef */
		0xef,				/* out dx, eax */
		0xb8, 0x01, 0x00, 0x00, 0x00,	/* mov eax, 1 */
		0x0f, 0xa2,			/* cpuid */
		0x89, 0xc8,			/* mov eax, ecx */
		0xba, 0xf8, 0x03, 0x00, 0x00,	/* mov edx, 0x3f8 */
		0xef,				/* out dx, eax */
		0x89, 0xd8,			/* mov eax, ebx */
		0xef,				/* out dx, eax */
		0xb9, 0x1b, 0x00, 0x00, 0x00,	/* mov ecx, 0x1b */
		0x0f, 0x32,			/* rdmsr */
		0xba, 0xf8, 0x03, 0x00, 0x00,	/* mov edx, 0x3f8 */
		0xef,				/* out dx, eax */
		0xec,				/* in al, dx */
		0xf4,				/* hlt */
	};
	struct ohv_hyp_regs r;
	struct guest g;

	ASSERT_EQ(0, guest_create(&g));
	ASSERT_EQ(0, guest_long_mode(&g, code, sizeof(code)));

	run_expect_io(_metadata, &g, OHV_HYP_IO_OUT, 4, 0x3f8);
	EXPECT_EQ(0xdeadbeef, g.run->io.data);

	/* CPUID.1:ECX: hypervisor, x2APIC, TSC-deadline on; VMX/SVM-ish off. */
	run_expect_io(_metadata, &g, OHV_HYP_IO_OUT, 4, 0x3f8);
	EXPECT_TRUE(g.run->io.data & (1U << 31));
	EXPECT_TRUE(g.run->io.data & (1U << 21));
	EXPECT_TRUE(g.run->io.data & (1U << 24));
	EXPECT_FALSE(g.run->io.data & (1U << 5));	/* VMX */
	EXPECT_FALSE(g.run->io.data & (1U << 3));	/* MONITOR */
	EXPECT_FALSE(g.run->io.data & (1U << 26));	/* XSAVE */

	/* CPUID.1:EBX[31:24] = APIC ID of VP 0. */
	run_expect_io(_metadata, &g, OHV_HYP_IO_OUT, 4, 0x3f8);
	EXPECT_EQ(0, g.run->io.data >> 24);

	/* APIC base: 0xfee00000 | EN | EXTD | BSP. */
	run_expect_io(_metadata, &g, OHV_HYP_IO_OUT, 4, 0x3f8);
	EXPECT_EQ(0xfee00d00, g.run->io.data);

	run_expect_io(_metadata, &g, OHV_HYP_IO_IN, 1, 0x3f8);
	g.run->io.data = 0xab;

	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_RUN, 0));
	EXPECT_EQ(OHV_HYP_EXIT_HLT, g.run->exit_reason);
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_GET_REGS, &r));
	/* IN AL only replaces the low byte. */
	EXPECT_EQ(0xfee00dab, r.rax);
	EXPECT_EQ(CODE_GPA + sizeof(code), r.rip);
	guest_destroy(&g);
}

TEST(unknown_msr_triple_faults)
{
	static const __u8 code[] = {
		0xb9, 0x78, 0x56, 0x34, 0x12,	/* mov ecx, 0x12345678 */
		0x0f, 0x32,			/* rdmsr: #GP, no IDT */
		0xf4,
	};
	struct guest g;

	ASSERT_EQ(0, guest_create(&g));
	ASSERT_EQ(0, guest_long_mode(&g, code, sizeof(code)));
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_RUN, 0));
	EXPECT_EQ(OHV_HYP_EXIT_SHUTDOWN, g.run->exit_reason);
	EXPECT_EQ(-1, ioctl(g.vp, OHV_HYP_RUN, 0));
	EXPECT_EQ(EIO, errno);
	guest_destroy(&g);
}

TEST(memory_fault_outside_slots)
{
	static const __u8 code[] = {
		0xb8, 0x00, 0x00, 0x00, 0x20,	/* mov eax, 0x20000000 */
		0xc6, 0x00, 0x01,		/* mov byte [rax], 1 */
		0xf4,
	};
	struct guest g;

	ASSERT_EQ(0, guest_create(&g));
	ASSERT_EQ(0, guest_long_mode(&g, code, sizeof(code)));
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_RUN, 0));
	ASSERT_EQ(OHV_HYP_EXIT_MEMORY_FAULT, g.run->exit_reason);
	EXPECT_EQ(0x20000000, g.run->memory.gpa);
	EXPECT_TRUE(g.run->memory.flags & OHV_HYP_MEMORY_FAULT_WRITE);
	guest_destroy(&g);
}

TEST(hypercall_exit)
{
	static const __u8 code[] = {
		0xb9, 0x11, 0x00, 0x00, 0x00,	/* mov ecx, 0x11 */
		0x0f, 0x01, 0xd9,		/* vmmcall */
		0xf4,
	};
	struct ohv_hyp_regs r;
	struct guest g;

	ASSERT_EQ(0, guest_create(&g));
	ASSERT_EQ(0, guest_long_mode(&g, code, sizeof(code)));
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_RUN, 0));
	ASSERT_EQ(OHV_HYP_EXIT_HYPERCALL, g.run->exit_reason);
	EXPECT_EQ(0x11, g.run->hypercall.rcx);
	g.run->hypercall.result = 0x777;
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_RUN, 0));
	EXPECT_EQ(OHV_HYP_EXIT_HLT, g.run->exit_reason);
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_GET_REGS, &r));
	EXPECT_EQ(0x777, r.rax);
	guest_destroy(&g);
}

/*
 * x2APIC timer: TSC-deadline mode, vector 0x40, interrupt handler does
 * OUT 0x40 and the main code HLTs with IF = 1 waiting for it.
 */
TEST(lapic_tsc_deadline_interrupt)
{
	static const __u8 code[] = {
		/* lvt timer = TSC-deadline | vector 0x40 */
		0xb9, 0x32, 0x08, 0x00, 0x00,	/* mov ecx, 0x832 */
		0xb8, 0x40, 0x00, 0x04, 0x00,	/* mov eax, 0x40040 */
		0x31, 0xd2,			/* xor edx, edx */
		0x0f, 0x30,			/* wrmsr */
		0x0f, 0x31,			/* rdtsc */
		0x05, 0x00, 0x00, 0x10, 0x00,	/* add eax, 0x100000 */
		0x83, 0xd2, 0x00,		/* adc edx, 0 */
		0xb9, 0xe0, 0x06, 0x00, 0x00,	/* mov ecx, 0x6e0 */
		0x0f, 0x30,			/* wrmsr */
		0xfb,				/* sti */
		0xf4,				/* hlt: sleeps in the kernel */
		0xfa,				/* cli */
		0xf4,				/* hlt: exit to user */
	};
	static const __u8 isr[] = {
		0xba, 0x40, 0x00, 0x00, 0x00,	/* mov edx, 0x40 */
		0xee,				/* out dx, al */
		0xb9, 0x0b, 0x08, 0x00, 0x00,	/* mov ecx, 0x80b (EOI) */
		0x31, 0xc0,			/* xor eax, eax */
		0x31, 0xd2,			/* xor edx, edx */
		0x0f, 0x30,			/* wrmsr */
		0x48, 0xcf,			/* iretq */
	};
	const __u64 isr_gpa = 0x20000, idt_gpa = 0x1000;
	__u64 *idt;
	struct ohv_hyp_sregs s;
	struct guest g;

	ASSERT_EQ(0, guest_create(&g));
	ASSERT_EQ(0, guest_long_mode(&g, code, sizeof(code)));
	memcpy(g.mem + isr_gpa, isr, sizeof(isr));
	/* 64-bit interrupt gate for vector 0x40, selector 8. */
	idt = (__u64 *)(g.mem + idt_gpa) + 0x40 * 2;
	idt[0] = (isr_gpa & 0xffff) | (8 << 16) | (0x8eULL << 40) |
		 ((isr_gpa >> 16) & 0xffff) << 48;
	idt[1] = isr_gpa >> 32;
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_GET_SREGS, &s));
	s.idt.base = idt_gpa;
	s.idt.limit = 256 * 16 - 1;
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_SET_SREGS, &s));

	run_expect_io(_metadata, &g, OHV_HYP_IO_OUT, 1, 0x40);
	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_RUN, 0));
	EXPECT_EQ(OHV_HYP_EXIT_HLT, g.run->exit_reason);
	guest_destroy(&g);
}

/*
 * SMP bring-up: VP 0 (long mode) sends INIT and a startup IPI with vector
 * 0x20 to APIC ID 1; VP 1 then runs real-mode code at 0x20000 that writes
 * to port 0x3f9.
 */
static void *run_ap(void *arg)
{
	struct guest *g = arg;

	g->run->exit_reason = OHV_HYP_EXIT_NONE;
	if (ioctl(g->vp, OHV_HYP_RUN, 0))
		g->run->exit_reason = 0xdead;
	return NULL;
}

TEST(init_sipi_starts_ap)
{
	static const __u8 bsp[] = {
		0xb9, 0x30, 0x08, 0x00, 0x00,	/* mov ecx, 0x830 (ICR) */
		0xba, 0x01, 0x00, 0x00, 0x00,	/* mov edx, 1 (dest) */
		0xb8, 0x00, 0x45, 0x00, 0x00,	/* mov eax, 0x4500 (INIT) */
		0x0f, 0x30,			/* wrmsr */
		0xb8, 0x20, 0x06, 0x00, 0x00,	/* mov eax, 0x620 (SIPI) */
		0x0f, 0x30,			/* wrmsr */
		0xf4,				/* hlt */
	};
	static const __u8 ap[] = {
		0xba, 0xf9, 0x03,		/* mov dx, 0x3f9 */
		0xb0, 0x01,			/* mov al, 1 */
		0xee,				/* out dx, al */
		0xf4,				/* hlt */
	};
	struct guest g;
	struct guest apg;
	pthread_t t;

	ASSERT_EQ(0, guest_create(&g));
	ASSERT_EQ(0, guest_long_mode(&g, bsp, sizeof(bsp)));
	memcpy(g.mem + 0x20000, ap, sizeof(ap));

	apg = g;
	apg.vp = ioctl(g.part, OHV_HYP_CREATE_VP, 1);
	ASSERT_LE(0, apg.vp);
	apg.run = mmap(NULL, OHV_HYP_RUN_MMAP_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED, apg.vp, 0);
	ASSERT_NE(MAP_FAILED, apg.run);
	/* The AP waits for SIPI inside RUN. */
	ASSERT_EQ(0, pthread_create(&t, NULL, run_ap, &apg));

	ASSERT_EQ(0, ioctl(g.vp, OHV_HYP_RUN, 0));
	EXPECT_EQ(OHV_HYP_EXIT_HLT, g.run->exit_reason);
	pthread_join(t, NULL);
	ASSERT_EQ(OHV_HYP_EXIT_IO, apg.run->exit_reason);
	EXPECT_EQ(0x3f9, apg.run->io.port);
	EXPECT_EQ(1, apg.run->io.data);
	munmap(apg.run, OHV_HYP_RUN_MMAP_SIZE);
	close(apg.vp);
	guest_destroy(&g);
}

/* ---- observability ------------------------------------------------------ */

/* Finds <debugfs>/ohv_hyp/<partition>/vp0/exits and the "io" count in it. */
static long debugfs_io_exits(void)
{
	const char *base = "/sys/kernel/debug/ohv_hyp";
	char path[512], name[32];
	long count = -1, n;
	struct dirent *de;
	DIR *d = opendir(base);
	FILE *f;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/vp0/exits", base, de->d_name);
		f = fopen(path, "r");
		while (f && fscanf(f, "%31s %ld", name, &n) == 2) {
			if (!strcmp(name, "io"))
				count = n;
		}
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return count;
}

TEST(debugfs_counts_exits)
{
	static const __u8 code[] = {
		0xba, 0xf8, 0x03,	/* mov dx, 0x3f8 */
		0xee,			/* out dx, al */
		0xee,			/* out dx, al */
		0xf4,			/* hlt */
	};
	struct guest g;

	if (access("/sys/kernel/debug/ohv_hyp", F_OK))
		SKIP(return, "debugfs not mounted");
	ASSERT_EQ(0, guest_create(&g));
	ASSERT_EQ(0, guest_real_mode(&g, code, sizeof(code)));
	EXPECT_EQ(0, debugfs_io_exits());
	run_expect_io(_metadata, &g, OHV_HYP_IO_OUT, 1, 0x3f8);
	run_expect_io(_metadata, &g, OHV_HYP_IO_OUT, 1, 0x3f8);
	EXPECT_EQ(2, debugfs_io_exits());
	guest_destroy(&g);
	/* The directory goes with the partition. */
	EXPECT_EQ(-1, debugfs_io_exits());
}

/* ---- concurrency and teardown ------------------------------------------ */

static void noop_handler(int sig)
{
}

struct runner {
	int vp;
	int ret;
	int err;
};

static void *run_thread(void *arg)
{
	struct runner *r = arg;

	r->ret = ioctl(r->vp, OHV_HYP_RUN, 0);
	r->err = errno;
	return NULL;
}

static const __u8 spin_code[] = { 0xeb, 0xfe };	/* jmp $ */

static void start_spinner(struct __test_metadata *_metadata, struct guest *g,
			  struct runner *r, pthread_t *t)
{
	struct sigaction sa = { .sa_handler = noop_handler };

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, guest_create(g));
	ASSERT_EQ(0, guest_real_mode(g, spin_code, sizeof(spin_code)));
	r->vp = g->vp;
	ASSERT_EQ(0, pthread_create(t, NULL, run_thread, r));
	/* Let the thread get into the guest. */
	usleep(500 * 1000);
}

TEST(same_vp_two_threads)
{
	struct runner r = { 0 };
	struct guest g;
	pthread_t t;

	start_spinner(_metadata, &g, &r, &t);
	EXPECT_EQ(-1, ioctl(g.vp, OHV_HYP_RUN, 0));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, ioctl(g.vp, OHV_HYP_GET_REGS, &(struct ohv_hyp_regs){}));
	EXPECT_EQ(EBUSY, errno);

	/* A signal gets the runner out with EINTR. */
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINTR, r.err);
	EXPECT_EQ(OHV_HYP_EXIT_INTR, g.run->exit_reason);
	guest_destroy(&g);
}

static long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/ohv_hyp/refcnt", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

TEST(close_with_vp_running)
{
	long before = module_refcnt();
	struct runner r = { 0 };
	struct guest g;
	pthread_t t;

	ASSERT_LE(0, before);
	start_spinner(_metadata, &g, &r, &t);
	EXPECT_LT(before, module_refcnt());
	/* Closing every fd while the guest spins must not stop or crash it. */
	guest_destroy(&g);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	EXPECT_EQ(EINTR, r.err);
	/* The last reference went with the RUN call: all is freed now. */
	EXPECT_EQ(before, module_refcnt());
}

TEST(sigkill_with_vp_running)
{
	long before = module_refcnt();
	int status;
	pid_t pid;

	ASSERT_LE(0, before);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct guest g;

		if (guest_create(&g) ||
		    guest_real_mode(&g, spin_code, sizeof(spin_code)))
			_exit(1);
		ioctl(g.vp, OHV_HYP_RUN, 0);
		_exit(2);
	}
	usleep(700 * 1000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(before, module_refcnt());
}

TEST_HARNESS_MAIN
