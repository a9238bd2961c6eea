// SPDX-License-Identifier: GPL-2.0
/*
 * ohv storvsp: the host side of the synthetic SCSI controller, as a LIO
 * fabric module.
 *
 * configfs (see README.md):
 *   /sys/kernel/config/target/ohv_storvsp/p<P>.c<C>/tpgt_<T>/lun/lun_<M>
 * A WWN names a partition P and a controller number C. Enabling a TPG
 * opens an I_T nexus (a LIO session, demo mode: every LUN of the TPG is
 * visible) and offers a synthetic SCSI controller to partition P;
 * disabling it rescinds the offer. LUN links and unlinks made while the
 * controller is open are announced to the guest with ENUMERATE_BUS.
 *
 * Each open channel (primary and sub-channels) has its own work item that
 * reads the ring, validates every packet (proto.c), maps the guest pages
 * of an SRB and submits it to LIO. Completions come back through
 * queue_data_in/queue_status in LIO's context and are sent straight to the
 * guest; only if the guest's ring is full are they parked on the channel's
 * backlog, which the channel's work drains. Commands come from a per-channel
 * pool, so a channel never has more in flight than its pool holds, and
 * nothing on the I/O path takes a lock shared between channels.
 *
 * debugfs: ohv_storvsp/<wwn>.t<T>/<relid>: per-channel counters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <scsi/scsi_proto.h>
#include <target/target_core_base.h>
#include <target/target_core_fabric.h>

#include <ohv/vmbus.h>

#include "proto.h"

static unsigned int max_subchannels = 4;
module_param(max_subchannels, uint, 0644);
MODULE_PARM_DESC(max_subchannels,
		 "Sub-channels offered per controller (0..63), read at TPG enable");

static unsigned int max_transfer_kb = 1024;
module_param(max_transfer_kb, uint, 0644);
MODULE_PARM_DESC(max_transfer_kb,
		 "Largest SRB transfer, KiB (64..2048), read at TPG enable");

static unsigned int queue_depth = 128;
module_param(queue_depth, uint, 0644);
MODULE_PARM_DESC(queue_depth, "Commands in flight per channel (4..1024)");

#define VSP_WWN_LEN	32

static struct workqueue_struct *vsp_wq;
static struct dentry *vsp_dbg;

/**
 * struct vsp_wwn - one configfs WWN: a partition's controller
 * @wwn: LIO's part
 * @name: the directory name
 * @partition: partition id
 * @controller: controller number
 */
struct vsp_wwn {
	struct se_wwn wwn;
	char name[VSP_WWN_LEN];
	u32 partition;
	u32 controller;
};

struct vsp_chan;

/**
 * struct vsp_tpg - one TPG: one offered controller when enabled
 * @se_tpg: LIO's part
 * @vw: the WWN
 * @tpgt: the tag
 * @lock: guards enabling, @sess and @offer; held around ohv_host_offer()
 *	and so never taken from provider callbacks (which run under the
 *	VMBus connection's lock)
 * @sess: the nexus while enabled
 * @offer: the offered primary channel while enabled
 * @prim_lock: guards @primary
 * @primary: the open primary channel, for notifications
 * @max_subchannels: offered in QUERY_PROPERTIES
 * @max_transfer: offered in QUERY_PROPERTIES
 * @dbg: debugfs directory
 */
struct vsp_tpg {
	struct se_portal_group se_tpg;
	struct vsp_wwn *vw;
	u16 tpgt;
	struct mutex lock;	/* enable state, sess, offer */
	struct se_session *sess;
	struct ohv_channel *offer;
	spinlock_t prim_lock;	/* primary */
	struct vsp_chan *primary;
	u32 max_subchannels;
	u32 max_transfer;
	struct dentry *dbg;
};

/**
 * struct vsp_cmd - one request in flight
 * @se_cmd: LIO's command
 * @vc: the channel it came on
 * @node: free list or backlog entry
 * @refs: LIO's reference and the completion's
 * @trans_id: the guest's transaction id
 * @reply: the completion being built
 * @req: the validated request
 * @sense: LIO's sense buffer
 * @cdb: the CDB, padded
 * @pages: the guest pages of the data, referenced while the command runs
 * @npages: entries held in @pages
 * @sgl: scatterlist over @pages
 * @nents: entries in @sgl
 * @sent: the completion went out (or was parked)
 * @tmr_done: TMR finished (reset commands)
 * @is_tmr: allocated for a TMR, not from the pool
 */
struct vsp_cmd {
	struct se_cmd se_cmd;
	struct vsp_chan *vc;
	struct list_head node;
	atomic_t refs;
	u64 trans_id;
	struct ohv_vstor_packet reply;
	struct ohv_stor_req req;
	u8 sense[TRANSPORT_SENSE_BUFFER];
	u8 cdb[32];
	struct page **pages;
	u32 npages;
	struct scatterlist *sgl;
	u32 nents;
	bool sent;
	struct completion tmr_done;
	bool is_tmr;
};

