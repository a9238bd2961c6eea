// SPDX-License-Identifier: GPL-2.0
/*
 * ohv echo provider (host side): offers echo devices to a partition and
 * sends every packet the guest writes straight back.
 *
 * Packets are handled in process context: the channel callback (direct
 * mode) only queues the channel's work, which drains the ring and echoes
 * with ohv_chan_send_wait(), so a full guest ring makes it sleep instead
 * of spinning.
 *
 * The provider is registered as "ohv_echo", so the tools can offer more
 * instances to any partition through configfs (drivers/vmbus/README.md);
 * `instances` are offered to `partition` at load as before (0: none).
 *
 * debugfs: ohv_echo_vsp/<instance>/stats: packets, bytes, crc32 (as
 * zlib computes it) of all data received since the channel was last
 * opened, and open count. <instance> is the index for the instances
 * offered at load and the instance GUID for those offered through
 * configfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <ohv/vmbus.h>

#include "echo.h"

static unsigned int partition;
module_param(partition, uint, 0444);
MODULE_PARM_DESC(partition, "Partition to offer the echo devices to");

static unsigned int instances = 1;
module_param(instances, uint, 0444);
MODULE_PARM_DESC(instances, "Echo devices to offer at load (0..16)");

static unsigned int subchannels;
module_param(subchannels, uint, 0444);
MODULE_PARM_DESC(subchannels, "Sub-channels to offer once a primary opens");

#define ECHO_MAX_INSTANCES	16
#define ECHO_PKT_BYTES \
	(sizeof(struct ohv_vmpacket_desc) + sizeof(struct ohv_echo_hdr) + \
	 OHV_ECHO_MAX_DATA + 8)

/**
 * struct echo_inst - one offered echo device
 * @chan: the offered primary channel
 * @dbg: its debugfs directory
 * @opens: times the guest opened it
 * @packets: data packets echoed since the last open
 * @bytes: data bytes echoed since the last open
 * @crc: crc32 of those bytes
 */
struct echo_inst {
	struct ohv_channel *chan;
	struct dentry *dbg;
	u64 opens;
	u64 packets;
	u64 bytes;
	u32 crc;
};

/**
 * struct echo_chan - state of one open channel
 * @chan: the channel
 * @inst: the device it belongs to; only the primary counts into it
 * @work: drains the ring and echoes
 * @buf: one packet, as read off the ring
 */
struct echo_chan {
	struct ohv_channel *chan;
	struct echo_inst *inst;
	struct work_struct work;
	u8 *buf;
};

static struct echo_inst echo_insts[ECHO_MAX_INSTANCES];
static struct dentry *echo_dbg;

static int echo_one(struct echo_chan *ec, u32 pktlen)
{
	const struct ohv_vmpacket_desc *d = (const void *)ec->buf;
	const struct ohv_echo_hdr *h = ohv_vmpacket_payload(ec->buf);
	u32 plen = ohv_vmpacket_payload_len(ec->buf);
	u32 len;

	if (d->type != OHV_VMPKT_DATA_INBAND || plen < sizeof(*h))
		return -EBADMSG;
	len = le32_to_cpu(h->len);
	if (len > plen - sizeof(*h) || len > OHV_ECHO_MAX_DATA)
		return -EBADMSG;
	if (ec->inst) {
		ec->inst->crc = crc32_le(ec->inst->crc, (const u8 *)(h + 1), len);
		ec->inst->bytes += len;
		ec->inst->packets++;
	}
	return ohv_chan_send_wait(ec->chan, h, sizeof(*h) + len, d->trans_id,
				  OHV_VMPKT_DATA_INBAND, 0);
}

static void echo_work(struct work_struct *work)
{
	struct echo_chan *ec = container_of(work, struct echo_chan, work);
	u32 pktlen;
	int ret;

	for (;;) {
		ohv_chan_rx_mask(ec->chan);
		while (!(ret = ohv_chan_recv(ec->chan, ec->buf, ECHO_PKT_BYTES,
					     &pktlen))) {
			ret = echo_one(ec, pktlen);
			if (ret == -EBADMSG)
				pr_warn_ratelimited("relid %u: bad echo packet\n",
						    ohv_chan_relid(ec->chan));
			else if (ret)
				return;
		}
		if (ret != -EAGAIN || ohv_chan_rx_unmask(ec->chan))
			return;
	}
}

/* Direct mode: runs in the signal's context, so only kick the work. */
static void echo_rx(struct ohv_channel *chan, void *ctx)
{
	struct echo_chan *ec = ctx;

	queue_work(system_unbound_wq, &ec->work);
}

