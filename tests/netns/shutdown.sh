#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# uvsd's exits.  SIGTERM and SIGINT: gone within 5 s, exit status 0, the
# "netdev uvs" nft table and the admin socket removed.  After kill -9
# both are left behind; a new uvsd on the same socket path must start,
# replace the stale table (one "uvs" table, no old services), serve, and
# exit cleanly.  Last, this test checks its own cleanup: no namespace
# uvs-shutdown-<pid>-* may remain.
#
#   c: c0 10.0.1.2 -- sw br0 -- d0 10.0.1.1  d (uvsd)  d1 10.0.2.1 -- br1 -- rs1 10.0.2.11

. "$(dirname "$0")/lib.sh"
uvs_init shutdown 120
need_uvsd	# the checks talk to uvsd itself; no UVS_LB=nft variant

uvs_tables()
{
	ip netns exec "$NS_D" nft list tables 2>/dev/null | grep -c -w uvs
}

configure()
{
	adm -A -t "$VIP_NAT:80" -s rr || fail "uvsadm -A failed"
	adm -a -t "$VIP_NAT:80" -r "${RS_IP[1]}:80" -m || fail "uvsadm -a failed"
}

# check_clean_exit SIGNAL: stop uvsd with SIGNAL and check what it left.
check_clean_exit()
{
	local sig=$1 n

	if ! uvsd_stop "$sig"; then
		fail "uvsd still running 5 s after SIG$sig"
		return
	fi
	[ "$UVSD_STATUS" -eq 0 ] && pass "SIG$sig: exit status 0" ||
	    fail "SIG$sig: exit status $UVSD_STATUS, want 0"
	n=$(uvs_tables)
	[ "$n" -eq 0 ] && pass "SIG$sig: nft table uvs removed" ||
	    fail "SIG$sig: nft table uvs still there: $(ip netns exec "$NS_D" nft list tables | tr '\n' ' ')"
	[ -e "$UVSD_SOCK" ] && fail "SIG$sig: socket $UVSD_SOCK left behind" ||
	    pass "SIG$sig: socket removed"
}

lab_up 1
UVSD_SOCK=$TMPD/run/uvsd.sock
mkdir -p "$TMPD/run"

for sig in TERM INT; do
	uvsd_start "$NS_D" -i d0 -i d1 --workers 2
	configure
	[ "$(uvs_tables)" -eq 1 ] || fail "no nft table uvs while uvsd runs"
	[ -S "$UVSD_SOCK" ] || fail "no socket at $UVSD_SOCK while uvsd runs"
	check_clean_exit "$sig"
done

# A crash: kill -9 leaves the table and the socket file.
uvsd_start "$NS_D" -i d0 -i d1 --workers 2
configure
uvsd_stop KILL || fail "uvsd survived SIGKILL?"
log "after kill -9: $(uvs_tables) uvs table(s), socket file $([ -e "$UVSD_SOCK" ] && echo left || echo gone)"
uvsd_start "$NS_D" -i d0 -i d1 --workers 2
n=$(uvs_tables)
[ "$n" -eq 1 ] && pass "restart after kill -9: one uvs table" ||
    fail "restart after kill -9: $n uvs tables"
if adm -L -n | grep -q "$VIP_NAT:80"; then
	fail "restart after kill -9: the old service is listed"
fi
configure
adm -L -n | grep -q "$VIP_NAT:80" && pass "restarted uvsd takes a service" ||
    fail "restarted uvsd does not list the new service"
check_clean_exit TERM

# Self-check of the cleanup every test relies on.
teardown
left=$(ip netns list | grep -c "uvs-shutdown-$$-")
[ "$left" -eq 0 ] && pass "no namespace left after cleanup" ||
    fail "$left namespace(s) uvs-shutdown-$$-* left after cleanup"
finish
