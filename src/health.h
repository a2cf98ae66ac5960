/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Health checks (health.c): keepalived's checkers run inside uvsd.  The
 * configuration (uvsd.conf, config.c) gives a struct health_conf: per
 * service the sorry server and the quorum, per checked real server its
 * struct hc_params and notify scripts.  At run time each checked real
 * server has a small state machine (struct hsm: retries, rise, fall) fed
 * by one checker attempt at a time in the control thread's libev loop.
 * The daemon keeps the configured struct vs_conf and commits the one
 * health_derive() makes of it: down servers removed (or weight 0 with
 * inhibit_on_failure), exec weights applied, the sorry server in place
 * when the quorum is lost.  Control thread only.
 */
#ifndef UVS_HEALTH_H
#define UVS_HEALTH_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "hc.h"

struct ev_loop;
struct rbuf;
struct vs_conf;

#define HEALTH_SCRIPT_MAX	256
#define HEALTH_REASON_MAX	96

/* A service's health settings (keepalived's virtual_server level). */
struct health_svc {
	uint8_t		 hs_proto;
	struct ep	 hs_vip;
	bool		 hs_sorry;		/* a sorry server is set */
	struct ep	 hs_sorry_ep;		/* port 0: the service's */
	uint8_t		 hs_sorry_method;	/* XMIT_* */
	int64_t		 hs_quorum;		/* live weight needed; 1 */
	int64_t		 hs_hysteresis;		/* 0 */
	char		 hs_quorum_up[HEALTH_SCRIPT_MAX];   /* "": none */
	char		 hs_quorum_down[HEALTH_SCRIPT_MAX];
	unsigned	 hs_first;		/* its checks in hf_rs[] */
	unsigned	 hs_nrs;
};

/* One checked real server. */
struct health_rs {
	uint8_t		 hr_proto;
	struct ep	 hr_vip;
	struct ep	 hr_rip;
	struct hc_params hr_params;		/* memset before filling */
	char		 hr_notify_up[HEALTH_SCRIPT_MAX];   /* "": none */
	char		 hr_notify_down[HEALTH_SCRIPT_MAX];
};

struct health_conf {
	unsigned	 hf_nsvc;
	struct health_svc *hf_svc;		/* [hf_nsvc] */
	unsigned	 hf_nrs;
	struct health_rs *hf_rs;		/* [hf_nrs], grouped by service */
};

void	 health_conf_free(struct health_conf *hf);	/* NULL ok */

/* The state machine of one checked real server. Pure. */
struct hsm {
	bool		 sm_up;
	unsigned	 sm_tries;	/* failed attempts of the current check */
	unsigned	 sm_good;	/* consecutive good checks */
	unsigned	 sm_bad;	/* consecutive bad checks */
	int32_t		 sm_weight;	/* exec's weight; -1: the configured */
};

enum hsm_next {
	HSM_NEXT = 0,		/* the check is over: next after hp_interval */
	HSM_RETRY,		/* try again after hp_retry_delay */
};

/* A fresh machine: up, or down with alpha. */
void	 hsm_init(struct hsm *sm, const struct hc_params *p);
/*
 * One attempt ended with <outcome> (HC_OK/HC_FAIL/HC_WEIGHT and <weight>).
 * *<ret_changed> says whether up/down or the weight changed.  Returns
 * what comes next (enum hsm_next).
 */
int	 hsm_attempt(struct hsm *sm, const struct hc_params *p, int outcome,
	    int weight, bool *ret_changed);
/*
 * keepalived's quorum with hysteresis: a service that had it (<was_up>)
 * keeps it while <live> >= quorum - hysteresis, one without gets it at
 * quorum + hysteresis; never with no live weight at all.
 */
bool	 health_quorum(bool was_up, int64_t live, int64_t quorum,
	    int64_t hysteresis);

/* The health of configured real server <rip> as health_derive() reads it. */
enum health_state {
	HEALTH_NONE = 0,	/* not checked */
	HEALTH_UP,
	HEALTH_DOWN,
};

/*
 * The configuration to run made of <vc> (not changed): for each checked
 * real server (hf->hf_rs[i], state <sm>[i]) down: removed, or weight 0
 * with hp_inhibit; up with an exec weight: that weight.  Then per service
 * of <hf> (quorum state <quorum>[j], updated; <ret_flip>[j] set true when
 * it changed, may be NULL): without quorum the sorry server replaces the
 * real servers if there is one.  NULL: out of memory.
 */
struct vs_conf *health_derive(const struct vs_conf *vc,
	    const struct health_conf *hf, const struct hsm *sm, bool *quorum,
	    bool *ret_flip);

/* The running part. */
struct health;

/*
 * <changed>(arg) runs from the loop after states changed (coalesced):
 * the daemon commits health_derive() of its configuration then.
 */
struct health *health_new(struct ev_loop *loop,
	    void (*changed)(void *arg), void *arg);
/* Stops every check, kills nothing that already ran; NULL ok. */
void	 health_free(struct health *h);
/*
 * Run the checks of <hf> (the health takes it, NULL: none).  A check of
 * the same (service, real server) with equal parameters keeps its state
 * and its schedule; new ones start after a random part of hp_warmup.
 * 0 or -ENOMEM (then the old checks go on and <hf> is freed).
 */
int	 health_set_conf(struct health *h, struct health_conf *hf);
/* Checks are configured: commits go through health_apply(). */
bool	 health_active(const struct health *h);
/*
 * What to run of configuration <vc> (a new vs_conf, NULL: no memory);
 * runs quorum scripts of services whose quorum changed.
 */
struct vs_conf *health_apply(struct health *h, const struct vs_conf *vc);
/* State of (<proto>, <vip>, <rip>) and its last reason (may be NULL). */
int	 health_state(const struct health *h, int proto, const struct ep *vip,
	    const struct ep *rip, const char **ret_reason);
/*
 * "attempts N" (attempts ended since start), then one "check ..." line
 * per checked real server into <out>.
 */
void	 health_list(const struct health *h, struct rbuf *out);
/* Attempts finished since start (the bench and status read it). */
uint64_t health_attempts(const struct health *h);
const char *health_state_name(int state);

/*
 * Run <cmd> with /bin/sh -c as <user> ("": ours) in its own session,
 * stdin/stdout from /dev/null.  The child's pid, or -errno.  hc_exec.c.
 */
int	 hc_spawn(const char *cmd, const char *user);

#endif
