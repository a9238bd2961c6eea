// SPDX-License-Identifier: GPL-2.0
/*
 * ohv time-sync provider (host side): offers the time-sync IC to
 * partitions and feeds each open channel with the host's clock.
 *
 * Per open channel: negotiate (framework 3.0/1.0, service 4.0/3.0/1.0,
 * re-offered every period until the guest answers), then one SYNC, then a
 * SAMPLE every period. Every guest answer is checked and counted.
 *
 * The host clock: in loopback the guest half shares this kernel's
 * CLOCK_REALTIME and steps it. Reading it back would make every SYNC feed
 * on the previous one, so the host clock is CLOCK_REALTIME as it was at
 * load, carried forward by the raw monotonic clock (which no step or
 * slew touches), plus the TEST ONLY host_offset_ms.
 *
 * All work of a channel runs on one ordered workqueue, so the channel
 * state needs no lock.
 *
 * debugfs, per partition (ohv_timesync_host/<partition>/):
 *   sync_now   write anything: send a SYNC now
 *   period_ms  sample period (100 ms at least), read/write
 *   clock      the host clock now, ns since 1970 (offset included)
 *   inject_malformed  TEST ONLY, write anything: send four malformed
 *              messages (see ts_host_inject_malformed())
 *   stats      negotiated versions and message counters
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/time64.h>
#include <linux/workqueue.h>

#include <ohv/vmbus.h>

#include "timesync.h"

#define TS_HOST_MAX_PARTITIONS	16
#define TS_HOST_MIN_PERIOD_MS	100
/* Room for any request this provider sends. */
#define TS_HOST_TX_BYTES	128

static unsigned int partitions[TS_HOST_MAX_PARTITIONS];
static unsigned int nr_partitions = 1;
module_param_array(partitions, uint, &nr_partitions, 0444);
MODULE_PARM_DESC(partitions, "Partitions to offer time sync to (default 0)");

static unsigned int sample_period_ms = 5000;
module_param(sample_period_ms, uint, 0444);
MODULE_PARM_DESC(sample_period_ms,
		 "Initial sample period per partition, ms (debugfs period_ms)");

static long host_offset_ms;
module_param(host_offset_ms, long, 0644);
MODULE_PARM_DESC(host_offset_ms,
		 "TEST ONLY: add this many ms to the host clock sent to guests");

static unsigned int max_service_major = 4;
module_param(max_service_major, uint, 0444);
MODULE_PARM_DESC(max_service_major,
		 "TEST ONLY: offer service versions up to this major (1, 3, 4)");

/* Framework and service versions offered; filled at load. */
static struct ohv_ic_version ts_srv_offer[ARRAY_SIZE(ohv_timesync_srv_versions)];
static struct ohv_icmsg_versions ts_offer = {
	.fw = ohv_icmsg_fw_versions,
	.nfw = ARRAY_SIZE(ohv_icmsg_fw_versions),
	.srv = ts_srv_offer,
};

/* CLOCK_REALTIME and the raw clock at load: the host clock's origin. */
static u64 ts_base_real_ns;
static u64 ts_base_raw_ns;

static struct workqueue_struct *ts_wq;
static struct dentry *ts_dbg;

struct ts_host_conn;

/**
 * struct ts_host_part - the time-sync device offered to one partition
 * @id: the partition
 * @chan: the offered channel
 * @lock: guards @conn against open/close
 * @conn: the open channel's state, or NULL
 * @period_ms: sample period
 * @dbg: debugfs directory
 * @opens: times the guest opened the channel
 * @negotiations: successful negotiations
 * @no_common: negotiations the guest refused
 * @syncs: SYNC messages sent
 * @samples: SAMPLE messages sent
 * @acks: responses with status OK
 * @nacks: responses with an error status
 * @bad: malformed or unexpected packets from the guest
 * @send_errors: messages that could not be sent (ring full, closed)
 * @injected: malformed messages sent on request (TEST ONLY)
 * @fw: last negotiated framework version
 * @srv: last negotiated service version
 */
