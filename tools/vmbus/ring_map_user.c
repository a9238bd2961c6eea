// SPDX-License-Identifier: GPL-2.0
/*
 * User-space double mapping of a ring's data area: the same memfd pages
 * appear twice back to back, so a packet that wraps is still contiguous.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "ring_map_user.h"

int ohv_ring_mem_create(struct ohv_ring_mem *mem, u32 size)
{
	size_t file_len = OHV_HV_PAGE_SIZE + (size_t)size;
	u8 *base = MAP_FAILED;
	int fd, ret;

	memset(mem, 0, sizeof(*mem));
	if (!size || size % OHV_HV_PAGE_SIZE)
		return -EINVAL;
	fd = memfd_create("ohv-ring", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, file_len))
		goto fail;

	/* Reserve the whole range first so the two data views are adjacent. */
	mem->map_len = file_len + size;
	base = mmap(NULL, mem->map_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (base == MAP_FAILED)
		goto fail;
	if (mmap(base, file_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 fd, 0) == MAP_FAILED)
		goto fail;
	if (mmap(base + file_len, size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, OHV_HV_PAGE_SIZE) == MAP_FAILED)
		goto fail;

	close(fd);
	mem->hdr = (struct ohv_ring_header *)base;
	mem->data = base + OHV_HV_PAGE_SIZE;
	mem->size = size;
	ohv_ring_header_reset(mem->hdr);
	return 0;

fail:
	ret = -errno;
	if (base != MAP_FAILED)
		munmap(base, mem->map_len);
	close(fd);
	return ret;
}

void ohv_ring_mem_destroy(struct ohv_ring_mem *mem)
{
	if (mem->hdr)
		munmap(mem->hdr, mem->map_len);
	memset(mem, 0, sizeof(*mem));
}
