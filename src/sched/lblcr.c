/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lblcr: locality-based least connections with replication, as IPVS's
 * ip_vs_lblcr.c.  A destination address maps to a set of servers; a new
 * connection goes to the set's least loaded (overhead / weight) member
 * unless that one is overloaded (more active connections than its weight
 * while another server has fewer than half its own): then wlc picks a
 * server of the whole service and it joins the set.  A set that has not
 * changed for LBLCR_EXPIRE (IPVS's lblcr_expiration, 24 hours) loses its
 * most loaded member, one per connection, down to one.
 *
 * The table is lblc's (see lblc.c: fixed, built by init in the control
 * thread, changed by workers with compare-and-swap only, aged by reading
 * sched_clock() seconds), with a set instead of a server in each entry:
 * one 64-bit word holds a 12-bit tag and LBLCR_SET_MAX members of 13
 * bits (server index + 1, 0: empty), newest first as IPVS's list, so a
 * reader always sees a whole set.  IPVS's sets grow without bound; here
 * a full set makes room by dropping its most loaded member.  Two more
 * words hold the entry's last use and its set's last change.  As in
 * lblc, init carries the previous table's sets into the new one, members
 * mapped by identity, removed servers dropped.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "pkt.h"
#include "sched/sched.h"
#include "table.h"

#define LBLCR_BUCKETS	4096	/* power of two */
#define LBLCR_WAYS	4
#define LBLCR_EXPIRE	(24 * 60 * 60)	/* seconds: entry unused, set unchanged */
#define LBLCR_SET_MAX	4
#define LR_BITS		13
#define LR_MASK		((1ULL << LR_BITS) - 1)
#define LR_MEMBERS	((1ULL << (LR_BITS * LBLCR_SET_MAX)) - 1)
#define LR_TAG(s)	((uint32_t)((s) >> 52))
#define LR_M(s, j)	((unsigned)(((s) >> ((j) * LR_BITS)) & LR_MASK))

_Static_assert(RS_PER_SVC_MAX < LR_MASK, "lblcr members hold 13 bits");
_Static_assert(LR_BITS * LBLCR_SET_MAX <= 52, "lblcr tag needs 12 bits");

struct lblcr_ent {
	uint64_t	 re_set;	/* atomic; tag | members, 0: empty */
	uint32_t	 re_used;	/* atomic; sched_clock() of last use */
	uint32_t	 re_mod;	/* atomic; of the set's last change */
};

struct lblcr_data {
	struct lblcr_data *rd_next;	/* live tables; control thread */
	const struct svc *rd_svc;	/* whose */
	struct lblcr_ent re_ent[LBLCR_BUCKETS][LBLCR_WAYS];
};

static struct lblcr_data *lblcr_live;	/* newest first; control thread */

/* <set> with members renumbered by <map> (<n> old servers), order kept. */
static uint64_t
lblcr_remap(uint64_t set, const int *map, unsigned n)
{
	uint64_t	 out = set & ~LR_MEMBERS;
	unsigned	 j, k = 0, m;

	for (j = 0; j < LBLCR_SET_MAX; j++) {
		m = LR_M(set, j);
		if (m == 0 || m > n || map[m - 1] < 0)
			continue;
		out |= (uint64_t)(map[m - 1] + 1) << (k++ * LR_BITS);
	}
	return k == 0 ? 0 : out;
}

static int
lblcr_carry(struct lblcr_data *rd, const struct lblcr_data *old)
{
	const struct lblcr_ent *e;
	struct lblcr_ent *n;
	unsigned	 b, w;
	int		*map;

	if ((map = calloc(old->rd_svc->svc_nrs + 1, sizeof(*map))) == NULL)
		return -ENOMEM;
	sched_rs_map(old->rd_svc, rd->rd_svc, map);
	for (b = 0; b < LBLCR_BUCKETS; b++)
		for (w = 0; w < LBLCR_WAYS; w++) {
			e = &old->re_ent[b][w];
			n = &rd->re_ent[b][w];
			n->re_set = lblcr_remap(__atomic_load_n(&e->re_set,
			    __ATOMIC_RELAXED), map, old->rd_svc->svc_nrs);
			n->re_used = __atomic_load_n(&e->re_used,
			    __ATOMIC_RELAXED);
			n->re_mod = __atomic_load_n(&e->re_mod,
			    __ATOMIC_RELAXED);
		}
	free(map);
	return 0;
}

