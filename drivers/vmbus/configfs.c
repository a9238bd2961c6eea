// SPDX-License-Identifier: GPL-2.0
/*
 * ohv VMBus provider registry and its configfs interface: user space
 * offers instances of registered providers to partitions, and creates and
 * removes loopback partitions at run time.
 *
 *   /sys/kernel/config/ohv_vmbus/
 *     providers                  registered provider names, one per line
 *     partitions/<id>/           mkdir: use partition <id>; a loopback
 *                                partition is created if none exists
 *       loopback                 1 if this directory created it (rmdir
 *                                then removes it again), else 0
 *       <offer>/                 mkdir: a new, not yet offered instance
 *         provider               provider name
 *         instance               instance GUID (random by default)
 *         user_def               offer data, hex, up to 120 bytes
 *         enable                 1: offer, 0: rescind
 *         relid                  the channel's relid while offered, else 0
 *
 * provider, instance and user_def can only change while not offered.
 * rmdir of an offer rescinds it. A provider that unregisters (its module
 * unloads) rescinds its offers first; their directories stay, disabled.
 * See drivers/vmbus/README.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/configfs.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core.h"

/* Registry and offers: the list, every offer's state. */
static DEFINE_MUTEX(ohv_prov_mutex);
static LIST_HEAD(ohv_prov_types);

/**
 * struct ohv_cfs_offer - one offer directory
 * @item: the configfs item
 * @part: the partition directory it is in
 * @type: the provider type while offered (NULL otherwise)
 * @node: entry in @type's offers
 * @prov_name: what was written to "provider"
 * @instance: the instance GUID
 * @user_def: offer data
 * @chan: the offered channel, or NULL
 * @priv: what the type's instance_add returned
 */
struct ohv_cfs_offer {
	struct config_item item;
	struct ohv_cfs_part *part;
	struct ohv_provider_type *type;
	struct list_head node;
	char prov_name[32];
	guid_t instance;
	u8 user_def[OHV_OFFER_USER_DEF_LEN];
	struct ohv_channel *chan;
	void *priv;
};

/**
 * struct ohv_cfs_part - one partition directory
 * @group: the configfs group
 * @id: partition id
 * @part: the partition, referenced
 * @created: this directory created the loopback partition
 */
struct ohv_cfs_part {
	struct config_group group;
	u32 id;
	struct ohv_partition *part;
	bool created;
};

static struct ohv_provider_type *ohv_prov_find(const char *name)
{
	struct ohv_provider_type *t;

	list_for_each_entry(t, &ohv_prov_types, node)
		if (!strcmp(t->prov->name, name))
			return t;
	return NULL;
}

/* ohv_prov_mutex held */
static void ohv_cfs_offer_stop(struct ohv_cfs_offer *o)
{
	struct ohv_provider_type *type = o->type;

	if (!o->chan)
		return;
	ohv_host_rescind(o->chan);
	o->chan = NULL;
	list_del_init(&o->node);
	o->type = NULL;
	if (type->instance_remove)
		type->instance_remove(o->priv);
	o->priv = NULL;
}

/* ohv_prov_mutex held */
static int ohv_cfs_offer_start(struct ohv_cfs_offer *o)
{
	struct ohv_offer_params params = { .instance_id = o->instance };
	struct ohv_provider_type *type;
	struct ohv_channel *chan;
	u8 user_def[OHV_OFFER_USER_DEF_LEN];
	void *priv = NULL;

	if (o->chan)
		return 0;
	type = ohv_prov_find(o->prov_name);
	if (!type)
		return -ENOENT;
	memcpy(user_def, o->user_def, sizeof(user_def));
	if (type->instance_add) {
		priv = type->instance_add(o->part->part, &o->instance,
					  user_def);
		if (IS_ERR(priv))
			return PTR_ERR(priv);
	}
	params.user_def = user_def;
	params.priv = priv;
	chan = ohv_host_offer(o->part->part, type->prov, &params);
	if (IS_ERR(chan)) {
		if (type->instance_remove)
			type->instance_remove(priv);
		return PTR_ERR(chan);
	}
	o->chan = chan;
	o->priv = priv;
	o->type = type;
	list_add_tail(&o->node, &type->offers);
	return 0;
}

/**
 * ohv_provider_register() - make a provider type visible to the tools
 * @type: the type; @type->prov->name must be unique and must stay valid
 *	until ohv_provider_unregister()
 *
 * Return: 0, -EINVAL for a nameless provider, -EEXIST for a taken name.
 */
