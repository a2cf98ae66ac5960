/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The admin protocol's verbs (ctl_cmd.c) run against tables built by
 * daemon_init_tables(), without a socket and without workers: each
 * verb's reply byte for byte, each error with its errno name, and that a
 * failed request leaves the configuration and the commit count alone;
 * batches that commit, fail, abort, lose their client or are replayed
 * after somebody else's change.
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
#include "conn.h"
#include "ctl_cmd.h"
#include "ctl_proto.h"
#include "daemon.h"
#include "rbuf.h"
#include "stats.h"
#include "table.h"
#include "util.h"

static struct uvsd	 d;
static struct rbuf	 reply;
static struct ctl_session session;

static int
setup(void **state)
{
	(void)state;
	memset(&d, 0, sizeof(d));
	d.d_opts.o_conn_max = 1024;
	if (daemon_init_tables(&d, 1) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ctl_session_reset(&session);
	daemon_free_tables(&d);
	rbuf_free(&reply);
	return 0;
}

static const char *
run(const char *line)
{
	rbuf_reset(&reply);
	ctl_cmd_run(&d, &session, line, &reply);
	assert_int_equal(reply.rb_err, 0);
	return reply.rb_buf != NULL ? reply.rb_buf : "";
}

#define SVC_PARAMS	"[scheduler NAME] [persistent SECONDS] [netmask MASK] " \
			"[flags LIST|none] [ops [on|off]] [laddr A[,A...]|none] " \
			"[proxy none|v1|v2] [pe none|sip]"
#define ADD_SVC_USAGE	"add-service PROTO VIP:PORT " SVC_PARAMS
#define ADD_RS_USAGE	"add-server PROTO VIP:PORT RIP[:PORT] " \
			"[method dr|nat|fullnat|tun] [weight N] " \
			"[uthreshold N] [lthreshold N] " \
			"[tun-type ipip|gue|gre] [tun-port N] " \
			"[tun-csum nocsum|csum|remcsum]"

/* The request and its whole reply; run in order, on one table. */
static const struct {
	const char	*req;
	const char	*reply;
} cases[] = {
	{ "hello 1",		"OK\n" },
	{ "hello 2",		"ERR EPROTO client speaks protocol 2, uvsd "
				"speaks protocol 1\n" },
	{ "hello one",		"ERR EINVAL usage: hello PROTOCOL-VERSION\n" },
	{ "hello",		"ERR EINVAL usage: hello PROTOCOL-VERSION\n" },
	{ "version",		"uvsd " PACKAGE_VERSION " protocol 1\nOK\n" },
	{ "",			"ERR EINVAL empty request\n" },
	{ " \t ",		"ERR EINVAL empty request\n" },
	{ "frob",		"ERR EINVAL unknown command 'frob'\n" },
	{ "fr\033ob",		"ERR EINVAL unknown command 'fr?ob'\n" },
	{ "LIST",		"ERR EINVAL unknown command 'LIST'\n" },
	{ "clear extra",	"ERR EINVAL usage: clear\n" },
	{ "add-service tcp 192.0.2.10:80",	"OK\n" },
	{ "add-service tcp 192.0.2.10:80",
	    "ERR EEXIST service already exists 'tcp 192.0.2.10:80'\n" },
	{ "add-service udp 192.0.2.10:53 scheduler rr\r", "OK\n" },
	{ "add-service icmp 192.0.2.10:80",
	    "ERR EPROTONOSUPPORT unknown protocol 'icmp' (tcp, udp or sctp)\n" },
	{ "add-service tcp 192.0.2.10",
	    "ERR EINVAL bad address '192.0.2.10'\n" },
	{ "add-service tcp 192.0.2.10:0",
	    "ERR EINVAL tcp 192.0.2.10:0: port 0 (every port) is for "
	    "persistent services only\n" },
	{ "add-service tcp 192.0.2.10:99999",
	    "ERR EINVAL bad address '192.0.2.10:99999'\n" },
	{ "add-service tcp 192.0.2.11:80 scheduler wrrr",
	    "ERR EINVAL tcp 192.0.2.11:80: unknown scheduler 'wrrr'\n" },
	{ "add-service tcp 192.0.2.11:80 scheduler a/b",
	    "ERR EINVAL bad scheduler name 'a/b'\n" },
	{ "add-service tcp 192.0.2.11:80 scheduler averyveryverylongname",
	    "ERR EINVAL bad scheduler name 'averyveryverylongname'\n" },
	{ "add-service tcp 192.0.2.11:80 sched rr",
	    "ERR EINVAL usage: " ADD_SVC_USAGE "\n" },
	{ "add-service tcp 192.0.2.11:80 scheduler",
	    "ERR EINVAL usage: " ADD_SVC_USAGE "\n" },
	{ "add-service tcp",
	    "ERR EINVAL usage: " ADD_SVC_USAGE "\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.1",	"OK\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.2:8080 method nat weight 3",
	    "OK\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.1",
	    "ERR EEXIST tcp 192.0.2.10:80: destination already exists "
	    "'10.0.0.1:80'\n" },
	{ "add-server tcp 192.0.2.10:81 10.0.0.1",
	    "ERR ESRCH no such service 'tcp 192.0.2.10:81'\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 method ipip",
	    "ERR EINVAL unknown method 'ipip' (dr, nat, fullnat or tun)\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 method tun tun-type vxlan",
	    "ERR EINVAL unknown tunnel type 'vxlan' (ipip, gue or gre)\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 method tun tun-type gue",
	    "ERR EINVAL tcp 192.0.2.10:80: real server '10.0.0.3:80': the gue "
	    "tunnel type needs a tunnel port\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 method dr tun-type gre",
	    "ERR EINVAL tcp 192.0.2.10:80: real server '10.0.0.3:80': tunnel "
	    "options conflict with forward method\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 method tun tun-type gre "
	    "tun-csum remcsum",
	    "ERR EINVAL tcp 192.0.2.10:80: real server '10.0.0.3:80': remote "
	    "checksum offload is only for the gue tunnel type\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 weight -1",
	    "ERR EINVAL bad weight '-1' (0..2147483647)\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 weight 2147483648",
	    "ERR EINVAL bad weight '2147483648' (0..2147483647)\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 weight 1 weight 2",
	    "ERR EINVAL usage: " ADD_RS_USAGE "\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.x",
	    "ERR EINVAL bad address '10.0.0.x'\n" },
	{ "add-server tcp 192.0.2.10:80 [2001:db8::1]",
	    "ERR EINVAL tcp 192.0.2.10:80: real server '[2001:db8::1]:80' is "
	    "not of the service's address family\n" },
	{ "edit-server tcp 192.0.2.10:80 10.0.0.2:8080 weight 5",	"OK\n" },
	{ "edit-server tcp 192.0.2.10:80 10.0.0.9",
	    "ERR ENOENT tcp 192.0.2.10:80: no such destination "
	    "'10.0.0.9:80'\n" },
	{ "edit-server tcp 192.0.2.99:80 10.0.0.9",
	    "ERR ESRCH no such service 'tcp 192.0.2.99:80'\n" },
	{ "edit-service tcp 192.0.2.10:80 scheduler rr",	"OK\n" },
	{ "edit-service tcp 192.0.2.10:80",			"OK\n" },
	{ "edit-service tcp 192.0.2.99:80 scheduler rr",
	    "ERR ESRCH no such service 'tcp 192.0.2.99:80'\n" },
	{ "del-server tcp 192.0.2.10:80 10.0.0.9",
	    "ERR ENOENT tcp 192.0.2.10:80: no such destination "
	    "'10.0.0.9:80'\n" },
	{ "del-service tcp 192.0.2.99:80",
	    "ERR ESRCH no such service 'tcp 192.0.2.99:80'\n" },
	{ "list tcp 192.0.2.99:80",
	    "ERR ESRCH no such service 'tcp 192.0.2.99:80'\n" },
	{ "list tcp",		"ERR EINVAL usage: list [PROTO VIP:PORT]\n" },
	{ "list udp [2001:db8::1]:53",
	    "ERR ESRCH no such service 'udp [2001:db8::1]:53'\n" },
	/* SCTP, gone again before the listings below. */
	{ "add-service sctp 192.0.2.10:38412 scheduler rr",	"OK\n" },
	{ "add-service sctp 192.0.2.10:38412 ops on",
	    "ERR EINVAL one-packet scheduling (ops) is for udp services "
	    "only\n" },
	{ "add-server sctp 192.0.2.10:38412 10.0.0.1 method fullnat",
	    "ERR EINVAL sctp 192.0.2.10:38412: real server '10.0.0.1:38412': "
	    "fullnat does not forward SCTP; use dr, nat or tun\n" },
	{ "add-server sctp 192.0.2.10:38412 10.0.0.1 method nat",	"OK\n" },
	{ "del-service sctp 192.0.2.10:38412",			"OK\n" },
};

static void
test_ctl_cmd_cases(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		const char *got = run(cases[i].req);

		if (strcmp(got, cases[i].reply) != 0)
			fail_msg("'%s': got '%s', want '%s'", cases[i].req, got,
			    cases[i].reply);
	}
}

