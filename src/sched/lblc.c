/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lblc: locality-based least connections, as IPVS's ip_vs_lblc.c.  A
 * destination address keeps going to the server it went to last, unless
 * that server is unavailable, or overloaded (more active connections
 * than its weight while another has fewer than half its own); then wlc
 * picks one and the destination remembers it.
 *
 * IPVS keeps a hash of entries it allocates under a lock and a timer
 * that frees old ones.  Workers here may neither lock nor allocate, so
 * init (control thread) allocates a fixed table of LBLC_BUCKETS buckets
 * of LBLC_WAYS entries (16384, IPVS's max_size), and workers update it
 * with atomics only:
 *
 *  - an entry is one 64-bit word, tag (32 bits of a 64-bit mix of the
 *    whole address, IPv6 included, the bucket taking the low bits) and
 *    server index + 1 (0: empty), so a reader sees a whole mapping or
 *    none; a second word holds when it was last used (sched_clock()
 *    seconds, stored only when the second changed);
 *  - a new mapping replaces the word with compare-and-swap: the entry
 *    of that address, else an empty or expired one, else the least
 *    recently used of the bucket (IPVS would grow past max_size and
 *    collect entries unused for 6 minutes; a full bucket here evicts
 *    its oldest instead).  A lost race leaves the other worker's
 *    mapping: locality is approximate under contention, as in IPVS,
 *    where the lock only guards the list;
 *  - aging needs no timer: an entry unused for LBLC_EXPIRE (IPVS's
 *    lblc_expiration, 24 hours) reads as absent, and is reused.
 *
 * Two addresses with the same bucket and tag share an entry: they only
 * share a server.  A table lives as long as its snapshot; init carries
 * the entries of the service's previous table (found in a list of live
 * tables, control thread only) into the new one, server indices mapped
 * by identity and entries of removed servers dropped, so that locality
 * survives configuration changes as IPVS's does.  Workers still writing
 * the old table meanwhile may lose a few updates.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "pkt.h"
#include "sched/sched.h"
#include "table.h"

#define LBLC_BUCKETS	4096	/* power of two */
#define LBLC_WAYS	4
#define LBLC_EXPIRE	(24 * 60 * 60)	/* seconds unused */

#define LE_TAG(k)	((uint32_t)((k) >> 32))
#define LE_IDX(k)	((unsigned)((k) & 0xffff))	/* index + 1; 0: empty */
#define LE_MAKE(tag, i)	((uint64_t)(tag) << 32 | ((i) + 1))

struct lblc_ent {
	uint64_t	 le_key;	/* atomic; LE_MAKE() or 0 */
	uint32_t	 le_used;	/* atomic; sched_clock() of last use */
	uint32_t	 le_pad;
};

struct lblc_data {
	struct lblc_data *ld_next;	/* live tables; control thread */
	const struct svc *ld_svc;	/* whose */
	struct lblc_ent	 ld_ent[LBLC_BUCKETS][LBLC_WAYS];
};

static struct lblc_data	*lblc_live;	/* newest first; control thread */

/* Copy <old>'s mappings into <ld>, for servers <ld> still has. */
static int
lblc_carry(struct lblc_data *ld, const struct lblc_data *old)
{
	const struct lblc_ent *e;
	uint64_t	 k;
	unsigned	 b, w, i;
	int		*map;

	if ((map = calloc(old->ld_svc->svc_nrs + 1, sizeof(*map))) == NULL)
		return -ENOMEM;
	sched_rs_map(old->ld_svc, ld->ld_svc, map);
	for (b = 0; b < LBLC_BUCKETS; b++)
		for (w = 0; w < LBLC_WAYS; w++) {
			e = &old->ld_ent[b][w];
			k = __atomic_load_n(&e->le_key, __ATOMIC_RELAXED);
			if (k == 0 || (i = LE_IDX(k) - 1) >=
			    old->ld_svc->svc_nrs || map[i] < 0)
				continue;
			ld->ld_ent[b][w].le_key = LE_MAKE(LE_TAG(k),
			    (unsigned)map[i]);
			ld->ld_ent[b][w].le_used =
			    __atomic_load_n(&e->le_used, __ATOMIC_RELAXED);
		}
	free(map);
	return 0;
}

