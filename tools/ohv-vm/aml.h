/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small AML (ACPI Machine Language) encoder, enough for a DSDT that
 * declares devices with _HID/_UID/_CRS and name-only objects such as
 * \_S5. Objects with a PkgLength (Scope, Device, Package, Buffer) are
 * opened, filled and closed; the length is encoded on close in the
 * shortest form, as iasl does.
 *
 * Errors (buffer full, nesting too deep, bad name) are sticky: the first
 * one sets @error and every later call does nothing, so callers check
 * once at the end.
 */
#ifndef OHV_VM_AML_H
#define OHV_VM_AML_H

#include <stdbool.h>
#include <stddef.h>
#include "compat.h"

#define OHV_AML_MAX_DEPTH	8

struct ohv_aml {
	u8 *buf;			/* output */
	size_t cap;			/* bytes available in buf */
	size_t len;			/* bytes written */
	size_t open[OHV_AML_MAX_DEPTH];	/* offsets of the open PkgLengths */
	unsigned int depth;		/* entries used in open[] */
	bool error;			/* sticky failure */
};

void ohv_aml_init(struct ohv_aml *aml, u8 *buf, size_t cap);
void ohv_aml_bytes(struct ohv_aml *aml, const void *data, size_t len);

/* NameString: "\\_SB_.COM1", "^FOO", "_S5_"; segments padded with '_'. */
void ohv_aml_name_string(struct ohv_aml *aml, const char *path);
/* Name(path, <next object>): the data object must follow. */
void ohv_aml_name(struct ohv_aml *aml, const char *path);
void ohv_aml_integer(struct ohv_aml *aml, u64 value);
void ohv_aml_string(struct ohv_aml *aml, const char *s);
/* EISAID("PNP0501") as a DWord. Sets the error for a malformed id. */
void ohv_aml_eisaid(struct ohv_aml *aml, const char *id);
/* True for a well-formed 7-character EISA id ("AAA####", hex digits). */
bool ohv_aml_is_eisaid(const char *id);

void ohv_aml_open_scope(struct ohv_aml *aml, const char *path);
void ohv_aml_open_device(struct ohv_aml *aml, const char *path);
void ohv_aml_open_package(struct ohv_aml *aml, u8 elements);
/* Closes the innermost open Scope/Device/Package. */
void ohv_aml_close(struct ohv_aml *aml);

/* Buffer holding a resource template: @res plus an end tag. */
void ohv_aml_resource_template(struct ohv_aml *aml, const u8 *res,
			       size_t len);

/* Resource descriptors for ohv_aml_resource_template(); return bytes. */
#define OHV_AML_RES_IO_LEN	8
#define OHV_AML_RES_IRQ_LEN	3
size_t ohv_aml_res_io(u8 *out, u16 base, u8 len);
size_t ohv_aml_res_irq(u8 *out, unsigned int irq);

#endif /* OHV_VM_AML_H */
