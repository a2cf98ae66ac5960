/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsadm's command line (adm_opts.c): ipvsadm command lines and the
 * protocol request each becomes, ipvsadm's refusals with its messages
 * (its command/option matrix included), every ipvsadm option uvsadm does
 * not implement yet refused as such rather than ignored, and the lines
 * -R reads.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "adm_opts.h"
#include "util.h"

#define ARGS_MAX	16

/* Names the tests resolve without DNS. */
static int
fake_host(const char *name, struct addr *ret, void *arg)
{
	(void)arg;
	if (strcmp(name, "web1") != 0)
		return -ENOENT;
	return addr_parse("10.0.0.11", ret);
}

static int
fake_port(const char *name, int proto, uint16_t *ret, void *arg)
{
	(void)arg;
	if (strcmp(name, "http") == 0 && proto == IPPROTO_TCP)
		*ret = 80;
	else if (strcmp(name, "domain") == 0)
		*ret = 53;
	else
		return -ENOENT;
	return 0;
}

static const struct adm_resolver fake = {
	.ar_host = fake_host, .ar_port = fake_port,
};

/* Split <line> on blanks into argv[1..]; argv[0] is "uvsadm". */
static int
split(const char *line, char *buf, size_t len, char **argv)
{
	char	*p, *save;
	int	 n = 0;

	snprintf(buf, len, "%s", line);
	argv[n++] = (char *)"uvsadm";
	for (p = strtok_r(buf, " ", &save); p != NULL && n < ARGS_MAX - 1;
	    p = strtok_r(NULL, " ", &save))
		argv[n++] = p;
	argv[n] = NULL;
	return n;
}

static int
parse(const char *line, struct adm_opts *o, char *err, size_t errlen)
{
	char	 buf[512], *argv[ARGS_MAX];
	int	 argc = split(line, buf, sizeof(buf), argv);

	return adm_opts_parse(argc, argv, &fake, o, err, errlen);
}

