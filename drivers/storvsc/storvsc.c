// SPDX-License-Identifier: GPL-2.0
/*
 * ohv storvsc: the guest side of the synthetic SCSI controller, a SCSI
 * low-level driver on blk-mq.
 *
 * One SCSI host per controller. The primary channel runs the init
 * sequence (BEGIN_INIT, QUERY_PROTOCOL_VERSION 0x0602 then 0x0600 then
 * 0x0501, QUERY_PROPERTIES, END_INIT) and asks for sub-channels; each
 * channel is one blk-mq hardware queue. A command goes out on its
 * queue's channel as a GPA-direct packet whose one range lists the pages
 * of its scatterlist (the virt boundary keeps every element but the first
 * and last page-aligned), or in-band when it moves no data.
 *
 * Transaction ids: blk_mq_unique_tag() in the low 32 bits and the
 * command's issue generation above it, so a completion the host sends
 * after error handling gave the command up cannot complete its next use.
 * Control requests (init, resets) carry bit 63.
 *
 * Error handling maps abort and device reset to RESET_LUN and host reset
 * to RESET_BUS; the host finishes or aborts the LUN's commands before it
 * answers, so its pages are free when the midlayer reuses them.
 *
 * debugfs: ohv_storvsc/<device>/channels: per-channel I/O counters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_eh.h>
#include <scsi/scsi_host.h>
#include <scsi/scsi_tcq.h>

#include <ohv/ring.h>
#include <ohv/vmbus.h>
#include <ohv/wire/storvsc.h>

static int subchannels = -1;
module_param(subchannels, int, 0444);
MODULE_PARM_DESC(subchannels,
		 "Sub-channels to ask for (-1: one per online CPU beyond the first)");

static unsigned int io_timeout = 30;
module_param(io_timeout, uint, 0644);
MODULE_PARM_DESC(io_timeout, "SCSI command timeout, seconds");

static unsigned int ring_kb = 512;
module_param(ring_kb, uint, 0444);
MODULE_PARM_DESC(ring_kb, "Guest-to-host ring per channel, KiB (64..4096)");

#define VSC_MAX_XFER		(1024 * 1024)
#define VSC_MAX_PFNS		(VSC_MAX_XFER / OHV_HV_PAGE_SIZE + 1)
#define VSC_RECV_RING		(64 * 1024)
#define VSC_CAN_QUEUE		128
#define VSC_CTRL_TID		BIT_ULL(63)
#define VSC_CTRL_TIMEOUT	(30 * HZ)
#define VSC_SUB_TIMEOUT		(10 * HZ)
#define VSC_MAX_CHANNELS	OHV_MAX_SUBCHANNELS
#define VSC_RXBUF		256

/*
 * The SCSI host type, spelled through scsi_device so that its CamelCase
 * tag does not trip checkpatch --no-tree.
 */
#define vsc_shost_t typeof(*((struct scsi_device *)NULL)->host)

static struct dentry *vsc_dbg;

struct vsc_host;

/**
 * struct vsc_chan - one open channel (one hardware queue)
 * @chan: the channel
 * @h: the controller
 * @idx: its sub-channel index (0: primary)
 * @rxbuf: one packet (callback only)
 * @ios: commands sent
 * @bytes: data bytes of those commands
 * @done: commands completed by the host
 * @errors: completions that were not success
 * @busy: sends refused for lack of ring space
 * @bad: packets from the host that made no sense
 */
struct vsc_chan {
	struct ohv_channel *chan;
	struct vsc_host *h;
	u16 idx;
	u8 rxbuf[VSC_RXBUF];
	atomic64_t ios;
	atomic64_t bytes;
	atomic64_t done;
	atomic64_t errors;
	atomic64_t busy;
	atomic64_t bad;
};

/**
 * struct vsc_host - one controller (SCSI host private data)
 * @odev: the ohvbus device
 * @shost: the SCSI host
 * @chans: channels by sub-channel index
 * @nchans: hardware queues
 * @subs_open: sub-channels opened
 * @sub_lock: serialises sub-channel opens with removal
 * @sub_wait: probe waits here for sub-channels
 * @version: protocol version agreed
 * @max_transfer: host's transfer limit
 * @ctrl_mutex: one control request at a time
 * @ctrl_lock: guards @ctrl_tid and @ctrl_reply
 * @ctrl_tid: transaction id of the control request in flight
 * @ctrl_reply: its completion
 * @ctrl_done: signalled when it arrives
 * @ctrl_seq: control request counter
 * @scan_work: rescan after a host notification or an invalid LUN
 * @no_scan: removal started: no more rescans
 * @removing: fail new commands at once
 * @dma_parms: for the SCSI midlayer's segment limits
 * @dbg: debugfs directory
 * @resets: resets sent
 */
