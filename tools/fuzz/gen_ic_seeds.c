// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpus of fuzz_icmsg with the real IC encoders:
 *   gen_ic_seeds DIR   writes the files of DIR/icmsg
 */
#include <ohv/icmsg.h>

#include "seed.h"

int main(int argc, char **argv)
{
	static const struct ohv_ic_version srv[] = {
		{ .major = 4, .minor = 0 },
		{ .major = 3, .minor = 0 },
		{ .major = 1, .minor = 0 },
	};
	struct ohv_icmsg_versions offer = {
		.fw = ohv_icmsg_fw_versions, .nfw = 2, .srv = srv, .nsrv = 3,
	};
	struct ohv_timesync_sample s = {
		.parenttime = 133000000000000000ULL,
		.reftime = 123456789,
		.flags = OHV_ICTIMESYNC_SYNC,
	};
	struct ohv_ic_version fw, sv;
	struct ohv_icmsg req;
	char name[32];
	u8 buf[OHV_ICMSG_MAX_BYTES];
	int err = 0, n;
	unsigned int i;

	if (argc != 2)
		return 2;
	for (i = 1; i <= 3; i++) {
		offer.nsrv = i;
		n = ohv_icmsg_build_negotiate(buf, sizeof(buf), i, &offer);
		snprintf(name, sizeof(name), "negotiate-%u", i);
		err |= ohv_write_seed(argv[1], "icmsg", name, buf, n);
		/* The guest's answer, as the host parses it. */
		if (n > 0 && !ohv_icmsg_parse(buf, n, &req)) {
			ohv_icmsg_negotiate_answer(buf, sizeof(buf), &req,
						   &offer, &fw, &sv);
			snprintf(name, sizeof(name), "answer-%u", i);
			err |= ohv_write_seed(argv[1], "icmsg", name, buf,
					  OHV_ICMSG_NEGOTIATE_RESP_BYTES);
		}
	}
	for (i = 0; i < 3; i++) {
		s.flags = i == 2 ? OHV_ICTIMESYNC_SAMPLE : OHV_ICTIMESYNC_SYNC;
		n = ohv_timesync_encode(buf, sizeof(buf), i, ohv_icmsg_fw_versions[0],
					srv[i], &s);
		snprintf(name, sizeof(name), "timesync-%u", srv[i].major);
		err |= ohv_write_seed(argv[1], "icmsg", name, buf, n);
	}
	return err;
}
