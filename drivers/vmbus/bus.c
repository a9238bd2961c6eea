// SPDX-License-Identifier: GPL-2.0
/*
 * ohvbus: the bus guest devices live on. A device is a primary channel
 * offer; a driver binds by the offer's class GUID.
 *
 * sysfs, per device (/sys/bus/ohvbus/devices/<partition>-<instance>/):
 *   class_id, device_id   interface type and instance GUIDs
 *   id                    the channel's relid
 *   partition             the partition (connection) it came from
 *   state                 offered, opening, open or rescinded
 *   channel/              ring indices, interrupt mask, pending_send_sz,
 *                         interrupt/signal/byte counters, broken flags
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

#include "core.h"

static int ohv_bus_match(struct device *dev, struct device_driver *drv);
static int ohv_bus_probe(struct device *dev);
static void ohv_bus_remove(struct device *dev);
static int ohv_bus_uevent(struct device *dev, struct kobj_uevent_env *env);

static const struct attribute_group *ohv_dev_groups[];

static struct bus_type ohv_bus = {
	.name = "ohvbus",
	.match = ohv_bus_match,
	.probe = ohv_bus_probe,
	.remove = ohv_bus_remove,
	.uevent = ohv_bus_uevent,
	.dev_groups = ohv_dev_groups,
};

/* ---------------------------------------------------------------------- */
/* Attributes                                                             */
/* ---------------------------------------------------------------------- */

static ssize_t class_id_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", &to_ohv_device(dev)->class_id);
}
static DEVICE_ATTR_RO(class_id);

static ssize_t device_id_show(struct device *dev, struct device_attribute *a,
			      char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", &to_ohv_device(dev)->instance_id);
}
static DEVICE_ATTR_RO(device_id);

static ssize_t id_show(struct device *dev, struct device_attribute *a,
		       char *buf)
{
	return sysfs_emit(buf, "%u\n", to_ohv_device(dev)->channel->relid);
}
static DEVICE_ATTR_RO(id);

static ssize_t partition_show(struct device *dev, struct device_attribute *a,
			      char *buf)
{
	struct ohv_link *link = to_ohv_device(dev)->channel->conn->link;

	return sysfs_emit(buf, "%u\n", link->ops->partition_id(link));
}
static DEVICE_ATTR_RO(partition);

static ssize_t state_show(struct device *dev, struct device_attribute *a,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  ohv_chan_state_name(to_ohv_device(dev)->channel));
}
static DEVICE_ATTR_RO(state);

static ssize_t modalias_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "ohvbus:%pUl\n", &to_ohv_device(dev)->class_id);
}
static DEVICE_ATTR_RO(modalias);

static struct attribute *ohv_dev_attrs[] = {
	&dev_attr_class_id.attr,
	&dev_attr_device_id.attr,
	&dev_attr_id.attr,
	&dev_attr_partition.attr,
	&dev_attr_state.attr,
	&dev_attr_modalias.attr,
	NULL,
};

static const struct attribute_group ohv_dev_group = {
	.attrs = ohv_dev_attrs,
};

/* channel/: one value per file, read from the ring headers or counters. */
enum ohv_chan_attr_id {
	OHV_A_OUT_WRITE, OHV_A_OUT_READ, OHV_A_OUT_MASK, OHV_A_OUT_PENDING,
	OHV_A_OUT_SIZE, OHV_A_IN_WRITE, OHV_A_IN_READ, OHV_A_IN_MASK,
	OHV_A_IN_PENDING, OHV_A_IN_SIZE, OHV_A_BROKEN, OHV_A_INTERRUPTS,
	OHV_A_SIGNALS, OHV_A_TX_BYTES, OHV_A_RX_BYTES, OHV_A_TX_FULL,
};