/**
 * struct vsp_chan - one open channel
 * @chan: the channel
 * @tpg: the controller
 * @proto: protocol state
 * @work: the channel's worker (delayed only to retry a full ring)
 * @rxbuf: one packet
 * @rxlen: room at @rxbuf
 * @lock: guards @free, @backlog, @nfree, @starved, @closing
 * @free: idle commands
 * @backlog: completions waiting for ring space
 * @nfree: entries on @free
 * @starved: the worker stopped for lack of commands
 * @closing: the channel is going away
 * @idle: close waits here for commands to come back
 * @cmds: the pool
 * @ncmds: commands in the pool
 * @dbg: debugfs file
 * @st: counters
 */
struct vsp_chan {
	struct ohv_channel *chan;
	struct vsp_tpg *tpg;
	struct ohv_stor_proto proto;
	struct delayed_work work;
	u8 *rxbuf;
	u32 rxlen;
	spinlock_t lock;	/* free, backlog, nfree, starved, closing */
	struct list_head free;
	struct list_head backlog;
	u32 nfree;
	bool starved;
	bool closing;
	wait_queue_head_t idle;
	struct vsp_cmd *cmds;
	u32 ncmds;
	struct dentry *dbg;
	struct {
		atomic64_t srbs;
		atomic64_t read_bytes;
		atomic64_t write_bytes;
		atomic64_t errors;
		atomic64_t invalid;
		atomic64_t invalid_lun;
		atomic64_t resets;
		atomic64_t backlogged;
		atomic64_t map_failed;
	} st;
};

static const struct target_core_fabric_ops vsp_ops;

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */

static struct vsp_cmd *vsp_cmd_get(struct vsp_chan *vc)
{
	struct vsp_cmd *cmd = NULL;
	unsigned long flags;

	spin_lock_irqsave(&vc->lock, flags);
	if (!list_empty(&vc->free)) {
		cmd = list_first_entry(&vc->free, struct vsp_cmd, node);
		list_del(&cmd->node);
		vc->nfree--;
	} else {
		vc->starved = true;
	}
	spin_unlock_irqrestore(&vc->lock, flags);
	return cmd;
}

static void vsp_cmd_put(struct vsp_cmd *cmd)
{
	struct vsp_chan *vc = cmd->vc;
	unsigned long flags;
	bool kick = false;

	if (!atomic_dec_and_test(&cmd->refs))
		return;
	if (cmd->is_tmr) {
		kfree(cmd);
		return;
	}
	spin_lock_irqsave(&vc->lock, flags);
	list_add(&cmd->node, &vc->free);
	vc->nfree++;
	if (vc->starved && !vc->closing) {
		vc->starved = false;
		kick = true;
	}
	if (vc->closing && vc->nfree == vc->ncmds)
		wake_up(&vc->idle);
	spin_unlock_irqrestore(&vc->lock, flags);
	if (kick)
		queue_delayed_work(vsp_wq, &vc->work, 0);
}

/* Send @cmd's completion, or park it if the guest's ring is full. */
static void vsp_send_done(struct vsp_cmd *cmd)
{
	struct vsp_chan *vc = cmd->vc;
	unsigned long flags;
	int ret;

	if (cmd->reply.status ||
	    OHV_SRB_STATUS(cmd->reply.srb.srb_status) != OHV_SRB_STATUS_SUCCESS)
		atomic64_inc(&vc->st.errors);
	ret = ohv_chan_send(vc->chan, &cmd->reply, sizeof(cmd->reply),
			    cmd->trans_id, OHV_VMPKT_COMP, 0);
	if (ret == -EAGAIN) {
		spin_lock_irqsave(&vc->lock, flags);
		if (!vc->closing) {
			list_add_tail(&cmd->node, &vc->backlog);
			atomic64_inc(&vc->st.backlogged);
			spin_unlock_irqrestore(&vc->lock, flags);
			queue_delayed_work(vsp_wq, &vc->work, 0);
			return;
		}
		spin_unlock_irqrestore(&vc->lock, flags);
	}
	vsp_cmd_put(cmd);
}

/*
 * Send parked completions. Returns false while the guest's ring is still
 * full: the worker then polls again shortly rather than sleep in
 * ohv_chan_send_wait(), so a guest that stops reading cannot hold it (and
 * with it the channel's close) forever.
 */
static bool vsp_flush_backlog(struct vsp_chan *vc)
{
	struct vsp_cmd *cmd;
	unsigned long flags;
	int ret;

	for (;;) {
		spin_lock_irqsave(&vc->lock, flags);
		cmd = list_first_entry_or_null(&vc->backlog, struct vsp_cmd,
					       node);
		if (cmd)
			list_del(&cmd->node);
		spin_unlock_irqrestore(&vc->lock, flags);
		if (!cmd)
			return true;
		ret = -ENODEV;
		if (!READ_ONCE(vc->closing))
			ret = ohv_chan_send(vc->chan, &cmd->reply,
					    sizeof(cmd->reply), cmd->trans_id,
					    OHV_VMPKT_COMP, 0);
		if (ret == -EAGAIN) {
			spin_lock_irqsave(&vc->lock, flags);
			list_add(&cmd->node, &vc->backlog);
			spin_unlock_irqrestore(&vc->lock, flags);
			return false;
		}
		if (ret)
			pr_warn_ratelimited("relid %u: completion lost: %d\n",
					    ohv_chan_relid(vc->chan), ret);
		vsp_cmd_put(cmd);
	}
}

