/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rr: round robin over the available real servers.
 *
 * init (control thread) lists the servers with a weight when the
 * snapshot is built; schedule (workers) takes a ticket from a counter
 * shared by all workers and picks ticket mod n in that list, or the next
 * one that is not overloaded (-x).  Tickets are handed out once each, so
 * consecutive picks from any mix of workers cycle exactly and every
 * server's share is within one of the others'.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "sched/sched.h"
#include "table.h"

struct rr_data {
	unsigned long	 rd_ticket;	/* atomic; next pick */
	unsigned	 rd_n;
	unsigned	 rd_idx[];	/* [rd_n] available, config order */
};

static int
rr_init(struct svc *svc)
{
	struct rr_data	*rd;
	unsigned	 i;

	rd = calloc(1, sizeof(*rd) + svc->svc_nrs * sizeof(rd->rd_idx[0]));
	if (rd == NULL)
		return -ENOMEM;
	/* Overload comes and goes in place: schedule probes it. */
	for (i = 0; i < svc->svc_nrs; i++)
		if (svc->svc_rs[i].rs_weight > 0)
			rd->rd_idx[rd->rd_n++] = i;
	svc->svc_sched_data = rd;
	return 0;
}

static void
rr_done(struct svc *svc)
{
	free(svc->svc_sched_data);
	svc->svc_sched_data = NULL;
}

/* next = ticket mod n over the available servers, in configuration order. */
static struct rs *
rr_schedule(const struct svc *svc, const struct tuple *t)
{
	struct rr_data	*rd = svc->svc_sched_data;
	struct rs	*rs;
	unsigned long	 tk;
	unsigned	 i, n = rd->rd_n;

	if (n == 0)
		return NULL;
	tk = __atomic_fetch_add(&rd->rd_ticket, 1, __ATOMIC_RELAXED);
	/* Skip overloaded servers (-x), keeping the others' order. */
	for (i = 0; i < n; i++) {
		rs = &svc->svc_rs[rd->rd_idx[(tk + i) % n]];
		if (rs_available(rs))
			return rs;
	}
	return NULL;
}

const struct sched_ops sched_rr = {
	.name		= "rr",
	.init		= rr_init,
	.done		= rr_done,
	.schedule	= rr_schedule,
};
