#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# uvs benchmark (not part of make check; root; about 10 minutes with the
# defaults).  One run measures, for each variant of the director:
#   udp   64-byte UDP packets/s delivered: udpblast (udpblast.c, TX ring)
#         in the client namespace, 256 flows, counted at the real servers
#         by an nft netdev ingress counter (counter + drop, no receiver)
#   udpmax  the highest 64-byte UDP rate delivered without loss (< 0.1 %),
#         searched by doubling then bisecting (-T udpmax; slower)
#   tcp   iperf3 Gbit/s to one real server, offloads on and off (off at
#         the client and the real servers: a proxy's own sockets on d
#         segment anew with d's offloads, which stay on)
#   http  wrk requests/s, a new connection per request (Connection: close),
#         with 32 connections at a time (http-close-rps: bound by the
#         latency each hop adds; a TPACKET_V3 block reaches uvsd when
#         full or after its 1 ms retire timer, ~0.5-0.8 ms at these
#         rates, on each of the 4 crossings per nat request) and with
#         256 (http-close-rps-c256: bound by CPU, what a director can
#         carry)
# Variants (director namespace d):
#   kernel    ip_forward=1, the client talks to rs1's address directly
#   nft-dnat  ip_forward=1, nat-table dnat of VIP 203.0.113.20 (numgen rr)
#   nft-fwd   netdev ingress "fwd ip to" of VIP 203.0.113.10, the kernel's
#             way of doing direct routing (flows hashed)
#   uvsd-nat  uvsd, VIP 203.0.113.20, -m, rr
#   uvsd-dr   uvsd, VIP 203.0.113.10, -g, rr (replies bypass d via rt)
#   uvsd-fullnat  uvsd, VIP 203.0.113.30, --fullnat, rr, local addresses
#             10.0.3.1-2 (no PROXY protocol: the servers' nginx is plain)
#   uvsd-tun  uvsd, VIP 203.0.113.50, -i (ipip), rr; replies bypass d as
#             in dr.  This kernel has no ipip module, so each real server
#             decapsulates with tests/netns/tundecap (AF_PACKET in, TUN
#             out, one thread in user space), as tun-traffic.sh does: the
#             rows measure uvsd and that stand-in together, a lower bound
#             for what kernel decapsulation would give; udp is counted on
#             the real servers' tun0
#   haproxy   HAProxy, mode tcp, balance roundrobin, nbthread 2, no log,
#             listening on VIP 203.0.113.40 (an address of d's lo); TCP
#             only: HAProxy does not proxy UDP, so no udp rows
#   nginx-stream  nginx's stream module, worker_processes 2, access_log
#             off, round robin, same VIP; udp via "listen ... udp
#             reuseport" (one session per client flow)
# The two proxies terminate TCP: each client connection is two TCP
# connections (client-d, d-real server) and every byte crosses d's
# socket layer twice, where the other variants rewrite packets; they are
# the peers of fullnat (the real servers see d's address, no route back
# to the client needed).  They are skipped with a line saying so when not
# installed (contrib/deps.sh installs haproxy and libnginx-mod-stream),
# started per repetition, and stopped (SIGTERM) after it; d must then
# have no process left.  Their limits fit a hard limit of 20000 open
# files (maxconn / worker_connections 8000; wrk keeps 32 or 256
# connections).
# Repetitions are interleaved across variants; the table shows medians
# and ratios to kernel forwarding and to nftables DNAT.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (director) d1 .1 -- br1 ---- e0 .11 rs1
#                    |                                    | ----- e0 .12 rs2
#                    `---- r0 .254  rt  r1 .254 ----------' ----- e0 .13 rs3
#
# usage: bench.sh [-n REPS] [-t SECONDS] [-r PPS] [-T udp,udpmax,tcp,http]
#                 [-V kernel,nft-dnat,nft-fwd,uvsd-nat,uvsd-dr,uvsd-fullnat,
#                     uvsd-tun,haproxy,nginx-stream] [-o FILE]
#   -r  rate limit for udpblast (default: as fast as it can)
#   -o  also write the raw results and the table to FILE
#   -R  RPS CPU mask for d0's receive queue (e.g. 2: the director's
#       receive work on CPU1); default none: veth receive work runs in
#       the sender's context, so udp with 2 CPUs is often limited by the
#       generator (compare the udp64-offered rows)
#   UVSD_ARGS  extra uvsd arguments (default --workers 2); the proxies
#       run as many workers (PROXY_WORKERS, default uvsd's --workers)

