/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sharded connection table (conn.h).  Everything is allocated by
 * conn_table_new(): the shards, their bucket arrays (one per direction,
 * so that a chained struct conn_link tells which c_link[] it is), and
 * one pool of entries cut into per-shard free lists.  The packet path
 * only moves entries between a free list, the bucket chains and the
 * expiry wheel.
 *
 * Each shard's wheel has one slot per second for WHEEL_SLOTS seconds.
 * An entry is filed at its expiry, or at the last slot the wheel reaches
 * when it expires later than that; refreshing an entry only moves
 * c_expires later, and when the reaper reaches a slot it expires what is
 * due and files the rest again.  So an entry always sits at or before
 * its expiry, which conn_touch() keeps true by filing at once an entry
 * whose timeout got shorter.
 *
 * Threads: workers find, insert, touch and remove under the shard lock;
 * one reaper calls conn_expire(); the control thread creates, frees,
 * lists and changes timeouts.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "conn.h"
#include "conn_sctp.h"
#include "conn_tcp.h"
#include "pkt.h"
#include "util.h"

#define WHEEL_SLOTS	4096u		/* seconds, a power of two */
#define WHEEL_MASK	(WHEEL_SLOTS - 1)
#define SHARDS_MAX	4096u
#define BUCKETS_MIN	16u
#define BUCKETS_MAX	(1u << 28)
#define CACHELINE	64

_Static_assert(sizeof(struct tuple) == 40, "tuples hash as five words");

struct conn_shard {
	pthread_spinlock_t sh_lock;
	uint32_t	 sh_clock;	/* last second the wheel processed */
	uint32_t	 sh_count;	/* live entries */
	uint32_t	 sh_max;	/* entries this shard may hold */
	uint32_t	 sh_mask;	/* buckets per direction - 1 */
	struct conn_link **sh_buckets[2]; /* [CONN_IN], [CONN_OUT] */
	struct conn	*sh_free;	/* chained through c_wnext */
	struct conn_pe	*sh_pefree;	/* returned pe slots */
	struct conn_pe	*sh_pe;		/* its part of ct_pepool */
	uint32_t	 sh_pemax;	/* slots in that part */
	uint32_t	 sh_peused;	/* taken from its front so far */
	struct conn	*sh_wheel[WHEEL_SLOTS];
} __attribute__((aligned(CACHELINE)));

struct conn_table {
	struct conn_shard *ct_shards;
	unsigned	 ct_nshards;
	uint32_t	 ct_max;
	uint64_t	 ct_seed;	/* bucket hash */
	uint64_t	 ct_shard_seed;	/* shard hash */
	struct conn	*ct_pool;
	struct conn_pe	*ct_pepool;	/* untouched until used */
	struct conn_timeouts ct_to;	/* read by workers, relaxed atomics */
};

/*
 * The first entry of a wheel slot has, instead of a predecessor, the
 * slot number tagged with bit 0 (entries are aligned), so that any
 * entry can be taken out of its slot without knowing which one it is.
 */
static inline struct conn *
slot_tag(uint32_t slot)
{
	return (struct conn *)(((uintptr_t)slot << 1) | 1);
}

static inline bool
is_slot_tag(const struct conn *p)
{
	return ((uintptr_t)p & 1) != 0;
}

static inline uint32_t
tag_slot(const struct conn *p)
{
	return (uint32_t)((uintptr_t)p >> 1);
}

static inline uint64_t
rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* MurmurHash3's finalizer: every input bit flips each output bit. */
static inline uint64_t
fmix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/*
 * Seeded hash of <n> 64-bit words, murmur-like.  The seed is random per
 * table so that clients cannot aim many tuples at one bucket.
 */
static inline uint64_t
hash_words(const uint64_t *w, unsigned n, uint64_t seed)
{
	uint64_t	 h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
	unsigned	 i;

	for (i = 0; i < n; i++) {
		h ^= rotl64(w[i] * 0x87c37b91114253d5ULL, 31) *
		    0x4cf5ad432745937fULL;
		h = rotl64(h, 27) * 5 + 0x52dce729;
	}
	return fmix64(h);
}

