/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipvsadm -L output from "list" replies (adm_print.c).  The expected
 * texts were written from ipvsadm 1.31's printf formats (print_title(),
 * print_service_entry(), print_largenum()), trailing blanks and all:
 * sorting and --nosort, IPv6, names cut at 33 and 28 columns, counters
 * abbreviated K/M/G/T or --exact, --rate, --thresholds,
 * --persistent-conn, --tun-info, persistence and flags, -S's rules, -c's
 * connections, --timeout, and replies that do not parse.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "adm_opts.h"
#include "adm_print.h"
#include "rbuf.h"
#include "util.h"

#define INFO	"info version 1.2.1 size 4096 connections 0\n"
#define VLINE	"IP Virtual Server version 1.2.1 (size=4096)\n"
#define TITLE	"Prot LocalAddress:Port Scheduler Flags\n" \
		"  -> RemoteAddress:Port           Forward Weight ActiveConn " \
		"InActConn\n"
#define STITLE	"Prot LocalAddress:Port               Conns   InPkts  OutPkts" \
		"  InBytes OutBytes\n" \
		"  -> RemoteAddress:Port\n"

/* Three services, out of order, their servers too. */
static const char basic[] = INFO
    "service udp 192.0.2.10:53 scheduler wrr flags 0x0 conns 0 inpkts 0 "
    "outpkts 0 inbytes 0 outbytes 0\n"
    "server udp 192.0.2.10:53 10.0.0.21:53 method dr weight 0 active 0 "
    "inactive 2147483647 conns 0 inpkts 0 outpkts 0 inbytes 0 outbytes 0\n"
    "service tcp 192.0.2.20:80 scheduler rr flags 0x0 conns 0 inpkts 0 "
    "outpkts 0 inbytes 0 outbytes 0\n"
    "service tcp 192.0.2.10:80 scheduler wlc flags 0x0 conns 0 inpkts 0 "
    "outpkts 0 inbytes 0 outbytes 0\n"
    "server tcp 192.0.2.10:80 10.0.0.12:8080 method nat weight 3 active 12 "
    "inactive 345 conns 0 inpkts 0 outpkts 0 inbytes 0 outbytes 0\n"
    "server tcp 192.0.2.10:80 10.0.0.11:80 method dr weight 1 active 0 "
    "inactive 0 conns 0 inpkts 0 outpkts 0 inbytes 0 outbytes 0\n";

static const char v6[] = INFO
    "service tcp [2001:db8:1234:5678:9abc:def0:1234:5678]:443 scheduler wlc "
    "flags 0x0 conns 0 inpkts 0 outpkts 0 inbytes 0 outbytes 0\n"
    "server tcp [2001:db8:1234:5678:9abc:def0:1234:5678]:443 "
    "[2001:db8::2]:443 method nat weight 2 active 0 inactive 0\n"
    "server tcp [2001:db8:1234:5678:9abc:def0:1234:5678]:443 "
    "[2001:db8:1234:5678:9abc:def0:1234:5679]:443 method dr weight 1 "
    "active 0 inactive 0\n";

static const char named[] = INFO
    "service udp [2001:db8::1]:53 scheduler rr flags 0x0\n"
    "service tcp 192.0.2.10:80 scheduler wlc flags 0x0\n"
    "server tcp 192.0.2.10:80 10.0.0.11:80 method dr weight 1 active 0 "
    "inactive 0\n";

static const char counters[] = INFO
    "service tcp 192.0.2.10:80 scheduler wlc flags 0x0 conns 99999999 "
    "inpkts 100000000 outpkts 999999999 inbytes 1000000000 "
    "outbytes 99999999999\n"
    "server tcp 192.0.2.10:80 10.0.0.11:80 method dr weight 1 active 0 "
    "inactive 0 conns 99999999999999 inpkts 100000000000000 "
    "outpkts 18446744073709551615 inbytes 0 outbytes 12345\n";

/* libipvs subtracts addresses as unsigned and reads an int: 10/8 > 200/8. */
static const char quirk[] = INFO
    "service tcp 10.0.0.1:80 scheduler wlc flags 0x0\n"
    "service tcp 200.0.0.1:80 scheduler wlc flags 0x0\n";

static const char flags[] = INFO
    "service udp 192.0.2.10:53 scheduler wrr flags 0x3c\n"
    "service udp 192.0.2.11:53 scheduler sh flags 0x18\n"
    "service udp 192.0.2.12:53 scheduler x flags 0x0 conns 1 extra 2\n"
    "server udp 192.0.2.12:53 10.0.0.1:53 method tun weight 1 active 0 "
    "inactive 0\n"
    "future line a newer uvsd may send\n";

