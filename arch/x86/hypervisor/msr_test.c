// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the MSR policy table.
 */
#include <kunit/test.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>
#include <asm/processor.h>

#include "ohv.h"

#define OHV_TEST_MTRR_CAP	0xfe
#define OHV_TEST_MTRR_DEF_TYPE	0x2ff

static void ohv_msr_knows_what_linux_touches(struct kunit *test)
{
	static const u32 msrs[] = {
		MSR_IA32_APICBASE, MSR_IA32_MISC_ENABLE, OHV_TEST_MTRR_CAP,
		OHV_TEST_MTRR_DEF_TYPE, MSR_IA32_CR_PAT, MSR_IA32_TSC_DEADLINE,
		MSR_EFER, MSR_IA32_TSC,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(msrs); i++) {
		KUNIT_EXPECT_NOT_NULL_MSG(test, ohv_msr_find(msrs[i]),
					  "MSR 0x%x", msrs[i]);
	}
}

static void ohv_msr_unknown_is_absent(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, ohv_msr_find(0x12345678));
	KUNIT_EXPECT_NULL(test, ohv_msr_find(MSR_VM_HSAVE_PA));
	KUNIT_EXPECT_NULL(test, ohv_msr_find(MSR_IA32_SPEC_CTRL));
	KUNIT_EXPECT_NULL(test, ohv_msr_find(MSR_TSC_AUX));
}

static void ohv_msr_x2apic_range_is_covered(struct kunit *test)
{
	const struct ohv_msr_desc *lo = ohv_msr_find(APIC_BASE_MSR);
	const struct ohv_msr_desc *hi = ohv_msr_find(APIC_BASE_MSR + 0xff);

	KUNIT_ASSERT_NOT_NULL(test, lo);
	KUNIT_EXPECT_PTR_EQ(test, lo, hi);
	KUNIT_EXPECT_PTR_NE(test, lo, ohv_msr_find(APIC_BASE_MSR + 0x100));
}

static void ohv_msr_mtrrcap_is_read_only(struct kunit *test)
{
	const struct ohv_msr_desc *d = ohv_msr_find(OHV_TEST_MTRR_CAP);

	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_NOT_NULL(test, d->read);
	KUNIT_EXPECT_NULL(test, d->write);
}

static void ohv_msr_pat_validation(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ohv_pat_valid(OHV_PAT_DEFAULT));
	KUNIT_EXPECT_TRUE(test, ohv_pat_valid(0x0707070707070707ULL));
	KUNIT_EXPECT_FALSE(test, ohv_pat_valid(0x0000000000000002ULL));
	KUNIT_EXPECT_FALSE(test, ohv_pat_valid(0x0300000000000000ULL));
	KUNIT_EXPECT_FALSE(test, ohv_pat_valid(0x0000000000080000ULL));
}

static void ohv_msr_hyperv_frequency_msrs_are_read_only(struct kunit *test)
{
	static const u32 ro[] = { 0x40000022, 0x40000023 };
	const struct ohv_msr_desc *d;
	int i;

	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		d = ohv_msr_find(ro[i]);
		KUNIT_ASSERT_NOT_NULL(test, d);
		KUNIT_EXPECT_NOT_NULL(test, d->read);
		KUNIT_EXPECT_NULL(test, d->write);
	}
	/* Guest OS ID, hypercall, VP index, VP assist, TSC invariance. */
	KUNIT_EXPECT_NOT_NULL(test, ohv_msr_find(0x40000000));
	KUNIT_EXPECT_NOT_NULL(test, ohv_msr_find(0x40000002));
	KUNIT_EXPECT_NOT_NULL(test, ohv_msr_find(0x40000073));
	KUNIT_EXPECT_NOT_NULL(test, ohv_msr_find(0x40000118));
	/* SynIC and synthetic timers are not offered. */
	KUNIT_EXPECT_NULL(test, ohv_msr_find(0x40000080));
	KUNIT_EXPECT_NULL(test, ohv_msr_find(0x400000b0));
}

/* ENDBR64, the vendor's hypercall instruction, RET; INT3 after it. */
static void ohv_msr_hypercall_stub_is_call_and_return(struct kunit *test)
{
	static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	bool amd = boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
		   boot_cpu_data.x86_vendor == X86_VENDOR_HYGON;
	u8 page[32];

	memset(page, 0, sizeof(page));
	ohv_synth_hypercall_stub(page, sizeof(page));
	KUNIT_EXPECT_EQ(test, 0, memcmp(page, endbr64, sizeof(endbr64)));
	KUNIT_EXPECT_EQ(test, 0x0f, page[4]);
	KUNIT_EXPECT_EQ(test, 0x01, page[5]);
	KUNIT_EXPECT_EQ(test, amd ? 0xd9 : 0xc1, page[6]);
	KUNIT_EXPECT_EQ(test, 0xc3, page[7]);
	KUNIT_EXPECT_EQ(test, 0xcc, page[8]);
	KUNIT_EXPECT_EQ(test, 0xcc, page[31]);
}

static struct kunit_case ohv_msr_cases[] = {
	KUNIT_CASE(ohv_msr_knows_what_linux_touches),
	KUNIT_CASE(ohv_msr_unknown_is_absent),
	KUNIT_CASE(ohv_msr_x2apic_range_is_covered),
	KUNIT_CASE(ohv_msr_mtrrcap_is_read_only),
	KUNIT_CASE(ohv_msr_pat_validation),
	KUNIT_CASE(ohv_msr_hyperv_frequency_msrs_are_read_only),
	KUNIT_CASE(ohv_msr_hypercall_stub_is_call_and_return),
	{}
};

static struct kunit_suite ohv_msr_suite = {
	.name = "ohv_hyp_msr",
	.test_cases = ohv_msr_cases,
};

kunit_test_suites(&ohv_msr_suite);