static inline uint32_t
tuple_bucket(const struct conn_table *ct, const struct conn_shard *sh,
    const struct tuple *t)
{
	uint64_t	 w[5];

	memcpy(w, t, sizeof(w));
	return (uint32_t)hash_words(w, 5, ct->ct_seed) & sh->sh_mask;
}

unsigned
conn_nshards(const struct conn_table *ct)
{
	return ct->ct_nshards;
}

unsigned
conn_shard(const struct conn_table *ct, const struct tuple *t, int dir)
{
	const union inaddr *a;
	uint64_t	 w[3];
	uint16_t	 port;

	if (ct->ct_nshards == 1)
		return 0;
	/* The client's side: the source inbound, the destination outbound. */
	if (dir == CONN_IN) {
		a = &t->t_src;
		port = t->t_sport;
	} else {
		a = &t->t_dst;
		port = t->t_dport;
	}
	memcpy(w, a, sizeof(*a));
	w[2] = (uint64_t)port | (uint64_t)t->t_proto << 16 |
	    (uint64_t)t->t_af << 24;
	return (unsigned)(hash_words(w, 3, ct->ct_shard_seed) >> 32) &
	    (ct->ct_nshards - 1);
}

uint32_t
conn_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint32_t)ts.tv_sec + 1;
}

static uint64_t
random_seed(void)
{
	struct timespec	 ts;
	uint64_t	 seed;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		return seed;
	/* Early boot without entropy yet: worse, but still not constant. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return fmix64((uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32 ^
	    (uintptr_t)&ts);
}

static uint32_t
pow2_at_least(uint64_t n)
{
	uint32_t	 p = BUCKETS_MIN;

	while (p < n && p < BUCKETS_MAX)
		p <<= 1;
	return p;
}

struct conn_table *
conn_table_new(uint32_t max, unsigned nshards,
    const struct conn_timeouts *to)
{
	struct conn_table *ct;
	struct conn_shard *sh;
	struct conn	*c;
	uint32_t	 share, pe_share, nb, i, j;
	unsigned	 s;

	if (nshards == 0 || nshards > SHARDS_MAX ||
	    (nshards & (nshards - 1)) != 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((ct = calloc(1, sizeof(*ct))) == NULL)
		return NULL;
	ct->ct_nshards = nshards;
	ct->ct_max = max;
	ct->ct_seed = random_seed();
	ct->ct_shard_seed = random_seed();
	ct->ct_to = *to;
	ct->ct_shards = aligned_alloc(CACHELINE, nshards * sizeof(*sh));
	if (ct->ct_shards == NULL)
		goto out_free_table;
	memset(ct->ct_shards, 0, nshards * sizeof(*sh));
	/* At least one entry so that calloc() of max 0 means something. */
	ct->ct_pool = calloc(max ? max : 1, sizeof(struct conn));
	if (ct->ct_pool == NULL)
		goto out_free_shards;

	share = max / nshards + (max % nshards != 0);
	nb = pow2_at_least((uint64_t)share * 2);
	/*
	 * pe slots are handed out from the front of each shard's part and
	 * the pool is never walked, so its pages stay unmapped until a
	 * service with a persistence engine needs them.
	 */
	pe_share = share / CONN_PE_SHARE + 1;
	ct->ct_pepool = calloc((size_t)pe_share * nshards,
	    sizeof(*ct->ct_pepool));
	if (ct->ct_pepool == NULL)
		goto out_free_pool;
	c = ct->ct_pool;
	for (s = 0; s < nshards; s++) {
		sh = &ct->ct_shards[s];
		pthread_spin_init(&sh->sh_lock, PTHREAD_PROCESS_PRIVATE);
		sh->sh_mask = nb - 1;
		/* The first shards take the remainder: max in all. */
		sh->sh_max = max / nshards + (s < max % nshards);
		sh->sh_pe = ct->ct_pepool + (size_t)s * pe_share;
		sh->sh_pemax = pe_share;
		for (j = 0; j < 2; j++) {
			sh->sh_buckets[j] = calloc(nb,
			    sizeof(*sh->sh_buckets[j]));
			if (sh->sh_buckets[j] == NULL) {
				ct->ct_nshards = s + 1;
				goto out_free_all;
			}
		}
		for (i = 0; i < sh->sh_max; i++, c++) {
			c->c_wnext = sh->sh_free;
			sh->sh_free = c;
		}
	}
	return ct;

out_free_all:
	conn_table_free(ct, NULL, NULL);
	return NULL;
out_free_pool:
	free(ct->ct_pool);
out_free_shards:
	free(ct->ct_shards);
out_free_table:
	free(ct);
	return NULL;
}

