#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# uvsadm under traffic.  A DR service (rr, rs1 rs2) and a NAT service
# (wrr, rs1 rs2 rs3) are made with uvsadm.  While wrk sends keep-alive
# HTTP through the DR service and short connections (Connection: close)
# through both, uvsadm makes 100 edits: the NAT weight of rs1 goes 1 -> 3
# -> 1 and rs2 is deleted from the DR service and added again, in turn.
# Required: 0 wrk errors, 0 resets sent by the real servers (keep-alive
# connections to the deleted rs2 go on).  Then the save/restore round
# trip: uvsadm -S -n > A, uvsadm -C, uvsadm -R < A, and -S -n gives A
# again, with traffic working after; uvsadm-restore (clear and rules in
# one batch) under wrk: 0 errors; and -R of a file whose last line is
# wrong, or refused by uvsd: the line is named and nothing changes.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                    |                                    | ----- e0 .12 rs2
#                    `---- r0 .254  rt  r1 .254 ----------' ----- e0 .13 rs3

. "$(dirname "$0")/lib.sh"
uvs_init adm-roundtrip 120 nginx wrk ss
need_uvsd	# uvsadm talks to uvsd; no UVS_LB=nft variant

EDITS=${EDITS:-100}
WRK_SECONDS=${WRK_SECONDS:-120}	# upper bound: wrk_stop ends it
RESTORE=$SRCDIR/contrib/uvsadm-restore

# Tcp OutRsts summed over the real servers.
rs_resets()
{
	local i n=0 v

	for i in 1 2 3; do
		v=$(ip netns exec "${NS_RS[$i]}" awk '$1 == "Tcp:" && !h {
		    for (i = 1; i <= NF; i++) if ($i == "OutRsts") c = i; h = 1; next }
		    $1 == "Tcp:" { print $c }' /proc/net/snmp)
		n=$((n + v))
	done
	echo "$n"
}

# wrk_errors FILE: socket errors and non-2xx answers in wrk's report.
wrk_errors()
{
	awk '/Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
	    /Non-2xx/ { n += $NF } END { print n + 0 }' "$1"
}

# wrk_start NAME SECONDS ka|short VIP: bounded wrk -t1 -c4 in the
# background, pid appended to WRKS.
wrk_start()
{
	local hdr=()

	[ "$3" = short ] && hdr=(-H 'Connection: close')
	ip netns exec "$NS_C" timeout --foreground $(($2 + 15)) \
	    wrk -t 1 -c 4 -d "$2s" --timeout 5s "${hdr[@]}" "http://$4/who" \
	    >"$TMPD/wrk-$1.out" 2>&1 &
	track $!
	WRKS+=($!)
}

# wrk_check: wait for WRKS, then require requests and no error in each.
wrk_check()
{
	local p f reqs errs name

	for p in "${WRKS[@]}"; do
		wait_until $(((WRK_SECONDS + 20) * 10)) 0.1 proc_gone "$p" ||
		    fail "wrk still running"
		wait "$p"
	done
	WRKS=()
	for f in "$@"; do
		reqs=$(awk '/requests in/ { print $1 }' "$f")
		errs=$(wrk_errors "$f")
		name=$(basename "$f" .out)
		log "$name: $(grep -E 'requests in|Socket errors|Non-2xx' "$f" | tr -s ' ' | tr '\n' ';')"
		if [ "${reqs:-0}" -eq 0 ]; then
			fail "$name: no requests: $(tail -n 5 "$f" | tr '\n' ' ')"
		elif [ "$errs" -ne 0 ]; then
			fail "$name: $errs errors in $reqs requests"
		else
			pass "$name: $reqs requests, 0 errors"
		fi
	done
}

traffic_ok()
{
	local c d

	c=$(who_counts "http://$VIP_NAT/who" 6)
	d=$(who_counts "http://$VIP_DR/who" 6)
	if [ "$(count_of fail "$c")" -ne 0 ] || [ "$(count_of fail "$d")" -ne 0 ]; then
		fail "traffic $1: nat $(echo $c), dr $(echo $d)"
	else
		pass "traffic $1: nat $(echo $c); dr $(echo $d)"
	fi
}

lab_up 3
lab_servers 3
lb_start "$NS_D" d1 d0 d1
adm -A -t "$VIP_DR:80" -s rr || die "uvsadm -A DR"
adm -a -t "$VIP_DR:80" -r "${RS_IP[1]}" -g || die "uvsadm -a DR rs1"
adm -a -t "$VIP_DR:80" -r "${RS_IP[2]}" -g || die "uvsadm -a DR rs2"
adm -A -t "$VIP_NAT:80" -s wrr || die "uvsadm -A NAT"
for i in 1 2 3; do
	adm -a -t "$VIP_NAT:80" -r "${RS_IP[$i]}:80" -m -w 1 ||
	    die "uvsadm -a NAT rs$i"
done
adm -L -n | sed 's/^/    /'
traffic_ok "before the edits"

# --- 100 edits under traffic
WRKS=()
resets0=$(rs_resets)
wrk_start ka-dr "$WRK_SECONDS" ka "$VIP_DR"
wrk_start short-dr "$WRK_SECONDS" short "$VIP_DR"
wrk_start short-nat "$WRK_SECONDS" short "$VIP_NAT"
wait_until 20 0.1 false		# let wrk connect (2 s, bounded)
ka=$(ip netns exec "${NS_RS[2]}" ss -Htn state established '( sport = :80 )' | wc -l)
[ "$ka" -gt 0 ] && log "rs2 holds $ka connections, to outlive its removals" ||
    fail "no connection reached rs2 before the edits; not a valid test"