REPS=3
SECS=3
RATE=
TESTS="udp tcp http"
VARIANTS="kernel nft-dnat nft-fwd uvsd-nat uvsd-dr uvsd-fullnat uvsd-tun"
VARIANTS="$VARIANTS haproxy nginx-stream"
PROXY_WORKERS=${PROXY_WORKERS:-$(printf '%s\n' "${UVSD_ARGS:---workers 2}" |
    sed -n 's/.*--workers[ =]*\([0-9][0-9]*\).*/\1/p')}
PROXY_WORKERS=${PROXY_WORKERS:-2}
OUT=
RPS=
while getopts "n:t:r:T:V:o:R:h" opt; do
	case $opt in
	n) REPS=$OPTARG ;;
	t) SECS=$OPTARG ;;
	r) RATE=$OPTARG ;;
	T) TESTS=${OPTARG//,/ } ;;
	V) VARIANTS=${OPTARG//,/ } ;;
	o) OUT=$OPTARG ;;
	R) RPS=$OPTARG ;;
	*) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
done

# The kernel variants need no uvsd; the uvsd ones are dropped without it.
UVS_LB=nft
. "$(dirname "$0")/../netns/lib.sh"
NV=$(printf '%s\n' $VARIANTS | wc -l)
LIMIT=$((300 + REPS * NV * (SECS * 7 + 35)))
case " $TESTS " in
*" udpmax "*) LIMIT=$((LIMIT + REPS * NV * SECS * 25)) ;;	# ~11 steps
esac
uvs_init bench "$LIMIT" cc nginx iperf3 wrk ss

# drop_variant V WHY: not measured in this run, and the report says why.
drop_variant()
{
	case " $VARIANTS " in
	*" $1 "*) ;;
	*) return 0 ;;
	esac
	VARIANTS=$(printf '%s\n' $VARIANTS | grep -vx -- "$1" | tr '\n' ' ')
	NOT_MEASURED+=("$1: $2")
	log "$1 not measured: $2"
}
NOT_MEASURED=()

if [ ! -x "$UVSD" ] || [ ! -x "$UVSADM" ]; then
	for v in uvsd-nat uvsd-dr uvsd-fullnat uvsd-tun; do
		drop_variant "$v" "no uvsd at $UVSD"
	done
fi
[ -c /dev/net/tun ] ||
    drop_variant uvsd-tun "no /dev/net/tun for the real servers' tundecap"
command -v haproxy >/dev/null 2>&1 ||
    drop_variant haproxy "haproxy is not installed (contrib/deps.sh)"
# nginx's stream module: built in, or the dynamic module of Debian's
# libnginx-mod-stream.
NGX_STREAM_LOAD=
if ! nginx -V 2>&1 | grep -q -- '--with-stream\( \|$\)'; then
	for f in /usr/lib/nginx/modules/ngx_stream_module.so \
	    /usr/lib64/nginx/modules/ngx_stream_module.so; do
		[ -f "$f" ] && NGX_STREAM_LOAD="load_module $f;" && break
	done
	[ -n "$NGX_STREAM_LOAD" ] || drop_variant nginx-stream \
	    "nginx has no stream module (libnginx-mod-stream, contrib/deps.sh)"
fi
cc -O2 -Wall -o "$TMPD/udpblast" "$(dirname "$0")/udpblast.c" \
    2>"$TMPD/cc.err" || die "cannot build udpblast: $(cat "$TMPD/cc.err")"
