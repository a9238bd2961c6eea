// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX backend.
 *
 * VMXON on every CPU; one VMCS per VP whose control words are computed
 * from the capability MSRs (the TRUE_* ones when the CPU has them). EPT
 * is mandatory, and so is unrestricted guest (real mode runs natively).
 * Each VP owns a VPID when the CPU has them; its TLB entries, and the
 * partition's EPT entries, are flushed when the VP moves to another CPU,
 * when the partition unmaps memory, on its first entry (the VPID or the
 * EPT root may have been used before) and when they are freed.
 *
 * The VMCS is made current (VMPTRLD) only inside short preempt-disabled
 * brackets and cleared (VMCLEAR) at their end, so a VP never has to be
 * chased to the CPU where its VMCS is active; every entry is a VMLAUNCH.
 * The MSR and I/O bitmaps deny by default. Host interrupts and NMIs exit
 * (IRQs stay off across the entry, so they are taken right after it), and
 * the preemption timer, when present, bounds every stay in the guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/idr.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/traps.h>
#include <asm/vmx.h>

#include "../ohv.h"
#include "vmx.h"

#define OHV_CPUID1_ECX_VMX	BIT(5)

/* IA32_VMX_BASIC */
#define OHV_VMX_BASIC_SIZE(b)	(((b) >> 32) & 0x1fff)
#define OHV_VMX_BASIC_MT(b)	(((b) >> 50) & 0xf)
#define OHV_VMX_BASIC_TRUE_CTLS	BIT_ULL(55)

/* IA32_VMX_EPT_VPID_CAP */
#define OHV_EPT_CAP_WALK4	BIT_ULL(6)
#define OHV_EPT_CAP_WB		BIT_ULL(14)
#define OHV_EPT_CAP_INVEPT	BIT_ULL(20)
#define OHV_EPT_CAP_AD		BIT_ULL(21)
#define OHV_EPT_CAP_SINGLE	BIT_ULL(25)
#define OHV_EPT_CAP_GLOBAL	BIT_ULL(26)
#define OHV_VPID_CAP_INVVPID	BIT_ULL(32)
#define OHV_VPID_CAP_SINGLE	BIT_ULL(41)
#define OHV_VPID_CAP_ALL	BIT_ULL(42)

/* Guest-writable EFER bits; LMA follows CR0.PG. */
#define OHV_EFER_GUEST		(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)
#define OHV_DR7_INIT		0x400ULL
/* Preemption-timer budget per entry, in TSC cycles (before the shift). */
#define OHV_VMX_TIMER_TSC	(4ULL << 20)

/* Exit qualification of an I/O instruction. */
#define OHV_IOQ_SIZE(q)		(((q) & 7) + 1)
#define OHV_IOQ_IN		BIT(3)
#define OHV_IOQ_STRING		BIT(4)
#define OHV_IOQ_REP		BIT(5)
/* Exit qualification of an EPT violation. */
#define OHV_EPTQ_WRITE		BIT(1)
#define OHV_EPTQ_FETCH		BIT(2)

struct ohv_vmx_cpu {
	void *vmxon;
	bool enabled;
	/* Host state that does not change while the CPU is online. */
	u64 gdt_base, idt_base, tr_base, gs_base;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 pat, efer;
	u64 star, lstar, cstar, sfmask;
	struct desc_ptr gdt, idt;
};

static DEFINE_PER_CPU(struct ohv_vmx_cpu, ohv_vmx_cpus);
static DEFINE_IDA(ohv_vmx_vpid_ida);

static struct {
	u32 revision;
	u32 pin, proc, proc2, exit, entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 cr0_owned, cr4_owned;
	bool vpid, ept_ad, timer, invept_single, invvpid_single;
	u32 timer_shift;
} ohv_vmx;

static unsigned long *ohv_vmx_msr_bitmap;
static unsigned long *ohv_vmx_io_bitmap;	/* A and B: 8 KiB */

/* ---- VMX instructions ----------------------------------------------------- */

/*
 * VMXON faults only when IA32_FEATURE_CONTROL, CR4.VMXE or the CR fixed
 * bits forbid it; ohv_vmx_cpu_enable() has checked all of them.
 */
static int ohv_vmxon(u64 pa)
{
	bool fail;

	asm volatile("vmxon %[pa]" CC_SET(na)
		     : CC_OUT(na) (fail) : [pa] "m" (pa) : "memory");
	return fail ? -EIO : 0;
}

static void ohv_vmxoff(void)
{
	asm volatile("vmxoff" : : : "cc", "memory");
}

static bool ohv_vmclear(u64 pa)
{
	bool fail;

	asm volatile("vmclear %[pa]" CC_SET(na)
		     : CC_OUT(na) (fail) : [pa] "m" (pa) : "memory");
	return !fail;
}

static bool ohv_vmptrld(u64 pa)
{
	bool fail;

	asm volatile("vmptrld %[pa]" CC_SET(na)
		     : CC_OUT(na) (fail) : [pa] "m" (pa) : "memory");
	return !fail;
}

static u64 ohv_vmread(unsigned long field)
{
	u64 val = 0;

	asm volatile("vmread %[f], %[v]"
		     : [v] "=rm" (val) : [f] "r" (field) : "cc");
	return val;
}

static void ohv_vmwrite(unsigned long field, u64 val)
{
	asm volatile("vmwrite %[v], %[f]"
		     : : [v] "rm" (val), [f] "r" (field) : "cc", "memory");
}

static void ohv_invept(unsigned long type, u64 eptp)
{
	struct { u64 eptp, zero; } desc = { eptp, 0 };

	asm volatile("invept %[d], %[t]"
		     : : [d] "m" (desc), [t] "r" (type) : "cc", "memory");
}

static void ohv_invvpid(unsigned long type, u16 vpid)
{
	struct { u64 vpid, gva; } desc = { vpid, 0 };

	asm volatile("invvpid %[d], %[t]"
		     : : [d] "m" (desc), [t] "r" (type) : "cc", "memory");
}

static void ohv_vmx_flush_ept(u64 eptp)
{
	if (ohv_vmx.invept_single)
		ohv_invept(VMX_EPT_EXTENT_CONTEXT, eptp);
	else
		ohv_invept(VMX_EPT_EXTENT_GLOBAL, 0);
}

static void ohv_vmx_flush_vpid(u16 vpid)
{
	if (!vpid)
		return;
	if (ohv_vmx.invvpid_single)
		ohv_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, vpid);
	else
		ohv_invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, 0);
}

/* ---- the VMCS bracket ----------------------------------------------------- */

static struct ohv_vmx_vp *ohv_vmx_vp(struct ohv_vp *vp)
{
	return vp->arch;
}

static bool ohv_vmx_load(struct ohv_vmx_vp *vvp)
{
	preempt_disable();
	if (ohv_vmptrld(__pa(vvp->vmcs)))
		return true;
	pr_err_ratelimited("VMPTRLD failed\n");
	preempt_enable();
	return false;
}

static void ohv_vmx_put(struct ohv_vmx_vp *vvp)
{
	ohv_vmclear(__pa(vvp->vmcs));
	preempt_enable();
}

/* ---- capabilities ---------------------------------------------------------- */

static int ohv_vmx_ctl(const char *what, u32 msr, u32 true_msr, bool has_true,
		       u32 required, u32 optional, u32 *out)
{
	u32 missing;
	u64 cap;

	rdmsrl(has_true ? true_msr : msr, cap);
	if (ohv_vmx_adjust_controls(cap, required, optional, out, &missing)) {
		pr_err("CPU lacks %s VMX controls 0x%x (capability MSR 0x%llx); refusing to load\n",
		       what, missing, cap);
		return -ENODEV;
	}
	return 0;
}

