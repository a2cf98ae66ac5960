/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mh: Maglev hashing, as IPVS's ip_vs_mh.c (Maglev paper, section 3.4).
 *
 * init (control thread) builds the lookup table of M entries (a prime,
 * 4093 unless mh_table_size says otherwise): every server gets a
 * permutation of the entries, offset = H1(RIP, port) mod M and skip =
 * H2(RIP, port) mod (M - 1) + 1, and the servers take turns claiming
 * their next free preferred entry until all M are taken.  A server's
 * turn claims (weight / gcd) >> shift entries (at least one), the shift
 * keeping the largest under 2^(bits(M) / 2), as IPVS does; the weight is
 * IPVS's last_weight, the latest non-zero one, so that quiescing a
 * server (weight 0) leaves the table, and every other client, alone.
 * Each server ends with its share of entries within one per weight
 * unit, and removing one moves its entries and few others.
 *
 * schedule (workers) looks up entry H1(source address [+ source port,
 * mh-port]) mod M: its server if available, else nothing, or with
 * mh-fallback the first available server probing H1 with offsets from
 * the original entry on.  H1 and H2 are the kernel's hsiphash (SipHash
 * 1-3 on 64-bit) with IPVS's fixed keys, so with the same servers, the
 * same order and the same M, uvs and IPVS map a client alike.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "pkt.h"
#include "sched/sched.h"
#include "table.h"

#define MH_NONE		0xffff

_Static_assert(RS_PER_SVC_MAX < MH_NONE, "mh entries hold uint16_t");

static unsigned	 mh_size = SCHED_MH_SIZE_DEFAULT;	/* control thread */

struct mh_data {
	unsigned	 md_size;	/* M */
	uint16_t	 md_tab[];	/* [M] svc_rs index or MH_NONE */
};

/* IPVS's generate_hash_secret(): fixed, so tables are reproducible. */
static const uint64_t	 mh_key1[2] = { 2654435761ULL, 2654435761ULL };
static const uint64_t	 mh_key2[2] = { 2654446892ULL, 2654446892ULL };

bool
sched_mh_size_ok(unsigned long m)
{
	unsigned long	 d;

	if (m < SCHED_MH_SIZE_MIN || m > SCHED_MH_SIZE_MAX)
		return false;
	if (m % 2 == 0)
		return false;
	for (d = 3; d * d <= m; d += 2)
		if (m % d == 0)
			return false;
	return true;
}

unsigned
sched_mh_set_size(unsigned m)
{
	unsigned	 old = mh_size;

	mh_size = m;
	return old;
}

const uint16_t *
sched_mh_table(const struct svc *svc, unsigned *ret_size)
{
	const struct mh_data *md = svc->svc_sched_data;

	*ret_size = md->md_size;
	return md->md_tab;
}

static inline uint64_t
rol64(uint64_t w, unsigned s)
{
	return (w << s) | (w >> (64 - s));
}

