// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID policy: what a guest sees.
 *
 * Each leaf range has a handler or a fixed answer in ohv_cpuid_leaves[];
 * leaves not listed read as zero. Feature words are filtered through
 * allow-lists, so a host feature we cannot virtualize (SVM, MONITOR,
 * XSAVE/AVX, MCE, PMU, RDTSCP/RDPID, PKU...) never leaks into the guest
 * just because a newer CPU has it. The x2APIC, TSC-deadline and
 * hypervisor bits are forced on: the emulated local APIC is an x2APIC
 * whose timer supports TSC deadline.
 * Leaves 0x15/0x16 carry the TSC frequency (Linux only reads them when the
 * vendor is Intel; AMD-vendor Linux guests use the Hyper-V frequency MSRs
 * offered in the 0x4000000x leaves).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <asm/hyperv-tlfs.h>
#include <asm/processor.h>

#include "ohv.h"

#define OHV_CPUID_MAX_BASIC	0x16
#define OHV_CPUID_MAX_EXT	0x80000008

/*
 * Leaf 1 EDX: FPU VME DE PSE TSC MSR PAE CX8 APIC SEP MTRR PGE CMOV PAT
 * PSE36 CLFSH MMX FXSR SSE SSE2.
 */
#define OHV_CPUID1_EDX_ALLOW	(GENMASK(6, 0) | BIT(8) | BIT(9) | BIT(11) | \
				 BIT(12) | BIT(13) | BIT(15) | BIT(16) | \
				 BIT(17) | BIT(19) | BIT(23) | BIT(24) | \
				 BIT(25) | BIT(26))
/* Leaf 1 ECX: SSE3 PCLMULQDQ SSSE3 CX16 SSE4.1 SSE4.2 MOVBE POPCNT AES RDRAND */
#define OHV_CPUID1_ECX_ALLOW	(BIT(0) | BIT(1) | BIT(9) | BIT(13) | \
				 BIT(19) | BIT(20) | BIT(22) | BIT(23) | \
				 BIT(25) | BIT(30))
#define OHV_CPUID1_ECX_X2APIC	BIT(21)
#define OHV_CPUID1_ECX_DEADLINE	BIT(24)
#define OHV_CPUID1_ECX_HV	BIT(31)
/* Leaf 6 EAX: ARAT, the APIC timer keeps running in idle states. */
#define OHV_CPUID6_EAX_ARAT	BIT(2)
/* Leaf 7.0 EBX: FSGSBASE BMI1 SMEP BMI2 ERMS ADX SMAP CLFLUSHOPT CLWB SHA */
#define OHV_CPUID7_EBX_ALLOW	(BIT(0) | BIT(3) | BIT(7) | BIT(8) | \
				 BIT(9) | BIT(19) | BIT(20) | BIT(23) | \
				 BIT(24) | BIT(29))
/* Leaf 7.0 ECX: UMIP */
#define OHV_CPUID7_ECX_ALLOW	BIT(2)
/* 0x80000001 ECX: LAHF/SAHF ABM SSE4A MisAlignSse 3DNowPrefetch */
#define OHV_CPUIDX1_ECX_ALLOW	(BIT(0) | BIT(5) | BIT(6) | BIT(7) | BIT(8))
/*
 * 0x80000001 EDX: the bits AMD mirrors from leaf 1 (0-9, 12-17, 23-24),
 * plus SYSCALL NX MMXEXT 1GB-pages LM.
 */
#define OHV_CPUIDX1_EDX_ALLOW	((OHV_CPUID1_EDX_ALLOW & (GENMASK(9, 0) | \
				  GENMASK(17, 12) | GENMASK(24, 23))) | \
				 BIT(11) | BIT(20) | BIT(22) | BIT(26) | BIT(29))
/* 0x80000007 EDX: invariant TSC */
#define OHV_CPUIDX7_EDX_ALLOW	BIT(8)

/*
 * The Hyper-V leaves: "Microsoft Hv" with the "Hv#1" interface, offering
 * only what synth.c implements: the hypercall and VP index MSRs (without
 * them Linux ignores the signature), the frequency MSRs and TSC
 * invariance. With these, Linux keeps the x2APIC without interrupt
 * remapping, takes the TSC and APIC timer frequencies from the MSRs and
 * keeps the TSC as a stable clocksource.
 */
