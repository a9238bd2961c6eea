// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual processors: the VP fd, register access, the run loop and the
 * vendor-neutral exit dispatch.
 *
 * A VP is run by whichever thread calls OHV_HYP_RUN; run_lock makes a
 * second concurrent caller fail with -EBUSY instead of queueing behind a
 * guest that may never exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/anon_inodes.h>
#include <linux/slab.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/ratelimit.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/processor-flags.h>
#include <asm/traps.h>
#include <asm/tsc.h>

#include "ohv.h"
#include "trace.h"

#define OHV_FXSAVE_SIZE		512
#define OHV_FCW_DEFAULT		0x37f
#define OHV_MXCSR_DEFAULT	0x1f80

/* ---- kicking --------------------------------------------------------------- */

/*
 * Make @vp notice new work (an interrupt, INIT/SIPI): wake it if it
 * sleeps, force a guest exit if it is in the guest. Callable from any
 * context. Pairs with the smp_mb() in ohv_vp_enter(): either the VP sees
 * the new work before entering, or we see guest_task and kick it.
 */
void ohv_vp_kick(struct ohv_vp *vp)
{
	struct task_struct *task;

	/* Order the caller's request bit before reading guest_task. */
	smp_mb__after_atomic();
	rcu_read_lock();
	task = READ_ONCE(vp->guest_task);
	/* The reschedule IPI this sends makes the guest exit. */
	if (task)
		kick_process(task);
	rcu_read_unlock();
	wake_up_interruptible(&vp->wq);
}

void ohv_vp_queue_exception(struct ohv_vp *vp, u8 vector, bool has_error,
			    u32 error)
{
	vp->exception_pending = true;
	vp->exception_vector = vector;
	vp->exception_has_error = has_error;
	vp->exception_error = error;
}

/* ---- entering the guest ----------------------------------------------------- */

static void ohv_fxsave(void *fx)
{
	asm volatile("fxsave64 %0" : "=m" (*(struct fxregs_state *)fx));
}

static void ohv_fxrstor(void *fx)
{
	asm volatile("fxrstor64 %0" : : "m" (*(struct fxregs_state *)fx));
}

/* Called with IRQs off: nothing can be added between this and VMRUN. */
static void ohv_vp_inject_events(struct ohv_vp *vp)
{
	int vector = ohv_lapic_pending_vector(&vp->lapic);

	if (!ohv_backend->event_in_flight(vp) && vp->exception_pending) {
		ohv_backend->inject_exception(vp, vp->exception_vector,
					      vp->exception_has_error,
					      vp->exception_error);
		vp->exception_pending = false;
	} else if (vector >= 0 && !ohv_backend->event_in_flight(vp) &&
		   ohv_backend->interrupt_allowed(vp)) {
		ohv_lapic_accept(&vp->lapic, vector);
		ohv_backend->inject_interrupt(vp, vector);
		return;
	}
	/* Come back as soon as the guest can take the interrupt. */
	if (vector >= 0)
		ohv_backend->request_irq_window(vp);
}

/*
 * The guest uses x87/SSE only (XSAVE is hidden from it), so FXSAVE state
 * is all it has. kernel_fpu_begin() parks the task's user FPU state,
 * which is restored on the way back to user space.
 */
static void ohv_vp_enter(struct ohv_vp *vp, struct ohv_exit *exit)
{
	kernel_fpu_begin();
	ohv_fxrstor(vp->fpu);
	local_irq_disable();
	WRITE_ONCE(vp->guest_task, current);
	/* Publish guest_task before looking for work; see ohv_vp_kick(). */
	smp_mb();
	ohv_vp_inject_events(vp);
	ohv_backend->enter(vp, exit);
	WRITE_ONCE(vp->guest_task, NULL);
	local_irq_enable();
	ohv_fxsave(vp->fpu);
	kernel_fpu_end();
}

/* ---- exit handlers ----------------------------------------------------------- */

