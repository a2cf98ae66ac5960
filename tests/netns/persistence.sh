#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Persistence and thresholds.  dr, rr over three real servers: with
# -p 300, 20 fresh connections from the client all reach one real server
# (one template); after -E without -p, 30 spread 10/10/10.  udp -o:
# datagrams are echoed and leave no connection entry.  nat, one real
# server with -x 2: two idle connections fill it, a third connection is
# refused (no-destination drop) while they last, and raising -x lets new
# connections in at once, as ipvsadm -e does in IPVS.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                                                         | ----- e0 .12 rs2
#                                                         `------ e0 .13 rs3

. "$(dirname "$0")/lib.sh"
uvs_init persistence 150 nginx iperf3 ss
need_uvsd	# persistence and thresholds are uvsd's; no UVS_LB=nft variant

# adm_or_ctl "uvsadm args" "protocol request": uvsadm, or the protocol
# itself while uvsadm lacks the option.
adm_or_ctl()
{
	local a=$1

	shift
	# shellcheck disable=SC2086
	adm $a >/dev/null 2>&1 && return 0
	ctl "$*" | tail -n 1 | grep -q '^OK'
}

lab_up 3
lab_servers 3
lb_start "$NS_D" d1 d0 d1

# --- -p 300: one client, one real server
V=$VIP_DR
adm_or_ctl "-A -t $V:80 -s rr -p 300" \
    "add-service tcp $V:80 scheduler rr persistent 300" ||
    skip "uvsd does not take persistent services yet"
for i in 1 2 3; do
	lb_server tcp "$V" 80 "${RS_IP[$i]}" dr 1
done
c=$(who_counts "http://$V/who" 20)
n=$(printf '%s\n' "$c" | grep -c '^rs')
if [ "$n" -ne 1 ] || [ "$(count_of fail "$c")" -ne 0 ]; then
	fail "-p 300: 20 requests went to $n servers ($(echo $c)), want one"
else
	pass "-p 300: 20 requests, one server ($(echo $c))"
fi
if ctl connections | grep -q "^template tcp $C_IP:0 "; then
	pass "the template is listed"
else
	log "no template line in 'connections' (listing not there yet?)"
fi

# --- without -p, rr spreads again
adm_or_ctl "-E -t $V:80 -s rr" \
    "edit-service tcp $V:80 scheduler rr persistent 0" ||
    fail "cannot drop persistence"
c=$(who_counts "http://$V/who" 30)
n1=$(count_of rs1 "$c")
n2=$(count_of rs2 "$c")
n3=$(count_of rs3 "$c")
if [ "$(count_of fail "$c")" -ne 0 ] || [ "$n1" -lt 9 ] || [ "$n1" -gt 11 ] ||
    [ "$n2" -lt 9 ] || [ "$n2" -gt 11 ] || [ "$n3" -lt 9 ] || [ "$n3" -gt 11 ]; then
	fail "no -p: 30 requests $n1/$n2/$n3 ($(echo $c)), want 10 each +-1"
else
	pass "no -p: 30 requests spread $n1/$n2/$n3"
fi

# --- -o: every datagram scheduled, no connection kept
adm_or_ctl "-A -u $V:9000 -s rr -o" \
    "add-service udp $V:9000 scheduler rr ops" ||
    skip "uvsd does not take one-packet services yet"
for i in 1 2 3; do
	lb_server udp "$V" 9000 "${RS_IP[$i]}" dr 1
done
ok=0
for i in 1 2 3 4 5 6; do
	udp_echo_check "$V" 9000 100 && ok=$((ok + 1))
done
[ "$ok" -eq 6 ] && pass "-o: 6 datagrams echoed"
if ctl connections | grep -q "^conn udp .* $V:9000 "; then
	fail "-o: a udp connection entry was kept"
else
	pass "-o: no connection entry kept"
fi

# --- -x 2 on a fresh nat service with one real server
W=$VIP_NAT
R=${RS_IP[1]}
lb_service tcp "$W" 80 rr
adm_or_ctl "-a -t $W:80 -r $R:80 -m -w 1 -x 2" \
    "add-server tcp $W:80 $R:80 method nat weight 1 uthreshold 2" ||
    skip "uvsd does not take -x yet"
# Two idle connections (nginx waits 60 s for a request) fill it.
for i in 1 2; do
	bg_run "$NS_C" "$TMPD/hold$i.log" socat -u EXEC:"sleep 30" \
	    "TCP:$W:80,connect-timeout=3"
done
held()
{
	[ "$(ip netns exec "${NS_RS[1]}" ss -Htn state established \
	    '( sport = :80 )' | wc -l)" -ge 2 ]
}
wait_until 50 0.1 held || die "the two idle connections did not open"
d0=$(drop_count no-destination)
c=$(who_counts "http://$W/who" 1)
d1=$(drop_count no-destination)
if [ "$(count_of fail "$c")" -ne 1 ]; then
	fail "-x 2: a third connection got through ($(echo $c))"
elif [ "$d1" = missing ] || [ "$d1" -le "$d0" ]; then
	fail "-x 2: no no-destination drop counted ($d0 -> $d1)"
else
	pass "-x 2: the third connection was refused ($d0 -> $d1 drops)"
fi
uvsd_alive || die "uvsd died"
adm_or_ctl "-e -t $W:80 -r $R:80 -m -w 1 -x 10" \
    "edit-server tcp $W:80 $R:80 method nat weight 1 uthreshold 10" ||
    fail "cannot raise -x"
c=$(who_counts "http://$W/who" 2)
if [ "$(count_of rs1 "$c")" -ne 2 ]; then
	fail "-x 10: new connections still refused ($(echo $c))"
else
	pass "-x 10: new connections go through at once"
fi
adm -L -n --thresholds 2>&1 | sed 's/^/    /'
uvsd_alive || fail "uvsd died"
lb_stop

# --- expire_nodest_conn = true: a removed server's flow ends at once
cat >"$TMPD/nodest.conf" <<EOF
interfaces = [ "d0", "d1" ];
workers = 2;
expire_nodest_conn = true;
EOF
uvsd_start "$NS_D" -f "$TMPD/nodest.conf"
lb_service tcp "$W" 5201 rr
lb_server tcp "$W" 5201 "$R" nat 1
bg_run "$NS_C" "$TMPD/iperf-nodest.log" iperf3 -c "$W" -p 5201 -t 20
flowing()
{
	[ "$(ctl connections tcp "$W:5201" | grep -c ESTABLISHED)" -ge 2 ]
}
wait_until 50 0.1 flowing || die "iperf3 did not get going"
d0=$(drop_count nodest-conn)
adm -d -t "$W:5201" -r "$R:5201" || fail "uvsadm -d failed"
dropped()
{
	local d

	d=$(drop_count nodest-conn)
	[ "$d" != missing ] && [ "$d" -gt "$d0" ]
}
data_gone()
{
	[ "$(ctl connections tcp "$W:5201" | grep -c ESTABLISHED)" -lt 2 ]
}
if ! wait_until 50 0.1 dropped; then
	fail "expire_nodest_conn: no nodest-conn drop ($d0 -> $(drop_count nodest-conn))"
elif ! wait_until 50 0.1 data_gone; then
	fail "expire_nodest_conn: the data connection is still there"
else
	pass "expire_nodest_conn: the removed server's flow ended ($d0 -> $(drop_count nodest-conn) drops)"
fi
uvsd_alive || fail "uvsd died"
lb_stop
finish
