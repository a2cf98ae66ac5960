/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control protocol's editing verbs (ctl_cmd_int.h): add, edit and
 * delete services and real servers, and clear.  Each edits the copy of
 * the configuration the caller made (a request alone or a batch);
 * ctl_cmd.c commits it.  Control thread.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "addr.h"
#include "conn.h"
#include "ctl_cmd.h"
#include "ctl_cmd_int.h"
#include "ctl_proto.h"
#include "daemon.h"
#include "health.h"
#include "laddr.h"
#include "proxyproto.h"
#include "rbuf.h"
#include "sched/sched.h"
#include "sip.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

static const char *const svc_keys[] = {
	"scheduler", "persistent", "netmask", "flags", "ops", "laddr", "proxy",
	"pe",
};

enum {
	SK_SCHED = 0, SK_PERSIST, SK_NETMASK, SK_FLAGS, SK_OPS, SK_LADDR,
	SK_PROXY, SK_PE
};

/* "A,B,..." or "none": fullnat's local addresses of a service. */
static int
parse_laddrs(const char *s, struct svc_conf *sc, struct uvs_err *err)
{
	char		 buf[LADDR_PER_SVC_MAX * ADDR_STRLEN], q[QUOTE_MAX + 1];
	char		*tok, *save = NULL;
	struct addr	 a;
	unsigned	 i;

	sc->sc_nladdr = 0;
	if (strcmp(s, "none") == 0)
		return 0;
	if (strlen(s) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (addr_parse(tok, &a) != 0)
			goto bad;
		for (i = 0; i < sc->sc_nladdr; i++)
			if (addr_eq(&sc->sc_laddr[i], &a))
				goto bad;
		if (sc->sc_nladdr >= LADDR_PER_SVC_MAX) {
			uvs_err_set(err, "at most %d local addresses",
			    LADDR_PER_SVC_MAX);
			return -EINVAL;
		}
		sc->sc_laddr[sc->sc_nladdr++] = a;
	}
	if (sc->sc_nladdr > 0)
		return 0;
bad:
	uvs_err_set(err, "bad local addresses '%s' (A[,A...], no repeats, "
	    "or none)", quote(s, q, sizeof(q)));
	return -EINVAL;
}

/* Apply the parameters in <vals> (NULL: keep) to <sc>, checking each. */
static int
svc_params(struct svc_conf *sc, const char **vals, struct uvs_err *err)
{
	struct svc_conf	 n = *sc;
	uint32_t	 v;
	int		 r;

	if (vals[SK_SCHED] != NULL &&
	    (r = parse_sched(vals[SK_SCHED], n.sc_sched, err)) < 0)
		return r;
	if (vals[SK_PERSIST] != NULL) {
		if ((r = parse_num(vals[SK_PERSIST], "persistence timeout",
		    TIMEOUT_MAX, &v, err)) < 0)
			return r;
		n.sc_timeout = v;
		if (v > 0)
			n.sc_flags |= SVC_F_PERSISTENT;
		else
			n.sc_flags &= ~(uint32_t)SVC_F_PERSISTENT;
	}
	if (vals[SK_NETMASK] != NULL &&
	    (r = parse_netmask(vals[SK_NETMASK], n.sc_ep.ep_addr.a_af,
	    &n.sc_netmask, err)) < 0)
		return r;
	if (vals[SK_FLAGS] != NULL) {
		if ((r = parse_flags(vals[SK_FLAGS], &v, err)) < 0)
			return r;
		n.sc_flags = (n.sc_flags & ~(uint32_t)(SVC_F_SCHED1 |
		    SVC_F_SCHED2 | SVC_F_SCHED3)) | v;
	}
	if (vals[SK_OPS] != NULL) {
		if (strcmp(vals[SK_OPS], "on") == 0)
			n.sc_flags |= SVC_F_ONEPACKET;
		else
			n.sc_flags &= ~(uint32_t)SVC_F_ONEPACKET;
	}
	if ((n.sc_flags & SVC_F_ONEPACKET) && n.sc_proto != IPPROTO_UDP) {
		uvs_err_set(err, "one-packet scheduling (ops) is for udp "
		    "services only");
		return -EINVAL;
	}
	if (vals[SK_PE] != NULL) {
		if (strcmp(vals[SK_PE], "none") == 0)
			n.sc_pe = PE_NONE;
		else if (strcmp(vals[SK_PE], "sip") == 0)
			n.sc_pe = PE_SIP;
		else {
			uvs_err_set(err, "persistence engine must be none or "
			    "sip");
			return -EINVAL;
		}
	}
	if (vals[SK_LADDR] != NULL &&
	    (r = parse_laddrs(vals[SK_LADDR], &n, err)) < 0)
		return r;
	if (vals[SK_PROXY] != NULL) {
		if (strcmp(vals[SK_PROXY], "none") == 0)
			n.sc_proxy = PROXY_NONE;
		else if (strcmp(vals[SK_PROXY], "v1") == 0)
			n.sc_proxy = PROXY_V1;
		else if (strcmp(vals[SK_PROXY], "v2") == 0)
			n.sc_proxy = PROXY_V2;
		else {
			uvs_err_set(err, "proxy protocol must be none, v1 "
			    "or v2");
			return -EINVAL;
		}
	}
	*sc = n;
	return 0;
}