static int ohv_vp_internal_error(struct ohv_vp *vp, u32 suberror, u64 d0,
				 u64 d1)
{
	struct ohv_hyp_run *run = vp->run;

	run->exit_reason = OHV_HYP_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.data[0] = d0;
	run->internal.data[1] = d1;
	run->internal.data[2] = 0;
	run->internal.data[3] = 0;
	return 0;
}

static int ohv_vp_exit_cpuid(struct ohv_vp *vp, struct ohv_exit *e)
{
	struct ohv_cpuid_ctx ctx = {
		.host = ohv_host_cpuid,
		.apic_id = vp->lapic.id,
		.tsc_khz = tsc_khz,
	};
	struct ohv_cpuid_regs r;

	ohv_cpuid_compute(&ctx, vp->gpr[OHV_RAX], vp->gpr[OHV_RCX], &r);
	vp->gpr[OHV_RAX] = r.eax;
	vp->gpr[OHV_RBX] = r.ebx;
	vp->gpr[OHV_RCX] = r.ecx;
	vp->gpr[OHV_RDX] = r.edx;
	vp->rip += e->insn_len;
	return 1;
}

static int ohv_vp_exit_msr(struct ohv_vp *vp, struct ohv_exit *e)
{
	u32 msr = vp->gpr[OHV_RCX];
	u64 val;
	int ret;

	if (e->kind == OHV_EXIT_MSR_READ) {
		ret = ohv_msr_read(vp, msr, &val);
		if (!ret) {
			vp->gpr[OHV_RAX] = lower_32_bits(val);
			vp->gpr[OHV_RDX] = upper_32_bits(val);
		}
	} else {
		val = (vp->gpr[OHV_RDX] << 32) | lower_32_bits(vp->gpr[OHV_RAX]);
		ret = ohv_msr_write(vp, msr, val);
	}
	if (ret)
		ohv_vp_queue_exception(vp, X86_TRAP_GP, true, 0);
	else
		vp->rip += e->insn_len;
	return 1;
}

static int ohv_vp_exit_io(struct ohv_vp *vp, struct ohv_exit *e)
{
	struct ohv_hyp_run *run = vp->run;

	if (e->io.unsupported)
		return ohv_vp_internal_error(vp, OHV_HYP_INTERNAL_UNSUPPORTED_IO,
					     e->io.port, e->io.raw);

	run->exit_reason = OHV_HYP_EXIT_IO;
	run->io.direction = e->io.in ? OHV_HYP_IO_IN : OHV_HYP_IO_OUT;
	run->io.size = e->io.size;
	run->io.port = e->io.port;
	run->io.reserved = 0;
	run->io.data = e->io.in ? 0 :
		       vp->gpr[OHV_RAX] & GENMASK_ULL(e->io.size * 8 - 1, 0);
	vp->rip = e->io.next_rip;
	if (e->io.in) {
		vp->completion = OHV_COMPLETE_IO_IN;
		vp->completion_size = e->io.size;
	}
	return 0;
}

static int ohv_vp_exit_hlt(struct ohv_vp *vp, struct ohv_exit *e)
{
	vp->rip += e->insn_len;
	if (vp->rflags & X86_EFLAGS_IF) {
		vp->state = OHV_VP_HALTED;
		return 1;
	}
	/* Nothing can ever wake it: tell user space (power-off). */
	vp->run->exit_reason = OHV_HYP_EXIT_HLT;
	return 0;
}

static int ohv_vp_exit_hypercall(struct ohv_vp *vp, struct ohv_exit *e)
{
	struct ohv_hyp_run *run = vp->run;

	run->exit_reason = OHV_HYP_EXIT_HYPERCALL;
	run->hypercall.rax = vp->gpr[OHV_RAX];
	run->hypercall.rbx = vp->gpr[OHV_RBX];
	run->hypercall.rcx = vp->gpr[OHV_RCX];
	run->hypercall.rdx = vp->gpr[OHV_RDX];
	run->hypercall.r8 = vp->gpr[OHV_R8];
	run->hypercall.result = 0;
	vp->rip += e->insn_len;
	vp->completion = OHV_COMPLETE_HYPERCALL;
	return 0;
}

