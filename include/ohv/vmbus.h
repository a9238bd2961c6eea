/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ohv VMBus: the driver-facing API of ohv_vmbus.ko.
 *
 * Two kinds of drivers sit on this API:
 *
 * - Guest drivers (VSCs) bind to devices the host offered. A device appears
 *   on the "ohvbus" bus for each primary channel offer; a &struct ohv_driver
 *   matches it by class GUID. probe() opens the primary channel with
 *   ohv_chan_open(), then sends with ohv_chan_send() and receives in the
 *   callback it passed to ohv_chan_open() with ohv_chan_recv().
 *
 * - Host providers (VSPs) register a &struct ohv_provider for a class GUID
 *   and offer instances of it to a partition with ohv_host_offer(). When the
 *   guest opens the channel, &ohv_provider.open is called with the channel
 *   already backed by the guest's rings; from then on the provider uses the
 *   very same ohv_chan_send()/ohv_chan_recv() calls as a guest driver.
 *
 * Both sides of a channel are a &struct ohv_channel; which side a channel
 * object is depends on the connection it belongs to.
 */
#ifndef _OHV_VMBUS_H
#define _OHV_VMBUS_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/mod_devicetable.h>
#include <linux/types.h>
#include <linux/uuid.h>

#include <ohv/ring.h>

struct ohv_channel;
struct ohv_partition;

/** OHV_OFFER_USER_DEF_LEN - bytes of provider data carried in an offer. */
#define OHV_OFFER_USER_DEF_LEN		120
/** OHV_OPEN_USER_DATA_LEN - bytes of guest data carried in an open request. */
#define OHV_OPEN_USER_DATA_LEN		120
/** OHV_MAX_SUBCHANNELS - sub-channels a primary channel can have. */
#define OHV_MAX_SUBCHANNELS		64

/**
 * enum ohv_cb_mode - where a channel's receive callback runs
 * @OHV_CB_BATCHED: in a tasklet; the core masks the peer's interrupts
 *	around the call and calls again if data raced in when it unmasked.
 *	The callback just drains the ring with ohv_chan_recv().
 * @OHV_CB_DIRECT: in the signal's context (softirq or hard irq), with
 *	nothing masked. For NAPI-style drivers that schedule their own poll
 *	and use ohv_chan_rx_mask() / ohv_chan_rx_unmask() themselves.
 */
enum ohv_cb_mode {
	OHV_CB_BATCHED,
	OHV_CB_DIRECT,
};

/**
 * typedef ohv_chan_cb_t - receive callback of a channel
 * @chan: the channel that was signalled
 * @ctx: the context given in &ohv_chan_open_params.cb_ctx
 *
 * Never sleeps. Runs at most once at a time per channel.
 */
typedef void (*ohv_chan_cb_t)(struct ohv_channel *chan, void *ctx);

/**
 * struct ohv_chan_open_params - what a guest driver asks for when opening
 * @send_ring_bytes: guest-to-host ring data area, multiple of PAGE_SIZE
 * @recv_ring_bytes: host-to-guest ring data area, multiple of PAGE_SIZE
 * @userdata: up to %OHV_OPEN_USER_DATA_LEN bytes for the provider; may be NULL
 * @userdata_len: bytes at @userdata
 * @callback: receive callback; may be NULL for a send-only channel
 * @cb_ctx: passed to @callback
 * @cb_mode: see &enum ohv_cb_mode
 */
struct ohv_chan_open_params {
	u32 send_ring_bytes;
	u32 recv_ring_bytes;
	const void *userdata;
	u32 userdata_len;
	ohv_chan_cb_t callback;
	void *cb_ctx;
	enum ohv_cb_mode cb_mode;
};

/* ------------------------------------------------------------------ */
/* Packets                                                             */
/* ------------------------------------------------------------------ */

/*
 * Packet types (OHV_VMPKT_*), the packet descriptor and the helpers to find
 * a received packet's payload (ohv_vmpacket_payload()) come from
 * <ohv/ring.h>.
 */

/**
 * struct ohv_pkt_range - one range of a GPA-direct packet
 * @byte_count: bytes in the range
 * @byte_offset: offset into the first page
 * @pfn_count: entries in @pfns; DIV_ROUND_UP(byte_offset + byte_count, 4096)
 * @pfns: guest page frame numbers (4 KiB pages)
 */
struct ohv_pkt_range {
	u32 byte_count;
	u32 byte_offset;
	u32 pfn_count;
	const u64 *pfns;
};

int ohv_chan_send(struct ohv_channel *chan, const void *data, u32 len,
		  u64 trans_id, u16 type, u16 flags);
int ohv_chan_queue(struct ohv_channel *chan, const void *data, u32 len,
		   u64 trans_id, u16 type, u16 flags);
void ohv_chan_flush(struct ohv_channel *chan);
int ohv_chan_send_gpa(struct ohv_channel *chan,
		      const struct ohv_pkt_range *ranges, u32 nr_ranges,
		      const void *data, u32 len, u64 trans_id);
int ohv_chan_send_xfer(struct ohv_channel *chan, u16 pageset_id,
		       const struct ohv_xfer_page_range *ranges, u32 nr_ranges,
		       const void *data, u32 len, u64 trans_id);
