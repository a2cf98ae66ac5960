/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wlc: weighted least connections, IPVS's default (ip_vs_wlc.c).  The
 * server with the least overhead (active * 256 + inactive) per unit of
 * weight wins; ties go to the first configured.  Workers, reading
 * counters that other workers move.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

#include "sched/sched.h"
#include "table.h"

static struct rs *
wlc_schedule(const struct svc *svc, const struct tuple *t)
{
	return sched_least(svc, sched_overhead, true);
}

const struct sched_ops sched_wlc = {
	.name		= "wlc",
	.schedule	= wlc_schedule,
};
