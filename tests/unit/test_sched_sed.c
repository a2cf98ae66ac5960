/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sed and nq: least (active + 1) / weight, nq taking an idle server at
 * once; inactive connections play no part; weight 0, none, shares.
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
	int32_t		 inact[4];
	int		 want;		/* -1: none */
} cases[] = {
	{ "sed idle: heavier",	"sed", 2, { 1, 3 }, { 0, 0 }, { 0, 0 },	1 },
	{ "sed tie: first",	"sed", 2, { 1, 3 }, { 0, 2 }, { 0, 0 },	0 },
	{ "sed 1/1 < 4/3",	"sed", 2, { 1, 3 }, { 0, 3 }, { 0, 0 },	0 },
	{ "sed inactive no part", "sed", 2, { 1, 1 }, { 1, 0 }, { 0, 99 }, 1 },
	{ "sed weight 0",	"sed", 3, { 0, 1, 1 }, { 0, 2, 1 }, { 0 }, 2 },
	{ "sed none",		"sed", 2, { 0, 0 }, { 0, 0 }, { 0, 0 },	-1 },
	{ "sed no servers",	"sed", 0, { 0 }, { 0 }, { 0 },		-1 },
	{ "nq idle: first",	"nq",  2, { 1, 3 }, { 0, 0 }, { 0, 0 },	0 },
	{ "nq idle wins",	"nq",  3, { 9, 9, 1 }, { 1, 2, 0 }, { 0 }, 2 },
	{ "nq idle, inactive",	"nq",  2, { 1, 1 }, { 3, 0 }, { 0, 50 }, 1 },
	{ "nq busy: as sed",	"nq",  2, { 1, 3 }, { 1, 2 }, { 0, 0 },	1 },
	{ "nq busy tie: first",	"nq",  2, { 1, 3 }, { 1, 5 }, { 0, 0 },	0 },
	{ "nq weight 0 idle",	"nq",  2, { 0, 1 }, { 0, 5 }, { 0, 0 },	1 },
	{ "nq none",		"nq",  1, { 0 }, { 0 }, { 0 },		-1 },
};

static void
test_sed_pick_cases(void **state)
{
	struct fixture	 f;
	unsigned	 i;
	size_t		 c;
	int		 p;

	for (c = 0; c < nitems(cases); c++) {
		fx_setup(&f);
		fx_commit(&f, cases[c].sched, cases[c].w, cases[c].n);
		for (i = 0; i < cases[c].n; i++)
			fx_conns(&f, i, cases[c].act[i], cases[c].inact[i]);
		p = fx_pick(&f);
		if (p != cases[c].want)
			fail_msg("%s: picked %d, want %d", cases[c].name, p,
			    cases[c].want);
		fx_teardown(&f);
	}
}

/* Every pick becomes an active connection: shares follow the weights. */
static void
test_sed_shares_when_loaded(void **state)
{
	static const char *const scheds[] = { "sed", "nq" };
	static const int32_t	 w[] = { 1, 2, 3, 0 };
	struct fixture		 f;
	int32_t			 act[4];
	unsigned		 k, i, want;
	size_t			 s;
	int			 p;

	for (s = 0; s < nitems(scheds); s++) {
		fx_setup(&f);
		fx_commit(&f, scheds[s], w, nitems(w));
		memset(act, 0, sizeof(act));
		for (k = 0; k < 600; k++) {
			p = fx_pick(&f);
			assert_true(p >= 0 && p < 3);
			act[p]++;
			fx_conns(&f, (unsigned)p, act[p], 0);
		}
		for (i = 0; i < 4; i++) {
			want = 600 * (unsigned)w[i] / 6;
			if (act[i] + 1 < (int32_t)want ||
			    act[i] > (int32_t)want + 1)
				fail_msg("%s: server %u has %d, want %u +- 1",
				    scheds[s], i, act[i], want);
		}
		fx_teardown(&f);
	}
}

static void
test_sed_skips_when_overloaded(void **state)
{
	fx_check_overload("sed");
	fx_check_overload("nq");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sed_pick_cases),
		cmocka_unit_test(test_sed_shares_when_loaded),
		cmocka_unit_test(test_sed_skips_when_overloaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