struct vsc_host {
	struct ohv_device *odev;
	vsc_shost_t *shost;
	struct vsc_chan *chans[VSC_MAX_CHANNELS];
	u32 nchans;
	atomic_t subs_open;
	struct mutex sub_lock;	/* sub-channel opens vs removal */
	wait_queue_head_t sub_wait;
	u16 version;
	u32 max_transfer;
	struct mutex ctrl_mutex;	/* one control request at a time */
	spinlock_t ctrl_lock;	/* ctrl_tid, ctrl_reply */
	u64 ctrl_tid;
	struct ohv_vstor_packet ctrl_reply;
	struct completion ctrl_done;
	u64 ctrl_seq;
	struct work_struct scan_work;
	bool no_scan;
	bool removing;
	struct device_dma_parameters dma_parms;
	struct dentry *dbg;
	atomic64_t resets;
};

/**
 * struct vsc_cmd - per-command driver data
 * @pkt: the request
 * @pfns: its pages
 * @gen: issue generation, in the transaction id
 * @on_wire: 1 while the host owns the command
 * @vc: the channel it went out on
 */
struct vsc_cmd {
	struct ohv_vstor_packet pkt;
	u64 pfns[VSC_MAX_PFNS];
	u32 gen;
	atomic_t on_wire;
	struct vsc_chan *vc;
};

static inline struct vsc_host *shost_to_vsc(vsc_shost_t *shost)
{
	return shost_priv(shost);
}

/* ------------------------------------------------------------------ */
/* Completions                                                         */
/* ------------------------------------------------------------------ */

static void vsc_kick_scan(struct vsc_host *h)
{
	if (!READ_ONCE(h->no_scan))
		schedule_work(&h->scan_work);
}

static void vsc_complete(struct vsc_chan *vc, struct scsi_cmnd *scmd,
			 const struct ohv_vstor_packet *vp)
{
	const struct ohv_vmscsi_request *srb = &vp->srb;
	u32 len = scsi_bufflen(scmd), done = 0;
	u8 ss = OHV_SRB_STATUS(srb->srb_status);

	atomic64_inc(&vc->done);
	if (vp->operation != OHV_VSTOR_OP_COMPLETE_IO) {
		atomic64_inc(&vc->bad);
		set_host_byte(scmd, DID_ERROR);
		goto out;
	}
	switch (ss) {
	case OHV_SRB_STATUS_SUCCESS:
	case OHV_SRB_STATUS_DATA_OVERRUN:
		scmd->result = srb->scsi_status;
		done = min(srb->data_transfer_length, len);
		break;
	case OHV_SRB_STATUS_INVALID_LUN:
		set_host_byte(scmd, DID_NO_CONNECT);
		vsc_kick_scan(vc->h);
		break;
	default:
		if (srb->scsi_status == SAM_STAT_CHECK_CONDITION &&
		    (srb->srb_status & OHV_SRB_STATUS_AUTOSENSE_VALID)) {
			u32 n = min3((u32)srb->sense_info_length,
				     (u32)OHV_VSTOR_SENSE_LEN,
				     (u32)SCSI_SENSE_BUFFERSIZE);

			memset(scmd->sense_buffer, 0, SCSI_SENSE_BUFFERSIZE);
			memcpy(scmd->sense_buffer, srb->sense_data, n);
			scmd->result = SAM_STAT_CHECK_CONDITION;
		} else if (srb->scsi_status) {
			scmd->result = srb->scsi_status;
		} else if (ss == OHV_SRB_STATUS_ABORTED) {
			set_host_byte(scmd, DID_ABORT);
		} else {
			set_host_byte(scmd, DID_ERROR);
		}
	}
out:
	if (scmd->result)
		atomic64_inc(&vc->errors);
	scsi_set_resid(scmd, len - done);
	scsi_done(scmd);
}

