#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the sandbox: loads every built KUnit module (*_kunit.ko) with
# its dependencies and prints each suite's KTAP results between markers
# that tests/run parses.
set -u
root=${OHV_ROOT:?}
mount -t debugfs none /sys/kernel/debug 2>/dev/null || true

for ko in $(find "$root" -name '*_kunit.ko' | sort); do
	mod=$(basename "$ko" .ko)
	before=$(ls /sys/kernel/debug/kunit 2>/dev/null | tr "\n" " ")
	if "$root/tools/sandbox/ohv-modprobe" "$mod" >/tmp/insmod.log 2>&1; then
		echo "=== module $mod ok"
	else
		echo "=== module $mod failed"
		sed 's/^/# /' /tmp/insmod.log
		continue
	fi
	for s in $(ls /sys/kernel/debug/kunit); do
		case " $before " in *" $s "*) continue ;; esac
		echo "=== suite $s"
		cat "/sys/kernel/debug/kunit/$s/results"
	done
done
# A KUnit run that left a lockdep, KASAN or UBSAN report is a failure even
# if every assertion held.
if dmesg | grep -E 'BUG:|WARNING: CPU|KASAN:|UBSAN:|possible circular locking' >/tmp/dmesg-bad; then
	echo "=== dmesg bad"
	sed 's/^/# /' /tmp/dmesg-bad | head -40
else
	echo "=== dmesg clean"
fi
