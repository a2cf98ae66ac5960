#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Reloads under traffic.  uvsd runs from a file (-f) with a DR and a NAT
# service; two files A and B differ in one real server (DR: rs2 in A, rs3
# in B) and one weight (NAT: rs1 1 in A, 3 in B).  While wrk sends
# keep-alive HTTP through the DR service and short connections
# (Connection: close) through both, uvsd gets 100 SIGHUPs, alternating A
# and B, each waited for through the status verb.  Required: 0 wrk
# errors (connect, read, write, timeout, non-2xx), 0 resets sent by the
# real servers for connections they did not know (see rs_resets), 100 "reloaded" log lines, and service counters that
# survived (the NAT service counted every short connection).  rs2's
# keep-alive connections outlive its removal (expire_nodest_conn false).
# Then a file with an error: the reload is refused, status names
# file:line, uvsadm -L -n is unchanged, traffic goes on.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                    |                                    | ----- e0 .12 rs2
#                    `---- r0 .254  rt  r1 .254 ----------' ----- e0 .13 rs3

. "$(dirname "$0")/lib.sh"
uvs_init reload 120 nginx wrk ss
need_uvsd	# reloads are uvsd's; no UVS_LB=nft variant

RELOADS=${RELOADS:-100}
WRK_SECONDS=${WRK_SECONDS:-120}	# upper bound: wrk_stop ends it
CONF=$TMPD/uvsd.conf

# write_conf FILE DR_RS2_OR_RS3 NAT_RS1_WEIGHT
write_conf()
{
	cat >"$1" <<EOF
# reload.sh: $(basename "$1")
interfaces = [ "d0", "d1" ];
expire_nodest_conn = false;
services = (
	{ protocol = "tcp"; address = "$VIP_DR"; port = 80;
	  scheduler = "rr"; method = "dr";
	  real_servers = (
		{ address = "${RS_IP[1]}"; },
		{ address = "$2"; } ); },
	{ protocol = "tcp"; address = "$VIP_NAT"; port = 80;
	  scheduler = "wrr"; method = "nat";
	  real_servers = (
		{ address = "${RS_IP[1]}"; weight = $3; },
		{ address = "${RS_IP[2]}"; weight = 1; },
		{ address = "${RS_IP[3]}"; weight = 1; } ); }
);
EOF
}

# use FILE: make FILE the active configuration, atomically.
use()
{
	cp "$1" "$CONF.tmp" && mv "$CONF.tmp" "$CONF" || die "cannot write $CONF"
}

status_field()
{
	ctl status | awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }'
}

commits()
{
	status_field commits
}

# reload_done N: the commit count reached N and the last reload was ok.
reload_done()
{
	local st

	st=$(ctl status)
	[ "$(printf '%s\n' "$st" | awk '$1 == "commits" { print $2 }')" -ge "$1" ] 2>/dev/null &&
	    printf '%s\n' "$st" | grep -q '^reload [0-9]* ok$'
}

reload_failed()
{
	ctl status | grep -q '^reload [0-9]* failed '
}

# Resets the real servers sent for segments of connections they did not
# know, summed over them: Tcp OutRsts less the ones their applications
# caused by closing or aborting sockets (TcpExt TCPAbortOn*: nginx closing
# with unread data, wrk's sockets closed at its end).  A segment that a
# reload sent to the wrong real server is answered by the first kind.
rs_resets()
{
	local i n=0 v

	for i in 1 2 3; do
		v=$(ip netns exec "${NS_RS[$i]}" awk '
		    $1 == "Tcp:" || $1 == "TcpExt:" {
			if (!($1 in hdr)) { hdr[$1] = 1
			    for (i = 2; i <= NF; i++) name[$1, i] = $i; next }
			for (i = 2; i <= NF; i++) {
			    k = name[$1, i]
			    if ($1 == "Tcp:" && k == "OutRsts") n += $i
			    if ($1 == "TcpExt:" && k ~ /^TCPAbortOn/) n -= $i
			}
		    } END { print n + 0 }' /proc/net/snmp /proc/net/netstat)
		n=$((n + v))
	done
	echo "$n"
}

# What the real servers' reset counters say, for a failure message.
rs_reset_detail()
{
	local i

	for i in 1 2 3; do
		printf 'rs%s: %s\n' "$i" "$(ip netns exec "${NS_RS[$i]}" \
		    nstat -asz 2>/dev/null | awk '$1 ~ /OutRsts|TCPAbortOn|TCPReset/ &&
		    $2 != 0 { printf "%s=%s ", $1, $2 }')"
	done
}

svc_conns()
{
	ctl list | awk -v s="$1" '$1 == "service" && $3 == s {
	    for (i = 1; i < NF; i++) if ($i == "conns") print $(i + 1) }'
}

