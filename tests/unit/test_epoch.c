/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Epochs: scripted defer/report/reclaim sequences with 0, 1 and 2
 * readers, offline readers, frees exactly once, and a bounded threaded
 * smoke test in which readers check what they load was not freed.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "epoch.h"
#include "util.h"

#define ITEMS_MAX	8

static unsigned	 freed[ITEMS_MAX];

static void
count_free(void *p)
{
	freed[(uintptr_t)p]++;
}

enum { DEFER = 1, QUIESCE, OFFLINE, RECLAIM };

struct step {
	int		 op;
	unsigned	 arg;		/* reader; RECLAIM: still waiting */
};

#define D		{ DEFER, 0 }
#define Q(r)		{ QUIESCE, r }
#define O(r)		{ OFFLINE, r }
#define R(n)		{ RECLAIM, n }

static const struct {
	const char	*name;
	unsigned	 nreaders;
	struct step	 s[12];
} cases[] = {
	{ "no readers",		0, { D, D, R(0), D, R(0) } },
	{ "one, not reported",	1, { D, R(1), D, R(2) } },
	{ "one, reported",	1, { D, Q(0), R(0) } },
	{ "report before defer", 1, { Q(0), D, R(1), Q(0), R(0) } },
	{ "oldest first",	1, { D, Q(0), D, R(1), Q(0), R(0) } },
	{ "two, one reported",	2, { D, Q(0), R(1), Q(1), R(0) } },
	{ "two, stale one",	2, { D, Q(0), Q(1), D, Q(0), R(1), Q(1), R(0) } },
	{ "offline: no block",	2, { O(1), D, Q(0), R(0) } },
	{ "all offline",	2, { O(0), O(1), D, D, R(0) } },
	{ "back online blocks",	2, { O(1), Q(1), D, Q(0), R(1), Q(1), R(0) } },
	{ "left pending",	2, { D, D, Q(0), R(2) } },
};

static void
test_epoch_script_cases(void **state)
{
	struct epoch	*e;
	unsigned	 ndef, i, j, nfreed;
	size_t		 c;

	for (c = 0; c < nitems(cases); c++) {
		memset(freed, 0, sizeof(freed));
		e = epoch_new(cases[c].nreaders);
		assert_non_null(e);
		ndef = 0;
		for (i = 0; i < nitems(cases[c].s) && cases[c].s[i].op; i++) {
			const struct step *s = &cases[c].s[i];

			switch (s->op) {
			case DEFER:
				epoch_defer(e, count_free,
				    (void *)(uintptr_t)ndef);
				ndef++;
				break;
			case QUIESCE:
				epoch_quiescent(e, s->arg);
				break;
			case OFFLINE:
				epoch_offline(e, s->arg);
				break;
			case RECLAIM:
				if (epoch_reclaim(e) != s->arg)
					fail_msg("%s: step %u: waiting != %u",
					    cases[c].name, i, s->arg);
				/* The oldest go first, each once. */
				for (j = nfreed = 0; j < ndef; j++) {
					assert_true(freed[j] <= 1);
					nfreed += freed[j];
					if (j > 0 && freed[j])
						assert_true(freed[j - 1]);
				}
				assert_int_equal(nfreed, ndef - s->arg);
				break;
			}
		}
		epoch_free(e);
		for (j = 0; j < ndef; j++)
			if (freed[j] != 1)
				fail_msg("%s: item %u freed %u times",
				    cases[c].name, j, freed[j]);
	}
}

/* A free that defers again, as a snapshot freeing states would. */
static struct epoch *chain_e;

static void
chain_free(void *p)
{
	count_free(p);
	if ((uintptr_t)p + 1 < 3)
		epoch_defer(chain_e, chain_free, (void *)((uintptr_t)p + 1));
}

static void
test_epoch_defer_when_freeing(void **state)
{
	memset(freed, 0, sizeof(freed));
	chain_e = epoch_new(0);
	epoch_defer(chain_e, chain_free, (void *)0);
	assert_int_equal(epoch_reclaim(chain_e), 0);
	assert_int_equal(freed[0], 1);
	assert_int_equal(freed[1], 1);
	assert_int_equal(freed[2], 1);
	epoch_free(chain_e);

	memset(freed, 0, sizeof(freed));
	chain_e = epoch_new(1);
	epoch_defer(chain_e, chain_free, (void *)0);
	epoch_free(chain_e);
	assert_int_equal(freed[0], 1);
	assert_int_equal(freed[2], 1);
}

static void
test_epoch_new_when_too_many_readers(void **state)
{
	assert_null(epoch_new(EPOCH_READERS_MAX + 1));
	epoch_free(epoch_new(EPOCH_READERS_MAX));
	epoch_free(NULL);
}

/* Threaded smoke test. */
#define SMOKE_READERS	3
#define SMOKE_UPDATES	20000
#define SMOKE_MAGIC	0x5eedf00dU

struct obj {
	unsigned	 o_magic;
};

static struct obj	*smoke_cur;	/* atomic */
static bool		 smoke_stop;	/* atomic */
static unsigned		 smoke_bad;	/* atomic */
static struct epoch	*smoke_e;

static void
obj_free(void *p)
{
	struct obj	*o = p;

	/* Poisoned first: a reader still looking sees it without ASan. */
	__atomic_store_n(&o->o_magic, 0, __ATOMIC_RELAXED);
	free(o);
}

static void *
smoke_reader(void *arg)
{
	unsigned	 r = (unsigned)(uintptr_t)arg, k;
	struct obj	*o;

	for (k = 0; !__atomic_load_n(&smoke_stop, __ATOMIC_RELAXED); k++) {
		epoch_quiescent(smoke_e, r);
		o = __atomic_load_n(&smoke_cur, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&o->o_magic, __ATOMIC_RELAXED) !=
		    SMOKE_MAGIC)
			__atomic_add_fetch(&smoke_bad, 1, __ATOMIC_RELAXED);
		/* Now and then drop everything, as a worker going to poll. */
		if (k % 64 == r)
			epoch_offline(smoke_e, r);
	}
	epoch_offline(smoke_e, r);
	return NULL;
}

static struct obj *
obj_new(void)
{
	struct obj	*o = malloc(sizeof(*o));

	assert_non_null(o);
	o->o_magic = SMOKE_MAGIC;
	return o;
}

static void
test_epoch_smoke_when_threaded(void **state)
{
	pthread_t	 th[SMOKE_READERS];
	struct obj	*old;
	unsigned	 i;

	smoke_e = epoch_new(SMOKE_READERS);
	smoke_cur = obj_new();
	for (i = 0; i < SMOKE_READERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, smoke_reader,
		    (void *)(uintptr_t)i), 0);
	for (i = 0; i < SMOKE_UPDATES; i++) {
		old = smoke_cur;
		__atomic_store_n(&smoke_cur, obj_new(), __ATOMIC_RELEASE);
		epoch_defer(smoke_e, obj_free, old);
		epoch_reclaim(smoke_e);
	}
	__atomic_store_n(&smoke_stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < SMOKE_READERS; i++)
		pthread_join(th[i], NULL);
	/* Everybody is offline now: all but the current one go. */
	assert_int_equal(epoch_reclaim(smoke_e), 0);
	assert_int_equal(smoke_bad, 0);
	epoch_free(smoke_e);
	obj_free(smoke_cur);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_script_cases),
		cmocka_unit_test(test_epoch_defer_when_freeing),
		cmocka_unit_test(test_epoch_new_when_too_many_readers),
		cmocka_unit_test(test_epoch_smoke_when_threaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