struct ts_host_part {
	u32 id;
	struct ohv_channel *chan;
	struct mutex lock;		/* guards conn */
	struct ts_host_conn *conn;
	u32 period_ms;
	struct dentry *dbg;
	u64 opens;
	u64 negotiations;
	u64 no_common;
	u64 syncs;
	u64 samples;
	u64 acks;
	u64 nacks;
	u64 bad;
	u64 send_errors;
	u64 injected;
	struct ohv_ic_version fw;
	struct ohv_ic_version srv;
};

/**
 * struct ts_host_conn - one open time-sync channel
 * @chan: the channel
 * @part: the device it belongs to
 * @rx_work: drains the ring
 * @sync_work: sends a SYNC
 * @tick: negotiates until answered, then sends samples
 * @negotiated: the guest accepted a version pair
 * @refused: the guest found no common version; nothing more is sent
 * @fw: negotiated framework version
 * @srv: negotiated service version
 * @tid: next transaction id
 * @tx: the request being built
 * @rx: the packet being read
 */
struct ts_host_conn {
	struct ohv_channel *chan;
	struct ts_host_part *part;
	struct work_struct rx_work;
	struct work_struct sync_work;
	struct delayed_work tick;
	bool negotiated;
	bool refused;
	struct ohv_ic_version fw;
	struct ohv_ic_version srv;
	u8 tid;
	u8 tx[TS_HOST_TX_BYTES];
	u8 *rx;
};

static struct ts_host_part ts_parts[TS_HOST_MAX_PARTITIONS];

/* The host clock, ns since 1970; see the top of this file. */
static s64 ts_host_clock_ns(u64 *raw_ns)
{
	u64 raw = ktime_get_raw_ns();

	if (raw_ns)
		*raw_ns = raw;
	return ts_base_real_ns + (raw - ts_base_raw_ns) +
	       READ_ONCE(host_offset_ms) * NSEC_PER_MSEC;
}

static unsigned long ts_host_period(struct ts_host_part *part)
{
	return msecs_to_jiffies(max_t(u32, READ_ONCE(part->period_ms),
				      TS_HOST_MIN_PERIOD_MS));
}

/* Send the request of @len bytes (or the error that building it gave). */
static bool ts_host_send(struct ts_host_conn *c, int len)
{
	int ret = len < 0 ? len : ohv_chan_send(c->chan, c->tx, len, c->tid,
						OHV_VMPKT_DATA_INBAND, 0);

	c->tid++;
	if (!ret)
		return true;
	c->part->send_errors++;
	pr_warn_ratelimited("partition %u: send failed: %d\n", c->part->id,
			    ret);
	return false;
}

static void ts_host_send_negotiate(struct ts_host_conn *c)
{
	ts_host_send(c, ohv_icmsg_build_negotiate(c->tx, sizeof(c->tx), c->tid,
						  &ts_offer));
}

static void ts_host_send_time(struct ts_host_conn *c, u8 flags)
{
	struct ohv_timesync_sample s = { .flags = flags, .has_reftime = true };
	u64 raw;
	int len;

	len = ohv_timesync_from_unix_ns(ts_host_clock_ns(&raw), &s.parenttime);
	s.reftime = div_u64(raw, 100);
	if (!len)
		len = ohv_timesync_encode(c->tx, sizeof(c->tx), c->tid, c->fw,
					  c->srv, &s);
	if (!ts_host_send(c, len))
		return;
	if (flags & OHV_ICTIMESYNC_SYNC)
		c->part->syncs++;
	else
		c->part->samples++;
}

static void ts_host_tick(struct work_struct *work)
{
	struct ts_host_conn *c = container_of(to_delayed_work(work),
					      struct ts_host_conn, tick);

	if (c->refused)
		return;
	if (c->negotiated)
		ts_host_send_time(c, OHV_ICTIMESYNC_SAMPLE);
	else
		ts_host_send_negotiate(c);
	queue_delayed_work(ts_wq, &c->tick, ts_host_period(c->part));
}