static int ohv_vp_exit_npf(struct ohv_vp *vp, struct ohv_exit *e)
{
	struct ohv_hyp_run *run = vp->run;

	run->exit_reason = OHV_HYP_EXIT_MEMORY_FAULT;
	run->memory.gpa = e->npf.gpa;
	run->memory.flags = e->npf.flags;
	return 0;
}

static int ohv_vp_exit_fatal(struct ohv_vp *vp, struct ohv_exit *e)
{
	vp->state = OHV_VP_FAILED;
	if (e->kind == OHV_EXIT_SHUTDOWN) {
		vp->run->exit_reason = OHV_HYP_EXIT_SHUTDOWN;
		return 0;
	}
	if (e->kind == OHV_EXIT_INVALID_STATE)
		return ohv_vp_internal_error(vp, OHV_HYP_INTERNAL_INVALID_STATE,
					     e->vendor_code, 0);
	pr_info_ratelimited("vp%u: unhandled exit 0x%x (0x%llx 0x%llx)\n",
			    vp->index, e->vendor_code, e->info[0], e->info[1]);
	return ohv_vp_internal_error(vp, OHV_HYP_INTERNAL_UNHANDLED_EXIT,
				     e->vendor_code, e->info[0]);
}

/* Returns 1 to re-enter the guest, 0 to return to user space. */
static int ohv_vp_handle_exit(struct ohv_vp *vp, struct ohv_exit *e)
{
	vp->exits[e->kind]++;
	trace_ohv_hyp_exit(vp->part->id, vp->index, e->kind, e->vendor_code,
			   vp->rip);
	vp->run->rip = vp->rip;

	switch (e->kind) {
	case OHV_EXIT_HOST_EVENT:
	case OHV_EXIT_IRQ_WINDOW:
	case OHV_EXIT_CR_WRITE:
		return 1;
	case OHV_EXIT_CPUID:
		return ohv_vp_exit_cpuid(vp, e);
	case OHV_EXIT_MSR_READ:
	case OHV_EXIT_MSR_WRITE:
		return ohv_vp_exit_msr(vp, e);
	case OHV_EXIT_IO:
		return ohv_vp_exit_io(vp, e);
	case OHV_EXIT_HLT:
		return ohv_vp_exit_hlt(vp, e);
	case OHV_EXIT_HYPERCALL:
		return ohv_vp_exit_hypercall(vp, e);
	case OHV_EXIT_NPF:
		return ohv_vp_exit_npf(vp, e);
	case OHV_EXIT_EXCEPTION:
		ohv_vp_queue_exception(vp, e->exception.vector,
				       e->exception.has_error,
				       e->exception.error);
		return 1;
	case OHV_EXIT_UD:
		ohv_vp_queue_exception(vp, X86_TRAP_UD, false, 0);
		return 1;
	default:
		return ohv_vp_exit_fatal(vp, e);
	}
}

/* ---- run loop ----------------------------------------------------------------- */

/* Finish the instruction that made the last RUN return to user space. */
static void ohv_vp_complete(struct ohv_vp *vp)
{
	u64 data;

	switch (vp->completion) {
	case OHV_COMPLETE_IO_IN:
		/* Read the shared page once; only our own size is trusted. */
		data = READ_ONCE(vp->run->io.data);
		if (vp->completion_size == 4)
			vp->gpr[OHV_RAX] = lower_32_bits(data);
		else
			vp->gpr[OHV_RAX] =
				(vp->gpr[OHV_RAX] &
				 ~GENMASK_ULL(vp->completion_size * 8 - 1, 0)) |
				(data & GENMASK_ULL(vp->completion_size * 8 - 1, 0));
		break;
	case OHV_COMPLETE_HYPERCALL:
		vp->gpr[OHV_RAX] = READ_ONCE(vp->run->hypercall.result);
		break;
	case OHV_COMPLETE_NONE:
		break;
	}
	vp->completion = OHV_COMPLETE_NONE;
}