static int ohv_vmx_probe_controls(u64 basic)
{
	bool t = basic & OHV_VMX_BASIC_TRUE_CTLS;
	u32 proc_dynamic = CPU_BASED_INTR_WINDOW_EXITING;
	int ret;

	ret = ohv_vmx_ctl("pin-based", MSR_IA32_VMX_PINBASED_CTLS,
			  MSR_IA32_VMX_TRUE_PINBASED_CTLS, t,
			  PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING,
			  PIN_BASED_VMX_PREEMPTION_TIMER, &ohv_vmx.pin);
	ret = ret ?: ohv_vmx_ctl("processor-based", MSR_IA32_VMX_PROCBASED_CTLS,
				 MSR_IA32_VMX_TRUE_PROCBASED_CTLS, t,
				 CPU_BASED_HLT_EXITING | CPU_BASED_USE_IO_BITMAPS |
				 CPU_BASED_USE_MSR_BITMAPS |
				 CPU_BASED_ACTIVATE_SECONDARY_CONTROLS |
				 CPU_BASED_CR8_LOAD_EXITING |
				 CPU_BASED_CR8_STORE_EXITING |
				 CPU_BASED_MWAIT_EXITING |
				 CPU_BASED_MONITOR_EXITING | proc_dynamic,
				 0, &ohv_vmx.proc);
	ret = ret ?: ohv_vmx_ctl("secondary", MSR_IA32_VMX_PROCBASED_CTLS2,
				 MSR_IA32_VMX_PROCBASED_CTLS2, false,
				 SECONDARY_EXEC_ENABLE_EPT |
				 SECONDARY_EXEC_UNRESTRICTED_GUEST,
				 SECONDARY_EXEC_ENABLE_VPID, &ohv_vmx.proc2);
	ret = ret ?: ohv_vmx_ctl("VM-exit", MSR_IA32_VMX_EXIT_CTLS,
				 MSR_IA32_VMX_TRUE_EXIT_CTLS, t,
				 VM_EXIT_HOST_ADDR_SPACE_SIZE |
				 VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_EFER |
				 VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_IA32_PAT,
				 0, &ohv_vmx.exit);
	ret = ret ?: ohv_vmx_ctl("VM-entry", MSR_IA32_VMX_ENTRY_CTLS,
				 MSR_IA32_VMX_TRUE_ENTRY_CTLS, t,
				 VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT |
				 VM_ENTRY_IA32E_MODE, 0, &ohv_vmx.entry);
	if (ret)
		return ret;
	/* Set per entry, not always. */
	ohv_vmx.proc &= ~proc_dynamic;
	ohv_vmx.entry &= ~VM_ENTRY_IA32E_MODE;
	ohv_vmx.vpid = ohv_vmx.proc2 & SECONDARY_EXEC_ENABLE_VPID;
	ohv_vmx.timer = ohv_vmx.pin & PIN_BASED_VMX_PREEMPTION_TIMER;
	return 0;
}

static int ohv_vmx_probe_ept(void)
{
	u64 cap;

	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, cap);
	if (!(cap & OHV_EPT_CAP_WALK4) || !(cap & OHV_EPT_CAP_WB) ||
	    !(cap & OHV_EPT_CAP_INVEPT) ||
	    !(cap & (OHV_EPT_CAP_SINGLE | OHV_EPT_CAP_GLOBAL))) {
		pr_err("EPT lacks 4-level walks, write-back or INVEPT (cap 0x%llx); refusing to load\n",
		       cap);
		return -ENODEV;
	}
	ohv_vmx.ept_ad = cap & OHV_EPT_CAP_AD;
	ohv_vmx.invept_single = cap & OHV_EPT_CAP_SINGLE;
	if (ohv_vmx.vpid && (!(cap & OHV_VPID_CAP_INVVPID) ||
			     !(cap & (OHV_VPID_CAP_SINGLE | OHV_VPID_CAP_ALL)))) {
		pr_info("VPIDs without a usable INVVPID: not using VPIDs\n");
		ohv_vmx.vpid = false;
		ohv_vmx.proc2 &= ~SECONDARY_EXEC_ENABLE_VPID;
	}
	ohv_vmx.invvpid_single = cap & OHV_VPID_CAP_SINGLE;
	return 0;
}

static int ohv_vmx_probe(void)
{
	u64 basic, feat, misc;
	int ret;

	if (!(cpuid_ecx(1) & OHV_CPUID1_ECX_VMX)) {
		pr_err("CPU has no Intel VMX; refusing to load\n");
		return -ENODEV;
	}
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &feat))
		feat = 0;
	if ((feat & FEAT_CTL_LOCKED) && !(feat & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("VMX is locked off by firmware (IA32_FEATURE_CONTROL 0x%llx); refusing to load\n",
		       feat);
		return -ENODEV;
	}
	if (__read_cr4() & X86_CR4_VMXE) {
		pr_err("CR4.VMXE is already set: another hypervisor (KVM?) owns VMX; refusing to load\n");
		return -EBUSY;
	}
	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	if (OHV_VMX_BASIC_SIZE(basic) > PAGE_SIZE ||
	    OHV_VMX_BASIC_MT(basic) != OHV_EPT_MT_WB) {
		pr_err("unsupported VMCS layout (IA32_VMX_BASIC 0x%llx); refusing to load\n",
		       basic);
		return -ENODEV;
	}
	ohv_vmx.revision = lower_32_bits(basic) & 0x7fffffff;
	ret = ohv_vmx_probe_controls(basic);
	if (ret)
		return ret;
	if (!(ohv_vmx.proc2 & SECONDARY_EXEC_ENABLE_EPT) ||
	    !(ohv_vmx.proc2 & SECONDARY_EXEC_UNRESTRICTED_GUEST)) {
		pr_err("CPU lacks EPT or unrestricted guest; refusing to load\n");
		return -ENODEV;
	}
	ret = ohv_vmx_probe_ept();
	if (ret)
		return ret;

	rdmsrl(MSR_IA32_VMX_MISC, misc);
	ohv_vmx.timer_shift = misc & VMX_MISC_PREEMPTION_TIMER_RATE_MASK;
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, ohv_vmx.cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, ohv_vmx.cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, ohv_vmx.cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, ohv_vmx.cr4_fixed1);
	/* Unrestricted guest: PE and PG are the guest's own. */
	ohv_vmx.cr0_owned = ohv_vmx_cr_owned(ohv_vmx.cr0_fixed0,
					     ohv_vmx.cr0_fixed1,
					     X86_CR0_PE | X86_CR0_PG);
	ohv_vmx.cr4_owned = ohv_vmx_cr_owned(ohv_vmx.cr4_fixed0,
					     ohv_vmx.cr4_fixed1, 0);
	pr_info("VMX: pin 0x%x proc 0x%x proc2 0x%x exit 0x%x entry 0x%x%s%s%s\n",
		ohv_vmx.pin, ohv_vmx.proc, ohv_vmx.proc2, ohv_vmx.exit,
		ohv_vmx.entry, ohv_vmx.vpid ? ", VPID" : "",
		ohv_vmx.ept_ad ? ", EPT A/D" : "",
		ohv_vmx.timer ? ", preemption timer" : "");
	return 0;
}

/* ---- module and CPU setup --------------------------------------------------- */

static void ohv_vmx_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct ohv_vmx_cpu *vc = per_cpu_ptr(&ohv_vmx_cpus, cpu);

		free_page((unsigned long)vc->vmxon);
		vc->vmxon = NULL;
	}
	free_page((unsigned long)ohv_vmx_msr_bitmap);
	free_pages((unsigned long)ohv_vmx_io_bitmap, 1);
	ohv_vmx_msr_bitmap = NULL;
	ohv_vmx_io_bitmap = NULL;
}

/* Switched by the VMCS (or by us around each entry): no exit needed. */
static const u32 ohv_vmx_passthrough_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
};

