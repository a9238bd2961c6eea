// SPDX-License-Identifier: GPL-2.0
/*
 * ohv echo driver (guest side): binds to echo devices on ohvbus and lets
 * user space push data through the channel and back.
 *
 * debugfs, per device (ohv_echo/<device>/):
 *   data    write: the bytes are sent in packets of up to `chunk` bytes;
 *           the write returns once all of them came back
 *   stats   tx/rx bytes and packets, crc32 of the data sent and of the
 *           data echoed (zlib's crc32 of the whole stream), sequence
 *           errors, open sub-channels
 *   reset   write anything: zero the counters (no write may be running)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <ohv/vmbus.h>

#include "echo.h"

static unsigned int ring_kb = 512;
module_param(ring_kb, uint, 0444);
MODULE_PARM_DESC(ring_kb, "Ring data area per direction, KiB (4..16384)");

static unsigned int chunk = 16384;
module_param(chunk, uint, 0644);
MODULE_PARM_DESC(chunk, "Data bytes per echo packet (1..65536)");

#define ECHO_PKT_BYTES \
	(sizeof(struct ohv_vmpacket_desc) + sizeof(struct ohv_echo_hdr) + \
	 OHV_ECHO_MAX_DATA + 8)
#define ECHO_SUB_RING_BYTES	(16 * 1024)
/* A write gives up waiting for its echoes after this long. */
#define ECHO_DRAIN_TIMEOUT	(60 * HZ)

/**
 * struct echo_dev - one bound echo device
 * @chan: its primary channel
 * @tx_lock: one writer at a time; guards the tx_* fields and @txbuf
 * @txbuf: header and data of the packet being sent
 * @rxbuf: the packet being received (callback only)
 * @rx_wait: writers waiting for their echoes
 * @tx_seq: next sequence number to send
 * @rx_seq: next sequence number expected back
 * @tx_bytes: data bytes sent
 * @tx_packets: packets sent
 * @tx_crc: crc32 of the data sent
 * @rx_bytes: data bytes echoed back
 * @rx_packets: packets echoed back
 * @rx_crc: crc32 of the data echoed back
 * @errors: malformed or out-of-order echoes
 * @subs_open: sub-channels opened
 * @dbg: debugfs directory
 */
struct echo_dev {
	struct ohv_channel *chan;
	struct mutex tx_lock;		/* one writer; tx_* and txbuf */
	u8 *txbuf;
	u8 *rxbuf;
	wait_queue_head_t rx_wait;
	u32 tx_seq;
	u32 rx_seq;
	u64 tx_bytes;
	u64 tx_packets;
	u32 tx_crc;
	u64 rx_bytes;
	u64 rx_packets;
	u32 rx_crc;
	u64 errors;
	atomic_t subs_open;
	struct dentry *dbg;
};

static struct dentry *echo_dbg;

static void echo_rx_one(struct echo_dev *ed)
{
	const struct ohv_vmpacket_desc *d = (const void *)ed->rxbuf;
	const struct ohv_echo_hdr *h = ohv_vmpacket_payload(ed->rxbuf);
	u32 plen = ohv_vmpacket_payload_len(ed->rxbuf);
	u32 len;

	if (d->type != OHV_VMPKT_DATA_INBAND || plen < sizeof(*h)) {
		ed->errors++;
		return;
	}
	len = le32_to_cpu(h->len);
	if (len > plen - sizeof(*h) || le32_to_cpu(h->seq) != ed->rx_seq) {
		ed->errors++;
		return;
	}
	ed->rx_seq++;
	ed->rx_crc = crc32_le(ed->rx_crc, (const u8 *)(h + 1), len);
	ed->rx_packets++;
	WRITE_ONCE(ed->rx_bytes, ed->rx_bytes + len);
}

