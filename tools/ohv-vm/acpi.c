// SPDX-License-Identifier: GPL-2.0
/* ACPI table generation (pure logic, unit tested). */
#include <string.h>

#include "acpi.h"
#include "acpi_tables.h"
#include "aml.h"

#define ACPI_ALIGN		16
#define ACPI_XSDT_ENTRIES	2	/* FADT, MADT */
#define LAPIC_ADDRESS		0xfee00000u
#define FADT_REVISION		6
#define FADT_MINOR_REVISION	3
#define MADT_REVISION		5
#define DSDT_REVISION		2	/* 64-bit integers */
#define DSDT_MAX		4096

/* Bump allocator over the caller's buffer. */
struct acpi_builder {
	u8 *buf;
	size_t size;
	size_t used;
	u64 gpa;
};

u8 ohv_acpi_checksum(const void *data, size_t len)
{
	const u8 *p = data;
	u8 sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

static void *acpi_alloc(struct acpi_builder *b, size_t len, u64 *gpa)
{
	size_t start = (b->used + ACPI_ALIGN - 1) & ~(size_t)(ACPI_ALIGN - 1);
	void *p;

	if (start > b->size || len > b->size - start)
		return NULL;
	p = b->buf + start;
	memset(p, 0, len);
	b->used = start + len;
	*gpa = b->gpa + start;
	return p;
}

static void acpi_header(struct ohv_acpi_header *h, const char *sig,
			size_t len, u8 revision)
{
	memcpy(h->signature, sig, 4);
	h->length = (u32)len;
	h->revision = revision;
	memcpy(h->oem_id, OHV_ACPI_OEM_ID, 6);
	memcpy(h->oem_table_id, OHV_ACPI_OEM_TABLE_ID, 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, OHV_ACPI_CREATOR_ID, 4);
	h->creator_revision = 1;
}

static void acpi_finish(struct ohv_acpi_header *h)
{
	h->checksum = 0;
	h->checksum = (u8)-ohv_acpi_checksum(h, h->length);
}

static void gas_io_byte(struct ohv_acpi_gas *g, u16 port)
{
	g->space_id = OHV_ACPI_SPACE_IO;
	g->bit_width = 8;
	g->bit_offset = 0;
	g->access_size = OHV_ACPI_ACCESS_BYTE;
	g->address = port;
}

static void dsdt_device(struct ohv_aml *aml, const struct ohv_acpi_device *d)
{
	u8 res[OHV_AML_RES_IO_LEN + OHV_AML_RES_IRQ_LEN];
	size_t n = 0;

	ohv_aml_open_scope(aml, d->scope);
	ohv_aml_open_device(aml, d->name);
	ohv_aml_name(aml, "_HID");
	if (ohv_aml_is_eisaid(d->hid))
		ohv_aml_eisaid(aml, d->hid);
	else
		ohv_aml_string(aml, d->hid);
	ohv_aml_name(aml, "_UID");
	ohv_aml_integer(aml, d->uid);
	if (d->io_len)
		n += ohv_aml_res_io(res + n, d->io_base, d->io_len);
	if (d->irq != OHV_ACPI_NO_IRQ)
		n += ohv_aml_res_irq(res + n, (unsigned int)d->irq);
	ohv_aml_name(aml, "_CRS");
	ohv_aml_resource_template(aml, res, n);
	ohv_aml_close(aml);	/* Device */
	ohv_aml_close(aml);	/* Scope */
}

static int build_dsdt(struct acpi_builder *b, const struct ohv_acpi_config *cfg,
		      u64 *gpa)
{
	u8 body[DSDT_MAX];
	struct ohv_acpi_header *h;
	struct ohv_aml aml;
	unsigned int i;

	ohv_aml_init(&aml, body, sizeof(body));
	/* \_S5: SLP_TYPa, SLP_TYPb, reserved, reserved. */
	ohv_aml_name(&aml, "\\_S5_");
	ohv_aml_open_package(&aml, 4);
	ohv_aml_integer(&aml, cfg->pm.s5_sleep_type);
	ohv_aml_integer(&aml, cfg->pm.s5_sleep_type);
	ohv_aml_integer(&aml, 0);
	ohv_aml_integer(&aml, 0);
	ohv_aml_close(&aml);
	for (i = 0; i < cfg->nr_devices; i++)
		dsdt_device(&aml, &cfg->devices[i]);
	if (aml.error || aml.depth)
		return -1;

	h = acpi_alloc(b, sizeof(*h) + aml.len, gpa);
	if (!h)
		return -1;
	acpi_header(h, "DSDT", sizeof(*h) + aml.len, DSDT_REVISION);
	memcpy(h + 1, body, aml.len);
	acpi_finish(h);
	return 0;
}

static int build_fadt(struct acpi_builder *b, const struct ohv_acpi_pm *pm,
		      u64 dsdt, u64 *gpa)
{
	struct ohv_acpi_fadt *f = acpi_alloc(b, sizeof(*f), gpa);

	if (!f)
		return -1;
	acpi_header(&f->header, "FACP", sizeof(*f), FADT_REVISION);
	f->minor_revision = FADT_MINOR_REVISION;
	f->flags = OHV_FADT_HW_REDUCED | OHV_FADT_RESET_REG_SUP;
	/* No VGA to probe; no CMOS RTC device (only its time registers). */
	f->iapc_boot_arch = OHV_FADT_BOOT_NO_VGA | OHV_FADT_BOOT_NO_CMOS_RTC;
	f->x_dsdt = dsdt;
	gas_io_byte(&f->reset_reg, pm->reset_port);
	f->reset_value = pm->reset_value;
	gas_io_byte(&f->sleep_control, pm->sleep_control_port);
	gas_io_byte(&f->sleep_status, pm->sleep_status_port);
	acpi_finish(&f->header);
	return 0;
}

static int build_madt(struct acpi_builder *b, unsigned int nr_vps,
		      u64 *gpa)
{
	struct ohv_madt_local_x2apic *x2;
	struct ohv_madt_local_apic *la;
	struct ohv_acpi_madt *m;
	unsigned int i, small;
	u8 *p;
	size_t len;

	small = nr_vps < OHV_MADT_XAPIC_ID_LIMIT ? nr_vps :
						  OHV_MADT_XAPIC_ID_LIMIT;
	len = sizeof(*m) + small * sizeof(*la) + (nr_vps - small) * sizeof(*x2);
	m = acpi_alloc(b, len, gpa);
	if (!m)
		return -1;
	acpi_header(&m->header, "APIC", len, MADT_REVISION);
	m->lapic_address = LAPIC_ADDRESS;

	p = (u8 *)(m + 1);
	for (i = 0; i < small; i++, p += sizeof(*la)) {
		la = (struct ohv_madt_local_apic *)p;
		la->type = OHV_MADT_LOCAL_APIC;
		la->length = sizeof(*la);
		la->processor_uid = (u8)i;
		la->apic_id = (u8)i;
		la->flags = OHV_MADT_ENABLED;
	}
	for (; i < nr_vps; i++, p += sizeof(*x2)) {
		x2 = (struct ohv_madt_local_x2apic *)p;
		x2->type = OHV_MADT_LOCAL_X2APIC;
		x2->length = sizeof(*x2);
		x2->x2apic_id = i;
		x2->flags = OHV_MADT_ENABLED;
		x2->processor_uid = i;
	}
	acpi_finish(&m->header);
	return 0;
}

static int build_xsdt(struct acpi_builder *b, const u64 *tables,
		      unsigned int n, u64 *gpa)
{
	size_t len = sizeof(struct ohv_acpi_header) + n * sizeof(u64);
	struct ohv_acpi_header *h = acpi_alloc(b, len, gpa);

	if (!h)
		return -1;
	acpi_header(h, "XSDT", len, 1);
	/* The entries are unaligned 64-bit values after the 36-byte header. */
	memcpy(h + 1, tables, n * sizeof(u64));
	acpi_finish(h);
	return 0;
}

static int build_rsdp(struct acpi_builder *b, u64 xsdt, u64 *gpa)
{
	struct ohv_acpi_rsdp *r = acpi_alloc(b, sizeof(*r), gpa);

	if (!r)
		return -1;
	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, OHV_ACPI_OEM_ID, 6);
	r->revision = 2;
	r->length = sizeof(*r);
	r->xsdt_address = xsdt;
	r->checksum = (u8)-ohv_acpi_checksum(r, 20);
	r->extended_checksum = (u8)-ohv_acpi_checksum(r, sizeof(*r));
	return 0;
}

