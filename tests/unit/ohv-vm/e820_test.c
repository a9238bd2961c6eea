// SPDX-License-Identifier: GPL-2.0
/* e820 map layout for several memory sizes. */
#include "kselftest_harness.h"

#include "e820.h"
#include "layout.h"

#define MiB	BIT_ULL(20)
#define GiB	BIT_ULL(30)

static u64 ram_in(const struct ohv_e820_entry *m, int n)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < n; i++)
		if (m[i].type == OHV_E820_RAM)
			sum += m[i].size;
	return sum;
}

/* Common shape: low RAM, reserved up to 1 MiB, RAM from 1 MiB. */
static void check_low_part(struct __test_metadata *_metadata,
			   const struct ohv_e820_entry *m, u64 low_end)
{
	EXPECT_EQ(0, m[0].addr);
	EXPECT_EQ(0x9fc00, m[0].size);
	EXPECT_EQ(OHV_E820_RAM, m[0].type);
	EXPECT_EQ(0x9fc00, m[1].addr);
	EXPECT_EQ(0x100000 - 0x9fc00, m[1].size);
	EXPECT_EQ(OHV_E820_RESERVED, m[1].type);
	EXPECT_EQ(0x100000, m[2].addr);
	EXPECT_EQ(low_end - 0x100000, m[2].size);
	EXPECT_EQ(OHV_E820_RAM, m[2].type);
}

TEST(e820_64m_has_three_entries)
{
	struct ohv_e820_entry m[OHV_E820_MAX_ENTRIES];
	int n = ohv_e820_build(64 * MiB, m, OHV_E820_MAX_ENTRIES);

	ASSERT_EQ(3, n);
	check_low_part(_metadata, m, 64 * MiB);
	EXPECT_EQ(64 * MiB - (0x100000 - 0x9fc00), ram_in(m, n));
}

TEST(e820_512m_and_2g)
{
	struct ohv_e820_entry m[OHV_E820_MAX_ENTRIES];
	int n;

	n = ohv_e820_build(512 * MiB, m, OHV_E820_MAX_ENTRIES);
	ASSERT_EQ(3, n);
	check_low_part(_metadata, m, 512 * MiB);

	n = ohv_e820_build(2 * GiB, m, OHV_E820_MAX_ENTRIES);
	ASSERT_EQ(3, n);
	check_low_part(_metadata, m, 2 * GiB);
}

TEST(e820_exactly_3g_stays_below_the_hole)
{
	struct ohv_e820_entry m[OHV_E820_MAX_ENTRIES];
	int n = ohv_e820_build(3 * GiB, m, OHV_E820_MAX_ENTRIES);

	ASSERT_EQ(3, n);
	check_low_part(_metadata, m, 3 * GiB);
}

TEST(e820_8g_moves_the_rest_above_4g)
{
	struct ohv_e820_entry m[OHV_E820_MAX_ENTRIES];
	int n = ohv_e820_build(8 * GiB, m, OHV_E820_MAX_ENTRIES);

	ASSERT_EQ(4, n);
	check_low_part(_metadata, m, OHV_LOW_RAM_LIMIT);
	EXPECT_EQ(4 * GiB, m[3].addr);
	EXPECT_EQ(8 * GiB - OHV_LOW_RAM_LIMIT, m[3].size);
	EXPECT_EQ(OHV_E820_RAM, m[3].type);
	EXPECT_EQ(8 * GiB - (0x100000 - 0x9fc00), ram_in(m, n));
}

TEST(e820_entries_are_sorted_and_disjoint)
{
	static const u64 sizes[] = { 2 * MiB, 128 * MiB, 3 * GiB + 4096,
					  16 * GiB };
	struct ohv_e820_entry m[OHV_E820_MAX_ENTRIES];
	unsigned int s;
	int i, n;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		n = ohv_e820_build(sizes[s], m, OHV_E820_MAX_ENTRIES);
		ASSERT_LT(0, n);
		for (i = 1; i < n; i++)
			EXPECT_LE(m[i - 1].addr + m[i - 1].size, m[i].addr);
	}
}

TEST(e820_rejects_tiny_memory_and_small_tables)
{
	struct ohv_e820_entry m[OHV_E820_MAX_ENTRIES];

	EXPECT_EQ(-1, ohv_e820_build(1 * MiB, m, OHV_E820_MAX_ENTRIES));
	EXPECT_EQ(-1, ohv_e820_build(64 * MiB, m, 2));
	EXPECT_EQ(-1, ohv_e820_build(8 * GiB, m, 3));
}

TEST_HARNESS_MAIN