#define NORATES	" cps 0 inpps 0 outpps 0 inbps 0 outbps 0"

/* The listing of what test_ctl_cmd_cases left, counters included. */
static void
test_ctl_cmd_list_when_configured(void **state)
{
	struct svc_state	*svs;
	struct rs_state		*rss;
	struct ep		 vip, rip;
	char			 want[2048];

	(void)state;
	assert_int_equal(ep_parse("192.0.2.10:80", true, &vip), 0);
	assert_int_equal(ep_parse("10.0.0.2:8080", true, &rip), 0);
	svs = table_find_svc_state(d.d_tables, IPPROTO_TCP, &vip);
	rss = table_find_rs_state(d.d_tables, IPPROTO_TCP, &vip, &rip);
	assert_non_null(svs);
	assert_non_null(rss);
	d.d_wstats[0]->ws_slot[svs->svs_slot].cn_conns = 7;
	d.d_wstats[0]->ws_slot[svs->svs_slot].cn_inbytes = 12345678901ULL;
	d.d_wstats[0]->ws_slot[rss->rss_slot].cn_inpkts = 42;
	rss->rss_active = 2;
	rss->rss_inactive = -1;		/* a decrement seen first */
	snprintf(want, sizeof(want),
	    "info version 1.2.1 size %u connections 0\n"
	    "service tcp 192.0.2.10:80 scheduler rr flags 0x0 persistent 0 "
	    "netmask 255.255.255.255 conns 7 inpkts 0 outpkts 0 "
	    "inbytes 12345678901 outbytes 0" NORATES "\n"
	    "server tcp 192.0.2.10:80 10.0.0.1:80 method dr weight 1 "
	    "active 0 inactive 0 uthreshold 0 lthreshold 0 persistconns 0 "
	    "conns 0 inpkts 0 outpkts 0 inbytes 0 outbytes 0" NORATES "\n"
	    "server tcp 192.0.2.10:80 10.0.0.2:8080 method nat weight 5 "
	    "active 2 inactive 0 uthreshold 0 lthreshold 0 persistconns 0 "
	    "conns 0 inpkts 42 outpkts 0 inbytes 0 outbytes 0" NORATES "\n"
	    "service udp 192.0.2.10:53 scheduler rr flags 0x0 persistent 0 "
	    "netmask 255.255.255.255 conns 0 inpkts 0 outpkts 0 inbytes 0 "
	    "outbytes 0" NORATES "\n"
	    "OK\n", conn_hash_size(d.d_conns));
	assert_string_equal(run("list"), want);
	/* One service: the info line and that service only. */
	snprintf(want, sizeof(want),
	    "info version 1.2.1 size %u connections 0\n"
	    "service udp 192.0.2.10:53 scheduler rr flags 0x0 persistent 0 "
	    "netmask 255.255.255.255 conns 0 inpkts 0 outpkts 0 inbytes 0 "
	    "outbytes 0" NORATES "\n"
	    "OK\n", conn_hash_size(d.d_conns));
	assert_string_equal(run("list udp 192.0.2.10:53"), want);
	rss->rss_active = rss->rss_inactive = 0;
}

