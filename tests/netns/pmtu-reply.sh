#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Path MTU for replies, with offloads on and off: the client side is
# narrower (c0 and d0 at 1400) than the real servers' (1500), and the
# client advertises an MSS of 1460 (advmss), so a nat or fullnat real
# server sends segments that do not fit the client side.  uvsd must
# answer them with fragmentation needed (mtu 1400) back to the real
# server, as the kernel's ip_forward() does for IPVS's nat replies: from
# the director's address toward the real server (nat) or the LIP
# (fullnat), out of d1 to the MAC the reply came from.  Without it the
# 4 MiB downloads stall in a black hole.  Checks: both downloads intact
# (sha256), rs1's route cache holds mtu 1400 toward the client (nat)
# and the LIP (fullnat), rs1 got the errors from d1's address (nat) and
# the LIP (fullnat), uvsd counted frag-needed, and uvsadm -L -c -n
# shows the fullnat connection's LIP:lport in the local column.
#
#                 sw: br0 (10.0.1.0/24, 1400)            br1 (10.0.2.0/24)
#   c: c0 .2 (1400) -- br0 -- d0 .1 (1400)  d (uvsd)  d1 .1 -- br1 -- e0 .11 rs1

. "$(dirname "$0")/lib.sh"
uvs_init pmtu-reply 60 nginx

VIP_FN=203.0.113.30
LIP=10.0.3.1

# get VIP TAG: download /big through VIP, compare.
get()
{
	local out=$TMPD/big.out

	rm -f "$out"
	if ! timeout --foreground 25 ip netns exec "$NS_C" curl -sS \
	    --connect-timeout 3 --max-time 20 -o "$out" "http://$1/big" \
	    2>"$TMPD/curl.err"; then
		fail "$2: 4 MiB download: $(head -c 200 "$TMPD/curl.err") ($(stat -c %s "$out" 2>/dev/null || echo 0) bytes)"
	elif [ "$(sha "$out")" != "$(sha "$TMPD/www/big")" ]; then
		fail "$2: 4 MiB download differs"
	else
		pass "$2: 4 MiB download through the 1400-byte client side intact"
	fi
}

# cached TAG DST: rs1's route cache holds mtu 1400 toward DST.
cached()
{
	local rt

	rt=$(ip -n "$r" route get "$2" 2>&1 | tr '\n' ' ')
	case $rt in
	*"mtu 1400"*) pass "$1: rs1 caches mtu 1400 toward $2" ;;
	*) fail "$1: rs1 lacks mtu 1400 toward $2: $rt" ;;
	esac
}

for OFFLOADS in on off; do
	log "--- offloads $OFFLOADS"
	lab_up 1
	r=${NS_RS[1]}
	ip -n "$NS_C" link set c0 mtu 1400
	ip -n "$NS_D" link set d0 mtu 1400
	ip -n "$NS_C" route replace 203.0.113.0/24 via "$D0_IP" advmss 1460

	mkdir -p "$TMPD/www"
	[ -f "$TMPD/www/big" ] || mkrand "$TMPD/www/big" $((4 << 20))
	# Where rs1's errors come from: counted, not filtered.
	ip netns exec "$r" nft -f - <<NFT || die "nft on rs1"
table ip pmtu {
	chain in {
		type filter hook input priority 0;
		ip saddr $D1_IP icmp type destination-unreachable icmp code frag-needed counter
		ip saddr $LIP icmp type destination-unreachable icmp code frag-needed counter
	}
}
NFT
	nginx_start "$r" rs1 "$TMPD/www"
	wait_tcp_listen "$r" 80

	lb_start "$NS_D" d1 d0 d1
	lb_service tcp "$VIP_NAT" 80 rr
	lb_server tcp "$VIP_NAT" 80 "${RS_IP[1]}" nat 1
	adm -A -t "$VIP_FN:80" -s rr --laddr "$LIP" || die "-A fullnat"
	adm -a -t "$VIP_FN:80" -r "${RS_IP[1]}:80" --fullnat ||
	    die "-a fullnat"

	get "$VIP_NAT" nat
	cached nat "$C_IP"
	get "$VIP_FN" fullnat
	cached fullnat "$LIP"
	# -L -c -n shows the LIP:lport of fullnat connections (local).
	adm -L -c -n >"$TMPD/conns.out" 2>&1
	if awk -v v="$VIP_FN:80" -v l="$LIP:" '$5 == v && index($6, l) == 1 &&
	    $7 == "'"${RS_IP[1]}"':80" { f = 1 } END { exit !f }' \
	    "$TMPD/conns.out"; then
		pass "uvsadm -L -c -n shows the fullnat connection's LIP:lport"
	else
		fail "uvsadm -L -c -n lacks the LIP:lport: $(tr '\n' '|' <"$TMPD/conns.out" | head -c 400)"
	fi
	ip netns exec "$r" nft list chain ip pmtu in >"$TMPD/nft.out"
	for src in "$D1_IP" "$LIP"; do
		n=$(awk -v s="$src" '$0 ~ "saddr " s " " { for (i = 1; i < NF; i++)
		    if ($i == "packets") print $(i + 1) }' "$TMPD/nft.out")
		[ "${n:-0}" -ge 1 ] &&
		    pass "rs1 got $n fragmentation needed from $src" ||
		    fail "rs1 got ${n:-no} fragmentation needed from $src"
	done
	n=$(drop_count frag-needed)
	[ "${n:-0}" -ge 2 ] && pass "uvsd answered $n replies with frag-needed" ||
	    fail "uvsd answered ${n:-no} replies with frag-needed, want 2 or more"
	uvsd_alive || fail "uvsd died"
	lb_stop
	teardown
done
finish
