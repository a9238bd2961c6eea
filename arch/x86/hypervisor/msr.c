// SPDX-License-Identifier: GPL-2.0
/*
 * MSR policy: every guest RDMSR/WRMSR that reaches the hypervisor is
 * looked up in ohv_msr_table[]. MSRs not in the table raise #GP, which is
 * what Linux expects from an MSR the CPU does not have; a missing handler
 * means read-only (write #GPs) or write-only.
 *
 * MSRs whose guest value lives in the VMCB and is switched by VMLOAD/
 * VMSAVE (FS/GS/KERNEL_GS base, STAR family, SYSENTER) are passed through
 * by the backend and never get here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/ratelimit.h>
#include <asm/apicdef.h>
#include <asm/hyperv-tlfs.h>
#include <asm/msr-index.h>
#include <asm/msr.h>

#include "ohv.h"

#define OHV_MSR_MTRR_CAP	0xfe
#define OHV_MSR_MTRR_DEF_TYPE	0x2ff

/* Fast strings on, like firmware leaves it; everything else off. */
#define OHV_MISC_ENABLE_DEFAULT	MSR_IA32_MISC_ENABLE_FAST_STRING
/* MTRRs enabled, default type write-back, no fixed or variable ranges. */
#define OHV_MTRR_DEF_TYPE_VALID	(GENMASK_ULL(7, 0) | BIT_ULL(10) | BIT_ULL(11))

static int ohv_msr_read_zero(struct ohv_vp *vp, u32 msr, u64 *val)
{
	*val = 0;
	return 0;
}

static int ohv_msr_write_ignore(struct ohv_vp *vp, u32 msr, u64 val)
{
	return 0;
}

/* For control MSRs whose only safe value is 0 (all features off). */
static int ohv_msr_write_zero(struct ohv_vp *vp, u32 msr, u64 val)
{
	return val ? -EINVAL : 0;
}

/*
 * HWCR.TscFreqSel: the TSC counts at a fixed rate. Linux warns about
 * broken firmware when an AMD CPU with a constant TSC lacks it.
 */
static int ohv_msr_hwcr_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	*val = BIT_ULL(24);
	return 0;
}

static int ohv_msr_tsc_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	/* The guest TSC is the host TSC: no offset, no scaling. */
	*val = rdtsc();
	return 0;
}

static int ohv_msr_apic_base_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	*val = vp->lapic.apic_base;
	return 0;
}

/* The APIC stays in x2APIC mode: only rewriting the same value is allowed. */
static int ohv_msr_apic_base_write(struct ohv_vp *vp, u32 msr, u64 val)
{
	return val == vp->lapic.apic_base ? 0 : -EINVAL;
}

static int ohv_msr_misc_enable_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	*val = OHV_MISC_ENABLE_DEFAULT;
	return 0;
}

static int ohv_msr_mtrr_def_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	*val = vp->msrs.mtrr_def_type;
	return 0;
}

static int ohv_msr_mtrr_def_write(struct ohv_vp *vp, u32 msr, u64 val)
{
	if (val & ~OHV_MTRR_DEF_TYPE_VALID)
		return -EINVAL;
	vp->msrs.mtrr_def_type = val;
	return 0;
}

static int ohv_msr_backend_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	return ohv_backend->msr_read(vp, msr, val);
}

static int ohv_msr_backend_write(struct ohv_vp *vp, u32 msr, u64 val)
{
	return ohv_backend->msr_write(vp, msr, val);
}

static const struct ohv_msr_desc ohv_msr_table[] = {
	{ MSR_IA32_TSC, MSR_IA32_TSC,
	  ohv_msr_tsc_read, ohv_msr_write_ignore },
	{ MSR_IA32_APICBASE, MSR_IA32_APICBASE,
	  ohv_msr_apic_base_read, ohv_msr_apic_base_write },
	/* Microcode revision: Intel guests write 0 before reading it. */
	{ MSR_IA32_UCODE_REV, MSR_IA32_UCODE_REV,
	  ohv_msr_read_zero, ohv_msr_write_ignore },
	{ OHV_MSR_MTRR_CAP, OHV_MSR_MTRR_CAP, ohv_msr_read_zero, NULL },
	{ MSR_IA32_MISC_ENABLE, MSR_IA32_MISC_ENABLE,
	  ohv_msr_misc_enable_read, ohv_msr_write_ignore },
	{ MSR_IA32_DEBUGCTLMSR, MSR_IA32_DEBUGCTLMSR,
	  ohv_msr_read_zero, ohv_msr_write_zero },
	{ MSR_IA32_CR_PAT, MSR_IA32_CR_PAT,
	  ohv_msr_backend_read, ohv_msr_backend_write },
	{ OHV_MSR_MTRR_DEF_TYPE, OHV_MSR_MTRR_DEF_TYPE,
	  ohv_msr_mtrr_def_read, ohv_msr_mtrr_def_write },
	{ MSR_IA32_TSC_DEADLINE, MSR_IA32_TSC_DEADLINE,
	  ohv_lapic_deadline_read, ohv_lapic_deadline_write },
	{ APIC_BASE_MSR, APIC_BASE_MSR + 0xff,
	  ohv_lapic_read, ohv_lapic_write },
	{ MSR_EFER, MSR_EFER, ohv_msr_backend_read, ohv_msr_backend_write },
	/* SYSCALL MSRs: VMX does not switch them; SVM never gets here. */
	{ MSR_STAR, MSR_SYSCALL_MASK,
	  ohv_msr_backend_read, ohv_msr_backend_write },
	/* AMD hardware configuration: fixed, writes ignored. */
	{ MSR_K7_HWCR, MSR_K7_HWCR, ohv_msr_hwcr_read, ohv_msr_write_ignore },
	/* Hyper-V synthetic MSRs (synth.c); VP_INDEX is read-only there. */
	{ HV_X64_MSR_GUEST_OS_ID, HV_X64_MSR_VP_INDEX,
	  ohv_synth_read, ohv_synth_write },
	{ HV_X64_MSR_TSC_FREQUENCY, HV_X64_MSR_APIC_FREQUENCY,
	  ohv_synth_read, NULL },
	{ HV_X64_MSR_VP_ASSIST_PAGE, HV_X64_MSR_VP_ASSIST_PAGE,
	  ohv_synth_read, ohv_synth_write },
	{ HV_X64_MSR_TSC_INVARIANT_CONTROL, HV_X64_MSR_TSC_INVARIANT_CONTROL,
	  ohv_synth_read, ohv_synth_write },
};

const struct ohv_msr_desc *ohv_msr_find(u32 msr)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ohv_msr_table); i++) {
		if (msr >= ohv_msr_table[i].first && msr <= ohv_msr_table[i].last)
			return &ohv_msr_table[i];
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_msr_find);

/* Each byte of PAT must be a defined memory type: 0, 1, 4, 5, 6 or 7. */
bool ohv_pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 type = pat >> (i * 8);

		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_pat_valid);

int ohv_msr_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	const struct ohv_msr_desc *d = ohv_msr_find(msr);

	if (d && d->read)
		return d->read(vp, msr, val);
	pr_debug_ratelimited("vp%u: rdmsr 0x%x -> #GP\n", vp->index, msr);
	return -EINVAL;
}

int ohv_msr_write(struct ohv_vp *vp, u32 msr, u64 val)
{
	const struct ohv_msr_desc *d = ohv_msr_find(msr);

	if (d && d->write)
		return d->write(vp, msr, val);
	pr_debug_ratelimited("vp%u: wrmsr 0x%x = 0x%llx -> #GP\n", vp->index,
			     msr, val);
	return -EINVAL;
}
