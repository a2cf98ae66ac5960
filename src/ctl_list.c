/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control protocol's reading verbs (ctl_cmd_int.h): list, stats,
 * zero, timeout and set-timeout, connections.  Listings walk the
 * configuration in its order beside the published snapshot, so what
 * uvsadm shows is what runs.  Control thread.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "addr.h"
#include "conn.h"
#include "ctl_cmd.h"
#include "ctl_cmd_int.h"
#include "ctl_proto.h"
#include "daemon.h"
#include "health.h"
#include "rbuf.h"
#include "sched/sched.h"
#include "sip.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

/*
 * The snapshot's entry for configured service <i>: the snapshot is built
 * from the configuration in its order, so the same index, checked.
 */
static const struct svc *
snap_svc(const struct table *t, unsigned i, const struct svc_conf *sc)
{
	const struct svc	*svc;

	if (t == NULL || i >= t->t_nsvc)
		return NULL;
	svc = &t->t_svc[i];
	if (svc->svc_proto != sc->sc_proto || !ep_eq(&svc->svc_ep, &sc->sc_ep))
		return NULL;
	return svc;
}

static struct svc_state *
svc_state_of(struct uvsd *d, const struct svc *svc, const struct svc_conf *sc)
{
	if (svc != NULL && svc->svc_st != NULL)
		return svc->svc_st;
	return table_find_svc_state(d->d_tables, sc->sc_proto, &sc->sc_ep);
}

static struct rs_state *
rs_state_of(struct uvsd *d, const struct svc *svc, unsigned i,
    const struct svc_conf *sc, const struct rs_conf *rc)
{
	if (svc != NULL && i < svc->svc_nrs &&
	    ep_eq(&svc->svc_rs[i].rs_ep, &rc->rc_ep) &&
	    svc->svc_rs[i].rs_st != NULL)
		return svc->svc_rs[i].rs_st;
	return table_find_rs_state(d->d_tables, sc->sc_proto, &sc->sc_ep,
	    &rc->rc_ep);
}

