/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration as the control thread edits it (table.h: vsconf_*):
 * services and real servers in plain arrays, each edit checked as
 * ipvsadm checks it, with ipvsadm's messages.  table.c commits what this
 * builds.  Control thread; pure code.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "epoch.h"
#include "proxyproto.h"
#include "sip.h"
#include "sched/sched.h"
#include "stats.h"
#include "table.h"
#include "vsconf.h"
#include "util.h"
#include "xmit/xmit.h"

/*
 * A real server's port as it runs: DR cannot change the port, so it is
 * the service's (ipvsadm ignores the one given with -g); NAT without a
 * port keeps the service's.  A port-0 service's real servers are reached
 * on the client's destination port, whatever port they were given, as
 * IPVS's ip_vs_sched_persist() does: 0 here, the packet's in the data
 * path (rs_port_of()).
 */
uint16_t
vsconf_rs_port(const struct svc_conf *sc, const struct rs_conf *rc)
{
	if (XMIT_SAME_PORT(rc->rc_method) || rc->rc_ep.ep_port == 0 ||
	    sc->sc_ep.ep_port == 0)
		return sc->sc_ep.ep_port;
	return rc->rc_ep.ep_port;
}

const char *
vsconf_sched_name(const struct svc_conf *sc)
{
	return sc->sc_sched[0] == '\0' ? SCHED_DEFAULT : sc->sc_sched;
}

/*
 * -M: an IPv4 mask (network order) must be contiguous, an IPv6 prefix
 * length 1..128; 0 stands for the default, one template per client.
 */
static bool
netmask_valid(const struct svc_conf *sc)
{
	uint32_t	 inv;

	if (sc->sc_netmask == 0)
		return true;
	if (sc->sc_ep.ep_addr.a_af == AF_INET6)
		return sc->sc_netmask <= 128;
	inv = ~ntohl(sc->sc_netmask);
	return (inv & (inv + 1)) == 0;
}

uint32_t
vsconf_netmask(const struct svc_conf *sc)
{
	if (sc->sc_netmask != 0)
		return sc->sc_netmask;
	return sc->sc_ep.ep_addr.a_af == AF_INET6 ? SVC_NETMASK6_DEFAULT :
	    SVC_NETMASK4_DEFAULT;
}

/* SVC_F_PERSISTENT says whether there is a timeout, nothing else. */
uint32_t
vsconf_flags(const struct svc_conf *sc)
{
	return (sc->sc_flags & ~SVC_F_PERSISTENT) |
	    (sc->sc_timeout > 0 ? SVC_F_PERSISTENT : 0);
}

/* <sc> as it will run and read back: defaults filled in. */
void
vsconf_svc_norm(struct svc_conf *sc)
{
	if (sc->sc_sched[0] == '\0')
		snprintf(sc->sc_sched, sizeof(sc->sc_sched), "%s",
		    SCHED_DEFAULT);
	sc->sc_flags = vsconf_flags(sc);
	sc->sc_netmask = vsconf_netmask(sc);
}