static const struct {
	const char	*args;
	const char	*req;
	unsigned	 fmt;
} good[] = {
	{ "",			"list", 0 },
	{ "-L",			"list", 0 },
	{ "-l -n",		"list", ADM_FMT_NUMERIC },
	{ "-Ln",		"list", ADM_FMT_NUMERIC },
	{ "--list --numeric --stats --exact", "list",
	    ADM_FMT_NUMERIC | ADM_FMT_STATS | ADM_FMT_EXACT },
	{ "-L -X",		"list", ADM_FMT_EXACT },
	{ "-L --sort",		"list", 0 },
	{ "-L --nosort",	"list", ADM_FMT_NOSORT },
	{ "-n",			"list", ADM_FMT_NUMERIC },
	{ "-L -t 192.0.2.1:80",	"list tcp 192.0.2.1:80", 0 },
	/* Port 0: the port-0 (every port) service. */
	{ "-L -t 192.0.2.1",	"list tcp 192.0.2.1:0", 0 },
	{ "-a -t 192.0.2.1:0 -r 10.0.0.1 -g",
	    "add-server tcp 192.0.2.1:0 10.0.0.1:0 method dr weight 1", 0 },
	{ "-Lnt 192.0.2.1:80",	"list tcp 192.0.2.1:80", ADM_FMT_NUMERIC },
	{ "-L -u [2001:db8::1]:53 --stats", "list udp [2001:db8::1]:53",
	    ADM_FMT_STATS },
	{ "-A -t 192.0.2.1:80",	"add-service tcp 192.0.2.1:80 scheduler wlc", 0 },
	{ "-A --sctp-service 192.0.2.1:38412",
	    "add-service sctp 192.0.2.1:38412 scheduler wlc", 0 },
	{ "--add-service --sctp-service=[2001:db8::1]:38412 -s rr",
	    "add-service sctp [2001:db8::1]:38412 scheduler rr", 0 },
	{ "-E --sctp-service 192.0.2.1:38412 -s mh",
	    "edit-service sctp 192.0.2.1:38412 scheduler mh persistent 0 "
	    "netmask 255.255.255.255 flags none ops off pe none", 0 },
	{ "-D --sctp-service 192.0.2.1:38412",
	    "del-service sctp 192.0.2.1:38412", 0 },
	{ "-d --sctp-service 192.0.2.1:38412 -r 10.0.0.1",
	    "del-server sctp 192.0.2.1:38412 10.0.0.1:38412", 0 },
	{ "-L -n --sctp-service 192.0.2.1:38412",
	    "list sctp 192.0.2.1:38412", ADM_FMT_NUMERIC },
	{ "-A -t 192.0.2.1:80 -s rr",
	    "add-service tcp 192.0.2.1:80 scheduler rr", 0 },
	{ "-At 192.0.2.1:80 -s rr",
	    "add-service tcp 192.0.2.1:80 scheduler rr", 0 },
	{ "-A -t192.0.2.1:80 -srr",
	    "add-service tcp 192.0.2.1:80 scheduler rr", 0 },
	{ "--add-service --tcp-service=192.0.2.1:80 --scheduler=wrr",
	    "add-service tcp 192.0.2.1:80 scheduler wrr", 0 },
	{ "--add-service --udp-service 192.0.2.1:domain --scheduler lc",
	    "add-service udp 192.0.2.1:53 scheduler lc", 0 },
	{ "-A -t web1:http",	"add-service tcp 10.0.0.11:80 scheduler wlc", 0 },
	{ "-A -t 127.1:80",	"add-service tcp 127.0.0.1:80 scheduler wlc", 0 },
	{ "-A -t [2001:db8::1]:443",
	    "add-service tcp [2001:db8::1]:443 scheduler wlc", 0 },
	{ "-E -u 192.0.2.1:53",	"edit-service udp 192.0.2.1:53 scheduler wlc "
	    "persistent 0 netmask 255.255.255.255 flags none ops off pe none",
	    0 },
	{ "-E -u 192.0.2.1:53 -s rr -p 60 -M 255.255.0.0 -o -b flag-2",
	    "edit-service udp 192.0.2.1:53 scheduler rr persistent 60 "
	    "netmask 255.255.0.0 flags flag-2 ops on pe none", 0 },
	{ "-E -t [2001:db8::1]:80 -p",
	    "edit-service tcp [2001:db8::1]:80 scheduler wlc persistent 300 "
	    "netmask 128 flags none ops off pe none", 0 },
	{ "-A -t 192.0.2.1:80 -p",
	    "add-service tcp 192.0.2.1:80 scheduler wlc persistent 300", 0 },
	{ "-A -t 192.0.2.1:80 --laddr 10.0.3.1,10.0.3.2 --proxy-protocol v2",
	    "add-service tcp 192.0.2.1:80 scheduler wlc laddr 10.0.3.1,10.0.3.2 "
	    "proxy v2", 0 },
	{ "-A -t 192.0.2.1:80 --laddr=none --proxy-protocol=none",
	    "add-service tcp 192.0.2.1:80 scheduler wlc", 0 },
	{ "-E -t 192.0.2.1:80 -s rr --proxy-protocol none",
	    "edit-service tcp 192.0.2.1:80 scheduler rr persistent 0 netmask "
	    "255.255.255.255 flags none ops off pe none proxy none", 0 },
	{ "-E -t 192.0.2.1:80 --laddr none",
	    "edit-service tcp 192.0.2.1:80 scheduler wlc persistent 0 netmask "
	    "255.255.255.255 flags none ops off pe none laddr none", 0 },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1:8080 --fullnat -w 2",
	    "add-server tcp 192.0.2.1:80 10.0.0.1:8080 method fullnat "
	    "weight 2", 0 },
	{ "-e -t 192.0.2.1:80 -r 10.0.0.1 --fullnat",
	    "edit-server tcp 192.0.2.1:80 10.0.0.1:80 method fullnat weight 1 "
	    "uthreshold 0 lthreshold 0", 0 },
	{ "-A -t 192.0.2.1:80 -p 60 -s rr",
	    "add-service tcp 192.0.2.1:80 scheduler rr persistent 60", 0 },
	{ "-A -t 192.0.2.1:80 -p60",
	    "add-service tcp 192.0.2.1:80 scheduler wlc persistent 60", 0 },
	{ "-A -t 192.0.2.1:80 --persistent=2678400",
	    "add-service tcp 192.0.2.1:80 scheduler wlc persistent 2678400", 0 },
	{ "-A -t 192.0.2.1:80 -p -M 255.255.255.0",
	    "add-service tcp 192.0.2.1:80 scheduler wlc persistent 300 "
	    "netmask 255.255.255.0", 0 },
	{ "-A -t 192.0.2.1:0 -p",	/* port 0 is for persistent ones */
	    "add-service tcp 192.0.2.1:0 scheduler wlc persistent 300", 0 },
	{ "-A -t [2001:db8::1]:80 -p -M 64",
	    "add-service tcp [2001:db8::1]:80 scheduler wlc persistent 300 "
	    "netmask 64", 0 },
	{ "-A -u 192.0.2.1:53 -o --sched-flags flag-1,flag-3",
	    "add-service udp 192.0.2.1:53 scheduler wlc flags flag-1,flag-3 "
	    "ops", 0 },
	{ "-A -t 192.0.2.1:80 -b sh-port,sh-fallback -s sh",
	    "add-service tcp 192.0.2.1:80 scheduler sh flags flag-1,flag-2", 0 },
	{ "-A -t 192.0.2.1:80 -s mh -b mh-port",
	    "add-service tcp 192.0.2.1:80 scheduler mh flags flag-2", 0 },
	{ "-Z",			"zero", 0 },
	{ "--zero -t 192.0.2.1:80", "zero tcp 192.0.2.1:80", 0 },
	{ "--set 900 120 300",	"set-timeout 900 120 300", 0 },
	{ "--set 0 0 2678400",	"set-timeout 0 0 2678400", 0 },
	{ "-S",			"list", 0 },
	{ "--save -n",		"list", ADM_FMT_NUMERIC },
	{ "-L -c",		"connections", 0 },
	{ "-Lcn",		"connections", ADM_FMT_NUMERIC },
	{ "-L -c --persistent-conn", "connections", ADM_FMT_PERSISTENTCONN },
	{ "-L --timeout",	"timeout", 0 },
	{ "-L --rate --exact",	"list", ADM_FMT_RATE | ADM_FMT_EXACT },
	{ "-L --thresholds",	"list", ADM_FMT_THRESHOLDS },
	{ "-L --persistent-conn", "list", ADM_FMT_PERSISTENTCONN },
	{ "-L --tun-info -n",	"list", ADM_FMT_TUN_INFO | ADM_FMT_NUMERIC },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -x 100 -y 50",
	    "add-server tcp 192.0.2.1:80 10.0.0.1:80 method dr weight 1 "
	    "uthreshold 100 lthreshold 50", 0 },
	{ "-e -t 192.0.2.1:80 -r 10.0.0.1 --u-threshold=65535",
	    "edit-server tcp 192.0.2.1:80 10.0.0.1:80 method dr weight 1 "
	    "uthreshold 65535 lthreshold 0", 0 },
	{ "-D -t 192.0.2.1:80",	"del-service tcp 192.0.2.1:80", 0 },
	{ "--delete-service -t [2001:db8::1]:443",
	    "del-service tcp [2001:db8::1]:443", 0 },
	{ "-C",			"clear", 0 },
	{ "--clear",		"clear", 0 },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1",
	    "add-server tcp 192.0.2.1:80 10.0.0.1:80 method dr weight 1", 0 },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1:8080 -g",	/* DR: service port */
	    "add-server tcp 192.0.2.1:80 10.0.0.1:80 method dr weight 1", 0 },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1:8080 -m -w 3",
	    "add-server tcp 192.0.2.1:80 10.0.0.1:8080 method nat weight 3", 0 },
	{ "-a -m -t 192.0.2.1:80 -r 10.0.0.1",
	    "add-server tcp 192.0.2.1:80 10.0.0.1:80 method nat weight 1", 0 },
	{ "-a -r 10.0.0.1 -m -t 192.0.2.1:80",
	    "add-server tcp 192.0.2.1:80 10.0.0.1:80 method nat weight 1", 0 },
	{ "-a -t 192.0.2.1:80 -r web1:8080 --masquerading --weight=2147483647",
	    "add-server tcp 192.0.2.1:80 10.0.0.11:8080 method nat "
	    "weight 2147483647", 0 },
	{ "-a -t [2001:db8::1]:80 -r [2001:db8::2]:8080 -m",
	    "add-server tcp [2001:db8::1]:80 [2001:db8::2]:8080 method nat "
	    "weight 1", 0 },
	{ "-a -t [2001:db8::1]:80 -r 2001:db8::2",
	    "add-server tcp [2001:db8::1]:80 [2001:db8::2]:80 method dr "
	    "weight 1", 0 },
	{ "-e -t 192.0.2.1:80 -r 10.0.0.1 -w 0",
	    "edit-server tcp 192.0.2.1:80 10.0.0.1:80 method dr weight 0 "
	    "uthreshold 0 lthreshold 0", 0 },
	{ "--edit-server -t 192.0.2.1:80 -r 10.0.0.1:81 -m",
	    "edit-server tcp 192.0.2.1:80 10.0.0.1:81 method nat weight 1 "
	    "uthreshold 0 lthreshold 0", 0 },
	{ "-d -t 192.0.2.1:80 -r 10.0.0.1:8080",
	    "del-server tcp 192.0.2.1:80 10.0.0.1:8080", 0 },
	{ "-d -t 192.0.2.1:80 -r 10.0.0.1",
	    "del-server tcp 192.0.2.1:80 10.0.0.1:80", 0 },
	{ "-d -u 192.0.2.1:53 -r 10.0.0.1 --socket /tmp/s",
	    "del-server udp 192.0.2.1:53 10.0.0.1:53", 0 },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1:8080 -i",
	    "add-server tcp 192.0.2.1:80 10.0.0.1:80 method tun weight 1 "
	    "tun-type ipip tun-port 0 tun-csum nocsum", 0 },
	{ "-a -t 192.0.2.1:80 -r 2001:db8::2 --ipip --tun-type ipip",
	    "add-server tcp 192.0.2.1:80 [2001:db8::2]:80 method tun weight 1 "
	    "tun-type ipip tun-port 0 tun-csum nocsum", 0 },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -i --tun-type gue --tun-port 6080",
	    "add-server tcp 192.0.2.1:80 10.0.0.1:80 method tun weight 1 "
	    "tun-type gue tun-port 6080 tun-csum nocsum", 0 },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -i --tun-type gue --tun-port 6080 "
	    "--tun-remcsum",
	    "add-server tcp 192.0.2.1:80 10.0.0.1:80 method tun weight 1 "
	    "tun-type gue tun-port 6080 tun-csum remcsum", 0 },
	{ "-e -t 192.0.2.1:80 -r 10.0.0.1 -i --tun-type gre --tun-csum -w 3",
	    "edit-server tcp 192.0.2.1:80 10.0.0.1:80 method tun weight 3 "
	    "uthreshold 0 lthreshold 0 tun-type gre tun-port 0 tun-csum csum",
	    0 },
	{ "-L --tun-info",	"list", ADM_FMT_TUN_INFO },
	{ "-L --",		"list", 0 },
};

