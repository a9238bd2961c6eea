// SPDX-License-Identifier: GPL-2.0
/*
 * The part of the Hyper-V synthetic interface a guest needs to find its
 * clocks: guest OS ID, hypercall page, VP index, VP assist page, the TSC
 * and APIC frequency MSRs and the TSC-invariance control. CPUID advertises
 * exactly these (cpuid.c); everything else in the synthetic range #GPs.
 *
 * No hypercall is implemented in the kernel yet: the hypercall page only
 * holds a VMMCALL/VMCALL stub, and every call reaches the worker, which
 * answers HV_STATUS_INVALID_HYPERCALL_CODE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <kunit/visibility.h>
#include <asm/hyperv-tlfs.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#include "ohv.h"

#define OHV_HYPERCALL_LOCKED	BIT_ULL(1)
#define OHV_HYPERCALL_VALID	(HV_X64_MSR_HYPERCALL_ENABLE | \
				 OHV_HYPERCALL_LOCKED | PAGE_MASK)
#define OHV_VP_ASSIST_VALID	(HV_X64_MSR_VP_ASSIST_PAGE_ENABLE | PAGE_MASK)
#define OHV_TSC_INVARIANT_VALID	BIT_ULL(0)

/*
 * The stub Linux calls indirectly: ENDBR64 (a NOP without CET), then the
 * vendor's hypercall instruction, then RET. SVM backends trap VMMCALL,
 * VMX backends VMCALL, and which one runs follows the CPU vendor.
 */
void ohv_synth_hypercall_stub(u8 *buf, size_t len)
{
	static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	bool amd = boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
		   boot_cpu_data.x86_vendor == X86_VENDOR_HYGON;
	u8 *p = buf;

	memset(buf, 0xcc, len);		/* INT3 after the stub */
	memcpy(p, endbr64, sizeof(endbr64));
	p += sizeof(endbr64);
	*p++ = 0x0f;
	*p++ = 0x01;
	*p++ = amd ? 0xd9 : 0xc1;
	*p = 0xc3;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_synth_hypercall_stub);

/* Called with synth.lock held. */
static int ohv_synth_set_hypercall(struct ohv_vp *vp, u64 val)
{
	struct ohv_synth *s = &vp->part->synth;
	u8 stub[16];
	int ret;

	if (val & ~OHV_HYPERCALL_VALID)
		return -EINVAL;
	if (s->hypercall & OHV_HYPERCALL_LOCKED)
		return 0;
	/* The page cannot be enabled before the guest has said who it is. */
	if (!s->guest_os_id)
		val &= ~HV_X64_MSR_HYPERCALL_ENABLE;
	if (val & HV_X64_MSR_HYPERCALL_ENABLE) {
		ohv_synth_hypercall_stub(stub, sizeof(stub));
		ret = ohv_memslot_write(vp->part, val & PAGE_MASK, stub,
					sizeof(stub));
		if (ret)
			return ret;
	}
	s->hypercall = val;
	return 0;
}

int ohv_synth_write(struct ohv_vp *vp, u32 msr, u64 val)
{
	struct ohv_synth *s = &vp->part->synth;
	int ret = 0;

	if (msr == HV_X64_MSR_VP_ASSIST_PAGE) {
		if (val & ~OHV_VP_ASSIST_VALID)
			return -EINVAL;
		vp->msrs.hv_vp_assist = val;
		return 0;
	}

	spin_lock(&s->lock);
	switch (msr) {
	case HV_X64_MSR_GUEST_OS_ID:
		s->guest_os_id = val;
		if (!val)
			s->hypercall &= ~HV_X64_MSR_HYPERCALL_ENABLE;
		break;
	case HV_X64_MSR_HYPERCALL:
		ret = ohv_synth_set_hypercall(vp, val);
		break;
	case HV_X64_MSR_TSC_INVARIANT_CONTROL:
		if (val & ~OHV_TSC_INVARIANT_VALID)
			ret = -EINVAL;
		else
			s->tsc_invariant = val;
		break;
	default:
		ret = -EINVAL;
	}
	spin_unlock(&s->lock);
	return ret;
}

int ohv_synth_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	struct ohv_synth *s = &vp->part->synth;

	switch (msr) {
	case HV_X64_MSR_GUEST_OS_ID:
		*val = READ_ONCE(s->guest_os_id);
		return 0;
	case HV_X64_MSR_HYPERCALL:
		*val = READ_ONCE(s->hypercall);
		return 0;
	case HV_X64_MSR_VP_INDEX:
		*val = vp->index;
		return 0;
	case HV_X64_MSR_TSC_FREQUENCY:
		/* The guest TSC is the host TSC. */
		*val = tsc_khz * 1000ULL;
		return 0;
	case HV_X64_MSR_APIC_FREQUENCY:
		*val = OHV_LAPIC_BUS_HZ;
		return 0;
	case HV_X64_MSR_VP_ASSIST_PAGE:
		*val = vp->msrs.hv_vp_assist;
		return 0;
	case HV_X64_MSR_TSC_INVARIANT_CONTROL:
		*val = READ_ONCE(s->tsc_invariant);
		return 0;
	default:
		return -EINVAL;
	}
}
