// SPDX-License-Identifier: GPL-2.0
/*
 * ohv_hyp module core: backend selection, per-CPU enablement and the
 * /dev/ohv-hyp system device.
 *
 * Unloading: every partition and VP fd holds a reference on this module
 * (their file_operations have .owner = THIS_MODULE), so rmmod fails with
 * EBUSY while any of them is open, and nothing can run after exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/cpuhotplug.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#include "ohv.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

const struct ohv_backend_ops *ohv_backend;

const char *const ohv_exit_names[OHV_EXIT_NR] = {
	[OHV_EXIT_HOST_EVENT]		= "host_event",
	[OHV_EXIT_IRQ_WINDOW]		= "irq_window",
	[OHV_EXIT_CPUID]		= "cpuid",
	[OHV_EXIT_MSR_READ]		= "msr_read",
	[OHV_EXIT_MSR_WRITE]		= "msr_write",
	[OHV_EXIT_IO]			= "io",
	[OHV_EXIT_HLT]			= "hlt",
	[OHV_EXIT_SHUTDOWN]		= "shutdown",
	[OHV_EXIT_NPF]			= "npf",
	[OHV_EXIT_HYPERCALL]		= "hypercall",
	[OHV_EXIT_EXCEPTION]		= "exception",
	[OHV_EXIT_UD]			= "ud",
	[OHV_EXIT_CR_WRITE]		= "cr_write",
	[OHV_EXIT_INVALID_STATE]	= "invalid_state",
	[OHV_EXIT_UNHANDLED]		= "unhandled",
};

static enum cpuhp_state ohv_cpuhp_state;

static long ohv_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	if (arg)
		return -EINVAL;

	switch (cmd) {
	case OHV_HYP_GET_API_VERSION:
		return OHV_HYP_API_VERSION;
	case OHV_HYP_CREATE_PARTITION:
		return ohv_partition_create();
	case OHV_HYP_GET_TSC_KHZ:
		return tsc_khz;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations ohv_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= ohv_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice ohv_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "ohv-hyp",
	.fops	= &ohv_dev_fops,
	.mode	= 0600,
};

static int ohv_cpu_online(unsigned int cpu)
{
	return ohv_backend->cpu_enable();
}

static int ohv_cpu_offline(unsigned int cpu)
{
	ohv_backend->cpu_disable();
	return 0;
}

static int __init ohv_hyp_init(void)
{
	int ret;

	/* AMD and Hygon CPUs have SVM; everyone else gets the VMX probe. */
	if (boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
	    boot_cpu_data.x86_vendor == X86_VENDOR_HYGON)
		ohv_backend = &ohv_svm_ops;
	else
		ohv_backend = &ohv_vmx_ops;
	ret = ohv_backend->probe();
	if (ret)
		return ret;

	ret = ohv_backend->init();
	if (ret)
		return ret;

	/* Fails (and rolls back) if any online CPU cannot be enabled. */
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "ohv_hyp:online",
				ohv_cpu_online, ohv_cpu_offline);
	if (ret < 0)
		goto err_backend;
	ohv_cpuhp_state = ret;

	ohv_debugfs_init();
	ret = misc_register(&ohv_dev);
	if (ret)
		goto err_cpuhp;

	pr_info("loaded, %s backend, API version %d\n", ohv_backend->name,
		OHV_HYP_API_VERSION);
	return 0;

err_cpuhp:
	ohv_debugfs_exit();
	cpuhp_remove_state(ohv_cpuhp_state);
err_backend:
	ohv_backend->exit();
	return ret;
}

static void __exit ohv_hyp_exit(void)
{
	misc_deregister(&ohv_dev);
	ohv_debugfs_exit();
	cpuhp_remove_state(ohv_cpuhp_state);
	ohv_backend->exit();
	pr_info("unloaded\n");
}

module_init(ohv_hyp_init);
module_exit(ohv_hyp_exit);

MODULE_DESCRIPTION("ohv in-kernel hypervisor");
MODULE_LICENSE("GPL");
