// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: SET_SREGS validation and the reset state.
 */
#include <kunit/test.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>

#include "ohv.h"

static void ohv_sregs_reset_is_real_mode(struct kunit *test)
{
	struct ohv_hyp_sregs s;

	ohv_sregs_reset(&s);
	KUNIT_EXPECT_EQ(test, 0, ohv_sregs_check(&s));
	KUNIT_EXPECT_EQ(test, 0xf000, s.cs.selector);
	KUNIT_EXPECT_EQ(test, 0xffff0000ULL, s.cs.base);
	KUNIT_EXPECT_FALSE(test, s.cr0 & X86_CR0_PE);
}

static void ohv_sregs_accepts_long_mode(struct kunit *test)
{
	struct ohv_hyp_sregs s;

	ohv_sregs_reset(&s);
	s.cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_ET;
	s.cr4 = X86_CR4_PAE;
	s.efer = EFER_LME | EFER_LMA;
	s.cs.attributes = OHV_HYP_SEG_P | OHV_HYP_SEG_S | OHV_HYP_SEG_L | 0xb;
	KUNIT_EXPECT_EQ(test, 0, ohv_sregs_check(&s));
}

static void ohv_sregs_rejects_impossible_states(struct kunit *test)
{
	struct ohv_hyp_sregs s;

	ohv_sregs_reset(&s);
	s.cr0 = X86_CR0_PG;
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_sregs_check(&s));

	ohv_sregs_reset(&s);
	s.cr0 = X86_CR0_NW;
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_sregs_check(&s));

	ohv_sregs_reset(&s);
	s.cr0 = X86_CR0_PE | X86_CR0_PG;
	s.efer = EFER_LME;
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_sregs_check(&s));

	ohv_sregs_reset(&s);
	s.cs.attributes |= OHV_HYP_SEG_L | OHV_HYP_SEG_DB;
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_sregs_check(&s));
}

static void ohv_sregs_rejects_reserved_bits(struct kunit *test)
{
	struct ohv_hyp_sregs s;

	ohv_sregs_reset(&s);
	s.efer = EFER_SVME;
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_sregs_check(&s));

	ohv_sregs_reset(&s);
	s.reserved[7] = 1;
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_sregs_check(&s));

	ohv_sregs_reset(&s);
	s.cr0 |= 1ULL << 32;
	KUNIT_EXPECT_EQ(test, -EINVAL, ohv_sregs_check(&s));
}

static struct kunit_case ohv_sregs_cases[] = {
	KUNIT_CASE(ohv_sregs_reset_is_real_mode),
	KUNIT_CASE(ohv_sregs_accepts_long_mode),
	KUNIT_CASE(ohv_sregs_rejects_impossible_states),
	KUNIT_CASE(ohv_sregs_rejects_reserved_bits),
	{}
};

static struct kunit_suite ohv_sregs_suite = {
	.name = "ohv_hyp_sregs",
	.test_cases = ohv_sregs_cases,
};

kunit_test_suites(&ohv_sregs_suite);