/* The sip persistence engine, as ipvsadm lists and saves it. */
static const char sip[] = INFO
    "service udp 192.0.2.10:5060 scheduler rr flags 0x1 persistent 60 "
    "netmask 255.255.255.0 pe sip\n"
    "service udp 192.0.2.11:5060 scheduler rr flags 0x5 persistent 60 "
    "netmask 255.255.255.255 pe sip\n"
    "service udp 192.0.2.12:5060 scheduler rr flags 0x1 persistent 60 "
    "netmask 255.255.255.255 pe none\n";

/* Persistence, masks, ops and scheduler flags; thresholds on a server. */
static const char params[] = INFO
    "service tcp [2001:db8::1]:443 scheduler sh flags 0x19 persistent 600 "
    "netmask 64\n"
    "server tcp [2001:db8::1]:443 [2001:db8::2]:443 method dr weight 1 "
    "active 0 inactive 0 uthreshold 10 lthreshold 5\n"
    "service udp 192.0.2.10:53 scheduler rr flags 0x5 persistent 60 "
    "netmask 255.255.255.255\n"
    "service tcp 192.0.2.10:80 scheduler wlc flags 0x1 persistent 300 "
    "netmask 255.255.255.0\n";

/* Rates, thresholds and persistent connections of one server. */
static const char rates[] = INFO
    "service tcp 192.0.2.10:80 scheduler wlc flags 0x0 persistent 0 "
    "netmask 255.255.255.255 conns 1 inpkts 2 outpkts 3 inbytes 4 "
    "outbytes 5 cps 5 inpps 100 outpps 90 inbps 123456789 outbps 5000\n"
    "server tcp 192.0.2.10:80 10.0.0.11:80 method dr weight 1 active 3 "
    "inactive 4 uthreshold 100 lthreshold 75 persistconns 7 conns 1 "
    "inpkts 2 outpkts 3 inbytes 4 outbytes 5 cps 2 inpps 40 outpps 30 "
    "inbps 100000000 outbps 12\n";

/* A fullnat service: its local addresses and PROXY version. */
static const char fullnat[] = INFO
    "service tcp 192.0.2.30:80 scheduler rr flags 0x0 persistent 0 "
    "netmask 255.255.255.255 laddr 10.0.3.1,10.0.3.2 proxy v2 conns 0 "
    "inpkts 0 outpkts 0 inbytes 0 outbytes 0 cps 0 inpps 0 outpps 0 "
    "inbps 0 outbps 0\n"
    "server tcp 192.0.2.30:80 10.0.0.11:8080 method fullnat weight 2 "
    "active 1 inactive 0 uthreshold 0 lthreshold 0 persistconns 0 conns 0 "
    "inpkts 0 outpkts 0 inbytes 0 outbytes 0 cps 0 inpps 0 outpps 0 "
    "inbps 0 outbps 0\n"
    "service udp 192.0.2.30:53 scheduler wlc flags 0x0 persistent 0 "
    "netmask 255.255.255.255 conns 0 inpkts 0 outpkts 0 inbytes 0 "
    "outbytes 0 cps 0 inpps 0 outpps 0 inbps 0 outbps 0\n"
    "server udp 192.0.2.30:53 10.0.0.11:53 method fullnat weight 1 "
    "active 0 inactive 1 uthreshold 0 lthreshold 0 persistconns 0 conns 0 "
    "inpkts 0 outpkts 0 inbytes 0 outbytes 0 cps 0 inpps 0 outpps 0 "
    "inbps 0 outbps 0\n";

/* SCTP services after TCP's, as ipvsadm sorts by protocol number. */
static const char sctp[] = INFO
    "service sctp [2001:db8::1]:38412 scheduler wlc flags 0x0\n"
    "service sctp 192.0.2.10:38412 scheduler rr flags 0x0\n"
    "server sctp 192.0.2.10:38412 10.0.0.12:38412 method dr weight 1 "
    "active 0 inactive 2\n"
    "server sctp 192.0.2.10:38412 10.0.0.11:38412 method nat weight 1 "
    "active 1 inactive 0\n"
    "service tcp 192.0.2.10:80 scheduler wlc flags 0x0\n";

/* Tunnel servers of each kind, and one of another method. */
#define TUNSRV(rip, rest) "server tcp 192.0.2.40:80 " rip " method " rest \
    " active 0 inactive 2 uthreshold 0 lthreshold 0 persistconns 0 " \
    "conns 0 inpkts 0 outpkts 0 inbytes 0 outbytes 0 cps 0 inpps 0 " \
    "outpps 0 inbps 0 outbps 0\n"
