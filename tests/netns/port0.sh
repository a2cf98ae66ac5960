#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Port-0 services, as IPVS has them (ipvsadm -A -t VIP:0 -p): a
# persistent service that takes every port of its VIP and protocol that
# no service of its own port takes, with one template per client for all
# ports, so that a client's HTTP (port 80) and its other TCP (port 7000,
# socat answering with the real server's name) reach the same real
# server, on the port the client asked for.  dr and nat, rr over three
# real servers: two clients, each kept on one server, on different ones;
# a service of port 7000 added beside it takes that port; -L -n and
# -L -n -c show port 0 as ipvsadm does; the nftables sets keep the host
# off every port (svcany4) and off a nat server's replies (rsany4).
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 .3 ---- br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                    |                                    | ----- e0 .12 rs2
#                    `---- r0 .254  rt  r1 .254 ----------' ----- e0 .13 rs3

. "$(dirname "$0")/lib.sh"
uvs_init port0 150 nginx socat curl
need_uvsd

lab_up 3
lab_servers 3
ip -n "$NS_C" addr add 10.0.1.3/24 dev c0
for i in 1 2 3; do
	bg_run "${NS_RS[$i]}" "$TMPD/socat$i.out" socat \
	    TCP-LISTEN:7000,fork,reuseaddr SYSTEM:"echo rs$i"
done
for i in 1 2 3; do
	wait_tcp_listen "${NS_RS[$i]}" 7000
done

# ask SRC URL|PORT VIP: the name of the real server that answered.
ask()
{
	local r

	if [ "$2" = http ]; then
		r=$(timeout --foreground 5 ip netns exec "$NS_C" curl -s \
		    --interface "$1" --connect-timeout 2 --max-time 3 \
		    "http://$3/who")
	else
		r=$(timeout --foreground 5 ip netns exec "$NS_C" socat -T 2 \
		    - "TCP:$3:$2,bind=$1" </dev/null 2>/dev/null)
	fi
	printf '%s\n' "${r:-fail}"
}
# kept SRC VIP: the one server that answers SRC's HTTP and port 7000,
# three times each, or "split: ...".
kept()
{
	local all

	all=$( (for n in 1 2 3; do ask "$1" http "$2"; ask "$1" 7000 "$2"
	    done) | sort -u | tr '\n' ' ')
	case $all in
	"rs"[123]" ") printf '%s\n' "${all% }" ;;
	*) printf 'split: %s\n' "$all" ;;
	esac
}
nft_set()
{
	ip netns exec "$NS_D" nft list set netdev uvs "$1" 2>/dev/null
}

lb_start "$NS_D" d1 d0 d1

for m in dr nat; do
	if [ $m = dr ]; then V=$VIP_DR; else V=$VIP_NAT; fi
	adm -A -t "$V:0" -s rr -p 300 || die "$m: uvsadm -A -t $V:0 -p failed"
	for i in 1 2 3; do
		lb_server tcp "$V" 0 "${RS_IP[$i]}" "$m" 1
	done
	a=$(kept "$C_IP" "$V")
	b=$(kept 10.0.1.3 "$V")
	case "$a $b" in
	rs?" "rs?) ;;
	*) fail "$m: client $C_IP: $a; 10.0.1.3: $b" ;;
	esac
	if [ "$a" != "$b" ] && [ "${a#rs}" != "$a" ]; then
		pass "$m: ports 80 and 7000 of $C_IP on $a, of 10.0.1.3 on $b"
	else
		fail "$m: both clients on '$a'"
	fi
	if adm -L -n | grep -qx "TCP  $V:0 rr persistent 300" &&
	    adm -L -n | grep -q "^  -> ${RS_IP[1]}:0 "; then
		pass "$m: -L -n lists $V:0 and ${RS_IP[1]}:0"
	else
		fail "$m: -L -n: $(adm -L -n | tr -s ' \n' ' ')"
	fi
	if adm -L -n -c | grep -q "^TCP .* NONE *$C_IP:0 *$V:0 *10.0.2.1[123]:0"
	then
		pass "$m: -L -n -c shows the client's port-0 template"
	else
		fail "$m: -L -n -c: $(adm -L -n -c | grep NONE | tr -s ' \n' ' ')"
	fi
	nft_set svcany4 | grep -q "$V . tcp" ||
	    fail "$m: svcany4 lacks $V . tcp"
	if [ $m = nat ]; then
		nft_set rsany4 | grep -q "${RS_IP[1]} . tcp" ||
		    fail "nat: rsany4 lacks ${RS_IP[1]} . tcp"
	fi
done

# --- a service of its own port wins over the port-0 one
V=$VIP_DR
a=$(kept "$C_IP" "$V")
j=$((${a#rs} % 3 + 1))
adm -A -t "$V:7000" -s rr || die "uvsadm -A -t $V:7000 failed"
lb_server tcp "$V" 7000 "${RS_IP[$j]}" dr 1
x=$(ask "$C_IP" 7000 "$V")
y=$(ask "$C_IP" http "$V")
if [ "$x" = "rs$j" ] && [ "$y" = "$a" ]; then
	pass "port 7000's own service answers (rs$j); port 80 stays on $a"
else
	fail "with $V:7000 added: port 7000 from $x (want rs$j), 80 from $y (want $a)"
fi

# --- without -p a port-0 service is refused, ipvsadm's words
if err=$(adm -A -t 203.0.113.30:0 -s rr 2>&1); then
	fail "-A -t 203.0.113.30:0 without -p accepted"
else
	case $err in
	*"Zero port specified for non-persistent service"*)
		pass "-A without -p: $err" ;;
	*) fail "-A without -p: '$err'" ;;
	esac
fi
uvsd_alive || fail "uvsd died"
lb_stop
finish
