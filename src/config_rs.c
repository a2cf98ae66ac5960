/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsd.conf's real servers (cfg_load.h): a service's real_servers and
 * sorry_server groups, and the forwarding method words (keepalived's
 * "TUN type gue port N csum" included).  Split from config.c, whose
 * service walk calls in here.  Control thread and uvsd -t.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "arpnd.h"
#include "cfg.h"
#include "cfg_load.h"
#include "daemon.h"
#include "hc.h"
#include "health.h"
#include "sched/sched.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "vsconf.h"
#include "xmit/xmit.h"

enum {
	R_ADDR, R_PORT, R_METHOD, R_WEIGHT, R_UTHRESH, R_LTHRESH, R_CHECK,
	R_NOTIFY_UP, R_NOTIFY_DOWN, R__MAX
};

static const struct cfg_key rs_keys[] = {
	{ "address",	R_ADDR },
	{ "port",	R_PORT },
	{ "method",	R_METHOD },
	{ "lvs_method",	R_METHOD },
	{ "weight",	R_WEIGHT },
	{ "uthreshold",	R_UTHRESH },
	{ "lthreshold",	R_LTHRESH },
	{ "check",	R_CHECK },
	{ "notify_up",	R_NOTIFY_UP },
	{ "notify_down", R_NOTIFY_DOWN },
};

/*
 * "dr", "nat", or keepalived's "TUN [type {ipip|gue port N|gre}
 * [nocsum|csum|remcsum]]" into <ret> and <tun> (NULL: no tunnel words).
 */
int
cfg_method_tun(struct cfg_load *ld, const config_setting_t *s, uint8_t *ret,
    struct rs_tun *tun)
{
	struct uvs_err	 err = { .e_line = 0 };
	struct rs_tun	 t;
	const char	*v;
	char		 buf[128], *w, *save = NULL;
	unsigned long	 port;
	int		 r;

	if (cfg_str(ld, s, &v) != 0)
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", v);
	if ((w = strtok_r(buf, " \t", &save)) == NULL)
		w = buf;
	memset(&t, 0, sizeof(t));
	if (strcasecmp(w, "dr") == 0 || strcasecmp(w, "gate") == 0)
		*ret = XMIT_DR;
	else if (strcasecmp(w, "nat") == 0 || strcasecmp(w, "masq") == 0)
		*ret = XMIT_NAT;
	else if (strcasecmp(w, "fullnat") == 0 || strcasecmp(w, "fnat") == 0)
		*ret = XMIT_FULLNAT;
	else if (strcasecmp(w, "tun") == 0 || strcasecmp(w, "ipip") == 0)
		*ret = XMIT_TUN;
	else {
		cfg_err(ld, s, "unknown forwarding method '%s' (dr, nat, "
		    "fullnat or tun)", v);
		return -EINVAL;
	}
	while ((w = strtok_r(NULL, " \t", &save)) != NULL) {
		if (*ret != XMIT_TUN || tun == NULL) {
			cfg_err(ld, s, "method '%s': '%s' is only for tun "
			    "real servers and services", v, w);
			return -EINVAL;
		}
		if (strcasecmp(w, "type") == 0) {
			if ((w = strtok_r(NULL, " \t", &save)) == NULL ||
			    (r = rs_tun_parse(w)) < 0) {
				cfg_err(ld, s, "method '%s': type is ipip, gue "
				    "or gre", v);
				return -EINVAL;
			}
			t.rt_type = (uint8_t)r;
		} else if (strcasecmp(w, "port") == 0) {
			if ((w = strtok_r(NULL, " \t", &save)) == NULL ||
			    parse_uint(w, 1, 65535, &port) != 0) {
				cfg_err(ld, s, "method '%s': port is 1..65535",
				    v);
				return -EINVAL;
			}
			t.rt_port = (uint16_t)port;
		} else if ((r = rs_tun_csum_parse(w)) >= 0)
			t.rt_flags = (uint8_t)r;
		else {
			cfg_err(ld, s, "method '%s': unknown word '%s' (type, "
			    "port, nocsum, csum, remcsum)", v, w);
			return -EINVAL;
		}
	}
	if (*ret == XMIT_TUN && rs_tun_check(&t, &err) != 0) {
		cfg_err(ld, s, "method '%s': %s", v, err.e_text);
		return -EINVAL;
	}
	if (tun != NULL)
		*tun = t;
	return 0;
}

int
cfg_method(struct cfg_load *ld, const config_setting_t *s, uint8_t *ret)
{
	return cfg_method_tun(ld, s, ret, NULL);
}

/* sorry_server = { address; port; method } of <cs>. */
int
cfg_sorry(struct cfg_load *ld, const config_setting_t *s, struct cfg_svc *cs)
{
	const config_setting_t	*seen[R__MAX] = { NULL }, *m;
	struct health_svc	*hs = &cs->cs_hs;
	int			 i, id, r = 0;

	if (!cfg_is_group(ld, s))
		return -EINVAL;
	hs->hs_sorry_method = cs->cs_method;
	for (i = 0; (m = config_setting_get_elem(s, (unsigned)i)) != NULL; i++) {
		if ((id = cfg_key_find(ld, m, rs_keys, nitems(rs_keys),
		    seen)) < 0) {
			r = -EINVAL;
			continue;
		}
		if (id == R_ADDR)
			r |= cfg_addr(ld, m, &hs->hs_sorry_ep.ep_addr);
		else if (id == R_PORT)
			r |= cfg_port(ld, m, &hs->hs_sorry_ep.ep_port);
		else if (id == R_METHOD)
			r |= cfg_method(ld, m, &hs->hs_sorry_method);
		else {
			cfg_err(ld, m, "sorry_server takes address, port and "
			    "method only");
			r = -EINVAL;
		}
	}
	if (seen[R_ADDR] == NULL) {
		cfg_err(ld, s, "sorry_server without 'address'");
		return -EINVAL;
	}
	hs->hs_sorry = r == 0;
	return r != 0 ? -EINVAL : 0;
}

