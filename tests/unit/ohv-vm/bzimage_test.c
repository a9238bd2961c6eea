// SPDX-License-Identifier: GPL-2.0
/* bzImage header validation. */
#include <string.h>

#include "kselftest_harness.h"

#include "bzimage.h"
#include "setup_header.h"

#define IMG_SIZE	(64 * 1024)
#define SETUP_SECTS	7

static u8 img[IMG_SIZE];
static char err[256];

/* A minimal image that passes every check. */
static void good_image(void)
{
	struct ohv_setup_header h;

	memset(img, 0, sizeof(img));
	test_setup_header_init(&h);
	h.setup_sects = SETUP_SECTS;
	h.relocatable_kernel = 1;
	h.cmdline_size = 2047;
	h.pref_address = 0x1000000;
	h.init_size = 0x2000000;
	memcpy(img + OHV_SETUP_HEADER_OFFSET, &h, sizeof(h));
}

static struct ohv_setup_header *hdr(void)
{
	return (struct ohv_setup_header *)(img + OHV_SETUP_HEADER_OFFSET);
}

TEST(bzimage_accepts_valid_header)
{
	struct ohv_bzimage bz;

	good_image();
	ASSERT_EQ(0, ohv_bzimage_parse(img, sizeof(img), &bz, err, sizeof(err)));
	EXPECT_EQ((SETUP_SECTS + 1) * 512, bz.kernel_offset);
	EXPECT_EQ(sizeof(img) - (SETUP_SECTS + 1) * 512, bz.kernel_size);
	EXPECT_EQ(0x1000000, bz.load_addr);
	EXPECT_EQ(0x1000200, bz.entry);
	EXPECT_EQ(0x3000000, bz.end);
	EXPECT_EQ(0x26c - 0x1f1, bz.hdr_len);
}

TEST(bzimage_rejects_bad_magic)
{
	struct ohv_bzimage bz;

	good_image();
	memcpy(img + 0x202, "HdrX", 4);
	ASSERT_EQ(-1, ohv_bzimage_parse(img, sizeof(img), &bz, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "HdrS"));
}

TEST(bzimage_rejects_bad_boot_flag)
{
	struct ohv_bzimage bz;

	good_image();
	hdr()->boot_flag = 0x1234;
	ASSERT_EQ(-1, ohv_bzimage_parse(img, sizeof(img), &bz, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "boot flag"));
}

TEST(bzimage_rejects_protocol_older_than_2_12)
{
	struct ohv_bzimage bz;

	good_image();
	hdr()->version = 0x020b;
	ASSERT_EQ(-1, ohv_bzimage_parse(img, sizeof(img), &bz, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "2.11 is too old"));
	hdr()->version = 0x020c;
	EXPECT_EQ(0, ohv_bzimage_parse(img, sizeof(img), &bz, err, sizeof(err)));
}

TEST(bzimage_rejects_kernel_without_64bit_entry)
{
	struct ohv_bzimage bz;

	good_image();
	hdr()->xloadflags = 0;
	ASSERT_EQ(-1, ohv_bzimage_parse(img, sizeof(img), &bz, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "XLF_KERNEL_64"));
}

TEST(bzimage_rejects_truncated_files)
{
	struct ohv_bzimage bz;

	good_image();
	ASSERT_EQ(-1, ohv_bzimage_parse(img, 0x200, &bz, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "too small"));
	ASSERT_EQ(-1, ohv_bzimage_parse(img, (SETUP_SECTS + 1) * 512, &bz,
					err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "truncated"));
}

TEST(bzimage_zero_setup_sects_means_four)
{
	struct ohv_bzimage bz;

	good_image();
	hdr()->setup_sects = 0;
	ASSERT_EQ(0, ohv_bzimage_parse(img, sizeof(img), &bz, err, sizeof(err)));
	EXPECT_EQ(5 * 512, bz.kernel_offset);
}

TEST(bzimage_rejects_low_or_unaligned_pref_address)
{
	struct ohv_bzimage bz;

	good_image();
	hdr()->pref_address = 0x80000;
	EXPECT_EQ(-1, ohv_bzimage_parse(img, sizeof(img), &bz, err, sizeof(err)));
	hdr()->pref_address = 0x1000010;
	EXPECT_EQ(-1, ohv_bzimage_parse(img, sizeof(img), &bz, err, sizeof(err)));
}

TEST(bzimage_rejects_payload_larger_than_init_size)
{
	struct ohv_bzimage bz;

	good_image();
	hdr()->init_size = 0x1000;
	ASSERT_EQ(-1, ohv_bzimage_parse(img, sizeof(img), &bz, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "init_size"));
}

TEST(bzimage_header_length_is_clamped)
{
	struct ohv_bzimage bz;

	good_image();
	hdr()->jump = 0xffeb;	/* claims a header far past the struct */
	ASSERT_EQ(0, ohv_bzimage_parse(img, sizeof(img), &bz, err, sizeof(err)));
	EXPECT_EQ(sizeof(struct ohv_setup_header), bz.hdr_len);
}

TEST_HARNESS_MAIN