/* Batched mode: a tasklet with the host's interrupts masked. */
static void echo_rx(struct ohv_channel *chan, void *ctx)
{
	struct echo_dev *ed = ctx;
	u32 pktlen;

	while (!ohv_chan_recv(chan, ed->rxbuf, ECHO_PKT_BYTES, &pktlen))
		echo_rx_one(ed);
	wake_up(&ed->rx_wait);
}

static bool echo_drained(struct echo_dev *ed)
{
	return READ_ONCE(ed->rx_bytes) == ed->tx_bytes ||
	       READ_ONCE(ed->errors) || ohv_chan_is_rescinded(ed->chan);
}

static ssize_t echo_data_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct echo_dev *ed = file->private_data;
	struct ohv_echo_hdr *h = (void *)ed->txbuf;
	u32 max = clamp(READ_ONCE(chunk), 1U, (u32)OHV_ECHO_MAX_DATA);
	size_t done = 0;
	int ret = 0;

	mutex_lock(&ed->tx_lock);
	while (done < count) {
		u32 n = min_t(size_t, count - done, max);

		if (copy_from_user(h + 1, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		h->len = cpu_to_le32(n);
		h->seq = cpu_to_le32(ed->tx_seq);
		ret = ohv_chan_send_wait(ed->chan, h, sizeof(*h) + n,
					 ed->tx_seq, OHV_VMPKT_DATA_INBAND, 0);
		if (ret)
			break;
		ed->tx_seq++;
		ed->tx_crc = crc32_le(ed->tx_crc, (const u8 *)(h + 1), n);
		ed->tx_packets++;
		ed->tx_bytes += n;
		done += n;
	}
	if (!wait_event_timeout(ed->rx_wait, echo_drained(ed),
				ECHO_DRAIN_TIMEOUT) && !ret)
		ret = -ETIMEDOUT;
	if (!ret && READ_ONCE(ed->errors))
		ret = -EIO;
	mutex_unlock(&ed->tx_lock);
	/* Data that did not come back is an error, not a short write. */
	return ret ?: done;
}

static const struct file_operations echo_data_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = echo_data_write,
	.llseek = noop_llseek,
};

static ssize_t echo_reset_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct echo_dev *ed = file->private_data;

	mutex_lock(&ed->tx_lock);
	if (READ_ONCE(ed->rx_bytes) != ed->tx_bytes) {
		mutex_unlock(&ed->tx_lock);
		return -EBUSY;
	}
	ed->tx_bytes = 0;
	ed->tx_packets = 0;
	ed->tx_crc = ~0U;
	/* The receive side is idle: everything sent came back. */
	WRITE_ONCE(ed->rx_bytes, 0);
	ed->rx_packets = 0;
	ed->rx_crc = ~0U;
	ed->rx_seq = ed->tx_seq;
	ed->errors = 0;
	mutex_unlock(&ed->tx_lock);
	return count;
}

static const struct file_operations echo_reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = echo_reset_write,
	.llseek = noop_llseek,
};