int
vsconf_svc_check(const struct svc_conf *sc, struct uvs_err *err)
{
	char	 s[SVC_STRLEN], a[ADDR_STRLEN];
	unsigned i;

	svc_fmt(sc->sc_proto, &sc->sc_ep, s, sizeof(s));
	if (sc->sc_proto != IPPROTO_TCP && sc->sc_proto != IPPROTO_UDP &&
	    sc->sc_proto != IPPROTO_SCTP) {
		uvs_err_set(err, "%s: protocol must be tcp, udp or sctp", s);
		return -EINVAL;
	}
	if (sc->sc_ep.ep_addr.a_af != AF_INET &&
	    sc->sc_ep.ep_addr.a_af != AF_INET6) {
		uvs_err_set(err, "%s: no address", s);
		return -EINVAL;
	}
	/* Port 0 stands for every port, and only with -p (IPVS's rule). */
	if (sc->sc_ep.ep_port == 0 && sc->sc_timeout == 0) {
		uvs_err_set(err, "%s: port 0 (every port) is for persistent "
		    "services only", s);
		return -EINVAL;
	}
	if (memchr(sc->sc_sched, '\0', sizeof(sc->sc_sched)) == NULL ||
	    sched_find(vsconf_sched_name(sc)) == NULL) {
		uvs_err_set(err, "%s: unknown scheduler '%.*s'", s,
		    (int)sizeof(sc->sc_sched), sc->sc_sched);
		return -EINVAL;
	}
	if (sc->sc_flags & ~SVC_F_KNOWN) {
		uvs_err_set(err, "%s: unknown flags 0x%x", s,
		    (unsigned)(sc->sc_flags & ~SVC_F_KNOWN));
		return -EINVAL;
	}
	if (sc->sc_timeout > SVC_PERSIST_MAX) {
		uvs_err_set(err, "%s: persistence timeout %u out of range "
		    "1..%u", s, (unsigned)sc->sc_timeout, SVC_PERSIST_MAX);
		return -EINVAL;
	}
	if ((sc->sc_flags & SVC_F_ONEPACKET) && sc->sc_proto != IPPROTO_UDP) {
		uvs_err_set(err, "%s: one-packet scheduling is for udp "
		    "services only", s);
		return -EINVAL;
	}
	if (sc->sc_pe > PE_SIP) {
		uvs_err_set(err, "%s: unknown persistence engine %u", s,
		    (unsigned)sc->sc_pe);
		return -EINVAL;
	}
	/* IPVS reads a Call-ID only from UDP, only for persistence. */
	if (sc->sc_pe == PE_SIP && (sc->sc_proto != IPPROTO_UDP ||
	    !(vsconf_flags(sc) & SVC_F_PERSISTENT))) {
		uvs_err_set(err, "%s: persistence engine sip needs a "
		    "persistent udp service", s);
		return -EINVAL;
	}
	if (sc->sc_proxy > PROXY_V2) {
		uvs_err_set(err, "%s: unknown PROXY protocol version %u", s,
		    (unsigned)sc->sc_proxy);
		return -EINVAL;
	}
	if (sc->sc_nladdr > LADDR_PER_SVC_MAX) {
		uvs_err_set(err, "%s: more than %d local addresses", s,
		    LADDR_PER_SVC_MAX);
		return -EINVAL;
	}
	for (i = 0; i < sc->sc_nladdr; i++)
		if (sc->sc_laddr[i].a_af != sc->sc_ep.ep_addr.a_af) {
			uvs_err_set(err, "%s: local address %s is not of the "
			    "service's address family", s, addr_fmt(
			    &sc->sc_laddr[i], a, sizeof(a)));
			return -EINVAL;
		}
	if (!netmask_valid(sc)) {
		if (sc->sc_ep.ep_addr.a_af == AF_INET6)
			uvs_err_set(err, "%s: netmask prefix length %u out of "
			    "range 1..128", s, (unsigned)sc->sc_netmask);
		else
			uvs_err_set(err, "%s: netmask is not a contiguous "
			    "mask", s);
		return -EINVAL;
	}
	return 0;
}

int
vsconf_rs_check(const struct svc_conf *sc, const struct rs_conf *rc,
    struct uvs_err *err)
{
	struct uvs_err	 why = { .e_line = 0 };
	char		 s[SVC_STRLEN], e[EP_STRLEN];