#define SIPROUND do {							\
	v0 += v1; v1 = rol64(v1, 13); v1 ^= v0; v0 = rol64(v0, 32);	\
	v2 += v3; v3 = rol64(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = rol64(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = rol64(v1, 17); v1 ^= v2; v2 = rol64(v2, 32);	\
} while (0)

/* The kernel's hsiphash(&v, 4, key) on 64-bit: SipHash-1-3, truncated. */
static uint32_t
mh_hsiphash(uint32_t v, const uint64_t key[2])
{
	uint64_t	 v0 = 0x736f6d6570736575ULL ^ key[0];
	uint64_t	 v1 = 0x646f72616e646f6dULL ^ key[1];
	uint64_t	 v2 = 0x6c7967656e657261ULL ^ key[0];
	uint64_t	 v3 = 0x7465646279746573ULL ^ key[1];
	uint64_t	 b = ((uint64_t)4 << 56) | v;

	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return (uint32_t)((v0 ^ v1) ^ (v2 ^ v3));
}

/* ip_vs_mh_hashkey(): hsiphash(offset + port + fold(addr)). */
static uint32_t
mh_hashkey(const union inaddr *a, uint8_t af, uint16_t port,
    const uint64_t key[2], unsigned offset)
{
	return mh_hsiphash(offset + ntohs(port) + sched_addr_fold(a, af), key);
}

static unsigned
mh_fls(uint64_t v)
{
	unsigned	 n = 0;

	for (; v != 0; v >>= 1)
		n++;
	return n;
}

static uint64_t
mh_gcd(uint64_t a, uint64_t b)
{
	uint64_t	 t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* ip_vs_mh_permutate() and ip_vs_mh_populate() into <md>. */
static int
mh_populate(struct mh_data *md, const struct svc *svc)
{
	struct rs	*rs;
	uint64_t	 g = 0, mw = 0, lw;
	uint32_t	*off, *skip, *turns;
	unsigned	 i, n, m = md->md_size, shift, c, dt = 0;
	int		 r = -ENOMEM;

	for (i = 0; i < m; i++)
		md->md_tab[i] = MH_NONE;
	for (i = 0; i < svc->svc_nrs; i++) {
		lw = (uint64_t)svc->svc_rs[i].rs_st->rss_last_weight;
		if (svc->svc_rs[i].rs_st->rss_last_weight <= 0)
			continue;
		g = mh_gcd(lw, g);
		if (lw > mw)
			mw = lw;
	}
	/* No server has ever had a weight: an empty table. */
	if (g == 0)
		return 0;
	n = mh_fls(mw / g);
	shift = n > mh_fls(m) / 2 ? n - mh_fls(m) / 2 : 0;
	off = calloc(svc->svc_nrs, sizeof(*off));
	skip = calloc(svc->svc_nrs, sizeof(*skip));
	turns = calloc(svc->svc_nrs, sizeof(*turns));
	if (off == NULL || skip == NULL || turns == NULL)
		goto out;
	for (i = 0; i < svc->svc_nrs; i++) {
		rs = &svc->svc_rs[i];
		off[i] = mh_hashkey(&rs->rs_ep.ep_addr.a, rs->rs_ep.ep_addr.a_af,
		    rs->rs_ep.ep_port, mh_key1, 0) % m;
		skip[i] = mh_hashkey(&rs->rs_ep.ep_addr.a,
		    rs->rs_ep.ep_addr.a_af, rs->rs_ep.ep_port, mh_key2, 0) %
		    (m - 1) + 1;
		lw = rs->rs_st->rss_last_weight > 0 ?
		    (uint64_t)rs->rs_st->rss_last_weight : 0;
		turns[i] = (uint32_t)((lw / g) >> shift);
		if (turns[i] == 0 && lw != 0)
			turns[i] = 1;
	}
	/*
	 * Servers in turn, each claiming turns[i] entries: its next
	 * preferred one still free, off[i] advancing by skip[i] mod M.
	 */
	for (n = 0, i = 0; n < m; ) {
		if (turns[i] == 0) {
			i = (i + 1) % svc->svc_nrs;
			continue;
		}
		for (c = off[i]; md->md_tab[c] != MH_NONE; c = off[i]) {
			off[i] += skip[i];
			if (off[i] >= m)
				off[i] -= m;
		}
		md->md_tab[c] = (uint16_t)i;
		n++;
		if (++dt >= turns[i]) {
			dt = 0;
			i = (i + 1) % svc->svc_nrs;
		}
	}
	r = 0;
out:
	free(turns);
	free(skip);
	free(off);
	return r;
}

static int
mh_init(struct svc *svc)
{
	struct mh_data	*md;
	int		 r;

	/* ip_vs_mh_reassign(): more servers than entries cannot work. */
	if (svc->svc_nrs > mh_size)
		return -EINVAL;
	md = malloc(sizeof(*md) + mh_size * sizeof(md->md_tab[0]));
	if (md == NULL)
		return -ENOMEM;
	md->md_size = mh_size;
	if ((r = mh_populate(md, svc)) != 0) {
		free(md);
		return r;
	}
	svc->svc_sched_data = md;
	return 0;
}

static void
mh_done(struct svc *svc)
{
	free(svc->svc_sched_data);
	svc->svc_sched_data = NULL;
}

static struct rs *
mh_schedule(const struct svc *svc, const struct tuple *t)
{
	const struct mh_data *md = svc->svc_sched_data;
	struct rs	*rs;
	uint16_t	 port = 0;
	unsigned	 ih, h, off, m = md->md_size;

	if (svc->svc_flags & SVC_F_SCHED2)	/* mh-port */
		port = t->t_sport;
	ih = mh_hashkey(&t->t_src, t->t_af, port, mh_key1, 0) % m;
	if (md->md_tab[ih] == MH_NONE)
		return NULL;
	rs = &svc->svc_rs[md->md_tab[ih]];
	if (rs_available(rs))
		return rs;
	if (!(svc->svc_flags & SVC_F_SCHED1))	/* mh-fallback */
		return NULL;
	for (off = 0; off < m; off++) {
		h = mh_hashkey(&t->t_src, t->t_af, port, mh_key1,
		    (off + ih) % m) % m;
		rs = &svc->svc_rs[md->md_tab[h]];
		if (rs_available(rs))
			return rs;
	}
	return NULL;
}

const struct sched_ops sched_mh = {
	.name		= "mh",
	.init		= mh_init,
	.done		= mh_done,
	.schedule	= mh_schedule,
};
