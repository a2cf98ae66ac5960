/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The service table: editing a vs_conf (every error code, conf unchanged
 * after an error, DR port forcing, limits), committing (lookup, identity
 * of states across commits, dead states drained by table_gc through the
 * epoch, refused commits changing nothing), stats slots zeroed when
 * handed out, persistence/netmask/flags/threshold validation and the
 * overload hysteresis of -x/-y.
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
#include "epoch.h"
#include "sched/sched.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

static struct ep
ep_of(const char *s)
{
	struct ep	 ep;

	assert_int_equal(ep_parse(s, false, &ep), 0);
	return ep;
}

static struct svc_conf
svc_of(const char *proto, const char *vip, const char *sched)
{
	struct svc_conf	 sc = { 0 };

	sc.sc_proto = strcmp(proto, "icmp") == 0 ? IPPROTO_ICMP :
	    (uint8_t)proto_parse(proto);
	sc.sc_ep = ep_of(vip);
	snprintf(sc.sc_sched, sizeof(sc.sc_sched), "%s", sched);
	return sc;
}

static struct rs_conf
rs_of(const char *rip, int method, int32_t weight)
{
	struct rs_conf	 rc = { 0 };

	rc.rc_ep = ep_of(rip);
	rc.rc_method = (uint8_t)method;
	rc.rc_weight = weight;
	return rc;
}

static void
add_svc(struct vs_conf *vc, const char *proto, const char *vip,
    const char *sched)
{
	struct svc_conf	 sc = svc_of(proto, vip, sched);

	assert_int_equal(vsconf_add_svc(vc, &sc, NULL), 0);
}

static void
add_rs(struct vs_conf *vc, const char *proto, const char *vip,
    const char *rip, int method, int32_t weight)
{
	struct rs_conf	 rc = rs_of(rip, method, weight);
	struct ep	 v = ep_of(vip);

	assert_int_equal(vsconf_add_rs(vc, proto_parse(proto), &v, &rc, NULL),
	    0);
}

/* tcp 192.0.2.10:80 wlc: 10.0.0.1:80 dr, 10.0.0.2:8080 nat. */
static struct vs_conf *
base_conf(void)
{
	struct vs_conf	*vc = vsconf_dup(NULL);

	assert_non_null(vc);
	add_svc(vc, "tcp", "192.0.2.10:80", "wlc");
	add_rs(vc, "tcp", "192.0.2.10:80", "10.0.0.1:80", XMIT_DR, 1);
	add_rs(vc, "tcp", "192.0.2.10:80", "10.0.0.2:8080", XMIT_NAT, 1);
	return vc;
}

static bool
conf_eq(const struct vs_conf *a, const struct vs_conf *b)
{
	const struct svc_conf *x, *y;
	unsigned	 i;

	if (a->vc_nsvc != b->vc_nsvc)
		return false;
	for (i = 0; i < a->vc_nsvc; i++) {
		x = &a->vc_svc[i];
		y = &b->vc_svc[i];
		if (x->sc_proto != y->sc_proto ||
		    !ep_eq(&x->sc_ep, &y->sc_ep) ||
		    strcmp(x->sc_sched, y->sc_sched) != 0 ||
		    x->sc_flags != y->sc_flags || x->sc_nrs != y->sc_nrs ||
		    (x->sc_nrs > 0 && memcmp(x->sc_rs, y->sc_rs,
		    x->sc_nrs * sizeof(*x->sc_rs)) != 0))
			return false;
	}
	return true;
}

enum { ADD_SVC, EDIT_SVC, DEL_SVC, ADD_RS, EDIT_RS, DEL_RS };

static const struct {
	int		 op;
	const char	*proto;
	const char	*vip;
	const char	*sched_or_rip;
	int		 method;
	int32_t		 weight;
	int		 ret;
	const char	*text;		/* in e_text when ret != 0 */
} edit_cases[] = {
	{ ADD_SVC, "tcp", "192.0.2.10:80", "rr", 0, 0, -EEXIST,
	    "service already exists 'tcp 192.0.2.10:80'" },
	{ ADD_SVC, "udp", "192.0.2.10:80", "rr", 0, 0, 0, NULL },
	{ ADD_SVC, "tcp", "[2001:db8::10]:80", "", 0, 0, 0, NULL },
	{ ADD_SVC, "tcp", "192.0.2.11:80", "wrrr", 0, 0, -EINVAL,
	    "tcp 192.0.2.11:80: unknown scheduler 'wrrr'" },
	{ ADD_SVC, "tcp", "192.0.2.11", "rr", 0, 0, -EINVAL,
	    "port 0 (every port) is for persistent services only" },
	{ ADD_SVC, "icmp", "192.0.2.11:80", "rr", 0, 0, -EINVAL,
	    "tcp, udp or sctp" },
	{ EDIT_SVC, "tcp", "192.0.2.11:80", "rr", 0, 0, -ESRCH,
	    "no such service 'tcp 192.0.2.11:80'" },
	{ EDIT_SVC, "tcp", "192.0.2.10:80", "rr", 0, 0, 0, NULL },
	{ EDIT_SVC, "tcp", "192.0.2.10:80", "nope", 0, 0, -EINVAL,
	    "unknown scheduler 'nope'" },
	{ DEL_SVC, "udp", "192.0.2.10:80", NULL, 0, 0, -ESRCH,
	    "no such service 'udp 192.0.2.10:80'" },
	{ DEL_SVC, "tcp", "192.0.2.10:80", NULL, 0, 0, 0, NULL },
	{ ADD_RS, "tcp", "192.0.2.10:81", "10.0.0.3:80", XMIT_DR, 1, -ESRCH,
	    "no such service 'tcp 192.0.2.10:81'" },
	{ ADD_RS, "tcp", "192.0.2.10:80", "10.0.0.1:80", XMIT_DR, 1, -EEXIST,
	    "tcp 192.0.2.10:80: destination already exists '10.0.0.1:80'" },
	/* DR ignores the port given: this is 10.0.0.1:80 again. */
	{ ADD_RS, "tcp", "192.0.2.10:80", "10.0.0.1:9999", XMIT_DR, 1, -EEXIST,
	    "destination already exists '10.0.0.1:80'" },
	{ ADD_RS, "tcp", "192.0.2.10:80", "10.0.0.1:9999", XMIT_NAT, 1, 0, NULL },
	{ ADD_RS, "tcp", "192.0.2.10:80", "10.0.0.3:80", XMIT_DR, -1, -EINVAL,
	    "weight -1 out of range" },
	{ ADD_RS, "tcp", "192.0.2.10:80", "10.0.0.3:80", XMIT_DR, 2147483647,
	    0, NULL },
	{ ADD_RS, "tcp", "192.0.2.10:80", "10.0.0.3:80", 7, 1, -EINVAL,
	    "forwarding method" },
	{ ADD_RS, "tcp", "192.0.2.10:80", "[2001:db8::1]:80", XMIT_DR, 1,
	    -EINVAL, "address family" },
	{ ADD_RS, "tcp", "192.0.2.10:80", "10.0.0.3", XMIT_NAT, 0, 0, NULL },
	{ EDIT_RS, "tcp", "192.0.2.10:81", "10.0.0.1:80", XMIT_DR, 3, -ESRCH,
	    "no such service" },
	{ EDIT_RS, "tcp", "192.0.2.10:80", "10.0.0.9:80", XMIT_DR, 3, -ENOENT,
	    "tcp 192.0.2.10:80: no such destination '10.0.0.9:80'" },
	{ EDIT_RS, "tcp", "192.0.2.10:80", "10.0.0.2:8080", XMIT_NAT, -2,
	    -EINVAL, "out of range" },
	{ EDIT_RS, "tcp", "192.0.2.10:80", "10.0.0.2:8080", XMIT_NAT, 5, 0, NULL },
	{ DEL_RS, "tcp", "192.0.2.10:81", "10.0.0.1:80", 0, 0, -ESRCH,
	    "no such service" },
	{ DEL_RS, "tcp", "192.0.2.10:80", "10.0.0.9:80", 0, 0, -ENOENT,
	    "no such destination '10.0.0.9:80'" },
	{ DEL_RS, "tcp", "192.0.2.10:80", "10.0.0.2:80", 0, 0, -ENOENT,
	    "no such destination" },
	{ DEL_RS, "tcp", "192.0.2.10:80", "10.0.0.1:80", 0, 0, 0, NULL },
	{ DEL_RS, "tcp", "192.0.2.10:80", "10.0.0.1", 0, 0, 0, NULL },
	{ DEL_RS, "tcp", "192.0.2.10:80", "10.0.0.1:1234", 0, 0, 0, NULL },
	{ DEL_RS, "tcp", "192.0.2.10:80", "10.0.0.2", 0, 0, -ENOENT,
	    "no such destination" },
};

