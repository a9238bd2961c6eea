// SPDX-License-Identifier: GPL-2.0
/* Kernel/initrd/cmdline/zero-page placement and the initial CPU state. */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "boot.h"
#include "cpu_boot.h"
#include "layout.h"
#include "setup_header.h"

#define MiB		BIT_ULL(20)
#define IMG_SIZE	(64 * 1024)

static u8 img[IMG_SIZE];
static char err[256];

static void make_bzimage(struct __test_metadata *_metadata,
			 struct ohv_bzimage *bz)
{
	struct ohv_setup_header h;

	memset(img, 0x90, sizeof(img));
	test_setup_header_init(&h);
	h.setup_sects = 3;
	h.cmdline_size = 64;
	h.pref_address = 16 * MiB;
	h.init_size = 32 * MiB;
	memcpy(img + OHV_SETUP_HEADER_OFFSET, &h, sizeof(h));
	ASSERT_EQ(0, ohv_bzimage_parse(img, sizeof(img), bz, err, sizeof(err)));
}

FIXTURE(boot) {
	u8 *ram;
	struct ohv_guest_mem mem;
	struct ohv_bzimage bz;
	u8 initrd[8192];
};

FIXTURE_SETUP(boot)
{
	self->ram = calloc(1, 64 * MiB);
	ASSERT_NE(NULL, self->ram);
	ASSERT_EQ(0, ohv_mem_init(&self->mem, self->ram, 64 * MiB));
	make_bzimage(_metadata, &self->bz);
	memset(self->initrd, 0x5a, sizeof(self->initrd));
}

FIXTURE_TEARDOWN(boot)
{
	free(self->ram);
}

TEST_F(boot, zero_page_describes_kernel_initrd_cmdline)
{
	struct ohv_linux_boot lb = {
		.bz = &self->bz, .initrd = self->initrd,
		.initrd_size = sizeof(self->initrd),
		.cmdline = "console=ttyS0", .rsdp_gpa = 0xe0000,
	};
	struct ohv_boot_params *bp;
	struct ohv_boot_result r;

	ASSERT_EQ(0, ohv_boot_load_linux(&self->mem, &lb, &r, err, sizeof(err)));
	EXPECT_EQ(16 * MiB + 0x200, r.entry);
	EXPECT_EQ(OHV_ZERO_PAGE_GPA, r.zero_page);
	EXPECT_EQ(64 * MiB - sizeof(self->initrd), r.initrd_gpa);

	bp = (struct ohv_boot_params *)(self->ram + OHV_ZERO_PAGE_GPA);
	EXPECT_EQ(OHV_HDRS_MAGIC, bp->hdr.header);
	EXPECT_EQ(0xaa55, bp->hdr.boot_flag);
	EXPECT_EQ(0xff, bp->hdr.type_of_loader);
	EXPECT_EQ(OHV_LOADED_HIGH | OHV_CAN_USE_HEAP, bp->hdr.loadflags);
	EXPECT_EQ(OHV_CMDLINE_GPA, bp->hdr.cmd_line_ptr);
	EXPECT_EQ(r.initrd_gpa, bp->hdr.ramdisk_image);
	EXPECT_EQ(sizeof(self->initrd), bp->hdr.ramdisk_size);
	EXPECT_EQ(0xe0000, bp->acpi_rsdp_addr);
	EXPECT_EQ(0, bp->sentinel);
	EXPECT_EQ(3, bp->e820_entries);
	EXPECT_EQ(0x100000, bp->e820_table[2].addr);
	EXPECT_STREQ("console=ttyS0", (char *)self->ram + OHV_CMDLINE_GPA);
	EXPECT_EQ(0, memcmp(self->ram + 16 * MiB, img + 4 * 512,
			    IMG_SIZE - 4 * 512));
	EXPECT_EQ(0x5a, self->ram[r.initrd_gpa]);
}

