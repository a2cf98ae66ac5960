/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table of schedulers and what they share: IPVS's connection
 * overhead and address key.  sched_find() runs in the control thread
 * when a service is configured, the rest in workers while they schedule.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "conn.h"
#include "sched/sched.h"
#include "table.h"
#include "util.h"

static const struct sched_ops *const scheds[] = {
	&sched_rr,
	&sched_wrr,
	&sched_lc,
	&sched_wlc,
	&sched_lblc,
	&sched_lblcr,
	&sched_dh,
	&sched_sh,
	&sched_sed,
	&sched_nq,
	&sched_fo,
	&sched_ovf,
	&sched_mh,
	&sched_twos,
};

uint32_t	(*sched_clock)(void) = conn_now;

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

/*
 * Compared without a division as IPVS does: rs beats least when
 *	cost(least) * weight(rs) > cost(rs) * weight(least).
 * Costs are < 2^32 and weights < 2^31, so the products fit 64 bits.
 */
struct rs *
sched_least(const struct svc *svc, uint32_t (*cost)(const struct rs *),
    bool weighted)
{
	struct rs	*rs, *least = NULL;
	uint64_t	 c, lc = 0, w, lw = 1;
	unsigned	 i;

	for (i = 0; i < svc->svc_nrs; i++) {
		rs = &svc->svc_rs[i];
		if (!rs_available(rs))
			continue;
		c = cost(rs);
		w = weighted ? (uint64_t)rs->rs_weight : 1;
		if (least == NULL || lc * w > c * lw) {
			least = rs;
			lc = c;
			lw = w;
			if (c == 0)
				break;
		}
	}
	return least;
}

/* addr_fold of ip_vs_sh.c and its neighbours, in host order. */
uint32_t
sched_addr_fold(const union inaddr *a, uint8_t af)
{
	if (af == AF_INET6)
		return ntohl(a->w[0] ^ a->w[1] ^ a->w[2] ^ a->w[3]);
	return ntohl(a->w[0]);
}

void
sched_tile(const struct svc *svc, uint16_t *tab, unsigned size)
{
	unsigned	 i, j = 0;
	int32_t		 d = 0;

	for (i = 0; i < size; i++) {
		if (svc->svc_nrs == 0) {
			tab[i] = SCHED_TILE_NONE;
			continue;
		}
		tab[i] = (uint16_t)j;
		/* Do not move on before the weight is filled. */
		if (++d >= svc->svc_rs[j].rs_weight) {
			j = (j + 1) % svc->svc_nrs;
			d = 0;
		}
	}
}

/* murmur3's finaliser over the address words and the family. */
uint64_t
sched_addr_mix(const union inaddr *a, uint8_t af)
{
	uint64_t	 x, y;

	x = ((uint64_t)a->w[0] << 32 | a->w[1]) ^ af;
	y = ((uint64_t)a->w[2] << 32 | a->w[3]) * 0x9E3779B97F4A7C15ULL;
	x ^= (y << 31) | (y >> 33);
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static int64_t
active_of(const struct rs *rs)
{
	return __atomic_load_n(&rs->rs_st->rss_active, __ATOMIC_RELAXED);
}

bool
sched_lb_overloaded(const struct rs *rs, const struct svc *svc)
{
	unsigned	 i;

	if (active_of(rs) <= rs->rs_weight)
		return false;
	for (i = 0; i < svc->svc_nrs; i++)
		if (active_of(&svc->svc_rs[i]) * 2 < svc->svc_rs[i].rs_weight)
			return true;
	return false;
}

void
sched_rs_map(const struct svc *old, const struct svc *svc, int *map)
{
	unsigned	 i, j, hint = 0;

	for (i = 0; i < old->svc_nrs; i++) {
		map[i] = -1;
		/* Order mostly survives: try where the last one matched. */
		for (j = 0; j < svc->svc_nrs; j++)
			if (svc->svc_rs[(hint + j) % svc->svc_nrs].rs_st ==
			    old->svc_rs[i].rs_st) {
				map[i] = (int)((hint + j) % svc->svc_nrs);
				hint = (unsigned)map[i] + 1;
				break;
			}
	}
}