/* Failing requests change neither the listing nor the commit count. */
static void
test_ctl_cmd_unchanged_when_refused(void **state)
{
	static const char *const bad[] = {
		"add-service tcp 192.0.2.10:80",
		"add-service tcp 192.0.2.12:80 scheduler nope",
		"add-server tcp 192.0.2.10:80 10.0.0.1",
		"add-server tcp 192.0.2.10:80 [2001:db8::1]:80",
		"edit-server tcp 192.0.2.10:80 10.0.0.1 method tun tun-port 9",
		"edit-server tcp 192.0.2.10:80 10.0.0.1 weight x",
		"edit-service tcp 192.0.2.10:80 scheduler nope",
		"del-server tcp 192.0.2.10:80 10.0.0.77",
		"del-service udp 192.0.2.10:80",
		"clear now",
	};
	char		*before;
	uint64_t	 commits = d.d_commits;
	uint64_t	 gen = table_current(d.d_tables)->t_gen;
	size_t		 i;

	(void)state;
	before = strdup(run("list"));
	assert_non_null(before);
	for (i = 0; i < nitems(bad); i++)
		assert_memory_equal(run(bad[i]), "ERR ", 4);
	assert_string_equal(run("list"), before);
	assert_int_equal(d.d_commits, commits);
	assert_int_equal(table_current(d.d_tables)->t_gen, gen);
	free(before);
}

/* An error drops the data lines already written, not what came before. */
static void
test_ctl_cmd_err_when_buffer_not_empty(void **state)
{
	(void)state;
	rbuf_reset(&reply);
	rbuf_printf(&reply, "earlier\n");
	ctl_cmd_run(&d, NULL, "list tcp 192.0.2.99:80", &reply);
	assert_string_equal(reply.rb_buf, "earlier\nERR ESRCH no such "
	    "service 'tcp 192.0.2.99:80'\n");
}

static void
test_ctl_cmd_limits(void **state)
{
	char	 line[CTL_LINE_MAX + 16];
	size_t	 i;

	(void)state;
	line[0] = '\0';
	for (i = 0; i < 33; i++)
		strcat(line, "w ");
	assert_string_equal(run(line), "ERR E2BIG too many words in request "
	    "(at most 32)\n");
	/* 32 words are fine as far as splitting goes. */
	line[0] = '\0';
	strcat(line, "help");
	for (i = 1; i < 32; i++)
		strcat(line, " w");
	assert_string_equal(run(line), "ERR EINVAL usage: help\n");
	memset(line, 'a', CTL_LINE_MAX);
	line[CTL_LINE_MAX] = '\0';
	assert_string_equal(run(line), "ERR E2BIG request line too long\n");
	/* Long user input is cut when quoted back. */
	memset(line, 'b', 200);
	line[200] = '\0';
	assert_int_equal(strlen(run(line)),
	    strlen("ERR EINVAL unknown command ''\n") + 64);
}

