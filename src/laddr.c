/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Local addresses of fullnat and their per-shard port stacks (laddr.h).
 * Everything is allocated by the control thread when a LIP first
 * appears; workers only move ports between a stack and their
 * connections, under the shard lock the stack belongs to.
 */
#include "config.h"

#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conn.h"
#include "laddr.h"
#include "pkt.h"

enum { LP_TCP, LP_UDP, LP__MAX };

/* One protocol's ports of one LIP, grouped by shard. */
struct lport_pool {
	uint16_t	*lp_ports;	/* [range]; group s at lp_off[s] */
	uint32_t	*lp_off;	/* [nshards + 1] */
	uint32_t	*lp_top;	/* [nshards]: free ports of group s */
};

struct laddr {
	struct laddr	*la_next;
	struct addr	 la_addr;
	struct lport_pool la_pool[LP__MAX];
	unsigned	 la_nshards;
	uint32_t	 la_range;
};

struct laddr_set {
	const struct conn_table *ls_ct;
	struct laddr	*ls_list;
	unsigned	 ls_n;
	unsigned	 ls_nshards;
	uint16_t	 ls_lo, ls_hi;
};

struct laddr_set *
laddr_set_new(const struct conn_table *ct, uint16_t lo, uint16_t hi)
{
	struct laddr_set *ls;

	if (lo > hi || (ls = calloc(1, sizeof(*ls))) == NULL)
		return NULL;
	ls->ls_ct = ct;
	ls->ls_nshards = conn_nshards(ct);
	ls->ls_lo = lo;
	ls->ls_hi = hi;
	return ls;
}

static void
laddr_free(struct laddr *la)
{
	unsigned	 i;

	for (i = 0; i < LP__MAX; i++) {
		free(la->la_pool[i].lp_ports);
		free(la->la_pool[i].lp_off);
		free(la->la_pool[i].lp_top);
	}
	free(la);
}

void
laddr_set_free(struct laddr_set *ls)
{
	struct laddr	*la;

	if (ls == NULL)
		return;
	while ((la = ls->ls_list) != NULL) {
		ls->ls_list = la->la_next;
		laddr_free(la);
	}
	free(ls);
}

void
laddr_set_range(const struct laddr_set *ls, uint16_t *lo, uint16_t *hi)
{
	*lo = ls->ls_lo;
	*hi = ls->ls_hi;
}

static int
pool_index(int proto)
{
	return proto == IPPROTO_UDP ? LP_UDP : LP_TCP;
}

/* Sort the range's ports of <la> for <proto> into their shards' groups. */
static int
pool_fill(const struct laddr_set *ls, struct laddr *la, int proto)
{
	struct lport_pool *lp = &la->la_pool[pool_index(proto)];
	struct tuple	 t;
	uint16_t	*shard;
	uint32_t	 i, *fill;
	unsigned	 s, n = ls->ls_nshards;

	lp->lp_ports = calloc(la->la_range, sizeof(*lp->lp_ports));
	lp->lp_off = calloc(n + 1, sizeof(*lp->lp_off));
	lp->lp_top = calloc(n, sizeof(*lp->lp_top));
	shard = calloc(la->la_range, sizeof(*shard));
	fill = calloc(n, sizeof(*fill));
	if (lp->lp_ports == NULL || lp->lp_off == NULL || lp->lp_top == NULL ||
	    shard == NULL || fill == NULL) {
		free(shard);
		free(fill);
		return -1;
	}
	/* The reply tuple's client half is LIP:port; the rest is not hashed. */
	memset(&t, 0, sizeof(t));
	t.t_dst = la->la_addr.a;
	t.t_proto = (uint8_t)proto;
	t.t_af = la->la_addr.a_af;
	for (i = 0; i < la->la_range; i++) {
		t.t_dport = htons((uint16_t)(ls->ls_lo + i));
		shard[i] = (uint16_t)conn_shard(ls->ls_ct, &t, CONN_OUT);
		lp->lp_off[shard[i] + 1]++;
	}
	for (s = 0; s < n; s++) {
		lp->lp_off[s + 1] += lp->lp_off[s];
		fill[s] = lp->lp_off[s];
	}
	/*
	 * Highest ports at the bottom of each stack, so that the lowest
	 * free port is taken first: easier to read in tests and traces.
	 */
	for (i = la->la_range; i-- > 0;)
		lp->lp_ports[fill[shard[i]]++] = htons((uint16_t)(ls->ls_lo + i));
	for (s = 0; s < n; s++)
		lp->lp_top[s] = lp->lp_off[s + 1] - lp->lp_off[s];
	free(shard);
	free(fill);
	return 0;
}

struct laddr *
laddr_get(struct laddr_set *ls, const struct addr *a)
{
	struct laddr	*la;

	for (la = ls->ls_list; la != NULL; la = la->la_next)
		if (addr_eq(&la->la_addr, a))
			return la;
	if (ls->ls_n >= LADDR_MAX || (la = calloc(1, sizeof(*la))) == NULL)
		return NULL;
	la->la_addr = *a;
	la->la_nshards = ls->ls_nshards;
	la->la_range = (uint32_t)ls->ls_hi - ls->ls_lo + 1;
	if (pool_fill(ls, la, IPPROTO_TCP) != 0 ||
	    pool_fill(ls, la, IPPROTO_UDP) != 0) {
		laddr_free(la);
		return NULL;
	}
	la->la_next = ls->ls_list;
	ls->ls_list = la;
	ls->ls_n++;
	return la;
}

const struct addr *
laddr_addr(const struct laddr *la)
{
	return &la->la_addr;
}

bool
laddr_port_take(struct laddr *la, int proto, unsigned shard,
    uint16_t *ret_port)
{
	struct lport_pool *lp = &la->la_pool[pool_index(proto)];
	uint32_t	 top;

	if (shard >= la->la_nshards ||
	    (top = __atomic_load_n(&lp->lp_top[shard], __ATOMIC_RELAXED)) == 0)
		return false;
	top--;
	*ret_port = lp->lp_ports[lp->lp_off[shard] + top];
	/* Atomic for laddr_ports_used() readers; the lock orders writers. */
	__atomic_store_n(&lp->lp_top[shard], top, __ATOMIC_RELAXED);
	return true;
}

void
laddr_port_put(struct laddr *la, int proto, unsigned shard, uint16_t port)
{
	struct lport_pool *lp = &la->la_pool[pool_index(proto)];
	uint32_t	 top = lp->lp_top[shard];

	/* More puts than takes would be a bug; never write past the group. */
	if (lp->lp_off[shard] + top >= lp->lp_off[shard + 1])
		return;
	lp->lp_ports[lp->lp_off[shard] + top] = port;
	__atomic_store_n(&lp->lp_top[shard], top + 1, __ATOMIC_RELAXED);
}

uint32_t
laddr_ports_used(const struct laddr *la, int proto)
{
	const struct lport_pool *lp = &la->la_pool[pool_index(proto)];
	uint32_t	 free_ = 0;
	unsigned	 s;

	for (s = 0; s < la->la_nshards; s++)
		free_ += __atomic_load_n(&lp->lp_top[s], __ATOMIC_RELAXED);
	return la->la_range - free_;
}

void
laddr_foreach(const struct laddr_set *ls,
    void (*fn)(const struct laddr *la, void *arg), void *arg)
{
	const struct laddr *la;

	for (la = ls->ls_list; la != NULL; la = la->la_next)
		fn(la, arg);
}
