/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lc: least connections, as IPVS's ip_vs_lc.c.  The server with the
 * least overhead (active * 256 + inactive) wins; weights other than 0
 * play no part.  Workers, reading counters that other workers move.
 */
#include "config.h"

#include <stdint.h>

#include "sched/sched.h"
#include "table.h"

/* min overhead(rs) over available rs; ties go to the first configured. */
static struct rs *
lc_schedule(const struct svc *svc, const struct tuple *t)
{
	struct rs	*rs, *least = NULL;
	uint32_t	 oh, loh = 0;
	unsigned	 i;

	for (i = 0; i < svc->svc_nrs; i++) {
		rs = &svc->svc_rs[i];
		if (!rs_available(rs))
			continue;
		oh = sched_overhead(rs);
		if (least == NULL || oh < loh) {
			least = rs;
			loh = oh;
		}
	}
	return least;
}

const struct sched_ops sched_lc = {
	.name		= "lc",
	.schedule	= lc_schedule,
};
