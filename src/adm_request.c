/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a parsed uvsadm command line asks of uvsd (adm_opts.h): the
 * protocol request built from struct adm_opts, and -R's input lines
 * split, parsed and turned into requests.  Pure code.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
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
#include "proxyproto.h"
#include "sched/sched.h"
#include "sip.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

static const char *
method_word(int m)
{
	return m == XMIT_NAT ? "nat" : m == XMIT_FULLNAT ? "fullnat" :
	    m == XMIT_TUN ? "tun" : "dr";
}

static const char *const proxy_words[] = { "none", "v1", "v2" };

/* " flags a,b" for the SVC_F_SCHED* of <f>, "none" without. */
static void
flag_words(uint32_t f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s",
	    (f & SVC_F_SCHED1) ? "flag-1," : "",
	    (f & SVC_F_SCHED2) ? "flag-2," : "",
	    (f & SVC_F_SCHED3) ? "flag-3," : "",
	    (f & (SVC_F_SCHED1 | SVC_F_SCHED2 | SVC_F_SCHED3)) ? "" : "none");
	if (buf[0] != '\0' && buf[strlen(buf) - 1] == ',')
		buf[strlen(buf) - 1] = '\0';
}

static void
mask_words(const struct adm_opts *o, char *buf, size_t len)
{
	struct in_addr	 in;
	uint32_t	 m = o->ao_has_netmask ? o->ao_netmask :
			    (o->ao_svc.ep_addr.a_af == AF_INET6 ? 128 :
			    0xffffffffu);

	if (o->ao_svc.ep_addr.a_af == AF_INET6)
		snprintf(buf, len, "%u", m);
	else {
		in.s_addr = m;
		if (inet_ntop(AF_INET, &in, buf, (socklen_t)len) == NULL)
			snprintf(buf, len, "255.255.255.255");
	}
}

/*
 * -A says what differs from the defaults; -E says everything, because
 * ipvsadm -E sets what it is not given back to the default.
 */
static int
svc_request(const struct adm_opts *o, const char *proto, const char *vip,
    char *buf, size_t len)
{
	char	 mask[64], flags[64], pers[32] = "";
	char	 fn[sizeof(o->ao_laddr) + 32] = "";
	bool	 edit = o->ao_cmd == ADM_EDIT_SVC;

	mask_words(o, mask, sizeof(mask));
	flag_words(o->ao_flags, flags, sizeof(flags));
	/*
	 * Fullnat's settings are uvsadm's, not ipvsadm's: -E changes them
	 * only when given ("none" clears), -A says them when not none.
	 */
	if (o->ao_laddr[0] != '\0' && (edit || strcmp(o->ao_laddr, "none")))
		snprintf(fn, sizeof(fn), " laddr %s", o->ao_laddr);
	if (o->ao_proxy > (edit ? 0 : 1))
		snprintf(fn + strlen(fn), sizeof(fn) - strlen(fn),
		    " proxy %s", proxy_words[o->ao_proxy - 1]);
	if (edit)
		return snprintf(buf, len, "edit-service %s %s scheduler %s "
		    "persistent %u netmask %s flags %s ops %s pe %s%s", proto,
		    vip, o->ao_sched, (o->ao_flags & SVC_F_PERSISTENT) ?
		    o->ao_timeout : 0, mask, flags,
		    (o->ao_flags & SVC_F_ONEPACKET) ? "on" : "off",
		    o->ao_pe == PE_SIP ? "sip" : "none", fn);
	if (o->ao_flags & SVC_F_PERSISTENT)
		snprintf(pers, sizeof(pers), " persistent %u", o->ao_timeout);
	return snprintf(buf, len, "add-service %s %s scheduler %s%s%s%s"
	    "%s%s%s%s%s", proto, vip, o->ao_sched, pers,
	    o->ao_has_netmask ? " netmask " : "",
	    o->ao_has_netmask ? mask : "",
	    strcmp(flags, "none") != 0 ? " flags " : "",
	    strcmp(flags, "none") != 0 ? flags : "",
	    (o->ao_flags & SVC_F_ONEPACKET) ? " ops" : "",
	    o->ao_pe == PE_SIP ? " pe sip" : "", fn);
}

