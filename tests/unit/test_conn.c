/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of conn.c: lookups by both tuples, shard choice of nat
 * pairs, a full pool, the expiry wheel (lazy refresh, shortened
 * timeouts, timeouts beyond the wheel, budgets), listing, and a
 * multi-threaded smoke test with a concurrent reaper.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conn.h"
#include "conn_tcp.h"
#include "pkt.h"
#include "util.h"

/* xorshift64: the tests must not depend on the run. */
static uint64_t	 rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static struct tuple
tup4(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
    uint8_t proto)
{
	struct tuple	 t;

	memset(&t, 0, sizeof(t));
	t.t_src.v4.s_addr = htonl(src);
	t.t_dst.v4.s_addr = htonl(dst);
	t.t_sport = htons(sport);
	t.t_dport = htons(dport);
	t.t_proto = proto;
	t.t_af = AF_INET;
	return t;
}

static struct tuple
tup6(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
    uint8_t proto)
{
	struct tuple	 t;

	memset(&t, 0, sizeof(t));
	t.t_src.w[0] = t.t_dst.w[0] = htonl(0x20010db8);
	t.t_src.w[3] = htonl(src);
	t.t_dst.w[3] = htonl(dst);
	t.t_sport = htons(sport);
	t.t_dport = htons(dport);
	t.t_proto = proto;
	t.t_af = AF_INET6;
	return t;
}

/* The reply tuple of <in> from real server <rip>:<rport> under nat. */
static struct tuple
nat_out(const struct tuple *in, uint32_t rip, uint16_t rport)
{
	struct tuple	 t = *in;

	t.t_src = in->t_src;
	if (in->t_af == AF_INET)
		t.t_src.v4.s_addr = htonl(rip);
	else
		t.t_src.w[3] = htonl(rip);
	t.t_sport = htons(rport);
	t.t_dst = in->t_src;
	t.t_dport = in->t_sport;
	return t;
}

static struct conn_table *
table(uint32_t max, unsigned nshards)
{
	struct conn_timeouts	 to;
	struct conn_table	*ct;

	tcp_timeouts_default(&to);
	ct = conn_table_new(max, nshards, &to);
	assert_non_null(ct);
	return ct;
}

static unsigned	 released;

static void
count_release(struct conn *c, void *arg)
{
	(void)c;
	(void)arg;
	released++;
}

/* Insert <in> (and <out>) under the lock; the entry or NULL. */
static struct conn *
insert(struct conn_table *ct, const struct tuple *in,
    const struct tuple *out, uint32_t now, uint32_t timeout)
{
	struct conn	*c;
	unsigned	 s = conn_shard(ct, in, CONN_IN);

	conn_lock(ct, s);
	c = conn_insert(ct, s, in, out, now, timeout);
	conn_unlock(ct, s);
	return c;
}

static struct conn *
find(struct conn_table *ct, const struct tuple *t, int dir)
{
	struct conn	*c;
	unsigned	 s = conn_shard(ct, t, dir);

	conn_lock(ct, s);
	c = conn_find(ct, s, t, dir);
	conn_unlock(ct, s);
	return c;
}

static void
remove_conn(struct conn_table *ct, struct conn *c)
{
	unsigned	 s = conn_shard(ct, &c->c_tuple[CONN_IN], CONN_IN);

	conn_lock(ct, s);
	conn_remove(ct, s, c, count_release, NULL);
	conn_unlock(ct, s);
}

static void
touch(struct conn_table *ct, struct conn *c, int st, uint32_t now)
{
	unsigned	 s = conn_shard(ct, &c->c_tuple[CONN_IN], CONN_IN);

	conn_lock(ct, s);
	c->c_state = st;
	conn_touch(ct, c, now);
	conn_unlock(ct, s);
}

static const struct {
	bool		 v6;
	uint8_t		 proto;
	bool		 nat;
	unsigned	 nshards;
} lookups[] = {
	{ false,	IPPROTO_TCP,	true,	1 },
	{ false,	IPPROTO_TCP,	false,	4 },
	{ false,	IPPROTO_UDP,	true,	16 },
	{ true,		IPPROTO_TCP,	true,	8 },
	{ true,		IPPROTO_UDP,	false,	2 },
};