static void
test_vsconf_edit_cases(void **state)
{
	struct vs_conf	*base, *vc;
	struct svc_conf	 sc;
	struct rs_conf	 rc;
	struct uvs_err	 err;
	struct ep	 vip, rip;
	size_t		 i;
	int		 r = 0, proto;

	base = base_conf();
	for (i = 0; i < nitems(edit_cases); i++) {
		vc = vsconf_dup(base);
		memset(&err, 0, sizeof(err));
		proto = proto_parse(edit_cases[i].proto);
		vip = ep_of(edit_cases[i].vip);
		switch (edit_cases[i].op) {
		case ADD_SVC:
		case EDIT_SVC:
			sc = svc_of(edit_cases[i].proto, edit_cases[i].vip,
			    edit_cases[i].sched_or_rip);
			r = edit_cases[i].op == ADD_SVC ?
			    vsconf_add_svc(vc, &sc, &err) :
			    vsconf_edit_svc(vc, &sc, &err);
			break;
		case DEL_SVC:
			r = vsconf_del_svc(vc, proto, &vip, &err);
			break;
		case ADD_RS:
		case EDIT_RS:
			rc = rs_of(edit_cases[i].sched_or_rip,
			    edit_cases[i].method, edit_cases[i].weight);
			r = edit_cases[i].op == ADD_RS ?
			    vsconf_add_rs(vc, proto, &vip, &rc, &err) :
			    vsconf_edit_rs(vc, proto, &vip, &rc, &err);
			break;
		case DEL_RS:
			rip = ep_of(edit_cases[i].sched_or_rip);
			r = vsconf_del_rs(vc, proto, &vip, &rip, &err);
			break;
		}
		if (r != edit_cases[i].ret)
			fail_msg("case %zu: returned %d, want %d (%s)", i, r,
			    edit_cases[i].ret, err.e_text);
		if (r != 0) {
			if (!conf_eq(vc, base))
				fail_msg("case %zu: conf changed on error", i);
			if (strstr(err.e_text, edit_cases[i].text) == NULL)
				fail_msg("case %zu: text '%s' lacks '%s'", i,
				    err.e_text, edit_cases[i].text);
		} else if (conf_eq(vc, base))
			fail_msg("case %zu: conf unchanged on success", i);
		vsconf_free(vc);
	}
	vsconf_free(base);
}

static const struct {
	const char	*rip;
	int		 method;
	uint16_t	 port;		/* as stored */
} port_cases[] = {
	{ "10.0.0.5:9999",	XMIT_DR,	80 },	/* ipvsadm -g ignores it */
	{ "10.0.0.6",		XMIT_DR,	80 },
	{ "10.0.0.7",		XMIT_NAT,	80 },	/* none: the service's */
	{ "10.0.0.8:8080",	XMIT_NAT,	8080 },
};

static void
test_vsconf_rs_port_when_dr_or_nat(void **state)
{
	struct vs_conf	*vc = base_conf();
	struct svc_conf	*sc;
	struct ep	 vip = ep_of("192.0.2.10:80");
	size_t		 i;

	for (i = 0; i < nitems(port_cases); i++)
		add_rs(vc, "tcp", "192.0.2.10:80", port_cases[i].rip,
		    port_cases[i].method, 1);
	sc = vsconf_find_svc(vc, IPPROTO_TCP, &vip);
	assert_non_null(sc);
	for (i = 0; i < nitems(port_cases); i++)
		assert_int_equal(ntohs(sc->sc_rs[2 + i].rc_ep.ep_port),
		    port_cases[i].port);
	vsconf_free(vc);
}

static void
test_vsconf_dup_when_edited(void **state)
{
	struct vs_conf	*a = base_conf(), *b;

	b = vsconf_dup(a);
	assert_true(conf_eq(a, b));
	assert_ptr_not_equal(a->vc_svc, b->vc_svc);
	assert_ptr_not_equal(a->vc_svc[0].sc_rs, b->vc_svc[0].sc_rs);
	b->vc_svc[0].sc_rs[0].rc_weight = 9;
	assert_int_equal(a->vc_svc[0].sc_rs[0].rc_weight, 1);
	vsconf_clear(b);
	assert_int_equal(b->vc_nsvc, 0);
	vsconf_free(b);
	vsconf_free(a);
	vsconf_free(NULL);
}