TUNDECAP=$BUILDDIR/tests/netns/tundecap
case " $VARIANTS " in
*" uvsd-tun "*)
	if [ ! -x "$TUNDECAP" ]; then
		TUNDECAP=$TMPD/tundecap
		cc -O2 -Wall -o "$TUNDECAP" "$LIB_DIR/tundecap.c" \
		    2>"$TMPD/cc.err" ||
		    die "cannot build tundecap: $(head -c 300 "$TMPD/cc.err")"
	fi
	;;
esac
RES=$TMPD/results

lab_up 3
lab_servers 3		# also leaves the real servers' MACs in d's neighbour table
# The client makes ~10k connections a second; so do the proxies on d,
# toward the real servers.
for ns in "$NS_C" "$NS_D"; do
	ip netns exec "$ns" sh -c '
		sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
		sysctl -qw net.ipv4.tcp_tw_reuse=1'
done
for i in 1 2 3; do
	ip netns exec "${NS_RS[$i]}" nft -f - <<EOF || die "sink counter on rs$i"
table netdev sink {
	chain in { type filter hook ingress device "e0" priority 0;
		udp dport 9 counter drop
	}
}
EOF
done
D0_MAC=$(mac_of "$NS_D" d0)
if [ -n "$RPS" ]; then
	ip netns exec "$NS_D" sh -c "echo $RPS >/sys/class/net/d0/queues/rx-0/rps_cpus" ||
	    die "cannot set rps_cpus of d0 to $RPS"
fi
GEN_CPU=
[ "$(nproc)" -gt 1 ] && GEN_CPU="taskset -c 0"

VIP_FN=203.0.113.30	# uvsd-fullnat
LIPS="10.0.3.1 10.0.3.2"	# its local addresses (rs: default via d)
VIP_PX=203.0.113.40	# the proxies: an address of d's lo
PX_PID=
VIP_TUN=203.0.113.50	# uvsd-tun: its own, so the client's PMTU for it
TD_PIDS=()		# (1480, learnt from uvsd) touches no other VIP

map3()
{
	printf '{ 0 : %s, 1 : %s, 2 : %s }' "${RS_IP[1]}" "${RS_IP[2]}" "${RS_IP[3]}"
}

# variant_up V: configure the director; sets TARGET (what the client
# addresses) and TARGET1 (the same, but served by rs1 alone: iperf3).
variant_up()
{
	local v=$1 p m vip conf

	case $v in
	kernel)
		ip netns exec "$NS_D" sysctl -qw net.ipv4.ip_forward=1
		TARGET=${RS_IP[1]}
		;;
	nft-dnat)
		ip netns exec "$NS_D" sysctl -qw net.ipv4.ip_forward=1
		ip netns exec "$NS_D" nft -f - <<EOF || die "nft-dnat rules"
table ip bench {
	chain pre { type nat hook prerouting priority -100;
		ip daddr $VIP_NAT tcp dport 5201 dnat to ${RS_IP[1]}
		ip daddr $VIP_NAT tcp dport 80 dnat to numgen inc mod 3 map $(map3)
		ip daddr $VIP_NAT udp dport 9 dnat to numgen inc mod 3 map $(map3)
	}
}
EOF
		TARGET=$VIP_NAT
		;;
	nft-fwd)
		ip netns exec "$NS_D" nft -f - <<EOF || die "nft-fwd rules"
