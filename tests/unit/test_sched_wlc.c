/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wlc: least overhead / weight, ties first, weight 0 out, none. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sched_fixture.h"

#define WMAX	2147483647

static const struct {
	const char	*name;
	unsigned	 n;
	int32_t		 w[4];
	int32_t		 act[4];
	int32_t		 inact[4];
	int		 want;		/* -1: none */
} cases[] = {
	{ "idle: first",	2, { 2, 1 },	{ 0, 0 },    { 0, 0 },	  0 },
	{ "heavier wins",	2, { 1, 2 },	{ 1, 1 },    { 0, 0 },	  1 },
	{ "tie: first",		2, { 1, 3 },	{ 1, 3 },    { 0, 0 },	  0 },
	{ "256 vs 384",		2, { 1, 2 },	{ 1, 3 },    { 0, 0 },	  0 },
	{ "inactive",		3, { 1, 1, 1 },	{ 0, 0, 0 }, { 10, 5, 7 }, 1 },
	{ "inactive/weight",	3, { 1, 2, 4 },	{ 0, 0, 0 }, { 3, 5, 11 }, 1 },
	{ "no 32-bit overflow",	2, { WMAX, WMAX }, { 1000000, 999999 },
						     { 0, 0 },	  1 },
	{ "big weight",		2, { 1, WMAX },	{ 0, 8000000 }, { 1, 0 },  1 },
	{ "weight 0 skipped",	2, { 0, 1 },	{ 0, 9 },    { 0, 0 },	  1 },
	{ "weight 0 at end",	3, { 1, 1, 0 },	{ 4, 2, 0 }, { 0, 0, 0 }, 1 },
	{ "none available",	2, { 0, 0 },	{ 0, 0 },    { 0, 0 },	  -1 },
	{ "no servers",		0, { 0 },	{ 0 },	     { 0 },	  -1 },
};

static void
test_wlc_pick_cases(void **state)
{
	struct fixture	 f;
	unsigned	 i;
	size_t		 c;
	int		 p;

	for (c = 0; c < nitems(cases); c++) {
		fx_setup(&f);
		fx_commit(&f, "wlc", cases[c].w, cases[c].n);
		for (i = 0; i < cases[c].n; i++)
			fx_conns(&f, i, cases[c].act[i], cases[c].inact[i]);
		p = fx_pick(&f);
		if (p != cases[c].want)
			fail_msg("%s: picked %d, want %d", cases[c].name, p,
			    cases[c].want);
		fx_teardown(&f);
	}
}

static void
test_wlc_is_the_default(void **state)
{
	static const int32_t	 w[] = { 1, 3 };
	struct fixture		 f;

	fx_setup(&f);
	/* An empty scheduler name means IPVS's default. */
	fx_commit(&f, "", w, nitems(w));
	assert_ptr_equal(f.f_svc->svc_sched, &sched_wlc);
	assert_ptr_equal(sched_find(SCHED_DEFAULT), &sched_wlc);
	fx_conns(&f, 0, 1, 0);
	fx_conns(&f, 1, 2, 0);
	assert_int_equal(fx_pick(&f), 1);
	fx_teardown(&f);
}

static void
test_wlc_follows_weights_after_reload(void **state)
{
	static const int32_t	 w1[] = { 1, 1 }, w2[] = { 1, 4 };
	struct fixture		 f;

	fx_setup(&f);
	fx_commit(&f, "wlc", w1, nitems(w1));
	fx_conns(&f, 0, 1, 0);
	fx_conns(&f, 1, 2, 0);
	assert_int_equal(fx_pick(&f), 0);
	fx_commit(&f, "wlc", w2, nitems(w2));
	assert_int_equal(fx_pick(&f), 1);
	fx_teardown(&f);
}

static void
test_wlc_skips_when_overloaded(void **state)
{
	fx_check_overload("wlc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wlc_pick_cases),
		cmocka_unit_test(test_wlc_is_the_default),
		cmocka_unit_test(test_wlc_follows_weights_after_reload),
		cmocka_unit_test(test_wlc_skips_when_overloaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
