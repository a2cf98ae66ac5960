/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sh and dh: IPVS's 256-bucket tables tiled by weight, its hashes (so a
 * client lands where IPVS puts it), stable mapping, sh-port,
 * sh-fallback, weight 0, overload, IPv6, none available.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sched_fixture.h"

static struct tuple
client(unsigned i, uint16_t sport)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "198.51.%u.%u", (i >> 8) & 255, i & 255);
	return fx_tuple(buf, sport, "192.0.2.10");
}

/* The server IPVS picks: bucket hash_32(addr + port, 8), tiles by weight. */
static int
ipvs_sh(const struct tuple *t, const int32_t *w, unsigned n, bool port)
{
	uint32_t	 key = ntohl(t->t_src.w[0]);
	unsigned	 b, i, j = 0;
	int32_t		 d = 0;

	if (port)
		key += ntohs(t->t_sport);
	b = (key * 0x61C88647U) >> 24;
	for (i = 0; i < b; i++)
		if (++d >= w[j]) {
			j = (j + 1) % n;
			d = 0;
		}
	return (int)j;
}

static void
test_sh_matches_ipvs_hash(void **state)
{
	static const int32_t	 w[] = { 1, 3, 2, 1 };
	static const uint32_t	 fl[] = { 0, SVC_F_SCHED2 };
	struct fixture		 f;
	struct tuple		 t;
	unsigned		 i, k;

	for (k = 0; k < nitems(fl); k++) {
		fx_setup(&f);
		fx_commit_flags(&f, "sh", fl[k], w, nitems(w));
		for (i = 0; i < 500; i++) {
			t = client(i * 7919, (uint16_t)(1024 + i * 13));
			assert_int_equal(fx_pick_tuple(&f, &t),
			    ipvs_sh(&t, w, nitems(w), fl[k] != 0));
		}
		fx_teardown(&f);
	}
}

static void
test_sh_stable_and_shared_by_weight(void **state)
{
	static const int32_t	 w[] = { 1, 2 };
	struct fixture		 f;
	struct tuple		 t;
	unsigned		 got[2] = { 0 }, i, k, same = 0;
	int			 p;

	fx_setup(&f);
	fx_commit(&f, "sh", w, nitems(w));
	for (i = 0; i < 3000; i++) {
		t = client(i, 1000);
		p = fx_pick_tuple(&f, &t);
		assert_true(p >= 0);
		got[p]++;
		/* Same client, other ports: the same server. */
		for (k = 1; k < 4; k++) {
			t = client(i, (uint16_t)(1000 + k * 111));
			assert_int_equal(fx_pick_tuple(&f, &t), p);
		}
	}
	/* 86 and 170 buckets of 256. */
	assert_true(got[0] > 850 && got[0] < 1150);
	/* sh-port: one client's ports spread. */
	fx_commit_flags(&f, "sh", SVC_F_SCHED2, w, nitems(w));
	t = client(5, 1000);
	p = fx_pick_tuple(&f, &t);
	for (k = 0; k < 100; k++) {
		t = client(5, (uint16_t)(2000 + k));
		same += fx_pick_tuple(&f, &t) == p;
	}
	assert_true(same < 90);
	fx_teardown(&f);
}

static void
test_sh_fallback_when_unavailable(void **state)
{
	static const int32_t	 w[] = { 1, 1, 1 }, wq[] = { 1, 0, 1 };
	struct fixture		 f;
	struct tuple		 t;
	int			 before[300], p;
	unsigned		 i;

	fx_setup(&f);
	fx_commit(&f, "sh", w, nitems(w));
	for (i = 0; i < 300; i++) {
		t = client(i, 1);
		before[i] = fx_pick_tuple(&f, &t);
	}
	/* Overloaded: its clients get nothing, the others stay. */
	fx_overload(&f, 1, true);
	for (i = 0; i < 300; i++) {
		t = client(i, 1);
		p = fx_pick_tuple(&f, &t);
		assert_int_equal(p, before[i] == 1 ? -1 : before[i]);
	}
	/* sh-fallback: they go elsewhere, the others still stay. */
	fx_commit_flags(&f, "sh", SVC_F_SCHED1, w, nitems(w));
	fx_overload(&f, 1, true);
	for (i = 0; i < 300; i++) {
		t = client(i, 1);
		p = fx_pick_tuple(&f, &t);
		if (before[i] == 1)
			assert_true(p == 0 || p == 2);
		else
			assert_int_equal(p, before[i]);
	}
	/* Weight 0 keeps its one bucket, as IPVS: quiesced, not re-tiled. */
	fx_commit(&f, "sh", wq, nitems(wq));
	for (i = 0; i < 300; i++) {
		t = client(i, 1);
		p = fx_pick_tuple(&f, &t);
		assert_int_equal(p, ipvs_sh(&t, wq, nitems(wq), false) == 1 ?
		    -1 : ipvs_sh(&t, wq, nitems(wq), false));
	}
	fx_teardown(&f);
}