static int echo_stats_show(struct seq_file *s, void *unused)
{
	struct echo_dev *ed = s->private;

	seq_printf(s, "tx_bytes: %llu\n", ed->tx_bytes);
	seq_printf(s, "tx_packets: %llu\n", ed->tx_packets);
	seq_printf(s, "tx_crc32: %08x\n", ~ed->tx_crc);
	seq_printf(s, "rx_bytes: %llu\n", READ_ONCE(ed->rx_bytes));
	seq_printf(s, "rx_packets: %llu\n", ed->rx_packets);
	seq_printf(s, "rx_crc32: %08x\n", ~ed->rx_crc);
	seq_printf(s, "errors: %llu\n", ed->errors);
	seq_printf(s, "subchannels: %d\n", atomic_read(&ed->subs_open));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(echo_stats);

/* Sub-channels carry no echo traffic; opening them is the point. */
static void echo_sub_rx(struct ohv_channel *chan, void *ctx)
{
	u8 buf[64];
	u32 pktlen;

	while (!ohv_chan_recv(chan, buf, sizeof(buf), &pktlen))
		;
}

static void echo_subchannel(struct ohv_channel *primary,
			    struct ohv_channel *sub)
{
	struct ohv_device *odev = ohv_chan_get_drvdata(primary);
	struct echo_dev *ed = dev_get_drvdata(&odev->dev);
	struct ohv_chan_open_params p = {
		.send_ring_bytes = ECHO_SUB_RING_BYTES,
		.recv_ring_bytes = ECHO_SUB_RING_BYTES,
		.callback = echo_sub_rx,
		.cb_mode = OHV_CB_BATCHED,
	};

	if (!ohv_chan_open(sub, &p))
		atomic_inc(&ed->subs_open);
}

static int echo_probe(struct ohv_device *odev, const struct ohv_device_id *id)
{
	u32 ring = clamp(ring_kb, 4U, 16384U) * 1024;
	struct ohv_chan_open_params p = {
		.send_ring_bytes = ring,
		.recv_ring_bytes = ring,
		.callback = echo_rx,
		.cb_mode = OHV_CB_BATCHED,
	};
	struct echo_dev *ed;
	int ret;

	ed = devm_kzalloc(&odev->dev, sizeof(*ed), GFP_KERNEL);
	if (!ed)
		return -ENOMEM;
	ed->txbuf = devm_kmalloc(&odev->dev, sizeof(struct ohv_echo_hdr) +
				 OHV_ECHO_MAX_DATA, GFP_KERNEL);
	ed->rxbuf = devm_kmalloc(&odev->dev, ECHO_PKT_BYTES, GFP_KERNEL);
	if (!ed->txbuf || !ed->rxbuf)
		return -ENOMEM;
	ed->chan = odev->channel;
	mutex_init(&ed->tx_lock);
	init_waitqueue_head(&ed->rx_wait);
	atomic_set(&ed->subs_open, 0);
	ed->tx_crc = ~0U;
	ed->rx_crc = ~0U;
	dev_set_drvdata(&odev->dev, ed);
	ohv_chan_set_drvdata(ed->chan, odev);
	ohv_chan_set_subchannel_cb(ed->chan, echo_subchannel);
	p.cb_ctx = ed;
	ret = ohv_chan_open(ed->chan, &p);
	if (ret) {
		dev_err(&odev->dev, "open failed: %d\n", ret);
		return ret;
	}
	ed->dbg = debugfs_create_dir(dev_name(&odev->dev), echo_dbg);
	debugfs_create_file("data", 0200, ed->dbg, ed, &echo_data_fops);
	debugfs_create_file("reset", 0200, ed->dbg, ed, &echo_reset_fops);
	debugfs_create_file("stats", 0444, ed->dbg, ed, &echo_stats_fops);
	return 0;
}

static void echo_remove(struct ohv_device *odev)
{
	struct echo_dev *ed = dev_get_drvdata(&odev->dev);

	/* Waits for running writes; a rescind makes them return. */
	debugfs_remove(ed->dbg);
	ohv_chan_close(ed->chan);
}

static const struct ohv_device_id echo_ids[] = {
	{ .guid = OHV_ECHO_CLASS_GUID },
	{ }
};

static struct ohv_driver echo_driver = {
	.name = "ohv_echo",
	.id_table = echo_ids,
	.probe = echo_probe,
	.remove = echo_remove,
};

static int __init echo_vsc_init(void)
{
	int ret;

	echo_dbg = debugfs_create_dir("ohv_echo", NULL);
	ret = ohv_driver_register(&echo_driver);
	if (ret)
		debugfs_remove(echo_dbg);
	return ret;
}

static void __exit echo_vsc_exit(void)
{
	ohv_driver_unregister(&echo_driver);
	debugfs_remove(echo_dbg);
}

module_init(echo_vsc_init);
module_exit(echo_vsc_exit);

MODULE_DESCRIPTION("ohv echo device driver (guest side)");
MODULE_LICENSE("GPL");
