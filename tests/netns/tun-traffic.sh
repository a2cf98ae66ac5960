#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# TUN (-i) under real traffic, with offloads on and then off: uvsd on the
# director encapsulates to two real servers, edited through every tunnel
# kind in turn (ipip, gue, gue --tun-csum, gue --tun-remcsum, gre, gre
# --tun-csum, then ipip and gue to IPv6 real server addresses: 4in6).
# Each kind moves a 10 KiB download intact (sha256; 8 MiB once a pass),
# UDP datagrams of 1 and 1400 (1300) bytes echoed intact, and a 2 MiB upload
# whose 1500-byte segments no longer fit the 1500-byte MTU once
# encapsulated: it completes only if uvsd answers with ICMP fragmentation
# needed (IPv6: packet too big).  Then the same for an IPv6 service
# (LAB_V6 addresses): ip6ip6, GUE and GRE to IPv6 real server addresses,
# and 6in4 (GUE to IPv4 ones).  In the offloads-off pass the director's
# server side has an MTU of 1400, and a dr upload, which uvsd does not
# grow, must get fragmentation needed too (pmtu_check()).
#
# This machine's kernel has no ipip, gre, fou or ip6_tunnel modules, so
# the real servers cannot decapsulate by themselves as an operator's
# would: tundecap (tundecap.c, built by make check) stands in for that
# kernel decapsulation.  It reads the encapsulated frames on e0, checks
# the outer checksums, and writes the inner packets to a TUN device the
# real server's stack receives them from; nft keeps the real server's
# kernel from answering the outer packets (protocol or port unreachable).
# Its counters show which encapsulation and checksum each kind used.
#
#   c: c0 .2 ---- br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1 (tundecap -> tun0)
#                                            2001:db8:2::1 | ---- e0 .12 rs2 (tundecap -> tun0)
#   replies leave the real servers from the VIP via the router, as in dr

. "$(dirname "$0")/lib.sh"
uvs_init tun-traffic 150 nginx cmp ss python3

GUE_PORT=6080
UP_PORT=8080
LAB_V6=1

TUNDECAP=$BUILDDIR/tests/netns/tundecap
if [ ! -x "$TUNDECAP" ]; then
	cc -O1 -Wall -o "$TMPD/tundecap" "$LIB_DIR/tundecap.c" \
	    2>"$TMPD/cc.err" ||
	    die "cannot build tundecap: $(head -c 300 "$TMPD/cc.err")"
	TUNDECAP=$TMPD/tundecap
fi
[ -c /dev/net/tun ] || skip "needs /dev/net/tun"

# The real server's side of a tunnel: decapsulation and a quiet kernel.
rs_tunnel()
{
	local i=$1 r=${NS_RS[$1]}

	ip netns exec "$r" nft -f - <<NFT || die "nft on rs$i"
table inet tundecap {
	chain in {
		type filter hook input priority 0;
		meta l4proto { 4, 41, 47 } drop
		udp dport $GUE_PORT drop
	}
}
NFT
	bg_run "$r" "$TMPD/tundecap-rs$i.log" "$TUNDECAP" e0 tun0 \
	    "$GUE_PORT" "$TMPD/tundecap-rs$i.stats"
	wait_until 50 0.1 test -e "$TMPD/tundecap-rs$i.stats" ||
	    die "tundecap did not start on rs$i: $(head -c 200 "$TMPD/tundecap-rs$i.log")"
	ip netns exec "$r" sysctl -qw net.ipv4.conf.tun0.rp_filter=0
}

# tun_snap FILE: every tundecap counter summed over both real servers
# (fresh), "name value" lines; snap_get FILE NAME: one of them.
tun_snap()
{
	local i f

	for i in 1 2; do
		f=$TMPD/tundecap-rs$i.stats
		rm -f "$f"
		ip netns exec "${NS_RS[$i]}" pkill -USR1 -x tundecap 2>/dev/null
	done
	for i in 1 2; do
		wait_until 50 0.02 test -e "$TMPD/tundecap-rs$i.stats" ||
		    die "no stats from tundecap on rs$i"
	done
	cat "$TMPD"/tundecap-rs[12].stats |
	    awk '{ s[$1] += $2 } END { for (n in s) print n, s[n] }' >"$1"
}

snap_get()
{
	awk -v n="$2" '$1 == n { v = $2 } END { print v + 0 }' "$1"
}

