#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Synthetic storage against its anchor, side by side in one sandbox boot:
#   ours:   fio -> /dev/sdX (ohv_storvsc) -> VMBus loopback -> ohv_storvsp -> LIO
#   anchor: fio -> /dev/sdY (tcm_loop)                                     -> LIO
# Both LUNs export the same LIO rd_mcp (RAM) backstore, so only the
# transport differs. Workloads: 4 KiB randread QD32 x 2 jobs (IOPS), 1 MiB
# sequential read and write QD8 (MB/s). Then 4 KiB randread QD32 x 4 jobs
# through ohv_storvsc with 1, 2 and 4 sub-channels. Prints the rows for
# docs/benchmarks.md (goals: >= 0.9x IOPS, >= 0.95x throughput).
#
# Each workload runs ROUNDS times on each side, ours and the anchor back to
# back and in alternating order, so that the load on the shared host moves
# both sides of a round alike; a row gives the median of the per-round
# ratios and their range (the ours/anchor columns are the medians of each).
#
#   tools/bench/storage-vs-tcm_loop.sh            boots a 4-vCPU sandbox
#   RUNTIME=20 ROUNDS=3 SUBS="1 2 4" SIZE_MB=256 CPUS=4 tools/bench/storage-vs-tcm_loop.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
RUNTIME=${RUNTIME:-10}
ROUNDS=${ROUNDS:-3}
SUBS=${SUBS:-1 2 4}
SIZE_MB=${SIZE_MB:-256}
CPUS=${CPUS:-4}

if [ "${1:-}" != --inside ]; then
	exec "$root/tools/sandbox/run" --cpus "$CPUS" --memory 2G --timeout 1800 -- \
		env RUNTIME="$RUNTIME" ROUNDS="$ROUNDS" SUBS="$SUBS" SIZE_MB="$SIZE_MB" \
		bash "$here/storage-vs-tcm_loop.sh" --inside
fi

# ------------------------------------------------------------ in the sandbox
modprobe=$root/tools/sandbox/ohv-modprobe
setup=$root/tools/ohv-storage-setup
CFS=/sys/kernel/config/target
LOOPWWN=naa.50014050a0b0c0d0
out=/tmp/ohv-bench.$$
mkdir -p $out
mount -t debugfs none /sys/kernel/debug 2>/dev/null || true

wait_disk() {
	local proc=$1 n h d
	for n in $(seq 600); do
		for h in /sys/class/scsi_host/host*; do
			[ "$(cat "$h/proc_name" 2>/dev/null)" = "$proc" ] || continue
			# tcm_loop puts the TPG tag in the target id.
			d=$(ls /sys/class/scsi_disk/"${h##*host}":0:*:0/device/block/ 2>/dev/null | grep -v -e : -e '^$' | head -n 1)
			[ -n "$d" ] && { echo "/dev/$d"; return 0; }
		done
		sleep 0.1
	done
	echo "no $proc disk" >&2
	return 1
}

# run NAME DEV RW BS QD JOBS: one fio run, prints "iops bw_MBps".
run() {
	local name=$1 dev=$2 rw=$3 bs=$4 qd=$5 jobs=$6
	fio --name="$name" --filename="$dev" --direct=1 --ioengine=libaio \
		--rw="$rw" --bs="$bs" --iodepth="$qd" --numjobs="$jobs" \
		--size="${SIZE_MB}M" --runtime="$RUNTIME" --time_based \
		--group_reporting --output-format=json >"$out/$name.json"
	python3 - "$out/$name.json" "$rw" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))['jobs'][0]
d = j['write' if 'write' in sys.argv[2] else 'read']
print('%.0f %.1f' % (d['iops'], d['bw_bytes'] / 1e6))
PY
}

# LIO's modules sit under /var/cache, hidden by a tmpfs in virtme-ng.
if ! modprobe -n target_core_mod 2>/dev/null && mountpoint -q /var/cache; then
	umount -l /var/cache
