#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sd_notify and the watchdog against a real NOTIFY_SOCKET listener, as
# systemd would run uvsd (this machine's PID 1 need not be systemd).  A
# python3 listener receives uvsd's datagrams with the sender's
# credentials; at READY=1 it checks on the spot that the admin socket
# accepts and that the packet rings exist.  uvsd runs from a file with
# WATCHDOG_USEC=1 s (fed every 0.5 s) and WATCHDOG_PID set to its own pid
# (sd_watchdog_enabled() checks it).  Checks: READY=1 once, after the
# socket and the rings; a STATUS= line a person can read; WATCHDOG=1
# every half second; SIGHUP: RELOADING=1 then READY=1 with the new counts,
# a refused file: READY=1 and "reload refused"; one worker frozen (ptrace
# stops that thread alone, nothing in uvsd helps): WATCHDOG=1 stops, the
# log names the worker, STATUS= says so, and feeding resumes once it runs
# again; SIGTERM: STOPPING=1 and exit 0.  Every datagram came from uvsd's
# pid (NotifyAccess=main suffices).  Then log.c's journal entries: uvsd
# again, its stderr named by JOURNAL_STREAM and a fake journald socket
# in a private mount namespace: native entries with PRIORITY=,
# SYSLOG_IDENTIFIER= and UVS_WORKER= for a stuck worker, nothing on the
# stream itself.  Then the unit this build made:
# `systemd-analyze verify` must be silent and `systemd-analyze security
# --offline=yes` must rate it 3.0 or better (both only logged as skipped
# where systemd-analyze is missing or too old).
#
#   ns d: d0 10.0.1.1 (uvsd --workers 2) ---- veth ---- p0 10.0.1.2 ns p

. "$(dirname "$0")/lib.sh"
uvs_init notify 90 python3
need_uvsd

CONF=$TMPD/uvsd.conf
NSOCK=$TMPD/notify.sock
NLOG=$TMPD/notify.log
NWORKERS=2

# write_conf NRS: one service with NRS real servers, or a broken file.
write_conf()
{
	local i rs=""

	for i in $(seq "$1"); do
		rs="$rs${rs:+, }{ address = \"10.0.1.$((10 + i))\"; }"
	done
	cat >"$CONF.tmp" <<EOF
interfaces = [ "d0" ];
services = (
	{ protocol = "tcp"; address = "203.0.113.10"; port = 80;
	  scheduler = "rr"; method = "dr"; real_servers = ( $rs ); }
);
EOF
	mv "$CONF.tmp" "$CONF" || die "cannot write $CONF"
}

# The listener: one line per field, "<seconds> <pid> NAME=value".
cat >"$TMPD/listen.py" <<'EOF'
import os, socket, struct, sys, time
path, logf, ctl = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind(path)
out = open(logf, "a", buffering=1)
t0 = time.monotonic()
while True:
    data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
    pid = -1
    for lvl, typ, val in anc:
        if lvl == socket.SOL_SOCKET and typ == socket.SCM_CREDENTIALS:
            pid = struct.unpack("iII", val[:12])[0]
    t = time.monotonic() - t0
    for f in data.decode(errors="replace").split("\n"):
        if f:
            out.write("%.3f %d %s\n" % (t, pid, f))
    if b"READY=1" in data.split(b"\n"):
        # What is true at the moment READY=1 arrives.
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            c.connect(ctl)
            out.write("%.3f %d check-socket=ok\n" % (t, pid))
        except OSError as e:
            out.write("%.3f %d check-socket=%s\n" % (t, pid, e))
        c.close()
        try:
            n = len(open("/proc/%d/net/packet" % pid).readlines()) - 1
        except OSError:
            n = -1
        out.write("%.3f %d check-rings=%d\n" % (t, pid, n))
EOF

# Freeze one thread with ptrace (the others run on) for N seconds.
cat >"$TMPD/freeze.py" <<'EOF'
import ctypes, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p,
    ctypes.c_void_p]
tid, secs = int(sys.argv[1]), float(sys.argv[2])
PTRACE_SEIZE, PTRACE_INTERRUPT = 0x4206, 0x4207
if libc.ptrace(PTRACE_SEIZE, tid, None, None) != 0 or \
   libc.ptrace(PTRACE_INTERRUPT, tid, None, None) != 0:
    sys.exit("ptrace %d: errno %d" % (tid, ctypes.get_errno()))
