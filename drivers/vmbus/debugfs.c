// SPDX-License-Identifier: GPL-2.0
/*
 * ohv VMBus debugfs:
 *   ohv_vmbus/<partition>/{guest,host}/stats         connection counters
 *   ohv_vmbus/<partition>/{guest,host}/<relid>/ring   channel state, ring
 *       indices, interrupt_mask, pending_send_sz, counters, broken flags
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "core.h"

static struct dentry *ohv_debugfs_root;

static const char * const ohv_conn_state_names[] = {
	[OHV_CONN_DISCONNECTED] = "disconnected",
	[OHV_CONN_CONNECTING] = "connecting",
	[OHV_CONN_CONNECTED] = "connected",
	[OHV_CONN_UNLOADING] = "unloading",
	[OHV_CONN_BROKEN] = "broken",
};

/* One "name: value" line for an atomic64_t counter. */
static void ohv_seq_counter(struct seq_file *s, const char *name,
			    const atomic64_t *v)
{
	seq_printf(s, "%s: %lld\n", name, (long long)atomic64_read(v));
}

static int ohv_conn_stats_show(struct seq_file *s, void *unused)
{
	struct ohv_conn *conn = s->private;
	enum ohv_conn_state state = READ_ONCE(conn->state);

	seq_printf(s, "state: %s\n", ohv_conn_state_names[state]);
	seq_printf(s, "version: %u.%u\n", conn->version >> 16,
		   conn->version & 0xffff);
	seq_printf(s, "msg_conn_id: %u\n", READ_ONCE(conn->msg_conn_id));
	ohv_seq_counter(s, "msgs_rx", &conn->stats.msgs_rx);
	ohv_seq_counter(s, "msgs_tx", &conn->stats.msgs_tx);
	ohv_seq_counter(s, "msgs_bad", &conn->stats.msgs_bad);
	ohv_seq_counter(s, "signals_bad", &conn->stats.signals_bad);
	if (!ohv_conn_is_guest(conn))
		seq_printf(s, "gpadl_pages: %llu\n", conn->gpadl_pages);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ohv_conn_stats);

static void ohv_ring_show(struct seq_file *s, const char *dir,
			  u32 w, u32 r, u32 mask, u32 pend, u32 size)
{
	seq_printf(s, "%s_write_index: %u\n", dir, w);
	seq_printf(s, "%s_read_index: %u\n", dir, r);
	seq_printf(s, "%s_interrupt_mask: %u\n", dir, mask);
	seq_printf(s, "%s_pending_send_sz: %u\n", dir, pend);
	seq_printf(s, "%s_size: %u\n", dir, size);
}

static int ohv_chan_ring_show(struct seq_file *s, void *unused)
{
	struct ohv_channel *chan = s->private;
	struct ohv_chan_snap snap;

	ohv_chan_snapshot(chan, &snap);
	seq_printf(s, "relid: %u\n", chan->relid);
	seq_printf(s, "sub_channel_index: %u\n",
		   chan->offer.sub_channel_index);
	seq_printf(s, "class_id: %pUl\n", &chan->offer.if_type);
	seq_printf(s, "instance_id: %pUl\n", &chan->offer.if_instance);
	seq_printf(s, "state: %s\n", ohv_chan_state_name(chan));
	seq_printf(s, "target_vp: %u\n", READ_ONCE(chan->target_vp));
	if (snap.up) {
		ohv_ring_show(s, "out", snap.out.write_index,
			      snap.out.read_index, snap.out.interrupt_mask,
			      snap.out.pending_send_sz, snap.out.size);
		ohv_ring_show(s, "in", snap.in.write_index,
			      snap.in.read_index, snap.in.interrupt_mask,
			      snap.in.pending_send_sz, snap.in.size);
	}
	seq_printf(s, "broken: %u\n", snap.out_broken || snap.in_broken);
	ohv_seq_counter(s, "interrupts", &chan->stats.interrupts);
	ohv_seq_counter(s, "signals", &chan->stats.signals);
	ohv_seq_counter(s, "tx_bytes", &chan->stats.tx_bytes);
	ohv_seq_counter(s, "rx_bytes", &chan->stats.rx_bytes);
	ohv_seq_counter(s, "tx_full", &chan->stats.tx_full);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ohv_chan_ring);

/**
 * ohv_debugfs_conn_add() - directory and stats file for a connection half
 * @conn: the half
 */
void ohv_debugfs_conn_add(struct ohv_conn *conn)
{
	struct ohv_link *link = conn->link;
	struct dentry *part;
	char name[16];

	snprintf(name, sizeof(name), "%u", link->ops->partition_id(link));
	part = debugfs_lookup(name, ohv_debugfs_root);
	if (!part)
		part = debugfs_create_dir(name, ohv_debugfs_root);
	else
		dput(part);
	conn->dbg = debugfs_create_dir(ohv_conn_is_guest(conn) ? "guest" :
				       "host", part);
	debugfs_create_file("stats", 0444, conn->dbg, conn,
			    &ohv_conn_stats_fops);
}

/**
 * ohv_debugfs_conn_remove() - remove a half's directory
 * @conn: the half
 *
 * The partition directory goes when its last half goes.
 */
void ohv_debugfs_conn_remove(struct ohv_conn *conn)
{
	struct dentry *part;

	if (IS_ERR_OR_NULL(conn->dbg))
		return;
	part = conn->dbg->d_parent;
	debugfs_remove(conn->dbg);
	conn->dbg = NULL;
	if (simple_empty(part))
		debugfs_remove(part);
}

/**
 * ohv_debugfs_chan_add() - directory and ring file for a channel
 * @chan: the channel
 */
void ohv_debugfs_chan_add(struct ohv_channel *chan)
{
	char name[16];

	if (IS_ERR_OR_NULL(chan->conn->dbg))
		return;
	snprintf(name, sizeof(name), "%u", chan->relid);
	chan->dbg = debugfs_create_dir(name, chan->conn->dbg);
	debugfs_create_file("ring", 0444, chan->dbg, chan,
			    &ohv_chan_ring_fops);
}

/**
 * ohv_debugfs_chan_remove() - remove a channel's directory
 * @chan: the channel; waits for readers of its files
 */
void ohv_debugfs_chan_remove(struct ohv_channel *chan)
{
	debugfs_remove(chan->dbg);
	chan->dbg = NULL;
}

void ohv_debugfs_init(void)
{
	ohv_debugfs_root = debugfs_create_dir("ohv_vmbus", NULL);
}

void ohv_debugfs_exit(void)
{
	debugfs_remove(ohv_debugfs_root);
}
