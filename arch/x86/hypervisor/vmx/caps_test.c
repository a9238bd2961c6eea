// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: VMX control words from capability MSRs, CR fixed bits, EPT entry
 * encoding, the MSR bitmap layout and the segment AR format.
 */
#include <kunit/test.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "vmx.h"

/* Allowed-0 settings in bits 31:0, allowed-1 settings in 63:32. */
static u64 cap(u32 must_be_one, u32 may_be_one)
{
	return ((u64)may_be_one << 32) | must_be_one;
}

static void ohv_vmx_ctl_required_and_defaults(struct kunit *test)
{
	u32 out = 0, missing = 0;

	KUNIT_EXPECT_EQ(test, 0, ohv_vmx_adjust_controls(cap(0x16, 0xff), 0x1, 0,
							 &out, &missing));
	/* Must-be-one bits appear even when nobody asked for them. */
	KUNIT_EXPECT_EQ(test, 0x17U, out);
	KUNIT_EXPECT_EQ(test, 0U, missing);
}

static void ohv_vmx_ctl_optional_only_if_allowed(struct kunit *test)
{
	u32 out = 0, missing = 0;

	KUNIT_EXPECT_EQ(test, 0, ohv_vmx_adjust_controls(cap(0, 0x0f), 0x1, 0x30,
							 &out, &missing));
	KUNIT_EXPECT_EQ(test, 0x1U, out);
	KUNIT_EXPECT_EQ(test, 0, ohv_vmx_adjust_controls(cap(0, 0x3f), 0x1, 0x30,
							 &out, &missing));
	KUNIT_EXPECT_EQ(test, 0x31U, out);
}

static void ohv_vmx_ctl_missing_required_fails(struct kunit *test)
{
	u32 out = 0xdead, missing = 0;

	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP,
			ohv_vmx_adjust_controls(cap(0, 0x0f), 0x11, 0, &out, &missing));
	KUNIT_EXPECT_EQ(test, 0x10U, missing);
	/* EPT + unrestricted guest against a CPU that only has EPT. */
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP,
			ohv_vmx_adjust_controls(cap(0, SECONDARY_EXEC_ENABLE_EPT),
						SECONDARY_EXEC_ENABLE_EPT |
						SECONDARY_EXEC_UNRESTRICTED_GUEST,
						SECONDARY_EXEC_ENABLE_VPID, &out, &missing));
	KUNIT_EXPECT_EQ(test, (u32)SECONDARY_EXEC_UNRESTRICTED_GUEST, missing);
}

static void ohv_vmx_cr_fixed_bits(struct kunit *test)
{
	/* Typical CR0 MSRs: PE|NE|PG must be 1, all of the low 32 may be. */
	u64 f0 = X86_CR0_PE | X86_CR0_NE | X86_CR0_PG, f1 = 0xffffffffULL;
	u64 owned = ohv_vmx_cr_owned(f0, f1, X86_CR0_PE | X86_CR0_PG);

	KUNIT_EXPECT_EQ(test, (u64)(X86_CR0_PE | X86_CR0_NE | X86_CR0_PG | X86_CR0_ET),
			ohv_vmx_cr_fixup(X86_CR0_ET, f0, f1));
	KUNIT_EXPECT_TRUE(test, owned & X86_CR0_NE);
	KUNIT_EXPECT_FALSE(test, owned & (X86_CR0_PE | X86_CR0_PG | X86_CR0_WP));
	KUNIT_EXPECT_TRUE(test, owned & BIT_ULL(32));
	KUNIT_EXPECT_TRUE(test, ohv_vmx_cr_ok(f0, f0, f1));
	KUNIT_EXPECT_FALSE(test, ohv_vmx_cr_ok(X86_CR0_PE, f0, f1));
	KUNIT_EXPECT_FALSE(test, ohv_vmx_cr_ok(f0 | BIT_ULL(40), f0, f1));
	/* CR4: VMXE forced on, LA57 not supported. */
	KUNIT_EXPECT_EQ(test, (u64)(X86_CR4_VMXE | X86_CR4_PAE),
			ohv_vmx_cr_fixup(X86_CR4_PAE | X86_CR4_LA57, X86_CR4_VMXE,
					 0x3727ff & ~X86_CR4_LA57));
}

static void ohv_ept_leaf_is_rwx_wb(struct kunit *test)
{
	u64 e = ohv_ept_leaf_entry(0x123456000ULL | 0xabc, false);

	KUNIT_EXPECT_EQ(test, 0x123456000ULL, e & OHV_EPT_ADDR_MASK);
	KUNIT_EXPECT_EQ(test, OHV_EPT_RWX, e & OHV_EPT_RWX);
	KUNIT_EXPECT_EQ(test, 6ULL, (e >> 3) & 7);	/* memory type WB */
	KUNIT_EXPECT_FALSE(test, e & OHV_EPT_IGNORE_PAT);
	KUNIT_EXPECT_FALSE(test, e & OHV_EPT_LARGE);
	KUNIT_EXPECT_FALSE(test, e & (OHV_EPT_ACCESSED | OHV_EPT_DIRTY));
	e = ohv_ept_leaf_entry(0x1000, true);
	KUNIT_EXPECT_EQ(test, OHV_EPT_ACCESSED | OHV_EPT_DIRTY,
			e & (OHV_EPT_ACCESSED | OHV_EPT_DIRTY));
}