static void
test_ctl_cmd_status_stats_help(void **state)
{
	static const char stats_head[] = "rx-packets 10\nrx-bytes 0\n"
	    "tx-packets 0\ntx-bytes 0\nrx-blocks 0\ntx-calls 0\n"
	    "ring-drops 0\nring-freezes 0\nfragmented 0\n"
	    "arp-replies 0\nna-sent 0\nicmp-relayed 0\ndrop short 3\n"
	    "drop truncated 0\n";
	struct rbuf	 usage = { 0 };
	const char	*s;
	char		 want[256];

	(void)state;
	s = run("status");
	assert_non_null(strstr(s, "uptime "));
	assert_non_null(strstr(s, "\nworkers 0\ninterfaces\n"));
	snprintf(want, sizeof(want), "\nconnections 0 max %u\n",
	    conn_max(d.d_conns));
	assert_non_null(strstr(s, want));
	snprintf(want, sizeof(want), "\ngeneration %llu\ncommits %llu\n"
	    "config none\nreload never\nOK\n",
	    (unsigned long long)table_current(d.d_tables)->t_gen,
	    (unsigned long long)d.d_commits);
	assert_non_null(strstr(s, want));

	d.d_wstats[0]->ws_rx_pkts = 10;
	d.d_wstats[0]->ws_drop[DROP_SHORT] = 3;
	s = run("stats");
	assert_memory_equal(s, stats_head, strlen(stats_head));
	assert_non_null(strstr(s, "\ndrop tx-full 0\n"));
	assert_string_equal(s + strlen(s) - 3, "OK\n");
	assert_null(strstr(s, "drop none"));

	ctl_cmd_usage(&usage);
	rbuf_printf(&usage, "OK\n");
	assert_string_equal(run("help"), usage.rb_buf);
	assert_non_null(strstr(usage.rb_buf, "\nlist [PROTO VIP:PORT]\n"));
	rbuf_free(&usage);
}

static void
test_ctl_cmd_clear_and_delete(void **state)
{
	const char	*s;
	uint64_t	 commits = d.d_commits;

	(void)state;
	assert_string_equal(run("del-server tcp 192.0.2.10:80 10.0.0.1"),
	    "OK\n");
	assert_string_equal(run("del-server tcp 192.0.2.10:80 "
	    "10.0.0.2:8080"), "OK\n");
	s = run("list tcp 192.0.2.10:80");
	assert_null(strstr(s, "\nserver "));
	assert_string_equal(run("del-service tcp 192.0.2.10:80"), "OK\n");
	assert_string_equal(run("add-service tcp [2001:db8::10]:443"), "OK\n");
	assert_string_equal(run("add-server tcp [2001:db8::10]:443 "
	    "[2001:db8::20]"), "OK\n");
	s = run("list");
	assert_non_null(strstr(s, "\nserver tcp [2001:db8::10]:443 "
	    "[2001:db8::20]:443 method dr weight 1 "));
	assert_string_equal(run("clear"), "OK\n");
	s = run("list");
	assert_null(strstr(s, "service"));
	assert_int_equal(d.d_commits, commits + 6);
}

