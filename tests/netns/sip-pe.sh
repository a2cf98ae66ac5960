#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The sip persistence engine (--pe sip).  dr, rr over three real servers
# that answer each UDP datagram to VIP:5060 with their name; the service
# is persistent (-p 60 -M 255.255.255.0) with pe sip.  A SIP call's
# datagrams (OPTIONS, INVITE, BYE with one Call-ID) sent from several
# client ports and from three addresses of the client's /24 all reach
# one real server; other Call-IDs from one port spread over the three;
# the first call still reaches its server from a port that carried other
# calls meanwhile (IPVS routes each datagram by its Call-ID); a datagram
# without a Call-ID is dropped and counted (sip-no-callid), as IPVS drops
# it.  -L shows "pe sip", -S "--pe sip" (and -R takes it back), and
# -L -c --persistent-conn the templates' Call-IDs; -E without --pe goes
# back to plain persistence.  Another network is another template, as in IPVS:
# the Call-ID refines the client's network, it does not replace it.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 .3 .4 - br0 --- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                                                         | ----- e0 .12 rs2
#                                                         `------ e0 .13 rs3

. "$(dirname "$0")/lib.sh"
uvs_init sip-pe 120 python3 socat
need_uvsd

lab_up 3
V=$VIP_DR

# A real server: one name per datagram, from the VIP (dr).
cat >"$TMPD/sip-rs.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 5060))
while True:
    data, peer = s.recvfrom(65535)
    s.sendto(sys.argv[2].encode(), peer)
PY
# The client: "SRC SPORT METHOD CALLID" per line on stdin; prints the
# name that answered each, or "fail".  CALLID "-" sends no Call-ID.
cat >"$TMPD/sip-c.py" <<'PY'
import socket, sys
vip = sys.argv[1]
for line in sys.stdin:
    src, sport, method, callid = line.split()
    msg = "%s sip:svc@%s SIP/2.0\r\n" % (method, vip)
    msg += "Via: SIP/2.0/UDP %s:%s;branch=z9hG4bK%s\r\n" % (src, sport, sport)
    msg += "From: <sip:a@example.com>;tag=1\r\nTo: <sip:svc@example.com>\r\n"
    if callid != "-":
        msg += "Call-ID: %s\r\n" % callid
    msg += "CSeq: 1 %s\r\nContent-Length: 0\r\n\r\n" % method
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((src, int(sport)))
    s.settimeout(1.5)
    s.sendto(msg.encode(), (vip, 5060))
    try:
        print(s.recv(100).decode(), flush=True)
    except socket.timeout:
        print("fail", flush=True)
    s.close()
PY
for i in 1 2 3; do
	bg_run "${NS_RS[$i]}" "$TMPD/sip-rs$i.log" python3 "$TMPD/sip-rs.py" \
	    "$V" "rs$i"
done
for i in 1 2 3; do
	wait_udp_bound "${NS_RS[$i]}" 5060
done
ip -n "$NS_C" addr add 10.0.1.3/24 dev c0
ip -n "$NS_C" addr add 10.0.1.4/24 dev c0

# sip LINES: the answers to those datagrams, one per line.
sip()
{
	printf '%s\n' "$@" |
	    timeout --foreground 60 ip netns exec "$NS_C" python3 \
	    "$TMPD/sip-c.py" "$V"
}

lb_start "$NS_D" d1 d0 d1
adm -A -u "$V:5060" -s rr -p 60 -M 255.255.255.0 --pe sip ||
    die "uvsadm -A ... --pe sip failed"
for i in 1 2 3; do
	lb_server udp "$V" 5060 "${RS_IP[$i]}" dr 1
done
if adm -L -n | grep -q "^UDP  $V:5060 rr persistent 60 mask 255.255.255.0 pe sip\$"; then
	pass "-L shows pe sip"
else
	fail "-L: $(adm -L -n | grep 5060)"
fi
if adm -S -n | grep -q -- "^-A -u $V:5060 -s rr -p 60 -M 255.255.255.0 --pe sip\$"; then
	pass "-S saves --pe sip"
else
	fail "-S: $(adm -S -n | grep -- '-A')"
fi

# --- one call, several ports and addresses of one network: one server
a=$(sip "$C_IP 40001 INVITE call-one@c" "$C_IP 40002 ACK call-one@c" \
    "$C_IP 5060 OPTIONS call-one@c" "10.0.1.3 40001 INFO call-one@c" \
    "10.0.1.4 5060 BYE call-one@c" "$C_IP 40003 OPTIONS call-one@c")
