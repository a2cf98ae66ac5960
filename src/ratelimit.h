/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A token bucket for the ICMP errors uvsd makes itself (pmtu.c), as the
 * kernel's icmp_global_allow(): <rate> tokens a second up to <burst>,
 * refilled in steps of at least 20 ms, one token per message.  One per
 * worker, written by that worker only: no lock, no atomic.
 */
#ifndef UVS_RATELIMIT_H
#define UVS_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* The kernel's long-standing icmp_msgs_per_sec and icmp_msgs_burst. */
#define ICMP_RATE	1000
#define ICMP_BURST	50

struct tbucket {
	uint64_t	 tb_stamp;	/* ms of the last refill */
	uint32_t	 tb_credit;	/* tokens left */
	bool		 tb_started;	/* a zeroed bucket starts full */
};

/*
 * May one more message go at <now_ms> (any monotonic millisecond clock)?
 * Takes its token if so.
 */
bool	 tbucket_allow(struct tbucket *tb, uint64_t now_ms, uint32_t rate,
	    uint32_t burst);
/* Milliseconds of CLOCK_MONOTONIC_COARSE (vDSO: no system call). */
uint64_t ratelimit_now_ms(void);

#endif
