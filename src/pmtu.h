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

struct conn;
struct pkt;
struct worker;
union inaddr;

/*
 * Before a method that does not change a packet's size (dr, nat,
 * fullnat; not tun, which checks with its overhead) sends the client's
 * <p> to <c>'s real server: DROP_NONE when it fits the egress MTU (a GSO
 * super-packet: its segments) or may be fragmented, else what
 * pmtu_frag_needed() returns.  Unknown next hops are the method's.
 */
int	 pmtu_check(struct worker *w, const struct pkt *p, const struct conn *c);
/* May <p> be fragmented on its way (IPv4 without DF)? */
bool	 pmtu_may_fragment(const struct pkt *p);
/*
 * Answer the client's packet <p> (as received: addresses not yet
 * rewritten) with an ICMP error saying <mtu>, built in scratch and
 * queued on interface slot <iface> to <mac>.  Returns DROP_FRAG_NEEDED,
 * the reason the frame itself is dropped, DROP_ICMP_RATELIMIT when the
 * worker's ICMP token bucket (ratelimit.h) is empty, or the DROP_* of
 * a failure.
 */
int	 pmtu_frag_needed(struct worker *w, const struct pkt *p,
	    unsigned iface, const uint8_t mac[6], uint32_t mtu);
/*
 * The same for the IP datagram (family <af>) at <orig>, of which <olen>
 * bytes are at hand (a quote): from its destination to its source.
 */
int	 pmtu_frag_needed_ip(struct worker *w, int af, const uint8_t *orig,
	    uint32_t olen, unsigned iface, const uint8_t mac[6], uint32_t mtu);

/*
 * Would <p> be too big for <mtu> (a GSO super-packet: its segments) and
 * may it not be fragmented?  Pure.
 */
bool	 pmtu_too_big(const struct pkt *p, uint32_t mtu);
/*
 * Before a nat or fullnat method sends real server's reply <p> (as
 * received) to <c>'s client: DROP_NONE when it fits the client side's
 * MTU or may be fragmented (worker_tx() cuts it), else an ICMP error
 * with that MTU back to the real server, out of interface slot <iface>
 * the reply came in on, to its source MAC, and what
 * pmtu_frag_needed() returns.  The error's source is
 * pmtu_out_source().
 */
int	 pmtu_check_out(struct worker *w, const struct pkt *p,
	    const struct conn *c, unsigned iface);
/*
 * Where such an error comes from, given <c>'s real server's next hop
 * <nh> (rss_nh): fullnat NULL (the reply's destination, the LIP); nat
 * our address toward the real server (rss_src), or the VIP when none.
 */
const union inaddr *pmtu_out_source(const struct conn *c, uint64_t nh);

#endif