static const char tunnels[] = INFO
    "service tcp 192.0.2.40:80 scheduler wlc flags 0x0 persistent 0 "
    "netmask 255.255.255.255 conns 0 inpkts 0 outpkts 0 inbytes 0 "
    "outbytes 0 cps 0 inpps 0 outpps 0 inbps 0 outbps 0\n"
    TUNSRV("10.0.0.1:80", "tun weight 1 tun-type ipip tun-port 0 "
	"tun-csum nocsum")
    TUNSRV("10.0.0.2:80", "tun weight 2 tun-type gue tun-port 6080 "
	"tun-csum csum")
    TUNSRV("10.0.0.3:80", "tun weight 3 tun-type gue tun-port 5555 "
	"tun-csum remcsum")
    TUNSRV("10.0.0.4:80", "tun weight 4 tun-type gre tun-port 0 "
	"tun-csum nocsum")
    TUNSRV("[2001:db8::5]:80", "tun weight 5 tun-type gre tun-port 0 "
	"tun-csum csum")
    TUNSRV("10.0.0.6:80", "dr weight 6");

#define RTITLE	"Prot LocalAddress:Port                 CPS    InPPS   OutPPS" \
		"    InBPS   OutBPS\n" \
		"  -> RemoteAddress:Port\n"

static const char *
fake_host(const struct addr *a, char *buf, size_t len, void *arg)
{
	char	 s[ADDR_STRLEN];

	(void)arg;
	addr_fmt(a, s, sizeof(s));
	if (strcmp(s, "192.0.2.10") == 0)
		snprintf(buf, len, "a-very-long-host-name.example.com");
	else if (strcmp(s, "10.0.0.11") == 0)
		snprintf(buf, len, "another-long-real-server-name.example.com");
	else if (strcmp(s, "2001:db8::1") == 0)
		snprintf(buf, len, "v6host");
	else
		return NULL;
	return buf;
}

static const char *
fake_port(uint16_t port, int proto, char *buf, size_t len, void *arg)
{
	(void)arg;
	if (port == 80 && proto == IPPROTO_TCP)
		snprintf(buf, len, "http");
	else if (port == 53)
		snprintf(buf, len, "domain");
	else
		return NULL;
	return buf;
}

static const struct adm_names names = {
	.an_host = fake_host, .an_port = fake_port,
};

