# SPDX-License-Identifier: GPL-2.0
#
# ohv top-level Makefile: builds every module out of tree against KDIR and
# drives the checks. Kbuild (not this file) describes the objects.
#
#   make                 build all modules against KDIR (W=1, -Werror)
#   make sparse          sparse (C=2) over every module; fails on any warning
#   make checkpatch      checkpatch.pl --strict over every source file
#   make check           install deps, build the sandbox kernel, run all tests
#   make demo            boot the sandbox and show the stack at work
#   make shell           interactive shell in the sandbox

KDIR ?= /lib/modules/$(shell uname -r)/build
OHV_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
OHV_CACHE ?= /var/cache/ohv

# Kconfig symbols for an out-of-tree build. KUnit suites are built only
# when the target kernel has KUnit.
OHV_MODULES := OHV_VMBUS OHV_TIMESYNC OHV_HYP OHV_STORVSP OHV_STORVSC \
	OHV_NETVSP OHV_NETVSC
OHV_KUNIT := OHV_VMBUS_KUNIT_TEST OHV_TIMESYNC_KUNIT_TEST OHV_HYP_KUNIT_TEST \
	OHV_STORAGE_KUNIT_TEST OHV_NET_KUNIT_TEST
kdir_has_kunit = $(shell grep -qsE '^CONFIG_KUNIT=(y|m)' $(KDIR)/.config && echo y)
OHV_CONFIG = $(foreach s,$(OHV_MODULES),CONFIG_$(s)=m) \
	     $(if $(kdir_has_kunit),$(foreach s,$(OHV_KUNIT),CONFIG_$(s)=m))

KBUILD_ARGS = -C $(KDIR) M=$(OHV_ROOT) W=1 $(OHV_CONFIG)

.PHONY: all modules clean sparse checkpatch check demo shell kdir-check \
	sandbox-kernel

all: modules

kdir-check:
	@test -f $(KDIR)/Makefile || { \
	  echo "error: no kernel build tree at KDIR=$(KDIR)." >&2; \
	  echo "       Install the headers for your kernel (Debian: linux-headers-\$$(uname -r))," >&2; \
	  echo "       or pass KDIR=<path>; 'make check' builds and uses the sandbox kernel." >&2; \
	  exit 1; }

modules: kdir-check
	$(MAKE) $(KBUILD_ARGS) modules

# C=2 checks every source file, built or not. Sparse warnings do not fail
# a build on their own, so collect them.
sparse: kdir-check
	@$(MAKE) $(KBUILD_ARGS) C=2 modules 2>&1 | tee $(OHV_ROOT)/.sparse.log
	@! grep -E '(warning|error):' $(OHV_ROOT)/.sparse.log || \
	  { echo "sparse: warnings found" >&2; exit 1; }
	@echo "sparse: clean"

# Kernel code: the modules, their headers and build files. User-space tools
# (tools/, tests/) follow kernel style too but define their own u8/u32 shims.
CHECKPATCH_FILES = $(shell cd $(OHV_ROOT) && git ls-files -co --exclude-standard \
	Kbuild Kconfig 'drivers/*' 'arch/*' 'include/*' | grep -E '\.[ch]$$|Kbuild$$|Kconfig$$')

checkpatch:
	@cp=$$($(OHV_ROOT)/tools/sandbox/build-kernel --source-only)/scripts/checkpatch.pl; \
	 $$cp --strict --no-tree --quiet --show-types \
	   --ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES,EMBEDDED_FILENAME \
	   -f $(CHECKPATCH_FILES) && echo "checkpatch: clean"

clean:
	-$(MAKE) $(KBUILD_ARGS) clean 2>/dev/null
	rm -f $(OHV_ROOT)/.sparse.log

check:
	@$(OHV_ROOT)/tests/run

demo:
	@$(OHV_ROOT)/tools/demo

shell:
	@$(OHV_ROOT)/tools/sandbox/run --interactive

sandbox-kernel:
	@$(OHV_ROOT)/tools/setup-host
	@$(OHV_ROOT)/tools/sandbox/build-kernel