static int ohv_vmx_init(void)
{
	int cpu, i;

	ohv_vmx_msr_bitmap = (unsigned long *)__get_free_page(GFP_KERNEL);
	ohv_vmx_io_bitmap = (unsigned long *)__get_free_pages(GFP_KERNEL, 1);
	if (!ohv_vmx_msr_bitmap || !ohv_vmx_io_bitmap)
		goto nomem;
	/* Deny by default: every access exits. */
	memset(ohv_vmx_msr_bitmap, 0xff, PAGE_SIZE);
	memset(ohv_vmx_io_bitmap, 0xff, 2 * PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(ohv_vmx_passthrough_msrs); i++) {
		__clear_bit(ohv_vmx_msr_bitmap_bit(ohv_vmx_passthrough_msrs[i], false),
			    ohv_vmx_msr_bitmap);
		__clear_bit(ohv_vmx_msr_bitmap_bit(ohv_vmx_passthrough_msrs[i], true),
			    ohv_vmx_msr_bitmap);
	}
	for_each_possible_cpu(cpu) {
		struct ohv_vmx_cpu *vc = per_cpu_ptr(&ohv_vmx_cpus, cpu);

		vc->vmxon = (void *)get_zeroed_page(GFP_KERNEL);
		if (!vc->vmxon)
			goto nomem;
		*(u32 *)vc->vmxon = ohv_vmx.revision;
	}
	return 0;
nomem:
	ohv_vmx_exit();
	return -ENOMEM;
}

/* Base of the TSS whose selector is in TR, from the 16-byte descriptor. */
static u64 ohv_vmx_tr_base(const struct desc_ptr *gdt)
{
	const struct ldttss_desc *d;
	u16 tr;

	asm volatile("str %0" : "=r" (tr));
	d = (const struct ldttss_desc *)(gdt->address + (tr & ~7));
	return d->base0 | ((u64)d->base1 << 16) | ((u64)d->base2 << 24) |
	       ((u64)d->base3 << 32);
}

static void ohv_vmx_cache_host(struct ohv_vmx_cpu *vc)
{
	native_store_gdt(&vc->gdt);
	store_idt(&vc->idt);
	vc->gdt_base = vc->gdt.address;
	vc->idt_base = vc->idt.address;
	vc->tr_base = ohv_vmx_tr_base(&vc->gdt);
	rdmsrl(MSR_GS_BASE, vc->gs_base);
	rdmsrl(MSR_IA32_SYSENTER_CS, vc->sysenter_cs);
	rdmsrl(MSR_IA32_SYSENTER_ESP, vc->sysenter_esp);
	rdmsrl(MSR_IA32_SYSENTER_EIP, vc->sysenter_eip);
	rdmsrl(MSR_IA32_CR_PAT, vc->pat);
	rdmsrl(MSR_EFER, vc->efer);
	rdmsrl(MSR_STAR, vc->star);
	rdmsrl(MSR_LSTAR, vc->lstar);
	rdmsrl(MSR_CSTAR, vc->cstar);
	rdmsrl(MSR_SYSCALL_MASK, vc->sfmask);
}

static int ohv_vmx_cpu_enable(void)
{
	struct ohv_vmx_cpu *vc = this_cpu_ptr(&ohv_vmx_cpus);
	int cpu = smp_processor_id();
	u64 feat;
	int ret;

	if (__read_cr4() & X86_CR4_VMXE) {
		pr_err("CPU %d: CR4.VMXE is already set: another hypervisor (KVM?) owns VMX; refusing to load\n",
		       cpu);
		return -EBUSY;
	}
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &feat))
		feat = 0;
	if (!(feat & FEAT_CTL_LOCKED)) {
		feat |= FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX;
		if (wrmsrl_safe(MSR_IA32_FEAT_CTL, feat))
			return -ENODEV;
	} else if (!(feat & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("CPU %d: VMX is locked off by firmware; refusing to load\n", cpu);
		return -ENODEV;
	}
	if (!ohv_vmx_cr_ok(read_cr0(), ohv_vmx.cr0_fixed0, ohv_vmx.cr0_fixed1) ||
	    !ohv_vmx_cr_ok(__read_cr4() | X86_CR4_VMXE, ohv_vmx.cr4_fixed0,
			   ohv_vmx.cr4_fixed1)) {
		pr_err("CPU %d: CR0 0x%lx / CR4 0x%lx violate the VMX fixed bits; refusing to load\n",
		       cpu, read_cr0(), __read_cr4());
		return -ENODEV;
	}
	ohv_vmx_cache_host(vc);
	cr4_set_bits(X86_CR4_VMXE);
	ret = ohv_vmxon(__pa(vc->vmxon));
	if (ret) {
		cr4_clear_bits(X86_CR4_VMXE);
		pr_err("CPU %d: VMXON failed (%d); refusing to load\n", cpu, ret);
		return -EIO;
	}
	/* Whoever used VMX here before may have left translations behind. */
	ohv_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	if (ohv_vmx.vpid)
		ohv_invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, 0);
	vc->enabled = true;
	return 0;
}

static void ohv_vmx_cpu_disable(void)
{
	struct ohv_vmx_cpu *vc = this_cpu_ptr(&ohv_vmx_cpus);

	if (!vc->enabled)
		return;
	ohv_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
	vc->enabled = false;
}

/* ---- partitions ---------------------------------------------------------------- */

static struct ohv_vmx_partition *ohv_vmx_part(struct ohv_partition *p)
{
	return p->arch;
}

static int ohv_vmx_partition_init(struct ohv_partition *p)
{
	struct ohv_vmx_partition *vp;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL_ACCOUNT);
	if (!vp)
		return -ENOMEM;
	if (ohv_ept_init(&vp->ept, ohv_vmx.ept_ad)) {
		kfree(vp);
		return -ENOMEM;
	}
	vp->eptp = ohv_eptp(__pa(vp->ept.root), ohv_vmx.ept_ad);
	p->arch = vp;
	return 0;
}

static void ohv_vmx_invept_on_cpu(void *eptp)
{
	ohv_vmx_flush_ept(*(u64 *)eptp);
}

static void ohv_vmx_partition_destroy(struct ohv_partition *p)
{
	struct ohv_vmx_partition *vp = ohv_vmx_part(p);

	/* No CPU may keep translations through tables about to be freed. */
	on_each_cpu(ohv_vmx_invept_on_cpu, &vp->eptp, 1);
	ohv_ept_destroy(&vp->ept);
	kfree(vp);
	p->arch = NULL;
}

static int ohv_vmx_map(struct ohv_partition *p, u64 gpa, struct page **pages,
		       u64 n)
{
	return ohv_ept_map(&ohv_vmx_part(p)->ept, gpa, pages, n);
}

static void ohv_vmx_unmap(struct ohv_partition *p, u64 gpa, u64 n)
{
	ohv_ept_unmap(&ohv_vmx_part(p)->ept, gpa, n);
}

/* ---- VMCS setup ---------------------------------------------------------------- */

/*
 * Exceptions that can be raised again by their own delivery (#AC, #DB)
 * and keep a CPU in the guest forever, and #UD, where VMMCALL (the AMD
 * hypercall instruction) is recognized.
 */
#define OHV_VMX_EXC_BITMAP	(BIT(X86_TRAP_AC) | BIT(X86_TRAP_DB) | \
				 BIT(X86_TRAP_UD))

