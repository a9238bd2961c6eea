// SPDX-License-Identifier: GPL-2.0
/*
 * ohv time-sync driver (guest side): binds to the time-sync IC, answers
 * the host's messages, steps the clock on SYNC and exposes the host clock
 * as a PTP clock named "ohv_timesync" for chrony or phc2sys.
 *
 * The host sends its UTC time and, from service 4.0 on, the reference
 * time at which it read it. The last sample is kept as (host time,
 * reference time); the PTP clock reads it carried forward by the
 * reference counter, and fails with -ESTALE once the sample is older
 * than stale_after_s. The PTP clock cannot be set or adjusted.
 *
 * Every message is answered with the response flags: status OK when it
 * was understood, E_FAIL (and a counter) when it was not. A message too
 * short to carry its headers cannot be answered; it is only counted.
 *
 * debugfs, per device (ohv_timesync/<device>/stats): negotiated versions,
 * message counters, steps and the last step's size.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/ptp_clock_kernel.h>
#include <linux/seq_file.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/time64.h>
#include <linux/workqueue.h>

#include <ohv/vmbus.h>

#include "timesync.h"

static unsigned int step_threshold_ms = 1000;
module_param(step_threshold_ms, uint, 0644);
MODULE_PARM_DESC(step_threshold_ms,
		 "On SYNC, step the clock only if it is off by more than this (ms)");

static unsigned int stale_after_s = 600;
module_param(stale_after_s, uint, 0644);
MODULE_PARM_DESC(stale_after_s,
		 "PTP clock fails with -ESTALE once the last sample is this old (s)");

/* Reference counter ticks (100 ns) per second. */
#define TS_REF_PER_SEC		10000000LL

static const struct ohv_icmsg_versions ts_guest_versions = {
	.fw = ohv_icmsg_fw_versions,
	.nfw = ARRAY_SIZE(ohv_icmsg_fw_versions),
	.srv = ohv_timesync_srv_versions,
	.nsrv = ARRAY_SIZE(ohv_timesync_srv_versions),
};

/**
 * struct ts_guest - one bound time-sync device
 * @chan: its channel
 * @buf: the packet being handled; the response is built in place
 * @negotiated: a version pair was agreed on
 * @fw: negotiated framework version
 * @srv: negotiated service version
 * @lock: guards the sample fields against the PTP clock's readers
 * @have_sample: a sample arrived since the device was bound
 * @host_t100: host UTC of the last sample, 100 ns since 1601
 * @ref: reference time of @host_t100, 100 ns units
 * @step_work: steps the clock after a SYNC
 * @info: the PTP clock's operations
 * @ptp: the PTP clock
 * @dbg: debugfs directory
 * @syncs: SYNC messages taken
 * @samples: SAMPLE messages taken
 * @probes: messages with neither flag
 * @negotiations: version offers answered with a choice
 * @no_common: version offers without a common pair
 * @malformed: messages answered with E_FAIL, or dropped, as malformed
 * @unnegotiated: time messages before any negotiation (answered E_FAIL)
 * @send_errors: answers that could not be sent
 * @steps: times the clock was stepped
 * @not_stepped: SYNCs within the step threshold
 * @last_step_ns: the last step, host minus guest
 */
struct ts_guest {
	struct ohv_channel *chan;
	u8 *buf;
	bool negotiated;
	struct ohv_ic_version fw;
	struct ohv_ic_version srv;
	seqlock_t lock;		/* guards the sample */
	bool have_sample;
	u64 host_t100;
	u64 ref;
	struct work_struct step_work;
	struct ptp_clock_info info;
	struct ptp_clock *ptp;
	struct dentry *dbg;
	u64 syncs;
	u64 samples;
	u64 probes;
	u64 negotiations;
	u64 no_common;
	u64 malformed;
	u64 unnegotiated;
	u64 send_errors;
	u64 steps;
	u64 not_stepped;
	s64 last_step_ns;
};

static struct dentry *ts_dbg;

/* ---------------------------------------------------------------------- */
/* The host clock, carried forward                                        */
/* ---------------------------------------------------------------------- */