#define OHV_HV_SIG_EBX		0x7263694d	/* "Micr" */
#define OHV_HV_SIG_ECX		0x666f736f	/* "osof" */
#define OHV_HV_SIG_EDX		0x76482074	/* "t Hv" */
#define OHV_HV_INTERFACE	0x31237648	/* "Hv#1" */
#define OHV_HV_FEATURES		(HV_MSR_HYPERCALL_AVAILABLE | \
				 HV_MSR_VP_INDEX_AVAILABLE | \
				 HV_ACCESS_FREQUENCY_MSRS | \
				 HV_ACCESS_TSC_INVARIANT)
#define OHV_HV_MISC_FEATURES	HV_FEATURE_FREQUENCY_MSRS_AVAILABLE
/* Spinlock retry count before notifying the hypervisor: never. */
#define OHV_HV_SPIN_NEVER	0xffffffff

void ohv_host_cpuid(u32 leaf, u32 subleaf, struct ohv_cpuid_regs *out)
{
	cpuid_count(leaf, subleaf, &out->eax, &out->ebx, &out->ecx, &out->edx);
}

static void ohv_cpuid_max_basic(const struct ohv_cpuid_ctx *ctx, u32 leaf,
				u32 subleaf, struct ohv_cpuid_regs *r)
{
	ctx->host(leaf, 0, r);
	r->eax = min_t(u32, r->eax, OHV_CPUID_MAX_BASIC);
}

static void ohv_cpuid_features(const struct ohv_cpuid_ctx *ctx, u32 leaf,
			       u32 subleaf, struct ohv_cpuid_regs *r)
{
	ctx->host(leaf, 0, r);
	/* APIC ID in [31:24], CLFLUSH line size kept, one logical CPU. */
	r->ebx = (ctx->apic_id << 24) | (r->ebx & GENMASK(15, 8));
	r->ecx = (r->ecx & OHV_CPUID1_ECX_ALLOW) | OHV_CPUID1_ECX_X2APIC |
		 OHV_CPUID1_ECX_DEADLINE | OHV_CPUID1_ECX_HV;
	r->edx &= OHV_CPUID1_EDX_ALLOW;
}

static void ohv_cpuid_ext_features(const struct ohv_cpuid_ctx *ctx, u32 leaf,
				   u32 subleaf, struct ohv_cpuid_regs *r)
{
	if (subleaf) {
		*r = (struct ohv_cpuid_regs){};
		return;
	}
	ctx->host(leaf, 0, r);
	r->eax = 0;
	r->ebx &= OHV_CPUID7_EBX_ALLOW;
	r->ecx &= OHV_CPUID7_ECX_ALLOW;
	r->edx = 0;
}

/*
 * Leaf 0x15: TSC = crystal * EBX / EAX. The "crystal" is reported as
 * tsc_khz Hz with a ratio of 1000, so that it fits 32 bits for any TSC.
 */
static void ohv_cpuid_tsc_freq(const struct ohv_cpuid_ctx *ctx, u32 leaf,
			       u32 subleaf, struct ohv_cpuid_regs *r)
{
	*r = (struct ohv_cpuid_regs){ .eax = 1, .ebx = 1000, .ecx = ctx->tsc_khz };
}

/* Leaf 0x16: base and maximum frequency = TSC; bus = emulated APIC bus. */
static void ohv_cpuid_cpu_freq(const struct ohv_cpuid_ctx *ctx, u32 leaf,
			       u32 subleaf, struct ohv_cpuid_regs *r)
{
	*r = (struct ohv_cpuid_regs){
		.eax = ctx->tsc_khz / 1000,
		.ebx = ctx->tsc_khz / 1000,
		.ecx = OHV_LAPIC_BUS_HZ / 1000000,
	};
}

static void ohv_cpuid_max_ext(const struct ohv_cpuid_ctx *ctx, u32 leaf,
			      u32 subleaf, struct ohv_cpuid_regs *r)
{
	ctx->host(leaf, 0, r);
	r->eax = min_t(u32, r->eax, OHV_CPUID_MAX_EXT);
}

static void ohv_cpuid_ext1(const struct ohv_cpuid_ctx *ctx, u32 leaf,
			   u32 subleaf, struct ohv_cpuid_regs *r)
{
	ctx->host(leaf, 0, r);
	r->ebx = 0;
	r->ecx &= OHV_CPUIDX1_ECX_ALLOW;
	r->edx &= OHV_CPUIDX1_EDX_ALLOW;
}

