/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lc: least connections, as IPVS's ip_vs_lc.c.  The server with the
 * least overhead (active * 256 + inactive) wins; weights other than 0
 * play no part; ties go to the first configured.  Workers, reading
 * counters that other workers move.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

#include "sched/sched.h"
#include "table.h"

static struct rs *
lc_schedule(const struct svc *svc, const struct tuple *t)
{
	return sched_least(svc, sched_overhead, false);
}

const struct sched_ops sched_lc = {
	.name		= "lc",
	.schedule	= lc_schedule,
};