static void
test_vsconf_limits_when_full(void **state)
{
	struct vs_conf	*vc = vsconf_dup(NULL);
	struct svc_conf	 sc = svc_of("tcp", "192.0.2.10:1", "rr");
	struct rs_conf	 rc = rs_of("10.0.0.1:80", XMIT_NAT, 1);
	struct uvs_err	 err;
	unsigned	 i;

	for (i = 0; i < SVC_MAX; i++) {
		sc.sc_ep.ep_port = htons((uint16_t)(i + 1));
		assert_int_equal(vsconf_add_svc(vc, &sc, NULL), 0);
	}
	sc.sc_ep.ep_port = htons(SVC_MAX + 1);
	assert_int_equal(vsconf_add_svc(vc, &sc, &err), -ENOSPC);
	assert_int_equal(vc->vc_nsvc, SVC_MAX);
	sc.sc_ep.ep_port = htons(1);
	for (i = 0; i < RS_PER_SVC_MAX; i++) {
		rc.rc_ep.ep_port = htons((uint16_t)(i + 1));
		assert_int_equal(vsconf_add_rs(vc, IPPROTO_TCP, &sc.sc_ep, &rc,
		    NULL), 0);
	}
	rc.rc_ep.ep_port = htons(RS_PER_SVC_MAX + 1);
	assert_int_equal(vsconf_add_rs(vc, IPPROTO_TCP, &sc.sc_ep, &rc, &err),
	    -ENOSPC);
	assert_int_equal(vc->vc_svc[0].sc_nrs, RS_PER_SVC_MAX);
	vsconf_free(vc);
}

static void
test_svc_fmt_cases(void **state)
{
	char		 buf[80];
	struct ep	 a = ep_of("192.0.2.10:80");
	struct ep	 b = ep_of("[2001:db8::1]:53");

	assert_string_equal(svc_fmt(IPPROTO_TCP, &a, buf, sizeof(buf)),
	    "tcp 192.0.2.10:80");
	assert_string_equal(svc_fmt(IPPROTO_UDP, &b, buf, sizeof(buf)),
	    "udp [2001:db8::1]:53");
}

/* Commits */

struct published {
	const struct table *p_last;
	unsigned	 p_count;
};

static void
on_publish(const struct table *t, void *arg)
{
	struct published *p = arg;

	p->p_last = t;
	p->p_count++;
}

static const struct {
	const char	*proto;
	const char	*vip;
	int		 want;		/* index in t_svc, -1: none */
} lookup_cases[] = {
	{ "tcp", "192.0.2.10:80",	0 },
	{ "udp", "192.0.2.10:80",	1 },
	{ "tcp", "192.0.2.10:443",	2 },
	{ "tcp", "[2001:db8::10]:80",	3 },
	{ "tcp", "192.0.2.11:80",	4 },
	{ "tcp", "192.0.2.10:81",	-1 },
	{ "udp", "192.0.2.10:443",	-1 },
	{ "tcp", "192.0.2.12:80",	-1 },
	{ "udp", "[2001:db8::10]:80",	-1 },
	{ "tcp", "[2001:db8::11]:80",	-1 },
};

static void
test_table_lookup_cases(void **state)
{
	struct published pub = { 0 };
	struct epoch	*e = epoch_new(0);
	struct table_ctl *tc = table_ctl_new(e, on_publish, &pub);
	struct vs_conf	*vc = vsconf_dup(NULL);
	const struct table *t;
	const struct svc *svc;
	struct ep	 vip;
	size_t		 i;

	t = table_current(tc);
	assert_non_null(t);
	assert_int_equal(t->t_gen, 0);
	vip = ep_of("192.0.2.10:80");
	assert_null(table_lookup(t, IPPROTO_TCP, &vip.ep_addr.a, AF_INET,
	    vip.ep_port));
	for (i = 0; i < nitems(lookup_cases); i++)
		if (lookup_cases[i].want >= 0)
			add_svc(vc, lookup_cases[i].proto, lookup_cases[i].vip,
			    "rr");
	assert_int_equal(table_commit(tc, vc, NULL), 0);
	t = table_current(tc);
	assert_ptr_equal(pub.p_last, t);
	assert_int_equal(pub.p_count, 1);
	assert_int_equal(t->t_gen, 1);
	assert_ptr_equal(table_conf(tc), vc);
	for (i = 0; i < nitems(lookup_cases); i++) {
		vip = ep_of(lookup_cases[i].vip);
		svc = table_lookup(t, proto_parse(lookup_cases[i].proto),
		    &vip.ep_addr.a, vip.ep_addr.a_af, vip.ep_port);
		if (lookup_cases[i].want < 0)
			assert_null(svc);
		else
			assert_ptr_equal(svc, &t->t_svc[lookup_cases[i].want]);
	}
	assert_int_equal(table_commit(tc, vsconf_dup(NULL), NULL), 0);
	assert_int_equal(table_current(tc)->t_gen, 2);
	assert_int_equal(table_current(tc)->t_nsvc, 0);
	assert_int_equal(epoch_reclaim(e), 0);
	table_ctl_free(tc);
	epoch_free(e);
}

/*
 * A port-0 service takes every port of its VIP and protocol that no
 * service of its own port takes (IPVS's ip_vs_service_find()), only when
 * persistent, and its real servers run on the client's port.
 */
