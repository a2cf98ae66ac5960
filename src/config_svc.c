/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsd.conf's services (cfg_load.h): the members of each service group,
 * one vs_conf service per address and port of it (config_group.c), its
 * check and sorry server (config_hc.c, config_rs.c), then its real
 * servers (config_rs.c).  Split from config.c, which keeps the walk, the
 * global settings and the shared cfg_ helpers.  Control thread, and
 * uvsd -t before anything starts.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libconfig.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "cfg.h"
#include "cfg_load.h"
#include "health.h"
#include "sched/sched.h"
#include "sip.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "vsconf.h"
#include "xmit/xmit.h"

enum {
	S_PROTO, S_ADDR, S_PORT, S_SCHED, S_METHOD, S_PTIMEOUT, S_PGRAN,
	S_FLAGS, S_OPS, S_RS, S_CHECK, S_SORRY, S_QUORUM, S_HYST, S_QUP,
	S_QDOWN, S_LADDRS, S_PROXY, S_PE, S__MAX
};

static const struct cfg_key svc_keys[] = {
	{ "protocol",			S_PROTO },
	{ "address",			S_ADDR },
	{ "port",			S_PORT },
	{ "scheduler",			S_SCHED },
	{ "lvs_sched",			S_SCHED },	/* keepalived */
	{ "method",			S_METHOD },
	{ "lvs_method",			S_METHOD },	/* keepalived */
	{ "persistence_timeout",	S_PTIMEOUT },
	{ "persistence_granularity",	S_PGRAN },
	{ "persistence_engine",		S_PE },
	{ "flags",			S_FLAGS },
	{ "ops",			S_OPS },
	{ "real_servers",		S_RS },
	{ "real_server",		S_RS },		/* keepalived */
	{ "check",			S_CHECK },
	{ "sorry_server",		S_SORRY },
	{ "quorum",			S_QUORUM },
	{ "hysteresis",			S_HYST },
	{ "quorum_up",			S_QUP },
	{ "quorum_down",		S_QDOWN },
	{ "local_addresses",		S_LADDRS },	/* fullnat */
	{ "proxy_protocol",		S_PROXY },
};

static const struct {
	const char	*f_name;
	uint32_t	 f_flag;
} svc_flags[] = {
	{ "flag-1",	 SVC_F_SCHED1 },
	{ "flag-2",	 SVC_F_SCHED2 },
	{ "flag-3",	 SVC_F_SCHED3 },
	{ "sh-fallback", SVC_F_SCHED1 },
	{ "sh-port",	 SVC_F_SCHED2 },
	{ "mh-fallback", SVC_F_SCHED1 },
	{ "mh-port",	 SVC_F_SCHED2 },
};


static void
cfg_sched(struct cfg_load *ld, const config_setting_t *s, struct cfg_svc *cs)
{
	const char	*v;

	if (cfg_str(ld, s, &v) != 0) {
		cs->cs_bad = true;
		return;
	}
	if (strlen(v) < SCHED_NAME_MAX && sched_find(v) != NULL) {
		snprintf(cs->cs_sc.sc_sched, sizeof(cs->cs_sc.sc_sched), "%s",
		    v);
		return;
	}
	cs->cs_bad = true;
	cfg_err(ld, s, "unknown scheduler '%.64s'", v);
}

static void
cfg_flags(struct cfg_load *ld, const config_setting_t *s, struct cfg_svc *cs)
{
	const config_setting_t	*e;
	const char		*v;
	unsigned		 i, j, n;

	if (!cfg_is_list(ld, s)) {
		cs->cs_bad = true;
		return;
	}
	n = (unsigned)config_setting_length(s);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		if (cfg_str(ld, e, &v) != 0) {
			cs->cs_bad = true;
			continue;
		}
		for (j = 0; j < nitems(svc_flags); j++)
			if (strcmp(v, svc_flags[j].f_name) == 0)
				break;
		if (j == nitems(svc_flags)) {
			cfg_err(ld, e, "unknown scheduler flag '%.64s'", v);
			cs->cs_bad = true;
			continue;
		}
		cs->cs_sc.sc_flags |= svc_flags[j].f_flag;
	}
}

