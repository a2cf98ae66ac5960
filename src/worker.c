/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The packet path (worker.h).  Each frame: check what the ring says of
 * it, parse it, then either it is addressed to a virtual service (find
 * or schedule its connection, rewrite it for the real server) or it is a
 * nat or fullnat real server's reply (find the connection by its reply
 * tuple, rewrite it for the client).  A new fullnat flow takes a local
 * port of its shard (laddr.h) and gives it back in its release.  The connection's shard lock is held from
 * lookup to rewrite; nothing else is shared but counters the worker owns
 * and the real servers' connection counts.  A new flow of a persistent
 * service first takes its template's shard lock alone (persist.c), then
 * the connection's; a one-packet (-o) datagram makes no entry at all.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <netinet/icmp6.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "arpnd.h"
#include "conn.h"
#include "daemon.h"
#include "epoch.h"
#include "frag.h"
#include "laddr.h"
#include "icmp.h"
#include "persist.h"
#include "pmtu.h"
#include "pkt.h"
#include "sched/sched.h"
#include "sip.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "worker.h"
#include "xmit/xmit.h"

#define WORKER_POLL_MS	100	/* idle wake-up: snapshot, stats, stop */

int
worker_open(struct worker *w, struct uvsd *d, unsigned id,
    const struct ring_opts *o)
{
	unsigned	 i;
	int		 r;

	memset(w, 0, sizeof(*w));
	w->w_id = id;
	w->w_d = d;
	w->w_cpu = -1;
	w->w_stats = d->d_wstats[id];
	w->w_scratch = mmap(NULL, WORKER_SCRATCH_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->w_scratch == MAP_FAILED) {
		w->w_scratch = NULL;
		return -errno;
	}
	for (i = 0; i < d->d_nifs; i++) {
		/* One fanout group per interface, unique in this netns. */
		uint16_t group = (uint16_t)(((unsigned)getpid() << 5) + i);

		if ((r = ring_open(&w->w_ring[i], &d->d_ifs[i], group, o)) != 0) {
			while (i-- > 0)
				ring_close(&w->w_ring[i]);
			munmap(w->w_scratch, WORKER_SCRATCH_SIZE);
			w->w_scratch = NULL;
			return r;
		}
		w->w_nrings++;
	}
	return 0;
}

/* Count a state change in the real server's active/inactive numbers. */
static void
conn_set_state(struct conn *c, int state)
{
	bool	 was = c->c_flags & CONN_F_ACTIVE;
	bool	 now = state == TCPS_ESTABLISHED || state == SCTPS_ESTABLISHED;

	c->c_state = (uint16_t)state;
	if (was == now)
		return;
	if (now) {
		c->c_flags |= CONN_F_ACTIVE;
		__atomic_add_fetch(&c->c_rs->rss_active, 1, __ATOMIC_RELAXED);
		__atomic_sub_fetch(&c->c_rs->rss_inactive, 1, __ATOMIC_RELAXED);
	} else {
		c->c_flags &= ~CONN_F_ACTIVE;
		__atomic_sub_fetch(&c->c_rs->rss_active, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&c->c_rs->rss_inactive, 1, __ATOMIC_RELAXED);
	}
}

void
worker_conn_release(struct conn *c, void *arg)
{
	(void)arg;
	if (c->c_flags & CONN_F_TEMPLATE) {
		persist_release(c);
		return;
	}
	fullnat_conn_release(c);
	rs_state_conn_gone(c->c_rs, c->c_flags & CONN_F_ACTIVE);
	rs_state_put(c->c_rs);
	svc_state_put(c->c_svc);
	/* Last: the template may go as soon as it controls nobody. */
	persist_unref(c->c_ctl);
}

/*
 * A SYN for a connection that is closing starts a new one, as does an
 * INIT for a CLOSED association (IPVS conn_reuse_mode,
 * is_new_conn_expected()).
 */
static bool
conn_reusable(const struct conn *c, const struct pkt *p)
{
	if (p->p_tuple.t_proto == IPPROTO_SCTP)
		return p->p_sctp_chunk == SCTP_CID_INIT &&
		    c->c_state == SCTPS_CLOSED;
	if (p->p_tuple.t_proto != IPPROTO_TCP ||
	    (p->p_tcpflags & (TCPF_SYN | TCPF_ACK | TCPF_RST)) != TCPF_SYN)
		return false;
	switch (c->c_state) {
	case TCPS_FIN_WAIT:
	case TCPS_TIME_WAIT:
	case TCPS_CLOSE:
	case TCPS_CLOSE_WAIT:
	case TCPS_LAST_ACK:
		return true;
	default:
		return false;
	}
}

