/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ohv VMBus trace events (TRACE_SYSTEM ohv_vmbus, hence the file name):
 * channel messages each way and channel state changes, named by connection
 * half ("guest0", "host0").
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ohv_vmbus

#if !defined(_OHV_VMBUS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _OHV_VMBUS_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(ohv_msg_class,
		    TP_PROTO(const char *conn, u32 msgtype, u32 len),
		    TP_ARGS(conn, msgtype, len),
		    TP_STRUCT__entry(__string(conn, conn)
				     __field(u32, msgtype)
				     __field(u32, len)),
		    TP_fast_assign(__assign_str(conn, conn);
				   __entry->msgtype = msgtype;
				   __entry->len = len;),
		    TP_printk("%s type=%u len=%u", __get_str(conn),
			      __entry->msgtype, __entry->len));

DEFINE_EVENT(ohv_msg_class, ohv_msg_tx,
	     TP_PROTO(const char *conn, u32 msgtype, u32 len),
	     TP_ARGS(conn, msgtype, len));

DEFINE_EVENT(ohv_msg_class, ohv_msg_rx,
	     TP_PROTO(const char *conn, u32 msgtype, u32 len),
	     TP_ARGS(conn, msgtype, len));

TRACE_EVENT(ohv_chan_state,
	    TP_PROTO(const char *conn, u32 relid, const char *what),
	    TP_ARGS(conn, relid, what),
	    TP_STRUCT__entry(__string(conn, conn)
			     __field(u32, relid)
			     __string(what, what)),
	    TP_fast_assign(__assign_str(conn, conn);
			   __entry->relid = relid;
			   __assign_str(what, what);),
	    TP_printk("%s relid=%u %s", __get_str(conn), __entry->relid,
		      __get_str(what)));

#endif /* _OHV_VMBUS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#include <trace/define_trace.h>