static void ohv_vmx_init_vmcs(struct ohv_vp *vp)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);

	ohv_vmwrite(PIN_BASED_VM_EXEC_CONTROL, ohv_vmx.pin);
	ohv_vmwrite(CPU_BASED_VM_EXEC_CONTROL, ohv_vmx.proc);
	ohv_vmwrite(SECONDARY_VM_EXEC_CONTROL, ohv_vmx.proc2);
	ohv_vmwrite(VM_EXIT_CONTROLS, ohv_vmx.exit);
	ohv_vmwrite(VM_ENTRY_CONTROLS, ohv_vmx.entry);
	ohv_vmwrite(EXCEPTION_BITMAP, OHV_VMX_EXC_BITMAP);
	ohv_vmwrite(PAGE_FAULT_ERROR_CODE_MASK, 0);
	ohv_vmwrite(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	ohv_vmwrite(CR3_TARGET_COUNT, 0);
	ohv_vmwrite(VM_EXIT_MSR_STORE_COUNT, 0);
	ohv_vmwrite(VM_EXIT_MSR_LOAD_COUNT, 0);
	ohv_vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 0);
	ohv_vmwrite(IO_BITMAP_A, __pa(ohv_vmx_io_bitmap));
	ohv_vmwrite(IO_BITMAP_B, __pa(ohv_vmx_io_bitmap) + PAGE_SIZE);
	ohv_vmwrite(MSR_BITMAP, __pa(ohv_vmx_msr_bitmap));
	ohv_vmwrite(EPT_POINTER, ohv_vmx_part(vp->part)->eptp);
	if (vvp->vpid)
		ohv_vmwrite(VIRTUAL_PROCESSOR_ID, vvp->vpid);
	ohv_vmwrite(CR0_GUEST_HOST_MASK, ohv_vmx.cr0_owned);
	ohv_vmwrite(CR4_GUEST_HOST_MASK, ohv_vmx.cr4_owned);
	ohv_vmwrite(VMCS_LINK_POINTER, ~0ULL);
	ohv_vmwrite(GUEST_IA32_DEBUGCTL, 0);
	ohv_vmwrite(GUEST_IA32_PAT, OHV_PAT_DEFAULT);
	ohv_vmwrite(GUEST_DR7, OHV_DR7_INIT);
	ohv_vmwrite(GUEST_SYSENTER_CS, 0);
	ohv_vmwrite(GUEST_SYSENTER_ESP, 0);
	ohv_vmwrite(GUEST_SYSENTER_EIP, 0);
	ohv_vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	ohv_vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	ohv_vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	ohv_vmwrite(VM_ENTRY_INTR_INFO_FIELD, 0);
	/* Host selectors that never change. */
	ohv_vmwrite(HOST_CS_SELECTOR, __KERNEL_CS);
	ohv_vmwrite(HOST_SS_SELECTOR, __KERNEL_DS);
	ohv_vmwrite(HOST_DS_SELECTOR, 0);
	ohv_vmwrite(HOST_ES_SELECTOR, 0);
	ohv_vmwrite(HOST_FS_SELECTOR, 0);
	ohv_vmwrite(HOST_GS_SELECTOR, 0);
	ohv_vmwrite(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
}

static int ohv_vmx_vp_create(struct ohv_vp *vp)
{
	struct ohv_vmx_vp *vvp;
	int vpid = 0;

	vvp = kzalloc(sizeof(*vvp), GFP_KERNEL_ACCOUNT);
	if (!vvp)
		return -ENOMEM;
	vvp->vmcs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (ohv_vmx.vpid)
		vpid = ida_alloc_range(&ohv_vmx_vpid_ida, 1, 0xffff, GFP_KERNEL);
	if (!vvp->vmcs || vpid < 0) {
		free_page((unsigned long)vvp->vmcs);
		kfree(vvp);
		return vpid < 0 ? vpid : -ENOMEM;
	}
	*(u32 *)vvp->vmcs = ohv_vmx.revision;
	vvp->vpid = vpid;
	vvp->last_cpu = -1;
	vp->arch = vvp;

	/* VMCLEAR makes the fresh region a valid, clear VMCS. */
	preempt_disable();
	ohv_vmclear(__pa(vvp->vmcs));
	preempt_enable();
	if (!ohv_vmx_load(vvp))
		goto fail;
	ohv_vmx_init_vmcs(vp);
	ohv_vmx_put(vvp);
	return 0;
fail:
	if (vpid)
		ida_free(&ohv_vmx_vpid_ida, vpid);
	free_page((unsigned long)vvp->vmcs);
	kfree(vvp);
	vp->arch = NULL;
	return -EIO;
}

static void ohv_vmx_invvpid_on_cpu(void *vpid)
{
	ohv_vmx_flush_vpid(*(u16 *)vpid);
}

static void ohv_vmx_vp_destroy(struct ohv_vp *vp)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);

	if (vvp->vpid) {
		/* The next owner of this VPID must not see our translations. */
		on_each_cpu(ohv_vmx_invvpid_on_cpu, &vvp->vpid, 1);
		ida_free(&ohv_vmx_vpid_ida, vvp->vpid);
	}
	free_page((unsigned long)vvp->vmcs);
	kfree(vvp);
	vp->arch = NULL;
}

/* ---- system registers ------------------------------------------------------------ */

struct ohv_vmx_segfields {
	u32 selector, base, limit, ar;
};

#define OHV_SEGF(s) { GUEST_##s##_SELECTOR, GUEST_##s##_BASE, \
		      GUEST_##s##_LIMIT, GUEST_##s##_AR_BYTES }

static const struct ohv_vmx_segfields ohv_vmx_segs[] = {
	OHV_SEGF(CS), OHV_SEGF(DS), OHV_SEGF(ES), OHV_SEGF(FS),
	OHV_SEGF(GS), OHV_SEGF(SS), OHV_SEGF(TR), OHV_SEGF(LDTR),
};

static struct ohv_hyp_segment *ohv_vmx_sreg_seg(struct ohv_hyp_sregs *s, int i)
{
	struct ohv_hyp_segment *segs[] = {
		&s->cs, &s->ds, &s->es, &s->fs, &s->gs, &s->ss, &s->tr, &s->ldt,
	};

	return segs[i];
}

static u64 ohv_vmx_guest_cr(u64 real, u64 shadow, u64 owned)
{
	return (real & ~owned) | (shadow & owned);
}

static void ohv_vmx_get_sregs(struct ohv_vp *vp, struct ohv_hyp_sregs *s)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);
	int i;

	if (!ohv_vmx_load(vvp))
		return;
	for (i = 0; i < ARRAY_SIZE(ohv_vmx_segs); i++) {
		struct ohv_hyp_segment *seg = ohv_vmx_sreg_seg(s, i);

		seg->selector = ohv_vmread(ohv_vmx_segs[i].selector);
		seg->base = ohv_vmread(ohv_vmx_segs[i].base);
		seg->limit = ohv_vmread(ohv_vmx_segs[i].limit);
		seg->attributes = ohv_vmx_attr_from_ar(ohv_vmread(ohv_vmx_segs[i].ar));
	}
	s->gdt.base = ohv_vmread(GUEST_GDTR_BASE);
	s->gdt.limit = ohv_vmread(GUEST_GDTR_LIMIT);
	s->idt.base = ohv_vmread(GUEST_IDTR_BASE);
	s->idt.limit = ohv_vmread(GUEST_IDTR_LIMIT);
	s->cr0 = ohv_vmx_guest_cr(ohv_vmread(GUEST_CR0), vvp->cr0_shadow,
				  ohv_vmx.cr0_owned);
	s->cr4 = ohv_vmx_guest_cr(ohv_vmread(GUEST_CR4), vvp->cr4_shadow,
				  ohv_vmx.cr4_owned);
	s->cr3 = ohv_vmread(GUEST_CR3);
	s->efer = ohv_vmread(GUEST_IA32_EFER);
	ohv_vmx_put(vvp);
	s->cr2 = vvp->cr2;
}

/* EFER as the CPU must see it: LMA = LME && CR0.PG; plus the entry control. */
static void ohv_vmx_write_efer(u64 efer, u64 cr0)
{
	u32 entry = ohv_vmx.entry;

	efer &= ~EFER_LMA;
	if ((efer & EFER_LME) && (cr0 & X86_CR0_PG)) {
		efer |= EFER_LMA;
		entry |= VM_ENTRY_IA32E_MODE;
	}
	ohv_vmwrite(GUEST_IA32_EFER, efer);
	ohv_vmwrite(VM_ENTRY_CONTROLS, entry);
}

static void ohv_vmx_write_cr0(struct ohv_vmx_vp *vvp, u64 cr0)
{
	u64 forced = ohv_vmx.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);

	vvp->cr0_shadow = cr0;
	ohv_vmwrite(CR0_READ_SHADOW, cr0);
	ohv_vmwrite(GUEST_CR0, (cr0 | forced) & ohv_vmx.cr0_fixed1);
}