/* The reply tuple of <p>'s flow to <rs>: real server -> client. */
static void
reply_tuple(const struct pkt *p, const struct rs *rs, struct tuple *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->t_src = rs->rs_ep.ep_addr.a;
	ret->t_sport = rs_port_of(rs, p->p_tuple.t_dport);
	ret->t_dst = p->p_tuple.t_src;
	ret->t_dport = p->p_tuple.t_sport;
	ret->t_proto = p->p_tuple.t_proto;
	ret->t_af = p->p_tuple.t_af;
}

/* The state a new flow of <p>'s protocol starts in. */
static int
conn_state_first(const struct pkt *p)
{
	switch (p->p_tuple.t_proto) {
	case IPPROTO_TCP:
		return TCPS_NONE;
	case IPPROTO_SCTP:
		return SCTPS_NONE;
	default:
		return CONN_STATE_UDP;
	}
}

/* The state after <p> went through <c> in <dir> (enum conn_dir). */
static int
conn_state_after(const struct conn *c, const struct pkt *p, int dir)
{
	if (p->p_tuple.t_proto == IPPROTO_SCTP)
		return sctp_state_next(c->c_state, dir, p->p_sctp_chunk);
	return tcp_state_next(c->c_state, dir, p->p_tcpflags);
}

/* What every new flow to <rs> sets, table entry or not. */
static void
conn_fill(struct conn *c, const struct svc *svc, const struct rs *rs,
    const struct pkt *p, unsigned slot)
{
	c->c_method = rs->rs_method;
	c->c_rs = rs->rs_st;
	c->c_svc = svc->svc_st;
	c->c_ciface = (uint8_t)slot;
	memcpy(c->c_cmac, p->p_l2 + 6, 6);
	c->c_state = (uint16_t)conn_state_first(p);
}

static void
count_conn(struct wstats *ws, const struct svc *svc, const struct rs *rs)
{
	STAT_INC(ws->ws_slot[svc->svc_st->svs_slot].cn_conns);
	STAT_INC(ws->ws_slot[rs->rs_st->rss_slot].cn_conns);
}

/*
 * Create the connection of a new flow to <rs>, controlled by template
 * <tpl> (may be NULL).  Shard locked.
 */
static int
worker_conn_new(struct worker *w, const struct svc *svc, struct rs *rs,
    struct conn *tpl, struct pkt *p, unsigned shard, unsigned slot,
    uint32_t now, struct conn **ret)
{
	struct conn_table	*ct = w->w_d->d_conns;
	struct laddr		*la = NULL;
	struct tuple		 out;
	struct conn		*c;
	int			 r;

	if (rs->rs_method == XMIT_FULLNAT) {
		/* A port of a LIP whose reply tuple lands in this shard. */
		r = fullnat_conn_tuple(svc, rs, p, shard, &out, &la);
		if (r != DROP_NONE)
			return r;
	} else
		reply_tuple(p, rs, &out);
	c = conn_insert(ct, shard, &p->p_tuple,
	    rs->rs_method == XMIT_NAT || la != NULL ? &out : NULL, now,
	    conn_timeout_of(ct, conn_state_first(p)));
	if (c == NULL) {
		if (la != NULL)
			laddr_port_put(la, out.t_proto, shard, out.t_dport);
		return DROP_CONN_FULL;
	}
	conn_fill(c, svc, rs, p, slot);
	if (la != NULL)
		fullnat_conn_init(c, svc, p, la, shard);
	c->c_ctl = tpl;
	rs_state_hold(c->c_rs);
	svc_state_hold(c->c_svc);
	rs_state_conn_new(c->c_rs);
	count_conn(w->w_stats, svc, rs);
	*ret = c;
	return DROP_NONE;
}

static void
count_in(struct wstats *ws, const struct conn *c, uint32_t len)
{
	STAT_INC(ws->ws_slot[c->c_svc->svs_slot].cn_inpkts);
	STAT_ADD(ws->ws_slot[c->c_svc->svs_slot].cn_inbytes, len);
	STAT_INC(ws->ws_slot[c->c_rs->rss_slot].cn_inpkts);
	STAT_ADD(ws->ws_slot[c->c_rs->rss_slot].cn_inbytes, len);
}

static void
count_out(struct wstats *ws, const struct conn *c, uint32_t len)
{
	STAT_INC(ws->ws_slot[c->c_svc->svs_slot].cn_outpkts);
	STAT_ADD(ws->ws_slot[c->c_svc->svs_slot].cn_outbytes, len);
	STAT_INC(ws->ws_slot[c->c_rs->rss_slot].cn_outpkts);
	STAT_ADD(ws->ws_slot[c->c_rs->rss_slot].cn_outbytes, len);
}

/*
 * A client's packet to <c>'s method, once it is known to fit the path
 * (pmtu_check(): IPVS's pmtu_disc=1 for the methods that do not grow
 * packets; tun checks with its overhead itself).
 */
