#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# SCTP services under real associations.  This kernel has no SCTP, so
# the ends are usrsctp, a user-space SCTP stack over raw sockets of
# protocol 132 (tests/netns/sctpecho.c): each real server answers every
# message with its name and the message, and drops any packet whose
# CRC32c is wrong, so an association that comes up and echoes proves the
# checksums uvsd forwarded right.  uvsd serves --sctp-service on port
# 38412 at the dr and nat VIPs, IPv4 and IPv6, over three real servers
# with rr.  With offloads on and then off, per VIP: six associations of
# twenty random messages (1 to 3000 bytes) each, two per real server;
# while they are open uvsadm -L -n shows ActiveConn 2 per server and
# -L -n -c six SCTP ESTABLISHED entries; once the client has shut them
# down, CLOSED.  dr replies take the router, nat replies the director.
# A DATA chunk to the VIP without an association and a truncated SCTP
# header are dropped and counted (sctp-not-init, sctp-short).  usrsctp's
# ways shape the real servers for dr: the VIPs sit on e0, not lo (it
# ignores addresses on loopback), and the routes to the client's subnets
# go via the router with the VIP as source (dr_routes).
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                     `----- r0 .254 rt r1 .254 ------------ | --- e0 .12 rs2
#                                                            `---- e0 .13 rs3
#   (the same in IPv6: 2001:db8:1::/64, 2001:db8:2::/64, VIPs 2001:db8:113::)

. "$(dirname "$0")/lib.sh"
uvs_init sctp-traffic 300 python3
need_uvsd
SCTPECHO=${SCTPECHO:-$BUILDDIR/tests/netns/sctpecho}
[ -x "$SCTPECHO" ] ||
    skip "$SCTPECHO not built (configure found no usrsctp: libusrsctp-dev)"

LAB_V6=1
PORT=38412
NASSOC=6
NMSG=20

sctp_listening()
{
	grep -q LISTENING "$1"
}

client_holding()
{
	grep -q HOLDING "$1" || ! kill -0 "$2" 2>/dev/null
}

# conns_in STATE VIP: how many SCTP entries to VIP:PORT -L -n -c shows in STATE.
conns_in()
{
	adm -L -n -c 2>/dev/null | awk -v s="$1" -v v="$(hostport "$2" "$PORT")" \
	    '$1 == "SCTP" && $3 == s && $5 == v { n++ } END { print n + 0 }'
}

# count_above REASON N: the drop counter REASON went past N.
count_above()
{
	local c

	c=$(drop_count "$1")
	[ "$c" != missing ] && [ "$c" -gt "$2" ]
}

conns_all()
{
	[ "$(conns_in "$1" "$2")" -eq "$3" ]
}

# rs_counts VIP RIP: ActiveConn/InActConn of real server RIP of the
# service at VIP under -L -n.
rs_counts()
{
	adm -L -n 2>/dev/null | awk -v v="$(hostport "$1" "$PORT")" \
	    -v r="$(hostport "$2" "$PORT")" '
	    $1 != "->" { in_svc = $1 == "SCTP" && $2 == v }
	    in_svc && $1 == "->" && $2 == r { print $5 "/" $6; exit }'
}

# dr_routes add|del: the real servers' routes to the client's subnets
# via the router, from the VIP.  usrsctp writes IPv4 whole on a raw
# socket, whose route lookup has no source address, so lab_up's rules
# "from VIP lookup 100" do not apply and dr replies would go to the
# director; over IPv6 it leaves the source to the kernel, which would
# pick the RIP.
dr_routes()
{
	local i r

	for i in 1 2 3; do
		r=${NS_RS[$i]}
		ip -n "$r" route "$1" 10.0.1.0/24 via "$RT1_IP" src "$VIP_DR" &&
		ip -n "$r" -6 route "$1" 2001:db8:1::/64 via "$RT16_IP" \
		    src "$VIP6_DR" ||
		    die "rs$i: cannot $1 the dr routes"
	done
}