static void ohv_vmx_write_cr4(struct ohv_vmx_vp *vvp, u64 cr4)
{
	vvp->cr4_shadow = cr4;
	ohv_vmwrite(CR4_READ_SHADOW, cr4);
	ohv_vmwrite(GUEST_CR4, ohv_vmx_cr_fixup(cr4, ohv_vmx.cr4_fixed0,
						ohv_vmx.cr4_fixed1));
}

static void ohv_vmx_set_sregs(struct ohv_vp *vp, const struct ohv_hyp_sregs *s)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);
	int i;

	if (!ohv_vmx_load(vvp))
		return;
	for (i = 0; i < ARRAY_SIZE(ohv_vmx_segs); i++) {
		const struct ohv_hyp_segment *seg =
			ohv_vmx_sreg_seg((struct ohv_hyp_sregs *)s, i);
		/* A segment without P is unusable; TR must stay usable. */
		bool unusable = !(seg->attributes & OHV_HYP_SEG_P) &&
				ohv_vmx_segs[i].selector != GUEST_TR_SELECTOR;

		ohv_vmwrite(ohv_vmx_segs[i].selector, seg->selector);
		ohv_vmwrite(ohv_vmx_segs[i].base, seg->base);
		ohv_vmwrite(ohv_vmx_segs[i].limit, seg->limit);
		ohv_vmwrite(ohv_vmx_segs[i].ar,
			    ohv_vmx_ar_from_attr(seg->attributes, unusable));
	}
	ohv_vmwrite(GUEST_GDTR_BASE, s->gdt.base);
	ohv_vmwrite(GUEST_GDTR_LIMIT, s->gdt.limit);
	ohv_vmwrite(GUEST_IDTR_BASE, s->idt.base);
	ohv_vmwrite(GUEST_IDTR_LIMIT, s->idt.limit);
	ohv_vmx_write_cr0(vvp, s->cr0);
	ohv_vmx_write_cr4(vvp, s->cr4);
	ohv_vmwrite(GUEST_CR3, s->cr3);
	ohv_vmx_write_efer(s->efer, s->cr0);
	ohv_vmx_put(vvp);
	vvp->cr2 = s->cr2;
	vvp->flush = true;
	vvp->load_pdptrs = true;
}

static int ohv_vmx_msr_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);

	switch (msr) {
	case MSR_EFER:
	case MSR_IA32_CR_PAT:
		if (!ohv_vmx_load(vvp))
			return -EIO;
		*val = ohv_vmread(msr == MSR_EFER ? GUEST_IA32_EFER : GUEST_IA32_PAT);
		ohv_vmx_put(vvp);
		return 0;
	case MSR_STAR:
		*val = vvp->star;
		return 0;
	case MSR_LSTAR:
		*val = vvp->lstar;
		return 0;
	case MSR_CSTAR:
		*val = vvp->cstar;
		return 0;
	case MSR_SYSCALL_MASK:
		*val = vvp->sfmask;
		return 0;
	default:
		return -EINVAL;
	}
}

static int ohv_vmx_write_efer_msr(struct ohv_vmx_vp *vvp, u64 val)
{
	u64 cr0, old;
	int ret = 0;

	if (val & ~OHV_EFER_GUEST)
		return -EINVAL;
	if (!ohv_vmx_load(vvp))
		return -EIO;
	cr0 = ohv_vmread(GUEST_CR0);
	old = ohv_vmread(GUEST_IA32_EFER);
	/* LME cannot change while paging is on. */
	if ((cr0 & X86_CR0_PG) && ((val ^ old) & EFER_LME))
		ret = -EINVAL;
	else
		ohv_vmx_write_efer(val, cr0);
	ohv_vmx_put(vvp);
	return ret;
}

static bool ohv_vmx_canonical(u64 addr)
{
	return (u64)((s64)(addr << 16) >> 16) == addr;
}

static int ohv_vmx_msr_write(struct ohv_vp *vp, u32 msr, u64 val)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);

	switch (msr) {
	case MSR_EFER:
		return ohv_vmx_write_efer_msr(vvp, val);
	case MSR_IA32_CR_PAT:
		if (!ohv_pat_valid(val))
			return -EINVAL;
		if (!ohv_vmx_load(vvp))
			return -EIO;
		ohv_vmwrite(GUEST_IA32_PAT, val);
		ohv_vmx_put(vvp);
		return 0;
	case MSR_STAR:
		vvp->star = val;
		break;
	case MSR_LSTAR:
		if (!ohv_vmx_canonical(val))
			return -EINVAL;
		vvp->lstar = val;
		break;
	case MSR_CSTAR:
		if (!ohv_vmx_canonical(val))
			return -EINVAL;
		vvp->cstar = val;
		break;
	case MSR_SYSCALL_MASK:
		vvp->sfmask = lower_32_bits(val);
		break;
	default:
		return -EINVAL;
	}
	vvp->syscall_msrs = true;
	return 0;
}

/* ---- event injection ------------------------------------------------------------- */

static bool ohv_vmx_event_in_flight(struct ohv_vp *vp)
{
	return ohv_vmx_vp(vp)->entry_intr & INTR_INFO_VALID_MASK;
}

static bool ohv_vmx_interrupt_allowed(struct ohv_vp *vp)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);
	u32 shadow = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS;

	if (!(vp->rflags & X86_EFLAGS_IF))
		return false;
	/* The shadow ends once we have moved RIP past its instruction. */
	return vp->rip != vvp->exit_rip || !(vvp->interruptibility & shadow);
}

static void ohv_vmx_inject_interrupt(struct ohv_vp *vp, u8 vector)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);

	vvp->entry_intr = vector | INTR_TYPE_EXT_INTR | INTR_INFO_VALID_MASK;
	vvp->entry_insn_len = 0;
}

static void ohv_vmx_inject_exception(struct ohv_vp *vp, u8 vector,
				     bool has_error, u32 error)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);

	vvp->entry_intr = vector | INTR_TYPE_HARD_EXCEPTION | INTR_INFO_VALID_MASK;
	vvp->entry_insn_len = 0;
	/* Real mode delivers no error code; the entry checks insist. */
	if (has_error && (vvp->cr0_shadow & X86_CR0_PE)) {
		vvp->entry_intr |= INTR_INFO_DELIVER_CODE_MASK;
		vvp->entry_error = error;
	}
}

static void ohv_vmx_request_irq_window(struct ohv_vp *vp)
{
	ohv_vmx_vp(vp)->irq_window = true;
}

/* ---- guest memory (for the #UD check) -------------------------------------------- */

/* Copies one byte of guest physical memory; false outside every slot. */
static bool ohv_vmx_read_gpa(struct ohv_partition *p, u64 gpa, u8 *out)
{
	int i;

	for (i = 0; i < OHV_HYP_MAX_MEMSLOTS; i++) {
		const struct ohv_memslot *s = &p->slots[i];
		u8 *va;

		if (!s->pages || gpa < s->gpa ||
		    gpa - s->gpa >= s->npages << PAGE_SHIFT)
			continue;
		va = page_address(s->pages[(gpa - s->gpa) >> PAGE_SHIFT]);
		*out = READ_ONCE(va[gpa & ~PAGE_MASK]);
		return true;
	}
	return false;
}

static bool ohv_vmx_read_gpa64(struct ohv_partition *p, u64 gpa, u64 *out)
{
	u8 b;
	int i;

	*out = 0;
	for (i = 0; i < 8; i++) {
		if (!ohv_vmx_read_gpa(p, gpa + i, &b))
			return false;
		*out |= (u64)b << (8 * i);
	}
	return true;
}

/*
 * PAE paging outside long mode takes its PDPTEs from the VMCS at entry.
 * The CPU keeps them current for the guest's own MOV CR3; when we changed
 * CR0/CR3/CR4 or the registers came from user space, load them from guest
 * memory (mem_lock is held by the run loop). VMCS loaded.
 */
