#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# AH and ESP follow IKE, as IPVS's ip_vs_proto_ah_esp.c: they carry no
# ports and go to the real server of the client's IKE connection (UDP
# CIP:500 -> VIP:500), with its method.  This kernel has no IPsec
# (CONFIG_INET_ESP unset), so the closest equivalent is used: the client
# speaks "IKE" over UDP 500 (a datagram the real server answers with its
# name), then sends raw ESP (protocol 50: SPI, sequence number, random
# payload) and AH (51) packets from a raw socket; every real server
# reads protocols 50 and 51 on raw sockets and logs what it gets.
# dr, rr over three real servers, -p 300: all AH/ESP of the client
# reaches the IKE real server, byte for byte, and no other; from an
# address without an IKE connection it is dropped and counted
# (ipsec-no-ike).  nat: ESP reaches the real server at its own address,
# and its ESP reply reaches the client from the VIP.  The nftables sets
# own protocols 50/51 to a VIP only while it has a udp service on 500.
# IPv6, dr: AH is an extension header there, stepped over as IPVS does,
# so AH-protected ESP follows IKE as plain ESP does; both reach the IKE
# real server intact (read on raw sockets, which the kernel serves
# before it looks for an AH handler it does not have).  AH-protected
# UDP goes to its UDP service's real server, not to the IKE one.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 .3 ---- br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                    |                                    | ----- e0 .12 rs2
#                    `---- r0 .254  rt  r1 .254 ----------' ----- e0 .13 rs3

. "$(dirname "$0")/lib.sh"
uvs_init ipsec 180 python3
need_uvsd

LAB_V6=1 lab_up 3

# A real server: "IKE" answers with its name (bound to the VIP for dr and
# to its own address for nat); AH and ESP are logged as "proto src dst
# payload-hex"; ESP with SPI eeeeeeee is sent back to its source.
cat >"$TMPD/ipsec-rs.py" <<'PY'
import select, socket, sys
name, log = sys.argv[1], sys.argv[2]
socks = []
for a in sys.argv[3:]:
    u = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET,
                      socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    u.bind((a, 500))
    socks.append(u)
raw = {p: socket.socket(socket.AF_INET, socket.SOCK_RAW, p) for p in (50, 51)}
# IPv6 raw sockets read from the header after the fixed one: AH itself.
raw6 = {socket.socket(socket.AF_INET6, socket.SOCK_RAW, p): p
        for p in (50, 51)}
f = open(log, "a", buffering=1)
while True:
    r, _, _ = select.select(socks + list(raw.values()) + list(raw6), [], [])
    for s in r:
        d, peer = s.recvfrom(65535)
        if s in socks:
            with open(log + ".ike", "a") as g:
                g.write("%s\n" % peer[0])
            s.sendto(name.encode(), peer)
            continue
        if s in raw6:
            f.write("%d %s - %s\n" % (raw6[s], peer[0], d.hex()))
            continue
        ihl = (d[0] & 15) * 4
        pl = d[ihl:]
        f.write("%d %s %s %s\n" % (d[9], peer[0],
                socket.inet_ntoa(d[16:20]), pl.hex()))
        if d[9] == 50 and pl[:4] == b"\xee\xee\xee\xee":
            raw[50].sendto(pl, (peer[0], 0))
PY
# The client.  ike SRC VIP: the name that answered (up to 5 tries).  send SRC VIP PROTO
# SPI N: N packets, their payloads' hex one per line.  echo SRC VIP: one
# ESP with SPI eeeeeeee, then "ok" if the same comes back from VIP.
cat >"$TMPD/ipsec-c.py" <<'PY'
import os, socket, struct, sys
cmd, src, vip = sys.argv[1:4]
fam = socket.AF_INET6 if ":" in vip else socket.AF_INET
if cmd == "ike":
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((src, 500))
    s.settimeout(1)
    # Retransmitted as IKE does: the director may still be resolving a
    # real server it was just given, and drops until it has.
    for _ in range(5):
        s.sendto(b"ike-sa-init", (vip, 500))
        try:
            print(s.recv(100).decode())
            break
        except socket.timeout:
            pass
    else:
        print("fail")
