#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The kernel's IPVS selftest (ipvs.sh, test_nat) with uvsd as the
# director: the real server loses its direct leg and routes everything
# via the director (172.16.0.1), which rewrites VIP 207.175.44.110:8080 to
# 172.16.0.2:8080 and back.  32 random bytes and 4 MiB must arrive
# intact; offloads on, then off.
#
#   ns0 (client)                 ns1 (director, uvsd)       ns2 (real server)
#   br0 10.0.0.2/24              veth10 10.0.0.1/24 GIP     veth21 172.16.0.2/24 RIP
#    |- veth01 ----------------- veth10                     default via 172.16.0.1
#    `- veth02 (dangling: ns2's veth20 is deleted)
#                                veth12 172.16.0.1/24 DIP - veth21

. "$(dirname "$0")/lib.sh"
uvs_init selftest-nat 120 cmp
selftest_run nat
finish
