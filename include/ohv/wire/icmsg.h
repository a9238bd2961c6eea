/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Integration-component (IC) messages: the util services (shutdown, time
 * sync, heartbeat, ...) exchange them as in-band packets on their channel.
 *
 * Every message is a pipe header, an IC header, then the body:
 *
 *	+0   struct ohv_vmbuspipe_hdr   8 bytes
 *	+8   struct ohv_icmsg_hdr      20 bytes
 *	+28  body                      icmsgsize bytes
 *
 * The host sends requests; the guest answers each one with the same
 * message, icflags set to TRANSACTION | RESPONSE and a status filled in.
 * Layouts are those of Hyper-V; all fields are little endian (see
 * <ohv/compat.h>).
 */
#ifndef _OHV_WIRE_ICMSG_H
#define _OHV_WIRE_ICMSG_H

#include <ohv/compat.h>

/* Largest IC message, pipe header included. */
#define OHV_ICMSG_MAX_BYTES		4096

/* Most versions one side of a negotiation may list, per kind. */
#define OHV_ICMSG_MAX_VERCNT		100

/* struct ohv_vmbuspipe_hdr.flags: a message-mode pipe. */
#define OHV_VMBUSPIPE_TYPE_MESSAGE	0x4

/* struct ohv_icmsg_hdr.icmsgtype */
#define OHV_ICMSGTYPE_NEGOTIATE		0
#define OHV_ICMSGTYPE_HEARTBEAT		1
#define OHV_ICMSGTYPE_KVPEXCHANGE	2
#define OHV_ICMSGTYPE_SHUTDOWN		3
#define OHV_ICMSGTYPE_TIMESYNC		4
#define OHV_ICMSGTYPE_VSS		5

/* struct ohv_icmsg_hdr.icflags */
#define OHV_ICMSGHDRFLAG_TRANSACTION	0x1
#define OHV_ICMSGHDRFLAG_REQUEST	0x2
#define OHV_ICMSGHDRFLAG_RESPONSE	0x4

/* struct ohv_icmsg_hdr.status: HRESULTs. */
#define OHV_IC_S_OK			0x00000000U
#define OHV_IC_E_FAIL			0x80004005U

/* Precedes every IC message. */
struct ohv_vmbuspipe_hdr {
	u32 flags;		/* OHV_VMBUSPIPE_TYPE_MESSAGE; not checked */
	u32 msgsize;		/* bytes after this header */
} __packed;

/* A framework or service version. */
struct ohv_ic_version {
	u16 major;		/* incompatible changes */
	u16 minor;		/* compatible additions */
} __packed;

/* IC header, right after the pipe header. */
struct ohv_icmsg_hdr {
	struct ohv_ic_version icverframe;	/* framework version in use */
	u16 icmsgtype;				/* OHV_ICMSGTYPE_* */
	struct ohv_ic_version icvermsg;		/* service version in use */
	u16 icmsgsize;				/* body bytes after this header */
	u32 status;				/* OHV_IC_* in responses */
	u8 ictransaction_id;			/* echoed in the response */
	u8 icflags;				/* OHV_ICMSGHDRFLAG_* */
	u8 reserved[2];				/* zero */
} __packed;

/* Offset of the body in a message. */
#define OHV_ICMSG_HDR_BYTES \
	(sizeof(struct ohv_vmbuspipe_hdr) + sizeof(struct ohv_icmsg_hdr))

/*
 * OHV_ICMSGTYPE_NEGOTIATE body. The host lists icframe_vercnt framework
 * versions, then icmsg_vercnt service versions. The guest answers with
 * both counts 1 and its choice in versions[0] (framework) and versions[1]
 * (service), or both counts 0 if nothing matched.
 */
struct ohv_icmsg_negotiate {
	u16 icframe_vercnt;			/* framework versions */
	u16 icmsg_vercnt;			/* service versions */
	u32 reserved;				/* zero */
	struct ohv_ic_version versions[];	/* framework ones first */
} __packed;

