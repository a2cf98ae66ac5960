#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Changing real servers under traffic (nat, rr, three real servers).
# Weight 0 quiesces: a rate-limited 8 MiB download is running from some
# real server X when X's weight becomes 0; new connections must all go
# to the two others while the download finishes intact.  Deleting a
# real server while wrk -c 4 runs: uvsd survives, the others keep
# serving, the deleted one gets nothing new.  Deleting the service: it
# disappears from uvsadm -L -n and uvsd still answers.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                                                         | ----- e0 .12 rs2
#                                                         `------ e0 .13 rs3

. "$(dirname "$0")/lib.sh"
uvs_init weight-delete 180 nginx iperf3 wrk ss
need_uvsd	# the checks talk to uvsd itself; no UVS_LB=nft variant
V=$VIP_NAT

lab_up 3
lab_servers 3
lb_start "$NS_D" d1 d0 d1
lb_service tcp "$V" 80 rr
for i in 1 2 3; do
	lb_server tcp "$V" 80 "${RS_IP[$i]}" nat 1
done

# --- weight 0 while a long download runs
(
	ip netns exec "$NS_C" curl -sS --max-time 90 --limit-rate 512K \
	    -o "$TMPD/slow.out" "http://$V/big" 2>"$TMPD/slow.err"
	echo $? >"$TMPD/slow.rc"
) &
track $!

serving()
{
	local i

	for i in 1 2 3; do
		if [ -n "$(ip netns exec "${NS_RS[$i]}" ss -Htn state established '( sport = :80 )')" ]; then
			X=$i
			return 0
		fi
	done
	return 1
}
X=
wait_until 150 0.1 serving || die "the slow download reached no real server in 15 s"
log "slow download served by rs$X"
adm -e -t "$V:80" -r "${RS_IP[$X]}:80" -m -w 0 || fail "uvsadm -e -w 0 failed"
adm -L -n | grep -F "${RS_IP[$X]}:80" | sed 's/^/    /'
c=$(who_counts "http://$V/who" 12)
nx=$(count_of "rs$X" "$c")
nf=$(count_of fail "$c")
if [ "$nx" -ne 0 ] || [ "$nf" -ne 0 ]; then
	fail "after weight 0 on rs$X: $nx of 12 new connections went to it, $nf failed ($(echo $c))"
else
	pass "weight 0: 12 new connections avoided rs$X ($(echo $c))"
fi
[ -e "$TMPD/slow.rc" ] && fail "the slow download ended before the weight-0 checks were done; not a valid test"
wait_until 600 0.1 test -e "$TMPD/slow.rc" || fail "slow download did not finish in 60 s"
if [ "$(cat "$TMPD/slow.rc" 2>/dev/null)" != 0 ]; then
	fail "slow download from quiesced rs$X failed: $(head -c 200 "$TMPD/slow.err")"
elif [ "$(sha "$TMPD/slow.out")" != "$BIG_SHA" ]; then
	fail "slow download from quiesced rs$X is corrupt ($(stat -c %s "$TMPD/slow.out") bytes)"
else
	pass "established download from quiesced rs$X finished intact"
fi
adm -e -t "$V:80" -r "${RS_IP[$X]}:80" -m -w 1 || fail "uvsadm -e -w 1 failed"

# --- delete a real server under load
Y=$((X % 3 + 1))
ip netns exec "$NS_C" timeout --foreground 15 wrk -t 2 -c 4 -d 3 --timeout 2s \
    "http://$V/who" >"$TMPD/wrk.out" 2>&1 &
wrk=$!
track "$wrk"
wait_until 20 0.1 false	# let wrk get going (2 s, bounded)
adm -d -t "$V:80" -r "${RS_IP[$Y]}:80" || fail "uvsadm -d rs$Y failed"
wait_until 150 0.1 proc_gone "$wrk" || fail "wrk still running after 15 s"
wait "$wrk"
reqs=$(awk '/requests in/ { print $1 }' "$TMPD/wrk.out")
log "wrk: $(grep -E 'requests in|Socket errors|Non-2xx' "$TMPD/wrk.out" | tr -s ' ' | tr '\n' ';')"
[ "${reqs:-0}" -gt 0 ] && pass "wrk completed $reqs requests across the delete" ||
    fail "wrk completed no requests: $(tail -n 5 "$TMPD/wrk.out" | tr '\n' ' ')"
uvsd_alive || die "uvsd died after deleting rs$Y under load"
adm -L -n | grep -qF "${RS_IP[$Y]}:80" && fail "rs$Y still listed after -d"
c=$(who_counts "http://$V/who" 10)
ny=$(count_of "rs$Y" "$c")
nf=$(count_of fail "$c")
if [ "$ny" -ne 0 ] || [ "$nf" -ne 0 ]; then
	fail "after deleting rs$Y: $ny of 10 requests went to it, $nf failed ($(echo $c))"
else
	pass "after deleting rs$Y the others serve: $(echo $c)"
fi

# --- delete the service
adm -D -t "$V:80" || fail "uvsadm -D failed"
if ! adm -L -n >"$TMPD/list.out" 2>&1; then
	fail "uvsadm -L -n fails after -D: $(head -c 200 "$TMPD/list.out")"
elif grep -qF "$V:80" "$TMPD/list.out"; then
	fail "service $V:80 still listed after -D"
else
	pass "service gone, uvsd still answers"
fi
ctl status | grep -q '^OK' || fail "status verb does not answer OK"
uvsd_alive || fail "uvsd died"
lb_stop
finish
