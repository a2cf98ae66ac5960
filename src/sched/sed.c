/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sed: shortest expected delay, as IPVS's ip_vs_sed.c.  The server with
 * the least (active + 1) / weight wins: an idle heavy server beats an
 * idle light one.  IPVS counts only active connections here, not the
 * 256-weighted overhead of wlc.  Workers, reading counters that other
 * workers move.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

#include "sched/sched.h"
#include "table.h"

/* IPVS's ip_vs_sed_dest_overhead(): active + 1. */
static uint32_t
sed_cost(const struct rs *rs)
{
	int32_t	 a = __atomic_load_n(&rs->rs_st->rss_active, __ATOMIC_RELAXED);

	return (uint32_t)(a > 0 ? a : 0) + 1;
}

static struct rs *
sed_schedule(const struct svc *svc, const struct tuple *t)
{
	return sched_least(svc, sed_cost, true);
}

const struct sched_ops sched_sed = {
	.name		= "sed",
	.schedule	= sed_schedule,
};
