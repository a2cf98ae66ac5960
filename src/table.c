/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Virtual services, real servers and the snapshots workers read (table.h).
 *
 * The control thread edits a struct vs_conf (plain arrays, deep copies)
 * and commits it: table_commit() validates it whole, binds every service
 * and real server to its long-lived state (found by identity, or made
 * with a fresh stats slot), builds an immutable struct table with a
 * lookup hash and the schedulers' data, and publishes it with one release
 * store.  The old snapshot goes to the epoch, whose free drops the
 * references it held; states no longer configured are marked dead and
 * live on while connections hold them, until table_gc() sees them unused.
 *
 * Everything here runs in the control thread except table_current(),
 * table_lookup() and the state hold/put functions, which workers call.
 * No logging: errors fill a struct uvs_err.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "epoch.h"
#include "sched/sched.h"
#include "stats.h"
#include "table.h"
#include "vsconf.h"
#include "util.h"
#include "xmit/xmit.h"


struct table_ctl {
	struct epoch	*tc_epoch;
	void		(*tc_on_publish)(const struct table *t, void *arg);
	void		*tc_arg;
	struct vs_conf	*tc_conf;	/* what runs */
	struct table	*tc_cur;	/* atomic: release store/acquire load */
	struct rs_state	*tc_rss;	/* all real server states, dead too */
	struct svc_state *tc_svs;	/* all service states, dead too */
	uint64_t	 tc_gen;	/* commits */
	struct wstats *const *tc_ws;	/* zeroed per new slot; may be NULL */
	unsigned	 tc_nws;
	struct laddr_set *tc_laddrs;	/* fullnat LIPs; NULL: none */
};

/* Identity of a service (k_rip NULL) or of a real server in a service. */
struct key {
	const struct addr *k_vip;	/* NULL: empty index entry */
	const struct addr *k_rip;
	uint16_t	 k_vport;	/* network order */
	uint16_t	 k_rport;	/* network order */
	uint8_t		 k_proto;
};

/* An open-addressing index of keys, built for one commit. */
struct kent {
	struct key	 ke_key;
	void		*ke_val;
	bool		 ke_used;	/* bound by the new snapshot */
};

struct kidx {
	unsigned	 ki_mask;
	struct kent	*ki_ent;	/* [ki_mask + 1] */
};

const char *
svc_fmt(int proto, const struct ep *vip, char *buf, size_t len)
{
	char	 e[EP_STRLEN];

	snprintf(buf, len, "%s %s", proto_name(proto),
	    ep_fmt(vip, e, sizeof(e)));
	return buf;
}

static uint32_t
hash_mix(uint32_t h, uint32_t v)
{
	h ^= v;
	h *= 0x9e3779b1U;
	return h ^ (h >> 15);
}

static uint32_t
hash_addr(uint32_t h, const union inaddr *a, uint8_t af)
{
	unsigned	 i;

	h = hash_mix(h, af);
	for (i = 0; i < 4; i++)
		h = hash_mix(h, a->w[i]);
	return h;
}

/* The snapshot's lookup hash: (proto, af, address, port). */
static uint32_t
svc_hash(int proto, const union inaddr *vip, uint8_t af, uint16_t port)
{
	uint32_t	 h;

	h = hash_addr(hash_mix(0, (uint32_t)proto << 16 | port), vip, af);
	return h ^ (h >> 13);
}