static void vsc_rx_one(struct vsc_chan *vc, u32 pktlen)
{
	const struct ohv_vmpacket_desc *d = (const void *)vc->rxbuf;
	struct vsc_host *h = vc->h;
	struct ohv_vstor_packet vp;
	struct scsi_cmnd *scmd;
	struct vsc_cmd *cmd;
	u64 tid = d->trans_id;

	if (ohv_vmpacket_payload_len(vc->rxbuf) < sizeof(vp)) {
		atomic64_inc(&vc->bad);
		return;
	}
	memcpy(&vp, ohv_vmpacket_payload(vc->rxbuf), sizeof(vp));
	if (!tid) {
		/* Host notification: the LUN set changed. */
		if (vp.operation == OHV_VSTOR_OP_ENUMERATE_BUS ||
		    vp.operation == OHV_VSTOR_OP_REMOVE_DEVICE)
			vsc_kick_scan(h);
		else
			atomic64_inc(&vc->bad);
		return;
	}
	if (tid & VSC_CTRL_TID) {
		spin_lock(&h->ctrl_lock);
		if (tid == h->ctrl_tid) {
			h->ctrl_reply = vp;
			h->ctrl_tid = 0;
			complete(&h->ctrl_done);
		} else {
			atomic64_inc(&vc->bad);
		}
		spin_unlock(&h->ctrl_lock);
		return;
	}
	scmd = scsi_host_find_tag(h->shost, (u32)tid);
	if (!scmd) {
		atomic64_inc(&vc->bad);
		return;
	}
	cmd = scsi_cmd_priv(scmd);
	/* A stale or duplicate completion: the command moved on. */
	if (READ_ONCE(cmd->gen) != (u32)(tid >> 32) ||
	    atomic_cmpxchg(&cmd->on_wire, 1, 0) != 1) {
		atomic64_inc(&vc->bad);
		return;
	}
	vsc_complete(vc, scmd, &vp);
}

/* Batched mode: a tasklet, the host's signals masked around us. */
static void vsc_rx(struct ohv_channel *chan, void *ctx)
{
	struct vsc_chan *vc = ctx;
	u32 pktlen;
	int ret;

	for (;;) {
		ret = ohv_chan_recv(chan, vc->rxbuf, sizeof(vc->rxbuf), &pktlen);
		if (ret == -ENOBUFS) {
			/* Larger than any completion: the host is broken. */
			atomic64_inc(&vc->bad);
			dev_err_ratelimited(&vc->h->odev->dev,
					    "oversized packet (%u bytes)\n",
					    pktlen);
			return;
		}
		if (ret)
			return;
		vsc_rx_one(vc, pktlen);
	}
}

/* ------------------------------------------------------------------ */
/* Control requests                                                    */
/* ------------------------------------------------------------------ */

/* Send @vp on the primary channel and wait for its completion into @vp. */
static int vsc_ctrl(struct vsc_host *h, struct ohv_vstor_packet *vp)
{
	struct ohv_channel *chan = h->odev->channel;
	unsigned long deadline = jiffies + VSC_CTRL_TIMEOUT;
	u64 tid;
	int ret;

	mutex_lock(&h->ctrl_mutex);
	tid = VSC_CTRL_TID | ++h->ctrl_seq;
	spin_lock_bh(&h->ctrl_lock);
	h->ctrl_tid = tid;
	reinit_completion(&h->ctrl_done);
	spin_unlock_bh(&h->ctrl_lock);
	vp->flags = OHV_VSTOR_FLAG_REQUEST_COMPLETION;
	ret = ohv_chan_send_wait(chan, vp, sizeof(*vp), tid,
				 OHV_VMPKT_DATA_INBAND,
				 OHV_VMPKT_FLAG_COMPLETION_REQUESTED);
	while (!ret && !wait_for_completion_timeout(&h->ctrl_done, HZ)) {
		if (ohv_chan_is_rescinded(chan))
			ret = -ENODEV;
		else if (time_after(jiffies, deadline))
			ret = -ETIMEDOUT;
	}
	spin_lock_bh(&h->ctrl_lock);
	h->ctrl_tid = 0;
	if (!ret)
		*vp = h->ctrl_reply;
	spin_unlock_bh(&h->ctrl_lock);
	mutex_unlock(&h->ctrl_mutex);
	if (!ret && vp->operation != OHV_VSTOR_OP_COMPLETE_IO)
		ret = -EPROTO;
	return ret;
}