static void
test_table_lookup_port0(void **state)
{
	static const struct {
		const char	*proto, *vip;
		int		 want;	/* index in t_svc, -1: none */
	} cases[] = {
		{ "tcp", "192.0.2.10:80",	1 },	/* its own port wins */
		{ "tcp", "192.0.2.10:8080",	0 },
		{ "tcp", "192.0.2.10:1",	0 },
		{ "udp", "192.0.2.10:8080",	-1 },
		{ "tcp", "192.0.2.11:8080",	-1 },
		{ "tcp", "[2001:db8::10]:443",	2 },
		{ "tcp", "[2001:db8::11]:443",	-1 },
	};
	struct epoch	*e = epoch_new(0);
	struct published pub = { 0 };
	struct table_ctl *tc = table_ctl_new(e, on_publish, &pub);
	struct vs_conf	*vc = vsconf_dup(NULL);
	struct svc_conf	 sc = svc_of("tcp", "192.0.2.10:0", "rr");
	const struct table *t;
	const struct svc *svc;
	struct uvs_err	 err;
	struct ep	 vip;
	size_t		 i;

	memset(&err, 0, sizeof(err));
	assert_int_equal(vsconf_add_svc(vc, &sc, &err), -EINVAL);
	assert_non_null(strstr(err.e_text, "192.0.2.10:0: port 0 (every "
	    "port) is for persistent services only"));
	sc.sc_timeout = 300;
	assert_int_equal(vsconf_add_svc(vc, &sc, NULL), 0);
	add_svc(vc, "tcp", "192.0.2.10:80", "rr");
	sc = svc_of("tcp", "[2001:db8::10]:0", "rr");
	sc.sc_timeout = 300;
	assert_int_equal(vsconf_add_svc(vc, &sc, NULL), 0);
	/* Whatever port a nat server is given, it runs on the client's. */
	add_rs(vc, "tcp", "192.0.2.10:0", "10.0.0.1:9999", XMIT_NAT, 1);
	add_rs(vc, "tcp", "192.0.2.10:0", "10.0.0.2", XMIT_DR, 1);
	add_rs(vc, "tcp", "192.0.2.10:80", "10.0.0.3", XMIT_NAT, 1);
	assert_int_equal(vc->vc_svc[0].sc_rs[0].rc_ep.ep_port, 0);
	assert_int_equal(vc->vc_svc[0].sc_rs[1].rc_ep.ep_port, 0);
	/* Without persistence no more. */
	sc = svc_of("tcp", "192.0.2.10:0", "rr");
	assert_int_equal(vsconf_edit_svc(vc, &sc, NULL), -EINVAL);
	assert_int_equal(table_commit(tc, vc, NULL), 0);
	t = table_current(tc);
	assert_int_equal(t->t_nport0, 2);
	for (i = 0; i < nitems(cases); i++) {
		vip = ep_of(cases[i].vip);
		svc = table_lookup(t, proto_parse(cases[i].proto),
		    &vip.ep_addr.a, vip.ep_addr.a_af, vip.ep_port);
		if (cases[i].want < 0 ? svc != NULL :
		    svc != &t->t_svc[cases[i].want])
			fail_msg("%s %s: got service %d, want %d",
			    cases[i].proto, cases[i].vip, svc == NULL ? -1 :
			    (int)(svc - t->t_svc), cases[i].want);
	}
	assert_int_equal(rs_port_of(&t->t_svc[0].svc_rs[0], htons(8080)),
	    htons(8080));
	assert_int_equal(rs_port_of(&t->t_svc[1].svc_rs[0], htons(8080)),
	    htons(80));
	table_ctl_free(tc);
	epoch_free(e);
}

static struct rs_state *
find_rs(struct table_ctl *tc, const char *rip)
{
	struct ep	 v = ep_of("192.0.2.10:80"), r = ep_of(rip);

	return table_find_rs_state(tc, IPPROTO_TCP, &v, &r);
}

static bool
rs_listed(struct table_ctl *tc, const struct rs_state *want)
{
	struct rs_state	*rss;

	for (rss = table_rs_states(tc); rss != NULL; rss = rss->rss_next)
		if (rss == want)
			return true;
	return false;
}

static void
test_table_states_when_recommitted(void **state)
{
	struct epoch	*e = epoch_new(1);
	struct table_ctl *tc = table_ctl_new(e, NULL, NULL);
	struct vs_conf	*vc = base_conf();
	struct rs_state	*rs1, *rs2, *rs2b;
	struct svc_state *svs;
	struct ep	 vip = ep_of("192.0.2.10:80");
	struct ep	 rip = ep_of("10.0.0.2:8080");
	const struct table *t;

	assert_int_equal(table_commit(tc, vc, NULL), 0);
	epoch_quiescent(e, 0);
	rs1 = find_rs(tc, "10.0.0.1:80");
	rs2 = find_rs(tc, "10.0.0.2:8080");
	svs = table_find_svc_state(tc, IPPROTO_TCP, &vip);
	assert_non_null(rs1);
	assert_non_null(rs2);
	assert_non_null(svs);
	assert_int_equal(rs1->rss_refs, 1);
	assert_ptr_equal(table_current(tc)->t_svc[0].svc_rs[1].rs_st, rs2);

	/* Reweigh rs1, drop rs2, add rs3: rs1 and the service stay. */
	vc = vsconf_dup(table_conf(tc));
	assert_int_equal(vsconf_edit_rs(vc, IPPROTO_TCP, &vip,
	    &(struct rs_conf){ .rc_ep = ep_of("10.0.0.1:80"), .rc_weight = 7 },
	    NULL), 0);
	assert_int_equal(vsconf_del_rs(vc, IPPROTO_TCP, &vip, &rip, NULL), 0);
	add_rs(vc, "tcp", "192.0.2.10:80", "10.0.0.3:80", XMIT_DR, 1);
	rs_state_hold(rs2);	/* a connection still on it */
	assert_int_equal(table_commit(tc, vc, NULL), 0);
	t = table_current(tc);
	assert_ptr_equal(t->t_svc[0].svc_st, svs);
	assert_ptr_equal(t->t_svc[0].svc_rs[0].rs_st, rs1);
	assert_int_equal(t->t_svc[0].svc_rs[0].rs_weight, 7);
	assert_false(rs1->rss_dead);
	assert_true(rs2->rss_dead);
	assert_ptr_equal(find_rs(tc, "10.0.0.2:8080"), rs2);
	assert_non_null(find_rs(tc, "10.0.0.3:80"));

	/* The reader has not moved on: the old snapshot still holds rs2. */
	assert_int_equal(epoch_reclaim(e), 1);
	assert_int_equal(rs2->rss_refs, 2);
	assert_int_equal(rs1->rss_refs, 2);
	epoch_quiescent(e, 0);
	assert_int_equal(epoch_reclaim(e), 0);
	assert_int_equal(rs2->rss_refs, 1);
	assert_int_equal(rs1->rss_refs, 1);
	table_gc(tc);
	assert_true(rs_listed(tc, rs2));

	/* Re-adding the server makes a new state; lookups prefer it. */
	vc = vsconf_dup(table_conf(tc));
	add_rs(vc, "tcp", "192.0.2.10:80", "10.0.0.2:8080", XMIT_NAT, 1);
	assert_int_equal(table_commit(tc, vc, NULL), 0);
	rs2b = find_rs(tc, "10.0.0.2:8080");
	assert_ptr_not_equal(rs2b, rs2);
	assert_false(rs2b->rss_dead);

	/* The last connection ends: gc unlinks it, the epoch frees it. */
	rs_state_put(rs2);
	table_gc(tc);
	assert_false(rs_listed(tc, rs2));
	assert_ptr_equal(find_rs(tc, "10.0.0.2:8080"), rs2b);
	epoch_quiescent(e, 0);
	assert_int_equal(epoch_reclaim(e), 0);

	table_ctl_free(tc);
	epoch_free(e);
}

