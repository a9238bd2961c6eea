// SPDX-License-Identifier: GPL-2.0
/*
 * ohv_vmbus_stress.ko: offer/open/close/rescind cycles on a loopback
 * partition, with rescinds raced against the guest's open and against
 * I/O in both directions. The module is a provider and a guest driver at
 * once. It runs `cycles` cycles at load and fails to load (-EIO or
 * -ETIMEDOUT) if any cycle leaves a channel behind, the protocol counted a
 * bad message, or a step did not finish in time; a hang shows as a load
 * that never returns.
 *
 * Cycle kinds, by cycle number modulo 4:
 *   0  open, I/O, two sub-channels, rescind while traffic flows
 *   1  rescind at once, racing the guest's offer handling and probe
 *   2  rescind after a random delay of up to 3 ms: lands anywhere in
 *      probe, GPADL setup, open or I/O
 *   3  open, close, reopen, I/O, then rescind
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/random.h>

#include "core.h"

static unsigned int cycles = 10000;
module_param(cycles, uint, 0444);
MODULE_PARM_DESC(cycles, "Offer/open/close/rescind cycles to run at load");

static unsigned int partition;
module_param(partition, uint, 0444);
MODULE_PARM_DESC(partition, "Loopback partition to use");

#define STRESS_STEP_TIMEOUT_MS	10000

static const guid_t stress_class =
	GUID_INIT(0x4f68c0de, 0x5e55, 0x4e1b,
		  0x9a, 0x37, 0x6f, 0x68, 0x76, 0x73, 0x74, 0x72);

static atomic_t probes_done;	/* guest probes that finished their I/O */
/* Per cycle kind: cycles run, total and longest time, for the log. */
static u64 kind_cycles[4], kind_ns[4], kind_max_ns[4];
static atomic_t host_rx;	/* packets the provider received */
static unsigned int cur_cycle;	/* the cycle being run */

static const struct ohv_chan_open_params stress_rings_tmpl = {
	.send_ring_bytes = 2 * PAGE_SIZE,
	.recv_ring_bytes = 2 * PAGE_SIZE,
	.cb_mode = OHV_CB_BATCHED,
};

/* ---------------------------------------------------------------------- */
/* Host side                                                              */
/* ---------------------------------------------------------------------- */

static int stress_host_open(struct ohv_channel *chan, const u8 *userdata)
{
	if (!ohv_chan_subchannel_index(chan) && READ_ONCE(cur_cycle) % 8 == 0)
		ohv_host_offer_subchannels(chan, 2);
	return 0;
}

/* Echo what arrives, when it fits: traffic both ways during rescinds. */
static void stress_host_rx(struct ohv_channel *chan, void *ctx)
{
	u8 buf[256];
	u32 len;

	while (!ohv_chan_recv(chan, buf, sizeof(buf), &len)) {
		atomic_inc(&host_rx);
		ohv_chan_send(chan, ohv_vmpacket_payload(buf),
			      ohv_vmpacket_payload_len(buf), 0,
			      OHV_VMPKT_DATA_INBAND, 0);
	}
}

static const struct ohv_provider stress_provider = {
	.name = "ohv_stress",
	.class_id = stress_class,
	.open = stress_host_open,
	.rx = stress_host_rx,
	.cb_mode = OHV_CB_BATCHED,
	.owner = THIS_MODULE,
};

/* ---------------------------------------------------------------------- */
/* Guest side                                                             */
/* ---------------------------------------------------------------------- */

static void stress_guest_rx(struct ohv_channel *chan, void *ctx)
{
	u8 buf[256];
	u32 len;

	while (!ohv_chan_recv(chan, buf, sizeof(buf), &len))
		;
}

static void stress_send_some(struct ohv_channel *chan)
{
	u8 payload[64] = {};
	int i;

	for (i = 0; i < 8; i++)
		if (ohv_chan_send(chan, payload, sizeof(payload), i,
				  OHV_VMPKT_DATA_INBAND, 0) == -ENODEV)
			return;
}

static void stress_subchannel(struct ohv_channel *primary,
			      struct ohv_channel *sub)
{
	struct ohv_chan_open_params p = stress_rings_tmpl;

	p.callback = stress_guest_rx;
	if (!ohv_chan_open(sub, &p))
		stress_send_some(sub);
}