static void
fmt_netmask(const struct svc_conf *sc, char *buf, size_t len)
{
	struct in_addr	 in;
	uint32_t	 m = sc->sc_netmask;

	if (m == 0)
		m = netmask_default(sc->sc_ep.ep_addr.a_af);
	if (sc->sc_ep.ep_addr.a_af == AF_INET6) {
		snprintf(buf, len, "%u", m);
		return;
	}
	in.s_addr = m;
	if (inet_ntop(AF_INET, &in, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
}

static void
put_counters(struct rbuf *out, const struct counters *c,
    const struct rates *rt)
{
	rbuf_printf(out, " conns %llu inpkts %llu outpkts %llu inbytes %llu "
	    "outbytes %llu cps %llu inpps %llu outpps %llu inbps %llu "
	    "outbps %llu\n", (unsigned long long)c->cn_conns,
	    (unsigned long long)c->cn_inpkts,
	    (unsigned long long)c->cn_outpkts,
	    (unsigned long long)c->cn_inbytes,
	    (unsigned long long)c->cn_outbytes,
	    (unsigned long long)rt->r_cps, (unsigned long long)rt->r_inpps,
	    (unsigned long long)rt->r_outpps, (unsigned long long)rt->r_inbps,
	    (unsigned long long)rt->r_outbps);
}

/*
 * A checked real server's line ends in "health up|down last "reason"":
 * last, because the reason has blanks and the pairs before it must stay
 * pairs for uvsadm.  Unchecked servers' lines stay as they were.
 */
static void
put_health(struct uvsd *d, const struct svc_conf *sc,
    const struct rs_conf *rc, struct rbuf *out)
{
	const char	*reason = "";
	struct ep	 rip = rc->rc_ep;
	int		 st;

	if (!health_active(d->d_health))
		return;
	if (XMIT_SAME_PORT(rc->rc_method) || rip.ep_port == 0)
		rip.ep_port = sc->sc_ep.ep_port;
	st = health_state(d->d_health, sc->sc_proto, &sc->sc_ep, &rip,
	    &reason);
	if (st == HEALTH_NONE)
		return;
	/* put_counters() ended the line. */
	if (out->rb_err != 0 || out->rb_len == 0 ||
	    out->rb_buf[out->rb_len - 1] != '\n')
		return;
	out->rb_buf[--out->rb_len] = '\0';
	rbuf_printf(out, " health %s last \"%s\"\n", health_state_name(st),
	    reason);
}

static int32_t
load32(const int32_t *p)
{
	int32_t	 v = __atomic_load_n(p, __ATOMIC_RELAXED);

	/* A decrement seen before its increment reads as 0. */
	return v > 0 ? v : 0;
}

/* " laddr A,B proxy v1" of a service that has them (fullnat). */
static void
put_fullnat(const struct svc_conf *sc, struct rbuf *out)
{
	static const char *const pp[] = { "none", "v1", "v2" };
	char		 a[ADDR_STRLEN];
	unsigned	 i;

	for (i = 0; i < sc->sc_nladdr; i++)
		rbuf_printf(out, "%s%s", i == 0 ? " laddr " : ",",
		    addr_fmt(&sc->sc_laddr[i], a, sizeof(a)));
	if (sc->sc_proxy != 0 && sc->sc_proxy < nitems(pp))
		rbuf_printf(out, " proxy %s", pp[sc->sc_proxy]);
}

static void
list_svc(struct uvsd *d, const struct svc_conf *sc, const struct svc *svc,
    struct rbuf *out)
{
	const struct rs_conf	*rc;
	struct svc_state	*svs;
	struct rs_state		*rss;
	struct counters		 c;
	struct rates		 rt;
	char			 vip[EP_STRLEN], rip[EP_STRLEN], mask[64];
	const char		*proto = proto_name(sc->sc_proto);
	unsigned		 i;

	ep_fmt(&sc->sc_ep, vip, sizeof(vip));
	svs = svc_state_of(d, svc, sc);
	slot_get(d, svs != NULL ? svs->svs_slot : STATS_SLOTS, &c, &rt);
	fmt_netmask(sc, mask, sizeof(mask));
	rbuf_printf(out, "service %s %s scheduler %.*s flags 0x%x persistent "
	    "%u netmask %s", proto, vip, (int)sizeof(sc->sc_sched),
	    sc->sc_sched, sc->sc_flags, (sc->sc_flags & SVC_F_PERSISTENT) ?
	    sc->sc_timeout : 0, mask);
	if (sc->sc_pe == PE_SIP)
		rbuf_printf(out, " pe sip");
	put_fullnat(sc, out);
	put_counters(out, &c, &rt);
	for (i = 0; i < sc->sc_nrs; i++) {
		int32_t	 act = 0, inact = 0, pers = 0;

		rc = &sc->sc_rs[i];
		rss = rs_state_of(d, svc, i, sc, rc);
		if (rss != NULL) {
			act = load32(&rss->rss_active);
			inact = load32(&rss->rss_inactive);
			pers = load32(&rss->rss_persist);
		}
		slot_get(d, rss != NULL ? rss->rss_slot : STATS_SLOTS, &c, &rt);
		rbuf_printf(out, "server %s %s %s method %s weight %d "
		    "active %d inactive %d uthreshold %u lthreshold %u "
		    "persistconns %d", proto, vip,
		    ep_fmt(&rc->rc_ep, rip, sizeof(rip)),
		    method_name(rc->rc_method), rc->rc_weight, act, inact,
		    rc->rc_uthresh, rc->rc_lthresh, pers);
		if (rc->rc_method == XMIT_TUN)
			rbuf_printf(out, " tun-type %s tun-port %u tun-csum %s",
			    rs_tun_name(rc->rc_tun.rt_type),
			    (unsigned)rc->rc_tun.rt_port,
			    rs_tun_csum_name(rc->rc_tun.rt_flags));
		put_counters(out, &c, &rt);
		put_health(d, sc, rc, out);
	}
}

/* The optional PROTO VIP:PORT of list, zero and connections. */
static int
svc_filter(struct cmd_ctx *x, const struct ctl_cmd *c, int argc,
    char **argv, int *ret_proto, struct ep *ret_vip)
{
	if (argc == 1) {
		*ret_proto = 0;
		return 0;
	}
	if (argc != 3)
		return usage_err(c, x->x_err);
	return parse_svc(argv, ret_proto, ret_vip, x->x_err);
}

static int
no_such_service(struct uvs_err *err, int proto, const struct ep *vip)
{
	char	 buf[EP_STRLEN];

	uvs_err_set(err, "no such service '%s %s'", proto_name(proto),
	    ep_fmt(vip, buf, sizeof(buf)));
	return -ESRCH;
}

int
cmd_list(struct cmd_ctx *x, int argc, char **argv)
{
	struct uvsd		*d = x->x_d;
	const struct vs_conf	*vc = daemon_conf(d);
	const struct table	*t = table_current(d->d_tables);
	const struct svc_conf	*sc;
	struct ep		 vip;
	unsigned		 i;
	int			 proto, r;

	if ((r = svc_filter(x, &ctl_cmds[CMD_LIST], argc, argv, &proto, &vip)) < 0)
		return r;
	if (proto != 0 && vsconf_find_svc(vc, proto, &vip) == NULL)
		return no_such_service(x->x_err, proto, &vip);
	rbuf_printf(x->x_out, "info version %s size %u connections %u\n",
	    CTL_IPVS_VERSION,
	    d->d_conns != NULL ? conn_hash_size(d->d_conns) : 0,
	    d->d_conns != NULL ? conn_count(d->d_conns) : 0);
	for (i = 0; i < vc->vc_nsvc; i++) {
		sc = &vc->vc_svc[i];
		if (proto != 0 && (sc->sc_proto != proto ||
		    !ep_eq(&sc->sc_ep, &vip)))
			continue;
		list_svc(d, sc, snap_svc(t, i, sc), x->x_out);
	}
	return 0;
}

static uint64_t
load64(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

int
cmd_stats(struct cmd_ctx *x, int argc, char **argv)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} fields[] = {
		{ "rx-packets", offsetof(struct wstats, ws_rx_pkts) },
		{ "rx-bytes", offsetof(struct wstats, ws_rx_bytes) },
		{ "tx-packets", offsetof(struct wstats, ws_tx_pkts) },
		{ "tx-bytes", offsetof(struct wstats, ws_tx_bytes) },
		{ "rx-blocks", offsetof(struct wstats, ws_rx_blocks) },
		{ "tx-calls", offsetof(struct wstats, ws_tx_calls) },
		{ "ring-drops", offsetof(struct wstats, ws_ring_drops) },
		{ "ring-freezes", offsetof(struct wstats, ws_ring_freezes) },
		{ "fragmented", offsetof(struct wstats, ws_frag_out) },
		{ "arp-replies", offsetof(struct wstats, ws_arp_replies) },
		{ "na-sent", offsetof(struct wstats, ws_na_sent) },
		{ "icmp-relayed", offsetof(struct wstats, ws_icmp_relayed) },
	};
	struct uvsd	*d = x->x_d;
	struct rbuf	*out = x->x_out;
	unsigned	 n = nstats(d);
	unsigned	 i, w;
	uint64_t	 sum, drops;
	size_t		 f;
	int		 reason;

	(void)argc, (void)argv;
	if (d->d_wstats == NULL)
		n = 0;
	for (f = 0; f < nitems(fields); f++) {
		for (sum = 0, i = 0; i < n; i++)
			sum += load64((const uint64_t *)(const void *)
			    ((const char *)d->d_wstats[i] + fields[f].off));
		rbuf_printf(out, "%s %llu\n", fields[f].name,
		    (unsigned long long)sum);
	}
	for (reason = 1; reason < DROP__MAX; reason++) {
		for (sum = 0, i = 0; i < n; i++)
			sum += load64(&d->d_wstats[i]->ws_drop[reason]);
		rbuf_printf(out, "drop %s %llu\n", drop_name(reason),
		    (unsigned long long)sum);
	}
	for (w = 0; w < d->d_nworkers && d->d_wstats != NULL; w++) {
		const struct wstats *ws = d->d_wstats[w];

		for (drops = 0, reason = 1; reason < DROP__MAX; reason++)
			drops += load64(&ws->ws_drop[reason]);
		rbuf_printf(out, "worker %u rx-packets %llu tx-packets %llu "
		    "drops %llu\n", w,
		    (unsigned long long)load64(&ws->ws_rx_pkts),
		    (unsigned long long)load64(&ws->ws_tx_pkts),
		    (unsigned long long)drops);
	}
	return 0;
}

static void
zero_slot(struct uvsd *d, uint32_t slot)
{
	if (d->d_wstats != NULL && slot < STATS_SLOTS)
		stats_zero(d->d_wstats, nstats(d), slot);
}

/* ipvsadm -Z: a service and its real servers, or all of them. */
int
cmd_zero(struct cmd_ctx *x, int argc, char **argv)
{
	struct uvsd		*d = x->x_d;
	const struct vs_conf	*vc = daemon_conf(d);
	const struct table	*t = table_current(d->d_tables);
	const struct svc_conf	*sc;
	const struct svc	*svc;
	struct svc_state	*svs;
	struct rs_state		*rss;
	struct ep		 vip;
	unsigned		 i, j;
	int			 proto, r;

	if ((r = svc_filter(x, &ctl_cmds[CMD_ZERO], argc, argv, &proto, &vip)) < 0)
		return r;
	if (proto != 0 && vsconf_find_svc(vc, proto, &vip) == NULL)
		return no_such_service(x->x_err, proto, &vip);
	for (i = 0; i < vc->vc_nsvc; i++) {
		sc = &vc->vc_svc[i];
		if (proto != 0 && (sc->sc_proto != proto ||
		    !ep_eq(&sc->sc_ep, &vip)))
			continue;
		svc = snap_svc(t, i, sc);
		if ((svs = svc_state_of(d, svc, sc)) != NULL)
			zero_slot(d, svs->svs_slot);
		for (j = 0; j < sc->sc_nrs; j++)
			if ((rss = rs_state_of(d, svc, j, sc,
			    &sc->sc_rs[j])) != NULL)
				zero_slot(d, rss->rss_slot);
	}
	return 0;
}

int
cmd_timeout(struct cmd_ctx *x, int argc, char **argv)
{
	struct conn_timeouts	 to;

	(void)argc, (void)argv;
	if (x->x_d->d_conns == NULL)
		tcp_timeouts_default(&to);
	else
		conn_get_timeouts(x->x_d->d_conns, &to);
	return rbuf_printf(x->x_out, "timeout tcp %u tcpfin %u udp %u\n",
	    to.ct_tcp[TCPS_ESTABLISHED], to.ct_tcp[TCPS_FIN_WAIT], to.ct_udp);
}

/* ipvsadm --set: 0 keeps a value. */
int
cmd_set_timeout(struct cmd_ctx *x, int argc, char **argv)
{
	struct conn_timeouts	 to;
	uint32_t		 v[3];
	int			 i, r;

	(void)argc;
	for (i = 0; i < 3; i++)
		if ((r = parse_num(argv[i + 1], "timeout", TIMEOUT_MAX, &v[i],
		    x->x_err)) < 0)
			return r;
	if (x->x_d->d_conns == NULL) {
		uvs_err_set(x->x_err, "no connection table");
		return -ENODEV;
	}
	conn_get_timeouts(x->x_d->d_conns, &to);
	if (v[0] != 0)
		to.ct_tcp[TCPS_ESTABLISHED] = v[0];
	if (v[1] != 0)
		to.ct_tcp[TCPS_FIN_WAIT] = v[1];
	if (v[2] != 0)
		to.ct_udp = v[2];
	conn_set_timeouts(x->x_d->d_conns, &to);
	return 0;
}

struct conn_walk {
	struct rbuf	*cw_out;
	int		 cw_proto;	/* 0: every connection */
	struct ep	 cw_vip;
	uint32_t	 cw_now;
};

static void
tuple_ep(const struct tuple *t, bool src, struct ep *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->ep_addr.a_af = t->t_af;
	ret->ep_addr.a = src ? t->t_src : t->t_dst;
	ret->ep_port = src ? t->t_sport : t->t_dport;
}

/* Under a shard lock: print, nothing else. */
static int
conn_line(const struct conn *c, void *arg)
{
	struct conn_walk	*cw = arg;
	const struct tuple	*t = &c->c_tuple[CONN_IN];
	struct ep		 cip, vip, rip, lip;
	char			 cs[EP_STRLEN], vs[EP_STRLEN], rs[EP_STRLEN];
	char			 ls[EP_STRLEN + 1];
	const char		*state;
	uint32_t		 exp;

	tuple_ep(t, true, &cip);
	tuple_ep(t, false, &vip);
	if (cw->cw_proto != 0 && (t->t_proto != cw->cw_proto ||
	    !ep_eq(&vip, &cw->cw_vip)))
		return 0;
	if (c->c_rs != NULL)
		rip = c->c_rs->rss_ep;
	else {
		memset(&rip, 0, sizeof(rip));
		rip.ep_addr.a_af = t->t_af;
	}
	exp = c->c_expires > cw->cw_now ? c->c_expires - cw->cw_now : 0;
	if (c->c_flags & CONN_F_TEMPLATE) {
		/* What IPVS shows for a template of either protocol. */
		state = t->t_proto == IPPROTO_UDP ? "UDP" : "NONE";
		cip.ep_port = 0;
	} else if (t->t_proto == IPPROTO_SCTP)
		state = sctp_state_name(c->c_state);
	else
		state = tcp_state_name(t->t_proto == IPPROTO_UDP ?
		    CONN_STATE_UDP : c->c_state);
	/* fullnat: the LIP:lport it uses, an eighth word. */
	ls[0] = '\0';
	if (c->c_method == XMIT_FULLNAT && !(c->c_flags & CONN_F_TEMPLATE)) {
		tuple_ep(&c->c_tuple[CONN_OUT], false, &lip);
		ls[0] = ' ';
		ep_fmt(&lip, ls + 1, sizeof(ls) - 1);
	}
	/* A persistence engine's template: " pe sip CALL-ID" (no blanks). */
	if (c->c_pe != NULL)
		rbuf_printf(cw->cw_out, "%s %s %s %s %s %s %u pe sip %.*s\n",
		    "template", proto_name(t->t_proto),
		    ep_fmt(&cip, cs, sizeof(cs)), ep_fmt(&vip, vs, sizeof(vs)),
		    ep_fmt(&rip, rs, sizeof(rs)), state, exp,
		    (int)c->c_pe->pe_len, (const char *)c->c_pe->pe_data);
	else
		rbuf_printf(cw->cw_out, "%s %s %s %s %s %s %u%s\n",
		    (c->c_flags & CONN_F_TEMPLATE) ? "template" : "conn",
		    proto_name(t->t_proto), ep_fmt(&cip, cs, sizeof(cs)),
		    ep_fmt(&vip, vs, sizeof(vs)), ep_fmt(&rip, rs, sizeof(rs)),
		    state, exp, ls);
	return cw->cw_out->rb_err != 0 ? -ENOMEM : 0;
}

int
cmd_connections(struct cmd_ctx *x, int argc, char **argv)
{
	struct conn_walk	 cw;
	int			 r;

	memset(&cw, 0, sizeof(cw));
	if ((r = svc_filter(x, &ctl_cmds[CMD_CONNECTIONS], argc, argv,
	    &cw.cw_proto, &cw.cw_vip)) < 0)
		return r;
	if (x->x_d->d_conns == NULL)
		return 0;
	cw.cw_out = x->x_out;
	cw.cw_now = conn_now();
	if ((r = conn_foreach(x->x_d->d_conns, conn_line, &cw)) < 0)
		uvs_err_set(x->x_err, "out of memory");
	return r;
}
