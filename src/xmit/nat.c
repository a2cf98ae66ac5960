/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Masquerading (-m): the destination VIP:port becomes RIP:port on the way
 * in; the real server's replies come back through us (it routes via the
 * director) and get VIP:port back as their source, with the TTL (IPv6:
 * the hop limit) lowered as a router does.  Replies go to the MAC the
 * client's frames came from, on the interface they came in.  Either
 * family; checksums are updated incrementally, partial ones as partial
 * (pkt.c).  ICMP errors about a connection are rewritten both ways as
 * IPVS's ip_vs_nat_icmp() does (icmp.c).  Workers.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "conn.h"
#include "daemon.h"
#include "icmp.h"
#include "iface.h"
#include "pkt.h"
#include "stats.h"
#include "worker.h"
#include "xmit/xmit.h"

static int
nat_in(struct worker *w, struct pkt *p, const struct conn *c,
    unsigned *ret_iface)
{
	const struct tuple *out = &c->c_tuple[CONN_OUT];

	pkt_rewrite(p, true, &out->t_src, out->t_sport);
	return xmit_to_rs(w, p, c, ret_iface);
}

static int
nat_out(struct worker *w, struct pkt *p, const struct conn *c,
    unsigned *ret_iface)
{
	const struct tuple *in = &c->c_tuple[CONN_IN];

	if (!pkt_ttl_dec(p))
		return DROP_TTL;
	pkt_rewrite(p, false, &in->t_dst, in->t_dport);
	return xmit_to_client(w, p, c, ret_iface);
}

/* ip_vs_nat_icmp(), inout 0: outer destination and quoted source to RIP. */
static int
nat_icmp_in(struct worker *w, struct pkt *p, const struct icmp_err *ie,
    const struct conn *c, unsigned *ret_iface)
{
	const struct tuple *out = &c->c_tuple[CONN_OUT];

	icmp_rewrite(p, ie, true, &out->t_src, out->t_sport);
	return xmit_to_rs(w, p, c, ret_iface);
}

/*
 * ip_vs_nat_icmp(), inout 1: outer source and quoted destination to
 * VIP, whoever between the real server and us sent the error.
 */
static int
nat_icmp_out(struct worker *w, struct pkt *p, const struct icmp_err *ie,
    const struct conn *c, unsigned *ret_iface)
{
	const struct tuple *in = &c->c_tuple[CONN_IN];

	if (!pkt_ttl_dec(p))
		return DROP_TTL;
	icmp_rewrite(p, ie, false, &in->t_dst, in->t_dport);
	return xmit_to_client(w, p, c, ret_iface);
}

const struct xmit_ops xmit_nat = {
	.name		= "nat",
	.fwd		= "Masq",
	.ipv6		= true,
	.in		= nat_in,
	.out		= nat_out,
	.icmp_in	= nat_icmp_in,
	.icmp_out	= nat_icmp_out,
};
