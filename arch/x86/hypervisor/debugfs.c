// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/ohv_hyp/<partition id>/vp<N>/exits lists
 * how often each VP left the guest, per exit reason.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "ohv.h"

static struct dentry *ohv_debugfs_root;

static int ohv_debugfs_exits_show(struct seq_file *s, void *unused)
{
	struct ohv_vp *vp = s->private;
	int i;

	/* Counters are bumped by the VP thread; a racy snapshot is fine. */
	for (i = 0; i < OHV_EXIT_NR; i++)
		seq_printf(s, "%-14s %llu\n", ohv_exit_names[i],
			   READ_ONCE(vp->exits[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ohv_debugfs_exits);

void ohv_debugfs_init(void)
{
	ohv_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void ohv_debugfs_exit(void)
{
	debugfs_remove_recursive(ohv_debugfs_root);
}

void ohv_debugfs_partition_add(struct ohv_partition *p)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", p->id);
	p->debugfs = debugfs_create_dir(name, ohv_debugfs_root);
}

void ohv_debugfs_vp_add(struct ohv_vp *vp)
{
	char name[16];

	snprintf(name, sizeof(name), "vp%u", vp->index);
	vp->debugfs = debugfs_create_dir(name, vp->part->debugfs);
	debugfs_create_file("exits", 0400, vp->debugfs, vp,
			    &ohv_debugfs_exits_fops);
}

void ohv_debugfs_remove(struct dentry *d)
{
	debugfs_remove_recursive(d);
}
