// SPDX-License-Identifier: GPL-2.0
/* ACPI tables: checksums, lengths, pointers, MADT entries, DSDT AML. */
#include <string.h>

#include "kselftest_harness.h"

#include "acpi.h"
#include "acpi_pm.h"
#include "acpi_tables.h"
#include "aml.h"
#include "uart.h"

#define BASE	0xe0000ULL
#define SIZE	0x1f000

static u8 buf[SIZE];

static void *at(u64 gpa)
{
	return buf + (gpa - BASE);
}

static int build(unsigned int vps, struct ohv_acpi_layout *l)
{
	struct ohv_acpi_device devs[2];
	struct ohv_acpi_config cfg = {
		.nr_vps = vps,
		.devices = devs,
		.nr_devices = 2,
		.pm = ohv_acpi_pm_layout(),
	};

	devs[0] = ohv_uart_acpi_device("COM1", 0x3f8, 1);
	devs[1] = (struct ohv_acpi_device){
		.scope = "\\_SB_", .name = "VMBS", .hid = "VMBUS",
		.uid = 0, .irq = 7,
	};
	memset(buf, 0xaa, sizeof(buf));
	return ohv_acpi_build(&cfg, buf, sizeof(buf), BASE, l);
}

static int count_madt(const struct ohv_acpi_madt *m, u8 type)
{
	const u8 *p = (const u8 *)(m + 1);
	const u8 *end = (const u8 *)m + m->header.length;
	int n = 0;

	while (p + 2 <= end && p[1] && p + p[1] <= end) {
		n += p[0] == type;
		p += p[1];
	}
	return p == end ? n : -1;
}

static bool mem_has(const void *hay, size_t len, const char *needle)
{
	return memmem(hay, len, needle, strlen(needle));
}

TEST(acpi_rsdp_is_revision_2_with_valid_checksums)
{
	struct ohv_acpi_layout l;
	struct ohv_acpi_rsdp *r;

	ASSERT_EQ(0, build(1, &l));
	EXPECT_EQ(BASE, l.rsdp);
	r = at(l.rsdp);
	EXPECT_EQ(0, memcmp(r->signature, "RSD PTR ", 8));
	EXPECT_EQ(2, r->revision);
	EXPECT_EQ(36, r->length);
	EXPECT_EQ(0, r->rsdt_address);
	EXPECT_EQ(l.xsdt, r->xsdt_address);
	EXPECT_EQ(0, ohv_acpi_checksum(r, 20));
	EXPECT_EQ(0, ohv_acpi_checksum(r, 36));
}

TEST(acpi_every_table_checksums_to_zero)
{
	u64 t[4];
	struct ohv_acpi_layout l;
	unsigned int i;

	ASSERT_EQ(0, build(4, &l));
	t[0] = l.xsdt;
	t[1] = l.fadt;
	t[2] = l.madt;
	t[3] = l.dsdt;
	for (i = 0; i < 4; i++) {
		struct ohv_acpi_header *h = at(t[i]);

		ASSERT_LE(t[i] - BASE + h->length, l.used);
		EXPECT_EQ(0, ohv_acpi_checksum(h, h->length));
		EXPECT_EQ(0, t[i] % 8);
	}
}

TEST(acpi_xsdt_points_at_fadt_and_madt)
{
	struct ohv_acpi_header *x;
	struct ohv_acpi_layout l;
	u64 e[2];

	ASSERT_EQ(0, build(1, &l));
	x = at(l.xsdt);
	EXPECT_EQ(0, memcmp(x->signature, "XSDT", 4));
	ASSERT_EQ(36 + 16, x->length);
	memcpy(e, x + 1, sizeof(e));
	EXPECT_EQ(l.fadt, e[0]);
	EXPECT_EQ(l.madt, e[1]);
	EXPECT_EQ(0, memcmp(((struct ohv_acpi_header *)at(e[0]))->signature,
			    "FACP", 4));
	EXPECT_EQ(0, memcmp(((struct ohv_acpi_header *)at(e[1]))->signature,
			    "APIC", 4));
}

