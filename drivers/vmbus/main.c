// SPDX-License-Identifier: GPL-2.0
/*
 * ohv_vmbus.ko: VMBus wire formats, ring buffer, protocol engine, the
 * ohvbus bus and the loopback transport.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "core.h"

static int __init ohv_vmbus_init(void)
{
	int ret;

	ret = ohv_bus_init();
	if (ret)
		return ret;
	ohv_debugfs_init();
	ret = ohv_loopback_init();
	if (ret)
		goto err_debugfs;
	ret = ohv_configfs_init();
	if (ret)
		goto err_loopback;
	return 0;

err_loopback:
	ohv_loopback_exit();
err_debugfs:
	ohv_debugfs_exit();
	ohv_bus_exit();
	return ret;
}

static void __exit ohv_vmbus_exit(void)
{
	ohv_configfs_exit();
	ohv_loopback_exit();
	ohv_debugfs_exit();
	ohv_bus_exit();
}

module_init(ohv_vmbus_init);
module_exit(ohv_vmbus_exit);

MODULE_DESCRIPTION("ohv VMBus: Hyper-V compatible channel engine and bus");
MODULE_LICENSE("GPL");
