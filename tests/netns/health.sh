#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Health checks in uvsd.  A DR service with rs1 (tcp check, the
# service's) and rs2 (exec check, its own: curl as user nobody), rs3 as
# the sorry server; interval 0.5 s, timeout 1 s, fall 1, rise 2;
# notify_up/notify_down of rs1 and quorum_down write files.  While
# a client keeps fetching /who: nginx on rs1 stops, and within fall x
# interval + timeout (+1 s) rs1 is down, the journal says so in STYLE's
# words, and every request after that is answered by rs2; a reload in
# the middle keeps rs1 down; nginx starts again and rs1 is back after
# rise checks; then rs1 and rs2 both stop and the sorry server answers
# everything, until they come back.  uvsadm -L -n keeps listing the
# configured real servers throughout; with --health, their state.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                    |                                    | ----- e0 .12 rs2
#                    `---- r0 .254  rt  r1 .254 ----------' ----- e0 .13 rs3

. "$(dirname "$0")/lib.sh"
uvs_init health 90 nginx
need_uvsd	# checks are uvsd's; no UVS_LB=nft variant

CONF=$TMPD/uvsd.conf
INTERVAL=0.5
TIMEOUT=1
RISE=2

write_conf()
{
	cat >"$CONF" <<EOF
interfaces = [ "d0", "d1" ];
services = (
	{ protocol = "tcp"; address = "$VIP_DR"; port = 80;
	  scheduler = "rr"; method = "dr";
	  check = { type = "tcp"; interval = $INTERVAL; timeout = $TIMEOUT;
		    retry = 0; rise = $RISE; fall = 1; };
	  sorry_server = { address = "${RS_IP[3]}"; };
	  quorum_down = "touch $TMPD/quorum.down";
	  real_servers = (
		{ address = "${RS_IP[1]}";
		  notify_down = "echo down >>$TMPD/rs1.notify";
		  notify_up = "echo up >>$TMPD/rs1.notify"; },
		{ address = "${RS_IP[2]}";
		  check = { type = "exec"; user = "nobody";
			    command = "curl -sf --max-time 1 -o /dev/null http://${RS_IP[2]}/who"; }; } ); }
);
EOF
}

# state RIP: up, down or none, from the list verb.
state()
{
	ctl list | awk -v r="$1:80" '$1 == "server" && $4 == r {
	    for (i = 5; i < NF; i++) if ($i == "health") s = $(i + 1) }
	    END { print s ? s : "none" }'
}

is_state()
{
	[ "$(state "$1")" = "$2" ]
}

nginx_stop()
{
	local pid

	pid=$(cat "$TMPD/nginx-rs$1/nginx.pid" 2>/dev/null) ||
	    die "no nginx pid for rs$1"
	kill "$pid"
	wait_until 50 0.1 proc_gone "$pid" || die "nginx of rs$1 still runs"
}

nginx_again()
{
	nginx_start "${NS_RS[$1]}" "rs$1" "$TMPD/www"
	wait_tcp_listen "${NS_RS[$1]}" 80
}

now_ms()
{
	date +%s%3N
}

# within NAME LIMIT_MS cmd...: cmd becomes true within LIMIT_MS.
within()
{
	local name=$1 limit=$2 t0 t

	shift 2
	t0=$(now_ms)
	if ! wait_until 200 0.05 "$@"; then
		fail "$name: not after 10 s"
		return 1
	fi
	t=$(( $(now_ms) - t0 ))
	if [ "$t" -le "$limit" ]; then
		pass "$name after $t ms (at most $limit)"
	else
		fail "$name after $t ms, more than $limit"
	fi
}

# only WHO N: N fresh requests, all answered by WHO.
only()
{
	local c

	c=$(who_counts "http://$VIP_DR/who" "$2")
	if [ "$(count_of "$1" "$c")" -eq "$2" ]; then
		pass "$2 requests, all answered by $1"
	else
		fail "want $2 answers from $1, got: $(printf '%s' "$c" | tr '\n' ' ')"
	fi
}

lab_up 3
lab_servers 3
write_conf
"$UVSD" -t -f "$CONF" || die "uvsd -t refuses the file"
uvsd_start "$NS_D" -f "$CONF" ${UVSD_ARGS:---workers 2}
adm -L -n >"$TMPD/list0"
sed 's/^/    /' "$TMPD/list0"
wait_until 100 0.1 is_state "${RS_IP[1]}" up || fail "rs1 not up"
wait_until 100 0.1 is_state "${RS_IP[2]}" up || fail "rs2 not up"
ctl health | sed 's/^/    /'
c=$(who_counts "http://$VIP_DR/who" 20)
[ "$(count_of rs1 "$c")" -gt 0 ] && [ "$(count_of rs2 "$c")" -gt 0 ] &&
    [ "$(count_of rs3 "$c")" -eq 0 ] && [ "$(count_of fail "$c")" -eq 0 ] &&
    pass "rs1 and rs2 answer, not the sorry server" ||
    fail "all up: $(printf '%s' "$c" | tr '\n' ' ')"

