/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mh: Maglev table population (shares within one entry per weight unit,
 * few moves when a server goes), IPVS's last_weight on quiesce, stable
 * mapping, mh-port, mh-fallback, table size, none available.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include "sched_fixture.h"

#define NSRV_MAX	64

/* Servers 10.0.0.<host[i]> weighing <w>[i] (NULL: 1). */
static void
commit_hosts(struct fixture *f, uint32_t flags, const unsigned *host,
    const int32_t *w, unsigned n)
{
	struct svc_conf	 sc = { .sc_proto = IPPROTO_TCP, .sc_flags = flags };
	struct rs_conf	 rc = { .rc_method = XMIT_DR };
	struct vs_conf	*vc;
	struct uvs_err	 err = { .e_text = "" };
	unsigned	 i;

	assert_int_equal(ep_parse(FX_VIP, true, &sc.sc_ep), 0);
	snprintf(sc.sc_sched, sizeof(sc.sc_sched), "mh");
	assert_non_null(vc = vsconf_dup(NULL));
	assert_int_equal(vsconf_add_svc(vc, &sc, &err), 0);
	for (i = 0; i < n; i++) {
		addr_set_v4(&rc.rc_ep.ep_addr, htonl(0x0a000000U + host[i]));
		rc.rc_ep.ep_port = htons(80);
		rc.rc_weight = w != NULL ? w[i] : 1;
		assert_int_equal(vsconf_add_rs(vc, sc.sc_proto, &sc.sc_ep, &rc,
		    &err), 0);
	}
	assert_int_equal(table_commit(f->f_tc, vc, &err), 0);
	epoch_reclaim(f->f_e);
	f->f_svc = table_lookup(table_current(f->f_tc), IPPROTO_TCP,
	    &sc.sc_ep.ep_addr.a, AF_INET, sc.sc_ep.ep_port);
	assert_non_null(f->f_svc);
}

/* Entry -> host part of its server's address (0: none). */
static void
table_hosts(const struct fixture *f, unsigned *out, unsigned *ret_m)
{
	const uint16_t	*tab;
	unsigned	 i, m;

	tab = sched_mh_table(f->f_svc, &m);
	for (i = 0; i < m; i++)
		out[i] = tab[i] == 0xffff ? 0 :
		    ntohl(f->f_svc->svc_rs[tab[i]].rs_ep.ep_addr.a.w[0]) & 0xff;
	*ret_m = m;
}

static const struct {
	const char	*name;
	unsigned	 m;		/* table size */
	unsigned	 n;
	int32_t		 w[8];
} pop_cases[] = {
	{ "4093, 1",		4093, 1, { 1 } },
	{ "4093, 3 equal",	4093, 3, { 1, 1, 1 } },
	{ "4093, 7 equal",	4093, 7, { 5, 5, 5, 5, 5, 5, 5 } },
	{ "4093, weighted",	4093, 4, { 1, 2, 3, 4 } },
	{ "4093, gcd 100",	4093, 3, { 100, 200, 300 } },
	{ "251, weighted",	251,  5, { 3, 1, 4, 1, 5 } },
	{ "65537, 8",		65537, 8, { 1, 1, 2, 2, 3, 3, 4, 4 } },
	{ "4093, zero too",	4093, 3, { 2, 0, 1 } },
};