/* add-service and edit-service share their syntax. */
static int
svc_request(struct cmd_ctx *x, int argc, char **argv, bool add)
{
	const struct ctl_cmd	*c = &ctl_cmds[add ? CMD_ADD_SERVICE :
				    CMD_EDIT_SERVICE];
	struct svc_conf		 sc, *old;
	const char		*vals[nitems(svc_keys)];
	int			 proto, r;

	memset(&sc, 0, sizeof(sc));
	if (parse_kw(argc - 3, argv + 3, svc_keys, vals, nitems(svc_keys),
	    "ops") != 0)
		return usage_err(c, x->x_err);
	if ((r = parse_svc(argv, &proto, &sc.sc_ep, x->x_err)) < 0)
		return r;
	sc.sc_proto = (uint8_t)proto;
	snprintf(sc.sc_sched, sizeof(sc.sc_sched), "%s", SCHED_DEFAULT);
	sc.sc_netmask = netmask_default(sc.sc_ep.ep_addr.a_af);
	old = vsconf_find_svc(x->x_vc, sc.sc_proto, &sc.sc_ep);
	if (!add && old != NULL) {
		/* What the request leaves out stays as it is. */
		memcpy(sc.sc_sched, old->sc_sched, sizeof(sc.sc_sched));
		sc.sc_flags = old->sc_flags;
		sc.sc_timeout = old->sc_timeout;
		if (old->sc_netmask != 0)
			sc.sc_netmask = old->sc_netmask;
		sc.sc_proxy = old->sc_proxy;
		sc.sc_pe = old->sc_pe;
		sc.sc_nladdr = old->sc_nladdr;
		memcpy(sc.sc_laddr, old->sc_laddr, sizeof(sc.sc_laddr));
	}
	if ((r = svc_params(&sc, vals, x->x_err)) < 0)
		return r;
	if (add)
		return vsconf_add_svc(x->x_vc, &sc, x->x_err);
	if ((r = vsconf_edit_svc(x->x_vc, &sc, x->x_err)) < 0)
		return r;
	/* vsconf_edit_svc() takes scheduler and flags; the rest is ours. */
	if ((old = vsconf_find_svc(x->x_vc, sc.sc_proto, &sc.sc_ep)) != NULL) {
		old->sc_timeout = sc.sc_timeout;
		old->sc_netmask = sc.sc_netmask;
	}
	return 0;
}

int
cmd_add_service(struct cmd_ctx *x, int argc, char **argv)
{
	return svc_request(x, argc, argv, true);
}

int
cmd_edit_service(struct cmd_ctx *x, int argc, char **argv)
{
	return svc_request(x, argc, argv, false);
}

int
cmd_del_service(struct cmd_ctx *x, int argc, char **argv)
{
	struct ep	 vip;
	int		 proto, r;

	(void)argc;
	if ((r = parse_svc(argv, &proto, &vip, x->x_err)) < 0)
		return r;
	return vsconf_del_svc(x->x_vc, proto, &vip, x->x_err);
}

int
cmd_clear(struct cmd_ctx *x, int argc, char **argv)
{
	(void)argc, (void)argv;
	vsconf_clear(x->x_vc);
	return 0;
}

static const char *const rs_keys[] = {
	"method", "weight", "uthreshold", "lthreshold", "tun-type",
	"tun-port", "tun-csum",
};

