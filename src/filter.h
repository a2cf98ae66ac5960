/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The classic BPF socket filter every ring socket carries: it admits what
 * uvsd handles (IPv4 and IPv6 frames to a VIP or a fullnat LIP, from a
 * nat real server, and ARP requests and neighbour solicitations for the
 * VIPs it answers for) and nothing else, so the host's other traffic
 * costs the workers nothing.  Offsets are from the Ethernet header
 * (SO_ATTACH_FILTER on SOCK_RAW); accepted frames return 0xffffffff,
 * never a snap length, because GSO frames are long.  Past
 * FILTER_ADDR_MAX IPv4 or FILTER_ADDR6_MAX IPv6 addresses, or when the
 * program would pass the kernel's 4096 instructions, it degrades to "all
 * IPv6", "all ARP", then "all IPv4", and the workers' exact check does
 * the rest.  Control thread.
 */
#ifndef UVS_FILTER_H
#define UVS_FILTER_H

#include <linux/filter.h>

struct arpnd;
struct table;

#define FILTER_ADDR_MAX		1000
#define FILTER_ADDR6_MAX	200	/* 9 instructions each */

/*
 * Build the program for snapshot <t> (NULL: admit nothing) and the ARP
 * and NS answering policy <an> (NULL: answer nothing) into <prog>;
 * prog->filter is malloc'ed, free it with filter_free().  0 or -ENOMEM.
 */
int	 filter_build(const struct table *t, const struct arpnd *an,
	    struct sock_fprog *prog);
void	 filter_free(struct sock_fprog *prog);

#endif
