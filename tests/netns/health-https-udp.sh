#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The https and udp checkers in uvsd, against real servers.  A DR tcp
# service on port 80 checked by https on port 443 (openssl s_server with
# a self-signed certificate, SNI test.example, the md5 of /check.txt),
# and a DR udp service on port 9000 checked by udp (payload "ping\n",
# the same required back) on the echo servers.  rs1's TLS server stops:
# rs1 is down for "connect refused" within fall x interval + timeout and
# every request goes to rs2; it starts again and rs1 is back after rise
# checks; rs1's /check.txt changes: down for "digest mismatch", back
# when it is restored.  rs2's udp echoes stop: rs2 is down for "port
# unreachable" and the udp service keeps answering through rs1.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                    |                                    `------ e0 .12 rs2
#                    `---- r0 .254  rt  r1 .254 ---------'

. "$(dirname "$0")/lib.sh"
uvs_init health-https-udp 90 nginx openssl
need_uvsd

CONF=$TMPD/uvsd.conf
INTERVAL=0.5
TIMEOUT=1
RISE=2
TLS_PID=(none)

# tls_start I: s_server on rs I port 443 serving $TMPD/tls-rsI/.
tls_start()
{
	local d=$TMPD/tls-rs$1

	bg_run "${NS_RS[$1]}" "$d.log" sh -c "cd '$d' && exec openssl \
	    s_server -accept 443 -cert '$TMPD/cert.pem' -key '$TMPD/key.pem' \
	    -WWW -quiet -servername test.example -cert2 '$TMPD/cert.pem' \
	    -key2 '$TMPD/key.pem' -servername_fatal"
	TLS_PID[$1]=$BG_PID
	wait_tcp_listen "${NS_RS[$1]}" 443
}

tls_stop()
{
	kill "${TLS_PID[$1]}"
	wait_until 50 0.1 proc_gone "${TLS_PID[$1]}" ||
	    die "s_server of rs$1 still runs"
}

write_conf()
{
	cat >"$CONF" <<EOF
interfaces = [ "d0", "d1" ];
services = (
	{ protocol = "tcp"; address = "$VIP_DR"; port = 80;
	  scheduler = "rr"; method = "dr";
	  check = { type = "https"; connect_port = 443; path = "/check.txt";
		    digest = "$DIGEST"; virtualhost = "test.example";
		    sni = true; interval = $INTERVAL; timeout = $TIMEOUT;
		    retry = 0; rise = $RISE; fall = 1; };
	  real_servers = ( { address = "${RS_IP[1]}"; },
			   { address = "${RS_IP[2]}"; } ); },
	{ protocol = "udp"; address = "$VIP_DR"; port = 9000;
	  scheduler = "rr"; method = "dr";
	  check = { type = "udp"; payload = "70696e670a";
		    require_reply = "70696e670a"; interval = $INTERVAL;
		    timeout = $TIMEOUT; retry = 0; rise = $RISE; fall = 1; };
	  real_servers = ( { address = "${RS_IP[1]}"; },
			   { address = "${RS_IP[2]}"; } ); }
);
EOF
}

# state PROTO PORT RIP: up, down or none, from the list verb.
state()
{
	ctl list | awk -v p="$1" -v v="$VIP_DR:$2" -v r="$3:$2" '
	    $1 == "server" && $2 == p && $3 == v && $4 == r {
	    for (i = 5; i < NF; i++) if ($i == "health") s = $(i + 1) }
	    END { print s ? s : "none" }'
}

