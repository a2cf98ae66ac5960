#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# FULLNAT under real traffic.  The real servers have no route to the
# client's network at all, only 10.0.3.0/24 (the director's local
# addresses, LIPs) via the director: replies can only come back because
# the director rewrote both addresses.  nginx on them listens with
# proxy_protocol and logs $proxy_protocol_addr, which must be the
# client's address while $remote_addr is a LIP.  With offloads on and
# then off:
#   - 8 MiB downloads intact (sha256) through a PROXY v1 service (global
#     LIPs from uvsd.conf) and a PROXY v2 service (its own --laddr);
#   - a socat echo behind PROXY v1 and v2 services returns exactly the
#     PROXY header and then 100 KiB sent in one write (a GSO super-packet
#     with offloads on, full-size segments without): the header goes in
#     front of the first data and sequence numbers follow it;
#   - the two first segments that carry the header are lost (nft on the
#     real server): the retransmission brings the same header again;
#   - a server that speaks first but reads the PROXY header before its
#     greeting greets a client that sends nothing: the header leaves with
#     the handshake's ACK;
#   - UDP via fullnat (socat echo), datagrams of 1..1452 bytes intact;
#   - nft's rule for replies to LIPs counted them (host stack kept out);
#   - uvsadm -S shows --fullnat, --laddr and --proxy-protocol, and what it
#     saves restores to the same listing.
# Then, with local_port_range of 128 ports on one LIP: 600 UDP flows at
# once: each gets a port or is counted as no-local-port and refused (a
# busy machine's socat may echo fewer within the client's 3 s), at most
# 128 echoes; the ports in use (status) match; after the UDP timeout they are
# all back and new flows get through again.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                                   LIPs 10.0.3.0/24      `------ e0 .12 rs2
#
# fullnat6.sh runs the same over IPv6 (FN_V6=1: lib.sh's IPv6 lab, LIPs
# in 2001:db8:3::/64), without the exhaustion part.

. "$(dirname "$0")/lib.sh"
FN_V6=${FN_V6:-0}
if [ "$FN_V6" = 1 ]; then
	uvs_init fullnat6 90 nginx cmp python3
	LAB_V6=1
	VIP=2001:db8:113::30
	LIP1=2001:db8:3::1
	LIP2=2001:db8:3::2
	LIP9=2001:db8:3::9
	LIPNET=2001:db8:3::/64
	FN_C=$C6_IP
	FN_D1=$D16_IP
	FN_RS=("${RS6_IP[@]}")
	FN_HDR2=52		# PROXY v2 over IPv6
	FN_SOCK=6
else
	uvs_init fullnat 90 nginx cmp python3
	VIP=203.0.113.30
	LIP1=10.0.3.1
	LIP2=10.0.3.2
	LIP9=10.0.3.9
	LIPNET=10.0.3.0/24
	FN_C=$C_IP
	FN_D1=$D1_IP
	FN_RS=("${RS_IP[@]}")
	FN_HDR2=28
	FN_SOCK=4
fi
CLIENT_PY="$LIB_DIR/fullnat-client.py"

# hp ADDR PORT: "a.b.c.d:p" or "[v6]:p".
hp()
{
	case $1 in
	*:*) printf '[%s]:%s' "$1" "$2" ;;
	*) printf '%s:%s' "$1" "$2" ;;
	esac
}

# socat's bind= and peer addresses: v6 in brackets.
sb()
{
	case $1 in
	*:*) printf '[%s]' "$1" ;;
	*) printf '%s' "$1" ;;
	esac
}