/*
 * persistence_granularity: a contiguous dotted mask for an IPv4 service,
 * a prefix length 1..128 for IPv6 (ipvsadm -M).  Needs the address.
 */
static void
cfg_granularity(struct cfg_load *ld, const config_setting_t *s,
    struct cfg_svc *cs)
{
	struct in_addr	 m;
	const char	*v;
	long long	 len;
	uint32_t	 h;

	if (cs->cs_sc.sc_ep.ep_addr.a_af == AF_INET6) {
		if (cfg_int(ld, s, 1, 128, &len) != 0) {
			cs->cs_bad = true;
			return;
		}
		cs->cs_sc.sc_netmask = (uint32_t)len;
		return;
	}
	if (cfg_str(ld, s, &v) != 0) {
		cs->cs_bad = true;
		return;
	}
	h = 0;
	if (inet_pton(AF_INET, v, &m) == 1)
		h = ntohl(m.s_addr);
	if (h == 0 || (~h & (~h + 1)) != 0) {
		cfg_err(ld, s, "bad persistence_granularity '%.64s' (a "
		    "contiguous netmask such as 255.255.255.0)", v);
		cs->cs_bad = true;
		return;
	}
	cs->cs_sc.sc_netmask = m.s_addr;
}

/* The members of one service into <cs>; real servers come after. */
static void
cfg_service_members(struct cfg_load *ld, const config_setting_t *s,
    struct cfg_svc *cs)
{
	const config_setting_t	*seen[S__MAX] = { NULL }, *m;
	const char		*v;
	long long		 t;
	int			 i, id;

	for (i = 0; (m = config_setting_get_elem(s, (unsigned)i)) != NULL; i++) {
		if (cfg_ka_member(ld, m, cs->cs_ka, &cs->cs_bad))
			continue;
		if ((id = cfg_key_find(ld, m, svc_keys, nitems(svc_keys),
		    seen)) < 0) {
			cs->cs_bad = true;
			continue;
		}
		switch (id) {
		case S_PROTO:
			cs->cs_proto = m;
			if (cfg_str(ld, m, &v) != 0)
				cs->cs_bad = true;
			else if (strcasecmp(v, "tcp") == 0)
				cs->cs_sc.sc_proto = IPPROTO_TCP;
			else if (strcasecmp(v, "udp") == 0)
				cs->cs_sc.sc_proto = IPPROTO_UDP;
			else if (strcasecmp(v, "sctp") == 0)
				cs->cs_sc.sc_proto = IPPROTO_SCTP;
			else {
				cfg_err(ld, m, "unknown protocol '%.64s' (tcp, "
				    "udp or sctp)", v);
				cs->cs_bad = true;
			}
			break;
		case S_ADDR:
			cs->cs_addr = m;	/* cfg_service_group() */
			break;
		case S_PORT:
			cs->cs_port = m;
			break;
		case S_SCHED:
			cfg_sched(ld, m, cs);
			break;
		case S_METHOD:
			if (cfg_method_tun(ld, m, &cs->cs_method,
			    &cs->cs_tun) != 0)
				cs->cs_bad = true;
			break;
		case S_PTIMEOUT:
			if (cfg_int(ld, m, 0, CFG_PERSIST_MAX, &t) != 0) {
				cs->cs_bad = true;
			} else if (t > 0) {
				cs->cs_sc.sc_timeout = (uint32_t)t;
				cs->cs_sc.sc_flags |= SVC_F_PERSISTENT;
			}
			break;
		case S_PGRAN:
			cs->cs_gran = m;
			break;
		case S_FLAGS:
			cfg_flags(ld, m, cs);
			break;
		case S_OPS:
			cs->cs_ops_set = m;
			if (cfg_bool(ld, m, &cs->cs_ops) != 0)
				cs->cs_bad = true;
			break;
		case S_RS:
			cs->cs_rs = m;
			break;
		case S_CHECK:
			cs->cs_check = m;
			break;
		case S_SORRY:
			cs->cs_sorry = m;
			break;
		case S_LADDRS:
			if (cfg_laddrs(ld, m, cs->cs_sc.sc_laddr,
			    &cs->cs_sc.sc_nladdr) != 0)
				cs->cs_bad = true;
			break;
		case S_PE:
			cs->cs_pe_set = m;
			if (cfg_str(ld, m, &v) != 0)
				cs->cs_bad = true;
			else if (strcmp(v, "sip") == 0)
				cs->cs_sc.sc_pe = PE_SIP;
			else if (strcmp(v, "none") != 0) {
				cfg_err(ld, m, "unknown persistence engine "
				    "'%.64s' (sip or none)", v);
				cs->cs_bad = true;
			}
			break;
		case S_PROXY:
			if (cfg_int(ld, m, 0, 2, &t) != 0)
				cs->cs_bad = true;
			else
				cs->cs_sc.sc_proxy = (uint8_t)t;
			break;
		case S_QUORUM:
		case S_HYST:
			cs->cs_hs_set = true;
			if (cfg_int(ld, m, 0, INT32_MAX, &t) != 0)
				cs->cs_bad = true;
			else if (id == S_QUORUM)
				cs->cs_hs.hs_quorum = t;
			else
				cs->cs_hs.hs_hysteresis = t;
			break;
		default:
			cs->cs_hs_set = true;
			if (id == S_QUP ? cfg_strbuf(ld, m,
			    cs->cs_hs.hs_quorum_up,
			    sizeof(cs->cs_hs.hs_quorum_up)) : cfg_strbuf(ld, m,
			    cs->cs_hs.hs_quorum_down,
			    sizeof(cs->cs_hs.hs_quorum_down)))
				cs->cs_bad = true;
			break;
		}
	}
}

