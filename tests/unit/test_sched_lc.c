/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lc: least overhead (active * 256 + inactive), ties first, weight 0 out. */
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
	int32_t		 w[4];
	int32_t		 act[4];
	int32_t		 inact[4];
	int		 want;		/* -1: none */
} cases[] = {
	{ "idle: first",	3, { 1, 1, 1 }, { 0, 0, 0 }, { 0, 0, 0 }, 0 },
	{ "fewest active",	3, { 1, 1, 1 }, { 2, 1, 3 }, { 0, 0, 0 }, 1 },
	{ "inactive counts",	3, { 1, 1, 1 }, { 0, 0, 0 }, { 4, 2, 3 }, 1 },
	{ "255 inactive < 1",	2, { 1, 1 },	{ 1, 0 },    { 0, 255 },  1 },
	{ "256 inactive = 1",	2, { 1, 1 },	{ 1, 0 },    { 0, 256 },  0 },
	{ "weight ignored",	2, { 1, 100 },	{ 1, 2 },    { 0, 0 },	  0 },
	{ "weight 0 skipped",	2, { 0, 1 },	{ 0, 5 },    { 0, 0 },	  1 },
	{ "negative is 0",	2, { 1, 1 },	{ 1, -3 },   { 0, 0 },	  1 },
	{ "none available",	2, { 0, 0 },	{ 0, 0 },    { 0, 0 },	  -1 },
	{ "no servers",		0, { 0 },	{ 0 },	     { 0 },	  -1 },
};

static void
test_lc_pick_cases(void **state)
{
	struct fixture	 f;
	unsigned	 i;
	size_t		 c;
	int		 p;

	for (c = 0; c < nitems(cases); c++) {
		fx_setup(&f);
		fx_commit(&f, "lc", cases[c].w, cases[c].n);
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
test_lc_counts_survive_reload(void **state)
{
	static const int32_t	 w[] = { 1, 1 }, w2[] = { 1, 1, 1 };
	struct fixture		 f;

	fx_setup(&f);
	fx_commit(&f, "lc", w, nitems(w));
	fx_conns(&f, 0, 3, 0);
	fx_conns(&f, 1, 1, 0);
	/* Same servers plus an idle one: the old counts still steer. */
	fx_commit(&f, "lc", w2, nitems(w2));
	assert_int_equal(f.f_svc->svc_rs[0].rs_st->rss_active, 3);
	assert_int_equal(fx_pick(&f), 2);
	fx_conns(&f, 2, 2, 0);
	assert_int_equal(fx_pick(&f), 1);
	fx_teardown(&f);
}

static void
test_lc_skips_when_overloaded(void **state)
{
	fx_check_overload("lc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lc_pick_cases),
		cmocka_unit_test(test_lc_counts_survive_reload),
		cmocka_unit_test(test_lc_skips_when_overloaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
