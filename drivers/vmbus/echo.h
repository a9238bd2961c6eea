/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ohv echo device: a project-private VMBus device class used to prove
 * the channel engine end to end. The guest sends data packets; the host
 * sends each one back unchanged. Both ends checksum what they see.
 *
 * Class GUID {4f68c0de-3e0a-4e1b-9a37-6f6876656368} is ours alone (the
 * last six bytes spell "ohvech"); no Hyper-V device uses it.
 */
#ifndef _OHV_VMBUS_ECHO_H
#define _OHV_VMBUS_ECHO_H

#include <linux/types.h>
#include <linux/uuid.h>

#define OHV_ECHO_CLASS_GUID \
	GUID_INIT(0x4f68c0de, 0x3e0a, 0x4e1b, \
		  0x9a, 0x37, 0x6f, 0x68, 0x76, 0x65, 0x63, 0x68)

/* Largest data bytes in one echo packet. */
#define OHV_ECHO_MAX_DATA	(64 * 1024)

/**
 * struct ohv_echo_hdr - start of every echo packet payload
 * @len: data bytes that follow
 * @seq: sender's sequence number, echoed unchanged
 */
struct ohv_echo_hdr {
	__le32 len;
	__le32 seq;
} __packed;

#endif /* _OHV_VMBUS_ECHO_H */