static int echo_open(struct ohv_channel *chan, const u8 *userdata)
{
	struct echo_inst *inst = ohv_host_offer_priv(chan);
	struct echo_chan *ec;

	ec = kzalloc(sizeof(*ec), GFP_KERNEL);
	if (!ec)
		return -ENOMEM;
	ec->buf = kvmalloc(ECHO_PKT_BYTES, GFP_KERNEL);
	if (!ec->buf) {
		kfree(ec);
		return -ENOMEM;
	}
	ec->chan = chan;
	INIT_WORK(&ec->work, echo_work);
	if (!ohv_chan_subchannel_index(chan)) {
		ec->inst = inst;
		inst->opens++;
		inst->packets = 0;
		inst->bytes = 0;
		inst->crc = ~0U;
		if (subchannels)
			ohv_host_offer_subchannels(chan, subchannels);
	}
	ohv_chan_set_drvdata(chan, ec);
	return 0;
}

static void echo_close(struct ohv_channel *chan)
{
	struct echo_chan *ec = ohv_chan_get_drvdata(chan);

	cancel_work_sync(&ec->work);
	ohv_chan_set_drvdata(chan, NULL);
	kvfree(ec->buf);
	kfree(ec);
}

static const struct ohv_provider echo_provider = {
	.name = "ohv_echo",
	.class_id = OHV_ECHO_CLASS_GUID,
	.max_ring_bytes = 16 << 20,
	.open = echo_open,
	.close = echo_close,
	.rx = echo_rx,
	.cb_mode = OHV_CB_DIRECT,
	.owner = THIS_MODULE,
};

static int echo_stats_show(struct seq_file *s, void *unused)
{
	struct echo_inst *inst = s->private;

	seq_printf(s, "opens: %llu\n", inst->opens);
	seq_printf(s, "packets: %llu\n", inst->packets);
	seq_printf(s, "bytes: %llu\n", inst->bytes);
	seq_printf(s, "crc32: %08x\n", ~inst->crc);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(echo_stats);

/* An instance the tools offer through configfs gets its own state. */
static void *echo_instance_add(struct ohv_partition *part,
			       const guid_t *instance, u8 *user_def)
{
	struct echo_inst *inst;
	char name[UUID_STRING_LEN + 1];

	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		return ERR_PTR(-ENOMEM);
	snprintf(name, sizeof(name), "%pUl", instance);
	inst->dbg = debugfs_create_dir(name, echo_dbg);
	debugfs_create_file("stats", 0444, inst->dbg, inst, &echo_stats_fops);
	return inst;
}

static void echo_instance_remove(void *priv)
{
	struct echo_inst *inst = priv;

	debugfs_remove(inst->dbg);
	kfree(inst);
}

static struct ohv_provider_type echo_type = {
	.prov = &echo_provider,
	.instance_add = echo_instance_add,
	.instance_remove = echo_instance_remove,
};

static void echo_rescind_all(void)
{
	unsigned int i;

	for (i = 0; i < ECHO_MAX_INSTANCES; i++) {
		if (!echo_insts[i].chan)
			continue;
		ohv_host_rescind(echo_insts[i].chan);
		echo_insts[i].chan = NULL;
	}
}

static int __init echo_vsp_init(void)
{
	struct ohv_offer_params params = {};
	struct ohv_partition *part;
	struct ohv_channel *chan;
	unsigned int i;
	char name[16];
	int ret;

	if (instances > ECHO_MAX_INSTANCES || subchannels > OHV_MAX_SUBCHANNELS)
		return -EINVAL;
	echo_dbg = debugfs_create_dir("ohv_echo_vsp", NULL);
	ret = ohv_provider_register(&echo_type);
	if (ret) {
		debugfs_remove(echo_dbg);
		return ret;
	}
	if (!instances)
		return 0;
	part = ohv_partition_get(partition);
	if (!part) {
		ohv_provider_unregister(&echo_type);
		debugfs_remove(echo_dbg);
		return -ENODEV;
	}
	for (i = 0; i < instances; i++) {
		/* Instance GUIDs differ in their first byte. */
		params.instance_id = GUID_INIT(0xec400000 + i, 0, 0, 0, 0, 0,
					       0, 0, 0, 0, 0);
		params.priv = &echo_insts[i];
		chan = ohv_host_offer(part, &echo_provider, &params);
		if (IS_ERR(chan)) {
			echo_rescind_all();
			ohv_provider_unregister(&echo_type);
			debugfs_remove(echo_dbg);
			ohv_partition_put(part);
			return PTR_ERR(chan);
		}
		echo_insts[i].chan = chan;
		snprintf(name, sizeof(name), "%u", i);
		echo_insts[i].dbg = debugfs_create_dir(name, echo_dbg);
		debugfs_create_file("stats", 0444, echo_insts[i].dbg,
				    &echo_insts[i], &echo_stats_fops);
	}
	ohv_partition_put(part);
	return 0;
}

static void __exit echo_vsp_exit(void)
{
	ohv_provider_unregister(&echo_type);
	echo_rescind_all();
	debugfs_remove(echo_dbg);
}

module_init(echo_vsp_init);
module_exit(echo_vsp_exit);

MODULE_DESCRIPTION("ohv echo device provider (host side)");
MODULE_LICENSE("GPL");