static void ts_host_sync_work(struct work_struct *work)
{
	struct ts_host_conn *c = container_of(work, struct ts_host_conn,
					      sync_work);

	if (c->negotiated)
		ts_host_send_time(c, OHV_ICTIMESYNC_SYNC);
}

static void ts_host_negotiated(struct ts_host_conn *c,
			       const struct ohv_icmsg *msg)
{
	struct ts_host_part *part = c->part;
	int ret;

	if (c->negotiated || c->refused)
		return;
	ret = ohv_icmsg_negotiate_result(msg, &ts_offer, &c->fw, &c->srv);
	if (ret == -EPROTONOSUPPORT) {
		c->refused = true;
		part->no_common++;
		pr_warn_ratelimited("partition %u: guest supports no offered version\n",
				    part->id);
		return;
	}
	if (ret) {
		part->bad++;
		pr_warn_ratelimited("partition %u: bad negotiate response\n",
				    part->id);
		return;
	}
	/* Pairs with the acquire in ts_host_conn_write(): fw/srv first. */
	smp_store_release(&c->negotiated, true);
	part->negotiations++;
	part->fw = c->fw;
	part->srv = c->srv;
	pr_info("partition %u: framework %u.%u, service %u.%u\n", part->id,
		c->fw.major, c->fw.minor, c->srv.major, c->srv.minor);
	ts_host_send_time(c, OHV_ICTIMESYNC_SYNC);
	mod_delayed_work(ts_wq, &c->tick, ts_host_period(part));
}

static void ts_host_rx_one(struct ts_host_conn *c, u32 pktlen)
{
	const struct ohv_vmpacket_desc *d = (const void *)c->rx;
	struct ts_host_part *part = c->part;
	struct ohv_icmsg msg;

	if (d->type != OHV_VMPKT_DATA_INBAND ||
	    ohv_icmsg_parse(ohv_vmpacket_payload(c->rx),
			    ohv_vmpacket_payload_len(c->rx), &msg) ||
	    !(msg.hdr.icflags & OHV_ICMSGHDRFLAG_RESPONSE)) {
		part->bad++;
		pr_warn_ratelimited("partition %u: malformed packet from guest\n",
				    part->id);
		return;
	}
	switch (msg.hdr.icmsgtype) {
	case OHV_ICMSGTYPE_NEGOTIATE:
		ts_host_negotiated(c, &msg);
		break;
	case OHV_ICMSGTYPE_TIMESYNC:
		if (msg.hdr.status == OHV_IC_S_OK)
			part->acks++;
		else
			part->nacks++;
		break;
	default:
		part->bad++;
		pr_warn_ratelimited("partition %u: response of type %u\n",
				    part->id, msg.hdr.icmsgtype);
	}
}

static void ts_host_rx_work(struct work_struct *work)
{
	struct ts_host_conn *c = container_of(work, struct ts_host_conn,
					      rx_work);
	u32 pktlen;
	int ret;

	for (;;) {
		ohv_chan_rx_mask(c->chan);
		while (!(ret = ohv_chan_recv(c->chan, c->rx,
					     OHV_TIMESYNC_PKT_BYTES, &pktlen)))
			ts_host_rx_one(c, pktlen);
		if (ret != -EAGAIN) {
			pr_warn_ratelimited("partition %u: receive failed: %d\n",
					    c->part->id, ret);
			return;
		}
		if (ohv_chan_rx_unmask(c->chan))
			return;
	}
}

/* Direct mode: runs in the signal's context, so only kick the work. */
static void ts_host_rx(struct ohv_channel *chan, void *ctx)
{
	struct ts_host_conn *c = ctx;

	queue_work(ts_wq, &c->rx_work);
}