elif cmd == "send":
    proto, spi, n = int(sys.argv[4]), int(sys.argv[5], 16), int(sys.argv[6])
    s = socket.socket(fam, socket.SOCK_RAW, proto)
    s.bind((src, 0))
    for i in range(1, n + 1):
        if proto == 50:
            pl = struct.pack("!II", spi, i) + os.urandom(64)
        elif fam == socket.AF_INET6:
            # AH (24 bytes: 96-bit ICV) protecting an ESP packet.
            pl = (struct.pack("!BBHII", 50, 4, 0, spi, i) + os.urandom(12) +
                  struct.pack("!II", spi + 1, i) + os.urandom(32))
        else:
            pl = struct.pack("!BBHII", 50, 4, 0, spi, i) + os.urandom(12)
        s.sendto(pl, (vip, 0))
        print(pl.hex())
elif cmd == "ahudp":
    # AH protecting a UDP datagram from port 4500 to PORT, checksummed.
    port = int(sys.argv[4])
    data = os.urandom(40)
    ulen = 8 + len(data)
    ph = (socket.inet_pton(fam, src) + socket.inet_pton(fam, vip) +
          struct.pack("!IxxxB", ulen, 17) +
          struct.pack("!HHHH", 4500, port, ulen, 0) + data)
    c = sum(struct.unpack("!%dH" % (len(ph) // 2), ph))
    while c > 0xffff:
        c = (c & 0xffff) + (c >> 16)
    udp = struct.pack("!HHHH", 4500, port, ulen, (~c & 0xffff) or 0xffff)
    pl = (struct.pack("!BBHII", 17, 4, 0, 0x6000, 1) + os.urandom(12) +
          udp + data)
    s = socket.socket(fam, socket.SOCK_RAW, 51)
    s.bind((src, 0))
    s.sendto(pl, (vip, 0))
    print(pl.hex())
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 50)
    s.bind((src, 0))
    s.settimeout(2)
    pl = b"\xee\xee\xee\xee" + struct.pack("!I", 1) + os.urandom(48)
    s.sendto(pl, (vip, 0))
    try:
        while True:
            d, peer = s.recvfrom(65535)
            if d[(d[0] & 15) * 4:] == pl and peer[0] == vip:
                print("ok")
                break
    except socket.timeout:
        print("fail")
PY
for i in 1 2 3; do
	bg_run "${NS_RS[$i]}" "$TMPD/ipsec-rs$i.out" python3 \
	    "$TMPD/ipsec-rs.py" "rs$i" "$TMPD/ipsec-rs$i.log" "$VIP_DR" \
	    "${RS_IP[$i]}" "$VIP6_DR"
done
for i in 1 2 3; do
	wait_udp_bound "${NS_RS[$i]}" 500
done
ip -n "$NS_C" addr add 10.0.1.3/24 dev c0

cl()
{
	timeout --foreground 20 ip netns exec "$NS_C" python3 \
	    "$TMPD/ipsec-c.py" "$@"
}
# got I: the payloads rs I logged.
got()
{
	awk '{ print $4 }' "$TMPD/ipsec-rs$1.log" 2>/dev/null
}
nlogged()
{
	cat "$TMPD"/ipsec-rs?.log 2>/dev/null | wc -l
}
# ikes I SRC: the IKE datagrams from SRC that rs I got.
ikes()
{
	cat "$TMPD/ipsec-rs$1.log.ike" 2>/dev/null | grep -cx -- "$2"
}
# inpkts RIP:PORT: the real server's InPkts (-L -n --stats --exact).
inpkts()
{
	adm -L -n --stats --exact |
	    awk -v r="$1" '$1 == "->" && $2 == r { print $4 }'
}
ipsec_set()
{
	ip netns exec "$NS_D" nft list set netdev uvs "$1" 2>/dev/null
}

lb_start "$NS_D" d1 d0 d1
adm -A -u "$VIP_DR:500" -s rr -p 300 || die "uvsadm -A failed"
for i in 1 2 3; do
	lb_server udp "$VIP_DR" 500 "${RS_IP[$i]}" dr 1
done
if ipsec_set ipsec4 | grep -q "$VIP_DR"; then
	pass "nftables owns AH/ESP to $VIP_DR (udp:500 service)"
else
	fail "ipsec4 set: $(ipsec_set ipsec4 | tr -s ' \n' ' ')"
fi

# --- IKE first, then ESP and AH: all to the IKE real server
x=$(cl ike "$C_IP" "$VIP_DR")
case $x in
rs[123]) pass "IKE from $C_IP:500 answered by $x" ;;
*) die "IKE got no answer ($x)" ;;
esac
k=${x#rs}
esp=$(cl send "$C_IP" "$VIP_DR" 50 1000 5)
ah=$(cl send "$C_IP" "$VIP_DR" 51 2000 2)
all_in()
{
	[ "$(got "$k" | wc -l)" -ge 7 ]
}
wait_until 50 0.1 all_in || fail "rs$k logged $(got "$k" | wc -l) of 7"
if [ "$(printf '%s\n%s\n' "$esp" "$ah")" = "$(got "$k")" ]; then
	pass "5 ESP and 2 AH reached rs$k intact, in order"
else
	fail "rs$k got: $(got "$k" | cut -c 1-24 | tr '\n' ' ')"
fi
if [ "$(nlogged)" -eq 7 ]; then
	pass "no other real server got any"
else
	fail "$(nlogged) packets logged in all, want 7"
fi
if awk '{ print $1 }' "$TMPD/ipsec-rs$k.log" | sort | uniq -c |
    tr -s ' \n' ' ' | grep -q '5 50 2 51'; then
	pass "protocols 50 and 51 kept"
else
	fail "protocols: $(awk '{ print $1 }' "$TMPD/ipsec-rs$k.log" | tr '\n' ' ')"
fi
# Counted on the IKE connection's real server: the IKE it got (a try
# the director dropped while resolving the server is not) and the 7.
in=$(inpkts "${RS_IP[$k]}:500")
want=$(($(ikes "$k" "$C_IP") + 7))
if [ "$in" = "$want" ]; then
	pass "rs$k counts $want packets in (IKE, 5 ESP, 2 AH)"
else
	fail "rs$k InPkts '$in', want $want"
fi

# --- no IKE from this address: dropped and counted
d0=$(drop_count ipsec-no-ike)
cl send 10.0.1.3 "$VIP_DR" 50 3000 3 >/dev/null
counted()
{
	local d

	d=$(drop_count ipsec-no-ike)
	[ "$d" != missing ] && [ "$d" -ge $((${d0/missing/0} + 3)) ]
}
if wait_until 30 0.1 counted && [ "$(nlogged)" -eq 7 ]; then
	pass "ESP without IKE: dropped, ipsec-no-ike $d0 -> $(drop_count ipsec-no-ike)"
else
	fail "ESP without IKE: ipsec-no-ike $d0 -> $(drop_count ipsec-no-ike), $(nlogged) logged"
fi

# --- nat: to the real server's own address, the reply from the VIP
adm -A -u "$VIP_NAT:500" -s rr || die "uvsadm -A nat failed"
lb_server udp "$VIP_NAT" 500 "${RS_IP[2]}" nat 1
x=$(cl ike "$C_IP" "$VIP_NAT")
[ "$x" = rs2 ] || fail "nat IKE answered by '$x', want rs2"
n0=$(got 2 | wc -l)
r=$(cl echo "$C_IP" "$VIP_NAT")
if [ "$r" = ok ] && tail -n 1 "$TMPD/ipsec-rs2.log" |
    grep -q "^50 $C_IP ${RS_IP[2]} eeeeeeee"; then
	pass "nat: ESP to ${RS_IP[2]}, its reply from $VIP_NAT, intact"
else
	fail "nat: echo $r, rs2 last: $(tail -n 1 "$TMPD/ipsec-rs2.log" | cut -c 1-60) ($n0 before)"
fi
ipsec_set ipsecrs4 | grep -q "${RS_IP[2]}" ||
    fail "ipsecrs4 lacks ${RS_IP[2]}"

# --- IPv6, dr: ESP, and ESP behind AH, follow IKE
adm -A -u "[$VIP6_DR]:500" -s rr -p 300 || die "uvsadm -A v6 failed"
for i in 1 2 3; do
	lb_server udp "$VIP6_DR" 500 "${RS6_IP[$i]}" dr 1
done
ipsec_set ipsec6 | grep -q "$VIP6_DR" || fail "ipsec6 lacks $VIP6_DR"
x=$(cl ike "$C6_IP" "$VIP6_DR")
case $x in
rs[123]) pass "IPv6 IKE from [$C6_IP]:500 answered by $x" ;;
*) die "IPv6 IKE got no answer ($x)" ;;
esac
k6=${x#rs}
n6=$(nlogged)
esp6=$(cl send "$C6_IP" "$VIP6_DR" 50 4000 2)
ah6=$(cl send "$C6_IP" "$VIP6_DR" 51 5000 3)
all6_in()
{
	[ "$(nlogged)" -ge $((n6 + 5)) ]
}
wait_until 50 0.1 all6_in || fail "$(($(nlogged) - n6)) of 5 IPv6 logged"
if [ "$(printf '%s\n%s\n' "$esp6" "$ah6")" = \
    "$(grep " $C6_IP - " "$TMPD/ipsec-rs$k6.log" | awk '{ print $4 }')" ] &&
    [ "$(nlogged)" -eq $((n6 + 5)) ]; then
	pass "IPv6: 2 ESP and 3 AH+ESP reached rs$k6 intact, no other server"
else
	fail "IPv6: rs$k6 got: $(grep -c " $C6_IP - " \
	    "$TMPD/ipsec-rs$k6.log") ($(nlogged) logged, $n6 before)"
fi
in=$(inpkts "[${RS6_IP[$k6]}]:500")
want=$(($(ikes "$k6" "$C6_IP") + 5))
if [ "$in" = "$want" ]; then
	pass "IPv6: rs$k6 counts $want packets in (IKE, 2 ESP, 3 AH+ESP)"
else
	fail "IPv6: rs$k6 InPkts '$in', want $want"
fi
# AH over UDP to another service: its own real server, found as UDP.
j=$((k6 % 3 + 1))
adm -A -u "[$VIP6_DR]:9000" -s rr || die "uvsadm -A v6 9000 failed"
lb_server udp "$VIP6_DR" 9000 "${RS6_IP[$j]}" dr 1
n6=$(nlogged)
au=$(cl ahudp "$C6_IP" "$VIP6_DR" 9000)
one_in()
{
	[ "$(nlogged)" -gt "$n6" ]
}
wait_until 50 0.1 one_in
if [ "$(tail -n 1 "$TMPD/ipsec-rs$j.log" | awk '{ print $1, $4 }')" = \
    "51 $au" ] && [ "$(nlogged)" -eq $((n6 + 1)) ]; then
	pass "IPv6: AH+UDP to port 9000 reached rs$j (its service), intact"
else
	fail "IPv6: AH+UDP: $(($(nlogged) - n6)) logged, rs$j last: $(tail -n 1 "$TMPD/ipsec-rs$j.log" | cut -c 1-40)"
fi
# nftables stops at AH (l4proto ah): the host's copy goes by address.
ahdrops=$(nft_count "ip6 daddr @vip6 meta l4proto ah")
if [ "$ahdrops" -ge 4 ]; then
	pass "IPv6: nftables dropped the host's $ahdrops AH packets"
else
	fail "IPv6: nftables ah rule counted $ahdrops, want >= 4"
fi
adm -L -n -c | grep -q "^UDP .*\[$C6_IP\]:4500" ||
    fail "IPv6: no UDP connection from [$C6_IP]:4500 in -L -n -c"
adm -D -u "[$VIP6_DR]:500" && adm -D -u "[$VIP6_DR]:9000" ||
    fail "uvsadm -D v6 failed"

# --- no udp:500 service, no AH/ESP for uvsd
adm -D -u "$VIP_DR:500" && adm -D -u "$VIP_NAT:500" ||
    fail "uvsadm -D failed"
if ipsec_set ipsec4 | grep -q "$VIP_DR"; then
	fail "ipsec4 still holds $VIP_DR after -D"
else
	pass "without the udp:500 service nftables leaves AH/ESP alone"
fi
uvsd_alive || fail "uvsd died"
lb_stop
finish