/* Real-mode entry at vector * 4 KiB, as a startup IPI defines it. */
static void ohv_vp_start_at_sipi(struct ohv_vp *vp, u8 vector)
{
	struct ohv_hyp_sregs s;

	ohv_sregs_reset(&s);
	s.cs.selector = vector << 8;
	s.cs.base = (u64)vector << 12;
	ohv_backend->set_sregs(vp, &s);
	vp->rip = 0;
	vp->rflags = X86_EFLAGS_FIXED;
	vp->exception_pending = false;
	vp->state = OHV_VP_RUNNABLE;
}

static void ohv_vp_process_ipis(struct ohv_vp *vp)
{
	/* Stale SIPIs were dropped when the INIT was sent. */
	if (test_and_clear_bit(OHV_IPI_INIT, &vp->ipi_requests))
		vp->state = OHV_VP_WAIT_SIPI;
	if (test_and_clear_bit(OHV_IPI_SIPI, &vp->ipi_requests) &&
	    vp->state == OHV_VP_WAIT_SIPI)
		ohv_vp_start_at_sipi(vp, READ_ONCE(vp->sipi_vector));
}

static bool ohv_vp_can_wake(struct ohv_vp *vp)
{
	if (READ_ONCE(vp->ipi_requests))
		return true;
	return vp->state == OHV_VP_HALTED &&
	       ohv_lapic_pending_vector(&vp->lapic) >= 0;
}

/* Returns 0 when the VP may enter the guest, or -EINTR for a signal. */
static int ohv_vp_prepare(struct ohv_vp *vp)
{
	for (;;) {
		if (signal_pending(current)) {
			vp->run->exit_reason = OHV_HYP_EXIT_INTR;
			return -EINTR;
		}
		cond_resched();
		ohv_vp_process_ipis(vp);
		if (vp->state == OHV_VP_HALTED &&
		    ohv_lapic_pending_vector(&vp->lapic) >= 0)
			vp->state = OHV_VP_RUNNABLE;
		if (vp->state == OHV_VP_RUNNABLE)
			return 0;
		/* A signal ends the wait; the loop reports it. */
		if (wait_event_interruptible(vp->wq, ohv_vp_can_wake(vp)))
			continue;
	}
}

static int ohv_vp_run_loop(struct ohv_vp *vp)
{
	struct ohv_exit exit;
	int ret;

	ohv_vp_complete(vp);
	do {
		ret = ohv_vp_prepare(vp);
		if (ret)
			return ret;
		ohv_vp_enter(vp, &exit);
		ret = ohv_vp_handle_exit(vp, &exit);
	} while (ret > 0);
	return ret;
}

static long ohv_vp_run(struct ohv_vp *vp)
{
	struct ohv_partition *p = vp->part;
	long ret;

	if (!mutex_trylock(&vp->run_lock))
		return -EBUSY;
	/* Memory slots cannot change while any VP runs. */
	down_read(&p->mem_lock);
	if (!p->nr_slots)
		ret = -ENOMEM;
	else if (vp->state == OHV_VP_FAILED)
		ret = -EIO;
	else
		ret = ohv_vp_run_loop(vp);
	up_read(&p->mem_lock);
	mutex_unlock(&vp->run_lock);
	return ret;
}

/* ---- registers ---------------------------------------------------------------- */

static void ohv_vp_get_regs(struct ohv_vp *vp, struct ohv_hyp_regs *r)
{
	r->rax = vp->gpr[OHV_RAX];
	r->rbx = vp->gpr[OHV_RBX];
	r->rcx = vp->gpr[OHV_RCX];
	r->rdx = vp->gpr[OHV_RDX];
	r->rsi = vp->gpr[OHV_RSI];
	r->rdi = vp->gpr[OHV_RDI];
	r->rsp = vp->gpr[OHV_RSP];
	r->rbp = vp->gpr[OHV_RBP];
	r->r8 = vp->gpr[OHV_R8];
	r->r9 = vp->gpr[OHV_R9];
	r->r10 = vp->gpr[OHV_R10];
	r->r11 = vp->gpr[OHV_R11];
	r->r12 = vp->gpr[OHV_R12];
	r->r13 = vp->gpr[OHV_R13];
	r->r14 = vp->gpr[OHV_R14];
	r->r15 = vp->gpr[OHV_R15];
	r->rip = vp->rip;
	r->rflags = vp->rflags;
}