fi
$modprobe ohv_vmbus target_core_mod tcm_loop ohv_storvsp
$modprobe ohv_storvsc
# One RAM backstore, two fabrics.
$setup lun -r -s "${SIZE_MB}M" -n ohv_bench
$setup enable
ours=$(wait_disk ohv_storvsc)
# The I_T nexus must exist before the LUN is linked: linking scans it.
mkdir -p $CFS/loopback/$LOOPWWN/tpgt_1
echo $LOOPWWN >$CFS/loopback/$LOOPWWN/tpgt_1/nexus
mkdir -p $CFS/loopback/$LOOPWWN/tpgt_1/lun/lun_0
ln -s $CFS/core/rd_mcp_0/ohv_bench $CFS/loopback/$LOOPWWN/tpgt_1/lun/lun_0/ohv_bench
anchor=$(wait_disk tcm_loopback)
echo "ours: $ours   anchor: $anchor   runtime ${RUNTIME}s   $(nproc) vCPUs" >&2
head -n 1 /sys/kernel/debug/ohv_storvsc/*/channels >&2

# R[side_rw] collects "iops MBps" of every round, one pair per line.
declare -A R
for ((r = 0; r < ROUNDS; r++)); do
	for w in "randread 4k 32 2" "read 1M 8 1" "write 1M 8 1"; do
		set -- $w
		sides="ours anchor"
		[ $((r % 2)) -eq 0 ] || sides="anchor ours"
		for side in $sides; do
			if [ $side = ours ]; then dev=$ours; else dev=$anchor; fi
			v=$(run "$side-$1" "$dev" "$1" "$2" "$3" "$4")
			R[${side}_$1]+="$v"$'\n'
			echo "round $r $1 $2 QD$3x$4 $side: $v" >&2
		done
	done
done
cat /sys/kernel/debug/ohv_storvsc/*/channels >&2

declare -A S
for n in $SUBS; do
	$setup disable >/dev/null
	$modprobe -r ohv_storvsc
	insmod "$root/drivers/storvsc/ohv_storvsc.ko" subchannels="$n"
	$setup enable >/dev/null
	dev=$(wait_disk ohv_storvsc)
	S[$n]=$(run "subs-$n" "$dev" randread 4k 32 4)
	echo "sub-channels $n: ${S[$n]}" >&2
	grep '^chan ' /sys/kernel/debug/ohv_storvsc/*/channels >&2
done

echo
echo "| benchmark | ours | anchor | ratio | goal | reproduce with |"
echo "| --- | --- | --- | --- | --- | --- |"
# row NAME RW FIELD UNIT GOAL: medians of both sides and of the per-round
# ratios (FIELD 0: IOPS, 1: MB/s).
row() {
	python3 - "$1" "$3" "$4" "$5" "${R[ours_$2]}" "${R[anchor_$2]}" <<'PY'
import statistics, sys
name, field, unit, goal, o, a = sys.argv[1:]
o = [float(l.split()[int(field)]) for l in o.split('\n') if l.strip()]
a = [float(l.split()[int(field)]) for l in a.split('\n') if l.strip()]
r = [x / max(y, 1e-9) for x, y in zip(o, a)]
print('| %s | %.1f %s | %.1f %s | %.2fx (median of %d rounds, %.2f-%.2fx) | >= %s | tools/bench/storage-vs-tcm_loop.sh |'
      % (name, statistics.median(o), unit, statistics.median(a), unit,
         statistics.median(r), len(r), min(r), max(r), goal))
PY
}
row "storvsc 4k randread QD32x2 (rd_mcp, TCG)" randread 0 IOPS 0.9x
row "storvsc 1M seq read QD8 (rd_mcp, TCG)" read 1 MB/s 0.95x
row "storvsc 1M seq write QD8 (rd_mcp, TCG)" write 1 MB/s 0.95x
for n in $SUBS; do
	set -- ${S[$n]}
	echo "| storvsc 4k randread QD32x4, $n sub-channel(s) | $1 IOPS | - | - | scales | SUBS=\"$n\" tools/bench/storage-vs-tcm_loop.sh |"
done

# Clean up so the sandbox shuts down quietly.
$setup disable >/dev/null || true
rm -f $CFS/loopback/$LOOPWWN/tpgt_1/lun/lun_0/ohv_bench
echo NULL >$CFS/loopback/$LOOPWWN/tpgt_1/nexus 2>/dev/null || true
rmdir $CFS/loopback/$LOOPWWN/tpgt_1/lun/lun_0 $CFS/loopback/$LOOPWWN/tpgt_1 \
	$CFS/loopback/$LOOPWWN 2>/dev/null || true
$setup teardown || true
rm -rf $out
