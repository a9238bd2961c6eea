/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic SCSI (storvsc/storvsp) wire format, as a Hyper-V peer sends it.
 *
 * Every packet's payload is one 64-byte vstor packet: an operation, flags,
 * a status and a 52-byte body whose meaning depends on the operation (an
 * SRB, the channel properties, a protocol version or a sub-channel count).
 * I/O requests (EXECUTE_SRB) travel in-band or, when they carry data, as
 * GPA-direct packets whose page ranges describe the data buffer. The host
 * answers every request with a COMPLETE_IO packet carrying the same
 * transaction id. Unsolicited host notifications (ENUMERATE_BUS,
 * REMOVE_DEVICE) use transaction id 0.
 *
 * Protocol versions are ((major & 0xff) << 8) | minor. Only the Windows 8
 * and later layout (the 52-byte SRB) is described here.
 */
#ifndef _OHV_WIRE_STORVSC_H
#define _OHV_WIRE_STORVSC_H

#include <ohv/compat.h>

/* Class GUID of the synthetic SCSI controller: ba6163d9-04a1-4d29-b605-72e2ffb1dc7f */
#define OHV_STORVSC_CLASS_GUID \
	GUID_INIT(0xba6163d9, 0x04a1, 0x4d29, \
		  0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f)

#define OHV_VSTOR_VERSION(major, minor)	((((major) & 0xff) << 8) | ((minor) & 0xff))
#define OHV_VSTOR_VERSION_WIN8		OHV_VSTOR_VERSION(5, 1)	/* 0x0501 */
#define OHV_VSTOR_VERSION_WIN8_1	OHV_VSTOR_VERSION(6, 0)	/* 0x0600 */
#define OHV_VSTOR_VERSION_WIN10		OHV_VSTOR_VERSION(6, 2)	/* 0x0602 */

/* vstor packet operations */
enum ohv_vstor_op {
	OHV_VSTOR_OP_COMPLETE_IO		= 1,
	OHV_VSTOR_OP_REMOVE_DEVICE		= 2,
	OHV_VSTOR_OP_EXECUTE_SRB		= 3,
	OHV_VSTOR_OP_RESET_LUN			= 4,
	OHV_VSTOR_OP_RESET_ADAPTER		= 5,
	OHV_VSTOR_OP_RESET_BUS			= 6,
	OHV_VSTOR_OP_BEGIN_INIT			= 7,
	OHV_VSTOR_OP_END_INIT			= 8,
	OHV_VSTOR_OP_QUERY_PROTOCOL_VERSION	= 9,
	OHV_VSTOR_OP_QUERY_PROPERTIES		= 10,
	OHV_VSTOR_OP_ENUMERATE_BUS		= 11,
	OHV_VSTOR_OP_FCHBA_DATA			= 12,
	OHV_VSTOR_OP_CREATE_SUB_CHANNELS	= 13,
};

/* ohv_vstor_packet.flags: the sender wants a COMPLETE_IO back. */
#define OHV_VSTOR_FLAG_REQUEST_COMPLETION	0x1

/* ohv_vstor_packet.status values this project uses. 0 is success. */
#define OHV_VSTOR_STATUS_SUCCESS		0x00000000U
#define OHV_VSTOR_STATUS_UNSUCCESSFUL		0xc0000001U
#define OHV_VSTOR_STATUS_INVALID_PARAMETER	0xc000000dU
#define OHV_VSTOR_STATUS_REVISION_MISMATCH	0xc0000059U
#define OHV_VSTOR_STATUS_INVALID_DEVICE_STATE	0xc0000184U

/* SRB status (ohv_vmscsi_request.srb_status) */
#define OHV_SRB_STATUS_SUCCESS			0x01
#define OHV_SRB_STATUS_ABORTED			0x02
#define OHV_SRB_STATUS_ERROR			0x04
#define OHV_SRB_STATUS_INVALID_REQUEST		0x06
#define OHV_SRB_STATUS_NO_DEVICE		0x08
#define OHV_SRB_STATUS_DATA_OVERRUN		0x12
#define OHV_SRB_STATUS_INVALID_LUN		0x20
#define OHV_SRB_STATUS_BUS_RESET		0x0e
#define OHV_SRB_STATUS_QUEUE_FROZEN		0x40
#define OHV_SRB_STATUS_AUTOSENSE_VALID		0x80
#define OHV_SRB_STATUS(s) \
	((s) & ~(OHV_SRB_STATUS_AUTOSENSE_VALID | OHV_SRB_STATUS_QUEUE_FROZEN))

/* ohv_vmscsi_request.data_in */
#define OHV_SRB_DATA_WRITE		0
#define OHV_SRB_DATA_READ		1
#define OHV_SRB_DATA_NONE		2

/* ohv_vmscsi_request.srb_flags bits the guest sets */
#define OHV_SRB_FLAGS_QUEUE_ACTION_ENABLE	0x00000002
#define OHV_SRB_FLAGS_DISABLE_SYNCH_TRANSFER	0x00000008
#define OHV_SRB_FLAGS_DATA_IN			0x00000040
#define OHV_SRB_FLAGS_DATA_OUT			0x00000080
#define OHV_SRB_FLAGS_NO_DATA_TRANSFER		0x00000000
#define OHV_SRB_FLAGS_DISABLE_AUTOSENSE		0x00000020

#define OHV_VSTOR_MAX_CDB_LEN		16
#define OHV_VSTOR_SENSE_LEN		20	/* sense bytes an SRB carries */

/* Channel property flags */
#define OHV_VSTOR_PROP_MULTI_CHANNEL	0x1