static int ts_host_open(struct ohv_channel *chan, const u8 *userdata)
{
	struct ts_host_part *part = ohv_host_offer_priv(chan);
	struct ts_host_conn *c;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->rx = kmalloc(OHV_TIMESYNC_PKT_BYTES, GFP_KERNEL);
	if (!c->rx) {
		kfree(c);
		return -ENOMEM;
	}
	c->chan = chan;
	c->part = part;
	INIT_WORK(&c->rx_work, ts_host_rx_work);
	INIT_WORK(&c->sync_work, ts_host_sync_work);
	INIT_DELAYED_WORK(&c->tick, ts_host_tick);
	ohv_chan_set_drvdata(chan, c);
	mutex_lock(&part->lock);
	part->conn = c;
	part->opens++;
	mutex_unlock(&part->lock);
	queue_delayed_work(ts_wq, &c->tick, 0);
	return 0;
}

static void ts_host_close(struct ohv_channel *chan)
{
	struct ts_host_conn *c = ohv_chan_get_drvdata(chan);
	struct ts_host_part *part = c->part;

	mutex_lock(&part->lock);
	part->conn = NULL;
	mutex_unlock(&part->lock);
	/* Callbacks are off: rx_work is the last to arm the tick. */
	cancel_work_sync(&c->rx_work);
	cancel_work_sync(&c->sync_work);
	cancel_delayed_work_sync(&c->tick);
	ohv_chan_set_drvdata(chan, NULL);
	kfree(c->rx);
	kfree(c);
}

static const struct ohv_provider ts_provider = {
	.name = "ohv_timesync",
	.class_id = OHV_TIMESYNC_CLASS_GUID,
	.max_ring_bytes = OHV_TIMESYNC_RING_BYTES,
	.open = ts_host_open,
	.close = ts_host_close,
	.rx = ts_host_rx,
	.cb_mode = OHV_CB_DIRECT,
	.owner = THIS_MODULE,
};

/* ---------------------------------------------------------------------- */
/* debugfs                                                                */
/* ---------------------------------------------------------------------- */

/*
 * A write to one of the partition's trigger files: @fn acts on the
 * connection if the guest has negotiated, else -ENOTCONN.
 */
static ssize_t ts_host_conn_write(struct file *file, size_t count,
				  void (*fn)(struct ts_host_conn *c))
{
	struct ts_host_part *part = file->private_data;
	int ret = -ENOTCONN;

	mutex_lock(&part->lock);
	/* fw and srv are set before negotiated and never change after. */
	if (part->conn && smp_load_acquire(&part->conn->negotiated)) {
		fn(part->conn);
		ret = 0;
	}
	mutex_unlock(&part->lock);
	return ret ? ret : count;
}

static void ts_host_queue_sync(struct ts_host_conn *c)
{
	queue_work(ts_wq, &c->sync_work);
}

static ssize_t ts_host_sync_now_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	return ts_host_conn_write(file, count, ts_host_queue_sync);
}

static void ts_host_inject(struct ts_host_conn *c, const u8 *b, u32 len)
{
	if (!ohv_chan_send(c->chan, b, len, 0, OHV_VMPKT_DATA_INBAND, 0))
		c->part->injected++;
}

/* Set the body size in the IC header of the message at @b. */
static void ts_host_set_icmsgsize(u8 *b, u16 size)
{
	struct ohv_icmsg_hdr hdr;

	memcpy(&hdr, b + sizeof(struct ohv_vmbuspipe_hdr), sizeof(hdr));
	hdr.icmsgsize = size;
	memcpy(b + sizeof(struct ohv_vmbuspipe_hdr), &hdr, sizeof(hdr));
}

/*
 * TEST ONLY: what a broken host could send. The guest must answer the
 * first three with E_FAIL and drop the last, counting all four:
 * a body size beyond the message, an unknown message type, a time body
 * shorter than its layout, and a packet too short for the headers.
 */