TEST(acpi_fadt_is_hardware_reduced_with_sleep_registers)
{
	struct ohv_acpi_layout l;
	struct ohv_acpi_fadt *f;

	ASSERT_EQ(0, build(1, &l));
	f = at(l.fadt);
	EXPECT_EQ(276, f->header.length);
	EXPECT_EQ(6, f->header.revision);
	EXPECT_TRUE(f->flags & (1u << 20));
	EXPECT_TRUE(f->flags & OHV_FADT_RESET_REG_SUP);
	EXPECT_EQ(l.dsdt, f->x_dsdt);
	EXPECT_EQ(0, f->dsdt);
	EXPECT_EQ(OHV_ACPI_SPACE_IO, f->sleep_control.space_id);
	EXPECT_EQ(8, f->sleep_control.bit_width);
	EXPECT_EQ(OHV_PM_BASE + OHV_PM_SLEEP_CONTROL, f->sleep_control.address);
	EXPECT_EQ(OHV_PM_BASE + OHV_PM_SLEEP_STATUS, f->sleep_status.address);
	EXPECT_EQ(OHV_PM_BASE + OHV_PM_RESET, f->reset_reg.address);
	EXPECT_EQ(OHV_PM_RESET_VALUE, f->reset_value);
}

TEST(acpi_madt_has_one_local_apic_per_vp)
{
	static const unsigned int vps[] = { 1, 2, 64 };
	struct ohv_acpi_layout l;
	struct ohv_acpi_madt *m;
	struct ohv_madt_local_apic *la;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, build(vps[i], &l));
		m = at(l.madt);
		EXPECT_EQ(0xfee00000, m->lapic_address);
		EXPECT_EQ((int)vps[i], count_madt(m, OHV_MADT_LOCAL_APIC));
		EXPECT_EQ(0, count_madt(m, OHV_MADT_LOCAL_X2APIC));
		la = (struct ohv_madt_local_apic *)(m + 1);
		EXPECT_EQ(vps[i] - 1, la[vps[i] - 1].apic_id);
		EXPECT_EQ(OHV_MADT_ENABLED, la[vps[i] - 1].flags);
	}
}

TEST(acpi_madt_uses_x2apic_entries_from_id_255)
{
	struct ohv_acpi_layout l;
	struct ohv_acpi_madt *m;

	ASSERT_EQ(0, build(300, &l));
	m = at(l.madt);
	EXPECT_EQ(255, count_madt(m, OHV_MADT_LOCAL_APIC));
	EXPECT_EQ(45, count_madt(m, OHV_MADT_LOCAL_X2APIC));
	EXPECT_EQ(44 + 255 * 8 + 45 * 16, m->header.length);
}

TEST(acpi_dsdt_declares_s5_com1_and_table_devices)
{
	/* EISAID("PNP0501") as AML: DWordPrefix, 0x0105d041 little-endian. */
	static const u8 pnp0501[] = { 0x0c, 0x41, 0xd0, 0x05, 0x01 };
	/* IO(Decode16, 0x3f8, 0x3f8, 1, 8) */
	static const u8 io[] = { 0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08 };
	struct ohv_acpi_header *d;
	struct ohv_acpi_layout l;

	ASSERT_EQ(0, build(1, &l));
	d = at(l.dsdt);
	EXPECT_EQ(0, memcmp(d->signature, "DSDT", 4));
	EXPECT_EQ(2, d->revision);
	EXPECT_TRUE(mem_has(d, d->length, "\\_S5_"));
	EXPECT_TRUE(mem_has(d, d->length, "COM1"));
	EXPECT_NE(NULL, memmem(d, d->length, pnp0501, sizeof(pnp0501)));
	EXPECT_NE(NULL, memmem(d, d->length, io, sizeof(io)));
	EXPECT_TRUE(mem_has(d, d->length, "VMBS"));
	EXPECT_TRUE(mem_has(d, d->length, "VMBUS"));
}

