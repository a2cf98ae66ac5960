#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The IPVS schedulers beyond rr/wrr/lc/wlc under real traffic (NAT):
# clients at ten addresses fetch /who from VIP 203.0.113.20:80.
#  - sh and mh: every client keeps its server over its connections, and
#    the clients spread over more than one server; with sh-port/mh-port
#    one client's connections spread; quiescing a client's server under
#    mh leaves it without one (IPVS), mh-fallback finds it another, and
#    the other clients do not move.
#  - each of sed nq sh dh mh lblc lblcr fo ovf twos: answers come back,
#    uvsadm -L shows the scheduler, rs3 (weight 0) gets nothing, and the
#    scheduler's own rule shows with sequential connections (fo and sed:
#    all to the heaviest, nq: all to the first idle, ovf: the heaviest
#    under its weight, sh/dh/mh/lblc/lblcr from one client: one server,
#    twos: both weighted servers; sh and mh with their fallback flag, as
#    rs3 keeps entries in their tables).
#  - uvsadm -S lists scheduler and flags, and -R of that list gives the
#    same list back.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2-.12 -- br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                                                         | ----- e0 .12 rs2
#                                                         `------ e0 .13 rs3

. "$(dirname "$0")/lib.sh"
uvs_init sched-hash 90 nginx curl
[ "$UVS_LB" = uvsd ] || skip "the nft balancer has none of these schedulers"

VIP=$VIP_NAT
CLIENTS=(10.0.1.3 10.0.1.4 10.0.1.5 10.0.1.6 10.0.1.7 10.0.1.8 10.0.1.9
    10.0.1.10 10.0.1.11 10.0.1.12)

# who SRC: one fresh connection from SRC; the server's name or "fail".
who()
{
	ip netns exec "$NS_C" curl -s --connect-timeout 2 --max-time 3 \
	    --interface "$1" "http://$VIP/who" || echo fail
}

# who_n SRC N: N connections; "name count" lines.
who_n()
{
	local i

	for i in $(seq "$2"); do
		who "$1"
		echo
	done | grep -v '^$' | sort | uniq -c | awk '{ print $2, $1 }'
}

# sticky SCHED: each client lands on one server over 4 connections; the
# clients use at least two servers.  Leaves client -> server in MAP.
declare -A MAP
sticky()
{
	local s=$1 c out used=()

	MAP=()
	for c in "${CLIENTS[@]}"; do
		out=$(who_n "$c" 4)
		if [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] ||
		    [ "$(count_of fail "$out")" -ne 0 ]; then
			fail "$s: client $c was not kept on one server: $(echo $out)"
			continue
		fi
		MAP[$c]=${out%% *}
	done
	used=$(printf '%s\n' "${MAP[@]}" | sort -u | wc -l)
	if [ "$used" -ge 2 ]; then
		pass "$s: ${#MAP[@]} clients each kept on one server, $used servers used"
	else
		fail "$s: all clients on $(printf '%s ' "${MAP[@]}" | sort -u)"
	fi
}

# spread SCHED FLAG: with FLAG one client's 12 connections use >= 2 servers.
spread()
{
	local out

	adm -E -t "$VIP:80" -s "$1" -b "$2" || fail "uvsadm -E -s $1 -b $2"
	out=$(who_n "${CLIENTS[0]}" 12)
	if [ "$(count_of fail "$out")" -eq 0 ] &&
	    [ "$(printf '%s\n' "$out" | wc -l)" -ge 2 ]; then
		pass "$1 -b $2: one client spread: $(echo $out)"
	else
		fail "$1 -b $2: one client's connections: $(echo $out)"
	fi
}

lab_up 3
lab_servers 3
for c in "${CLIENTS[@]}"; do
	ip -n "$NS_C" addr add "$c/24" dev c0
done
lb_start "$NS_D" d1 d0 d1
lb_service tcp "$VIP" 80 sh
for i in 1 2 3; do
	lb_server tcp "$VIP" 80 "${RS_IP[$i]}" nat 1
done

log "--- sh and mh keep clients"
sticky sh
spread sh sh-port
adm -E -t "$VIP:80" -s mh || fail "uvsadm -E -s mh"
sticky mh
spread mh mh-port

