/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Start-up, the control thread's loop and shutdown (daemon.h).  Order of
 * start: interfaces, tables, the nftables table (the host must not
 * answer before we do), neighbours, rings for every worker (all of them
 * before any frame is handled, so the fanout group is complete and
 * stable), workers, then the admin socket and READY=1.  The -f file's
 * table is committed before the rings open, so the first frame already
 * meets it.  A reload (SIGHUP, the reload verb) loads the file into a new
 * struct cfg and applies it only when all of it is valid; table_commit()
 * keeps the states of what did not change, so counters and connections
 * survive.  Stop runs the other way round.  Control thread only.
 */
#include "config.h"

#include <errno.h>
#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "arpnd.h"
#include "conn.h"
#include "ctl.h"
#include "ctl_proto.h"
#include "daemon.h"
#include "epoch.h"
#include "filter.h"
#include "health.h"
#include "laddr.h"
#include "log.h"
#include "neigh.h"
#include "nft.h"
#include "notify.h"
#include "sched/sched.h"
#include "stats.h"
#include "table.h"
#include "worker.h"
#include "xmit/xmit.h"

#define CONN_SHARDS	64
#define REAP_INTERVAL	0.25	/* seconds between expiry passes */
#define REAP_BUDGET	256	/* entries per shard lock hold */

void
daemon_opts_default(struct uvsd_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->o_socket = CTL_DEFAULT_SOCKET;
	o->o_conn_max = 1 << 20;
	o->o_lport_lo = LPORT_LO_DEFAULT;
	o->o_lport_hi = LPORT_HI_DEFAULT;
	o->o_block_size = 1 << 18;
	o->o_block_nr = 64;
	o->o_tx_mode = TX_MMSG;
	o->o_loglevel = LOG_INFO;
}

