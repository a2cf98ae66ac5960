#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# How many health checks a second uvsd's control thread (one core)
# completes (not part of make check; root; about 30 s).  One NAT service
# with N real servers, all rs1's address on ports 10000.., each with a
# tcp check every INTERVAL seconds; nginx in rs1 listens on
# every one of those ports, so every check is a full connect.  The
# real server's side of each connection runs on the same machine (veth),
# so the figure is a lower bound for checks of remote servers.  The rate
# is read from the health verb's attempt counter over SECONDS; the time
# uvsadm -L -n takes meanwhile shows whether the admin socket waits.
#
# usage: health-rate.sh [N] [INTERVAL] [SECONDS]   (defaults 2000 0.05 10)

. "$(dirname "$0")/../netns/lib.sh"
uvs_init health-rate 120 nginx
need_uvsd

N=${1:-2000}
INTERVAL=${2:-0.05}
SECONDS_RUN=${3:-10}
CONF=$TMPD/uvsd.conf

attempts()
{
	ctl health | awk '$1 == "attempts" { print $2 }'
}

lab_up 1
d=$TMPD/nginx-bench
mkdir -p "$d"
{
	printf 'worker_processes 2;\ndaemon off;\nuser root;\npid %s/nginx.pid;\n' "$d"
	printf 'error_log %s/error.log warn;\nevents { worker_connections 4096; }\n' "$d"
	printf 'http {\n\taccess_log off;\n\tserver {\n'
	for i in $(seq 0 $((N - 1))); do
		printf '\t\tlisten %d backlog=4096;\n' $((10000 + i))
	done
	printf '\t\treturn 200;\n\t}\n}\n'
} >"$d/nginx.conf"
bg_run "${NS_RS[1]}" "$d/stdout.log" nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
wait_until 100 0.1 tcp_listening "${NS_RS[1]}" $((10000 + N - 1)) ||
    die "nginx does not listen on $((10000 + N - 1)): $(tail -n 3 "$d/error.log")"
{
	printf 'interfaces = [ "d0", "d1" ];\nservices = ( {\n'
	printf '  protocol = "tcp"; address = "%s"; port = 80; method = "nat";\n' "$VIP_NAT"
	printf '  check = { type = "tcp"; interval = %s; timeout = 2; retry = 0; warmup = %s; };\n' "$INTERVAL" "$INTERVAL"
	printf '  real_servers = (\n'
	for i in $(seq 0 $((N - 1))); do
		[ "$i" -gt 0 ] && printf ',\n'
		printf '    { address = "%s"; port = %d; }' "${RS_IP[1]}" $((10000 + i))
	done
	printf ' ); } );\n'
} >"$CONF"
uvsd_start "$NS_D" -f "$CONF" --workers 1
sleep 2
a0=$(attempts)
t0=$(date +%s%N)
worst=0
for i in $(seq "$SECONDS_RUN"); do
	s=$(date +%s%N)
	adm -L -n >/dev/null || fail "uvsadm -L -n failed"
	e=$(( ($(date +%s%N) - s) / 1000000 ))
	[ "$e" -gt "$worst" ] && worst=$e
	sleep 1
done
a1=$(attempts)
t1=$(date +%s%N)
down=$(ctl health | grep -c 'state down')
rate=$(awk -v a="$((a1 - a0))" -v t="$((t1 - t0))" 'BEGIN { printf "%d", a / (t / 1e9) }')
want=$(awk -v n="$N" -v i="$INTERVAL" 'BEGIN { printf "%d", n / i }')
cpu=$(ps -o time= -p "$UVSD_PID")
log "$N checks every ${INTERVAL}s (asked: $want/s): $rate checks/s done, $down down, uvsadm -L -n at most ${worst} ms, uvsd cpu $cpu"
[ "$down" -eq 0 ] || fail "$down checks down"
finish
