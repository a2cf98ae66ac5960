#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The kernel's IPVS selftest (tools/testing/selftests/net/netfilter/
# ipvs.sh, test_dr) with uvsd as the director: 32 random bytes and 4 MiB
# go from the client through VIP 207.175.44.110:8080 to the real server,
# which answers straight to the client over its second leg.  The VIP is
# also on the director's lo and forwarding is on, as in the selftest, so
# uvsd's nft drop has to keep the host stack out.  Offloads on, then off.
#
#   ns0 (client)                 ns1 (director, uvsd)       ns2 (real server)
#   br0 10.0.0.2/24              veth10 10.0.0.1/24 GIP     veth21 172.16.0.2/24 RIP
#    |- veth01 ----------------- veth10                     veth20 10.0.0.3/24 SIP
#    `- veth02 -------------------------------------------- veth20  (replies)
#                                veth12 172.16.0.1/24 DIP - veth21
#   VIP 207.175.44.110 on lo of ns1 and ns2 (arp_ignore=1, arp_announce=2)

. "$(dirname "$0")/lib.sh"
uvs_init selftest-dr 120 cmp
selftest_run dr
finish
