/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Answering ARP requests for IPv4 VIPs and neighbour solicitations for
 * IPv6 VIPs, so that a VIP need not be an address of the director: the
 * clients' router (or the clients) resolve it to the director's MAC on
 * the interface the question came in.  What to answer for is a policy
 * fixed at start (uvsd.conf answer_neighbours): nothing, every VIP of
 * the current configuration, or the VIPs among a list of addresses.
 *
 * Workers decode requests (arpnd_decode(), pure, fuzzed) and build the
 * replies in scratch (arpnd_frame()); the control thread keeps the
 * interfaces listening to the solicited-node multicast group of each
 * answered IPv6 VIP (arpnd_mc_*(), PACKET_ADD_MEMBERSHIP).
 */
#ifndef UVS_ARPND_H
#define UVS_ARPND_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct iface;
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

/* A request worth answering, as arpnd_decode() found it. */
struct arpnd_req {
	uint8_t		 rq_af;		/* AF_INET: ARP, AF_INET6: NS */
	bool		 rq_dad;	/* NS from :: (duplicate detection) */
	uint8_t		 rq_mac[6];	/* where the answer goes */
	union inaddr	 rq_target;	/* the address asked for */
	union inaddr	 rq_sender;	/* ARP spa, NS source */
};

#define ARPND_ARP_LEN	60	/* ARP reply, padded to the Ethernet minimum */
#define ARPND_NA_LEN	86	/* Ethernet + IPv6 + NA with a target LLA */

/*
 * Decode the Ethernet frame of <len> bytes at <f>: 1 and <rq> for an ARP
 * request or a neighbour solicitation (ICMPv6 right after the fixed
 * header) to answer if its target is ours; 0 for ARP or ICMPv6 that asks
 * nothing (replies, announcements, other ICMPv6); a negative DROP_*
 * reason (-DROP_BAD_ARP, -DROP_BAD_NS) for a malformed one.  Checks what
 * RFC 826 and RFC 4861 7.1.1 require: hop limit 255, code 0, checksum,
 * length, options, no source link-layer option from ::, a unicast
 * target.  Pure.
 */
int	 arpnd_decode(const uint8_t *f, uint32_t len, struct arpnd_req *rq);
/*
 * The reply to <rq> from MAC <mac> into <buf> (ARPND_ARP_LEN or
 * ARPND_NA_LEN bytes): an ARP reply, or a neighbour advertisement (to
 * the solicitor, solicited and override set; after DAD to all nodes,
 * not solicited) carrying <mac> as target link-layer address.  Returns
 * the frame's length.  Pure.
 */
uint32_t arpnd_build(uint8_t *buf, const struct arpnd_req *rq,
	    const uint8_t *mac);
/*
 * A worker's handling of the ARP or ICMPv6 frame <f> that came in on
 * interface slot <slot>: answer it (worker_tx() from scratch) when it
 * asks for a VIP of snapshot <t> that the daemon's policy answers for.
 * DROP_NONE when answered, else the reason it was not.
 */
int	 arpnd_frame(struct worker *w, const struct table *t, unsigned slot,
	    const uint8_t *f, uint32_t len);

/*
 * Solicited-node multicast memberships (33:33:ff:xx:xx:xx) of the
 * answered IPv6 VIPs on every served interface, on a socket that
 * receives nothing itself.  Control thread.
 */
struct arpnd_mc;

struct arpnd_mc *arpnd_mc_open(void);
/* Join the groups <t>'s answered VIPs need, leave the others.  0/-errno. */
int	 arpnd_mc_sync(struct arpnd_mc *mc, const struct iface *ifs,
	    unsigned nifs, const struct arpnd *an, const struct table *t);
void	 arpnd_mc_close(struct arpnd_mc *mc);

#endif