static void
test_sh_null_when_none_available(void **state)
{
	static const int32_t	 w[] = { 0, 0 };
	struct fixture		 f;
	const char		*s[] = { "sh", "dh" };
	size_t			 k;

	for (k = 0; k < nitems(s); k++) {
		fx_setup(&f);
		fx_commit_flags(&f, s[k], SVC_F_SCHED1, w, nitems(w));
		assert_int_equal(fx_pick(&f), -1);
		fx_commit(&f, s[k], w, 0);
		assert_int_equal(fx_pick(&f), -1);
		fx_teardown(&f);
	}
}

static void
test_sh_hashes_ipv6(void **state)
{
	static const int32_t	 w[] = { 1, 1, 1, 1 };
	struct fixture		 f;
	struct tuple		 t;
	char			 buf[64];
	unsigned		 got[4] = { 0 }, i;
	int			 p;

	fx_setup(&f);
	fx_commit(&f, "sh", w, nitems(w));
	for (i = 0; i < 400; i++) {
		snprintf(buf, sizeof(buf), "2001:db8::%x:%x", i * 31, i);
		t = fx_tuple(buf, 1234, "2001:db8::80");
		p = fx_pick_tuple(&f, &t);
		assert_true(p >= 0);
		assert_int_equal(fx_pick_tuple(&f, &t), p);
		got[p]++;
	}
	for (i = 0; i < 4; i++)
		assert_true(got[i] > 50);
	fx_teardown(&f);
}

/* dh: the destination decides, IPVS's (addr * 2654435761) & 255. */
static void
test_dh_follows_destination(void **state)
{
	static const int32_t	 w[] = { 2, 1, 1 };
	struct fixture		 f;
	struct tuple		 t;
	char			 buf[32];
	unsigned		 i, k, b, j;
	int			 p, want;
	int32_t			 d;

	fx_setup(&f);
	fx_commit(&f, "dh", w, nitems(w));
	for (i = 0; i < 200; i++) {
		snprintf(buf, sizeof(buf), "203.0.113.%u", i);
		t = fx_tuple("198.51.100.1", 1000, buf);
		p = fx_pick_tuple(&f, &t);
		b = (ntohl(t.t_dst.w[0]) * 2654435761U) & 255;
		for (k = 0, j = 0, d = 0; k < b; k++)
			if (++d >= w[j]) {
				j = (j + 1) % nitems(w);
				d = 0;
			}
		want = (int)j;
		assert_int_equal(p, want);
		/* Any source, the same server. */
		t = fx_tuple("198.51.100.77", 2000, buf);
		assert_int_equal(fx_pick_tuple(&f, &t), want);
		/* Unavailable: nothing, dh has no fallback. */
		fx_overload(&f, (unsigned)want, true);
		assert_int_equal(fx_pick_tuple(&f, &t), -1);
		fx_overload(&f, (unsigned)want, false);
	}
	fx_teardown(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sh_matches_ipvs_hash),
		cmocka_unit_test(test_sh_stable_and_shared_by_weight),
		cmocka_unit_test(test_sh_fallback_when_unavailable),
		cmocka_unit_test(test_sh_null_when_none_available),
		cmocka_unit_test(test_sh_hashes_ipv6),
		cmocka_unit_test(test_dh_follows_destination),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