/* Service and server parameters, and the verbs beyond the table. */
static const struct {
	const char	*req;
	const char	*reply;
} pcases[] = {
	{ "clear", "OK\n" },
	{ "add-service tcp 192.0.2.20:80 persistent 600 netmask 255.255.255.0 "
	    "flags flag-1,flag-3", "OK\n" },
	{ "add-service udp 192.0.2.20:53 scheduler rr ops", "OK\n" },
	{ "add-service udp 192.0.2.21:53 ops off persistent 0", "OK\n" },
	{ "add-service tcp [2001:db8::20]:80 persistent 60 netmask 64", "OK\n" },
	{ "add-service udp 192.0.2.22:5060 persistent 60 pe sip", "OK\n" },
	{ "add-service tcp 192.0.2.22:5060 persistent 60 pe sip",
	    "ERR EINVAL tcp 192.0.2.22:5060: persistence engine sip needs a "
	    "persistent udp service\n" },
	{ "add-service udp 192.0.2.23:5060 pe sip",
	    "ERR EINVAL udp 192.0.2.23:5060: persistence engine sip needs a "
	    "persistent udp service\n" },
	{ "add-service udp 192.0.2.23:5060 persistent 60 pe rtp",
	    "ERR EINVAL persistence engine must be none or sip\n" },
	{ "edit-service udp 192.0.2.22:5060 persistent 0",
	    "ERR EINVAL udp 192.0.2.22:5060: persistence engine sip needs a "
	    "persistent udp service\n" },
	{ "add-service tcp 192.0.2.21:80 ops",
	    "ERR EINVAL one-packet scheduling (ops) is for udp services "
	    "only\n" },
	{ "add-service tcp 192.0.2.21:80 persistent 2678401",
	    "ERR EINVAL bad persistence timeout '2678401' (0..2678400)\n" },
	{ "add-service tcp 192.0.2.21:80 netmask 255.0.255.0",
	    "ERR EINVAL bad netmask '255.0.255.0' (a contiguous IPv4 mask "
	    "such as 255.255.255.0)\n" },
	{ "add-service tcp 192.0.2.21:80 netmask 24",
	    "ERR EINVAL bad netmask '24' (a contiguous IPv4 mask such as "
	    "255.255.255.0)\n" },
	{ "add-service tcp [2001:db8::21]:80 netmask 129",
	    "ERR EINVAL bad netmask '129' (an IPv6 prefix length 1..128)\n" },
	{ "add-service tcp 192.0.2.21:80 flags flag-9",
	    "ERR EINVAL bad scheduler flags 'flag-9' (comma list of flag-1, "
	    "flag-2, flag-3, sh-fallback, sh-port, mh-fallback, mh-port, or "
	    "none)\n" },
	{ "add-service tcp 192.0.2.21:80 ops on off",
	    "ERR EINVAL usage: " ADD_SVC_USAGE "\n" },
	{ "add-service tcp 192.0.2.21:80 persistent",
	    "ERR EINVAL usage: " ADD_SVC_USAGE "\n" },
	/* edit-service keeps what it is not given */
	{ "edit-service tcp 192.0.2.20:80 scheduler rr", "OK\n" },
	{ "edit-service udp 192.0.2.20:53 ops off flags sh-port", "OK\n" },
	{ "add-server tcp 192.0.2.20:80 10.0.0.1 uthreshold 100 lthreshold 50",
	    "OK\n" },
	{ "add-server tcp 192.0.2.20:80 10.0.0.2 uthreshold 65536",
	    "ERR EINVAL bad upper threshold '65536' (0..65535)\n" },
	{ "edit-server tcp 192.0.2.20:80 10.0.0.1 weight 4", "OK\n" },
	{ "timeout", "timeout tcp 900 tcpfin 120 udp 300\nOK\n" },
	{ "set-timeout 0 60 0", "OK\n" },
	{ "timeout", "timeout tcp 900 tcpfin 60 udp 300\nOK\n" },
	{ "set-timeout 1000 0 200", "OK\n" },
	{ "timeout", "timeout tcp 1000 tcpfin 60 udp 200\nOK\n" },
	{ "set-timeout 1 2", "ERR EINVAL usage: set-timeout TCP TCPFIN UDP\n" },
	{ "set-timeout 1 2 2678401",
	    "ERR EINVAL bad timeout '2678401' (0..2678400)\n" },
	{ "set-timeout 900 120 300", "OK\n" },
	{ "zero", "OK\n" },
	{ "zero tcp 192.0.2.20:80", "OK\n" },
	{ "zero tcp 192.0.2.99:80",
	    "ERR ESRCH no such service 'tcp 192.0.2.99:80'\n" },
	{ "zero tcp", "ERR EINVAL usage: zero [PROTO VIP:PORT]\n" },
	{ "connections", "OK\n" },
	{ "connections udp 192.0.2.20:53", "OK\n" },
	{ "commit", "ERR EINVAL commit without a batch (begin first)\n" },
	{ "abort", "ERR EINVAL abort without a batch (begin first)\n" },
	{ "reload", "ERR ENOENT no configuration file: uvsd runs without "
	    "-f\n" },
	{ "hello 1", "OK\n" },
};

static void
test_ctl_cmd_params_cases(void **state)
{
	size_t	 i;

	(void)state;
	session.cs_close = false;	/* "hello 2" of the cases above */
	for (i = 0; i < nitems(pcases); i++) {
		const char *got = run(pcases[i].req);

		if (strcmp(got, pcases[i].reply) != 0)
			fail_msg("'%s': got '%s', want '%s'", pcases[i].req,
			    got, pcases[i].reply);
	}
	assert_false(session.cs_close);
}

/* What pcases left, as list shows it. */
static void
test_ctl_cmd_list_params(void **state)
{
	const char	*s;

	(void)state;
	s = run("list");
	assert_non_null(strstr(s, "\nservice tcp 192.0.2.20:80 scheduler rr "
	    "flags 0x29 persistent 600 netmask 255.255.255.0 conns 0 "));
	assert_non_null(strstr(s, "\nservice udp 192.0.2.20:53 scheduler rr "
	    "flags 0x10 persistent 0 netmask 255.255.255.255 conns 0 "));
	assert_non_null(strstr(s, "\nservice udp 192.0.2.21:53 scheduler wlc "
	    "flags 0x0 persistent 0 "));
	assert_non_null(strstr(s, "\nservice tcp [2001:db8::20]:80 scheduler "
	    "wlc flags 0x1 persistent 60 netmask 64 conns 0 "));
	assert_non_null(strstr(s, "\nservice udp 192.0.2.22:5060 scheduler "
	    "wlc flags 0x1 persistent 60 netmask 255.255.255.255 pe sip "
	    "conns 0 "));
	assert_non_null(strstr(s, "\nserver tcp 192.0.2.20:80 10.0.0.1:80 "
	    "method dr weight 4 active 0 inactive 0 uthreshold 100 "
	    "lthreshold 50 persistconns 0 conns 0 "));
	/* Not persistent any more: the timeout goes, the mask stays. */
	assert_string_equal(run("edit-service tcp 192.0.2.20:80 persistent "
	    "0"), "OK\n");
	assert_non_null(strstr(run("list tcp 192.0.2.20:80"), "flags 0x28 "
	    "persistent 0 netmask 255.255.255.0 "));
}

