/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ICMP errors about connections (RFC 792, RFC 4443), as IPVS relays them
 * (ip_vs_in_icmp(), ip_vs_out_icmp(), ip_vs_nat_icmp()): an error quotes
 * the head of the packet it is about, so the quoted header, read in
 * reverse, is the tuple of the connection it concerns.  icmp_parse()
 * checks an error and finds that tuple; icmp_rewrite() changes the outer
 * and quoted addresses and port of a nat connection's error, with the
 * outer and quoted IPv4 header checksums, the quoted TCP/UDP checksum when
 * it was quoted (a truncated quote is never verified: it cannot be), and
 * the ICMP checksum over every byte that changed (ICMPv6: its
 * pseudo-header too) updated incrementally.  Workers, tests, the fuzz
 * target; pure code.
 */
#ifndef UVS_ICMP_H
#define UVS_ICMP_H

#include <stdbool.h>
#include <stdint.h>

#include "pkt.h"

struct icmp_err {
	uint16_t	 ie_off;	/* ICMP header, from p_l2 */
	uint16_t	 ie_in3off;	/* quoted IP header, from p_l2 */
	uint16_t	 ie_in4off;	/* quoted TCP/UDP, from p_l2 */
	uint16_t	 ie_in4len;	/* quoted TCP/UDP bytes (>= 8) */
	uint32_t	 ie_len;	/* ICMP message, header included */
	uint8_t		 ie_type;
	uint8_t		 ie_code;
	/*
	 * The quoted packet's tuple reversed: the flow the error concerns,
	 * as a packet in the other direction carries it (client -> VIP for
	 * an error about what the VIP sent, real server -> client for one
	 * about what a client sent to a nat real server).
	 */
	struct tuple	 ie_tuple;
};

/* Is <p> (pkt_parse() said DROP_PROTO) ICMP of its address family? */
static inline bool
icmp_is(const struct pkt *p)
{
	return p->p_l4off != 0 && p->p_tuple.t_proto ==
	    (p->p_tuple.t_af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
}

/*
 * Decode the ICMP message of <p>, for which pkt_parse() returned
 * DROP_PROTO and icmp_is() holds.  An error of a kind IPVS relays
 * (IPv4: destination unreachable, source quench, time exceeded; IPv6:
 * every error type) quoting at least an IP header and 8 bytes of TCP or
 * UDP gives DROP_NONE and <ret>; otherwise DROP_PROTO (not an error,
 * or about another protocol: the host's business), DROP_ICMP_SHORT,
 * DROP_ICMP_INNER (quoted header inconsistent, or a later fragment) or
 * DROP_ICMP_CSUM (a complete ICMP checksum that does not verify).
 */
int	 icmp_parse(const struct pkt *p, struct icmp_err *ret);

/*
 * Rewrite error <ie> of <p> for a nat connection.  <to_rs>: an error
 * about what the VIP sent, bound for the real server: the outer
 * destination and the quoted source become <addr>, the quoted source
 * port <port>.  Otherwise an error about what a client sent the real
 * server, bound for the client: the outer source and the quoted
 * destination become <addr>, the quoted destination port <port>.
 * <addr> and <port> are in network order, of <p>'s family.  Updates
 * p_tuple's outer addresses.
 */
void	 icmp_rewrite(struct pkt *p, const struct icmp_err *ie, bool to_rs,
	    const union inaddr *addr, uint16_t port);

/*
 * Set the 32-bit word at <off> bytes into the quoted TCP/UDP header (a
 * TCP sequence number: fullnat's PROXY shift) to <val> (network order),
 * with the quoted checksum, when quoted, and the ICMP checksum updated.
 * Nothing happens when the quote holds fewer than <off> + 4 bytes.
 */
void	 icmp_quote_set32(struct pkt *p, const struct icmp_err *ie,
	    uint32_t off, uint32_t val);

/* Verify <p>'s ICMP checksum from scratch (tests, fuzz target). */
bool	 icmp_csum_ok(const struct pkt *p, const struct icmp_err *ie);

/*
 * An ICMP "fragmentation needed" (ICMPv6 "packet too big") about a packet
 * we tunnelled to a real server (xmit/tun.c), as IPVS's ip_vs_in_icmp()
 * "special case for errors for IPIP/UDP/GRE tunnel packets": a router
 * between us and the real server quotes the outer header (IPIP or IPv6
 * in IPv4 or IPv6, UDP carrying GUE, or GRE), behind which lies the head
 * of the client's packet, unchanged.
 */
struct icmp_tun {
	uint16_t	 it_in3off;	/* the client's IP header, from p_l2 */
	uint16_t	 it_inlen;	/* bytes of it quoted (>= IP + 8) */
	uint32_t	 it_mtu;	/* the MTU the error reports */
	uint8_t		 it_type;	/* RS_TUN_* the quote shows */
	uint8_t		 it_oaf;	/* outer family */
	uint16_t	 it_port;	/* GUE: UDP destination, host order */
	union inaddr	 it_rip;	/* outer destination: the real server */
	/* The client's packet's tuple as it is (client -> VIP). */
	struct tuple	 it_tuple;
};

/*
 * Decode <p> (as for icmp_parse()) as an error about a tunnel packet.
 * DROP_NONE and <ret>; DROP_PROTO when it is not fragmentation needed /
 * packet too big, or its quote no tunnel packet (UDP that is not GUE
 * included: an ordinary error, icmp_parse()'s); DROP_ICMP_SHORT,
 * DROP_ICMP_INNER (headers inconsistent, GRE of a kind we never send, a
 * later fragment) or DROP_ICMP_CSUM for a malformed one.
 */
int	 icmp_parse_tun(const struct pkt *p, struct icmp_tun *ret);

#endif