/* ------------------------------------------------------------------ */
/* SRB execution                                                       */
/* ------------------------------------------------------------------ */

static bool vsp_lun_present(struct vsp_chan *vc, u64 lun)
{
	struct se_session *sess = vc->tpg->sess;
	struct se_dev_entry *deve;
	bool present = false;

	if (!sess)
		return false;
	rcu_read_lock();
	hlist_for_each_entry_rcu(deve, &sess->se_node_acl->lun_entry_hlist,
				 link) {
		if (deve->mapped_lun == lun) {
			present = true;
			break;
		}
	}
	rcu_read_unlock();
	return present;
}

/*
 * Build the scatterlist over the guest pages, which LIO (and the backstore
 * below it) reach through the page structs: no kernel mapping is needed.
 */
static void vsp_build_sgl(struct vsp_cmd *cmd)
{
	struct ohv_stor_req *req = &cmd->req;
	u32 r, n = 0;

	sg_init_table(cmd->sgl, req->nr_pfns);
	for (r = 0; r < req->nr_ranges; r++) {
		const struct ohv_stor_range *rg = &req->ranges[r];
		u32 left = rg->byte_count, off = rg->byte_offset, p;

		for (p = 0; p < rg->pfn_count; p++) {
			u32 len = min_t(u32, left, PAGE_SIZE - off);

			sg_set_page(&cmd->sgl[n++],
				    cmd->pages[rg->pfn_first + p], len, off);
			left -= len;
			off = 0;
		}
	}
	sg_mark_end(&cmd->sgl[n - 1]);
	cmd->nents = n;
}

/* Drop the references vsp_execute() took on the guest's data pages. */
static void vsp_put_pages(struct vsp_cmd *cmd)
{
	if (cmd->npages) {
		ohv_host_put_gpa_pages(cmd->vc->chan, cmd->pages, cmd->npages);
		cmd->npages = 0;
	}
}

static void vsp_execute(struct vsp_chan *vc, struct vsp_cmd *cmd)
{
	struct ohv_vmscsi_request *srb = &cmd->req.srb;
	struct se_session *sess = vc->tpg->sess;
	int dir;

	atomic64_inc(&vc->st.srbs);
	if (srb->path_id || srb->target_id || !sess ||
	    !vsp_lun_present(vc, srb->lun)) {
		atomic64_inc(&vc->st.invalid_lun);
		ohv_stor_srb_fail(&cmd->reply, OHV_SRB_STATUS_INVALID_LUN);
		vsp_send_done(cmd);
		return;
	}
	cmd->npages = 0;
	cmd->nents = 0;
	if (cmd->req.nr_pfns) {
		if (ohv_host_get_gpa_pages(vc->chan, cmd->req.pfns,
					   cmd->req.nr_pfns, cmd->pages)) {
			atomic64_inc(&vc->st.map_failed);
			ohv_stor_srb_fail(&cmd->reply,
					  OHV_SRB_STATUS_INVALID_REQUEST);
			vsp_send_done(cmd);
			return;
		}
		cmd->npages = cmd->req.nr_pfns;
		vsp_build_sgl(cmd);
	}
	switch (srb->data_in) {
	case OHV_SRB_DATA_READ:
		dir = DMA_FROM_DEVICE;
		atomic64_add(srb->data_transfer_length, &vc->st.read_bytes);
		break;
	case OHV_SRB_DATA_WRITE:
		dir = DMA_TO_DEVICE;
		atomic64_add(srb->data_transfer_length, &vc->st.write_bytes);
		break;
	default:
		dir = DMA_NONE;
	}
	memset(cmd->cdb, 0, sizeof(cmd->cdb));
	memcpy(cmd->cdb, srb->cdb, srb->cdb_length);
	memset(&cmd->se_cmd, 0, sizeof(cmd->se_cmd));
	cmd->sent = false;
	/* LIO's reference; the completion holds the other. */
	atomic_set(&cmd->refs, 2);
	cmd->se_cmd.tag = cmd->trans_id;
	/* On failure LIO still completes the command through queue_status. */
	target_init_cmd(&cmd->se_cmd, sess, cmd->sense, srb->lun,
			srb->data_transfer_length, TCM_SIMPLE_TAG, dir, 0);
	if (target_submit_prep(&cmd->se_cmd, cmd->cdb, cmd->nents ? cmd->sgl :
			       NULL, cmd->nents, NULL, 0, NULL, 0, GFP_KERNEL))
		return;
	target_queue_submission(&cmd->se_cmd);
}

