/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sed: shortest expected delay, as IPVS's ip_vs_sed.c.  The server with
 * the least (active + 1) / weight wins: an idle heavy server beats an
 * idle light one.  IPVS counts only active connections here, not the
 * 256-weighted overhead of wlc.  Workers, reading counters that other
 * workers move.
 */
#include "config.h"

#include <stdint.h>

#include "sched/sched.h"
#include "table.h"

/* IPVS's ip_vs_sed_dest_overhead(): active + 1. */
static uint64_t
sed_overhead(const struct rs *rs)
{
	int32_t	 a = __atomic_load_n(&rs->rs_st->rss_active, __ATOMIC_RELAXED);

	return (uint64_t)(a > 0 ? a : 0) + 1;
}

/*
 * min (active + 1) / weight over available rs, without a division:
 * rs beats least when (least's) * weight(rs) > (rs's) * weight(least).
 * Ties go to the first configured.
 */
static struct rs *
sed_schedule(const struct svc *svc, const struct tuple *t)
{
	struct rs	*rs, *least = NULL;
	uint64_t	 oh, loh = 0;
	unsigned	 i;

	for (i = 0; i < svc->svc_nrs; i++) {
		rs = &svc->svc_rs[i];
		if (!rs_available(rs))
			continue;
		oh = sed_overhead(rs);
		if (least == NULL ||
		    loh * (uint64_t)rs->rs_weight >
		    oh * (uint64_t)least->rs_weight) {
			least = rs;
			loh = oh;
		}
	}
	return least;
}

const struct sched_ops sched_sed = {
	.name		= "sed",
	.schedule	= sed_schedule,
};