static void ohv_vmx_load_pdptrs(struct ohv_vp *vp)
{
	u64 cr0 = ohv_vmread(GUEST_CR0), cr4 = ohv_vmread(GUEST_CR4);
	u64 base = ohv_vmread(GUEST_CR3) & GENMASK_ULL(31, 5), pdpte;
	int i;

	if (!(cr0 & X86_CR0_PG) || !(cr4 & X86_CR4_PAE) ||
	    (ohv_vmread(GUEST_IA32_EFER) & EFER_LMA))
		return;
	for (i = 0; i < 4; i++) {
		if (!ohv_vmx_read_gpa64(vp->part, base + i * 8, &pdpte))
			pdpte = 0;
		ohv_vmwrite(GUEST_PDPTR0 + i * 2, pdpte);
	}
}

/*
 * Linear to guest physical, for instruction fetches: no paging, or
 * 4-level long-mode paging. Other modes are not translated.
 */
static bool ohv_vmx_translate(struct ohv_vp *vp, u64 cr0, u64 cr3, u64 cr4,
			      u64 efer, u64 la, u64 *gpa)
{
	u64 table = cr3 & GENMASK_ULL(51, 12), e = 0;
	int level;

	if (!(cr0 & X86_CR0_PG)) {
		*gpa = la & 0xffffffffULL;
		return true;
	}
	if (!(efer & EFER_LMA) || (cr4 & X86_CR4_LA57))
		return false;
	for (level = 4; level >= 1; level--) {
		int shift = 12 + 9 * (level - 1);

		if (!ohv_vmx_read_gpa64(vp->part,
					table + ((la >> shift) & 511) * 8, &e) ||
		    !(e & _PAGE_PRESENT))
			return false;
		if (level == 1 || (level <= 3 && (e & _PAGE_PSE))) {
			u64 mask = GENMASK_ULL(shift - 1, 0);

			*gpa = (e & GENMASK_ULL(51, 12) & ~mask) | (la & mask);
			return true;
		}
		table = e & GENMASK_ULL(51, 12);
	}
	return false;
}

/* Is the faulting instruction VMMCALL (0f 01 d9)? VMCS loaded. */
static bool ohv_vmx_is_vmmcall(struct ohv_vp *vp)
{
	static const u8 vmmcall[] = { 0x0f, 0x01, 0xd9 };
	u64 cr0 = ohv_vmread(GUEST_CR0), cr3 = ohv_vmread(GUEST_CR3);
	u64 cr4 = ohv_vmread(GUEST_CR4), efer = ohv_vmread(GUEST_IA32_EFER);
	u64 la = ohv_vmread(GUEST_CS_BASE) + vp->rip, gpa;
	u8 b;
	int i;

	if (!(efer & EFER_LMA))
		la &= 0xffffffffULL;
	for (i = 0; i < ARRAY_SIZE(vmmcall); i++) {
		if (!ohv_vmx_translate(vp, cr0, cr3, cr4, efer, la + i, &gpa) ||
		    !ohv_vmx_read_gpa(vp->part, gpa, &b) || b != vmmcall[i])
			return false;
	}
	return true;
}

/* ---- control registers ------------------------------------------------------------- */

/* MOV to CR0 that touched a bit we own. VMCS loaded. */
static bool ohv_vmx_set_cr0(struct ohv_vp *vp, u64 val)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);
	u64 efer = ohv_vmread(GUEST_IA32_EFER);
	u64 cr4 = vvp->cr4_shadow;

	if (upper_32_bits(val))
		return false;
	val |= X86_CR0_ET;
	if ((val & X86_CR0_PG) && !(val & X86_CR0_PE))
		return false;
	if ((val & X86_CR0_NW) && !(val & X86_CR0_CD))
		return false;
	if ((val & X86_CR0_PG) && !(vvp->cr0_shadow & X86_CR0_PG) &&
	    (efer & EFER_LME) && !(cr4 & X86_CR4_PAE))
		return false;
	/* Leaving long mode by clearing PG is only legal outside 64-bit code. */
	if (!(val & X86_CR0_PG) && (efer & EFER_LMA) &&
	    (ohv_vmread(GUEST_CS_AR_BYTES) & VMX_AR_L_MASK))
		return false;
	ohv_vmx_write_cr0(vvp, val);
	/* EFER.LMA and the IA-32e entry control follow CR0.PG. */
	ohv_vmx_write_efer(efer, val);
	vvp->flush = true;
	vvp->load_pdptrs = true;
	return true;
}

static bool ohv_vmx_set_cr4(struct ohv_vp *vp, u64 val)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);
	u64 efer = ohv_vmread(GUEST_IA32_EFER);

	/* No nested VMX; nothing the CPU itself does not allow. */
	if (val & X86_CR4_VMXE)
		return false;
	if (!ohv_vmx_cr_ok(val | (ohv_vmx.cr4_fixed0 & X86_CR4_VMXE),
			   ohv_vmx.cr4_fixed0 & X86_CR4_VMXE, ohv_vmx.cr4_fixed1))
		return false;
	if ((efer & EFER_LMA) && !(val & X86_CR4_PAE))
		return false;
	ohv_vmx_write_cr4(vvp, val);
	vvp->flush = true;
	vvp->load_pdptrs = true;
	return true;
}

/*
 * Emulates a MOV CR/CLTS/LMSW exit. Returns false when the guest must
 * get #GP instead. VMCS loaded.
 */
static bool ohv_vmx_cr_access(struct ohv_vp *vp, u64 q)
{
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);
	int cr = q & CONTROL_REG_ACCESS_NUM;
	int type = (q & CONTROL_REG_ACCESS_TYPE) >> 4;
	u64 *reg = &vp->gpr[(q & CONTROL_REG_ACCESS_REG) >> 8];
	u64 val;

	switch (type) {
	case 0:		/* MOV to CR */
		val = *reg;
		if (cr == 0)
			return ohv_vmx_set_cr0(vp, val);
		if (cr == 4)
			return ohv_vmx_set_cr4(vp, val);
		if (cr == 3) {
			ohv_vmwrite(GUEST_CR3, val);
			vvp->flush = true;
			vvp->load_pdptrs = true;
			return true;
		}
		if (cr == 8) {
			if (val & ~0xfULL)
				return false;
			vp->lapic.tpr = val << 4;
			return true;
		}
		return false;
	case 1:		/* MOV from CR */
		if (cr == 3)
			*reg = ohv_vmread(GUEST_CR3);
		else if (cr == 8)
			*reg = vp->lapic.tpr >> 4;
		else
			return false;
		return true;
	case 2:		/* CLTS */
		return ohv_vmx_set_cr0(vp, vvp->cr0_shadow & ~X86_CR0_TS);
	default:	/* LMSW: only the low four bits, and it cannot clear PE */
		val = (q >> LMSW_SOURCE_DATA_SHIFT) & 0xf;
		val |= vvp->cr0_shadow & X86_CR0_PE;
		return ohv_vmx_set_cr0(vp, (vvp->cr0_shadow & ~0xfULL) | val);
	}
}

/* ---- running ------------------------------------------------------------------------ */

struct ohv_vmx_exit_info {
	u32 reason;
	u64 qual;
	u32 intr_info, intr_error;
	u32 idt_info, idt_error;
	u32 insn_len;
};

static bool ohv_vmx_is_ud_exit(u32 reason)
{
	switch (reason) {
	case EXIT_REASON_VMCLEAR:
	case EXIT_REASON_VMLAUNCH:
	case EXIT_REASON_VMPTRLD:
	case EXIT_REASON_VMPTRST:
	case EXIT_REASON_VMREAD:
	case EXIT_REASON_VMRESUME:
	case EXIT_REASON_VMWRITE:
	case EXIT_REASON_VMOFF:
	case EXIT_REASON_VMON:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC:
	case EXIT_REASON_XSETBV:
	case EXIT_REASON_INVD:
	case EXIT_REASON_MWAIT_INSTRUCTION:
	case EXIT_REASON_MONITOR_INSTRUCTION:
	case EXIT_REASON_RDTSCP:
	case EXIT_REASON_INVPCID:
	case EXIT_REASON_XSAVES:
	case EXIT_REASON_XRSTORS:
	case EXIT_REASON_ENCLS:
	case 11:			/* GETSEC */
		return true;
	default:
		return false;
	}
}