static void
test_conn_find_when_inserted(void **state)
{
	struct conn_table *ct;
	struct tuple	 in, out, other;
	struct conn	*c;
	size_t		 i;

	for (i = 0; i < nitems(lookups); i++) {
		ct = table(1000, lookups[i].nshards);
		if (lookups[i].v6)
			in = tup6(0xc0000201, 40000, 0xc0000a0a, 80,
			    lookups[i].proto);
		else
			in = tup4(0xc0000201, 40000, 0xc0000a0a, 80,
			    lookups[i].proto);
		out = nat_out(&in, 0x0a00000b, 8080);
		c = insert(ct, &in, lookups[i].nat ? &out : NULL, 100, 60);
		assert_non_null(c);
		assert_int_equal(c->c_state, TCPS_NONE);
		assert_int_equal(c->c_created, 100);
		assert_int_equal(c->c_expires, 160);
		assert_int_equal(!!(c->c_flags & CONN_F_HASOUT),
		    lookups[i].nat);
		assert_memory_equal(&c->c_tuple[CONN_IN], &in, sizeof(in));
		assert_ptr_equal(find(ct, &in, CONN_IN), c);
		if (lookups[i].nat) {
			assert_ptr_equal(find(ct, &out, CONN_OUT), c);
			assert_memory_equal(&c->c_tuple[CONN_OUT], &out,
			    sizeof(out));
		} else
			assert_null(find(ct, &out, CONN_OUT));
		/* A tuple is only found in its own direction. */
		assert_null(find(ct, &in, CONN_OUT));
		other = in;
		other.t_sport = htons(40001);
		assert_null(find(ct, &other, CONN_IN));
		other = in;
		other.t_proto = lookups[i].proto == IPPROTO_TCP ?
		    IPPROTO_UDP : IPPROTO_TCP;
		assert_null(find(ct, &other, CONN_IN));
		assert_int_equal(conn_count(ct), 1);
		conn_table_free(ct, NULL, NULL);
	}
}

static void
test_conn_shard_when_nat_pair(void **state)
{
	struct conn_table *ct;
	struct tuple	 in, out;
	unsigned	 hit[64] = { 0 };
	int		 i;

	ct = table(100000, 64);
	for (i = 0; i < 20000; i++) {
		if (i & 1)
			in = tup6(rnd(), rnd(), rnd(), rnd(), IPPROTO_TCP);
		else
			in = tup4(rnd(), rnd(), rnd(), rnd(),
			    i & 2 ? IPPROTO_UDP : IPPROTO_TCP);
		out = nat_out(&in, rnd(), rnd());
		assert_int_equal(conn_shard(ct, &in, CONN_IN),
		    conn_shard(ct, &out, CONN_OUT));
		hit[conn_shard(ct, &in, CONN_IN)]++;
	}
	/* Every shard gets its share, give or take. */
	for (i = 0; i < 64; i++)
		assert_in_range(hit[i], 20000 / 64 / 2, 20000 / 64 * 2);
	conn_table_free(ct, NULL, NULL);
}

static void
test_conn_remove_when_nat(void **state)
{
	struct conn_table *ct = table(16, 2);
	struct tuple	 in, out;
	struct conn	*c;

	in = tup4(0xc0000201, 1234, 0xc0000a0a, 80, IPPROTO_TCP);
	out = nat_out(&in, 0x0a00000b, 80);
	c = insert(ct, &in, &out, 1, 10);
	assert_non_null(c);
	released = 0;
	remove_conn(ct, c);
	assert_int_equal(released, 1);
	assert_null(find(ct, &in, CONN_IN));
	assert_null(find(ct, &out, CONN_OUT));
	assert_int_equal(conn_count(ct), 0);
	/* Gone from the wheel too. */
	assert_int_equal(conn_expire(ct, 100, 10, count_release, NULL), 0);
	assert_int_equal(released, 1);
	conn_table_free(ct, NULL, NULL);
}