/* tun-type, tun-port and tun-csum of a request into <t>. */
static int
parse_tun(const char *const *vals, struct rs_tun *t, struct uvs_err *err)
{
	char		 q[QUOTE_MAX + 1];
	unsigned long	 v;
	int		 r;

	if (vals[0] != NULL) {
		if ((r = rs_tun_parse(vals[0])) < 0) {
			uvs_err_set(err, "unknown tunnel type '%s' (ipip, gue "
			    "or gre)", quote(vals[0], q, sizeof(q)));
			return -EINVAL;
		}
		t->rt_type = (uint8_t)r;
	}
	if (vals[1] != NULL) {
		if (parse_uint(vals[1], 0, 65535, &v) != 0) {
			uvs_err_set(err, "bad tunnel port '%s' (1..65535, 0: "
			    "none)", quote(vals[1], q, sizeof(q)));
			return -EINVAL;
		}
		t->rt_port = (uint16_t)v;
	}
	if (vals[2] != NULL) {
		if ((r = rs_tun_csum_parse(vals[2])) < 0) {
			uvs_err_set(err, "unknown tunnel checksum option '%s' "
			    "(nocsum, csum or remcsum)",
			    quote(vals[2], q, sizeof(q)));
			return -EINVAL;
		}
		t->rt_flags = (uint8_t)r;
	}
	return 0;
}

/* add-server and edit-server share their syntax. */
static int
rs_request(struct cmd_ctx *x, int argc, char **argv, bool add)
{
	const struct ctl_cmd	*c = &ctl_cmds[add ? CMD_ADD_SERVER :
				    CMD_EDIT_SERVER];
	const struct svc_conf	*sc;
	const struct rs_conf	*old = NULL;
	struct rs_conf		 rc;
	struct ep		 vip;
	const char		*vals[nitems(rs_keys)];
	int			 proto, r;

	memset(&rc, 0, sizeof(rc));
	if (parse_kw(argc - 4, argv + 4, rs_keys, vals, nitems(rs_keys),
	    NULL) != 0)
		return usage_err(c, x->x_err);
	if ((r = parse_svc(argv, &proto, &vip, x->x_err)) < 0 ||
	    (r = parse_rip(argv[3], &vip, &rc.rc_ep, x->x_err)) < 0)
		return r;
	rc.rc_method = XMIT_DR;
	rc.rc_weight = 1;
	if (!add && (sc = vsconf_find_svc(x->x_vc, proto, &vip)) != NULL &&
	    (old = vsconf_find_rs(sc, &rc.rc_ep)) != NULL) {
		/* What the request leaves out stays as it is. */
		rc.rc_method = old->rc_method;
		rc.rc_tun = old->rc_tun;
		rc.rc_weight = old->rc_weight;
		rc.rc_uthresh = old->rc_uthresh;
		rc.rc_lthresh = old->rc_lthresh;
	}
	if ((vals[0] != NULL &&
	    (r = parse_method(vals[0], &rc.rc_method, x->x_err)) < 0) ||
	    (vals[1] != NULL &&
	    (r = parse_weight(vals[1], &rc.rc_weight, x->x_err)) < 0) ||
	    (vals[2] != NULL && (r = parse_num(vals[2], "upper threshold",
	    THRESH_MAX, &rc.rc_uthresh, x->x_err)) < 0) ||
	    (vals[3] != NULL && (r = parse_num(vals[3], "lower threshold",
	    THRESH_MAX, &rc.rc_lthresh, x->x_err)) < 0))
		return r;
	/* Another method forgets the tunnel; a tunnel starts as ipip. */
	if (vals[0] != NULL && (old == NULL || rc.rc_method != XMIT_TUN ||
	    old->rc_method != XMIT_TUN))
		memset(&rc.rc_tun, 0, sizeof(rc.rc_tun));
	if ((r = parse_tun(vals + 4, &rc.rc_tun, x->x_err)) < 0)
		return r;
	if (add)
		return vsconf_add_rs(x->x_vc, proto, &vip, &rc, x->x_err);
	return vsconf_edit_rs(x->x_vc, proto, &vip, &rc, x->x_err);
}

int
cmd_add_server(struct cmd_ctx *x, int argc, char **argv)
{
	return rs_request(x, argc, argv, true);
}

int
cmd_edit_server(struct cmd_ctx *x, int argc, char **argv)
{
	return rs_request(x, argc, argv, false);
}

int
cmd_del_server(struct cmd_ctx *x, int argc, char **argv)
{
	struct ep	 vip, rip;
	int		 proto, r;

	(void)argc;
	if ((r = parse_svc(argv, &proto, &vip, x->x_err)) < 0 ||
	    (r = parse_rip(argv[3], &vip, &rip, x->x_err)) < 0)
		return r;
	return vsconf_del_rs(x->x_vc, proto, &vip, &rip, x->x_err);
}