static int
worker_xmit_in(struct worker *w, struct pkt *p, const struct conn *c,
    unsigned *ret_iface)
{
	int	 r;

	if ((r = pmtu_check(w, p, c)) != DROP_NONE)
		return r;
	return xmit_get(c->c_method)->in(w, p, c, ret_iface);
}

/*
 * One-packet scheduling (-o, UDP): every datagram is scheduled anew and
 * leaves no entry, as IPVS's IP_VS_CONN_F_ONE_PACKET; it counts as a
 * connection.  Replies cannot find it, so it suits dr; a nat reply is
 * dropped as one of no connection.  No lock held but a template's.
 */
static int
worker_onepacket(struct worker *w, const struct svc *svc, struct pkt *p,
    struct rs *rs, unsigned slot, uint32_t now, unsigned *ret_iface)
{
	struct conn	 c;
	int		 r;

	if (rs != NULL)
		;	/* chosen by the persistence engine's template */
	else if (svc->svc_flags & SVC_F_PERSISTENT) {
		r = persist_schedule(w->w_d->d_conns, svc, &p->p_tuple, now,
		    false, &rs, NULL);
		if (r != DROP_NONE)
			return r;
	} else if ((rs = svc->svc_sched->schedule(svc, &p->p_tuple)) == NULL)
		return DROP_NO_DEST;
	memset(&c, 0, sizeof(c));
	c.c_tuple[CONN_IN] = p->p_tuple;
	reply_tuple(p, rs, &c.c_tuple[CONN_OUT]);
	conn_fill(&c, svc, rs, p, slot);
	count_conn(w->w_stats, svc, rs);
	if ((r = worker_xmit_in(w, p, &c, ret_iface)) == DROP_NONE ||
	    r == XMIT_SENT)
		count_in(w->w_stats, &c, p->p_l3len);
	return r;
}

/* conn_find_if()'s test: a connection to that real server. */
static bool
conn_of_rs(const struct conn *c, const void *arg)
{
	return c->c_rs == arg;
}

/*
 * A client's packet once its connection <c> is found or made, under the
 * shard's lock: TCP and SCTP state, expiry, transmission, counters.
 */
static int
worker_in_conn(struct worker *w, struct pkt *p, struct conn *c,
    uint32_t now, unsigned *ret_iface)
{
	int	 r;

	if (c->c_state != CONN_STATE_UDP)
		conn_set_state(c, conn_state_after(c, p,
		    c->c_flags & CONN_F_OUTSEEN ? DIR_INPUT : DIR_INPUT_ONLY));
	conn_touch(w->w_d->d_conns, c, now);
	if ((r = worker_xmit_in(w, p, c, ret_iface)) == DROP_NONE ||
	    r == XMIT_SENT)
		count_in(w->w_stats, c, p->p_l3len);
	return r;
}

/*
 * A datagram to a persistent udp service with pe sip.  As IPVS, whose
 * connections of such a service are hashed by their Call-ID, every
 * datagram goes where its call's template says, even when its client
 * address and port already sent another call elsewhere (a SIP proxy
 * sends all its calls from one port); so there is one connection per
 * client tuple and real server, which replies find by their own tuple.
 * A datagram without a Call-ID is dropped, as IPVS's
 * ip_vs_conn_fill_param_persist() failing makes it drop.
 */
static int
worker_in_sip(struct worker *w, const struct svc *svc, struct pkt *p,
    unsigned slot, uint32_t now, unsigned *ret_iface)
{
	struct conn_table	*ct = w->w_d->d_conns;
	struct conn		*c, *tpl = NULL;
	const uint8_t		*id;
	struct rs		*rs;
	size_t			 idlen, off, end;
	unsigned		 shard;
	bool			 ops = svc->svc_flags & SVC_F_ONEPACKET;
	int			 r;

	off = (size_t)p->p_l4off + 8;
	end = (size_t)p->p_l3off + p->p_l3len;
	if (end > p->p_len || off > end ||
	    sip_callid(p->p_l2 + off, end - off, &id, &idlen) != 0)
		return DROP_SIP_NO_CALLID;
	r = persist_schedule_pe(ct, svc, &p->p_tuple, id, idlen, now, !ops,
	    &rs, &tpl);
	if (r != DROP_NONE)
		return r;
	if (ops)
		return worker_onepacket(w, svc, p, rs, slot, now, ret_iface);
	shard = conn_shard(ct, &p->p_tuple, CONN_IN);
	conn_lock(ct, shard);
	c = conn_find_if(ct, shard, &p->p_tuple, CONN_IN, conn_of_rs,
	    rs->rs_st);
	if (c != NULL)
		persist_unref(tpl);
	else if ((r = worker_conn_new(w, svc, rs, tpl, p, shard, slot, now,
	    &c)) != DROP_NONE) {
		persist_unref(tpl);
		goto out_unlock;
	}
	r = worker_in_conn(w, p, c, now, ret_iface);
out_unlock:
	conn_unlock(ct, shard);
	return r;
}

