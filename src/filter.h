/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The classic BPF socket filter every ring socket carries: it admits what
 * uvsd handles (IPv4 frames to a VIP, from a nat real server, and ICMP
 * quoting a packet to a nat real server) and
 * nothing else, so the host's other traffic costs the workers nothing.
 * Offsets are from the Ethernet header (SO_ATTACH_FILTER on SOCK_RAW);
 * accepted frames return 0xffffffff, never a snap length, because GSO
 * frames are long.  Past FILTER_ADDR_MAX addresses it degrades to "all
 * IPv4", and the workers' exact check does the rest.  Control thread.
 */
#ifndef UVS_FILTER_H
#define UVS_FILTER_H

#include <linux/filter.h>

struct table;

#define FILTER_ADDR_MAX	1000

/*
 * Build the program for snapshot <t> (NULL: admit nothing) into <prog>;
 * prog->filter is malloc'ed, free it with filter_free().  0 or -ENOMEM.
 */
int	 filter_build(const struct table *t, struct sock_fprog *prog);
void	 filter_free(struct sock_fprog *prog);

#endif
