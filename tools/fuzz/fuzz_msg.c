// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the channel-message decoder.  Whatever it accepts must
 * encode back to the same bytes.
 */
#include <stdlib.h>

#include <ohv/vmbus_msg.h>

/* libFuzzer calls this under its fixed entry-point name. */
int ohv_fuzz_msg(const u8 *in, size_t len) __asm__("LLVMFuzzerTestOneInput");

int ohv_fuzz_msg(const u8 *in, size_t len)
{
	struct ohv_vmbus_msg msg;
	u8 out[OHV_VMBUS_MSG_MAX];
	const char *why = NULL;
	int n;

	if (ohv_vmbus_msg_decode(in, len, &msg, &why)) {
		if (!why)
			abort();
		return 0;
	}
	n = ohv_vmbus_msg_encode(&msg, out, sizeof(out), &why);
	if (n != (int)len || memcmp(in, out, len))
		abort();
	return 0;
}