static void
test_table_svc_state_when_service_deleted(void **state)
{
	struct epoch	*e = epoch_new(0);
	struct table_ctl *tc = table_ctl_new(e, NULL, NULL);
	struct vs_conf	*vc = base_conf();
	struct svc_state *svs;
	struct rs_state	*rs1;
	struct ep	 vip = ep_of("192.0.2.10:80");

	assert_int_equal(table_commit(tc, vc, NULL), 0);
	svs = table_find_svc_state(tc, IPPROTO_TCP, &vip);
	rs1 = find_rs(tc, "10.0.0.1:80");
	svc_state_hold(svs);
	vc = vsconf_dup(table_conf(tc));
	assert_int_equal(vsconf_del_svc(vc, IPPROTO_TCP, &vip, NULL), 0);
	assert_int_equal(table_commit(tc, vc, NULL), 0);
	assert_true(svs->svs_dead);
	assert_true(rs1->rss_dead);
	epoch_reclaim(e);
	table_gc(tc);
	/* Its real servers had no connection: gone; the service is held. */
	assert_null(find_rs(tc, "10.0.0.1:80"));
	assert_ptr_equal(table_find_svc_state(tc, IPPROTO_TCP, &vip), svs);
	svc_state_put(svs);
	table_gc(tc);
	assert_null(table_find_svc_state(tc, IPPROTO_TCP, &vip));
	assert_null(table_svc_states(tc));
	assert_null(table_rs_states(tc));
	epoch_reclaim(e);
	table_ctl_free(tc);
	epoch_free(e);
}

/* A commit refused for any reason changes nothing that runs. */
/* IPv6 services commit with methods that forward IPv6, and only so. */
static void
test_table_commit_ipv6_by_method(void **state)
{
	struct epoch	*e = epoch_new(0);
	struct table_ctl *tc = table_ctl_new(e, NULL, NULL);
	struct vs_conf	*vc = base_conf(), *bad;
	const struct table *t;
	struct uvs_err	 err;
	union inaddr	 vip;
	struct ep	 v;
	char		 want[128];
	int		 m;

	add_svc(vc, "tcp", "[2001:db8::10]:80", "rr");
	add_rs(vc, "tcp", "[2001:db8::10]:80", "[2001:db8:2::11]:80", XMIT_DR, 1);
	add_rs(vc, "tcp", "[2001:db8::10]:80", "[2001:db8:2::12]:80", XMIT_NAT,
	    1);
	assert_int_equal(table_commit(tc, vc, NULL), 0);
	t = table_current(tc);
	v = ep_of("[2001:db8::10]:80");
	vip = v.ep_addr.a;
	assert_non_null(table_lookup(t, IPPROTO_TCP, &vip, AF_INET6,
	    htons(80)));
	assert_null(table_lookup(t, IPPROTO_UDP, &vip, AF_INET6, htons(80)));

	bad = vsconf_dup(vc);
	/* Whichever method does not forward IPv6 yet (if one is left). */
	for (m = 0; m < XMIT__MAX && xmit_get(m)->ipv6; m++)
		;
	if (m < XMIT__MAX) {
		bad->vc_svc[1].sc_rs[1].rc_method = (uint8_t)m;
		bad->vc_svc[1].sc_nladdr = 1;
		assert_int_equal(addr_parse("2001:db8:2::1",
		    &bad->vc_svc[1].sc_laddr[0]), 0);
		assert_int_equal(table_commit(tc, bad, &err), -EAFNOSUPPORT);
		snprintf(want, sizeof(want), "[2001:db8::10]:80: %s forwarding "
		    "of IPv6 is not supported yet", xmit_get(m)->name);
		if (strstr(err.e_text, want) == NULL)
			fail_msg("got '%s', want '%s'", err.e_text, want);
	}
	vsconf_free(bad);
	assert_ptr_equal(table_current(tc), t);
	table_ctl_free(tc);
	epoch_free(e);
	(void)state;
}

static void
test_table_commit_when_refused(void **state)
{
	struct epoch	*e = epoch_new(0);
	struct table_ctl *tc = table_ctl_new(e, NULL, NULL);
	struct vs_conf	*vc = base_conf(), *bad;
	const struct table *t;
	struct uvs_err	 err;
	struct rs_state	*rs1;
	int		*held, n = 0, s;

	assert_int_equal(table_commit(tc, vc, NULL), 0);
	t = table_current(tc);
	rs1 = find_rs(tc, "10.0.0.1:80");

	/* Duplicates built by hand, past the editing functions. */
	bad = vsconf_dup(vc);
	bad->vc_svc[0].sc_rs[1] = rs_of("10.0.0.1:1234", XMIT_DR, 1);
	assert_int_equal(table_commit(tc, bad, &err), -EEXIST);
	assert_non_null(strstr(err.e_text, "destination already exists "
	    "'10.0.0.1:80'"));
	vsconf_free(bad);

	bad = vsconf_dup(vc);
	add_svc(bad, "udp", "192.0.2.10:80", "rr");
	bad->vc_svc[1].sc_proto = IPPROTO_TCP;
	assert_int_equal(table_commit(tc, bad, &err), -EEXIST);
	assert_non_null(strstr(err.e_text, "service already exists"));
	vsconf_free(bad);

	bad = vsconf_dup(vc);
	snprintf(bad->vc_svc[0].sc_sched, SCHED_NAME_MAX, "xx");
	assert_int_equal(table_commit(tc, bad, &err), -EINVAL);
	vsconf_free(bad);

	/* No stats slot left for the new server. */
	held = calloc(STATS_SLOTS, sizeof(*held));
	while ((s = stats_slot_alloc()) >= 0)
		held[n++] = s;
	bad = vsconf_dup(vc);
	add_svc(bad, "udp", "192.0.2.10:53", "rr");
	add_rs(bad, "tcp", "192.0.2.10:80", "10.0.0.3:80", XMIT_DR, 1);
	assert_int_equal(table_commit(tc, bad, &err), -ENOSPC);
	assert_non_null(strstr(err.e_text, "stats slots"));
	while (n > 0)
		stats_slot_free((uint32_t)held[--n]);
	free(held);

	assert_ptr_equal(table_current(tc), t);
	assert_ptr_equal(table_conf(tc), vc);
	assert_false(rs1->rss_dead);
	assert_int_equal(rs1->rss_refs, 1);
	assert_null(find_rs(tc, "10.0.0.3:80"));

	/* The caller still owns what was refused: it commits later. */
	assert_int_equal(table_commit(tc, bad, NULL), 0);
	assert_non_null(find_rs(tc, "10.0.0.3:80"));
	assert_ptr_equal(find_rs(tc, "10.0.0.1:80"), rs1);
	epoch_reclaim(e);
	table_ctl_free(tc);
	epoch_free(e);
}