static const struct {
	const char	*what;
	const char	*reply;
	unsigned	 fmt;
	bool		 one;
	const struct adm_names *names;
	const char	*out;
} cases[] = {
	{ "empty", INFO, ADM_FMT_NUMERIC, false, NULL, VLINE TITLE },
	{ "empty, one service", INFO, 0, true, NULL, TITLE },
	{ "sorted", basic, ADM_FMT_NUMERIC, false, &names,
	    VLINE TITLE
	    "TCP  192.0.2.10:80 wlc\n"
	    "  -> 10.0.0.11:80                 Route   1      0          0         \n"
	    "  -> 10.0.0.12:8080               Masq    3      12         345       \n"
	    "TCP  192.0.2.20:80 rr\n"
	    "UDP  192.0.2.10:53 wrr\n"
	    "  -> 10.0.0.21:53                 Route   0      0          2147483647\n" },
	{ "nosort", basic, ADM_FMT_NUMERIC | ADM_FMT_NOSORT, false, NULL,
	    VLINE TITLE
	    "UDP  192.0.2.10:53 wrr\n"
	    "  -> 10.0.0.21:53                 Route   0      0          2147483647\n"
	    "TCP  192.0.2.20:80 rr\n"
	    "TCP  192.0.2.10:80 wlc\n"
	    "  -> 10.0.0.12:8080               Masq    3      12         345       \n"
	    "  -> 10.0.0.11:80                 Route   1      0          0         \n" },
	{ "ipv6", v6, 0, false, NULL,
	    VLINE TITLE
	    "TCP  [2001:db8:1234:5678:9abc:def0:1234:5678]:443 wlc\n"
	    "  -> [2001:db8::2]:443            Masq    2      0          0         \n"
	    "  -> [2001:db8:1234:5678:9abc:def0:1234:5679]:443 Route   1      0          0         \n" },
	{ "names", named, 0, false, &names,
	    VLINE TITLE
	    "TCP  a-very-long-host-name.exampl wlc\n"
	    "  -> another-long-real-server-nam Route   1      0          0         \n"
	    "UDP  [v6host]:domain rr\n" },
	{ "names, -n", named, ADM_FMT_NUMERIC, false, &names,
	    VLINE TITLE
	    "TCP  192.0.2.10:80 wlc\n"
	    "  -> 10.0.0.11:80                 Route   1      0          0         \n"
	    "UDP  [2001:db8::1]:53 rr\n" },
	{ "stats", counters, ADM_FMT_STATS, false, NULL,
	    VLINE STITLE
	    "TCP  192.0.2.10:80                99999999  100000K  999999K    1000M   99999M\n"
	    "  -> 10.0.0.11:80                   99999G     100T18446744T        0    12345\n" },
	{ "stats --exact", counters, ADM_FMT_STATS | ADM_FMT_EXACT, false,
	    NULL,
	    VLINE STITLE
	    "TCP  192.0.2.10:80                99999999 100000000 999999999 1000000000 99999999999\n"
	    "  -> 10.0.0.11:80                 99999999999999 100000000000000 18446744073709551615        0    12345\n" },
	{ "stats, one service", counters, ADM_FMT_STATS, true, NULL,
	    STITLE
	    "TCP  192.0.2.10:80                99999999  100000K  999999K    1000M   99999M\n"
	    "  -> 10.0.0.11:80                   99999G     100T18446744T        0    12345\n" },
	{ "--exact alone", counters, ADM_FMT_EXACT, true, NULL,
	    TITLE
	    "TCP  192.0.2.10:80 wlc\n"
	    "  -> 10.0.0.11:80                 Route   1      0          0         \n" },
	{ "sctp", sctp, ADM_FMT_NUMERIC, false, NULL,
	    VLINE TITLE
	    "TCP  192.0.2.10:80 wlc\n"
	    "SCTP 192.0.2.10:38412 rr\n"
	    "  -> 10.0.0.11:38412              Masq    1      1          0         \n"
	    "  -> 10.0.0.12:38412              Route   1      0          2         \n"
	    "SCTP [2001:db8::1]:38412 wlc\n" },
	{ "sctp save", sctp, ADM_FMT_NUMERIC | ADM_FMT_RULE, false, NULL,
	    "-A -t 192.0.2.10:80 -s wlc\n"
	    "-A --sctp-service 192.0.2.10:38412 -s rr\n"
	    "-a --sctp-service 192.0.2.10:38412 -r 10.0.0.11:38412 -m -w 1\n"
	    "-a --sctp-service 192.0.2.10:38412 -r 10.0.0.12:38412 -g -w 1\n"
	    "-A --sctp-service [2001:db8::1]:38412 -s wlc\n" },
	{ "sort quirk", quirk, 0, false, NULL,
	    VLINE TITLE
	    "TCP  200.0.0.1:80 wlc\n"
	    "TCP  10.0.0.1:80 wlc\n" },
	{ "persistence", params, ADM_FMT_NUMERIC, false, NULL,
	    VLINE TITLE
	    "TCP  192.0.2.10:80 wlc persistent 300 mask 255.255.255.0\n"
	    "UDP  192.0.2.10:53 rr persistent 60 ops\n"
	    "TCP  [2001:db8::1]:443 sh (sh-fallback,sh-port) persistent 600 mask 64\n"
	    "  -> [2001:db8::2]:443            Route   1      0          0         \n" },
	{ "save -n", params, ADM_FMT_NUMERIC | ADM_FMT_RULE, false, NULL,
	    "-A -t 192.0.2.10:80 -s wlc -p 300 -M 255.255.255.0\n"
	    "-A -u 192.0.2.10:53 -s rr -p 60 -o\n"
	    "-A -t [2001:db8::1]:443 -s sh -p 600 -M 64 -b sh-fallback,sh-port\n"
	    "-a -t [2001:db8::1]:443 -r [2001:db8::2]:443 -g -w 1 -x 10 -y 5\n" },
	{ "save", basic, ADM_FMT_RULE, false, &names,
	    "-A -t a-very-long-host-name.example.com:http -s wlc\n"
	    "-a -t a-very-long-host-name.example.com:http -r another-long-real-server-name.example.com:http -g -w 1\n"
	    "-a -t a-very-long-host-name.example.com:http -r 10.0.0.12:8080 -m -w 3\n"
	    "-A -t 192.0.2.20:http -s rr\n"
	    "-A -u a-very-long-host-name.example.com:domain -s wrr\n"
	    "-a -u a-very-long-host-name.example.com:domain -r 10.0.0.21:domain -g -w 0\n" },
	{ "fullnat", fullnat, ADM_FMT_NUMERIC, false, NULL,
	    VLINE TITLE
	    "TCP  192.0.2.30:80 rr laddr 10.0.3.1,10.0.3.2 proxy v2\n"
	    "  -> 10.0.0.11:8080               FullNat 2      1          0         \n"
	    "UDP  192.0.2.30:53 wlc\n"
	    "  -> 10.0.0.11:53                 FullNat 1      0          1         \n" },
	{ "fullnat, save", fullnat, ADM_FMT_NUMERIC | ADM_FMT_RULE, false,
	    NULL,
	    "-A -t 192.0.2.30:80 -s rr --laddr 10.0.3.1,10.0.3.2 "
	    "--proxy-protocol v2\n"
	    "-a -t 192.0.2.30:80 -r 10.0.0.11:8080 --fullnat -w 2\n"
	    "-A -u 192.0.2.30:53 -s wlc\n"
	    "-a -u 192.0.2.30:53 -r 10.0.0.11:53 --fullnat -w 1\n" },
	{ "tunnels", tunnels, ADM_FMT_NUMERIC, false, NULL,
	    VLINE TITLE
	    "TCP  192.0.2.40:80 wlc\n"
	    "  -> 10.0.0.1:80                  Tunnel  1      0          2         \n"
	    "  -> 10.0.0.2:80                  Tunnel  2      0          2         \n"
	    "  -> 10.0.0.3:80                  Tunnel  3      0          2         \n"
	    "  -> 10.0.0.4:80                  Tunnel  4      0          2         \n"
	    "  -> 10.0.0.6:80                  Route   6      0          2         \n"
	    "  -> [2001:db8::5]:80             Tunnel  5      0          2         \n" },
	{ "tunnels, tun-info", tunnels, ADM_FMT_NUMERIC | ADM_FMT_TUN_INFO,
	    false, NULL,
	    VLINE "Prot LocalAddress:Port Scheduler Flags\n"
	    "  -> RemoteAddress:Port           Forward TunnelInfo    Weight "
	    "ActiveConn InActConn\n"
	    "TCP  192.0.2.40:80 wlc\n"
	    "  -> 10.0.0.1:80                  Tunnel  ipip          1      0          2         \n"
	    "  -> 10.0.0.2:80                  Tunnel  gue:6080:+c   2      0          2         \n"
	    "  -> 10.0.0.3:80                  Tunnel  gue:5555:r+c  3      0          2         \n"
	    "  -> 10.0.0.4:80                  Tunnel  gre:-c        4      0          2         \n"
	    "  -> 10.0.0.6:80                  Route   n/a           6      0          2         \n"
	    "  -> [2001:db8::5]:80             Tunnel  gre:+c        5      0          2         \n" },
	{ "tunnels, save", tunnels, ADM_FMT_NUMERIC | ADM_FMT_RULE, false,
	    NULL,
	    "-A -t 192.0.2.40:80 -s wlc\n"
	    "-a -t 192.0.2.40:80 -r 10.0.0.1:80 -i -w 1 --tun-type ipip\n"
	    "-a -t 192.0.2.40:80 -r 10.0.0.2:80 -i -w 2 --tun-type gue "
	    "--tun-port 6080 --tun-csum\n"
	    "-a -t 192.0.2.40:80 -r 10.0.0.3:80 -i -w 3 --tun-type gue "
	    "--tun-port 5555 --tun-remcsum\n"
	    "-a -t 192.0.2.40:80 -r 10.0.0.4:80 -i -w 4 --tun-type gre "
	    "--tun-nocsum\n"
	    "-a -t 192.0.2.40:80 -r 10.0.0.6:80 -g -w 6\n"
	    "-a -t 192.0.2.40:80 -r [2001:db8::5]:80 -i -w 5 --tun-type gre "
	    "--tun-csum\n" },
	{ "rate", rates, ADM_FMT_RATE, false, NULL,
	    VLINE RTITLE
	    "TCP  192.0.2.10:80                       5      100       90  123456K     5000\n"
	    "  -> 10.0.0.11:80                        2       40       30  100000K       12\n" },
	{ "rate --exact", rates, ADM_FMT_RATE | ADM_FMT_EXACT, true, NULL,
	    RTITLE
	    "TCP  192.0.2.10:80                       5      100       90 123456789     5000\n"
	    "  -> 10.0.0.11:80                        2       40       30 100000000       12\n" },
	{ "thresholds", rates, ADM_FMT_THRESHOLDS, true, NULL,
	    "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n"
	    "  -> RemoteAddress:Port\n"
	    "TCP  192.0.2.10:80 wlc\n"
	    "  -> 10.0.0.11:80                 100        75         3          4         \n" },
	{ "persistent-conn", rates, ADM_FMT_PERSISTENTCONN, true, NULL,
	    "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n"
	    "  -> RemoteAddress:Port\n"
	    "TCP  192.0.2.10:80 wlc\n"
	    "  -> 10.0.0.11:80                 1         7           3          4         \n" },
	{ "tun-info", rates, ADM_FMT_TUN_INFO, true, NULL,
	    "Prot LocalAddress:Port Scheduler Flags\n"
	    "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n"
	    "TCP  192.0.2.10:80 wlc\n"
	    "  -> 10.0.0.11:80                 Route   n/a           1      3          4         \n" },
	{ "stats win over rate", rates, ADM_FMT_STATS | ADM_FMT_RATE, true,
	    NULL,
	    STITLE
	    "TCP  192.0.2.10:80                       1        2        3        4        5\n"
	    "  -> 10.0.0.11:80                        1        2        3        4        5\n" },
	{ "pe sip", sip, ADM_FMT_NUMERIC, false, NULL,
	    VLINE TITLE
	    "UDP  192.0.2.10:5060 rr persistent 60 mask 255.255.255.0 pe sip\n"
	    "UDP  192.0.2.11:5060 rr persistent 60 pe sip ops\n"
	    "UDP  192.0.2.12:5060 rr persistent 60\n" },
	{ "pe sip, save", sip, ADM_FMT_NUMERIC | ADM_FMT_RULE, false, NULL,
	    "-A -u 192.0.2.10:5060 -s rr -p 60 -M 255.255.255.0 --pe sip\n"
	    "-A -u 192.0.2.11:5060 -s rr -p 60 --pe sip -o\n"
	    "-A -u 192.0.2.12:5060 -s rr -p 60\n" },
	{ "flags", flags, ADM_FMT_NOSORT, false, NULL,
	    VLINE TITLE
	    "UDP  192.0.2.10:53 wrr (flag-1,flag-2,flag-3) ops\n"
	    "UDP  192.0.2.11:53 sh (sh-fallback,sh-port)\n"
	    "UDP  192.0.2.12:53 x\n"
	    "  -> 10.0.0.1:53                  Tunnel  1      0          0         \n" },
};

