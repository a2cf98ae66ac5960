#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Direct routing over IPv6: uvsd serves [2001:db8:113::10] (tcp 80, udp
# 9000) over three real servers that hold the VIP on lo and answer
# through the router.  With offloads on and then off: 10 KiB and 8 MiB
# downloads intact (sha256), UDP datagrams of 1..1452 bytes echoed
# intact, rr 10/10/10 over 30 connections, replies bypass the director
# (traffic6_suite in lib.sh; addresses in lab_v6).

. "$(dirname "$0")/lib.sh"
uvs_init dr6-traffic 120 nginx cmp ss python3
need_uvsd
traffic6_suite dr
finish
