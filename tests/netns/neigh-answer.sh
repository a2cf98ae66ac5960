#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# VIPs that are no address of the director: the client has the VIPs'
# networks on its link (no route via the director), so it must resolve
# each VIP itself; uvsd (answer_neighbours listing 203.0.113.10 and
# 2001:db8:113::10) answers its ARP request and its neighbour
# solicitation with d0's MAC.  Checks: the director holds neither VIP;
# it joined the solicited-node group 33:33:ff:00:00:10 on d0; a dr
# download over each VIP is intact and the client's neighbour entry for
# each VIP is d0's MAC; arp-replies and na-sent count the answers; a VIP
# of a service that is not listed (203.0.113.11) stays unresolved;
# unicast ARP and NS probes to d0 (reachability checks) are answered;
# malformed ARP and NS frames are counted (bad-arp, bad-ns), not
# answered; a reload that changes answer_neighbours is refused.  Offloads
# on and off.

. "$(dirname "$0")/lib.sh"
uvs_init neigh-answer 90 nginx python3 ss
need_uvsd

VIP_OFF=203.0.113.11	# a service uvsd does not answer for

# neigh_mac NS ADDR: the MAC of ADDR in NS's neighbour table, or "".
neigh_mac()
{
	ip -n "$1" neigh show "$2" dev c0 |
	    awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}

# stat_count NAME: the "NAME N" line of the stats verb.
stat_count()
{
	ctl stats | awk -v n="$1" '$1 == n { print $2 }'
}

# unicast_probes DMAC: from c0 to DMAC, an ARP request for VIP_DR and a
# solicitation for VIP6_DR sent to it (reachability probes are unicast).
unicast_probes()
{
	ip netns exec "$NS_C" python3 - "$(mac_of "$NS_C" c0)" "$1" "$C_IP" \
	    "$VIP_DR" "$C6_IP" "$VIP6_DR" <<'PY'
import socket, struct, sys
mac = bytes.fromhex(sys.argv[1].replace(":", ""))
dmac = bytes.fromhex(sys.argv[2].replace(":", ""))
cip, vip = socket.inet_aton(sys.argv[3]), socket.inet_aton(sys.argv[4])
c6 = socket.inet_pton(socket.AF_INET6, sys.argv[5])
v6 = socket.inet_pton(socket.AF_INET6, sys.argv[6])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("c0", 0))
arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac + cip + bytes(6) + vip
s.send(dmac + mac + b"\x08\x06" + arp)
def csum(b):
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff
body = struct.pack("!BBHI", 135, 0, 0, 0) + v6 + b"\x01\x01" + mac
ph = c6 + v6 + struct.pack("!IxxxB", len(body), 58)
body = body[:2] + struct.pack("!H", csum(ph + body)) + body[4:]
ip = struct.pack("!IHBB", 0x60000000, len(body), 58, 255) + c6 + v6
s.send(dmac + mac + b"\x86\xdd" + ip + body)
PY
}

# bad_frames: from c0, an ARP request for VIP_DR with a 5-byte protocol
# address, a solicitation for VIP6_DR with hop limit 64 and one with a
# wrong checksum.
bad_frames()
{
	ip netns exec "$NS_C" python3 - "$(mac_of "$NS_C" c0)" "$C_IP" \
	    "$VIP_DR" "$C6_IP" "$VIP6_DR" <<'PY'
import socket, struct, sys
mac = bytes.fromhex(sys.argv[1].replace(":", ""))
cip, vip = socket.inet_aton(sys.argv[2]), socket.inet_aton(sys.argv[3])
c6 = socket.inet_pton(socket.AF_INET6, sys.argv[4])
v6 = socket.inet_pton(socket.AF_INET6, sys.argv[5])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("c0", 0))
bcast = b"\xff" * 6
arp = struct.pack("!HHBBH", 1, 0x0800, 6, 5, 1) + mac + cip + bytes(6) + vip
s.send(bcast + mac + b"\x08\x06" + arp)
def csum(b):
    if len(b) % 2:
        b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff
def ns(hlim, bad):
    dst = bytes.fromhex("ff0200000000000000000001ff") + v6[13:]
    body = struct.pack("!BBHI", 135, 0, 0, 0) + v6 + b"\x01\x01" + mac
    ph = c6 + dst + struct.pack("!IxxxB", len(body), 58)
    ck = csum(ph + body) ^ (0x1234 if bad else 0)
    body = body[:2] + struct.pack("!H", ck) + body[4:]
    ip = struct.pack("!IHBB", 0x60000000, len(body), 58, hlim) + c6 + dst
    return b"\x33\x33" + dst[12:] + mac + b"\x86\xdd" + ip + body
s.send(ns(64, False))
s.send(ns(255, True))
PY
}

for OFFLOADS in on off; do
	log "--- offloads $OFFLOADS"
	LAB_V6=1
	lab_up 1
	lab_servers 1
	# The VIP networks on the client's link: it resolves VIPs itself.
	ip -n "$NS_C" route replace 203.0.113.0/24 dev c0
	ip -n "$NS_C" -6 route replace 2001:db8:113::/64 dev c0
	CONF=$TMPD/uvsd.conf
	cat >"$CONF" <<EOC