static void
test_conn_insert_when_full(void **state)
{
	static const uint32_t	 maxes[] = { 1, 8, 100 };
	struct conn_table	*ct;
	struct conn		*c[100];
	struct tuple		 t;
	size_t			 i;
	uint32_t		 j;

	for (i = 0; i < nitems(maxes); i++) {
		ct = table(maxes[i], 1);
		for (j = 0; j < maxes[i]; j++) {
			t = tup4(0x0a000000 + j, 1000, 0xc0000a0a, 80,
			    IPPROTO_TCP);
			assert_non_null(c[j] = insert(ct, &t, NULL, 1, 10));
		}
		t = tup4(0x0b000000, 1000, 0xc0000a0a, 80, IPPROTO_TCP);
		assert_null(insert(ct, &t, NULL, 1, 10));
		assert_int_equal(conn_count(ct), maxes[i]);
		remove_conn(ct, c[maxes[i] / 2]);
		assert_non_null(insert(ct, &t, NULL, 1, 10));
		assert_null(insert(ct, &t, NULL, 1, 10));
		assert_int_equal(conn_count(ct), maxes[i]);
		conn_table_free(ct, NULL, NULL);
	}
}

static void
test_conn_insert_when_shard_full(void **state)
{
	static const struct { uint32_t max; unsigned nshards; } cases[] = {
		{ 100, 8 }, { 10, 4 }, { 1000, 16 }, { 3, 4 },
	};
	struct conn_table *ct;
	struct tuple	 t;
	uint32_t	 n;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		ct = table(cases[i].max, cases[i].nshards);
		assert_int_equal(conn_max(ct), cases[i].max);
		for (n = 0;; n++) {
			t = tup4(rnd(), rnd(), 0xc0000a0a, 80, IPPROTO_TCP);
			if (insert(ct, &t, NULL, 1, 10) == NULL)
				break;
			assert_true(n < cases[i].max);
		}
		assert_true(n <= cases[i].max);
		assert_int_equal(conn_count(ct), n);
		conn_table_free(ct, NULL, NULL);
	}
}

static void
test_conn_hash_size_when_created(void **state)
{
	static const struct {
		uint32_t max; unsigned nshards; uint32_t size;
	} cases[] = {
		{ 1000,	4,	4 * 512 * 2 },	/* 250 each: 512 buckets */
		{ 1,	1,	16 * 2 },	/* at least 16 */
		{ 0,	2,	2 * 16 * 2 },
		{ 1 << 16, 16,	16 * (1 << 13) * 2 },
	};
	struct conn_table *ct;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		ct = table(cases[i].max, cases[i].nshards);
		assert_int_equal(conn_hash_size(ct), cases[i].size);
		conn_table_free(ct, NULL, NULL);
	}
	assert_null(conn_table_new(10, 3, &(struct conn_timeouts){ 0 }));
	assert_null(conn_table_new(10, 0, &(struct conn_timeouts){ 0 }));
}

/*
 * One entry inserted at <now> with <timeout>; conn_expire() is called at
 * each of <steps> (ascending, 0 ends) and must expire it exactly at the
 * step equal to now + timeout.
 */
static const struct {
	uint32_t	 now;
	uint32_t	 timeout;
	uint32_t	 steps[8];
} expiries[] = {
	{ 100,	2,	{ 101, 102 } },
	{ 100,	2,	{ 100, 101, 103 } },		/* late reaper */
	{ 100,	900,	{ 500, 999, 1000 } },
	{ 100,	4095,	{ 4194, 4195 } },
	{ 100,	4096,	{ 4195, 4196 } },		/* the last slot */
	{ 100,	5000,	{ 4196, 4197, 5099, 5100 } },	/* beyond the wheel */
	{ 100,	20000,	{ 4000, 8000, 12000, 16000, 20099, 20100 } },
	{ 100,	20000,	{ 20099, 20100 } },		/* one big gap */
	{ 1000000, 900,	{ 1000899, 1000900 } },		/* far from 0 */
	{ 50,	0,	{ 50 } },			/* due at once */
};