/* Synchronous LUN reset through LIO; the caller is the channel worker. */
static int vsp_lun_reset(struct vsp_chan *vc, u64 lun)
{
	struct vsp_cmd *t;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->vc = vc;
	t->is_tmr = true;
	atomic_set(&t->refs, 1);
	init_completion(&t->tmr_done);
	ret = target_submit_tmr(&t->se_cmd, vc->tpg->sess, t->sense, lun, NULL,
				TMR_LUN_RESET, GFP_KERNEL, 0,
				TARGET_SCF_ACK_KREF);
	if (ret < 0) {
		kfree(t);
		return ret;
	}
	wait_for_completion(&t->tmr_done);
	ret = t->se_cmd.se_tmr_req->response == TMR_FUNCTION_COMPLETE ?
	      0 : -EIO;
	target_put_sess_cmd(&t->se_cmd);
	return ret;
}

static void vsp_reset(struct vsp_chan *vc, struct vsp_cmd *cmd, bool bus)
{
	u32 lun;
	int ret = 0;

	atomic64_inc(&vc->st.resets);
	if (!vc->tpg->sess) {
		ret = -ENODEV;
	} else if (!bus) {
		if (vsp_lun_present(vc, cmd->req.srb.lun))
			ret = vsp_lun_reset(vc, cmd->req.srb.lun);
	} else {
		for (lun = 0; lun < 256; lun++)
			if (vsp_lun_present(vc, lun) && vsp_lun_reset(vc, lun))
				ret = -EIO;
	}
	cmd->reply.status = ret ? OHV_VSTOR_STATUS_UNSUCCESSFUL : 0;
	vsp_send_done(cmd);
}

/* ------------------------------------------------------------------ */
/* The channel worker                                                  */
/* ------------------------------------------------------------------ */

static void vsp_handle(struct vsp_chan *vc, struct vsp_cmd *cmd, u8 *pkt,
		       u32 pktlen)
{
	const struct ohv_vmpacket_desc *d = (const void *)pkt;
	enum ohv_stor_action act;
	u16 n;

	act = ohv_stor_handle(&vc->proto, pkt, pktlen, &cmd->req, &cmd->reply);
	cmd->trans_id = d->trans_id;
	atomic_set(&cmd->refs, 1);
	switch (act) {
	case OHV_STOR_ACT_DROP:
		atomic64_inc(&vc->st.invalid);
		vsp_cmd_put(cmd);
		return;
	case OHV_STOR_ACT_REPLY:
		if (cmd->reply.status ||
		    OHV_SRB_STATUS(cmd->reply.srb.srb_status) ==
		    OHV_SRB_STATUS_INVALID_REQUEST)
			atomic64_inc(&vc->st.invalid);
		vsp_send_done(cmd);
		return;
	case OHV_STOR_ACT_SUBCHANNELS:
		n = cmd->reply.sub_channel_count;
		if (ohv_host_offer_subchannels(vc->chan, n))
			cmd->reply.status = OHV_VSTOR_STATUS_UNSUCCESSFUL;
		vsp_send_done(cmd);
		return;
	case OHV_STOR_ACT_RESET_LUN:
	case OHV_STOR_ACT_RESET_BUS:
		vsp_reset(vc, cmd, act == OHV_STOR_ACT_RESET_BUS);
		return;
	case OHV_STOR_ACT_EXECUTE:
		vsp_execute(vc, cmd);
		return;
	}
}

/* A packet larger than any valid one: read it anyway and answer it. */
static int vsp_recv_oversized(struct vsp_chan *vc, struct vsp_cmd *cmd,
			      u32 need)
{
	u32 pktlen;
	u8 *big;
	int ret;

	big = kvmalloc(need, GFP_KERNEL);
	if (!big)
		return -ENOMEM;
	ret = ohv_chan_recv(vc->chan, big, need, &pktlen);
	if (!ret)
		vsp_handle(vc, cmd, big, pktlen);
	kvfree(big);
	return ret;
}

static void vsp_work(struct work_struct *work)
{
	struct vsp_chan *vc = container_of(to_delayed_work(work),
					   struct vsp_chan, work);
	struct vsp_cmd *cmd;
	u32 pktlen;
	int ret;

	for (;;) {
		if (!vsp_flush_backlog(vc)) {
			if (!READ_ONCE(vc->closing))
				queue_delayed_work(vsp_wq, &vc->work, 1);
			return;
		}
		ohv_chan_rx_mask(vc->chan);
		for (;;) {
			if (READ_ONCE(vc->closing))
				return;
			/* Out of commands: stay masked; a freed one kicks us. */
			cmd = vsp_cmd_get(vc);
			if (!cmd)
				return;
			ret = ohv_chan_recv(vc->chan, vc->rxbuf, vc->rxlen,
					    &pktlen);
			if (ret == -ENOBUFS)
				ret = vsp_recv_oversized(vc, cmd, pktlen);
			else if (!ret)
				vsp_handle(vc, cmd, vc->rxbuf, pktlen);
			if (ret) {
				atomic_set(&cmd->refs, 1);
				vsp_cmd_put(cmd);
				break;
			}
			cond_resched();
		}
		if (ret != -EAGAIN || ohv_chan_rx_unmask(vc->chan))
			return;
	}
}