table netdev bench {
	chain in { type filter hook ingress device "d0" priority 0;
		ip daddr $VIP_DR tcp dport 5201 fwd ip to ${RS_IP[1]} device "d1"
		ip daddr $VIP_DR tcp dport 80 fwd ip to jhash ip saddr . tcp sport mod 3 map $(map3) device "d1"
		ip daddr $VIP_DR udp dport 9 fwd ip to jhash ip saddr . udp sport mod 3 map $(map3) device "d1"
	}
}
EOF
		TARGET=$VIP_DR
		;;
	uvsd-nat|uvsd-dr|uvsd-fullnat|uvsd-tun)
		conf=
		case $v in
		uvsd-nat)
			m=-m
			vip=$VIP_NAT
			;;
		uvsd-dr)
			m=-g
			vip=$VIP_DR
			;;
		uvsd-tun)
			m=-i
			vip=$VIP_TUN
			tun_up
			;;
		*)
			m=--fullnat
			vip=$VIP_FN
			printf 'local_addresses = [ %s ];\nlocal_port_range = "1024-65535";\n' \
			    "$(printf '"%s", ' $LIPS | sed 's/, $//')" >"$TMPD/uvsd.conf"
			conf="-f $TMPD/uvsd.conf"
			;;
		esac
		uvsd_start "$NS_D" -i d0 -i d1 $conf ${UVSD_ARGS:---workers 2} \
		    >/dev/null
		adm -A -t "$vip:80" -s rr && adm -A -t "$vip:5201" -s rr &&
		    adm -A -u "$vip:9" -s rr || die "$v: uvsadm -A failed"
		adm -a -t "$vip:5201" -r "${RS_IP[1]}:5201" $m ||
		    die "$v: uvsadm -a failed"
		for p in 1 2 3; do
			adm -a -t "$vip:80" -r "${RS_IP[$p]}:80" $m &&
			    adm -a -u "$vip:9" -r "${RS_IP[$p]}:9" $m ||
			    die "$v: uvsadm -a failed"
		done
		TARGET=$vip
		;;
	haproxy|nginx-stream)
		ip -n "$NS_D" addr add "$VIP_PX/32" dev lo ||
		    die "$v: cannot add $VIP_PX to d's lo"
		"${v%-stream}_up"
		wait_tcp_listen "$NS_D" 80
		wait_tcp_listen "$NS_D" 5201
		[ "$v" = haproxy ] || wait_udp_bound "$NS_D" 9
		TARGET=$VIP_PX
		;;
	*)
		die "unknown variant $v"
		;;
	esac
}

# tun_up: each real server holds VIP_TUN on lo, answers from it via rt
# (as for VIP_DR), and decapsulates ipip with tundecap into tun0, where
# a second sink counts the udp; its kernel drops the outer packets.
tun_up()
{
	local i r

	TD_PIDS=()
	for i in 1 2 3; do
		r=${NS_RS[$i]}
		ip -n "$r" addr add "$VIP_TUN/32" dev lo &&
		    ip -n "$r" rule add from "$VIP_TUN" table 100 ||
		    die "uvsd-tun: VIP on rs$i"
		ip netns exec "$r" nft -f - <<EOF || die "uvsd-tun: nft on rs$i"
table inet tundecap {
	chain in { type filter hook input priority 0;
		meta l4proto 4 drop
	}
}
EOF
		rm -f "$TMPD/tundecap-rs$i.stats"
		bg_run "$r" "$TMPD/tundecap-rs$i.log" "$TUNDECAP" e0 tun0 6080 \
		    "$TMPD/tundecap-rs$i.stats"
		TD_PIDS+=("$BG_PID")
		wait_until 50 0.1 test -e "$TMPD/tundecap-rs$i.stats" ||
		    die "tundecap did not start on rs$i: $(head -c 200 "$TMPD/tundecap-rs$i.log")"
		ip netns exec "$r" sysctl -qw net.ipv4.conf.tun0.rp_filter=0
		ip netns exec "$r" nft -f - <<EOF || die "uvsd-tun: sink on rs$i"
table netdev sinktun {
	chain in { type filter hook ingress device "tun0" priority 0;
		udp dport 9 counter drop
	}
}
EOF
	done
}

