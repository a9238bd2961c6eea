/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ohv_hyp internals shared by the common core and the vendor backends.
 *
 * The common core owns partitions, memory slots, VPs, the uapi, exit
 * dispatch, CPUID/MSR policy and the x2APIC. A backend (SVM today, VMX
 * later) only knows how to turn virtualization on, build its second-level
 * page tables, enter the guest once and decode why it came back; it
 * reports that as a vendor-neutral struct ohv_exit.
 */
#ifndef _OHV_HYP_OHV_H
#define _OHV_HYP_OHV_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/kref.h>
#include <linux/wait.h>
#include <linux/hrtimer.h>
#include <kunit/visibility.h>
#include <uapi/ohv/hyp.h>

struct ohv_partition;
struct ohv_vp;
struct dentry;
struct page;

/* ---- memory slots (memslot.c) ----------------------------------------- */

/* One registered slot; @pages is NULL while the slot is unused. */
struct ohv_memslot {
	u64 gpa;		/* first guest physical address */
	u64 npages;		/* length in 4 KiB pages */
	u64 uaddr;		/* user address the pages were pinned from */
	struct page **pages;	/* pinned pages, npages entries */
};

int ohv_memslot_check(const struct ohv_memslot *slots, u64 total_pages,
		      const struct ohv_hyp_memslot *req);
bool ohv_memslot_overlaps(u64 gpa_a, u64 npages_a, u64 gpa_b, u64 npages_b);
int ohv_memslot_set(struct ohv_partition *p, const struct ohv_hyp_memslot *req);
int ohv_memslot_remove(struct ohv_partition *p, u32 slot);
void ohv_memslot_remove_all(struct ohv_partition *p);
int ohv_memslot_write(struct ohv_partition *p, u64 gpa, const void *buf,
		      size_t len);

/* ---- exits ------------------------------------------------------------ */

/* Why a VP left guest mode, as decoded by the backend. */
enum ohv_exit_kind {
	OHV_EXIT_HOST_EVENT,	/* physical interrupt/NMI: just re-enter */
	OHV_EXIT_IRQ_WINDOW,	/* guest can now take an interrupt */
	OHV_EXIT_CPUID,
	OHV_EXIT_MSR_READ,
	OHV_EXIT_MSR_WRITE,
	OHV_EXIT_IO,
	OHV_EXIT_HLT,
	OHV_EXIT_SHUTDOWN,	/* triple fault */
	OHV_EXIT_NPF,		/* nested page fault outside every slot */
	OHV_EXIT_HYPERCALL,	/* VMMCALL */
	OHV_EXIT_EXCEPTION,	/* intercepted guest exception, reflected */
	OHV_EXIT_UD,		/* instruction the guest may not use */
	OHV_EXIT_CR_WRITE,	/* control register write, done by the backend */
	OHV_EXIT_INVALID_STATE,	/* CPU refused to enter */
	OHV_EXIT_UNHANDLED,
	OHV_EXIT_NR
};

extern const char *const ohv_exit_names[OHV_EXIT_NR];

struct ohv_exit {
	enum ohv_exit_kind kind;
	u32 vendor_code;	/* raw exit code, for logs and traces */
	u32 insn_len;		/* length of the exiting instruction */
	union {
		struct {
			u16 port;
			u8 size;	/* 1, 2 or 4 */
			bool in;
			bool unsupported; /* INS/OUTS, REP: not emulated */
			u64 next_rip;
			u64 raw;	/* vendor qualification, for errors */
		} io;
		struct {
			u64 gpa;
			u64 flags;	/* OHV_HYP_MEMORY_FAULT_* */
		} npf;
		struct {
			u8 vector;
			bool has_error;
			u32 error;
		} exception;
		u64 info[2];	/* raw vendor details (unhandled exits) */
	};
};

/* ---- x2APIC (lapic.c) --------------------------------------------------- */

