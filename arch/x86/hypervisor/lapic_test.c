// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: x2APIC timer decoding, priorities and IPI destination matching.
 */
#include <kunit/test.h>
#include <asm/apicdef.h>

#include "ohv.h"

static void ohv_lapic_timer_mode_decode(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, OHV_TIMER_ONESHOT,
			ohv_lapic_timer_mode(APIC_LVT_TIMER_ONESHOT | 0xef));
	KUNIT_EXPECT_EQ(test, OHV_TIMER_PERIODIC,
			ohv_lapic_timer_mode(APIC_LVT_TIMER_PERIODIC | APIC_LVT_MASKED));
	KUNIT_EXPECT_EQ(test, OHV_TIMER_TSC_DEADLINE,
			ohv_lapic_timer_mode(APIC_LVT_TIMER_TSCDEADLINE | 0xec));
	KUNIT_EXPECT_EQ(test, OHV_TIMER_RESERVED, ohv_lapic_timer_mode(3 << 17));
}

static void ohv_lapic_divide_config_decode(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 2U, ohv_lapic_divisor(APIC_TDR_DIV_2));
	KUNIT_EXPECT_EQ(test, 4U, ohv_lapic_divisor(APIC_TDR_DIV_4));
	KUNIT_EXPECT_EQ(test, 8U, ohv_lapic_divisor(APIC_TDR_DIV_8));
	KUNIT_EXPECT_EQ(test, 16U, ohv_lapic_divisor(APIC_TDR_DIV_16));
	KUNIT_EXPECT_EQ(test, 32U, ohv_lapic_divisor(APIC_TDR_DIV_32));
	KUNIT_EXPECT_EQ(test, 64U, ohv_lapic_divisor(APIC_TDR_DIV_64));
	KUNIT_EXPECT_EQ(test, 128U, ohv_lapic_divisor(APIC_TDR_DIV_128));
	KUNIT_EXPECT_EQ(test, 1U, ohv_lapic_divisor(APIC_TDR_DIV_1));
}

static void ohv_lapic_count_scales_with_divisor(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 2000ULL, ohv_lapic_count_to_ns(1000, APIC_TDR_DIV_2));
	KUNIT_EXPECT_EQ(test, 1000ULL, ohv_lapic_count_to_ns(1000, APIC_TDR_DIV_1));
	/* The largest count times the largest divisor does not overflow. */
	KUNIT_EXPECT_EQ(test, 0xffffffffULL * 128,
			ohv_lapic_count_to_ns(0xffffffff, APIC_TDR_DIV_128));
}

static void ohv_lapic_ppr_follows_isr_and_tpr(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0U, ohv_lapic_ppr(0, -1));
	KUNIT_EXPECT_EQ(test, 0x20U, ohv_lapic_ppr(0x20, -1));
	KUNIT_EXPECT_EQ(test, 0x30U, ohv_lapic_ppr(0x20, 0x31));
	KUNIT_EXPECT_EQ(test, 0x45U, ohv_lapic_ppr(0x45, 0x41));
}

static void ohv_lapic_top_vector_finds_highest(struct kunit *test)
{
	DECLARE_BITMAP(bits, 256) = {};

	KUNIT_EXPECT_EQ(test, -1, ohv_lapic_top_vector(bits));
	__set_bit(0x31, bits);
	__set_bit(0xec, bits);
	KUNIT_EXPECT_EQ(test, 0xec, ohv_lapic_top_vector(bits));
	__clear_bit(0xec, bits);
	KUNIT_EXPECT_EQ(test, 0x31, ohv_lapic_top_vector(bits));
}

static void ohv_lapic_ipi_destinations(struct kunit *test)
{
	/* Physical: exact ID, or broadcast. */
	KUNIT_EXPECT_TRUE(test, ohv_lapic_ipi_matches(3, 3, false));
	KUNIT_EXPECT_FALSE(test, ohv_lapic_ipi_matches(3, 4, false));
	KUNIT_EXPECT_TRUE(test, ohv_lapic_ipi_matches(3, 0xffffffff, false));
	/* Logical cluster mode: cluster 1 member 2 is APIC ID 18. */
	KUNIT_EXPECT_TRUE(test, ohv_lapic_ipi_matches(18, (1 << 16) | BIT(2), true));
	KUNIT_EXPECT_FALSE(test, ohv_lapic_ipi_matches(2, (1 << 16) | BIT(2), true));
	KUNIT_EXPECT_FALSE(test, ohv_lapic_ipi_matches(19, (1 << 16) | BIT(2), true));
	KUNIT_EXPECT_TRUE(test, ohv_lapic_ipi_matches(0, 1, true));
}

static struct kunit_case ohv_lapic_cases[] = {
	KUNIT_CASE(ohv_lapic_timer_mode_decode),
	KUNIT_CASE(ohv_lapic_divide_config_decode),
	KUNIT_CASE(ohv_lapic_count_scales_with_divisor),
	KUNIT_CASE(ohv_lapic_ppr_follows_isr_and_tpr),
	KUNIT_CASE(ohv_lapic_top_vector_finds_highest),
	KUNIT_CASE(ohv_lapic_ipi_destinations),
	{}
};

static struct kunit_suite ohv_lapic_suite = {
	.name = "ohv_hyp_lapic",
	.test_cases = ohv_lapic_cases,
};

kunit_test_suites(&ohv_lapic_suite);
