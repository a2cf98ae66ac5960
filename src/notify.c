/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sd_notify for uvsd (notify.h).  The watchdog is the point: systemd
 * restarts a daemon that stops sending WATCHDOG=1, so we send it only
 * when the control thread runs (it sends) and every worker advanced its
 * w_loops counter since the previous feed.  Workers bump the counter
 * once per loop and wake at least every 100 ms when idle, so a counter
 * that stands still for WatchdogSec/2 means a worker that hangs: no feed,
 * and systemd restarts uvsd (Restart=on-failure).  The state is one per
 * process, as uvsd is.  Control thread only.
 */
#include "config.h"

#include <ev.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "conn.h"
#include "daemon.h"
#include "log.h"
#include "notify.h"
#include "table.h"
#include "worker.h"

#define NOTIFY_STATUS_INTERVAL	5.0	/* seconds between STATUS= lines */
#define NOTIFY_WD_MIN		0.2	/* seconds: twice a worker's idle wake */

static struct {
	struct uvsd	*n_d;
	ev_timer	 n_status;
	ev_timer	 n_wd;
	bool		 n_wd_on;	/* the manager asked for WATCHDOG=1 */
	uint64_t	*n_loops;	/* [d_nworkers] at the previous check */
	double		*n_since;	/* [d_nworkers] ev_now of the last move */
	bool		*n_stuck;	/* [d_nworkers] reported stuck */
} notify;

