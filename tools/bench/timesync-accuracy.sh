#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Time-sync accuracy in the loopback sandbox: how far the guest's PTP clock
# "ohv_timesync" is from the host provider's clock, sampled once a second
# for SECONDS (default 600) with the provider's default sample period
# (5 s, as Hyper-V). Each sample is the tightest of 10 bracketed reads
# (PHC, host clock, PHC); the offset is the PHC midpoint minus the host
# clock, so the read window bounds the error of a single sample.
#
# Prints the distribution (median, p99, max of |offset|; median read
# window) and the row for docs/benchmarks.md. The anchor is Hyper-V's
# documented 1 ms accuracy target for Windows guests; the goal is a
# median below 100 us. Not part of `make check` (it takes SECONDS).
#
#   tools/bench/timesync-accuracy.sh [SECONDS]
set -euo pipefail

if [ "${1:-}" = --inside ]; then
	secs=$2
	root=${OHV_ROOT:?}
	mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
	"$root/tools/sandbox/ohv-modprobe" ohv_vmbus ohv_timesync_host ohv_timesync
	ptp=""
	for _ in $(seq 100); do
		for c in /sys/class/ptp/ptp*; do
			[ "$(cat "$c/clock_name" 2>/dev/null)" = ohv_timesync ] &&
				ptp=/dev/$(basename "$c")
		done
		[ -n "$ptp" ] && break
		sleep 0.1
	done
	[ -n "$ptp" ] || { echo "no ohv_timesync PTP clock" >&2; exit 1; }
	host=/sys/kernel/debug/ohv_timesync_host/0/clock
	# The first sample arrives right after the channel opens.
	sleep 2
	python3 - "$host" "$ptp" "$secs" <<'PY'
import os, sys, time
host, ptp, secs = sys.argv[1], sys.argv[2], int(sys.argv[3])
fd = os.open(ptp, os.O_RDONLY)
clk = ((~fd) << 3) | 3
offs, wins, errors = [], [], 0
hf = open(host)
end = time.monotonic() + secs
while time.monotonic() < end:
    best = None
    for _ in range(10):
        try:
            hf.seek(0)
            t0 = time.clock_gettime_ns(clk)
            h = int(hf.read())
            t1 = time.clock_gettime_ns(clk)
        except OSError:
            errors += 1
            continue
        if best is None or t1 - t0 < best[0]:
            best = (t1 - t0, (t0 + t1) // 2 - h)
    if best:
        wins.append(best[0])
        offs.append(best[1])
    time.sleep(1)
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p / 100 * len(v)))]
a = [abs(x) for x in offs]
print('samples %d errors %d' % (len(offs), errors))
print('offset (signed) median %+.1f us, min %+.1f us, max %+.1f us' %
      (pct(offs, 50) / 1e3, min(offs) / 1e3, max(offs) / 1e3))
print('RESULT median_us=%.1f p99_us=%.1f max_us=%.1f window_median_us=%.1f n=%d' %
      (pct(a, 50) / 1e3, pct(a, 99) / 1e3, max(a) / 1e3,
       pct(wins, 50) / 1e3, len(a)))
PY
	"$root/tools/sandbox/ohv-modprobe" -r ohv_timesync ohv_timesync_host \
		ohv_icmsg ohv_vmbus
	exit 0
fi

secs=${1:-600}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
out=$(tools/sandbox/run --cpus 2 --memory 2G --timeout $((secs + 400)) -- \
	bash tools/bench/timesync-accuracy.sh --inside "$secs" | tee /dev/stderr)
res=$(grep '^RESULT' <<<"$out") || { echo "no result" >&2; exit 1; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$res"; }
med=$(field median_us)
p99=$(field p99_us)
win=$(field window_median_us)
ratio=$(awk -v m="$med" 'BEGIN { printf "%.3fx", m / 1000 }')
echo "| benchmark | ours | anchor | ratio | goal | reproduce with |"
echo "|---|---|---|---|---|---|"
echo "| time sync: guest PHC - host clock over ${secs} s, loopback (median, p99 of abs offset; read window $win us) | $med us, p99 $p99 us | Hyper-V target 1 ms | $ratio | median < 100 us | \`tools/bench/timesync-accuracy.sh\` |"
