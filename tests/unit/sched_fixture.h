/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the scheduler tests: one service "tcp 192.0.2.10:80" with
 * real servers 10.0.0.1:80, 10.0.0.2:80, ... built the way uvsd builds
 * it (vs_conf, table_commit) over an epoch without readers, so every
 * replaced snapshot is freed at once.  Include after <cmocka.h>.
 */
#ifndef UVS_SCHED_FIXTURE_H
#define UVS_SCHED_FIXTURE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "pkt.h"
#include "epoch.h"
#include "sched/sched.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

#define FX_VIP		"192.0.2.10:80"
#define FX_RS_MAX	64

struct fixture {
	struct epoch	*f_e;
	struct table_ctl *f_tc;
	const struct svc *f_svc;	/* in the current snapshot */
};

static inline void
fx_setup(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->f_e = epoch_new(0);
	assert_non_null(f->f_e);
	f->f_tc = table_ctl_new(f->f_e, NULL, NULL);
	assert_non_null(f->f_tc);
}

static inline void
fx_teardown(struct fixture *f)
{
	table_ctl_free(f->f_tc);
	epoch_free(f->f_e);
}

/*
 * Replace the configuration: scheduler <sched> with <flags> (SVC_F_*),
 * real servers 10.0.0.1, ... weighing <w>.
 */
static inline void
fx_commit_flags(struct fixture *f, const char *sched, uint32_t flags,
    const int32_t *w, unsigned n)
{
	struct svc_conf	 sc = { .sc_proto = IPPROTO_TCP, .sc_flags = flags };
	struct rs_conf	 rc = { .rc_method = XMIT_DR };
	struct vs_conf	*vc;
	struct uvs_err	 err = { .e_text = "" };
	unsigned	 i;

	assert_int_equal(ep_parse(FX_VIP, true, &sc.sc_ep), 0);
	snprintf(sc.sc_sched, sizeof(sc.sc_sched), "%s", sched);
	vc = vsconf_dup(NULL);
	assert_non_null(vc);
	assert_int_equal(vsconf_add_svc(vc, &sc, &err), 0);
	for (i = 0; i < n; i++) {
		addr_set_v4(&rc.rc_ep.ep_addr, htonl(0x0a000001U + i));
		rc.rc_ep.ep_port = htons(80);
		rc.rc_weight = w[i];
		assert_int_equal(vsconf_add_rs(vc, sc.sc_proto, &sc.sc_ep, &rc,
		    &err), 0);
	}
	assert_int_equal(table_commit(f->f_tc, vc, &err), 0);
	epoch_reclaim(f->f_e);
	f->f_svc = table_lookup(table_current(f->f_tc), IPPROTO_TCP,
	    &sc.sc_ep.ep_addr.a, AF_INET, sc.sc_ep.ep_port);
	assert_non_null(f->f_svc);
	assert_int_equal(f->f_svc->svc_nrs, n);
}

static inline void
fx_commit(struct fixture *f, const char *sched, const int32_t *w,
    unsigned n)
{
	fx_commit_flags(f, sched, 0, w, n);
}

/* Pretend real server <i> has these connections. */
static inline void
fx_conns(struct fixture *f, unsigned i, int32_t active, int32_t inactive)
{
	f->f_svc->svc_rs[i].rs_st->rss_active = active;
	f->f_svc->svc_rs[i].rs_st->rss_inactive = inactive;
}

/* Real server <i> over (or back under) its -x threshold, in place. */
static inline void
fx_overload(struct fixture *f, unsigned i, bool on)
{
	f->f_svc->svc_rs[i].rs_st->rss_overload = on;
}

/* A TCP tuple from <src> (IPv4 or IPv6 text) port <sport> to <dst>:80. */
static inline struct tuple
fx_tuple(const char *src, uint16_t sport, const char *dst)
{
	struct tuple	 t;
	struct addr	 a;

	memset(&t, 0, sizeof(t));
	assert_int_equal(addr_parse(src, &a), 0);
	t.t_src = a.a;
	t.t_af = a.a_af;
	assert_int_equal(addr_parse(dst, &a), 0);
	t.t_dst = a.a;
	t.t_sport = htons(sport);
	t.t_dport = htons(80);
	t.t_proto = IPPROTO_TCP;
	return t;
}

/* Index of the scheduler's pick for <t>, -1 for none. */
static inline int
fx_pick_tuple(struct fixture *f, const struct tuple *t)
{
	struct rs	*rs;

	rs = f->f_svc->svc_sched->schedule(f->f_svc, t);
	if (rs == NULL)
		return -1;
	assert_true(rs >= f->f_svc->svc_rs &&
	    rs < f->f_svc->svc_rs + f->f_svc->svc_nrs);
	return (int)(rs - f->f_svc->svc_rs);
}

/* Index of the scheduler's pick for one client, -1 for none. */
static inline int
fx_pick(struct fixture *f)
{
	struct tuple	 t = fx_tuple("198.51.100.1", 40000, "192.0.2.10");
	struct rs	*rs;

	rs = f->f_svc->svc_sched->schedule(f->f_svc, &t);
	if (rs == NULL)
		return -1;
	assert_true(rs >= f->f_svc->svc_rs &&
	    rs < f->f_svc->svc_rs + f->f_svc->svc_nrs);
	return (int)(rs - f->f_svc->svc_rs);
}

/*
 * Every scheduler: an overloaded server gets nothing while others can;
 * all overloaded: none; and it comes back when the overload lifts,
 * without a new snapshot (the flag changes in place).
 */
static inline void
fx_check_overload(const char *sched)
{
	static const int32_t	 w[] = { 3, 2, 1 };
	struct fixture		 f;
	unsigned		 i, seen[3] = { 0 };
	int			 p;

	fx_setup(&f);
	fx_commit(&f, sched, w, 3);
	fx_overload(&f, 0, true);
	for (i = 0; i < 60; i++) {
		p = fx_pick(&f);
		if (p <= 0)
			fail_msg("%s: picked %d with server 0 overloaded",
			    sched, p);
		/* lc and wlc would stay on one idle server: load it. */
		fx_conns(&f, (unsigned)p, 0, (int32_t)++seen[p]);
	}
	fx_overload(&f, 1, true);
	fx_overload(&f, 2, true);
	if ((p = fx_pick(&f)) != -1)
		fail_msg("%s: picked %d with all overloaded", sched, p);
	fx_overload(&f, 0, false);
	fx_conns(&f, 0, 0, 0);
	for (i = 0; i < 6; i++)
		if ((p = fx_pick(&f)) != 0)
			fail_msg("%s: picked %d, want 0 after the overload "
			    "lifted", sched, p);
	fx_teardown(&f);
}

#endif