static int vsc_ctrl_op(struct vsc_host *h, u32 op)
{
	struct ohv_vstor_packet vp = { .operation = op };
	int ret = vsc_ctrl(h, &vp);

	return ret ?: (vp.status ? -EIO : 0);
}

static int vsc_negotiate(struct vsc_host *h, u16 *max_subs)
{
	static const u16 versions[] = {
		OHV_VSTOR_VERSION_WIN10,
		OHV_VSTOR_VERSION_WIN8_1,
		OHV_VSTOR_VERSION_WIN8,
	};
	struct ohv_vstor_packet vp;
	unsigned int i;
	int ret;

	ret = vsc_ctrl_op(h, OHV_VSTOR_OP_BEGIN_INIT);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		memset(&vp, 0, sizeof(vp));
		vp.operation = OHV_VSTOR_OP_QUERY_PROTOCOL_VERSION;
		vp.version.major_minor = versions[i];
		ret = vsc_ctrl(h, &vp);
		if (ret)
			return ret;
		if (!vp.status) {
			h->version = versions[i];
			break;
		}
	}
	if (!h->version) {
		dev_err(&h->odev->dev, "host speaks none of our versions\n");
		return -EPROTO;
	}
	memset(&vp, 0, sizeof(vp));
	vp.operation = OHV_VSTOR_OP_QUERY_PROPERTIES;
	ret = vsc_ctrl(h, &vp);
	if (ret)
		return ret;
	if (vp.status)
		return -EIO;
	h->max_transfer = vp.props.max_transfer_bytes;
	*max_subs = (vp.props.flags & OHV_VSTOR_PROP_MULTI_CHANNEL) ?
		    vp.props.max_channel_cnt : 0;
	return vsc_ctrl_op(h, OHV_VSTOR_OP_END_INIT);
}

/* ------------------------------------------------------------------ */
/* I/O                                                                 */
/* ------------------------------------------------------------------ */

/* Pages of the scatterlist as one GPA range; 0 or -EINVAL. */
static int vsc_map(struct scsi_cmnd *scmd, struct vsc_cmd *cmd,
		   struct ohv_pkt_range *r)
{
	struct scatterlist *sg;
	u32 n = 0, i, len = scsi_bufflen(scmd);
	int k;

	sg = scsi_sglist(scmd);
	r->byte_offset = sg->offset & (OHV_HV_PAGE_SIZE - 1);
	r->byte_count = len;
	r->pfn_count = DIV_ROUND_UP(r->byte_offset + len, OHV_HV_PAGE_SIZE);
	if (r->pfn_count > VSC_MAX_PFNS)
		return -EINVAL;
	scsi_for_each_sg(scmd, sg, scsi_sg_count(scmd), k) {
		u64 pfn = page_to_pfn(sg_page(sg)) + (sg->offset >> PAGE_SHIFT);
		u32 pages = DIV_ROUND_UP((sg->offset & (PAGE_SIZE - 1)) +
					 sg->length, PAGE_SIZE);

		if (n + pages > r->pfn_count)
			return -EINVAL;
		for (i = 0; i < pages; i++)
			cmd->pfns[n++] = pfn + i;
	}
	if (n != r->pfn_count)
		return -EINVAL;
	r->pfns = cmd->pfns;
	return 0;
}