#define OHV_LAPIC_APIC_BASE	0xfee00000ULL
/* Emulated APIC bus clock for one-shot/periodic mode: 1 GHz, 1 tick = 1 ns. */
#define OHV_LAPIC_BUS_HZ	1000000000ULL
/* Shortest periodic timer period we honour; shorter ones are raised. */
#define OHV_LAPIC_MIN_PERIOD_NS	50000ULL

enum ohv_lapic_lvt {
	OHV_LVT_TIMER,
	OHV_LVT_THERMAL,
	OHV_LVT_PERF,
	OHV_LVT_LINT0,
	OHV_LVT_LINT1,
	OHV_LVT_ERROR,
	OHV_LVT_NR
};

enum ohv_lapic_timer_mode {
	OHV_TIMER_ONESHOT,
	OHV_TIMER_PERIODIC,
	OHV_TIMER_TSC_DEADLINE,
	OHV_TIMER_RESERVED,
};

struct ohv_lapic {
	u32 id;			/* x2APIC ID == VP index */
	u64 apic_base;		/* MSR 0x1B value (read-only) */
	u32 tpr;
	u32 svr;
	u32 esr;
	u64 icr;		/* last value written to the ICR */
	u32 lvt[OHV_LVT_NR];
	u32 tdcr;		/* timer divide configuration */
	u32 tmict;		/* timer initial count */
	u64 tsc_deadline;	/* armed deadline, 0 when not armed */
	u64 period_ns;		/* periodic mode period */
	ktime_t expires;	/* when the armed one-shot/periodic timer fires */
	struct hrtimer timer;
	/* IRR is set from timer/IPI context, so it is only changed atomically. */
	unsigned long irr[BITS_TO_LONGS(256)];
	unsigned long isr[BITS_TO_LONGS(256)];	/* VP thread only */
};

enum ohv_lapic_timer_mode ohv_lapic_timer_mode(u32 lvt_timer);
u32 ohv_lapic_divisor(u32 tdcr);
u64 ohv_lapic_count_to_ns(u32 count, u32 tdcr);
u32 ohv_lapic_ppr(u32 tpr, int isr_top);
int ohv_lapic_top_vector(const unsigned long *bitmap);
bool ohv_lapic_ipi_matches(u32 apic_id, u32 dest, bool logical);

void ohv_lapic_init(struct ohv_lapic *apic, u32 id);
void ohv_lapic_destroy(struct ohv_lapic *apic);
int ohv_lapic_read(struct ohv_vp *vp, u32 msr, u64 *val);
int ohv_lapic_write(struct ohv_vp *vp, u32 msr, u64 val);
int ohv_lapic_deadline_read(struct ohv_vp *vp, u32 msr, u64 *val);
int ohv_lapic_deadline_write(struct ohv_vp *vp, u32 msr, u64 val);
int ohv_lapic_pending_vector(struct ohv_lapic *apic);
void ohv_lapic_accept(struct ohv_lapic *apic, int vector);
void ohv_lapic_set_irr(struct ohv_vp *vp, u8 vector);

/* ---- CPUID policy (cpuid.c) ------------------------------------------- */

struct ohv_cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

/* The host CPUID source; a function so KUnit can feed a fake CPU. */
typedef void (*ohv_host_cpuid_fn)(u32 leaf, u32 subleaf,
				  struct ohv_cpuid_regs *out);

struct ohv_cpuid_ctx {
	ohv_host_cpuid_fn host;
	u32 apic_id;
	u32 tsc_khz;
};

void ohv_cpuid_compute(const struct ohv_cpuid_ctx *ctx, u32 leaf, u32 subleaf,
		       struct ohv_cpuid_regs *out);
void ohv_host_cpuid(u32 leaf, u32 subleaf, struct ohv_cpuid_regs *out);

/* ---- MSR policy (msr.c) ------------------------------------------------ */

/* Handlers return 0, or an error that becomes #GP in the guest. */
struct ohv_msr_desc {
	u32 first;
	u32 last;
	int (*read)(struct ohv_vp *vp, u32 msr, u64 *val);
	int (*write)(struct ohv_vp *vp, u32 msr, u64 val);
};