static void
test_conn_expire_when_due(void **state)
{
	struct conn_table *ct;
	struct tuple	 t;
	uint32_t	 due, n;
	size_t		 i, j;

	for (i = 0; i < nitems(expiries); i++) {
		ct = table(16, 2);
		t = tup4(0xc0000201, 1000, 0xc0000a0a, 80, IPPROTO_TCP);
		assert_non_null(insert(ct, &t, NULL, expiries[i].now,
		    expiries[i].timeout));
		due = expiries[i].now + expiries[i].timeout;
		released = 0;
		for (j = 0; j < nitems(expiries[i].steps) &&
		    expiries[i].steps[j] != 0; j++) {
			n = conn_expire(ct, expiries[i].steps[j], 100,
			    count_release, NULL);
			if (n != (expiries[i].steps[j] >= due &&
			    (j == 0 || expiries[i].steps[j - 1] < due)))
				fail_msg("case %zu step %u: %u expired", i,
				    expiries[i].steps[j], n);
		}
		assert_int_equal(released, 1);
		assert_int_equal(conn_count(ct), 0);
		assert_null(find(ct, &t, CONN_IN));
		conn_table_free(ct, NULL, NULL);
	}
}

static const struct {
	int		 st0;		/* state at insertion */
	uint32_t	 touch_at;
	int		 st1;		/* state when touched */
	uint32_t	 due;		/* inserted at 100 */
} touches[] = {
	/* Refreshed: the old slot files it again. */
	{ TCPS_NONE,		101,	TCPS_NONE,		103 },
	{ TCPS_NONE,		101,	TCPS_ESTABLISHED,	1001 },
	{ TCPS_ESTABLISHED,	500,	TCPS_ESTABLISHED,	1400 },
	{ TCPS_ESTABLISHED,	999,	TCPS_ESTABLISHED,	1899 },
	/* Shortened: filed at once, not left at the later slot. */
	{ TCPS_ESTABLISHED,	101,	TCPS_CLOSE,		111 },
	{ TCPS_ESTABLISHED,	200,	TCPS_FIN_WAIT,		320 },
	{ CONN_STATE_UDP,	150,	TCPS_NONE,		152 },
};

static void
test_conn_touch_when_state_changes(void **state)
{
	struct conn_table *ct;
	struct conn	*c;
	struct tuple	 t;
	uint32_t	 to0;
	size_t		 i;

	for (i = 0; i < nitems(touches); i++) {
		ct = table(16, 4);
		t = tup4(0xc0000201, 1000, 0xc0000a0a, 80, IPPROTO_TCP);
		to0 = conn_timeout_of(ct, touches[i].st0);
		assert_non_null(c = insert(ct, &t, NULL, 100, to0));
		touch(ct, c, touches[i].st0, 100);
		assert_int_equal(c->c_expires, 100 + to0);
		/* The reaper reaches the entry's slot before the touch. */
		if (touches[i].touch_at > 101)
			assert_int_equal(conn_expire(ct, touches[i].touch_at -
			    1, 10, NULL, NULL), 0);
		touch(ct, c, touches[i].st1, touches[i].touch_at);
		assert_int_equal(c->c_expires, touches[i].due);
		/* The old expiry passes: nothing happens. */
		if (100 + to0 < touches[i].due)
			assert_int_equal(conn_expire(ct, 100 + to0, 10, NULL,
			    NULL), 0);
		assert_int_equal(conn_expire(ct, touches[i].due - 1, 10,
		    NULL, NULL), 0);
		if (conn_expire(ct, touches[i].due, 10, NULL, NULL) != 1)
			fail_msg("case %zu: not expired at %u", i,
			    touches[i].due);
		conn_table_free(ct, NULL, NULL);
	}
}

static void
test_conn_expire_when_budget_small(void **state)
{
	static const unsigned	 budgets[] = { 0, 1, 10, 1000, 100000 };
	struct conn_table	*ct;
	struct tuple		 t;
	size_t			 i;
	uint32_t		 j;

	for (i = 0; i < nitems(budgets); i++) {
		ct = table(2000, 2);
		for (j = 0; j < 1000; j++) {
			t = tup4(0x0a000000 + j, 1000, 0xc0000a0a, 80,
			    IPPROTO_TCP);
			assert_non_null(insert(ct, &t, NULL, 100, 5));
		}
		released = 0;
		assert_int_equal(conn_expire(ct, 104, budgets[i],
		    count_release, NULL), 0);
		assert_int_equal(conn_expire(ct, 105, budgets[i],
		    count_release, NULL), 1000);
		assert_int_equal(released, 1000);
		assert_int_equal(conn_count(ct), 0);
		conn_table_free(ct, NULL, NULL);
	}
}