/* |entries(i) - M * w(i) / sum(w)| <= w(i) / gcd: within one per unit. */
static void
test_mh_populate_shares_cases(void **state)
{
	static unsigned	 hosts[65537];
	struct fixture	 f;
	unsigned	 host[8], got[8], i, m;
	double		 sum, want, slack;
	size_t		 c;

	for (c = 0; c < nitems(pop_cases); c++) {
		fx_setup(&f);
		sched_mh_set_size(pop_cases[c].m);
		for (i = 0; i < pop_cases[c].n; i++)
			host[i] = i + 1;
		commit_hosts(&f, 0, host, pop_cases[c].w, pop_cases[c].n);
		table_hosts(&f, hosts, &m);
		assert_int_equal(m, pop_cases[c].m);
		memset(got, 0, sizeof(got));
		for (i = 0; i < m; i++) {
			assert_true(hosts[i] >= 1 && hosts[i] <= pop_cases[c].n);
			got[hosts[i] - 1]++;
		}
		for (sum = 0, i = 0; i < pop_cases[c].n; i++)
			sum += pop_cases[c].w[i];
		for (i = 0; i < pop_cases[c].n; i++) {
			want = m * pop_cases[c].w[i] / sum;
			/* gcd 100 and 5 leave one turn per 100 and 5. */
			slack = pop_cases[c].w[i] /
			    (c == 4 ? 100.0 : c == 2 ? 5.0 : 1.0);
			if (got[i] < want - slack - 1e-9 ||
			    got[i] > want + slack + 1e-9)
				fail_msg("%s: server %u has %u entries, want "
				    "%.1f +- %.0f", pop_cases[c].name, i,
				    got[i], want, slack);
		}
		fx_teardown(&f);
	}
	sched_mh_set_size(SCHED_MH_SIZE_DEFAULT);
}

/* Removing one of N moves its entries and few others (Maglev 3.4). */
static void
test_mh_remove_moves_few(void **state)
{
	static unsigned	 before[4093], after[4093];
	struct fixture	 f;
	unsigned	 host[20], i, m, n = 20, gone = 7, others = 0, own = 0;

	fx_setup(&f);
	for (i = 0; i < n; i++)
		host[i] = i + 1;
	commit_hosts(&f, 0, host, NULL, n);
	table_hosts(&f, before, &m);
	memmove(&host[gone], &host[gone + 1], (n - gone - 1) * sizeof(host[0]));
	commit_hosts(&f, 0, host, NULL, n - 1);
	table_hosts(&f, after, &m);
	for (i = 0; i < m; i++) {
		if (before[i] == gone + 1) {
			own++;
			assert_true(after[i] != gone + 1);
		} else if (after[i] != before[i])
			others++;
	}
	assert_true(own >= m / n - 1 && own <= m / n + 1);
	/* The paper's example moves one of 7; allow 3% of the table. */
	if (others > m * 3 / 100)
		fail_msg("%u entries of others moved", others);
	fx_teardown(&f);
}

static struct tuple
client(unsigned i, uint16_t sport)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "198.51.%u.%u", (i >> 8) & 255, i & 255);
	return fx_tuple(buf, sport, "192.0.2.10");
}

/* Weight 0 keeps a server's entries (last_weight): others do not move. */
static void
test_mh_quiesce_keeps_table(void **state)
{
	static unsigned	 before[4093], after[4093];
	static const int32_t w[] = { 1, 1, 1 }, wq[] = { 1, 0, 1 };
	static const unsigned host[] = { 1, 2, 3 };
	struct fixture	 f;
	struct tuple	 t;
	unsigned	 i, m, moved = 0;
	int		 p, q;

	fx_setup(&f);
	commit_hosts(&f, 0, host, w, 3);
	table_hosts(&f, before, &m);
	commit_hosts(&f, 0, host, wq, 3);
	table_hosts(&f, after, &m);
	assert_memory_equal(before, after, sizeof(before));
	for (i = 0; i < 500; i++) {
		t = client(i, 1);
		commit_hosts(&f, 0, host, w, 3);
		p = fx_pick_tuple(&f, &t);
		assert_true(p >= 0);
		commit_hosts(&f, 0, host, wq, 3);
		q = fx_pick_tuple(&f, &t);
		assert_int_equal(q, p == 1 ? -1 : p);
		commit_hosts(&f, SVC_F_SCHED1, host, wq, 3);
		q = fx_pick_tuple(&f, &t);
		if (p == 1) {
			assert_true(q == 0 || q == 2);
			moved++;
		} else
			assert_int_equal(q, p);
	}
	assert_true(moved > 100);
	fx_teardown(&f);
}