int ohv_chan_send_wait(struct ohv_channel *chan, const void *data, u32 len,
		       u64 trans_id, u16 type, u16 flags);
int ohv_chan_recv(struct ohv_channel *chan, void *buf, u32 buflen,
		  u32 *pktlen);
int ohv_chan_recv_type(struct ohv_channel *chan, u16 type, void *buf,
		       u32 buflen, u32 *pktlen);
void ohv_chan_rx_mask(struct ohv_channel *chan);
bool ohv_chan_rx_unmask(struct ohv_channel *chan);
bool ohv_chan_can_send(struct ohv_channel *chan, u32 len);

/* ------------------------------------------------------------------ */
/* Channels                                                            */
/* ------------------------------------------------------------------ */

int ohv_chan_open(struct ohv_channel *chan,
		  const struct ohv_chan_open_params *params);
void ohv_chan_close(struct ohv_channel *chan);
bool ohv_chan_is_rescinded(const struct ohv_channel *chan);
u32 ohv_chan_relid(const struct ohv_channel *chan);
u16 ohv_chan_subchannel_index(const struct ohv_channel *chan);
const u8 *ohv_chan_offer_user_def(const struct ohv_channel *chan);
void ohv_chan_set_drvdata(struct ohv_channel *chan, void *data);
void *ohv_chan_get_drvdata(const struct ohv_channel *chan);
struct ohv_channel *ohv_chan_primary(struct ohv_channel *chan);
void ohv_chan_get(struct ohv_channel *chan);
void ohv_chan_put(struct ohv_channel *chan);

/**
 * typedef ohv_subchan_cb_t - a sub-channel was offered for a primary
 * @primary: the primary channel, opened by the driver
 * @sub: the new sub-channel; the driver may ohv_chan_open() it from here.
 *	The core closes sub-channels when the primary is closed or rescinded.
 *	A rescinded sub-channel is closed and released by the core even while
 *	the primary's device is still bound: a driver that keeps @sub beyond
 *	this callback holds it with ohv_chan_get() until it is done with it.
 *
 * Runs in process context.
 */
typedef void (*ohv_subchan_cb_t)(struct ohv_channel *primary,
				  struct ohv_channel *sub);
void ohv_chan_set_subchannel_cb(struct ohv_channel *primary,
				ohv_subchan_cb_t cb);

/* ------------------------------------------------------------------ */
/* GPADLs                                                              */
/* ------------------------------------------------------------------ */

/**
 * struct ohv_gpadl_handle - a guest buffer described to the host
 * @id: the GPADL handle the host knows the buffer by
 * @size: bytes in the buffer
 */
struct ohv_gpadl_handle {
	u32 id;
	u32 size;
};

int ohv_gpadl_establish(struct ohv_channel *chan, void *buf, u32 size,
			struct ohv_gpadl_handle *gpadl);
void ohv_gpadl_teardown(struct ohv_channel *chan, struct ohv_gpadl_handle *gpadl);

struct ohv_host_gpadl;
struct ohv_host_gpadl *ohv_host_gpadl_map(struct ohv_channel *chan, u32 id,
					  void **va, u32 *size);
void ohv_host_gpadl_unmap(struct ohv_host_gpadl *hg);

/**
 * struct ohv_host_gpadl_range - one range of a GPADL, mapped on the host
 * @va: host address of the range's first byte
 * @size: bytes in the range
 */
struct ohv_host_gpadl_range {
	void *va;
	u32 size;
};

struct ohv_host_gpadl *
ohv_host_gpadl_map_ranges(struct ohv_channel *chan, u32 id,
			  struct ohv_host_gpadl_range *ranges, u32 max_ranges,
			  u32 *nr_ranges);
void *ohv_host_map_gpa(struct ohv_channel *chan, const u64 *pfns, u32 count);
void ohv_host_unmap_gpa(struct ohv_channel *chan, void *va, u32 count);
int ohv_host_get_gpa_pages(struct ohv_channel *chan, const u64 *pfns,
			   u32 count, struct page **pages);
void ohv_host_put_gpa_pages(struct ohv_channel *chan, struct page **pages,
			    u32 count);

/* ------------------------------------------------------------------ */
/* Guest devices and drivers                                           */
/* ------------------------------------------------------------------ */

/**
 * struct ohv_device - a device on the ohvbus bus (guest side)
 * @dev: the driver-model device
 * @class_id: the offer's interface type GUID
 * @instance_id: the offer's interface instance GUID
 * @channel: the primary channel
 */
struct ohv_device {
	struct device dev;
	guid_t class_id;
	guid_t instance_id;
	struct ohv_channel *channel;
};

#define to_ohv_device(d) container_of(d, struct ohv_device, dev)

/**
 * struct ohv_device_id - an entry of a driver's id table
 * @guid: class GUID to bind to; a zero GUID ends the table
 * @driver_data: handed to probe()
 */
struct ohv_device_id {
	guid_t guid;
	kernel_ulong_t driver_data;
};