# wrk_errors FILE: socket errors and non-2xx answers in wrk's report.
wrk_errors()
{
	awk '/Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
	    /Non-2xx/ { n += $NF } END { print n + 0 }' "$1"
}

lab_up 3
lab_servers 3
write_conf "$TMPD/a.conf" "${RS_IP[2]}" 1
write_conf "$TMPD/b.conf" "${RS_IP[3]}" 3
"$UVSD" -t -f "$TMPD/a.conf" || die "uvsd -t refuses a.conf"
"$UVSD" -t -f "$TMPD/b.conf" || die "uvsd -t refuses b.conf"
use "$TMPD/a.conf"
uvsd_start "$NS_D" -f "$CONF" ${UVSD_ARGS:---workers 2}
adm -L -n | sed 's/^/    /'
status_field config | grep -qxF "$CONF" ||
    fail "status does not name the file: config '$(status_field config)'"
http_is "$NS_C" "http://$VIP_DR/who" rs1 || http_is "$NS_C" "http://$VIP_DR/who" rs1 ||
    die "no answer through the DR service"
who_counts "http://$VIP_NAT/who" 5 >/dev/null

# --- 100 reloads under traffic
resets0=$(rs_resets)
nat0=$(svc_conns "$VIP_NAT:80")
for w in ka:"$VIP_DR":8 short:"$VIP_DR":2 short:"$VIP_NAT":4; do
	kind=${w%%:*}
	rest=${w#*:}
	vip=${rest%:*}
	conns=${rest#*:}
	hdr=()
	[ "$kind" = short ] && hdr=(-H 'Connection: close')
	ip netns exec "$NS_C" timeout --foreground $((WRK_SECONDS + 15)) \
	    wrk -t 1 -c "$conns" -d "${WRK_SECONDS}s" --timeout 5s "${hdr[@]}" \
	    "http://$vip/who" >"$TMPD/wrk-$kind-$vip.out" 2>&1 &
	track $!
	WRKS+=($!)
done
wait_until 20 0.1 false		# let wrk connect (2 s, bounded)
ka=$(ip netns exec "${NS_RS[2]}" ss -Htn state established '( sport = :80 )' | wc -l)
[ "$ka" -gt 0 ] && log "rs2 holds $ka connections, to outlive its removal" ||
    fail "no connection reached rs2 before the reloads; not a valid test"
n=$(commits)
t0=$(date +%s)
for i in $(seq "$RELOADS"); do
	if [ $((i % 2)) -eq 1 ]; then
		use "$TMPD/b.conf"
	else
		use "$TMPD/a.conf"
	fi
	n=$((n + 1))
	kill -HUP "$UVSD_PID" || die "cannot signal uvsd"
	wait_until 100 0.05 reload_done "$n" ||
	    die "reload $i not done after 5 s: $(ctl status | grep -E '^(commits|reload)' | tr '\n' ' ')"
done
t1=$(date +%s)
log "$RELOADS reloads in $((t1 - t0)) s"
for p in "${WRKS[@]}"; do
	kill -0 "$p" 2>/dev/null ||
	    fail "a wrk ended before the reloads did: raise WRK_SECONDS"
done
wrk_stop "${WRKS[@]}"
for p in "${WRKS[@]}"; do
	wait "$p"
done
for f in "$TMPD"/wrk-*.out; do
	reqs=$(awk '/requests in/ { print $1 }' "$f")
	errs=$(wrk_errors "$f")
	name=$(basename "$f" .out)
	log "$name: $(grep -E 'requests in|Socket errors|Non-2xx' "$f" | tr -s ' ' | tr '\n' ';')"
	if [ "${reqs:-0}" -eq 0 ]; then
		fail "$name: no requests: $(tail -n 5 "$f" | tr '\n' ' ')"
	elif [ "$errs" -ne 0 ]; then
		fail "$name: $errs errors in $reqs requests across $RELOADS reloads"
	else
		pass "$name: $reqs requests, 0 errors across $RELOADS reloads"
	fi
done
resets=$(( $(rs_resets) - resets0 ))
[ "$resets" -eq 0 ] && pass "real servers sent no reset" ||
    { fail "real servers sent $resets resets for unknown connections during the reloads"
      rs_reset_detail | sed 's/^/    /'; }
nreloaded=$(grep -c 'reloaded .*: 2 services, 5 real servers' "$UVSD_LOG")
[ "$nreloaded" -eq "$RELOADS" ] && pass "$RELOADS reloads logged" ||
    fail "$nreloaded 'reloaded' log lines, want $RELOADS"
# The NAT service was never removed: its counter kept every connection.
reqs=$(awk '/requests in/ { print $1 }' "$TMPD/wrk-short-$VIP_NAT.out")
nat1=$(svc_conns "$VIP_NAT:80")
if [ $((nat1 - nat0)) -ge "${reqs:-1}" ]; then
	pass "NAT service counted $((nat1 - nat0)) connections (wrk made $reqs)"
else
	fail "NAT service counters lost: $((nat1 - nat0)) connections counted, wrk made ${reqs:-?}"
fi
# list_conf FILE: uvsadm -L -n without the ActiveConn and InActConn
# columns (connections that wrk left keep expiring meanwhile).
list_conf()
{
	adm -L -n | sed -E 's/ +[0-9]+ +[0-9]+ *$//' >"$1"
}

# What runs is what the last file says (B after an odd count).
list_conf "$TMPD/list-before"
if [ $((RELOADS % 2)) -eq 0 ]; then gone=${RS_IP[3]}; else gone=${RS_IP[2]}; fi
ctl list tcp "$VIP_DR:80" | grep -qF " $gone:80 " &&
    fail "$gone still in the DR service after the last reload"

# --- a runtime edit is undone by the next reload: the file wins
adm -e -t "$VIP_NAT:80" -r "${RS_IP[2]}:80" -m -w 7 || fail "uvsadm -e failed"
n=$(( $(commits) + 1 ))
kill -HUP "$UVSD_PID"
wait_until 100 0.05 reload_done "$n" || fail "reload after uvsadm -e not done"
list_conf "$TMPD/list-after-edit"
cmp -s "$TMPD/list-before" "$TMPD/list-after-edit" &&
    pass "the reload undid the uvsadm edit" ||
    fail "after the reload, uvsadm -L -n differs: $(diff "$TMPD/list-before" "$TMPD/list-after-edit" | tr '\n' ' ')"

# --- a bad file is refused; nothing changes
cp "$CONF" "$TMPD/bad.conf"
sed -i 's/scheduler = "wrr"/scheduler = "wrrr"/' "$TMPD/bad.conf"
line=$(grep -n 'wrrr' "$TMPD/bad.conf" | cut -d: -f1)
if "$UVSD" -t -f "$TMPD/bad.conf" 2>"$TMPD/t.err"; then
	fail "uvsd -t accepts a file with an unknown scheduler"
else
	grep -qF "$TMPD/bad.conf:$line: unknown scheduler 'wrrr'" "$TMPD/t.err" &&
	    pass "uvsd -t: $(cat "$TMPD/t.err")" ||
	    fail "uvsd -t says '$(cat "$TMPD/t.err")'"
fi
gen=$(status_field generation)
use "$TMPD/bad.conf"
kill -HUP "$UVSD_PID"
wait_until 100 0.05 reload_failed || fail "the bad reload is not reported failed"
st=$(ctl status | grep '^reload ')
case $st in
*" failed $CONF:$line: unknown scheduler 'wrrr'")
	pass "status: $st";;
*)
	fail "status says '$st', want failed $CONF:$line: unknown scheduler 'wrrr'";;
esac
grep -qF "reload refused, keeping running configuration: $CONF:$line: unknown scheduler 'wrrr'" "$UVSD_LOG" &&
    pass "the log says why" || fail "no 'reload refused' line in the log"
[ "$(status_field generation)" = "$gen" ] || fail "the table changed on a refused reload"
list_conf "$TMPD/list-after-bad"
cmp -s "$TMPD/list-before" "$TMPD/list-after-bad" && pass "uvsadm -L -n unchanged" ||
    fail "uvsadm -L -n changed: $(diff "$TMPD/list-before" "$TMPD/list-after-bad" | tr '\n' ' ')"
c=$(who_counts "http://$VIP_NAT/who" 10)
d=$(who_counts "http://$VIP_DR/who" 10)
if [ "$(count_of fail "$c")" -ne 0 ] || [ "$(count_of fail "$d")" -ne 0 ]; then
	fail "traffic after the refused reload: nat $(echo $c), dr $(echo $d)"
else
	pass "traffic untouched: nat $(echo $c); dr $(echo $d)"
fi
uvsd_alive || fail "uvsd died"
lb_stop
finish