static uint64_t
notify_monotonic_usec(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

char *
notify_status_fmt(const struct uvsd *d, char *buf, size_t len)
{
	const struct table	*t = NULL;
	unsigned		 i, nsvc = 0, nrs = 0, nstuck = 0, first = 0;
	size_t			 o;

	if (d->d_tables != NULL && (t = table_current(d->d_tables)) != NULL) {
		nsvc = t->t_nsvc;
		for (i = 0; i < t->t_nsvc; i++)
			nrs += t->t_svc[i].svc_nrs;
	}
	o = snprintf(buf, len, "%u worker%s on", d->d_nworkers,
	    d->d_nworkers == 1 ? "" : "s");
	for (i = 0; i < d->d_nifs && o < len; i++)
		o += snprintf(buf + o, len - o, " %s", d->d_ifs[i].if_name);
	if (o < len)
		o += snprintf(buf + o, len - o, ", %u service%s, %u real "
		    "server%s, %u connection%s", nsvc, nsvc == 1 ? "" : "s",
		    nrs, nrs == 1 ? "" : "s",
		    d->d_conns ? conn_count(d->d_conns) : 0,
		    d->d_conns && conn_count(d->d_conns) == 1 ? "" : "s");
	if (notify.n_stuck != NULL && notify.n_d == d)
		for (i = 0; i < d->d_nworkers; i++)
			if (notify.n_stuck[i] && nstuck++ == 0)
				first = i;
	if (nstuck > 0 && o < len)
		o += snprintf(buf + o, len - o, "; worker %u stuck%s", first,
		    nstuck > 1 ? " (and others)" : "");
	if (d->d_reload_result != 0 && o < len)
		snprintf(buf + o, len - o, "; last reload refused: %s",
		    d->d_reload_msg);
	return buf;
}

static void
notify_status(struct uvsd *d)
{
	char	 buf[512];

	sd_notifyf(0, "STATUS=%s", notify_status_fmt(d, buf, sizeof(buf)));
}

static void
on_status(struct ev_loop *loop, ev_timer *t, int revents)
{
	notify_status(t->data);
}

/*
 * Feed only if every worker moved since the last check.  A worker that
 * stands still is named once when it stops and once when it moves again.
 */
static void
on_watchdog(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct uvsd	*d = t->data;
	const char	*fields[2];
	char		 f[32];
	uint64_t	 loops;
	double		 now = ev_now(loop);
	unsigned	 i;
	bool		 all = true;

	for (i = 0; i < d->d_nworkers; i++) {
		loops = __atomic_load_n(&d->d_workers[i]->w_loops,
		    __ATOMIC_RELAXED);
		snprintf(f, sizeof(f), "UVS_WORKER=%u", i);
		fields[0] = f;
		fields[1] = NULL;
		if (loops != notify.n_loops[i]) {
			if (notify.n_stuck[i])
				log_fields(LOG_NOTICE, fields, "worker %u: "
				    "progressing again after %.1f s, feeding "
				    "the watchdog", i, now - notify.n_since[i]);
			notify.n_loops[i] = loops;
			notify.n_since[i] = now;
			notify.n_stuck[i] = false;
			continue;
		}
		all = false;
		if (!notify.n_stuck[i]) {
			notify.n_stuck[i] = true;
			log_fields(LOG_ERR, fields, "worker %u: stuck, no "
			    "progress for %.1f s; not feeding the watchdog, "
			    "systemd will restart uvsd", i,
			    now - notify.n_since[i]);
			notify_status(d);
		}
	}
	if (all)
		sd_notify(0, "WATCHDOG=1");
}

void
notify_start(struct uvsd *d)
{
	uint64_t	 usec = 0;
	double		 ivl;
	unsigned	 i, n = d->d_nworkers;

	notify.n_d = d;
	sd_notify(0, "READY=1");
	notify_status(d);
	ev_timer_init(&notify.n_status, on_status, NOTIFY_STATUS_INTERVAL,
	    NOTIFY_STATUS_INTERVAL);
	notify.n_status.data = d;
	ev_timer_start(d->d_loop, &notify.n_status);
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return;
	notify.n_loops = calloc(n ? n : 1, sizeof(*notify.n_loops));
	notify.n_since = calloc(n ? n : 1, sizeof(*notify.n_since));
	notify.n_stuck = calloc(n ? n : 1, sizeof(*notify.n_stuck));
	if (notify.n_loops == NULL || notify.n_since == NULL ||
	    notify.n_stuck == NULL) {
		log_err("cannot allocate the watchdog's state, not feeding "
		    "the watchdog");
		return;
	}
	for (i = 0; i < n; i++) {
		notify.n_loops[i] = __atomic_load_n(&d->d_workers[i]->w_loops,
		    __ATOMIC_RELAXED);
		notify.n_since[i] = ev_now(d->d_loop);
	}
	ivl = (double)usec / 2e6;
	if (ivl < NOTIFY_WD_MIN) {
		log_warn("WatchdogSec=%.3f s is below %.1f s: idle workers "
		    "would look stuck, checking every %.1f s", (double)usec / 1e6,
		    2 * NOTIFY_WD_MIN, NOTIFY_WD_MIN);
		ivl = NOTIFY_WD_MIN;
	}
	ev_timer_init(&notify.n_wd, on_watchdog, ivl, ivl);
	notify.n_wd.data = d;
	ev_timer_start(d->d_loop, &notify.n_wd);
	notify.n_wd_on = true;
	sd_notify(0, "WATCHDOG=1");
	log_info("watchdog: every %.1f s while all %u workers progress",
	    ivl, n);
}

void
notify_stopping(struct uvsd *d)
{
	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
	if (notify.n_d != d)
		return;
	ev_timer_stop(d->d_loop, &notify.n_status);
	if (notify.n_wd_on)
		ev_timer_stop(d->d_loop, &notify.n_wd);
	notify.n_wd_on = false;
	free(notify.n_loops);
	free(notify.n_since);
	free(notify.n_stuck);
	notify.n_loops = NULL;
	notify.n_since = NULL;
	notify.n_stuck = NULL;
	notify.n_d = NULL;
}

void
notify_reloading(const char *path)
{
	sd_notifyf(0, "RELOADING=1\nSTATUS=reloading %s\nMONOTONIC_USEC=%llu",
	    path, (unsigned long long)notify_monotonic_usec());
}

void
notify_reloaded(const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[768];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sd_notifyf(0, "READY=1\nSTATUS=%s", buf);
}
