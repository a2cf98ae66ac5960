/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stats.c: the rate estimator against values worked out by hand from
 * the kernel's ip_vs_est.c arithmetic (2 s ticks, rates scaled by 2^10
 * and 2^5, EWMA weight 1/4 with an arithmetic shift, rounded read-back),
 * -Z (counters and rates read 0, the next tick measures from there),
 * slots summed over workers, unused slots left alone, and a slot handed
 * out again starting from nothing.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"

#define NW	2		/* workers */

static struct wstats	*ws[NW];

static int
setup(void **state)
{
	unsigned	 i;

	for (i = 0; i < NW; i++)
		if ((ws[i] = calloc(1, sizeof(*ws[i]))) == NULL)
			return -1;
	return 0;
}

static int
teardown(void **state)
{
	unsigned	 i;

	for (i = 0; i < NW; i++)
		free(ws[i]);
	return 0;
}

/* What workers do between two ticks, split over both of them. */
static void
add(uint32_t slot, uint64_t conns, uint64_t inpkts, uint64_t outpkts,
    uint64_t inbytes, uint64_t outbytes)
{
	struct counters	*a = &ws[0]->ws_slot[slot], *b = &ws[1]->ws_slot[slot];

	a->cn_conns += conns / 2;
	b->cn_conns += conns - conns / 2;
	a->cn_inpkts += inpkts;
	b->cn_outpkts += outpkts;
	a->cn_inbytes += inbytes / 3;
	b->cn_inbytes += inbytes - inbytes / 3;
	b->cn_outbytes += outbytes;
}

/*
 * Per 2 s tick: what arrived, and the rates ipvsadm --rate shows after
 * it.  E.g. tick 1: 100 connections -> rate 100 << 9 = 51200, average
 * 0 + 51200 / 4 = 12800, shown (12800 + 0x1FF) >> 10 = 12; tick 2:
 * 12800 + (51200 - 12800) / 4 = 22400 -> 22; bytes: 10^6 << 4 / 4 =
 * 4000000 -> (4000000 + 0xF) >> 5 = 125000.  Tick 6 falls: (3584 -
 * 16650) >> 2 = -3267 (floor, as the kernel's signed shift).
 */
static const struct {
	uint64_t	 d[5];		/* conns inpkts outpkts inbytes outbytes */
	uint64_t	 want[5];	/* cps inpps outpps inbps outbps */
} est_cases[] = {
	{ { 100, 1000, 500, 1000000, 64000 }, { 12, 125, 62, 125000, 8000 } },
	{ { 100, 1000, 0, 1000000, 64000 },   { 22, 219, 47, 218750, 14000 } },
	{ { 100, 1, 0, 1000000, 0 },	      { 29, 164, 35, 289062, 10500 } },
	{ { 0, 0, 0, 0, 0 },		      { 22, 123, 26, 216797, 7875 } },
	{ { 0, 0, 0, 0, 0 },		      { 16, 92, 20, 162598, 5906 } },
	{ { 7, 3, 1, 333, 77 },		      { 13, 70, 15, 121990, 4439 } },
};

static void
check_rates(uint32_t slot, const uint64_t *want, size_t tick)
{
	struct rates	 r;

	stats_get(ws, NW, slot, NULL, &r);
	if (r.r_cps != want[0] || r.r_inpps != want[1] ||
	    r.r_outpps != want[2] || r.r_inbps != want[3] ||
	    r.r_outbps != want[4])
		fail_msg("tick %zu: %llu %llu %llu %llu %llu, want %llu %llu "
		    "%llu %llu %llu", tick, (unsigned long long)r.r_cps,
		    (unsigned long long)r.r_inpps,
		    (unsigned long long)r.r_outpps,
		    (unsigned long long)r.r_inbps,
		    (unsigned long long)r.r_outbps,
		    (unsigned long long)want[0], (unsigned long long)want[1],
		    (unsigned long long)want[2], (unsigned long long)want[3],
		    (unsigned long long)want[4]);
}

static uint32_t
new_slot(void)
{
	int	 s = stats_slot_alloc();

	assert_true(s >= 0);
	stats_zero_slot(ws, NW, (uint32_t)s);
	return (uint32_t)s;
}