static void
cfg_service_one(struct cfg_load *ld, const config_setting_t *s,
    struct cfg_svc *cs);

static void
cfg_service(struct cfg_load *ld, const config_setting_t *s)
{
	static struct cfg_group	 g;	/* control thread only; 20 KiB */
	struct cfg_svc		 cs, one;
	unsigned		 i, j, before;

	if (!cfg_is_group(ld, s))
		return;
	memset(&cs, 0, sizeof(cs));
	cs.cs_method = XMIT_DR;
	cs.cs_hs.hs_quorum = 1;		/* keepalived's */
	cfg_service_members(ld, s, &cs);
	if (cs.cs_proto == NULL)
		cfg_err(ld, s, "service without 'protocol'");
	if (cs.cs_addr == NULL)
		cfg_err(ld, s, "service without 'address'");
	if (cs.cs_port == NULL)
		cfg_err(ld, s, "service without 'port'");
	if (cs.cs_proto == NULL || cs.cs_addr == NULL || cs.cs_port == NULL) {
		cs.cs_bad = true;
		cfg_service_one(ld, s, &cs);	/* its other errors */
		return;
	}
	if (cfg_service_group(ld, &cs, &g) != 0) {
		cs.cs_bad = true;
		cfg_service_one(ld, s, &cs);
		return;
	}
	before = ld->ld_total;
	for (i = 0; i < g.g_naddr; i++)
		for (j = 0; j < g.g_nport; j++) {
			one = cs;
			one.cs_sc.sc_ep.ep_addr = g.g_addr[i];
			one.cs_sc.sc_ep.ep_port = g.g_port[j];
			cfg_service_one(ld, s, &one);
			/* One report of what is wrong, not one per member. */
			if (ld->ld_total > before || ld->ld_nomem)
				return;
		}
}

