// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM backend.
 *
 * One VMCB per VP; one MSR and one I/O permission map shared by all VPs,
 * both intercepting everything except the MSRs VMSAVE/VMLOAD switch for
 * us. Nested paging is mandatory. Each VP owns an ASID for its lifetime;
 * its TLB entries are flushed when it moves to another CPU (entries on the
 * old CPU may be stale by the time it comes back), when the partition
 * unmaps memory, and on its first run (the ASID may have been used before).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/idr.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/traps.h>

#include "../ohv.h"
#include "svm.h"

#define OHV_CPUID_SVM_NPT	BIT(0)
#define OHV_CPUID_SVM_NRIPS	BIT(3)
#define OHV_CPUID_SVM_FLUSHASID	BIT(6)
#define OHV_CPUID_EXT1_SVM	BIT(2)

/* Guest-writable EFER bits; SVME is ours and LMA follows CR0.PG. */
#define OHV_EFER_GUEST		(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | \
				 EFER_FFXSR)
/* Exceptions with an error code (#DF #TS #NP #SS #GP #PF #AC #CP #VC #SX). */
#define OHV_EXC_HAS_ERROR	(BIT(8) | GENMASK(14, 10) | BIT(17) | \
				 BIT(21) | BIT(29) | BIT(30))
#define OHV_DR6_INIT		0xffff0ff0ULL
#define OHV_DR7_INIT		0x400ULL

struct ohv_svm_cpu {
	struct page *hsave;	/* MSR_VM_HSAVE_PA: VMRUN's host save area */
	struct page *host_save;	/* our VMSAVE/VMLOAD area for host state */
	bool enabled;
};

static DEFINE_PER_CPU(struct ohv_svm_cpu, ohv_svm_cpus);
static DEFINE_IDA(ohv_svm_asid_ida);
static void *ohv_svm_msrpm;
static void *ohv_svm_iopm;
static u32 ohv_svm_nr_asids;
static bool ohv_svm_has_nrips;
static u8 ohv_svm_flush_ctl;

/* ---- permission maps --------------------------------------------------- */

/*
 * Bit index of the read-intercept bit of @msr in the MSRPM (the write bit
 * follows it), or -1 for MSRs outside the three mapped ranges, which are
 * always intercepted.
 */
int ohv_svm_msrpm_bit(u32 msr)
{
	static const u32 base[] = { 0x00000000, 0xc0000000, 0xc0010000 };
	int i;

	for (i = 0; i < ARRAY_SIZE(base); i++) {
		if (msr >= base[i] && msr - base[i] < 0x2000)
			return i * 0x800 * 8 + (msr - base[i]) * 2;
	}
	return -1;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_svm_msrpm_bit);

/* Held in the VMCB and switched by VMLOAD/VMSAVE: safe to pass through. */
static const u32 ohv_svm_passthrough_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
};

static int ohv_svm_alloc_maps(void)
{
	int i, bit;

	ohv_svm_msrpm = alloc_pages_exact(OHV_SVM_MSRPM_SIZE, GFP_KERNEL);
	ohv_svm_iopm = alloc_pages_exact(OHV_SVM_IOPM_SIZE, GFP_KERNEL);
	if (!ohv_svm_msrpm || !ohv_svm_iopm)
		return -ENOMEM;

	/* Deny by default: every access exits. */
	memset(ohv_svm_msrpm, 0xff, OHV_SVM_MSRPM_SIZE);
	memset(ohv_svm_iopm, 0xff, OHV_SVM_IOPM_SIZE);
	for (i = 0; i < ARRAY_SIZE(ohv_svm_passthrough_msrs); i++) {
		bit = ohv_svm_msrpm_bit(ohv_svm_passthrough_msrs[i]);
		__clear_bit(bit, ohv_svm_msrpm);
		__clear_bit(bit + 1, ohv_svm_msrpm);
	}
	return 0;
}

