/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ohv_hyp user-space interface: the in-kernel hypervisor.
 *
 * Object model (all objects are file descriptors, all are released on
 * close; a process killed with SIGKILL leaks nothing):
 *
 *   /dev/ohv-hyp              system fd: version query, partition creation
 *     `- partition fd         guest memory slots, VP creation
 *          `- VP fd           registers, run, mmap of struct ohv_hyp_run
 *
 * Every fd holds a reference on the module, so the module cannot be
 * unloaded while any partition is alive.
 *
 * Typical use:
 *   sys = open("/dev/ohv-hyp", O_RDWR | O_CLOEXEC);
 *   ioctl(sys, OHV_HYP_GET_API_VERSION, 0) == OHV_HYP_API_VERSION;
 *   part = ioctl(sys, OHV_HYP_CREATE_PARTITION, 0);
 *   mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
 *              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
 *   ioctl(part, OHV_HYP_SET_MEMSLOT, &(struct ohv_hyp_memslot){
 *         .slot = 0, .guest_phys_addr = 0, .size = size,
 *         .userspace_addr = (__u64)mem });
 *   vp = ioctl(part, OHV_HYP_CREATE_VP, 0);
 *   run = mmap(NULL, OHV_HYP_RUN_MMAP_SIZE, PROT_READ | PROT_WRITE,
 *              MAP_SHARED, vp, 0);
 *   ioctl(vp, OHV_HYP_SET_SREGS, &sregs);
 *   ioctl(vp, OHV_HYP_SET_REGS, &regs);
 *   for (;;) {
 *       if (ioctl(vp, OHV_HYP_RUN, 0) < 0 && errno == EINTR)
 *           continue;            // a signal arrived; nothing was lost
 *       switch (run->exit_reason) { ... }
 *   }
 */
#ifndef _UAPI_OHV_HYP_H
#define _UAPI_OHV_HYP_H

#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * Bumped on any incompatible change. Compatible additions (new ioctls,
 * new exit reasons, use of reserved fields) do not change it.
 */
#define OHV_HYP_API_VERSION	1

/* Device node of the system fd. */
#define OHV_HYP_DEVICE_PATH	"/dev/ohv-hyp"

/* Limits (also enforced by the kernel). */
#define OHV_HYP_MAX_VPS		64	/* VP index range is [0, 64) */
#define OHV_HYP_MAX_MEMSLOTS	32	/* slot ids are [0, 32) */
/* Total guest memory per partition, in 4 KiB pages (64 GiB). */
#define OHV_HYP_MAX_GUEST_PAGES	(1ULL << 24)
/* Highest guest physical address + 1 (48-bit guest physical space). */
#define OHV_HYP_MAX_GPA		(1ULL << 48)

/* Size of the VP fd mapping that holds struct ohv_hyp_run (offset 0). */
#define OHV_HYP_RUN_MMAP_SIZE	4096

#define OHV_HYP_IOC_MAGIC	0xB9

/* ---- system fd (/dev/ohv-hyp) ---------------------------------------- */

/* Returns OHV_HYP_API_VERSION. The argument must be 0. */
#define OHV_HYP_GET_API_VERSION	_IO(OHV_HYP_IOC_MAGIC, 0x00)

/*
 * Creates a partition and returns its fd (O_CLOEXEC). The argument must
 * be 0 (-EINVAL otherwise). The partition has no memory and no VPs.
 */
#define OHV_HYP_CREATE_PARTITION	_IO(OHV_HYP_IOC_MAGIC, 0x01)

/*
 * Returns the TSC frequency in kHz that guests see (the host's; guest
 * RDTSC is not offset or scaled). The argument must be 0. A worker that
 * gives the guest no PIT can pass it as "tsc_early_khz=" to Linux.
 */
#define OHV_HYP_GET_TSC_KHZ	_IO(OHV_HYP_IOC_MAGIC, 0x02)