static void
test_adm_opts_good(void **state)
{
	struct adm_opts	 o;
	char		 err[256], req[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(good); i++) {
		if (parse(good[i].args, &o, err, sizeof(err)) != 0)
			fail_msg("'%s': %s", good[i].args, err);
		assert_int_equal(adm_request(&o, req, sizeof(req)), 0);
		if (strcmp(req, good[i].req) != 0)
			fail_msg("'%s': got '%s', want '%s'", good[i].args, req,
			    good[i].req);
		if (o.ao_fmt != good[i].fmt)
			fail_msg("'%s': format %#x, want %#x", good[i].args,
			    o.ao_fmt, good[i].fmt);
	}
}

static const struct {
	const char	*args;
	const char	*err;
} bad[] = {
	{ "-A -D",	"multiple commands specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 --laddr 10.0.3.1",
			"--laddr and --proxy-protocol go with -A or -E only" },
	{ "-A -t 192.0.2.1:80 --proxy-protocol v3", "--proxy-protocol: none, "
			"v1 or v2" },
	{ "-A -t 192.0.2.1:80 --laddr 'a b'", "--laddr: local addresses are "
			"A[,A...] or none" },
	{ "-A -t 192.0.2.1:80 --proxy-protocol v1 --proxy-protocol v2",
			"multiple 'proxy-protocol' options specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -m --fullnat",
			"multiple 'forwarding-method' options specified" },
	{ "-L -l",	"multiple commands specified" },
	{ "-L -h",	"multiple commands specified" },
	{ "-A",		"You need to supply the 'service-address' option for "
			"the 'add-service' command" },
	{ "-E -s rr",	"You need to supply the 'service-address' option for "
			"the 'edit-service' command" },
	{ "-a -t 192.0.2.1:80", "You need to supply the 'real-server' option "
			"for the 'add-server' command" },
	{ "-d -r 10.0.0.1", "You need to supply the 'service-address' option "
			"for the 'delete-server' command" },
	{ "-A -t 192.0.2.1:80 -r 10.0.0.1", "Illegal 'real-server' option "
			"with the 'add-service' command" },
	{ "-A -t 192.0.2.1:80 -n", "Illegal 'numeric' option with the "
			"'add-service' command" },
	{ "-D -t 192.0.2.1:80 -s rr", "Illegal 'scheduler' option with the "
			"'delete-service' command" },
	{ "-C -n",	"Illegal 'numeric' option with the 'flush' command" },
	{ "-C -t 192.0.2.1:80", "Illegal 'service-address' option with the "
			"'flush' command" },
	{ "-d -t 192.0.2.1:80 -r 10.0.0.1 -w 1", "Illegal 'weight' option "
			"with the 'delete-server' command" },
	{ "-d -t 192.0.2.1:80 -r 10.0.0.1 -m", "Illegal 'forwarding-method' "
			"option with the 'delete-server' command" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 --stats", "Illegal 'stats' option "
			"with the 'add-server' command" },
	{ "-L -s rr",	"Illegal 'scheduler' option with the 'list' command" },
	{ "-r 10.0.0.1", "Illegal 'real-server' option with the 'list' "
			"command" },
	{ "-A -t 192.0.2.1:80 -t 192.0.2.2:80", "multiple 'service-address' "
			"options specified" },
	{ "-A -t 192.0.2.1:80 -u 192.0.2.2:80", "multiple 'service-address' "
			"options specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -g -m", "multiple "
			"'forwarding-method' options specified" },
	{ "-L -n -n",	"multiple 'numeric' options specified" },
	{ "-L --socket a --socket b", "multiple 'socket' options specified" },
	{ "-L --socket=", "--socket: empty socket path" },
	{ "-A -t 192.0.2.1", "Zero port specified for non-persistent service" },
	{ "-E -t 192.0.2.1:0", "Zero port specified for non-persistent service" },
	{ "-A -t 192.0.2.1:65536", "illegal virtual server address[:port] "
			"specified" },
	{ "-A -t 80",	"illegal virtual server address[:port] specified" },
	{ "-A -t :80",	"illegal virtual server address[:port] specified" },
	{ "-A -t 192.0.2.1:",	"illegal virtual server address[:port] "
			"specified" },
	{ "-A -t 192.0.2.1:gopherx", "illegal virtual server address[:port] "
			"specified" },
	{ "-A -u 192.0.2.1:http", "illegal virtual server address[:port] "
			"specified" },
	{ "-A -t [2001:db8::1]", "illegal virtual server address[:port] "
			"specified" },
	{ "-A -t [2001:db8::1]80", "illegal virtual server address[:port] "
			"specified" },
	{ "-A -t [192.0.2.1]:80", "illegal virtual server address[:port] "
			"specified" },
	{ "-A -t nosuchhost:80", "illegal virtual server address[:port] "
			"specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.300", "illegal real server "
			"address[:port] specified" },
	{ "-A -t 192.0.2.1:80 -s r/r", "illegal scheduler name specified" },
	{ "-A -t 192.0.2.1:80 -s abcdefghijklmnop",
			"illegal scheduler name specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -w 2147483648",
			"illegal weight specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -w -1", "illegal weight specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -w x", "illegal weight specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -w 1x", "illegal weight specified" },
	{ "-a -t 192.0.2.1:80 -r [2001:db8::2]:80", "Different address "
			"family is allowed only for tunneling servers" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -i --tun-type vxlan",
			"illegal tunnel type specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -i --tun-type gue --tun-port 0",
			"illegal tunnel port specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -m --tun-type gue",
			"Tunnel options conflict with forward method" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 --tun-csum",
			"Tunnel options conflict with forward method" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -i --tun-type gue",
			"You need to supply the 'tun-port' option for the "
			"'gue' tunnel type" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -i --tun-port 6080",
			"Illegal 'tun-port' option with the 'ipip' tunnel "
			"type" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -i --tun-type gre --tun-remcsum",
			"Illegal 'tun-remcsum' option with the 'gre' tunnel "
			"type" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -i --tun-type gue --tun-port 1 "
	    "--tun-csum --tun-nocsum", "The option 'tun-csum' conflicts with "
			"the 'tun-nocsum' option in the 'gue' tunnel type" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -i --tun-type gre --tun-type gre",
			"multiple 'tun-type' options specified" },
	{ "-L --tun-type gue", "Illegal 'tun-type' option with the 'list' "
			"command" },
	{ "-L extra",	"unexpected argument extra" },
	{ "-L -- extra", "unexpected argument extra" },
	{ "-L -",	"unexpected argument -" },
	{ "-A -t",	"-t: missing argument" },
	{ "-A --tcp-service", "--tcp-service: missing argument" },
	{ "--bogus",	"--bogus: unknown option" },
	{ "--list=x",	"--list: option does not take an argument" },
	{ "--tcp",	"--tcp: unknown option" },
	{ "-Q",		"-Q: unknown option" },
	{ "-LQ",	"-Q: unknown option" },
	{ "-A -t 192.0.2.1:80 -p x", "invalid timeout value `x' specified" },
	{ "-A -t 192.0.2.1:80 -p 0", "invalid timeout value `0' specified" },
	{ "-A -t 192.0.2.1:80 -p 2678401",
			"invalid timeout value `2678401' specified" },
	{ "-A -t 192.0.2.1:80 -p -p", "multiple 'persistent' options "
			"specified" },
	{ "-A -t 192.0.2.1:80 -M 255.255.255.x", "illegal virtual server "
			"persistent mask specified" },
	{ "-A -t [2001:db8::1]:80 -M 129", "illegal ipv6 netmask specified" },
	{ "-A -t 192.0.2.1:80 -o", "One-Packet Scheduling is only for UDP "
			"virtual services" },
	{ "-A -t 192.0.2.1:80 -b flag-4", "invalid scheduler flag `flag-4'" },
	{ "-A -t 192.0.2.1:80 -b sh-port", "incompatible scheduler flag "
			"`sh-port'" },
	{ "-A -t 192.0.2.1:80 -s sh -b mh-port", "incompatible scheduler "
			"flag `mh-port'" },
	{ "-A -t 192.0.2.1:80 -b ,", "invalid scheduler flag `,'" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -x 65536",
			"illegal u_threshold specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -y -1",
			"illegal l_threshold specified" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -p", "Illegal 'persistent' option "
			"with the 'add-server' command" },
	{ "-D -t 192.0.2.1:80 -o", "Illegal 'ops' option with the "
			"'delete-service' command" },
	{ "-L -o", "Illegal 'ops' option with the 'list' command" },
	{ "-L -c -t 192.0.2.1:80", "The option 'service-address' conflicts "
			"with the 'connection' option in the 'list' command" },
	{ "-L -c --timeout", "The option 'timeout' conflicts with the "
			"'connection' option in the 'list' command" },
	{ "-L -c --stats", "options conflicts in the list command" },
	{ "-L --timeout --rate", "options conflicts in the list command" },
	{ "-L --timeout --persistent-conn", "options conflicts in the list "
			"command" },
	{ "-L -x 1", "Illegal 'u-threshold' option with the 'list' command" },
	{ "-Z -n", "Illegal 'numeric' option with the 'zero' command" },
	{ "-Z -t 192.0.2.1:80 -r 10.0.0.1", "Illegal 'real-server' option "
			"with the 'zero' command" },
	{ "-S --stats", "Illegal 'stats' option with the 'save' command" },
	{ "-S -t 192.0.2.1:80", "Illegal 'service-address' option with the "
			"'save' command" },
	{ "-R -n", "Illegal 'numeric' option with the 'restore' command" },
	{ "--set 1 2", "--set option requires 3 timeout values" },
	{ "--set", "--set option requires 3 timeout values" },
	{ "--set 1 2 x", "invalid timeout value `x' specified" },
	{ "--set 1 2 2678401", "invalid timeout value `2678401' specified" },
	{ "--set 1 2 3 4", "unexpected argument 4" },
	{ "--set 1 2 3 -n", "Illegal 'numeric' option with the 'set' "
			"command" },
	{ "-L -6", "-6 used before -f" },
	{ "-Z -L", "multiple commands specified" },
	{ "-S -R", "multiple commands specified" },
};

