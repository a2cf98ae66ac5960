#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ICMP errors about connections, relayed as IPVS relays them, with
# offloads on and off:
# - path MTU: a router (x) with a 1400-byte link toward the client sends
#   "fragmentation needed" to the VIP for the real server's 1500-byte
#   segments; uvsd must relay it to the real server (dr: as it is; nat:
#   with the outer destination and the quoted source rewritten to the
#   RIP; fullnat: from the LIP, quoting RIP -> LIP; tun: as it is,
#   through the tunnel, which tundecap (see tun-traffic.sh) opens on the
#   real server), or a 2 MiB download through x stalls in a PMTU black
#   hole;
# - port unreachable: a nat or fullnat real server with nothing on udp
#   9100 answers a client's datagram with an ICMP error that uvsd must
#   rewrite to come from the VIP, so the client's socket sees "connection
#   refused"; over dr the real server answers the client directly;
# - uvsd's nftables rules keep both errors from the host.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c2: c0 .2 (1500) -- x0 10.0.9.1 (1400) x x1 10.0.1.3 -- br0
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                    |                                    |
#                    `---- r0 .254  rt  r1 .254 ----------'
#   c2 -> VIPs via x, then d; dr replies rs1 -> rt -> x -> c2; nat
#   replies rs1 -> d -> x -> c2.

. "$(dirname "$0")/lib.sh"
uvs_init icmp-relay 90 nginx cmp ss
[ -c /dev/net/tun ] || skip "needs /dev/net/tun"

TUNDECAP=$BUILDDIR/tests/netns/tundecap
if [ ! -x "$TUNDECAP" ]; then
	cc -O1 -Wall -o "$TMPD/tundecap" "$LIB_DIR/tundecap.c" \
	    2>"$TMPD/cc.err" ||
	    die "cannot build tundecap: $(head -c 300 "$TMPD/cc.err")"
	TUNDECAP=$TMPD/tundecap
fi

C2_IP=10.0.9.2
C2_TUN_IP=10.0.9.3	# its own path MTU cache entry on the real server
TUN_PORT=81
X_IP=10.0.1.3
VIP_FN=203.0.113.30
LIP=10.0.3.1

# refused NS VIP: a datagram to VIP:9100 must end in "connection refused".
refused()
{
	local err=$TMPD/refused.err

	printf 'hello\n' | timeout --foreground 10 ip netns exec "$1" \
	    socat -T 3 -t 3 STDIO "UDP4:$2:9100" >/dev/null 2>"$err"
	if grep -q "Connection refused" "$err"; then
		pass "$2: udp to a closed port is refused (ICMP port unreachable arrived)"
	else
		fail "$2: udp to a closed port not refused: $(head -c 200 "$err")"
	fi
}

for OFFLOADS in on off; do
	log "--- offloads $OFFLOADS"
	lab_up 1
	r=${NS_RS[1]}
	ns_new NS_X x
	ns_new NS_C2 c2
	veth "$NS_X" x1 "$NS_SW" p-x1
	ip -n "$NS_SW" link set p-x1 master br0
	veth "$NS_C2" c0 "$NS_X" x0
	ip -n "$NS_X" link set x0 mtu 1400
	ip -n "$NS_X" addr add "$X_IP/24" dev x1
	ip -n "$NS_X" addr add 10.0.9.1/24 dev x0
	ip -n "$NS_X" route add 203.0.113.0/24 via "$D0_IP"
	ip netns exec "$NS_X" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$NS_C2" addr add "$C2_IP/24" dev c0
	ip -n "$NS_C2" addr add "$C2_TUN_IP/24" dev c0
	ip -n "$NS_C2" route add default via 10.0.9.1
	ip -n "$NS_RT" route add 10.0.9.0/24 via "$X_IP"
	offloads "$NS_C2" c0

	mkdir -p "$TMPD/www"
	[ -f "$TMPD/www/big" ] || mkrand "$TMPD/www/big" $((2 << 20))
	nginx_start "$r" rs1 "$TMPD/www"
	wait_tcp_listen "$r" 80
	# tun: ipip decapsulated by tundecap, the file served on port 81.
	ip netns exec "$r" nft -f - <<NFT || die "nft on rs1"
