#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compares our VMBus ring (tools/bench/ringbench) in one run with two
# anchors measured on the same machine at the same time:
#   - the kernel's own tools/virtio/ringtest ("ring" and "virtio_ring_0_9"):
#     buffers passed per second between two pinned, polling threads;
#   - plain memcpy bandwidth at 1500 bytes (one thread).
# Prints the rows for docs/benchmarks.md.
#
#   tools/bench/ring-vs-ringtest.sh [KSRC]
#   N64=... N1500=... CPUS=0,1 REPEAT=3 tools/bench/ring-vs-ringtest.sh
# Each measurement is repeated REPEAT times and the best run is kept.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
KSRC=${1:-${KSRC:-$(ls -d /var/cache/ohv/kernel-*/ | head -1)}}
N64=${N64:-10000000}
N1500=${N1500:-2000000}
CPUS=${CPUS:-0,1}
REPEAT=${REPEAT:-3}
cpu0=${CPUS%,*}
cpu1=${CPUS#*,}

make -s -C "$here" ringbench >&2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$KSRC/tools/virtio/ringtest/." "$tmp/"
make -s -C "$tmp" ring virtio_ring_0_9 >&2

# field NAME LINE: the value of NAME=value in a ringbench output line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

# ringtest prints nothing; time it and turn cycles into buffers per second.
ringtest_pps() {
	local t0 t1
	t0=$(date +%s.%N)
	"$tmp/$1" --host-affinity "$cpu0" --guest-affinity "$cpu1" \
		--run-cycles "$N64" >/dev/null
	t1=$(date +%s.%N)
	awk -v n="$N64" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }'
}

# best NAME CMD...: run CMD (prints one ringbench line) REPEAT times and
# keep the line with the largest NAME; a shared, busy host only slows runs
# down, so the best run is the one least disturbed.
best() {
	local name=$1 line top="" v topv=0 i
	shift
	for ((i = 0; i < REPEAT; i++)); do
		line=$("$@")
		v=$(field "$name" "$line")
		if awk -v a="$v" -v b="$topv" 'BEGIN { exit !(a > b) }'; then
			top=$line
			topv=$v
		fi
	done
	echo "$top"
}

best_ringtest() {
	local top=0 v i
	for ((i = 0; i < REPEAT; i++)); do
		v=$(ringtest_pps "$1")
		[ "$v" -gt "$top" ] && top=$v
	done
	echo "$top"
}

ours64=$(best pps "$here/ringbench" -s 64 -n "$N64" -c "$CPUS")
rt_ring=$(best_ringtest ring)
rt_09=$(best_ringtest virtio_ring_0_9)
ours1500=$(best gbps "$here/ringbench" -s 1500 -n "$N1500" -c "$CPUS")
mc1500=$(best gbps "$here/ringbench" -m 1500 -n $((N1500 * 10)))
echo "$ours64" >&2
echo "$ours1500" >&2
echo "$mc1500" >&2
echo "ringtest ring: $rt_ring buffers/s, virtio_ring_0_9: $rt_09 buffers/s" >&2

pps64=$(field pps "$ours64")
gb1500=$(field gbps "$ours1500")
gbmc=$(field gbps "$mc1500")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
mpps() { awk -v a="$1" 'BEGIN { printf "%.2f Mpps", a / 1e6 }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
cmd='`tools/bench/ring-vs-ringtest.sh`'

echo "| benchmark | ours | anchor | ratio | goal | reproduce with |"
echo "|---|---|---|---|---|---|"
echo "| VMBus ring 64 B, 2 pinned polling threads vs ringtest \`ring\` | $(mpps "$pps64") | $(mpps "$rt_ring") | $(ratio "$pps64" "$rt_ring") | >= 1.0x | $cmd |"
echo "| VMBus ring 64 B vs ringtest \`virtio_ring_0_9\` | $(mpps "$pps64") | $(mpps "$rt_09") | $(ratio "$pps64" "$rt_09") | >= 1.0x | $cmd |"
echo "| VMBus ring 1500 B payload vs memcpy 1500 B (1 thread) | $gb1500 GB/s | $gbmc GB/s | $(pct "$gb1500" "$gbmc") | >= 50% | $cmd |"