static void ohv_svm_free_maps(void)
{
	if (ohv_svm_msrpm)
		free_pages_exact(ohv_svm_msrpm, OHV_SVM_MSRPM_SIZE);
	if (ohv_svm_iopm)
		free_pages_exact(ohv_svm_iopm, OHV_SVM_IOPM_SIZE);
	ohv_svm_msrpm = NULL;
	ohv_svm_iopm = NULL;
}

/* ---- module and CPU setup ---------------------------------------------- */

static int ohv_svm_probe(void)
{
	u32 eax, ebx, ecx, edx;
	u64 vm_cr;

	if (!(cpuid_ecx(0x80000001) & OHV_CPUID_EXT1_SVM)) {
		pr_err("CPU has no AMD SVM (AMD-V); refusing to load\n");
		return -ENODEV;
	}
	rdmsrl(MSR_VM_CR, vm_cr);
	if (vm_cr & SVM_VM_CR_SVM_DIS_MASK) {
		pr_err("SVM is disabled by firmware (VM_CR.SVMDIS); refusing to load\n");
		return -ENODEV;
	}
	cpuid(SVM_CPUID_FUNC, &eax, &ebx, &ecx, &edx);
	if (!(edx & OHV_CPUID_SVM_NPT)) {
		pr_err("CPU has no nested paging (CPUID 0x8000000A EDX bit 0); refusing to load\n");
		return -ENODEV;
	}
	if (ebx < 2) {
		pr_err("CPU reports %u ASIDs; refusing to load\n", ebx);
		return -ENODEV;
	}
	ohv_svm_nr_asids = ebx;
	ohv_svm_has_nrips = edx & OHV_CPUID_SVM_NRIPS;
	ohv_svm_flush_ctl = (edx & OHV_CPUID_SVM_FLUSHASID) ?
			    TLB_CONTROL_FLUSH_ASID : TLB_CONTROL_FLUSH_ALL_ASID;
	return 0;
}

static void ohv_svm_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct ohv_svm_cpu *sc = per_cpu_ptr(&ohv_svm_cpus, cpu);

		if (sc->hsave)
			__free_page(sc->hsave);
		if (sc->host_save)
			__free_page(sc->host_save);
		sc->hsave = NULL;
		sc->host_save = NULL;
	}
	ohv_svm_free_maps();
}

static int ohv_svm_init(void)
{
	int cpu;

	if (ohv_svm_alloc_maps())
		goto nomem;
	for_each_possible_cpu(cpu) {
		struct ohv_svm_cpu *sc = per_cpu_ptr(&ohv_svm_cpus, cpu);

		sc->hsave = alloc_page(GFP_KERNEL | __GFP_ZERO);
		sc->host_save = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!sc->hsave || !sc->host_save)
			goto nomem;
	}
	return 0;
nomem:
	ohv_svm_exit();
	return -ENOMEM;
}

static int ohv_svm_cpu_enable(void)
{
	struct ohv_svm_cpu *sc = this_cpu_ptr(&ohv_svm_cpus);
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		pr_err("CPU %d: EFER.SVME is already set: another hypervisor (KVM?) owns SVM; refusing to load\n",
		       smp_processor_id());
		return -EBUSY;
	}
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(sc->hsave));
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	sc->enabled = true;
	return 0;
}

static void ohv_svm_cpu_disable(void)
{
	struct ohv_svm_cpu *sc = this_cpu_ptr(&ohv_svm_cpus);
	u64 efer;

	if (!sc->enabled)
		return;
	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, 0);
	sc->enabled = false;
}

/* ---- partitions -------------------------------------------------------------- */

static struct ohv_svm_partition *ohv_svm_part(struct ohv_partition *p)
{
	return p->arch;
}

static int ohv_svm_partition_init(struct ohv_partition *p)
{
	struct ohv_svm_partition *sp;

	sp = kzalloc(sizeof(*sp), GFP_KERNEL_ACCOUNT);
	if (!sp)
		return -ENOMEM;
	if (ohv_npt_init(&sp->npt)) {
		kfree(sp);
		return -ENOMEM;
	}
	p->arch = sp;
	return 0;
}