table inet tundecap {
	chain in {
		type filter hook input priority 0;
		meta l4proto 4 drop
	}
}
NFT
	bg_run "$r" "$TMPD/tundecap.log" "$TUNDECAP" e0 tun0 6080 \
	    "$TMPD/tundecap.stats"
	wait_until 50 0.1 test -e "$TMPD/tundecap.stats" ||
	    die "tundecap did not start: $(head -c 200 "$TMPD/tundecap.log")"
	ip netns exec "$r" sysctl -qw net.ipv4.conf.tun0.rp_filter=0
	bg_run "$r" "$TMPD/serve81.log" socat \
	    "TCP-LISTEN:$TUN_PORT,fork,reuseaddr" "OPEN:$TMPD/www/big,rdonly"
	wait_tcp_listen "$r" "$TUN_PORT"

	lb_start "$NS_D" d1 d0 d1
	lb_service tcp "$VIP_DR" 80 rr
	lb_server tcp "$VIP_DR" 80 "${RS_IP[1]}" dr 1
	lb_service tcp "$VIP_NAT" 80 rr
	lb_server tcp "$VIP_NAT" 80 "${RS_IP[1]}" nat 1
	lb_service udp "$VIP_DR" 9100 rr
	lb_server udp "$VIP_DR" 9100 "${RS_IP[1]}" dr 1
	lb_service udp "$VIP_NAT" 9100 rr
	lb_server udp "$VIP_NAT" 9100 "${RS_IP[1]}" nat 1
	adm -A -t "$VIP_DR:$TUN_PORT" -s rr || die "-A tun"
	adm -a -t "$VIP_DR:$TUN_PORT" -r "${RS_IP[1]}" -i || die "-a tun"
	adm -A -t "$VIP_FN:80" -s rr --laddr "$LIP" || die "-A fullnat tcp"
	adm -a -t "$VIP_FN:80" -r "${RS_IP[1]}:80" --fullnat || die "-a fullnat tcp"
	adm -A -u "$VIP_FN:9100" -s rr --laddr "$LIP" || die "-A fullnat udp"
	adm -a -u "$VIP_FN:9100" -r "${RS_IP[1]}" --fullnat || die "-a fullnat udp"

	out=$TMPD/tun.out
	if ! timeout --foreground 20 ip netns exec "$NS_C2" socat -u \
	    "TCP:$VIP_DR:$TUN_PORT,bind=$C2_TUN_IP,connect-timeout=3" \
	    "OPEN:$out,creat,trunc" 2>"$TMPD/tun.err"; then
		fail "tun: 2 MiB through the 1400-byte hop: $(head -c 200 "$TMPD/tun.err") ($(stat -c %s "$out" 2>/dev/null || echo 0) bytes)"
	elif [ "$(sha "$out")" != "$(sha "$TMPD/www/big")" ]; then
		fail "tun: 2 MiB through the 1400-byte hop: $(stat -c %s "$out") bytes, differing"
	else
		pass "tun: 2 MiB through the 1400-byte hop intact (frag-needed tunnelled)"
	fi
	if ip -n "$r" route get "$C2_TUN_IP" from "$VIP_DR" | grep -q "mtu 1400"; then
		pass "rs1 caches mtu 1400 toward the client (tun)"
	else
		fail "rs1 lacks mtu 1400 toward the client (tun): $(ip -n "$r" route get "$C2_TUN_IP" from "$VIP_DR" | tr '\n' ' ')"
	fi
	for vip in "$VIP_DR" "$VIP_NAT" "$VIP_FN"; do
		out=$TMPD/big.out
		rm -f "$out"
		if ! timeout --foreground 30 ip netns exec "$NS_C2" curl -sS \
		    --connect-timeout 3 --max-time 15 -o "$out" \
		    "http://$vip/big" 2>"$TMPD/curl.err"; then
			fail "$vip: 2 MiB through the 1400-byte hop: $(head -c 200 "$TMPD/curl.err") ($(stat -c %s "$out" 2>/dev/null || echo 0) bytes)"
		elif [ "$(sha "$out")" != "$(sha "$TMPD/www/big")" ]; then
			fail "$vip: 2 MiB through the 1400-byte hop: differs"
		else
			pass "$vip: 2 MiB through the 1400-byte hop intact (frag-needed relayed)"
		fi
	done
	# The real server learnt the path MTU from the relayed errors.
	ip -n "$r" route get "$C2_IP" from "$VIP_DR" >"$TMPD/route.out" 2>&1
	ip -n "$r" route get "$C2_IP" >>"$TMPD/route.out" 2>&1
	if [ "$(grep -c "mtu 1400" "$TMPD/route.out")" -ge 2 ]; then
		pass "rs1 caches mtu 1400 toward the client (dr and nat)"
	else
		fail "rs1 lacks mtu 1400 toward the client: $(tr '\n' ' ' <"$TMPD/route.out")"
	fi
	if ip -n "$r" route get "$LIP" | grep -q "mtu 1400"; then
		pass "rs1 caches mtu 1400 toward the LIP (fullnat)"
	else
		fail "rs1 lacks mtu 1400 toward the LIP: $(ip -n "$r" route get "$LIP" | tr '\n' ' ')"
	fi

	refused "$NS_C" "$VIP_NAT"
	refused "$NS_C" "$VIP_DR"
	refused "$NS_C" "$VIP_FN"

	n=$(ctl stats | awk '$1 == "icmp-relayed" { print $2 }')
	# At least a frag-needed each for tun, dr, nat and fullnat, and two
	# port unreachables.
	if [ "${n:-0}" -ge 6 ]; then
		pass "uvsd relayed $n ICMP errors"
	else
		fail "uvsd relayed ${n:-no} ICMP errors, want 6 or more"
	fi
	n=$(nft_count "@icmpsvc4")
	[ "$n" -ge 2 ] && pass "nft kept $n errors to VIPs from the host" ||
	    fail "nft kept $n errors to VIPs from the host, want 2 or more"
	n=$(nft_count "@icmprs4")
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