static void ohv_ept_table_entry_has_no_leaf_bits(struct kunit *test)
{
	u64 e = ohv_ept_table_entry(0x7000ULL | 0xfff, true);

	KUNIT_EXPECT_EQ(test, 0x7000ULL, e & OHV_EPT_ADDR_MASK);
	KUNIT_EXPECT_EQ(test, OHV_EPT_RWX, e & OHV_EPT_RWX);
	/* Bits 7:3 are reserved (or the large-page flag) in a non-leaf. */
	KUNIT_EXPECT_EQ(test, 0ULL, e & GENMASK_ULL(7, 3));
	KUNIT_EXPECT_FALSE(test, e & OHV_EPT_DIRTY);
	KUNIT_EXPECT_TRUE(test, e & OHV_EPT_ACCESSED);
	KUNIT_EXPECT_FALSE(test, ohv_ept_table_entry(0x7000, false) & OHV_EPT_ACCESSED);
}

static void ohv_ept_index_and_eptp(struct kunit *test)
{
	u64 gpa = (5ULL << 39) | (6ULL << 30) | (7ULL << 21) | (8ULL << 12) | 0x123;

	KUNIT_EXPECT_EQ(test, 5U, ohv_ept_index(gpa, 4));
	KUNIT_EXPECT_EQ(test, 6U, ohv_ept_index(gpa, 3));
	KUNIT_EXPECT_EQ(test, 7U, ohv_ept_index(gpa, 2));
	KUNIT_EXPECT_EQ(test, 8U, ohv_ept_index(gpa, 1));
	/* WB (6), walk length 4 encoded as 3 in bits 5:3, A/D in bit 6. */
	KUNIT_EXPECT_EQ(test, 0x5000ULL | 6 | (3 << 3), ohv_eptp(0x5000, false));
	KUNIT_EXPECT_EQ(test, 0x5000ULL | 6 | (3 << 3) | BIT(6), ohv_eptp(0x5000, true));
}

static void ohv_vmx_msr_bitmap_layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0, ohv_vmx_msr_bitmap_bit(0, false));
	KUNIT_EXPECT_EQ(test, 0x1b, ohv_vmx_msr_bitmap_bit(MSR_IA32_APICBASE, false));
	KUNIT_EXPECT_EQ(test, 0x800 * 8 + 0x1b,
			ohv_vmx_msr_bitmap_bit(MSR_IA32_APICBASE, true));
	KUNIT_EXPECT_EQ(test, 0x400 * 8 + 0x80, ohv_vmx_msr_bitmap_bit(MSR_EFER, false));
	KUNIT_EXPECT_EQ(test, 0xc00 * 8 + 0x80, ohv_vmx_msr_bitmap_bit(MSR_EFER, true));
	KUNIT_EXPECT_EQ(test, 0x1000 * 8 - 1, ohv_vmx_msr_bitmap_bit(0xc0001fff, true));
	KUNIT_EXPECT_EQ(test, -1, ohv_vmx_msr_bitmap_bit(0x2000, false));
	KUNIT_EXPECT_EQ(test, -1, ohv_vmx_msr_bitmap_bit(0x40000000, true));
	KUNIT_EXPECT_EQ(test, -1, ohv_vmx_msr_bitmap_bit(0xc0010000, false));
}

static void ohv_vmx_ar_round_trip(struct kunit *test)
{
	/* 64-bit code: G L P S type 0xb. */
	KUNIT_EXPECT_EQ(test, 0xa09bU, ohv_vmx_ar_from_attr(0xa9b, false));
	KUNIT_EXPECT_EQ(test, 0xa9b, ohv_vmx_attr_from_ar(0xa09b));
	KUNIT_EXPECT_EQ(test, 0x10000U | 0x93, ohv_vmx_ar_from_attr(0x93, true));
	KUNIT_EXPECT_EQ(test, 0, ohv_vmx_attr_from_ar(0x10093));
}

static void ohv_vmx_error_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, "VM entry with invalid host-state field(s)",
			   ohv_vmx_insn_error_name(8));
	KUNIT_EXPECT_STREQ(test, "unknown VM-instruction error",
			   ohv_vmx_insn_error_name(1000));
	KUNIT_EXPECT_STREQ(test, "unknown VM-instruction error",
			   ohv_vmx_insn_error_name(14));
	KUNIT_EXPECT_NOT_NULL(test, strstr(ohv_vmx_entry_failure_name(0x80000021, 0),
					   "invalid guest state"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(ohv_vmx_entry_failure_name(0x80000022, 1),
					   "MSR"));
}

static struct kunit_case ohv_vmx_cases[] = {
	KUNIT_CASE(ohv_vmx_ctl_required_and_defaults),
	KUNIT_CASE(ohv_vmx_ctl_optional_only_if_allowed),
	KUNIT_CASE(ohv_vmx_ctl_missing_required_fails),
	KUNIT_CASE(ohv_vmx_cr_fixed_bits),
	KUNIT_CASE(ohv_vmx_msr_bitmap_layout),
	KUNIT_CASE(ohv_vmx_ar_round_trip),
	KUNIT_CASE(ohv_vmx_error_names),
	{}
};

static struct kunit_suite ohv_vmx_suite = {
	.name = "ohv_hyp_vmx",
	.test_cases = ohv_vmx_cases,
};

static struct kunit_case ohv_ept_cases[] = {
	KUNIT_CASE(ohv_ept_leaf_is_rwx_wb),
	KUNIT_CASE(ohv_ept_table_entry_has_no_leaf_bits),
	KUNIT_CASE(ohv_ept_index_and_eptp),
	{}
};

static struct kunit_suite ohv_ept_suite = {
	.name = "ohv_hyp_ept",
	.test_cases = ohv_ept_cases,
};

kunit_test_suites(&ohv_vmx_suite, &ohv_ept_suite);