static void
test_adm_opts_bad(void **state)
{
	struct adm_opts	 o;
	char		 err[256], want[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		memset(&o, 0xa5, sizeof(o));
		if (parse(bad[i].args, &o, err, sizeof(err)) != -EINVAL)
			fail_msg("'%s': accepted or not -EINVAL", bad[i].args);
		snprintf(want, sizeof(want), "uvsadm: %s", bad[i].err);
		if (strcmp(err, want) != 0)
			fail_msg("'%s': got '%s', want '%s'", bad[i].args, err,
			    want);
		/* ret_x is untouched on failure. */
		assert_int_equal(o.ao_cmd, (int)0xa5a5a5a5);
	}
}

/* Every ipvsadm 1.31 option uvsadm does not implement yet. */
static const char *const later[] = {
	"--start-daemon", "--stop-daemon",
	"--mcast-interface", "--syncid",
	"--daemon", "--mcast-group", "--mcast-port", "--mcast-ttl",
	"--sync-maxlen",
};

static void
test_adm_opts_not_yet(void **state)
{
	struct adm_opts	 o;
	char		 err[256], want[256], line[128];
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(later); i++) {
		snprintf(want, sizeof(want), "uvsadm: %s: not supported yet",
		    later[i]);
		/* Alone, after a command, and with an argument. */
		assert_int_equal(parse(later[i], &o, err, sizeof(err)),
		    -ENOTSUP);
		assert_string_equal(err, want);
		snprintf(line, sizeof(line), "-L %s 1", later[i]);
		assert_int_equal(parse(line, &o, err, sizeof(err)), -ENOTSUP);
		assert_string_equal(err, want);
		if (later[i][1] == '-') {
			snprintf(line, sizeof(line), "-A %s=1", later[i]);
			assert_int_equal(parse(line, &o, err, sizeof(err)),
			    -ENOTSUP);
		}
	}
	assert_int_equal(parse("--start-daemon=master", &o, err,
	    sizeof(err)), -ENOTSUP);
	assert_string_equal(err, "uvsadm: --start-daemon: not supported yet");
}