static void ohv_svm_partition_destroy(struct ohv_partition *p)
{
	struct ohv_svm_partition *sp = ohv_svm_part(p);

	ohv_npt_destroy(&sp->npt);
	kfree(sp);
	p->arch = NULL;
}

static int ohv_svm_map(struct ohv_partition *p, u64 gpa, struct page **pages,
		       u64 n)
{
	return ohv_npt_map(&ohv_svm_part(p)->npt, gpa, pages, n);
}

static void ohv_svm_unmap(struct ohv_partition *p, u64 gpa, u64 n)
{
	ohv_npt_unmap(&ohv_svm_part(p)->npt, gpa, n);
}

/* ---- VMCB setup ------------------------------------------------------------------ */

static void ohv_svm_set_intercept(struct vmcb_control_area *c, u32 bit)
{
	c->intercepts[bit / 32] |= BIT(bit % 32);
}

static void ohv_svm_clear_intercept(struct vmcb_control_area *c, u32 bit)
{
	c->intercepts[bit / 32] &= ~BIT(bit % 32);
}

/*
 * Instructions the guest must not execute natively. SVM instructions are
 * live because the guest's EFER.SVME has to be set for VMRUN; XSETBV
 * would change the host's XCR0; RDTSCP would leak the host TSC_AUX;
 * INVD would throw away host cache contents.
 */
static const u32 ohv_svm_ud_intercepts[] = {
	INTERCEPT_VMRUN, INTERCEPT_VMLOAD, INTERCEPT_VMSAVE, INTERCEPT_STGI,
	INTERCEPT_CLGI, INTERCEPT_SKINIT, INTERCEPT_INVLPGA, INTERCEPT_RDTSCP,
	INTERCEPT_MONITOR, INTERCEPT_MWAIT, INTERCEPT_MWAIT_COND,
	INTERCEPT_XSETBV, INTERCEPT_RDPRU, INTERCEPT_INVD,
};

/* Intercepts we handle. */
static const u32 ohv_svm_exit_intercepts[] = {
	INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_CPUID, INTERCEPT_HLT,
	INTERCEPT_IOIO_PROT, INTERCEPT_MSR_PROT, INTERCEPT_SHUTDOWN,
	INTERCEPT_VMMCALL, INTERCEPT_RDPMC, INTERCEPT_CR0_WRITE,
	INTERCEPT_CR4_WRITE,
};

static void ohv_svm_init_control(struct ohv_vp *vp, struct vmcb_control_area *c)
{
	struct ohv_svm_vp *svp = vp->arch;
	int i;

	for (i = 0; i < ARRAY_SIZE(ohv_svm_ud_intercepts); i++)
		ohv_svm_set_intercept(c, ohv_svm_ud_intercepts[i]);
	for (i = 0; i < ARRAY_SIZE(ohv_svm_exit_intercepts); i++)
		ohv_svm_set_intercept(c, ohv_svm_exit_intercepts[i]);
	/*
	 * #AC and #DB can be raised again by their own delivery and keep a
	 * CPU in the guest forever; intercepting them lets us re-inject
	 * them one at a time.
	 */
	ohv_svm_set_intercept(c, INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_AC);
	ohv_svm_set_intercept(c, INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_DB);

	c->iopm_base_pa = __pa(ohv_svm_iopm);
	c->msrpm_base_pa = __pa(ohv_svm_msrpm);
	c->asid = svp->asid;
	/* Guest RFLAGS.IF masks only virtual interrupts, never the host's. */
	c->int_ctl = V_INTR_MASKING_MASK;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = ohv_npt_root_pa(&ohv_svm_part(vp->part)->npt);
}