# upload_check NAME: 2 MiB from the client to VIP:8080 (rs1), compared
# there.
upload_check()
{
	local out=$TMPD/up.out spid to

	rm -f "$out"
	bg_run "${NS_RS[1]}" "$TMPD/up-server.log" timeout --foreground 30 \
	    socat -u "TCP6-LISTEN:$UP_PORT,reuseaddr,ipv6only=0" \
	    "OPEN:$out,creat,trunc"
	spid=$BG_PID
	wait_tcp_listen "${NS_RS[1]}" "$UP_PORT"
	case $VIP in
	*:*) to="TCP6:[$VIP]:$UP_PORT" ;;
	*) to="TCP4:$VIP:$UP_PORT" ;;
	esac
	if ! timeout --foreground 30 ip netns exec "$NS_C" socat -u STDIN \
	    "$to,connect-timeout=5" <"$TMPD/up.in" \
	    2>"$TMPD/up-client.err"; then
		fail "$1: upload to $to failed: $(head -c 200 "$TMPD/up-client.err")"
		kill "$spid" 2>/dev/null
		return 1
	fi
	if ! wait_until 150 0.1 proc_gone "$spid"; then
		fail "$1: upload sink still running 15 s after the client finished"
		kill "$spid" 2>/dev/null
		return 1
	fi
	if ! cmp -s "$TMPD/up.in" "$out"; then
		fail "$1: 2 MiB upload: server got $(stat -c %s "$out" 2>/dev/null || echo no) bytes, differing"
		return 1
	fi
	pass "$1: 2 MiB upload intact"
}

# udp_gso_check NAME: three 1000-byte datagrams sent as one UDP_SEGMENT
# train (a GSO super-packet with offloads on), all echoed intact.
udp_gso_check()
{
	if ip netns exec "$NS_C" timeout 10 python3 - "$VIP" \
	    >"$TMPD/gso.out" 2>&1 <<'PY'
import os, socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_UDP, 103, 1000)	# UDP_SEGMENT
s.settimeout(3)
data = os.urandom(3000)
s.sendto(data, (sys.argv[1], 9000))
got = sorted(s.recv(2000) for _ in range(3))
want = sorted(data[i:i + 1000] for i in range(0, 3000, 1000))
sys.exit(0 if got == want else 1)
PY
	then
		pass "$1: UDP_SEGMENT train echoed intact"
	else
		fail "$1: UDP_SEGMENT train: $(head -c 200 "$TMPD/gso.out")"
	fi
}

# set_servers FAMILY OPTS...: every real server of every service of $VIP
# as -i OPTS, at its IPv4 or IPv6 (FAMILY) address.
set_servers()
{
	local fam=$1 i rip svc v=$VIP

	shift
	case $v in
	*:*) v="[$v]" ;;
	esac
	for i in 1 2; do
		for svc in "-t $v:80" "-u $v:9000" "-t $v:$UP_PORT"; do
			[ "$svc" = "-t $v:$UP_PORT" ] && [ "$i" = 2 ] && continue
			adm -d $svc -r "${RS_IP[$i]}:80" 2>/dev/null
			adm -d $svc -r "[${RS6_IP[$i]}]:80" 2>/dev/null
			if [ "$fam" = 6 ]; then
				rip="[${RS6_IP[$i]}]:80"
			else
				rip=${RS_IP[$i]}:80
			fi
			adm -a $svc -r "$rip" -i "$@" ||
			    die "uvsadm -a $svc -r $rip -i $* failed"
		done
	done
}

# kind NAME FAMILY COUNTER OPTS...: traffic through one tunnel kind; the
# tundecap counter COUNTER must grow, csum-bad and bad must not.
kind()
{
	local name=$1 fam=$2 ctr=$3 before after i url=$VIP

	shift 3
	set_servers "$fam" "$@"
	tun_snap "$TMPD/snap0"
	case $url in
	*:*) url="[$url]" ;;
	esac
	fetch_check "http://$url/small" "$SMALL_SHA" &&
	    pass "$name: small file intact"
	# The download's data leaves the real servers directly: once a pass.
	if [ "$name" = ipip ]; then
		fetch_check "http://$url/big" "$BIG_SHA" &&
		    pass "$name: 8 MiB file intact"
	fi
	for i in 1 "$UDP_BIG"; do
		udp_echo_check "$VIP" 9000 "$i" &&
		    pass "$name: udp echo of $i bytes intact"
	done
	upload_check "$name"
	udp_gso_check "$name"
	tun_snap "$TMPD/snap1"
	before=$(snap_get "$TMPD/snap0" "$ctr")
	after=$(snap_get "$TMPD/snap1" "$ctr")
	if [ "$after" -gt "$before" ]; then
		pass "$name: real servers decapsulated $((after - before)) frames ($ctr)"
	else
		fail "$name: tundecap counter $ctr did not grow ($before -> $after)"
	fi
	for i in csum-bad bad ipcsum-bad; do
		[ "$(snap_get "$TMPD/snap1" "$i")" -eq \
		    "$(snap_get "$TMPD/snap0" "$i")" ] ||
		    fail "$name: tundecap counted $i frames"
	done
}