int ohv_provider_register(struct ohv_provider_type *type)
{
	int ret = 0;

	if (!type->prov || !type->prov->name || !type->prov->name[0])
		return -EINVAL;
	INIT_LIST_HEAD(&type->offers);
	mutex_lock(&ohv_prov_mutex);
	if (ohv_prov_find(type->prov->name))
		ret = -EEXIST;
	else
		list_add_tail(&type->node, &ohv_prov_types);
	mutex_unlock(&ohv_prov_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(ohv_provider_register);

/**
 * ohv_provider_unregister() - withdraw a provider type
 * @type: a registered type
 *
 * Process context. Rescinds every instance offered through configfs (their
 * directories stay, disabled); instances the provider offered itself with
 * ohv_host_offer() are the provider's to rescind.
 */
void ohv_provider_unregister(struct ohv_provider_type *type)
{
	struct ohv_cfs_offer *o, *tmp;

	mutex_lock(&ohv_prov_mutex);
	list_for_each_entry_safe(o, tmp, &type->offers, node)
		ohv_cfs_offer_stop(o);
	list_del(&type->node);
	mutex_unlock(&ohv_prov_mutex);
}
EXPORT_SYMBOL_GPL(ohv_provider_unregister);

#if IS_ENABLED(CONFIG_CONFIGFS_FS)

/* ---------------------------------------------------------------------- */
/* Offers                                                                 */
/* ---------------------------------------------------------------------- */

static struct ohv_cfs_offer *to_offer(struct config_item *item)
{
	return container_of(item, struct ohv_cfs_offer, item);
}

static ssize_t ohv_cfs_offer_provider_show(struct config_item *item,
					   char *page)
{
	struct ohv_cfs_offer *o = to_offer(item);
	ssize_t n;

	mutex_lock(&ohv_prov_mutex);
	n = sysfs_emit(page, "%s\n", o->prov_name);
	mutex_unlock(&ohv_prov_mutex);
	return n;
}

/*
 * Store @len bytes from @src in @dst, a setting of @o, unless @o is
 * enabled (the settings of an offered instance are fixed): @count or
 * -EBUSY.
 */
static ssize_t ohv_cfs_offer_set(struct ohv_cfs_offer *o, void *dst,
				 const void *src, size_t len, size_t count)
{
	ssize_t ret = count;

	mutex_lock(&ohv_prov_mutex);
	if (o->chan)
		ret = -EBUSY;
	else
		memcpy(dst, src, len);
	mutex_unlock(&ohv_prov_mutex);
	return ret;
}

static ssize_t ohv_cfs_offer_provider_store(struct config_item *item,
					    const char *page, size_t count)
{
	struct ohv_cfs_offer *o = to_offer(item);
	char name[sizeof(o->prov_name)];
	const char *s;

	if (strscpy(name, page, sizeof(name)) < 0)
		return -EINVAL;
	s = strim(name);
	return ohv_cfs_offer_set(o, o->prov_name, s, strlen(s) + 1, count);
}

static ssize_t ohv_cfs_offer_instance_show(struct config_item *item,
					   char *page)
{
	struct ohv_cfs_offer *o = to_offer(item);
	ssize_t n;

	mutex_lock(&ohv_prov_mutex);
	n = sysfs_emit(page, "%pUl\n", &o->instance);
	mutex_unlock(&ohv_prov_mutex);
	return n;
}

static ssize_t ohv_cfs_offer_instance_store(struct config_item *item,
					    const char *page, size_t count)
{
	struct ohv_cfs_offer *o = to_offer(item);
	char buf[UUID_STRING_LEN + 4], *s;
	guid_t g;

	if (count >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, page, count);
	buf[count] = '\0';
	s = strim(buf);
	/* Braces as in sysfs class_id/device_id are fine. */
	if (s[0] == '{' && strlen(s) == UUID_STRING_LEN + 2 &&
	    s[UUID_STRING_LEN + 1] == '}') {
		s[UUID_STRING_LEN + 1] = '\0';
		s++;
	}
	if (guid_parse(s, &g))
		return -EINVAL;
	return ohv_cfs_offer_set(o, &o->instance, &g, sizeof(g), count);
}

static ssize_t ohv_cfs_offer_user_def_show(struct config_item *item,
					   char *page)
{
	struct ohv_cfs_offer *o = to_offer(item);
	ssize_t n;

	mutex_lock(&ohv_prov_mutex);
	n = bin2hex(page, o->user_def, sizeof(o->user_def)) - page;
	mutex_unlock(&ohv_prov_mutex);
	page[n++] = '\n';
	return n;
}

static ssize_t ohv_cfs_offer_user_def_store(struct config_item *item,
					    const char *page, size_t count)
{
	struct ohv_cfs_offer *o = to_offer(item);
	u8 ud[OHV_OFFER_USER_DEF_LEN] = {};
	size_t len = count;

	while (len && isspace(page[len - 1]))
		len--;
	if (len % 2 || len / 2 > sizeof(ud) ||
	    hex2bin(ud, page, len / 2))
		return -EINVAL;
	return ohv_cfs_offer_set(o, o->user_def, ud, sizeof(ud), count);
}

static ssize_t ohv_cfs_offer_enable_show(struct config_item *item,
					 char *page)
{
	struct ohv_cfs_offer *o = to_offer(item);
	ssize_t n;

	mutex_lock(&ohv_prov_mutex);
	n = sysfs_emit(page, "%d\n", !!o->chan);
	mutex_unlock(&ohv_prov_mutex);
	return n;
}

static ssize_t ohv_cfs_offer_enable_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct ohv_cfs_offer *o = to_offer(item);
	bool on;
	int ret;

	ret = kstrtobool(page, &on);
	if (ret)
		return ret;
	mutex_lock(&ohv_prov_mutex);
	if (on)
		ret = ohv_cfs_offer_start(o);
	else
		ohv_cfs_offer_stop(o);
	mutex_unlock(&ohv_prov_mutex);
	return ret ?: count;
}

static ssize_t ohv_cfs_offer_relid_show(struct config_item *item, char *page)
{
	struct ohv_cfs_offer *o = to_offer(item);
	ssize_t n;

	mutex_lock(&ohv_prov_mutex);
	n = sysfs_emit(page, "%u\n", o->chan ? ohv_chan_relid(o->chan) : 0);
	mutex_unlock(&ohv_prov_mutex);
	return n;
}

CONFIGFS_ATTR(ohv_cfs_offer_, provider);
CONFIGFS_ATTR(ohv_cfs_offer_, instance);
CONFIGFS_ATTR(ohv_cfs_offer_, user_def);
CONFIGFS_ATTR(ohv_cfs_offer_, enable);
CONFIGFS_ATTR_RO(ohv_cfs_offer_, relid);

static struct configfs_attribute *ohv_cfs_offer_attrs[] = {
	&ohv_cfs_offer_attr_provider,
	&ohv_cfs_offer_attr_instance,
	&ohv_cfs_offer_attr_user_def,
	&ohv_cfs_offer_attr_enable,
	&ohv_cfs_offer_attr_relid,
	NULL,
};

static void ohv_cfs_offer_release(struct config_item *item)
{
	kfree(to_offer(item));
}

static struct configfs_item_operations ohv_cfs_offer_ops = {
	.release = ohv_cfs_offer_release,
};

static const struct config_item_type ohv_cfs_offer_type = {
	.ct_item_ops = &ohv_cfs_offer_ops,
	.ct_attrs = ohv_cfs_offer_attrs,
	.ct_owner = THIS_MODULE,
};

/* ---------------------------------------------------------------------- */
/* Partitions                                                             */
/* ---------------------------------------------------------------------- */

static struct ohv_cfs_part *to_part(struct config_item *item)
{
	return container_of(to_config_group(item), struct ohv_cfs_part, group);
}

static struct config_item *ohv_cfs_offer_make(struct config_group *group,
					      const char *name)
{
	struct ohv_cfs_offer *o;

	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return ERR_PTR(-ENOMEM);
	o->part = to_part(&group->cg_item);
	INIT_LIST_HEAD(&o->node);
	guid_gen(&o->instance);
	config_item_init_type_name(&o->item, name, &ohv_cfs_offer_type);
	return &o->item;
}

static void ohv_cfs_offer_drop(struct config_group *group,
			       struct config_item *item)
{
	mutex_lock(&ohv_prov_mutex);
	ohv_cfs_offer_stop(to_offer(item));
	mutex_unlock(&ohv_prov_mutex);
	config_item_put(item);
}

static ssize_t ohv_cfs_part_loopback_show(struct config_item *item,
					  char *page)
{
	return sysfs_emit(page, "%d\n", to_part(item)->created);
}

CONFIGFS_ATTR_RO(ohv_cfs_part_, loopback);

static struct configfs_attribute *ohv_cfs_part_attrs[] = {
	&ohv_cfs_part_attr_loopback,
	NULL,
};

static void ohv_cfs_part_release(struct config_item *item)
{
	struct ohv_cfs_part *p = to_part(item);

	ohv_partition_put(p->part);
	if (p->created)
		ohv_loopback_destroy(p->id);
	kfree(p);
}

static struct configfs_item_operations ohv_cfs_part_item_ops = {
	.release = ohv_cfs_part_release,
};

static struct configfs_group_operations ohv_cfs_part_group_ops = {
	.make_item = ohv_cfs_offer_make,
	.drop_item = ohv_cfs_offer_drop,
};

static const struct config_item_type ohv_cfs_part_type = {
	.ct_item_ops = &ohv_cfs_part_item_ops,
	.ct_group_ops = &ohv_cfs_part_group_ops,
	.ct_attrs = ohv_cfs_part_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_group *ohv_cfs_part_make(struct config_group *group,
					      const char *name)
{
	struct ohv_cfs_part *p;
	u32 id;
	int ret;

	if (kstrtou32(name, 10, &id))
		return ERR_PTR(-EINVAL);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->id = id;
	p->part = ohv_partition_get(id);
	if (!p->part) {
		ret = ohv_loopback_create(id);
		if (!ret)
			p->created = true;
		else if (ret != -EEXIST)
			goto err;
		p->part = ohv_partition_get(id);
		ret = -ENODEV;
		if (!p->part)
			goto err_created;
	}
	config_group_init_type_name(&p->group, name, &ohv_cfs_part_type);
	return &p->group;

err_created:
	if (p->created)
		ohv_loopback_destroy(id);
err:
	kfree(p);
	return ERR_PTR(ret);
}

static void ohv_cfs_part_drop(struct config_group *group,
			      struct config_item *item)
{
	config_item_put(item);
}

static struct configfs_group_operations ohv_cfs_parts_group_ops = {
	.make_group = ohv_cfs_part_make,
	.drop_item = ohv_cfs_part_drop,
};

static const struct config_item_type ohv_cfs_parts_type = {
	.ct_group_ops = &ohv_cfs_parts_group_ops,
	.ct_owner = THIS_MODULE,
};

/* ---------------------------------------------------------------------- */
/* Root                                                                   */
/* ---------------------------------------------------------------------- */

static ssize_t ohv_cfs_root_providers_show(struct config_item *item,
					   char *page)
{
	struct ohv_provider_type *t;
	ssize_t n = 0;

	mutex_lock(&ohv_prov_mutex);
	list_for_each_entry(t, &ohv_prov_types, node)
		n += sysfs_emit_at(page, n, "%s\n", t->prov->name);
	mutex_unlock(&ohv_prov_mutex);
	return n;
}

CONFIGFS_ATTR_RO(ohv_cfs_root_, providers);

static struct configfs_attribute *ohv_cfs_root_attrs[] = {
	&ohv_cfs_root_attr_providers,
	NULL,
};

static const struct config_item_type ohv_cfs_root_type = {
	.ct_attrs = ohv_cfs_root_attrs,
	.ct_owner = THIS_MODULE,
};

static struct configfs_subsystem ohv_cfs_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "ohv_vmbus",
			.ci_type = &ohv_cfs_root_type,
		},
	},
};

static struct config_group ohv_cfs_parts;

int ohv_configfs_init(void)
{
	int ret;

	config_group_init(&ohv_cfs_subsys.su_group);
	mutex_init(&ohv_cfs_subsys.su_mutex);
	config_group_init_type_name(&ohv_cfs_parts, "partitions",
				    &ohv_cfs_parts_type);
	configfs_add_default_group(&ohv_cfs_parts, &ohv_cfs_subsys.su_group);
	ret = configfs_register_subsystem(&ohv_cfs_subsys);
	if (ret)
		pr_err("configfs: cannot register: %d\n", ret);
	return ret;
}

void ohv_configfs_exit(void)
{
	configfs_unregister_subsystem(&ohv_cfs_subsys);
}

#else /* !CONFIG_CONFIGFS_FS */

int ohv_configfs_init(void)
{
	return 0;
}

void ohv_configfs_exit(void)
{
}

#endif /* CONFIG_CONFIGFS_FS */