# --- rs1 stops while requests flow
ip netns exec "$NS_C" sh -c "while :; do curl -s --max-time 2 \
    -o /dev/null http://$VIP_DR/who; done" >/dev/null 2>&1 &
track $!
LOOP=$!
nginx_stop 1
limit=$(awk -v i="$INTERVAL" -v t="$TIMEOUT" 'BEGIN { print (i + t + 1) * 1000 }')
within "rs1 down" "$limit" is_state "${RS_IP[1]}" down
only rs2 20
wait_until 20 0.1 test -s "$TMPD/rs1.notify" &&
    [ "$(cat "$TMPD/rs1.notify")" = down ] &&
    pass "notify_down ran" || fail "notify_down did not run: '$(cat "$TMPD/rs1.notify" 2>/dev/null)'"
grep -qF "tcp $VIP_DR:80: real server ${RS_IP[1]}:80 down (connect: Connection refused)" \
    "$UVSD_LOG" && pass "the journal says rs1 is down and why" ||
    fail "no 'real server ${RS_IP[1]}:80 down (...)' line"
servers()
{
	awk '$1 == "->" && $2 != "RemoteAddress:Port" { print $2, $3, $4 }'
}
adm -L -n --health | grep -q -- "-> ${RS_IP[1]}:80 *Route *1 *down *connect: Connection refused$" &&
    pass "uvsadm -L -n --health shows rs1 down and why" ||
    fail "uvsadm -L -n --health: $(adm -L -n --health | tr '\n' '|')"
[ "$(servers <"$TMPD/list0")" = "$(adm -L -n | servers)" ] &&
    pass "uvsadm -L -n lists the configured servers unchanged" ||
    fail "uvsadm -L -n changed: $(adm -L -n | tr '\n' '|')"

# --- a reload keeps the down state
n=$(ctl status | awk '$1 == "commits" { print $2 }')
kill -HUP "$UVSD_PID"
wait_until 50 0.1 grep -q "^reloaded\|reloaded $CONF" "$UVSD_LOG" ||
    fail "no reload logged"
is_state "${RS_IP[1]}" down && pass "rs1 still down after the reload" ||
    fail "rs1 is $(state "${RS_IP[1]}") right after the reload"
only rs2 10
log "commits $n before the reload, $(ctl status | awk '$1 == "commits" { print $2 }') after"

# --- rs1 comes back after rise checks
nginx_again 1
limit=$(awk -v i="$INTERVAL" -v r="$RISE" 'BEGIN { print (i * r + 1) * 1000 }')
within "rs1 up again" "$limit" is_state "${RS_IP[1]}" up
grep -qF "tcp $VIP_DR:80: real server ${RS_IP[1]}:80 up (connect succeeded)" \
    "$UVSD_LOG" && pass "the journal says rs1 is up" ||
    fail "no 'real server ${RS_IP[1]}:80 up (connect succeeded)' line"
c=$(who_counts "http://$VIP_DR/who" 20)
[ "$(count_of rs1 "$c")" -gt 0 ] && [ "$(count_of fail "$c")" -eq 0 ] &&
    pass "rs1 takes requests again" ||
    fail "after rs1 came back: $(printf '%s' "$c" | tr '\n' ' ')"

# --- every real server down: the sorry server
nginx_stop 1
nginx_stop 2
within "rs1 down" 5000 is_state "${RS_IP[1]}" down
within "rs2 down (exec)" 5000 is_state "${RS_IP[2]}" down
only rs3 10
grep -q "real server ${RS_IP[2]}:80 down (exit [0-9]*)" "$UVSD_LOG" &&
    pass "the exec check says how curl exited" ||
    fail "no 'real server ${RS_IP[2]}:80 down (exit N)' line"
grep -qF "tcp $VIP_DR:80: quorum lost, sorry server in" "$UVSD_LOG" &&
    pass "quorum loss logged" || fail "no 'quorum lost' line"
wait_until 20 0.1 test -e "$TMPD/quorum.down" && pass "quorum_down ran" ||
    fail "quorum_down did not run"
[ "$(tr '\n' ' ' <"$TMPD/rs1.notify")" = "down up down " ] &&
    pass "notify_up ran when rs1 came back" ||
    fail "notify scripts ran as: $(tr '\n' ' ' <"$TMPD/rs1.notify")"
nginx_again 1
nginx_again 2
within "rs2 up again (exec)" 10000 is_state "${RS_IP[2]}" up
within "rs1 up again" 10000 is_state "${RS_IP[1]}" up
c=$(who_counts "http://$VIP_DR/who" 20)
[ "$(count_of rs3 "$c")" -eq 0 ] && [ "$(count_of fail "$c")" -eq 0 ] &&
    pass "the sorry server is out again" ||
    fail "after recovery: $(printf '%s' "$c" | tr '\n' ' ')"
kill "$LOOP" 2>/dev/null
uvsd_alive || fail "uvsd died"
finish
