/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * twos: weighted random two choices, as IPVS's ip_vs_twos.c.  Two
 * servers are drawn at random, each with probability proportional to
 * its weight, and the one with the smaller overhead / weight wins (the
 * first draw on a tie).  The random numbers come from a xorshift64*
 * generator per worker thread, seeded without a system call from the
 * thread's own address, the clock and a shared counter: scheduling must
 * not enter the kernel, and this needs spread, not secrecy.  Workers.
 */
#include "config.h"

#include <stdint.h>

#include "sched/sched.h"
#include "table.h"

static __thread uint64_t	 twos_state;	/* 0: not seeded yet */
static uint64_t			 twos_seeds;	/* atomic */

static uint64_t
twos_random(void)
{
	uint64_t	 x = twos_state;

	if (x == 0) {
		/* splitmix64 of what differs between threads and runs. */
		x = (uint64_t)(uintptr_t)&twos_state ^
		    ((uint64_t)sched_clock() << 32) ^
		    __atomic_add_fetch(&twos_seeds, 0x9E3779B97F4A7C15ULL,
		    __ATOMIC_RELAXED);
		x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
		x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
		x ^= x >> 31;
		if (x == 0)
			x = 1;
	}
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	twos_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/*
 * r1, r2 uniform in [0, sum(w)]; walking the available servers, each
 * draw stops at the first server where the running sum of weights
 * reaches it (IPVS's "+ 1" lets a draw of 0 land on the first one).
 * Then choice2 wins when overhead1 * w2 > overhead2 * w1.
 */
static struct rs *
twos_schedule(const struct svc *svc, const struct tuple *t)
{
	struct rs	*rs, *c1 = NULL, *c2 = NULL;
	uint64_t	 total = 0, r1, r2, oh1 = 0, oh2 = 0;
	unsigned	 i;

	for (i = 0; i < svc->svc_nrs; i++)
		if (rs_available(&svc->svc_rs[i]))
			total += (uint64_t)svc->svc_rs[i].rs_weight;
	if (total == 0)
		return NULL;
	r1 = twos_random() % (total + 1);
	r2 = twos_random() % (total + 1);
	for (i = 0; i < svc->svc_nrs && (c1 == NULL || c2 == NULL); i++) {
		rs = &svc->svc_rs[i];
		if (!rs_available(rs))
			continue;
		/* r -= w, stopping at r <= 0, without going below 0. */
		if (c1 == NULL) {
			if (r1 <= (uint64_t)rs->rs_weight) {
				c1 = rs;
				oh1 = sched_overhead(rs);
			} else
				r1 -= (uint64_t)rs->rs_weight;
		}
		if (c2 == NULL) {
			if (r2 <= (uint64_t)rs->rs_weight) {
				c2 = rs;
				oh2 = sched_overhead(rs);
			} else
				r2 -= (uint64_t)rs->rs_weight;
		}
	}
	/* A server went unavailable while we walked: take what we have. */
	if (c1 == NULL)
		return c2;
	if (c2 != NULL &&
	    oh1 * (uint64_t)c2->rs_weight > oh2 * (uint64_t)c1->rs_weight)
		return c2;
	return c1;
}

const struct sched_ops sched_twos = {
	.name		= "twos",
	.schedule	= twos_schedule,
};