/* Counters read 0 after zero, for the service and its servers. */
static void
test_ctl_cmd_zero_counters(void **state)
{
	struct svc_state	*svs;
	struct rs_state		*rss;
	struct ep		 vip, rip;

	(void)state;
	assert_int_equal(ep_parse("192.0.2.20:80", true, &vip), 0);
	assert_int_equal(ep_parse("10.0.0.1:80", true, &rip), 0);
	svs = table_find_svc_state(d.d_tables, IPPROTO_TCP, &vip);
	rss = table_find_rs_state(d.d_tables, IPPROTO_TCP, &vip, &rip);
	assert_non_null(svs);
	assert_non_null(rss);
	d.d_wstats[0]->ws_slot[svs->svs_slot].cn_conns += 9;
	d.d_wstats[0]->ws_slot[rss->rss_slot].cn_inbytes += 77;
	assert_non_null(strstr(run("list tcp 192.0.2.20:80"), " conns 9 "));
	assert_non_null(strstr(run("list tcp 192.0.2.20:80"),
	    " inbytes 77 "));
	assert_string_equal(run("zero udp 192.0.2.20:53"), "OK\n");
	assert_non_null(strstr(run("list tcp 192.0.2.20:80"), " conns 9 "));
	assert_string_equal(run("zero tcp 192.0.2.20:80"), "OK\n");
	assert_null(strstr(run("list tcp 192.0.2.20:80"), " conns 9 "));
	assert_null(strstr(run("list tcp 192.0.2.20:80"), " inbytes 77 "));
}

/* A connection and a template, as the connections verb shows them. */
static void
test_ctl_cmd_connections(void **state)
{
	struct tuple	 t;
	struct conn	*c, *tpl;
	struct ep	 vip, rip;
	unsigned	 sh, sh2;
	uint32_t	 now = conn_now();
	const char	*s;

	(void)state;
	assert_int_equal(ep_parse("192.0.2.20:80", true, &vip), 0);
	assert_int_equal(ep_parse("10.0.0.1:80", true, &rip), 0);
	memset(&t, 0, sizeof(t));
	t.t_af = AF_INET;
	t.t_proto = IPPROTO_TCP;
	t.t_src.w[0] = htonl(0x0a000102);	/* 10.0.1.2 */
	t.t_sport = htons(40000);
	t.t_dst = vip.ep_addr.a;
	t.t_dport = vip.ep_port;
	sh = conn_shard(d.d_conns, &t, CONN_IN);
	conn_lock(d.d_conns, sh);
	c = conn_insert(d.d_conns, sh, &t, NULL, now, 75);
	assert_non_null(c);
	c->c_state = TCPS_ESTABLISHED;
	c->c_rs = table_find_rs_state(d.d_tables, IPPROTO_TCP, &vip, &rip);
	conn_unlock(d.d_conns, sh);
	t.t_sport = 0;
	sh2 = conn_shard(d.d_conns, &t, CONN_IN);
	conn_lock(d.d_conns, sh2);
	tpl = conn_insert(d.d_conns, sh2, &t, NULL, now, 600);
	assert_non_null(tpl);
	tpl->c_flags |= CONN_F_TEMPLATE;
	tpl->c_rs = c->c_rs;
	conn_unlock(d.d_conns, sh2);

	s = run("connections");
	assert_non_null(strstr(s, "conn tcp 10.0.1.2:40000 192.0.2.20:80 "
	    "10.0.0.1:80 ESTABLISHED 75\n"));
	assert_non_null(strstr(s, "template tcp 10.0.1.2:0 192.0.2.20:80 "
	    "10.0.0.1:80 NONE 600\n"));
	assert_string_equal(run("connections udp 192.0.2.20:53"), "OK\n");
	assert_non_null(strstr(run("connections tcp 192.0.2.20:80"),
	    "ESTABLISHED"));

	conn_lock(d.d_conns, sh);
	c->c_rs = NULL;
	conn_remove(d.d_conns, sh, c, NULL, NULL);
	conn_unlock(d.d_conns, sh);
	conn_lock(d.d_conns, sh2);
	tpl->c_rs = NULL;
	conn_remove(d.d_conns, sh2, tpl, NULL, NULL);
	conn_unlock(d.d_conns, sh2);
}

/* A batch that succeeds is one commit; its requests answer as usual. */
static void
test_ctl_cmd_batch_when_all_succeed(void **state)
{
	uint64_t	 commits = d.d_commits;
	uint64_t	 gen = table_current(d.d_tables)->t_gen;

	(void)state;
	assert_string_equal(run("begin"), "OK\n");
	assert_string_equal(run("begin"), "ERR EBUSY a batch is already open "
	    "(commit or abort it first)\n");
	assert_string_equal(run("clear"), "OK\n");
	assert_string_equal(run("add-service tcp 192.0.2.30:80"), "OK\n");
	assert_string_equal(run("add-server tcp 192.0.2.30:80 10.0.0.5"),
	    "OK\n");
	/* Queries see what runs, not the batch. */
	assert_null(strstr(run("list"), "192.0.2.30"));
	assert_non_null(strstr(run("list"), "192.0.2.20:80"));
	assert_int_equal(table_current(d.d_tables)->t_gen, gen);
	assert_string_equal(run("commit"), "OK\n");
	assert_int_equal(d.d_commits, commits + 1);
	assert_non_null(strstr(run("list"), "server tcp 192.0.2.30:80 "
	    "10.0.0.5:80 "));
	assert_null(strstr(run("list"), "192.0.2.20:80"));
	/* An empty batch changes nothing. */
	assert_string_equal(run("begin"), "OK\n");
	assert_string_equal(run("commit"), "OK\n");
	assert_int_equal(d.d_commits, commits + 1);
}

