/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rr: exact turns, quiesced servers skipped, none available, reload. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sched_fixture.h"

static const struct {
	const char	*name;
	unsigned	 n;
	int32_t		 w[5];
	unsigned	 picks;
	unsigned	 want[5];	/* picks per server */
} share_cases[] = {
	{ "three equal",	3, { 1, 1, 1 },		3000, { 1000, 1000, 1000 } },
	{ "weights ignored",	3, { 1, 5, 100 },	3000, { 1000, 1000, 1000 } },
	{ "weight 0 skipped",	3, { 1, 0, 1 },		3000, { 1500, 0, 1500 } },
	{ "one server",		1, { 7 },		10,   { 10 } },
	{ "uneven count",	3, { 1, 1, 1 },		3001, { 1001, 1000, 1000 } },
	{ "only the last",	5, { 0, 0, 0, 0, 2 },	50,   { 0, 0, 0, 0, 50 } },
};

static void
test_rr_shares_when_cycling(void **state)
{
	struct fixture	 f;
	unsigned	 got[5], i, k;
	size_t		 c;
	int		 p;

	for (c = 0; c < nitems(share_cases); c++) {
		fx_setup(&f);
		fx_commit(&f, "rr", share_cases[c].w, share_cases[c].n);
		memset(got, 0, sizeof(got));
		for (k = 0; k < share_cases[c].picks; k++) {
			p = fx_pick(&f);
			assert_true(p >= 0);
			got[p]++;
		}
		for (i = 0; i < share_cases[c].n; i++) {
			if (got[i] != share_cases[c].want[i])
				fail_msg("%s: server %u got %u, want %u",
				    share_cases[c].name, i, got[i],
				    share_cases[c].want[i]);
		}
		fx_teardown(&f);
	}
}

static void
test_rr_order_when_cycling(void **state)
{
	static const int32_t	 w[] = { 1, 0, 1, 1 };
	static const int	 want[] = { 0, 2, 3, 0, 2, 3, 0 };
	struct fixture		 f;
	size_t			 i;

	fx_setup(&f);
	fx_commit(&f, "rr", w, nitems(w));
	for (i = 0; i < nitems(want); i++)
		assert_int_equal(fx_pick(&f), want[i]);
	fx_teardown(&f);
}

static void
test_rr_null_when_none_available(void **state)
{
	static const int32_t	 w[] = { 0, 0, 0 };
	struct fixture		 f;

	fx_setup(&f);
	fx_commit(&f, "rr", w, nitems(w));
	assert_int_equal(fx_pick(&f), -1);
	fx_commit(&f, "rr", w, 0);
	assert_int_equal(fx_pick(&f), -1);
	fx_teardown(&f);
}

static void
test_rr_cycles_after_reload(void **state)
{
	static const int32_t	 w1[] = { 1, 1 };
	static const int32_t	 w2[] = { 1, 1, 1, 0 };
	struct fixture		 f;
	unsigned		 got[4] = { 0 }, k;

	fx_setup(&f);
	fx_commit(&f, "rr", w1, nitems(w1));
	assert_int_equal(fx_pick(&f), 0);
	fx_commit(&f, "rr", w2, nitems(w2));
	for (k = 0; k < 300; k++)
		got[fx_pick(&f)]++;
	assert_int_equal(got[0], 100);
	assert_int_equal(got[1], 100);
	assert_int_equal(got[2], 100);
	assert_int_equal(got[3], 0);
	fx_teardown(&f);
}

static void
test_rr_skips_when_overloaded(void **state)
{
	fx_check_overload("rr");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rr_shares_when_cycling),
		cmocka_unit_test(test_rr_order_when_cycling),
		cmocka_unit_test(test_rr_null_when_none_available),
		cmocka_unit_test(test_rr_cycles_after_reload),
		cmocka_unit_test(test_rr_skips_when_overloaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