/*
 * Client -> virtual service.  Returns DROP_NONE with the egress slot, or
 * a reason.
 */
static int
worker_in(struct worker *w, const struct svc *svc, struct pkt *p,
    unsigned slot, uint32_t now, unsigned *ret_iface)
{
	struct conn_table	*ct = w->w_d->d_conns;
	struct conn		*c, *tpl = NULL;
	struct rs		*rs;
	unsigned		 shard;
	int			 r;

	if (svc->svc_pe == PE_SIP)
		return worker_in_sip(w, svc, p, slot, now, ret_iface);

	shard = conn_shard(ct, &p->p_tuple, CONN_IN);
	conn_lock(ct, shard);
	c = conn_find(ct, shard, &p->p_tuple, CONN_IN);
	if (c != NULL && conn_reusable(c, p)) {
		conn_remove(ct, shard, c, worker_conn_release, NULL);
		c = NULL;
	}
	if (c != NULL && __atomic_load_n(&w->w_d->d_opts.o_expire_nodest_conn,
	    __ATOMIC_RELAXED) &&
	    __atomic_load_n(&c->c_rs->rss_dead, __ATOMIC_RELAXED)) {
		/* IPVS expire_nodest_conn=1: its server was removed. */
		conn_remove(ct, shard, c, worker_conn_release, NULL);
		r = DROP_NODEST_CONN;
		goto out_unlock;
	}
	if (c != NULL)
		goto found;
	if (p->p_tuple.t_proto == IPPROTO_TCP &&
	    (p->p_tcpflags & (TCPF_SYN | TCPF_ACK | TCPF_RST)) != TCPF_SYN) {
		r = DROP_NOT_SYN;
		goto out_unlock;
	}
	/* IPVS's sctp_conn_schedule(): only an INIT makes an association. */
	if (p->p_tuple.t_proto == IPPROTO_SCTP &&
	    p->p_sctp_chunk != SCTP_CID_INIT) {
		r = DROP_SCTP_NOT_INIT;
		goto out_unlock;
	}
	if (svc->svc_flags & SVC_F_ONEPACKET) {
		conn_unlock(ct, shard);
		return worker_onepacket(w, svc, p, NULL, slot, now, ret_iface);
	}
	if (svc->svc_flags & SVC_F_PERSISTENT) {
		/* The template's shard: never two shard locks at once. */
		conn_unlock(ct, shard);
		r = persist_schedule(ct, svc, &p->p_tuple, now, true, &rs,
		    &tpl);
		if (r != DROP_NONE)
			return r;
		conn_lock(ct, shard);
		/* Another worker may have made it meanwhile. */
		if ((c = conn_find(ct, shard, &p->p_tuple, CONN_IN)) != NULL) {
			persist_unref(tpl);
			goto found;
		}
	} else if ((rs = svc->svc_sched->schedule(svc, &p->p_tuple)) == NULL) {
		r = DROP_NO_DEST;
		goto out_unlock;
	}
	r = worker_conn_new(w, svc, rs, tpl, p, shard, slot, now, &c);
	if (r != DROP_NONE) {
		persist_unref(tpl);
		goto out_unlock;
	}
found:
	r = worker_in_conn(w, p, c, now, ret_iface);
out_unlock:
	conn_unlock(ct, shard);
	return r;
}

/*
 * Real server -> client, through us (nat, fullnat).  A reply too big for
 * the client side that may not be fragmented gets fragmentation needed
 * back (pmtu_check_out()); one without DF is cut by worker_tx().
 */
static int
worker_out(struct worker *w, struct pkt *p, unsigned slot, uint32_t now,
    unsigned *ret_iface)
{
	struct conn_table	*ct = w->w_d->d_conns;
	const struct xmit_ops	*xo;
	struct conn		*c;
	unsigned		 shard;
	int			 r = DROP_NO_SVC;

	shard = conn_shard(ct, &p->p_tuple, CONN_OUT);
	conn_lock(ct, shard);
	c = conn_find(ct, shard, &p->p_tuple, CONN_OUT);
	if (c == NULL || (xo = xmit_get(c->c_method))->out == NULL)
		goto out_unlock;
	/*
	 * As the kernel's ip_forward() before IPVS sees the reply: nothing
	 * rewritten, the connection's state untouched.
	 */
	if ((r = pmtu_check_out(w, p, c, slot)) != DROP_NONE)
		goto out_unlock;
	c->c_flags |= CONN_F_OUTSEEN;
	if (c->c_state != CONN_STATE_UDP)
		conn_set_state(c, conn_state_after(c, p, DIR_OUTPUT));
	conn_touch(ct, c, now);
	if ((r = xo->out(w, p, c, ret_iface)) == DROP_NONE || r == XMIT_SENT)
		count_out(w->w_stats, c, p->p_l3len);
out_unlock:
	conn_unlock(ct, shard);
	return r;
}