static void ohv_vp_set_regs(struct ohv_vp *vp, const struct ohv_hyp_regs *r)
{
	vp->gpr[OHV_RAX] = r->rax;
	vp->gpr[OHV_RBX] = r->rbx;
	vp->gpr[OHV_RCX] = r->rcx;
	vp->gpr[OHV_RDX] = r->rdx;
	vp->gpr[OHV_RSI] = r->rsi;
	vp->gpr[OHV_RDI] = r->rdi;
	vp->gpr[OHV_RSP] = r->rsp;
	vp->gpr[OHV_RBP] = r->rbp;
	vp->gpr[OHV_R8] = r->r8;
	vp->gpr[OHV_R9] = r->r9;
	vp->gpr[OHV_R10] = r->r10;
	vp->gpr[OHV_R11] = r->r11;
	vp->gpr[OHV_R12] = r->r12;
	vp->gpr[OHV_R13] = r->r13;
	vp->gpr[OHV_R14] = r->r14;
	vp->gpr[OHV_R15] = r->r15;
	vp->rip = r->rip;
	/* Bit 1 always reads as one; the VMRUN checks insist on it. */
	vp->rflags = r->rflags | X86_EFLAGS_FIXED;
	/* New registers: drop a half-finished IN/hypercall, revive the VP. */
	vp->completion = OHV_COMPLETE_NONE;
	vp->state = OHV_VP_RUNNABLE;
}

static long ohv_vp_regs_ioctl(struct ohv_vp *vp, unsigned int cmd,
			      void __user *argp)
{
	struct ohv_hyp_sregs sregs;
	struct ohv_hyp_regs regs;
	long ret = 0;

	switch (cmd) {
	case OHV_HYP_GET_REGS:
		memset(&regs, 0, sizeof(regs));
		ohv_vp_get_regs(vp, &regs);
		if (copy_to_user(argp, &regs, sizeof(regs)))
			ret = -EFAULT;
		break;
	case OHV_HYP_SET_REGS:
		if (copy_from_user(&regs, argp, sizeof(regs)))
			return -EFAULT;
		ohv_vp_set_regs(vp, &regs);
		break;
	case OHV_HYP_GET_SREGS:
		memset(&sregs, 0, sizeof(sregs));
		ohv_backend->get_sregs(vp, &sregs);
		sregs.apic_base = vp->lapic.apic_base;
		if (copy_to_user(argp, &sregs, sizeof(sregs)))
			ret = -EFAULT;
		break;
	case OHV_HYP_SET_SREGS:
		if (copy_from_user(&sregs, argp, sizeof(sregs)))
			return -EFAULT;
		ret = ohv_sregs_check(&sregs);
		if (!ret)
			ohv_backend->set_sregs(vp, &sregs);
		break;
	default:
		ret = -ENOTTY;
	}
	return ret;
}

static long ohv_vp_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct ohv_vp *vp = file->private_data;
	long ret;

	if (cmd == OHV_HYP_RUN)
		return arg ? -EINVAL : ohv_vp_run(vp);

	if (!mutex_trylock(&vp->run_lock))
		return -EBUSY;
	ret = ohv_vp_regs_ioctl(vp, cmd, (void __user *)arg);
	mutex_unlock(&vp->run_lock);
	return ret;
}

static int ohv_vp_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ohv_vp *vp = file->private_data;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	return vm_insert_page(vma, vma->vm_start, vp->run_page);
}

/* ---- lifetime -------------------------------------------------------------------- */

static void ohv_vp_free(struct ohv_vp *vp)
{
	ohv_debugfs_remove(vp->debugfs);
	ohv_lapic_destroy(&vp->lapic);
	if (vp->arch)
		ohv_backend->vp_destroy(vp);
	if (vp->run_page)
		put_page(vp->run_page);
	kfree(vp->fpu);
	kfree(vp);
}