# tun_down REP: stop the tundecaps (their counters, written on SIGTERM,
# are kept per repetition) and undo tun_up.
tun_down()
{
	local rep=$1 i r p

	[ "${#TD_PIDS[@]}" -gt 0 ] || return 0
	for i in 1 2 3; do
		ip netns exec "${NS_RS[$i]}" nft delete table netdev sinktun 2>/dev/null
	done
	for p in "${TD_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${TD_PIDS[@]}"; do
		wait_until 50 0.1 proc_gone "$p" ||
		    { fail "tundecap $p did not stop"; kill -KILL "$p" 2>/dev/null; }
		{ wait "$p"; } 2>/dev/null
	done
	TD_PIDS=()
	for i in 1 2 3; do
		r=${NS_RS[$i]}
		cp "$TMPD/tundecap-rs$i.stats" "$TMPD/tundecap-rs$i-$rep.stats" 2>/dev/null
		ip netns exec "$r" nft delete table inet tundecap
		ip -n "$r" rule del from "$VIP_TUN" table 100
		ip -n "$r" addr del "$VIP_TUN/32" dev lo
	done
	ip -n "$NS_C" route flush cache
}

# haproxy_up: HAProxy in the foreground (-db), PROXY_WORKERS threads, no
# log target at all (so no line per connection), mode tcp.
haproxy_up()
{
	local d=$TMPD/haproxy i

	mkdir -p "$d"
	{
		cat <<EOF
global
	nbthread $PROXY_WORKERS
	maxconn 8000
	pidfile $d/haproxy.pid
defaults
	mode tcp
	timeout connect 5s
	timeout client 60s
	timeout server 60s
listen http
	bind $VIP_PX:80
	balance roundrobin
EOF
		for i in 1 2 3; do
			printf '\tserver rs%d %s:80\n' "$i" "${RS_IP[$i]}"
		done
		cat <<EOF
listen iperf
	bind $VIP_PX:5201
	server rs1 ${RS_IP[1]}:5201
EOF
	} >"$d/haproxy.cfg"
	ip netns exec "$NS_D" haproxy -c -q -f "$d/haproxy.cfg" \
	    >"$d/check.log" 2>&1 ||
	    die "haproxy -c: $(head -c 300 "$d/check.log")"
	bg_run "$NS_D" "$d/haproxy.log" haproxy -db -f "$d/haproxy.cfg"
	PX_PID=$BG_PID
}

# nginx_up: nginx's stream module, PROXY_WORKERS worker processes, no
# access log; UDP sessions per client flow, with reuseport so that each
# worker has a socket (the kernel spreads the flows).
nginx_up()
{
	local d=$TMPD/nginx-stream i

	mkdir -p "$d"
	{
		cat <<EOF
$NGX_STREAM_LOAD
worker_processes $PROXY_WORKERS;
worker_rlimit_nofile 16384;
daemon off;
user root;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 8000; }
stream {
	access_log off;
	upstream web {
EOF
		for i in 1 2 3; do
			printf '\t\tserver %s:80;\n' "${RS_IP[$i]}"
		done
		printf '\t}\n\tupstream sink {\n'
		for i in 1 2 3; do
			printf '\t\tserver %s:9;\n' "${RS_IP[$i]}"
		done
		cat <<EOF
	}
	upstream iperf { server ${RS_IP[1]}:5201; }
	server { listen $VIP_PX:80 backlog=4096; proxy_pass web; }
	server { listen $VIP_PX:5201; proxy_pass iperf; }
	server { listen $VIP_PX:9 udp reuseport; proxy_pass sink; }
}
EOF
	} >"$d/nginx.conf"
	ip netns exec "$NS_D" nginx -t -q -p "$d" -c "$d/nginx.conf" \
	    -e "$d/error.log" >"$d/check.log" 2>&1 ||
	    die "nginx -t: $(head -c 300 "$d/check.log")"
	bg_run "$NS_D" "$d/stdout.log" nginx -p "$d" -c "$d/nginx.conf" \
	    -e "$d/error.log"
	PX_PID=$BG_PID
}

