/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fo and ovf: the heaviest available server (first among equals); ovf
 * moves on once its active connections exceed its weight.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sched_fixture.h"

static const struct {
	const char	*name;
	const char	*sched;
	unsigned	 n;
	int32_t		 w[4];
	int32_t		 act[4];
	int		 over;		/* overloaded (-x) server or -1 */
	int		 want;		/* -1: none */
} cases[] = {
	{ "fo heaviest",	"fo",  3, { 1, 3, 2 },	{ 0, 9, 0 },	-1, 1 },
	{ "fo first of equals",	"fo",  3, { 1, 3, 3 },	{ 0, 0, 0 },	-1, 1 },
	{ "fo overloaded",	"fo",  3, { 1, 3, 2 },	{ 0 },		1,  2 },
	{ "fo weight 0",	"fo",  2, { 0, 1 },	{ 0 },		-1, 1 },
	{ "fo none",		"fo",  2, { 0, 0 },	{ 0 },		-1, -1 },
	{ "fo no servers",	"fo",  0, { 0 },	{ 0 },		-1, -1 },
	{ "ovf heaviest",	"ovf", 3, { 2, 5, 5 },	{ 0, 0, 0 },	-1, 1 },
	{ "ovf at weight",	"ovf", 3, { 2, 5, 5 },	{ 0, 5, 0 },	-1, 1 },
	{ "ovf overflow",	"ovf", 3, { 2, 5, 5 },	{ 0, 6, 0 },	-1, 2 },
	{ "ovf to lighter",	"ovf", 3, { 2, 5, 5 },	{ 0, 6, 6 },	-1, 0 },
	{ "ovf all full",	"ovf", 3, { 2, 5, 5 },	{ 3, 6, 6 },	-1, -1 },
	{ "ovf overloaded",	"ovf", 3, { 2, 5, 5 },	{ 0 },		1,  2 },
	{ "ovf weight 0",	"ovf", 2, { 0, 1 },	{ 0, 0 },	-1, 1 },
	{ "ovf none",		"ovf", 1, { 0 },	{ 0 },		-1, -1 },
};

static void
test_fo_pick_cases(void **state)
{
	struct fixture	 f;
	unsigned	 i;
	size_t		 c;
	int		 p;

	for (c = 0; c < nitems(cases); c++) {
		fx_setup(&f);
		fx_commit(&f, cases[c].sched, cases[c].w, cases[c].n);
		for (i = 0; i < cases[c].n; i++)
			fx_conns(&f, i, cases[c].act[i], 0);
		if (cases[c].over >= 0)
			fx_overload(&f, (unsigned)cases[c].over, true);
		p = fx_pick(&f);
		if (p != cases[c].want)
			fail_msg("%s: picked %d, want %d", cases[c].name, p,
			    cases[c].want);
		fx_teardown(&f);
	}
}

/* fo sends everything to one; ovf fills servers in weight order. */
static void
test_fo_shares_when_loaded(void **state)
{
	static const int32_t	 w[] = { 2, 4, 0, 3 };
	struct fixture		 f;
	int32_t			 act[4] = { 0 };
	unsigned		 k;
	int			 p;

	fx_setup(&f);
	fx_commit(&f, "fo", w, nitems(w));
	for (k = 0; k < 100; k++) {
		p = fx_pick(&f);
		assert_int_equal(p, 1);
		fx_conns(&f, 1, (int32_t)k + 1, 0);
	}
	fx_commit(&f, "ovf", w, nitems(w));
	for (k = 0; k < 4; k++)
		fx_conns(&f, k, 0, 0);
	/* 1 takes 5 (active > 4 stops it), then 3 takes 4, then 0 takes 3. */
	for (k = 0; k < 12; k++) {
		p = fx_pick(&f);
		assert_true(p >= 0);
		act[p]++;
		fx_conns(&f, (unsigned)p, act[p], 0);
	}
	assert_int_equal(act[1], 5);
	assert_int_equal(act[3], 4);
	assert_int_equal(act[0], 3);
	assert_int_equal(act[2], 0);
	assert_int_equal(fx_pick(&f), -1);
	fx_teardown(&f);
}

static void
test_fo_skips_when_overloaded(void **state)
{
	fx_check_overload("fo");
	fx_check_overload("ovf");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fo_pick_cases),
		cmocka_unit_test(test_fo_shares_when_loaded),
		cmocka_unit_test(test_fo_skips_when_overloaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
