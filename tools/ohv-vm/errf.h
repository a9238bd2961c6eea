/* SPDX-License-Identifier: GPL-2.0 */
/* Error messages into the caller's (err, errlen) buffer. */
#ifndef OHV_VM_ERRF_H
#define OHV_VM_ERRF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "compat.h"

/* Format the message into @err (@errlen bytes) and return -1. */
static inline __printf(3, 4)
int ohv_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

#endif /* OHV_VM_ERRF_H */