# run_assocs METHOD VIP CLIENT_ADDR RIP...: the associations, listings,
# shutdown.
run_assocs()
{
	local m=$1 vip=$2 cip=$3 hold=$TMPD/hold.$1.$2 clog=$TMPD/client.$1.$2.log
	local pid rc i n want got

	shift 3
	rm -f "$hold"
	bg_run "$NS_C" "$clog" "$SCTPECHO" client "$cip" "$vip" "$PORT" \
	    "$NASSOC" "$NMSG" "$hold"
	pid=$BG_PID
	wait_until 300 0.1 client_holding "$clog" "$pid"
	if ! grep -q HOLDING "$clog"; then
		fail "$m $vip: associations failed: $(tr '\n' ' ' <"$clog" | head -c 300)"
		touch "$hold"
		return
	fi
	pass "$m $vip: $NASSOC associations x $NMSG messages echoed intact"
	for i in 1 2 3; do
		n=$(grep -c "^assoc [0-9]* rs$i\$" "$clog")
		[ "$n" -eq $((NASSOC / 3)) ] ||
		    fail "$m $vip: rr gave rs$i $n associations, want $((NASSOC / 3))"
	done
	adm -L -n >"$TMPD/list.out" 2>&1
	grep -qxF "SCTP $(hostport "$vip" "$PORT") rr" "$TMPD/list.out" ||
	    fail "$m $vip: -L -n lacks 'SCTP $(hostport "$vip" "$PORT") rr'"
	for rip in "$@"; do
		got=$(rs_counts "$vip" "$rip")
		[ "$got" = "$((NASSOC / 3))/0" ] ||
		    fail "$m $vip: real server $rip ActiveConn/InActConn $got, want $((NASSOC / 3))/0"
	done
	if wait_until 20 0.1 conns_all ESTABLISHED "$vip" "$NASSOC"; then
		pass "$m $vip: -L -n -c shows $NASSOC SCTP ESTABLISHED"
	else
		fail "$m $vip: -L -n -c: $(conns_in ESTABLISHED "$vip") ESTABLISHED, want $NASSOC"
		adm -L -n -c | sed 's/^/    /'
	fi
	touch "$hold"
	wait_until 100 0.1 proc_gone "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" -eq 0 ] && grep -q DONE "$clog" ||
	    fail "$m $vip: client exit status $rc: $(tail -n 3 "$clog" | tr '\n' ' ')"
	if wait_until 50 0.1 conns_all CLOSED "$vip" "$NASSOC"; then
		pass "$m $vip: after the shutdowns -L -n -c shows $NASSOC CLOSED"
	else
		fail "$m $vip: after the shutdowns $(conns_in CLOSED "$vip") CLOSED, want $NASSOC"
		adm -L -n -c | sed 's/^/    /'
	fi
	for rip in "$@"; do
		got=$(rs_counts "$vip" "$rip")
		[ "$got" = "0/$((NASSOC / 3))" ] ||
		    fail "$m $vip: closed, real server $rip ActiveConn/InActConn $got, want 0/$((NASSOC / 3))"
	done
}

# raw_sctp VIP PORT HEX: one IPv4 SCTP packet (HEX: what follows the IP
# header) from the client to VIP.
raw_sctp()
{
	ip netns exec "$NS_C" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 132)
s.sendto(bytes.fromhex(sys.argv[2]), (sys.argv[1], 0))' "$1" "$2"
}