static void vsp_rx(struct ohv_channel *chan, void *ctx)
{
	struct vsp_chan *vc = ctx;
	unsigned long flags;

	/* Under the lock: close cancels the work after setting closing. */
	spin_lock_irqsave(&vc->lock, flags);
	if (!vc->closing)
		queue_delayed_work(vsp_wq, &vc->work, 0);
	spin_unlock_irqrestore(&vc->lock, flags);
}

/* ------------------------------------------------------------------ */
/* debugfs                                                             */
/* ------------------------------------------------------------------ */

static int vsp_chan_stats_show(struct seq_file *s, void *unused)
{
	struct vsp_chan *vc = s->private;

#define VSP_SHOW(f) seq_printf(s, #f ": %lld\n", \
			       (long long)atomic64_read(&vc->st.f))
	seq_printf(s, "subchannel: %u\n", ohv_chan_subchannel_index(vc->chan));
	seq_printf(s, "version: 0x%04x\n", vc->proto.version);
	VSP_SHOW(srbs);
	VSP_SHOW(read_bytes);
	VSP_SHOW(write_bytes);
	VSP_SHOW(errors);
	VSP_SHOW(invalid);
	VSP_SHOW(invalid_lun);
	VSP_SHOW(resets);
	VSP_SHOW(backlogged);
	VSP_SHOW(map_failed);
#undef VSP_SHOW
	seq_printf(s, "in_flight: %u\n", vc->ncmds - READ_ONCE(vc->nfree));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsp_chan_stats);

/* ------------------------------------------------------------------ */
/* Provider                                                            */
/* ------------------------------------------------------------------ */

static void vsp_chan_free(struct vsp_chan *vc)
{
	u32 i;

	if (vc->cmds) {
		for (i = 0; i < vc->ncmds; i++) {
			kvfree(vc->cmds[i].req.pfns);
			kvfree(vc->cmds[i].sgl);
			kvfree(vc->cmds[i].pages);
		}
		kvfree(vc->cmds);
	}
	kvfree(vc->rxbuf);
	kfree(vc);
}

static int vsp_open(struct ohv_channel *chan, const u8 *userdata)
{
	struct vsp_tpg *tpg = ohv_host_offer_priv(chan);
	bool sub = ohv_chan_subchannel_index(chan) != 0;
	u32 maxp = OHV_STOR_MAX_PFNS(tpg->max_transfer), i;
	struct vsp_chan *vc;
	char name[16];

	vc = kzalloc(sizeof(*vc), GFP_KERNEL);
	if (!vc)
		return -ENOMEM;
	vc->chan = chan;
	vc->tpg = tpg;
	ohv_stor_proto_init(&vc->proto, sub, tpg->max_subchannels,
			    tpg->max_transfer);
	INIT_DELAYED_WORK(&vc->work, vsp_work);
	spin_lock_init(&vc->lock);
	INIT_LIST_HEAD(&vc->free);
	INIT_LIST_HEAD(&vc->backlog);
	init_waitqueue_head(&vc->idle);
	vc->rxlen = sizeof(struct ohv_vmpacket_gpa_direct_hdr) +
		    OHV_STOR_MAX_RANGES * sizeof(struct ohv_gpa_range) +
		    maxp * sizeof(u64) + sizeof(struct ohv_vstor_packet) + 64;
	vc->rxbuf = kvmalloc(vc->rxlen, GFP_KERNEL);
	vc->ncmds = clamp(queue_depth, 4U, 1024U);
	vc->cmds = kvcalloc(vc->ncmds, sizeof(*vc->cmds), GFP_KERNEL);
	if (!vc->rxbuf || !vc->cmds)
		goto nomem;
	for (i = 0; i < vc->ncmds; i++) {
		struct vsp_cmd *cmd = &vc->cmds[i];

		cmd->vc = vc;
		cmd->req.pfns = kvcalloc(maxp, sizeof(u64), GFP_KERNEL);
		cmd->sgl = kvcalloc(maxp, sizeof(*cmd->sgl), GFP_KERNEL);
		cmd->pages = kvcalloc(maxp, sizeof(*cmd->pages), GFP_KERNEL);
		if (!cmd->req.pfns || !cmd->sgl || !cmd->pages)
			goto nomem;
		list_add_tail(&cmd->node, &vc->free);
	}
	vc->nfree = vc->ncmds;
	ohv_chan_set_drvdata(chan, vc);
	if (!sub) {
		spin_lock(&tpg->prim_lock);
		tpg->primary = vc;
		spin_unlock(&tpg->prim_lock);
	}
	snprintf(name, sizeof(name), "%u", ohv_chan_relid(chan));
	vc->dbg = debugfs_create_file(name, 0444, tpg->dbg, vc,
				      &vsp_chan_stats_fops);
	return 0;

nomem:
	vsp_chan_free(vc);
	return -ENOMEM;
}

