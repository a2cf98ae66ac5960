#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ICMPv6 errors about IPv6 connections, relayed as IPVS relays them, with
# offloads on and off (icmp-relay.sh for IPv4):
# - path MTU: a router (x) with a 1400-byte link toward the client sends
#   "packet too big" to the VIP for the real server's 1500-byte
#   segments; uvsd must relay it to the real server (dr: as it is; nat:
#   outer destination and quoted source rewritten to the RIP, the ICMPv6
#   checksum with its pseudo-header), or a 2 MiB download through x
#   stalls in a PMTU black hole;
# - port unreachable: a nat real server with nothing on udp 9100 answers
#   a client's datagram with an ICMPv6 error that uvsd must rewrite to
#   come from the VIP, so the client's socket sees "connection refused";
#   over dr the real server answers the client directly;
# - uvsd's nftables rules keep both errors from the host.
#
#        sw: br0 (2001:db8:1::/64)                br1 (2001:db8:2::/64)
#   c2: c0 ::2 (1500) -- x0 2001:db8:9::1 (1400) x x1 2001:db8:1::3 -- br0
#   c: c0 ::2 ---- br0 ---- d0 ::1  d (uvsd)  d1 ::1 ---- br1 ---- e0 ::11 rs1
#                   |                                   |
#                   `---- r0 ::fe  rt  r1 ::fe ---------'

. "$(dirname "$0")/lib.sh"
uvs_init icmp6-relay 90 nginx cmp ss

C2_IP6=2001:db8:9::2
X_IP6=2001:db8:1::3

refused()
{
	local err=$TMPD/refused.err

	printf 'hello\n' | timeout --foreground 10 ip netns exec "$1" \
	    socat -T 3 -t 3 STDIO "UDP6:[$2]:9100" >/dev/null 2>"$err"
	if grep -q "Connection refused" "$err"; then
		pass "[$2]: udp to a closed port is refused (ICMPv6 port unreachable arrived)"
	else
		fail "[$2]: udp to a closed port not refused: $(head -c 200 "$err")"
	fi
}

LAB_V6=1
for OFFLOADS in on off; do
	log "--- offloads $OFFLOADS"
	lab_up 1
	r=${NS_RS[1]}
	ns_new NS_X x
	ns_new NS_C2 c2
	v6_on "$NS_X"
	v6_on "$NS_C2"
	veth "$NS_X" x1 "$NS_SW" p-x1
	ip -n "$NS_SW" link set p-x1 master br0
	veth "$NS_C2" c0 "$NS_X" x0
	ip -n "$NS_X" link set x0 mtu 1400
	ip -n "$NS_X" addr add "$X_IP6/64" dev x1 nodad
	ip -n "$NS_X" addr add 2001:db8:9::1/64 dev x0 nodad
	ip -n "$NS_X" route add 2001:db8:113::/64 via "$D06_IP"
	ip netns exec "$NS_X" sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -n "$NS_C2" addr add "$C2_IP6/64" dev c0 nodad
	ip -n "$NS_C2" route add default via 2001:db8:9::1
	ip -n "$NS_RT" route add 2001:db8:9::/64 via "$X_IP6"
	offloads "$NS_C2" c0

	mkdir -p "$TMPD/www"
	[ -f "$TMPD/www/big" ] || mkrand "$TMPD/www/big" $((2 << 20))
	nginx_start "$r" rs1 "$TMPD/www"
	wait_tcp_listen "$r" 80

	lb_start "$NS_D" d1 d0 d1
	adm -A -t "[$VIP6_DR]:80" -s rr || die "-A dr"
	adm -a -t "[$VIP6_DR]:80" -r "[${RS6_IP[1]}]:80" -g || die "-a dr"
	adm -A -t "[$VIP6_NAT]:80" -s rr || die "-A nat"
	adm -a -t "[$VIP6_NAT]:80" -r "[${RS6_IP[1]}]:80" -m || die "-a nat"
	adm -A -u "[$VIP6_DR]:9100" -s rr || die "-A dr udp"
	adm -a -u "[$VIP6_DR]:9100" -r "[${RS6_IP[1]}]:9100" -g || die "-a dr udp"
	adm -A -u "[$VIP6_NAT]:9100" -s rr || die "-A nat udp"
	adm -a -u "[$VIP6_NAT]:9100" -r "[${RS6_IP[1]}]:9100" -m ||
	    die "-a nat udp"

	for vip in "$VIP6_DR" "$VIP6_NAT"; do
		out=$TMPD/big.out
		rm -f "$out"
		if ! timeout --foreground 30 ip netns exec "$NS_C2" curl -sS -g \
		    --connect-timeout 3 --max-time 15 -o "$out" \
		    "http://[$vip]/big" 2>"$TMPD/curl.err"; then
			fail "[$vip]: 2 MiB through the 1400-byte hop: $(head -c 200 "$TMPD/curl.err") ($(stat -c %s "$out" 2>/dev/null || echo 0) bytes)"
		elif [ "$(sha "$out")" != "$(sha "$TMPD/www/big")" ]; then
			fail "[$vip]: 2 MiB through the 1400-byte hop: differs"
		else
			pass "[$vip]: 2 MiB through the 1400-byte hop intact (packet too big relayed)"
		fi
	done
	ip -n "$r" -6 route get "$C2_IP6" from "$VIP6_DR" >"$TMPD/route.out" 2>&1
	ip -n "$r" -6 route get "$C2_IP6" >>"$TMPD/route.out" 2>&1
	if [ "$(grep -c "mtu 1400" "$TMPD/route.out")" -ge 2 ]; then
		pass "rs1 caches mtu 1400 toward the client (dr and nat)"
	else
		fail "rs1 lacks mtu 1400 toward the client: $(tr '\n' ' ' <"$TMPD/route.out")"
	fi

	refused "$NS_C" "$VIP6_NAT"
	refused "$NS_C" "$VIP6_DR"

	n=$(ctl stats | awk '$1 == "icmp-relayed" { print $2 }')
	if [ "${n:-0}" -ge 3 ]; then
		pass "uvsd relayed $n ICMPv6 errors"
	else
		fail "uvsd relayed ${n:-no} ICMPv6 errors, want 3 or more"
	fi
	n=$(nft_count "@icmpsvc6")
	[ "$n" -ge 2 ] && pass "nft kept $n errors to VIPs from the host" ||
	    fail "nft kept $n errors to VIPs from the host, want 2 or more"
	n=$(nft_count "@icmprs6")
	[ "$n" -ge 1 ] && pass "nft kept $n errors from nat real servers from the host" ||
	    fail "nft kept $n errors from nat real servers from the host, want 1 or more"
	for d in icmp-short icmp-bad-inner icmp-checksum; do
		[ "$(drop_count "$d")" = 0 ] ||
		    fail "uvsd dropped $(drop_count "$d") ICMP errors as $d"
	done
	uvsd_alive || fail "uvsd died"
	lb_stop
	teardown
done
finish