	svc_fmt(sc->sc_proto, &sc->sc_ep, s, sizeof(s));
	ep_fmt(&rc->rc_ep, e, sizeof(e));
	/* As ipvsadm: only a tunnel crosses address families. */
	if (rc->rc_ep.ep_addr.a_af != sc->sc_ep.ep_addr.a_af &&
	    rc->rc_method != XMIT_TUN) {
		uvs_err_set(err, "%s: real server '%s' is not of the "
		    "service's address family", s, e);
		return -EINVAL;
	}
	if (rc->rc_weight < 0) {
		uvs_err_set(err, "%s: real server '%s': weight %d out of "
		    "range 0..2147483647", s, e, (int)rc->rc_weight);
		return -EINVAL;
	}
	if (rc->rc_method != XMIT_DR && rc->rc_method != XMIT_NAT &&
	    rc->rc_method != XMIT_FULLNAT && rc->rc_method != XMIT_TUN) {
		uvs_err_set(err, "%s: real server '%s': forwarding method "
		    "must be dr, nat, fullnat or tun", s, e);
		return -EINVAL;
	}
	/*
	 * fullnat's local ports, sequence offsets and PROXY headers are
	 * TCP's and UDP's; IPVS itself has no fullnat at all.
	 */
	if (rc->rc_method == XMIT_FULLNAT && sc->sc_proto == IPPROTO_SCTP) {
		uvs_err_set(err, "%s: real server '%s': fullnat does not "
		    "forward SCTP; use dr, nat or tun", s, e);
		return -EINVAL;
	}
	if (rc->rc_method == XMIT_TUN && rs_tun_check(&rc->rc_tun, &why) != 0) {
		uvs_err_set(err, "%s: real server '%s': %s", s, e, why.e_text);
		return -EINVAL;
	}
	if (rc->rc_method != XMIT_TUN && (rc->rc_tun.rt_type != 0 ||
	    rc->rc_tun.rt_port != 0 || rc->rc_tun.rt_flags != 0)) {
		uvs_err_set(err, "%s: real server '%s': tunnel options "
		    "conflict with forward method", s, e);
		return -EINVAL;
	}
	if (rc->rc_uthresh > RS_THRESH_MAX || rc->rc_lthresh > RS_THRESH_MAX) {
		uvs_err_set(err, "%s: real server '%s': threshold %u out of "
		    "range 0..%u", s, e, (unsigned)(rc->rc_uthresh >
		    RS_THRESH_MAX ? rc->rc_uthresh : rc->rc_lthresh),
		    RS_THRESH_MAX);
		return -EINVAL;
	}
	if (rc->rc_uthresh != 0 && rc->rc_lthresh > rc->rc_uthresh) {
		uvs_err_set(err, "%s: real server '%s': lower threshold %u "
		    "above upper threshold %u", s, e,
		    (unsigned)rc->rc_lthresh, (unsigned)rc->rc_uthresh);
		return -EINVAL;
	}
	return 0;
}

/* <rc> checked and with its running port, into <ret>. */
static int
rs_norm(const struct svc_conf *sc, const struct rs_conf *rc,
    struct rs_conf *ret, struct uvs_err *err)
{
	int	 r;

	if ((r = vsconf_rs_check(sc, rc, err)) != 0)
		return r;
	*ret = *rc;
	ret->rc_ep.ep_port = vsconf_rs_port(sc, rc);
	return 0;
}

void
vsconf_err_svc(struct uvs_err *err, const char *what, int proto,
    const struct ep *vip)
{
	char	 s[SVC_STRLEN];

	uvs_err_set(err, "%s '%s'", what, svc_fmt(proto, vip, s, sizeof(s)));
}

void
vsconf_err_rs(struct uvs_err *err, const char *what, const struct svc_conf *sc,
    const struct ep *rip)
{
	char	 s[SVC_STRLEN], e[EP_STRLEN];

	uvs_err_set(err, "%s: %s '%s'",
	    svc_fmt(sc->sc_proto, &sc->sc_ep, s, sizeof(s)), what,
	    ep_fmt(rip, e, sizeof(e)));
}

void
vsconf_err_limit(struct uvs_err *err, const struct svc_conf *sc)
{
	char	 s[SVC_STRLEN];

	uvs_err_set(err, "%s: too many real servers (limit %u)",
	    svc_fmt(sc->sc_proto, &sc->sc_ep, s, sizeof(s)), RS_PER_SVC_MAX);
}

