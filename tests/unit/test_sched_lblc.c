/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lblc and lblcr: a destination stays on its server (set) while that is
 * not overloaded, moves (lblcr: replicates) when it is, ages out after
 * 24 hours; IPv6 destinations that fold alike stay apart; weight 0,
 * -x, none available; a full table keeps working.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sched_fixture.h"

static uint32_t	 fake_now = 1000;

static uint32_t
fake_clock(void)
{
	return fake_now;
}

static int
pick_dst(struct fixture *f, const char *dst)
{
	struct tuple	 t = fx_tuple(strchr(dst, ':') != NULL ?
			    "2001:db8::99" : "198.51.100.1", 1234, dst);

	return fx_pick_tuple(f, &t);
}

static void
setup(struct fixture *f, const char *sched, const int32_t *w, unsigned n)
{
	sched_clock = fake_clock;
	fake_now = 1000;
	fx_setup(f);
	fx_commit(f, sched, w, n);
}

static void
test_lblc_locality(void **state)
{
	static const char *const s[] = { "lblc", "lblcr" };
	static const int32_t	 w[] = { 10, 10 };
	struct fixture		 f;
	unsigned		 k;
	size_t			 i;

	for (i = 0; i < nitems(s); i++) {
		setup(&f, s[i], w, nitems(w));
		/* Both idle: wlc's first. */
		assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
		/* Loaded but not overloaded: stays. */
		fx_conns(&f, 0, 10, 50);
		for (k = 0; k < 5; k++)
			assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
		/* Another destination: wlc, the idle one, and it stays. */
		assert_int_equal(pick_dst(&f, "203.0.113.2"), 1);
		fx_conns(&f, 1, 10, 60);
		assert_int_equal(pick_dst(&f, "203.0.113.2"), 1);
		assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
		fx_teardown(&f);
	}
}

/* Overloaded: active > weight while another has < weight / 2. */
static void
test_lblc_moves_when_overloaded(void **state)
{
	static const int32_t	 w[] = { 10, 10 };
	struct fixture		 f;

	setup(&f, "lblc", w, nitems(w));
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
	/* 11 > 10 but the other has 6 (12 >= 10): stays. */
	fx_conns(&f, 0, 11, 0);
	fx_conns(&f, 1, 6, 0);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
	/* The other drops to 4 (8 < 10): moves, and is remembered. */
	fx_conns(&f, 1, 4, 0);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 1);
	fx_conns(&f, 0, 0, 0);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 1);
	/* Quiesced or over -x: moves too. */
	fx_overload(&f, 1, true);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
	fx_overload(&f, 1, false);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
	fx_overload(&f, 0, true);
	fx_overload(&f, 1, true);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), -1);
	fx_teardown(&f);
}

static void
test_lblcr_replicates_when_overloaded(void **state)
{
	static const int32_t	 w[] = { 10, 10, 10 };
	struct fixture		 f;

	setup(&f, "lblcr", w, nitems(w));
	fx_conns(&f, 2, 9, 0);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
	/* Set {0}: 0 overloaded while 1 is idle: wlc adds 1. */
	fx_conns(&f, 0, 11, 0);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 1);
	/* Set {1, 0}: the least loaded member, never 2 (not a member). */
	fx_conns(&f, 1, 3, 0);
	fx_conns(&f, 2, 0, 0);
	fx_conns(&f, 0, 2, 0);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
	fx_conns(&f, 0, 4, 0);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 1);
	/* Unchanged for a day while in use: the busiest member goes. */
	fake_now += 12 * 3600;
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 1);
	fake_now += 12 * 3600 + 1;
	fx_conns(&f, 0, 9, 0);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 1);
	/* Set {1}: 0 is out even once idle. */
	fx_conns(&f, 0, 0, 0);
	assert_int_equal(pick_dst(&f, "203.0.113.1"), 1);
	fx_teardown(&f);
}

static void
test_lblc_expires_after_a_day(void **state)
{
	static const char *const s[] = { "lblc", "lblcr" };
	static const int32_t	 w[] = { 10, 10 };
	struct fixture		 f;
	size_t			 i;

	for (i = 0; i < nitems(s); i++) {
		setup(&f, s[i], w, nitems(w));
		assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
		fx_conns(&f, 0, 3, 0);
		fake_now += 24 * 3600 - 1;
		assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
		fake_now += 24 * 3600;
		/* Forgotten: wlc again. */
		assert_int_equal(pick_dst(&f, "203.0.113.1"), 1);
		fx_teardown(&f);
	}
}