static void ohv_vmx_decode_io(struct ohv_vp *vp, const struct ohv_vmx_exit_info *x,
			      struct ohv_exit *e)
{
	e->kind = OHV_EXIT_IO;
	e->io.raw = x->qual;
	e->io.port = x->qual >> 16;
	e->io.in = x->qual & OHV_IOQ_IN;
	e->io.size = OHV_IOQ_SIZE(x->qual);
	e->io.unsupported = (x->qual & (OHV_IOQ_STRING | OHV_IOQ_REP)) ||
			    (e->io.size != 1 && e->io.size != 2 && e->io.size != 4);
	e->io.next_rip = vp->rip + x->insn_len;
}

/* Decodes an exit; VMCS loaded, IRQs off. Some exits are handled here. */
static void ohv_vmx_decode_exit(struct ohv_vp *vp, const struct ohv_vmx_exit_info *x,
				struct ohv_exit *e)
{
	u32 reason = x->reason & 0xffff;
	u8 vector = x->intr_info & INTR_INFO_VECTOR_MASK;

	memset(e, 0, sizeof(*e));
	e->vendor_code = x->reason;
	e->insn_len = x->insn_len;
	e->info[0] = x->qual;
	e->info[1] = x->intr_info;

	if (x->reason & VMX_EXIT_REASONS_FAILED_VMENTRY) {
		pr_info_ratelimited("vp%u: VM entry failed: %s (reason %u, qualification 0x%llx)\n",
				    vp->index,
				    ohv_vmx_entry_failure_name(x->reason, x->qual),
				    reason, x->qual);
		e->kind = OHV_EXIT_INVALID_STATE;
		return;
	}

	switch (reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		if ((x->intr_info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR) {
			e->kind = OHV_EXIT_HOST_EVENT;
		} else if (vector == X86_TRAP_UD && ohv_vmx_is_vmmcall(vp)) {
			e->kind = OHV_EXIT_HYPERCALL;
			e->insn_len = 3;
		} else {
			e->kind = OHV_EXIT_EXCEPTION;
			e->exception.vector = vector;
			e->exception.has_error = x->intr_info & INTR_INFO_DELIVER_CODE_MASK;
			e->exception.error = x->intr_error;
		}
		break;
	case EXIT_REASON_EXTERNAL_INTERRUPT:
	case EXIT_REASON_PREEMPTION_TIMER:
		e->kind = OHV_EXIT_HOST_EVENT;
		break;
	case EXIT_REASON_INTERRUPT_WINDOW:
		e->kind = OHV_EXIT_IRQ_WINDOW;
		break;
	case EXIT_REASON_TRIPLE_FAULT:
		e->kind = OHV_EXIT_SHUTDOWN;
		break;
	case EXIT_REASON_CPUID:
		e->kind = OHV_EXIT_CPUID;
		break;
	case EXIT_REASON_HLT:
		e->kind = OHV_EXIT_HLT;
		break;
	case EXIT_REASON_IO_INSTRUCTION:
		ohv_vmx_decode_io(vp, x, e);
		break;
	case EXIT_REASON_MSR_READ:
		e->kind = OHV_EXIT_MSR_READ;
		break;
	case EXIT_REASON_MSR_WRITE:
		e->kind = OHV_EXIT_MSR_WRITE;
		break;
	case EXIT_REASON_VMCALL:
		e->kind = OHV_EXIT_HYPERCALL;
		break;
	case EXIT_REASON_EPT_VIOLATION:
		e->kind = OHV_EXIT_NPF;
		e->npf.gpa = ohv_vmread(GUEST_PHYSICAL_ADDRESS);
		if (x->qual & OHV_EPTQ_WRITE)
			e->npf.flags |= OHV_HYP_MEMORY_FAULT_WRITE;
		if (x->qual & OHV_EPTQ_FETCH)
			e->npf.flags |= OHV_HYP_MEMORY_FAULT_EXEC;
		break;
	case EXIT_REASON_EPT_MISCONFIG:
		pr_err_ratelimited("vp%u: EPT misconfiguration at GPA 0x%llx\n",
				   vp->index, ohv_vmread(GUEST_PHYSICAL_ADDRESS));
		e->kind = OHV_EXIT_UNHANDLED;
		break;
	case EXIT_REASON_CR_ACCESS:
		/* Handled here: the common code sees a plain re-entry. */
		e->kind = OHV_EXIT_HOST_EVENT;
		if (ohv_vmx_cr_access(vp, x->qual))
			vp->rip += x->insn_len;
		else
			ohv_vmx_inject_exception(vp, X86_TRAP_GP, true, 0);
		break;
	default:
		e->kind = ohv_vmx_is_ud_exit(reason) ? OHV_EXIT_UD :
						       OHV_EXIT_UNHANDLED;
	}
}

static void ohv_vmx_write_host_state(struct ohv_vmx_cpu *vc)
{
	u64 fs_base;

	ohv_vmwrite(HOST_CR0, read_cr0());
	ohv_vmwrite(HOST_CR3, __read_cr3());
	ohv_vmwrite(HOST_CR4, __read_cr4());
	rdmsrl(MSR_FS_BASE, fs_base);
	ohv_vmwrite(HOST_FS_BASE, fs_base);
	ohv_vmwrite(HOST_GS_BASE, vc->gs_base);
	ohv_vmwrite(HOST_TR_BASE, vc->tr_base);
	ohv_vmwrite(HOST_GDTR_BASE, vc->gdt_base);
	ohv_vmwrite(HOST_IDTR_BASE, vc->idt_base);
	ohv_vmwrite(HOST_IA32_SYSENTER_CS, vc->sysenter_cs);
	ohv_vmwrite(HOST_IA32_SYSENTER_ESP, vc->sysenter_esp);
	ohv_vmwrite(HOST_IA32_SYSENTER_EIP, vc->sysenter_eip);
	ohv_vmwrite(HOST_IA32_PAT, vc->pat);
	ohv_vmwrite(HOST_IA32_EFER, vc->efer);
}

static void ohv_vmx_write_guest_entry(struct ohv_vp *vp, struct ohv_vmx_vp *vvp)
{
	u32 intr = vvp->interruptibility;
	u32 proc = ohv_vmx.proc;

	ohv_vmwrite(GUEST_RIP, vp->rip);
	ohv_vmwrite(GUEST_RSP, vp->gpr[OHV_RSP]);
	ohv_vmwrite(GUEST_RFLAGS, vp->rflags);
	/* We moved RIP past an instruction: its interrupt shadow is over. */
	if (vp->rip != vvp->exit_rip)
		intr &= ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);
	/* STI blocking needs RFLAGS.IF (an entry check). */
	if (!(vp->rflags & X86_EFLAGS_IF))
		intr &= ~GUEST_INTR_STATE_STI;
	ohv_vmwrite(GUEST_INTERRUPTIBILITY_INFO, intr);
	ohv_vmwrite(VM_ENTRY_INTR_INFO_FIELD, vvp->entry_intr);
	if (vvp->entry_intr & INTR_INFO_DELIVER_CODE_MASK)
		ohv_vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, vvp->entry_error);
	ohv_vmwrite(VM_ENTRY_INSTRUCTION_LEN, vvp->entry_insn_len);
	if (vvp->irq_window)
		proc |= CPU_BASED_INTR_WINDOW_EXITING;
	ohv_vmwrite(CPU_BASED_VM_EXEC_CONTROL, proc);
	if (ohv_vmx.timer)
		ohv_vmwrite(VMX_PREEMPTION_TIMER_VALUE,
			    OHV_VMX_TIMER_TSC >> ohv_vmx.timer_shift);
}

static void ohv_vmx_prepare_tlb(struct ohv_vp *vp, struct ohv_vmx_vp *vvp)
{
	int gen = atomic_read(&vp->part->tlb_gen);
	int cpu = smp_processor_id();

	if (vvp->last_cpu != cpu || vvp->tlb_gen != gen || vvp->flush) {
		ohv_vmx_flush_ept(ohv_vmx_part(vp->part)->eptp);
		ohv_vmx_flush_vpid(vvp->vpid);
		vvp->last_cpu = cpu;
		vvp->tlb_gen = gen;
		vvp->flush = false;
	}
}