# fn_servers: nginx with proxy_protocol on :80 (access log of
# $proxy_protocol_addr $remote_addr), socat echoes tcp :7 and udp :9000;
# routes: 10.0.3.0/24 via the director, nothing else off-link.
fn_servers()
{
	local i r d

	mkdir -p "$TMPD/www"
	[ -f "$TMPD/www/big" ] || mkrand "$TMPD/www/big" $((8 << 20))
	BIG_SHA=$(sha "$TMPD/www/big")
	for i in 1 2; do
		r=${NS_RS[$i]}
		ip -n "$r" route del default
		ip -n "$r" -6 route del default 2>/dev/null
		ip -n "$r" route add "$LIPNET" via "$FN_D1"
		d=$TMPD/nginx-rs$i
		mkdir -p "$d/tmp"
		: >"$d/access.log"
		cat >"$d/nginx.conf" <<EOC
worker_processes 1;
daemon off;
user root;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 1024; }
http {
	log_format pp '\$proxy_protocol_addr \$remote_addr \$request_uri';
	access_log $d/access.log pp;
	client_body_temp_path $d/tmp/body;
	proxy_temp_path $d/tmp/proxy;
	fastcgi_temp_path $d/tmp/fastcgi;
	uwsgi_temp_path $d/tmp/uwsgi;
	scgi_temp_path $d/tmp/scgi;
	default_type application/octet-stream;
	server {
		listen $([ "$FN_V6" = 1 ] && echo "[::]:80" || echo 80) proxy_protocol default_server;
		root $TMPD/www;
		location = /who { default_type text/plain; return 200 "rs$i\n"; }
	}
}
EOC
		bg_run "$r" "$d/stdout.log" nginx -p "$d" -c "$d/nginx.conf" \
		    -e "$d/error.log"
		bg_run "$r" "$TMPD/tcp7-rs$i.log" socat \
		    "TCP$FN_SOCK-LISTEN:7,bind=$(sb "${FN_RS[$i]}"),reuseaddr,fork" \
		    EXEC:cat
		bg_run "$r" "$TMPD/udp-rs$i.log" socat -T 2 \
		    "UDP$FN_SOCK-RECVFROM:9000,bind=$(sb "${FN_RS[$i]}"),fork" \
		    EXEC:cat
		# Reads the v2 header, then greets.
		bg_run "$r" "$TMPD/tcp25-rs$i.log" socat \
		    "TCP$FN_SOCK-LISTEN:25,bind=$(sb "${FN_RS[$i]}"),reuseaddr,fork" \
		    "SYSTEM:head -c $FN_HDR2 >$TMPD/pp25.rs$i; echo banner"
	done
	for i in 1 2; do
		wait_tcp_listen "${NS_RS[$i]}" 80
		wait_tcp_listen "${NS_RS[$i]}" 7
		wait_tcp_listen "${NS_RS[$i]}" 25
		wait_udp_bound "${NS_RS[$i]}" 9000
	done
}

# fn_conf FILE LIPS RANGE: uvsd.conf with global LIPs and a port range.
fn_conf()
{
	cat >"$1" <<EOC
local_addresses = [ $2 ];
local_port_range = "$3";
EOC
}

fn_start()
{
	uvsd_start "$NS_D" -i d0 -i d1 --workers 2 -f "$1"
}

fn_services()
{
	adm -A -t "$(hp "$VIP" 80)" -s rr --proxy-protocol v1 || die "-A :80"
	adm -A -t "$(hp "$VIP" 81)" -s rr --proxy-protocol v2 --laddr "$LIP9" ||
	    die "-A :81"
	adm -A -t "$(hp "$VIP" 7)" -s rr --proxy-protocol v1 || die "-A :7"
	adm -A -t "$(hp "$VIP" 8)" -s rr --proxy-protocol v2 || die "-A :8"
	adm -A -t "$(hp "$VIP" 25)" -s rr --proxy-protocol v2 || die "-A :25"
	adm -A -u "$(hp "$VIP" 9000)" -s rr || die "-A udp"
	for i in 1 2; do
		adm -a -t "$(hp "$VIP" 80)" -r "$(hp "${FN_RS[$i]}" 80)" \
		    --fullnat || die "-a 80"
		adm -a -t "$(hp "$VIP" 81)" -r "$(hp "${FN_RS[$i]}" 80)" \
		    --fullnat || die "-a 81"
		adm -a -u "$(hp "$VIP" 9000)" -r "$(hp "${FN_RS[$i]}" 9000)" \
		    --fullnat || die "-a udp"
	done
	adm -a -t "$(hp "$VIP" 7)" -r "$(hp "${FN_RS[1]}" 7)" --fullnat ||
	    die "-a 7"
	adm -a -t "$(hp "$VIP" 8)" -r "$(hp "${FN_RS[2]}" 7)" --fullnat ||
	    die "-a 8"
	adm -a -t "$(hp "$VIP" 25)" -r "$(hp "${FN_RS[1]}" 25)" --fullnat ||
	    die "-a 25"
}

