/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Path MTU discovery for what we forward (IPVS pmtu_disc=1): a packet
 * that will not fit the egress MTU once rewritten or encapsulated, and
 * may not be fragmented (IPv4 DF, or IPv6), gets an ICMP "fragmentation
 * needed" (IPv6: "packet too big") back to its sender with the MTU that
 * would fit.  Workers.
 */
#ifndef UVS_PMTU_H
#define UVS_PMTU_H

#include <stdbool.h>
#include <stdint.h>

struct pkt;
struct worker;

/* May <p> be fragmented on its way (IPv4 without DF)? */
bool	 pmtu_may_fragment(const struct pkt *p);
/*
 * Answer the client's packet <p> (as received: addresses not yet
 * rewritten) with an ICMP error saying <mtu>, built in scratch and
 * queued on interface slot <iface> to <mac>.  Returns DROP_FRAG_NEEDED,
 * the reason the frame itself is dropped, or the DROP_* of a failure.
 */
int	 pmtu_frag_needed(struct worker *w, const struct pkt *p,
	    unsigned iface, const uint8_t mac[6], uint32_t mtu);

#endif
