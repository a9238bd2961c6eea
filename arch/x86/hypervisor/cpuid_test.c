// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: CPUID policy against a fake host that has every feature.
 */
#include <kunit/test.h>

#include "ohv.h"

#define OHV_TEST_HOST_MAX_BASIC	0x20
#define OHV_TEST_HOST_MAX_EXT	0x80000021

static void ohv_test_host_all_ones(u32 leaf, u32 subleaf,
				   struct ohv_cpuid_regs *r)
{
	memset(r, 0xff, sizeof(*r));
	if (leaf == 0)
		r->eax = OHV_TEST_HOST_MAX_BASIC;
	if (leaf == 0x80000000)
		r->eax = OHV_TEST_HOST_MAX_EXT;
}

#define OHV_TEST_TSC_KHZ	2994372

static struct ohv_cpuid_regs ohv_test_cpuid(u32 leaf, u32 subleaf, u32 apic_id)
{
	struct ohv_cpuid_ctx ctx = {
		.host = ohv_test_host_all_ones,
		.apic_id = apic_id,
		.tsc_khz = OHV_TEST_TSC_KHZ,
	};
	struct ohv_cpuid_regs r;

	ohv_cpuid_compute(&ctx, leaf, subleaf, &r);
	return r;
}

static void ohv_cpuid_caps_max_leaves(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0x16U, ohv_test_cpuid(0, 0, 0).eax);
	KUNIT_EXPECT_EQ(test, 0x80000008U, ohv_test_cpuid(0x80000000, 0, 0).eax);
}

static void ohv_cpuid_leaf1_forces_platform_bits(struct kunit *test)
{
	struct ohv_cpuid_regs r = ohv_test_cpuid(1, 0, 5);

	KUNIT_EXPECT_TRUE(test, r.ecx & BIT(31));	/* hypervisor */
	KUNIT_EXPECT_TRUE(test, r.ecx & BIT(21));	/* x2APIC */
	KUNIT_EXPECT_TRUE(test, r.ecx & BIT(24));	/* TSC deadline */
	KUNIT_EXPECT_EQ(test, 5U, r.ebx >> 24);		/* APIC ID */
	KUNIT_EXPECT_EQ(test, 0U, r.ebx & 0xff0000);	/* 1 logical CPU */
}

static void ohv_cpuid_leaf1_hides_host_only_features(struct kunit *test)
{
	struct ohv_cpuid_regs r = ohv_test_cpuid(1, 0, 0);

	KUNIT_EXPECT_FALSE(test, r.ecx & BIT(3));	/* MONITOR */
	KUNIT_EXPECT_FALSE(test, r.ecx & BIT(5));	/* VMX */
	KUNIT_EXPECT_FALSE(test, r.ecx & BIT(26));	/* XSAVE */
	KUNIT_EXPECT_FALSE(test, r.ecx & BIT(28));	/* AVX */
	KUNIT_EXPECT_FALSE(test, r.edx & BIT(7));	/* MCE */
	KUNIT_EXPECT_FALSE(test, r.edx & BIT(28));	/* HTT */
	/* What Linux insists on stays. */
	KUNIT_EXPECT_EQ(test, 0x07000000U | 0x79U,
			r.edx & (0x07000000U | 0x79U));
}

static void ohv_cpuid_ext_hides_svm_and_rdtscp(struct kunit *test)
{
	struct ohv_cpuid_regs r = ohv_test_cpuid(0x80000001, 0, 0);

	KUNIT_EXPECT_FALSE(test, r.ecx & BIT(2));	/* SVM */
	KUNIT_EXPECT_FALSE(test, r.edx & BIT(27));	/* RDTSCP */
	KUNIT_EXPECT_TRUE(test, r.edx & BIT(29));	/* LM */
	KUNIT_EXPECT_TRUE(test, r.edx & BIT(20));	/* NX */
}

