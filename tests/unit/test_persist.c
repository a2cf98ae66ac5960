/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Persistence templates (persist.c) over a real connection table and a
 * committed snapshot, without rings: template keys (v4 masks, v6
 * prefixes), one real server per client network, template lifetime
 * (timeout, refresh by new connections, kept while it controls
 * connections), quiesced and overloaded servers still used by their
 * templates, removed ones replaced, and the counts (rss_persist; no
 * active or inactive) that listings show.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "conn.h"
#include "conn_tcp.h"
#include "epoch.h"
#include "persist.h"
#include "pkt.h"
#include "sched/sched.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "worker.h"
#include "xmit/xmit.h"

#define VIP4	"192.0.2.10:80"
#define VIP6	"[2001:db8::10]:80"
#define T0	1000		/* the tests' clock */

struct pfx {
	struct epoch	*p_e;
	struct table_ctl *p_tc;
	struct conn_table *p_ct;
	const struct svc *p_svc;
};

static struct ep
ep_of(const char *s)
{
	struct ep	 ep;

	assert_int_equal(ep_parse(s, false, &ep), 0);
	return ep;
}

static uint32_t
mask4(const char *s)
{
	struct in_addr	 a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

/*
 * Commit <vip> with rr, persistence <timeout> and <netmask>, real
 * servers 10.0.0.1.. (or 2001:db8:1::1..) weighing <w>.
 */
static void
pfx_commit(struct pfx *f, const char *vip, uint32_t timeout,
    uint32_t netmask, const int32_t *w, unsigned n)
{
	struct svc_conf	 sc = { .sc_proto = IPPROTO_TCP };
	struct rs_conf	 rc = { .rc_method = XMIT_DR };
	struct vs_conf	*vc = vsconf_dup(NULL);
	char		 buf[64];
	unsigned	 i;

	sc.sc_ep = ep_of(vip);
	snprintf(sc.sc_sched, sizeof(sc.sc_sched), "rr");
	sc.sc_timeout = timeout;
	sc.sc_netmask = netmask;
	assert_int_equal(vsconf_add_svc(vc, &sc, NULL), 0);
	for (i = 0; i < n; i++) {
		if (vip[0] == '[')
			snprintf(buf, sizeof(buf), "[2001:db8:1::%u]:80",
			    i + 1);
		else
			snprintf(buf, sizeof(buf), "10.0.0.%u:80", i + 1);
		rc.rc_ep = ep_of(buf);
		rc.rc_weight = w[i];
		assert_int_equal(vsconf_add_rs(vc, IPPROTO_TCP, &sc.sc_ep,
		    &rc, NULL), 0);
	}
	assert_int_equal(table_commit(f->p_tc, vc, NULL), 0);
	epoch_reclaim(f->p_e);
	f->p_svc = table_lookup(table_current(f->p_tc), IPPROTO_TCP,
	    &sc.sc_ep.ep_addr.a, sc.sc_ep.ep_addr.a_af, sc.sc_ep.ep_port);
	assert_non_null(f->p_svc);
}

static void
pfx_setup(struct pfx *f)
{
	struct conn_timeouts to;

	memset(f, 0, sizeof(*f));
	tcp_timeouts_default(&to);
	f->p_e = epoch_new(0);
	f->p_tc = table_ctl_new(f->p_e, NULL, NULL);
	f->p_ct = conn_table_new(1024, 8, &to);
	assert_non_null(f->p_e);
	assert_non_null(f->p_tc);
	assert_non_null(f->p_ct);
}

static void
pfx_teardown(struct pfx *f)
{
	conn_table_free(f->p_ct, worker_conn_release, NULL);
	table_ctl_free(f->p_tc);
	epoch_free(f->p_e);
}

/* The client's tuple "CIP:CPORT" -> the service. */
static struct tuple
flow(const struct pfx *f, const char *client)
{
	struct tuple	 t;
	struct ep	 c = ep_of(client);

	memset(&t, 0, sizeof(t));
	t.t_src = c.ep_addr.a;
	t.t_sport = c.ep_port;
	t.t_dst = f->p_svc->svc_ep.ep_addr.a;
	t.t_dport = f->p_svc->svc_ep.ep_port;
	t.t_proto = IPPROTO_TCP;
	t.t_af = c.ep_addr.a_af;
	return t;
}

/* The index of the real server for a new flow from <client>, -1: none. */
static int
pick(struct pfx *f, const char *client, uint32_t now)
{
	struct tuple	 t = flow(f, client);
	struct rs	*rs;

	if (persist_schedule(f->p_ct, f->p_svc, &t, now, false, &rs,
	    NULL) != DROP_NONE)
		return -1;
	return (int)(rs - f->p_svc->svc_rs);
}

/* A connection made the way worker_in() makes it, controlled by <tpl>. */
static struct conn *
conn_through(struct pfx *f, const char *client, uint32_t now, int *ret_idx)
{
	struct tuple	 t = flow(f, client);
	struct conn	*c, *tpl;
	struct rs	*rs;
	unsigned	 shard;

	assert_int_equal(persist_schedule(f->p_ct, f->p_svc, &t, now, true,
	    &rs, &tpl), DROP_NONE);
	assert_non_null(tpl);
	shard = conn_shard(f->p_ct, &t, CONN_IN);
	conn_lock(f->p_ct, shard);
	c = conn_insert(f->p_ct, shard, &t, NULL, now,
	    conn_timeout_of(f->p_ct, TCPS_NONE));
	assert_non_null(c);
	c->c_rs = rs->rs_st;
	c->c_svc = f->p_svc->svc_st;
	c->c_ctl = tpl;
	rs_state_hold(c->c_rs);
	svc_state_hold(c->c_svc);
	rs_state_conn_new(c->c_rs);
	conn_unlock(f->p_ct, shard);
	*ret_idx = (int)(rs - f->p_svc->svc_rs);
	return c;
}

static int
count_tpl(const struct conn *c, void *arg)
{
	if (c->c_flags & CONN_F_TEMPLATE)
		(*(unsigned *)arg)++;
	return 0;
}

static unsigned
templates(struct pfx *f)
{
	unsigned	 n = 0;

	conn_foreach(f->p_ct, count_tpl, &n);
	return n;
}

static const struct {
	const char	*client;
	const char	*mask;		/* v4 dotted or v6 prefix length */
	const char	*want;		/* template's CIP */
} key_cases[] = {
	{ "198.51.100.77:4000",	"255.255.255.255",	"198.51.100.77" },
	{ "198.51.100.77:4000",	"255.255.255.0",	"198.51.100.0" },
	{ "198.51.100.77:4000",	"255.255.0.0",		"198.51.0.0" },
	{ "198.51.100.77:4000",	"128.0.0.0",		"128.0.0.0" },
	{ "[2001:db8:5:6:7::9]:4000", "128",	"2001:db8:5:6:7::9" },
	{ "[2001:db8:5:6:7::9]:4000", "64",	"2001:db8:5:6::" },
	{ "[2001:db8:5:6:7::9]:4000", "60",	"2001:db8:5::" },
	{ "[2001:db8:5:6:7::9]:4000", "33",	"2001:db8::" },
	{ "[2001:db8:ffff::1]:4000", "33",	"2001:db8:8000::" },
	{ "[2001:db8:5:6:7::9]:4000", "1",	"::" },
};

static void
test_persist_key_cases(void **state)
{
	static const int32_t	 w[] = { 1 };
	struct pfx		 f;
	struct tuple		 t, key;
	struct addr		 want;
	size_t			 i;
	bool			 v6;

	for (i = 0; i < nitems(key_cases); i++) {
		v6 = key_cases[i].client[0] == '[';
		pfx_setup(&f);
		pfx_commit(&f, v6 ? VIP6 : VIP4, 300, v6 ?
		    (uint32_t)atoi(key_cases[i].mask) :
		    mask4(key_cases[i].mask), w, 1);
		t = flow(&f, key_cases[i].client);
		persist_key(f.p_svc, &t, &key);
		assert_int_equal(addr_parse(key_cases[i].want, &want), 0);
		if (memcmp(&key.t_src, &want.a, sizeof(want.a)) != 0)
			fail_msg("case %zu: wrong network", i);
		assert_int_equal(key.t_sport, 0);
		assert_int_equal(key.t_dport, t.t_dport);
		assert_memory_equal(&key.t_dst, &t.t_dst, sizeof(t.t_dst));
		assert_int_equal(key.t_pad[0], CONN_TPL_MARK);
		pfx_teardown(&f);
	}
}

/*
 * A port-0 service: one template per client for every port, as IPVS's
 * <caddr,0,vaddr,0>, so all of a client's ports reach one server.
 */
static void
test_persist_port0_when_every_port(void **state)
{
	static const int32_t	 w[] = { 1, 1, 1 };
	static const uint16_t	 ports[] = { 80, 443, 8080, 21, 65535 };
	struct pfx		 f;
	struct tuple		 t, key;
	struct rs		*rs;
	size_t			 i;
	int			 first = -1, other;

	pfx_setup(&f);
	pfx_commit(&f, "192.0.2.10:0", 300, 0, w, 3);
	for (i = 0; i < nitems(ports); i++) {
		t = flow(&f, "198.51.100.1:4000");
		t.t_dport = htons(ports[i]);
		persist_key(f.p_svc, &t, &key);
		assert_int_equal(key.t_dport, 0);
		assert_int_equal(persist_schedule(f.p_ct, f.p_svc, &t, T0,
		    false, &rs, NULL), DROP_NONE);
		if (first < 0)
			first = (int)(rs - f.p_svc->svc_rs);
		assert_int_equal(rs - f.p_svc->svc_rs, first);
		/* It answers on the port the client asked for. */
		assert_int_equal(rs_port_of(rs, t.t_dport), t.t_dport);
	}
	assert_int_equal(templates(&f), 1);
	other = pick(&f, "198.51.100.2:4000", T0);
	assert_true(other >= 0);
	assert_int_not_equal(other, first);
	assert_int_equal(templates(&f), 2);
	pfx_teardown(&f);
}

/* -M 255.255.255.0: a /24 sticks to one server, others are scheduled. */
static void
test_persist_same_server_when_same_network(void **state)
{
	static const int32_t	 w[] = { 1, 1, 1 };
	struct pfx		 f;
	char			 buf[64];
	unsigned		 i;
	int			 first, other;

	pfx_setup(&f);
	pfx_commit(&f, VIP4, 300, mask4("255.255.255.0"), w, 3);
	first = pick(&f, "198.51.100.1:1000", T0);
	assert_true(first >= 0);
	for (i = 0; i < 20; i++) {
		snprintf(buf, sizeof(buf), "198.51.100.%u:%u", 1 + i * 12,
		    2000 + i);
		assert_int_equal(pick(&f, buf, T0 + i), first);
	}
	assert_int_equal(templates(&f), 1);
	assert_int_equal(f.p_svc->svc_rs[first].rs_st->rss_persist, 1);
	/* rr moves on for the next network only. */
	other = pick(&f, "198.51.101.1:1000", T0);
	assert_int_not_equal(other, first);
	assert_int_equal(pick(&f, "198.51.101.200:9", T0), other);
	assert_int_equal(templates(&f), 2);
	/* Templates are neither active nor inactive connections. */
	for (i = 0; i < 3; i++) {
		assert_int_equal(f.p_svc->svc_rs[i].rs_st->rss_active, 0);
		assert_int_equal(f.p_svc->svc_rs[i].rs_st->rss_inactive, 0);
	}
	pfx_teardown(&f);
}

/* The default mask is one client: its neighbour may go elsewhere. */
static void
test_persist_per_client_when_default_mask(void **state)
{
	static const int32_t	 w[] = { 1, 1 };
	struct pfx		 f;
	int			 a, b;

	pfx_setup(&f);
	pfx_commit(&f, VIP4, 300, 0, w, 2);
	a = pick(&f, "198.51.100.1:1000", T0);
	b = pick(&f, "198.51.100.2:1000", T0);
	assert_int_not_equal(a, b);
	assert_int_equal(pick(&f, "198.51.100.1:1001", T0), a);
	assert_int_equal(pick(&f, "198.51.100.2:1001", T0), b);
	assert_int_equal(templates(&f), 2);
	pfx_teardown(&f);
}

static void
test_persist_ipv6_when_prefix(void **state)
{
	static const int32_t	 w[] = { 1, 1 };
	struct pfx		 f;
	int			 a;

	pfx_setup(&f);
	pfx_commit(&f, VIP6, 300, 64, w, 2);
	a = pick(&f, "[2001:db8:7:1::1]:1000", T0);
	assert_int_equal(pick(&f, "[2001:db8:7:1:ffff::2]:2000", T0), a);
	assert_int_not_equal(pick(&f, "[2001:db8:7:2::1]:1000", T0), a);
	assert_int_equal(templates(&f), 2);
	pfx_teardown(&f);
}

/* A template lasts its timeout from the last connection it made. */
static void
test_persist_expiry_when_idle(void **state)
{
	static const int32_t	 w[] = { 1, 1 };
	struct pfx		 f;
	struct rs_state		*rss;
	int			 a;

	pfx_setup(&f);
	pfx_commit(&f, VIP4, 300, 0, w, 2);
	a = pick(&f, "198.51.100.1:1000", T0);
	rss = f.p_svc->svc_rs[a].rs_st;
	assert_int_equal(rss->rss_refs, 2);	/* snapshot + template */
	/* A new connection at T0 + 200 restarts the timer. */
	assert_int_equal(pick(&f, "198.51.100.1:1001", T0 + 200), a);
	assert_int_equal(conn_expire(f.p_ct, T0 + 300, 64,
	    worker_conn_release, NULL), 0);
	assert_int_equal(templates(&f), 1);
	assert_int_equal(conn_expire(f.p_ct, T0 + 500, 64,
	    worker_conn_release, NULL), 1);
	assert_int_equal(templates(&f), 0);
	assert_int_equal(rss->rss_persist, 0);
	assert_int_equal(rss->rss_refs, 1);
	/* Gone: the next one is scheduled again (rr moved on). */
	assert_int_not_equal(pick(&f, "198.51.100.1:1002", T0 + 501), a);
	pfx_teardown(&f);
}

/* ... but never while a connection it made is alive (IPVS n_control). */
static void
test_persist_kept_when_controlling(void **state)
{
	static const int32_t	 w[] = { 1, 1 };
	struct pfx		 f;
	struct conn		*c, *tpl;
	struct rs_state		*rss;
	unsigned		 shard;
	uint32_t		 now;
	int			 a;

	pfx_setup(&f);
	pfx_commit(&f, VIP4, 10, 0, w, 2);
	c = conn_through(&f, "198.51.100.1:1000", T0, &a);
	tpl = c->c_ctl;
	rss = f.p_svc->svc_rs[a].rs_st;
	assert_int_equal(tpl->c_nctl, 1);
	assert_int_equal(rss->rss_inactive, 1);
	assert_int_equal(rss->rss_persist, 1);
	/* The connection stays established for a long time. */
	shard = conn_shard(f.p_ct, &c->c_tuple[CONN_IN], CONN_IN);
	for (now = T0 + 1; now < T0 + 1000; now += 50) {
		conn_lock(f.p_ct, shard);
		c->c_state = TCPS_ESTABLISHED;
		conn_touch(f.p_ct, c, now);
		conn_unlock(f.p_ct, shard);
		conn_expire(f.p_ct, now, 64, worker_conn_release, NULL);
		assert_int_equal(templates(&f), 1);
	}
	assert_int_equal(pick(&f, "198.51.100.1:2000", now), a);
	/* It ends: the template lasts its own timeout, then goes. */
	conn_lock(f.p_ct, shard);
	conn_remove(f.p_ct, shard, c, worker_conn_release, NULL);
	conn_unlock(f.p_ct, shard);
	assert_int_equal(tpl->c_nctl, 0);
	assert_int_equal(rss->rss_inactive, 0);
	conn_expire(f.p_ct, now + CONN_TPL_RECHECK + 10, 64,
	    worker_conn_release, NULL);
	assert_int_equal(templates(&f), 0);
	assert_int_equal(rss->rss_persist, 0);
	pfx_teardown(&f);
}

/*
 * A template keeps its server through weight 0 and overload (IPVS with
 * expire_quiescent_template=0); a removed server is replaced.
 */
static void
test_persist_server_when_quiesced_or_removed(void **state)
{
	static const int32_t	 w[] = { 1, 1, 1 }, q[] = { 0, 0, 0 };
	struct pfx		 f;
	struct rs_state		*old;
	int			 a, b;

	pfx_setup(&f);
	pfx_commit(&f, VIP4, 300, 0, w, 3);
	a = pick(&f, "198.51.100.1:1000", T0);
	assert_int_equal(a, 0);
	old = f.p_svc->svc_rs[0].rs_st;
	/* Quiesced: no new client goes there, the template still does. */
	pfx_commit(&f, VIP4, 300, 0, q, 3);
	assert_int_equal(pick(&f, "198.51.100.1:1001", T0 + 1), 0);
	assert_int_equal(pick(&f, "198.51.100.2:1001", T0 + 1), -1);
	pfx_commit(&f, VIP4, 300, 0, w, 3);
	old->rss_overload = 1;
	assert_int_equal(pick(&f, "198.51.100.1:1002", T0 + 2), 0);
	assert_int_not_equal(pick(&f, "198.51.100.3:1002", T0 + 2), 0);
	old->rss_overload = 0;
	/* Removed: 10.0.0.1 leaves, the template moves and is counted. */
	pfx_commit(&f, VIP4, 300, 0, w + 1, 0);
	assert_int_equal(pick(&f, "198.51.100.1:1003", T0 + 3), -1);
	pfx_commit(&f, VIP4, 300, 0, w, 3);
	/* A new 10.0.0.1 state: the template's old one is dead. */
	assert_ptr_not_equal(f.p_svc->svc_rs[0].rs_st, old);
	b = pick(&f, "198.51.100.1:1004", T0 + 4);
	assert_true(b >= 0);
	assert_int_equal(old->rss_persist, 0);
	assert_int_equal(f.p_svc->svc_rs[b].rs_st->rss_persist, 1);
	assert_int_equal(pick(&f, "198.51.100.1:1005", T0 + 5), b);
	assert_int_equal(templates(&f), 2);
	pfx_teardown(&f);
}

/* A full table refuses a template; nothing is left half made. */
static void
test_persist_refused_when_full(void **state)
{
	static const int32_t	 w[] = { 1 };
	struct conn_timeouts	 to;
	struct pfx		 f;
	struct tuple		 t;
	struct conn		*tpl = (struct conn *)&t;
	struct rs		*rs = NULL;

	pfx_setup(&f);
	conn_table_free(f.p_ct, NULL, NULL);
	tcp_timeouts_default(&to);
	f.p_ct = conn_table_new(0, 1, &to);
	assert_non_null(f.p_ct);
	pfx_commit(&f, VIP4, 300, 0, w, 1);
	t = flow(&f, "198.51.100.1:1000");
	assert_int_equal(persist_schedule(f.p_ct, f.p_svc, &t, T0, true, &rs,
	    &tpl), DROP_CONN_FULL);
	assert_null(rs);
	assert_ptr_equal(tpl, (struct conn *)&t);
	assert_int_equal(f.p_svc->svc_rs[0].rs_st->rss_persist, 0);
	pfx_teardown(&f);
}

/* A persistence engine's pick for <client> with Call-ID <id>; -1: none. */
static int
pick_pe(struct pfx *f, const char *client, const char *id, uint32_t now)
{
	struct tuple	 t = flow(f, client);
	struct rs	*rs;

	if (persist_schedule_pe(f->p_ct, f->p_svc, &t, id, strlen(id), now,
	    false, &rs, NULL) != DROP_NONE)
		return -1;
	return (int)(rs - f->p_svc->svc_rs);
}

/*
 * pe sip: one template per client network and Call-ID, whatever the
 * client port; another Call-ID is scheduled anew; a template without
 * engine data is another one again.
 */
static void
test_persist_pe_per_callid(void **state)
{
	static const int32_t	 w[] = { 1, 1, 1 };
	struct pfx		 f;
	int			 a, b, c;

	(void)state;
	pfx_setup(&f);
	pfx_commit(&f, VIP4, 300, mask4("255.255.255.0"), w, 3);
	a = pick_pe(&f, "198.51.100.1:5060", "call-a@h", T0);
	assert_int_not_equal(a, -1);
	assert_int_equal(pick_pe(&f, "198.51.100.1:40000", "call-a@h", T0), a);
	assert_int_equal(pick_pe(&f, "198.51.100.9:5060", "call-a@h", T0), a);
	b = pick_pe(&f, "198.51.100.1:5060", "call-b@h", T0);
	assert_int_not_equal(b, a);	/* rr: the next one */
	assert_int_equal(pick_pe(&f, "198.51.100.1:5060", "call-a@h", T0), a);
	assert_int_equal(templates(&f), 2);
	c = pick(&f, "198.51.100.1:5060", T0);
	assert_int_not_equal(c, a);
	assert_int_not_equal(c, b);
	assert_int_equal(templates(&f), 3);
	/* Another network is another template, as IPVS's ct_match(). */
	pick_pe(&f, "203.0.113.1:5060", "call-a@h", T0);
	assert_int_equal(templates(&f), 4);
	pfx_teardown(&f);
}

/*
 * Two Call-IDs whose keys are the same tuple (a hash collision, made
 * here by hand) still get two templates: the bytes are compared.
 */
static void
test_persist_pe_apart_when_hash_collides(void **state)
{
	static const int32_t	 w[] = { 1, 1 };
	struct pfx		 f;
	struct tuple		 t, key;
	struct conn		*fake;
	uint32_t		 h;
	unsigned		 shard;
	int			 a;

	(void)state;
	pfx_setup(&f);
	pfx_commit(&f, VIP4, 300, 0, w, 2);
	t = flow(&f, "198.51.100.1:5060");
	persist_key(f.p_svc, &t, &key);
	h = conn_hash_bytes(f.p_ct, "call-b", 6);
	key.t_sport = (uint16_t)h;
	key.t_pad[1] = (uint8_t)(h >> 16);
	/* A template of "call-a" filed under the key of "call-b". */
	shard = conn_shard(f.p_ct, &key, CONN_IN);
	conn_lock(f.p_ct, shard);
	fake = conn_insert(f.p_ct, shard, &key, NULL, T0, 300);
	assert_non_null(fake);
	assert_int_equal(conn_set_pe(f.p_ct, shard, fake, "call-a", 6), 0);
	assert_int_equal(conn_set_pe(f.p_ct, shard, fake, "call-a", 6),
	    -EINVAL);
	fake->c_flags = CONN_F_TEMPLATE;
	fake->c_rs = f.p_svc->svc_rs[1].rs_st;
	fake->c_svc = f.p_svc->svc_st;
	rs_state_hold(fake->c_rs);
	svc_state_hold(fake->c_svc);
	__atomic_add_fetch(&fake->c_rs->rss_persist, 1, __ATOMIC_RELAXED);
	conn_unlock(f.p_ct, shard);
	/* rr starts at 0: "call-b" gets a template of its own on 0. */
	a = pick_pe(&f, "198.51.100.1:5060", "call-b", T0);
	assert_int_equal(a, 0);
	assert_int_equal(templates(&f), 2);
	assert_int_equal(pick_pe(&f, "198.51.100.1:5060", "call-b", T0), 0);
	assert_int_equal(templates(&f), 2);
	pfx_teardown(&f);
}

/*
 * The pe slots are a fixed share of the table: when they are used up a
 * new call is refused (sip-callid-full), and expired templates give
 * theirs back.
 */
static void
test_persist_pe_refused_when_slots_used(void **state)
{
	static const int32_t	 w[] = { 1 };
	struct pfx		 f;
	struct tuple		 t;
	struct rs		*rs;
	char			 id[32];
	unsigned		 i, ok = 0, full = 0;
	int			 r;

	(void)state;
	pfx_setup(&f);
	pfx_commit(&f, VIP4, 10, 0, w, 1);
	t = flow(&f, "198.51.100.1:5060");
	/* 1024 entries in 8 shards: 8 * (128 / 8 + 1) = 136 slots. */
	for (i = 0; i < 400; i++) {
		snprintf(id, sizeof(id), "call-%u", i);
		r = persist_schedule_pe(f.p_ct, f.p_svc, &t, id, strlen(id),
		    T0, false, &rs, NULL);
		if (r == DROP_NONE)
			ok++;
		else if (r == DROP_SIP_CALLID_FULL)
			full++;
	}
	assert_true(ok > 0 && ok <= 136);
	/* Refused by its own reason: the table itself has room. */
	assert_int_equal(ok + full, 400);
	assert_int_equal(templates(&f), ok);
	assert_int_equal(conn_expire(f.p_ct, T0 + 11, 1000,
	    worker_conn_release, NULL), ok);
	assert_int_equal(templates(&f), 0);
	assert_int_equal(pick_pe(&f, "198.51.100.1:5060", "call-0", T0 + 11),
	    0);
	pfx_teardown(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_persist_key_cases),
		cmocka_unit_test(test_persist_port0_when_every_port),
		cmocka_unit_test(test_persist_same_server_when_same_network),
		cmocka_unit_test(test_persist_per_client_when_default_mask),
		cmocka_unit_test(test_persist_ipv6_when_prefix),
		cmocka_unit_test(test_persist_expiry_when_idle),
		cmocka_unit_test(test_persist_kept_when_controlling),
		cmocka_unit_test(test_persist_server_when_quiesced_or_removed),
		cmocka_unit_test(test_persist_refused_when_full),
		cmocka_unit_test(test_persist_pe_per_callid),
		cmocka_unit_test(test_persist_pe_apart_when_hash_collides),
		cmocka_unit_test(test_persist_pe_refused_when_slots_used),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
