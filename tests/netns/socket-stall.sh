#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The admin socket under bad clients.  One client sends half a request
# and stalls; another sends requests and never reads the replies.  Two
# clients meanwhile make 500 requests each (uvsadm -L -n, one connection
# each; "status" round trips on one connection): every one must succeed,
# none may take a second, all within 10 s together.  uvsd still forwards
# (curl through a NAT service), the half-line client is cut after the
# idle timeout (10 s), the one that never reads too, and a connection
# from another user is refused with EACCES.
#
#   c: c0 .2 ---- br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1

. "$(dirname "$0")/lib.sh"
uvs_init socket-stall 90 nginx python3 setpriv
need_uvsd	# the admin socket is uvsd's

N=${N:-500}
IDLE=10		# CTL_IDLE_TIMEOUT

# A small client: "half" sends half a line and waits for uvsd to close,
# "noread" sends requests and never reads, "hammer N VERB" makes N round
# trips; each prints what it measured.
cat >"$TMPD/client.py" <<'EOF'
import socket, sys, time

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
mode = sys.argv[2]
t0 = time.monotonic()
if mode == "half":
    s.sendall(b"lis")
    s.settimeout(60)
    try:
        while s.recv(4096):
            pass
    except OSError:
        pass
    print("closed after %.1f" % (time.monotonic() - t0))
elif mode == "noread":
    s.setblocking(False)
    sent = 0
    try:
        while time.monotonic() - t0 < 60:
            try:
                sent += s.send(b"list\nstatus\nhelp\n" * 64)
            except BlockingIOError:
                time.sleep(0.05)
    except OSError:
        pass
    print("closed after %.1f, %d bytes sent" % (time.monotonic() - t0, sent))
else:
    n, verb = int(sys.argv[3]), sys.argv[4].encode()
    f = s.makefile("rb")
    worst = 0.0
    for i in range(n):
        t = time.monotonic()
        s.sendall(verb + b"\n")
        while True:
            line = f.readline()
            if not line:
                print("closed at request %d" % i)
                sys.exit(1)
            if line == b"OK\n" or line.startswith(b"ERR "):
                break
        if line != b"OK\n":
            print("request %d: %s" % (i, line.decode().strip()))
            sys.exit(1)
        worst = max(worst, time.monotonic() - t)
    print("%d in %.2f s, worst %.3f s" % (n, time.monotonic() - t0, worst))
EOF

lab_up 1
lab_servers 1
lb_start "$NS_D" d1 d0 d1
adm -A -t "$VIP_NAT:80" -s rr || die "uvsadm -A"
adm -a -t "$VIP_NAT:80" -r "${RS_IP[1]}:80" -m || die "uvsadm -a"
http_is "$NS_C" "http://$VIP_NAT/who" rs1 || die "no answer through uvsd"

# --- the bad clients
python3 "$TMPD/client.py" "$UVSD_SOCK" half >"$TMPD/half.out" 2>&1 &
half=$!
track "$half"
python3 "$TMPD/client.py" "$UVSD_SOCK" noread >"$TMPD/noread.out" 2>&1 &
noread=$!
track "$noread"
wait_until 10 0.1 false	# both connected and stuck (1 s)

# --- two clients that behave, at the same time
t0=$(date +%s%N)
(
	worst=0
	for i in $(seq "$N"); do
		a=$(date +%s%N)
		adm -L -n >/dev/null 2>>"$TMPD/list.err" || {
			echo "request $i failed"
			exit 1
		}
		b=$(( ($(date +%s%N) - a) / 1000000 ))
		[ "$b" -gt "$worst" ] && worst=$b
	done
	echo "$N in $(( ($(date +%s%N) - t0) / 1000000 )) ms, worst $worst ms"
) >"$TMPD/list.out" 2>&1 &
lister=$!
track "$lister"
python3 "$TMPD/client.py" "$UVSD_SOCK" hammer "$N" status \
    >"$TMPD/status.out" 2>&1 &