/* ---- partition fd ---------------------------------------------------- */

/*
 * A guest memory slot: @size bytes of the caller's memory at
 * @userspace_addr appear to the guest at @guest_phys_addr.
 *
 * The memory must be ordinary private anonymous (or shmem) memory, read-
 * and writable; it is pinned (long-term) until the slot is removed or the
 * partition is closed. The caller must keep the mapping in place: the
 * guest keeps using the pinned pages even if user space unmaps them.
 *
 * A slot cannot be changed in place: remove it and set it again. Slots
 * can only change while no VP of the partition runs (-EBUSY otherwise).
 *
 * Errors of OHV_HYP_SET_MEMSLOT:
 *   -EINVAL  @slot >= OHV_HYP_MAX_MEMSLOTS, @flags != 0, @size == 0,
 *            any address or the size not 4 KiB aligned, the GPA range
 *            wraps or ends above OHV_HYP_MAX_GPA, or it overlaps another
 *            slot's GPA range.
 *   -EEXIST  @slot is already in use (remove it first).
 *   -E2BIG   the partition would exceed OHV_HYP_MAX_GUEST_PAGES.
 *   -EFAULT  the user range is not fully mapped read/write.
 *   -ENOMEM  out of kernel memory.
 *   -EBUSY   a VP of the partition is running.
 */
struct ohv_hyp_memslot {
	__u32 slot;		/* slot id, [0, OHV_HYP_MAX_MEMSLOTS) */
	__u32 flags;		/* must be 0 */
	__u64 guest_phys_addr;	/* 4 KiB aligned */
	__u64 size;		/* bytes, 4 KiB multiple, non-zero */
	__u64 userspace_addr;	/* 4 KiB aligned */
};

#define OHV_HYP_SET_MEMSLOT	_IOW(OHV_HYP_IOC_MAGIC, 0x10, struct ohv_hyp_memslot)

/*
 * Removes slot number *(__u32 *)arg and unpins its pages.
 * -EINVAL for an out-of-range id, -ENOENT if the slot is not in use,
 * -EBUSY while a VP of the partition is running.
 */
#define OHV_HYP_REMOVE_MEMSLOT	_IOW(OHV_HYP_IOC_MAGIC, 0x11, __u32)

/*
 * Creates VP number @arg (passed by value) and returns its fd
 * (O_CLOEXEC). -EINVAL if @arg >= OHV_HYP_MAX_VPS, -EEXIST if it exists.
 * VP 0 is the bootstrap processor. The VP starts in the x86 reset state
 * (real mode, CS:IP = F000:FFF0) with its x2APIC enabled:
 * APIC base = 0xFEE00000 | EN | EXTD (| BSP for VP 0), APIC ID = VP index.
 * VP 0 is runnable at once; the others wait for INIT + startup IPI from
 * another VP (RUN sleeps until then), like application processors.
 * OHV_HYP_SET_REGS makes any VP runnable at the registers given.
 *
 * The guest sees the host TSC (no offset), an x2APIC whose timer runs in
 * one-shot, periodic (1 GHz bus clock) and TSC-deadline modes, a filtered
 * CPUID, and the Hyper-V signature ("Microsoft Hv") with the hypercall,
 * VP index, TSC/APIC frequency and TSC-invariance MSRs, so a Linux guest
 * keeps the x2APIC and knows its clock rates without calibrating them.
 * Every hypercall is passed to user space (OHV_HYP_EXIT_HYPERCALL).
 */
#define OHV_HYP_CREATE_VP	_IO(OHV_HYP_IOC_MAGIC, 0x12)

/*
 * Requests a fixed interrupt @vector on the VP whose APIC ID is @apic_id
 * (edge triggered, like an MSI). -EINVAL for vector < 16 or no such VP.
 * The VP is woken if it is halted.
 */
struct ohv_hyp_interrupt {
	__u32 apic_id;
	__u32 vector;
};

