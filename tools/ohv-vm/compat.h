/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-style type names and attribute shorthands for the user-space
 * worker, so that its code reads (and is checked) like kernel code. The
 * definitions match tools/vmbus's compat_user.h, so both may be included.
 */
#ifndef OHV_VM_COMPAT_H
#define OHV_VM_COMPAT_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#ifndef OHV_ATTR
#define OHV_ATTR(...) __attribute__((__VA_ARGS__))
#endif
#ifndef __packed
#define __packed OHV_ATTR(__packed__)
#endif
#ifndef __printf
#define __printf(a, b) OHV_ATTR(__format__(printf, a, b))
#endif
#ifndef BIT
#define BIT(n) (1UL << (n))
#endif
#ifndef BIT_ULL
#define BIT_ULL(n) (1ULL << (n))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif /* OHV_VM_COMPAT_H */