interfaces = [ "d0", "d1" ];
answer_neighbours = [ "$VIP_DR", "$VIP6_DR" ];
EOC
	uvsd_start "$NS_D" -f "$CONF" ${UVSD_ARGS:---workers 2}
	lb_service tcp "$VIP_DR" 80 rr
	lb_server tcp "$VIP_DR" 80 "${RS_IP[1]}" dr 1
	lb_service tcp "$VIP6_DR" 80 rr
	lb_server tcp "$VIP6_DR" 80 "${RS6_IP[1]}" dr 1
	lb_service tcp "$VIP_OFF" 80 rr
	lb_server tcp "$VIP_OFF" 80 "${RS_IP[1]}" dr 1

	if ip -n "$NS_D" addr show | grep -q -e "$VIP_DR/" -e "$VIP6_DR/"; then
		fail "a VIP is an address of the director"
	fi
	wait_until 30 0.1 sh -c "ip -n '$NS_D' maddr show dev d0 |
	    grep -q 33:33:ff:00:00:10" &&
	    pass "d0 joined the solicited-node group 33:33:ff:00:00:10" ||
	    fail "d0 did not join 33:33:ff:00:00:10: $(ip -n "$NS_D" maddr show dev d0 | tr '\n' ' ')"
	dmac=$(mac_of "$NS_D" d0)
	fetch_check "http://$VIP_DR/small" "$SMALL_SHA" &&
	    pass "download over $VIP_DR intact"
	fetch_check "http://[$VIP6_DR]/big" "$BIG_SHA" &&
	    pass "download over [$VIP6_DR] intact"
	for v in "$VIP_DR" "$VIP6_DR"; do
		m=$(neigh_mac "$NS_C" "$v")
		if [ "$m" = "$dmac" ]; then
			pass "client resolved $v to d0's MAC $m"
		else
			fail "client's neighbour entry for $v: '$m', want $dmac ($(ip -n "$NS_C" neigh show "$v" | tr '\n' ' '))"
		fi
	done
	n=$(stat_count arp-replies)
	[ "${n:-0}" -ge 1 ] && pass "arp-replies $n" || fail "arp-replies '$n'"
	n=$(stat_count na-sent)
	[ "${n:-0}" -ge 1 ] && pass "na-sent $n" || fail "na-sent '$n'"

	if ip netns exec "$NS_C" curl -s --connect-timeout 2 -o /dev/null \
	    "http://$VIP_OFF/small"; then
		fail "$VIP_OFF answered although it is not listed"
	else
		m=$(neigh_mac "$NS_C" "$VIP_OFF")
		[ -z "$m" ] && pass "$VIP_OFF (not listed) stays unresolved" ||
		    fail "$VIP_OFF resolved to '$m'"
	fi

	a0=$(stat_count arp-replies)
	n0=$(stat_count na-sent)
	unicast_probes "$dmac" || fail "could not send the unicast probes"
	if wait_until 30 0.1 sh -c "printf 'stats\n' |
	    timeout 5 socat -t 2 - UNIX-CONNECT:$UVSD_SOCK | awk '
	    \$1 == \"arp-replies\" && \$2 > $a0 { a = 1 }
	    \$1 == \"na-sent\" && \$2 > $n0 { n = 1 } END { exit !(a && n) }'"; then
		pass "unicast ARP and NS probes answered"
	else
		fail "unicast probes: arp-replies $(stat_count arp-replies) (was $a0), na-sent $(stat_count na-sent) (was $n0)"
	fi

	arp0=$(drop_count bad-arp)
	ns0=$(drop_count bad-ns)
	na0=$(stat_count na-sent)
	bad_frames || fail "could not send the malformed frames"
	wait_until 20 0.1 sh -c "[ \"\$(printf '%s\n' 'stats' |
	    timeout 5 socat -t 2 - UNIX-CONNECT:$UVSD_SOCK |
	    awk '\$2 == \"bad-ns\" { print \$3 }')\" -ge $((ns0 + 2)) ]"
	[ "$(drop_count bad-arp)" -eq $((arp0 + 1)) ] &&
	    pass "malformed ARP counted as bad-arp" ||
	    fail "bad-arp $(drop_count bad-arp), want $((arp0 + 1))"
	[ "$(drop_count bad-ns)" -eq $((ns0 + 2)) ] &&
	    pass "malformed solicitations counted as bad-ns" ||
	    fail "bad-ns $(drop_count bad-ns), want $((ns0 + 2))"
	[ "$(stat_count na-sent)" = "$na0" ] ||
	    fail "a malformed solicitation was answered"
	# A restart setting: a reload that changes it is refused.
	printf 'interfaces = [ "d0", "d1" ];\nanswer_neighbours = true;\n' \
	    >"$CONF"
	r=$(ctl reload)
	case $r in
	ERR*answer_neighbours*) pass "reload refused: $r" ;;
	*) fail "reload with answer_neighbours changed: '$r'" ;;
	esac
	uvsd_alive || fail "uvsd died"
	uvsd_stop TERM || fail "uvsd did not stop"
	teardown
done
finish
