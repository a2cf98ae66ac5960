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

#include <stdint.h>

struct rs;
struct svc;
struct tuple;

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

#define SCHED_DEFAULT	"wlc"

/* The scheduler named <name>, or NULL. */
const struct sched_ops *sched_find(const char *name);
/* IPVS's connection overhead: active * 256 + inactive. */
uint32_t sched_overhead(const struct rs *rs);

#endif