#define OHV_HYP_INTERRUPT	_IOW(OHV_HYP_IOC_MAGIC, 0x13, struct ohv_hyp_interrupt)

/* ---- VP fd ----------------------------------------------------------- */

/*
 * Runs the VP until an exit that user space must handle; the reason is in
 * the mapped struct ohv_hyp_run. Returns 0 on such an exit, or:
 *   -EINTR   a signal is pending (run->exit_reason = OHV_HYP_EXIT_INTR);
 *            call again to continue, no guest state is lost. This is also
 *            how another thread kicks a running VP back to user space:
 *            send its thread a signal that has a (no-op) handler.
 *   -EBUSY   another thread is already running this VP.
 *   -ENOMEM  the partition has no memory slot.
 *   -EIO     the VP hit a fatal exit earlier (SHUTDOWN or INTERNAL_ERROR)
 *            and cannot run until its registers are set again.
 * The argument must be 0.
 */
#define OHV_HYP_RUN		_IO(OHV_HYP_IOC_MAGIC, 0x20)

/* General purpose registers, RIP and RFLAGS. */
struct ohv_hyp_regs {
	__u64 rax, rbx, rcx, rdx;
	__u64 rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11;
	__u64 r12, r13, r14, r15;
	__u64 rip, rflags;
};

#define OHV_HYP_GET_REGS	_IOR(OHV_HYP_IOC_MAGIC, 0x21, struct ohv_hyp_regs)
#define OHV_HYP_SET_REGS	_IOW(OHV_HYP_IOC_MAGIC, 0x22, struct ohv_hyp_regs)

/*
 * A segment register. @attributes uses the descriptor layout compressed
 * to 12 bits: bits 0-3 type, 4 S, 5-6 DPL, 7 P, 8 AVL, 9 L, 10 D/B, 11 G.
 * A segment with P = 0 is unusable.
 */
struct ohv_hyp_segment {
	__u64 base;
	__u32 limit;		/* in bytes, already scaled by G */
	__u16 selector;
	__u16 attributes;
};

#define OHV_HYP_SEG_TYPE(a)	((a) & 0xf)
#define OHV_HYP_SEG_S		(1u << 4)
#define OHV_HYP_SEG_DPL(d)	(((d) & 3u) << 5)
#define OHV_HYP_SEG_P		(1u << 7)
#define OHV_HYP_SEG_AVL		(1u << 8)
#define OHV_HYP_SEG_L		(1u << 9)
#define OHV_HYP_SEG_DB		(1u << 10)
#define OHV_HYP_SEG_G		(1u << 11)

/* GDTR/IDTR. */
struct ohv_hyp_dtable {
	__u64 base;
	__u32 limit;
	__u32 reserved;		/* must be 0 */
};

/*
 * System registers. SET_SREGS checks CR0/CR4/EFER for architecturally
 * invalid combinations (-EINVAL). @apic_base is read-only here: its value
 * on SET is ignored. EFER.SVME is owned by the hypervisor and hidden.
 */
struct ohv_hyp_sregs {
	struct ohv_hyp_segment cs, ds, es, fs, gs, ss, tr, ldt;
	struct ohv_hyp_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, efer;
	__u64 apic_base;
	__u64 reserved[8];	/* must be 0 on SET */
};

#define OHV_HYP_GET_SREGS	_IOR(OHV_HYP_IOC_MAGIC, 0x23, struct ohv_hyp_sregs)
#define OHV_HYP_SET_SREGS	_IOW(OHV_HYP_IOC_MAGIC, 0x24, struct ohv_hyp_sregs)

/* ---- shared run structure (mmap of the VP fd, offset 0) ---------------- */

