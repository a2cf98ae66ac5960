#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Crafted frames at the director: from the client namespace, rawsend
# (rawsend.c, compiled here) writes frames to d0's MAC and to the VIP, so
# they pass uvsd's socket filter, each with one defect: a TCP header cut
# short, IHL 3, total length beyond the frame, TCP data offset 2, UDP
# length beyond the datagram; ICMP errors quoting too little, with a
# wrong checksum, a quoted IHL of 3, or about no connection.  uvsd must
# count each under its drop reason (stats verb, "drop <reason> N")
# exactly once per frame, keep serving a concurrent curl loop, and stay
# alive.
#
#   c: c0 10.0.1.2 -- sw br0 -- d0 10.0.1.1  d (uvsd, nat)  d1 -- br1 -- rs1 10.0.2.11
#   VIP 203.0.113.20: tcp 80 and udp 9000 -> rs1

. "$(dirname "$0")/lib.sh"
uvs_init malformed 120 nginx iperf3 cc ss
need_uvsd	# the checks talk to uvsd itself; no UVS_LB=nft variant
N=5
KINDS="short bad-ihl bad-length bad-tcp-offset bad-udp-length icmp-short
    icmp-checksum icmp-bad-inner icmp-no-conn"

cc -O1 -Wall -o "$TMPD/rawsend" "$LIB_DIR/rawsend.c" 2>"$TMPD/cc.err" ||
    die "cannot build rawsend: $(head -c 300 "$TMPD/cc.err")"
lab_up 1
lab_servers 1
lb_start "$NS_D" d1 d0 d1
lb_service tcp "$VIP_NAT" 80 rr
lb_server tcp "$VIP_NAT" 80 "${RS_IP[1]}" nat 1
lb_service udp "$VIP_NAT" 9000 rr
lb_server udp "$VIP_NAT" 9000 "${RS_IP[1]}" nat 1
fetch_check "http://$VIP_NAT/small" "$SMALL_SHA" || die "no traffic through uvsd before the test"

dmac=$(mac_of "$NS_D" d0)
declare -A before
for k in $KINDS; do
	before[$k]=$(drop_count "$k")
	[ "${before[$k]}" = missing ] && fail "stats has no 'drop $k' line"
done

# A bounded request loop while the frames go in.
(
	for i in $(seq 30); do
		if [ "$(ip netns exec "$NS_C" curl -s --max-time 3 \
		    "http://$VIP_NAT/who")" = rs1 ]; then
			echo ok
		else
			echo fail
		fi
		sleep 0.05
	done >"$TMPD/loop.out"
) &
loop=$!
track "$loop"

for k in $KINDS; do
	ip netns exec "$NS_C" "$TMPD/rawsend" c0 "$dmac" "$C_IP" "$VIP_NAT" \
	    "$k" "$N" || fail "rawsend $k failed"
done
wait_until 200 0.1 proc_gone "$loop" || fail "curl loop did not end in 20 s"
wait "$loop" 2>/dev/null

# Counters are summed from the workers; give them a moment to show.
counts_reached()
{
	local k

	for k in $KINDS; do
		[ "$(drop_count "$k")" = $((${before[$k]} + N)) ] || return 1
	done
}
wait_until 30 0.1 counts_reached
for k in $KINDS; do
	a=$(drop_count "$k")
	if [ "$a" = missing ] || [ $((a - ${before[$k]})) -ne "$N" ]; then
		fail "drop $k: $a after, ${before[$k]} before, want +$N"
	else
		pass "drop $k +$N"
	fi
done
okn=$(grep -c '^ok$' "$TMPD/loop.out")
[ "$okn" -eq 30 ] && pass "curl loop 30/30 during the frames" ||
    fail "curl loop: $okn of 30 requests answered by rs1 during the frames"
uvsd_alive || fail "uvsd died"
fetch_check "http://$VIP_NAT/small" "$SMALL_SHA" && pass "still serving"
log "stats after the test:"
ctl stats | grep -E '^(drop|rx-|ring)' | awk '$NF != 0' | sed 's/^/    /'
lb_stop
finish