static int
lblcr_init(struct svc *svc)
{
	struct lblcr_data *rd, *old;

	if ((rd = calloc(1, sizeof(*rd))) == NULL)
		return -ENOMEM;
	rd->rd_svc = svc;
	for (old = lblcr_live; old != NULL; old = old->rd_next)
		if (old->rd_svc->svc_st == svc->svc_st)
			break;
	if (old != NULL && lblcr_carry(rd, old) != 0) {
		free(rd);
		return -ENOMEM;
	}
	rd->rd_next = lblcr_live;
	lblcr_live = rd;
	svc->svc_sched_data = rd;
	return 0;
}

static void
lblcr_done(struct svc *svc)
{
	struct lblcr_data **p;

	for (p = &lblcr_live; *p != NULL; p = &(*p)->rd_next)
		if (*p == svc->svc_sched_data) {
			*p = (*p)->rd_next;
			break;
		}
	free(svc->svc_sched_data);
	svc->svc_sched_data = NULL;
}

static uint32_t
ld32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static struct rs *
lblcr_member(const struct svc *svc, uint64_t set, unsigned j)
{
	unsigned	 m = LR_M(set, j);

	return m == 0 || m > svc->svc_nrs ? NULL : &svc->svc_rs[m - 1];
}

/* ip_vs_dest_set_min(): least overhead / weight, available, first on ties. */
static struct rs *
lblcr_set_min(const struct svc *svc, uint64_t set)
{
	struct rs	*rs, *least = NULL;
	uint64_t	 oh, loh = 0;
	unsigned	 j;

	for (j = 0; j < LBLCR_SET_MAX; j++) {
		if ((rs = lblcr_member(svc, set, j)) == NULL ||
		    !rs_available(rs))
			continue;
		oh = sched_overhead(rs);
		if (least == NULL ||
		    loh * (uint64_t)rs->rs_weight >
		    oh * (uint64_t)least->rs_weight) {
			least = rs;
			loh = oh;
		}
	}
	return least;
}

/* ip_vs_dest_set_max(): the slot of the most loaded member with a weight. */
static int
lblcr_set_max(const struct svc *svc, uint64_t set)
{
	struct rs	*rs, *most = NULL;
	uint64_t	 oh, moh = 0;
	int		 j, r = -1;

	for (j = 0; j < LBLCR_SET_MAX; j++) {
		if ((rs = lblcr_member(svc, set, j)) == NULL ||
		    rs->rs_weight <= 0)
			continue;
		oh = sched_overhead(rs);
		if (most == NULL ||
		    moh * (uint64_t)rs->rs_weight <
		    oh * (uint64_t)most->rs_weight) {
			most = rs;
			moh = oh;
			r = j;
		}
	}
	return r;
}

static unsigned
lblcr_size(uint64_t set)
{
	unsigned	 j, n = 0;

	for (j = 0; j < LBLCR_SET_MAX; j++)
		if (LR_M(set, j) != 0)
			n++;
	return n;
}

/* <set> without the member in slot <j>, the others keeping their order. */
static uint64_t
lblcr_erase(uint64_t set, int j)
{
	uint64_t	 low, high;

	low = set & ((1ULL << (j * LR_BITS)) - 1);
	high = (set & LR_MEMBERS) >> ((j + 1) * LR_BITS);
	return (set & ~LR_MEMBERS) | low | (high << (j * LR_BITS));
}