/* Any failure in a batch: commit names it and nothing changes. */
static void
test_ctl_cmd_batch_unchanged_when_one_fails(void **state)
{
	static const struct {
		const char	*req;
		const char	*reply;
	} steps[] = {
		{ "begin", "OK\n" },
		{ "add-service tcp 192.0.2.31:80", "OK\n" },
		{ "add-server tcp 192.0.2.31:80 10.0.0.6", "OK\n" },
		{ "add-server tcp 192.0.2.31:80 10.0.0.6",
		    "ERR EEXIST tcp 192.0.2.31:80: destination already exists "
		    "'10.0.0.6:80'\n" },
		{ "del-service tcp 192.0.2.30:80", "OK\n" },
		{ "zero", "ERR EBUSY zero cannot be part of a batch\n" },
		{ "commit", "ERR EEXIST request 3: tcp 192.0.2.31:80: "
		    "destination already exists '10.0.0.6:80'\n" },
		{ "commit", "ERR EINVAL commit without a batch (begin "
		    "first)\n" },
		/* abort, and a client that goes, change nothing either */
		{ "begin", "OK\n" },
		{ "clear", "OK\n" },
		{ "abort", "OK\n" },
		{ "begin", "OK\n" },
		{ "clear", "OK\n" },
		{ "set-timeout 1 1 1",
		    "ERR EBUSY set-timeout cannot be part of a batch\n" },
		{ "reload", "ERR EBUSY reload cannot be part of a batch\n" },
		{ "commit", "ERR EBUSY request 2: set-timeout cannot be part "
		    "of a batch\n" },
		{ "begin", "OK\n" },
		{ "clear", "OK\n" },
	};
	char		*before;
	uint64_t	 commits = d.d_commits;
	uint64_t	 gen = table_current(d.d_tables)->t_gen;
	size_t		 i;

	(void)state;
	before = strdup(run("list"));
	assert_non_null(before);
	for (i = 0; i < nitems(steps); i++) {
		const char *got = run(steps[i].req);

		if (strcmp(got, steps[i].reply) != 0)
			fail_msg("step %zu '%s': got '%s', want '%s'", i,
			    steps[i].req, got, steps[i].reply);
	}
	ctl_session_reset(&session);	/* the client went mid-batch */
	assert_null(session.cs_conf);
	assert_string_equal(run("list"), before);
	assert_int_equal(d.d_commits, commits);
	assert_int_equal(table_current(d.d_tables)->t_gen, gen);
	assert_string_equal(run("timeout"),
	    "timeout tcp 900 tcpfin 120 udp 300\nOK\n");
	free(before);
}

/*
 * Another client commits between begin and commit: the batch is
 * replayed on what runs then, so that change stays; a replay that no
 * longer applies fails whole.
 */
static void
test_ctl_cmd_batch_replayed_when_table_moved(void **state)
{
	struct ctl_session	 other;
	const char		*s;

	(void)state;
	memset(&other, 0, sizeof(other));
	assert_string_equal(run("begin"), "OK\n");
	assert_string_equal(run("add-server tcp 192.0.2.30:80 10.0.0.7"),
	    "OK\n");
	rbuf_reset(&reply);
	ctl_cmd_run(&d, NULL, "add-service udp 192.0.2.32:53", &reply);
	assert_string_equal(reply.rb_buf, "OK\n");
	assert_string_equal(run("commit"), "OK\n");
	s = run("list");
	assert_non_null(strstr(s, "192.0.2.32:53"));
	assert_non_null(strstr(s, "10.0.0.7:80"));

	assert_string_equal(run("begin"), "OK\n");
	assert_string_equal(run("add-server udp 192.0.2.32:53 10.0.0.8"),
	    "OK\n");
	rbuf_reset(&reply);
	ctl_cmd_run(&d, &other, "del-service udp 192.0.2.32:53", &reply);
	assert_string_equal(reply.rb_buf, "OK\n");
	assert_string_equal(run("commit"), "ERR ESRCH request 1: no such "
	    "service 'udp 192.0.2.32:53'\n");
	assert_null(strstr(run("list"), "10.0.0.8"));
	ctl_session_reset(&other);
}

