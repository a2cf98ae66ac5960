/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nq: never queue, as IPVS's ip_vs_nq.c.  The first available server
 * without active connections wins at once; when every one is busy, the
 * least (active + 1) / weight, as sed.  Workers, reading counters that
 * other workers move.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

#include "sched/sched.h"
#include "table.h"

/* 0 for an idle server (sched_least() takes it at once), else active + 1. */
static uint32_t
nq_cost(const struct rs *rs)
{
	int32_t	 a = __atomic_load_n(&rs->rs_st->rss_active, __ATOMIC_RELAXED);

	return a <= 0 ? 0 : (uint32_t)a + 1;
}

static struct rs *
nq_schedule(const struct svc *svc, const struct tuple *t)
{
	return sched_least(svc, nq_cost, true);
}

const struct sched_ops sched_nq = {
	.name		= "nq",
	.schedule	= nq_schedule,
};
