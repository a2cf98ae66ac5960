#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# uvs in two minutes, as root on a scratch machine: builds uvsd if
# needed, builds a small lab out of network namespaces (nothing on the
# host's interfaces changes), starts uvsd with a direct-routing and a NAT
# service over three nginx real servers, sends real HTTP requests with
# curl and wrk, prints what uvsadm shows, and removes everything again.
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#    (client)        |                                    | ----- e0 .12 rs2
#                    `---- r0 .254  rt  r1 .254 ----------' ----- e0 .13 rs3
#
#   203.0.113.10:80  dr,  rr:  replies go rsN -> rt -> c, around uvsd
#   203.0.113.20:80  nat, wrr 1:2:3: replies come back through uvsd
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

say "starting uvsd on the director: uvsd -i d0 -i d1 --workers 2"
uvsd_start "$NS_D" -i d0 -i d1 --workers 2 >/dev/null
adm -A -t "$VIP_DR:80" -s rr || die "uvsadm -A failed"
adm -A -t "$VIP_NAT:80" -s wrr || die "uvsadm -A failed"
for i in 1 2 3; do
	adm -a -t "$VIP_DR:80" -r "${RS_IP[$i]}:80" -g -w 1 ||
	    die "uvsadm -a failed"
	adm -a -t "$VIP_NAT:80" -r "${RS_IP[$i]}:80" -m -w "$i" ||
	    die "uvsadm -a failed"
done
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

say "uvsadm -L -n --stats"
adm -L -n --stats
say "uvsadm -L -n"
adm -L -n

uvsd_alive || fail "uvsd is not running any more"
say "stopping uvsd and removing the lab"
lb_stop
finish