/*
 * AH and ESP (IPPROTO_AH, IPPROTO_ESP), as IPVS's ip_vs_proto_ah_esp.c:
 * they carry no ports and belong to the client's IKE flow, the UDP
 * connection CIP:500 -> VIP:500, so they go where it goes with its
 * method, and count and refresh it.  A VIP with a udp service on port
 * 500 owns them (nft.c); without that connection IPVS leaves them to the
 * host, uvsd counts them (ipsec-no-ike).  A nat real server's AH/ESP
 * comes back by the connection's reply tuple RIP:500 -> CIP:500.  dr,
 * tun and nat (addresses only) as IPVS; fullnat, which IPVS does not
 * have, would need the SPIs: ipsec-fullnat.  Returns DROP_PROTO for
 * AH/ESP that is neither.
 */
static int
worker_ipsec(struct worker *w, const struct table *t, struct pkt *p,
    unsigned slot, uint32_t now, unsigned *ret_iface)
{
	struct conn_table	*ct = w->w_d->d_conns;
	const struct tuple	*in;
	struct tuple		 key;
	struct conn		*c;
	unsigned		 shard;
	int			 dir, r;

	memset(&key, 0, sizeof(key));
	key.t_src = p->p_tuple.t_src;
	key.t_dst = p->p_tuple.t_dst;
	key.t_sport = key.t_dport = htons(IKE_PORT);
	key.t_proto = IPPROTO_UDP;
	key.t_af = p->p_tuple.t_af;
	dir = table_lookup(t, IPPROTO_UDP, &key.t_dst, key.t_af,
	    key.t_dport) != NULL ? CONN_IN : CONN_OUT;
	shard = conn_shard(ct, &key, dir);
	conn_lock(ct, shard);
	if ((c = conn_find(ct, shard, &key, dir)) == NULL) {
		r = dir == CONN_IN ? DROP_IPSEC_NO_IKE : DROP_PROTO;
		goto out_unlock;
	}
	if (dir == CONN_OUT) {
		/* Only nat's real servers reply through us. */
		in = &c->c_tuple[CONN_IN];
		if (c->c_method != XMIT_NAT)
			r = DROP_PROTO;
		else if ((r = pmtu_check_out(w, p, c, slot)) != DROP_NONE)
			;
		else if (!pkt_ttl_dec(p))
			r = DROP_TTL;
		else {
			pkt_rewrite_addr(p, false, &in->t_dst);
			r = xmit_to_client(w, p, c, ret_iface);
			conn_touch(ct, c, now);
			count_out(w->w_stats, c, p->p_l3len);
		}
		goto out_unlock;
	}
	switch (c->c_method) {
	case XMIT_DR:
	case XMIT_TUN:
		r = worker_xmit_in(w, p, c, ret_iface);
		break;
	case XMIT_NAT:
		if ((r = pmtu_check(w, p, c)) != DROP_NONE)
			break;
		pkt_rewrite_addr(p, true, &c->c_tuple[CONN_OUT].t_src);
		r = xmit_to_rs(w, p, c, ret_iface);
		break;
	default:
		r = DROP_IPSEC_FULLNAT;
		goto out_unlock;
	}
	if (r == DROP_NONE || r == XMIT_SENT) {
		conn_touch(ct, c, now);
		count_in(w->w_stats, c, p->p_l3len);
	}
out_unlock:
	conn_unlock(ct, shard);
	return r;
}

/*
 * An ICMP fragmentation needed about a packet we tunnelled (IPVS's
 * ip_vs_in_icmp() special case): the client's connection, found by the
 * packet the tunnel packet carried, learns it (xmit/tun.c).
 */
static int
worker_icmp_tun(struct worker *w, const struct pkt *p,
    const struct icmp_tun *it)
{
	struct conn_table	*ct = w->w_d->d_conns;
	struct conn		*c;
	unsigned		 shard;
	bool			 sent = false;
	int			 r;

	shard = conn_shard(ct, &it->it_tuple, CONN_IN);
	conn_lock(ct, shard);
	if ((c = conn_find(ct, shard, &it->it_tuple, CONN_IN)) == NULL)
		r = DROP_ICMP_NO_CONN;
	else
		r = tun_icmp_tun(w, p, it, c, &sent);
	if (sent) {
		count_in(w->w_stats, c, p->p_l3len);
		STAT_INC(w->w_stats->ws_icmp_relayed);
	}
	conn_unlock(ct, shard);
	return r;
}

