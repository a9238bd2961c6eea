/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the time-sync host provider and guest driver share: the device
 * class, the ring size, the service versions and the reference counter.
 */
#ifndef _OHV_TIMESYNC_H
#define _OHV_TIMESYNC_H

#include <linux/math64.h>
#include <linux/timekeeping.h>
#include <linux/uuid.h>

#include <ohv/icmsg.h>

/* {9527e630-d0ae-497b-adce-e80ab0175caf}: the Hyper-V time-sync IC. */
#define OHV_TIMESYNC_CLASS_GUID \
	GUID_INIT(0x9527e630, 0xd0ae, 0x497b, \
		  0xad, 0xce, 0xe8, 0x0a, 0xb0, 0x17, 0x5c, 0xaf)

/* Each direction of the channel; IC messages are at most 4 KiB. */
#define OHV_TIMESYNC_RING_BYTES		(16 * 1024)

/*
 * Room for any packet the peer can put in a ring this size: a too-small
 * buffer would leave a packet stuck on the ring forever.
 */
#define OHV_TIMESYNC_PKT_BYTES		OHV_TIMESYNC_RING_BYTES

/* Service versions, highest first. 4.0 adds the reference time. */
static const struct ohv_ic_version ohv_timesync_srv_versions[] = {
	{ .major = 4, .minor = 0 },
	{ .major = 3, .minor = 0 },
	{ .major = 1, .minor = 0 },
};

/**
 * ohv_timesync_ref_now() - the partition reference counter, 100 ns units
 *
 * On Hyper-V this is the partition reference time both sides can read.
 * The loopback transport puts the host and the guest in one kernel, so
 * both use the raw monotonic clock: it never steps and NTP does not slew
 * it, like the hypervisor's counter.
 */
static inline u64 ohv_timesync_ref_now(void)
{
	return div_u64(ktime_get_raw_ns(), 100);
}

#endif /* _OHV_TIMESYNC_H */
