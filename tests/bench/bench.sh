#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# uvs benchmark (not part of make check; root; about 5 minutes with the
# defaults).  One run measures, for each variant of the director:
#   udp   64-byte UDP packets/s delivered: udpblast (udpblast.c, TX ring)
#         in the client namespace, 256 flows, counted at the real servers
#         by an nft netdev ingress counter (counter + drop, no receiver)
#   udpmax  the highest 64-byte UDP rate delivered without loss (< 0.1 %),
#         searched by doubling then bisecting (-T udpmax; slower)
#   tcp   iperf3 Gbit/s to one real server, offloads on and off
#   http  wrk requests/s, a new connection per request (Connection: close)
# Variants (director namespace d):
#   kernel    ip_forward=1, the client talks to rs1's address directly
#   nft-dnat  ip_forward=1, nat-table dnat of VIP 203.0.113.20 (numgen rr)
#   nft-fwd   netdev ingress "fwd ip to" of VIP 203.0.113.10, the kernel's
#             way of doing direct routing (flows hashed)
#   uvsd-nat  uvsd, VIP 203.0.113.20, -m, rr
#   uvsd-dr   uvsd, VIP 203.0.113.10, -g, rr (replies bypass d via rt)
# Repetitions are interleaved across variants; the table shows medians
# and ratios to kernel forwarding and to nftables DNAT.  HAProxy and the
# nginx stream module are not installed here, so they are not measured.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (director) d1 .1 -- br1 ---- e0 .11 rs1
#                    |                                    | ----- e0 .12 rs2
#                    `---- r0 .254  rt  r1 .254 ----------' ----- e0 .13 rs3
#
# usage: bench.sh [-n REPS] [-t SECONDS] [-r PPS] [-T udp,tcp,http]
#                 [-V kernel,nft-dnat,nft-fwd,uvsd-nat,uvsd-dr] [-o FILE]
#   -r  rate limit for udpblast (default: as fast as it can)
#   -o  also write the raw results and the table to FILE
#   -R  RPS CPU mask for d0's receive queue (e.g. 2: the director's
#       receive work on CPU1); default none: veth receive work runs in
#       the sender's context, so udp with 2 CPUs is often limited by the
#       generator (compare the udp64-offered rows)
#   UVSD_ARGS  extra uvsd arguments (default --workers 2)

REPS=3
SECS=3
RATE=
TESTS="udp tcp http"
VARIANTS="kernel nft-dnat nft-fwd uvsd-nat uvsd-dr"
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
LIMIT=$((300 + REPS * SECS * 40))
case " $TESTS " in
*" udpmax "*) LIMIT=$((LIMIT + REPS * SECS * 300)) ;;	# ~10 steps per variant
esac
uvs_init bench "$LIMIT" cc nginx iperf3 wrk ss

if [ ! -x "$UVSD" ] || [ ! -x "$UVSADM" ]; then
	log "no uvsd at $UVSD: measuring the kernel variants only"
	VARIANTS=$(printf '%s\n' $VARIANTS | grep -v '^uvsd' | tr '\n' ' ')
fi
cc -O2 -Wall -o "$TMPD/udpblast" "$(dirname "$0")/udpblast.c" \
    2>"$TMPD/cc.err" || die "cannot build udpblast: $(cat "$TMPD/cc.err")"
RES=$TMPD/results

lab_up 3
lab_servers 3		# also leaves the real servers' MACs in d's neighbour table
ip netns exec "$NS_C" sh -c '
	sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
	sysctl -qw net.ipv4.tcp_tw_reuse=1'
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

map3()
{
	printf '{ 0 : %s, 1 : %s, 2 : %s }' "${RS_IP[1]}" "${RS_IP[2]}" "${RS_IP[3]}"
}

# variant_up V: configure the director; sets TARGET (what the client
# addresses) and TARGET1 (the same, but served by rs1 alone: iperf3).
variant_up()
{
	local v=$1 p m vip

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
	uvsd-nat|uvsd-dr)
		if [ "$v" = uvsd-nat ]; then
			m=-m
			vip=$VIP_NAT
		else
			m=-g
			vip=$VIP_DR
		fi
		uvsd_start "$NS_D" -i d0 -i d1 ${UVSD_ARGS:---workers 2} \
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
	*)
		die "unknown variant $v"
		;;
	esac
}

# A slow second of traffic before measuring, so that every variant is
# measured warm (neighbours resolved, connections and conntrack entries
# made): uvsd drops the first ~0.8 s as "no-neighbour" after a start.
warm_up()
{
	timeout --foreground 10 ip netns exec "$NS_C" "$TMPD/udpblast" -i c0 \
	    -d "$D0_MAC" -s "$C_IP" -D "$TARGET" -p 9 -t 1.5 -r 2000 >/dev/null
	timeout --foreground 10 ip netns exec "$NS_C" curl -s --max-time 3 \
	    -o /dev/null "http://$TARGET/who"
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
}

sink_total()
{
	local i s=0 c

	for i in 1 2 3; do
		c=$(ip netns exec "${NS_RS[$i]}" nft list table netdev sink |
		    awk '/counter packets/ { for (i = 1; i <= NF; i++)
		    if ($i == "packets") print $(i + 1) }')
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
	local v=$1 r

	timeout --foreground $((SECS + 15)) ip netns exec "$NS_C" wrk -t 2 -c 32 \
	    -d "$SECS" --timeout 2s -H 'Connection: close' \
	    "http://$TARGET/who" >"$TMPD/wrk.out" 2>&1
	r=$(awk '/^Requests\/sec/ { print int($2) }' "$TMPD/wrk.out")
	record http-close-rps "$v" "${r:-0}"
	grep -q 'Socket errors' "$TMPD/wrk.out" &&
	    record http-errors "$v" "$(grep 'Socket errors' "$TMPD/wrk.out" | tr -d ' ')"
}

: >"$RES"
for rep in $(seq "$REPS"); do
	for v in $VARIANTS; do
		log "rep $rep/$REPS: $v"
		variant_up "$v"
		warm_up
		for t in $TESTS; do
			"measure_$t" "$v"
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
	printf '\n%-24s %-9s %12s %9s %9s   %s\n' test variant median \
	    "/kernel" "/nft-dnat" runs
	for t in udp64-pps udp64-offered udp64-max-lossfree-pps tcp-gbps-offloads-on \
	    tcp-gbps-offloads-off http-close-rps; do
		grep -q "^$t " "$RES" || continue
		k=$(awk -v t="$t" '$1 == t && $2 == "kernel" { print $3 }' "$RES" | median)
		n=$(awk -v t="$t" '$1 == t && $2 == "nft-dnat" { print $3 }' "$RES" | median)
		for v in $VARIANTS; do
			m=$(awk -v t="$t" -v v="$v" '$1 == t && $2 == v { print $3 }' "$RES" | median)
			printf '%-24s %-9s %12s %9s %9s   %s\n' "$t" "$v" "$m" \
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
	for v in uvsd-nat uvsd-dr; do
		[ -f "$TMPD/stats-$v-$REPS.txt" ] || continue
		echo
		echo "$v, last run: uvsd stats lines that are not zero:"
		grep -E '^(drop|ring|rx-packets|tx-packets)' \
		    "$TMPD/stats-$v-$REPS.txt" | awk '$NF != 0 { print "  " $0 }'
	done
}

echo
report | tee "$TMPD/report.txt"
if [ -n "$OUT" ]; then
	{ cat "$TMPD/report.txt"; echo; echo "raw:"; cat "$RES"; } >"$OUT"
	log "written to $OUT"
fi
finish
