/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel/user-space portability layer for OHV code that parses untrusted
 * bytes (wire headers, ring buffer, channel-message codec).
 *
 * The same C files are built as kernel objects and as user-space objects
 * (unit tests, fuzzers, benchmarks).  In the kernel this header only pulls
 * in the usual kernel headers; in user space <ohv/compat_user.h> supplies
 * the small subset of kernel vocabulary those files use.
 *
 * All wire formats are little endian.  Hyper-V only exists on little-endian
 * architectures (x86-64, arm64), so the wire structs use plain u16/u32/u64
 * and this header refuses to build on a big-endian target instead of
 * sprinkling le32_to_cpu() over every access.
 */
#ifndef _OHV_COMPAT_H
#define _OHV_COMPAT_H

#ifdef __KERNEL__

#include <linux/align.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uuid.h>
#include <asm/byteorder.h>

#ifndef __LITTLE_ENDIAN
#error "OHV wire formats are little endian; big-endian hosts are not supported"
#endif

#ifdef CONFIG_X86
#include <asm/cpufeature.h>
#include <asm/special_insns.h>

/* See ohv_evict_line(). */
#define OHV_EVICT_LINE_SIZE	64

/*
 * Write back (if dirty) and drop the cache line holding @p everywhere, as
 * a hint with no effect on the memory's contents; a no-op without
 * CLFLUSHOPT (plain CLFLUSH is serialising and would cost more than it
 * saves).
 */
static inline void ohv_evict_line(const void *p)
{
	if (static_cpu_has(X86_FEATURE_CLFLUSHOPT))
		clflushopt((void *)p);
}
#else
#define OHV_EVICT_LINE_SIZE	0
static inline void ohv_evict_line(const void *p) { }
#endif

#else /* !__KERNEL__ */

/*
 * User-space builds get the kernel vocabulary from a shim that lives with
 * the user-space tools, like the kernel's own tools/include; add
 * -I tools/vmbus/include to the compiler flags.
 */
#include <ohv/compat_user.h>

#endif /* __KERNEL__ */

/*
 * Wire-layout checks: every wire struct states its size and the offset of
 * every field, so a mistake fails the build instead of corrupting a peer.
 */
#define OHV_WIRE_SIZE(type, size) \
	static_assert(sizeof(type) == (size), #type " size")
#define OHV_WIRE_OFFSET(type, field, off) \
	static_assert(offsetof(type, field) == (off), #type "." #field)

#endif /* _OHV_COMPAT_H */