unsigned
daemon_nworkers(const struct uvsd_opts *o)
{
	long	 n;

	if (o->o_workers > 0)
		return o->o_workers;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

/* Swap filters and nftables sets to a new snapshot. */
static void
daemon_on_publish(const struct table *t, void *arg)
{
	struct uvsd		*d = arg;
	struct sock_fprog	 prog;
	struct uvs_err		 err = { .e_line = 0 };
	unsigned		 i, j;
	int			 r;

	if (d->d_workers != NULL) {
		if ((r = filter_build(t, d->d_arpnd, &prog)) != 0) {
			log_errno(LOG_ERR, r, "cannot build the socket filter");
		} else {
			for (i = 0; i < d->d_nworkers; i++)
				for (j = 0; j < d->d_workers[i]->w_nrings; j++)
					if ((r = ring_set_filter(
					    &d->d_workers[i]->w_ring[j], &prog)) != 0)
						log_errno(LOG_ERR, r,
						    "%s: cannot swap the socket filter",
						    d->d_ifs[j].if_name);
			filter_free(&prog);
		}
	}
	if (d->d_arpnd_mc != NULL && (r = arpnd_mc_sync(d->d_arpnd_mc,
	    d->d_ifs, d->d_nifs, d->d_arpnd, t)) != 0)
		log_errno(LOG_ERR, r, "cannot join the solicited-node "
		    "multicast groups of the VIPs");
	if (d->d_nft != NULL && nft_sync(d->d_nft, t, &err) != 0)
		log_err("nftables: cannot update the drop sets, the host "
		    "stack may see service traffic: %s", err.e_text);
}

int
daemon_init_tables(struct uvsd *d, unsigned nstats)
{
	struct conn_timeouts	 to;
	unsigned		 i;

	if (nstats == 0)
		nstats = 1;
	if ((d->d_wstats = calloc(nstats, sizeof(*d->d_wstats))) == NULL)
		return -ENOMEM;
	for (i = 0; i < nstats; i++)
		if ((d->d_wstats[i] = calloc(1, sizeof(struct wstats))) == NULL)
			goto out_nomem;
	if ((d->d_epoch = epoch_new(d->d_nworkers)) == NULL)
		goto out_nomem;
	tcp_timeouts_default(&to);
	if (d->d_opts.o_conn_max == 0)
		d->d_opts.o_conn_max = 1 << 20;
	d->d_conns = conn_table_new(d->d_opts.o_conn_max, CONN_SHARDS, &to);
	if (d->d_conns == NULL)
		goto out_nomem;
	if (d->d_opts.o_lport_lo == 0 ||
	    d->d_opts.o_lport_lo > d->d_opts.o_lport_hi) {
		d->d_opts.o_lport_lo = LPORT_LO_DEFAULT;
		d->d_opts.o_lport_hi = LPORT_HI_DEFAULT;
	}
	d->d_laddrs = laddr_set_new(d->d_conns, d->d_opts.o_lport_lo,
	    d->d_opts.o_lport_hi);
	if (d->d_laddrs == NULL)
		goto out_nomem;
	d->d_tables = table_ctl_new(d->d_epoch, daemon_on_publish, d);
	if (d->d_tables == NULL)
		goto out_nomem;
	table_set_stats(d->d_tables, d->d_wstats, nstats);
	table_set_laddrs(d->d_tables, d->d_laddrs);
	d->d_started = time(NULL);
	return 0;
out_nomem:
	daemon_free_tables(d);
	return -ENOMEM;
}

void
daemon_free_tables(struct uvsd *d)
{
	unsigned	 i, n = d->d_nworkers ? d->d_nworkers : 1;

	if (d->d_conns != NULL)
		conn_table_free(d->d_conns, worker_conn_release, NULL);
	d->d_conns = NULL;
	table_ctl_free(d->d_tables);
	/* After the connections, which gave their ports back. */
	laddr_set_free(d->d_laddrs);
	d->d_laddrs = NULL;
	d->d_tables = NULL;
	epoch_free(d->d_epoch);
	d->d_epoch = NULL;
	if (d->d_wstats != NULL)
		for (i = 0; i < n; i++)
			free(d->d_wstats[i]);
	free(d->d_wstats);
	d->d_wstats = NULL;
	cfg_free(d->d_cfg);
	free(d->d_cfg);
	d->d_cfg = NULL;
	vsconf_free(d->d_conf);
	d->d_conf = NULL;
}

/*
 * Resolve the next hop of every real server state, or of those without
 * one (<all> false).  Runs on neighbour/route events and from a timer.
 */
static void
daemon_resolve(struct uvsd *d, bool all)
{
	struct rs_state	*rss;
	union inaddr	 src;
	char		 buf[EP_STRLEN];
	uint64_t	 nh, old;
	unsigned	 slot;
	int		 r;

	if (d->d_neigh == NULL)
		return;
	for (rss = table_rs_states(d->d_tables); rss != NULL;
	    rss = rss->rss_next) {
		if (!all && __atomic_load_n(&rss->rss_nh, __ATOMIC_RELAXED))
			continue;
		nh = 0;
		r = neigh_resolve(d->d_neigh, &rss->rss_ep.ep_addr, &nh, &src);
		if (r != 0 && r != rss->rss_nh_err && r != -EAGAIN)
			log_errno(LOG_WARNING, r, "real server %s: no next hop",
			    ep_fmt(&rss->rss_ep, buf, sizeof(buf)));
		else if (r == 0 && rss->rss_nh_err != 0)
			log_info("real server %s: next hop resolved",
			    ep_fmt(&rss->rss_ep, buf, sizeof(buf)));
		rss->rss_nh_err = r;
		/*
		 * The tunnel source goes in the slot workers are not told
		 * to read, then rss_nh names it (table.h, NH_SRC_BIT).
		 */
		old = __atomic_load_n(&rss->rss_nh, __ATOMIC_RELAXED);
		slot = (old & NH_SRC_BIT) ? 1 : 0;
		if (r == 0 && memcmp(&rss->rss_src[slot], &src,
		    sizeof(src)) != 0) {
			slot ^= 1;
			rss->rss_src[slot] = src;
		}
		if (r == 0 && slot)
			nh |= NH_SRC_BIT;
		__atomic_store_n(&rss->rss_nh, r == 0 ? nh : 0,
		    __ATOMIC_RELEASE);
	}
}

static void
on_neigh(struct ev_loop *loop, ev_io *io, int revents)
{
	struct uvsd	*d = io->data;

	if (neigh_read_events(d->d_neigh) > 0)
		daemon_resolve(d, true);
}

static void
on_reap(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct uvsd	*d = t->data;

	conn_expire(d->d_conns, conn_now(), REAP_BUDGET, worker_conn_release,
	    NULL);
}

/* --rate: the kernel's estimator ticks every 2 seconds. */
static void
on_estimate(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct uvsd	*d = t->data;

	stats_estimate(d->d_wstats, d->d_nworkers ? d->d_nworkers : 1);
}

static void
on_housekeeping(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct uvsd	*d = t->data;

	daemon_resolve(d, false);
	table_gc(d->d_tables);
	epoch_reclaim(d->d_epoch);
}

static void
on_stop(struct ev_loop *loop, ev_signal *s, int revents)
{
	log_notice("signal %d: stopping", s->signum);
	ev_break(loop, EVBREAK_ALL);
}

static void
on_hup(struct ev_loop *loop, ev_signal *s, int revents)
{
	struct uvsd	*d = s->data;
	struct uvs_err	 err;

	/* daemon_reload() logs the outcome. */
	daemon_reload(d, &err);
}

/* A commit resolves new real servers at once, not a second later. */
void
daemon_after_commit(struct uvsd *d)
{
	daemon_resolve(d, false);
}

const struct vs_conf *
daemon_conf(const struct uvsd *d)
{
	return d->d_conf != NULL ? d->d_conf : table_conf(d->d_tables);
}

/*
 * <vc> reads as <run> runs (table_commit() normalises what it commits):
 * services are in the same order, real servers take their running port.
 */
static void
daemon_norm(struct vs_conf *vc, const struct vs_conf *run)
{
	struct svc_conf		*sc;
	struct rs_conf		*rc;
	unsigned		 i, j;

	for (i = 0; i < vc->vc_nsvc && i < run->vc_nsvc; i++) {
		sc = &vc->vc_svc[i];
		memcpy(sc->sc_sched, run->vc_svc[i].sc_sched,
		    sizeof(sc->sc_sched));
		sc->sc_flags = run->vc_svc[i].sc_flags;
		sc->sc_netmask = run->vc_svc[i].sc_netmask;
		for (j = 0; j < sc->sc_nrs; j++) {
			rc = &sc->sc_rs[j];
			if (XMIT_SAME_PORT(rc->rc_method) || rc->rc_ep.ep_port == 0)
				rc->rc_ep.ep_port = sc->sc_ep.ep_port;
		}
	}
}

int
daemon_commit(struct uvsd *d, struct vs_conf *vc, struct uvs_err *err)
{
	struct vs_conf	*run;
	int		 r;

	if (!health_active(d->d_health)) {
		if ((r = table_commit(d->d_tables, vc, err)) != 0)
			return r;
		vsconf_free(d->d_conf);
		d->d_conf = NULL;
	} else {
		if ((run = health_apply(d->d_health, vc)) == NULL) {
			uvs_err_set(err, "out of memory");
			return -ENOMEM;
		}
		if ((r = table_commit(d->d_tables, run, err)) != 0) {
			vsconf_free(run);
			return r;
		}
		daemon_norm(vc, run);
		if (d->d_conf != vc)
			vsconf_free(d->d_conf);
		d->d_conf = vc;
	}
	d->d_commits++;
	daemon_after_commit(d);
	return 0;
}

/* Health states changed: run what the configuration and they make. */
static void
daemon_on_health(void *arg)
{
	struct uvsd	*d = arg;
	struct vs_conf	*run;
	struct uvs_err	 err = { .e_line = 0 };
	int		 r;

	if (d->d_conf == NULL)
		return;
	if ((run = health_apply(d->d_health, d->d_conf)) == NULL) {
		log_err("health: out of memory, keeping the running table");
		return;
	}
	if ((r = table_commit(d->d_tables, run, &err)) != 0) {
		vsconf_free(run);
		log_errno(LOG_ERR, r, "health: cannot commit, keeping the "
		    "running table: %s", err.e_text);
		return;
	}
	d->d_commits++;
	daemon_after_commit(d);
}

/*
 * Make what <c> says run: its table (which then no longer belongs to
 * <c>), timeouts and expire_nodest_conn.  The table goes first, being the
 * only part that can fail, so a failure changes nothing.  Settings the
 * file leaves out take their defaults: the file wins over uvsadm.
 */
static int
daemon_apply_cfg(struct uvsd *d, struct cfg *c, struct uvs_err *err)
{
	struct conn_timeouts	 to;
	unsigned		 old_mh;
	int			 r;

	if (d->d_health != NULL) {
		/* Unchanged checks keep their state (health_set_conf()). */
		if ((r = health_set_conf(d->d_health, c->cf_health)) != 0) {
			c->cf_health = NULL;
			uvs_err_set(err, "out of memory");
			return r;
		}
		c->cf_health = NULL;
	}
	if (c->cf_vc != NULL) {
		/* The new snapshot's mh tables: the option's, the file's. */
		old_mh = sched_mh_set_size(d->d_opts.o_mh_table_size != 0 ?
		    d->d_opts.o_mh_table_size : c->cf_mh_table_size != 0 ?
		    c->cf_mh_table_size : SCHED_MH_SIZE_DEFAULT);
		if ((r = daemon_commit(d, c->cf_vc, err)) != 0) {
			sched_mh_set_size(old_mh);
			return r;
		}
		c->cf_vc = NULL;
	}
	tcp_timeouts_default(&to);
	if (c->cf_to_tcp != 0)
		to.ct_tcp[TCPS_ESTABLISHED] = c->cf_to_tcp;
	if (c->cf_to_tcpfin != 0)
		to.ct_tcp[TCPS_FIN_WAIT] = c->cf_to_tcpfin;
	if (c->cf_to_udp != 0)
		to.ct_udp = c->cf_to_udp;
	conn_set_timeouts(d->d_conns, &to);
	/* Workers read it per packet. */
	__atomic_store_n(&d->d_opts.o_expire_nodest_conn,
	    c->cf_expire_nodest_conn, __ATOMIC_RELAXED);
	return 0;
}

int
daemon_reload(struct uvsd *d, struct uvs_err *err)
{
	struct uvs_err	 errs[CFG_ERRS_MAX], tmp;
	struct cfg	 n, *c;
	const char	*path = d->d_opts.o_config;
	char		 buf[sizeof(errs[0].e_file) + sizeof(errs[0].e_text) + 16];
	unsigned	 nerrs = 0, nsvc = 0, nrs = 0, i;
	int		 r;

	if (err == NULL)
		err = &tmp;
	memset(err, 0, sizeof(*err));
	if (path == NULL) {
		uvs_err_set(err, "no configuration file: uvsd runs without -f");
		log_notice("reload: %s, nothing to reload", err->e_text);
		return -ENOENT;
	}
	notify_reloading(path);
	r = cfg_load_file(path, &n, errs, nitems(errs), &nerrs);
	if (r != 0) {
		if (nerrs > 0)
			*err = errs[0];
		else
			uvs_err_at(err, path, 0, "%s", strerror(-r));
	} else if (d->d_cfg != NULL &&
	    (r = cfg_restart_diff(d->d_cfg, &n, path, err)) != 0) {
		cfg_free(&n);
	} else {
		nsvc = n.cf_nsvc;
		nrs = n.cf_nrs;
		if ((r = daemon_apply_cfg(d, &n, err)) != 0) {
			if (err->e_file[0] == '\0')
				snprintf(err->e_file, sizeof(err->e_file), "%s",
				    path);
			cfg_free(&n);
		} else if (d->d_cfg != NULL) {
			/* Restart-only settings are equal: d_opts stays valid. */
			*d->d_cfg = n;
		} else if ((c = malloc(sizeof(*c))) != NULL) {
			*c = n;
			d->d_cfg = c;
		}
	}
	d->d_reload_time = time(NULL);
	d->d_reload_result = r;
	if (r != 0) {
		uvs_err_fmt(err, d->d_reload_msg, sizeof(d->d_reload_msg));
		log_err("reload refused, keeping running configuration: %s",
		    d->d_reload_msg);
		/* status shows the first error; the journal gets them all. */
		for (i = 1; i < nerrs; i++)
			log_err("reload refused, keeping running "
			    "configuration: %s",
			    uvs_err_fmt(&errs[i], buf, sizeof(buf)));
		notify_reloaded("reload refused, running configuration "
		    "kept: %s", d->d_reload_msg);
		return r;
	}
	d->d_reload_msg[0] = '\0';
	log_notice("reloaded %s: %u services, %u real servers", path, nsvc,
	    nrs);
	notify_reloaded("reloaded %s: %u services, %u real servers", path,
	    nsvc, nrs);
	return 0;
}

static int
daemon_open_workers(struct uvsd *d)
{
	struct ring_opts	 ro;
	unsigned		 i;
	int			 r;

	memset(&ro, 0, sizeof(ro));
	ro.ro_block_size = d->d_opts.o_block_size;
	ro.ro_block_nr = d->d_opts.o_block_nr;
	ro.ro_tov_ms = 1;
	ro.ro_tx_mode = d->d_opts.o_tx_mode;
	ro.ro_qdisc_bypass = d->d_opts.o_qdisc_bypass;
	ro.ro_sndbuf = 4 << 20;
	if ((d->d_workers = calloc(d->d_nworkers, sizeof(*d->d_workers))) == NULL)
		return -ENOMEM;
	for (i = 0; i < d->d_nworkers; i++) {
		if ((d->d_workers[i] = calloc(1, sizeof(struct worker))) == NULL)
			return -ENOMEM;
		if ((r = worker_open(d->d_workers[i], d, i, &ro)) != 0)
			return log_errno(LOG_ERR, r,
			    "worker %u: cannot open its rings", i);
	}
	/* Filters for the (empty) table before the first frame is read. */
	daemon_on_publish(table_current(d->d_tables), d);
	for (i = 0; i < d->d_nworkers; i++)
		if ((r = worker_start(d->d_workers[i])) != 0)
			return log_errno(LOG_ERR, r, "worker %u: cannot start", i);
	return 0;
}

static void
daemon_close_workers(struct uvsd *d)
{
	unsigned	 i;

	if (d->d_workers == NULL)
		return;
	__atomic_store_n(&d->d_stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < d->d_nworkers; i++)
		if (d->d_workers[i] != NULL)
			worker_join(d->d_workers[i]);
	for (i = 0; i < d->d_nworkers; i++) {
		if (d->d_workers[i] != NULL)
			worker_close(d->d_workers[i]);
		free(d->d_workers[i]);
	}
	free(d->d_workers);
	d->d_workers = NULL;
}

int
daemon_run(struct uvsd *d)
{
	struct uvs_err	 err = { .e_line = 0 };
	ev_signal	 sig_term, sig_int, sig_hup;
	ev_timer	 reap, hk, est;
	ev_io		 nio;
	unsigned	 i, nsvc, nrs;
	int		 r, rc = 1;

	d->d_nifs = d->d_opts.o_nifs;
	for (i = 0; i < d->d_nifs; i++)
		if ((r = iface_get(d->d_opts.o_ifnames[i], &d->d_ifs[i])) != 0) {
			log_errno(LOG_ERR, r, "%s: cannot use interface",
			    d->d_opts.o_ifnames[i]);
			return 1;
		}
	d->d_nworkers = daemon_nworkers(&d->d_opts);
	if ((r = daemon_init_tables(d, d->d_nworkers)) != 0) {
		log_errno(LOG_ERR, r, "cannot allocate tables");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	d->d_loop = ev_default_loop(EVFLAG_AUTO);
	if ((d->d_health = health_new(d->d_loop, daemon_on_health, d)) == NULL) {
		log_err("cannot allocate health checks");
		goto out_tables;
	}
	if ((d->d_nft = nft_open(d->d_ifs, d->d_nifs, d->d_opts.o_lport_lo,
	    d->d_opts.o_lport_hi, &err)) == NULL) {
		log_err("nftables: cannot create table netdev %s: %s",
		    NFT_TABLE, err.e_text);
		goto out_tables;
	}
	if ((d->d_neigh = neigh_open(d->d_ifs, d->d_nifs)) == NULL) {
		log_err("cannot open rtnetlink sockets");
		goto out_nft;
	}
	if (d->d_opts.o_arpnd.an_all || d->d_opts.o_arpnd.an_n > 0) {
		d->d_arpnd = &d->d_opts.o_arpnd;
		if ((d->d_arpnd_mc = arpnd_mc_open()) == NULL) {
			log_errno(LOG_ERR, -errno, "cannot open the socket "
			    "for multicast memberships");
			goto out_workers;
		}
	}
	if (d->d_cfg != NULL) {
		nsvc = d->d_cfg->cf_nsvc;
		nrs = d->d_cfg->cf_nrs;
		if (daemon_apply_cfg(d, d->d_cfg, &err) != 0) {
			log_err("%s: cannot apply: %s", d->d_opts.o_config,
			    err.e_text);
			goto out_workers;
		}
		log_notice("loaded %s: %u services, %u real servers",
		    d->d_opts.o_config, nsvc, nrs);
	}
	if (daemon_open_workers(d) != 0)
		goto out_workers;
	if ((d->d_ctl = ctl_open(d, d->d_loop, d->d_opts.o_socket, &r)) == NULL) {
		log_errno(LOG_ERR, r, "%s: cannot listen", d->d_opts.o_socket);
		goto out_workers;
	}

	ev_signal_init(&sig_term, on_stop, SIGTERM);
	ev_signal_init(&sig_int, on_stop, SIGINT);
	ev_signal_init(&sig_hup, on_hup, SIGHUP);
	sig_hup.data = d;
	ev_signal_start(d->d_loop, &sig_term);
	ev_signal_start(d->d_loop, &sig_int);
	ev_signal_start(d->d_loop, &sig_hup);
	ev_timer_init(&reap, on_reap, REAP_INTERVAL, REAP_INTERVAL);
	reap.data = d;
	ev_timer_start(d->d_loop, &reap);
	ev_timer_init(&hk, on_housekeeping, 1.0, 1.0);
	hk.data = d;
	ev_timer_start(d->d_loop, &hk);
	ev_timer_init(&est, on_estimate, STATS_EST_INTERVAL,
	    STATS_EST_INTERVAL);
	est.data = d;
	ev_timer_start(d->d_loop, &est);
	ev_io_init(&nio, on_neigh, neigh_event_fd(d->d_neigh), EV_READ);
	nio.data = d;
	ev_io_start(d->d_loop, &nio);

	log_notice("started: %u workers on %u interfaces, admin socket %s",
	    d->d_nworkers, d->d_nifs, d->d_opts.o_socket);
	/* Every worker runs on its rings and the socket listens. */
	notify_start(d);
	ev_run(d->d_loop, 0);
	notify_stopping(d);
	rc = 0;

	ctl_close(d->d_ctl);
	d->d_ctl = NULL;
out_workers:
	daemon_close_workers(d);
	arpnd_mc_close(d->d_arpnd_mc);
	d->d_arpnd_mc = NULL;
	d->d_arpnd = NULL;
	neigh_close(d->d_neigh);
	d->d_neigh = NULL;
out_nft:
	nft_close(d->d_nft);
	d->d_nft = NULL;
out_tables:
	health_free(d->d_health);
	d->d_health = NULL;
	daemon_free_tables(d);
	if (rc == 0)
		log_notice("stopped");
	return rc;
}
