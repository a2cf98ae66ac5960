#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Masquerading over IPv6: uvsd serves [2001:db8:113::20] (tcp 80, udp
# 9000) over three real servers whose IPv6 default route is the
# director.  With offloads on and then off: 10 KiB and 8 MiB
# downloads intact (sha256), UDP datagrams of 1..1452 bytes echoed
# intact, rr 10/10/10 over 30 connections, replies come back through
# uvsd with their hop limit lowered (traffic6_suite, lab_v6 in lib.sh).

. "$(dirname "$0")/lib.sh"
uvs_init nat6-traffic 120 nginx cmp ss python3
need_uvsd
traffic6_suite nat
finish