struct visit {
	uint8_t		 seen[500];
	unsigned	 calls;
	unsigned	 stop_at;	/* 0: never */
};

static int
visit_one(const struct conn *c, void *arg)
{
	struct visit	*v = arg;
	uint32_t	 j = ntohl(c->c_tuple[CONN_IN].t_src.v4.s_addr) -
			    0x0a000000;

	if (j < nitems(v->seen))
		v->seen[j]++;
	if (++v->calls == v->stop_at)
		return 42;
	return 0;
}

static void
test_conn_foreach_when_filled(void **state)
{
	struct conn_table *ct = table(1000, 8);
	struct visit	 v;
	struct tuple	 t, out;
	uint32_t	 j;

	for (j = 0; j < 500; j++) {
		t = tup4(0x0a000000 + j, 1000, 0xc0000a0a, 80, IPPROTO_TCP);
		out = nat_out(&t, 0x0b000001, 80);
		assert_non_null(insert(ct, &t, j & 1 ? &out : NULL, 1, 10));
	}
	memset(&v, 0, sizeof(v));
	assert_int_equal(conn_foreach(ct, visit_one, &v), 0);
	assert_int_equal(v.calls, 500);
	for (j = 0; j < 500; j++)
		assert_int_equal(v.seen[j], 1);
	memset(&v, 0, sizeof(v));
	v.stop_at = 7;
	assert_int_equal(conn_foreach(ct, visit_one, &v), 42);
	assert_int_equal(v.calls, 7);
	released = 0;
	conn_table_free(ct, count_release, NULL);
	assert_int_equal(released, 500);
	conn_table_free(NULL, NULL, NULL);
}

static void
test_conn_set_timeouts_when_changed(void **state)
{
	struct conn_table	*ct = table(10, 1);
	struct conn_timeouts	 to, got;
	struct conn		*c;
	struct tuple		 t;

	tcp_timeouts_default(&to);
	to.ct_tcp[TCPS_ESTABLISHED] = 7200;
	to.ct_tcp[TCPS_FIN_WAIT] = 60;
	to.ct_udp = 30;
	conn_set_timeouts(ct, &to);
	conn_get_timeouts(ct, &got);
	assert_memory_equal(&to, &got, sizeof(to));
	assert_int_equal(conn_timeout_of(ct, TCPS_ESTABLISHED), 7200);
	assert_int_equal(conn_timeout_of(ct, TCPS_FIN_WAIT), 60);
	assert_int_equal(conn_timeout_of(ct, CONN_STATE_UDP), 30);
	assert_int_equal(conn_timeout_of(ct, TCPS_CLOSE), 10);
	/* Touching picks up the new value. */
	t = tup4(0xc0000201, 1000, 0xc0000a0a, 80, IPPROTO_UDP);
	assert_non_null(c = insert(ct, &t, NULL, 100, 300));
	touch(ct, c, CONN_STATE_UDP, 101);
	assert_int_equal(c->c_expires, 131);
	assert_int_equal(conn_expire(ct, 131, 10, NULL, NULL), 1);
	conn_table_free(ct, NULL, NULL);
}

/* Multi-threaded smoke test: disjoint workers and a running reaper. */
#define MT_THREADS	4
#define MT_LONG		2000	/* per thread, half removed again */
#define MT_SHORT	500	/* per thread, left to the reaper */

struct mt {
	struct conn_table *ct;
	unsigned	 id;
	unsigned	 errors;
};

static bool		 mt_done;
static unsigned		 mt_released;
static uint32_t		 mt_now;

static void
mt_release(struct conn *c, void *arg)
{
	(void)c;
	(void)arg;
	__atomic_fetch_add(&mt_released, 1, __ATOMIC_RELAXED);
}

static void
mt_pair(unsigned id, unsigned i, struct tuple *in, struct tuple *out)
{
	*in = tup4(0x0a000000 | id << 16 | i, 40000, 0xc0000a0a, 80,
	    IPPROTO_TCP);
	*out = nat_out(in, 0x0b000001, 8080);
}