/*
 * An ICMP error about a connection, as IPVS's ip_vs_in_icmp() and
 * ip_vs_out_icmp(): about what the VIP sent (its quote reversed is a
 * client's tuple) it goes to the real server, about what a client sent
 * a nat real server (reversed, a reply tuple) to the client.  Errors
 * are counted as the connection's traffic but do not refresh it.
 */
static int
worker_icmp(struct worker *w, struct pkt *p, unsigned *ret_iface)
{
	struct conn_table	*ct = w->w_d->d_conns;
	const struct xmit_ops	*xo;
	struct icmp_err		 ie;
	struct icmp_tun		 it;
	struct conn		*c = NULL;
	unsigned		 shard = 0;
	int			 dir, r, rt;

	r = icmp_parse(p, &ie);
	/*
	 * What quotes IPIP, GRE or UDP may be about a tunnel packet; UDP
	 * that is no tunnel's, or whose connection is not found, is then
	 * an ordinary error.
	 */
	if (r == DROP_PROTO || (r == DROP_NONE &&
	    ie.ie_tuple.t_proto == IPPROTO_UDP)) {
		if ((rt = icmp_parse_tun(p, &it)) == DROP_NONE &&
		    (rt = worker_icmp_tun(w, p, &it)) != DROP_ICMP_NO_CONN)
			return rt;
		if (r == DROP_PROTO)
			return rt;
	}
	if (r != DROP_NONE)
		return r;
	/* The two directions' shards differ: one lock at a time. */
	for (dir = CONN_IN; dir <= CONN_OUT; dir++) {
		shard = conn_shard(ct, &ie.ie_tuple, dir);
		conn_lock(ct, shard);
		if ((c = conn_find(ct, shard, &ie.ie_tuple, dir)) != NULL)
			break;
		conn_unlock(ct, shard);
	}
	if (c == NULL)
		return DROP_ICMP_NO_CONN;
	xo = xmit_get(c->c_method);
	if (dir == CONN_IN)
		r = xo->icmp_in != NULL ?
		    xo->icmp_in(w, p, &ie, c, ret_iface) : DROP_ICMP_METHOD;
	else
		r = xo->icmp_out != NULL ?
		    xo->icmp_out(w, p, &ie, c, ret_iface) : DROP_ICMP_METHOD;
	if (r == DROP_NONE || r == XMIT_SENT) {
		if (dir == CONN_IN)
			count_in(w->w_stats, c, p->p_l3len);
		else
			count_out(w->w_stats, c, p->p_l3len);
		STAT_INC(w->w_stats->ws_icmp_relayed);
	}
	conn_unlock(ct, shard);
	return r;
}

/* One frame; returns DROP_NONE once it is queued for sending. */
static int
worker_frame(struct worker *w, const struct table *t, unsigned slot,
    struct tpacket3_hdr *h, uint32_t now)
{
	const struct sockaddr_ll *sll;
	const struct svc	*svc;
	struct pkt		 p;
	uint8_t			*frame;
	unsigned		 egress = 0;
	int			 r;