/**
 * struct ohv_vmscsi_request - the SRB (Windows 8 and later layout)
 * @length: size of this struct (52)
 * @srb_status: OHV_SRB_STATUS_* (completion)
 * @scsi_status: SCSI status byte (completion)
 * @port_number: adapter port
 * @path_id: bus
 * @target_id: target
 * @lun: logical unit
 * @cdb_length: valid bytes in @cdb
 * @sense_info_length: room for sense (request) / sense bytes (completion)
 * @data_in: OHV_SRB_DATA_*
 * @reserved: zero
 * @data_transfer_length: bytes requested / transferred (completion)
 * @cdb: the command (request); @sense_data shares the bytes (completion)
 * @sense_data: sense bytes, valid when srb_status has AUTOSENSE_VALID
 * @reserve: zero
 * @queue_tag: queue tag
 * @queue_action: queue action
 * @srb_flags: OHV_SRB_FLAGS_*
 * @time_out_value: seconds
 * @queue_sort_key: unused
 */
struct ohv_vmscsi_request {
	u16 length;
	u8 srb_status;
	u8 scsi_status;
	u8 port_number;
	u8 path_id;
	u8 target_id;
	u8 lun;
	u8 cdb_length;
	u8 sense_info_length;
	u8 data_in;
	u8 reserved;
	u32 data_transfer_length;
	union {
		u8 cdb[OHV_VSTOR_MAX_CDB_LEN];
		u8 sense_data[OHV_VSTOR_SENSE_LEN];
	};
	u16 reserve;
	u8 queue_tag;
	u8 queue_action;
	u32 srb_flags;
	u32 time_out_value;
	u32 queue_sort_key;
} __packed;

/**
 * struct ohv_vstor_chan_props - QUERY_PROPERTIES answer
 * @reserved: zero
 * @max_channel_cnt: sub-channels the guest may ask for
 * @reserved1: zero
 * @flags: OHV_VSTOR_PROP_*
 * @max_transfer_bytes: largest data transfer of one SRB
 * @reserved2: zero
 */
struct ohv_vstor_chan_props {
	u32 reserved;
	u16 max_channel_cnt;
	u16 reserved1;
	u32 flags;
	u32 max_transfer_bytes;
	u64 reserved2;
} __packed;

/**
 * struct ohv_vstor_proto_version - QUERY_PROTOCOL_VERSION body
 * @major_minor: OHV_VSTOR_VERSION()
 * @revision: zero
 */
struct ohv_vstor_proto_version {
	u16 major_minor;
	u16 revision;
} __packed;

#define OHV_VSTOR_BODY_LEN	52

/**
 * struct ohv_vstor_packet - payload of every storvsc packet
 * @operation: enum ohv_vstor_op
 * @flags: OHV_VSTOR_FLAG_*
 * @status: OHV_VSTOR_STATUS_* (completions)
 * @srb: EXECUTE_SRB and COMPLETE_IO of an SRB
 * @props: QUERY_PROPERTIES completion
 * @version: QUERY_PROTOCOL_VERSION
 * @sub_channel_count: CREATE_SUB_CHANNELS
 * @body: the raw body
 */
struct ohv_vstor_packet {
	u32 operation;
	u32 flags;
	u32 status;
	union {
		struct ohv_vmscsi_request srb;
		struct ohv_vstor_chan_props props;
		struct ohv_vstor_proto_version version;
		u16 sub_channel_count;
		u8 body[OHV_VSTOR_BODY_LEN];
	};
} __packed;

OHV_WIRE_SIZE(struct ohv_vmscsi_request, 52);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, length, 0);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, srb_status, 2);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, scsi_status, 3);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, port_number, 4);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, path_id, 5);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, target_id, 6);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, lun, 7);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, cdb_length, 8);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, sense_info_length, 9);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, data_in, 10);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, data_transfer_length, 12);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, cdb, 16);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, sense_data, 16);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, reserve, 36);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, queue_tag, 38);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, queue_action, 39);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, srb_flags, 40);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, time_out_value, 44);
OHV_WIRE_OFFSET(struct ohv_vmscsi_request, queue_sort_key, 48);

OHV_WIRE_SIZE(struct ohv_vstor_chan_props, 24);
OHV_WIRE_OFFSET(struct ohv_vstor_chan_props, max_channel_cnt, 4);
OHV_WIRE_OFFSET(struct ohv_vstor_chan_props, flags, 8);
OHV_WIRE_OFFSET(struct ohv_vstor_chan_props, max_transfer_bytes, 12);
OHV_WIRE_OFFSET(struct ohv_vstor_chan_props, reserved2, 16);

OHV_WIRE_SIZE(struct ohv_vstor_proto_version, 4);
OHV_WIRE_OFFSET(struct ohv_vstor_proto_version, revision, 2);

OHV_WIRE_SIZE(struct ohv_vstor_packet, 64);
OHV_WIRE_OFFSET(struct ohv_vstor_packet, operation, 0);
OHV_WIRE_OFFSET(struct ohv_vstor_packet, flags, 4);
OHV_WIRE_OFFSET(struct ohv_vstor_packet, status, 8);
OHV_WIRE_OFFSET(struct ohv_vstor_packet, srb, 12);
OHV_WIRE_OFFSET(struct ohv_vstor_packet, props, 12);
OHV_WIRE_OFFSET(struct ohv_vstor_packet, version, 12);
OHV_WIRE_OFFSET(struct ohv_vstor_packet, sub_channel_count, 12);

#endif /* _OHV_WIRE_STORVSC_H */