static unsigned
pow2_at_least(unsigned n)
{
	unsigned	 p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* Index sized for <n> keys, with at least one empty entry. */
static int
kidx_init(struct kidx *ki, unsigned n)
{
	unsigned	 size = pow2_at_least(2 * n + 1);

	ki->ki_mask = size - 1;
	ki->ki_ent = calloc(size, sizeof(*ki->ki_ent));
	return ki->ki_ent == NULL ? -ENOMEM : 0;
}

static bool
key_eq(const struct key *a, const struct key *b)
{
	if (a->k_proto != b->k_proto || a->k_vport != b->k_vport ||
	    !addr_eq(a->k_vip, b->k_vip))
		return false;
	if (a->k_rip == NULL || b->k_rip == NULL)
		return a->k_rip == b->k_rip;
	return a->k_rport == b->k_rport && addr_eq(a->k_rip, b->k_rip);
}

/* The entry holding <k>, or the empty one where it would go. */
static struct kent *
kidx_find(struct kidx *ki, const struct key *k)
{
	uint32_t	 h;
	unsigned	 i;

	h = hash_addr(hash_mix(0, (uint32_t)k->k_proto << 16 | k->k_vport),
	    &k->k_vip->a, k->k_vip->a_af);
	if (k->k_rip != NULL)
		h = hash_addr(hash_mix(h, k->k_rport), &k->k_rip->a,
		    k->k_rip->a_af);
	for (i = h & ki->ki_mask; ki->ki_ent[i].ke_key.k_vip != NULL;
	    i = (i + 1) & ki->ki_mask)
		if (key_eq(&ki->ki_ent[i].ke_key, k))
			break;
	return &ki->ki_ent[i];
}

/* States */

void
rs_state_hold(struct rs_state *rss)
{
	__atomic_add_fetch(&rss->rss_refs, 1, __ATOMIC_RELAXED);
}

/* Never frees: table_gc() does, in the control thread. */
void
rs_state_put(struct rs_state *rss)
{
	__atomic_sub_fetch(&rss->rss_refs, 1, __ATOMIC_RELEASE);
}

void
rs_state_conn_new(struct rs_state *rss)
{
	uint32_t	 u;
	int64_t		 total;

	total = __atomic_add_fetch(&rss->rss_inactive, 1, __ATOMIC_RELAXED);
	total += __atomic_load_n(&rss->rss_active, __ATOMIC_RELAXED);
	u = __atomic_load_n(&rss->rss_uthresh, __ATOMIC_RELAXED);
	if (u != 0 && total >= u &&
	    !__atomic_load_n(&rss->rss_overload, __ATOMIC_RELAXED))
		__atomic_store_n(&rss->rss_overload, 1, __ATOMIC_RELAXED);
}

void
rs_state_conn_gone(struct rs_state *rss, bool active)
{
	uint32_t	 u, l;
	int32_t		 a, i;
	int64_t		 total;
	bool		 clear;

	if (active) {
		a = __atomic_sub_fetch(&rss->rss_active, 1, __ATOMIC_RELAXED);
		i = __atomic_load_n(&rss->rss_inactive, __ATOMIC_RELAXED);
	} else {
		a = __atomic_load_n(&rss->rss_active, __ATOMIC_RELAXED);
		i = __atomic_sub_fetch(&rss->rss_inactive, 1, __ATOMIC_RELAXED);
	}
	total = (int64_t)a + i;
	u = __atomic_load_n(&rss->rss_uthresh, __ATOMIC_RELAXED);
	l = __atomic_load_n(&rss->rss_lthresh, __ATOMIC_RELAXED);
	if (l != 0)
		clear = total < l;
	else if (u != 0)
		clear = total * 4 < (int64_t)u * 3;
	else
		clear = true;
	if (clear && __atomic_load_n(&rss->rss_overload, __ATOMIC_RELAXED))
		__atomic_store_n(&rss->rss_overload, 0, __ATOMIC_RELAXED);
}

void
svc_state_hold(struct svc_state *svs)
{
	__atomic_add_fetch(&svs->svs_refs, 1, __ATOMIC_RELAXED);
}

void
svc_state_put(struct svc_state *svs)
{
	__atomic_sub_fetch(&svs->svs_refs, 1, __ATOMIC_RELEASE);
}

static void
rs_state_free(void *p)
{
	struct rs_state	*rss = p;

	stats_slot_free(rss->rss_slot);
	free(rss);
}

static void
svc_state_free(void *p)
{
	struct svc_state *svs = p;

	stats_slot_free(svs->svs_slot);
	free(svs);
}

/* A fresh stats slot, zeroed in every worker. */
static int
slot_get(struct table_ctl *tc, uint32_t *ret_slot)
{
	int	 s;

	if ((s = stats_slot_alloc()) < 0)
		return s;
	if (tc->tc_ws != NULL)
		stats_zero_slot(tc->tc_ws, tc->tc_nws, (uint32_t)s);
	*ret_slot = (uint32_t)s;
	return 0;
}

/* Snapshots */

/*
 * Undo the first <ninit> schedulers' init and free <t>; <put>: drop the
 * references a published snapshot holds.
 */
static void
table_destroy(struct table *t, unsigned ninit, bool put)
{
	struct svc	*svc;
	unsigned	 i, j;

	if (t == NULL)
		return;
	for (i = 0; i < t->t_nsvc; i++) {
		svc = &t->t_svc[i];
		if (i < ninit && svc->svc_sched->done != NULL)
			svc->svc_sched->done(svc);
		if (put) {
			for (j = 0; j < svc->svc_nrs; j++)
				rs_state_put(svc->svc_rs[j].rs_st);
			svc_state_put(svc->svc_st);
		}
		free(svc->svc_rs);
	}
	free(t->t_svc);
	free(t->t_hash);
	free(t);
}

/* The epoch's free of a published snapshot. */
static void
table_free_published(void *p)
{
	struct table	*t = p;

	table_destroy(t, t->t_nsvc, true);
}

static struct table *
table_alloc(unsigned nsvc)
{
	struct table	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->t_hmask = pow2_at_least(2 * nsvc) - 1;
	t->t_hash = calloc(t->t_hmask + 1, sizeof(*t->t_hash));
	if (nsvc > 0)
		t->t_svc = calloc(nsvc, sizeof(*t->t_svc));
	if (t->t_hash == NULL || (nsvc > 0 && t->t_svc == NULL)) {
		free(t->t_hash);
		free(t->t_svc);
		free(t);
		return NULL;
	}
	return t;
}

struct table_ctl *
table_ctl_new(struct epoch *e,
    void (*on_publish)(const struct table *t, void *arg), void *arg)
{
	struct table_ctl *tc;

	if ((tc = calloc(1, sizeof(*tc))) == NULL)
		return NULL;
	tc->tc_epoch = e;
	tc->tc_on_publish = on_publish;
	tc->tc_arg = arg;
	if ((tc->tc_conf = vsconf_dup(NULL)) == NULL)
		goto out_free;
	if ((tc->tc_cur = table_alloc(0)) == NULL)
		goto out_conf;
	return tc;
out_conf:
	vsconf_free(tc->tc_conf);
out_free:
	free(tc);
	return NULL;
}

/*
 * Everything goes through the epoch, snapshot first: snapshots still
 * waiting there drop references on states, so states are freed last.
 */
void
table_ctl_free(struct table_ctl *tc)
{
	struct rs_state	*rss, *rn;
	struct svc_state *svs, *sn;

	if (tc == NULL)
		return;
	epoch_defer(tc->tc_epoch, table_free_published, tc->tc_cur);
	for (rss = tc->tc_rss; rss != NULL; rss = rn) {
		rn = rss->rss_next;
		epoch_defer(tc->tc_epoch, rs_state_free, rss);
	}
	for (svs = tc->tc_svs; svs != NULL; svs = sn) {
		sn = svs->svs_next;
		epoch_defer(tc->tc_epoch, svc_state_free, svs);
	}
	vsconf_free(tc->tc_conf);
	free(tc);
}

void
table_set_stats(struct table_ctl *tc, struct wstats *const *ws, unsigned n)
{
	tc->tc_ws = ws;
	tc->tc_nws = n;
}

void
table_set_laddrs(struct table_ctl *tc, struct laddr_set *ls)
{
	tc->tc_laddrs = ls;
}

/*
 * The LIPs of <svc> (its own, else the global ones) when one of its real
 * servers uses fullnat: a fullnat service without any is refused.
 */
static int
commit_bind_laddrs(struct table_ctl *tc, const struct vs_conf *vc,
    const struct svc_conf *sc, struct svc *svc, struct uvs_err *err)
{
	const struct addr *la = sc->sc_nladdr ? sc->sc_laddr : vc->vc_laddr;
	unsigned	 n = sc->sc_nladdr ? sc->sc_nladdr : vc->vc_nladdr;
	unsigned	 i;
	bool		 fullnat = false;

	for (i = 0; i < sc->sc_nrs; i++)
		fullnat |= sc->sc_rs[i].rc_method == XMIT_FULLNAT;
	svc->svc_proxy = sc->sc_proto == IPPROTO_TCP ? sc->sc_proxy : 0;
	if (!fullnat)
		return 0;
	if (vsconf_flags(sc) & SVC_F_ONEPACKET) {
		/* Replies could not find a connection that was never made. */
		vsconf_err_svc(err, "one-packet scheduling cannot use fullnat:",
		    sc->sc_proto, &sc->sc_ep);
		return -EINVAL;
	}
	if (n == 0 || tc->tc_laddrs == NULL) {
		vsconf_err_svc(err, "fullnat needs local addresses (--laddr "
		    "or local_addresses) for", sc->sc_proto, &sc->sc_ep);
		return -EINVAL;
	}
	for (i = 0; i < n && i < LADDR_PER_SVC_MAX; i++) {
		if (la[i].a_af != sc->sc_ep.ep_addr.a_af)
			continue;
		if ((svc->svc_laddr[svc->svc_nladdr] =
		    laddr_get(tc->tc_laddrs, &la[i])) == NULL) {
			uvs_err_set(err, "local addresses: out of memory or "
			    "more than %u", LADDR_MAX);
			return -ENOMEM;
		}
		svc->svc_nladdr++;
	}
	if (svc->svc_nladdr == 0) {
		vsconf_err_svc(err, "no local address of the family of",
		    sc->sc_proto, &sc->sc_ep);
		return -EINVAL;
	}
	return 0;
}

const struct vs_conf *
table_conf(const struct table_ctl *tc)
{
	return tc->tc_conf;
}

const struct table *
table_current(const struct table_ctl *tc)
{
	return __atomic_load_n(&tc->tc_cur, __ATOMIC_ACQUIRE);
}

static const struct svc *
table_lookup1(const struct table *t, int proto, const union inaddr *vip,
    uint8_t af, uint16_t port)
{
	const struct svc *svc;

	svc = t->t_hash[svc_hash(proto, vip, af, port) & t->t_hmask];
	for (; svc != NULL; svc = svc->svc_hnext)
		if (svc->svc_ep.ep_port == port && svc->svc_proto == proto &&
		    svc->svc_ep.ep_addr.a_af == af &&
		    memcmp(&svc->svc_ep.ep_addr.a, vip, sizeof(*vip)) == 0)
			return svc;
	return NULL;
}

/*
 * As IPVS's ip_vs_service_find(): the service of the port, else the
 * VIP's port-0 service (persistent, every port), if the table has any.
 */
const struct svc *
table_lookup(const struct table *t, int proto, const union inaddr *vip,
    uint8_t af, uint16_t port)
{
	const struct svc *svc;

	svc = table_lookup1(t, proto, vip, af, port);
	if (svc == NULL && t->t_nport0 != 0 && port != 0)
		svc = table_lookup1(t, proto, vip, af, 0);
	return svc;
}

/* Every field checked, duplicates refused, limits kept. */
static int
vsconf_check(const struct vs_conf *vc, struct uvs_err *err)
{
	const struct svc_conf *sc;
	const struct rs_conf *rc;
	struct kidx	 ki;
	struct kent	*ke;
	struct key	 k;
	struct ep	 rip;
	unsigned	 i, j, total;
	int		 r;

	if (vc->vc_nsvc > SVC_MAX) {
		uvs_err_set(err, "too many services (limit %u)", SVC_MAX);
		return -ENOSPC;
	}
	total = vc->vc_nsvc;
	for (i = 0; i < vc->vc_nsvc; i++) {
		sc = &vc->vc_svc[i];
		if ((r = vsconf_svc_check(sc, err)) != 0)
			return r;
		if (sc->sc_nrs > RS_PER_SVC_MAX) {
			vsconf_err_limit(err, sc);
			return -ENOSPC;
		}
		total += sc->sc_nrs;
		for (j = 0; j < sc->sc_nrs; j++)
			if ((r = vsconf_rs_check(sc, &sc->sc_rs[j], err)) != 0)
				return r;
	}
	if (total > STATS_SLOTS) {
		uvs_err_set(err, "too many services and real servers "
		    "(limit %u)", STATS_SLOTS);
		return -ENOSPC;
	}
	if ((r = kidx_init(&ki, total)) != 0)
		return r;
	for (i = 0; i < vc->vc_nsvc; i++) {
		sc = &vc->vc_svc[i];
		k = (struct key){ .k_vip = &sc->sc_ep.ep_addr,
		    .k_vport = sc->sc_ep.ep_port, .k_proto = sc->sc_proto };
		ke = kidx_find(&ki, &k);
		if (ke->ke_key.k_vip != NULL) {
			vsconf_err_svc(err, "service already exists", sc->sc_proto,
			    &sc->sc_ep);
			r = -EEXIST;
			goto out;
		}
		ke->ke_key = k;
		for (j = 0; j < sc->sc_nrs; j++) {
			rc = &sc->sc_rs[j];
			k.k_rip = &rc->rc_ep.ep_addr;
			k.k_rport = vsconf_rs_port(sc, rc);
			ke = kidx_find(&ki, &k);
			if (ke->ke_key.k_vip != NULL) {
				rip = rc->rc_ep;
				rip.ep_port = k.k_rport;
				vsconf_err_rs(err, "destination already exists", sc,
				    &rip);
				r = -EEXIST;
				goto out;
			}
			ke->ke_key = k;
		}
	}
out:
	free(ki.ki_ent);
	return r;
}

/* What one commit makes before it knows it will succeed. */
struct commit {
	struct table	*cm_t;
	unsigned	 cm_ninit;	/* services whose init ran */
	struct kidx	 cm_idx;	/* live states by identity */
	struct rs_state	*cm_rss;	/* new states, not on tc's lists */
	struct svc_state *cm_svs;
};

static int
commit_index(struct table_ctl *tc, struct commit *cm)
{
	struct rs_state	*rss;
	struct svc_state *svs;
	struct kent	*ke;
	struct key	 k;
	unsigned	 n = 0;
	int		 r;

	for (rss = tc->tc_rss; rss != NULL; rss = rss->rss_next)
		n++;
	for (svs = tc->tc_svs; svs != NULL; svs = svs->svs_next)
		n++;
	if ((r = kidx_init(&cm->cm_idx, n)) != 0)
		return r;
	for (svs = tc->tc_svs; svs != NULL; svs = svs->svs_next) {
		if (svs->svs_dead)
			continue;
		k = (struct key){ .k_vip = &svs->svs_ep.ep_addr,
		    .k_vport = svs->svs_ep.ep_port, .k_proto = svs->svs_proto };
		ke = kidx_find(&cm->cm_idx, &k);
		ke->ke_key = k;
		ke->ke_val = svs;
	}
	for (rss = tc->tc_rss; rss != NULL; rss = rss->rss_next) {
		if (rss->rss_dead)
			continue;
		k = (struct key){ .k_vip = &rss->rss_svc.ep_addr,
		    .k_vport = rss->rss_svc.ep_port, .k_proto = rss->rss_proto,
		    .k_rip = &rss->rss_ep.ep_addr,
		    .k_rport = rss->rss_ep.ep_port };
		ke = kidx_find(&cm->cm_idx, &k);
		ke->ke_key = k;
		ke->ke_val = rss;
	}
	return 0;
}

static int
commit_bind_svc(struct table_ctl *tc, struct commit *cm,
    const struct svc_conf *sc, struct svc_state **ret)
{
	struct svc_state *svs;
	struct kent	*ke;
	struct key	 k = { .k_vip = &sc->sc_ep.ep_addr,
			    .k_vport = sc->sc_ep.ep_port,
			    .k_proto = sc->sc_proto };
	int		 r;

	ke = kidx_find(&cm->cm_idx, &k);
	if (ke->ke_val != NULL) {
		ke->ke_used = true;
		*ret = ke->ke_val;
		return 0;
	}
	if ((svs = calloc(1, sizeof(*svs))) == NULL)
		return -ENOMEM;
	if ((r = slot_get(tc, &svs->svs_slot)) != 0) {
		free(svs);
		return r;
	}
	svs->svs_proto = sc->sc_proto;
	svs->svs_ep = sc->sc_ep;
	svs->svs_next = cm->cm_svs;
	cm->cm_svs = svs;
	*ret = svs;
	return 0;
}

static int
commit_bind_rs(struct table_ctl *tc, struct commit *cm,
    const struct svc_conf *sc, const struct rs_conf *rc,
    struct rs_state **ret)
{
	struct rs_state	*rss;
	struct kent	*ke;
	struct key	 k = { .k_vip = &sc->sc_ep.ep_addr,
			    .k_vport = sc->sc_ep.ep_port,
			    .k_proto = sc->sc_proto,
			    .k_rip = &rc->rc_ep.ep_addr,
			    .k_rport = vsconf_rs_port(sc, rc) };
	int		 r;

	ke = kidx_find(&cm->cm_idx, &k);
	if (ke->ke_val != NULL) {
		ke->ke_used = true;
		*ret = ke->ke_val;
		return 0;
	}
	if ((rss = calloc(1, sizeof(*rss))) == NULL)
		return -ENOMEM;
	if ((r = slot_get(tc, &rss->rss_slot)) != 0) {
		free(rss);
		return r;
	}
	rss->rss_ep = rc->rc_ep;
	rss->rss_ep.ep_port = k.k_rport;
	rss->rss_proto = sc->sc_proto;
	rss->rss_svc = sc->sc_ep;
	rss->rss_next = cm->cm_rss;
	cm->cm_rss = rss;
	*ret = rss;
	return 0;
}

/* Fill cm_t from <vc>, binding states and running the schedulers' init. */
static int
commit_build(struct table_ctl *tc, struct commit *cm,
    const struct vs_conf *vc, struct uvs_err *err)
{
	const struct svc_conf *sc;
	const struct rs_conf *rc;
	struct svc	*svc;
	struct rs	*rs;
	struct table	*t = cm->cm_t;
	uint32_t	 h;
	unsigned	 i, j;
	int		 r;

	for (i = 0; i < vc->vc_nsvc; i++) {
		sc = &vc->vc_svc[i];
		svc = &t->t_svc[i];
		t->t_nsvc = i + 1;
		svc->svc_proto = sc->sc_proto;
		svc->svc_ep = sc->sc_ep;
		svc->svc_flags = vsconf_flags(sc);
		svc->svc_timeout = sc->sc_timeout;
		svc->svc_netmask = vsconf_netmask(sc);
		svc->svc_pe = sc->sc_pe;
		svc->svc_sched = sched_find(vsconf_sched_name(sc));
		if ((r = commit_bind_svc(tc, cm, sc, &svc->svc_st)) != 0)
			goto out_slots;
		if ((r = commit_bind_laddrs(tc, vc, sc, svc, err)) != 0)
			return r;
		if (sc->sc_nrs > 0) {
			svc->svc_rs = calloc(sc->sc_nrs, sizeof(*svc->svc_rs));
			if (svc->svc_rs == NULL)
				return -ENOMEM;
		}
		svc->svc_nrs = sc->sc_nrs;
		for (j = 0; j < sc->sc_nrs; j++) {
			rc = &sc->sc_rs[j];
			rs = &svc->svc_rs[j];
			r = commit_bind_rs(tc, cm, sc, rc, &rs->rs_st);
			if (r != 0)
				goto out_slots;
			rs->rs_ep = rs->rs_st->rss_ep;
			rs->rs_weight = rc->rc_weight;
			/* A new state starts at 0, the weight it came with. */
			if (rc->rc_weight != 0)
				rs->rs_st->rss_last_weight = rc->rc_weight;
			rs->rs_method = rc->rc_method;
			rs->rs_tun = rc->rc_tun;
			rs->rs_uthresh = rc->rc_uthresh;
			rs->rs_lthresh = rc->rc_lthresh;
		}
		h = svc_hash(svc->svc_proto, &svc->svc_ep.ep_addr.a,
		    svc->svc_ep.ep_addr.a_af, svc->svc_ep.ep_port) & t->t_hmask;
		svc->svc_hnext = t->t_hash[h];
		t->t_hash[h] = svc;
		if (svc->svc_ep.ep_port == 0)
			t->t_nport0++;
	}
	for (i = 0; i < t->t_nsvc; i++) {
		svc = &t->t_svc[i];
		if (svc->svc_sched->init != NULL &&
		    (r = svc->svc_sched->init(svc)) != 0) {
			vsconf_err_svc(err, "cannot start the scheduler of",
			    svc->svc_proto, &svc->svc_ep);
			return r;
		}
		cm->cm_ninit = i + 1;
	}
	return 0;
out_slots:
	if (r == -ENOSPC)
		uvs_err_set(err, "out of stats slots (limit %u services "
		    "and real servers, draining ones included)", STATS_SLOTS);
	return r;
}

/* Forget what a failed commit made; nothing was published. */
static void
commit_undo(struct commit *cm)
{
	struct rs_state	*rss;
	struct svc_state *svs;

	table_destroy(cm->cm_t, cm->cm_ninit, false);
	while ((rss = cm->cm_rss) != NULL) {
		cm->cm_rss = rss->rss_next;
		rs_state_free(rss);
	}
	while ((svs = cm->cm_svs) != NULL) {
		cm->cm_svs = svs->svs_next;
		svc_state_free(svs);
	}
}

/*
 * New thresholds for the workers' overload checks.  As IPVS's
 * __ip_vs_update_dest(): no upper threshold or a higher one lifts the
 * overload at once; otherwise the next connection that ends decides.
 */
static void
rs_state_thresholds(struct rs_state *rss, const struct rs *rs)
{
	uint32_t	 old = __atomic_load_n(&rss->rss_uthresh,
			    __ATOMIC_RELAXED);

	if (rs->rs_uthresh == 0 || rs->rs_uthresh > old)
		__atomic_store_n(&rss->rss_overload, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&rss->rss_lthresh, rs->rs_lthresh, __ATOMIC_RELAXED);
	__atomic_store_n(&rss->rss_uthresh, rs->rs_uthresh, __ATOMIC_RELAXED);
}

/* Past the point of no return: take references, move the lists. */
static void
commit_adopt(struct table_ctl *tc, struct commit *cm)
{
	struct rs_state	*rss;
	struct svc_state *svs;
	struct svc	*svc;
	struct kent	*ke;
	unsigned	 i, j;

	for (i = 0; i < cm->cm_t->t_nsvc; i++) {
		svc = &cm->cm_t->t_svc[i];
		svc_state_hold(svc->svc_st);
		for (j = 0; j < svc->svc_nrs; j++) {
			rs_state_hold(svc->svc_rs[j].rs_st);
			rs_state_thresholds(svc->svc_rs[j].rs_st,
			    &svc->svc_rs[j]);
			/* Tunnel parameters apply to live connections too. */
			__atomic_store_n(&svc->svc_rs[j].rs_st->rss_tun,
			    rs_tun_pack(&svc->svc_rs[j].rs_tun),
			    __ATOMIC_RELAXED);
		}
	}
	/* Live states the new snapshot did not bind are gone from the conf. */
	for (i = 0; i <= cm->cm_idx.ki_mask; i++) {
		ke = &cm->cm_idx.ki_ent[i];
		if (ke->ke_val == NULL || ke->ke_used)
			continue;
		/* Workers read rss_dead (expire_nodest_conn). */
		if (ke->ke_key.k_rip != NULL)
			__atomic_store_n(&((struct rs_state *)
			    ke->ke_val)->rss_dead, true, __ATOMIC_RELAXED);
		else
			((struct svc_state *)ke->ke_val)->svs_dead = true;
	}
	while ((rss = cm->cm_rss) != NULL) {
		cm->cm_rss = rss->rss_next;
		rss->rss_next = tc->tc_rss;
		tc->tc_rss = rss;
	}
	while ((svs = cm->cm_svs) != NULL) {
		cm->cm_svs = svs->svs_next;
		svs->svs_next = tc->tc_svs;
		tc->tc_svs = svs;
	}
}

/*
 * An IPv6 service needs methods that forward IPv6 (xmit_ops.ipv6) for
 * all its real servers: -EAFNOSUPPORT names the first that does not.
 */
static int
check_ipv6(const struct vs_conf *vc, struct uvs_err *err)
{
	const struct svc_conf	*sc;
	const struct xmit_ops	*xo;
	char			 s[SVC_STRLEN];
	unsigned		 i, j;

	for (i = 0; i < vc->vc_nsvc; i++) {
		sc = &vc->vc_svc[i];
		if (sc->sc_ep.ep_addr.a_af != AF_INET6)
			continue;
		for (j = 0; j < sc->sc_nrs; j++) {
			xo = xmit_get(sc->sc_rs[j].rc_method);
			if (xo != NULL && xo->ipv6)
				continue;
			uvs_err_set(err, "%s: %s forwarding of IPv6 is not "
			    "supported yet", svc_fmt(sc->sc_proto, &sc->sc_ep,
			    s, sizeof(s)), xo != NULL ? xo->name : "this");
			return -EAFNOSUPPORT;
		}
	}
	return 0;
}

int
table_commit(struct table_ctl *tc, struct vs_conf *vc, struct uvs_err *err)
{
	struct commit	 cm = { 0 };
	struct table	*old;
	struct svc_conf	*sc;
	unsigned	 i, j;
	int		 r;

	/* Committing table_conf() itself would free it under us. */
	assert(vc != tc->tc_conf);
	if ((r = vsconf_check(vc, err)) != 0)
		return r;
	if ((r = check_ipv6(vc, err)) != 0)
		return r;
	if ((cm.cm_t = table_alloc(vc->vc_nsvc)) == NULL)
		return -ENOMEM;
	if ((r = commit_index(tc, &cm)) != 0 ||
	    (r = commit_build(tc, &cm, vc, err)) != 0) {
		commit_undo(&cm);
		free(cm.cm_idx.ki_ent);
		return r;
	}
	commit_adopt(tc, &cm);
	free(cm.cm_idx.ki_ent);

	/* The conf now reads as it runs. */
	for (i = 0; i < vc->vc_nsvc; i++) {
		sc = &vc->vc_svc[i];
		vsconf_svc_norm(sc);
		for (j = 0; j < sc->sc_nrs; j++)
			sc->sc_rs[j].rc_ep.ep_port = vsconf_rs_port(sc, &sc->sc_rs[j]);
	}

	cm.cm_t->t_gen = ++tc->tc_gen;
	old = tc->tc_cur;
	__atomic_store_n(&tc->tc_cur, cm.cm_t, __ATOMIC_RELEASE);
	if (tc->tc_on_publish != NULL)
		tc->tc_on_publish(cm.cm_t, tc->tc_arg);
	/* After the publish: the epoch's generation orders the two. */
	epoch_defer(tc->tc_epoch, table_free_published, old);
	vsconf_free(tc->tc_conf);
	tc->tc_conf = vc;
	return 0;
}

struct rs_state *
table_rs_states(const struct table_ctl *tc)
{
	return tc->tc_rss;
}

struct svc_state *
table_svc_states(const struct table_ctl *tc)
{
	return tc->tc_svs;
}

struct rs_state *
table_find_rs_state(const struct table_ctl *tc, int proto,
    const struct ep *vip, const struct ep *rip)
{
	struct rs_state	*rss;
	int		 pass;

	/* A configured server first, then one still draining. */
	for (pass = 0; pass < 2; pass++)
		for (rss = tc->tc_rss; rss != NULL; rss = rss->rss_next)
			if (rss->rss_dead == (pass == 1) &&
			    rss->rss_proto == proto &&
			    ep_eq(&rss->rss_svc, vip) &&
			    ep_eq(&rss->rss_ep, rip))
				return rss;
	return NULL;
}

struct svc_state *
table_find_svc_state(const struct table_ctl *tc, int proto,
    const struct ep *vip)
{
	struct svc_state *svs;
	int		 pass;

	for (pass = 0; pass < 2; pass++)
		for (svs = tc->tc_svs; svs != NULL; svs = svs->svs_next)
			if (svs->svs_dead == (pass == 1) &&
			    svs->svs_proto == proto &&
			    ep_eq(&svs->svs_ep, vip))
				return svs;
	return NULL;
}

/*
 * A dead state with no reference cannot gain one: only snapshots hand
 * states to new connections, and none holds it.  Workers that put the
 * last reference may still be about to forget the pointer, hence the
 * epoch.
 */
void
table_gc(struct table_ctl *tc)
{
	struct rs_state	*rss, **rp;
	struct svc_state *svs, **sp;

	for (rp = &tc->tc_rss; (rss = *rp) != NULL;) {
		if (rss->rss_dead &&
		    __atomic_load_n(&rss->rss_refs, __ATOMIC_ACQUIRE) == 0) {
			*rp = rss->rss_next;
			epoch_defer(tc->tc_epoch, rs_state_free, rss);
		} else
			rp = &rss->rss_next;
	}
	for (sp = &tc->tc_svs; (svs = *sp) != NULL;) {
		if (svs->svs_dead &&
		    __atomic_load_n(&svs->svs_refs, __ATOMIC_ACQUIRE) == 0) {
			*sp = svs->svs_next;
			epoch_defer(tc->tc_epoch, svc_state_free, svs);
		} else
			sp = &svs->svs_next;
	}
}
