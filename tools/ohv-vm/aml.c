// SPDX-License-Identifier: GPL-2.0
/* AML encoder (ACPI 6.3 chapter 20). */
#include <ctype.h>
#include <string.h>

#include "aml.h"

#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_STRING_PREFIX	0x0d
#define AML_QWORD_PREFIX	0x0e
#define AML_SCOPE_OP		0x10
#define AML_BUFFER_OP		0x11
#define AML_PACKAGE_OP		0x12
#define AML_DUAL_NAME_PREFIX	0x2e
#define AML_MULTI_NAME_PREFIX	0x2f
#define AML_EXT_OP_PREFIX	0x5b
#define AML_DEVICE_OP		0x82	/* after AML_EXT_OP_PREFIX */
#define AML_ROOT_CHAR		'\\'
#define AML_PARENT_CHAR		'^'
#define AML_NAME_SEG_LEN	4
#define AML_MAX_SEGS		255
#define AML_PKGLEN_MAX		BIT(28)

/* Small resource items (ACPI 6.3, 6.4.2). */
#define RES_IRQ_NO_FLAGS	0x22	/* IRQ descriptor, 2 data bytes */
#define RES_IO			0x47	/* I/O port descriptor, 7 data bytes */
#define RES_IO_DECODE16		0x01
#define RES_END_TAG		0x79

void ohv_aml_init(struct ohv_aml *aml, u8 *buf, size_t cap)
{
	memset(aml, 0, sizeof(*aml));
	aml->buf = buf;
	aml->cap = cap;
}

void ohv_aml_bytes(struct ohv_aml *aml, const void *data, size_t len)
{
	if (aml->error)
		return;
	if (len > aml->cap - aml->len) {
		aml->error = true;
		return;
	}
	memcpy(aml->buf + aml->len, data, len);
	aml->len += len;
}

static void aml_byte(struct ohv_aml *aml, u8 b)
{
	ohv_aml_bytes(aml, &b, 1);
}

static void aml_le(struct ohv_aml *aml, u64 v, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		aml_byte(aml, (u8)(v >> (8 * i)));
}

static bool name_char_ok(char c, bool first)
{
	if (c == '_' || isupper((unsigned char)c))
		return true;
	return !first && isdigit((unsigned char)c);
}

/* One NameSeg: 1-4 characters up to '.' or the end, padded with '_'. */
static const char *aml_name_seg(struct ohv_aml *aml, const char *p)
{
	char seg[AML_NAME_SEG_LEN] = { '_', '_', '_', '_' };
	unsigned int i;

	for (i = 0; p[i] && p[i] != '.'; i++) {
		if (i == AML_NAME_SEG_LEN || !name_char_ok(p[i], i == 0)) {
			aml->error = true;
			return p;
		}
		seg[i] = p[i];
	}
	if (!i)
		aml->error = true;
	ohv_aml_bytes(aml, seg, sizeof(seg));
	return p[i] == '.' ? p + i + 1 : p + i;
}

void ohv_aml_name_string(struct ohv_aml *aml, const char *path)
{
	unsigned int segs = 1;
	const char *p;

	if (*path == AML_ROOT_CHAR) {
		aml_byte(aml, AML_ROOT_CHAR);
		path++;
	} else {
		while (*path == AML_PARENT_CHAR)
			aml_byte(aml, *path++);
	}
	if (!*path) {
		aml_byte(aml, 0);	/* NullName: the root itself */
		return;
	}
	for (p = path; *p; p++)
		segs += *p == '.';
	if (segs > AML_MAX_SEGS) {
		aml->error = true;
		return;
	}
	if (segs == 2) {
		aml_byte(aml, AML_DUAL_NAME_PREFIX);
	} else if (segs > 2) {
		aml_byte(aml, AML_MULTI_NAME_PREFIX);
		aml_byte(aml, (u8)segs);
	}
	while (*path && !aml->error)
		path = aml_name_seg(aml, path);
}

void ohv_aml_name(struct ohv_aml *aml, const char *path)
{
	aml_byte(aml, AML_NAME_OP);
	ohv_aml_name_string(aml, path);
}

void ohv_aml_integer(struct ohv_aml *aml, u64 v)
{
	if (v == 0) {
		aml_byte(aml, AML_ZERO_OP);
	} else if (v == 1) {
		aml_byte(aml, AML_ONE_OP);
	} else if (v <= 0xff) {
		aml_byte(aml, AML_BYTE_PREFIX);
		aml_le(aml, v, 1);
	} else if (v <= 0xffff) {
		aml_byte(aml, AML_WORD_PREFIX);
		aml_le(aml, v, 2);
	} else if (v <= 0xffffffff) {
		aml_byte(aml, AML_DWORD_PREFIX);
		aml_le(aml, v, 4);
	} else {
		aml_byte(aml, AML_QWORD_PREFIX);
		aml_le(aml, v, 8);
	}
}

void ohv_aml_string(struct ohv_aml *aml, const char *s)
{
	aml_byte(aml, AML_STRING_PREFIX);
	ohv_aml_bytes(aml, s, strlen(s) + 1);
}