static void
test_adm_print_cases(void **state)
{
	struct rbuf	 out = { 0 };
	char		 err[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		rbuf_reset(&out);
		if (adm_print_list(cases[i].reply, cases[i].fmt, cases[i].one,
		    cases[i].names, &out, err, sizeof(err)) != 0)
			fail_msg("%s: %s", cases[i].what, err);
		if (strcmp(out.rb_buf, cases[i].out) != 0)
			fail_msg("%s: got\n%s\nwant\n%s", cases[i].what,
			    out.rb_buf, cases[i].out);
	}
	rbuf_free(&out);
}

static const struct {
	const char	*reply;
	const char	*err;
} bad[] = {
	{ "",			"reply from uvsd without its info line" },
	{ "service tcp 192.0.2.10:80 scheduler wlc\n",
	    "reply from uvsd without its info line" },
	{ INFO "service tcp 192.0.2.10\n",
	    "unexpected reply line from uvsd: 'service'" },
	{ INFO "service icmp 192.0.2.10:80\n",
	    "unexpected reply line from uvsd: 'service'" },
	{ INFO "service tcp\n", "unexpected reply line from uvsd: 'service'" },
	{ INFO "service tcp 192.0.2.10:80 conns x\n",
	    "unexpected reply line from uvsd: 'service'" },
	{ INFO "service tcp 192.0.2.10:80 conns 010x\n",
	    "unexpected reply line from uvsd: 'service'" },
	{ INFO "service tcp 192.0.2.10:80 flags zz\n",
	    "unexpected reply line from uvsd: 'service'" },
	{ INFO "server tcp 192.0.2.10:80 10.0.0.1:80\n",
	    "unexpected reply line from uvsd: 'server'" },
	{ INFO "service tcp 192.0.2.10:80\n"
	    "server tcp 192.0.2.11:80 10.0.0.1:80\n",
	    "unexpected reply line from uvsd: 'server'" },
	{ INFO "service tcp 192.0.2.10:80\n"
	    "server udp 192.0.2.10:80 10.0.0.1:80\n",
	    "unexpected reply line from uvsd: 'server'" },
	{ INFO "service tcp 192.0.2.10:80\n"
	    "server tcp 192.0.2.10:80 10.0.0.1:80 weight 2147483648\n",
	    "unexpected reply line from uvsd: 'server'" },
	{ INFO "service tcp 192.0.2.10:80\n"
	    "server tcp 192.0.2.10:80 10.0.0.1\n",
	    "unexpected reply line from uvsd: 'server'" },
	{ "info version 1.2.1 size x\n",
	    "unexpected reply line from uvsd: 'info'" },
};