static void ohv_cpuid_leaf7_filters(struct kunit *test)
{
	struct ohv_cpuid_regs r = ohv_test_cpuid(7, 0, 0);

	KUNIT_EXPECT_EQ(test, 0U, r.eax);
	KUNIT_EXPECT_FALSE(test, r.ebx & BIT(5));	/* AVX2 */
	KUNIT_EXPECT_FALSE(test, r.ecx & BIT(3));	/* PKU */
	KUNIT_EXPECT_EQ(test, 0U, r.edx);
	r = ohv_test_cpuid(7, 1, 0);
	KUNIT_EXPECT_EQ(test, 0U, r.eax | r.ebx | r.ecx | r.edx);
}

static void ohv_cpuid_unlisted_leaves_are_zero(struct kunit *test)
{
	struct ohv_cpuid_regs r = ohv_test_cpuid(0xd, 0, 0);

	KUNIT_EXPECT_EQ(test, 0U, r.eax | r.ebx | r.ecx | r.edx);
	r = ohv_test_cpuid(0x8000000a, 0, 0);
	KUNIT_EXPECT_EQ(test, 0U, r.eax | r.ebx | r.ecx | r.edx);
}

static void ohv_cpuid_reports_tsc_frequency(struct kunit *test)
{
	struct ohv_cpuid_regs r = ohv_test_cpuid(0x15, 0, 0);

	KUNIT_ASSERT_NE(test, 0U, r.eax);
	KUNIT_EXPECT_EQ(test, OHV_TEST_TSC_KHZ * 1000ULL,
			(u64)r.ecx * r.ebx / r.eax);
	r = ohv_test_cpuid(0x16, 0, 0);
	KUNIT_EXPECT_EQ(test, OHV_TEST_TSC_KHZ / 1000U, r.eax);
}

static void ohv_cpuid_hypervisor_leaf(struct kunit *test)
{
	struct ohv_cpuid_regs r = ohv_test_cpuid(0x40000000, 0, 0);
	char sig[13] = {};

	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	KUNIT_EXPECT_STREQ(test, "Microsoft Hv", sig);
	/* Linux ignores the signature unless the maximum is at least 5. */
	KUNIT_EXPECT_EQ(test, 0x40000005U, r.eax);
}

/* Linux ignores Hyper-V without hypercall + VP index MSRs. */
static void ohv_cpuid_hyperv_offers_frequency_msrs(struct kunit *test)
{
	struct ohv_cpuid_regs r = ohv_test_cpuid(0x40000003, 0, 0);

	KUNIT_EXPECT_TRUE(test, r.eax & BIT(5));
	KUNIT_EXPECT_TRUE(test, r.eax & BIT(6));
	KUNIT_EXPECT_TRUE(test, r.eax & BIT(11));
	KUNIT_EXPECT_TRUE(test, r.edx & BIT(8));
	/* No SynIC, timers or partition-ID access: not implemented. */
	KUNIT_EXPECT_FALSE(test, r.eax & (BIT(2) | BIT(3)));
	KUNIT_EXPECT_EQ(test, 0U, r.ebx);
	/* Nothing after leaf 5. */
	r = ohv_test_cpuid(0x4000000a, 0, 0);
	KUNIT_EXPECT_EQ(test, 0U, r.eax | r.ebx | r.ecx | r.edx);
}

static struct kunit_case ohv_cpuid_cases[] = {
	KUNIT_CASE(ohv_cpuid_caps_max_leaves),
	KUNIT_CASE(ohv_cpuid_leaf1_forces_platform_bits),
	KUNIT_CASE(ohv_cpuid_hyperv_offers_frequency_msrs),
	KUNIT_CASE(ohv_cpuid_leaf1_hides_host_only_features),
	KUNIT_CASE(ohv_cpuid_ext_hides_svm_and_rdtscp),
	KUNIT_CASE(ohv_cpuid_leaf7_filters),
	KUNIT_CASE(ohv_cpuid_unlisted_leaves_are_zero),
	KUNIT_CASE(ohv_cpuid_reports_tsc_frequency),
	KUNIT_CASE(ohv_cpuid_hypervisor_leaf),
	{}
};

static struct kunit_suite ohv_cpuid_suite = {
	.name = "ohv_hyp_cpuid",
	.test_cases = ohv_cpuid_cases,
};

kunit_test_suites(&ohv_cpuid_suite);