static int ohv_svm_vp_create(struct ohv_vp *vp)
{
	struct ohv_svm_vp *svp;
	struct page *page;
	int asid;

	svp = kzalloc(sizeof(*svp), GFP_KERNEL_ACCOUNT);
	if (!svp)
		return -ENOMEM;
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	asid = ida_alloc_range(&ohv_svm_asid_ida, 1, ohv_svm_nr_asids - 1,
			       GFP_KERNEL);
	if (!page || asid < 0) {
		if (page)
			__free_page(page);
		if (asid >= 0)
			ida_free(&ohv_svm_asid_ida, asid);
		kfree(svp);
		return asid < 0 ? asid : -ENOMEM;
	}
	svp->vmcb = page_address(page);
	svp->asid = asid;
	svp->last_cpu = -1;
	vp->arch = svp;

	ohv_svm_init_control(vp, &svp->vmcb->control);
	svp->vmcb->save.g_pat = OHV_PAT_DEFAULT;
	svp->vmcb->save.dr6 = OHV_DR6_INIT;
	svp->vmcb->save.dr7 = OHV_DR7_INIT;
	return 0;
}

static void ohv_svm_vp_destroy(struct ohv_vp *vp)
{
	struct ohv_svm_vp *svp = vp->arch;

	ida_free(&ohv_svm_asid_ida, svp->asid);
	free_page((unsigned long)svp->vmcb);
	kfree(svp);
	vp->arch = NULL;
}

static struct vmcb *ohv_svm_vmcb(struct ohv_vp *vp)
{
	return ((struct ohv_svm_vp *)vp->arch)->vmcb;
}

/* ---- system registers ------------------------------------------------------------ */

static void ohv_svm_seg_to_vmcb(struct vmcb_seg *v, const struct ohv_hyp_segment *s)
{
	v->selector = s->selector;
	v->attrib = s->attributes;
	v->limit = s->limit;
	v->base = s->base;
}

static void ohv_svm_seg_from_vmcb(struct ohv_hyp_segment *s, const struct vmcb_seg *v)
{
	s->selector = v->selector;
	s->attributes = v->attrib;
	s->limit = v->limit;
	s->base = v->base;
}

static void ohv_svm_get_sregs(struct ohv_vp *vp, struct ohv_hyp_sregs *s)
{
	struct vmcb_save_area *v = &ohv_svm_vmcb(vp)->save;

	ohv_svm_seg_from_vmcb(&s->cs, &v->cs);
	ohv_svm_seg_from_vmcb(&s->ds, &v->ds);
	ohv_svm_seg_from_vmcb(&s->es, &v->es);
	ohv_svm_seg_from_vmcb(&s->fs, &v->fs);
	ohv_svm_seg_from_vmcb(&s->gs, &v->gs);
	ohv_svm_seg_from_vmcb(&s->ss, &v->ss);
	ohv_svm_seg_from_vmcb(&s->tr, &v->tr);
	ohv_svm_seg_from_vmcb(&s->ldt, &v->ldtr);
	s->gdt.base = v->gdtr.base;
	s->gdt.limit = v->gdtr.limit;
	s->idt.base = v->idtr.base;
	s->idt.limit = v->idtr.limit;
	s->cr0 = v->cr0;
	s->cr2 = v->cr2;
	s->cr3 = v->cr3;
	s->cr4 = v->cr4;
	s->efer = v->efer & ~EFER_SVME;
}

/* EFER as the CPU must see it: SVME set, LMA = LME && CR0.PG. */
static u64 ohv_svm_effective_efer(u64 efer, u64 cr0)
{
	efer = (efer & ~EFER_LMA) | EFER_SVME;
	if ((efer & EFER_LME) && (cr0 & X86_CR0_PG))
		efer |= EFER_LMA;
	return efer;
}