static void ts_host_inject_malformed(struct ts_host_conn *c)
{
	struct ohv_timesync_sample s = {
		.parenttime = OHV_ICTIMESYNC_EPOCH_DELTA,
		.flags = OHV_ICTIMESYNC_SAMPLE,
	};
	u8 b[TS_HOST_TX_BYTES];
	int len;

	len = ohv_timesync_encode(b, sizeof(b), 0xf0, c->fw, c->srv, &s);
	if (len < 0)
		return;
	ts_host_set_icmsgsize(b, 200);
	ts_host_inject(c, b, len);
	len = ohv_icmsg_init(b, sizeof(b), 9, c->fw, c->srv, 0xf1, 0);
	ts_host_inject(c, b, len);
	len = ohv_timesync_encode(b, sizeof(b), 0xf2, c->fw, c->srv, &s);
	ts_host_set_icmsgsize(b, 8);
	ts_host_inject(c, b, OHV_ICMSG_HDR_BYTES + 8);
	ts_host_inject(c, b, 12);
}

static ssize_t ts_host_inject_write(struct file *file,
				    const char __user *ubuf, size_t count,
				    loff_t *ppos)
{
	return ts_host_conn_write(file, count, ts_host_inject_malformed);
}

static const struct file_operations ts_host_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ts_host_inject_write,
	.llseek = noop_llseek,
};

static const struct file_operations ts_host_sync_now_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ts_host_sync_now_write,
	.llseek = noop_llseek,
};

static int ts_host_clock_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "%lld\n", ts_host_clock_ns(NULL));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ts_host_clock);

static int ts_host_stats_show(struct seq_file *s, void *unused)
{
	struct ts_host_part *part = s->private;

	seq_printf(s, "framework: %u.%u\n", part->fw.major, part->fw.minor);
	seq_printf(s, "service: %u.%u\n", part->srv.major, part->srv.minor);
	seq_printf(s, "opens: %llu\n", part->opens);
	seq_printf(s, "negotiations: %llu\n", part->negotiations);
	seq_printf(s, "no_common: %llu\n", part->no_common);
	seq_printf(s, "syncs: %llu\n", part->syncs);
	seq_printf(s, "samples: %llu\n", part->samples);
	seq_printf(s, "acks: %llu\n", part->acks);
	seq_printf(s, "nacks: %llu\n", part->nacks);
	seq_printf(s, "bad: %llu\n", part->bad);
	seq_printf(s, "send_errors: %llu\n", part->send_errors);
	seq_printf(s, "injected: %llu\n", part->injected);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ts_host_stats);

/* The directory @name under ohv_timesync_host/ with @part's files. */
static void ts_host_debugfs_create(struct ts_host_part *part,
				   const char *name)
{
	part->dbg = debugfs_create_dir(name, ts_dbg);
	debugfs_create_file("sync_now", 0200, part->dbg, part,
			    &ts_host_sync_now_fops);
	debugfs_create_u32("period_ms", 0644, part->dbg, &part->period_ms);
	debugfs_create_file("clock", 0444, part->dbg, part,
			    &ts_host_clock_fops);
	debugfs_create_file("stats", 0444, part->dbg, part,
			    &ts_host_stats_fops);
}

static void ts_host_debugfs_add(struct ts_host_part *part)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", part->id);
	ts_host_debugfs_create(part, name);
	debugfs_create_file("inject_malformed", 0200, part->dbg, part,
			    &ts_host_inject_fops);
}

/*
 * Instances the tools offer through configfs (the provider is registered
 * as "ohv_timesync"): each gets its own state and debugfs directory
 * ohv_timesync_host/<partition>-<instance GUID>/.
 */
static void *ts_host_instance_add(struct ohv_partition *p,
				  const guid_t *instance, u8 *user_def)
{
	struct ts_host_part *part;
	char name[48];

	part = kzalloc(sizeof(*part), GFP_KERNEL);
	if (!part)
		return ERR_PTR(-ENOMEM);
	part->id = ohv_partition_id(p);
	part->period_ms = sample_period_ms;
	mutex_init(&part->lock);
	snprintf(name, sizeof(name), "%u-%pUl", part->id, instance);
	ts_host_debugfs_create(part, name);
	return part;
}

