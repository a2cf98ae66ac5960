/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Schedulers: one file each, one const ops struct at its end, one entry
 * in the table in sched.c.  init runs in the control thread when a
 * snapshot is built and may keep state in svc_sched_data (freed by done
 * when the snapshot goes); schedule runs in workers, without locks, and
 * returns an available real server of <svc> or NULL.  Counters it reads
 * (rss_active, rss_inactive) are racy by nature, as in IPVS.
 */
#ifndef UVS_SCHED_H
#define UVS_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct rs;
struct svc;
struct tuple;
union inaddr;

struct sched_ops {
	const char	*name;		/* what uvsadm -s takes */
	int		(*init)(struct svc *svc);		/* control; may be NULL */
	void		(*done)(struct svc *svc);		/* control; may be NULL */
	struct rs	*(*schedule)(const struct svc *svc,	/* worker */
			    const struct tuple *t);
};

extern const struct sched_ops sched_rr;
extern const struct sched_ops sched_wrr;
extern const struct sched_ops sched_lc;
extern const struct sched_ops sched_wlc;
extern const struct sched_ops sched_sed;
extern const struct sched_ops sched_nq;
extern const struct sched_ops sched_sh;
extern const struct sched_ops sched_dh;
extern const struct sched_ops sched_mh;
extern const struct sched_ops sched_lblc;
extern const struct sched_ops sched_lblcr;
extern const struct sched_ops sched_fo;
extern const struct sched_ops sched_ovf;
extern const struct sched_ops sched_twos;

#define SCHED_DEFAULT	"wlc"
/* All of them, as ipvsadm's help lists them (twos is newer). */
#define SCHED_NAMES	"rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh|twos"

/* Maglev lookup table size (mh): a prime in [MIN, MAX]; IPVS's default. */
#define SCHED_MH_SIZE_DEFAULT	4093
#define SCHED_MH_SIZE_MIN	7
#define SCHED_MH_SIZE_MAX	65537

/* The scheduler named <name>, or NULL. */
const struct sched_ops *sched_find(const char *name);
/* IPVS's connection overhead: active * 256 + inactive. */
uint32_t sched_overhead(const struct rs *rs);
/*
 * The available rs of <svc> with the least cost(rs) per unit of weight
 * (<weighted>; else the least cost), or NULL: the loop of IPVS's lc, wlc,
 * sed and nq.  A cost of 0 wins at once (nothing can beat it: nq's idle
 * server); other ties go to the first configured.
 */
struct rs *sched_least(const struct svc *svc,
	    uint32_t (*cost)(const struct rs *), bool weighted);
/*
 * IPVS's address key: the address in host order, IPv6 folded by XOR of
 * its four words.  Any thread.
 */
uint32_t sched_addr_fold(const union inaddr *a, uint8_t af);
/*
 * 64 bits mixed from all of <a> and <af> (lblc, lblcr: their buckets and
 * tags tell IPv6 addresses apart, unlike the folded key).  Any thread.
 */
uint64_t sched_addr_mix(const union inaddr *a, uint8_t af);
/*
 * <map>[i] = the index in <svc> of real server <i> of <old> (the same
 * rs_state), or -1 if it is gone.  Control thread.
 */
void	 sched_rs_map(const struct svc *old, const struct svc *svc, int *map);
/*
 * lblc/lblcr's is_overloaded(): <rs> has more active connections than
 * its weight while some server of <svc> has fewer than half its own.
 * Workers.
 */
bool	 sched_lb_overloaded(const struct rs *rs, const struct svc *svc);
/* The kernel's hash_32(): the top <bits> bits of <v> * golden ratio. */
static inline uint32_t
sched_hash32(uint32_t v, unsigned bits)
{
	return (v * 0x61C88647U) >> (32 - bits);
}

/*
 * IPVS's sh/dh table: <size> buckets dealt out in configuration order,
 * each server taking as many consecutive buckets as its weight (weight
 * 0 still takes one, as ip_vs_sh_reassign() does), cycling until full.
 * <tab>[i] is an index into svc_rs, SCHED_TILE_NONE without servers.
 * Control thread.
 */
#define SCHED_TILE_NONE	0xffff
void	 sched_tile(const struct svc *svc, uint16_t *tab, unsigned size);

/*
 * <m> may be the mh table size: a prime in [SCHED_MH_SIZE_MIN,
 * SCHED_MH_SIZE_MAX].  Any thread.
 */
bool	 sched_mh_size_ok(unsigned long m);
/*
 * Size of the mh tables the next snapshots build (services keep theirs
 * until rebuilt); returns the previous size.  Control thread, with
 * sched_mh_size_ok(<m>).
 */
unsigned sched_mh_set_size(unsigned m);
/*
 * The mh lookup table of <svc> (an mh service of a snapshot): <ret_size>
 * entries, each an index into svc_rs or 0xffff (no server).  Tests.
 */
const uint16_t *sched_mh_table(const struct svc *svc, unsigned *ret_size);

/*
 * Seconds for the lblc/lblcr tables' ages: conn_now() (no system call:
 * the vDSO's coarse clock).  Tests point it elsewhere.
 */
extern uint32_t (*sched_clock)(void);

#endif