struct vs_conf *
vsconf_dup(const struct vs_conf *vc)
{
	struct vs_conf	*n;
	struct svc_conf	*sc;
	unsigned	 i;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	if (vc != NULL) {
		n->vc_nladdr = vc->vc_nladdr;
		memcpy(n->vc_laddr, vc->vc_laddr, sizeof(n->vc_laddr));
	}
	if (vc == NULL || vc->vc_nsvc == 0)
		return n;
	n->vc_svc = calloc(vc->vc_nsvc, sizeof(*n->vc_svc));
	if (n->vc_svc == NULL)
		goto out_free;
	for (i = 0; i < vc->vc_nsvc; i++) {
		sc = &n->vc_svc[i];
		*sc = vc->vc_svc[i];
		sc->sc_rs = NULL;
		n->vc_nsvc = i + 1;
		if (sc->sc_nrs == 0)
			continue;
		sc->sc_rs = malloc(sc->sc_nrs * sizeof(*sc->sc_rs));
		if (sc->sc_rs == NULL) {
			sc->sc_nrs = 0;
			goto out_free;
		}
		memcpy(sc->sc_rs, vc->vc_svc[i].sc_rs,
		    sc->sc_nrs * sizeof(*sc->sc_rs));
	}
	return n;
out_free:
	vsconf_free(n);
	return NULL;
}

void
vsconf_clear(struct vs_conf *vc)
{
	unsigned	 i;

	for (i = 0; i < vc->vc_nsvc; i++)
		free(vc->vc_svc[i].sc_rs);
	free(vc->vc_svc);
	vc->vc_svc = NULL;
	vc->vc_nsvc = 0;
}

void
vsconf_free(struct vs_conf *vc)
{
	if (vc == NULL)
		return;
	vsconf_clear(vc);
	free(vc);
}

struct svc_conf *
vsconf_find_svc(const struct vs_conf *vc, int proto, const struct ep *vip)
{
	unsigned	 i;

	for (i = 0; i < vc->vc_nsvc; i++)
		if (vc->vc_svc[i].sc_proto == proto &&
		    ep_eq(&vc->vc_svc[i].sc_ep, vip))
			return &vc->vc_svc[i];
	return NULL;
}

struct rs_conf *
vsconf_find_rs(const struct svc_conf *sc, const struct ep *rip)
{
	unsigned	 i;

	for (i = 0; i < sc->sc_nrs; i++)
		if (ep_eq(&sc->sc_rs[i].rc_ep, rip))
			return &sc->sc_rs[i];
	return NULL;
}

int
vsconf_add_svc(struct vs_conf *vc, const struct svc_conf *svc,
    struct uvs_err *err)
{
	struct svc_conf	 n = *svc, *a;
	struct rs_conf	*rs = NULL;
	unsigned	 i, j;
	int		 r;

	if ((r = vsconf_svc_check(&n, err)) != 0)
		return r;
	vsconf_svc_norm(&n);
	if (vsconf_find_svc(vc, n.sc_proto, &n.sc_ep) != NULL) {
		vsconf_err_svc(err, "service already exists", n.sc_proto, &n.sc_ep);
		return -EEXIST;
	}
	if (vc->vc_nsvc >= SVC_MAX) {
		uvs_err_set(err, "too many services (limit %u)", SVC_MAX);
		return -ENOSPC;
	}
	if (n.sc_nrs > RS_PER_SVC_MAX) {
		vsconf_err_limit(err, &n);
		return -ENOSPC;
	}
	/* Real servers given with the service are checked like add_rs's. */
	if (n.sc_nrs > 0) {
		if ((rs = calloc(n.sc_nrs, sizeof(*rs))) == NULL)
			return -ENOMEM;
		for (i = 0; i < n.sc_nrs; i++) {
			if ((r = rs_norm(&n, &svc->sc_rs[i], &rs[i], err)) != 0)
				goto out_free;
			for (j = 0; j < i; j++) {
				if (ep_eq(&rs[j].rc_ep, &rs[i].rc_ep)) {
					vsconf_err_rs(err, "destination already "
					    "exists", &n, &rs[i].rc_ep);
					r = -EEXIST;
					goto out_free;
				}
			}
		}
	}
	a = realloc(vc->vc_svc, (vc->vc_nsvc + 1) * sizeof(*a));
	if (a == NULL) {
		r = -ENOMEM;
		goto out_free;
	}
	n.sc_rs = rs;
	vc->vc_svc = a;
	vc->vc_svc[vc->vc_nsvc++] = n;
	return 0;
out_free:
	free(rs);
	return r;
}

