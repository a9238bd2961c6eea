#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sandbox: --cpus 2 --memory 2G
# timeout: 900
#
# Synthetic network bring-up on the VMBus loopback: create a NIC through
# the netvsp configfs interface, let netvsc bind to it, put the guest NIC
# in netns "g" and the host vif in netns "h", then check
#   - NVSP/RNDIS bring-up (NVSP version, 4 channels, MAC we set)
#   - carrier on both sides
#   - ping both ways, IPv4 and IPv6
#   - no kernel warnings
# The rest (iperf3, offloads, MTU, VLAN, ethtool, link, hot-remove) is in
# tests/pending/61-net-full.sh until it passes.
set -euo pipefail
root=${OHV_ROOT:?}

modprobe=$root/tools/sandbox/ohv-modprobe
cfg=/sys/kernel/config/ohv_netvsp
mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
mount -t configfs none /sys/kernel/config 2>/dev/null || true
dmesg_base=$(dmesg | wc -l)
G="ip netns exec g"
H="ip netns exec h"

# The sandbox has no ping(8): pyping NS ADDR [SIZE] sends up to 3 ICMP
# echoes with fragmentation forbidden and succeeds if one comes back with
# the same payload.
cat >/tmp/ohv-pyping.py <<'PY'
import os, socket, struct, sys, time
addr, size = sys.argv[1], int(sys.argv[2])
v6 = ":" in addr
if v6:
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.IPPROTO_IPV6, 23, 2)     # IPV6_MTU_DISCOVER = DO
    req, rep = 128, 129
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.setsockopt(socket.IPPROTO_IP, 10, 2)       # IP_MTU_DISCOVER = DO
    req, rep = 8, 0
def csum(b):
    if len(b) % 2: b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xffff); t += t >> 16
    return ~t & 0xffff
ident = os.getpid() & 0xffff
for seq in range(3):
    data = os.urandom(size)
    h = struct.pack("!BBHHH", req, 0, 0, ident, seq)
    if not v6:
        h = struct.pack("!BBHHH", req, 0, csum(h + data), ident, seq)
    s.sendto(h + data, (addr, 0))
    end = time.time() + 3
    while time.time() < end:
        s.settimeout(max(end - time.time(), 0.01))
        try:
            b = s.recv(65535)
        except socket.timeout:
            break
        if not v6:
            b = b[(b[0] & 15) * 4:]
        if b[0] == rep and struct.unpack("!H", b[4:6])[0] == ident and b[8:] == data:
            sys.exit(0)
sys.exit(1)
PY
pyping() { ip netns exec "$1" timeout 20 python3 /tmp/ohv-pyping.py "$2" "${3:-56}"; }

fail() {
	echo "FAIL: $*" >&2
	[ -r $cfg/nic0/stats ] && cat $cfg/nic0/stats >&2
	[ -n "${gdev:-}" ] && $G ethtool -S "$gdev" >&2 2>/dev/null
	for ns in g h; do
		ip -n $ns -s link >&2 2>/dev/null
		ip -n $ns neigh >&2 2>/dev/null
	done
	dmesg | tail -n 40 >&2
	exit 1
}
ok() { echo "ok: $*"; }
wait_for() {
	local n=$(($1 * 10))
	shift
	while ! "$@" 2>/dev/null; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}
stat_of() { sed -n "s/^$2: //p" "$1"; }
# Sum of the bad_* counters: host (configfs) or guest (ethtool -S).
host_bad() { sed -n 's/^bad_[a-z_]*: //p' $cfg/nic0/stats | awk '{s+=$1} END {print s+0}'; }
guest_bad() { $G ethtool -S "$gdev" | sed -n 's/^ *bad_[a-z_]*: //p' | awk '{s+=$1} END {print s+0}'; }

$modprobe ohv_vmbus ohv_net_proto ohv_netvsp
$modprobe ohv_netvsc

echo clear >/sys/kernel/debug/kmemleak 2>/dev/null || true

mkdir $cfg/nic0
echo 0 >$cfg/nic0/partition
echo 0 >$cfg/nic0/nic
echo 00:15:5d:00:66:01 >$cfg/nic0/mac
echo 4 >$cfg/nic0/queues
echo 1 >$cfg/nic0/enable
hdev=$(cat $cfg/nic0/ifname)
[ "$hdev" = ohvp0n0 ] || fail "host vif name '$hdev'"
ok "host vif $hdev"

guest_dev() { ls /sys/bus/ohvbus/drivers/ohv_netvsc/*/net/ 2>/dev/null | grep -v : | head -n 1; }
has_guest_dev() { [ -n "$(guest_dev)" ]; }
wait_for 120 has_guest_dev || fail "netvsc did not register a net_device"
gdev=$(guest_dev)
ok "guest NIC $gdev"
[ "$(cat /sys/class/net/$gdev/address)" = 00:15:5d:00:66:01 ] || fail "guest MAC"
ok "guest MAC is the one configured"
cat $cfg/nic0/stats
[ "$(stat_of $cfg/nic0/stats nvsp_version)" = 0x60001 ] || fail "NVSP version"
ok "NVSP 0x60001 negotiated"
[ "$(stat_of $cfg/nic0/stats channels_open)" = 4 ] || fail "channels"
ok "4 channels open"

ip netns add g
ip netns add h
ip link set "$gdev" netns g
ip link set "$hdev" netns h
$G ip link set lo up
$H ip link set lo up
$G ip addr add 10.66.0.1/24 dev "$gdev"
$H ip addr add 10.66.0.2/24 dev "$hdev"
$G ip addr add fd66::1/64 dev "$gdev" nodad
$H ip addr add fd66::2/64 dev "$hdev" nodad
$G ip link set "$gdev" up
$H ip link set "$hdev" up
wait_for 30 $G sh -c "ip link show $gdev | grep -q LOWER_UP" || fail "guest carrier"
wait_for 30 $H sh -c "ip link show $hdev | grep -q LOWER_UP" || fail "host carrier"
ok "carrier up on both sides"

pyping g 10.66.0.2 || fail "ping guest -> host (IPv4)"
ok "ping guest -> host IPv4"
pyping h 10.66.0.1 || fail "ping host -> guest (IPv4)"
ok "ping host -> guest IPv4"
pyping g fd66::2 || fail "ping guest -> host (IPv6)"
ok "ping guest -> host IPv6"
pyping h fd66::1 || fail "ping host -> guest (IPv6)"
ok "ping host -> guest IPv6"

if dmesg | tail -n +"$((dmesg_base + 1))" |
	grep -E 'BUG:|WARNING:|KASAN|UBSAN|possible circular locking|Call Trace|hung task'; then
	fail "kernel reported a problem"
fi
echo "PASS 60-net-ping"
