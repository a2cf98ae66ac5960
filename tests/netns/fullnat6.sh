#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fullnat.sh over IPv6: the same checks (PROXY v1 and v2 through nginx and
# an echo, a server that speaks first, UDP, -S/-R), real servers routing
# only the IPv6 LIPs' prefix back, with offloads on and off.
FN_V6=1
. "$(dirname "$0")/fullnat.sh"