print("frozen", flush=True)
time.sleep(secs)
# Exiting detaches: the thread runs again.
EOF

count()
{
	grep -c -- " $1\$" "$NLOG"
}

count_since()
{
	awk -v t="$1" -v f="$2" '$1 >= t && $3 == f { n++ } END { print n + 0 }' "$NLOG"
}

now_t()
{
	tail -n 1 "$NLOG" | cut -d' ' -f1
}

has()
{
	grep -q -- "$1" "$NLOG"
}

# fields_after A B: line number of the first B after the last A.
seen_after()
{
	awk -v a="$1" -v b="$2" '$3 ~ a { s = NR } s && NR > s && $3 ~ b { f = 1 }
	    END { exit !f }' "$NLOG"
}

ns_new NS_D d
ns_new NS_P p
veth "$NS_D" d0 "$NS_P" p0
ip -n "$NS_D" addr add 10.0.1.1/24 dev d0
ip -n "$NS_P" addr add 10.0.1.2/24 dev p0
write_conf 2

UVSD_SOCK=$TMPD/uvsd.sock
python3 "$TMPD/listen.py" "$NSOCK" "$NLOG" "$UVSD_SOCK" \
    >"$TMPD/listen.out" 2>&1 &
track $!
: >"$NLOG"
wait_until 50 0.1 test -S "$NSOCK" || die "the listener did not bind $NSOCK"

UVSD_LOG=$TMPD/uvsd.log
bg_run "$NS_D" "$UVSD_LOG" env NOTIFY_SOCKET="$NSOCK" WATCHDOG_USEC=1000000 \
    sh -c 'WATCHDOG_PID=$$; export WATCHDOG_PID; exec "$@"' sh \
    "$UVSD" --foreground --socket "$UVSD_SOCK" --workers "$NWORKERS" \
    -f "$CONF"
UVSD_PID=$BG_PID
wait_until 100 0.1 has ' READY=1$' || die "no READY=1 within 10 s"
log "uvsd ready (pid $UVSD_PID)"

[ "$(count 'READY=1')" -eq 1 ] && pass "one READY=1" ||
    fail "$(count 'READY=1') READY=1 at start"
has ' check-socket=ok$' && pass "the admin socket answered at READY=1" ||
    fail "admin socket at READY=1: $(grep check-socket "$NLOG")"
rings=$(grep -o 'check-rings=-\?[0-9]*' "$NLOG" | head -n 1 | cut -d= -f2)
[ "${rings:--1}" -ge "$NWORKERS" ] &&
    pass "$rings packet sockets open at READY=1" ||
    fail "packet sockets at READY=1: '$rings', want >= $NWORKERS"
st=$(grep ' STATUS=' "$NLOG" | head -n 1 | cut -d' ' -f3-)
case $st in
"STATUS=2 workers on d0, 1 service, 2 real servers, 0 connections")
	pass "status: $st" ;;
*)	fail "first status: '$st'" ;;
esac
others=$(awk -v p="$UVSD_PID" '$2 != p' "$NLOG" | grep -v ' check-')
[ -z "$others" ] && pass "every datagram came from uvsd's pid" ||
    fail "datagrams from other pids: $(printf '%s' "$others" | head -n 3)"

# The watchdog: fed every 0.5 s while the workers run.
t=$(now_t)
sleep 3
n=$(count_since "$t" WATCHDOG=1)
[ "$n" -ge 4 ] && pass "$n WATCHDOG=1 in 3 s" ||
    fail "$n WATCHDOG=1 in 3 s, want >= 4"

# Reloads: RELOADING=1 then READY=1, applied and refused.
write_conf 3
kill -HUP "$UVSD_PID"
wait_until 50 0.1 seen_after RELOADING=1 READY=1 ||
    fail "no RELOADING=1 then READY=1 after SIGHUP"
grep -q ' MONOTONIC_USEC=[0-9]*$' "$NLOG" &&
    pass "RELOADING=1 carries MONOTONIC_USEC" ||
    fail "RELOADING=1 without MONOTONIC_USEC"
wait_until 50 0.1 has 'STATUS=reloaded .*: 1 services, 3 real servers' &&
    pass "reload: RELOADING=1, READY=1, status with 3 real servers" ||
    fail "no 'reloaded' status: $(grep STATUS= "$NLOG" | tail -n 2)"
wait_until 80 0.1 has 'STATUS=2 workers on d0, 1 service, 3 real servers' &&
    pass "the periodic status follows the reload" ||
    fail "periodic status: $(grep STATUS= "$NLOG" | tail -n 1)"