for pass_off in on off; do
	OFFLOADS=$pass_off
	log "--- offloads $OFFLOADS"
	lab_up 3
	for i in 1 2 3; do
		r=${NS_RS[$i]}
		# usrsctp ignores an address that is on a loopback interface,
		# even when it is on another one too: the dr VIPs move from lo
		# to e0 (nobody on br1 asks for them).
		ip -n "$r" addr del "$VIP_DR/32" dev lo &&
		ip -n "$r" addr del "$VIP6_DR/128" dev lo &&
		ip -n "$r" addr add "$VIP_DR/32" dev e0 &&
		ip -n "$r" addr add "$VIP6_DR/128" dev e0 nodad ||
		    die "rs$i: cannot move the dr VIPs to e0"
		bg_run "$r" "$TMPD/sctp-rs$i.log" "$SCTPECHO" server "rs$i" \
		    "$PORT" "$VIP_DR" "${RS_IP[$i]}" "$VIP6_DR" "${RS6_IP[$i]}"
	done
	for i in 1 2 3; do
		wait_until 50 0.1 sctp_listening "$TMPD/sctp-rs$i.log" ||
		    die "rs$i: sctpecho does not listen: $(head -c 200 "$TMPD/sctp-rs$i.log")"
	done
	lb_start "$NS_D" d1 d0 d1
	for v in "$VIP_DR" "$VIP_NAT" "$VIP6_DR" "$VIP6_NAT"; do
		adm -A --sctp-service "$(hostport "$v" "$PORT")" -s rr ||
		    die "uvsadm -A --sctp-service $v failed"
	done
	for i in 1 2 3; do
		adm -a --sctp-service "$(hostport "$VIP_DR" "$PORT")" \
		    -r "${RS_IP[$i]}" -g -w 1 &&
		adm -a --sctp-service "$(hostport "$VIP_NAT" "$PORT")" \
		    -r "$(hostport "${RS_IP[$i]}" "$PORT")" -m -w 1 &&
		adm -a --sctp-service "$(hostport "$VIP6_DR" "$PORT")" \
		    -r "${RS6_IP[$i]}" -g -w 1 &&
		adm -a --sctp-service "$(hostport "$VIP6_NAT" "$PORT")" \
		    -r "$(hostport "${RS6_IP[$i]}" "$PORT")" -m -w 1 ||
		    die "uvsadm -a --sctp-service rs$i failed"
	done
	if adm -S -n >"$TMPD/save.out" 2>&1 &&
	    grep -q -- "^-A --sctp-service $VIP_NAT:$PORT -s rr\$" "$TMPD/save.out" &&
	    grep -q -- "^-a --sctp-service $VIP_NAT:$PORT -r ${RS_IP[1]}:$PORT -m -w 1\$" "$TMPD/save.out"; then
		pass "-S saves --sctp-service services and servers"
	else
		fail "-S: $(head -c 300 "$TMPD/save.out")"
	fi
	# The host stack's drop covers SCTP to the VIPs and nat replies.
	ip netns exec "$NS_D" nft list table netdev uvs >"$TMPD/nft.out" 2>&1
	if grep -q "$VIP_DR . sctp . $PORT" "$TMPD/nft.out" &&
	    grep -q "${RS_IP[1]} . sctp . $PORT" "$TMPD/nft.out" &&
	    grep -q "$VIP6_NAT . sctp . $PORT" "$TMPD/nft.out"; then
		pass "nftables sets own the SCTP services and nat replies"
	else
		fail "nftables sets lack SCTP: $(grep -m 3 sctp "$TMPD/nft.out")"
	fi
	adm -a --sctp-service "$(hostport "$VIP_NAT" "$PORT")" \
	    -r 10.0.2.99 --fullnat >"$TMPD/fn.out" 2>&1 &&
	    fail "--fullnat accepted for an SCTP service"
	grep -q "fullnat does not forward SCTP" "$TMPD/fn.out" ||
	    fail "--fullnat refusal: $(head -c 200 "$TMPD/fn.out")"

	rt0=$(ip netns exec "$NS_RT" cat /sys/class/net/r1/statistics/rx_packets)
	dr_routes add
	run_assocs dr "$VIP_DR" "$C_IP" "${RS_IP[1]}" "${RS_IP[2]}" "${RS_IP[3]}"
	run_assocs dr "$VIP6_DR" "$C6_IP" "${RS6_IP[1]}" "${RS6_IP[2]}" \
	    "${RS6_IP[3]}"
	dr_routes del
	rt1=$(ip netns exec "$NS_RT" cat /sys/class/net/r1/statistics/rx_packets)
	run_assocs nat "$VIP_NAT" "$C_IP" "${RS_IP[1]}" "${RS_IP[2]}" \
	    "${RS_IP[3]}"
	run_assocs nat "$VIP6_NAT" "$C6_IP" "${RS6_IP[1]}" "${RS6_IP[2]}" \
	    "${RS6_IP[3]}"
	rt2=$(ip netns exec "$NS_RT" cat /sys/class/net/r1/statistics/rx_packets)
	if [ $((rt1 - rt0)) -lt 100 ] || [ $((rt2 - rt1)) -gt 50 ]; then
		fail "reply paths: router r1 saw $((rt1 - rt0)) packets for dr (want >= 100), $((rt2 - rt1)) for nat (want few)"
	else
		pass "dr replies took the router ($((rt1 - rt0)) packets), nat replies the director"
	fi

	# Malformed and unexpected SCTP to the VIP: counted and dropped.
	n0=$(drop_count sctp-not-init)
	s0=$(drop_count sctp-short)
	# DATA, port 40000 -> 38412, no association (its CRC is not checked).
	raw_sctp "$VIP_NAT" \
	    "9c40960c010203040000000000030010000000010000000000000000"
	# A common header and two bytes of a chunk header.
	raw_sctp "$VIP_NAT" "9c40960c01020304000000000000"
	if wait_until 20 0.1 count_above sctp-not-init "$n0" &&
	    wait_until 20 0.1 count_above sctp-short "$s0"; then
		pass "DATA without association and a truncated header counted"
	else
		fail "sctp-not-init $n0 -> $(drop_count sctp-not-init), sctp-short $s0 -> $(drop_count sctp-short)"
		ctl stats | grep '^drop' | sed 's/^/    /'
	fi
	n=$(drop_count bad-sctp-chunk)
	[ "$n" = 0 ] || fail "bad-sctp-chunk $n after good traffic"

	uvsd_alive || fail "uvsd died, offloads $OFFLOADS"
	uvsd_forwarded
	adm -L -n >"$TMPD/list.out" 2>&1
	sed 's/^/    /' "$TMPD/list.out"
	lb_stop
	teardown
done
finish