static void
test_mh_stable_and_port(void **state)
{
	static const int32_t w[] = { 1, 1, 1, 1 };
	struct fixture	 f;
	struct tuple	 t;
	unsigned	 got[4] = { 0 }, i, k, same = 0;
	int		 p;

	fx_setup(&f);
	fx_commit(&f, "mh", w, nitems(w));
	for (i = 0; i < 2000; i++) {
		t = client(i, 1000);
		p = fx_pick_tuple(&f, &t);
		assert_true(p >= 0);
		got[p]++;
		for (k = 1; k < 3; k++) {
			t = client(i, (uint16_t)(1000 + 77 * k));
			assert_int_equal(fx_pick_tuple(&f, &t), p);
		}
	}
	for (i = 0; i < 4; i++)
		assert_true(got[i] > 400 && got[i] < 600);
	fx_commit_flags(&f, "mh", SVC_F_SCHED2, w, nitems(w));
	t = client(9, 1000);
	p = fx_pick_tuple(&f, &t);
	for (k = 0; k < 100; k++) {
		t = client(9, (uint16_t)(3000 + k));
		same += fx_pick_tuple(&f, &t) == p;
	}
	assert_true(same < 50);
	fx_teardown(&f);
}

static void
test_mh_null_when_none_available(void **state)
{
	static const int32_t w[] = { 0, 0 }, w1[] = { 1 };
	struct fixture	 f;

	fx_setup(&f);
	/* Added with weight 0: no entries at all, even with fallback. */
	fx_commit_flags(&f, "mh", SVC_F_SCHED1, w, nitems(w));
	assert_int_equal(fx_pick(&f), -1);
	fx_commit(&f, "mh", w, 0);
	assert_int_equal(fx_pick(&f), -1);
	fx_commit_flags(&f, "mh", SVC_F_SCHED1, w1, 1);
	assert_int_equal(fx_pick(&f), 0);
	fx_overload(&f, 0, true);
	assert_int_equal(fx_pick(&f), -1);
	fx_teardown(&f);
}

static const struct {
	unsigned long	 m;
	bool		 ok;
} size_cases[] = {
	{ 4093, true }, { 65537, true }, { 251, true }, { 7, true },
	{ 65521, true }, { 4095, false }, { 65536, false }, { 131071, false },
	{ 5, false }, { 0, false }, { 1, false }, { 9, false }, { 65539, false },
};

static void
test_mh_size_cases(void **state)
{
	size_t	 c;

	for (c = 0; c < nitems(size_cases); c++)
		if (sched_mh_size_ok(size_cases[c].m) != size_cases[c].ok)
			fail_msg("%lu: want %s", size_cases[c].m,
			    size_cases[c].ok ? "ok" : "refused");
}

/* More servers than entries: the commit is refused, as IPVS's -EINVAL. */
static void
test_mh_refuses_more_servers_than_entries(void **state)
{
	static const int32_t w[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	struct svc_conf	 sc = { .sc_proto = IPPROTO_TCP };
	struct rs_conf	 rc = { .rc_method = XMIT_DR, .rc_weight = 1 };
	struct fixture	 f;
	struct vs_conf	*vc;
	struct uvs_err	 err = { .e_text = "" };
	unsigned	 i;

	fx_setup(&f);
	sched_mh_set_size(7);
	fx_commit(&f, "mh", w, 7);
	assert_int_equal(ep_parse(FX_VIP, true, &sc.sc_ep), 0);
	snprintf(sc.sc_sched, sizeof(sc.sc_sched), "mh");
	assert_non_null(vc = vsconf_dup(NULL));
	assert_int_equal(vsconf_add_svc(vc, &sc, &err), 0);
	for (i = 0; i < 8; i++) {
		addr_set_v4(&rc.rc_ep.ep_addr, htonl(0x0a000001U + i));
		rc.rc_ep.ep_port = htons(80);
		assert_int_equal(vsconf_add_rs(vc, sc.sc_proto, &sc.sc_ep, &rc,
		    &err), 0);
	}
	assert_int_equal(table_commit(f.f_tc, vc, &err), -EINVAL);
	vsconf_free(vc);
	sched_mh_set_size(SCHED_MH_SIZE_DEFAULT);
	fx_teardown(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mh_populate_shares_cases),
		cmocka_unit_test(test_mh_remove_moves_few),
		cmocka_unit_test(test_mh_quiesce_keeps_table),
		cmocka_unit_test(test_mh_stable_and_port),
		cmocka_unit_test(test_mh_null_when_none_available),
		cmocka_unit_test(test_mh_size_cases),
		cmocka_unit_test(test_mh_refuses_more_servers_than_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
