/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipvsadm -L output from a "list" reply (adm_print.h).  The reply is
 * parsed into services and their real servers, sorted the way libipvs
 * sorts (ipvs_cmp_services(), ipvs_cmp_dests(): the same arithmetic,
 * wrap-around included, handed to the same qsort()), and printed with
 * ipvsadm 1.31's formats: print_title(), print_service_entry(),
 * print_largenum(), addrport_to_anyname().  Pure code, uvsadm only.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "adm_opts.h"
#include "adm_print.h"
#include "rbuf.h"
#include "util.h"

/* IPVS's service flags that ipvsadm shows. */
#define IP_VS_SVC_F_PERSISTENT	0x0001
#define IP_VS_SVC_F_ONEPACKET	0x0004
#define IP_VS_SVC_F_SCHED1	0x0008
#define IP_VS_SVC_F_SCHED2	0x0010
#define IP_VS_SVC_F_SCHED3	0x0020

#define NAME_MAX_LEN	60	/* addrport_to_anyname()'s malloc(60) */
#define SCHED_LEN	32

/* Counters and rate estimates, in the reply's words. */
enum {
	K_CONNS = 0, K_INPKTS, K_OUTPKTS, K_INBYTES, K_OUTBYTES,
	K_CPS, K_INPPS, K_OUTPPS, K_INBPS, K_OUTBPS,
	K__MAX
};

static const char *const knames[K__MAX] = {
	"conns", "inpkts", "outpkts", "inbytes", "outbytes",
	"cps", "inpps", "outpps", "inbps", "outbps",
};

struct lsvc {
	int		 s_proto;
	struct ep	 s_ep;
	char		 s_sched[SCHED_LEN];
	unsigned long	 s_flags;
	unsigned long	 s_timeout;	/* persistence */
	uint32_t	 s_netmask;	/* v4: network order; v6: prefix */
	char		 s_laddr[400];	/* fullnat: "A,B", "" none */
	char		 s_proxy[8];	/* fullnat: "v1", "v2", "" none */
	char		 s_pe[8];	/* engine: "sip"; "": none */
	unsigned long long s_k[K__MAX];
	size_t		 s_first;	/* its servers in the server array */
	size_t		 s_nrs;
};

struct lrs {
	struct ep	 d_ep;
	char		 d_method[16];
	char		 d_tun_type[8];	/* "ipip", "gue", "gre"; "" */
	unsigned long	 d_tun_port;
	char		 d_tun_csum[8];	/* "nocsum", "csum", "remcsum" */
	long		 d_weight;
	unsigned long	 d_active, d_inactive, d_persist;
	unsigned long	 d_uthresh, d_lthresh;
	unsigned long long d_k[K__MAX];
	char		 d_health[8];	/* "up", "down"; "": not checked */
	char		 d_last[96];	/* the check's last result */
};

struct listing {
	char		 l_version[16];
	unsigned long	 l_size;
	int		 l_info;	/* the info line was seen */
	struct lsvc	*l_svc;
	size_t		 l_nsvc, l_capsvc;
	struct lrs	*l_rs;
	size_t		 l_nrs, l_caprs;
};

static int
perr(char *errbuf, size_t errlen, const char *fmt, ...) UVS_PRINTF(3, 4);

static int
perr(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(errbuf, errlen, fmt, ap);
		va_end(ap);
	}
	return -EPROTO;
}