hammer=$!
track "$hammer"
wait "$lister"
lrc=$?
wait "$hammer"
hrc=$?
t1=$(date +%s%N)
total=$(( (t1 - t0) / 1000000 ))
log "uvsadm -L -n: $(cat "$TMPD/list.out")"
log "status: $(cat "$TMPD/status.out")"
[ "$lrc" -eq 0 ] && pass "$N uvsadm -L -n succeeded" ||
    fail "uvsadm -L -n: $(cat "$TMPD/list.out") $(head -c 200 "$TMPD/list.err")"
[ "$hrc" -eq 0 ] && pass "$N status round trips succeeded" ||
    fail "status: $(cat "$TMPD/status.out")"
# A request queued behind a stalled client would wait for its 10 s idle
# cut; anything well under that shows nobody waited.  Not a speed test:
# the total is only logged (it depends on the machine and sanitizers).
worst=$(sed -n 's/.*worst \([0-9]*\) ms/\1/p' "$TMPD/list.out")
[ "${worst:-9999}" -lt 3000 ] || fail "a uvsadm -L -n took ${worst:-?} ms"
awk '/worst/ { exit !($NF + 0 < 3.0) }' "$TMPD/status.out" ||
    fail "a status round trip took 3 s or more"
log "both hammers done in $total ms while two clients stall"
http_is "$NS_C" "http://$VIP_NAT/who" rs1 && pass "uvsd still forwards" ||
    fail "no answer through uvsd while clients stall"

# --- the stalled ones are cut after the idle timeout
wait_until $(((IDLE + 10) * 10)) 0.1 proc_gone "$half" ||
    fail "the half-line client is still connected $((IDLE + 10)) s on"
wait_until 100 0.1 proc_gone "$noread" ||
    fail "the client that never reads is still connected"
h=$(sed -n 's/closed after \([0-9.]*\).*/\1/p' "$TMPD/half.out")
if awk -v t="${h:-0}" -v i="$IDLE" 'BEGIN { exit !(t >= i - 0.5 && t < i + 5) }'; then
	pass "half-line client cut after $h s"
else
	fail "half-line client: '$(cat "$TMPD/half.out")', want cut after ${IDLE} s"
fi
r=$(sed -n 's/closed after \([0-9.]*\),.*/\1/p' "$TMPD/noread.out")
if awk -v t="${r:-99}" -v i="$IDLE" 'BEGIN { exit !(t < i + 10) }'; then
	pass "client that never reads cut: $(cat "$TMPD/noread.out")"
else
	fail "client that never reads: '$(cat "$TMPD/noread.out")'"
fi
grep -q 'sent half a request and nothing for' "$UVSD_LOG" ||
    fail "no log line for the half-line client"
grep -q 'read none of its' "$UVSD_LOG" ||
    fail "no log line for the client that never reads"

# --- another user is refused, even when the socket's mode would let it in
chmod 0711 "$TMPD"
chmod 0666 "$UVSD_SOCK"
if setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$UVSADM" --socket "$UVSD_SOCK" -L -n >"$TMPD/nobody.out" 2>&1; then
	fail "uid 65534 may list: $(head -c 200 "$TMPD/nobody.out")"
else
	grep -q 'permission denied' "$TMPD/nobody.out" &&
	    pass "uid 65534 refused: $(cat "$TMPD/nobody.out")" ||
	    fail "uid 65534: '$(cat "$TMPD/nobody.out")'"
fi
grep -q 'refusing client pid [0-9]* uid 65534 gid 65534' "$UVSD_LOG" &&
    pass "the refusal is logged" || fail "no log line for the refused client"
chmod 0660 "$UVSD_SOCK"
chmod 0700 "$TMPD"
adm -L -n >/dev/null || fail "uvsadm fails after the bad clients"
uvsd_alive || fail "uvsd died"
lb_stop
finish