static int vsc_queuecommand(vsc_shost_t *shost, struct scsi_cmnd *scmd)
{
	struct vsc_host *h = shost_to_vsc(shost);
	struct vsc_cmd *cmd = scsi_cmd_priv(scmd);
	struct request *rq = scsi_cmd_to_rq(scmd);
	struct ohv_vmscsi_request *srb = &cmd->pkt.srb;
	u32 utag = blk_mq_unique_tag(rq);
	u16 hwq = blk_mq_unique_tag_to_hwq(utag);
	struct ohv_pkt_range range;
	struct vsc_chan *vc;
	u64 tid;
	int ret;

	vc = hwq < VSC_MAX_CHANNELS ? READ_ONCE(h->chans[hwq]) : NULL;
	if (!vc)
		vc = h->chans[0];
	if (READ_ONCE(h->removing) || scmd->cmd_len > OHV_VSTOR_MAX_CDB_LEN) {
		set_host_byte(scmd, READ_ONCE(h->removing) ? DID_NO_CONNECT :
							      DID_ERROR);
		scsi_done(scmd);
		return 0;
	}
	memset(&cmd->pkt, 0, sizeof(cmd->pkt));
	cmd->pkt.operation = OHV_VSTOR_OP_EXECUTE_SRB;
	cmd->pkt.flags = OHV_VSTOR_FLAG_REQUEST_COMPLETION;
	srb->length = sizeof(*srb);
	srb->port_number = shost->host_no;
	srb->path_id = scmd->device->channel;
	srb->target_id = scmd->device->id;
	srb->lun = scmd->device->lun;
	srb->cdb_length = scmd->cmd_len;
	memcpy(srb->cdb, scmd->cmnd, scmd->cmd_len);
	srb->sense_info_length = OHV_VSTOR_SENSE_LEN;
	srb->data_transfer_length = scsi_bufflen(scmd);
	srb->time_out_value = rq->timeout / HZ;
	switch (scmd->sc_data_direction) {
	case DMA_TO_DEVICE:
		srb->data_in = OHV_SRB_DATA_WRITE;
		srb->srb_flags = OHV_SRB_FLAGS_DATA_OUT;
		break;
	case DMA_FROM_DEVICE:
		srb->data_in = OHV_SRB_DATA_READ;
		srb->srb_flags = OHV_SRB_FLAGS_DATA_IN;
		break;
	default:
		srb->data_in = OHV_SRB_DATA_NONE;
		srb->srb_flags = OHV_SRB_FLAGS_NO_DATA_TRANSFER;
	}
	srb->srb_flags |= OHV_SRB_FLAGS_DISABLE_SYNCH_TRANSFER;
	cmd->vc = vc;
	cmd->gen = (cmd->gen + 1) & 0x7fffffff;
	tid = (u64)cmd->gen << 32 | utag;
	if (scsi_bufflen(scmd) && vsc_map(scmd, cmd, &range)) {
		set_host_byte(scmd, DID_ERROR);
		scsi_done(scmd);
		return 0;
	}
	atomic_set(&cmd->on_wire, 1);
	if (scsi_bufflen(scmd))
		ret = ohv_chan_send_gpa(vc->chan, &range, 1, &cmd->pkt,
					sizeof(cmd->pkt), tid);
	else
		ret = ohv_chan_send(vc->chan, &cmd->pkt, sizeof(cmd->pkt), tid,
				    OHV_VMPKT_DATA_INBAND,
				    OHV_VMPKT_FLAG_COMPLETION_REQUESTED);
	if (!ret) {
		atomic64_inc(&vc->ios);
		atomic64_add(scsi_bufflen(scmd), &vc->bytes);
		return 0;
	}
	/* Not sent: the command is still ours unless removal took it. */
	if (atomic_cmpxchg(&cmd->on_wire, 1, 0) != 1)
		return 0;
	if (ret == -EAGAIN || ret == -ENOMEM) {
		atomic64_inc(&vc->busy);
		return SCSI_MLQUEUE_HOST_BUSY;
	}
	set_host_byte(scmd, DID_NO_CONNECT);
	scsi_done(scmd);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Error handling                                                      */
/* ------------------------------------------------------------------ */

static int vsc_reset(struct vsc_host *h, u32 op, struct scsi_device *sdev)
{
	struct ohv_vstor_packet vp = { .operation = op };
	int ret;

	atomic64_inc(&h->resets);
	if (sdev) {
		vp.srb.path_id = sdev->channel;
		vp.srb.target_id = sdev->id;
		vp.srb.lun = sdev->lun;
	}
	ret = vsc_ctrl(h, &vp);
	if (!ret && vp.status)
		ret = -EIO;
	if (ret)
		dev_warn(&h->odev->dev, "%s failed: %d\n",
			 op == OHV_VSTOR_OP_RESET_LUN ? "LUN reset" :
							"bus reset", ret);
	return ret;
}

/*
 * The protocol has no per-command abort: reset the LUN. Once the host
 * answers, it no longer uses any of the LUN's commands' pages.
 */
static int vsc_eh_abort(struct scsi_cmnd *scmd)
{
	struct vsc_host *h = shost_to_vsc(scmd->device->host);
	struct vsc_cmd *cmd = scsi_cmd_priv(scmd);

	if (vsc_reset(h, OHV_VSTOR_OP_RESET_LUN, scmd->device))
		return FAILED;
	atomic_cmpxchg(&cmd->on_wire, 1, 0);
	return SUCCESS;
}

static bool vsc_claim_lun(struct request *rq, void *data)
{
	struct scsi_cmnd *scmd = blk_mq_rq_to_pdu(rq);
	struct scsi_device *sdev = data;

	if (!sdev || scmd->device == sdev)
		atomic_cmpxchg(&((struct vsc_cmd *)scsi_cmd_priv(scmd))->on_wire,
			       1, 0);
	return true;
}

static int vsc_eh_device_reset(struct scsi_cmnd *scmd)
{
	struct scsi_device *sdev = scmd->device;
	struct vsc_host *h = shost_to_vsc(sdev->host);

	if (vsc_reset(h, OHV_VSTOR_OP_RESET_LUN, sdev))
		return FAILED;
	blk_mq_tagset_busy_iter(&h->shost->tag_set, vsc_claim_lun, sdev);
	return SUCCESS;
}

static int vsc_eh_host_reset(struct scsi_cmnd *scmd)
{
	struct vsc_host *h = shost_to_vsc(scmd->device->host);

	if (vsc_reset(h, OHV_VSTOR_OP_RESET_BUS, NULL))
		return FAILED;
	blk_mq_tagset_busy_iter(&h->shost->tag_set, vsc_claim_lun, NULL);
	return SUCCESS;
}

/* Fail every command the host still owns (its channel is gone). */
static bool vsc_fail_one(struct request *rq, void *data)
{
	struct scsi_cmnd *scmd = blk_mq_rq_to_pdu(rq);
	struct vsc_cmd *cmd = scsi_cmd_priv(scmd);

	if (atomic_cmpxchg(&cmd->on_wire, 1, 0) == 1) {
		set_host_byte(scmd, DID_NO_CONNECT);
		scsi_done(scmd);
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* LUN changes                                                         */
/* ------------------------------------------------------------------ */

static void vsc_scan_work(struct work_struct *work)
{
	struct vsc_host *h = container_of(work, struct vsc_host, scan_work);
	struct scsi_sense_hdr sshdr;
	struct scsi_device *sdev;
	int res;

	/* LUNs the host no longer has answer INVALID_LUN: drop them. */
	shost_for_each_device(sdev, h->shost) {
		if (READ_ONCE(h->no_scan))
			continue;
		res = scsi_test_unit_ready(sdev, 10 * HZ, 1, &sshdr);
		if (res > 0 && host_byte(res) == DID_NO_CONNECT) {
			sdev_printk(KERN_INFO, sdev, "LUN gone, removing\n");
			scsi_remove_device(sdev);
		}
	}
	if (!READ_ONCE(h->no_scan))
		scsi_scan_target(&h->shost->shost_gendev, 0, 0, SCAN_WILD_CARD,
				 SCSI_SCAN_RESCAN);
}

static int vsc_slave_configure(struct scsi_device *sdev)
{
	blk_queue_rq_timeout(sdev->request_queue,
			     clamp(io_timeout, 1U, 3600U) * HZ);
	return 0;
}

static struct scsi_host_template vsc_sht = {
	.module			= THIS_MODULE,
	.name			= "ohv_storvsc",
	.proc_name		= "ohv_storvsc",
	.cmd_size		= sizeof(struct vsc_cmd),
	.queuecommand		= vsc_queuecommand,
	.eh_abort_handler	= vsc_eh_abort,
	.eh_device_reset_handler = vsc_eh_device_reset,
	.eh_host_reset_handler	= vsc_eh_host_reset,
	.slave_configure	= vsc_slave_configure,
	.can_queue		= VSC_CAN_QUEUE,
	.cmd_per_lun		= VSC_CAN_QUEUE,
	.this_id		= -1,
	.sg_tablesize		= VSC_MAX_PFNS - 1,
	.max_sectors		= VSC_MAX_XFER >> SECTOR_SHIFT,
	.virt_boundary_mask	= OHV_HV_PAGE_SIZE - 1,
	.track_queue_depth	= 1,
};

/* ------------------------------------------------------------------ */
/* debugfs                                                             */
/* ------------------------------------------------------------------ */

static int vsc_channels_show(struct seq_file *s, void *unused)
{
	struct vsc_host *h = s->private;
	struct vsc_chan *vc;
	u32 i;

	seq_printf(s, "version 0x%04x max_transfer %u hw_queues %u resets %lld\n",
		   h->version, h->max_transfer, h->nchans,
		   (long long)atomic64_read(&h->resets));
	for (i = 0; i < VSC_MAX_CHANNELS; i++) {
		vc = READ_ONCE(h->chans[i]);
		if (!vc)
			continue;
		seq_printf(s, "chan %u relid %u ios %lld bytes %lld done %lld errors %lld busy %lld bad %lld\n",
			   i, ohv_chan_relid(vc->chan),
			   (long long)atomic64_read(&vc->ios),
			   (long long)atomic64_read(&vc->bytes),
			   (long long)atomic64_read(&vc->done),
			   (long long)atomic64_read(&vc->errors),
			   (long long)atomic64_read(&vc->busy),
			   (long long)atomic64_read(&vc->bad));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsc_channels);

/* ------------------------------------------------------------------ */
/* Probe and remove                                                    */
/* ------------------------------------------------------------------ */

static int vsc_open_chan(struct vsc_host *h, struct ohv_channel *chan)
{
	u32 ring = clamp(ring_kb, 64U, 4096U) * 1024;
	struct ohv_chan_open_params p = {
		.send_ring_bytes = ring,
		.recv_ring_bytes = VSC_RECV_RING,
		.callback = vsc_rx,
		.cb_mode = OHV_CB_BATCHED,
	};
	u16 idx = ohv_chan_subchannel_index(chan);
	struct vsc_chan *vc;
	int ret;

	if (idx >= VSC_MAX_CHANNELS || h->chans[idx])
		return -EINVAL;
	vc = kzalloc(sizeof(*vc), GFP_KERNEL);
	if (!vc)
		return -ENOMEM;
	vc->chan = chan;
	vc->h = h;
	vc->idx = idx;
	p.cb_ctx = vc;
	ret = ohv_chan_open(chan, &p);
	if (ret) {
		kfree(vc);
		return ret;
	}
	WRITE_ONCE(h->chans[idx], vc);
	return 0;
}

static void vsc_subchannel(struct ohv_channel *primary,
			   struct ohv_channel *sub)
{
	struct ohv_device *odev = ohv_chan_get_drvdata(primary);
	struct vsc_host *h;

	if (!odev)
		return;
	h = dev_get_drvdata(&odev->dev);
	mutex_lock(&h->sub_lock);
	if (!h->removing && !vsc_open_chan(h, sub))
		atomic_inc(&h->subs_open);
	mutex_unlock(&h->sub_lock);
	wake_up(&h->sub_wait);
}

static void vsc_free_chans(struct vsc_host *h)
{
	u32 i;

	for (i = 0; i < VSC_MAX_CHANNELS; i++) {
		kfree(h->chans[i]);
		h->chans[i] = NULL;
	}
}

static int vsc_probe(struct ohv_device *odev, const struct ohv_device_id *id)
{
	vsc_shost_t *shost;
	struct vsc_host *h;
	u16 max_subs = 0;
	int want, ret;

	shost = scsi_host_alloc(&vsc_sht, sizeof(*h));
	if (!shost)
		return -ENOMEM;
	h = shost_to_vsc(shost);
	h->odev = odev;
	h->shost = shost;
	mutex_init(&h->sub_lock);
	init_waitqueue_head(&h->sub_wait);
	atomic_set(&h->subs_open, 0);
	mutex_init(&h->ctrl_mutex);
	spin_lock_init(&h->ctrl_lock);
	init_completion(&h->ctrl_done);
	INIT_WORK(&h->scan_work, vsc_scan_work);
	dev_set_drvdata(&odev->dev, h);
	ohv_chan_set_drvdata(odev->channel, odev);
	ohv_chan_set_subchannel_cb(odev->channel, vsc_subchannel);

	ret = vsc_open_chan(h, odev->channel);
	if (ret)
		goto err_put;
	ret = vsc_negotiate(h, &max_subs);
	if (ret) {
		dev_err(&odev->dev, "init failed: %d\n", ret);
		goto err_close;
	}
	want = subchannels < 0 ? (int)num_online_cpus() - 1 : subchannels;
	want = clamp(want, 0, min_t(int, max_subs, VSC_MAX_CHANNELS - 1));
	if (want) {
		struct ohv_vstor_packet vp = {
			.operation = OHV_VSTOR_OP_CREATE_SUB_CHANNELS,
			.sub_channel_count = want,
		};

		ret = vsc_ctrl(h, &vp);
		if (ret || vp.status) {
			dev_warn(&odev->dev, "no sub-channels: %d/%#x\n", ret,
				 vp.status);
			want = 0;
		} else {
			wait_event_timeout(h->sub_wait,
					   atomic_read(&h->subs_open) >= want,
					   VSC_SUB_TIMEOUT);
		}
	}
	h->nchans = 1 + want;
	shost->nr_hw_queues = h->nchans;
	shost->max_id = 1;
	shost->max_lun = 256;
	shost->max_channel = 0;
	shost->max_cmd_len = OHV_VSTOR_MAX_CDB_LEN;
	if (h->max_transfer >= OHV_HV_PAGE_SIZE) {
		u32 xfer = min_t(u32, h->max_transfer, VSC_MAX_XFER);

		xfer = round_down(xfer, OHV_HV_PAGE_SIZE);
		shost->max_sectors = xfer >> SECTOR_SHIFT;
		shost->sg_tablesize = xfer / OHV_HV_PAGE_SIZE;
	}
	odev->dev.dma_parms = &h->dma_parms;
	ret = scsi_add_host(shost, &odev->dev);
	if (ret)
		goto err_close;
	h->dbg = debugfs_create_dir(dev_name(&odev->dev), vsc_dbg);
	debugfs_create_file("channels", 0444, h->dbg, h, &vsc_channels_fops);
	dev_info(&odev->dev, "host%u: protocol 0x%04x, %u channel(s), max transfer %u\n",
		 shost->host_no, h->version, 1 + atomic_read(&h->subs_open),
		 h->max_transfer);
	scsi_scan_host(shost);
	return 0;

err_close:
	mutex_lock(&h->sub_lock);
	h->removing = true;
	mutex_unlock(&h->sub_lock);
	ohv_chan_close(odev->channel);
	vsc_free_chans(h);
err_put:
	odev->dev.dma_parms = NULL;
	scsi_host_put(shost);
	return ret;
}

static void vsc_remove(struct ohv_device *odev)
{
	struct vsc_host *h = dev_get_drvdata(&odev->dev);
	vsc_shost_t *shost = h->shost;
	bool gone = ohv_chan_is_rescinded(odev->channel);

	WRITE_ONCE(h->no_scan, true);
	if (gone) {
		/* Nothing will answer: fail what the host had, and new I/O. */
		mutex_lock(&h->sub_lock);
		WRITE_ONCE(h->removing, true);
		mutex_unlock(&h->sub_lock);
		ohv_chan_close(odev->channel);
		blk_mq_tagset_busy_iter(&shost->tag_set, vsc_fail_one, NULL);
	}
	cancel_work_sync(&h->scan_work);
	debugfs_remove(h->dbg);
	scsi_remove_host(shost);
	if (!gone) {
		mutex_lock(&h->sub_lock);
		WRITE_ONCE(h->removing, true);
		mutex_unlock(&h->sub_lock);
		ohv_chan_close(odev->channel);
	}
	vsc_free_chans(h);
	odev->dev.dma_parms = NULL;
	scsi_host_put(shost);
}

static const struct ohv_device_id vsc_ids[] = {
	{ .guid = OHV_STORVSC_CLASS_GUID },
	{ }
};

static struct ohv_driver vsc_driver = {
	.name = "ohv_storvsc",
	.id_table = vsc_ids,
	.probe = vsc_probe,
	.remove = vsc_remove,
};

static int __init vsc_init(void)
{
	int ret;

	vsc_dbg = debugfs_create_dir("ohv_storvsc", NULL);
	ret = ohv_driver_register(&vsc_driver);
	if (ret)
		debugfs_remove(vsc_dbg);
	return ret;
}

static void __exit vsc_exit(void)
{
	ohv_driver_unregister(&vsc_driver);
	debugfs_remove(vsc_dbg);
}

module_init(vsc_init);
module_exit(vsc_exit);

MODULE_DESCRIPTION("ohv synthetic SCSI controller (guest)");
MODULE_LICENSE("GPL");