static int check_config(const struct ohv_acpi_config *cfg)
{
	unsigned int i;

	if (!cfg->nr_vps || cfg->nr_vps > OHV_ACPI_MAX_VPS)
		return -1;
	for (i = 0; i < cfg->nr_devices; i++) {
		const struct ohv_acpi_device *d = &cfg->devices[i];

		if (d->irq != OHV_ACPI_NO_IRQ && (d->irq < 0 || d->irq > 15))
			return -1;
		if (!d->scope || !d->name || !d->hid)
			return -1;
	}
	return 0;
}

int ohv_acpi_build(const struct ohv_acpi_config *cfg, u8 *buf,
		   size_t size, u64 gpa, struct ohv_acpi_layout *out)
{
	struct acpi_builder b = { .buf = buf, .size = size, .gpa = gpa };
	u64 tables[ACPI_XSDT_ENTRIES];
	size_t end;

	memset(out, 0, sizeof(*out));
	if (check_config(cfg))
		return -1;
	/* The RSDP goes first so that it sits at the 16-byte aligned base. */
	if (!acpi_alloc(&b, sizeof(struct ohv_acpi_rsdp), &out->rsdp))
		return -1;
	if (build_dsdt(&b, cfg, &out->dsdt) ||
	    build_fadt(&b, &cfg->pm, out->dsdt, &out->fadt) ||
	    build_madt(&b, cfg->nr_vps, &out->madt))
		return -1;
	tables[0] = out->fadt;
	tables[1] = out->madt;
	if (build_xsdt(&b, tables, ACPI_XSDT_ENTRIES, &out->xsdt))
		return -1;

	/* Now fill in the RSDP reserved at the start. */
	end = b.used;
	b.used = 0;
	if (build_rsdp(&b, out->xsdt, &out->rsdp))
		return -1;
	out->used = end;
	return 0;
}
