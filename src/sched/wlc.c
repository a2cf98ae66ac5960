/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wlc: weighted least connections, IPVS's default (ip_vs_wlc.c).  The
 * server with the least overhead per unit of weight wins.  Workers,
 * reading counters that other workers move.
 */
#include "config.h"

#include <stdint.h>

#include "sched/sched.h"
#include "table.h"

/*
 * min overhead(rs) / weight(rs) over available rs, compared without a
 * division as IPVS does: rs beats least when
 *	overhead(least) * weight(rs) > overhead(rs) * weight(least).
 * Overheads are < 2^32 and weights < 2^31, so the products fit 64 bits.
 * Ties go to the first configured.
 */
static struct rs *
wlc_schedule(const struct svc *svc, const struct tuple *t)
{
	struct rs	*rs, *least = NULL;
	uint64_t	 oh, loh = 0;
	unsigned	 i;

	for (i = 0; i < svc->svc_nrs; i++) {
		rs = &svc->svc_rs[i];
		if (!rs_available(rs))
			continue;
		oh = sched_overhead(rs);
		if (least == NULL ||
		    loh * (uint64_t)rs->rs_weight >
		    oh * (uint64_t)least->rs_weight) {
			least = rs;
			loh = oh;
		}
	}
	return least;
}

const struct sched_ops sched_wlc = {
	.name		= "wlc",
	.schedule	= wlc_schedule,
};