static u64 ohv_chan_attr_value(struct ohv_channel *chan, unsigned long id)
{
	struct ohv_chan_stats *st = &chan->stats;
	struct ohv_chan_snap s;

	ohv_chan_snapshot(chan, &s);
	switch (id) {
	case OHV_A_OUT_WRITE: return s.out.write_index;
	case OHV_A_OUT_READ: return s.out.read_index;
	case OHV_A_OUT_MASK: return s.out.interrupt_mask;
	case OHV_A_OUT_PENDING: return s.out.pending_send_sz;
	case OHV_A_OUT_SIZE: return s.out.size;
	case OHV_A_IN_WRITE: return s.in.write_index;
	case OHV_A_IN_READ: return s.in.read_index;
	case OHV_A_IN_MASK: return s.in.interrupt_mask;
	case OHV_A_IN_PENDING: return s.in.pending_send_sz;
	case OHV_A_IN_SIZE: return s.in.size;
	case OHV_A_BROKEN: return s.out_broken || s.in_broken;
	case OHV_A_INTERRUPTS: return atomic64_read(&st->interrupts);
	case OHV_A_SIGNALS: return atomic64_read(&st->signals);
	case OHV_A_TX_BYTES: return atomic64_read(&st->tx_bytes);
	case OHV_A_RX_BYTES: return atomic64_read(&st->rx_bytes);
	case OHV_A_TX_FULL: return atomic64_read(&st->tx_full);
	}
	return 0;
}

static ssize_t ohv_chan_attr_show(struct device *dev,
				  struct device_attribute *a, char *buf)
{
	struct dev_ext_attribute *ea = container_of(a, struct dev_ext_attribute,
						    attr);

	return sysfs_emit(buf, "%llu\n",
			  ohv_chan_attr_value(to_ohv_device(dev)->channel,
					      (unsigned long)ea->var));
}

#define OHV_CHAN_ATTR(_name, _id) \
	{ __ATTR(_name, 0444, ohv_chan_attr_show, NULL), (void *)(_id) }

static struct dev_ext_attribute ohv_chan_ext_attrs[] = {
	OHV_CHAN_ATTR(out_write_index, OHV_A_OUT_WRITE),
	OHV_CHAN_ATTR(out_read_index, OHV_A_OUT_READ),
	OHV_CHAN_ATTR(out_interrupt_mask, OHV_A_OUT_MASK),
	OHV_CHAN_ATTR(out_pending_send_sz, OHV_A_OUT_PENDING),
	OHV_CHAN_ATTR(out_size, OHV_A_OUT_SIZE),
	OHV_CHAN_ATTR(in_write_index, OHV_A_IN_WRITE),
	OHV_CHAN_ATTR(in_read_index, OHV_A_IN_READ),
	OHV_CHAN_ATTR(in_interrupt_mask, OHV_A_IN_MASK),
	OHV_CHAN_ATTR(in_pending_send_sz, OHV_A_IN_PENDING),
	OHV_CHAN_ATTR(in_size, OHV_A_IN_SIZE),
	OHV_CHAN_ATTR(broken, OHV_A_BROKEN),
	OHV_CHAN_ATTR(interrupts, OHV_A_INTERRUPTS),
	OHV_CHAN_ATTR(signals, OHV_A_SIGNALS),
	OHV_CHAN_ATTR(tx_bytes, OHV_A_TX_BYTES),
	OHV_CHAN_ATTR(rx_bytes, OHV_A_RX_BYTES),
	OHV_CHAN_ATTR(tx_full, OHV_A_TX_FULL),
};

static struct attribute *ohv_chan_attrs[ARRAY_SIZE(ohv_chan_ext_attrs) + 1];

static const struct attribute_group ohv_chan_group = {
	.name = "channel",
	.attrs = ohv_chan_attrs,
};

static const struct attribute_group *ohv_dev_groups[] = {
	&ohv_dev_group,
	&ohv_chan_group,
	NULL,
};

/* ---------------------------------------------------------------------- */
/* Matching and binding                                                   */
/* ---------------------------------------------------------------------- */

static const struct ohv_device_id *ohv_match_id(const struct ohv_driver *drv,
						const struct ohv_device *odev)
{
	const struct ohv_device_id *id;

	for (id = drv->id_table; id && !guid_is_null(&id->guid); id++)
		if (guid_equal(&id->guid, &odev->class_id))
			return id;
	return NULL;
}

static int ohv_bus_match(struct device *dev, struct device_driver *drv)
{
	return !!ohv_match_id(to_ohv_driver(drv), to_ohv_device(dev));
}

