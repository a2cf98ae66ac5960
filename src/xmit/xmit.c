/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table of forwarding methods (xmit.h) and what they share: sending
 * a frame to a real server's next hop.  Workers, except xmit_parse().
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "conn.h"
#include "daemon.h"
#include "iface.h"
#include "pkt.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "worker.h"
#include "xmit/xmit.h"

static const struct xmit_ops *const xmits[XMIT__MAX] = {
	[XMIT_DR]	= &xmit_dr,
	[XMIT_NAT]	= &xmit_nat,
	[XMIT_FULLNAT]	= &xmit_fullnat,
	[XMIT_TUN]	= &xmit_tun,
};

const struct xmit_ops *
xmit_get(int m)
{
	if (m < 0 || m >= XMIT__MAX)
		return NULL;
	return xmits[m];
}

int
xmit_parse(const char *name)
{
	unsigned	 i;

	for (i = 0; i < nitems(xmits); i++)
		if (strcmp(xmits[i]->name, name) == 0)
			return (int)i;
	return -EINVAL;
}

int
xmit_to_rs(struct worker *w, struct pkt *p, const struct conn *c,
    unsigned *ret_iface)
{
	const struct iface *ifs = w->w_d->d_ifs;
	/* One load: control may update the next hop at any time. */
	uint64_t	 nh = __atomic_load_n(&c->c_rs->rss_nh, __ATOMIC_RELAXED);

	if (!(nh & NH_VALID))
		return DROP_NO_NEIGH;
	nh_mac_unpack(nh, p->p_l2);
	memcpy(p->p_l2 + 6, ifs[NH_IFACE(nh)].if_mac, 6);
	*ret_iface = NH_IFACE(nh);
	return DROP_NONE;
}

int
xmit_to_client(struct worker *w, struct pkt *p, const struct conn *c,
    unsigned *ret_iface)
{
	memcpy(p->p_l2, c->c_cmac, 6);
	memcpy(p->p_l2 + 6, w->w_d->d_ifs[c->c_ciface].if_mac, 6);
	*ret_iface = c->c_ciface;
	return DROP_NONE;
}
