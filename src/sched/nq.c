/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nq: never queue, as IPVS's ip_vs_nq.c.  The first available server
 * without active connections wins at once; when every one is busy, the
 * least (active + 1) / weight, as sed.  Workers, reading counters that
 * other workers move.
 */
#include "config.h"

#include <stdint.h>

#include "sched/sched.h"
#include "table.h"

static struct rs *
nq_schedule(const struct svc *svc, const struct tuple *t)
{
	struct rs	*rs, *least = NULL;
	uint64_t	 oh, loh = 0;
	int32_t		 a;
	unsigned	 i;

	for (i = 0; i < svc->svc_nrs; i++) {
		rs = &svc->svc_rs[i];
		if (!rs_available(rs))
			continue;
		a = __atomic_load_n(&rs->rs_st->rss_active, __ATOMIC_RELAXED);
		/* Idle: no queue at all, take it. */
		if (a <= 0)
			return rs;
		oh = (uint64_t)a + 1;
		if (least == NULL ||
		    loh * (uint64_t)rs->rs_weight >
		    oh * (uint64_t)least->rs_weight) {
			least = rs;
			loh = oh;
		}
	}
	return least;
}

const struct sched_ops sched_nq = {
	.name		= "nq",
	.schedule	= nq_schedule,
};