# Quiesce the server of the first client under mh.
adm -E -t "$VIP:80" -s mh || fail "uvsadm -E -s mh"
sticky mh
c0=${CLIENTS[0]}
q=${MAP[$c0]}
qi=${q#rs}
adm -e -t "$VIP:80" -r "${RS_IP[$qi]}:80" -m -w 0 || fail "uvsadm -e -w 0"
out=$(who "$c0")
if [ "$out" = fail ]; then
	pass "mh: client of quiesced $q gets no server (no mh-fallback)"
else
	fail "mh: client of quiesced $q got '$out'"
fi
moved=0
for c in "${CLIENTS[@]}"; do
	[ "${MAP[$c]}" = "$q" ] && continue
	[ "$(who "$c")" = "${MAP[$c]}" ] || moved=$((moved + 1))
done
[ "$moved" -eq 0 ] && pass "mh: no other client moved" ||
    fail "mh: $moved other clients moved when $q was quiesced"
adm -E -t "$VIP:80" -s mh -b mh-fallback || fail "uvsadm -b mh-fallback"
out=$(who "$c0")
case $out in
rs[123]) [ "$out" != "$q" ] && pass "mh-fallback: client of $q now on $out" ||
    fail "mh-fallback: still on quiesced $q" ;;
*)	fail "mh-fallback: client of $q got '$out'" ;;
esac
adm -e -t "$VIP:80" -r "${RS_IP[$qi]}:80" -m -w 1 || fail "uvsadm -e -w 1"

log "--- every scheduler, rs1:rs2:rs3 weights 1:3:0"
adm -e -t "$VIP:80" -r "${RS_IP[2]}:80" -m -w 3 || fail "uvsadm -e rs2"
adm -e -t "$VIP:80" -r "${RS_IP[3]}:80" -m -w 0 || fail "uvsadm -e rs3"
for s in sed nq sh dh mh lblc lblcr fo ovf twos; do
	# sh and mh keep rs3's entries (mh: its last weight, sh: one
	# bucket): its clients would get no server without the fallback.
	case $s in
	sh|mh)	f=(-b "$s-fallback") ;;
	*)	f=() ;;
	esac
	adm -E -t "$VIP:80" -s "$s" "${f[@]}" || fail "uvsadm -E -s $s ${f[*]}"
	if adm -L -n | grep -Eq "^TCP  $VIP:80 $s( |\$)"; then
		:
	else
		fail "$s: uvsadm -L does not show it: $(adm -L -n | grep TCP)"
	fi
	# twos draws at random, lighter (by overhead / weight) of two wins:
	# 30 connections make "never rs1" a chance below 1 in 200.
	[ "$s" = twos ] && n=30 || n=12
	out=$(who_n "${CLIENTS[1]}" "$n")
	n1=$(count_of rs1 "$out")
	n2=$(count_of rs2 "$out")
	n3=$(count_of rs3 "$out")
	nf=$(count_of fail "$out")
	case $s in
	sed|fo|ovf)	want="n2 == $n" ;;	# heaviest; idle; under weight
	nq)		want="n1 == $n" ;;	# the first idle one
	twos)		want="n1 > 0 && n2 > 0 && n1 + n2 == $n" ;;
	*)		want="(n1 == $n || n2 == $n)" ;;	# one client or dst
	esac
	if [ "$nf" -eq 0 ] && [ "$n3" -eq 0 ] && awk -v n1="$n1" -v n2="$n2" \
	    "BEGIN { exit !($want) }"; then
		pass "$s: rs1=$n1 rs2=$n2 rs3=$n3 ($want)"
	else
		fail "$s: rs1=$n1 rs2=$n2 rs3=$n3 failed=$nf (want $want, rs3 0)"
	fi
done

log "--- uvsadm -S and -R"
adm -E -t "$VIP:80" -s mh -b mh-fallback,mh-port || fail "uvsadm -E mh flags"
adm -S -n >"$TMPD/save1" || fail "uvsadm -S"
grep -q -- "-s mh -b mh-fallback,mh-port" "$TMPD/save1" ||
    fail "uvsadm -S: $(grep -- '-A' "$TMPD/save1")"
adm -C || fail "uvsadm -C"
adm -R <"$TMPD/save1" || fail "uvsadm -R"
adm -S -n >"$TMPD/save2" || fail "uvsadm -S after -R"
cmp -s "$TMPD/save1" "$TMPD/save2" && pass "uvsadm -S/-R round trip: $(grep -- '-A' "$TMPD/save1")" ||
    fail "uvsadm -S after -R differs: $(diff "$TMPD/save1" "$TMPD/save2" | tr '\n' ' ')"
adm -L -n | sed 's/^/    /'

uvsd_alive || fail "uvsd died"
uvsd_forwarded
lb_stop
finish
