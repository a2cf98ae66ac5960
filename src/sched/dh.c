/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dh: destination hashing, as IPVS's ip_vs_dh.c.  init (control thread)
 * deals 256 buckets out to the servers by weight (sched_tile()); a new
 * connection goes to the server of bucket hash(destination address) if
 * it is available, else nowhere.  A uvs service has one VIP, so all its
 * connections share a bucket unless the service spans addresses (a
 * service group); dh is for caches in front of many destinations, as in
 * IPVS.  Workers read the table.
 *
 *	bucket = (fold(daddr) * 2654435761) & 255
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "pkt.h"
#include "sched/sched.h"
#include "table.h"

#define DH_TAB_SIZE	256U

struct dh_data {
	uint16_t	 dd_tab[DH_TAB_SIZE];	/* svc_rs index or SCHED_TILE_NONE */
};

static int
dh_init(struct svc *svc)
{
	struct dh_data	*dd;

	if ((dd = malloc(sizeof(*dd))) == NULL)
		return -ENOMEM;
	sched_tile(svc, dd->dd_tab, DH_TAB_SIZE);
	svc->svc_sched_data = dd;
	return 0;
}

static void
dh_done(struct svc *svc)
{
	free(svc->svc_sched_data);
	svc->svc_sched_data = NULL;
}

static struct rs *
dh_schedule(const struct svc *svc, const struct tuple *t)
{
	const struct dh_data *dd = svc->svc_sched_data;
	struct rs	*rs;
	unsigned	 h;

	h = (sched_addr_fold(&t->t_dst, t->t_af) * 2654435761U) &
	    (DH_TAB_SIZE - 1);
	if (dd->dd_tab[h] == SCHED_TILE_NONE)
		return NULL;
	rs = &svc->svc_rs[dd->dd_tab[h]];
	return rs_available(rs) ? rs : NULL;
}

const struct sched_ops sched_dh = {
	.name		= "dh",
	.init		= dh_init,
	.done		= dh_done,
	.schedule	= dh_schedule,
};