# proxy_down V: SIGTERM (both stop at once on it), wait; then nothing may
# be left in d and the VIP goes.
proxy_down()
{
	local v=$1 p

	[ -n "$PX_PID" ] || return 0
	kill -TERM "$PX_PID" 2>/dev/null
	if ! wait_until 50 0.1 proc_gone "$PX_PID"; then
		fail "$v: did not stop within 5 s of SIGTERM"
		kill -KILL "$PX_PID" 2>/dev/null
	fi
	{ wait "$PX_PID"; } 2>/dev/null
	PX_PID=
	if ! wait_until 50 0.1 ns_idle "$NS_D"; then
		fail "$v: processes left in d: $(ip netns pids "$NS_D" | tr '\n' ' ')"
		for p in $(ip netns pids "$NS_D"); do
			kill -KILL "$p" 2>/dev/null
		done
	fi
	ip -n "$NS_D" addr del "$VIP_PX/32" dev lo 2>/dev/null
}

ns_idle()
{
	[ -z "$(ip netns pids "$1")" ]
}

# variant_does V TEST: whether TEST can measure V.
variant_does()
{
	case $1:$2 in
	haproxy:udp*) return 1 ;;
	esac
	return 0
}

# A slow second of traffic before measuring, so that every variant is
# measured warm (neighbours resolved, connections and conntrack entries
# made): uvsd drops the first ~0.8 s as "no-neighbour" after a start.
warm_up()
{
	local v=$1 who

	variant_does "$v" udp &&
	    timeout --foreground 10 ip netns exec "$NS_C" "$TMPD/udpblast" -i c0 \
	    -d "$D0_MAC" -s "$C_IP" -D "$TARGET" -p 9 -t 1.5 -r 2000 >/dev/null
	who=$(timeout --foreground 10 ip netns exec "$NS_C" curl -s \
	    --max-time 3 "http://$TARGET/who")
	case $who in
	rs[123]) ;;
	*) fail "$v: http://$TARGET/who answered '$who', not a real server" ;;
	esac
}

variant_down()
{
	local v=$1 rep=$2

	ip netns exec "$NS_D" nft delete table ip bench 2>/dev/null
	ip netns exec "$NS_D" nft delete table netdev bench 2>/dev/null
	ip netns exec "$NS_D" sysctl -qw net.ipv4.ip_forward=0
	if [ -n "$UVSD_PID" ]; then
		ctl stats >"$TMPD/stats-$v-$rep.txt"
		uvsd_alive || fail "$v: uvsd died during the measurements"
		uvsd_stop TERM || fail "$v: uvsd did not stop on SIGTERM"
	fi
	proxy_down "$v"
	tun_down "$rep"
}

sink_total()
{
	local i s=0 c

	# netdev sink on e0, and sinktun on tun0 during uvsd-tun.
	for i in 1 2 3; do
		c=$(ip netns exec "${NS_RS[$i]}" nft list tables netdev |
		    while read -r _ _ t; do
			ip netns exec "${NS_RS[$i]}" nft list table netdev "$t"
		    done | awk '/counter packets/ { for (i = 1; i <= NF; i++)
		    if ($i == "packets") n += $(i + 1) } END { print n + 0 }')
		s=$((s + ${c:-0}))
	done
	echo "$s"
}

record()
{
	printf '%s %s %s\n' "$1" "$2" "$3" >>"$RES"
}

measure_udp()
{
	local v=$1 a b o

	a=$(sink_total)
	o=$(timeout --foreground $((SECS + 10)) ip netns exec "$NS_C" $GEN_CPU \
	    "$TMPD/udpblast" -i c0 -d "$D0_MAC" -s "$C_IP" -D "$TARGET" \
	    -p 9 -t "$SECS" ${RATE:+-r "$RATE"})
	wait_until 5 0.1 false	# let the queues drain (0.5 s)
	b=$(sink_total)
	record udp64-pps "$v" $(((b - a) / SECS))
	record udp64-offered "$v" "$(printf '%s\n' "$o" |
	    awk '{ for (i = 1; i <= NF; i++) if ($i == "pps") print int($(i - 1)) }')"
}