mkrand "$TMPD/up.in" $((2 << 20))
for pass_off in on off; do
	OFFLOADS=$pass_off
	log "--- tun, offloads $OFFLOADS"
	lab_up 2
	lab_servers 2
	for i in 1 2; do
		rs_tunnel "$i"
	done
	# The second pass: a narrower server side, for dr's path MTU too.
	UDP_BIG=1400
	if [ "$OFFLOADS" = off ]; then
		ip -n "$NS_D" link set d1 mtu 1400
		UDP_BIG=1300	# DF datagrams must fit with the outer header
	fi
	lb_start "$NS_D" d1 d0 d1
	lb_service tcp "$VIP_DR" 80 rr
	lb_service udp "$VIP_DR" 9000 rr
	lb_service tcp "$VIP_DR" "$UP_PORT" rr
	lb_service tcp "$VIP6_DR" 80 rr
	lb_service udp "$VIP6_DR" 9000 rr
	lb_service tcp "$VIP6_DR" "$UP_PORT" rr

	VIP=$VIP_DR
	if [ "$OFFLOADS" = off ]; then
		# dr does not grow packets, but 1500 bytes do not fit 1400.
		lb_service tcp "$VIP_DR" 8081 rr
		adm -a -t "$VIP_DR:8081" -r "${RS_IP[1]}" -g ||
		    die "uvsadm -a -g for port 8081 failed"
		n=$(drop_count frag-needed)
		UP_PORT=8081 upload_check dr-mtu1400
		[ "$(drop_count frag-needed)" -gt "$n" ] &&
		    pass "dr-mtu1400: fragmentation needed sent" ||
		    fail "dr-mtu1400: no fragmentation needed counted"
	fi
	kind ipip 4 ipip
	kind gue 4 csum-none --tun-type gue --tun-port "$GUE_PORT"
	kind gue-csum 4 csum-ok --tun-type gue --tun-port "$GUE_PORT" --tun-csum
	# Remote checksum offload applies to partial checksums only.
	if [ "$OFFLOADS" = on ]; then
		kind gue-remcsum 4 remcsum --tun-type gue --tun-port "$GUE_PORT" \
		    --tun-remcsum
	else
		kind gue-remcsum 4 csum-ok --tun-type gue --tun-port "$GUE_PORT" \
		    --tun-remcsum
	fi
	kind gre 4 gre --tun-type gre
	kind gre-csum 4 csum-ok --tun-type gre --tun-csum
	kind ipip-4in6 6 v6outer
	kind gue-4in6 6 gue --tun-type gue --tun-port "$GUE_PORT" --tun-csum
	VIP=$VIP6_DR
	kind ip6ip6 6 ip6
	kind gue-6in6 6 gue --tun-type gue --tun-port "$GUE_PORT" --tun-csum
	kind gre-6in6 6 gre --tun-type gre --tun-csum
	kind gue-6in4 4 ip6 --tun-type gue --tun-port "$GUE_PORT"

	n=$(drop_count frag-needed)
	if [ "${n:-0}" != missing ] && [ "${n:-0}" -gt 0 ]; then
		pass "uvsd sent $n ICMP fragmentation-needed replies"
	else
		fail "no fragmentation-needed replies counted ($n)"
	fi
	# What an operator sees, and -S/-R round trip.
	adm -L -n >"$TMPD/list.out" 2>&1
	grep -q "Tunnel" "$TMPD/list.out" ||
	    fail "uvsadm -L -n shows no Tunnel: $(head -c 300 "$TMPD/list.out")"
	adm -L -n --tun-info >"$TMPD/tuninfo.out" 2>&1
	grep -q "gue:$GUE_PORT:+c" "$TMPD/tuninfo.out" &&
	    grep -q "TunnelInfo" "$TMPD/tuninfo.out" &&
	    pass "uvsadm --tun-info shows gue:$GUE_PORT:+c" ||
	    fail "uvsadm --tun-info: $(cat "$TMPD/tuninfo.out")"
	adm -S -n >"$TMPD/save1" || fail "uvsadm -S failed"
	grep -q -- "-i -w 1 --tun-type gue --tun-port $GUE_PORT --tun-csum" "$TMPD/save1" ||
	    fail "uvsadm -S: no tunnel options: $(head -c 300 "$TMPD/save1")"
	adm -C && adm -R <"$TMPD/save1" || fail "uvsadm -R of the save failed"
	adm -S -n >"$TMPD/save2"
	cmp -s "$TMPD/save1" "$TMPD/save2" && pass "-S/-R round trip" ||
	    fail "-S/-R round trip differs: $(diff "$TMPD/save1" "$TMPD/save2" | head -c 300)"
	sed 's/^/    /' "$TMPD/tuninfo.out"
	uvsd_alive || fail "uvsd died during the tun pass, offloads $OFFLOADS"
	uvsd_forwarded
	lb_stop
	teardown
done
finish