static void
test_adm_opts_help_version_socket(void **state)
{
	static const struct {
		const char	*args;
		int		 cmd;
	} cases[] = {
		{ "-h",			ADM_HELP },
		{ "--help",		ADM_HELP },
		{ "-h --bogus",		ADM_HELP },	/* stops at -h */
		{ "-v",			ADM_VERSION },
		{ "--version",		ADM_VERSION },
		{ "-R",			ADM_RESTORE },
		{ "--restore",		ADM_RESTORE },
	};
	struct adm_opts	 o;
	char		 err[256], req[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		assert_int_equal(parse(cases[i].args, &o, err, sizeof(err)), 0);
		assert_int_equal(o.ao_cmd, cases[i].cmd);
		assert_int_equal(adm_request(&o, req, sizeof(req)), -EINVAL);
	}
	assert_int_equal(parse("-L --socket /run/x.sock", &o, err,
	    sizeof(err)), 0);
	assert_string_equal(o.ao_socket, "/run/x.sock");
	assert_int_equal(parse("--socket=/run/y.sock", &o, err, sizeof(err)),
	    0);
	assert_string_equal(o.ao_socket, "/run/y.sock");
	assert_int_equal(parse("-L", &o, err, sizeof(err)), 0);
	assert_null(o.ao_socket);
	/* A small buffer: -ENOSPC, never a cut request. */
	assert_int_equal(parse("-A -t 192.0.2.1:80", &o, err, sizeof(err)), 0);
	assert_int_equal(adm_request(&o, req, 10), -ENOSPC);
}