/* Host time now, from the last sample; -ESTALE without a recent one. */
static int ts_guest_host_now(struct ts_guest *ts, struct timespec64 *now)
{
	s64 ns, delta, delta_ns;
	unsigned int seq;
	bool have;
	u64 t100, ref;

	do {
		seq = read_seqbegin(&ts->lock);
		have = ts->have_sample;
		t100 = ts->host_t100;
		ref = ts->ref;
	} while (read_seqretry(&ts->lock, seq));
	if (!have)
		return -ESTALE;
	delta = (s64)(ohv_timesync_ref_now() - ref);
	if (delta > (s64)READ_ONCE(stale_after_s) * TS_REF_PER_SEC)
		return -ESTALE;
	if (ohv_timesync_to_unix_ns(t100, &ns) ||
	    check_mul_overflow(delta, 100LL, &delta_ns) ||
	    check_add_overflow(ns, delta_ns, &ns) || ns < 0)
		return -ERANGE;
	*now = ns_to_timespec64(ns);
	return 0;
}

static void ts_guest_step_work(struct work_struct *work)
{
	struct ts_guest *ts = container_of(work, struct ts_guest, step_work);
	struct timespec64 host, guest;
	s64 diff;
	int ret;

	ret = ts_guest_host_now(ts, &host);
	if (!ret) {
		ktime_get_real_ts64(&guest);
		diff = timespec64_to_ns(&host) - timespec64_to_ns(&guest);
		if (abs(diff) <= (s64)READ_ONCE(step_threshold_ms) *
				 NSEC_PER_MSEC) {
			ts->not_stepped++;
			return;
		}
		ret = do_settimeofday64(&host);
	}
	if (ret) {
		pr_warn_ratelimited("cannot step the clock: %d\n", ret);
		return;
	}
	ts->steps++;
	ts->last_step_ns = diff;
	pr_info("clock stepped by %lld ns to the host's\n", diff);
}

static int ts_ptp_gettime(struct ptp_clock_info *info, struct timespec64 *ts)
{
	return ts_guest_host_now(container_of(info, struct ts_guest, info), ts);
}

static int ts_ptp_settime(struct ptp_clock_info *info,
			  const struct timespec64 *ts)
{
	return -EOPNOTSUPP;
}

static int ts_ptp_adjfine(struct ptp_clock_info *info, long scaled_ppm)
{
	return -EOPNOTSUPP;
}

static int ts_ptp_adjtime(struct ptp_clock_info *info, s64 delta)
{
	return -EOPNOTSUPP;
}

static int ts_ptp_enable(struct ptp_clock_info *info,
			 struct ptp_clock_request *rq, int on)
{
	return -EOPNOTSUPP;
}

static const struct ptp_clock_info ts_ptp_info = {
	.owner = THIS_MODULE,
	.name = "ohv_timesync",
	.gettime64 = ts_ptp_gettime,
	.settime64 = ts_ptp_settime,
	.adjfine = ts_ptp_adjfine,
	.adjtime = ts_ptp_adjtime,
	.enable = ts_ptp_enable,
};

/* ---------------------------------------------------------------------- */
/* Messages                                                               */
/* ---------------------------------------------------------------------- */

static void ts_guest_take_sample(struct ts_guest *ts,
				 const struct ohv_timesync_sample *s)
{
	/* Without the host's reference time, arrival is the best guess. */
	u64 ref = s->has_reftime ? s->reftime : ohv_timesync_ref_now();

	write_seqlock(&ts->lock);
	ts->host_t100 = s->parenttime;
	ts->ref = ref;
	ts->have_sample = true;
	write_sequnlock(&ts->lock);

	if (s->flags & OHV_ICTIMESYNC_SYNC) {
		ts->syncs++;
		schedule_work(&ts->step_work);
	} else if (s->flags & OHV_ICTIMESYNC_SAMPLE) {
		ts->samples++;
	} else {
		ts->probes++;
	}
}