is_state()
{
	[ "$(state "$1" "$2" "$3")" = "$4" ]
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

logged()
{
	grep -qF "$1" "$UVSD_LOG" && pass "journal: $1" ||
	    fail "no '$1' line"
}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$TMPD/key.pem" -out "$TMPD/cert.pem" -days 2 -subj /CN=test \
    >"$TMPD/req.log" 2>&1 || die "cannot make a certificate"
lab_up 2
lab_servers 2
for i in 1 2; do
	mkdir -p "$TMPD/tls-rs$i"
	echo "healthy" >"$TMPD/tls-rs$i/check.txt"
	tls_start "$i"
done
DIGEST=$(md5sum <"$TMPD/tls-rs1/check.txt" | cut -d' ' -f1)
write_conf
"$UVSD" -t -f "$CONF" || die "uvsd -t refuses the file"
uvsd_start "$NS_D" -f "$CONF" ${UVSD_ARGS:---workers 2}
for i in 1 2; do
	wait_until 100 0.1 is_state tcp 80 "${RS_IP[$i]}" up ||
	    fail "rs$i not up by https"
	wait_until 100 0.1 is_state udp 9000 "${RS_IP[$i]}" up ||
	    fail "rs$i not up by udp"
done
ctl health | sed 's/^/    /'
c=$(who_counts "http://$VIP_DR/who" 20)
[ "$(count_of rs1 "$c")" -gt 0 ] && [ "$(count_of rs2 "$c")" -gt 0 ] &&
    [ "$(count_of fail "$c")" -eq 0 ] &&
    pass "https checks pass: rs1 and rs2 answer" ||
    fail "all up: $(printf '%s' "$c" | tr '\n' ' ')"

# --- rs1's TLS server stops
limit=$(awk -v i="$INTERVAL" -v t="$TIMEOUT" 'BEGIN { print (i + t + 1) * 1000 }')
tls_stop 1
within "rs1 down (https)" "$limit" is_state tcp 80 "${RS_IP[1]}" down
only rs2 10
# An attempt in flight when the server stops fails its handshake instead.
grep -qE "tcp $VIP_DR:80: real server ${RS_IP[1]}:80 down \((connect refused|tls handshake failed)\)" \
    "$UVSD_LOG" && pass "journal: rs1 down (connect refused or tls handshake failed)" ||
    fail "no 'real server ${RS_IP[1]}:80 down (connect refused)' line"

tls_start 1
limit=$(awk -v i="$INTERVAL" -v r="$RISE" 'BEGIN { print (i * r + 1) * 1000 }')
within "rs1 up again (https)" "$limit" is_state tcp 80 "${RS_IP[1]}" up
logged "tcp $VIP_DR:80: real server ${RS_IP[1]}:80 up (status 200)"

# --- rs1's page changes: the digest no longer matches
echo "broken" >"$TMPD/tls-rs1/check.txt"
within "rs1 down (digest)" 5000 is_state tcp 80 "${RS_IP[1]}" down
only rs2 10
logged "tcp $VIP_DR:80: real server ${RS_IP[1]}:80 down (digest mismatch)"
echo "healthy" >"$TMPD/tls-rs1/check.txt"
within "rs1 up again (digest)" 5000 is_state tcp 80 "${RS_IP[1]}" up
c=$(who_counts "http://$VIP_DR/who" 20)
[ "$(count_of rs1 "$c")" -gt 0 ] && [ "$(count_of fail "$c")" -eq 0 ] &&
    pass "rs1 takes requests again" ||
    fail "after rs1 came back: $(printf '%s' "$c" | tr '\n' ' ')"

# --- rs2's udp echoes stop (the lab's socats, found by their port)
for pid in $(ip netns pids "${NS_RS[2]}"); do
	grep -qa "UDP4-RECVFROM:9000" "/proc/$pid/cmdline" 2>/dev/null &&
	    kill "$pid"
done
wait_until 50 0.1 sh -c "! ip netns exec '${NS_RS[2]}' ss -Hlun 'sport = :9000' | grep -q ." ||
    die "rs2's udp echo still runs"
within "rs2 down (udp)" 5000 is_state udp 9000 "${RS_IP[2]}" down
logged "udp $VIP_DR:9000: real server ${RS_IP[2]}:9000 down (port unreachable)"
is_state udp 9000 "${RS_IP[1]}" up && pass "rs1 still up by udp" ||
    fail "rs1 is $(state udp 9000 "${RS_IP[1]}") by udp"
ok=0
for i in $(seq 10); do
	udp_echo_check "$VIP_DR" 9000 64 && ok=$((ok + 1))
done
[ "$ok" -eq 10 ] && pass "10 udp echoes through the service, rs2 down" ||
    fail "$ok of 10 udp echoes"
uvsd_alive || fail "uvsd died"
# Checks are in flight at any moment: stopping must release them all
# (under --enable-sanitizers, LeakSanitizer would say otherwise).
uvsd_stop TERM || fail "uvsd did not stop within 5 s"
[ "$UVSD_STATUS" = 0 ] && pass "uvsd stops cleanly" ||
    fail "uvsd exited with status $UVSD_STATUS"
grep -q "Sanitizer\|runtime error" "$UVSD_LOG" &&
    fail "sanitizer: $(grep -m1 "Sanitizer\|runtime error" "$UVSD_LOG")"
finish
