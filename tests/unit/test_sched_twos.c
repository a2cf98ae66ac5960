/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * twos: two weighted random draws, the lighter (overhead / weight) wins;
 * shares follow the weights, weight 0 and overloaded servers get none.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sched_fixture.h"

#define PICKS	6000

static const struct {
	const char	*name;
	unsigned	 n;
	int32_t		 w[4];
	int		 over;		/* overloaded server or -1 */
	bool		 load;		/* picks become connections */
	unsigned	 want[4];	/* share in percent, +- 4 */
} share_cases[] = {
	/* IPVS draws in [0, sum]: the first server has one more chance. */
	{ "idle: by weight",	3, { 1, 2, 3 },	   -1, false, { 29, 29, 43 } },
	{ "loaded: by weight",	3, { 1, 2, 3 },	   -1, true,  { 17, 33, 50 } },
	{ "weight 0",		3, { 1, 0, 1 },	   -1, true,  { 50, 0, 50 } },
	{ "overloaded",		4, { 1, 1, 1, 1 }, 2,  true,  { 33, 33, 0, 33 } },
	{ "one",		1, { 5 },	   -1, true,  { 100 } },
};

static void
test_twos_shares_cases(void **state)
{
	struct fixture	 f;
	unsigned	 got[4], i, k;
	size_t		 c;
	int		 p;

	for (c = 0; c < nitems(share_cases); c++) {
		fx_setup(&f);
		fx_commit(&f, "twos", share_cases[c].w, share_cases[c].n);
		if (share_cases[c].over >= 0)
			fx_overload(&f, (unsigned)share_cases[c].over, true);
		memset(got, 0, sizeof(got));
		for (k = 0; k < PICKS; k++) {
			p = fx_pick(&f);
			assert_true(p >= 0);
			got[p]++;
			if (share_cases[c].load)
				fx_conns(&f, (unsigned)p, (int32_t)got[p], 0);
		}
		for (i = 0; i < share_cases[c].n; i++)
			if (got[i] * 100 + 4 * PICKS <
			    share_cases[c].want[i] * PICKS ||
			    got[i] * 100 >
			    (share_cases[c].want[i] + 4) * PICKS)
				fail_msg("%s: server %u got %u of %u, want "
				    "%u%%", share_cases[c].name, i, got[i],
				    PICKS, share_cases[c].want[i]);
		fx_teardown(&f);
	}
}

/* Load evens out: a server far behind its share wins most draws. */
static void
test_twos_prefers_lighter(void **state)
{
	static const int32_t	 w[] = { 1, 1 };
	struct fixture		 f;
	unsigned		 k, got = 0;

	fx_setup(&f);
	fx_commit(&f, "twos", w, nitems(w));
	fx_conns(&f, 0, 100, 0);
	for (k = 0; k < 1000; k++)
		got += fx_pick(&f) == 1;
	/* Only two draws both on 0 (2 chances in 3 each) pick 0: 4/9. */
	assert_true(got > 480 && got < 630);
	fx_teardown(&f);
}

static void
test_twos_null_when_none_available(void **state)
{
	static const int32_t	 w[] = { 0, 3, 0 };
	struct fixture		 f;

	fx_setup(&f);
	fx_commit(&f, "twos", w, nitems(w));
	assert_int_equal(fx_pick(&f), 1);
	fx_overload(&f, 1, true);
	assert_int_equal(fx_pick(&f), -1);
	fx_commit(&f, "twos", w, 0);
	assert_int_equal(fx_pick(&f), -1);
	fx_teardown(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twos_shares_cases),
		cmocka_unit_test(test_twos_prefers_lighter),
		cmocka_unit_test(test_twos_null_when_none_available),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
