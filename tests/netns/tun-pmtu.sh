#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fragmentation needed about a tunnel packet, with offloads on and off:
# a tun real server (rs) lies behind a router (x) whose link toward it
# has an MTU of 1400.  A client's 4 MiB upload to each of three services
# (ipip, gue, gre) starts with 1500-byte segments: uvsd itself answers
# that they no longer fit its 1500-byte egress once encapsulated; the
# client's next ones fit that but not x's 1400-byte link, and x sends
# "fragmentation needed, mtu 1400" quoting our tunnel packet to our own
# address (10.0.2.1).  The upload completes (sha256 compared) only if
# uvsd decodes the client's packet inside that quote and sends the client
# fragmentation needed with 1400 less the tunnel's overhead (ipip 20, gue
# 32, gre 24), which the client's route cache then shows, as IPVS's
# ip_vs_in_icmp() does for IPIP/UDP/GRE tunnel packets.  tundecap (see
# tun-traffic.sh) decapsulates on the real server.
#
#   c: c0 .2 ---- br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- x0 .3  x  x1 10.0.5.1 (1400) ---- e0 10.0.5.11 rs (tundecap -> tun0)
#                  |                                     |
#                  `---- r0 .254  rt  r1 .254 -----------'
#   replies: rs -> x -> rt -> c, from the VIP

. "$(dirname "$0")/lib.sh"
uvs_init tun-pmtu 60 cmp
[ -c /dev/net/tun ] || skip "needs /dev/net/tun"

TUNDECAP=$BUILDDIR/tests/netns/tundecap
if [ ! -x "$TUNDECAP" ]; then
	cc -O1 -Wall -o "$TMPD/tundecap" "$LIB_DIR/tundecap.c" \
	    2>"$TMPD/cc.err" ||
	    die "cannot build tundecap: $(head -c 300 "$TMPD/cc.err")"
	TUNDECAP=$TMPD/tundecap
fi

GUE_PORT=6080
X_IP=10.0.2.3
RIP=10.0.5.11
# kind VIP port overhead tunnel options
KINDS=(
	"ipip 203.0.113.41 8081 20"
	"gue 203.0.113.42 8082 32 --tun-type gue --tun-port $GUE_PORT"
	"gre 203.0.113.43 8083 24 --tun-type gre"
)

# up_done FILE: the whole upload has arrived in FILE.
up_done()
{
	[ "$(stat -c %s "$1" 2>/dev/null)" = $((4 << 20)) ]
}

for OFFLOADS in on off; do
	log "--- offloads $OFFLOADS"
	lab_up 0
	ns_new NS_X x
	ns_new NS_R rs
	veth "$NS_X" x0 "$NS_SW" p-x0
	ip -n "$NS_SW" link set p-x0 master br1
	veth "$NS_X" x1 "$NS_R" e0
	ip -n "$NS_X" link set x1 mtu 1400
	ip -n "$NS_R" link set e0 mtu 1400
	ip -n "$NS_X" addr add "$X_IP/24" dev x0
	ip -n "$NS_X" addr add 10.0.5.1/24 dev x1
	ip -n "$NS_X" route add default via "$RT1_IP"
	ip netns exec "$NS_X" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$NS_D" route add 10.0.5.0/24 via "$X_IP"
	ip -n "$NS_R" addr add "$RIP/24" dev e0
	ip -n "$NS_R" route add default via 10.0.5.1
	offloads "$NS_R" e0
	offloads "$NS_X" x0 x1

	ip netns exec "$NS_R" nft -f - <<NFT || die "nft on rs"
table inet tundecap {
	chain in {
		type filter hook input priority 0;
		meta l4proto { 4, 41, 47 } drop
		udp dport $GUE_PORT drop
	}
}
NFT
	bg_run "$NS_R" "$TMPD/tundecap.log" "$TUNDECAP" e0 tun0 "$GUE_PORT" \
	    "$TMPD/tundecap.stats"
	wait_until 50 0.1 test -e "$TMPD/tundecap.stats" ||
	    die "tundecap did not start: $(head -c 200 "$TMPD/tundecap.log")"
	ip netns exec "$NS_R" sysctl -qw net.ipv4.conf.tun0.rp_filter=0
	[ -f "$TMPD/up" ] || mkrand "$TMPD/up" $((4 << 20))

	lb_start "$NS_D" d1 d0 d1
	for k in "${KINDS[@]}"; do
		set -- $k
		name=$1 vip=$2 port=$3
		shift 4
		ip -n "$NS_R" addr add "$vip/32" dev lo
		bg_run "$NS_R" "$TMPD/sink-$name.log" socat -u \
		    "TCP-LISTEN:$port,reuseaddr" "OPEN:$TMPD/up-$name,creat,trunc"
		wait_tcp_listen "$NS_R" "$port"
		adm -A -t "$vip:$port" -s rr || die "-A $name"
		adm -a -t "$vip:$port" -r "$RIP" -i "$@" || die "-a $name"
	done

	for k in "${KINDS[@]}"; do
		set -- $k
		name=$1 vip=$2 port=$3 oh=$4
		if ! timeout --foreground 20 ip netns exec "$NS_C" socat -u \
		    "OPEN:$TMPD/up,rdonly" \
		    "TCP:$vip:$port,connect-timeout=3" 2>"$TMPD/up.err"; then
			fail "$name: 4 MiB upload through the 1400-byte hop: $(head -c 200 "$TMPD/up.err")"
		fi
		wait_until 50 0.1 up_done "$TMPD/up-$name"
		if [ "$(sha "$TMPD/up-$name" 2>/dev/null)" = "$(sha "$TMPD/up")" ]; then
			pass "$name: 4 MiB upload through the 1400-byte hop intact"
		else
			fail "$name: upload differs ($(stat -c %s "$TMPD/up-$name" 2>/dev/null || echo 0) of $((4 << 20)) bytes)"
		fi
		want=$((1400 - oh))
		got=$(ip -n "$NS_C" route get "$vip" | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
		if [ "$got" = "$want" ]; then
			pass "$name: the client caches mtu $want toward $vip"
		else
			fail "$name: the client caches mtu ${got:-none} toward $vip, want $want"
		fi
	done

	n=$(ctl stats | awk '$1 == "icmp-relayed" { print $2 }')
	if [ "${n:-0}" -ge 3 ]; then
		pass "uvsd turned $n tunnel errors into errors to the client"
	else
		fail "uvsd turned ${n:-no} tunnel errors into errors to the client, want 3 or more"
	fi
	for d in icmp-short icmp-bad-inner icmp-checksum icmp-no-conn; do
		[ "$(drop_count "$d")" = 0 ] ||
		    fail "uvsd dropped $(drop_count "$d") ICMP errors as $d"
	done
	uvsd_alive || fail "uvsd died"
	lb_stop
	teardown
done
finish