TEST_F(boot, too_little_memory_for_the_kernel_is_reported)
{
	struct ohv_linux_boot lb = { .bz = &self->bz, .cmdline = "" };
	struct ohv_guest_mem small;
	struct ohv_boot_result r;

	ASSERT_EQ(0, ohv_mem_init(&small, self->ram, 40 * MiB));
	ASSERT_EQ(-1, ohv_boot_load_linux(&small, &lb, &r, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not enough memory"));
}

TEST_F(boot, initrd_that_does_not_fit_is_reported)
{
	struct ohv_linux_boot lb = {
		.bz = &self->bz, .initrd = self->ram,
		.initrd_size = 17 * MiB, .cmdline = "",
	};
	struct ohv_boot_result r;

	ASSERT_EQ(-1, ohv_boot_load_linux(&self->mem, &lb, &r, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "initrd"));
	EXPECT_EQ(0, ohv_initrd_place(&self->mem, &self->bz, 17 * MiB));
	EXPECT_EQ(48 * MiB, ohv_initrd_place(&self->mem, &self->bz, 16 * MiB));
}

TEST_F(boot, initrd_respects_initrd_addr_max)
{
	self->bz.hdr.initrd_addr_max = 60 * MiB - 1;
	EXPECT_EQ(60 * MiB - 8192,
		  ohv_initrd_place(&self->mem, &self->bz, 8192));
	EXPECT_EQ(60 * MiB - 8192,
		  ohv_initrd_place(&self->mem, &self->bz, 8000));
}

TEST_F(boot, long_command_line_is_refused)
{
	char line[200];
	struct ohv_linux_boot lb = { .bz = &self->bz, .cmdline = line };
	struct ohv_boot_result r;

	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = 0;
	ASSERT_EQ(-1, ohv_boot_load_linux(&self->mem, &lb, &r, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "at most 64"));
}

TEST_F(boot, raw_images_must_load_above_1m_and_fit)
{
	EXPECT_EQ(-1, ohv_boot_load_raw(&self->mem, img, 16, 0x8000, err,
					sizeof(err)));
	EXPECT_EQ(-1, ohv_boot_load_raw(&self->mem, img, 16, 64 * MiB - 8,
					err, sizeof(err)));
	EXPECT_EQ(0, ohv_boot_load_raw(&self->mem, img, 16, MiB, err,
				       sizeof(err)));
}

TEST_F(boot, page_tables_identity_map_4g_with_2m_pages)
{
	u64 *pml4, *pdpt, *pd;

	ASSERT_EQ(0, ohv_cpu_write_tables(&self->mem));
	pml4 = (u64 *)(self->ram + OHV_PML4_GPA);
	pdpt = (u64 *)(self->ram + OHV_PDPT_GPA);
	pd = (u64 *)(self->ram + OHV_PD_GPA);
	EXPECT_EQ(OHV_PDPT_GPA | 3, pml4[0]);
	EXPECT_EQ(0, pml4[1]);
	EXPECT_EQ((OHV_PD_GPA + 0x3000) | 3, pdpt[3]);
	EXPECT_EQ(0, pdpt[4]);
	EXPECT_EQ(0x83, pd[0]);
	EXPECT_EQ(0x200000 | 0x83, pd[1]);
	EXPECT_EQ(0xffe00000ULL | 0x83, pd[2047]);
}

TEST_F(boot, gdt_has_flat_code64_data_and_tss)
{
	u64 *gdt;

	ASSERT_EQ(0, ohv_cpu_write_tables(&self->mem));
	gdt = (u64 *)(self->ram + OHV_GDT_GPA);
	EXPECT_EQ(0, gdt[0]);
	EXPECT_EQ(0x00af9b000000ffffULL, gdt[OHV_SEL_CODE64 / 8]);
	EXPECT_EQ(0x00cf93000000ffffULL, gdt[OHV_SEL_DATA / 8]);
	EXPECT_EQ(0x00008b0010800067ULL, gdt[OHV_SEL_TSS / 8]);
}

TEST(cpu_long_mode_registers_match_the_boot_protocol)
{
	struct ohv_hyp_sregs s;
	struct ohv_hyp_regs r;

	ohv_cpu_long_mode_sregs(&s);
	EXPECT_EQ(0x80000011ULL, s.cr0);
	EXPECT_EQ(0x20ULL, s.cr4);
	EXPECT_EQ(0x500ULL, s.efer);
	EXPECT_EQ(OHV_PML4_GPA, s.cr3);
	EXPECT_EQ(0x10, s.cs.selector);
	EXPECT_TRUE(s.cs.attributes & OHV_HYP_SEG_L);
	EXPECT_FALSE(s.cs.attributes & OHV_HYP_SEG_DB);
	EXPECT_EQ(0x18, s.ss.selector);
	EXPECT_EQ(0x20, s.tr.selector);
	EXPECT_EQ(OHV_GDT_ENTRIES * 8 - 1, s.gdt.limit);

	ohv_cpu_entry_regs(&r, 0x1000200, OHV_ZERO_PAGE_GPA, 0, 0);
	EXPECT_EQ(0x1000200, r.rip);
	EXPECT_EQ(OHV_ZERO_PAGE_GPA, r.rsi);
	EXPECT_EQ(2, r.rflags);
}

TEST_HARNESS_MAIN