static void ts_host_instance_remove(void *priv)
{
	struct ts_host_part *part = priv;

	debugfs_remove(part->dbg);
	mutex_destroy(&part->lock);
	kfree(part);
}

static struct ohv_provider_type ts_type = {
	.prov = &ts_provider,
	.instance_add = ts_host_instance_add,
	.instance_remove = ts_host_instance_remove,
};

/* ---------------------------------------------------------------------- */
/* Module                                                                 */
/* ---------------------------------------------------------------------- */

static void ts_host_rescind_all(void)
{
	unsigned int i;

	for (i = 0; i < nr_partitions; i++) {
		if (!ts_parts[i].chan)
			continue;
		ohv_host_rescind(ts_parts[i].chan);
		ts_parts[i].chan = NULL;
	}
}

static int ts_host_offer(struct ts_host_part *part)
{
	struct ohv_offer_params params = {
		/* Instance GUIDs differ in their first field. */
		.instance_id = GUID_INIT(0x75000000 + part->id, 0x0ab0, 0x4c1c,
					 0, 0, 0, 0, 0, 0, 0, 0),
		.priv = part,
	};
	struct ohv_partition *p;
	struct ohv_channel *chan;

	p = ohv_partition_get(part->id);
	if (!p)
		return -ENODEV;
	chan = ohv_host_offer(p, &ts_provider, &params);
	ohv_partition_put(p);
	if (IS_ERR(chan))
		return PTR_ERR(chan);
	part->chan = chan;
	return 0;
}

static void ts_host_pick_versions(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ohv_timesync_srv_versions); i++)
		if (ohv_timesync_srv_versions[i].major <= max_service_major)
			ts_srv_offer[ts_offer.nsrv++] =
				ohv_timesync_srv_versions[i];
}

static int __init ts_host_init(void)
{
	struct system_time_snapshot snap;
	unsigned int i;
	int ret;

	ts_host_pick_versions();
	if (!ts_offer.nsrv || nr_partitions > TS_HOST_MAX_PARTITIONS)
		return -EINVAL;
	ktime_get_snapshot(&snap);
	ts_base_real_ns = ktime_to_ns(snap.real);
	ts_base_raw_ns = ktime_to_ns(snap.raw);
	ts_wq = alloc_ordered_workqueue("ohv_timesync_host", 0);
	if (!ts_wq)
		return -ENOMEM;
	ts_dbg = debugfs_create_dir("ohv_timesync_host", NULL);
	ret = ohv_provider_register(&ts_type);
	if (ret) {
		debugfs_remove(ts_dbg);
		destroy_workqueue(ts_wq);
		return ret;
	}
	for (i = 0; i < nr_partitions; i++) {
		ts_parts[i].id = partitions[i];
		ts_parts[i].period_ms = sample_period_ms;
		mutex_init(&ts_parts[i].lock);
		ts_host_debugfs_add(&ts_parts[i]);
		ret = ts_host_offer(&ts_parts[i]);
		if (ret) {
			pr_err("partition %u: offer failed: %d\n",
			       partitions[i], ret);
			ts_host_rescind_all();
			ohv_provider_unregister(&ts_type);
			debugfs_remove(ts_dbg);
			destroy_workqueue(ts_wq);
			return ret;
		}
	}
	return 0;
}

static void __exit ts_host_exit(void)
{
	ohv_provider_unregister(&ts_type);
	ts_host_rescind_all();
	debugfs_remove(ts_dbg);
	destroy_workqueue(ts_wq);
}

module_init(ts_host_init);
module_exit(ts_host_exit);

MODULE_DESCRIPTION("ohv time-sync integration service provider (host side)");
MODULE_LICENSE("GPL");
