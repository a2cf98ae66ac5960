#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# uvs in two minutes, as root on a scratch machine: builds uvsd if
# needed, builds a small lab out of network namespaces (nothing on the
# host's interfaces changes), starts uvsd from etc/uvsd.conf (with the
# lab's interface names and addresses) with its direct-routing and NAT
# services over three nginx real servers, sends real HTTP requests with
# curl and wrk, prints what uvsadm shows, reloads an edited file under
# SIGHUP, shows a bad edit refused, and removes everything again.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#    (client)        |                                    | ----- e0 .12 rs2
#                    `---- r0 .254  rt  r1 .254 ----------' ----- e0 .13 rs3
#
#   203.0.113.10:80  dr,  wlc 1:2:0: replies go rsN -> rt -> c, around uvsd
#   203.0.113.20:80  nat, rr over rs1, rs2: replies come back through uvsd
#   (etc/uvsd.conf's 192.0.2.10 and 192.0.2.20, its real servers mapped
#   onto rs1..rs3, the NAT port 8080 onto 80)
#
# Needs: root, nginx, curl, wrk, socat, iperf3, nft, ethtool; to build:
# autoconf, automake and the libraries listed in README.

ROOT=$(cd "$(dirname "$0")/.." && pwd)

# Build out of tree in build/, as contrib/check.sh does, unless the
# binaries are there already (or UVS_BUILDDIR names a build).
if [ -z "$UVS_BUILDDIR" ] && [ -x "$ROOT/uvsd" ] && [ -x "$ROOT/uvsadm" ]; then
	export UVS_BUILDDIR=$ROOT		# an in-tree build
fi
export UVS_BUILDDIR=${UVS_BUILDDIR:-$ROOT/build}
if [ -z "$UVS_TEST_TIMED" ] && { [ ! -x "$UVS_BUILDDIR/uvsd" ] ||
    [ ! -x "$UVS_BUILDDIR/uvsadm" ]; }; then
	echo "== installing dependencies and building uvsd and uvsadm in $UVS_BUILDDIR"
	"$ROOT/contrib/deps.sh" || { echo "cannot install dependencies"; exit 1; }
	(cd "$ROOT" && { [ -x configure ] || autoreconf -fi; } &&
	    mkdir -p "$UVS_BUILDDIR" && cd "$UVS_BUILDDIR" &&
	    { [ -f Makefile ] || "$ROOT/configure" -q; } &&
	    make -j2 uvsd uvsadm) || { echo "build failed"; exit 1; }
fi

. "$ROOT/tests/netns/lib.sh"
UVS_LB=uvsd
uvs_init demo 300 nginx wrk iperf3 ss

say()
{
	printf '\n== %s\n' "$*"
}

say "building the lab: client, director, router, 3 real servers (namespaces uvs-demo-$$-*)"
lab_up 3
lab_servers 3

CONF=$TMPD/uvsd.conf
say "etc/uvsd.conf with the lab's names and addresses: $CONF"
sed -e 's/"eth0", "eth1"/"d0", "d1"/' \
    -e "s/192\.0\.2\.10/$VIP_DR/g" -e "s/192\.0\.2\.20/$VIP_NAT/g" \
    -e 's/10\.0\.1\.1\([1-3]\)/10.0.2.1\1/g' \
    -e 's/10\.0\.2\.[23]\([1-2]\)/10.0.2.1\1/g' \
    -e 's/port = 8080;/port = 80;/' \
    "$ROOT/etc/uvsd.conf" >"$CONF" || die "cannot write $CONF"
diff "$ROOT/etc/uvsd.conf" "$CONF" | grep '^>' | sed 's/^> */   /'
"$UVSD" -t -f "$CONF" && echo "   uvsd -t -f: valid" || die "uvsd -t refuses $CONF"

say "starting uvsd on the director: uvsd -f $CONF"
uvsd_start "$NS_D" -f "$CONF" >/dev/null
say "uvsadm -L -n"
adm -L -n

for vip in "$VIP_DR" "$VIP_NAT"; do
	say "30 requests with curl to http://$vip/who (each a new connection)"
	c=$(who_counts "http://$vip/who" 30)
	printf '%s\n' "$c" | awk '{ printf "   %-5s answered %2d times\n", $1, $2 }'
	[ "$(count_of fail "$c")" -eq 0 ] || fail "some requests to $vip got no answer"
done

say "8 MiB download through each service"
fetch_check "http://$VIP_DR/big" "$BIG_SHA" && echo "   dr:  intact (sha256 $BIG_SHA)"
fetch_check "http://$VIP_NAT/big" "$BIG_SHA" && echo "   nat: intact"

for vip in "$VIP_DR" "$VIP_NAT"; do
	say "wrk -t 2 -c 8 -d 3 http://$vip/who"
	ip netns exec "$NS_C" timeout --foreground 15 wrk -t 2 -c 8 -d 3 --timeout 2s \
	    "http://$vip/who" >"$TMPD/wrk.out" 2>&1
	grep -E 'requests in|Requests/sec|Socket errors' "$TMPD/wrk.out" |
	    sed 's/^ */   /'
	grep -q 'requests in' "$TMPD/wrk.out" || fail "wrk against $vip failed"
done

# reload_done N: the commit count reached N and the last reload was ok.
reload_done()
{
	ctl status | awk -v n="$1" '$1 == "commits" && $2 >= n { c = 1 }
	    $1 == "reload" && $3 == "ok" { r = 1 } END { exit !(c && r) }'
}
commits=$(ctl status | awk '$1 == "commits" { print $2 }')

say "reload: rs3 gets weight 3 in the file, then kill -HUP uvsd"
sed -i 's/\(address = "10\.0\.2\.13"; weight = \)0;/\13;/' "$CONF"
kill -HUP "$UVSD_PID"
wait_until 50 0.1 reload_done $((commits + 1)) || fail "the reload did not finish"
ctl status | grep -E '^(config|reload) ' | sed 's/^/   /'
grep -F reloaded "$UVSD_LOG" | tail -n 1 | sed 's/^/   log: /'
c=$(who_counts "http://$VIP_DR/who" 30)
printf '%s\n' "$c" | awk '{ printf "   %-5s answered %2d times\n", $1, $2 }'
[ "$(count_of rs3 "$c")" -gt 0 ] || fail "rs3 got nothing after the reload"
echo "   (the other services and rs1, rs2 kept their counters and connections)"

say "a typo in the file (scheduler \"wlcc\"), kill -HUP: refused, nothing changes"
cp "$CONF" "$TMPD/good.conf"
sed -i 's/scheduler = "wlc"/scheduler = "wlcc"/' "$CONF"
kill -HUP "$UVSD_PID"
wait_until 50 0.1 sh -c "printf 'status\n' | socat - UNIX-CONNECT:$UVSD_SOCK | grep -q '^reload [0-9]* failed'" ||
    fail "the bad reload was not reported"
ctl status | grep -E '^reload ' | sed 's/^/   /'
grep -F 'reload refused' "$UVSD_LOG" | tail -n 1 | sed 's/^/   log: /'
c=$(who_counts "http://$VIP_DR/who" 10)
[ "$(count_of fail "$c")" -eq 0 ] && echo "   traffic goes on: $(echo $c)" ||
    fail "traffic failed after the refused reload"
cp "$TMPD/good.conf" "$CONF"

say "uvsadm -L -n --stats"
adm -L -n --stats
say "uvsadm -L -n"
adm -L -n

uvsd_alive || fail "uvsd is not running any more"
say "stopping uvsd and removing the lab"
lb_stop
finish