bool ohv_aml_is_eisaid(const char *id)
{
	unsigned int i;

	if (strlen(id) != 7)
		return false;
	for (i = 0; i < 3; i++)
		if (!isupper((unsigned char)id[i]))
			return false;
	for (i = 3; i < 7; i++)
		if (!isxdigit((unsigned char)id[i]) ||
		    islower((unsigned char)id[i]))
			return false;
	return true;
}

static unsigned int hex_value(char c)
{
	return isdigit((unsigned char)c) ? (unsigned int)(c - '0') :
					   (unsigned int)(c - 'A' + 10);
}

void ohv_aml_eisaid(struct ohv_aml *aml, const char *id)
{
	u32 v;

	if (!ohv_aml_is_eisaid(id)) {
		aml->error = true;
		return;
	}
	/* Three 5-bit letters and four hex digits, stored big-endian. */
	v = (u32)(id[0] - 0x40) << 26 | (u32)(id[1] - 0x40) << 21 |
	    (u32)(id[2] - 0x40) << 16 | hex_value(id[3]) << 12 |
	    hex_value(id[4]) << 8 | hex_value(id[5]) << 4 | hex_value(id[6]);
	aml_byte(aml, AML_DWORD_PREFIX);
	aml_le(aml, __builtin_bswap32(v), 4);
}

/* Reserves one PkgLength byte; ohv_aml_close() widens it if needed. */
static void aml_open(struct ohv_aml *aml)
{
	if (aml->error)
		return;
	if (aml->depth == OHV_AML_MAX_DEPTH) {
		aml->error = true;
		return;
	}
	aml->open[aml->depth++] = aml->len;
	aml_byte(aml, 0);
}

void ohv_aml_open_scope(struct ohv_aml *aml, const char *path)
{
	aml_byte(aml, AML_SCOPE_OP);
	aml_open(aml);
	ohv_aml_name_string(aml, path);
}

void ohv_aml_open_device(struct ohv_aml *aml, const char *path)
{
	aml_byte(aml, AML_EXT_OP_PREFIX);
	aml_byte(aml, AML_DEVICE_OP);
	aml_open(aml);
	ohv_aml_name_string(aml, path);
}

void ohv_aml_open_package(struct ohv_aml *aml, u8 elements)
{
	aml_byte(aml, AML_PACKAGE_OP);
	aml_open(aml);
	aml_byte(aml, elements);
}

/*
 * PkgLength counts its own bytes. One byte holds up to 63; otherwise the
 * lead byte has the count of extra bytes in bits 7:6 and the low nibble.
 */
static unsigned int pkglen_bytes(size_t body)
{
	if (body + 1 < 0x40)
		return 1;
	if (body + 2 < 0x1000)
		return 2;
	if (body + 3 < 0x100000)
		return 3;
	return 4;
}

void ohv_aml_close(struct ohv_aml *aml)
{
	size_t start, body, total;
	unsigned int n, i;

	if (aml->error)
		return;
	if (!aml->depth) {
		aml->error = true;
		return;
	}
	start = aml->open[--aml->depth];
	body = aml->len - start - 1;
	n = pkglen_bytes(body);
	total = body + n;
	if (total >= AML_PKGLEN_MAX || n - 1 > aml->cap - aml->len) {
		aml->error = true;
		return;
	}
	memmove(aml->buf + start + n, aml->buf + start + 1, body);
	aml->len += n - 1;
	if (n == 1) {
		aml->buf[start] = (u8)total;
		return;
	}
	aml->buf[start] = (u8)((n - 1) << 6 | (total & 0xf));
	for (i = 1; i < n; i++)
		aml->buf[start + i] = (u8)(total >> (4 + 8 * (i - 1)));
}

void ohv_aml_resource_template(struct ohv_aml *aml, const u8 *res,
			       size_t len)
{
	/* The end tag's checksum byte 0 means "treat as valid". */
	static const u8 end_tag[] = { RES_END_TAG, 0 };

	aml_byte(aml, AML_BUFFER_OP);
	aml_open(aml);
	ohv_aml_integer(aml, len + sizeof(end_tag));
	ohv_aml_bytes(aml, res, len);
	ohv_aml_bytes(aml, end_tag, sizeof(end_tag));
	/* A Buffer's PkgLength closes the same way as a Package's. */
	ohv_aml_close(aml);
}

size_t ohv_aml_res_io(u8 *out, u16 base, u8 len)
{
	out[0] = RES_IO;
	out[1] = RES_IO_DECODE16;
	out[2] = (u8)base;		/* minimum base */
	out[3] = (u8)(base >> 8);
	out[4] = (u8)base;		/* maximum base: fixed */
	out[5] = (u8)(base >> 8);
	out[6] = 1;			/* alignment */
	out[7] = len;
	return OHV_AML_RES_IO_LEN;
}

size_t ohv_aml_res_irq(u8 *out, unsigned int irq)
{
	u16 mask = irq < 16 ? (u16)(1u << irq) : 0;

	out[0] = RES_IRQ_NO_FLAGS;
	out[1] = (u8)mask;
	out[2] = (u8)(mask >> 8);
	return OHV_AML_RES_IRQ_LEN;
}
