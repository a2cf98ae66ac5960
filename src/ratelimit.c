/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Token bucket (ratelimit.h), after the kernel's icmp_global_allow().
 */
#include "config.h"

#include <time.h>

#include "ratelimit.h"

#define REFILL_MIN_MS	20	/* HZ / 50, as the kernel */
#define REFILL_MAX_MS	60000	/* keeps rate * delta within 64 bits */

bool
tbucket_allow(struct tbucket *tb, uint64_t now_ms, uint32_t rate,
    uint32_t burst)
{
	uint64_t	 delta, incr, credit;

	if (!tb->tb_started) {
		tb->tb_started = true;
		tb->tb_stamp = now_ms;
		tb->tb_credit = burst;
	}
	/* A clock that went back (another worker's stamp): no refill. */
	delta = now_ms > tb->tb_stamp ? now_ms - tb->tb_stamp : 0;
	if (delta >= REFILL_MIN_MS) {
		if (delta > REFILL_MAX_MS)
			delta = REFILL_MAX_MS;
		incr = (uint64_t)rate * delta / 1000;
		if (incr != 0) {
			/* Not when nothing came in: a slow rate still adds up. */
			tb->tb_stamp = now_ms;
			credit = tb->tb_credit + incr;
			tb->tb_credit = credit > burst ? burst :
			    (uint32_t)credit;
		}
	}
	if (tb->tb_credit > burst)
		tb->tb_credit = burst;
	if (tb->tb_credit == 0)
		return false;
	tb->tb_credit--;
	return true;
}

uint64_t
ratelimit_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