static int
lblc_init(struct svc *svc)
{
	struct lblc_data *ld, *old;

	if ((ld = calloc(1, sizeof(*ld))) == NULL)
		return -ENOMEM;
	ld->ld_svc = svc;
	for (old = lblc_live; old != NULL; old = old->ld_next)
		if (old->ld_svc->svc_st == svc->svc_st)
			break;
	if (old != NULL && lblc_carry(ld, old) != 0) {
		free(ld);
		return -ENOMEM;
	}
	ld->ld_next = lblc_live;
	lblc_live = ld;
	svc->svc_sched_data = ld;
	return 0;
}

static void
lblc_done(struct svc *svc)
{
	struct lblc_data **p;

	for (p = &lblc_live; *p != NULL; p = &(*p)->ld_next)
		if (*p == svc->svc_sched_data) {
			*p = (*p)->ld_next;
			break;
		}
	free(svc->svc_sched_data);
	svc->svc_sched_data = NULL;
}

static bool
lblc_fresh(const struct lblc_ent *e, uint32_t now)
{
	return now - __atomic_load_n(&e->le_used, __ATOMIC_RELAXED) <
	    LBLC_EXPIRE;
}

static void
lblc_touch(struct lblc_ent *e, uint32_t now)
{
	if (__atomic_load_n(&e->le_used, __ATOMIC_RELAXED) != now)
		__atomic_store_n(&e->le_used, now, __ATOMIC_RELAXED);
}

/* The entry to overwrite in <b>: empty or expired first, else the oldest. */
static struct lblc_ent *
lblc_victim(struct lblc_ent *b, uint32_t now)
{
	struct lblc_ent	*old = &b[0];
	uint32_t	 age, oage = 0;
	unsigned	 w;

	for (w = 0; w < LBLC_WAYS; w++) {
		if (__atomic_load_n(&b[w].le_key, __ATOMIC_RELAXED) == 0 ||
		    !lblc_fresh(&b[w], now))
			return &b[w];
		age = now - __atomic_load_n(&b[w].le_used, __ATOMIC_RELAXED);
		if (age > oage) {
			old = &b[w];
			oage = age;
		}
	}
	return old;
}

static struct rs *
lblc_schedule(const struct svc *svc, const struct tuple *t)
{
	struct lblc_data *ld = svc->svc_sched_data;
	struct lblc_ent	*b, *e = NULL;
	struct rs	*rs;
	uint64_t	 mix, k = 0;
	uint32_t	 tag, now = sched_clock();
	unsigned	 w, i;

	mix = sched_addr_mix(&t->t_dst, t->t_af);
	b = ld->ld_ent[mix & (LBLC_BUCKETS - 1)];
	tag = (uint32_t)(mix >> 32);
	for (w = 0; w < LBLC_WAYS; w++) {
		k = __atomic_load_n(&b[w].le_key, __ATOMIC_RELAXED);
		if (k != 0 && LE_TAG(k) == tag && lblc_fresh(&b[w], now)) {
			e = &b[w];
			break;
		}
	}
	if (e != NULL) {
		lblc_touch(e, now);
		i = LE_IDX(k) - 1;
		if (i < svc->svc_nrs) {
			rs = &svc->svc_rs[i];
			if (rs_available(rs) && !sched_lb_overloaded(rs, svc))
				return rs;
		}
	}
	/* No entry or an unusable one: weighted least connections. */
	if ((rs = sched_wlc.schedule(svc, t)) == NULL)
		return NULL;
	i = (unsigned)(rs - svc->svc_rs);
	if (e == NULL) {
		e = lblc_victim(b, now);
		k = __atomic_load_n(&e->le_key, __ATOMIC_RELAXED);
	}
	if (__atomic_compare_exchange_n(&e->le_key, &k, LE_MAKE(tag, i),
	    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		__atomic_store_n(&e->le_used, now, __ATOMIC_RELAXED);
	return rs;
}

const struct sched_ops sched_lblc = {
	.name		= "lblc",
	.init		= lblc_init,
	.done		= lblc_done,
	.schedule	= lblc_schedule,
};
