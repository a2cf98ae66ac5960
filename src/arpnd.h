/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Answering ARP requests for IPv4 VIPs and neighbour solicitations for
 * IPv6 VIPs, so that a VIP need not be an address of the director: the
 * clients' router (or the clients) resolve it to the director's MAC on
 * the interface the question came in.  What to answer for is a policy
 * fixed at start (uvsd.conf answer_neighbours): nothing, every VIP of
 * the current configuration, or the VIPs among a list of addresses.
 *
 * Workers decode requests (arpnd_decode_*(), pure, fuzzed) and build the
 * replies in scratch; the control thread keeps the interfaces listening
 * to the solicited-node multicast group of each answered IPv6 VIP.
 */
#ifndef UVS_ARPND_H
#define UVS_ARPND_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct table;
struct worker;

#define ARPND_ADDR_MAX	64	/* addresses in an answer_neighbours list */

struct arpnd {
	bool		 an_all;	/* every VIP */
	unsigned	 an_n;		/* else these, when they are VIPs */
	struct addr	 an_addr[ARPND_ADDR_MAX];
};

/* Does policy <an> (NULL: none) answer for VIP <a>?  Any thread. */
bool	 arpnd_wants(const struct arpnd *an, const struct addr *a);

#endif