TEST(acpi_rejects_bad_config_and_small_buffers)
{
	struct ohv_acpi_device bad_irq = {
		.scope = "\\_SB_", .name = "BAD0", .hid = "PNP0501", .irq = 16,
	};
	struct ohv_acpi_config cfg = { .nr_vps = 0, .pm = ohv_acpi_pm_layout() };
	struct ohv_acpi_layout l;

	EXPECT_EQ(-1, ohv_acpi_build(&cfg, buf, sizeof(buf), BASE, &l));
	cfg.nr_vps = 1;
	EXPECT_EQ(-1, ohv_acpi_build(&cfg, buf, 200, BASE, &l));
	EXPECT_EQ(0, ohv_acpi_build(&cfg, buf, sizeof(buf), BASE, &l));
	cfg.devices = &bad_irq;
	cfg.nr_devices = 1;
	EXPECT_EQ(-1, ohv_acpi_build(&cfg, buf, sizeof(buf), BASE, &l));
}

TEST(aml_pkglength_uses_the_shortest_encoding)
{
	u8 out[512];
	struct ohv_aml aml;
	unsigned int i;

	/* Package(){...} of 20 x Byte(0x22): 1 + 1 + 40 = 42 bytes + op. */
	ohv_aml_init(&aml, out, sizeof(out));
	ohv_aml_open_package(&aml, 20);
	for (i = 0; i < 20; i++)
		ohv_aml_integer(&aml, 0x22);
	ohv_aml_close(&aml);
	ASSERT_FALSE(aml.error);
	EXPECT_EQ(0x12, out[0]);
	EXPECT_EQ(1 + 1 + 40, out[1]);

	/* 100 elements: body 201 bytes, 2-byte PkgLength = 203. */
	ohv_aml_init(&aml, out, sizeof(out));
	ohv_aml_open_package(&aml, 100);
	for (i = 0; i < 100; i++)
		ohv_aml_integer(&aml, 0x22);
	ohv_aml_close(&aml);
	ASSERT_FALSE(aml.error);
	EXPECT_EQ(0x40 | (203 & 0xf), out[1]);
	EXPECT_EQ(203 >> 4, out[2]);
	EXPECT_EQ(100, out[3]);
	EXPECT_EQ(2 + 1 + 1 + 200, aml.len);
}

TEST(aml_name_strings_and_integers)
{
	static const u8 dual[] = { '\\', 0x2e, '_', 'S', 'B', '_',
					'C', 'O', 'M', '1' };
	u8 out[64];
	struct ohv_aml aml;

	ohv_aml_init(&aml, out, sizeof(out));
	ohv_aml_name_string(&aml, "\\_SB.COM1");
	ASSERT_FALSE(aml.error);
	ASSERT_EQ(sizeof(dual), aml.len);
	EXPECT_EQ(0, memcmp(out, dual, sizeof(dual)));

	ohv_aml_init(&aml, out, sizeof(out));
	ohv_aml_integer(&aml, 0);
	ohv_aml_integer(&aml, 1);
	ohv_aml_integer(&aml, 0x1234);
	ohv_aml_integer(&aml, 0x100000000ULL);
	EXPECT_EQ(1 + 1 + 3 + 9, aml.len);
	EXPECT_EQ(0x0b, out[2]);
	EXPECT_EQ(0x0e, out[5]);

	ohv_aml_init(&aml, out, sizeof(out));
	ohv_aml_name_string(&aml, "bad");
	EXPECT_TRUE(aml.error);
	ohv_aml_init(&aml, out, sizeof(out));
	ohv_aml_name_string(&aml, "TOOLONG");
	EXPECT_TRUE(aml.error);
	ohv_aml_init(&aml, out, 3);
	ohv_aml_string(&aml, "VMBUS");
	EXPECT_TRUE(aml.error);
}

TEST_HARNESS_MAIN