/* 2001:db8::1 and 2001:db8::1:0:0 fold alike; they stay apart. */
static void
test_lblc_ipv6_destinations(void **state)
{
	static const char *const s[] = { "lblc", "lblcr" };
	static const int32_t	 w[] = { 10, 10 };
	struct fixture		 f;
	size_t			 i;

	for (i = 0; i < nitems(s); i++) {
		setup(&f, s[i], w, nitems(w));
		assert_int_equal(pick_dst(&f, "2001:db8::1"), 0);
		fx_conns(&f, 0, 1, 0);
		assert_int_equal(pick_dst(&f, "2001:db8::1:0:0"), 1);
		fx_conns(&f, 1, 2, 0);
		assert_int_equal(pick_dst(&f, "2001:db8::1"), 0);
		assert_int_equal(pick_dst(&f, "2001:db8::1:0:0"), 1);
		fx_teardown(&f);
	}
}

/* Far more destinations than entries: every pick still valid. */
static void
test_lblc_full_table(void **state)
{
	static const char *const s[] = { "lblc", "lblcr" };
	static const int32_t	 w[] = { 1, 2, 3 };
	struct fixture		 f;
	char			 buf[32];
	unsigned		 k, got[3];
	size_t			 i;
	int			 p;

	for (i = 0; i < nitems(s); i++) {
		setup(&f, s[i], w, nitems(w));
		memset(got, 0, sizeof(got));
		for (k = 0; k < 40000; k++) {
			snprintf(buf, sizeof(buf), "10.%u.%u.%u",
			    (k >> 16) & 255, (k >> 8) & 255, k & 255);
			p = pick_dst(&f, buf);
			assert_true(p >= 0 && p < 3);
			got[p]++;
			fx_conns(&f, (unsigned)p, 0, (int32_t)got[p]);
			fake_now += k % 2;
		}
		/* New destinations follow wlc: shares by weight. */
		assert_true(got[2] > got[1] && got[1] > got[0]);
		/* The latest destination is still remembered. */
		fx_conns(&f, (unsigned)p, 0, 0);
		assert_int_equal(pick_dst(&f, buf), p);
		fx_teardown(&f);
	}
}

/* A new snapshot keeps the mappings of servers that stay. */
static void
test_lblc_keeps_locality_across_reload(void **state)
{
	static const char *const s[] = { "lblc", "lblcr" };
	static const int32_t	 w2[] = { 10, 10 }, w3[] = { 10, 10, 10 };
	struct fixture		 f;
	size_t			 i;

	for (i = 0; i < nitems(s); i++) {
		setup(&f, s[i], w2, nitems(w2));
		assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
		fx_conns(&f, 0, 5, 0);
		assert_int_equal(pick_dst(&f, "203.0.113.2"), 1);
		fx_conns(&f, 1, 5, 0);
		/* A third, idle server: wlc would pick it for both. */
		fx_commit(&f, s[i], w3, nitems(w3));
		assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
		assert_int_equal(pick_dst(&f, "203.0.113.2"), 1);
		assert_int_equal(pick_dst(&f, "203.0.113.3"), 2);
		/* 10.0.0.2 and .3 go: their destinations fall back to wlc. */
		fx_commit(&f, s[i], w3, 1);
		assert_int_equal(pick_dst(&f, "203.0.113.2"), 0);
		fx_commit(&f, s[i], w3, 3);
		fx_conns(&f, 1, 0, 0);
		fx_conns(&f, 2, 0, 0);
		assert_int_equal(pick_dst(&f, "203.0.113.1"), 0);
		assert_int_equal(pick_dst(&f, "203.0.113.2"), 0);
		assert_int_equal(pick_dst(&f, "203.0.113.3"), 1);
		fx_teardown(&f);
	}
}

static void
test_lblc_null_when_none_available(void **state)
{
	static const char *const s[] = { "lblc", "lblcr" };
	static const int32_t	 w[] = { 0, 0 };
	struct fixture		 f;
	size_t			 i;

	for (i = 0; i < nitems(s); i++) {
		setup(&f, s[i], w, nitems(w));
		assert_int_equal(pick_dst(&f, "203.0.113.1"), -1);
		fx_commit(&f, s[i], w, 0);
		assert_int_equal(pick_dst(&f, "203.0.113.1"), -1);
		fx_teardown(&f);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lblc_locality),
		cmocka_unit_test(test_lblc_moves_when_overloaded),
		cmocka_unit_test(test_lblcr_replicates_when_overloaded),
		cmocka_unit_test(test_lblc_expires_after_a_day),
		cmocka_unit_test(test_lblc_ipv6_destinations),
		cmocka_unit_test(test_lblc_full_table),
		cmocka_unit_test(test_lblc_keeps_locality_across_reload),
		cmocka_unit_test(test_lblc_null_when_none_available),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