static int ohv_bus_probe(struct device *dev)
{
	struct ohv_driver *drv = to_ohv_driver(dev->driver);
	struct ohv_device *odev = to_ohv_device(dev);
	const struct ohv_device_id *id = ohv_match_id(drv, odev);

	if (!id || !drv->probe)
		return -ENODEV;
	if (ohv_chan_rescinded(odev->channel))
		return -ENODEV;
	return drv->probe(odev, id);
}

static void ohv_bus_remove(struct device *dev)
{
	struct ohv_driver *drv = to_ohv_driver(dev->driver);
	struct ohv_device *odev = to_ohv_device(dev);

	if (drv->remove)
		drv->remove(odev);
	/* A driver that forgot to close must not leave the rings in use. */
	ohv_guest_close(odev->channel);
}

static int ohv_bus_uevent(struct device *dev, struct kobj_uevent_env *env)
{
	return add_uevent_var(env, "MODALIAS=ohvbus:%pUl",
			      &to_ohv_device(dev)->class_id);
}

/**
 * __ohv_driver_register() - register a guest driver
 * @drv: the driver
 * @owner: the module implementing it (ohv_driver_register() passes it)
 *
 * Return: 0 or a negative errno.
 */
int __ohv_driver_register(struct ohv_driver *drv, struct module *owner)
{
	drv->driver.name = drv->name;
	drv->driver.bus = &ohv_bus;
	drv->driver.owner = owner;
	drv->driver.mod_name = KBUILD_MODNAME;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__ohv_driver_register);

/**
 * ohv_driver_unregister() - unregister a guest driver
 * @drv: the driver; remove() runs for every bound device first
 */
void ohv_driver_unregister(struct ohv_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(ohv_driver_unregister);

/* ---------------------------------------------------------------------- */
/* Devices                                                                */
/* ---------------------------------------------------------------------- */

static void ohv_device_release(struct device *dev)
{
	struct ohv_device *odev = to_ohv_device(dev);

	ohv_chan_put(odev->channel);
	kfree(odev);
}

/**
 * ohv_device_add() - put a primary channel on the bus
 * @chan: the channel; the device holds a reference
 *
 * Device workqueue only; probing may open the channel.
 *
 * Return: 0 or a negative errno.
 */
int ohv_device_add(struct ohv_channel *chan)
{
	struct ohv_link *link = chan->conn->link;
	struct ohv_device *odev;
	int ret;

	odev = kzalloc(sizeof(*odev), GFP_KERNEL);
	if (!odev)
		return -ENOMEM;
	odev->class_id = chan->offer.if_type;
	odev->instance_id = chan->offer.if_instance;
	odev->channel = chan;
	ohv_chan_get(chan);
	device_initialize(&odev->dev);
	odev->dev.bus = &ohv_bus;
	odev->dev.release = ohv_device_release;
	ret = dev_set_name(&odev->dev, "%u-%pUl",
			   link->ops->partition_id(link), &odev->instance_id);
	if (ret)
		goto err;
	mutex_lock(&chan->conn->lock);
	chan->dev = odev;
	mutex_unlock(&chan->conn->lock);
	ret = device_add(&odev->dev);
	if (ret) {
		mutex_lock(&chan->conn->lock);
		chan->dev = NULL;
		mutex_unlock(&chan->conn->lock);
		goto err;
	}
	return 0;
err:
	put_device(&odev->dev);
	return ret;
}

/**
 * ohv_device_remove() - take a primary channel's device off the bus
 * @chan: the channel; nothing happens if it has no device (any more)
 */
void ohv_device_remove(struct ohv_channel *chan)
{
	struct ohv_device *odev;

	mutex_lock(&chan->conn->lock);
	odev = chan->dev;
	chan->dev = NULL;
	mutex_unlock(&chan->conn->lock);
	if (odev)
		device_unregister(&odev->dev);
}

int ohv_bus_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ohv_chan_ext_attrs); i++)
		ohv_chan_attrs[i] = &ohv_chan_ext_attrs[i].attr.attr;
	return bus_register(&ohv_bus);
}

void ohv_bus_exit(void)
{
	bus_unregister(&ohv_bus);
}