static void vsp_close(struct ohv_channel *chan)
{
	struct vsp_chan *vc = ohv_chan_get_drvdata(chan);
	struct vsp_tpg *tpg = vc->tpg;
	struct vsp_cmd *cmd, *tmp;
	unsigned long flags;
	LIST_HEAD(drop);

	spin_lock_irqsave(&vc->lock, flags);
	vc->closing = true;
	spin_unlock_irqrestore(&vc->lock, flags);
	cancel_delayed_work_sync(&vc->work);
	/* Nothing is parked after closing is set; drop what was. */
	spin_lock_irqsave(&vc->lock, flags);
	list_splice_init(&vc->backlog, &drop);
	spin_unlock_irqrestore(&vc->lock, flags);
	list_for_each_entry_safe(cmd, tmp, &drop, node) {
		list_del(&cmd->node);
		vsp_cmd_put(cmd);
	}
	/* Commands still in LIO finish on their own; wait for them. */
	while (!wait_event_timeout(vc->idle, READ_ONCE(vc->nfree) == vc->ncmds,
				   10 * HZ))
		pr_warn("relid %u: waiting for %u commands\n",
			ohv_chan_relid(chan), vc->ncmds - READ_ONCE(vc->nfree));
	debugfs_remove(vc->dbg);
	spin_lock(&tpg->prim_lock);
	if (tpg->primary == vc)
		tpg->primary = NULL;
	spin_unlock(&tpg->prim_lock);
	ohv_chan_set_drvdata(chan, NULL);
	vsp_chan_free(vc);
}

static const struct ohv_provider vsp_provider = {
	.name = "ohv_storvsp",
	.class_id = OHV_STORVSC_CLASS_GUID,
	.max_ring_bytes = 16 << 20,
	.open = vsp_open,
	.close = vsp_close,
	.rx = vsp_rx,
	.cb_mode = OHV_CB_DIRECT,
	.owner = THIS_MODULE,
};

/* Tell the guest the LUN set changed (primary channel, if open). */
static void vsp_notify(struct vsp_tpg *tpg, u32 op)
{
	struct ohv_vstor_packet pkt = { .operation = op };
	int ret = 0;

	/* Never wait here: close takes the same lock. */
	spin_lock(&tpg->prim_lock);
	if (tpg->primary && tpg->primary->proto.state == OHV_STOR_ST_READY)
		ret = ohv_chan_send(tpg->primary->chan, &pkt, sizeof(pkt), 0,
				    OHV_VMPKT_DATA_INBAND, 0);
	spin_unlock(&tpg->prim_lock);
	if (ret)
		pr_warn_ratelimited("%s: LUN change not announced: %d\n",
				    tpg->vw->name, ret);
}

/* ------------------------------------------------------------------ */
/* LIO fabric ops                                                      */
/* ------------------------------------------------------------------ */

static inline struct vsp_tpg *to_vsp_tpg(struct se_portal_group *se_tpg)
{
	return container_of(se_tpg, struct vsp_tpg, se_tpg);
}

static inline struct vsp_cmd *to_vsp_cmd(struct se_cmd *se_cmd)
{
	return container_of(se_cmd, struct vsp_cmd, se_cmd);
}

static char *vsp_get_wwn(struct se_portal_group *se_tpg)
{
	return to_vsp_tpg(se_tpg)->vw->name;
}

static u16 vsp_get_tag(struct se_portal_group *se_tpg)
{
	return to_vsp_tpg(se_tpg)->tpgt;
}

static int vsp_true(struct se_portal_group *se_tpg)
{
	return 1;
}

static int vsp_false(struct se_portal_group *se_tpg)
{
	return 0;
}

static u32 vsp_inst_index(struct se_portal_group *se_tpg)
{
	return 1;
}

static int vsp_check_stop_free(struct se_cmd *se_cmd)
{
	return transport_generic_free_cmd(se_cmd, 0);
}

static void vsp_release_cmd(struct se_cmd *se_cmd)
{
	struct vsp_cmd *cmd = to_vsp_cmd(se_cmd);

	if (!cmd->is_tmr)
		vsp_put_pages(cmd);
	vsp_cmd_put(cmd);
}

static u32 vsp_sess_index(struct se_session *se_sess)
{
	return 0;
}

static int vsp_write_pending(struct se_cmd *se_cmd)
{
	/* The data is already in the guest pages the sgl maps. */
	target_execute_cmd(se_cmd);
	return 0;
}

static void vsp_set_default_node_attrs(struct se_node_acl *nacl)
{
}

static int vsp_get_cmd_state(struct se_cmd *se_cmd)
{
	return 0;
}

