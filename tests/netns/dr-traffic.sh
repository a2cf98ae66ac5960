#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Direct routing under real traffic: uvsd on the director serves VIP
# 203.0.113.10 (tcp 80 and udp 9000 over three real servers, tcp 5201 on
# rs1 for iperf3); real servers hold the VIP on lo and answer through the
# router, bypassing the director.  Checks, with offloads on and then off:
# 10 KiB and 8 MiB downloads intact (sha256), UDP datagrams of 1..1472
# bytes echoed intact, iperf3 for 3 s, rr 10/10/10 over 30 connections,
# wrr 1:2:3 about 10/20/30 over 60 (rule in lib.sh, traffic_suite).
#
#                 sw: br0 (10.0.1.0/24)                  br1 (10.0.2.0/24)
#   c: c0 .2 ------ br0 ---- d0 .1  d (uvsd)  d1 .1 ---- br1 ---- e0 .11 rs1
#                    |                                    | ----- e0 .12 rs2
#                    `---- r0 .254  rt  r1 .254 ----------' ----- e0 .13 rs3
#   requests: c -> d -> rsN;  replies: rsN -> rt -> c  (from VIP, via rule)

. "$(dirname "$0")/lib.sh"
uvs_init dr-traffic 300 nginx iperf3 cmp ss
traffic_suite dr
finish