static void ohv_vmx_read_exit(struct ohv_vp *vp, struct ohv_vmx_vp *vvp,
			      struct ohv_vmx_exit_info *x)
{
	x->reason = ohv_vmread(VM_EXIT_REASON);
	x->qual = ohv_vmread(EXIT_QUALIFICATION);
	x->intr_info = ohv_vmread(VM_EXIT_INTR_INFO);
	x->intr_error = ohv_vmread(VM_EXIT_INTR_ERROR_CODE);
	x->idt_info = ohv_vmread(IDT_VECTORING_INFO_FIELD);
	x->idt_error = ohv_vmread(IDT_VECTORING_ERROR_CODE);
	x->insn_len = ohv_vmread(VM_EXIT_INSTRUCTION_LEN);
	vp->rip = ohv_vmread(GUEST_RIP);
	vp->gpr[OHV_RSP] = ohv_vmread(GUEST_RSP);
	vp->rflags = ohv_vmread(GUEST_RFLAGS);
	vvp->exit_rip = vp->rip;
	vvp->interruptibility = ohv_vmread(GUEST_INTERRUPTIBILITY_INFO);

	/* Undo per-entry requests; re-queue an interrupted delivery. */
	vvp->irq_window = false;
	vvp->entry_intr = 0;
	vvp->entry_insn_len = 0;
	if (x->idt_info & VECTORING_INFO_VALID_MASK) {
		vvp->entry_intr = x->idt_info &
				  (VECTORING_INFO_VALID_MASK | VECTORING_INFO_TYPE_MASK |
				   VECTORING_INFO_DELIVER_CODE_MASK |
				   VECTORING_INFO_VECTOR_MASK);
		vvp->entry_error = x->idt_error;
		vvp->entry_insn_len = x->insn_len;
	}
}

struct ohv_vmx_host_segs {
	u16 ds, es, fs, gs, ldt;
	u64 fs_base, kernel_gs_base;
	unsigned long debugctl;
};

static void ohv_vmx_save_host_segs(struct ohv_vmx_host_segs *h)
{
	savesegment(ds, h->ds);
	savesegment(es, h->es);
	savesegment(fs, h->fs);
	savesegment(gs, h->gs);
	asm volatile("sldt %0" : "=r" (h->ldt));
	rdmsrl(MSR_FS_BASE, h->fs_base);
	rdmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	h->debugctl = get_debugctlmsr();
}

/* A VM exit loads null DS/ES/FS/GS, no LDT and 0xffff descriptor-table limits. */
static void ohv_vmx_restore_host(struct ohv_vmx_cpu *vc,
				 const struct ohv_vmx_host_segs *h)
{
	if (h->ds)
		loadsegment(ds, h->ds);
	if (h->es)
		loadsegment(es, h->es);
	if (h->fs) {
		loadsegment(fs, h->fs);
		wrmsrl(MSR_FS_BASE, h->fs_base);
	}
	if (h->gs)
		load_gs_index(h->gs);
	wrmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	if (h->ldt)
		asm volatile("lldt %0" : : "r" (h->ldt));
	native_load_gdt(&vc->gdt);
	native_load_idt(&vc->idt);
	invalidate_tss_limit();
	if (h->debugctl)
		update_debugctlmsr(h->debugctl);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
}

static void ohv_vmx_load_guest_msrs(struct ohv_vmx_vp *vvp)
{
	wrmsrl(MSR_KERNEL_GS_BASE, vvp->kernel_gs_base);
	if (vvp->syscall_msrs) {
		wrmsrl(MSR_STAR, vvp->star);
		wrmsrl(MSR_LSTAR, vvp->lstar);
		wrmsrl(MSR_CSTAR, vvp->cstar);
		wrmsrl(MSR_SYSCALL_MASK, vvp->sfmask);
	}
}

static void ohv_vmx_save_guest_msrs(struct ohv_vmx_cpu *vc, struct ohv_vmx_vp *vvp)
{
	rdmsrl(MSR_KERNEL_GS_BASE, vvp->kernel_gs_base);
	if (vvp->syscall_msrs) {
		wrmsrl(MSR_STAR, vc->star);
		wrmsrl(MSR_LSTAR, vc->lstar);
		wrmsrl(MSR_CSTAR, vc->cstar);
		wrmsrl(MSR_SYSCALL_MASK, vc->sfmask);
	}
}

/* Called with IRQs off: host interrupts pending now force an exit at once. */
static void ohv_vmx_enter(struct ohv_vp *vp, struct ohv_exit *exit)
{
	struct ohv_vmx_cpu *vc = this_cpu_ptr(&ohv_vmx_cpus);
	struct ohv_vmx_vp *vvp = ohv_vmx_vp(vp);
	struct ohv_vmx_host_segs host;
	struct ohv_vmx_exit_info x = {};
	int failed;

	memset(exit, 0, sizeof(*exit));
	if (!ohv_vmptrld(__pa(vvp->vmcs))) {
		exit->kind = OHV_EXIT_INVALID_STATE;
		return;
	}
	ohv_vmx_write_host_state(vc);
	ohv_vmx_write_guest_entry(vp, vvp);
	if (vvp->load_pdptrs) {
		ohv_vmx_load_pdptrs(vp);
		vvp->load_pdptrs = false;
	}
	ohv_vmx_prepare_tlb(vp, vvp);

	ohv_vmx_save_host_segs(&host);
	if (read_cr2() != vvp->cr2)
		native_write_cr2(vvp->cr2);
	ohv_vmx_load_guest_msrs(vvp);
	failed = ohv_vmx_vmlaunch(vp->gpr);
	ohv_vmx_save_guest_msrs(vc, vvp);
	vvp->cr2 = read_cr2();
	ohv_vmx_restore_host(vc, &host);

	if (failed) {
		u32 err = ohv_vmread(VM_INSTRUCTION_ERROR);

		pr_info_ratelimited("vp%u: VMLAUNCH failed: %s (error %u)\n",
				    vp->index, ohv_vmx_insn_error_name(err), err);
		exit->kind = OHV_EXIT_INVALID_STATE;
		exit->vendor_code = 0x40000000 | err;
		/* Whatever was queued did not reach the guest; keep it. */
	} else {
		ohv_vmx_read_exit(vp, vvp, &x);
		ohv_vmx_decode_exit(vp, &x, exit);
	}
	ohv_vmclear(__pa(vvp->vmcs));

	/* An NMI that made the guest exit belongs to the host. */
	if (!failed && (x.reason & 0xffff) == EXIT_REASON_EXCEPTION_NMI &&
	    (x.intr_info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		asm volatile("int $2");
}

const struct ohv_backend_ops ohv_vmx_ops = {
	.name			= "vmx",
	.probe			= ohv_vmx_probe,
	.init			= ohv_vmx_init,
	.exit			= ohv_vmx_exit,
	.cpu_enable		= ohv_vmx_cpu_enable,
	.cpu_disable		= ohv_vmx_cpu_disable,
	.partition_init		= ohv_vmx_partition_init,
	.partition_destroy	= ohv_vmx_partition_destroy,
	.map			= ohv_vmx_map,
	.unmap			= ohv_vmx_unmap,
	.vp_create		= ohv_vmx_vp_create,
	.vp_destroy		= ohv_vmx_vp_destroy,
	.get_sregs		= ohv_vmx_get_sregs,
	.set_sregs		= ohv_vmx_set_sregs,
	.msr_read		= ohv_vmx_msr_read,
	.msr_write		= ohv_vmx_msr_write,
	.event_in_flight	= ohv_vmx_event_in_flight,
	.interrupt_allowed	= ohv_vmx_interrupt_allowed,
	.inject_interrupt	= ohv_vmx_inject_interrupt,
	.inject_exception	= ohv_vmx_inject_exception,
	.request_irq_window	= ohv_vmx_request_irq_window,
	.enter			= ohv_vmx_enter,
};
