/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Health checks (health.h).  Two halves.  The pure one: struct hsm turns
 * attempts into checks (an attempt fails: retry after delay_before_retry,
 * up to hp_retry times; then the check fails) and checks into up and
 * down (hp_rise good ones in a row, hp_fall bad ones), health_quorum()
 * is keepalived's quorum with hysteresis, and health_derive() makes the
 * configuration to run of the configured one and the states.  The
 * running one: one entry per checked real server with two ev_timers (the
 * next attempt, the attempt's timeout) and the checker's attempt; the
 * timeout cancels the checker and counts as a failed attempt.  Nothing
 * blocks: checkers are non-blocking, exec forks, scripts are not waited
 * for (libev's SIGCHLD watcher on the default loop reaps them).  A state
 * change arms a zero timer, so that many changes in one loop iteration
 * make one commit.  Control thread only.
 */
#include "config.h"

#include <errno.h>
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "hc.h"
#include "health.h"
#include "log.h"
#include "rbuf.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

#define SVC_BUF	(EP_STRLEN + 8)	/* "tcp " + VIP:port */

void
health_conf_free(struct health_conf *hf)
{
	if (hf == NULL)
		return;
	free(hf->hf_svc);
	free(hf->hf_rs);
	free(hf);
}

/* The state machine */

void
hsm_init(struct hsm *sm, const struct hc_params *p)
{
	memset(sm, 0, sizeof(*sm));
	sm->sm_up = !p->hp_alpha;
	sm->sm_weight = -1;
}

int
hsm_attempt(struct hsm *sm, const struct hc_params *p, int outcome,
    int weight, bool *ret_changed)
{
	unsigned	 rise = p->hp_rise > 0 ? p->hp_rise : 1;
	unsigned	 fall = p->hp_fall > 0 ? p->hp_fall : 1;
	bool		 changed = false;

	if (outcome == HC_FAIL) {
		if (sm->sm_tries < p->hp_retry) {
			sm->sm_tries++;
			*ret_changed = false;
			return HSM_RETRY;
		}
		sm->sm_tries = 0;
		sm->sm_good = 0;
		if (sm->sm_bad < UINT32_MAX)
			sm->sm_bad++;
		if (sm->sm_up && sm->sm_bad >= fall) {
			sm->sm_up = false;
			changed = true;
		}
		*ret_changed = changed;
		return HSM_NEXT;
	}
	sm->sm_tries = 0;
	sm->sm_bad = 0;
	if (sm->sm_good < UINT32_MAX)
		sm->sm_good++;
	if (!sm->sm_up && sm->sm_good >= rise) {
		sm->sm_up = true;
		changed = true;
	}
	/* MISC_CHECK's misc_dynamic: the weight follows every good check. */
	if (outcome == HC_WEIGHT && weight >= 0 && sm->sm_weight != weight) {
		sm->sm_weight = weight;
		changed = true;
	}
	*ret_changed = changed;
	return HSM_NEXT;
}

bool
health_quorum(bool was_up, int64_t live, int64_t quorum, int64_t hysteresis)
{
	/* keepalived's update_quorum_state(): no live weight is no quorum. */
	if (live <= 0)
		return false;
	if (was_up)
		return live >= quorum - hysteresis;
	return live >= quorum + hysteresis;
}

const char *
health_state_name(int state)
{
	switch (state) {
	case HEALTH_UP:
		return "up";
	case HEALTH_DOWN:
		return "down";
	default:
		return "none";
	}
}

/* <rip> of a check against configured <rc> of <sc>, ports as they run. */
static bool
rs_match(const struct svc_conf *sc, const struct rs_conf *rc,
    const struct ep *rip)
{
	uint16_t	 port = rc->rc_ep.ep_port;

	if (XMIT_SAME_PORT(rc->rc_method) || port == 0)
		port = sc->sc_ep.ep_port;
	return addr_eq(&rc->rc_ep.ep_addr, &rip->ep_addr) &&
	    port == rip->ep_port;
}

static struct rs_conf *
rs_find(const struct svc_conf *sc, const struct ep *rip)
{
	unsigned	 i;

	for (i = 0; i < sc->sc_nrs; i++)
		if (rs_match(sc, &sc->sc_rs[i], rip))
			return &sc->sc_rs[i];
	return NULL;
}

/* The sorry server alone in <sc>. 0 or -ENOMEM. */
static int
use_sorry(struct svc_conf *sc, const struct health_svc *hs)
{
	struct rs_conf	*a;

	if (sc->sc_nrs == 0) {
		if ((a = realloc(sc->sc_rs, sizeof(*a))) == NULL)
			return -ENOMEM;
		sc->sc_rs = a;
	}
	memset(&sc->sc_rs[0], 0, sizeof(sc->sc_rs[0]));
	sc->sc_rs[0].rc_ep = hs->hs_sorry_ep;
	if (sc->sc_rs[0].rc_ep.ep_port == 0)
		sc->sc_rs[0].rc_ep.ep_port = sc->sc_ep.ep_port;
	sc->sc_rs[0].rc_weight = 1;
	sc->sc_rs[0].rc_method = hs->hs_sorry_method;
	sc->sc_nrs = 1;
	return 0;
}

struct vs_conf *
health_derive(const struct vs_conf *vc, const struct health_conf *hf,
    const struct hsm *sm, bool *quorum, bool *ret_flip)
{
	const struct health_svc	*hs;
	const struct health_rs	*hr;
	struct vs_conf		*out;
	struct svc_conf		*sc;
	struct rs_conf		*rc;
	unsigned		 i, j, k;
	int64_t			 live;
	bool			 q;

	if ((out = vsconf_dup(vc)) == NULL || hf == NULL)
		return out;
	for (j = 0; j < hf->hf_nsvc; j++) {
		hs = &hf->hf_svc[j];
		if (ret_flip != NULL)
			ret_flip[j] = false;
		sc = vsconf_find_svc(out, hs->hs_proto, &hs->hs_vip);
		if (sc == NULL)
			continue;
		for (k = hs->hs_first; k < hs->hs_first + hs->hs_nrs; k++) {
			hr = &hf->hf_rs[k];
			if ((rc = rs_find(sc, &hr->hr_rip)) == NULL)
				continue;
			if (!sm[k].sm_up)
				/* -1 marks it for removal below. */
				rc->rc_weight = hr->hr_params.hp_inhibit ? 0 : -1;
			else if (sm[k].sm_weight >= 0)
				rc->rc_weight = sm[k].sm_weight;
		}
		live = 0;
		for (i = k = 0; i < sc->sc_nrs; i++) {
			if (sc->sc_rs[i].rc_weight < 0)
				continue;
			live += sc->sc_rs[i].rc_weight;
			sc->sc_rs[k++] = sc->sc_rs[i];
		}
		sc->sc_nrs = k;
		q = health_quorum(quorum[j], live, hs->hs_quorum,
		    hs->hs_hysteresis);
		if (ret_flip != NULL)
			ret_flip[j] = q != quorum[j];
		quorum[j] = q;
		if (!q && hs->hs_sorry && use_sorry(sc, hs) != 0) {
			vsconf_free(out);
			return NULL;
		}
	}
	return out;
}

/* The running part */

struct health_ent {
	struct health	*he_h;
	const struct health_rs *he_rs;	/* in h_conf */
	const struct hc_ops *he_ops;
	struct hsm	 he_sm;
	ev_timer	 he_next;	/* the next attempt */
	ev_timer	 he_timeout;	/* the attempt in flight's */
	struct hc_attempt he_a;
	bool		 he_busy;	/* an attempt in flight */
	bool		 he_checked;	/* a check ended at least once */
	struct health_ent *he_hnext;	/* h_hash chain */
	struct health_ent *he_qnext;	/* h_queue */
	bool		 he_queued;
	char		 he_reason[HEALTH_REASON_MAX];
};

struct health {
	struct ev_loop	*h_loop;
	void		(*h_changed)(void *);
	void		*h_arg;
	struct health_conf *h_conf;	/* owned, NULL: none */
	struct health_ent *h_ent;	/* [h_conf->hf_nrs] */
	bool		*h_quorum;	/* [h_conf->hf_nsvc] */
	bool		*h_flip;	/* [h_conf->hf_nsvc], scratch */
	struct hsm	*h_sm;		/* [h_conf->hf_nrs], scratch */
	struct health_ent **h_hash;	/* [h_hmask + 1]: listings find fast */
	unsigned	 h_hmask;
	ev_timer	 h_kick;	/* coalesces changes into one commit */
	ev_timer	 h_run;		/* starts queued attempts, a few a turn */
	struct health_ent *h_qhead, *h_qtail; /* due, not started */
	uint64_t	 h_attempts;
};

static const struct hc_ops *
ops_of(int type)
{
	switch (type) {
	case HC_TCP:
		return &hc_tcp;
	case HC_HTTP:
		return &hc_http;
	case HC_HTTPS:
		return &hc_https;
	case HC_UDP:
		return &hc_udp;
	case HC_EXEC:
		return &hc_exec;
	default:
		return NULL;
	}
}

static void
on_kick(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct health	*h = t->data;

	(void)loop, (void)revents;
	if (h->h_changed != NULL)
		h->h_changed(h->h_arg);
}

static void
health_kick(struct health *h)
{
	if (!ev_is_active(&h->h_kick))
		ev_timer_start(h->h_loop, &h->h_kick);
}

static void
run_script(const char *cmd, const char *what)
{
	int	 r;

	if (cmd[0] == '\0')
		return;
	if ((r = hc_spawn(cmd, "")) < 0)
		log_errno(LOG_ERR, r, "%s: cannot run '%s'", what, cmd);
}

static void	 ent_attempt(struct health_ent *he);

/*
 * Due checks wait in a queue and start HEALTH_BURST per loop turn: a
 * connect costs the kernel's whole path on this core, and thousands due
 * at once would hold the admin socket for a long turn.
 */
#define HEALTH_BURST	64

static void
on_run(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct health		*h = t->data;
	struct health_ent	*he;
	unsigned		 n;

	(void)revents;
	for (n = 0; n < HEALTH_BURST && (he = h->h_qhead) != NULL; n++) {
		h->h_qhead = he->he_qnext;
		if (h->h_qhead == NULL)
			h->h_qtail = NULL;
		he->he_queued = false;
		he->he_qnext = NULL;
		ent_attempt(he);
	}
	if (h->h_qhead != NULL)
		ev_timer_start(loop, t);
}

static void
on_next(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct health_ent	*he = t->data;
	struct health		*h = he->he_h;

	(void)revents;
	if (he->he_queued)
		return;
	he->he_queued = true;
	he->he_qnext = NULL;
	if (h->h_qtail != NULL)
		h->h_qtail->he_qnext = he;
	else
		h->h_qhead = he;
	h->h_qtail = he;
	if (!ev_is_active(&h->h_run))
		ev_timer_start(loop, &h->h_run);
}

/* An attempt of <he> ended: the machine, the journal, the schedule. */
static void
ent_done(struct health_ent *he, int outcome, int weight, const char *reason)
{
	struct health		*h = he->he_h;
	const struct health_rs	*hr = he->he_rs;
	const struct hc_params	*p = &hr->hr_params;
	char			 svc[SVC_BUF], rip[EP_STRLEN], *p2;
	bool			 changed, was_up = he->he_sm.sm_up;
	int			 next;

	he->he_busy = false;
	ev_timer_stop(h->h_loop, &he->he_timeout);
	h->h_attempts++;
	snprintf(he->he_reason, sizeof(he->he_reason), "%s",
	    reason != NULL ? reason : outcome == HC_FAIL ? "failed" : "ok");
	/* It goes between quotes on one protocol line. */
	for (p2 = he->he_reason; *p2 != '\0'; p2++)
		if ((unsigned char)*p2 < 0x20 || *p2 == '"' || *p2 == 0x7f)
			*p2 = '?';
	next = hsm_attempt(&he->he_sm, p, outcome, weight, &changed);
	if (next == HSM_NEXT)
		he->he_checked = true;
	if (changed) {
		svc_fmt(hr->hr_proto, &hr->hr_vip, svc, sizeof(svc));
		ep_fmt(&hr->hr_rip, rip, sizeof(rip));
		if (was_up != he->he_sm.sm_up) {
			log_notice("%s: real server %s %s (%s)", svc, rip,
			    he->he_sm.sm_up ? "up" : "down", he->he_reason);
			run_script(he->he_sm.sm_up ? hr->hr_notify_up :
			    hr->hr_notify_down, rip);
		} else
			log_notice("%s: real server %s weight %d (%s)", svc,
			    rip, he->he_sm.sm_weight, he->he_reason);
		health_kick(h);
	}
	ev_timer_set(&he->he_next, next == HSM_RETRY ? p->hp_retry_delay :
	    p->hp_interval, 0.);
	ev_timer_start(h->h_loop, &he->he_next);
}

void
hc_attempt_done(struct hc_attempt *a, int outcome, int weight,
    const char *reason)
{
	struct health_ent	*he = a->ha_owner;

	/* Once per attempt: a late report after a cancel is dropped. */
	if (he == NULL || !he->he_busy)
		return;
	ent_done(he, outcome, weight, reason);
}

static void
on_timeout(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct health_ent	*he = t->data;
	char			 reason[HEALTH_REASON_MAX];

	(void)loop, (void)revents;
	if (!he->he_busy)
		return;
	he->he_busy = false;
	he->he_ops->cancel(&he->he_a);
	snprintf(reason, sizeof(reason), "%stimeout after %gs",
	    he->he_ops == &hc_tcp ? "connect " : "",
	    he->he_rs->hr_params.hp_timeout);
	he->he_busy = true;
	ent_done(he, HC_FAIL, 0, reason);
}

static void
ent_attempt(struct health_ent *he)
{
	struct health		*h = he->he_h;
	const struct hc_params	*p = &he->he_rs->hr_params;
	char			 reason[HEALTH_REASON_MAX];
	int			 r;

	memset(&he->he_a, 0, sizeof(he->he_a));
	he->he_a.ha_loop = h->h_loop;
	he->he_a.ha_params = p;
	he->he_a.ha_target = p->hp_connect;
	if (he->he_a.ha_target.ep_addr.a_af == 0)
		he->he_a.ha_target.ep_addr = he->he_rs->hr_rip.ep_addr;
	if (he->he_a.ha_target.ep_port == 0)
		he->he_a.ha_target.ep_port = he->he_rs->hr_rip.ep_port;
	he->he_a.ha_owner = he;
	he->he_busy = true;
	ev_timer_set(&he->he_timeout, p->hp_timeout, 0.);
	ev_timer_start(h->h_loop, &he->he_timeout);
	if (he->he_ops == NULL) {
		ent_done(he, HC_FAIL, 0, "checker not built in");
		return;
	}
	if ((r = he->he_ops->start(&he->he_a)) < 0) {
		snprintf(reason, sizeof(reason), "%s", strerror(-r));
		ent_done(he, HC_FAIL, 0, reason);
	}
}

static void
ent_stop(struct health *h, struct health_ent *he)
{
	ev_timer_stop(h->h_loop, &he->he_next);
	ev_timer_stop(h->h_loop, &he->he_timeout);
	if (he->he_busy) {
		he->he_busy = false;
		he->he_ops->cancel(&he->he_a);
	}
}

struct health *
health_new(struct ev_loop *loop, void (*changed)(void *arg), void *arg)
{
	struct health	*h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->h_loop = loop;
	h->h_changed = changed;
	h->h_arg = arg;
	ev_timer_init(&h->h_kick, on_kick, 0., 0.);
	h->h_kick.data = h;
	ev_timer_init(&h->h_run, on_run, 0., 0.);
	h->h_run.data = h;
	return h;
}

static void
health_drop(struct health *h)
{
	unsigned	 i;

	if (h->h_conf != NULL)
		for (i = 0; i < h->h_conf->hf_nrs; i++)
			ent_stop(h, &h->h_ent[i]);
	free(h->h_ent);
	free(h->h_quorum);
	free(h->h_flip);
	free(h->h_sm);
	free(h->h_hash);
	h->h_hash = NULL;
	h->h_qhead = h->h_qtail = NULL;
	ev_timer_stop(h->h_loop, &h->h_run);
	health_conf_free(h->h_conf);
	h->h_ent = NULL;
	h->h_quorum = h->h_flip = NULL;
	h->h_sm = NULL;
	h->h_conf = NULL;
}

void
health_free(struct health *h)
{
	if (h == NULL)
		return;
	health_drop(h);
	ev_timer_stop(h->h_loop, &h->h_kick);
	free(h);
}

/* FNV-1a of the identity of a check. */
static unsigned
ent_hash(int proto, const struct ep *vip, const struct ep *rip)
{
	const uint8_t	*p;
	uint32_t	 x = 2166136261U ^ (uint32_t)proto;
	size_t		 i;

	p = (const uint8_t *)vip;
	for (i = 0; i < sizeof(*vip); i++)
		x = (x ^ p[i]) * 16777619U;
	p = (const uint8_t *)rip;
	for (i = 0; i < sizeof(*rip); i++)
		x = (x ^ p[i]) * 16777619U;
	return x;
}

static struct health_ent *
ent_find(const struct health *h, int proto, const struct ep *vip,
    const struct ep *rip)
{
	const struct health_rs	*hr;
	struct health_ent	*he;

	if (h == NULL || h->h_hash == NULL)
		return NULL;
	he = h->h_hash[ent_hash(proto, vip, rip) & h->h_hmask];
	for (; he != NULL; he = he->he_hnext) {
		hr = he->he_rs;
		if (hr->hr_proto == proto && ep_eq(&hr->hr_vip, vip) &&
		    ep_eq(&hr->hr_rip, rip))
			return he;
	}
	return NULL;
}

static bool
svc_find_quorum(const struct health *h, const struct health_svc *hs,
    bool *ret)
{
	unsigned	 j;

	if (h->h_conf == NULL)
		return false;
	for (j = 0; j < h->h_conf->hf_nsvc; j++)
		if (h->h_conf->hf_svc[j].hs_proto == hs->hs_proto &&
		    ep_eq(&h->h_conf->hf_svc[j].hs_vip, &hs->hs_vip)) {
			*ret = h->h_quorum[j];
			return true;
		}
	return false;
}

int
health_set_conf(struct health *h, struct health_conf *hf)
{
	struct health_ent	*ent = NULL, *he, *old, **hash = NULL;
	const struct health_rs	*hr;
	bool			*quorum = NULL, *flip = NULL;
	struct hsm		*sm = NULL;
	unsigned		 i, k, hmask = 0;
	unsigned		 nrs = hf != NULL ? hf->hf_nrs : 0;
	unsigned		 nsvc = hf != NULL ? hf->hf_nsvc : 0;
	double			 first;

	while (hmask + 1 < 2 * nrs)
		hmask = hmask * 2 + 1;
	if (nrs > 0 && ((ent = calloc(nrs, sizeof(*ent))) == NULL ||
	    (sm = calloc(nrs, sizeof(*sm))) == NULL ||
	    (hash = calloc(hmask + 1, sizeof(*hash))) == NULL))
		goto out_nomem;
	if (nsvc > 0 && ((quorum = calloc(nsvc, sizeof(*quorum))) == NULL ||
	    (flip = calloc(nsvc, sizeof(*flip))) == NULL))
		goto out_nomem;
	for (i = 0; i < nsvc; i++)
		if (!svc_find_quorum(h, &hf->hf_svc[i], &quorum[i]))
			quorum[i] = true;
	for (i = 0; i < nrs; i++) {
		he = &ent[i];
		he->he_h = h;
		he->he_rs = &hf->hf_rs[i];
		he->he_ops = ops_of(he->he_rs->hr_params.hp_type);
		ev_timer_init(&he->he_next, on_next, 0., 0.);
		he->he_next.data = he;
		ev_timer_init(&he->he_timeout, on_timeout, 0., 0.);
		he->he_timeout.data = he;
		hsm_init(&he->he_sm, &he->he_rs->hr_params);
		first = he->he_rs->hr_params.hp_warmup * drand48();
		old = ent_find(h, he->he_rs->hr_proto, &he->he_rs->hr_vip,
		    &he->he_rs->hr_rip);
		if (old != NULL && memcmp(&old->he_rs->hr_params,
		    &he->he_rs->hr_params, sizeof(struct hc_params)) == 0) {
			/* The same check: its state and its rhythm go on. */
			he->he_sm = old->he_sm;
			he->he_sm.sm_tries = 0;
			he->he_checked = old->he_checked;
			memcpy(he->he_reason, old->he_reason,
			    sizeof(he->he_reason));
			first = ev_is_active(&old->he_next) ?
			    ev_timer_remaining(h->h_loop, &old->he_next) :
			    he->he_rs->hr_params.hp_interval * drand48();
		} else if (old != NULL) {
			/*
			 * A changed check of the same server: new counters,
			 * but a down server stays down until it passes.
			 */
			he->he_sm.sm_up = old->he_sm.sm_up;
			first = he->he_rs->hr_params.hp_interval * drand48();
		}
		ev_timer_set(&he->he_next, first, 0.);
		hr = he->he_rs;
		k = ent_hash(hr->hr_proto, &hr->hr_vip, &hr->hr_rip) & hmask;
		he->he_hnext = hash[k];
		hash[k] = he;
	}
	health_drop(h);
	h->h_hash = hash;
	h->h_hmask = hmask;
	h->h_conf = hf;
	h->h_ent = ent;
	h->h_sm = sm;
	h->h_quorum = quorum;
	h->h_flip = flip;
	for (i = 0; i < nrs; i++)
		ev_timer_start(h->h_loop, &ent[i].he_next);
	return 0;
out_nomem:
	free(ent);
	free(sm);
	free(hash);
	free(quorum);
	free(flip);
	health_conf_free(hf);
	return -ENOMEM;
}

struct vs_conf *
health_apply(struct health *h, const struct vs_conf *vc)
{
	const struct health_svc	*hs;
	struct vs_conf		*out;
	char			 svc[SVC_BUF];
	unsigned		 i;

	if (h == NULL || h->h_conf == NULL)
		return health_derive(vc, NULL, NULL, NULL, NULL);
	for (i = 0; i < h->h_conf->hf_nrs; i++)
		h->h_sm[i] = h->h_ent[i].he_sm;
	out = health_derive(vc, h->h_conf, h->h_sm, h->h_quorum, h->h_flip);
	if (out == NULL)
		return NULL;
	for (i = 0; i < h->h_conf->hf_nsvc; i++) {
		if (!h->h_flip[i])
			continue;
		hs = &h->h_conf->hf_svc[i];
		svc_fmt(hs->hs_proto, &hs->hs_vip, svc, sizeof(svc));
		if (h->h_quorum[i]) {
			log_notice("%s: quorum regained%s", svc, hs->hs_sorry ?
			    ", sorry server out" : "");
			run_script(hs->hs_quorum_up, svc);
		} else {
			log_notice("%s: quorum lost%s", svc, hs->hs_sorry ?
			    ", sorry server in" : "");
			run_script(hs->hs_quorum_down, svc);
		}
	}
	return out;
}

int
health_state(const struct health *h, int proto, const struct ep *vip,
    const struct ep *rip, const char **ret_reason)
{
	const struct health_ent	*he = ent_find(h, proto, vip, rip);

	if (he == NULL)
		return HEALTH_NONE;
	if (ret_reason != NULL)
		*ret_reason = he->he_reason[0] != '\0' ? he->he_reason :
		    "not checked yet";
	return he->he_sm.sm_up ? HEALTH_UP : HEALTH_DOWN;
}

void
health_list(const struct health *h, struct rbuf *out)
{
	const struct health_ent	*he;
	char			 vip[EP_STRLEN], rip[EP_STRLEN];
	unsigned		 i;

	if (h == NULL)
		return;
	rbuf_printf(out, "attempts %llu\n",
	    (unsigned long long)h->h_attempts);
	if (h->h_conf == NULL)
		return;
	for (i = 0; i < h->h_conf->hf_nrs; i++) {
		he = &h->h_ent[i];
		rbuf_printf(out, "check %s %s %s type %s state %s weight %d "
		    "good %u bad %u tries %u last \"%s\"\n",
		    proto_name(he->he_rs->hr_proto),
		    ep_fmt(&he->he_rs->hr_vip, vip, sizeof(vip)),
		    ep_fmt(&he->he_rs->hr_rip, rip, sizeof(rip)),
		    he->he_ops != NULL ? he->he_ops->name : "?",
		    he->he_sm.sm_up ? "up" : "down", he->he_sm.sm_weight,
		    he->he_sm.sm_good, he->he_sm.sm_bad, he->he_sm.sm_tries,
		    he->he_reason[0] != '\0' ? he->he_reason :
		    "not checked yet");
	}
}

bool
health_active(const struct health *h)
{
	return h != NULL && h->h_conf != NULL;
}

uint64_t
health_attempts(const struct health *h)
{
	return h != NULL ? h->h_attempts : 0;
}
