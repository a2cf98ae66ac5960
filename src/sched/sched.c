/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table of schedulers and what they share: IPVS's connection
 * overhead.  sched_find() runs in the control thread when a service is
 * configured, sched_overhead() in workers while they schedule.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "sched/sched.h"
#include "table.h"
#include "util.h"

static const struct sched_ops *const scheds[] = {
	&sched_rr,
	&sched_wrr,
	&sched_lc,
	&sched_wlc,
};

const struct sched_ops *
sched_find(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < nitems(scheds); i++)
		if (strcmp(scheds[i]->name, name) == 0)
			return scheds[i];
	return NULL;
}

/*
 * ip_vs_dest_conn_overhead(): an active connection weighs 256 inactive
 * ones.  The counters move under us; a transiently negative one (a
 * decrement seen before its increment) counts as 0.
 */
uint32_t
sched_overhead(const struct rs *rs)
{
	int32_t		 a, i;
	uint64_t	 oh;

	a = __atomic_load_n(&rs->rs_st->rss_active, __ATOMIC_RELAXED);
	i = __atomic_load_n(&rs->rs_st->rss_inactive, __ATOMIC_RELAXED);
	oh = (uint64_t)(a > 0 ? a : 0) * 256 + (uint64_t)(i > 0 ? i : 0);
	return oh > UINT32_MAX ? UINT32_MAX : (uint32_t)oh;
}