const struct ohv_msr_desc *ohv_msr_find(u32 msr);
int ohv_msr_read(struct ohv_vp *vp, u32 msr, u64 *val);
int ohv_msr_write(struct ohv_vp *vp, u32 msr, u64 val);
bool ohv_pat_valid(u64 pat);

#define OHV_PAT_DEFAULT		0x0007040600070406ULL

/* ---- VPs (vp.c) --------------------------------------------------------- */

/* Register numbers in struct ohv_vp.gpr, in x86 encoding order. */
enum ohv_gpr {
	OHV_RAX, OHV_RCX, OHV_RDX, OHV_RBX, OHV_RSP, OHV_RBP, OHV_RSI, OHV_RDI,
	OHV_R8, OHV_R9, OHV_R10, OHV_R11, OHV_R12, OHV_R13, OHV_R14, OHV_R15,
	OHV_NR_GPRS
};

enum ohv_vp_state {
	OHV_VP_RUNNABLE,
	OHV_VP_HALTED,		/* HLT with IF=1: sleeps until an interrupt */
	OHV_VP_WAIT_SIPI,	/* after INIT: sleeps until a startup IPI */
	OHV_VP_FAILED,		/* shutdown/invalid state: SET_REGS to revive */
};

/* What the next RUN must finish before entering the guest. */
enum ohv_vp_completion {
	OHV_COMPLETE_NONE,
	OHV_COMPLETE_IO_IN,	/* merge run->io.data into RAX */
	OHV_COMPLETE_HYPERCALL,	/* load run->hypercall.result into RAX */
};

/* Stored by the guest but without effect on it. */
struct ohv_vp_msrs {
	u64 mtrr_def_type;
	u64 hv_vp_assist;	/* Hyper-V VP assist page (not overlaid) */
};

struct ohv_vp {
	struct ohv_partition *part;
	u32 index;
	struct ohv_hyp_run *run;	/* shared page, mmap()ed by user */
	struct page *run_page;
	/* Held while the VP runs or its registers are accessed. */
	struct mutex run_lock;
	u64 gpr[OHV_NR_GPRS];		/* RAX/RSP also live in the VMCB */
	u64 rip;
	u64 rflags;
	void *fpu;			/* 512-byte FXSAVE image */
	enum ohv_vp_state state;
	enum ohv_vp_completion completion;
	u8 completion_size;		/* IN width, for the RAX merge */
	bool exception_pending;
	u8 exception_vector;
	bool exception_has_error;
	u32 exception_error;
	/* INIT/SIPI requests from other VPs, consumed by this VP's thread. */
	unsigned long ipi_requests;
	u8 sipi_vector;
	struct ohv_vp_msrs msrs;
	struct ohv_lapic lapic;
	/*
	 * The thread running the VP, set only between "about to enter the
	 * guest" and "exited", so others know whom to kick out of the guest.
	 */
	struct task_struct *guest_task;
	wait_queue_head_t wq;		/* halted/wait-for-SIPI sleepers */
	u64 exits[OHV_EXIT_NR];
	struct dentry *debugfs;
	void *arch;			/* backend private */
};

#define OHV_IPI_INIT	0
#define OHV_IPI_SIPI	1

int ohv_vp_create(struct ohv_partition *p, unsigned long index);
void ohv_vp_kick(struct ohv_vp *vp);
void ohv_vp_queue_exception(struct ohv_vp *vp, u8 vector, bool has_error,
			    u32 error);

/* ---- Hyper-V synthetic MSRs (synth.c) ---------------------------------- */

/* Partition-wide synthetic MSRs; written by any VP, so under a lock. */
struct ohv_synth {
	spinlock_t lock;	/* guards the fields below */
	u64 guest_os_id;	/* HV_X64_MSR_GUEST_OS_ID */
	u64 hypercall;		/* HV_X64_MSR_HYPERCALL */
	u64 tsc_invariant;	/* HV_X64_MSR_TSC_INVARIANT_CONTROL */
};