static void
test_table_slots_when_handed_out(void **state)
{
	struct epoch	*e = epoch_new(0);
	struct table_ctl *tc = table_ctl_new(e, NULL, NULL);
	struct wstats	*ws[2];
	struct vs_conf	*vc;
	struct rs_state	*rs1, *rs3;
	struct svc_state *svs;
	struct counters	 sum;
	struct ep	 vip = ep_of("192.0.2.10:80");
	unsigned	 i;

	for (i = 0; i < nitems(ws); i++) {
		ws[i] = malloc(sizeof(*ws[i]));
		assert_non_null(ws[i]);
		memset(ws[i], 0xff, sizeof(*ws[i]));
	}
	table_set_stats(tc, ws, nitems(ws));
	assert_int_equal(table_commit(tc, base_conf(), NULL), 0);
	rs1 = find_rs(tc, "10.0.0.1:80");
	svs = table_find_svc_state(tc, IPPROTO_TCP, &vip);
	assert_int_not_equal(rs1->rss_slot, svs->svs_slot);
	stats_sum_slot(ws, nitems(ws), rs1->rss_slot, &sum);
	assert_int_equal(sum.cn_conns + sum.cn_inpkts + sum.cn_outbytes, 0);
	stats_sum_slot(ws, nitems(ws), svs->svs_slot, &sum);
	assert_int_equal(sum.cn_inbytes, 0);

	/* A kept state keeps its counters; a new one starts at zero. */
	ws[1]->ws_slot[rs1->rss_slot].cn_conns = 5;
	vc = vsconf_dup(table_conf(tc));
	add_rs(vc, "tcp", "192.0.2.10:80", "10.0.0.3:80", XMIT_DR, 1);
	assert_int_equal(table_commit(tc, vc, NULL), 0);
	rs3 = find_rs(tc, "10.0.0.3:80");
	stats_sum_slot(ws, nitems(ws), rs1->rss_slot, &sum);
	assert_int_equal(sum.cn_conns, 5);
	stats_sum_slot(ws, nitems(ws), rs3->rss_slot, &sum);
	assert_int_equal(sum.cn_conns, 0);
	assert_int_equal(ws[0]->ws_slot[rs3->rss_slot].cn_outpkts, 0);

	epoch_reclaim(e);
	table_ctl_free(tc);
	epoch_free(e);
	for (i = 0; i < nitems(ws); i++)
		free(ws[i]);
}

/* Persistence, netmask and flags: validation and what is stored. */
static const struct {
	const char	*proto;
	const char	*vip;
	uint32_t	 flags;
	uint32_t	 timeout;
	const char	*mask;		/* v4 dotted, v6 prefix, NULL: 0 */
	int		 ret;
	const char	*text;		/* in e_text when ret != 0 */
	uint32_t	 want_flags;	/* stored, when ret == 0 */
	const char	*want_mask;
} persist_cases[] = {
	{ "tcp", "192.0.2.20:80", 0, 0, NULL, 0, NULL, 0, "255.255.255.255" },
	{ "tcp", "192.0.2.20:80", 0, 300, NULL, 0, NULL, SVC_F_PERSISTENT,
	    "255.255.255.255" },
	{ "tcp", "192.0.2.20:80", SVC_F_PERSISTENT, 1, "255.255.255.0", 0,
	    NULL, SVC_F_PERSISTENT, "255.255.255.0" },
	{ "tcp", "192.0.2.20:80", 0, 2678400, "255.0.0.0", 0, NULL,
	    SVC_F_PERSISTENT, "255.0.0.0" },
	/* The flag follows the timeout, not the caller. */
	{ "tcp", "192.0.2.20:80", SVC_F_PERSISTENT, 0, NULL, 0, NULL, 0,
	    "255.255.255.255" },
	{ "tcp", "192.0.2.20:80", 0, 2678401, NULL, -EINVAL,
	    "persistence timeout 2678401 out of range 1..2678400", 0, NULL },
	{ "tcp", "192.0.2.20:80", 0, 300, "255.0.255.0", -EINVAL,
	    "tcp 192.0.2.20:80: netmask is not a contiguous mask", 0, NULL },
	{ "tcp", "192.0.2.20:80", 0, 300, "0.255.255.255", -EINVAL,
	    "contiguous", 0, NULL },
	{ "tcp", "[2001:db8::20]:80", 0, 300, NULL, 0, NULL, SVC_F_PERSISTENT,
	    "128" },
	{ "tcp", "[2001:db8::20]:80", 0, 300, "64", 0, NULL, SVC_F_PERSISTENT,
	    "64" },
	{ "tcp", "[2001:db8::20]:80", 0, 300, "129", -EINVAL,
	    "netmask prefix length 129 out of range 1..128", 0, NULL },
	{ "udp", "192.0.2.20:53", SVC_F_ONEPACKET, 0, NULL, 0, NULL,
	    SVC_F_ONEPACKET, "255.255.255.255" },
	{ "tcp", "192.0.2.20:80", SVC_F_ONEPACKET, 0, NULL, -EINVAL,
	    "one-packet scheduling is for udp services only", 0, NULL },
	{ "tcp", "192.0.2.20:80", SVC_F_SCHED1 | SVC_F_SCHED3, 0, NULL, 0,
	    NULL, SVC_F_SCHED1 | SVC_F_SCHED3, "255.255.255.255" },
	{ "tcp", "192.0.2.20:80", 0x0100, 0, NULL, -EINVAL,
	    "unknown flags 0x100", 0, NULL },
};