/* Turn LIO's result into the SRB completion and send it. */
static int vsp_queue_status(struct se_cmd *se_cmd)
{
	struct vsp_cmd *cmd = to_vsp_cmd(se_cmd);
	struct ohv_vmscsi_request *r = &cmd->reply.srb;
	u32 want = cmd->req.srb.data_transfer_length, done = want;

	if (cmd->sent)
		return 0;
	cmd->sent = true;
	if (se_cmd->se_cmd_flags & SCF_UNDERFLOW_BIT)
		done = want - min(want, se_cmd->residual_count);
	cmd->reply.operation = OHV_VSTOR_OP_COMPLETE_IO;
	cmd->reply.status = 0;
	r->scsi_status = se_cmd->scsi_status;
	r->data_transfer_length = done;
	memset(r->sense_data, 0, sizeof(r->sense_data));
	if (se_cmd->scsi_status == SAM_STAT_CHECK_CONDITION &&
	    (se_cmd->se_cmd_flags &
	     (SCF_TRANSPORT_TASK_SENSE | SCF_EMULATED_TASK_SENSE))) {
		u8 n = min_t(u8, cmd->req.srb.sense_info_length,
			     OHV_VSTOR_SENSE_LEN);

		memcpy(r->sense_data, cmd->sense, n);
		r->sense_info_length = n;
		r->srb_status = OHV_SRB_STATUS_ERROR |
				(n ? OHV_SRB_STATUS_AUTOSENSE_VALID : 0);
		r->data_transfer_length = 0;
	} else if (se_cmd->scsi_status == SAM_STAT_GOOD) {
		r->srb_status = OHV_SRB_STATUS_SUCCESS;
		r->sense_info_length = 0;
	} else {
		r->srb_status = OHV_SRB_STATUS_ERROR;
		r->sense_info_length = 0;
		r->data_transfer_length = 0;
	}
	vsp_send_done(cmd);
	return 0;
}

static int vsp_queue_data_in(struct se_cmd *se_cmd)
{
	return vsp_queue_status(se_cmd);
}

static void vsp_queue_tm_rsp(struct se_cmd *se_cmd)
{
	complete(&to_vsp_cmd(se_cmd)->tmr_done);
}

static void vsp_aborted_task(struct se_cmd *se_cmd)
{
	struct vsp_cmd *cmd = to_vsp_cmd(se_cmd);

	if (cmd->is_tmr || cmd->sent)
		return;
	cmd->sent = true;
	ohv_stor_srb_fail(&cmd->reply, OHV_SRB_STATUS_ABORTED);
	vsp_send_done(cmd);
}

static int vsp_enable_tpg(struct se_portal_group *se_tpg, bool enable)
{
	struct vsp_tpg *tpg = to_vsp_tpg(se_tpg);
	struct ohv_offer_params params = {};
	struct ohv_partition *part;
	struct ohv_channel *chan;
	struct se_session *sess;
	char iname[48];
	int ret = 0;

	mutex_lock(&tpg->lock);
	if (enable == !!tpg->offer)
		goto out;
	if (!enable) {
		chan = tpg->offer;
		tpg->offer = NULL;
		mutex_unlock(&tpg->lock);
		/* Closes every channel: waits for their commands. */
		ohv_host_rescind(chan);
		mutex_lock(&tpg->lock);
		sess = tpg->sess;
		tpg->sess = NULL;
		mutex_unlock(&tpg->lock);
		target_remove_session(sess);
		return 0;
	}
	part = ohv_partition_get(tpg->vw->partition);
	if (!part) {
		pr_err("%s: no partition %u\n", tpg->vw->name,
		       tpg->vw->partition);
		ret = -ENODEV;
		goto out;
	}
	snprintf(iname, sizeof(iname), "ohv.partition%u.%s.t%u",
		 tpg->vw->partition, tpg->vw->name, tpg->tpgt);
	sess = target_setup_session(se_tpg, 0, 0, TARGET_PROT_NORMAL, iname,
				    tpg, NULL);
	if (IS_ERR(sess)) {
		ohv_partition_put(part);
		ret = PTR_ERR(sess);
		goto out;
	}
	tpg->sess = sess;
	tpg->max_subchannels = min(max_subchannels, OHV_MAX_SUBCHANNELS - 1U);
	tpg->max_transfer = clamp(max_transfer_kb, 64U, 2048U) << 10;
	/* Instance: "ohvs" + partition, controller and TPG tag. */
	params.instance_id = GUID_INIT(0x6f687673, tpg->vw->partition & 0xffff,
				       tpg->tpgt, tpg->vw->controller >> 8,
				       tpg->vw->controller & 0xff, 0, 0, 0, 0,
				       0, 0);
	params.priv = tpg;
	chan = ohv_host_offer(part, &vsp_provider, &params);
	ohv_partition_put(part);
	if (IS_ERR(chan)) {
		tpg->sess = NULL;
		mutex_unlock(&tpg->lock);
		target_remove_session(sess);
		return PTR_ERR(chan);
	}
	tpg->offer = chan;
out:
	mutex_unlock(&tpg->lock);
	return ret;
}

static int vsp_post_link(struct se_portal_group *se_tpg, struct se_lun *lun)
{
	vsp_notify(to_vsp_tpg(se_tpg), OHV_VSTOR_OP_ENUMERATE_BUS);
	return 0;
}

static void vsp_post_unlink(struct se_portal_group *se_tpg,
			    struct se_lun *lun)
{
	vsp_notify(to_vsp_tpg(se_tpg), OHV_VSTOR_OP_REMOVE_DEVICE);
}

