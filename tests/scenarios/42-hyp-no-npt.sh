#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sandbox: --cpu qemu64,+svm --cpus 1 --memory 1G
# timeout: 300
#
# On a CPU with SVM but without nested paging, ohv_hyp must refuse to load
# and say why in the kernel log; nothing of it may stay behind.
set -uo pipefail
: "${OHV_ROOT:?OHV_ROOT is not set}"

fail() { echo "FAIL: $*"; dmesg | tail -n 20; exit 1; }
grep -qw svm /proc/cpuinfo || fail "the sandbox CPU has no SVM: the check would prove nothing"
grep -qw npt /proc/cpuinfo && fail "the sandbox CPU has NPT: the check would prove nothing"
mark=$(dmesg | wc -l)
if "$OHV_ROOT/tools/sandbox/ohv-modprobe" ohv_hyp 2>/dev/null; then
	fail "ohv_hyp loaded on a CPU without nested paging"
fi
msg=$(dmesg | tail -n +"$((mark + 1))" | grep -m1 'ohv_hyp:.*nested paging')
[ -n "$msg" ] || fail "ohv_hyp refused without saying why"
echo "ok: refused: $msg"
grep -q '^ohv_hyp ' /proc/modules && fail "ohv_hyp is loaded"
[ ! -e /dev/ohv-hyp ] || fail "/dev/ohv-hyp exists"
echo "PASS: ohv_hyp refuses a CPU without NPT"
