/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsadm's command line: ipvsadm's options parsed into a struct adm_opts
 * and turned into one admin protocol request.  Pure code with no global
 * state (no getopt), so the unit tests and the fuzzer call it again and
 * again; host and service names are resolved through hooks the caller
 * passes (uvsadm.c), numeric spellings without them.  uvsadm only.
 */
#ifndef UVS_ADM_OPTS_H
#define UVS_ADM_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "table.h"

enum adm_cmd {
	ADM_NONE = 0,
	ADM_ADD_SVC,		/* -A */
	ADM_EDIT_SVC,		/* -E */
	ADM_DEL_SVC,		/* -D */
	ADM_CLEAR,		/* -C */
	ADM_ADD_RS,		/* -a */
	ADM_EDIT_RS,		/* -e */
	ADM_DEL_RS,		/* -d */
	ADM_LIST,		/* -L, -l, or no command at all */
	ADM_ZERO,		/* -Z */
	ADM_SET,		/* --set */
	ADM_SAVE,		/* -S */
	ADM_RESTORE,		/* -R */
	ADM_HELP,		/* -h */
	ADM_VERSION,		/* -v */
};

/* What -L lists. */
enum adm_list {
	ADM_LIST_TABLE = 0,	/* services and real servers */
	ADM_LIST_CONN,		/* -c */
	ADM_LIST_TIMEOUT,	/* --timeout */
};

/* Listing formats, adm_print.h takes them. */
#define ADM_FMT_NUMERIC	0x01	/* -n */
#define ADM_FMT_STATS	0x02	/* --stats */
#define ADM_FMT_EXACT	0x04	/* --exact */
#define ADM_FMT_NOSORT	0x08	/* --nosort */
#define ADM_FMT_RATE	0x10	/* --rate */
#define ADM_FMT_THRESHOLDS 0x20	/* --thresholds */
#define ADM_FMT_PERSISTENTCONN 0x40 /* --persistent-conn */
#define ADM_FMT_TUN_INFO 0x80	/* --tun-info */
#define ADM_FMT_RULE	0x100	/* -S: the rules that -R reads */
#define ADM_FMT_HEALTH	0x200	/* --health: uvsd's checks (not ipvsadm's) */

/* Name lookups for command line arguments; NULL: numbers only. */
struct adm_resolver {
	/* Host <name> into <ret>: 0 or -errno. */
	int	(*ar_host)(const char *name, struct addr *ret, void *arg);
	/* Service <name> of IPPROTO_<proto> into <ret> (host order). */
	int	(*ar_port)(const char *name, int proto, uint16_t *ret,
		    void *arg);
	void	*ar_arg;
};

struct adm_opts {
	int		 ao_cmd;	/* ADM_* */
	unsigned	 ao_fmt;	/* ADM_FMT_* */
	int		 ao_list;	/* ADM_LIST_* */
	int		 ao_proto;	/* IPPROTO_TCP/UDP/SCTP; 0: no -t/-u/
					   --sctp-service */
	struct ep	 ao_svc;	/* VIP:port */
	char		 ao_sched[SCHED_NAME_MAX]; /* "" unless -s or implied */
	uint32_t	 ao_flags;	/* SVC_F_*: -p, -o, -b */
	uint32_t	 ao_timeout;	/* -p seconds */
	uint32_t	 ao_netmask;	/* -M: as sc_netmask */
	int		 ao_has_netmask;
	struct ep	 ao_rs;		/* RIP:port (port filled in) */
	int		 ao_method;	/* XMIT_DR, XMIT_NAT, XMIT_FULLNAT or XMIT_TUN */
	struct rs_tun	 ao_tun;	/* -i's --tun-type, --tun-port, --tun-*csum */
	char		 ao_laddr[400];	/* --laddr A[,A...]|none; "": not given */
	uint8_t		 ao_proxy;	/* --proxy-protocol: 1 + PROXY_*; 0: not */
	uint8_t		 ao_pe;		/* --pe: PE_* (sip.h) */
	int32_t		 ao_weight;
	uint32_t	 ao_uthresh;	/* -x */
	uint32_t	 ao_lthresh;	/* -y */
	uint32_t	 ao_set[3];	/* --set tcp tcpfin udp */
	const char	*ao_socket;	/* --socket, points into argv; or NULL */
};

/*
 * Parse <argv>[1..<argc>-1] like ipvsadm 1.31 (popt: bundled short
 * options, "-t ADDR", "-tADDR", "--tcp-service ADDR" and "=ADDR") and
 * check the combination the way ipvsadm does.  Names go through <res>
 * (may be NULL).  Returns 0, -EINVAL with a message in <errbuf>, or
 * -ENOTSUP for an ipvsadm option uvsadm does not implement (fwmark,
 * persistence engines, the sync daemon).  On
 * -h/-v parsing stops there.
 */
int	 adm_opts_parse(int argc, char *const *argv,
	    const struct adm_resolver *res, struct adm_opts *ret,
	    char *errbuf, size_t errlen);
/* adm_opts_parse() with <prefix> in front of messages ("" for -R lines). */
int	 adm_opts_parse_prefix(int argc, char *const *argv,
	    const struct adm_resolver *res, struct adm_opts *ret,
	    char *errbuf, size_t errlen, const char *prefix);
/*
 * adm_request.c: the protocol request (no newline) for <o> into <buf>.
 * 0, -ENOSPC, or -EINVAL for commands that need no single request (-h,
 * -v, -R).
 */
int	 adm_request(const struct adm_opts *o, char *buf, size_t len);
/*
 * One line of -R input (changed in place): words split on blanks, '...'
 * and "..." quote, '#' starts a comment outside quotes, a leading
 * "ipvsadm" (or "uvsadm") is dropped, and the rest is parsed as a
 * command line that must change the table (-A -E -D -C -a -e -d).
 * Returns 1 with its request in <req>, 0 for a blank or comment line, or
 * -EINVAL/-ENOTSUP with the message (without "uvsadm: ") in <errbuf>.
 */
int	 adm_restore_line(char *line, const struct adm_resolver *res,
	    char *req, size_t reqlen, char *errbuf, size_t errlen);

#endif