int
vsconf_edit_svc(struct vs_conf *vc, const struct svc_conf *svc,
    struct uvs_err *err)
{
	struct svc_conf	*sc, n;
	int		 r;

	if ((sc = vsconf_find_svc(vc, svc->sc_proto, &svc->sc_ep)) == NULL) {
		vsconf_err_svc(err, "no such service", svc->sc_proto, &svc->sc_ep);
		return -ESRCH;
	}
	n = *sc;
	memcpy(n.sc_sched, svc->sc_sched, sizeof(n.sc_sched));
	n.sc_flags = svc->sc_flags;
	n.sc_timeout = svc->sc_timeout;
	n.sc_netmask = svc->sc_netmask;
	n.sc_pe = svc->sc_pe;
	n.sc_proxy = svc->sc_proxy;
	n.sc_nladdr = svc->sc_nladdr;
	memcpy(n.sc_laddr, svc->sc_laddr, sizeof(n.sc_laddr));
	if ((r = vsconf_svc_check(&n, err)) != 0)
		return r;
	vsconf_svc_norm(&n);
	*sc = n;
	return 0;
}

int
vsconf_del_svc(struct vs_conf *vc, int proto, const struct ep *vip,
    struct uvs_err *err)
{
	struct svc_conf	*sc;
	size_t		 i;

	if ((sc = vsconf_find_svc(vc, proto, vip)) == NULL) {
		vsconf_err_svc(err, "no such service", proto, vip);
		return -ESRCH;
	}
	i = (size_t)(sc - vc->vc_svc);
	free(sc->sc_rs);
	memmove(sc, sc + 1, (vc->vc_nsvc - i - 1) * sizeof(*sc));
	vc->vc_nsvc--;
	return 0;
}

int
vsconf_add_rs(struct vs_conf *vc, int proto, const struct ep *vip,
    const struct rs_conf *rs, struct uvs_err *err)
{
	struct svc_conf	*sc;
	struct rs_conf	 n, *a;
	int		 r;

	if ((sc = vsconf_find_svc(vc, proto, vip)) == NULL) {
		vsconf_err_svc(err, "no such service", proto, vip);
		return -ESRCH;
	}
	if ((r = rs_norm(sc, rs, &n, err)) != 0)
		return r;
	if (vsconf_find_rs(sc, &n.rc_ep) != NULL) {
		vsconf_err_rs(err, "destination already exists", sc, &n.rc_ep);
		return -EEXIST;
	}
	if (sc->sc_nrs >= RS_PER_SVC_MAX) {
		vsconf_err_limit(err, sc);
		return -ENOSPC;
	}
	if ((a = realloc(sc->sc_rs, (sc->sc_nrs + 1) * sizeof(*a))) == NULL)
		return -ENOMEM;
	sc->sc_rs = a;
	sc->sc_rs[sc->sc_nrs++] = n;
	return 0;
}

int
vsconf_edit_rs(struct vs_conf *vc, int proto, const struct ep *vip,
    const struct rs_conf *rs, struct uvs_err *err)
{
	struct svc_conf	*sc;
	struct rs_conf	 n, *rc;
	int		 r;

	if ((sc = vsconf_find_svc(vc, proto, vip)) == NULL) {
		vsconf_err_svc(err, "no such service", proto, vip);
		return -ESRCH;
	}
	if ((r = rs_norm(sc, rs, &n, err)) != 0)
		return r;
	if ((rc = vsconf_find_rs(sc, &n.rc_ep)) == NULL) {
		vsconf_err_rs(err, "no such destination", sc, &n.rc_ep);
		return -ENOENT;
	}
	*rc = n;
	return 0;
}