	if (h->tp_snaplen != h->tp_len)
		return DROP_TRUNC;
	sll = (const struct sockaddr_ll *)((uint8_t *)h +
	    TPACKET_ALIGN(sizeof(struct tpacket3_hdr)));
	frame = (uint8_t *)h + h->tp_mac;
	if (sll->sll_pkttype != PACKET_HOST) {
		/* ARP requests are broadcast, solicitations multicast. */
		if (w->w_d->d_arpnd != NULL &&
		    !(h->tp_status & TP_STATUS_VLAN_VALID) &&
		    (sll->sll_pkttype == PACKET_BROADCAST ||
		    sll->sll_pkttype == PACKET_MULTICAST))
			return arpnd_frame(w, t, slot, frame, h->tp_snaplen);
		return DROP_OTHERHOST;
	}
	if (h->tp_status & TP_STATUS_VLAN_VALID)
		return DROP_VLAN;
	r = pkt_parse(&p, frame, h->tp_snaplen,
	    (struct vnet_hdr *)(frame - RING_VNET_LEN));
	/* What lies between the ring's headers and the vnet header. */
	p.p_headroom = h->tp_mac >= TPACKET3_HDRLEN + RING_VNET_LEN ?
	    (uint16_t)(h->tp_mac - TPACKET3_HDRLEN - RING_VNET_LEN) : 0;
	/* Unicast ARP and solicitations (reachability probes). */
	if (w->w_d->d_arpnd != NULL && ((r == DROP_NOT_IP &&
	    p.p_ethertype == htons(ETHERTYPE_ARP)) ||
	    (r == DROP_PROTO && p.p_tuple.t_af == AF_INET6 &&
	    p.p_tuple.t_proto == IPPROTO_ICMPV6 && p.p_l4off != 0 &&
	    p.p_l4off < p.p_len && p.p_l2[p.p_l4off] == ND_NEIGHBOR_SOLICIT)))
		return arpnd_frame(w, t, slot, frame, h->tp_snaplen);
	/*
	 * An SCTP CRC32c left to a NETIF_F_SCTP_CRC device: the vnet header
	 * cannot tell the device after us it is no Internet checksum.
	 */
	if (r == DROP_NONE && p.p_csum_partial &&
	    p.p_tuple.t_proto == IPPROTO_SCTP)
		pkt_sctp_csum(&p);
	if (r == DROP_PROTO && icmp_is(&p))
		r = worker_icmp(w, &p, &egress);
	else if (r == DROP_PROTO && (p.p_tuple.t_proto == IPPROTO_ESP ||
	    p.p_tuple.t_proto == IPPROTO_AH))
		r = worker_ipsec(w, t, &p, slot, now, &egress);
	else if (r != DROP_NONE)
		return r;
	else if ((svc = table_lookup(t, p.p_tuple.t_proto, &p.p_tuple.t_dst,
	    p.p_tuple.t_af, p.p_tuple.t_dport)) != NULL)
		r = worker_in(w, svc, &p, slot, now, &egress);
	else
		r = worker_out(w, &p, slot, now, &egress);
	if (r == XMIT_SENT)
		return DROP_NONE;
	if (r != DROP_NONE)
		return r;
	/* The method may have moved the frame into the headroom. */
	return worker_tx(w, egress, p.p_l2 - RING_VNET_LEN,
	    p.p_len + RING_VNET_LEN);
}

/*
 * The one place where frames too big for the egress MTU go: an IPv4
 * datagram without DF (one that DEFRAG reassembled) is cut into fragments
 * built in scratch; anything else is DROP_TOO_BIG here.  Whoever must
 * answer a DF packet with fragmentation needed (packet too big) does it
 * before rewriting it, where the original is still at hand (tun).
 */
static int
worker_too_big(struct worker *w, unsigned egress, uint8_t *buf, uint32_t len)
{
	struct frag	 f;
	uint8_t		*out;
	uint32_t	 n, total;
	int		 r;

	r = frag_start(&f, buf + RING_VNET_LEN, len - RING_VNET_LEN,
	    (struct vnet_hdr *)buf, w->w_d->d_ifs[egress].if_mtu);
	if (r != DROP_NONE)
		return r;
	total = frag_total(&f);
	/*
	 * A datagram that lies in scratch itself must survive the request:
	 * a full area would be flushed and handed out again from its start.
	 */
	if (w->w_scratch != NULL && buf >= w->w_scratch &&
	    buf < w->w_scratch + WORKER_SCRATCH_SIZE &&
	    WORKER_SCRATCH_SIZE - w->w_scratch_used < total + 15)
		return DROP_TX_FULL;
	if ((out = worker_scratch(w, total)) == NULL)
		return DROP_TOO_BIG;
	while ((n = frag_next(&f, out)) != 0) {
		if ((r = worker_tx(w, egress, out, n)) != DROP_NONE)
			return r;
		out += n;
	}
	STAT_INC(w->w_stats->ws_frag_out);
	return DROP_NONE;
}

int
worker_tx(struct worker *w, unsigned egress, uint8_t *buf, uint32_t len)
{
	const struct vnet_hdr	*vh = (const struct vnet_hdr *)buf;
	struct ring		*tx;

	if (egress >= w->w_nrings)
		return DROP_NO_IFACE;
	/* The kernel refuses non-GSO frames over the MTU (§8.5). */
	if (vh->vh_gso_type == VNET_GSO_NONE &&
	    len - RING_VNET_LEN > w->w_d->d_ifs[egress].if_mtu + 14)
		return worker_too_big(w, egress, buf, len);
	tx = &w->w_ring[egress];
	if (!ring_tx_add(tx, buf, len)) {
		STAT_ADD(w->w_stats->ws_drop[DROP_TX],
		    ring_tx_flush(tx, &w->w_stats->ws_tx_calls));
		if (!ring_tx_add(tx, buf, len))
			return DROP_TX_FULL;
	}
	STAT_INC(w->w_stats->ws_tx_pkts);
	STAT_ADD(w->w_stats->ws_tx_bytes, len - RING_VNET_LEN);
	return DROP_NONE;
}

