/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ovf: weighted overflow, as IPVS's ip_vs_ovf.c.  New connections go to
 * the available server with the highest weight (first configured among
 * equals) until its active connections exceed its weight; then to the
 * next heaviest, and so on.  The weight is a connection count here.
 * Workers, reading counters that other workers move.
 */
#include "config.h"

#include <stdint.h>

#include "sched/sched.h"
#include "table.h"

static struct rs *
ovf_schedule(const struct svc *svc, const struct tuple *t)
{
	struct rs	*rs, *best = NULL;
	int32_t		 a;
	unsigned	 i;

	for (i = 0; i < svc->svc_nrs; i++) {
		rs = &svc->svc_rs[i];
		if (!rs_available(rs))
			continue;
		a = __atomic_load_n(&rs->rs_st->rss_active, __ATOMIC_RELAXED);
		/* Full: active > weight. */
		if (a > rs->rs_weight)
			continue;
		if (best == NULL || rs->rs_weight > best->rs_weight)
			best = rs;
	}
	return best;
}

const struct sched_ops sched_ovf = {
	.name		= "ovf",
	.schedule	= ovf_schedule,
};