static struct se_portal_group *vsp_make_tpg(struct se_wwn *wwn,
					    const char *name)
{
	struct vsp_wwn *vw = container_of(wwn, struct vsp_wwn, wwn);
	struct vsp_tpg *tpg;
	char dname[VSP_WWN_LEN + 16];
	u16 tpgt;
	int ret;

	if (strncmp(name, "tpgt_", 5) || kstrtou16(name + 5, 10, &tpgt))
		return ERR_PTR(-EINVAL);
	tpg = kzalloc(sizeof(*tpg), GFP_KERNEL);
	if (!tpg)
		return ERR_PTR(-ENOMEM);
	tpg->vw = vw;
	tpg->tpgt = tpgt;
	mutex_init(&tpg->lock);
	spin_lock_init(&tpg->prim_lock);
	ret = core_tpg_register(wwn, &tpg->se_tpg, SCSI_PROTOCOL_SAS);
	if (ret < 0) {
		kfree(tpg);
		return ERR_PTR(ret);
	}
	snprintf(dname, sizeof(dname), "%s.t%u", vw->name, tpgt);
	tpg->dbg = debugfs_create_dir(dname, vsp_dbg);
	return &tpg->se_tpg;
}

static void vsp_drop_tpg(struct se_portal_group *se_tpg)
{
	struct vsp_tpg *tpg = to_vsp_tpg(se_tpg);

	vsp_enable_tpg(se_tpg, false);
	core_tpg_deregister(se_tpg);
	debugfs_remove(tpg->dbg);
	kfree(tpg);
}

static struct se_wwn *vsp_make_wwn(struct target_fabric_configfs *tf,
				   struct config_group *group,
				   const char *name)
{
	struct vsp_wwn *vw;
	u32 part, ctrl;
	char end;

	if (strlen(name) >= VSP_WWN_LEN ||
	    sscanf(name, "p%u.c%u%c", &part, &ctrl, &end) != 2 ||
	    ctrl > 0xffff) {
		pr_err("WWN \"%s\": expected p<partition>.c<controller>\n",
		       name);
		return ERR_PTR(-EINVAL);
	}
	vw = kzalloc(sizeof(*vw), GFP_KERNEL);
	if (!vw)
		return ERR_PTR(-ENOMEM);
	strscpy(vw->name, name, sizeof(vw->name));
	vw->partition = part;
	vw->controller = ctrl;
	return &vw->wwn;
}

static void vsp_drop_wwn(struct se_wwn *wwn)
{
	kfree(container_of(wwn, struct vsp_wwn, wwn));
}

static const struct target_core_fabric_ops vsp_ops = {
	.module				= THIS_MODULE,
	.fabric_name			= "ohv_storvsp",
	.tpg_get_wwn			= vsp_get_wwn,
	.tpg_get_tag			= vsp_get_tag,
	.tpg_check_demo_mode		= vsp_true,
	.tpg_check_demo_mode_cache	= vsp_true,
	.tpg_check_demo_mode_write_protect = vsp_false,
	.tpg_check_prod_mode_write_protect = vsp_false,
	.tpg_get_inst_index		= vsp_inst_index,
	.check_stop_free		= vsp_check_stop_free,
	.release_cmd			= vsp_release_cmd,
	.sess_get_index			= vsp_sess_index,
	.write_pending			= vsp_write_pending,
	.set_default_node_attributes	= vsp_set_default_node_attrs,
	.get_cmd_state			= vsp_get_cmd_state,
	.queue_data_in			= vsp_queue_data_in,
	.queue_status			= vsp_queue_status,
	.queue_tm_rsp			= vsp_queue_tm_rsp,
	.aborted_task			= vsp_aborted_task,
	.fabric_make_wwn		= vsp_make_wwn,
	.fabric_drop_wwn		= vsp_drop_wwn,
	.fabric_make_tpg		= vsp_make_tpg,
	.fabric_drop_tpg		= vsp_drop_tpg,
	.fabric_enable_tpg		= vsp_enable_tpg,
	.fabric_post_link		= vsp_post_link,
	.fabric_post_unlink		= vsp_post_unlink,
};

static int __init vsp_init(void)
{
	int ret;

	BUILD_BUG_ON(PAGE_SIZE != OHV_HV_PAGE_SIZE);
	vsp_wq = alloc_workqueue("ohv_storvsp", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!vsp_wq)
		return -ENOMEM;
	vsp_dbg = debugfs_create_dir("ohv_storvsp", NULL);
	ret = target_register_template(&vsp_ops);
	if (ret) {
		debugfs_remove(vsp_dbg);
		destroy_workqueue(vsp_wq);
	}
	return ret;
}

static void __exit vsp_exit(void)
{
	target_unregister_template(&vsp_ops);
	debugfs_remove(vsp_dbg);
	destroy_workqueue(vsp_wq);
}

module_init(vsp_init);
module_exit(vsp_exit);

MODULE_DESCRIPTION("ohv synthetic SCSI provider (LIO fabric)");
MODULE_LICENSE("GPL");