int ohv_synth_read(struct ohv_vp *vp, u32 msr, u64 *val);
int ohv_synth_write(struct ohv_vp *vp, u32 msr, u64 val);
void ohv_synth_hypercall_stub(u8 *buf, size_t len);

/* ---- partitions (partition.c) ------------------------------------------ */

struct ohv_partition {
	u32 id;
	struct kref ref;	/* partition fd + one per VP */
	/*
	 * Write-held to change memory slots; read-held by every running VP,
	 * so slots (and second-level tables) never change under a guest.
	 */
	struct rw_semaphore mem_lock;
	struct ohv_memslot slots[OHV_HYP_MAX_MEMSLOTS];
	u64 total_pages;
	unsigned int nr_slots;
	/* Bumped when mappings are removed; VPs flush their TLB on change. */
	atomic_t tlb_gen;
	struct mutex vp_create_lock;	/* serializes VP creation */
	spinlock_t vps_lock;	/* guards vps[] for IPI delivery */
	struct ohv_vp *vps[OHV_HYP_MAX_VPS];
	struct ohv_synth synth;
	struct dentry *debugfs;
	void *arch;		/* backend private (NPT root) */
};

int ohv_partition_create(void);
void ohv_partition_put(struct ohv_partition *p);

/* ---- backend interface -------------------------------------------------- */

struct ohv_backend_ops {
	const char *name;
	/* Module load: can this CPU run us? Logs why not. */
	int (*probe)(void);
	int (*init)(void);
	void (*exit)(void);
	/* Per CPU, called on that CPU (cpuhp online/offline). */
	int (*cpu_enable)(void);
	void (*cpu_disable)(void);

	int (*partition_init)(struct ohv_partition *p);
	void (*partition_destroy)(struct ohv_partition *p);
	/* Map/unmap @n pages at @gpa in the second-level tables. */
	int (*map)(struct ohv_partition *p, u64 gpa, struct page **pages,
		   u64 n);
	void (*unmap)(struct ohv_partition *p, u64 gpa, u64 n);

	int (*vp_create)(struct ohv_vp *vp);
	void (*vp_destroy)(struct ohv_vp *vp);
	void (*get_sregs)(struct ohv_vp *vp, struct ohv_hyp_sregs *s);
	void (*set_sregs)(struct ohv_vp *vp, const struct ohv_hyp_sregs *s);
	/* MSRs whose state the backend holds (EFER, PAT...). */
	int (*msr_read)(struct ohv_vp *vp, u32 msr, u64 *val);
	int (*msr_write)(struct ohv_vp *vp, u32 msr, u64 val);

	/* Event injection, called with IRQs off right before enter(). */
	bool (*event_in_flight)(struct ohv_vp *vp);
	bool (*interrupt_allowed)(struct ohv_vp *vp);
	void (*inject_interrupt)(struct ohv_vp *vp, u8 vector);
	void (*inject_exception)(struct ohv_vp *vp, u8 vector, bool has_error,
				 u32 error);
	void (*request_irq_window)(struct ohv_vp *vp);
	/* Enter the guest once; IRQs off, preemption off, FPU loaded. */
	void (*enter)(struct ohv_vp *vp, struct ohv_exit *exit);
};

extern const struct ohv_backend_ops *ohv_backend;
extern const struct ohv_backend_ops ohv_svm_ops;
extern const struct ohv_backend_ops ohv_vmx_ops;

/* ---- misc --------------------------------------------------------------- */

int ohv_sregs_check(const struct ohv_hyp_sregs *s);
void ohv_sregs_reset(struct ohv_hyp_sregs *s);

void ohv_debugfs_init(void);
void ohv_debugfs_exit(void);
void ohv_debugfs_partition_add(struct ohv_partition *p);
void ohv_debugfs_vp_add(struct ohv_vp *vp);
void ohv_debugfs_remove(struct dentry *d);

#endif /* _OHV_HYP_OHV_H */