/**
 * struct ohv_driver - a guest driver
 * @name: driver name
 * @id_table: class GUIDs the driver binds to, ended by a zero GUID
 * @probe: bind; typically opens ohv_device.channel
 * @remove: unbind; must close every channel it opened
 * @driver: the driver-model driver, filled in by ohv_driver_register()
 */
struct ohv_driver {
	const char *name;
	const struct ohv_device_id *id_table;
	int (*probe)(struct ohv_device *dev, const struct ohv_device_id *id);
	void (*remove)(struct ohv_device *dev);
	struct device_driver driver;
};

#define to_ohv_driver(d) container_of(d, struct ohv_driver, driver)

int __ohv_driver_register(struct ohv_driver *drv, struct module *owner);
/**
 * ohv_driver_register - register a guest driver on ohvbus
 * @drv: the driver; must stay alive until ohv_driver_unregister()
 */
#define ohv_driver_register(drv) __ohv_driver_register(drv, THIS_MODULE)
void ohv_driver_unregister(struct ohv_driver *drv);

/**
 * module_ohv_driver - module init/exit that only register a driver
 * @__drv: the &struct ohv_driver
 */
#define module_ohv_driver(__drv) \
	module_driver(__drv, ohv_driver_register, ohv_driver_unregister)

/* ------------------------------------------------------------------ */
/* Host providers                                                      */
/* ------------------------------------------------------------------ */

/**
 * struct ohv_provider - a host-side device type (VSP)
 * @name: provider name, for logs and debugfs
 * @class_id: interface type GUID put in offers
 * @max_ring_bytes: largest ring data area (each direction) the provider
 *	accepts; 0 = no limit below the partition's GPADL limits
 * @open: the guest opened @chan; rings are mapped and the channel can send
 *	and receive when this returns 0. @userdata is the guest's open data
 *	(%OHV_OPEN_USER_DATA_LEN bytes). Runs in process context but must
 *	not wait for messages from the guest. A non-zero return is sent to
 *	the guest as the open status.
 * @close: the guest closed @chan, unloaded, or the host rescinded it. After
 *	this returns the rings are gone. Not called if @open failed.
 * @rx: receive callback for open channels (see &ohv_chan_cb_t); its
 *	context is the channel's driver data as @open left it
 * @cb_mode: where @rx runs, see &enum ohv_cb_mode
 * @owner: the module that implements the callbacks
 */
struct ohv_provider {
	const char *name;
	guid_t class_id;
	u32 max_ring_bytes;
	int (*open)(struct ohv_channel *chan, const u8 *userdata);
	void (*close)(struct ohv_channel *chan);
	ohv_chan_cb_t rx;
	enum ohv_cb_mode cb_mode;
	struct module *owner;
};

/**
 * struct ohv_offer_params - one instance offered to a partition
 * @instance_id: interface instance GUID
 * @user_def: %OHV_OFFER_USER_DEF_LEN bytes of offer data, or NULL for zeros
 * @priv: provider data, see ohv_host_offer_priv()
 */
struct ohv_offer_params {
	guid_t instance_id;
	const u8 *user_def;
	void *priv;
};

struct ohv_partition *ohv_partition_get(u32 id);
void ohv_partition_put(struct ohv_partition *part);
u32 ohv_partition_id(const struct ohv_partition *part);
struct ohv_channel *ohv_host_offer(struct ohv_partition *part,
				   const struct ohv_provider *prov,
				   const struct ohv_offer_params *params);
void *ohv_host_offer_priv(const struct ohv_channel *chan);
int ohv_host_offer_subchannels(struct ohv_channel *primary, unsigned int n);
void ohv_host_rescind(struct ohv_channel *chan);

/* ------------------------------------------------------------------ */
/* Provider registry (offers made by the tools, through configfs)      */
/* ------------------------------------------------------------------ */

/**
 * struct ohv_provider_type - a provider the tools may offer instances of
 * @prov: the provider; &ohv_provider.name is the name the tools write to
 *	an offer's "provider" attribute (see drivers/vmbus/README.md)
 * @instance_add: optional. Called (process context) before an instance
 *	is offered through configfs to @part with instance GUID @instance.
 *	May fill the %OHV_OFFER_USER_DEF_LEN bytes at @user_def (zeroed on
 *	entry). Returns the provider data for &ohv_offer_params.priv, which
 *	may be NULL, or an ERR_PTR() to refuse the offer.
 * @instance_remove: optional. Called after such an instance was rescinded,
 *	with what @instance_add returned.
 * @node: core use: entry in the registry
 * @offers: core use: the instances offered through configfs
 *
 * Registration is not needed to offer with ohv_host_offer() from a
 * provider's own code; it makes the type visible to user space.
 */
struct ohv_provider_type {
	const struct ohv_provider *prov;
	void *(*instance_add)(struct ohv_partition *part,
			      const guid_t *instance, u8 *user_def);
	void (*instance_remove)(void *priv);
	struct list_head node;
	struct list_head offers;
};

int ohv_provider_register(struct ohv_provider_type *type);
void ohv_provider_unregister(struct ohv_provider_type *type);

#endif /* _OHV_VMBUS_H */