static int ohv_vp_release(struct inode *inode, struct file *file)
{
	struct ohv_vp *vp = file->private_data;
	struct ohv_partition *p = vp->part;

	/* After this no IPI or user interrupt can reach the VP. */
	spin_lock(&p->vps_lock);
	p->vps[vp->index] = NULL;
	spin_unlock(&p->vps_lock);

	ohv_vp_free(vp);
	ohv_partition_put(p);
	return 0;
}

static const struct file_operations ohv_vp_fops = {
	.owner		= THIS_MODULE,
	.release	= ohv_vp_release,
	.unlocked_ioctl	= ohv_vp_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= ohv_vp_mmap,
	.llseek		= noop_llseek,
};

static void ohv_vp_init_fpu(void *fpu)
{
	struct fxregs_state *fx = fpu;

	fx->cwd = OHV_FCW_DEFAULT;
	fx->mxcsr = OHV_MXCSR_DEFAULT;
}

/* Architectural reset state: real mode at F000:FFF0. */
static void ohv_vp_reset(struct ohv_vp *vp)
{
	struct ohv_hyp_sregs s;

	ohv_sregs_reset(&s);
	ohv_backend->set_sregs(vp, &s);
	memset(vp->gpr, 0, sizeof(vp->gpr));
	/* EDX holds the processor signature after reset. */
	vp->gpr[OHV_RDX] = cpuid_eax(1);
	vp->rip = 0xfff0;
	vp->rflags = X86_EFLAGS_FIXED;
	/* Application processors wait for INIT/SIPI from the BSP. */
	vp->state = vp->index ? OHV_VP_WAIT_SIPI : OHV_VP_RUNNABLE;
}

static struct ohv_vp *ohv_vp_alloc(struct ohv_partition *p, u32 index)
{
	struct ohv_vp *vp;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL_ACCOUNT);
	if (!vp)
		return NULL;
	vp->part = p;
	vp->index = index;
	mutex_init(&vp->run_lock);
	init_waitqueue_head(&vp->wq);
	ohv_lapic_init(&vp->lapic, index);

	/* kmalloc() aligns power-of-two sizes naturally, as FXSAVE needs. */
	vp->fpu = kzalloc(OHV_FXSAVE_SIZE, GFP_KERNEL_ACCOUNT);
	vp->run_page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!vp->fpu || !vp->run_page || ohv_backend->vp_create(vp)) {
		ohv_vp_free(vp);
		return NULL;
	}
	vp->run = page_address(vp->run_page);
	ohv_vp_init_fpu(vp->fpu);
	ohv_vp_reset(vp);
	return vp;
}

static int ohv_vp_publish(struct ohv_partition *p, struct ohv_vp *vp)
{
	int fd;

	ohv_debugfs_vp_add(vp);
	spin_lock(&p->vps_lock);
	p->vps[vp->index] = vp;
	spin_unlock(&p->vps_lock);

	/* From here on, release() may run at any time and undoes all this. */
	kref_get(&p->ref);
	fd = anon_inode_getfd("ohv-vp", &ohv_vp_fops, vp, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		spin_lock(&p->vps_lock);
		p->vps[vp->index] = NULL;
		spin_unlock(&p->vps_lock);
		ohv_vp_free(vp);
		ohv_partition_put(p);
	}
	return fd;
}

int ohv_vp_create(struct ohv_partition *p, unsigned long index)
{
	struct ohv_vp *vp;
	int ret;

	if (index >= OHV_HYP_MAX_VPS)
		return -EINVAL;

	mutex_lock(&p->vp_create_lock);
	if (p->vps[index]) {
		ret = -EEXIST;
		goto out;
	}
	vp = ohv_vp_alloc(p, index);
	if (!vp) {
		ret = -ENOMEM;
		goto out;
	}
	ret = ohv_vp_publish(p, vp);
out:
	mutex_unlock(&p->vp_create_lock);
	return ret;
}