echo 'services = ( { protocol = "tcp"; ' >"$CONF"
n=$(count RELOADING=1)
kill -HUP "$UVSD_PID"
wait_until 50 0.1 has 'STATUS=reload refused, running configuration kept' &&
    pass "refused reload: READY=1 with 'reload refused'" ||
    fail "no 'reload refused' status"
[ "$(count RELOADING=1)" -eq $((n + 1)) ] || fail "RELOADING=1 count"
[ "$(count READY=1)" -eq 3 ] && pass "READY=1 after each reload" ||
    fail "$(count READY=1) READY=1, want 3"
write_conf 3

# A stuck worker: the watchdog must starve.
tasks=$(ls "/proc/$UVSD_PID/task" | sort -n)
if [ "$(printf '%s\n' "$tasks" | wc -l)" -ne $((NWORKERS + 1)) ]; then
	fail "uvsd has threads $(echo $tasks), want main + $NWORKERS workers"
else
	# Threads get rising ids: the main one, then worker 0, 1, ...
	w0=$(printf '%s\n' "$tasks" | sed -n 2p)
	python3 "$TMPD/freeze.py" "$w0" 4 >"$TMPD/freeze.out" 2>&1 &
	fpid=$!
	track "$fpid"
	wait_until 50 0.1 grep -q frozen "$TMPD/freeze.out" ||
	    die "cannot freeze thread $w0: $(cat "$TMPD/freeze.out")"
	wait_until 30 0.1 grep -q 'worker 0: stuck' "$UVSD_LOG" &&
	    pass "log: $(grep -m 1 'worker 0: stuck' "$UVSD_LOG")" ||
	    fail "no 'worker 0: stuck' in the log"
	t=$(now_t)
	sleep 2
	n=$(count_since "$t" WATCHDOG=1)
	[ "$n" -eq 0 ] && pass "no WATCHDOG=1 while worker 0 is frozen" ||
	    fail "$n WATCHDOG=1 while worker 0 was frozen"
	has 'STATUS=.*worker 0 stuck' && pass "status names the stuck worker" ||
	    fail "status does not name the stuck worker"
	wait "$fpid"
	wait_until 30 0.1 grep -q 'worker 0: progressing again' "$UVSD_LOG" ||
	    fail "no 'progressing again' in the log"
	t=$(now_t)
	sleep 2
	n=$(count_since "$t" WATCHDOG=1)
	[ "$n" -ge 2 ] && pass "WATCHDOG=1 again after the thaw ($n in 2 s)" ||
	    fail "$n WATCHDOG=1 in 2 s after the thaw"
fi

uvsd_alive || die "uvsd died"
uvsd_stop TERM || fail "uvsd did not stop within 5 s"
[ "$UVSD_STATUS" = 0 ] || fail "uvsd exited with $UVSD_STATUS"
has ' STOPPING=1$' && pass "STOPPING=1 at SIGTERM" || fail "no STOPPING=1"

# Journal fields.  A fake journald listens in a private mount namespace,
# and uvsd's stderr is the stream JOURNAL_STREAM names: messages must
# arrive as native entries with PRIORITY=, SYSLOG_IDENTIFIER= and, for a
# stuck worker, UVS_WORKER=.
cat >"$TMPD/journal.py" <<'EOF'
import os, socket, sys
path, logf, pidf = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(30)	# gone by itself should the test die
open(pidf, "w").write("%d\n" % os.getpid())
out = open(logf, "a", buffering=1)
while True:
    try:
        data = s.recv(65536)
    except socket.timeout:
        break
    # One entry per line: its fields separated by " | ".
    out.write(" | ".join(data.decode(errors="replace").rstrip("\n").split("\n")) + "\n")
EOF

journal_entry()
{
	grep -- "$1" "$JLOG" | head -n 1
}

if [ ! -d /run/systemd ] || ! command -v unshare >/dev/null 2>&1; then
	log "no /run/systemd or unshare: journal fields not checked"