static void ohv_svm_set_sregs(struct ohv_vp *vp, const struct ohv_hyp_sregs *s)
{
	struct vmcb_save_area *v = &ohv_svm_vmcb(vp)->save;

	ohv_svm_seg_to_vmcb(&v->cs, &s->cs);
	ohv_svm_seg_to_vmcb(&v->ds, &s->ds);
	ohv_svm_seg_to_vmcb(&v->es, &s->es);
	ohv_svm_seg_to_vmcb(&v->fs, &s->fs);
	ohv_svm_seg_to_vmcb(&v->gs, &s->gs);
	ohv_svm_seg_to_vmcb(&v->ss, &s->ss);
	ohv_svm_seg_to_vmcb(&v->tr, &s->tr);
	ohv_svm_seg_to_vmcb(&v->ldtr, &s->ldt);
	v->gdtr.base = s->gdt.base;
	v->gdtr.limit = s->gdt.limit;
	v->idtr.base = s->idt.base;
	v->idtr.limit = s->idt.limit;
	v->cr0 = s->cr0;
	v->cr2 = s->cr2;
	v->cr3 = s->cr3;
	v->cr4 = s->cr4;
	v->efer = ohv_svm_effective_efer(s->efer, s->cr0);
	/* The CPL is the SS DPL in protected mode, 0 in real mode. */
	v->cpl = (s->cr0 & X86_CR0_PE) ? (s->ss.attributes >> 5) & 3 : 0;
	((struct ohv_svm_vp *)vp->arch)->entered = false;
}

static int ohv_svm_msr_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	struct vmcb_save_area *v = &ohv_svm_vmcb(vp)->save;

	switch (msr) {
	case MSR_EFER:
		*val = v->efer & ~EFER_SVME;
		return 0;
	case MSR_IA32_CR_PAT:
		*val = v->g_pat;
		return 0;
	default:
		return -EINVAL;
	}
}

static int ohv_svm_msr_write(struct ohv_vp *vp, u32 msr, u64 val)
{
	struct vmcb_save_area *v = &ohv_svm_vmcb(vp)->save;

	switch (msr) {
	case MSR_EFER:
		if (val & ~OHV_EFER_GUEST)
			return -EINVAL;
		/* LME cannot change while paging is on. */
		if ((v->cr0 & X86_CR0_PG) && ((val ^ v->efer) & EFER_LME))
			return -EINVAL;
		v->efer = ohv_svm_effective_efer(val, v->cr0);
		return 0;
	case MSR_IA32_CR_PAT:
		if (!ohv_pat_valid(val))
			return -EINVAL;
		v->g_pat = val;
		return 0;
	default:
		return -EINVAL;
	}
}

/* ---- event injection ------------------------------------------------------------- */

static bool ohv_svm_event_in_flight(struct ohv_vp *vp)
{
	return ohv_svm_vmcb(vp)->control.event_inj & SVM_EVTINJ_VALID;
}

static bool ohv_svm_interrupt_allowed(struct ohv_vp *vp)
{
	return (vp->rflags & X86_EFLAGS_IF) &&
	       !(ohv_svm_vmcb(vp)->control.int_state & SVM_INTERRUPT_SHADOW_MASK);
}

static void ohv_svm_inject_interrupt(struct ohv_vp *vp, u8 vector)
{
	struct vmcb_control_area *c = &ohv_svm_vmcb(vp)->control;

	c->event_inj = vector | SVM_EVTINJ_TYPE_INTR | SVM_EVTINJ_VALID;
}

static void ohv_svm_inject_exception(struct ohv_vp *vp, u8 vector,
				     bool has_error, u32 error)
{
	struct vmcb_control_area *c = &ohv_svm_vmcb(vp)->control;

	c->event_inj = vector | SVM_EVTINJ_TYPE_EXEPT | SVM_EVTINJ_VALID;
	if (has_error) {
		c->event_inj |= SVM_EVTINJ_VALID_ERR;
		c->event_inj_err = error;
	}
}

/*
 * A dummy virtual interrupt (V_IRQ, ignoring V_TPR) plus the VINTR
 * intercept makes the CPU exit exactly when the guest could take it.
 */