/* Without a resolver only numbers pass. */
static void
test_adm_opts_numeric_when_no_resolver(void **state)
{
	struct adm_opts	 o;
	char		 err[256];
	char		*argv[] = { (char *)"uvsadm", (char *)"-A",
			    (char *)"-t", (char *)"web1:80", NULL };
	char		*argv2[] = { (char *)"uvsadm", (char *)"-A",
			    (char *)"-t", (char *)"192.0.2.1:http", NULL };

	(void)state;
	assert_int_equal(adm_opts_parse(4, argv, NULL, &o, err, sizeof(err)),
	    -EINVAL);
	assert_int_equal(adm_opts_parse(4, argv2, NULL, &o, err, sizeof(err)),
	    -EINVAL);
	/* A zero-length error buffer is fine too. */
	assert_int_equal(adm_opts_parse(4, argv2, NULL, &o, err, 0), -EINVAL);
}

/* -R's lines: what each becomes, or why it is refused. */
static const struct {
	const char	*line;
	int		 r;
	const char	*out;		/* the request, or the message */
} restore[] = {
	{ "",					0, "" },
	{ "   \t  \n",				0, "" },
	{ "# a comment\n",			0, "" },
	{ "   # indented comment",		0, "" },
	{ "-A -t 192.0.2.1:80 -s rr\n",		1,
	    "add-service tcp 192.0.2.1:80 scheduler rr" },
	{ "ipvsadm -A -t 192.0.2.1:80 -s rr",	1,
	    "add-service tcp 192.0.2.1:80 scheduler rr" },
	{ "uvsadm -C",				1, "clear" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 3 # trailing comment", 1,
	    "add-server tcp 192.0.2.1:80 10.0.0.1:80 method nat weight 3" },
	{ "-A -t \"192.0.2.1:80\" -s 'rr'\r\n",	1,
	    "add-service tcp 192.0.2.1:80 scheduler rr" },
	{ "-A -u 192.0.2.1:53 -s wlc -p 300 -M 255.255.255.0 -o -b flag-1", 1,
	    "add-service udp 192.0.2.1:53 scheduler wlc persistent 300 "
	    "netmask 255.255.255.0 flags flag-1 ops" },
	{ "-d -t 192.0.2.1:80 -r 10.0.0.1",	1,
	    "del-server tcp 192.0.2.1:80 10.0.0.1:80" },
	{ "ipvsadm",				-EINVAL, "no command" },
	{ "-A -t \"192.0.2.1:80",		-EINVAL, "unbalanced quotes" },
	{ "-L -n",				-EINVAL,
	    "only -A -E -D -C -a -e -d can be restored" },
	{ "-S",					-EINVAL,
	    "only -A -E -D -C -a -e -d can be restored" },
	{ "-R",					-EINVAL,
	    "only -A -E -D -C -a -e -d can be restored" },
	{ "--set 1 2 3",			-EINVAL,
	    "only -A -E -D -C -a -e -d can be restored" },
	{ "-A -t 192.0.2.1",			-EINVAL,
	    "Zero port specified for non-persistent service" },
	{ "-a -t 192.0.2.1:80 -r 10.0.0.1 -i --tun-type gue",	-EINVAL,
	    "You need to supply the 'tun-port' option for the 'gue' tunnel "
	    "type" },
	{ "-A -f 1",				-ENOTSUP,
	    "-f: firewall-mark services cannot work in uvsd: it takes frames "
	    "off the wire before netfilter could mark them; give the "
	    "service's addresses and ports as lists in uvsd.conf instead "
	    "(see uvsd.conf(5), SERVICE GROUPS)" },
	{ "-A --sctp-service 192.0.2.1:38412 -s rr", 1,
	    "add-service sctp 192.0.2.1:38412 scheduler rr" },
	{ "-a --sctp-service 192.0.2.1:38412 -r 10.0.0.1 -m -w 2", 1,
	    "add-server sctp 192.0.2.1:38412 10.0.0.1:38412 method nat "
	    "weight 2" },
	{ "-A --sctp-service 192.0.2.1",	-EINVAL,
	    "Zero port specified for non-persistent service" },
	{ "-A --sctp-service 192.0.2.1:80 -o",	-EINVAL,
	    "One-Packet Scheduling is only for UDP virtual services" },
	{ "-A -u 192.0.2.1:5060 -p 60 --pe sip", 1,
	    "add-service udp 192.0.2.1:5060 scheduler wlc persistent 60 "
	    "pe sip" },
	{ "-E -u 192.0.2.1:5060 -s rr -p 60 --pe sip", 1,
	    "edit-service udp 192.0.2.1:5060 scheduler rr persistent 60 "
	    "netmask 255.255.255.255 flags none ops off pe sip" },
	{ "-E -u 192.0.2.1:5060 -s rr -p 60", 1,
	    "edit-service udp 192.0.2.1:5060 scheduler rr persistent 60 "
	    "netmask 255.255.255.255 flags none ops off pe none" },
	{ "-A -t 192.0.2.1:5060 -p --pe sip",	-EINVAL,
	    "--pe sip needs a persistent UDP service (-u ... -p)" },
	{ "-A -u 192.0.2.1:5060 --pe sip",	-EINVAL,
	    "--pe sip needs a persistent UDP service (-u ... -p)" },
	{ "-A -u 192.0.2.1:5060 -p --pe rtp",	-EINVAL,
	    "--pe: unknown persistence engine 'rtp' (sip is the only one)" },
	{ "garbage",				-EINVAL,
	    "unexpected argument garbage" },
};

