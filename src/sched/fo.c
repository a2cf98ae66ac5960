/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fo: weighted failover, as IPVS's ip_vs_fo.c.  Every new connection
 * goes to the available server with the highest weight (the first
 * configured among equals); the others wait until it is quiesced,
 * overloaded (-x) or removed.  Workers.
 */
#include "config.h"

#include <stdint.h>

#include "sched/sched.h"
#include "table.h"

static struct rs *
fo_schedule(const struct svc *svc, const struct tuple *t)
{
	struct rs	*rs, *best = NULL;
	unsigned	 i;

	for (i = 0; i < svc->svc_nrs; i++) {
		rs = &svc->svc_rs[i];
		if (rs_available(rs) &&
		    (best == NULL || rs->rs_weight > best->rs_weight))
			best = rs;
	}
	return best;
}

const struct sched_ops sched_fo = {
	.name		= "fo",
	.schedule	= fo_schedule,
};
