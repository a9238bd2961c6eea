// SPDX-License-Identifier: GPL-2.0
/*
 * Partitions: the partition fd, its memory and its VPs.
 *
 * Lifetime: the partition fd and every VP fd each hold a reference
 * (@ref). The guest memory and second-level tables go away with the last
 * reference, so a VP that outlives the partition fd keeps working.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/fs.h>
#include <linux/anon_inodes.h>
#include <linux/slab.h>
#include <linux/idr.h>
#include <linux/uaccess.h>

#include "ohv.h"

static DEFINE_IDA(ohv_partition_ida);

static void ohv_partition_free(struct kref *ref)
{
	struct ohv_partition *p = container_of(ref, struct ohv_partition, ref);

	ohv_debugfs_remove(p->debugfs);
	ohv_memslot_remove_all(p);
	ohv_backend->partition_destroy(p);
	ida_free(&ohv_partition_ida, p->id);
	kfree(p);
}

void ohv_partition_put(struct ohv_partition *p)
{
	kref_put(&p->ref, ohv_partition_free);
}

static int ohv_partition_release(struct inode *inode, struct file *file)
{
	ohv_partition_put(file->private_data);
	return 0;
}

static long ohv_partition_set_memslot(struct ohv_partition *p,
				      void __user *argp)
{
	struct ohv_hyp_memslot req;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	return ohv_memslot_set(p, &req);
}

static long ohv_partition_remove_memslot(struct ohv_partition *p,
					 void __user *argp)
{
	u32 slot;

	if (get_user(slot, (u32 __user *)argp))
		return -EFAULT;
	return ohv_memslot_remove(p, slot);
}

/* Finds the VP with x2APIC ID @apic_id; called with vps_lock held. */
static struct ohv_vp *ohv_partition_vp_locked(struct ohv_partition *p,
					      u32 apic_id)
{
	if (apic_id >= OHV_HYP_MAX_VPS)
		return NULL;
	return p->vps[apic_id];
}

static long ohv_partition_interrupt(struct ohv_partition *p,
				    void __user *argp)
{
	struct ohv_hyp_interrupt irq;
	struct ohv_vp *vp;
	long ret = -EINVAL;

	if (copy_from_user(&irq, argp, sizeof(irq)))
		return -EFAULT;
	if (irq.vector < 16 || irq.vector > 255)
		return -EINVAL;

	spin_lock(&p->vps_lock);
	vp = ohv_partition_vp_locked(p, irq.apic_id);
	if (vp) {
		ohv_lapic_set_irr(vp, irq.vector);
		ret = 0;
	}
	spin_unlock(&p->vps_lock);
	return ret;
}

static long ohv_partition_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	struct ohv_partition *p = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case OHV_HYP_SET_MEMSLOT:
		return ohv_partition_set_memslot(p, argp);
	case OHV_HYP_REMOVE_MEMSLOT:
		return ohv_partition_remove_memslot(p, argp);
	case OHV_HYP_CREATE_VP:
		return ohv_vp_create(p, arg);
	case OHV_HYP_INTERRUPT:
		return ohv_partition_interrupt(p, argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations ohv_partition_fops = {
	.owner		= THIS_MODULE,
	.release	= ohv_partition_release,
	.unlocked_ioctl	= ohv_partition_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct ohv_partition *ohv_partition_alloc(void)
{
	struct ohv_partition *p;
	int id;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return NULL;
	id = ida_alloc(&ohv_partition_ida, GFP_KERNEL);
	if (id < 0) {
		kfree(p);
		return NULL;
	}
	p->id = id;
	kref_init(&p->ref);
	init_rwsem(&p->mem_lock);
	mutex_init(&p->vp_create_lock);
	spin_lock_init(&p->vps_lock);
	spin_lock_init(&p->synth.lock);
	return p;
}

int ohv_partition_create(void)
{
	struct ohv_partition *p;
	int ret;

	p = ohv_partition_alloc();
	if (!p)
		return -ENOMEM;

	ret = ohv_backend->partition_init(p);
	if (ret) {
		ida_free(&ohv_partition_ida, p->id);
		kfree(p);
		return ret;
	}

	ohv_debugfs_partition_add(p);
	ret = anon_inode_getfd("ohv-partition", &ohv_partition_fops, p,
			       O_RDWR | O_CLOEXEC);
	if (ret < 0)
		ohv_partition_put(p);
	return ret;
}