/* A service of a known address and port (or a bad one, for its errors). */
static void
cfg_service_one(struct cfg_load *ld, const config_setting_t *s,
    struct cfg_svc *csp)
{
	struct cfg_svc	 cs = *csp;
	struct uvs_err	 err = { .e_line = 0 };
	unsigned	 i, n;
	bool		 added = false;
	int		 r;

	/* After the members: the method is the sorry server's default. */
	/* Real servers' checks start from it even without a type. */
	cfg_check_default(&cs.cs_hp);
	if (cfg_ka_apply(ld, cs.cs_ka, &cs.cs_hp) != 0)
		cs.cs_bad = true;
	if (cs.cs_check != NULL &&
	    (cfg_check(ld, cs.cs_check, &cs.cs_hp) != 0 ||
	    cfg_check_valid(ld, cs.cs_check, &cs.cs_hp) != 0))
		cs.cs_bad = true;
	if (cs.cs_sorry != NULL && cfg_sorry(ld, cs.cs_sorry, &cs) != 0)
		cs.cs_bad = true;
	/* Defaults of ipvsadm -M; the address family decides the form. */
	cs.cs_sc.sc_netmask = cs.cs_sc.sc_ep.ep_addr.a_af == AF_INET6 ? 128 :
	    0xffffffffU;
	/* Without a good address, its form is unknown: no second error. */
	if (cs.cs_gran != NULL && cs.cs_sc.sc_ep.ep_addr.a_af != 0)
		cfg_granularity(ld, cs.cs_gran, &cs);
	if (cs.cs_ops) {
		if (cs.cs_sc.sc_proto != IPPROTO_UDP) {
			cfg_err(ld, cs.cs_ops_set, "'ops' (one-packet "
			    "scheduling) is for udp services only");
			cs.cs_bad = true;
		} else {
			cs.cs_sc.sc_flags |= SVC_F_ONEPACKET;
		}
	}
	if (cs.cs_sc.sc_pe == PE_SIP && !cs.cs_bad &&
	    (cs.cs_sc.sc_proto != IPPROTO_UDP || cs.cs_sc.sc_timeout == 0)) {
		cfg_err(ld, cs.cs_pe_set, "persistence engine sip needs a "
		    "udp service with persistence_timeout");
		cs.cs_bad = true;
	}
	if (!cs.cs_bad) {
		r = vsconf_add_svc(ld->ld_cfg->cf_vc, &cs.cs_sc, &err);
		if (r != 0)
			cfg_err_vs(ld, s, r, &err);
		else {
			ld->ld_cfg->cf_nsvc++;
			added = true;
		}
	}
	cs.cs_hs.hs_first = ld->ld_hf != NULL ? ld->ld_hf->hf_nrs : 0;
	n = 0;
	if (cs.cs_rs != NULL && cfg_is_list(ld, cs.cs_rs))
		n = (unsigned)config_setting_length(cs.cs_rs);
	if (n > RS_PER_SVC_MAX) {
		cfg_err(ld, cs.cs_rs, "%u real servers, at most %u", n,
		    RS_PER_SVC_MAX);
		return;
	}
	for (i = 0; i < n && !ld->ld_nomem; i++)
		cfg_real_server(ld, config_setting_get_elem(cs.cs_rs, i), &cs,
		    added);
	/* Its checks follow the last service's: hs_first was right. */
	if (added && (cs.cs_hs.hs_nrs > 0 || cs.cs_hs.hs_sorry ||
	    cs.cs_hs_set)) {
		cs.cs_hs.hs_proto = cs.cs_sc.sc_proto;
		cs.cs_hs.hs_vip = cs.cs_sc.sc_ep;
		cfg_health_add(ld, &cs.cs_hs, NULL);
	}
}