/* struct ohv_ictimesync_*.flags */
#define OHV_ICTIMESYNC_PROBE		0
#define OHV_ICTIMESYNC_SYNC		1
#define OHV_ICTIMESYNC_SAMPLE		2

/* 100 ns intervals from 1601-01-01 to 1970-01-01, both UTC. */
#define OHV_ICTIMESYNC_EPOCH_DELTA	116444736000000000ULL

/* OHV_ICMSGTYPE_TIMESYNC body, service versions 1.0 and 3.0. */
struct ohv_ictimesync_data {
	u64 parenttime;		/* host UTC, 100 ns units since 1601 */
	u64 childtime;		/* unused by the guest */
	u64 roundtriptime;	/* unused by the guest */
	u8 flags;		/* OHV_ICTIMESYNC_* */
} __packed;

/* OHV_ICMSGTYPE_TIMESYNC body, service version 4.0. */
struct ohv_ictimesync_ref_data {
	u64 parenttime;		/* host UTC, 100 ns units since 1601 */
	u64 vmreferencetime;	/* partition reference time of parenttime */
	u8 flags;		/* OHV_ICTIMESYNC_* */
	u8 leapflags;		/* leap second indication; not used */
	u8 stratum;		/* host clock stratum; not used */
	u8 reserved[3];		/* zero */
} __packed;

OHV_WIRE_SIZE(struct ohv_vmbuspipe_hdr, 8);
OHV_WIRE_OFFSET(struct ohv_vmbuspipe_hdr, flags, 0);
OHV_WIRE_OFFSET(struct ohv_vmbuspipe_hdr, msgsize, 4);

OHV_WIRE_SIZE(struct ohv_ic_version, 4);

OHV_WIRE_SIZE(struct ohv_icmsg_hdr, 20);
OHV_WIRE_OFFSET(struct ohv_icmsg_hdr, icverframe, 0);
OHV_WIRE_OFFSET(struct ohv_icmsg_hdr, icmsgtype, 4);
OHV_WIRE_OFFSET(struct ohv_icmsg_hdr, icvermsg, 6);
OHV_WIRE_OFFSET(struct ohv_icmsg_hdr, icmsgsize, 10);
OHV_WIRE_OFFSET(struct ohv_icmsg_hdr, status, 12);
OHV_WIRE_OFFSET(struct ohv_icmsg_hdr, ictransaction_id, 16);
OHV_WIRE_OFFSET(struct ohv_icmsg_hdr, icflags, 17);
static_assert(OHV_ICMSG_HDR_BYTES == 28, "IC body offset");

OHV_WIRE_SIZE(struct ohv_icmsg_negotiate, 8);
OHV_WIRE_OFFSET(struct ohv_icmsg_negotiate, icframe_vercnt, 0);
OHV_WIRE_OFFSET(struct ohv_icmsg_negotiate, icmsg_vercnt, 2);
OHV_WIRE_OFFSET(struct ohv_icmsg_negotiate, versions, 8);

OHV_WIRE_SIZE(struct ohv_ictimesync_data, 25);
OHV_WIRE_OFFSET(struct ohv_ictimesync_data, parenttime, 0);
OHV_WIRE_OFFSET(struct ohv_ictimesync_data, childtime, 8);
OHV_WIRE_OFFSET(struct ohv_ictimesync_data, roundtriptime, 16);
OHV_WIRE_OFFSET(struct ohv_ictimesync_data, flags, 24);

OHV_WIRE_SIZE(struct ohv_ictimesync_ref_data, 22);
OHV_WIRE_OFFSET(struct ohv_ictimesync_ref_data, parenttime, 0);
OHV_WIRE_OFFSET(struct ohv_ictimesync_ref_data, vmreferencetime, 8);
OHV_WIRE_OFFSET(struct ohv_ictimesync_ref_data, flags, 16);
OHV_WIRE_OFFSET(struct ohv_ictimesync_ref_data, leapflags, 17);
OHV_WIRE_OFFSET(struct ohv_ictimesync_ref_data, stratum, 18);

#endif /* _OHV_WIRE_ICMSG_H */
