/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What config.c and config_hc.c share while one uvsd.conf is walked: the
 * load (where errors go, what is being built), a service's collected
 * members, and the helpers both use.  Private to those two files.
 */
#ifndef UVS_CFG_LOAD_H
#define UVS_CFG_LOAD_H

#include <libconfig.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "hc.h"
#include "health.h"
#include "table.h"
#include "util.h"

/* One load: where errors go and what is being built. */
struct cfg_load {
	const char	*ld_name;	/* file name when libconfig has none */
	struct uvs_err	*ld_errs;	/* [ld_max] */
	unsigned	 ld_max;
	unsigned	 ld_n;		/* errors stored */
	unsigned	 ld_total;	/* errors found */
	bool		 ld_nomem;
	struct cfg	*ld_cfg;
	struct health_conf *ld_hf;	/* checks found so far */
};

/* A known member of a section; aliases share k_id. */
struct cfg_key {
	const char	*k_name;
	unsigned	 k_id;
};

/*
 * keepalived's checker knobs as virtual_server and real_server members
 * (delay_loop, connect_timeout, retry, ...): defaults of the checks
 * below them.  Indexed by the C_* id of the check member they set.
 */
#define CFG_KA_MAX	32

/* What a service or a real server section collects before it is added. */
struct cfg_svc {
	struct svc_conf	 cs_sc;
	bool		 cs_bad;	/* an error already reported */
	bool		 cs_ops;
	uint8_t		 cs_method;	/* default for its real servers */
	struct rs_tun	 cs_tun;	/* and its tunnel, for tun */
	const config_setting_t *cs_proto, *cs_addr, *cs_port, *cs_gran;
	const config_setting_t *cs_ops_set, *cs_rs, *cs_pe_set;
	/* health checks */
	struct hc_params cs_hp;		/* the service's check; HC_NONE: none */
	struct health_svc cs_hs;	/* sorry server, quorum, scripts */
	bool		 cs_hs_set;	/* any of them given */
	const config_setting_t *cs_check, *cs_sorry;
	const config_setting_t *cs_ka[CFG_KA_MAX]; /* keepalived's knobs */
};

/* The name of <s> or of the nearest named setting above it. */
const char *cfg_name(const config_setting_t *s);
void	 cfg_err(struct cfg_load *ld, const config_setting_t *s,
	    const char *fmt, ...) UVS_PRINTF(3, 4);
int	 cfg_int(struct cfg_load *ld, const config_setting_t *s, long long min,
	    long long max, long long *ret);
int	 cfg_str(struct cfg_load *ld, const config_setting_t *s,
	    const char **ret);
int	 cfg_bool(struct cfg_load *ld, const config_setting_t *s, bool *ret);
bool	 cfg_is_group(struct cfg_load *ld, const config_setting_t *s);
bool	 cfg_is_list(struct cfg_load *ld, const config_setting_t *s);
/*
 * The id of member <s> in <keys>, or -1 (reported); <seen> catches a
 * repeat and an alias of a member given before.
 */
int	 cfg_key_find(struct cfg_load *ld, const config_setting_t *s,
	    const struct cfg_key *keys, size_t nkeys,
	    const config_setting_t **seen);
int	 cfg_addr(struct cfg_load *ld, const config_setting_t *s,
	    struct addr *ret);
int	 cfg_port(struct cfg_load *ld, const config_setting_t *s,
	    uint16_t *ret);
/* A vsconf_* error <r> with its text, at <s>. */
void	 cfg_err_vs(struct cfg_load *ld, const config_setting_t *s, int r,
	    const struct uvs_err *err);

/* local_addresses = "A" or [ "A", ... ] into <ret>: 0 or -EINVAL. */
int	 cfg_laddrs(struct cfg_load *ld, const config_setting_t *s,
	    struct addr *ret, uint8_t *ret_n);

/* config_svc.c: the services list, then its fullnat local addresses. */
void	 cfg_services(struct cfg_load *ld, const config_setting_t *s);
void	 cfg_fullnat_laddrs(struct cfg_load *ld, const config_setting_t *list);
/* Every mh service's real servers fit its table. */
void	 cfg_mh_fits(struct cfg_load *ld, const config_setting_t *list);

/* config_rs.c */
int	 cfg_method_tun(struct cfg_load *ld, const config_setting_t *s,
	    uint8_t *ret, struct rs_tun *tun);
int	 cfg_method(struct cfg_load *ld, const config_setting_t *s,
	    uint8_t *ret);
/* sorry_server = { address; port; method } of <cs>. */
int	 cfg_sorry(struct cfg_load *ld, const config_setting_t *s,
	    struct cfg_svc *cs);
/* One real server of <cs>, added to the vs_conf if the service was. */
void	 cfg_real_server(struct cfg_load *ld, const config_setting_t *s,
	    struct cfg_svc *cs, bool add);

/* config_group.c: a service's addresses and ports (service groups). */
#define CFG_SVCGROUP_MAX	SVC_MAX

struct cfg_group {
	struct addr	 g_addr[CFG_SVCGROUP_MAX];
	uint16_t	 g_port[CFG_SVCGROUP_MAX];	/* network order */
	unsigned	 g_naddr, g_nport;
};

/* 'address' and 'port' of <cs> into <g>: 0 or -EINVAL (reported). */
int	 cfg_service_group(struct cfg_load *ld, const struct cfg_svc *cs,
	    struct cfg_group *g);

/* config_hc.c */
/*
 * Member <m> of a service or real server is one of keepalived's checker
 * knobs: remember it in <ka> (a repeat is an error) and return true.
 */
bool	 cfg_ka_member(struct cfg_load *ld, const config_setting_t *m,
	    const config_setting_t **ka, bool *bad);
/* The knobs remembered in <ka> into <p>. */
int	 cfg_ka_apply(struct cfg_load *ld, const config_setting_t *const *ka,
	    struct hc_params *p);
/* Defaults of a check; keepalived's where it has one. */
void	 cfg_check_default(struct hc_params *p);
/* A string setting copied into <buf> of <len> bytes. */
int	 cfg_strbuf(struct cfg_load *ld, const config_setting_t *s, char *buf,
	    size_t len);
/* A check group into <p>, then whether <p> is whole. */
int	 cfg_check(struct cfg_load *ld, const config_setting_t *s,
	    struct hc_params *p);
int	 cfg_check_valid(struct cfg_load *ld, const config_setting_t *s,
	    const struct hc_params *p);
/* Append to the load's health configuration; false: out of memory. */
bool	 cfg_health_add(struct cfg_load *ld, const struct health_svc *hs,
	    const struct health_rs *hr);

#endif
