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

struct lsvc {
	int		 s_proto;
	struct ep	 s_ep;
	char		 s_sched[SCHED_LEN];
	unsigned long	 s_flags;
	unsigned long long s_conns, s_inpkts, s_outpkts, s_inbytes,
			 s_outbytes;
	size_t		 s_first;	/* its servers in the server array */
	size_t		 s_nrs;
};

struct lrs {
	struct ep	 d_ep;
	char		 d_method[16];
	long		 d_weight;
	unsigned long	 d_active, d_inactive;
	unsigned long long d_conns, d_inpkts, d_outpkts, d_inbytes,
			 d_outbytes;
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

#define WORDS_MAX	40

static int
parse_line(struct listing *l, char *line, char *errbuf, size_t errlen)
{
	char			*w[WORDS_MAX], *sp, *save;
	unsigned long long	 v;
	struct lsvc		*s;
	struct lrs		*d;
	struct ep		 vip;
	const char		*x;
	int			 n = 0, proto;

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
		if (kv_num(w, 3, n, "conns", &s->s_conns) != 0 ||
		    kv_num(w, 3, n, "inpkts", &s->s_inpkts) != 0 ||
		    kv_num(w, 3, n, "outpkts", &s->s_outpkts) != 0 ||
		    kv_num(w, 3, n, "inbytes", &s->s_inbytes) != 0 ||
		    kv_num(w, 3, n, "outbytes", &s->s_outbytes) != 0)
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
		if (kv_num(w, 4, n, "conns", &d->d_conns) != 0 ||
		    kv_num(w, 4, n, "inpkts", &d->d_inpkts) != 0 ||
		    kv_num(w, 4, n, "outpkts", &d->d_outpkts) != 0 ||
		    kv_num(w, 4, n, "inbytes", &d->d_inbytes) != 0 ||
		    kv_num(w, 4, n, "outbytes", &d->d_outbytes) != 0)
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
	if (fmt & ADM_FMT_STATS)
		rbuf_printf(out, "%-33s %8s %8s %8s %8s %8s\n"
		    "  -> RemoteAddress:Port\n", "Prot LocalAddress:Port",
		    "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
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

/* print_service_entry() */
static void
service(struct rbuf *out, const struct listing *l, const struct lsvc *s,
    unsigned fmt, const struct adm_names *nm)
{
	char		 vname[NAME_MAX_LEN], svc_name[1024], dname[NAME_MAX_LEN];
	const struct lrs *d;
	size_t		 i;

	addrport_name(&s->s_ep, s->s_proto, fmt, nm, vname, sizeof(vname));
	snprintf(svc_name, sizeof(svc_name), "%-4s %s",
	    s->s_proto == IPPROTO_TCP ? "TCP" : "UDP", vname);
	if (s->s_ep.ep_addr.a_af != AF_INET6)
		svc_name[33] = '\0';
	if (fmt & ADM_FMT_STATS) {
		rbuf_printf(out, "%-33s", svc_name);
		largenum(out, s->s_conns, fmt);
		largenum(out, s->s_inpkts, fmt);
		largenum(out, s->s_outpkts, fmt);
		largenum(out, s->s_inbytes, fmt);
		largenum(out, s->s_outbytes, fmt);
	} else {
		rbuf_printf(out, "%s %s", svc_name, s->s_sched);
		if (s->s_flags & (IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 |
		    IP_VS_SVC_F_SCHED3)) {
			rbuf_printf(out, " (");
			sched_flags(out, s);
			rbuf_printf(out, ")");
		}
		if (s->s_flags & IP_VS_SVC_F_ONEPACKET)
			rbuf_printf(out, " ops");
	}
	rbuf_printf(out, "\n");
	for (i = 0; i < s->s_nrs; i++) {
		d = &l->l_rs[s->s_first + i];
		addrport_name(&d->d_ep, s->s_proto, fmt, nm, dname,
		    sizeof(dname));
		if (d->d_ep.ep_addr.a_af != AF_INET6)
			dname[28] = '\0';
		if (fmt & ADM_FMT_STATS) {
			rbuf_printf(out, "  -> %-28s", dname);
			largenum(out, d->d_conns, fmt);
			largenum(out, d->d_inpkts, fmt);
			largenum(out, d->d_outpkts, fmt);
			largenum(out, d->d_inbytes, fmt);
			largenum(out, d->d_outbytes, fmt);
			rbuf_printf(out, "\n");
		} else
			rbuf_printf(out, "  -> %-28s %-7s %-6ld %-10lu %-10lu\n",
			    dname, fwd_name(d->d_method), d->d_weight,
			    d->d_active, d->d_inactive);
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
	if (!one_service)
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