# fn_udp_echo SIZE: one datagram to VIP:9000 and the same back.
fn_udp_echo()
{
	local in=$TMPD/udp.in out=$TMPD/udp.out

	mkrand "$in" "$1"
	timeout --foreground 10 ip netns exec "$NS_C" socat -T 2 -t 1 STDIO \
	    "UDP$FN_SOCK:$(hp "$VIP" 9000)" <"$in" >"$out" 2>"$TMPD/socat.err"
	if cmp -s "$in" "$out"; then
		pass "udp echo of $1 bytes intact"
	else
		fail "udp echo of $1 bytes: got $(stat -c %s "$out") bytes back $(head -c 200 "$TMPD/socat.err")"
	fi
}

for OFFLOADS in on off; do
	log "--- offloads $OFFLOADS"
	lab_up 2
	fn_servers
	if ip netns exec "${NS_RS[1]}" ip route get "$FN_C" >/dev/null 2>&1; then
		fail "rs1 has a route to the client $FN_C"
	else
		pass "real servers have no route to the client's network"
	fi
	fn_conf "$TMPD/uvsd.conf" "\"$LIP1\", \"$LIP2\"" "1024-65535"
	fn_start "$TMPD/uvsd.conf"
	fn_services
	for port in 80 81; do
		for i in 1 2; do
			fetch_check "http://$(hp "$VIP" "$port")/big" "$BIG_SHA" &&
			    pass "8 MiB over :$port ($i) intact"
		done
	done
	n=$(cat "$TMPD"/nginx-rs*/access.log |
	    grep -c -E "^$FN_C ($LIP1|$LIP2|$LIP9) /big$")
	if [ "$n" -eq 4 ]; then
		pass "access logs: client $FN_C via PROXY, LIPs as peers ($n)"
	else
		fail "access logs: $n of 4 lines show $FN_C via PROXY from a LIP: $(cat "$TMPD"/nginx-rs*/access.log | tr '\n' ';')"
	fi
	grep -q " $LIP9 /big$" "$TMPD"/nginx-rs*/access.log &&
	    pass "the v2 service used its own --laddr $LIP9" ||
	    fail "no request of the :81 service came from $LIP9"
	for spec in "7 v1" "8 v2"; do
		set -- $spec
		for sz in 1000 102400; do
			if timeout --foreground 30 ip netns exec "$NS_C" \
			    python3 "$CLIENT_PY" echo "$VIP" "$1" "$sz" "$2" \
			    >"$TMPD/echo.out" 2>&1; then
				pass "echo :$1 ($2, $sz bytes in one write): header + data exact"
			else
				fail "echo :$1 ($2, $sz bytes): $(head -c 300 "$TMPD/echo.out")"
			fi
		done
	done
	# Retransmissions: rs1 drops the first two segments with data for
	# :7 (the handshake's ACK with the header, then the first data with
	# it); the client's retransmission must bring the same header again.
	ip netns exec "${NS_RS[1]}" nft -f - <<EOC || die "nft on rs1"