static void
test_adm_print_bad_replies(void **state)
{
	struct rbuf	 out = { 0 };
	char		 err[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		rbuf_reset(&out);
		assert_int_equal(adm_print_list(bad[i].reply, 0, false, NULL,
		    &out, err, sizeof(err)), -EPROTO);
		assert_string_equal(err, bad[i].err);
		assert_int_equal(out.rb_len, 0);
	}
	assert_int_equal(adm_print_list(NULL, 0, false, NULL, &out, err, 0),
	    -EPROTO);
	rbuf_free(&out);
}

/* Many services and servers: the arrays grow, sorting keeps pairs. */
static void
test_adm_print_many(void **state)
{
	struct rbuf	 in = { 0 }, out = { 0 };
	char		 err[256], want[64];
	const char	*p;
	int		 i, j;

	(void)state;
	rbuf_printf(&in, INFO);
	for (i = 99; i >= 0; i--) {
		rbuf_printf(&in, "service tcp 192.0.2.%d:80 scheduler rr\n", i);
		for (j = 9; j >= 0; j--)
			rbuf_printf(&in, "server tcp 192.0.2.%d:80 "
			    "10.0.%d.%d:80 method dr weight %d\n", i, i, j, j);
	}
	assert_int_equal(adm_print_list(in.rb_buf, ADM_FMT_NUMERIC, false,
	    NULL, &out, err, sizeof(err)), 0);
	p = out.rb_buf;
	for (i = 0; i < 100; i++) {
		snprintf(want, sizeof(want), "TCP  192.0.2.%d:80 rr\n", i);
		assert_non_null(p = strstr(p, want));
		for (j = 0; j < 10; j++) {
			snprintf(want, sizeof(want), "  -> 10.0.%d.%d:80", i, j);
			assert_non_null(p = strstr(p, want));
		}
	}
	rbuf_free(&in);
	rbuf_free(&out);
}

