/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the seed generators (gen_*seeds.c): one seed file of one fuzz
 * target's corpus.
 */
#ifndef _OHV_FUZZ_SEED_H
#define _OHV_FUZZ_SEED_H

#include <stdio.h>
#include <sys/stat.h>

/*
 * Writes @len bytes as OUT/TARGET/NAME, creating the directories. A
 * length of 0 or less (an encoder that failed) writes nothing.
 * Returns 0, or 1 after printing why.
 */
static inline int ohv_write_seed(const char *out, const char *target,
				 const char *name, const void *buf, long len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", out, target, name);
	if (len <= 0) {
		fprintf(stderr, "%s: the encoder failed (%ld)\n", path, len);
		return 1;
	}
	mkdir(out, 0755);
	snprintf(path, sizeof(path), "%s/%s", out, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", out, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != (size_t)len) {
		perror(path);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

#endif /* _OHV_FUZZ_SEED_H */
