/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Persistence templates (persist.h).  A template is a connection-table
 * entry flagged CONN_F_TEMPLATE whose inbound tuple is the client's
 * network (CIP & netmask), port 0, to VIP:vport (vport 0 for a port-0
 * service: all ports of a client share it), marked in t_pad so that
 * no frame finds it.  It holds the real server chosen for that network
 * and references on its states, and counts in rss_persist, not in the
 * active or inactive connections.
 *
 * Lifetime, as IPVS: every new connection through a template restarts
 * its timer at the service's persistence timeout, and a template never
 * expires while connections it made are alive: those hold it in c_ctl
 * and count in its c_nctl (IPVS's cp->control and n_control), which the
 * reaper checks (conn.c).  c_nctl is atomic because the connections
 * live in other shards; it grows only under the template's shard lock.
 *
 * A template whose real server left the service is rebound in place to
 * a newly scheduled one, rather than replaced, so that the connections
 * it controls keep a valid c_ctl; IPVS invalidates it and makes a new
 * one, which clients see the same way.
 *
 * A persistence engine (--pe sip) adds its data to the key, as IPVS's
 * pe_data: the template's tuple carries 24 bits of a seeded hash of it
 * (in the client port, zero otherwise, and the second pad byte) so that
 * calls spread over buckets and shards, and its slot (c_pe) holds the
 * bytes, which a lookup compares, so that two Call-IDs never share a
 * template by a collision of their hashes.  As IPVS's ct_match(), the
 * client's network stays in the key.
 *
 * Workers call persist_schedule() holding no shard lock; the reaper and
 * workers call persist_release() and persist_unref().
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "conn.h"
#include "conn_tcp.h"
#include "persist.h"
#include "pkt.h"
#include "sched/sched.h"
#include "stats.h"
#include "table.h"

struct pe_key {
	const void	*pk_data;	/* NULL: no engine data */
	size_t		 pk_len;
};

/* conn_find_if()'s test: the same engine data, or none on both sides. */
static bool
pe_match(const struct conn *c, const void *arg)
{
	const struct pe_key *k = arg;

	if (k->pk_data == NULL)
		return c->c_pe == NULL;
	return c->c_pe != NULL && c->c_pe->pe_len == k->pk_len &&
	    memcmp(c->c_pe->pe_data, k->pk_data, k->pk_len) == 0;
}

void
persist_key(const struct svc *svc, const struct tuple *t, struct tuple *ret)
{
	unsigned	 i, bits;

	memset(ret, 0, sizeof(*ret));
	if (t->t_af == AF_INET6) {
		/* svc_netmask is a prefix length, 1..128. */
		bits = svc->svc_netmask;
		for (i = 0; i < 16 && bits > 0; i++) {
			ret->t_src.b[i] = t->t_src.b[i] &
			    (uint8_t)(bits >= 8 ? 0xff : 0xff << (8 - bits));
			bits = bits >= 8 ? bits - 8 : 0;
		}
	} else
		ret->t_src.w[0] = t->t_src.w[0] & svc->svc_netmask;
	ret->t_dst = t->t_dst;
	/*
	 * The service's port: 0 for a port-0 service, so that one template
	 * holds every port of the client, as IPVS's <caddr,0,vaddr,0>.
	 */
	ret->t_dport = svc->svc_ep.ep_port;
	ret->t_proto = t->t_proto;
	ret->t_af = t->t_af;
	ret->t_pad[0] = CONN_TPL_MARK;
}

/* The real server of <svc> bound to state <rss>, or NULL. */
static struct rs *
svc_rs_of(const struct svc *svc, const struct rs_state *rss)
{
	unsigned	 i;

	for (i = 0; i < svc->svc_nrs; i++)
		if (svc->svc_rs[i].rs_st == rss)
			return &svc->svc_rs[i];
	return NULL;
}

static void
tpl_bind(struct conn *tpl, const struct svc *svc, const struct rs *rs)
{
	tpl->c_rs = rs->rs_st;
	tpl->c_svc = svc->svc_st;
	tpl->c_method = rs->rs_method;
	/* For listings: where the template points. */
	tpl->c_tuple[CONN_OUT].t_src = rs->rs_ep.ep_addr.a;
	tpl->c_tuple[CONN_OUT].t_sport = rs->rs_ep.ep_port;
	rs_state_hold(tpl->c_rs);
	svc_state_hold(tpl->c_svc);
	__atomic_add_fetch(&tpl->c_rs->rss_persist, 1, __ATOMIC_RELAXED);
}

void
persist_release(struct conn *tpl)
{
	__atomic_sub_fetch(&tpl->c_rs->rss_persist, 1, __ATOMIC_RELAXED);
	rs_state_put(tpl->c_rs);
	svc_state_put(tpl->c_svc);
	tpl->c_rs = NULL;
	tpl->c_svc = NULL;
}

void
persist_unref(struct conn *tpl)
{
	if (tpl != NULL)
		__atomic_sub_fetch(&tpl->c_nctl, 1, __ATOMIC_RELEASE);
}

int
persist_schedule(struct conn_table *ct, const struct svc *svc,
    const struct tuple *t, uint32_t now, bool control, struct rs **ret_rs,
    struct conn **ret_tpl)
{
	return persist_schedule_pe(ct, svc, t, NULL, 0, now, control, ret_rs,
	    ret_tpl);
}

int
persist_schedule_pe(struct conn_table *ct, const struct svc *svc,
    const struct tuple *t, const void *pe, size_t pelen, uint32_t now,
    bool control, struct rs **ret_rs, struct conn **ret_tpl)
{
	struct pe_key	 pk = { .pk_data = pe, .pk_len = pelen };
	struct tuple	 key;
	struct conn	*tpl;
	struct rs	*rs = NULL;
	uint32_t	 h;
	unsigned	 shard;
	int		 r = DROP_NONE;

	persist_key(svc, t, &key);
	if (pe != NULL) {
		h = conn_hash_bytes(ct, pe, pelen);
		key.t_sport = (uint16_t)h;
		key.t_pad[1] = (uint8_t)(h >> 16);
	}
	shard = conn_shard(ct, &key, CONN_IN);
	conn_lock(ct, shard);
	tpl = conn_find_if(ct, shard, &key, CONN_IN, pe_match, &pk);
	if (tpl != NULL && (rs = svc_rs_of(svc, tpl->c_rs)) == NULL) {
		/* Its real server left the service: choose again. */
		if ((rs = svc->svc_sched->schedule(svc, t)) == NULL) {
			r = DROP_NO_DEST;
			goto out_unlock;
		}
		persist_release(tpl);
		tpl_bind(tpl, svc, rs);
	} else if (tpl == NULL) {
		if ((rs = svc->svc_sched->schedule(svc, t)) == NULL) {
			r = DROP_NO_DEST;
			goto out_unlock;
		}
		tpl = conn_insert(ct, shard, &key, NULL, now, svc->svc_timeout);
		if (tpl == NULL) {
			r = DROP_CONN_FULL;
			goto out_unlock;
		}
		if (pe != NULL && conn_set_pe(ct, shard, tpl, pe, pelen) != 0) {
			conn_remove(ct, shard, tpl, NULL, NULL);
			r = DROP_SIP_CALLID_FULL;
			goto out_unlock;
		}
		tpl->c_flags = CONN_F_TEMPLATE;
		tpl->c_state = TCPS_NONE;
		tpl_bind(tpl, svc, rs);
	}
	conn_touch_for(ct, tpl, now, svc->svc_timeout);
	if (control)
		__atomic_add_fetch(&tpl->c_nctl, 1, __ATOMIC_RELAXED);
	*ret_rs = rs;
	if (ret_tpl != NULL)
		*ret_tpl = control ? tpl : NULL;
out_unlock:
	conn_unlock(ct, shard);
	return r;
}