/* Brand string and L1/L2 cache descriptors are harmless to pass on. */
static void ohv_cpuid_passthrough(const struct ohv_cpuid_ctx *ctx, u32 leaf,
				  u32 subleaf, struct ohv_cpuid_regs *r)
{
	ctx->host(leaf, 0, r);
}

static void ohv_cpuid_ext7(const struct ohv_cpuid_ctx *ctx, u32 leaf,
			   u32 subleaf, struct ohv_cpuid_regs *r)
{
	ctx->host(leaf, 0, r);
	*r = (struct ohv_cpuid_regs){ .edx = r->edx & OHV_CPUIDX7_EDX_ALLOW };
}

/* Address sizes only: no speculation-control bits, one core (NC = 0). */
static void ohv_cpuid_ext8(const struct ohv_cpuid_ctx *ctx, u32 leaf,
			   u32 subleaf, struct ohv_cpuid_regs *r)
{
	ctx->host(leaf, 0, r);
	*r = (struct ohv_cpuid_regs){ .eax = r->eax & GENMASK(15, 0) };
}

/* A leaf range and its answer: computed by @fn or, without one, @fixed. */
struct ohv_cpuid_leaf {
	u32 first;
	u32 last;
	void (*fn)(const struct ohv_cpuid_ctx *ctx, u32 leaf, u32 subleaf,
		   struct ohv_cpuid_regs *r);
	struct ohv_cpuid_regs fixed;
};

static const struct ohv_cpuid_leaf ohv_cpuid_leaves[] = {
	{ 0x00000000, 0x00000000, ohv_cpuid_max_basic },
	{ 0x00000001, 0x00000001, ohv_cpuid_features },
	{ 0x00000006, 0x00000006, NULL, { .eax = OHV_CPUID6_EAX_ARAT } },
	{ 0x00000007, 0x00000007, ohv_cpuid_ext_features },
	{ 0x00000015, 0x00000015, ohv_cpuid_tsc_freq },
	{ 0x00000016, 0x00000016, ohv_cpuid_cpu_freq },
	{ 0x40000000, 0x40000000, NULL, {
		.eax = HYPERV_CPUID_IMPLEMENT_LIMITS,
		.ebx = OHV_HV_SIG_EBX,
		.ecx = OHV_HV_SIG_ECX,
		.edx = OHV_HV_SIG_EDX,
	} },
	{ 0x40000001, 0x40000001, NULL, { .eax = OHV_HV_INTERFACE } },
	{ 0x40000003, 0x40000003, NULL, {
		.eax = OHV_HV_FEATURES,
		.edx = OHV_HV_MISC_FEATURES,
	} },
	/* No enlightenment is recommended yet (no hint bits). */
	{ 0x40000004, 0x40000004, NULL, { .ebx = OHV_HV_SPIN_NEVER } },
	{ 0x40000005, 0x40000005, NULL, {
		.eax = OHV_HYP_MAX_VPS,
		.ebx = OHV_HYP_MAX_VPS,
	} },
	{ 0x80000000, 0x80000000, ohv_cpuid_max_ext },
	{ 0x80000001, 0x80000001, ohv_cpuid_ext1 },
	{ 0x80000002, 0x80000006, ohv_cpuid_passthrough },
	{ 0x80000007, 0x80000007, ohv_cpuid_ext7 },
	{ 0x80000008, 0x80000008, ohv_cpuid_ext8 },
};

void ohv_cpuid_compute(const struct ohv_cpuid_ctx *ctx, u32 leaf, u32 subleaf,
		       struct ohv_cpuid_regs *out)
{
	const struct ohv_cpuid_leaf *l;
	int i;

	*out = (struct ohv_cpuid_regs){};
	for (i = 0; i < ARRAY_SIZE(ohv_cpuid_leaves); i++) {
		l = &ohv_cpuid_leaves[i];
		if (leaf >= l->first && leaf <= l->last) {
			if (l->fn)
				l->fn(ctx, leaf, subleaf, out);
			else
				*out = l->fixed;
			return;
		}
	}
}
EXPORT_SYMBOL_IF_KUNIT(ohv_cpuid_compute);