static void *
mt_worker(void *arg)
{
	struct mt	*m = arg;
	struct conn_table *ct = m->ct;
	struct tuple	 in, out;
	struct conn	*c;
	unsigned	 i, s;

	for (i = 0; i < MT_LONG + MT_SHORT; i++) {
		mt_pair(m->id, i, &in, &out);
		s = conn_shard(ct, &in, CONN_IN);
		conn_lock(ct, s);
		if (conn_find(ct, s, &in, CONN_IN) != NULL)
			m->errors++;
		c = conn_insert(ct, s, &in, &out, 1,
		    i < MT_LONG ? 10000000 : 1);
		if (c == NULL)
			m->errors++;
		conn_unlock(ct, s);
	}
	for (i = 0; i < MT_LONG; i++) {
		mt_pair(m->id, i, &in, &out);
		s = conn_shard(ct, &out, CONN_OUT);
		conn_lock(ct, s);
		c = conn_find(ct, s, &out, CONN_OUT);
		if (c == NULL || c != conn_find(ct, s, &in, CONN_IN))
			m->errors++;
		else {
			c->c_state = TCPS_ESTABLISHED;
			conn_touch(ct, c, 2);
			if (i & 1)
				conn_remove(ct, s, c, NULL, NULL);
		}
		conn_unlock(ct, s);
	}
	return NULL;
}

static void *
mt_reaper(void *arg)
{
	struct conn_table *ct = arg;
	uint32_t	 now = 1;

	while (!__atomic_load_n(&mt_done, __ATOMIC_RELAXED)) {
		/* Well short of the long entries' expiry. */
		if (now < 500000)
			now++;
		conn_expire(ct, now, 10, mt_release, NULL);
	}
	mt_now = now;
	return NULL;
}

static void
test_conn_threads_when_concurrent(void **state)
{
	struct conn_table *ct = table(MT_THREADS * (MT_LONG + MT_SHORT), 8);
	struct conn_timeouts to;
	struct mt	 m[MT_THREADS];
	pthread_t	 w[MT_THREADS], r;
	unsigned	 i;

	/* Touching must not bring the long entries within the reaper. */
	tcp_timeouts_default(&to);
	to.ct_tcp[TCPS_ESTABLISHED] = 10000000;
	conn_set_timeouts(ct, &to);
	mt_done = false;
	mt_released = 0;
	assert_int_equal(pthread_create(&r, NULL, mt_reaper, ct), 0);
	for (i = 0; i < MT_THREADS; i++) {
		m[i] = (struct mt){ .ct = ct, .id = i };
		assert_int_equal(pthread_create(&w[i], NULL, mt_worker,
		    &m[i]), 0);
	}
	for (i = 0; i < MT_THREADS; i++) {
		assert_int_equal(pthread_join(w[i], NULL), 0);
		assert_int_equal(m[i].errors, 0);
	}
	__atomic_store_n(&mt_done, true, __ATOMIC_RELAXED);
	assert_int_equal(pthread_join(r, NULL), 0);
	/* Short entries filed after the reaper's last pass go now. */
	conn_expire(ct, mt_now + 1, 10, mt_release, NULL);
	assert_int_equal(mt_released, MT_THREADS * MT_SHORT);
	assert_int_equal(conn_count(ct), MT_THREADS * MT_LONG / 2);
	conn_table_free(ct, NULL, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conn_find_when_inserted),
		cmocka_unit_test(test_conn_shard_when_nat_pair),
		cmocka_unit_test(test_conn_remove_when_nat),
		cmocka_unit_test(test_conn_insert_when_full),
		cmocka_unit_test(test_conn_insert_when_shard_full),
		cmocka_unit_test(test_conn_hash_size_when_created),
		cmocka_unit_test(test_conn_expire_when_due),
		cmocka_unit_test(test_conn_touch_when_state_changes),
		cmocka_unit_test(test_conn_expire_when_budget_small),
		cmocka_unit_test(test_conn_foreach_when_filled),
		cmocka_unit_test(test_conn_set_timeouts_when_changed),
		cmocka_unit_test(test_conn_threads_when_concurrent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