/* One real server of <cs>, added to the vs_conf if the service was. */
void
cfg_real_server(struct cfg_load *ld, const config_setting_t *s,
    struct cfg_svc *cs, bool add)
{
	const config_setting_t	*seen[R__MAX] = { NULL }, *m;
	const config_setting_t	*ka[CFG_KA_MAX] = { NULL }, *check = NULL;
	struct rs_conf		 rc;
	struct health_rs	 hr;
	struct uvs_err		 err = { .e_line = 0 };
	long long		 v;
	bool			 bad = false;
	int			 i, id, r;

	if (!cfg_is_group(ld, s))
		return;
	memset(&hr, 0, sizeof(hr));
	hr.hr_params = cs->cs_hp;
	memset(&rc, 0, sizeof(rc));
	rc.rc_weight = 1;
	rc.rc_method = cs->cs_method;
	rc.rc_tun = cs->cs_tun;
	for (i = 0; (m = config_setting_get_elem(s, (unsigned)i)) != NULL; i++) {
		if (cfg_ka_member(ld, m, ka, &bad))
			continue;
		if ((id = cfg_key_find(ld, m, rs_keys, nitems(rs_keys),
		    seen)) < 0) {
			bad = true;
			continue;
		}
		switch (id) {
		case R_ADDR:
			r = cfg_addr(ld, m, &rc.rc_ep.ep_addr);
			break;
		case R_PORT:
			r = cfg_port(ld, m, &rc.rc_ep.ep_port);
			break;
		case R_METHOD:
			r = cfg_method_tun(ld, m, &rc.rc_method, &rc.rc_tun);
			break;
		case R_WEIGHT:
			if ((r = cfg_int(ld, m, 0, INT32_MAX, &v)) == 0)
				rc.rc_weight = (int32_t)v;
			break;
		case R_UTHRESH:
			if ((r = cfg_int(ld, m, 0, 65535, &v)) == 0)
				rc.rc_uthresh = (uint32_t)v;
			break;
		case R_LTHRESH:
			if ((r = cfg_int(ld, m, 0, 65535, &v)) == 0)
				rc.rc_lthresh = (uint32_t)v;
			break;
		case R_CHECK:
			check = m;
			r = 0;
			break;
		case R_NOTIFY_UP:
			r = cfg_strbuf(ld, m, hr.hr_notify_up,
			    sizeof(hr.hr_notify_up));
			break;
		default:
			r = cfg_strbuf(ld, m, hr.hr_notify_down,
			    sizeof(hr.hr_notify_down));
			break;
		}
		if (r != 0)
			bad = true;
	}
	if (seen[R_ADDR] == NULL) {
		cfg_err(ld, s, "real server without 'address'");
		bad = true;
	}
	/* Over the service's check: keepalived's knobs, then the group. */
	if (cfg_ka_apply(ld, ka, &hr.hr_params) != 0)
		bad = true;
	if (check != NULL && (cfg_check(ld, check, &hr.hr_params) != 0 ||
	    cfg_check_valid(ld, check, &hr.hr_params) != 0))
		bad = true;
	/* A port-0 service's real servers answer on every port. */
	if (!bad && cs->cs_sc.sc_ep.ep_port == 0 &&
	    hr.hr_params.hp_type != HC_NONE && hr.hr_params.hp_type != HC_EXEC &&
	    hr.hr_params.hp_connect.ep_port == 0) {
		cfg_err(ld, check != NULL ? check : s, "a check of a port-0 "
		    "service needs connect_port");
		bad = true;
	}
	/* As IPVS refuses it (ip_vs_add_dest(): -ERANGE). */
	if (!bad && rc.rc_lthresh > rc.rc_uthresh) {
		cfg_err(ld, seen[R_LTHRESH], "lthreshold %u above uthreshold "
		    "%u", rc.rc_lthresh, rc.rc_uthresh);
		bad = true;
	}
	if (bad || !add)
		return;
	r = vsconf_add_rs(ld->ld_cfg->cf_vc, cs->cs_sc.sc_proto,
	    &cs->cs_sc.sc_ep, &rc, &err);
	if (r != 0) {
		cfg_err_vs(ld, s, r, &err);
		return;
	}
	ld->ld_cfg->cf_nrs++;
	if (hr.hr_params.hp_type == HC_NONE)
		return;
	/* Ports as the table runs them (vsconf.c, vsconf_rs_port()). */
	hr.hr_proto = cs->cs_sc.sc_proto;
	hr.hr_vip = cs->cs_sc.sc_ep;
	hr.hr_rip = rc.rc_ep;
	hr.hr_rip.ep_port = vsconf_rs_port(&cs->cs_sc, &rc);
	if (cfg_health_add(ld, NULL, &hr))
		cs->cs_hs.hs_nrs++;
}