static uint32_t
mask_of(const char *vip, const char *mask)
{
	struct in_addr	 a;

	if (mask == NULL)
		return 0;
	if (vip[0] == '[')
		return (uint32_t)atoi(mask);
	assert_int_equal(inet_pton(AF_INET, mask, &a), 1);
	return a.s_addr;
}

static void
test_vsconf_persist_cases(void **state)
{
	struct vs_conf	*vc;
	struct svc_conf	 sc, *got;
	struct uvs_err	 err;
	size_t		 i;
	int		 r, op;

	for (i = 0; i < nitems(persist_cases); i++) {
		/* Both ways in: a new service and an edit of one. */
		for (op = 0; op < 2; op++) {
			vc = vsconf_dup(NULL);
			sc = svc_of(persist_cases[i].proto,
			    persist_cases[i].vip, "rr");
			if (op == 1)
				assert_int_equal(vsconf_add_svc(vc, &sc,
				    NULL), 0);
			sc.sc_flags = persist_cases[i].flags;
			sc.sc_timeout = persist_cases[i].timeout;
			sc.sc_netmask = mask_of(persist_cases[i].vip,
			    persist_cases[i].mask);
			memset(&err, 0, sizeof(err));
			r = op == 0 ? vsconf_add_svc(vc, &sc, &err) :
			    vsconf_edit_svc(vc, &sc, &err);
			if (r != persist_cases[i].ret)
				fail_msg("case %zu/%d: returned %d, want %d "
				    "(%s)", i, op, r, persist_cases[i].ret,
				    err.e_text);
			got = vsconf_find_svc(vc, sc.sc_proto, &sc.sc_ep);
			if (r != 0) {
				if (strstr(err.e_text,
				    persist_cases[i].text) == NULL)
					fail_msg("case %zu: text '%s' lacks "
					    "'%s'", i, err.e_text,
					    persist_cases[i].text);
				/* An edit refused leaves the service alone. */
				if (op == 1)
					assert_int_equal(got->sc_timeout, 0);
			} else {
				assert_non_null(got);
				assert_int_equal(got->sc_flags,
				    persist_cases[i].want_flags);
				assert_int_equal(got->sc_timeout,
				    persist_cases[i].timeout);
				assert_int_equal(got->sc_netmask,
				    mask_of(persist_cases[i].vip,
				    persist_cases[i].want_mask));
			}
			vsconf_free(vc);
		}
	}
}

/* edit-service replaces every parameter it is given, persistence too. */
static void
test_vsconf_edit_svc_when_persistence_dropped(void **state)
{
	struct vs_conf	*vc = vsconf_dup(NULL);
	struct svc_conf	 sc = svc_of("tcp", "192.0.2.20:80", "rr"), *got;

	sc.sc_timeout = 600;
	sc.sc_netmask = mask_of("192.0.2.20:80", "255.255.0.0");
	assert_int_equal(vsconf_add_svc(vc, &sc, NULL), 0);
	sc = svc_of("tcp", "192.0.2.20:80", "wlc");
	assert_int_equal(vsconf_edit_svc(vc, &sc, NULL), 0);
	got = &vc->vc_svc[0];
	assert_string_equal(got->sc_sched, "wlc");
	assert_int_equal(got->sc_timeout, 0);
	assert_int_equal(got->sc_flags, 0);
	assert_int_equal(got->sc_netmask, 0xffffffffU);
	vsconf_free(vc);
}

static const struct {
	uint32_t	 u, l;
	int		 ret;
	const char	*text;
} thresh_cases[] = {
	{ 0,	 0,	0,	NULL },
	{ 10,	 0,	0,	NULL },
	{ 10,	 5,	0,	NULL },
	{ 10,	 10,	0,	NULL },
	{ 0,	 5,	0,	NULL },		/* -y alone: harmless */
	{ 65535, 65535,	0,	NULL },
	{ 10,	 11,	-EINVAL, "lower threshold 11 above upper threshold 10" },
	{ 65536, 0,	-EINVAL, "threshold 65536 out of range 0..65535" },
	{ 0,	 65536,	-EINVAL, "threshold 65536 out of range" },
};

static void
test_vsconf_threshold_cases(void **state)
{
	struct vs_conf	*vc;
	struct rs_conf	 rc;
	struct uvs_err	 err;
	struct ep	 vip = ep_of("192.0.2.10:80");
	size_t		 i;
	int		 r, op;

	for (i = 0; i < nitems(thresh_cases); i++) {
		for (op = 0; op < 2; op++) {
			vc = base_conf();
			rc = rs_of(op == 0 ? "10.0.0.3:80" : "10.0.0.1:80",
			    XMIT_DR, 1);
			rc.rc_uthresh = thresh_cases[i].u;
			rc.rc_lthresh = thresh_cases[i].l;
			memset(&err, 0, sizeof(err));
			r = op == 0 ?
			    vsconf_add_rs(vc, IPPROTO_TCP, &vip, &rc, &err) :
			    vsconf_edit_rs(vc, IPPROTO_TCP, &vip, &rc, &err);
			if (r != thresh_cases[i].ret)
				fail_msg("case %zu/%d: returned %d, want %d "
				    "(%s)", i, op, r, thresh_cases[i].ret,
				    err.e_text);
			if (r != 0 && strstr(err.e_text,
			    thresh_cases[i].text) == NULL)
				fail_msg("case %zu: text '%s' lacks '%s'", i,
				    err.e_text, thresh_cases[i].text);
			vsconf_free(vc);
		}
	}
}

/* The snapshot carries what workers need; states get the thresholds. */
static void
test_table_snapshot_when_persistent(void **state)
{
	struct epoch	*e = epoch_new(0);
	struct table_ctl *tc = table_ctl_new(e, NULL, NULL);
	struct vs_conf	*vc = vsconf_dup(NULL);
	struct svc_conf	 sc = svc_of("tcp", "192.0.2.10:80", "rr");
	struct rs_conf	 rc = rs_of("10.0.0.1:80", XMIT_DR, 1);
	const struct svc *svc;

	sc.sc_timeout = 120;
	sc.sc_netmask = mask_of("192.0.2.10:80", "255.255.255.0");
	assert_int_equal(vsconf_add_svc(vc, &sc, NULL), 0);
	rc.rc_uthresh = 100;
	rc.rc_lthresh = 50;
	assert_int_equal(vsconf_add_rs(vc, IPPROTO_TCP, &sc.sc_ep, &rc, NULL),
	    0);
	add_svc(vc, "tcp", "[2001:db8::10]:80", "rr");
	assert_int_equal(table_commit(tc, vc, NULL), 0);
	svc = &table_current(tc)->t_svc[0];
	assert_int_equal(svc->svc_timeout, 120);
	assert_int_equal(svc->svc_flags, SVC_F_PERSISTENT);
	assert_int_equal(svc->svc_netmask, htonl(0xffffff00U));
	assert_int_equal(svc->svc_rs[0].rs_uthresh, 100);
	assert_int_equal(svc->svc_rs[0].rs_lthresh, 50);
	assert_int_equal(svc->svc_rs[0].rs_st->rss_uthresh, 100);
	assert_int_equal(svc->svc_rs[0].rs_st->rss_lthresh, 50);
	svc = &table_current(tc)->t_svc[1];
	assert_int_equal(svc->svc_timeout, 0);
	assert_int_equal(svc->svc_flags, 0);
	assert_int_equal(svc->svc_netmask, 128);
	epoch_reclaim(e);
	table_ctl_free(tc);
	epoch_free(e);
}