static void ohv_svm_request_irq_window(struct ohv_vp *vp)
{
	struct vmcb_control_area *c = &ohv_svm_vmcb(vp)->control;

	c->int_ctl |= V_IRQ_MASK | V_IGN_TPR_MASK | V_INTR_PRIO_MASK;
	ohv_svm_set_intercept(c, INTERCEPT_VINTR);
}

/* ---- running ----------------------------------------------------------------------- */

static void ohv_svm_sync_to_vmcb(struct ohv_vp *vp, struct vmcb *vmcb)
{
	vmcb->save.rax = vp->gpr[OHV_RAX];
	vmcb->save.rsp = vp->gpr[OHV_RSP];
	vmcb->save.rflags = vp->rflags;
	/* We moved RIP past an instruction: its interrupt shadow is over. */
	if (vmcb->save.rip != vp->rip)
		vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
	vmcb->save.rip = vp->rip;
}

static void ohv_svm_sync_from_vmcb(struct ohv_vp *vp, struct vmcb *vmcb)
{
	vp->gpr[OHV_RAX] = vmcb->save.rax;
	vp->gpr[OHV_RSP] = vmcb->save.rsp;
	vp->rflags = vmcb->save.rflags;
	vp->rip = vmcb->save.rip;
}

static void ohv_svm_prepare_tlb(struct ohv_vp *vp, struct vmcb *vmcb)
{
	struct ohv_svm_vp *svp = vp->arch;
	int gen = atomic_read(&vp->part->tlb_gen);
	int cpu = smp_processor_id();

	vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
	if (svp->last_cpu != cpu || svp->tlb_gen != gen) {
		vmcb->control.tlb_ctl = ohv_svm_flush_ctl;
		svp->last_cpu = cpu;
		svp->tlb_gen = gen;
	}
}

/*
 * Undo per-entry requests, and re-queue an event whose delivery the exit
 * interrupted (EXITINTINFO), so it is not lost.
 */
static void ohv_svm_after_exit(struct vmcb_control_area *c)
{
	c->int_ctl &= ~(V_IRQ_MASK | V_IGN_TPR_MASK | V_INTR_PRIO_MASK);
	ohv_svm_clear_intercept(c, INTERCEPT_VINTR);
	c->event_inj = 0;
	if (c->exit_int_info & SVM_EXITINTINFO_VALID) {
		c->event_inj = c->exit_int_info;
		c->event_inj_err = c->exit_int_info_err;
	}
}

static u32 ohv_svm_insn_len(struct vmcb *vmcb, u32 fallback)
{
	if (ohv_svm_has_nrips && vmcb->control.next_rip > vmcb->save.rip)
		return vmcb->control.next_rip - vmcb->save.rip;
	return fallback;
}

