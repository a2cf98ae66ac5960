/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sh: source hashing, as IPVS's ip_vs_sh.c.  init (control thread)
 * deals 256 buckets out to the servers by weight (sched_tile()); a new
 * connection goes to bucket hash(source address [+ source port]) and
 * takes its server if that one is available, else nothing, or with
 * sh-fallback the first available server met probing bucket
 * hash + offset for offsets from the original bucket on.  The hash and
 * the probe order are IPVS's, so a client lands where IPVS would put
 * it given the same servers in the same order.  Workers read the table.
 *
 *	bucket = (offset + hash_32(port + fold(addr), 8)) & 255
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "pkt.h"
#include "sched/sched.h"
#include "table.h"

#define SH_TAB_BITS	8
#define SH_TAB_SIZE	(1U << SH_TAB_BITS)

struct sh_data {
	uint16_t	 sd_tab[SH_TAB_SIZE];	/* svc_rs index or SCHED_TILE_NONE */
};

static int
sh_init(struct svc *svc)
{
	struct sh_data	*sd;

	if ((sd = malloc(sizeof(*sd))) == NULL)
		return -ENOMEM;
	sched_tile(svc, sd->sd_tab, SH_TAB_SIZE);
	svc->svc_sched_data = sd;
	return 0;
}

static void
sh_done(struct svc *svc)
{
	free(svc->svc_sched_data);
	svc->svc_sched_data = NULL;
}

static unsigned
sh_hash(uint32_t key, unsigned offset)
{
	return (offset + sched_hash32(key, SH_TAB_BITS)) & (SH_TAB_SIZE - 1);
}

static struct rs *
sh_schedule(const struct svc *svc, const struct tuple *t)
{
	const struct sh_data *sd = svc->svc_sched_data;
	struct rs	*rs;
	uint32_t	 key;
	unsigned	 h, ih, off;

	key = sched_addr_fold(&t->t_src, t->t_af);
	if (svc->svc_flags & SVC_F_SCHED2)	/* sh-port */
		key += ntohs(t->t_sport);
	ih = sh_hash(key, 0);
	if (sd->sd_tab[ih] == SCHED_TILE_NONE)
		return NULL;
	rs = &svc->svc_rs[sd->sd_tab[ih]];
	if (rs_available(rs))
		return rs;
	if (!(svc->svc_flags & SVC_F_SCHED1))	/* sh-fallback */
		return NULL;
	for (off = 0; off < SH_TAB_SIZE; off++) {
		h = sh_hash(key, (off + ih) % SH_TAB_SIZE);
		rs = &svc->svc_rs[sd->sd_tab[h]];
		if (rs_available(rs))
			return rs;
	}
	return NULL;
}

const struct sched_ops sched_sh = {
	.name		= "sh",
	.init		= sh_init,
	.done		= sh_done,
	.schedule	= sh_schedule,
};
