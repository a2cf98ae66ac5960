/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ICMP token bucket (ratelimit.c), with the time injected: each case
 * is a list of steps (a time in ms, how many messages are tried then,
 * how many must go), run on a fresh bucket.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "ratelimit.h"
#include "util.h"

#define STEPS	6

struct step {
	uint64_t	 at;		/* ms */
	uint32_t	 tries;
	uint32_t	 allowed;
};

static const struct {
	const char	*name;
	uint32_t	 rate, burst;
	struct step	 steps[STEPS];	/* ends at tries == 0 */
} cases[] = {
	{ "starts full, then empty", 1000, 50, {
		{ 5000, 80, 50 }, { 5000, 10, 0 } } },
	{ "under 20 ms: no refill", 1000, 50, {
		{ 5000, 50, 50 }, { 5019, 5, 0 } } },
	{ "20 ms: 20 tokens", 1000, 50, {
		{ 5000, 50, 50 }, { 5020, 30, 20 } } },
	{ "a second refills to the burst only", 1000, 50, {
		{ 5000, 50, 50 }, { 6000, 100, 50 } } },
	{ "steady 1000/s in 20 ms steps", 1000, 50, {
		{ 100, 50, 50 }, { 120, 25, 20 }, { 140, 25, 20 },
		{ 160, 25, 20 }, { 180, 25, 20 } } },
	{ "slow rate: tokens add up over steps", 10, 5, {
		{ 1000, 5, 5 }, { 1050, 1, 0 }, { 1099, 1, 0 },
		{ 1100, 2, 1 }, { 1300, 3, 2 } } },
	{ "clock going back refills nothing", 1000, 50, {
		{ 9000, 50, 50 }, { 8000, 5, 0 }, { 9010, 5, 0 },
		{ 9020, 30, 20 } } },
	{ "a long pause does not overflow", 4000000000u, 7, {
		{ 1, 7, 7 }, { UINT64_C(1) << 62, 9, 7 } } },
	{ "time 0 works", 1000, 3, {
		{ 0, 4, 3 }, { 20, 30, 3 } } },
	{ "burst 0 never allows", 1000, 0, {
		{ 5000, 3, 0 }, { 7000, 3, 0 } } },
};

static void
test_table(void **state)
{
	struct tbucket	 tb;
	const struct step *s;
	uint32_t	 n, i;
	size_t		 k, j;

	(void)state;
	for (k = 0; k < nitems(cases); k++) {
		memset(&tb, 0, sizeof(tb));
		for (j = 0; j < STEPS && cases[k].steps[j].tries != 0; j++) {
			s = &cases[k].steps[j];
			for (n = i = 0; i < s->tries; i++)
				n += tbucket_allow(&tb, s->at, cases[k].rate,
				    cases[k].burst);
			if (n != s->allowed)
				fail_msg("%s: step %zu: %u of %u allowed, "
				    "want %u", cases[k].name, j, n, s->tries,
				    s->allowed);
		}
	}
}

/* The clock moves forward and in milliseconds. */
static void
test_clock(void **state)
{
	uint64_t	 a, b;

	(void)state;
	a = ratelimit_now_ms();
	b = ratelimit_now_ms();
	assert_true(a > 0);
	assert_true(b >= a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