static void ohv_svm_decode_io(struct vmcb *vmcb, struct ohv_exit *e)
{
	u64 info = vmcb->control.exit_info_1;

	e->kind = OHV_EXIT_IO;
	e->io.raw = info;
	e->io.port = info >> 16;
	e->io.in = info & SVM_IOIO_TYPE_MASK;
	/* SZ8/SZ16/SZ32 are one-hot bits 4..6: shifted down, they are 1/2/4. */
	e->io.size = (info & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT;
	e->io.unsupported = (info & (SVM_IOIO_STR_MASK | SVM_IOIO_REP_MASK)) ||
			    !is_power_of_2(e->io.size);
	e->io.next_rip = vmcb->control.exit_info_2;
}

static void ohv_svm_decode_exception(struct vmcb *vmcb, struct ohv_exit *e)
{
	u8 vector = vmcb->control.exit_code - SVM_EXIT_EXCP_BASE;

	e->kind = OHV_EXIT_EXCEPTION;
	e->exception.vector = vector;
	e->exception.has_error = OHV_EXC_HAS_ERROR & BIT(vector);
	e->exception.error = vmcb->control.exit_info_1;
}

static bool ohv_svm_is_ud_exit(u32 code)
{
	switch (code) {
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
	case SVM_EXIT_RDTSCP:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
	case SVM_EXIT_MWAIT_COND:
	case SVM_EXIT_XSETBV:
	case SVM_EXIT_RDPRU:
	case SVM_EXIT_INVD:
		return true;
	default:
		return false;
	}
}

static void ohv_svm_set_gp(struct ohv_exit *e)
{
	e->kind = OHV_EXIT_EXCEPTION;
	e->exception.vector = X86_TRAP_GP;
	e->exception.has_error = true;
	e->exception.error = 0;
}

/*
 * On hardware a running guest cannot make its own state invalid: the CPU
 * checks every instruction. QEMU's SVM model (TCG) instead reports some
 * invalid control register writes (a reserved CR4 bit, which cr.c now
 * catches first; in later versions a CR3 above the physical address
 * width) as VMEXIT_INVALID with RIP still at the instruction, where the
 * architecture raises #GP. So: VMEXIT_INVALID from
 * a state the CPU already accepted, that still passes our own checks and
 * with no event being injected, is that #GP; anything else stays an
 * invalid-state error.
 */
static bool ohv_svm_err_is_guest_gp(struct ohv_vp *vp, bool injecting)
{
	struct ohv_hyp_sregs s = {};

	if (!((struct ohv_svm_vp *)vp->arch)->entered || injecting)
		return false;
	ohv_svm_get_sregs(vp, &s);
	return !ohv_sregs_check(&s);
}

static void ohv_svm_decode_exit(struct vmcb *vmcb, struct ohv_exit *e)
{
	u32 code = vmcb->control.exit_code;

	memset(e, 0, sizeof(*e));
	e->vendor_code = code;
	e->info[0] = vmcb->control.exit_info_1;
	e->info[1] = vmcb->control.exit_info_2;

	switch (code) {
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
		e->kind = OHV_EXIT_HOST_EVENT;
		break;
	case SVM_EXIT_VINTR:
		e->kind = OHV_EXIT_IRQ_WINDOW;
		break;
	case SVM_EXIT_CPUID:
		e->kind = OHV_EXIT_CPUID;
		e->insn_len = ohv_svm_insn_len(vmcb, 2);
		break;
	case SVM_EXIT_MSR:
		e->kind = vmcb->control.exit_info_1 ? OHV_EXIT_MSR_WRITE :
						      OHV_EXIT_MSR_READ;
		e->insn_len = ohv_svm_insn_len(vmcb, 2);
		break;
	case SVM_EXIT_IOIO:
		ohv_svm_decode_io(vmcb, e);
		break;
	case SVM_EXIT_HLT:
		e->kind = OHV_EXIT_HLT;
		e->insn_len = ohv_svm_insn_len(vmcb, 1);
		break;
	case SVM_EXIT_VMMCALL:
		e->kind = OHV_EXIT_HYPERCALL;
		e->insn_len = ohv_svm_insn_len(vmcb, 3);
		break;
	case SVM_EXIT_SHUTDOWN:
		e->kind = OHV_EXIT_SHUTDOWN;
		break;
	case SVM_EXIT_NPF:
		e->kind = OHV_EXIT_NPF;
		e->npf.gpa = vmcb->control.exit_info_2;
		e->npf.flags = vmcb->control.exit_info_1 &
			       (OHV_HYP_MEMORY_FAULT_WRITE | OHV_HYP_MEMORY_FAULT_EXEC);
		break;
	case SVM_EXIT_EXCP_BASE ... SVM_EXIT_LAST_EXCP:
		ohv_svm_decode_exception(vmcb, e);
		break;
	case SVM_EXIT_ERR:
		e->kind = OHV_EXIT_INVALID_STATE;
		break;
	case SVM_EXIT_WRITE_CR0:
	case SVM_EXIT_WRITE_CR4:
		/* Emulated by ohv_svm_enter(), which has the VP. */
		e->kind = OHV_EXIT_CR_WRITE;
		break;
	case SVM_EXIT_RDPMC:
		/*
		 * No performance counters are virtualized (their MSRs #GP
		 * too), so no counter index is valid.
		 */
		ohv_svm_set_gp(e);
		break;
	default:
		e->kind = ohv_svm_is_ud_exit(code) ? OHV_EXIT_UD :
						     OHV_EXIT_UNHANDLED;
	}
}

static void ohv_svm_finish_cr_write(struct ohv_vp *vp, struct ohv_exit *e)
{
	int ret = ohv_svm_emulate_cr_write(vp, e->vendor_code);

	if (ret == -EINVAL)
		ohv_svm_set_gp(e);
	else if (ret)
		e->kind = OHV_EXIT_UNHANDLED;
}

static void ohv_svm_clgi(void)
{
	asm volatile("clgi" ::: "memory");
}

static void ohv_svm_stgi(void)
{
	asm volatile("stgi" ::: "memory");
}

/*
 * Called with IRQs off. Host interrupts are enabled again under GIF=0:
 * they stay pending until VMRUN sets GIF, then force an INTR exit (the
 * guest cannot mask them, see V_INTR_MASKING) and are taken after STGI.
 */
static void ohv_svm_enter(struct ohv_vp *vp, struct ohv_exit *exit)
{
	struct ohv_svm_cpu *sc = this_cpu_ptr(&ohv_svm_cpus);
	struct ohv_svm_vp *svp = vp->arch;
	struct vmcb *vmcb = svp->vmcb;
	bool injecting = vmcb->control.event_inj & SVM_EVTINJ_VALID;

	ohv_svm_sync_to_vmcb(vp, vmcb);
	ohv_svm_prepare_tlb(vp, vmcb);

	ohv_svm_clgi();
	local_irq_enable();
	ohv_svm_vmrun(__pa(vmcb), vp->gpr, page_to_phys(sc->host_save));
	local_irq_disable();
	ohv_svm_stgi();

	/* #VMEXIT leaves the host with breakpoints disabled. */
	if (hw_breakpoint_active())
		hw_breakpoint_restore();

	ohv_svm_sync_from_vmcb(vp, vmcb);
	ohv_svm_decode_exit(vmcb, exit);
	if (exit->kind == OHV_EXIT_CR_WRITE)
		ohv_svm_finish_cr_write(vp, exit);
	if (exit->kind != OHV_EXIT_INVALID_STATE)
		svp->entered = true;
	else if (ohv_svm_err_is_guest_gp(vp, injecting))
		ohv_svm_set_gp(exit);
	ohv_svm_after_exit(&vmcb->control);
}

const struct ohv_backend_ops ohv_svm_ops = {
	.name			= "svm",
	.probe			= ohv_svm_probe,
	.init			= ohv_svm_init,
	.exit			= ohv_svm_exit,
	.cpu_enable		= ohv_svm_cpu_enable,
	.cpu_disable		= ohv_svm_cpu_disable,
	.partition_init		= ohv_svm_partition_init,
	.partition_destroy	= ohv_svm_partition_destroy,
	.map			= ohv_svm_map,
	.unmap			= ohv_svm_unmap,
	.vp_create		= ohv_svm_vp_create,
	.vp_destroy		= ohv_svm_vp_destroy,
	.get_sregs		= ohv_svm_get_sregs,
	.set_sregs		= ohv_svm_set_sregs,
	.msr_read		= ohv_svm_msr_read,
	.msr_write		= ohv_svm_msr_write,
	.event_in_flight	= ohv_svm_event_in_flight,
	.interrupt_allowed	= ohv_svm_interrupt_allowed,
	.inject_interrupt	= ohv_svm_inject_interrupt,
	.inject_exception	= ohv_svm_inject_exception,
	.request_irq_window	= ohv_svm_request_irq_window,
	.enter			= ohv_svm_enter,
};
