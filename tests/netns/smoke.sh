#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The smoke test: can this machine run uvs?  A small lab in network
# namespaces (a client, a director running uvsd, two real servers with
# nginx, a router; the drawing is lab_up's in lib.sh) and one director
# serving a direct-routing VIP and a NAT VIP, both tcp port 80 with rr.
# Checks: a 10 KiB file arrives intact through each VIP, four fresh
# connections reach both real servers, uvsd transmitted frames and stops
# cleanly on SIGTERM.  The host's interfaces are never touched; all
# namespaces are deleted at the end.
#
# It runs in the source tree with `make check` and is installed with
# the package as /usr/share/uvs/smoke/smoke.sh; run as root there, it
# tests the installed uvsd and uvsadm (UVSD and UVSADM name others).
# Needs ip, nft, ethtool, socat, curl, nginx.  Exit 0: pass, 1: fail,
# 77: skipped (not root, or a tool is missing; the reason is printed).

. "$(dirname "$0")/lib.sh"
uvs_init smoke 120 nginx ss
log "uvsd: $UVSD ($("$UVSD" --version 2>&1))"
lab_up 2
mkdir -p "$TMPD/www"
mkrand "$TMPD/www/small" 10240
SMALL_SHA=$(sha "$TMPD/www/small")
for i in 1 2; do
	nginx_start "${NS_RS[$i]}" "rs$i" "$TMPD/www"
done
for i in 1 2; do
	wait_tcp_listen "${NS_RS[$i]}" 80
	wait_until 50 0.1 http_is "$NS_D" "http://${RS_IP[$i]}/who" "rs$i" ||
	    die "rs$i does not answer http from the director"
done

lb_start "$NS_D" d1 d0 d1
for m in dr nat; do
	[ "$m" = dr ] && vip=$VIP_DR || vip=$VIP_NAT
	lb_service tcp "$vip" 80 rr
	for i in 1 2; do
		lb_server tcp "$vip" 80 "${RS_IP[$i]}" "$m" 1
	done
done
for m in dr nat; do
	[ "$m" = dr ] && vip=$VIP_DR || vip=$VIP_NAT
	fetch_check "http://$vip/small" "$SMALL_SHA" &&
	    pass "$m: 10 KiB through $vip intact"
	c=$(who_counts "http://$vip/who" 4)
	if [ "$(count_of fail "$c")" -ne 0 ] ||
	    [ "$(count_of rs1 "$c")" -lt 1 ] || [ "$(count_of rs2 "$c")" -lt 1 ]; then
		fail "$m: 4 connections to $vip: $(echo $c) (want both servers, no failure)"
	else
		pass "$m: 4 connections to $vip reached both servers"
	fi
done
uvsd_alive || fail "uvsd died"
uvsd_forwarded
lb_stop
[ "$UVSD_STATUS" = 0 ] || fail "uvsd exited with status $UVSD_STATUS on SIGTERM"
finish
