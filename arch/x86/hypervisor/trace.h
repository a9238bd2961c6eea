/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ohv_hyp

#if !defined(_OHV_HYP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _OHV_HYP_TRACE_H

#include <linux/tracepoint.h>

/* One event per guest exit, before it is handled. */
TRACE_EVENT(ohv_hyp_exit,
	    TP_PROTO(u32 partition, u32 vp, u32 reason, u32 vendor_code,
		     u64 rip),
	    TP_ARGS(partition, vp, reason, vendor_code, rip),
	    TP_STRUCT__entry(__field(u32, partition)
			     __field(u32, vp)
			     __field(u32, reason)
			     __field(u32, vendor_code)
			     __field(u64, rip)),
	    TP_fast_assign(__entry->partition = partition;
			   __entry->vp = vp;
			   __entry->reason = reason;
			   __entry->vendor_code = vendor_code;
			   __entry->rip = rip;),
	    TP_printk("partition %u vp %u reason %s (0x%x) rip 0x%llx",
		      __entry->partition, __entry->vp,
		      ohv_exit_names[__entry->reason], __entry->vendor_code,
		      __entry->rip)
);

#endif /* _OHV_HYP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