static void
test_stats_estimate_cases(void **state)
{
	uint32_t	 slot = new_slot();
	struct counters	 c;
	size_t		 i;

	for (i = 0; i < nitems(est_cases); i++) {
		add(slot, est_cases[i].d[0], est_cases[i].d[1],
		    est_cases[i].d[2], est_cases[i].d[3], est_cases[i].d[4]);
		stats_estimate(ws, NW);
		check_rates(slot, est_cases[i].want, i + 1);
	}
	stats_get(ws, NW, slot, &c, NULL);
	assert_int_equal(c.cn_conns, 307);
	assert_int_equal(c.cn_inpkts, 2004);
	assert_int_equal(c.cn_outpkts, 501);
	assert_int_equal(c.cn_inbytes, 3000333);
	assert_int_equal(c.cn_outbytes, 128077);
	stats_slot_free(slot);
}

/* -Z: everything reads 0, and the estimator starts again from there. */
static void
test_stats_zero_when_counting(void **state)
{
	static const uint64_t	 zero[5];
	uint32_t		 slot = new_slot(), other = new_slot();
	struct counters		 c;

	add(slot, 100, 1000, 500, 1000000, 64000);
	add(other, 1, 1, 1, 1, 1);
	stats_estimate(ws, NW);
	stats_zero(ws, NW, slot);
	stats_get(ws, NW, slot, &c, NULL);
	assert_int_equal(c.cn_conns + c.cn_inpkts + c.cn_outpkts +
	    c.cn_inbytes + c.cn_outbytes, 0);
	check_rates(slot, zero, 0);
	/* The other slot is untouched. */
	stats_get(ws, NW, other, &c, NULL);
	assert_int_equal(c.cn_conns, 1);
	/* Counting goes on from the new base: as a fresh first tick. */
	add(slot, 100, 1000, 500, 1000000, 64000);
	stats_estimate(ws, NW);
	check_rates(slot, est_cases[0].want, 1);
	stats_get(ws, NW, slot, &c, NULL);
	assert_int_equal(c.cn_conns, 100);
	assert_int_equal(c.cn_outbytes, 64000);
	stats_slot_free(slot);
	stats_slot_free(other);
}

/* Slots not handed out are not estimated; a slot handed out again is new. */
static void
test_stats_slot_when_handed_out_again(void **state)
{
	static const uint64_t	 zero[5];
	int			*held;
	uint32_t		 slot = new_slot(), spare;
	struct counters		 c;
	int			 s, n = 0;

	add(slot, 50, 50, 50, 50, 50);
	stats_estimate(ws, NW);
	stats_zero(ws, NW, slot);
	add(slot, 10, 10, 10, 10, 10);
	stats_estimate(ws, NW);
	stats_slot_free(slot);

	/* Free: its counters move, nobody estimates them. */
	spare = slot;
	add(spare, 1000, 1000, 1000, 1000, 1000);
	stats_estimate(ws, NW);

	/* Take every slot until this one comes back. */
	held = calloc(STATS_SLOTS, sizeof(*held));
	assert_non_null(held);
	while ((s = stats_slot_alloc()) >= 0 && (uint32_t)s != slot)
		held[n++] = s;
	assert_int_equal(s, (int)slot);
	stats_zero_slot(ws, NW, slot);	/* as table.c does */
	check_rates(slot, zero, 0);
	add(slot, 5, 0, 0, 0, 0);
	stats_get(ws, NW, slot, &c, NULL);
	assert_int_equal(c.cn_conns, 5);
	while (n > 0)
		stats_slot_free((uint32_t)held[--n]);
	free(held);
	stats_slot_free(slot);
}

static void
test_stats_drop_names(void **state)
{
	int	 i;

	for (i = 0; i < DROP__MAX; i++)
		assert_string_not_equal(drop_name(i), "?");
	assert_string_equal(drop_name(DROP_NODEST_CONN), "nodest-conn");
	assert_string_equal(drop_name(DROP__MAX), "?");
	assert_string_equal(drop_name(-1), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_estimate_cases),
		cmocka_unit_test(test_stats_zero_when_counting),
		cmocka_unit_test(test_stats_slot_when_handed_out_again),
		cmocka_unit_test(test_stats_drop_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