void
conn_table_free(struct conn_table *ct,
    void (*release)(struct conn *c, void *arg), void *arg)
{
	struct conn_shard *sh;
	struct conn_link *l, *next;
	unsigned	 s;
	uint32_t	 b;

	if (ct == NULL)
		return;
	for (s = 0; s < ct->ct_nshards; s++) {
		sh = &ct->ct_shards[s];
		if (release != NULL && sh->sh_buckets[CONN_IN] != NULL) {
			for (b = 0; b <= sh->sh_mask; b++) {
				for (l = sh->sh_buckets[CONN_IN][b]; l != NULL;
				    l = next) {
					next = l->cl_next;
					release(container_of(l, struct conn,
					    c_link[CONN_IN]), arg);
				}
			}
		}
		free(sh->sh_buckets[CONN_IN]);
		free(sh->sh_buckets[CONN_OUT]);
		pthread_spin_destroy(&sh->sh_lock);
	}
	free(ct->ct_pepool);
	free(ct->ct_pool);
	free(ct->ct_shards);
	free(ct);
}

void
conn_set_timeouts(struct conn_table *ct, const struct conn_timeouts *to)
{
	unsigned int	 i;

	for (i = 0; i < TCPS__MAX; i++)
		__atomic_store_n(&ct->ct_to.ct_tcp[i], to->ct_tcp[i],
		    __ATOMIC_RELAXED);
	__atomic_store_n(&ct->ct_to.ct_udp, to->ct_udp, __ATOMIC_RELAXED);
	for (i = 0; i < CONN_SCTP_STATES; i++)
		__atomic_store_n(&ct->ct_to.ct_sctp[i], to->ct_sctp[i],
		    __ATOMIC_RELAXED);
}

void
conn_get_timeouts(const struct conn_table *ct, struct conn_timeouts *ret)
{
	unsigned int	 i;

	for (i = 0; i < TCPS__MAX; i++)
		ret->ct_tcp[i] = __atomic_load_n(&ct->ct_to.ct_tcp[i],
		    __ATOMIC_RELAXED);
	ret->ct_udp = __atomic_load_n(&ct->ct_to.ct_udp, __ATOMIC_RELAXED);
	for (i = 0; i < CONN_SCTP_STATES; i++)
		ret->ct_sctp[i] = __atomic_load_n(&ct->ct_to.ct_sctp[i],
		    __ATOMIC_RELAXED);
}

uint32_t
conn_timeout_of(const struct conn_table *ct, int state)
{
	if (state == CONN_STATE_UDP)
		return __atomic_load_n(&ct->ct_to.ct_udp, __ATOMIC_RELAXED);
	if (sctp_state_is(state))
		return __atomic_load_n(&ct->ct_to.ct_sctp[state - SCTPS_NONE],
		    __ATOMIC_RELAXED);
	if (state < 0 || state >= TCPS__MAX)
		state = TCPS_NONE;
	return __atomic_load_n(&ct->ct_to.ct_tcp[state], __ATOMIC_RELAXED);
}