t0=$(date +%s%N)
for i in $(seq "$EDITS"); do
	case $((i % 4)) in
	1) adm -e -t "$VIP_NAT:80" -r "${RS_IP[1]}:80" -m -w 3 ;;
	2) adm -d -t "$VIP_DR:80" -r "${RS_IP[2]}" ;;
	3) adm -e -t "$VIP_NAT:80" -r "${RS_IP[1]}:80" -m -w 1 ;;
	0) adm -a -t "$VIP_DR:80" -r "${RS_IP[2]}" -g ;;
	esac || fail "edit $i failed"
	wait_until 1 0.05 false	# 50 ms apart: spread over the run
done
t1=$(date +%s%N)
log "$EDITS edits in $(((t1 - t0) / 1000000)) ms"
for p in "${WRKS[@]}"; do
	kill -0 "$p" 2>/dev/null ||
	    fail "a wrk ended before the edits did: raise WRK_SECONDS"
done
wrk_stop "${WRKS[@]}"
wrk_check "$TMPD"/wrk-ka-dr.out "$TMPD"/wrk-short-dr.out "$TMPD"/wrk-short-nat.out
resets=$(( $(rs_resets) - resets0 ))
[ "$resets" -eq 0 ] && pass "real servers sent no reset" ||
    fail "real servers sent $resets resets during the edits"
uvsd_alive || die "uvsd died during the edits"

# --- -S, -C, -R: the same table again
adm -S -n >"$TMPD/A" || fail "uvsadm -S -n failed"
sed 's/^/    /' "$TMPD/A"
[ "$(grep -c '^-A ' "$TMPD/A")" -eq 2 ] && [ "$(grep -c '^-a ' "$TMPD/A")" -eq 5 ] ||
    fail "uvsadm -S -n: want 2 services and 5 real servers"
adm -C || fail "uvsadm -C failed"
[ -z "$(adm -S -n)" ] || fail "uvsadm -S -n not empty after -C"
adm -R <"$TMPD/A" || fail "uvsadm -R < A failed"
adm -S -n >"$TMPD/A2"
cmp -s "$TMPD/A" "$TMPD/A2" && pass "-S, -C, -R, -S gives the same rules" ||
    fail "after -C and -R: $(diff "$TMPD/A" "$TMPD/A2" | tr '\n' ' ')"
traffic_ok "after -C and -R"

# --- uvsadm-restore: clear and rules in one batch, under traffic
resets0=$(rs_resets)
wrk_start restore-nat 4 short "$VIP_NAT"
wrk_start restore-dr 4 ka "$VIP_DR"
wait_until 10 0.1 false
for i in 1 2 3 4 5; do
	UVSADM="$UVSADM" UVSADM_SOCKET="$UVSD_SOCK" timeout 10 sh "$RESTORE" \
	    <"$TMPD/A" || fail "uvsadm-restore $i failed"
done
wrk_check "$TMPD"/wrk-restore-nat.out "$TMPD"/wrk-restore-dr.out
adm -S -n >"$TMPD/A3"
cmp -s "$TMPD/A" "$TMPD/A3" && pass "uvsadm-restore left the same rules" ||
    fail "after uvsadm-restore: $(diff "$TMPD/A" "$TMPD/A3" | tr '\n' ' ')"
resets=$(( $(rs_resets) - resets0 ))
[ "$resets" -eq 0 ] && pass "no reset across 5 uvsadm-restore" ||
    fail "real servers sent $resets resets across uvsadm-restore"

# --- -R is all or nothing
gen=$(ctl status | awk '$1 == "generation" { print $2 }')
{ echo "-C"; cat "$TMPD/A"; echo "-a -t $VIP_DR:80 -r ${RS_IP[3]} -g -w"; } >"$TMPD/bad1"
n=$(wc -l <"$TMPD/bad1")
if adm -R <"$TMPD/bad1" 2>"$TMPD/r.err"; then
	fail "uvsadm -R accepted a line without its weight"
else
	grep -qF "uvsadm: line $n: -w: missing argument" "$TMPD/r.err" &&
	    pass "bad line named: $(cat "$TMPD/r.err")" ||
	    fail "uvsadm -R said '$(cat "$TMPD/r.err")', want line $n named"
fi
{ echo "-C"; cat "$TMPD/A"; echo "-a -t $VIP_DR:80 -r ${RS_IP[1]} -g"; } >"$TMPD/bad2"
n=$(wc -l <"$TMPD/bad2")
if adm -R <"$TMPD/bad2" 2>"$TMPD/r.err"; then
	fail "uvsadm -R accepted a real server twice"
else
	grep -qF "uvsadm: line $n: " "$TMPD/r.err" &&
	    grep -qF "destination already exists" "$TMPD/r.err" &&
	    pass "refused line named: $(cat "$TMPD/r.err")" ||
	    fail "uvsadm -R said '$(cat "$TMPD/r.err")', want line $n named"
fi
adm -S -n >"$TMPD/A4"
cmp -s "$TMPD/A" "$TMPD/A4" && pass "nothing changed after the refused -R" ||
    fail "a refused -R changed the table: $(diff "$TMPD/A" "$TMPD/A4" | tr '\n' ' ')"
[ "$(ctl status | awk '$1 == "generation" { print $2 }')" = "$gen" ] ||
    fail "a refused -R published a table"
traffic_ok "after the refused -R"
uvsd_alive || fail "uvsd died"
uvsd_forwarded
lb_stop
finish
