/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ohv VMBus: the boundary between the protocol engine and a transport.
 *
 * A transport moves channel messages and channel signals between the two
 * halves of one partition's VMBus connection and lets the host half map
 * guest pages. The engine never knows whether the other half is in the
 * same kernel (loopback) or behind a hypervisor (SynIC messages and event
 * flags).
 *
 * One &struct ohv_link per partition ties the halves together: the guest
 * half is the bus connection that creates devices, the host half is the
 * partition object providers offer channels to. A transport may provide
 * only one half (a hypervisor transport in a guest kernel has no host half).
 *
 * Rules every transport keeps:
 * - post and signal never call back into the engine from inside the call;
 *   delivery is asynchronous.
 * - the receiving half gets messages in the order they were posted.
 * - delivery uses ohv_conn_rx_msg() and ohv_conn_rx_signal(), which may be
 *   called in any context and copy what they are given.
 */
#ifndef _OHV_VMBUS_TRANSPORT_H
#define _OHV_VMBUS_TRANSPORT_H

#include <linux/types.h>

struct ohv_conn;
struct ohv_link;
struct page;

/**
 * struct ohv_transport_ops - what a transport does for the engine
 * @name: transport name ("loopback", "synic")
 * @post_to_host: post a channel message from the guest half; @conn_id is
 *	the message connection id (1, 4, or the negotiated msg_conn_id).
 *	May sleep. Returns 0 or a negative errno; never calls back.
 * @post_to_guest: post a channel message from the host half.
 * @signal_host: the guest half signals the host about channel
 *	@connection_id (the offer's connection_id). Any context.
 * @signal_guest: the host half signals the guest about channel @relid,
 *	on virtual processor @vp (the channel's target VP, as the guest
 *	asked; untrusted, so an invalid one is delivered anywhere). Any
 *	context.
 * @map_guest_pages: host half: map @count guest page frames, in order
 *	and possibly repeating, into one contiguous kernel range. Returns
 *	NULL on failure. Used for rings (mapped with the data area twice)
 *	and GPADL buffers.
 * @unmap_guest_pages: undo @map_guest_pages.
 * @get_guest_pages: host half: take a reference on the pages behind
 *	@count guest page frames, without mapping them, for I/O that goes
 *	through scatterlists (a GPA-direct packet's data). Returns 0, or
 *	-EFAULT if any frame is not the partition's memory (then no
 *	reference is held). Process context. Optional.
 * @put_guest_pages: drop what @get_guest_pages took.
 * @partition_id: the partition this link serves.
 */
struct ohv_transport_ops {
	const char *name;
	int (*post_to_host)(struct ohv_link *link, u32 conn_id,
			    const void *msg, u32 len);
	int (*post_to_guest)(struct ohv_link *link, const void *msg, u32 len);
	void (*signal_host)(struct ohv_link *link, u32 connection_id);
	void (*signal_guest)(struct ohv_link *link, u32 relid, u32 vp);
	void *(*map_guest_pages)(struct ohv_link *link, const u64 *pfns,
				 u32 count);
	void (*unmap_guest_pages)(struct ohv_link *link, void *va, u32 count);
	int (*get_guest_pages)(struct ohv_link *link, const u64 *pfns,
			       u32 count, struct page **pages);
	void (*put_guest_pages)(struct ohv_link *link, struct page **pages,
				u32 count);
	u32 (*partition_id)(struct ohv_link *link);
};

/**
 * struct ohv_link - one partition's connection, as a transport sees it
 * @ops: the transport
 * @guest: the guest half, or NULL
 * @host: the host half, or NULL
 */
struct ohv_link {
	const struct ohv_transport_ops *ops;
	struct ohv_conn *guest;
	struct ohv_conn *host;
};

void ohv_conn_rx_msg(struct ohv_conn *conn, u32 conn_id, const void *msg,
		     u32 len);
void ohv_conn_rx_signal(struct ohv_conn *conn, u32 id);

#endif /* _OHV_VMBUS_TRANSPORT_H */