uint8_t *
worker_scratch(struct worker *w, uint32_t len)
{
	uint8_t	*buf;

	len = (len + 15) & ~15U;
	if (w->w_scratch == NULL || len > WORKER_SCRATCH_SIZE)
		return NULL;
	if (WORKER_SCRATCH_SIZE - w->w_scratch_used < len)
		worker_flush(w);	/* sends all, resets the area */
	buf = w->w_scratch + w->w_scratch_used;
	w->w_scratch_used += len;
	return buf;
}

void
worker_block(struct worker *w, unsigned slot, struct tpacket_block_desc *bd,
    uint32_t now)
{
	const struct table	*t = table_current(w->w_d->d_tables);
	struct wstats		*ws = w->w_stats;
	struct tpacket3_hdr	*h;
	uint32_t		 i, n = bd->hdr.bh1.num_pkts;
	int			 r;

	STAT_INC(ws->ws_rx_blocks);
	h = (struct tpacket3_hdr *)((uint8_t *)bd +
	    bd->hdr.bh1.offset_to_first_pkt);
	/* tp_next_offset is 0 on the last frame: count, do not follow (§1.4). */
	for (i = 0; i < n; i++) {
		STAT_INC(ws->ws_rx_pkts);
		STAT_ADD(ws->ws_rx_bytes, h->tp_len);
		if ((r = worker_frame(w, t, slot, h, now)) != DROP_NONE)
			STAT_INC(ws->ws_drop[r]);
		h = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
	}
}

void
worker_flush(struct worker *w)
{
	unsigned	 i;

	for (i = 0; i < w->w_nrings; i++)
		STAT_ADD(w->w_stats->ws_drop[DROP_TX],
		    ring_tx_flush(&w->w_ring[i], &w->w_stats->ws_tx_calls));
	w->w_scratch_used = 0;
}

static void
worker_ring_stats(struct worker *w)
{
	uint64_t	 drops, freezes;
	unsigned	 i;

	for (i = 0; i < w->w_nrings; i++)
		if (ring_stats(&w->w_ring[i], &drops, &freezes) == 0) {
			STAT_ADD(w->w_stats->ws_ring_drops, drops);
			STAT_ADD(w->w_stats->ws_ring_freezes, freezes);
		}
}

static void *
worker_main(void *arg)
{
	struct worker			*w = arg;
	struct uvsd			*d = w->w_d;
	struct pollfd			 pfd[IFACE_MAX];
	struct tpacket_block_desc	*bd;
	uint32_t			 now, last_stats = 0;
	unsigned			 i;
	bool				 busy;

	if (w->w_cpu >= 0) {
		cpu_set_t cs;

		CPU_ZERO(&cs);
		CPU_SET(w->w_cpu, &cs);
		(void)pthread_setaffinity_np(pthread_self(), sizeof(cs), &cs);
	}
	for (i = 0; i < w->w_nrings; i++) {
		pfd[i].fd = w->w_ring[i].r_fd;
		pfd[i].events = POLLIN | POLLERR;
	}
	while (!__atomic_load_n(&d->d_stop, __ATOMIC_RELAXED)) {
		epoch_quiescent(d->d_epoch, w->w_id);
		__atomic_add_fetch(&w->w_loops, 1, __ATOMIC_RELAXED);
		now = conn_now();
		busy = false;
		/*
		 * One block per ring per round, so that a busy interface
		 * does not starve the others; every frame of the blocks
		 * leaves before the blocks go back (iovecs point into them).
		 */
		for (i = 0; i < w->w_nrings; i++) {
			if ((bd = ring_block(&w->w_ring[i])) == NULL)
				continue;
			busy = true;
			worker_block(w, i, bd, now);
			worker_flush(w);
			ring_block_done(&w->w_ring[i]);
		}
		if (now != last_stats) {
			/* Once a second, not per packet. */
			worker_ring_stats(w);
			last_stats = now;
		}
		if (busy)
			continue;
		/* Poll only when the cursor block is the kernel's (§1.5). */
		epoch_offline(d->d_epoch, w->w_id);
		(void)poll(pfd, w->w_nrings, WORKER_POLL_MS);
	}
	epoch_offline(d->d_epoch, w->w_id);
	return NULL;
}

int
worker_start(struct worker *w)
{
	int	 r;

	if ((r = pthread_create(&w->w_thread, NULL, worker_main, w)) != 0)
		return -r;
	w->w_started = true;
	return 0;
}

void
worker_join(struct worker *w)
{
	if (w->w_started)
		pthread_join(w->w_thread, NULL);
	w->w_started = false;
}

void
worker_close(struct worker *w)
{
	unsigned	 i;

	for (i = 0; i < w->w_nrings; i++)
		ring_close(&w->w_ring[i]);
	w->w_nrings = 0;
	if (w->w_scratch != NULL)
		munmap(w->w_scratch, WORKER_SCRATCH_SIZE);
	w->w_scratch = NULL;
}