int
vsconf_del_rs(struct vs_conf *vc, int proto, const struct ep *vip,
    const struct ep *rip, struct uvs_err *err)
{
	struct svc_conf	*sc;
	struct rs_conf	*rc;
	struct ep	 alt;
	size_t		 i;

	if ((sc = vsconf_find_svc(vc, proto, vip)) == NULL) {
		vsconf_err_svc(err, "no such service", proto, vip);
		return -ESRCH;
	}
	/*
	 * A server given without a port, or a DR server named with the
	 * port ipvsadm ignored when it was added, runs on the service's.
	 */
	if ((rc = vsconf_find_rs(sc, rip)) == NULL) {
		alt = *rip;
		alt.ep_port = sc->sc_ep.ep_port;
		rc = vsconf_find_rs(sc, &alt);
		if (rc != NULL && rip->ep_port != 0 &&
		    !XMIT_SAME_PORT(rc->rc_method))
			rc = NULL;
	}
	if (rc == NULL) {
		vsconf_err_rs(err, "no such destination", sc, rip);
		return -ENOENT;
	}
	i = (size_t)(rc - sc->sc_rs);
	memmove(rc, rc + 1, (sc->sc_nrs - i - 1) * sizeof(*rc));
	sc->sc_nrs--;
	return 0;
}

static const char *const tun_names[RS_TUN__MAX] = { "ipip", "gue", "gre" };
static const char *const tun_csum_names[] = { "nocsum", "csum", "remcsum" };

const char *
rs_tun_name(int type)
{
	return type >= 0 && type < RS_TUN__MAX ? tun_names[type] : "?";
}

int
rs_tun_parse(const char *name)
{
	int	 i;

	for (i = 0; i < RS_TUN__MAX; i++)
		if (strcmp(name, tun_names[i]) == 0)
			return i;
	return -EINVAL;
}

const char *
rs_tun_csum_name(int flags)
{
	return flags >= 0 && flags < (int)nitems(tun_csum_names) ?
	    tun_csum_names[flags] : "?";
}

int
rs_tun_csum_parse(const char *name)
{
	int	 i;

	for (i = 0; i < (int)nitems(tun_csum_names); i++)
		if (strcmp(name, tun_csum_names[i]) == 0)
			return i;
	return -EINVAL;
}

/*
 * ipvsadm 1.31's tunnel_types_v_options[]: ipip takes no option, gue
 * needs a port and takes one checksum option, gre takes nocsum or csum.
 */
int
rs_tun_check(const struct rs_tun *t, struct uvs_err *err)
{
	if (t->rt_type >= RS_TUN__MAX) {
		uvs_err_set(err, "illegal tunnel type");
		return -EINVAL;
	}
	if (t->rt_flags > RS_TUN_F_REMCSUM) {
		uvs_err_set(err, "illegal tunnel checksum option");
		return -EINVAL;
	}
	if (t->rt_type == RS_TUN_GUE && t->rt_port == 0) {
		uvs_err_set(err, "the gue tunnel type needs a tunnel port");
		return -EINVAL;
	}
	if (t->rt_type != RS_TUN_GUE && t->rt_port != 0) {
		uvs_err_set(err, "a tunnel port is only for the gue tunnel "
		    "type");
		return -EINVAL;
	}
	if (t->rt_type == RS_TUN_IPIP && t->rt_flags != 0) {
		uvs_err_set(err, "the ipip tunnel type takes no checksum "
		    "option");
		return -EINVAL;
	}
	if (t->rt_type == RS_TUN_GRE && t->rt_flags == RS_TUN_F_REMCSUM) {
		uvs_err_set(err, "remote checksum offload is only for the "
		    "gue tunnel type");
		return -EINVAL;
	}
	return 0;
}