# The highest offered rate of 64-byte UDP delivered with no loss (under
# 0.1 %): double from 25 kpps until packets are lost, then bisect.  This
# is the "no loss below that rate" figure, independent of how fast the
# generator happens to be.
udp_loss_at()
{
	local a b o sent

	a=$(sink_total)
	o=$(timeout --foreground $((SECS + 10)) ip netns exec "$NS_C" $GEN_CPU \
	    "$TMPD/udpblast" -i c0 -d "$D0_MAC" -s "$C_IP" -D "$TARGET" \
	    -p 9 -t "$SECS" -r "$1")
	wait_until 5 0.1 false
	b=$(sink_total)
	sent=$(printf '%s\n' "$o" | awk '{ for (i = 1; i <= NF; i++)
	    if ($i == "sent") print $(i + 1) }')
	[ -n "$sent" ] || sent=$(($1 * SECS))
	# Lost beyond 0.1 %, or the generator could not offer the rate.
	awk -v s="$sent" -v r="$((b - a))" -v want="$(($1 * SECS))" \
	    'BEGIN { exit !(r < s * 0.999 || s < want * 0.95) }'
}

measure_udpmax()
{
	local v=$1 ok=0 bad=0 r=25000 i

	while [ $r -le 4000000 ]; do
		if udp_loss_at "$r"; then
			bad=$r
			break
		fi
		ok=$r
		r=$((r * 2))
	done
	if [ $bad -gt 0 ]; then
		for i in 1 2 3 4 5; do
			r=$(((ok + bad) / 2))
			if udp_loss_at "$r"; then bad=$r; else ok=$r; fi
		done
	fi
	record udp64-max-lossfree-pps "$v" "$ok"
}

set_offloads()
{
	local i

	ip netns exec "$NS_C" ethtool -K c0 tx "$1" tso "$1" gso "$1" \
	    >/dev/null 2>&1
	for i in 1 2 3; do
		ip netns exec "${NS_RS[$i]}" ethtool -K e0 tx "$1" tso "$1" \
		    gso "$1" >/dev/null 2>&1
	done
}

measure_tcp()
{
	local v=$1 o g

	for o in on off; do
		set_offloads "$o"
		timeout --foreground $((SECS + 15)) ip netns exec "$NS_C" iperf3 -c "$TARGET" \
		    -p 5201 -t "$SECS" -f m >"$TMPD/iperf.out" 2>&1
		g=$(awk '/receiver/ { for (i = 1; i <= NF; i++)
		    if ($i == "Mbits/sec") v = $(i - 1) }
		    END { printf "%.2f", v / 1000 }' "$TMPD/iperf.out")
		record "tcp-gbps-offloads-$o" "$v" "$g"
	done
	set_offloads on
}

measure_http()
{
	local v=$1 r c name

	for c in 32 256; do
		name=http-close-rps
		[ "$c" = 32 ] || name=http-close-rps-c$c
		timeout --foreground $((SECS + 15)) ip netns exec "$NS_C" \
		    wrk -t 2 -c "$c" -d "$SECS" --timeout 2s \
		    -H 'Connection: close' "http://$TARGET/who" \
		    >"$TMPD/wrk.out" 2>&1
		r=$(awk '/^Requests\/sec/ { print int($2) }' "$TMPD/wrk.out")
		record "$name" "$v" "${r:-0}"
		grep -q 'Socket errors' "$TMPD/wrk.out" &&
		    record http-errors "$v" "c$c $(grep 'Socket errors' \
		    "$TMPD/wrk.out" | tr -d ' ')"
	done
}

: >"$RES"
for rep in $(seq "$REPS"); do
	for v in $VARIANTS; do
		log "rep $rep/$REPS: $v"
		variant_up "$v"
		warm_up "$v"
		for t in $TESTS; do
			variant_does "$v" "$t" && "measure_$t" "$v"
		done
		variant_down "$v" "$rep"
	done
done

# --- report ---------------------------------------------------------------