/* <set> with server <i> in front, making room if full (see the top). */
static uint64_t
lblcr_insert(const struct svc *svc, uint64_t set, unsigned i)
{
	unsigned	 j;
	int		 x;

	for (j = 0; j < LBLCR_SET_MAX; j++)
		if (LR_M(set, j) == i + 1)
			return set;
	if (lblcr_size(set) == LBLCR_SET_MAX) {
		x = lblcr_set_max(svc, set);
		set = lblcr_erase(set, x >= 0 ? x : LBLCR_SET_MAX - 1);
	}
	return (set & ~LR_MEMBERS) |
	    (((set << LR_BITS) | (i + 1)) & LR_MEMBERS);
}

/* Replace <old> by <new> in <e>; on success the set changed at <now>. */
static void
lblcr_cas(struct lblcr_ent *e, uint64_t old, uint64_t new, uint32_t now)
{
	if (old != new && __atomic_compare_exchange_n(&e->re_set, &old, new,
	    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
		__atomic_store_n(&e->re_mod, now, __ATOMIC_RELAXED);
		__atomic_store_n(&e->re_used, now, __ATOMIC_RELAXED);
	}
}

static struct lblcr_ent *
lblcr_victim(struct lblcr_ent *b, uint32_t now)
{
	struct lblcr_ent *old = &b[0];
	uint32_t	 age, oage = 0;
	unsigned	 w;

	for (w = 0; w < LBLCR_WAYS; w++) {
		age = now - ld32(&b[w].re_used);
		if (__atomic_load_n(&b[w].re_set, __ATOMIC_RELAXED) == 0 ||
		    age >= LBLCR_EXPIRE)
			return &b[w];
		if (age > oage) {
			old = &b[w];
			oage = age;
		}
	}
	return old;
}

static struct rs *
lblcr_schedule(const struct svc *svc, const struct tuple *t)
{
	struct lblcr_data *rd = svc->svc_sched_data;
	struct lblcr_ent *b, *e = NULL;
	struct rs	*rs;
	uint64_t	 mix, set = 0, n;
	uint32_t	 tag, now = sched_clock();
	unsigned	 w;
	int		 x;

	mix = sched_addr_mix(&t->t_dst, t->t_af);
	b = rd->re_ent[mix & (LBLCR_BUCKETS - 1)];
	tag = (uint32_t)(mix >> 52);
	for (w = 0; w < LBLCR_WAYS; w++) {
		set = __atomic_load_n(&b[w].re_set, __ATOMIC_RELAXED);
		if ((set & LR_MEMBERS) != 0 && LR_TAG(set) == tag &&
		    now - ld32(&b[w].re_used) < LBLCR_EXPIRE) {
			e = &b[w];
			break;
		}
	}
	if (e == NULL) {
		/* No entry: wlc, and a new entry for the address. */
		if ((rs = sched_wlc.schedule(svc, t)) == NULL)
			return NULL;
		e = lblcr_victim(b, now);
		set = __atomic_load_n(&e->re_set, __ATOMIC_RELAXED);
		lblcr_cas(e, set, (uint64_t)tag << 52 |
		    (uint64_t)(rs - svc->svc_rs + 1), now);
		return rs;
	}
	if (ld32(&e->re_used) != now)
		__atomic_store_n(&e->re_used, now, __ATOMIC_RELAXED);
	rs = lblcr_set_min(svc, set);
	/* Unchanged for long with more than one member: drop the busiest. */
	if (lblcr_size(set) > 1 && now - ld32(&e->re_mod) > LBLCR_EXPIRE &&
	    (x = lblcr_set_max(svc, set)) >= 0) {
		n = lblcr_erase(set, x);
		lblcr_cas(e, set, n, now);
		set = n;
	}
	if (rs != NULL && !sched_lb_overloaded(rs, svc))
		return rs;
	/* Every member busy or gone: wlc over the service joins the set. */
	if ((rs = sched_wlc.schedule(svc, t)) == NULL)
		return NULL;
	n = lblcr_insert(svc, set, (unsigned)(rs - svc->svc_rs));
	lblcr_cas(e, set, n, now);
	return rs;
}

const struct sched_ops sched_lblcr = {
	.name		= "lblcr",
	.init		= lblcr_init,
	.done		= lblcr_done,
	.schedule	= lblcr_schedule,
};
