# SPDX-License-Identifier: GPL-2.0
# vmx-exitbench: ohv_hyp vs KVM exit round trips (see vmx-exitbench.c).
# Used by tests/scenarios/80-vmx-bochs.sh; build with
#   make -C tools/bench -f vmx.mk
OHV_ROOT ?= $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/../..)

vmx-exitbench: $(OHV_ROOT)/tools/bench/vmx-exitbench.c $(OHV_ROOT)/include/uapi/ohv/hyp.h
	$(CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -I$(OHV_ROOT)/include/uapi \
		-o $@ $<