/* A time message; returns the status to answer with. */
static u32 ts_guest_timesync(struct ts_guest *ts, const struct ohv_icmsg *msg)
{
	struct ohv_timesync_sample s;

	if (!ts->negotiated) {
		ts->unnegotiated++;
		pr_warn_ratelimited("time message before negotiation\n");
		return OHV_IC_E_FAIL;
	}
	if (ohv_timesync_decode(msg, ts->srv, &s)) {
		ts->malformed++;
		pr_warn_ratelimited("malformed time message\n");
		return OHV_IC_E_FAIL;
	}
	ts_guest_take_sample(ts, &s);
	return OHV_IC_S_OK;
}

/* A version offer; answers in place and returns the answer's length. */
static int ts_guest_negotiate(struct ts_guest *ts, u8 *p, u32 room,
			      const struct ohv_icmsg *msg)
{
	int ret;

	ret = ohv_icmsg_negotiate_answer(p, room, msg, &ts_guest_versions,
					 &ts->fw, &ts->srv);
	if (ret == -ENOSPC) {
		ts->malformed++;
		return ret;
	}
	if (ret == -EPROTONOSUPPORT) {
		ts->no_common++;
		pr_warn_ratelimited("host offers no supported version\n");
	} else if (ret) {
		ts->malformed++;
		pr_warn_ratelimited("malformed version offer\n");
	} else {
		ts->negotiated = true;
		ts->negotiations++;
	}
	return OHV_ICMSG_NEGOTIATE_RESP_BYTES;
}

/* Answer with E_FAIL and an empty body. */
static int ts_guest_refuse(struct ts_guest *ts, u8 *p, u32 room,
			   const struct ohv_icmsg *msg)
{
	ts->malformed++;
	return ohv_icmsg_make_response(p, room, msg, OHV_IC_E_FAIL, 0);
}

static void ts_guest_rx_one(struct ts_guest *ts)
{
	const struct ohv_vmpacket_desc *d = (const void *)ts->buf;
	u32 plen = ohv_vmpacket_payload_len(ts->buf);
	u32 off = d->offset8 * 8;
	u32 room = OHV_TIMESYNC_PKT_BYTES - off;
	u8 *p = ts->buf + off;
	struct ohv_icmsg msg;
	int len;

	if (d->type != OHV_VMPKT_DATA_INBAND || plen < OHV_ICMSG_HDR_BYTES) {
		ts->malformed++;
		pr_warn_ratelimited("dropped a packet that cannot be answered\n");
		return;
	}
	if (ohv_icmsg_parse(p, plen, &msg)) {
		pr_warn_ratelimited("malformed IC header\n");
		len = ts_guest_refuse(ts, p, room, &msg);
	} else if (msg.hdr.icmsgtype == OHV_ICMSGTYPE_NEGOTIATE) {
		len = ts_guest_negotiate(ts, p, room, &msg);
	} else if (msg.hdr.icmsgtype == OHV_ICMSGTYPE_TIMESYNC) {
		len = ohv_icmsg_make_response(p, room, &msg,
					      ts_guest_timesync(ts, &msg),
					      msg.body_len);
	} else {
		pr_warn_ratelimited("IC message of type %u\n",
				    msg.hdr.icmsgtype);
		len = ts_guest_refuse(ts, p, room, &msg);
	}
	if (len < 0)
		return;
	if (ohv_chan_send(ts->chan, p, len, d->trans_id,
			  OHV_VMPKT_DATA_INBAND, 0))
		ts->send_errors++;
}

/* Batched mode: a tasklet with the host's interrupts masked. */
static void ts_guest_rx(struct ohv_channel *chan, void *ctx)
{
	struct ts_guest *ts = ctx;
	u32 pktlen;
	int ret;

	while (!(ret = ohv_chan_recv(chan, ts->buf, OHV_TIMESYNC_PKT_BYTES,
				     &pktlen)))
		ts_guest_rx_one(ts);
	if (ret != -EAGAIN)
		pr_warn_ratelimited("receive failed: %d\n", ret);
}

/* ---------------------------------------------------------------------- */
/* Device                                                                 */
/* ---------------------------------------------------------------------- */