static int stress_probe(struct ohv_device *odev,
			const struct ohv_device_id *id)
{
	struct ohv_chan_open_params p = stress_rings_tmpl;
	int ret;

	p.callback = stress_guest_rx;
	ohv_chan_set_subchannel_cb(odev->channel, stress_subchannel);
	ret = ohv_chan_open(odev->channel, &p);
	if (!ret && READ_ONCE(cur_cycle) % 4 == 3) {
		ohv_chan_close(odev->channel);
		ret = ohv_chan_open(odev->channel, &p);
	}
	if (!ret)
		stress_send_some(odev->channel);
	atomic_inc(&probes_done);
	/* A rescind during probe is not an error of the driver. */
	return ret == -ENODEV ? 0 : ret;
}

static void stress_remove(struct ohv_device *odev)
{
	ohv_chan_close(odev->channel);
}

static const struct ohv_device_id stress_ids[] = {
	{ .guid = stress_class },
	{ }
};

static struct ohv_driver stress_driver = {
	.name = "ohv_stress",
	.id_table = stress_ids,
	.probe = stress_probe,
	.remove = stress_remove,
};

/* ---------------------------------------------------------------------- */
/* Cycles                                                                 */
/* ---------------------------------------------------------------------- */

static int stress_wait(bool (*cond)(struct ohv_conn *), struct ohv_conn *host)
{
	unsigned long end = jiffies + msecs_to_jiffies(STRESS_STEP_TIMEOUT_MS);

	while (!cond(host)) {
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		usleep_range(100, 300);
	}
	return 0;
}

static bool stress_all_gone(struct ohv_conn *host)
{
	return xa_empty(&host->chans) && xa_empty(&host->link->guest->chans);
}

static int stress_probed_target;

static bool stress_probed(struct ohv_conn *host)
{
	return atomic_read(&probes_done) >= stress_probed_target;
}

static int stress_cycle(struct ohv_partition *part, unsigned int i)
{
	struct ohv_offer_params p = {};
	struct ohv_channel *chan;
	int ret = 0;

	WRITE_ONCE(cur_cycle, i);
	p.instance_id.b[0] = i & 0xff;
	p.instance_id.b[1] = (i >> 8) & 0xff;
	stress_probed_target = atomic_read(&probes_done) + 1;
	chan = ohv_host_offer(part, &stress_provider, &p);
	if (IS_ERR(chan))
		return PTR_ERR(chan);
	switch (i % 4) {
	case 0:
	case 3:
		ret = stress_wait(stress_probed, &part->conn);
		break;
	case 1:
		break;
	case 2:
		usleep_range(1, 1 + get_random_u32() % 3000);
		break;
	}
	ohv_host_rescind(chan);
	if (!ret)
		ret = stress_wait(stress_all_gone, &part->conn);
	return ret;
}

static int __init stress_init(void)
{
	struct ohv_partition *part;
	struct ohv_conn *host, *guest;
	unsigned int i;
	int ret;

	part = ohv_partition_get(partition);
	if (!part)
		return -ENODEV;
	host = &part->conn;
	guest = host->link->guest;
	ret = ohv_driver_register(&stress_driver);
	if (ret)
		goto out;
	for (i = 0; i < cycles && !ret; i++) {
		u64 t0 = ktime_get_ns(), dt;

		ret = stress_cycle(part, i);
		dt = ktime_get_ns() - t0;
		kind_cycles[i % 4]++;
		kind_ns[i % 4] += dt;
		kind_max_ns[i % 4] = max(kind_max_ns[i % 4], dt);
		if (ret)
			pr_err("cycle %u (kind %u) failed: %d\n", i, i % 4, ret);
		else if (i && i % 1000 == 0)
			pr_info("%u cycles\n", i);
	}
	if (!ret && (atomic64_read(&host->stats.msgs_bad) ||
		     atomic64_read(&guest->stats.msgs_bad))) {
		pr_err("protocol errors: host %lld, guest %lld\n",
		       (long long)atomic64_read(&host->stats.msgs_bad),
		       (long long)atomic64_read(&guest->stats.msgs_bad));
		ret = -EIO;
	}
	pr_info("%u cycles done, %d probes, %d packets at the host: %d\n", i,
		atomic_read(&probes_done), atomic_read(&host_rx), ret);
	for (i = 0; i < 4; i++)
		if (kind_cycles[i])
			pr_info("kind %u: %llu cycles, mean %llu us, max %llu us\n",
				i, kind_cycles[i],
				div64_u64(kind_ns[i], kind_cycles[i]) / 1000,
				kind_max_ns[i] / 1000);
	ohv_driver_unregister(&stress_driver);
out:
	ohv_partition_put(part);
	return ret;
}

static void __exit stress_exit(void)
{
}

module_init(stress_init);
module_exit(stress_exit);

MODULE_DESCRIPTION("ohv VMBus offer/open/close/rescind stress");
MODULE_LICENSE("GPL");