/* A client of another version is answered and must go. */
static void
test_ctl_cmd_hello_closes_when_refused(void **state)
{
	struct ctl_session	 s;

	(void)state;
	memset(&s, 0, sizeof(s));
	rbuf_reset(&reply);
	ctl_cmd_run(&d, &s, "hello 2", &reply);
	assert_string_equal(reply.rb_buf, "ERR EPROTO client speaks protocol "
	    "2, uvsd speaks protocol 1\n");
	assert_true(s.cs_close);
	/* Without a session batches are refused, never half-done. */
	rbuf_reset(&reply);
	ctl_cmd_run(&d, NULL, "begin", &reply);
	assert_string_equal(reply.rb_buf, "ERR EOPNOTSUPP batches need a "
	    "connection\n");
}

/* Fullnat's service words, its method, and what a commit refuses. */
static const struct {
	const char	*req;
	const char	*reply;
} fcases[] = {
	{ "clear", "OK\n" },
	{ "add-service tcp 192.0.2.30:80 laddr 10.0.3.1,10.0.3.2 proxy v1",
	    "OK\n" },
	{ "add-server tcp 192.0.2.30:80 10.0.0.5:8080 method fullnat",
	    "OK\n" },
	{ "add-service tcp 192.0.2.31:80", "OK\n" },
	{ "add-server tcp 192.0.2.31:80 10.0.0.5 method fullnat",
	    "ERR EINVAL fullnat needs local addresses (--laddr or "
	    "local_addresses) for 'tcp 192.0.2.31:80'\n" },
	{ "add-service tcp 192.0.2.32:80 laddr 10.0.3.1,10.0.3.1",
	    "ERR EINVAL bad local addresses '10.0.3.1,10.0.3.1' (A[,A...], no "
	    "repeats, or none)\n" },
	{ "add-service tcp 192.0.2.32:80 laddr 2001:db8::1",
	    "ERR EINVAL tcp 192.0.2.32:80: local address 2001:db8::1 is not "
	    "of the service's address family\n" },
	{ "add-service tcp 192.0.2.32:80 proxy v3",
	    "ERR EINVAL proxy protocol must be none, v1 or v2\n" },
	{ "add-service udp 192.0.2.33:53 ops laddr 10.0.3.1", "OK\n" },
	{ "add-server udp 192.0.2.33:53 10.0.0.5 method fullnat",
	    "ERR EINVAL one-packet scheduling cannot use fullnat: "
	    "'udp 192.0.2.33:53'\n" },
	/* edit keeps what it is not given, changes what it is. */
	{ "edit-service tcp 192.0.2.30:80 scheduler rr", "OK\n" },
	{ "edit-service tcp 192.0.2.31:80 proxy v2 laddr 10.0.3.9", "OK\n" },
	{ "add-server tcp 192.0.2.31:80 10.0.0.5 method fullnat", "OK\n" },
};

static void
test_ctl_cmd_fullnat(void **state)
{
	const char	*s;
	size_t		 i;

	(void)state;
	session.cs_close = false;
	for (i = 0; i < nitems(fcases); i++) {
		const char *got = run(fcases[i].req);

		if (strcmp(got, fcases[i].reply) != 0)
			fail_msg("'%s': got '%s', want '%s'", fcases[i].req,
			    got, fcases[i].reply);
	}
	s = run("list");
	assert_non_null(strstr(s, "\nservice tcp 192.0.2.30:80 scheduler rr "
	    "flags 0x0 persistent 0 netmask 255.255.255.255 laddr "
	    "10.0.3.1,10.0.3.2 proxy v1 conns 0 "));
	assert_non_null(strstr(s, "\nservice tcp 192.0.2.31:80 scheduler wlc "
	    "flags 0x0 persistent 0 netmask 255.255.255.255 laddr 10.0.3.9 "
	    "proxy v2 conns 0 "));
	assert_non_null(strstr(s, "\nserver tcp 192.0.2.30:80 10.0.0.5:8080 "
	    "method fullnat weight 1 "));
	/* none clears: the service then has no LIP for its fullnat server. */
	assert_string_equal(run("edit-service tcp 192.0.2.31:80 laddr none"),
	    "ERR EINVAL fullnat needs local addresses (--laddr or "
	    "local_addresses) for 'tcp 192.0.2.31:80'\n");
	assert_string_equal(run("clear"), "OK\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctl_cmd_cases),
		cmocka_unit_test(test_ctl_cmd_list_when_configured),
		cmocka_unit_test(test_ctl_cmd_unchanged_when_refused),
		cmocka_unit_test(test_ctl_cmd_err_when_buffer_not_empty),
		cmocka_unit_test(test_ctl_cmd_limits),
		cmocka_unit_test(test_ctl_cmd_status_stats_help),
		cmocka_unit_test(test_ctl_cmd_clear_and_delete),
		cmocka_unit_test(test_ctl_cmd_params_cases),
		cmocka_unit_test(test_ctl_cmd_list_params),
		cmocka_unit_test(test_ctl_cmd_zero_counters),
		cmocka_unit_test(test_ctl_cmd_connections),
		cmocka_unit_test(test_ctl_cmd_batch_when_all_succeed),
		cmocka_unit_test(test_ctl_cmd_batch_unchanged_when_one_fails),
		cmocka_unit_test(test_ctl_cmd_batch_replayed_when_table_moved),
		cmocka_unit_test(test_ctl_cmd_hello_closes_when_refused),
		cmocka_unit_test(test_ctl_cmd_fullnat),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
