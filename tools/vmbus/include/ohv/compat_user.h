/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space half of <ohv/compat.h>: maps the kernel types, attributes and
 * helpers used by the portable OHV sources onto C11 and GCC/Clang builtins.
 * Never included by kernel code.
 */
#ifndef _OHV_COMPAT_USER_H
#define _OHV_COMPAT_USER_H

#ifdef __KERNEL__
#error "user-space only header"
#endif

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "OHV wire formats are little endian; big-endian hosts are not supported"
#endif

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

/* The kernel's guid_t, byte for byte. */
typedef struct {
	u8 b[16];	/* the GUID's bytes, in wire order */
} guid_t;

/* The kernel's attribute shorthands (<linux/compiler_attributes.h>). */
#define OHV_ATTR(...) __attribute__((__VA_ARGS__))
#define __packed OHV_ATTR(__packed__)
#define __aligned(x) OHV_ATTR(__aligned__(x))
#define __printf(a, b) OHV_ATTR(__format__(printf, a, b))

#ifndef BIT
#define BIT(n) (1UL << (n))
#endif
#ifndef U8_MAX
#define U8_MAX 0xff
#define U16_MAX 0xffff
#define U32_MAX 0xffffffffU
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define DIV_ROUND_UP(n, d) ({ __typeof__(d) __d = (d); ((n) + __d - 1) / __d; })
#define ALIGN(x, a) ({ __typeof__(x) __a = (a) - 1; ((x) + __a) & ~__a; })
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define min(a, b) ({ __typeof__(a) __x = (a), __y = (b); __x < __y ? __x : __y; })
#define min_t(type, a, b) min((type)(a), (type)(b))
#define max(a, b) ({ __typeof__(a) __x = (a), __y = (b); __x > __y ? __x : __y; })

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "ohv"
#endif

/* Symbol exports mean nothing outside the kernel. */
#define EXPORT_SYMBOL_GPL(sym) struct ohv_export_unused

/* Allocation: the kernel's kv*alloc family. */
#define GFP_KERNEL 0
#define kvcalloc(n, size, gfp) calloc((n), (size))
#define kvfree(p) free(p)

/* Logging is compiled in for format checking but prints nothing. */
static inline __printf(1, 2) void ohv_user_log(const char *fmt, ...)
{
	(void)fmt;
}

#define pr_warn_ratelimited(fmt, ...) ohv_user_log(fmt, ##__VA_ARGS__)

/* Big-endian loads from unaligned bytes (SCSI CDB fields). */
static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

/*
 * Shared-memory accessors with the kernel's semantics, as C11 atomics:
 * READ_ONCE/WRITE_ONCE are relaxed (untorn, never re-read or merged), the
 * virt_* barriers order accesses to memory shared with another CPU or VM.
 * On x86 only virt_mb() costs an instruction, as in the kernel.
 */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val) __atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
/* Full barrier; on x86 a locked add is cheaper than mfence, as in the kernel. */
static inline void ohv_user_mb(void)
{
#ifdef __x86_64__
	__asm__ __volatile__("lock; addl $0,-4(%%rsp)" : : : "memory", "cc");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

#define virt_mb() ohv_user_mb() /* full barrier */
#define virt_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE) /* load-load */
#define virt_wmb() __atomic_thread_fence(__ATOMIC_RELEASE) /* store-store */
/* Acquire load: later accesses stay after it. */
#define virt_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
/* Release store: earlier accesses stay before it. */
#define virt_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

/*
 * ohv_evict_line(): write back (if dirty) and drop the cache line holding
 * @p everywhere, a hint with no effect on the memory's contents.  x86-64
 * with CLFLUSHOPT only (CPUID.(7,0):EBX bit 23); a no-op elsewhere.
 */
#ifdef __x86_64__
#include <cpuid.h>

#define OHV_EVICT_LINE_SIZE	64

static inline bool ohv_user_has_clflushopt(void)
{
	static int has = -1;
	unsigned int a, b, c, d;

	if (has < 0)
		has = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1U << 23));
	return has;
}

static inline void ohv_evict_line(const void *p)
{
	if (ohv_user_has_clflushopt())
		__asm__ __volatile__("clflushopt %0" : "+m"(*(volatile char *)p));
}
#else
#define OHV_EVICT_LINE_SIZE	0
static inline void ohv_evict_line(const void *p) { (void)p; }
#endif

#endif /* _OHV_COMPAT_USER_H */