/*
 * -x/-y hysteresis (ip_vs_bind_dest/ip_vs_unbind_dest): overloaded once
 * active + inactive reach u, taking connections again below l, or
 * below 3/4 of u without l.
 */
static const struct {
	uint32_t	 u, l;
	int		 set_at;	/* connections when it sets, 0: never */
	int		 clear_at;	/* connections left when it clears */
} overload_cases[] = {
	{ 10,	0,	10,	7 },	/* 7 * 4 < 30, 8 * 4 is not */
	{ 10,	5,	10,	4 },
	{ 4,	0,	4,	2 },
	{ 1,	0,	1,	0 },
	{ 2,	2,	2,	1 },
	{ 0,	0,	0,	0 },
};

static void
test_rs_overload_cases(void **state)
{
	struct rs_state	 rss;
	struct rs	 rs = { .rs_st = &rss, .rs_weight = 1 };
	size_t		 i;
	int		 n, max;

	for (i = 0; i < nitems(overload_cases); i++) {
		memset(&rss, 0, sizeof(rss));
		rss.rss_uthresh = overload_cases[i].u;
		rss.rss_lthresh = overload_cases[i].l;
		max = overload_cases[i].set_at > 0 ?
		    overload_cases[i].set_at : 20;
		for (n = 1; n <= max; n++) {
			rs_state_conn_new(&rss);
			if ((bool)rss.rss_overload !=
			    (overload_cases[i].set_at > 0 &&
			    n >= overload_cases[i].set_at))
				fail_msg("case %zu: overload %u at %d conns",
				    i, rss.rss_overload, n);
			assert_int_equal(rs_available(&rs),
			    !rss.rss_overload);
		}
		/* Half of them established, as the worker counts them. */
		rss.rss_active = max / 2;
		rss.rss_inactive = max - max / 2;
		for (n = max - 1; n >= 0; n--) {
			rs_state_conn_gone(&rss, n % 2 == 0 &&
			    rss.rss_active > 0);
			if ((bool)rss.rss_overload !=
			    (overload_cases[i].set_at > 0 &&
			    n > overload_cases[i].clear_at))
				fail_msg("case %zu: overload %u at %d conns "
				    "left", i, rss.rss_overload, n);
		}
		assert_int_equal(rss.rss_active + rss.rss_inactive, 0);
	}
}

/* New thresholds: a higher or no -x lifts the overload (IPVS's edit). */
static void
test_rs_overload_when_thresholds_edited(void **state)
{
	static const struct {
		uint32_t	 u;
		bool		 still;
	} steps[] = { { 5, true }, { 10, true }, { 20, false }, { 0, false } };
	struct epoch	*e = epoch_new(0);
	struct table_ctl *tc = table_ctl_new(e, NULL, NULL);
	struct vs_conf	*vc;
	struct rs_conf	 rc = rs_of("10.0.0.1:80", XMIT_DR, 1);
	struct ep	 vip = ep_of("192.0.2.10:80");
	struct rs_state	*rss;
	size_t		 i;

	vc = base_conf();
	rc.rc_uthresh = 10;
	assert_int_equal(vsconf_edit_rs(vc, IPPROTO_TCP, &vip, &rc, NULL), 0);
	assert_int_equal(table_commit(tc, vc, NULL), 0);
	rss = find_rs(tc, "10.0.0.1:80");
	for (i = 0; i < nitems(steps); i++) {
		rss->rss_overload = 1;
		vc = vsconf_dup(table_conf(tc));
		rc.rc_uthresh = steps[i].u;
		assert_int_equal(vsconf_edit_rs(vc, IPPROTO_TCP, &vip, &rc,
		    NULL), 0);
		assert_int_equal(table_commit(tc, vc, NULL), 0);
		assert_int_equal(rss->rss_overload, steps[i].still);
		assert_int_equal(rss->rss_uthresh, steps[i].u);
		/* Back to 10 for the next step's comparison. */
		vc = vsconf_dup(table_conf(tc));
		rc.rc_uthresh = 10;
		assert_int_equal(vsconf_edit_rs(vc, IPPROTO_TCP, &vip, &rc,
		    NULL), 0);
		assert_int_equal(table_commit(tc, vc, NULL), 0);
		epoch_reclaim(e);
	}
	table_ctl_free(tc);
	epoch_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vsconf_edit_cases),
		cmocka_unit_test(test_vsconf_rs_port_when_dr_or_nat),
		cmocka_unit_test(test_vsconf_dup_when_edited),
		cmocka_unit_test(test_vsconf_limits_when_full),
		cmocka_unit_test(test_svc_fmt_cases),
		cmocka_unit_test(test_table_lookup_cases),
		cmocka_unit_test(test_table_lookup_port0),
		cmocka_unit_test(test_table_states_when_recommitted),
		cmocka_unit_test(test_table_svc_state_when_service_deleted),
		cmocka_unit_test(test_table_commit_ipv6_by_method),
		cmocka_unit_test(test_table_commit_when_refused),
		cmocka_unit_test(test_table_slots_when_handed_out),
		cmocka_unit_test(test_vsconf_persist_cases),
		cmocka_unit_test(test_vsconf_edit_svc_when_persistence_dropped),
		cmocka_unit_test(test_vsconf_threshold_cases),
		cmocka_unit_test(test_table_snapshot_when_persistent),
		cmocka_unit_test(test_rs_overload_cases),
		cmocka_unit_test(test_rs_overload_when_thresholds_edited),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