uint32_t
conn_max(const struct conn_table *ct)
{
	return ct->ct_max;
}

uint32_t
conn_hash_size(const struct conn_table *ct)
{
	uint64_t	 n;

	/* Both directions' arrays, as IPVS's one table holds both. */
	n = (uint64_t)ct->ct_nshards * (ct->ct_shards[0].sh_mask + 1) * 2;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

uint32_t
conn_count(const struct conn_table *ct)
{
	uint32_t	 n = 0;
	unsigned	 s;

	for (s = 0; s < ct->ct_nshards; s++)
		n += __atomic_load_n(&ct->ct_shards[s].sh_count,
		    __ATOMIC_RELAXED);
	return n;
}

void
conn_lock(struct conn_table *ct, unsigned shard)
{
	pthread_spin_lock(&ct->ct_shards[shard].sh_lock);
}

void
conn_unlock(struct conn_table *ct, unsigned shard)
{
	pthread_spin_unlock(&ct->ct_shards[shard].sh_lock);
}

static inline struct conn *
link_conn(struct conn_link *l, int dir)
{
	return container_of(l - dir, struct conn, c_link);
}

struct conn *
conn_find(struct conn_table *ct, unsigned shard, const struct tuple *t,
    int dir)
{
	return conn_find_if(ct, shard, t, dir, NULL, NULL);
}

struct conn *
conn_find_if(struct conn_table *ct, unsigned shard, const struct tuple *t,
    int dir, bool (*match)(const struct conn *c, const void *arg),
    const void *arg)
{
	struct conn_shard *sh = &ct->ct_shards[shard];
	struct conn_link *l;
	struct conn	*c;

	l = sh->sh_buckets[dir][tuple_bucket(ct, sh, t)];
	for (; l != NULL; l = l->cl_next) {
		c = link_conn(l, dir);
		if (memcmp(&c->c_tuple[dir], t, sizeof(*t)) == 0 &&
		    (match == NULL || match(c, arg)))
			return c;
	}
	return NULL;
}

int
conn_set_pe(struct conn_table *ct, unsigned shard, struct conn *c,
    const void *data, size_t len)
{
	struct conn_shard *sh = &ct->ct_shards[shard];
	struct conn_pe	*pe;

	if (len == 0 || len > CONN_PE_MAX || c->c_pe != NULL)
		return -EINVAL;
	if ((pe = sh->sh_pefree) != NULL)
		sh->sh_pefree = pe->pe_next;
	else if (sh->sh_peused < sh->sh_pemax)
		pe = &sh->sh_pe[sh->sh_peused++];
	else
		return -ENOSPC;
	pe->pe_next = NULL;
	pe->pe_len = (uint16_t)len;
	memcpy(pe->pe_data, data, len);
	c->c_pe = pe;
	return 0;
}

uint32_t
conn_hash_bytes(const struct conn_table *ct, const void *data, size_t len)
{
	const uint8_t	*b = data;
	uint64_t	 w[4], h = ct->ct_seed ^ len;
	size_t		 n;

	/* Four words at a time through the bucket hash. */
	while (len > 0) {
		memset(w, 0, sizeof(w));
		n = len < sizeof(w) ? len : sizeof(w);
		memcpy(w, b, n);
		h = hash_words(w, 4, h);
		b += n;
		len -= n;
	}
	return (uint32_t)(h ^ h >> 32);
}

static void
hash_link(struct conn_table *ct, struct conn_shard *sh, struct conn *c,
    int dir)
{
	struct conn_link **head;

	head = &sh->sh_buckets[dir][tuple_bucket(ct, sh, &c->c_tuple[dir])];
	c->c_link[dir].cl_next = *head;
	*head = &c->c_link[dir];
}

static void
unhash_link(struct conn_table *ct, struct conn_shard *sh, struct conn *c,
    int dir)
{
	struct conn_link **pp;

	pp = &sh->sh_buckets[dir][tuple_bucket(ct, sh, &c->c_tuple[dir])];
	for (; *pp != NULL; pp = &(*pp)->cl_next) {
		if (*pp == &c->c_link[dir]) {
			*pp = c->c_link[dir].cl_next;
			c->c_link[dir].cl_next = NULL;
			return;
		}
	}
	assert(!"conn not in its bucket");
}

/* File <c> at its expiry, or as near to it as the wheel reaches. */
static void
wheel_file(struct conn_shard *sh, struct conn *c)
{
	uint32_t	 t = c->c_expires, slot;
	struct conn	*head;

	if (t <= sh->sh_clock)
		t = sh->sh_clock + 1;
	else if (t - sh->sh_clock > WHEEL_SLOTS)
		t = sh->sh_clock + WHEEL_SLOTS;
	slot = t & WHEEL_MASK;
	head = sh->sh_wheel[slot];
	c->c_wnext = head;
	c->c_wprev = slot_tag(slot);
	if (head != NULL)
		head->c_wprev = c;
	sh->sh_wheel[slot] = c;
}

static void
wheel_unlink(struct conn_shard *sh, struct conn *c)
{
	if (is_slot_tag(c->c_wprev))
		sh->sh_wheel[tag_slot(c->c_wprev)] = c->c_wnext;
	else
		c->c_wprev->c_wnext = c->c_wnext;
	if (c->c_wnext != NULL)
		c->c_wnext->c_wprev = c->c_wprev;
	c->c_wnext = c->c_wprev = NULL;
}

struct conn *
conn_insert(struct conn_table *ct, unsigned shard, const struct tuple *in,
    const struct tuple *out, uint32_t now, uint32_t timeout)
{
	struct conn_shard *sh = &ct->ct_shards[shard];
	struct conn	*c;

	assert(conn_shard(ct, in, CONN_IN) == shard);
	assert(out == NULL || conn_shard(ct, out, CONN_OUT) == shard);
	if ((c = sh->sh_free) == NULL)
		return NULL;
	sh->sh_free = c->c_wnext;
	memset(c, 0, sizeof(*c));
	c->c_tuple[CONN_IN] = *in;
	hash_link(ct, sh, c, CONN_IN);
	if (out != NULL) {
		c->c_tuple[CONN_OUT] = *out;
		hash_link(ct, sh, c, CONN_OUT);
		c->c_flags |= CONN_F_HASOUT;
	}
	c->c_created = now;
	c->c_state = TCPS_NONE;
	c->c_expires = now + timeout;
	wheel_file(sh, c);
	__atomic_store_n(&sh->sh_count, sh->sh_count + 1, __ATOMIC_RELAXED);
	return c;
}

void
conn_touch(struct conn_table *ct, struct conn *c, uint32_t now)
{
	conn_touch_for(ct, c, now, conn_timeout_of(ct, c->c_state));
}

void
conn_touch_for(struct conn_table *ct, struct conn *c, uint32_t now,
    uint32_t timeout)
{
	struct conn_shard *sh;
	uint32_t	 expires = now + timeout;

	/*
	 * Later is the common case and costs one store; the reaper files
	 * the entry again when it comes to it.  Earlier (a state with a
	 * shorter timeout) must be filed now, or the entry would outlive
	 * its timeout.
	 */
	if (expires < c->c_expires) {
		sh = &ct->ct_shards[conn_shard(ct, &c->c_tuple[CONN_IN],
		    CONN_IN)];
		c->c_expires = expires;
		wheel_unlink(sh, c);
		wheel_file(sh, c);
	} else
		c->c_expires = expires;
}

/* Unhash <c>, release it and put it back on the free list. */
static void
conn_put(struct conn_table *ct, struct conn_shard *sh, struct conn *c,
    void (*release)(struct conn *c, void *arg), void *arg)
{
	unhash_link(ct, sh, c, CONN_IN);
	if (c->c_flags & CONN_F_HASOUT)
		unhash_link(ct, sh, c, CONN_OUT);
	if (release != NULL)
		release(c, arg);
	if (c->c_pe != NULL) {
		c->c_pe->pe_next = sh->sh_pefree;
		sh->sh_pefree = c->c_pe;
		c->c_pe = NULL;
	}
	c->c_wnext = sh->sh_free;
	sh->sh_free = c;
	__atomic_store_n(&sh->sh_count, sh->sh_count - 1, __ATOMIC_RELAXED);
}

void
conn_remove(struct conn_table *ct, unsigned shard, struct conn *c,
    void (*release)(struct conn *c, void *arg), void *arg)
{
	struct conn_shard *sh = &ct->ct_shards[shard];

	wheel_unlink(sh, c);
	conn_put(ct, sh, c, release, arg);
}

/*
 * Advance shard <s> to <now>.  Slots are taken in order of their second;
 * the lock is dropped after every <budget> entries so that workers
 * waiting for this shard get in.
 */
static uint32_t
expire_shard(struct conn_table *ct, unsigned s, uint32_t now,
    unsigned budget, void (*release)(struct conn *c, void *arg), void *arg)
{
	struct conn_shard *sh = &ct->ct_shards[s];
	struct conn	*c;
	uint32_t	 expired = 0, slot;
	unsigned	 held = 0;

	conn_lock(ct, s);
	/* A gap longer than the wheel: each slot needs one visit only. */
	if (now > sh->sh_clock && now - sh->sh_clock > WHEEL_SLOTS)
		sh->sh_clock = now - WHEEL_SLOTS;
	while (sh->sh_clock < now) {
		slot = (sh->sh_clock + 1) & WHEEL_MASK;
		while ((c = sh->sh_wheel[slot]) != NULL) {
			if (held++ == budget) {
				conn_unlock(ct, s);
				conn_lock(ct, s);
				held = 1;
				/* Workers may have emptied the slot. */
				if ((c = sh->sh_wheel[slot]) == NULL)
					break;
			}
			wheel_unlink(sh, c);
			/*
			 * A template lives while it controls connections:
			 * they may be in other shards, so c_nctl is atomic;
			 * it only grows under this shard's lock, so 0 seen
			 * here stays 0.
			 */
			if (c->c_expires <= now &&
			    (c->c_flags & CONN_F_TEMPLATE) &&
			    __atomic_load_n(&c->c_nctl, __ATOMIC_ACQUIRE) > 0)
				c->c_expires = now + CONN_TPL_RECHECK;
			if (c->c_expires <= now) {
				conn_put(ct, sh, c, release, arg);
				expired++;
			} else
				wheel_file(sh, c);
		}
		sh->sh_clock++;
	}
	conn_unlock(ct, s);
	return expired;
}

uint32_t
conn_expire(struct conn_table *ct, uint32_t now, unsigned budget,
    void (*release)(struct conn *c, void *arg), void *arg)
{
	uint32_t	 expired = 0;
	unsigned	 s;

	if (budget == 0)
		budget = 1;
	for (s = 0; s < ct->ct_nshards; s++)
		expired += expire_shard(ct, s, now, budget, release, arg);
	return expired;
}

int
conn_foreach(struct conn_table *ct,
    int (*fn)(const struct conn *c, void *arg), void *arg)
{
	struct conn_shard *sh;
	struct conn_link *l;
	unsigned	 s;
	uint32_t	 b;
	int		 r;

	for (s = 0; s < ct->ct_nshards; s++) {
		sh = &ct->ct_shards[s];
		conn_lock(ct, s);
		for (b = 0; b <= sh->sh_mask; b++) {
			for (l = sh->sh_buckets[CONN_IN][b]; l != NULL;
			    l = l->cl_next) {
				r = fn(container_of(l, struct conn,
				    c_link[CONN_IN]), arg);
				if (r != 0) {
					conn_unlock(ct, s);
					return r;
				}
			}
		}
		conn_unlock(ct, s);
	}
	return 0;
}
