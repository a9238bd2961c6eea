#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sandbox: --cpus 2 --memory 2G
# timeout: 900
#
# PENDING: every traffic check passes (TCP/UDP both ways, IPv6, sha256
# transfers, offloads off, MTU 9000, VLAN, ethtool -L, link flap), then
# hot-remove fails: after the configfs NIC is removed the guest NIC stays
# (see tests/pending/README.md).
# Last run: tools/sandbox/run --cpus 2 --memory 2G -- env OHV_NET_FILE_MB=8
# OHV_NET_IPERF_SECS=2 bash tests/pending/61-net-full.sh
#
# The full network scenario: tests/scenarios/60-net-ping.sh, which stops
# after bring-up and ping, run to the end.
: "${OHV_ROOT:?OHV_ROOT is not set}"
OHV_NET_FULL=1 exec bash "$OHV_ROOT/tests/scenarios/60-net-ping.sh"
