// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: nested page table entry encoding and MSR permission map layout.
 */
#include <kunit/test.h>
#include <asm/msr-index.h>

#include "svm.h"

static void ohv_npt_index_per_level(struct kunit *test)
{
	u64 gpa = (5ULL << 39) | (6ULL << 30) | (7ULL << 21) | (8ULL << 12) | 0x123;

	KUNIT_EXPECT_EQ(test, 5U, ohv_npt_index(gpa, 4));
	KUNIT_EXPECT_EQ(test, 6U, ohv_npt_index(gpa, 3));
	KUNIT_EXPECT_EQ(test, 7U, ohv_npt_index(gpa, 2));
	KUNIT_EXPECT_EQ(test, 8U, ohv_npt_index(gpa, 1));
	KUNIT_EXPECT_EQ(test, 511U, ohv_npt_index(~0ULL, 4));
}

static void ohv_npt_leaf_is_user_rwx_wb(struct kunit *test)
{
	u64 pte = ohv_npt_leaf_entry(0x123456000ULL);

	KUNIT_EXPECT_EQ(test, 0x123456000ULL, pte & OHV_NPT_ADDR_MASK);
	KUNIT_EXPECT_TRUE(test, pte & OHV_NPT_PRESENT);
	KUNIT_EXPECT_TRUE(test, pte & OHV_NPT_WRITE);
	/* Nested walks are user accesses: without U/S every access faults. */
	KUNIT_EXPECT_TRUE(test, pte & OHV_NPT_USER);
	KUNIT_EXPECT_TRUE(test, pte & OHV_NPT_DIRTY);
	KUNIT_EXPECT_FALSE(test, pte & BIT_ULL(63));	/* NX */
	KUNIT_EXPECT_FALSE(test, pte & (BIT_ULL(3) | BIT_ULL(4) | BIT_ULL(7)));
}

static void ohv_npt_table_entry_has_no_leaf_bits(struct kunit *test)
{
	u64 e = ohv_npt_table_entry(0x7000ULL | 0xfff);

	KUNIT_EXPECT_EQ(test, 0x7000ULL, e & OHV_NPT_ADDR_MASK);
	KUNIT_EXPECT_FALSE(test, e & BIT_ULL(7));	/* PS */
	KUNIT_EXPECT_FALSE(test, e & OHV_NPT_DIRTY);
	KUNIT_EXPECT_TRUE(test, e & OHV_NPT_USER);
}

static void ohv_svm_msrpm_layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0, ohv_svm_msrpm_bit(0));
	KUNIT_EXPECT_EQ(test, 2 * 0x1b, ohv_svm_msrpm_bit(MSR_IA32_APICBASE));
	KUNIT_EXPECT_EQ(test, 0x800 * 8 + 2 * 0x80, ohv_svm_msrpm_bit(MSR_EFER));
	KUNIT_EXPECT_EQ(test, 0x1000 * 8, ohv_svm_msrpm_bit(0xc0010000));
	KUNIT_EXPECT_EQ(test, 0x1800 * 8 - 2, ohv_svm_msrpm_bit(0xc0011fff));
	KUNIT_EXPECT_EQ(test, -1, ohv_svm_msrpm_bit(0x2000));
	KUNIT_EXPECT_EQ(test, -1, ohv_svm_msrpm_bit(0x40000000));
	KUNIT_EXPECT_EQ(test, -1, ohv_svm_msrpm_bit(0xc0012000));
}

static struct kunit_case ohv_npt_cases[] = {
	KUNIT_CASE(ohv_npt_index_per_level),
	KUNIT_CASE(ohv_npt_leaf_is_user_rwx_wb),
	KUNIT_CASE(ohv_npt_table_entry_has_no_leaf_bits),
	{}
};

static struct kunit_suite ohv_npt_suite = {
	.name = "ohv_hyp_npt",
	.test_cases = ohv_npt_cases,
};

/* MOV CRn, reg as compilers and the hostile guest encode it. */
static void ohv_svm_decodes_cr_writes(struct kunit *test)
{
	static const u8 mov_cr4_rax[] = { 0x0f, 0x22, 0xe0 };
	static const u8 mov_cr0_r9[] = { 0x41, 0x0f, 0x22, 0xc1 };
	static const u8 lock_mov_cr8[] = { 0xf0, 0x0f, 0x22, 0xc3 };
	static const u8 clts[] = { 0x0f, 0x06 };
	static const u8 not_mov_cr[] = { 0x0f, 0x20, 0xe0 };
	struct ohv_svm_cr_insn in;

	KUNIT_ASSERT_EQ(test, 0, ohv_svm_decode_cr_write(mov_cr4_rax, 3, true, &in));
	KUNIT_EXPECT_EQ(test, 4, in.cr);
	KUNIT_EXPECT_EQ(test, 0, in.gpr);
	KUNIT_EXPECT_EQ(test, 3, in.len);
	KUNIT_ASSERT_EQ(test, 0, ohv_svm_decode_cr_write(mov_cr0_r9, 4, true, &in));
	KUNIT_EXPECT_EQ(test, 0, in.cr);
	KUNIT_EXPECT_EQ(test, 9, in.gpr);
	KUNIT_EXPECT_EQ(test, 4, in.len);
	/* Outside 64-bit mode 0x41 is not a REX prefix. */
	KUNIT_EXPECT_NE(test, 0, ohv_svm_decode_cr_write(mov_cr0_r9, 4, false, &in));
	KUNIT_ASSERT_EQ(test, 0, ohv_svm_decode_cr_write(lock_mov_cr8, 4, true, &in));
	KUNIT_EXPECT_EQ(test, 8, in.cr);
	KUNIT_EXPECT_EQ(test, 3, in.gpr);
	KUNIT_ASSERT_EQ(test, 0, ohv_svm_decode_cr_write(clts, 2, true, &in));
	KUNIT_EXPECT_TRUE(test, in.clts);
	KUNIT_EXPECT_EQ(test, 2, in.len);
	KUNIT_EXPECT_NE(test, 0, ohv_svm_decode_cr_write(not_mov_cr, 3, true, &in));
	/* Truncated: the fetch stopped at an unmapped page. */
	KUNIT_EXPECT_NE(test, 0, ohv_svm_decode_cr_write(mov_cr4_rax, 2, true, &in));
}

static struct kunit_case ohv_svm_cases[] = {
	KUNIT_CASE(ohv_svm_msrpm_layout),
	KUNIT_CASE(ohv_svm_decodes_cr_writes),
	{}
};

static struct kunit_suite ohv_svm_suite = {
	.name = "ohv_hyp_svm",
	.test_cases = ohv_svm_cases,
};

kunit_test_suites(&ohv_npt_suite, &ohv_svm_suite);