void
cfg_services(struct cfg_load *ld, const config_setting_t *s)
{
	unsigned	 i, n;

	if (!cfg_is_list(ld, s))
		return;
	n = (unsigned)config_setting_length(s);
	if (n > SVC_MAX) {
		cfg_err(ld, s, "%u services, at most %u", n, SVC_MAX);
		return;
	}
	for (i = 0; i < n && !ld->ld_nomem; i++)
		cfg_service(ld, config_setting_get_elem(s, i));
	if (ld->ld_cfg->cf_nsvc + ld->ld_cfg->cf_nrs > STATS_SLOTS)
		cfg_err(ld, s, "%u services and real servers, at most %u",
		    ld->ld_cfg->cf_nsvc + ld->ld_cfg->cf_nrs, STATS_SLOTS);
}

/*
 * Every service with a fullnat real server has a local address of its
 * family, its own or a global one, whichever came first in the file;
 * reported at the services list (the commit would refuse it too, later).
 */
void
cfg_fullnat_laddrs(struct cfg_load *ld, const config_setting_t *list)
{
	const struct vs_conf *vc = ld->ld_cfg->cf_vc;
	const struct svc_conf *sc;
	const struct addr *la;
	char		 s[SVC_STRLEN];
	unsigned	 i, j, n;
	bool		 fullnat, ok;

	for (i = 0; vc != NULL && i < vc->vc_nsvc; i++) {
		sc = &vc->vc_svc[i];
		fullnat = false;
		for (j = 0; j < sc->sc_nrs; j++)
			fullnat |= sc->sc_rs[j].rc_method == XMIT_FULLNAT;
		la = sc->sc_nladdr ? sc->sc_laddr : vc->vc_laddr;
		n = sc->sc_nladdr ? sc->sc_nladdr : vc->vc_nladdr;
		for (ok = false, j = 0; j < n; j++)
			ok |= la[j].a_af == sc->sc_ep.ep_addr.a_af;
		if (fullnat && !ok) {
			cfg_err(ld, list, "%s: fullnat real servers need a "
			    "local address of its family (local_addresses)",
			    svc_fmt(sc->sc_proto, &sc->sc_ep, s, sizeof(s)));
			return;		/* one report, not one per service */
		}
	}
}


/* The member of service <s> that is key <id> under any of its names. */
static const config_setting_t *
svc_member(const config_setting_t *s, unsigned id)
{
	const config_setting_t	*m;
	unsigned		 i;
	size_t			 k;

	for (i = 0; (m = config_setting_get_elem(s, i)) != NULL; i++)
		for (k = 0; k < nitems(svc_keys); k++)
			if (svc_keys[k].k_id == id &&
			    strcmp(svc_keys[k].k_name,
			    config_setting_name(m)) == 0)
				return m;
	return NULL;
}

/*
 * An mh service has at most as many real servers as its table has
 * entries (ip_vs_mh_reassign()'s -EINVAL).  The table size may come
 * after the services in the file, so this runs after the walk, and it
 * names the real_servers list of each service that does not fit.
 */
void
cfg_mh_fits(struct cfg_load *ld, const config_setting_t *list)
{
	const config_setting_t	*s, *sched, *rs;
	unsigned		 i, m, n;
	const char		*v;

	m = ld->ld_cfg->cf_mh_table_size != 0 ?
	    ld->ld_cfg->cf_mh_table_size : SCHED_MH_SIZE_DEFAULT;
	for (i = 0; list != NULL && config_setting_is_list(list) &&
	    (s = config_setting_get_elem(list, i)) != NULL; i++) {
		if (!config_setting_is_group(s))
			continue;
		sched = svc_member(s, S_SCHED);
		rs = svc_member(s, S_RS);
		if (sched == NULL || rs == NULL ||
		    (v = config_setting_get_string(sched)) == NULL ||
		    strcmp(v, "mh") != 0 || !config_setting_is_list(rs))
			continue;
		if ((n = (unsigned)config_setting_length(rs)) > m)
			cfg_err(ld, rs, "%u real servers for mh, more than its "
			    "table has entries (mh_table_size %u)", n, m);
	}
}