n=$(printf '%s\n' "$a" | sort -u | wc -l)
first=$(printf '%s\n' "$a" | head -n 1)
if [ "$n" -ne 1 ] || [ "$first" = fail ]; then
	fail "one Call-ID went to $n servers or none: $(echo $a)"
else
	pass "one Call-ID, 3 addresses and 5 ports: all to $first"
fi

# --- other calls from one port spread over the servers
b=$(sip "$C_IP 5060 INVITE call-1@c" "$C_IP 5060 INVITE call-2@c" \
    "$C_IP 5060 INVITE call-3@c" "$C_IP 5060 INVITE call-4@c" \
    "$C_IP 5060 INVITE call-5@c" "$C_IP 5060 INVITE call-6@c")
n=$(printf '%s\n' "$b" | grep -v fail | sort -u | wc -l)
if [ "$n" -ne 3 ] || printf '%s\n' "$b" | grep -q fail; then
	fail "6 Call-IDs from one port: $(echo $b), want all 3 servers"
else
	pass "6 Call-IDs from one port spread: $(echo $b)"
fi
# From that one port, a call on another server than the first call, then
# the first call: each datagram follows its own call.
k=$(printf '%s\n' "$b" | grep -n -v -x -- "$first" | head -n 1 | cut -d: -f1)
other=$(printf '%s\n' "$b" | sed -n "${k}p")
a2=$(sip "$C_IP 5060 BYE call-$k@c" "$C_IP 5060 BYE call-one@c")
if [ "$(echo $a2)" = "$other $first" ]; then
	pass "one port, two calls, two servers: $(echo $a2)"
else
	fail "calls moved: got $(echo $a2), want $other $first"
fi

# --- no Call-ID: dropped and counted
d0=$(drop_count sip-no-callid)
r=$(sip "$C_IP 40010 OPTIONS -")
d1=$(drop_count sip-no-callid)
if [ "$r" != fail ]; then
	fail "a datagram without Call-ID was answered by $r"
elif [ "$d1" = missing ] || [ "$d1" -le "${d0/missing/0}" ]; then
	fail "no sip-no-callid drop counted ($d0 -> $d1)"
else
	pass "no Call-ID: dropped, sip-no-callid $d0 -> $d1"
fi

# --- the templates, as ipvsadm -L -c --persistent-conn shows them
l=$(adm -L -n -c --persistent-conn)
if printf '%s\n' "$l" | grep -q "^UDP .* 10.0.1.0:0 .*$V:5060 .* sip  *call-one@c\$"; then
	pass "-L -c --persistent-conn shows the call's template"
else
	fail "-L -c --persistent-conn: $(printf '%s\n' "$l" | head -n 5)"
fi
n=$(ctl connections | grep -c "^template udp 10.0.1.0:0 $V:5060 .* pe sip ")
[ "$n" -eq 7 ] && pass "7 calls, 7 templates" ||
    fail "$n sip templates, want 7"

# --- -S, -C, -R: the same rules back
adm -S -n >"$TMPD/save1" || fail "uvsadm -S failed"
adm -C || fail "uvsadm -C failed"
adm -R <"$TMPD/save1" || fail "uvsadm -R failed"
adm -S -n >"$TMPD/save2" || fail "uvsadm -S failed"
if cmp -s "$TMPD/save1" "$TMPD/save2" && grep -q -- '--pe sip' "$TMPD/save2"
then
	pass "-S | -R round trip keeps --pe sip"
else
	fail "-S | -R: $(diff "$TMPD/save1" "$TMPD/save2" | head -n 4)"
fi

# --- -E without --pe: back to plain persistence (one server per network)
adm -E -u "$V:5060" -s rr -p 60 -M 255.255.255.0 || fail "uvsadm -E failed"
adm -L -n | grep -q 'pe sip' && fail "-E without --pe kept pe sip"
c=$(sip "$C_IP 40020 OPTIONS x1" "$C_IP 40021 OPTIONS x2" \
    "$C_IP 40022 OPTIONS -")
n=$(printf '%s\n' "$c" | sort -u | wc -l)
if [ "$n" -ne 1 ] || printf '%s\n' "$c" | grep -q fail; then
	fail "plain persistence: $(echo $c)"
else
	pass "without pe: one server for the network, Call-ID or not"
fi
uvsd_alive || fail "uvsd died"
lb_stop
finish