int
adm_request(const struct adm_opts *o, char *buf, size_t len)
{
	char		 vip[EP_STRLEN], rip[EP_STRLEN], th[64] = "";
	char		 tun[80] = "";
	const char	*proto = proto_name(o->ao_proto);
	int		 n;

	ep_fmt(&o->ao_svc, vip, sizeof(vip));
	ep_fmt(&o->ao_rs, rip, sizeof(rip));
	switch (o->ao_cmd) {
	case ADM_ADD_SVC:
	case ADM_EDIT_SVC:
		n = svc_request(o, proto, vip, buf, len);
		break;
	case ADM_DEL_SVC:
		n = snprintf(buf, len, "del-service %s %s", proto, vip);
		break;
	case ADM_CLEAR:
		n = snprintf(buf, len, "clear");
		break;
	case ADM_ADD_RS:
	case ADM_EDIT_RS:
		/*
		 * Like ipvsadm: -e without -g/-m/-w/-x/-y means -g -w 1
		 * and no thresholds.
		 */
		if (o->ao_cmd == ADM_EDIT_RS || o->ao_uthresh != 0 ||
		    o->ao_lthresh != 0)
			snprintf(th, sizeof(th), " uthreshold %u lthreshold "
			    "%u", o->ao_uthresh, o->ao_lthresh);
		if (o->ao_method == XMIT_TUN)
			snprintf(tun, sizeof(tun), " tun-type %s tun-port %u "
			    "tun-csum %s", rs_tun_name(o->ao_tun.rt_type),
			    (unsigned)o->ao_tun.rt_port,
			    rs_tun_csum_name(o->ao_tun.rt_flags));
		n = snprintf(buf, len, "%s %s %s %s method %s weight %d%s%s",
		    o->ao_cmd == ADM_ADD_RS ? "add-server" : "edit-server",
		    proto, vip, rip, method_word(o->ao_method), o->ao_weight,
		    th, tun);
		break;
	case ADM_DEL_RS:
		n = snprintf(buf, len, "del-server %s %s %s", proto, vip, rip);
		break;
	case ADM_LIST:
		if (o->ao_list == ADM_LIST_CONN)
			n = snprintf(buf, len, "connections");
		else if (o->ao_list == ADM_LIST_TIMEOUT)
			n = snprintf(buf, len, "timeout");
		else if (o->ao_proto != 0)
			n = snprintf(buf, len, "list %s %s", proto, vip);
		else
			n = snprintf(buf, len, "list");
		break;
	case ADM_SAVE:
		n = snprintf(buf, len, "list");
		break;
	case ADM_ZERO:
		if (o->ao_proto != 0)
			n = snprintf(buf, len, "zero %s %s", proto, vip);
		else
			n = snprintf(buf, len, "zero");
		break;
	case ADM_SET:
		n = snprintf(buf, len, "set-timeout %u %u %u", o->ao_set[0],
		    o->ao_set[1], o->ao_set[2]);
		break;
	default:
		return -EINVAL;
	}
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return 0;
}

#define RESTORE_WORDS	64

/* Words of one -R line, config_stream.c's way. */
static int
restore_split(char *line, char **words, int max)
{
	char	*r = line, *w = line, quote;
	int	 n = 0;

	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n')
			r++;
		if (*r == '\0' || *r == '#')
			return n;
		if (n == max)
			return -E2BIG;
		words[n++] = w;
		quote = 0;
		for (; *r != '\0'; r++) {
			if (quote != 0 && *r == quote) {
				quote = 0;
				continue;
			}
			if (quote == 0 && (*r == '\'' || *r == '"')) {
				quote = *r;
				continue;
			}
			if (quote == 0 && (*r == ' ' || *r == '\t' ||
			    *r == '\r' || *r == '\n'))
				break;
			*w++ = *r;
		}
		if (quote != 0)
			return -EINVAL;
		if (*r != '\0')
			r++;
		*w++ = '\0';
	}
}

int
adm_restore_line(char *line, const struct adm_resolver *res, char *req,
    size_t reqlen, char *errbuf, size_t errlen)
{
	struct adm_opts	 o;
	char		*argv[RESTORE_WORDS + 2];
	int		 n, r;

	if (errlen > 0)
		errbuf[0] = '\0';
	if ((n = restore_split(line, argv + 1, RESTORE_WORDS)) < 0) {
		snprintf(errbuf, errlen, n == -E2BIG ? "too many words" :
		    "unbalanced quotes");
		return -EINVAL;
	}
	if (n == 0)
		return 0;
	argv[0] = (char *)"uvsadm";
	if (strcmp(argv[1], "ipvsadm") == 0 || strcmp(argv[1], "uvsadm") == 0) {
		argv[1] = argv[0];
		if (--n == 0) {
			snprintf(errbuf, errlen, "no command");
			return -EINVAL;
		}
		r = adm_opts_parse_prefix(n + 1, argv + 1, res, &o, errbuf, errlen, "");
	} else
		r = adm_opts_parse_prefix(n + 1, argv, res, &o, errbuf, errlen, "");
	if (r < 0)
		return r;
	switch (o.ao_cmd) {
	case ADM_ADD_SVC: case ADM_EDIT_SVC: case ADM_DEL_SVC: case ADM_CLEAR:
	case ADM_ADD_RS: case ADM_EDIT_RS: case ADM_DEL_RS:
		break;
	default:
		snprintf(errbuf, errlen, "only -A -E -D -C -a -e -d can be "
		    "restored");
		return -EINVAL;
	}
	if (adm_request(&o, req, reqlen) != 0) {
		snprintf(errbuf, errlen, "request too long");
		return -EINVAL;
	}
	return 1;
}
