#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Datagrams larger than the path MTU through uvsd: the client's kernel
# fragments a UDP datagram of 4000 or 9000 bytes for the 1500-byte
# links, the director's fanout (DEFRAG) hands uvsd the whole datagram,
# and uvsd must cut it again for its egress link (frag.c); the real
# server's socat echoes it back (dr: straight to the client through the
# router; nat: through uvsd, which reassembles and cuts the reply too).
# Each echo must be byte for byte the datagram sent (sha256), for dr and
# nat, offloads on and off; uvsd's "fragmented" counter must have moved,
# and uvsd's nftables table must have kept the later fragments from the
# host.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                    |                                    |
#                    `---- r0 .254  rt  r1 .254 ----------'
#   every link has MTU 1500

. "$(dirname "$0")/lib.sh"
uvs_init frag-udp 90 cmp ss

# echo_big VIP SIZE: one datagram of SIZE bytes out and back, intact.
echo_big()
{
	local in=$TMPD/big.in out=$TMPD/big.out

	mkrand "$in" "$2"
	timeout --foreground 10 ip netns exec "$NS_C" socat -b 65536 -T 3 \
	    -t 2 STDIO "UDP4:$1:9000" <"$in" >"$out" 2>"$TMPD/socat.err"
	if [ "$(sha "$out")" != "$(sha "$in")" ]; then
		fail "$1: udp datagram of $2 bytes: $(stat -c %s "$out") bytes came back, differing $(head -c 200 "$TMPD/socat.err")"
		return 1
	fi
	pass "$1: udp datagram of $2 bytes came back intact"
}

for OFFLOADS in on off; do
	log "--- offloads $OFFLOADS"
	lab_up 1
	r=${NS_RS[1]}
	bg_run "$r" "$TMPD/echo-rip.log" socat -b 65536 -T 3 \
	    "UDP4-RECVFROM:9000,bind=${RS_IP[1]},fork" EXEC:cat
	bg_run "$r" "$TMPD/echo-vip.log" socat -b 65536 -T 3 \
	    "UDP4-RECVFROM:9000,bind=$VIP_DR,fork" EXEC:cat
	wait_udp_bound "$r" 9000
	lb_start "$NS_D" d1 d0 d1
	lb_service udp "$VIP_DR" 9000 rr
	lb_server udp "$VIP_DR" 9000 "${RS_IP[1]}" dr 1
	lb_service udp "$VIP_NAT" 9000 rr
	lb_server udp "$VIP_NAT" 9000 "${RS_IP[1]}" nat 1
	for size in 4000 9000; do
		echo_big "$VIP_DR" "$size"
		echo_big "$VIP_NAT" "$size"
	done
	n=$(ctl stats | awk '$1 == "fragmented" { print $2 }')
	# dr: 2 requests; nat: 2 requests and 2 replies.
	if [ "${n:-0}" -ge 6 ]; then
		pass "uvsd cut $n datagrams"
	else
		fail "uvsd cut ${n:-no} datagrams, want at least 6"
	fi
	# The host must not see the fragments after the first (nft.c).
	n=$(ip netns exec "$NS_D" nft list chain netdev uvs in0 |
	    awk '/frag-off/ && /@vip4/ { for (i = 1; i < NF; i++)
	    if ($i == "packets") print $(i + 1) }')
	if [ "${n:-0}" -ge 4 ]; then
		pass "nft dropped $n later fragments to VIPs before the host"
	else
		fail "nft dropped ${n:-no} later fragments to VIPs, want 4 or more"
	fi
	[ "$(drop_count too-big)" = 0 ] ||
	    fail "uvsd dropped $(drop_count too-big) frames as too big"
	uvsd_alive || fail "uvsd died"
	lb_stop
	teardown
done
finish