else
	JLOG=$TMPD/journal.log
	UVSD_LOG=$TMPD/uvsd-journal.log
	UVSD_SOCK=$TMPD/uvsd2.sock
	: >"$JLOG"
	: >"$UVSD_LOG"
	JS=$(stat -c '%d:%i' "$UVSD_LOG")
	unshare -m --propagation private bash -c '
		mount -t tmpfs uvs-test /run/systemd || exit 1
		mkdir /run/systemd/journal || exit 1
		python3 "$1" /run/systemd/journal/socket "$2" "$3" &
		for i in $(seq 50); do
			[ -S /run/systemd/journal/socket ] && break
			sleep 0.1
		done
		shift 3
		exec "$@"' sh "$TMPD/journal.py" "$JLOG" "$TMPD/journal.pid" \
	    ip netns exec "$NS_D" env JOURNAL_STREAM="$JS" WATCHDOG_USEC=1000000 \
	    sh -c 'WATCHDOG_PID=$$; export WATCHDOG_PID; exec "$@"' sh \
	    "$UVSD" --foreground --socket "$UVSD_SOCK" --workers "$NWORKERS" \
	    -f "$CONF" >>"$UVSD_LOG" 2>&1 </dev/null &
	UVSD_PID=$!
	track "$UVSD_PID"
	wait_until 100 0.1 uvsd_ready || die "uvsd (journal) not ready"
	e=$(journal_entry 'MESSAGE=started: ')
	case $e in
	*PRIORITY=5*SYSLOG_IDENTIFIER=uvsd*)
		pass "journal entry: $e" ;;
	*)	fail "no native 'started' entry with PRIORITY=5 and SYSLOG_IDENTIFIER=uvsd: '$e'" ;;
	esac
	[ ! -s "$UVSD_LOG" ] && pass "nothing went to the stream itself" ||
	    fail "the stream got: $(head -n 3 "$UVSD_LOG")"
	w0=$(ls "/proc/$UVSD_PID/task" | sort -n | sed -n 2p)
	python3 "$TMPD/freeze.py" "$w0" 1.5 >"$TMPD/freeze2.out" 2>&1 &
	fpid=$!
	track "$fpid"
	wait_until 30 0.1 grep -q 'MESSAGE=worker 0: stuck' "$JLOG"
	e=$(journal_entry 'MESSAGE=worker 0: stuck')
	case $e in
	*PRIORITY=3*SYSLOG_IDENTIFIER=uvsd*UVS_WORKER=0*)
		pass "journal entry with UVS_WORKER=0: $e" ;;
	*)	fail "no stuck-worker entry with PRIORITY=3 and UVS_WORKER=0: '$e'" ;;
	esac
	wait "$fpid"
	uvsd_stop TERM || fail "uvsd (journal) did not stop within 5 s"
	[ "$UVSD_STATUS" = 0 ] || fail "uvsd (journal) exited with $UVSD_STATUS"
	[ -s "$TMPD/journal.pid" ] && kill "$(cat "$TMPD/journal.pid")" 2>/dev/null
fi

# The unit that ships: systemd-analyze verify, and the exposure score.
UNIT=$BUILDDIR/systemd/uvsd.service
if ! command -v systemd-analyze >/dev/null 2>&1; then
	log "systemd-analyze missing: unit checks skipped"
elif [ ! -f "$UNIT" ]; then
	log "$UNIT not built: unit checks skipped"
else
	# verify wants ExecStart='s program to exist: this build's.  The
	# man pages need not be installed (--man=no).
	mkdir -p "$TMPD/unit"
	sed -e "s|^\(ExecStart[A-Za-z]*=\)[^ ]*/uvsd|\1$UVSD|" \
	    "$UNIT" >"$TMPD/unit/uvsd.service"
	if systemd-analyze verify --man=no "$TMPD/unit/uvsd.service" \
	    >"$TMPD/verify.out" 2>&1 && [ ! -s "$TMPD/verify.out" ]; then
		pass "systemd-analyze verify: clean"
	else
		fail "systemd-analyze verify: $(head -c 600 "$TMPD/verify.out")"
	fi
	if systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
		systemd-analyze security --offline=yes "$TMPD/unit/uvsd.service" \
		    >"$TMPD/security.out" 2>&1
		score=$(grep -o 'Overall exposure level for uvsd.service: [0-9.]* [A-Z]*' \
		    "$TMPD/security.out" | awk '{ print $(NF - 1), $NF }')
		log "systemd-analyze security: ${score:-no score}"
		awk -v s="${score%% *}" 'BEGIN { exit !(s != "" && s + 0 <= 3.0) }' &&
		    pass "exposure ${score} (<= 3.0)" ||
		    fail "exposure '${score}', want <= 3.0: $(tail -n 5 "$TMPD/security.out")"
	fi
fi
finish
