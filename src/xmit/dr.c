/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Direct routing (-g): the frame goes to the real server's MAC unchanged
 * above layer 2; the real server has the VIP on a loopback and answers
 * the client directly.  Checksums and the vnet header stay valid as they
 * are.  ICMP errors about what it sent from the VIP reach it unchanged,
 * as IPVS's ip_vs_dr_xmit() sends them.  Workers.
 */
#include "config.h"

#include <stddef.h>

#include "xmit/xmit.h"

/* An error about what the real server sent from the VIP: as it is. */
static int
dr_icmp_in(struct worker *w, struct pkt *p, const struct icmp_err *ie,
    const struct conn *c, unsigned *ret_iface)
{
	(void)ie;
	return xmit_to_rs(w, p, c, ret_iface);
}

const struct xmit_ops xmit_dr = {
	.name		= "dr",
	.fwd		= "Route",
	.ipv6		= true,
	.in		= xmit_to_rs,
	.out		= NULL,
	.icmp_in	= dr_icmp_in,
	.icmp_out	= NULL,
};
