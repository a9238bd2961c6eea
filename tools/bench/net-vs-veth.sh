#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netvsc <-> netvsp against a veth pair, same sandbox run, same namespace
# layout: iperf3 TCP with 1 and 4 streams and UDP with 64-byte datagrams
# (packets per second received), both directions. Prints one row per
# measurement with the ratio ours / veth (goal >= 0.8), over alternating
# rounds, and the share of CPU time each side left idle (a side held by
# waits rather than work shows there).
#
# Run inside the sandbox, from the repository root:
#   tools/sandbox/run --cpus 2 -- tools/bench/net-vs-veth.sh
# OHV_BENCH_SECS (default 5) sets the length of each iperf3 run,
# OHV_BENCH_ROUNDS (default 3) the rounds per measurement;
# OHV_BENCH_PERF=1 adds perf profiles of the ohv runs. Experiments:
# OHV_BENCH_SETUP is a command run after the modules load, before the NIC
# is made (module parameters: napi_threaded=0); OHV_BENCH_UP one run once
# both pairs answer ping, with $gdev and $hdev naming the netvsc and vif
# devices (per-device knobs: threaded, napi_defer_hard_irqs, XPS).
# OHV_BENCH_B, a command, makes each round also run ours right after
# switching to a variant B, and OHV_BENCH_A switches back: a row [B]
# follows each row. Example, moderation on the host's vif too:
#   OHV_BENCH_B='ip netns exec ohv-h sh -c "echo 2 >/sys/class/net/$hdev/napi_defer_hard_irqs; echo 50000 >/sys/class/net/$hdev/gro_flush_timeout"'
#   OHV_BENCH_A='ip netns exec ohv-h sh -c "echo 0 >/sys/class/net/$hdev/napi_defer_hard_irqs"'
# (long commands go in a file sourced by OHV_BENCH_UP: the sandbox passes
# the environment on the kernel command line, which is cut at 2 KiB).
set -euo pipefail
root=${OHV_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
secs=${OHV_BENCH_SECS:-5}
rounds=${OHV_BENCH_ROUNDS:-3}
modprobe=$root/tools/sandbox/ohv-modprobe
cfg=/sys/kernel/config/ohv_netvsp
mount -t configfs none /sys/kernel/config 2>/dev/null || true

$modprobe ohv_vmbus ohv_net_proto ohv_netvsp
$modprobe ohv_netvsc
[ -z "${OHV_BENCH_SETUP:-}" ] || eval "$OHV_BENCH_SETUP"
mkdir $cfg/bench
echo 4 >$cfg/bench/queues
echo 1 >$cfg/bench/enable
hdev=$(cat $cfg/bench/ifname)
for _ in $(seq 300); do
	gdev=$(ls /sys/bus/ohvbus/drivers/ohv_netvsc/*/net/ 2>/dev/null | grep -v : | head -n 1) || true
	[ -n "$gdev" ] && break
	sleep 0.1
done
[ -n "$gdev" ] || { echo "netvsc did not bind" >&2; exit 1; }

# pair NAME GUEST_IF HOST_IF NET: namespaces NAME-g / NAME-h.
pair() {
	local n=$1 g=$2 h=$3 net=$4
	ip netns add "$n-g"
	ip netns add "$n-h"
	ip link set "$g" netns "$n-g"
	ip link set "$h" netns "$n-h"
	ip -n "$n-g" addr add "$net.1/24" dev "$g"
	ip -n "$n-h" addr add "$net.2/24" dev "$h"
	ip -n "$n-g" link set "$g" up
	ip -n "$n-h" link set "$h" up
	ip -n "$n-g" link set lo up
	ip -n "$n-h" link set lo up
}
pair ohv "$gdev" "$hdev" 10.68.0
ip link add vg type veth peer name vh
pair veth vg vh 10.69.0
sleep 2
for n in ohv:10.68.0.2 veth:10.69.0.2; do
	for i in 1 2 3 4 5 6; do
		ip netns exec "${n%%:*}-g" busybox ping -c 1 -W 5 "${n#*:}" \
			>/dev/null && break
		[ "$i" -lt 6 ] || { echo "${n%%:*}: no ping" >&2; exit 1; }
	done
done
sysctl -qw net.core.rmem_max=4194304 net.core.wmem_max=4194304
[ -z "${OHV_BENCH_UP:-}" ] || eval "$OHV_BENCH_UP"

# busy/idle jiffies of all CPUs so far: "BUSY IDLE" (idle counts iowait).
cpu_ticks() {
	awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat
}

# run NAME DIR ARGS...: DIR "gh" = guest sends, "hg" = host sends.
# Prints bits/s (TCP) or received packets/s (UDP), then the share of CPU
# time that was idle while iperf3 ran, in percent: a side that waits
# rather than works shows here.
run() {
	local n=$1 dir=$2 net cns sns sip out c0 c1
	shift 2
	net=$([ "$n" = ohv ] && echo 10.68.0 || echo 10.69.0)
	if [ "$dir" = gh ]; then cns=$n-g sns=$n-h sip=$net.2
	else cns=$n-h sns=$n-g sip=$net.1; fi
	ip netns exec "$sns" iperf3 -s -1 -D -I /tmp/bench-iperf.pid >/dev/null
	sleep 0.5
	c0=$(cpu_ticks)
	out=$(ip netns exec "$cns" timeout $((secs + 60)) \
		iperf3 -c "$sip" -t "$secs" -J "$@")
	c1=$(cpu_ticks)
	sleep 0.5
	python3 -c '
import json, sys
e = json.load(sys.stdin)["end"]
s = e.get("sum")
b0, i0 = map(int, sys.argv[1].split())
b1, i1 = map(int, sys.argv[2].split())
t = (b1 - b0) + (i1 - i0)
idle = 100 * (i1 - i0) / t if t else 0
if s and "lost_packets" in s:
    # UDP (iperf3 3.12 also has sum_received, without packet counts)
    v = (s["packets"] - s["lost_packets"]) / s["seconds"]
else:
    v = e["sum_received"]["bits_per_second"]
print("%.0f %.0f" % (v, idle))
' "$c0" "$c1" <<<"$out"
}

# ROUNDS rounds per measurement, back to back, ours first in odd rounds and
# veth first in even ones, so that load changes hit both sides alike. A
# row gives the medians of both sides and the median (and range) of the
# per-round ratios.
printf '| %-34s | %12s | %12s | %-26s | %-11s |\n' benchmark ohv veth \
	"ratio: median (range)" "idle ohv/veth"
# row LABEL UNIT "OURS..." "VETH..." "OURS_IDLE..." "VETH_IDLE...": one
# table row from per-round values (idle: median % of CPU time idle).
row() {
	python3 -c "
import statistics
o = [float(x) for x in '$3'.split()]
v = [float(x) for x in '$4'.split()]
oi = [float(x) for x in '$5'.split()]
vi = [float(x) for x in '$6'.split()]
r = [a / b for a, b in zip(o, v) if b]
f = (lambda x: '%.1f M' % (x / 1e6)) if '$2' == 'bit/s' else (lambda x: '%.1f k' % (x / 1e3))
print('| %-34s | %12s | %12s | %-26s | %-11s |' % ('$1', f(statistics.median(o)) + '$2'[:1],
      f(statistics.median(v)) + '$2'[:1],
      '%.2f (%.2f-%.2f, %d rounds)' % (statistics.median(r), min(r), max(r), len(r)) if r else '-',
      '%.0f%% / %.0f%%' % (statistics.median(oi), statistics.median(vi))))
"
}

# ours: ours in the default setup, into o and oi (value, idle %), and with
# OHV_BENCH_B also in variant B right after it, into b and bi
# (OHV_BENCH_A switches back).
ours() {
	local dir=$1
	shift
	o=$(run ohv "$dir" "$@")
	read -r o oi <<<"$o"
	if [ -n "${OHV_BENCH_B:-}" ]; then
		eval "$OHV_BENCH_B"
		b=$(run ohv "$dir" "$@")
		read -r b bi <<<"$b"
		eval "${OHV_BENCH_A:?OHV_BENCH_B needs OHV_BENCH_A}"
	fi
}

# veth: the anchor, into v and vi.
veth() {
	v=$(run veth "$@")
	read -r v vi <<<"$v"
}

for t in "TCP 1 stream:-P 1" "TCP 4 streams:-P 4" "UDP 64 B pps:-u -l 64 -b 0"; do
	name=${t%%:*}
	args=${t#*:}
	for dir in gh hg; do
		os="" bs="" vs="" b="" ois="" bis="" vis="" bi=""
		for r in $(seq "$rounds"); do
			if [ $((r % 2)) = 1 ]; then
				# shellcheck disable=SC2086
				ours $dir $args
				# shellcheck disable=SC2086
				veth $dir $args
			else
				# shellcheck disable=SC2086
				veth $dir $args
				# shellcheck disable=SC2086
				ours $dir $args
			fi
			echo "round $r $name $dir: ohv $o (idle $oi%)${b:+ ohv-B $b (idle $bi%)} veth $v (idle $vi%)" >&2
			os="$os $o" bs="$bs $b" vs="$vs $v"
			ois="$ois $oi" bis="$bis $bi" vis="$vis $vi"
		done
		unit=$([ "${name#UDP}" = "$name" ] && echo bit/s || echo pkt/s)
		lab="$name $([ $dir = gh ] && echo 'guest->host' || echo 'host->guest')"
		row "$lab" "$unit" "$os" "$vs" "$ois" "$vis"
		[ -z "${OHV_BENCH_B:-}" ] ||
			row "$lab [B]" "$unit" "$bs" "$vs" "$bis" "$vis"
	done
done
# OHV_BENCH_PERF=1: where the time goes, netvsc<->netvsp, per direction.
if [ "${OHV_BENCH_PERF:-0}" = 1 ]; then
	for t in "UDP 64 B:-u -l 64 -b 0" "TCP 1 stream:-P 1"; do
		for dir in gh hg; do
			echo "== perf: ohv ${t%%:*} $dir"
			# shellcheck disable=SC2086
			run ohv $dir ${t#*:} >/dev/null &
			sleep 1.5
			perf record -q -a -g -o /tmp/bench-perf.data -- sleep 3 \
				>/dev/null 2>&1
			wait
			perf report -i /tmp/bench-perf.data --stdio --no-children \
				--sort sym 2>/dev/null | grep -E '^ +[0-9]' |
				head -n 25 || true
		done
	done
fi

ip netns del ohv-g
ip netns del ohv-h
ip netns del veth-g
ip netns del veth-h
echo 0 >$cfg/bench/enable
rmdir $cfg/bench
$modprobe -r ohv_netvsc ohv_netvsp ohv_net_proto ohv_vmbus