median()
{
	sort -g | awk '{ v[NR] = $1 } END {
	    if (NR == 0) print "-"
	    else if (NR % 2) print v[(NR + 1) / 2]
	    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

report()
{
	local t v m k n

	echo "uvs bench $(date -u +%Y-%m-%dT%H:%MZ): reps $REPS x ${SECS}s${RATE:+, udp rate $RATE pps}"
	echo "machine: $(uname -r), $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "uvsd: ${UVSD_ARGS:---workers 2} ($([ -x "$UVSD" ] && echo "$UVSD" || echo none)); d0 rps_cpus: ${RPS:-none}; generator on ${GEN_CPU:-any CPU}"
	case " $VARIANTS " in
	*" haproxy "*|*" nginx-stream "*)
		echo "proxies: $PROXY_WORKERS workers;$(command -v haproxy >/dev/null &&
		    haproxy -v | awk 'NR == 1 { printf " haproxy %s", $3 }')$(nginx -v 2>&1 |
		    sed -n 's|.*nginx/\([^ ]*\).*| nginx \1|p')" ;;
	esac
	for v in "${NOT_MEASURED[@]}"; do
		echo "not measured: $v"
	done
	case " $VARIANTS " in
	*" haproxy "*) grep -q '^udp' "$RES" &&
	    echo "haproxy: no udp rows (HAProxy does not proxy UDP)" ;;
	esac
	printf '\n%-24s %-13s %12s %9s %9s   %s\n' test variant median \
	    "/kernel" "/nft-dnat" runs
	for t in udp64-pps udp64-offered udp64-max-lossfree-pps tcp-gbps-offloads-on \
	    tcp-gbps-offloads-off http-close-rps http-close-rps-c256; do
		grep -q "^$t " "$RES" || continue
		k=$(awk -v t="$t" '$1 == t && $2 == "kernel" { print $3 }' "$RES" | median)
		n=$(awk -v t="$t" '$1 == t && $2 == "nft-dnat" { print $3 }' "$RES" | median)
		for v in $VARIANTS; do
			m=$(awk -v t="$t" -v v="$v" '$1 == t && $2 == v { print $3 }' "$RES" | median)
			[ "$m" = - ] && continue
			printf '%-24s %-13s %12s %9s %9s   %s\n' "$t" "$v" "$m" \
			    "$(awk -v a="$m" -v b="$k" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.2f", a / b; else print "-" }')" \
			    "$(awk -v a="$m" -v b="$n" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.2f", a / b; else print "-" }')" \
			    "$(awk -v t="$t" -v v="$v" '$1 == t && $2 == v { printf "%s ", $3 }' "$RES")"
		done
	done
	if grep -q '^http-errors' "$RES"; then
		echo
		echo "wrk socket errors:"
		grep '^http-errors' "$RES" | sed 's/^http-errors /  /'
	fi
	for v in uvsd-nat uvsd-dr uvsd-fullnat uvsd-tun; do
		[ -f "$TMPD/stats-$v-$REPS.txt" ] || continue
		echo
		echo "$v, last run: uvsd stats lines that are not zero:"
		grep -E '^(drop|ring|rx-packets|tx-packets)' \
		    "$TMPD/stats-$v-$REPS.txt" | awk '$NF != 0 { print "  " $0 }'
	done
	if ls "$TMPD"/tundecap-rs?-"$REPS".stats >/dev/null 2>&1; then
		echo
		echo "uvsd-tun, last run: tundecap counters, the 3 real servers summed:"
		cat "$TMPD"/tundecap-rs?-"$REPS".stats | awk '{ n[$1] += $2 }
		    END { for (k in n) if (n[k]) print "  " k, n[k] }' | sort
	fi
}

echo
report | tee "$TMPD/report.txt"
if [ -n "$OUT" ]; then
	{ cat "$TMPD/report.txt"; echo; echo "raw:"; cat "$RES"; } >"$OUT"
	log "written to $OUT"
fi
finish