static void
test_adm_opts_restore_lines(void **state)
{
	char	 line[512], req[512], err[256];
	size_t	 i;
	int	 r;

	(void)state;
	for (i = 0; i < nitems(restore); i++) {
		snprintf(line, sizeof(line), "%s", restore[i].line);
		req[0] = '\0';
		r = adm_restore_line(line, &fake, req, sizeof(req), err,
		    sizeof(err));
		if (r != restore[i].r)
			fail_msg("'%s': returned %d, want %d (%s)",
			    restore[i].line, r, restore[i].r, err);
		if (r == 1 && strcmp(req, restore[i].out) != 0)
			fail_msg("'%s': got '%s', want '%s'", restore[i].line,
			    req, restore[i].out);
		if (r < 0 && strcmp(err, restore[i].out) != 0)
			fail_msg("'%s': got '%s', want '%s'", restore[i].line,
			    err, restore[i].out);
	}
	/* Too many words for one line. */
	line[0] = '\0';
	for (i = 0; i < 70; i++)
		strcat(line, "-n ");
	assert_int_equal(adm_restore_line(line, NULL, req, sizeof(req), err,
	    sizeof(err)), -EINVAL);
	assert_string_equal(err, "too many words");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adm_opts_good),
		cmocka_unit_test(test_adm_opts_bad),
		cmocka_unit_test(test_adm_opts_not_yet),
		cmocka_unit_test(test_adm_opts_help_version_socket),
		cmocka_unit_test(test_adm_opts_numeric_when_no_resolver),
		cmocka_unit_test(test_adm_opts_restore_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
