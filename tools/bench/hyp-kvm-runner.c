// SPDX-License-Identifier: GPL-2.0
/*
 * hyp-kvm-runner: runs one flat test guest of tools/ohv-vm/guests on KVM,
 * with the same start state ohv-vm gives it (64-bit mode, the worker's GDT,
 * TSS and identity map from cpu_boot.c, image at 1 MiB, RDI = --raw-arg),
 * so the hypercall benchmark can be compared with ohv_hyp.
 *
 *   hyp-kvm-runner GUEST.bin [ITERATIONS]   run it; exit status = guest's
 *   hyp-kvm-runner --hold SECONDS           create a VM (KVM turns on
 *                                           SVM/VMX) and keep it SECONDS
 *
 * The guest's 0xe9 console goes to stdout; a write to port 0xf4 ends the
 * run with that value as exit status; port 0x80 writes are counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "cpu_boot.h"
#include "guest_mem.h"
#include "layout.h"

#define GUEST_RAM	(64ULL << 20)
#define IMAGE_GPA	0x100000ULL
#define PORT_DEBUGCON	0xe9
#define PORT_TEST_EXIT	0xf4
#define PORT_POST	0x80
#define MAX_CPUID	100

static void die(const char *what)
{
	fprintf(stderr, "hyp-kvm-runner: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void to_kvm_seg(struct kvm_segment *k, const struct ohv_hyp_segment *s)
{
	u16 a = s->attributes;

	memset(k, 0, sizeof(*k));
	k->base = s->base;
	k->limit = s->limit;
	k->selector = s->selector;
	k->type = OHV_HYP_SEG_TYPE(a);
	k->s = !!(a & OHV_HYP_SEG_S);
	k->dpl = (a >> 5) & 3;
	k->present = !!(a & OHV_HYP_SEG_P);
	k->avl = !!(a & OHV_HYP_SEG_AVL);
	k->l = !!(a & OHV_HYP_SEG_L);
	k->db = !!(a & OHV_HYP_SEG_DB);
	k->g = !!(a & OHV_HYP_SEG_G);
	k->unusable = !k->present;
}

static void set_state(int vcpu, u64 arg)
{
	struct ohv_hyp_sregs os;
	struct ohv_hyp_regs or;
	struct kvm_sregs ks;
	struct kvm_regs kr;

	if (ioctl(vcpu, KVM_GET_SREGS, &ks))
		die("KVM_GET_SREGS");
	ohv_cpu_long_mode_sregs(&os);
	to_kvm_seg(&ks.cs, &os.cs);
	to_kvm_seg(&ks.ds, &os.ds);
	to_kvm_seg(&ks.es, &os.es);
	to_kvm_seg(&ks.fs, &os.fs);
	to_kvm_seg(&ks.gs, &os.gs);
	to_kvm_seg(&ks.ss, &os.ss);
	to_kvm_seg(&ks.tr, &os.tr);
	to_kvm_seg(&ks.ldt, &os.ldt);
	ks.gdt.base = os.gdt.base;
	ks.gdt.limit = os.gdt.limit;
	ks.idt.base = os.idt.base;
	ks.idt.limit = os.idt.limit;
	ks.cr0 = os.cr0;
	ks.cr3 = os.cr3;
	ks.cr4 = os.cr4;
	ks.efer = os.efer;
	if (ioctl(vcpu, KVM_SET_SREGS, &ks))
		die("KVM_SET_SREGS");

	ohv_cpu_entry_regs(&or, IMAGE_GPA, 0, arg, OHV_RAW_STACK_TOP);
	memset(&kr, 0, sizeof(kr));
	kr.rip = or.rip;
	kr.rsp = or.rsp;
	kr.rdi = or.rdi;
	kr.rsi = or.rsi;
	kr.rflags = or.rflags;
	if (ioctl(vcpu, KVM_SET_REGS, &kr))
		die("KVM_SET_REGS");
}

static void set_cpuid(int kvm, int vcpu)
{
	struct kvm_cpuid2 *c;

	c = calloc(1, sizeof(*c) + MAX_CPUID * sizeof(c->entries[0]));
	if (!c)
		die("calloc");
	c->nent = MAX_CPUID;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c))
		die("KVM_GET_SUPPORTED_CPUID");
	if (ioctl(vcpu, KVM_SET_CPUID2, c))
		die("KVM_SET_CPUID2");
	free(c);
}

static int load_image(struct ohv_guest_mem *mem, const char *path)
{
	static u8 buf[1 << 20];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		die("read image");
	return ohv_mem_write(mem, IMAGE_GPA, buf, n);
}

static int run(int vcpu, struct kvm_run *r)
{
	unsigned long post = 0;
	u8 *data;

	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) && errno != EINTR)
			die("KVM_RUN");
		if (r->exit_reason != KVM_EXIT_IO) {
			fprintf(stderr, "hyp-kvm-runner: exit reason %u\n",
				r->exit_reason);
			return 4;
		}
		data = (u8 *)r + r->io.data_offset;
		if (r->io.direction != KVM_EXIT_IO_OUT)
			continue;
		switch (r->io.port) {
		case PORT_DEBUGCON:
			fwrite(data, 1, r->io.count, stdout);
			break;
		case PORT_TEST_EXIT:
			fflush(stdout);
			fprintf(stderr, "hyp-kvm-runner: test exit %u, %lu POST writes\n",
				data[0], post);
			return data[0] ? 5 : 0;
		case PORT_POST:
			post++;
			break;
		}
	}
}

int main(int argc, char **argv)
{
	struct ohv_guest_mem mem;
	struct kvm_userspace_memory_region region;
	struct kvm_run *r;
	int kvm, vm, vcpu;
	void *ram;
	long size;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s GUEST.bin [ARG] | --hold SECONDS\n",
			argv[0]);
		return 1;
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	if (!strcmp(argv[1], "--hold")) {
		printf("hyp-kvm-runner: holding a KVM VM for %s s\n",
		       argc > 2 ? argv[2] : "0");
		fflush(stdout);
		sleep(argc > 2 ? atoi(argv[2]) : 0);
		return 0;
	}

	ram = mmap(NULL, GUEST_RAM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		die("mmap");
	if (ohv_mem_init(&mem, ram, GUEST_RAM) || ohv_cpu_write_tables(&mem) ||
	    load_image(&mem, argv[1])) {
		fprintf(stderr, "hyp-kvm-runner: cannot lay out guest memory\n");
		return 1;
	}
	region = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = 0, .memory_size = GUEST_RAM,
		.userspace_addr = (unsigned long)ram,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region))
		die("KVM_SET_USER_MEMORY_REGION");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU");
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	r = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (r == MAP_FAILED)
		die("mmap kvm_run");
	set_cpuid(kvm, vcpu);
	set_state(vcpu, argc > 2 ? strtoull(argv[2], NULL, 0) : 0);
	return run(vcpu, r);
}