table inet fnloss {
	chain in {
		type filter hook input priority 0;
		tcp dport 7 meta length > 60 numgen inc mod 1000000 < 2 counter drop
	}
}
EOC
	if timeout --foreground 30 ip netns exec "$NS_C" python3 "$CLIENT_PY" \
	    echo "$VIP" 7 3000 v1 >"$TMPD/echo.out" 2>&1; then
		n=$(ip netns exec "${NS_RS[1]}" nft list table inet fnloss |
		    sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
		[ "$n" = 2 ] &&
		    pass "echo :7 after losing the header twice: header + data exact" ||
		    fail "the loss rule dropped '$n' segments, not 2"
	else
		fail "echo :7 with lost first segments: $(head -c 300 "$TMPD/echo.out")"
	fi
	ip netns exec "${NS_RS[1]}" nft delete table inet fnloss
	if timeout --foreground 20 ip netns exec "$NS_C" python3 "$CLIENT_PY" \
	    banner "$VIP" 25 v2 "$TMPD/pp25.rs1" >"$TMPD/banner.out" 2>&1; then
		pass "server-first: greeting without client data, v2 header read"
	else
		fail "server-first: $(head -c 300 "$TMPD/banner.out")"
	fi
	for sz in 1 512 1452; do
		fn_udp_echo "$sz"
	done
	# The host stack never saw the replies to the LIPs: nft dropped them
	# at d1's ingress after uvsd's rings had them.
	n=$(($(nft_count "daddr @lip4 meta l4proto") +
	    $(nft_count "daddr @lip6 meta l4proto")))
	if [ "$n" -gt 100 ]; then
		pass "nft kept $n LIP replies from the host stack"
	else
		fail "nft's LIP rule counted $n packets, want > 100"
	fi
	adm -S -n >"$TMPD/save1" || fail "uvsadm -S failed"
	if grep -qF -- "--laddr $LIP9 --proxy-protocol v2" "$TMPD/save1" &&
	    grep -qF -- "-r $(hp "${FN_RS[1]}" 80) --fullnat" "$TMPD/save1"; then
		pass "-S shows --fullnat, --laddr, --proxy-protocol"
	else
		fail "-S lacks fullnat settings: $(tr '\n' ';' <"$TMPD/save1")"
	fi
	adm -C && adm -R <"$TMPD/save1" || fail "uvsadm -R of the save failed"
	adm -S -n >"$TMPD/save2"
	cmp -s "$TMPD/save1" "$TMPD/save2" && pass "-S / -R round trip" ||
	    fail "-S after -R differs: $(diff "$TMPD/save1" "$TMPD/save2" | head -5 | tr '\n' ';')"
	uvsd_alive || fail "uvsd died (offloads $OFFLOADS)"
	uvsd_forwarded
	lb_stop
	teardown
done
[ "$FN_V6" = 1 ] && finish

# Exhaustion: 128 ports of one LIP, spread over the table's shards.
OFFLOADS=on
lab_up 1
r=${NS_RS[1]}
ip -n "$r" route del default
ip -n "$r" route add 10.0.3.0/24 via "$D1_IP"
bg_run "$r" "$TMPD/udpx.log" socat -T 2 \
    "UDP4-RECVFROM:9000,bind=${RS_IP[1]},fork" EXEC:cat
wait_udp_bound "$r" 9000
fn_conf "$TMPD/uvsd-x.conf" "\"$LIP1\"" "40000-40127"
fn_start "$TMPD/uvsd-x.conf"
adm --set 0 0 8 || die "--set"
adm -A -u "$VIP:9000" -s rr && adm -a -u "$VIP:9000" -r "${RS_IP[1]}" --fullnat ||
    die "udp service"
got=$(timeout --foreground 20 ip netns exec "$NS_C" python3 "$CLIENT_PY" \
    udpflows "$VIP" 9000 600)
used=$(ctl status | awk -v a="$LIP1" '$1 == "laddr" && $2 == a { print $8 }')
drops=$(drop_count no-local-port)
log "600 flows: $got echoed, $used ports in use, no-local-port $drops"
if [ "${got:-0}" -gt 0 ] && [ "$got" -le 128 ] && [ "${used:-0}" -le 128 ] &&
    [ "${used:-0}" -ge "$got" ] && [ "${drops:-0}" -gt 0 ] &&
    [ "$((used + drops))" -ge 600 ]; then
	pass "exhaustion: $used flows got a port ($got echoed), $drops refused and counted"
else
	fail "exhaustion: got=$got used=$used no-local-port=$drops (want got<=128, used>=got, drops>0, used+drops>=600)"
fi
ports_free()
{
	[ "$(ctl status | awk -v a="$LIP1" '$1 == "laddr" && $2 == a { print $8 }')" = 0 ]
}
if wait_until 150 0.1 ports_free; then
	pass "every port came back when the UDP flows expired"
else
	fail "ports still in use after expiry: $(ctl status | grep laddr)"
fi
got=$(timeout --foreground 20 ip netns exec "$NS_C" python3 "$CLIENT_PY" \
    udpflows "$VIP" 9000 40)
[ "${got:-0}" -gt 0 ] && pass "new flows get ports again ($got of 40)" ||
    fail "no flow got through after the ports came back"
lb_stop
finish
