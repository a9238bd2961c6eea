/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ohv VMBus protocol engine: objects shared by the files of ohv_vmbus.ko.
 *
 * A partition's VMBus connection has two halves, each a &struct ohv_conn:
 * the guest half (creates devices for offers, opens channels) and the host
 * half (offers channels, serves opens with the guest's memory). A transport
 * (&struct ohv_link) carries messages and signals between them.
 *
 * Locking, outermost first:
 *   ohv_channel.op_lock   guest: one open/close/GPADL operation at a time
 *   ohv_conn.lock         channel table changes, host-side channel state,
 *                         connection state; never held while waiting for
 *                         the peer
 *   ohv_channel.out_lock  writers of the outbound ring
 *   ohv_conn.wait_lock    the list of requests waiting for a response
 * Channel lookups from signal context use RCU on ohv_conn.chans.
 */
#ifndef _OHV_VMBUS_CORE_H
#define _OHV_VMBUS_CORE_H

#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/smp.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <ohv/gpadl_wire.h>
#include <ohv/ring.h>
#include <ohv/vmbus_msg.h>
#include <ohv/vmbus.h>
#include <ohv/vmbus_transport.h>
#include <ohv/wire/vmbus.h>

/* Relids index the 2048 bits of the SynIC event-flags page. */
#define OHV_MAX_RELID		2047
/* How long a request waits for the peer before the connection is broken. */
#define OHV_RESPONSE_TIMEOUT	(30 * HZ)

enum ohv_role {
	OHV_ROLE_GUEST,
	OHV_ROLE_HOST,
};

/**
 * enum ohv_conn_state - state of one half of a connection
 * @OHV_CONN_DISCONNECTED: no version negotiated
 * @OHV_CONN_CONNECTING: guest: INITIATE_CONTACT in flight
 * @OHV_CONN_CONNECTED: version negotiated, messages flow
 * @OHV_CONN_UNLOADING: guest: UNLOAD sent
 * @OHV_CONN_BROKEN: the peer misbehaved or stopped answering; nothing
 *	more is sent and every waiter fails
 */
enum ohv_conn_state {
	OHV_CONN_DISCONNECTED,
	OHV_CONN_CONNECTING,
	OHV_CONN_CONNECTED,
	OHV_CONN_UNLOADING,
	OHV_CONN_BROKEN,
};

/**
 * enum ohv_chan_state - what the channel's rings are doing
 * @OHV_CHAN_OFFERED: offered, not open
 * @OHV_CHAN_OPENING: guest: ring GPADL built or OPENCHANNEL in flight
 * @OHV_CHAN_OPEN: rings in use
 *
 * Rescind is not a state: it can hit any of these, so it is the
 * %OHV_CHAN_F_RESCINDED flag.
 */
enum ohv_chan_state {
	OHV_CHAN_OFFERED,
	OHV_CHAN_OPENING,
	OHV_CHAN_OPEN,
};

/* ohv_channel.flags bits */
#define OHV_CHAN_F_RESCINDED	0	/* host withdrew the offer */
#define OHV_CHAN_F_IN_TABLE	1	/* reachable through conn->chans */
#define OHV_CHAN_F_OFFER_SENT	2	/* host: the guest knows the relid */
#define OHV_CHAN_F_CLOSING	3	/* guest primary: no new sub-channel callbacks */

/**
 * struct ohv_conn_stats - counters of one connection half
 * @msgs_rx: messages received
 * @msgs_tx: messages sent
 * @msgs_bad: messages rejected (malformed, unknown ids, wrong state)
 * @signals_bad: signals for relids that are not open
 */
struct ohv_conn_stats {
	atomic64_t msgs_rx;
	atomic64_t msgs_tx;
	atomic64_t msgs_bad;
	atomic64_t signals_bad;
};

/**
 * struct ohv_conn - one half of one partition's VMBus connection
 * @role: guest or host half
 * @link: the transport link shared with the other half
 * @ref: lifetime; the partition registry and users of ohv_partition_get()
 * @lock: see the locking comment at the top of this file
 * @state: &enum ohv_conn_state, written under @lock
 * @version: negotiated protocol version
 * @msg_conn_id: guest: connection id for messages after contact;
 *	host: the id handed out in VERSION_RESPONSE
 * @supported: versions this half accepts, newest first
 * @nr_supported: entries in @supported
 * @chans: relid -> &struct ohv_channel
 * @wq: ordered workqueue that processes received messages
 * @dev_wq: guest: ordered workqueue for device add/remove
 * @sub_wq: guest: ordered workqueue that announces sub-channels (apart from
 *	@dev_wq, so a probe() may wait for its sub-channels)
 * @rxq_lock: protects @rxq
 * @rxq: received messages not yet processed (&struct ohv_rx_msg)
 * @rx_work: drains @rxq on @wq
 * @wait_lock: protects @waits
 * @waits: requests waiting for a response (&struct ohv_wait)
 * @stats: counters
 * @bad_rs: rate limit for logs the peer can trigger
 * @offers_done: guest: ALLOFFERS_DELIVERED arrived
 * @offers_requested: host: REQUESTOFFERS arrived; new offers go out at once
 * @gpadls: host: GPADL id -> &struct ohv_host_gpadl
 * @gpadl_pages: host: pages in all GPADLs of the partition
 * @next_gpadl: guest: last GPADL handle handed out
 * @next_openid: guest: last open id handed out
 * @next_vp: guest: spreads the primaries' target VPs over the CPUs
 * @dbg: debugfs directory of this half
 * @name: "guest0", "host0", ... for logs and workqueue names
 */
struct ohv_conn {
	enum ohv_role role;
	struct ohv_link *link;
	struct kref ref;
	struct mutex lock;		/* see the locking comment above */
	enum ohv_conn_state state;
	u32 version;
	u32 msg_conn_id;
	const u32 *supported;
	unsigned int nr_supported;
	struct xarray chans;
	struct workqueue_struct *wq;
	struct workqueue_struct *dev_wq;
	struct workqueue_struct *sub_wq;
	spinlock_t rxq_lock;		/* protects rxq */
	struct list_head rxq;
	struct work_struct rx_work;
	spinlock_t wait_lock;		/* protects waits */
	struct list_head waits;
	struct ohv_conn_stats stats;
	struct ratelimit_state bad_rs;
	struct completion offers_done;
	bool offers_requested;
	struct xarray gpadls;
	u64 gpadl_pages;
	atomic_t next_gpadl;
	atomic_t next_openid;
	atomic_t next_vp;
	struct dentry *dbg;
	char name[16];
};

/**
 * struct ohv_partition - the host half, as providers see it
 * @conn: the host half of the partition's connection
 */
struct ohv_partition {
	struct ohv_conn conn;
};

/**
 * struct ohv_chan_stats - counters of one channel, in both roles
 * @interrupts: signals received from the peer
 * @signals: signals sent to the peer
 * @tx_bytes: packet bytes written to the outbound ring
 * @rx_bytes: packet bytes read from the inbound ring
 * @tx_full: sends that found the outbound ring full
 */
struct ohv_chan_stats {
	atomic64_t interrupts;
	atomic64_t signals;
	atomic64_t tx_bytes;
	atomic64_t rx_bytes;
	atomic64_t tx_full;
};

/**
 * struct ohv_channel - one VMBus channel, guest or host side
 * @ref: lifetime; the relid table, the device and lookups hold references
 * @conn: the connection half the channel belongs to
 * @relid: child relid
 * @connection_id: the offer's signalling connection id
 * @target_vp: the VP (CPU) the guest takes this channel's interrupts on
 * @vp_seq: guest primary: its turn in @next_vp; sub-channels count on from it
 * @offer: the offer as sent or received
 * @flags: %OHV_CHAN_F_* bits
 * @state: &enum ohv_chan_state; guest: under @op_lock, host: under conn->lock
 * @op_lock: guest: serializes open, close and GPADL operations
 * @primary: primary channel of a sub-channel, NULL for a primary
 * @subchans: primary: its sub-channels (each holds a reference in here)
 * @sub_node: entry in the primary's @subchans
 * @subchan_cb: guest primary: driver callback for new sub-channels
 * @subchan_want: host primary: sub-channels the provider asked for
 * @subchan_work: host primary: offers the sub-channels asked for
 * @out: ring this side writes
 * @in: ring this side reads
 * @ring_va: the two double mappings: [0] outbound, [1] inbound
 * @ring_pages: guest: pages of both rings, outbound first
 * @ring_npages: guest: entries in @ring_pages
 * @ring_gpadl: guest: the GPADL that describes both rings
 * @ring_hg: host: the ring GPADL, held while open
 * @out_lock: serializes writers of @out; with @in_lock guards @rings_up
 * @in_lock: serializes readers of @in
 * @rings_up: @out and @in may be used
 * @tx_wait: senders waiting for ring space
 * @cb_lock: guards @cb_on against ohv_chan_interrupt()
 * @cb_on: signals run the callback
 * @cb: receive callback
 * @cb_ctx: its context
 * @cb_mode: &enum ohv_cb_mode
 * @tasklet: runs @cb for %OHV_CB_BATCHED
 * @stats: counters
 * @drvdata: driver data
 * @offer_priv: host: &ohv_offer_params.priv (the primary's, for a sub)
 * @dev: guest primary: the device on ohvbus
 * @prov: host: the provider that offered the channel
 * @offer_work: guest: creates the device or announces the sub-channel
 * @remove_work: guest: handles a rescind in process context
 * @dbg: debugfs directory
 * @rcu: the memory is freed after a grace period (signal-path lookups)
 */
struct ohv_channel {
	struct kref ref;
	struct ohv_conn *conn;
	u32 relid;
	u32 connection_id;
	u32 target_vp;
	u32 vp_seq;
	struct ohv_vmbus_offer offer;
	unsigned long flags;
	enum ohv_chan_state state;
	struct mutex op_lock;		/* guest open/close/GPADL ops */
	struct ohv_channel *primary;
	struct list_head subchans;
	struct list_head sub_node;
	ohv_subchan_cb_t subchan_cb;
	unsigned int subchan_want;
	struct work_struct subchan_work;
	struct ohv_ring out;
	struct ohv_ring in;
	void *ring_va[2];
	struct page **ring_pages;
	u32 ring_npages;
	struct ohv_gpadl_handle ring_gpadl;
	struct ohv_host_gpadl *ring_hg;
	spinlock_t out_lock;		/* writers of out, rings_up */
	spinlock_t in_lock;		/* readers of in, rings_up */
	bool rings_up;
	wait_queue_head_t tx_wait;
	spinlock_t cb_lock;		/* cb_on vs. signals */
	bool cb_on;
	ohv_chan_cb_t cb;
	void *cb_ctx;
	enum ohv_cb_mode cb_mode;
	struct tasklet_struct tasklet;
	struct ohv_chan_stats stats;
	void *drvdata;
	void *offer_priv;
	struct ohv_device *dev;
	const struct ohv_provider *prov;
	struct work_struct offer_work;
	struct work_struct remove_work;
	struct dentry *dbg;
	struct rcu_head rcu;
};

/**
 * struct ohv_chan_snap - ring state of a channel, for sysfs and debugfs
 * @up: the rings are mapped; the other fields are valid
 * @out: the outbound ring header fields
 * @in: the inbound ring header fields
 * @out_broken: this side found the outbound ring corrupt
 * @in_broken: this side found the inbound ring corrupt
 */
struct ohv_chan_snap {
	bool up;
	struct {
		u32 write_index;
		u32 read_index;
		u32 interrupt_mask;
		u32 pending_send_sz;
		u32 size;
	} out, in;
	bool out_broken;
	bool in_broken;
};

/**
 * struct ohv_host_gpadl - a guest GPADL as the host keeps it
 * @ref: the GPADL table and each mapping user hold one
 * @id: GPADL handle
 * @relid: channel it was created for
 * @complete: all messages arrived and the GPADL was accepted
 * @asm_state: reassembly state until @complete
 * @g: the validated ranges and page frames once @complete
 * @conn: host half that owns the GPADL
 * @map_lock: serializes making @va
 * @va: mapping of all of @g's pages, made on first use
 */
struct ohv_host_gpadl {
	struct kref ref;
	u32 id;
	u32 relid;
	bool complete;
	struct ohv_gpadl_asm asm_state;
	struct ohv_gpadl g;
	struct ohv_conn *conn;
	struct mutex map_lock;		/* making va */
	void *va;
};

/**
 * struct ohv_wait - a request waiting for the peer's response
 * @node: entry in conn->waits
 * @msgtype: response type awaited
 * @relid: channel the request is about (rescind fails it), or 0
 * @key: GPADL id or open id the response must carry
 * @err: 0, or why the wait ended without a response
 * @done: completed with @resp filled in, or with @err set
 * @resp: the response
 */
struct ohv_wait {
	struct list_head node;
	u32 msgtype;
	u32 relid;
	u32 key;
	int err;
	struct completion done;
	struct ohv_vmbus_msg resp;
};

/* connection.c */
struct ohv_conn *ohv_conn_create(enum ohv_role role, struct ohv_link *link,
				 const char *name);
void ohv_conn_stop(struct ohv_conn *conn);
void ohv_conn_put(struct ohv_conn *conn);
int ohv_conn_post(struct ohv_conn *conn, const struct ohv_vmbus_msg *msg);
void ohv_conn_reject(struct ohv_conn *conn, u32 msgtype, const char *why);
void ohv_conn_break(struct ohv_conn *conn, const char *why);
void ohv_wait_init(struct ohv_wait *w, u32 msgtype, u32 relid, u32 key);
void ohv_wait_add(struct ohv_conn *conn, struct ohv_wait *w,
		  struct ohv_channel *chan);
int ohv_wait_for(struct ohv_conn *conn, struct ohv_wait *w);
void ohv_wait_cancel(struct ohv_conn *conn, struct ohv_wait *w);
int ohv_conn_request(struct ohv_conn *conn, const struct ohv_vmbus_msg *msgs,
		     unsigned int n, struct ohv_wait *w,
		     struct ohv_channel *chan);
bool ohv_wait_complete(struct ohv_conn *conn, u32 relid, u32 key,
		       const struct ohv_vmbus_msg *msg);
void ohv_wait_fail_relid(struct ohv_conn *conn, u32 relid, int err);
struct ohv_channel *ohv_conn_get_chan(struct ohv_conn *conn, u32 relid);
u32 ohv_conn_contact_id(u32 version);

/* guest.c */
int ohv_guest_connect(struct ohv_conn *conn);
void ohv_guest_disconnect(struct ohv_conn *conn);
void ohv_guest_handle_msg(struct ohv_conn *conn,
			  const struct ohv_vmbus_msg *msg);
int ohv_guest_open(struct ohv_channel *chan,
		   const struct ohv_chan_open_params *params);
void ohv_guest_close(struct ohv_channel *chan);

/* host.c */
void ohv_host_handle_msg(struct ohv_conn *conn, u32 conn_id,
			 const struct ohv_vmbus_msg *msg);
void ohv_host_disconnect(struct ohv_conn *conn);
struct ohv_conn *ohv_host_create(struct ohv_link *link, u32 id);
void ohv_host_destroy(struct ohv_conn *conn, u32 id);
extern unsigned int ohv_max_gpadl_pages;
extern unsigned int ohv_max_partition_pages;

/* channel.c */
struct ohv_channel *ohv_chan_alloc(struct ohv_conn *conn, u32 relid,
				   const struct ohv_vmbus_offer *offer);
int ohv_chan_rings_init(struct ohv_channel *chan, void *out_va, u32 out_data,
			void *in_va, u32 in_data);
void ohv_chan_rings_down(struct ohv_channel *chan);
void ohv_chan_snapshot(struct ohv_channel *chan, struct ohv_chan_snap *snap);
const char *ohv_chan_state_name(const struct ohv_channel *chan);
void ohv_chan_start_cb(struct ohv_channel *chan, ohv_chan_cb_t cb, void *ctx,
		       enum ohv_cb_mode mode);
void ohv_chan_stop_cb(struct ohv_channel *chan);
void ohv_chan_signal_peer(struct ohv_channel *chan);
void ohv_chan_interrupt(struct ohv_channel *chan);

/* gpadl.c */
int ohv_gpadl_establish_pfns(struct ohv_channel *chan, const u64 *pfns,
			     u32 npfns, u32 offset, u32 size,
			     struct ohv_gpadl_handle *gpadl);
void ohv_host_gpadl_put(struct ohv_host_gpadl *hg);
void ohv_host_gpadl_header(struct ohv_conn *conn,
			   const struct ohv_vmbus_msg *msg);
void ohv_host_gpadl_body(struct ohv_conn *conn,
			 const struct ohv_vmbus_msg *msg);
void ohv_host_gpadl_teardown(struct ohv_conn *conn,
			     const struct ohv_vmbus_msg *msg);
void ohv_host_gpadl_drop_relid(struct ohv_conn *conn, u32 relid);
struct ohv_host_gpadl *ohv_host_gpadl_find(struct ohv_conn *conn, u32 id);
void *ohv_host_map_pfns(struct ohv_conn *conn, const u64 *pfns, u32 count);
void ohv_host_unmap_pfns(struct ohv_conn *conn, void *va, u32 count);

/* bus.c */
int ohv_bus_init(void);
void ohv_bus_exit(void);
int ohv_device_add(struct ohv_channel *chan);
void ohv_device_remove(struct ohv_channel *chan);

#define OHV_LO_EVENT_BITS	(OHV_MAX_RELID + 1)

struct ohv_lo_part;

/**
 * struct ohv_lo_cpu - a loopback partition's interrupt on one CPU
 * @lo: the partition
 * @kick: IPI from another CPU: schedules @sig_tasklet here
 * @sig_tasklet: delivers pending signals on this CPU
 * @to_guest_events: pending host-to-guest signals for this CPU, by relid
 */
struct ohv_lo_cpu {
	struct ohv_lo_part *lo;
	call_single_data_t kick;
	struct tasklet_struct sig_tasklet;
	DECLARE_BITMAP(to_guest_events, OHV_LO_EVENT_BITS);
};

/**
 * struct ohv_lo_part - one loopback partition
 * @link: the link both halves use
 * @id: partition id
 * @lock: protects @dead; held while a message is handed over
 * @dead: no more delivery (signals check it under RCU)
 * @kicks: IPIs in flight
 * @to_host_events: pending guest-to-host signals, by connection id
 * @cpu: per-CPU delivery, as each virtual processor's SynIC interrupt
 */
struct ohv_lo_part {
	struct ohv_link link;
	u32 id;
	spinlock_t lock;		/* dead, message hand-over */
	bool dead;
	atomic_t kicks;
	DECLARE_BITMAP(to_host_events, OHV_LO_EVENT_BITS);
	struct ohv_lo_cpu __percpu *cpu;
};

/* loopback.c */
int ohv_loopback_init(void);
void ohv_loopback_exit(void);
int ohv_loopback_create(u32 id);
int ohv_loopback_destroy(u32 id);
struct ohv_lo_part *ohv_loopback_alloc(u32 id);
void ohv_loopback_free(struct ohv_lo_part *lo);
void ohv_loopback_sync(struct ohv_lo_part *lo);

/* configfs.c */
int ohv_configfs_init(void);
void ohv_configfs_exit(void);

/* debugfs.c */
void ohv_debugfs_init(void);
void ohv_debugfs_exit(void);
void ohv_debugfs_conn_add(struct ohv_conn *conn);
void ohv_debugfs_conn_remove(struct ohv_conn *conn);
void ohv_debugfs_chan_add(struct ohv_channel *chan);
void ohv_debugfs_chan_remove(struct ohv_channel *chan);

static inline bool ohv_chan_rescinded(const struct ohv_channel *chan)
{
	return test_bit(OHV_CHAN_F_RESCINDED, &chan->flags);
}

static inline bool ohv_conn_is_guest(const struct ohv_conn *conn)
{
	return conn->role == OHV_ROLE_GUEST;
}

#endif /* _OHV_VMBUS_CORE_H */
