/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wrr: IPVS's order (heaviest first, cw dropping by the gcd per wrap),
 * exact shares per cycle, weight 0 excluded, none available, reload.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sched_fixture.h"

/*
 * Sequences worked by hand from ip_vs_wrr_schedule(): start before the
 * first server with cw = max; on every wrap cw -= gcd, back to max at 0.
 * 4,3,2: cw 4: A; cw 3: A B; cw 2: A B C; cw 1: A B C.
 */
static const struct {
	const char	*name;
	unsigned	 n;
	int32_t		 w[4];
	unsigned	 len;
	int		 seq[12];
} order_cases[] = {
	{ "4 3 2",	3, { 4, 3, 2 },		9, { 0, 0, 1, 0, 1, 2, 0, 1, 2 } },
	{ "gcd 2",	2, { 4, 2 },		3, { 0, 0, 1 } },
	{ "light first", 3, { 1, 2, 3 },	6, { 2, 1, 2, 0, 1, 2 } },
	{ "equal",	3, { 5, 5, 5 },		3, { 0, 1, 2 } },
	{ "weight 0",	4, { 2, 0, 1, 2 },	5, { 0, 3, 0, 2, 3 } },
};

static void
test_wrr_order_when_ipvs_example(void **state)
{
	struct fixture	 f;
	unsigned	 i, round;
	size_t		 c;
	int		 p;

	for (c = 0; c < nitems(order_cases); c++) {
		fx_setup(&f);
		fx_commit(&f, "wrr", order_cases[c].w, order_cases[c].n);
		/* Twice: the cycle repeats from its start. */
		for (round = 0; round < 2; round++) {
			for (i = 0; i < order_cases[c].len; i++) {
				p = fx_pick(&f);
				if (p != order_cases[c].seq[i])
					fail_msg("%s: pick %u is %d, want %d",
					    order_cases[c].name, i, p,
					    order_cases[c].seq[i]);
			}
		}
		fx_teardown(&f);
	}
}

static const struct {
	const char	*name;
	unsigned	 n;
	int32_t		 w[4];
	unsigned	 picks;
	unsigned	 want[4];
} share_cases[] = {
	{ "1:2:3",	3, { 1, 2, 3 },		600,	{ 100, 200, 300 } },
	{ "0 excluded",	3, { 3, 0, 1 },		400,	{ 300, 0, 100 } },
	{ "big equal",	2, { 1000000, 1000000 }, 100,	{ 50, 50 } },
	/* 2^31-1 : 1 is scaled to 65533 : 1 */
	{ "scaled",	2, { 2147483647, 1 },	65534,	{ 65533, 1 } },
};

static void
test_wrr_shares_when_weighted(void **state)
{
	struct fixture	 f;
	unsigned	 got[4], i, k;
	size_t		 c;
	int		 p;

	for (c = 0; c < nitems(share_cases); c++) {
		fx_setup(&f);
		fx_commit(&f, "wrr", share_cases[c].w, share_cases[c].n);
		memset(got, 0, sizeof(got));
		for (k = 0; k < share_cases[c].picks; k++) {
			p = fx_pick(&f);
			assert_true(p >= 0);
			got[p]++;
		}
		for (i = 0; i < share_cases[c].n; i++)
			if (got[i] != share_cases[c].want[i])
				fail_msg("%s: server %u got %u, want %u",
				    share_cases[c].name, i, got[i],
				    share_cases[c].want[i]);
		fx_teardown(&f);
	}
}

static void
test_wrr_null_when_none_available(void **state)
{
	static const int32_t	 w[] = { 0, 0 };
	struct fixture		 f;

	fx_setup(&f);
	fx_commit(&f, "wrr", w, nitems(w));
	assert_int_equal(fx_pick(&f), -1);
	fx_commit(&f, "wrr", w, 0);
	assert_int_equal(fx_pick(&f), -1);
	fx_teardown(&f);
}

static void
test_wrr_follows_weights_after_reload(void **state)
{
	static const int32_t	 w1[] = { 1, 1 };
	static const int32_t	 w2[] = { 0, 2, 1 };
	struct fixture		 f;
	unsigned		 got[3] = { 0 }, k;

	fx_setup(&f);
	fx_commit(&f, "wrr", w1, nitems(w1));
	assert_int_equal(fx_pick(&f), 0);
	fx_commit(&f, "wrr", w2, nitems(w2));
	assert_int_equal(fx_pick(&f), 1);
	for (k = 1; k < 300; k++)
		got[fx_pick(&f)]++;
	assert_int_equal(got[0], 0);
	assert_int_equal(got[1], 199);
	assert_int_equal(got[2], 100);
	fx_teardown(&f);
}

static void
test_wrr_skips_when_overloaded(void **state)
{
	fx_check_overload("wrr");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrr_order_when_ipvs_example),
		cmocka_unit_test(test_wrr_shares_when_weighted),
		cmocka_unit_test(test_wrr_null_when_none_available),
		cmocka_unit_test(test_wrr_follows_weights_after_reload),
		cmocka_unit_test(test_wrr_skips_when_overloaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