enum ohv_hyp_exit_reason {
	OHV_HYP_EXIT_NONE		= 0,	/* VP has not run yet */
	/* IN/OUT to a port; see run->io. */
	OHV_HYP_EXIT_IO			= 1,
	/*
	 * HLT with RFLAGS.IF = 0 and nothing pending: the VP can never wake
	 * up (how Linux powers off without a power-off handler). Running
	 * again resumes after the HLT. (HLT with IF = 1 is handled in the
	 * kernel: the VP sleeps until an interrupt or a signal.)
	 */
	OHV_HYP_EXIT_HLT		= 2,
	/* Triple fault / shutdown. The VP cannot run until SET_REGS. */
	OHV_HYP_EXIT_SHUTDOWN		= 3,
	/* Access to a GPA outside every memory slot; see run->memory. */
	OHV_HYP_EXIT_MEMORY_FAULT	= 4,
	/* Something the hypervisor could not handle; see run->internal. */
	OHV_HYP_EXIT_INTERNAL_ERROR	= 5,
	/* RUN returned -EINTR because of a pending signal. */
	OHV_HYP_EXIT_INTR		= 6,
	/*
	 * VMMCALL/VMCALL that the hypervisor does not handle itself; see
	 * run->hypercall. RIP already points past the call; the value user
	 * space leaves in run->hypercall.result is loaded into RAX on the
	 * next RUN (SET_REGS before it cancels that).
	 */
	OHV_HYP_EXIT_HYPERCALL		= 7,
};

/* run->internal.suberror */
enum ohv_hyp_internal_error {
	/* Unexpected hardware exit; data[0] = vendor exit code. */
	OHV_HYP_INTERNAL_UNHANDLED_EXIT	= 1,
	/* The CPU refused the VP state at entry (e.g. bad CR/EFER/segments). */
	OHV_HYP_INTERNAL_INVALID_STATE	= 2,
	/* String or REP I/O instruction; data[0] = port, data[1] = info. */
	OHV_HYP_INTERNAL_UNSUPPORTED_IO	= 3,
	/* Fault while delivering an event; data[0] = vector info. */
	OHV_HYP_INTERNAL_DELIVERY	= 4,
};

#define OHV_HYP_IO_IN		0
#define OHV_HYP_IO_OUT		1

struct ohv_hyp_run {
	__u32 exit_reason;	/* enum ohv_hyp_exit_reason */
	__u32 flags;		/* reserved, 0 */
	__u64 rip;		/* guest RIP at the exit (informational) */
	__u64 reserved[6];
	union {
		/*
		 * OHV_HYP_EXIT_IO: RIP already points past the instruction.
		 * For OUT, @data holds the @size low bytes written. For IN,
		 * user space stores the value read into @data before the
		 * next RUN, which merges the @size low bytes into RAX (a
		 * 4-byte IN zero-extends, as in hardware). SET_REGS before
		 * that RUN cancels the merge.
		 */
		struct {
			__u8 direction;	/* OHV_HYP_IO_IN / OHV_HYP_IO_OUT */
			__u8 size;	/* 1, 2 or 4 */
			__u16 port;
			__u32 reserved;
			__u64 data;
		} io;
		/* OHV_HYP_EXIT_MEMORY_FAULT */
		struct {
			__u64 gpa;
			__u64 flags;	/* OHV_HYP_MEMORY_FAULT_* */
		} memory;
		/* OHV_HYP_EXIT_INTERNAL_ERROR */
		struct {
			__u32 suberror;	/* enum ohv_hyp_internal_error */
			__u32 reserved;
			__u64 data[4];
		} internal;
		/* OHV_HYP_EXIT_HYPERCALL: guest RAX, RBX, RCX, RDX, R8 */
		struct {
			__u64 rax, rbx, rcx, rdx, r8;
			__u64 result;	/* set by user space, goes to RAX */
		} hypercall;
		__u8 pad[256];
	};
};

#define OHV_HYP_MEMORY_FAULT_WRITE	(1ULL << 1)
#define OHV_HYP_MEMORY_FAULT_EXEC	(1ULL << 4)

#endif /* _UAPI_OHV_HYP_H */