static const char conns[] =
    "conn tcp 10.0.1.2:40000 203.0.113.10:80 10.0.2.11:80 ESTABLISHED 895\n"
    "conn udp 10.0.1.2:5353 203.0.113.10:53 10.0.2.12:53 UDP 59\n"
    "template tcp 10.0.1.2:0 203.0.113.10:80 10.0.2.11:80 NONE 10803\n"
    "conn sctp 10.0.1.2:40001 203.0.113.10:38412 10.0.2.11:38412 "
    "ESTABLISHED 899\n"
    "conn sctp 10.0.1.3:40002 203.0.113.10:38412 10.0.2.12:38412 "
    "C-ECHOED 61\n"
    "conn tcp [2001:db8::100]:40000 [2001:db8::1]:443 [2001:db8::2]:443 "
    "SYN_RECV 0\n"
    "future line\n";

/* -L -c: print_conn()'s rows, mm:ss past 99 minutes, templates. */
static void
test_adm_print_conns(void **state)
{
	struct rbuf	 out = { 0 };
	char		 err[256];

	(void)state;
	assert_int_equal(adm_print_conns(conns, ADM_FMT_NUMERIC, NULL, &out,
	    err, sizeof(err)), 0);
	assert_string_equal(out.rb_buf,
	    "IPVS connection entries\n"
	    "pro expire state       source             virtual            destination\n"
	    "TCP 14:55  ESTABLISHED 10.0.1.2:40000     203.0.113.10:80    10.0.2.11:80\n"
	    "UDP 00:59  UDP         10.0.1.2:5353      203.0.113.10:53    10.0.2.12:53\n"
	    "TCP 180:03 NONE        10.0.1.2:0         203.0.113.10:80    10.0.2.11:80\n"
	    "SCTP 14:59  ESTABLISHED 10.0.1.2:40001     203.0.113.10:38412 10.0.2.11:38412\n"
	    "SCTP 01:01  C-ECHOED    10.0.1.3:40002     203.0.113.10:38412 10.0.2.12:38412\n"
	    "TCP 00:00  SYN_RECV    [2001:db8::100]:40000 [2001:db8::1]:443  [2001:db8::2]:443\n");
	rbuf_reset(&out);
	assert_int_equal(adm_print_conns("conn tcp 10.0.1.2:40000 "
	    "203.0.113.10:80 10.0.2.11:80 ESTABLISHED 895\n",
	    ADM_FMT_PERSISTENTCONN, NULL, &out, err, sizeof(err)), 0);
	assert_string_equal(out.rb_buf,
	    "IPVS connection entries\n"
	    "pro expire state       source             virtual            destination        pe name          pe_data\n"
	    "TCP 14:55  ESTABLISHED 10.0.1.2:40000     203.0.113.10:80    10.0.2.11:80\n");
	rbuf_reset(&out);
	assert_int_equal(adm_print_conns("conn tcp 192.0.2.10:80 "
	    "203.0.113.10:80 10.0.0.11:80 CLOSE 1\n", 0, &names, &out, err,
	    sizeof(err)), 0);
	assert_string_equal(strchr(strchr(out.rb_buf, '\n') + 1, '\n'),
	    "\nTCP 00:01  CLOSE       "
	    "a-very-long-host-name.example.com:http 203.0.113.10:http  "
	    "another-long-real-server-name.example.com:http\n");
	rbuf_reset(&out);
	/* fullnat: DPVS's local column for every row, "-" but fullnat's. */
	assert_int_equal(adm_print_conns(
	    "conn tcp 10.0.1.2:40000 203.0.113.30:80 10.0.2.11:80 "
	    "ESTABLISHED 895 10.0.3.1:1025\n"
	    "conn tcp 10.0.1.2:40001 203.0.113.10:80 10.0.2.11:80 "
	    "FIN_WAIT 5\n"
	    "template tcp 10.0.1.2:0 203.0.113.30:80 10.0.2.11:80 NONE 300\n"
	    "conn udp [2001:db8::100]:53 [2001:db8::1]:53 [2001:db8::2]:53 "
	    "UDP 59 [2001:db8::3]:2000\n",
	    ADM_FMT_NUMERIC, NULL, &out, err, sizeof(err)), 0);
	assert_string_equal(out.rb_buf,
	    "IPVS connection entries\n"
	    "pro expire state       source             virtual            local              destination\n"
	    "TCP 14:55  ESTABLISHED 10.0.1.2:40000     203.0.113.30:80    10.0.3.1:1025      10.0.2.11:80\n"
	    "TCP 00:05  FIN_WAIT    10.0.1.2:40001     203.0.113.10:80    -                  10.0.2.11:80\n"
	    "TCP 05:00  NONE        10.0.1.2:0         203.0.113.30:80    -                  10.0.2.11:80\n"
	    "UDP 00:59  UDP         [2001:db8::100]:53 [2001:db8::1]:53   [2001:db8::3]:2000 [2001:db8::2]:53\n");
	rbuf_reset(&out);
	/* A sip template: its engine's columns with --persistent-conn only. */
	assert_int_equal(adm_print_conns("template udp 10.0.1.0:0 "
	    "203.0.113.10:5060 10.0.2.11:5060 UDP 60 pe sip a84b4c@pc33\n",
	    ADM_FMT_NUMERIC | ADM_FMT_PERSISTENTCONN, NULL, &out, err,
	    sizeof(err)), 0);
	assert_string_equal(out.rb_buf,
	    "IPVS connection entries\n"
	    "pro expire state       source             virtual            destination        pe name          pe_data\n"
	    "UDP 01:00  UDP         10.0.1.0:0         203.0.113.10:5060  10.0.2.11:5060   sip                a84b4c@pc33\n");
	rbuf_reset(&out);
	assert_int_equal(adm_print_conns("template udp 10.0.1.0:0 "
	    "203.0.113.10:5060 10.0.2.11:5060 UDP 60 pe sip a84b4c@pc33\n",
	    ADM_FMT_NUMERIC, NULL, &out, err, sizeof(err)), 0);
	assert_string_equal(strchr(strchr(out.rb_buf, '\n') + 1, '\n'),
	    "\nUDP 01:00  UDP         10.0.1.0:0         203.0.113.10:5060  "
	    "10.0.2.11:5060\n");
	rbuf_reset(&out);
	/* A local address that does not parse. */
	assert_int_equal(adm_print_conns("conn tcp 10.0.1.2:40000 "
	    "203.0.113.30:80 10.0.2.11:80 ESTABLISHED 895 x\n", 0, NULL,
	    &out, err, sizeof(err)), -EPROTO);
	rbuf_reset(&out);
	assert_int_equal(adm_print_conns("", 0, NULL, &out, err, sizeof(err)),
	    0);
	assert_string_equal(out.rb_buf, "IPVS connection entries\n"
	    "pro expire state       source             virtual            "
	    "destination\n");
	rbuf_reset(&out);
	assert_int_equal(adm_print_conns("conn tcp 10.0.1.2:40000 x "
	    "10.0.2.11:80 ESTABLISHED 895\n", 0, NULL, &out, err,
	    sizeof(err)), -EPROTO);
	assert_string_equal(err, "unexpected reply line from uvsd: 'conn'");
	rbuf_reset(&out);
	assert_int_equal(adm_print_conns("conn tcp 10.0.1.2:1 10.0.0.1:1 "
	    "10.0.0.2:1 ESTABLISHED\n", 0, NULL, &out, err, sizeof(err)),
	    -EPROTO);
	rbuf_free(&out);
}

static void
test_adm_print_timeout(void **state)
{
	static const char *const tbad[] = {
		"", "timeout tcp 900 tcpfin 120\n", "timeout tcp x tcpfin 1 "
		"udp 2\n", "timeout tcp 1 tcpfin 2 udp 3", "timeout tcp 1 "
		"tcpfin 2 udp 3000000000\n",
	};
	struct rbuf	 out = { 0 };
	char		 err[256];
	size_t		 i;

	(void)state;
	assert_int_equal(adm_print_timeout("timeout tcp 900 tcpfin 120 "
	    "udp 300\n", &out, err, sizeof(err)), 0);
	assert_string_equal(out.rb_buf, "Timeout (tcp tcpfin udp): 900 120 "
	    "300\n");
	for (i = 0; i < nitems(tbad); i++)
		assert_int_equal(adm_print_timeout(tbad[i], &out, err,
		    sizeof(err)), -EPROTO);
	rbuf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adm_print_cases),
		cmocka_unit_test(test_adm_print_bad_replies),
		cmocka_unit_test(test_adm_print_many),
		cmocka_unit_test(test_adm_print_conns),
		cmocka_unit_test(test_adm_print_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
