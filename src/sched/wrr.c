/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wrr: weighted round robin with IPVS's order (ip_vs_wrr.c).
 *
 * IPVS walks the servers with a current weight cw that starts at the
 * largest weight and drops by the weights' gcd at every wrap, picking a
 * server whenever its weight >= cw: heavier servers get more connections
 * and get them first.  One full cycle is sum(w) / gcd picks.  init
 * (control thread) writes that cycle out once per snapshot; schedule
 * (workers) takes a ticket from a counter shared by all workers and picks
 * cycle[ticket mod length] (or the next entry whose server is not
 * overloaded), so shares are exact over whole cycles no matter which
 * worker asks.  Weights whose cycle would be longer than
 * WRR_SEQ_MAX are scaled down in proportion first (none below 1).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "sched/sched.h"
#include "table.h"

#define WRR_SEQ_MAX	65536

_Static_assert(RS_PER_SVC_MAX <= UINT16_MAX + 1, "wd_seq holds uint16_t");

struct wrr_data {
	unsigned long	 wd_ticket;	/* atomic; next pick */
	unsigned	 wd_len;
	uint16_t	 wd_seq[];	/* [wd_len] indices into svc_rs */
};

static uint64_t
wrr_gcd(uint64_t a, uint64_t b)
{
	uint64_t	 t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* <idx>[0..n) by weight, heaviest first, configuration order among equals. */
static void
wrr_sort(unsigned *idx, unsigned n, const uint64_t *w)
{
	unsigned	 i, j, x;

	for (i = 1; i < n; i++) {
		x = idx[i];
		for (j = i; j > 0 && w[idx[j - 1]] < w[x]; j--)
			idx[j] = idx[j - 1];
		idx[j] = x;
	}
}

static int
wrr_init(struct svc *svc)
{
	struct wrr_data	*wd = NULL;
	uint64_t	*w, sum = 0, osum, g = 0, cw;
	unsigned	*heavy, *act;
	unsigned	 i, j, n = svc->svc_nrs, npos = 0, nact = 0, next = 0;
	unsigned	 len = 0;

	w = calloc(n + 1, sizeof(*w));
	heavy = calloc(n + 1, sizeof(*heavy));
	act = calloc(n + 1, sizeof(*act));
	if (w == NULL || heavy == NULL || act == NULL)
		goto out;
	/* Overload comes and goes in place: schedule probes it. */
	for (i = 0; i < n; i++) {
		if (svc->svc_rs[i].rs_weight <= 0)
			continue;
		w[i] = (uint64_t)svc->svc_rs[i].rs_weight;
		sum += w[i];
		g = wrr_gcd(w[i], g);
		heavy[npos++] = i;
	}
	if (npos > 0 && sum / g > WRR_SEQ_MAX) {
		/* The floors add up to <= k, raising zeros to 1 to <= npos. */
		osum = sum;
		sum = g = 0;
		for (j = 0; j < npos; j++) {
			i = heavy[j];
			w[i] = w[i] * (WRR_SEQ_MAX - npos) / osum;
			if (w[i] == 0)
				w[i] = 1;
			sum += w[i];
			g = wrr_gcd(w[i], g);
		}
	}
	wrr_sort(heavy, npos, w);
	wd = calloc(1, sizeof(*wd) +
	    (npos > 0 ? sum / g : 0) * sizeof(wd->wd_seq[0]));
	if (wd == NULL)
		goto out;
	/*
	 * cw = max weight, then - gcd per wrap, down to gcd: each pass
	 * picks, in configuration order, every server with weight >= cw.
	 */
	for (cw = npos > 0 ? w[heavy[0]] : 0; cw > 0; cw -= g) {
		for (; next < npos && w[heavy[next]] >= cw; next++) {
			for (j = nact; j > 0 && act[j - 1] > heavy[next]; j--)
				act[j] = act[j - 1];
			act[j] = heavy[next];
			nact++;
		}
		for (j = 0; j < nact; j++)
			wd->wd_seq[len++] = (uint16_t)act[j];
	}
	wd->wd_len = len;
	svc->svc_sched_data = wd;
out:
	free(act);
	free(heavy);
	free(w);
	return wd == NULL ? -ENOMEM : 0;
}

static void
wrr_done(struct svc *svc)
{
	free(svc->svc_sched_data);
	svc->svc_sched_data = NULL;
}

/* cycle[ticket mod length]; see the top of the file for the cycle. */
static struct rs *
wrr_schedule(const struct svc *svc, const struct tuple *t)
{
	struct wrr_data	*wd = svc->svc_sched_data;
	struct rs	*rs;
	unsigned long	 tk;
	unsigned	 i, len = wd->wd_len;

	if (len == 0)
		return NULL;
	tk = __atomic_fetch_add(&wd->wd_ticket, 1, __ATOMIC_RELAXED);
	/* Skip overloaded servers (-x), keeping the others' order. */
	for (i = 0; i < len; i++) {
		rs = &svc->svc_rs[wd->wd_seq[(tk + i) % len]];
		if (rs_available(rs))
			return rs;
	}
	return NULL;
}

const struct sched_ops sched_wrr = {
	.name		= "wrr",
	.init		= wrr_init,
	.done		= wrr_done,
	.schedule	= wrr_schedule,
};