static int ts_guest_stats_show(struct seq_file *s, void *unused)
{
	struct ts_guest *ts = s->private;

	seq_printf(s, "framework: %u.%u\n", ts->fw.major, ts->fw.minor);
	seq_printf(s, "service: %u.%u\n", ts->srv.major, ts->srv.minor);
	seq_printf(s, "ptp_index: %d\n", ptp_clock_index(ts->ptp));
	seq_printf(s, "negotiations: %llu\n", ts->negotiations);
	seq_printf(s, "no_common: %llu\n", ts->no_common);
	seq_printf(s, "syncs: %llu\n", ts->syncs);
	seq_printf(s, "samples: %llu\n", ts->samples);
	seq_printf(s, "probes: %llu\n", ts->probes);
	seq_printf(s, "malformed: %llu\n", ts->malformed);
	seq_printf(s, "unnegotiated: %llu\n", ts->unnegotiated);
	seq_printf(s, "send_errors: %llu\n", ts->send_errors);
	seq_printf(s, "steps: %llu\n", ts->steps);
	seq_printf(s, "not_stepped: %llu\n", ts->not_stepped);
	seq_printf(s, "last_step_ns: %lld\n", ts->last_step_ns);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ts_guest_stats);

static int ts_guest_probe(struct ohv_device *odev,
			  const struct ohv_device_id *id)
{
	struct ohv_chan_open_params p = {
		.send_ring_bytes = OHV_TIMESYNC_RING_BYTES,
		.recv_ring_bytes = OHV_TIMESYNC_RING_BYTES,
		.callback = ts_guest_rx,
		.cb_mode = OHV_CB_BATCHED,
	};
	struct ts_guest *ts;
	int ret;

	ts = devm_kzalloc(&odev->dev, sizeof(*ts), GFP_KERNEL);
	if (!ts)
		return -ENOMEM;
	ts->buf = devm_kmalloc(&odev->dev, OHV_TIMESYNC_PKT_BYTES, GFP_KERNEL);
	if (!ts->buf)
		return -ENOMEM;
	ts->chan = odev->channel;
	seqlock_init(&ts->lock);
	INIT_WORK(&ts->step_work, ts_guest_step_work);
	ts->info = ts_ptp_info;
	ts->ptp = ptp_clock_register(&ts->info, &odev->dev);
	if (IS_ERR_OR_NULL(ts->ptp)) {
		dev_err(&odev->dev, "no PTP clock: %ld\n", PTR_ERR(ts->ptp));
		return ts->ptp ? PTR_ERR(ts->ptp) : -ENODEV;
	}
	dev_set_drvdata(&odev->dev, ts);
	p.cb_ctx = ts;
	ret = ohv_chan_open(ts->chan, &p);
	if (ret) {
		dev_err(&odev->dev, "open failed: %d\n", ret);
		ptp_clock_unregister(ts->ptp);
		return ret;
	}
	ts->dbg = debugfs_create_dir(dev_name(&odev->dev), ts_dbg);
	debugfs_create_file("stats", 0444, ts->dbg, ts, &ts_guest_stats_fops);
	return 0;
}

static void ts_guest_remove(struct ohv_device *odev)
{
	struct ts_guest *ts = dev_get_drvdata(&odev->dev);

	debugfs_remove(ts->dbg);
	/* No callback runs after the close, so none queues a step. */
	ohv_chan_close(ts->chan);
	cancel_work_sync(&ts->step_work);
	ptp_clock_unregister(ts->ptp);
}

static const struct ohv_device_id ts_guest_ids[] = {
	{ .guid = OHV_TIMESYNC_CLASS_GUID },
	{ }
};

static struct ohv_driver ts_guest_driver = {
	.name = "ohv_timesync",
	.id_table = ts_guest_ids,
	.probe = ts_guest_probe,
	.remove = ts_guest_remove,
};

static int __init ts_guest_init(void)
{
	int ret;

	ts_dbg = debugfs_create_dir("ohv_timesync", NULL);
	ret = ohv_driver_register(&ts_guest_driver);
	if (ret)
		debugfs_remove(ts_dbg);
	return ret;
}

static void __exit ts_guest_exit(void)
{
	ohv_driver_unregister(&ts_guest_driver);
	debugfs_remove(ts_dbg);
}

module_init(ts_guest_init);
module_exit(ts_guest_exit);

MODULE_DESCRIPTION("ohv time-sync integration service driver (guest side)");
MODULE_LICENSE("GPL");