static int
num_base(const char *s, int base, unsigned long long *ret)
{
	unsigned long long	 v;
	char			*end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

static int
num(const char *s, unsigned long long *ret)
{
	return num_base(s, 10, ret);
}

/* The value of "key" among the pairs <w>[<from>..<n>-1], or NULL. */
static const char *
kv(char **w, int from, int n, const char *key)
{
	int	 i;

	for (i = from; i + 1 < n; i += 2)
		if (strcmp(w[i], key) == 0)
			return w[i + 1];
	return NULL;
}

/* A missing counter reads as 0; a malformed one fails the reply. */
static int
kv_num(char **w, int from, int n, const char *key, unsigned long long *ret)
{
	const char	*v = kv(w, from, n, key);

	*ret = 0;
	return v == NULL ? 0 : num(v, ret);
}

/* Room for one more of <size> bytes in *<pp>. */
static int
grow(void *pp, size_t *cap, size_t n, size_t size)
{
	size_t	 c = *cap ? *cap * 2 : 16;
	void	*np;

	if (n < *cap)
		return 0;
	if ((np = reallocarray(*(void **)pp, c, size)) == NULL)
		return -ENOMEM;
	*(void **)pp = np;
	*cap = c;
	return 0;
}

#define WORDS_MAX	60

/* "255.255.255.0" for IPv4, "64" for IPv6; none: the full mask. */
static int
parse_netmask(const char *x, struct lsvc *s)
{
	struct in_addr		 in;
	unsigned long long	 v;

	if (s->s_ep.ep_addr.a_af == AF_INET6) {
		s->s_netmask = 128;
		if (x == NULL)
			return 0;
		if (num(x, &v) != 0 || v < 1 || v > 128)
			return -EINVAL;
		s->s_netmask = (uint32_t)v;
		return 0;
	}
	s->s_netmask = 0xffffffffu;
	if (x == NULL)
		return 0;
	if (inet_pton(AF_INET, x, &in) != 1)
		return -EINVAL;
	s->s_netmask = in.s_addr;
	return 0;
}

static int
parse_line(struct listing *l, char *line, char *errbuf, size_t errlen)
{
	char			*w[WORDS_MAX], *sp, *save;
	char			 health[8] = "", last[96] = "";
	const char		*h, *q, *e;
	unsigned long long	 v;
	struct lsvc		*s;
	struct lrs		*d;
	struct ep		 vip;
	const char		*x;
	int			 n = 0, proto, k;

	/*
	 * A checked server's line ends in health STATE last "REASON": taken
	 * whole before the split, the reason having blanks.
	 */
	if (strncmp(line, "server ", 7) == 0 &&
	    (h = strstr(line, " health ")) != NULL) {
		h += strlen(" health ");
		if ((e = strchr(h, ' ')) != NULL && (size_t)(e - h) <
		    sizeof(health)) {
			memcpy(health, h, (size_t)(e - h));
			health[e - h] = '\0';
		}
		if ((q = strstr(h, " last \"")) != NULL) {
			q += strlen(" last \"");
			e = strrchr(q, '"');
			snprintf(last, sizeof(last), "%.*s",
			    (int)(e != NULL && e > q ? e - q : 0), q);
		}
	}
	for (sp = strtok_r(line, " \t", &save); sp != NULL && n < WORDS_MAX;
	    sp = strtok_r(NULL, " \t", &save))
		w[n++] = sp;
	if (n == 0)
		return 0;
	if (strcmp(w[0], "info") == 0) {
		x = kv(w, 1, n, "version");
		snprintf(l->l_version, sizeof(l->l_version), "%s",
		    x != NULL ? x : "0.0.0");
		if (kv_num(w, 1, n, "size", &v) != 0)
			goto bad;
		l->l_size = (unsigned long)v;
		l->l_info = 1;
		return 0;
	}
	if (strcmp(w[0], "service") == 0) {
		if (n < 3 || (proto = proto_parse(w[1])) < 0)
			goto bad;
		if (grow(&l->l_svc, &l->l_capsvc, l->l_nsvc,
		    sizeof(*l->l_svc)) != 0)
			return perr(errbuf, errlen, "out of memory");
		s = &l->l_svc[l->l_nsvc];
		memset(s, 0, sizeof(*s));
		s->s_proto = proto;
		if (ep_parse(w[2], true, &s->s_ep) != 0)
			goto bad;
		x = kv(w, 3, n, "scheduler");
		snprintf(s->s_sched, sizeof(s->s_sched), "%s",
		    x != NULL ? x : "");
		if ((x = kv(w, 3, n, "flags")) != NULL &&
		    num_base(x, 16, &v) != 0)
			goto bad;
		s->s_flags = x != NULL ? (unsigned long)v : 0;
		if (kv_num(w, 3, n, "persistent", &v) != 0 ||
		    v > UINT32_MAX)
			goto bad;
		s->s_timeout = (unsigned long)v;
		if (parse_netmask(kv(w, 3, n, "netmask"), s) != 0)
			goto bad;
		if ((x = kv(w, 3, n, "laddr")) != NULL)
			snprintf(s->s_laddr, sizeof(s->s_laddr), "%s", x);
		if ((x = kv(w, 3, n, "proxy")) != NULL)
			snprintf(s->s_proxy, sizeof(s->s_proxy), "%s", x);
		if ((x = kv(w, 3, n, "pe")) != NULL &&
		    strcmp(x, "none") != 0)
			snprintf(s->s_pe, sizeof(s->s_pe), "%s", x);
		for (k = 0; k < K__MAX; k++)
			if (kv_num(w, 3, n, knames[k], &s->s_k[k]) != 0)
				goto bad;
		s->s_first = l->l_nrs;
		l->l_nsvc++;
		return 0;
	}
	if (strcmp(w[0], "server") == 0) {
		if (n < 4 || l->l_nsvc == 0 ||
		    (proto = proto_parse(w[1])) < 0 ||
		    ep_parse(w[2], true, &vip) != 0)
			goto bad;
		s = &l->l_svc[l->l_nsvc - 1];
		if (proto != s->s_proto || !ep_eq(&vip, &s->s_ep))
			goto bad;
		if (grow(&l->l_rs, &l->l_caprs, l->l_nrs,
		    sizeof(*l->l_rs)) != 0)
			return perr(errbuf, errlen, "out of memory");
		d = &l->l_rs[l->l_nrs];
		memset(d, 0, sizeof(*d));
		if (ep_parse(w[3], true, &d->d_ep) != 0)
			goto bad;
		x = kv(w, 4, n, "method");
		snprintf(d->d_method, sizeof(d->d_method), "%s",
		    x != NULL ? x : "");
		x = kv(w, 4, n, "tun-type");
		snprintf(d->d_tun_type, sizeof(d->d_tun_type), "%s",
		    x != NULL ? x : "");
		x = kv(w, 4, n, "tun-csum");
		snprintf(d->d_tun_csum, sizeof(d->d_tun_csum), "%s",
		    x != NULL ? x : "nocsum");
		if ((x = kv(w, 4, n, "tun-port")) != NULL &&
		    (num(x, &v) != 0 || v > 65535))
			goto bad;
		d->d_tun_port = x != NULL ? (unsigned long)v : 0;
		if ((x = kv(w, 4, n, "weight")) != NULL) {
			if (*x == '-') {
				if (num(x + 1, &v) != 0 || v > 2147483648ULL)
					goto bad;
				d->d_weight = -(long)v;
			} else if (num(x, &v) != 0 || v > 2147483647ULL)
				goto bad;
			else
				d->d_weight = (long)v;
		}
		if (kv_num(w, 4, n, "active", &v) != 0)
			goto bad;
		d->d_active = (unsigned long)v;
		if (kv_num(w, 4, n, "inactive", &v) != 0)
			goto bad;
		d->d_inactive = (unsigned long)v;
		if (kv_num(w, 4, n, "persistconns", &v) != 0)
			goto bad;
		d->d_persist = (unsigned long)v;
		if (kv_num(w, 4, n, "uthreshold", &v) != 0)
			goto bad;
		d->d_uthresh = (unsigned long)v;
		if (kv_num(w, 4, n, "lthreshold", &v) != 0)
			goto bad;
		d->d_lthresh = (unsigned long)v;
		memcpy(d->d_health, health, sizeof(d->d_health));
		memcpy(d->d_last, last, sizeof(d->d_last));
		for (k = 0; k < K__MAX; k++)
			if (kv_num(w, 4, n, knames[k], &d->d_k[k]) != 0)
				goto bad;
		l->l_nrs++;
		s->s_nrs++;
		return 0;
	}
	/* Lines a newer uvsd may add are not ours to refuse. */
	return 0;
bad:
	return perr(errbuf, errlen, "unexpected reply line from uvsd: '%.60s'",
	    w[0]);
}

/*
 * libipvs's comparisons, computed as it does: address words subtracted
 * as unsigned and read as int.
 */
static int
cmp_addr(const struct addr *a, const struct addr *b)
{
	int	 r = 0, i;

	if (a->a_af == AF_INET6) {
		for (i = 0; !r && i < 4; i++)
			r = (int)(ntohl(a->a.w[i]) - ntohl(b->a.w[i]));
	} else
		r = (int)(ntohl(a->a.w[0]) - ntohl(b->a.w[0]));
	return r;
}

static int
cmp_svc(const void *x, const void *y)
{
	const struct lsvc	*a = x, *b = y;
	int			 r;

	if ((r = (int)a->s_ep.ep_addr.a_af - (int)b->s_ep.ep_addr.a_af) != 0)
		return r;
	if ((r = a->s_proto - b->s_proto) != 0)
		return r;
	if ((r = cmp_addr(&a->s_ep.ep_addr, &b->s_ep.ep_addr)) != 0)
		return r;
	return ntohs(a->s_ep.ep_port) - ntohs(b->s_ep.ep_port);
}

static int
cmp_rs(const void *x, const void *y)
{
	const struct lrs	*a = x, *b = y;
	int			 r;

	if ((r = cmp_addr(&a->d_ep.ep_addr, &b->d_ep.ep_addr)) != 0)
		return r;
	return ntohs(a->d_ep.ep_port) - ntohs(b->d_ep.ep_port);
}

/* addrport_to_anyname(): "[host]:port" for IPv6, cut at 59 bytes. */
static char *
addrport_name(const struct ep *ep, int proto, unsigned fmt,
    const struct adm_names *nm, char *buf, size_t len)
{
	char		 host[1025], port[64], full[1100];
	const char	*h = NULL, *p = NULL;
	int		 v6 = ep->ep_addr.a_af == AF_INET6, n;

	if (!(fmt & ADM_FMT_NUMERIC) && nm != NULL) {
		if (nm->an_host != NULL)
			h = nm->an_host(&ep->ep_addr, host, sizeof(host),
			    nm->an_arg);
		if (nm->an_port != NULL)
			p = nm->an_port(ntohs(ep->ep_port), proto, port,
			    sizeof(port), nm->an_arg);
	}
	if (h == NULL)
		h = addr_fmt(&ep->ep_addr, host, sizeof(host));
	if (p == NULL) {
		snprintf(port, sizeof(port), "%u", ntohs(ep->ep_port));
		p = port;
	}
	n = snprintf(full, sizeof(full), "%s%s%s:%s", v6 ? "[" : "", h,
	    v6 ? "]" : "", p);
	if (n < 0)
		n = 0;
	if ((size_t)n > NAME_MAX_LEN - 1)	/* ipvsadm's snprintf(buf, 60) */
		n = NAME_MAX_LEN - 1;
	if ((size_t)n > len - 1)
		n = (int)len - 1;
	memcpy(buf, full, (size_t)n);
	buf[n] = '\0';
	return buf;
}

/* print_largenum() */
static void
largenum(struct rbuf *out, unsigned long long i, unsigned fmt)
{
	char	 tmp[32];
	int	 len;

	if (fmt & ADM_FMT_EXACT) {
		len = snprintf(tmp, sizeof(tmp), "%llu", i);
		rbuf_printf(out, "%*llu", len <= 8 ? 9 : len + 1, i);
		return;
	}
	if (i < 100000000ULL)			/* less than 100 million */
		rbuf_printf(out, "%9llu", i);
	else if (i < 1000000000ULL)		/* less than 1 billion */
		rbuf_printf(out, "%8lluK", i / 1000);
	else if (i < 100000000000ULL)		/* less than 100 billion */
		rbuf_printf(out, "%8lluM", i / 1000000);
	else if (i < 100000000000000ULL)	/* less than 100 trillion */
		rbuf_printf(out, "%8lluG", i / 1000000000ULL);
	else
		rbuf_printf(out, "%8lluT", i / 1000000000000ULL);
}

/* print_title() */
static void
title(struct rbuf *out, unsigned fmt)
{
	if (fmt & ADM_FMT_RULE)
		return;
	if (fmt & ADM_FMT_STATS)
		rbuf_printf(out, "%-33s %8s %8s %8s %8s %8s\n"
		    "  -> RemoteAddress:Port\n", "Prot LocalAddress:Port",
		    "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
	else if (fmt & ADM_FMT_RATE)
		rbuf_printf(out, "%-33s %8s %8s %8s %8s %8s\n"
		    "  -> RemoteAddress:Port\n", "Prot LocalAddress:Port",
		    "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
	else if (fmt & ADM_FMT_THRESHOLDS)
		rbuf_printf(out, "%-33s %-10s %-10s %-10s %-10s\n"
		    "  -> RemoteAddress:Port\n", "Prot LocalAddress:Port",
		    "Uthreshold", "Lthreshold", "ActiveConn", "InActConn");
	else if (fmt & ADM_FMT_PERSISTENTCONN)
		rbuf_printf(out, "%-33s %-9s %-11s %-10s %-10s\n"
		    "  -> RemoteAddress:Port\n", "Prot LocalAddress:Port",
		    "Weight", "PersistConn", "ActiveConn", "InActConn");
	else if (fmt & ADM_FMT_TUN_INFO)
		rbuf_printf(out, "Prot LocalAddress:Port Scheduler Flags\n"
		    "  -> RemoteAddress:Port           Forward TunnelInfo    "
		    "Weight ActiveConn InActConn\n");
	else if (fmt & ADM_FMT_HEALTH)
		rbuf_printf(out, "Prot LocalAddress:Port Scheduler Flags\n"
		    "  -> RemoteAddress:Port           Forward Weight "
		    "Health Last\n");
	else
		rbuf_printf(out, "Prot LocalAddress:Port Scheduler Flags\n"
		    "  -> RemoteAddress:Port           Forward Weight "
		    "ActiveConn InActConn\n");
}

/* print_sched_flags() */
static void
sched_flags(struct rbuf *out, const struct lsvc *s)
{
	char	 f[64] = "";

	if (strcmp(s->s_sched, "sh") == 0) {
		if (s->s_flags & IP_VS_SVC_F_SCHED1)
			strcat(f, "sh-fallback,");
		if (s->s_flags & IP_VS_SVC_F_SCHED2)
			strcat(f, "sh-port,");
	} else if (strcmp(s->s_sched, "mh") == 0) {
		if (s->s_flags & IP_VS_SVC_F_SCHED1)
			strcat(f, "mh-fallback,");
		if (s->s_flags & IP_VS_SVC_F_SCHED2)
			strcat(f, "mh-port,");
	} else {
		if (s->s_flags & IP_VS_SVC_F_SCHED1)
			strcat(f, "flag-1,");
		if (s->s_flags & IP_VS_SVC_F_SCHED2)
			strcat(f, "flag-2,");
		if (s->s_flags & IP_VS_SVC_F_SCHED3)
			strcat(f, "flag-3,");
	}
	if (f[0] != '\0') {
		f[strlen(f) - 1] = '\0';
		rbuf_printf(out, "%s", f);
	}
}

/* fwd_name(): the protocol's method names to ipvsadm's Forward column. */
static const char *
fwd_name(const char *m)
{
	static const struct { const char *m, *fwd; } names[] = {
		{ "dr", "Route" }, { "nat", "Masq" }, { "tun", "Tunnel" },
		{ "local", "Local" }, { "fullnat", "FullNat" },
	};
	size_t	 i;

	for (i = 0; i < nitems(names); i++)
		if (strcmp(m, names[i].m) == 0)
			return names[i].fwd;
	return "(null)";	/* what glibc prints for ipvsadm's NULL */
}

/* ipvsadm's tunflags[] and tun_flags_opts[] by checksum option. */
static const char *
tun_flag(const char *csum, bool opt)
{
	if (strcmp(csum, "csum") == 0)
		return opt ? "--tun-csum" : "+c";
	if (strcmp(csum, "remcsum") == 0)
		return opt ? "--tun-remcsum" : "r+c";
	return opt ? "--tun-nocsum" : "-c";
}

/* fwd_tun_info(): "ipip", "gue:PORT:FLAGS", "gre:FLAGS"; NULL: n/a. */
static const char *
tun_info(const struct lrs *d, char *buf, size_t len)
{
	if (strcmp(d->d_method, "tun") != 0)
		return NULL;
	if (strcmp(d->d_tun_type, "gue") == 0)
		snprintf(buf, len, "gue:%lu:%s", d->d_tun_port,
		    tun_flag(d->d_tun_csum, false));
	else if (strcmp(d->d_tun_type, "gre") == 0)
		snprintf(buf, len, "gre:%s", tun_flag(d->d_tun_csum, false));
	else if (strcmp(d->d_tun_type, "ipip") == 0 || d->d_tun_type[0] == '\0')
		snprintf(buf, len, "ipip");
	else
		return NULL;
	return buf;
}

/* How ipvsadm -S spells a service's protocol. */
static const char *
proto_switch(int proto)
{
	return proto == IPPROTO_TCP ? "-t" : proto == IPPROTO_UDP ? "-u" :
	    "--sctp-service";
}

/* And how its listings do. */
static const char *
proto_upper(int proto)
{
	return proto == IPPROTO_TCP ? "TCP" : proto == IPPROTO_UDP ? "UDP" :
	    "SCTP";
}

/* fwd_switch(): the -S spelling; Local saves as -g. */
static const char *
fwd_switch(const char *m)
{
	if (strcmp(m, "nat") == 0)
		return "-m";
	if (strcmp(m, "tun") == 0)
		return "-i";
	if (strcmp(m, "dr") == 0 || strcmp(m, "local") == 0)
		return "-g";
	if (strcmp(m, "fullnat") == 0)
		return "--fullnat";
	return "(null)";
}

static bool
sched_flagged(const struct lsvc *s)
{
	return (s->s_flags & (IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 |
	    IP_VS_SVC_F_SCHED3)) != 0;
}

/* " -p 300 -M 255.255.255.0 -o -b flag-1" or " persistent 300 mask ..." */
static void
svc_params(struct rbuf *out, const struct lsvc *s, bool rule)
{
	struct in_addr	 in;

	if (s->s_flags & IP_VS_SVC_F_PERSISTENT) {
		rbuf_printf(out, rule ? " -p %lu" : " persistent %lu",
		    s->s_timeout);
		if (s->s_ep.ep_addr.a_af == AF_INET &&
		    s->s_netmask != 0xffffffffu) {
			in.s_addr = s->s_netmask;
			rbuf_printf(out, rule ? " -M %s" : " mask %s",
			    inet_ntoa(in));
		}
		if (s->s_ep.ep_addr.a_af == AF_INET6 && s->s_netmask != 128)
			rbuf_printf(out, rule ? " -M %u" : " mask %u",
			    s->s_netmask);
		/* ipvsadm lists it among the persistence settings... */
		if (!rule && s->s_pe[0] != '\0')
			rbuf_printf(out, " pe %s", s->s_pe);
	}
	/* ...and saves it after them, whether persistent or not. */
	if (rule && s->s_pe[0] != '\0')
		rbuf_printf(out, " --pe %s", s->s_pe);
	if (s->s_flags & IP_VS_SVC_F_ONEPACKET)
		rbuf_printf(out, rule ? " -o" : " ops");
	if (rule && sched_flagged(s)) {
		rbuf_printf(out, " -b ");
		sched_flags(out, s);
	}
	/* uvsadm's fullnat settings, after all of ipvsadm's. */
	if (s->s_laddr[0] != '\0')
		rbuf_printf(out, rule ? " --laddr %s" : " laddr %s",
		    s->s_laddr);
	if (s->s_proxy[0] != '\0' && strcmp(s->s_proxy, "none") != 0)
		rbuf_printf(out, rule ? " --proxy-protocol %s" : " proxy %s",
		    s->s_proxy);
}

/* print_service_entry()'s service part */
static void
service_line(struct rbuf *out, const struct lsvc *s, const char *vname,
    unsigned fmt)
{
	char	 svc_name[1024];
	int	 k;

	if (fmt & ADM_FMT_RULE) {
		rbuf_printf(out, "-A %s %s -s %s", proto_switch(s->s_proto),
		    vname,
		    s->s_sched);
		svc_params(out, s, true);
		rbuf_printf(out, "\n");
		return;
	}
	snprintf(svc_name, sizeof(svc_name), "%-4s %s",
	    proto_upper(s->s_proto), vname);
	if (s->s_ep.ep_addr.a_af != AF_INET6)
		svc_name[33] = '\0';
	if (fmt & (ADM_FMT_STATS | ADM_FMT_RATE)) {
		rbuf_printf(out, "%-33s", svc_name);
		for (k = 0; k < 5; k++)
			largenum(out, s->s_k[(fmt & ADM_FMT_STATS) ? k :
			    K_CPS + k], fmt);
	} else {
		rbuf_printf(out, "%s %s", svc_name, s->s_sched);
		if (sched_flagged(s)) {
			rbuf_printf(out, " (");
			sched_flags(out, s);
			rbuf_printf(out, ")");
		}
		svc_params(out, s, false);
	}
	rbuf_printf(out, "\n");
}

/* print_service_entry()'s real server part */
static void
server_line(struct rbuf *out, const struct lsvc *s, const struct lrs *d,
    const char *vname, const char *dname, unsigned fmt)
{
	int	 k;

	if (fmt & ADM_FMT_RULE) {
		/* ipvsadm saves no thresholds; uvsadm does when set. */
		rbuf_printf(out, "-a %s %s -r %s %s -w %ld",
		    proto_switch(s->s_proto), vname, dname,
		    fwd_switch(d->d_method), d->d_weight);
		/* print_tunnel_rule() */
		if (strcmp(d->d_method, "tun") == 0) {
			const char *ty = d->d_tun_type[0] != '\0' ?
			    d->d_tun_type : "ipip";

			rbuf_printf(out, " --tun-type %s", ty);
			if (strcmp(ty, "gue") == 0)
				rbuf_printf(out, " --tun-port %lu %s",
				    d->d_tun_port, tun_flag(d->d_tun_csum,
				    true));
			else if (strcmp(ty, "gre") == 0)
				rbuf_printf(out, " %s",
				    tun_flag(d->d_tun_csum, true));
		}
		if (d->d_uthresh != 0)
			rbuf_printf(out, " -x %lu", d->d_uthresh);
		if (d->d_lthresh != 0)
			rbuf_printf(out, " -y %lu", d->d_lthresh);
		rbuf_printf(out, "\n");
	} else if (fmt & ADM_FMT_STATS) {
		rbuf_printf(out, "  -> %-28s", dname);
		for (k = K_CONNS; k <= K_OUTBYTES; k++)
			largenum(out, d->d_k[k], fmt);
		rbuf_printf(out, "\n");
	} else if (fmt & ADM_FMT_RATE) {
		rbuf_printf(out, "  -> %-28s %8llu %8llu %8llu", dname,
		    d->d_k[K_CPS], d->d_k[K_INPPS], d->d_k[K_OUTPPS]);
		largenum(out, d->d_k[K_INBPS], fmt);
		largenum(out, d->d_k[K_OUTBPS], fmt);
		rbuf_printf(out, "\n");
	} else if (fmt & ADM_FMT_THRESHOLDS)
		rbuf_printf(out, "  -> %-28s %-10lu %-10lu %-10lu %-10lu\n",
		    dname, d->d_uthresh, d->d_lthresh, d->d_active,
		    d->d_inactive);
	else if (fmt & ADM_FMT_PERSISTENTCONN)
		rbuf_printf(out, "  -> %-28s %-9ld %-11lu %-10lu %-10lu\n",
		    dname, d->d_weight, d->d_persist, d->d_active,
		    d->d_inactive);
	else if (fmt & ADM_FMT_TUN_INFO) {
		char		 ti[32];
		const char	*t = tun_info(d, ti, sizeof(ti));

		rbuf_printf(out, "  -> %-28s %-7s %-13s %-6ld %-10lu %-10lu\n",
		    dname, fwd_name(d->d_method), t != NULL ? t : "n/a",
		    d->d_weight, d->d_active, d->d_inactive);
	}
	else if (fmt & ADM_FMT_HEALTH)
		rbuf_printf(out, "  -> %-28s %-7s %-6ld %-6s %s\n", dname,
		    fwd_name(d->d_method), d->d_weight, d->d_health[0] != '\0' ?
		    d->d_health : "-", d->d_last);
	else
		rbuf_printf(out, "  -> %-28s %-7s %-6ld %-10lu %-10lu\n",
		    dname, fwd_name(d->d_method), d->d_weight, d->d_active,
		    d->d_inactive);
}

/* print_service_entry() */
static void
service(struct rbuf *out, const struct listing *l, const struct lsvc *s,
    unsigned fmt, const struct adm_names *nm)
{
	char		 vname[NAME_MAX_LEN], dname[NAME_MAX_LEN];
	const struct lrs *d;
	size_t		 i;

	addrport_name(&s->s_ep, s->s_proto, fmt, nm, vname, sizeof(vname));
	service_line(out, s, vname, fmt);
	for (i = 0; i < s->s_nrs; i++) {
		d = &l->l_rs[s->s_first + i];
		addrport_name(&d->d_ep, s->s_proto, fmt, nm, dname,
		    sizeof(dname));
		if (!(fmt & ADM_FMT_RULE) && d->d_ep.ep_addr.a_af != AF_INET6)
			dname[28] = '\0';
		server_line(out, s, d, vname, dname, fmt);
	}
}

int
adm_print_list(const char *reply, unsigned fmt, bool one_service,
    const struct adm_names *names, struct rbuf *out, char *errbuf,
    size_t errlen)
{
	struct listing	 l;
	char		*copy, *line, *next;
	size_t		 i;
	int		 r = 0;

	memset(&l, 0, sizeof(l));
	if (errlen > 0)
		errbuf[0] = '\0';
	if ((copy = strdup(reply != NULL ? reply : "")) == NULL)
		return perr(errbuf, errlen, "out of memory");
	for (line = copy; line != NULL && r == 0; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		r = parse_line(&l, line, errbuf, errlen);
	}
	if (r == 0 && !l.l_info)
		r = perr(errbuf, errlen, "reply from uvsd without its info "
		    "line");
	if (r < 0)
		goto out;
	if (!(fmt & ADM_FMT_NOSORT)) {
		for (i = 0; i < l.l_nsvc; i++)
			if (l.l_svc[i].s_nrs > 1)
				qsort(l.l_rs + l.l_svc[i].s_first,
				    l.l_svc[i].s_nrs, sizeof(*l.l_rs), cmp_rs);
		/* Each service took its servers' place along. */
		if (l.l_nsvc > 1)
			qsort(l.l_svc, l.l_nsvc, sizeof(*l.l_svc), cmp_svc);
	}
	if (!one_service && !(fmt & ADM_FMT_RULE))
		rbuf_printf(out, "IP Virtual Server version %s (size=%lu)\n",
		    l.l_version, l.l_size);
	title(out, fmt);
	for (i = 0; i < l.l_nsvc; i++)
		service(out, &l, &l.l_svc[i], fmt, names);
	if (out->rb_err != 0)
		r = perr(errbuf, errlen, "out of memory");
out:
	free(l.l_svc);
	free(l.l_rs);
	free(copy);
	return r;
}

/* An endpoint whose port may be 0 (a template's client). */
static int
ep_parse_any(const char *s, struct ep *ret)
{
	char	 buf[EP_STRLEN];
	size_t	 n = strlen(s);

	if (n > 2 && n < sizeof(buf) && strcmp(s + n - 2, ":0") == 0) {
		memcpy(buf, s, n - 2);
		buf[n - 2] = '\0';
		memset(ret, 0, sizeof(*ret));
		return addr_parse(buf, &ret->ep_addr);
	}
	return ep_parse(s, true, ret);
}

/*
 * Does <reply> hold a fullnat connection, a "conn" line with an eighth
 * word, its LIP:lport?  Then every row gets DPVS's "local" column.
 */
static bool
conns_have_local(const char *reply)
{
	const char	*line, *end;
	unsigned	 words;
	bool		 in;

	for (line = reply; line != NULL && *line != '\0'; line = end) {
		if ((end = strchr(line, '\n')) != NULL)
			end++;
		if (strncmp(line, "conn ", 5) != 0)
			continue;
		for (words = 0, in = false; *line != '\0' && *line != '\n';
		    line++) {
			if (*line != ' ' && *line != '\t' && !in)
				words++;
			in = *line != ' ' && *line != '\t';
		}
		if (words >= 8)
			return true;
	}
	return false;
}

/* print_conn() for one "conn" or "template" line. */
static int
conn_line(struct rbuf *out, char *line, unsigned fmt,
    const struct adm_names *nm, bool local)
{
	char			*w[10], *sp, *save;
	char			 names[4][NAME_MAX_LEN], expire[24];
	struct ep		 ep[4];
	unsigned long long	 exp;
	int			 n = 0, proto, i;

	for (sp = strtok_r(line, " \t", &save); sp != NULL && n < 10;
	    sp = strtok_r(NULL, " \t", &save))
		w[n++] = sp;
	if (n == 0)
		return 0;
	if (strcmp(w[0], "conn") != 0 && strcmp(w[0], "template") != 0)
		return 0;	/* a newer uvsd's line */
	if (n < 7 || (proto = proto_parse(w[1])) < 0 ||
	    num(w[6], &exp) != 0 || exp > UINT32_MAX || strlen(w[5]) > 15)
		return -EINVAL;
	for (i = 0; i < 3; i++) {
		if (ep_parse_any(w[2 + i], &ep[i]) != 0)
			return -EINVAL;
		addrport_name(&ep[i], proto, fmt, nm, names[i],
		    sizeof(names[i]));
	}
	snprintf(expire, sizeof(expire), "%02u:%02u",
	    (unsigned)(exp / 60), (unsigned)(exp % 60));
	/*
	 * A persistence engine's template: ipvsadm shows its name and data
	 * with --persistent-conn, in its own columns.
	 */
	if (n == 10 && strcmp(w[0], "template") == 0 &&
	    strcmp(w[7], "pe") == 0 && (fmt & ADM_FMT_PERSISTENTCONN)) {
		rbuf_printf(out, "%-3s %-6s %-11s %-18s %-18s %-16s %-18s "
		    "%s\n", proto == IPPROTO_TCP ? "TCP" : "UDP", expire,
		    w[5], names[0], names[1], names[2], w[8], w[9]);
		return 0;
	}
	if (!local) {
		rbuf_printf(out, "%-3s %-6s %-11s %-18s %-18s %s\n",
		    proto_upper(proto), expire, w[5],
		    names[0], names[1], names[2]);
		return 0;
	}
	/* A fullnat connection's LIP:lport; "-" for the others. */
	if (n >= 8 && strcmp(w[0], "conn") == 0) {
		if (ep_parse_any(w[7], &ep[3]) != 0)
			return -EINVAL;
		addrport_name(&ep[3], proto, fmt, nm, names[3],
		    sizeof(names[3]));
	} else
		snprintf(names[3], sizeof(names[3]), "-");
	rbuf_printf(out, "%-3s %-6s %-11s %-18s %-18s %-18s %s\n",
	    proto_upper(proto), expire, w[5], names[0],
	    names[1], names[3], names[2]);
	return 0;
}

int
adm_print_conns(const char *reply, unsigned fmt,
    const struct adm_names *names, struct rbuf *out, char *errbuf,
    size_t errlen)
{
	char	*copy, *line, *next;
	bool	 local;
	int	 r = 0;

	if (errlen > 0)
		errbuf[0] = '\0';
	if ((copy = strdup(reply != NULL ? reply : "")) == NULL)
		return perr(errbuf, errlen, "out of memory");
	local = conns_have_local(copy);
	rbuf_printf(out, "IPVS connection entries\n");
	rbuf_printf(out, "pro expire %-11s %-18s %-18s ", "state", "source",
	    "virtual");
	if (local)
		rbuf_printf(out, "%-18s ", "local");
	if (fmt & ADM_FMT_PERSISTENTCONN)
		rbuf_printf(out, "%-18s %-16s %s\n", "destination",
		    "pe name", "pe_data");
	else
		rbuf_printf(out, "%s\n", "destination");
	for (line = copy; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (conn_line(out, line, fmt, names, local) != 0) {
			r = perr(errbuf, errlen, "unexpected reply line from "
			    "uvsd: '%.60s'", line);
			break;
		}
	}
	if (r == 0 && out->rb_err != 0)
		r = perr(errbuf, errlen, "out of memory");
	free(copy);
	return r;
}

int
adm_print_timeout(const char *reply, struct rbuf *out, char *errbuf,
    size_t errlen)
{
	unsigned long	 tcp, fin, udp;
	char		 end;

	if (errlen > 0)
		errbuf[0] = '\0';
	if (reply == NULL || sscanf(reply, "timeout tcp %lu tcpfin %lu udp %lu%c",
	    &tcp, &fin, &udp, &end) != 4 || end != '\n' ||
	    tcp > INT32_MAX || fin > INT32_MAX || udp > INT32_MAX)
		return perr(errbuf, errlen, "unexpected reply from uvsd to "
		    "timeout");
	return rbuf_printf(out, "Timeout (tcp tcpfin udp): %d %d %d\n",
	    (int)tcp, (int)fin, (int)udp) < 0 ?
	    perr(errbuf, errlen, "out of memory") : 0;
}
