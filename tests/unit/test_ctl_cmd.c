/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The admin protocol's verbs (ctl_cmd.c) run against tables built by
 * daemon_init_tables(), without a socket and without workers: each
 * verb's reply byte for byte, each error with its errno name, and that a
 * failed request leaves the configuration and the commit count alone.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

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
	daemon_free_tables(&d);
	rbuf_free(&reply);
	return 0;
}

static const char *
run(const char *line)
{
	rbuf_reset(&reply);
	ctl_cmd_run(&d, line, &reply);
	assert_int_equal(reply.rb_err, 0);
	return reply.rb_buf != NULL ? reply.rb_buf : "";
}

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
	{ "add-service sctp 192.0.2.10:80",
	    "ERR EPROTONOSUPPORT unknown protocol 'sctp' (tcp or udp)\n" },
	{ "add-service tcp 192.0.2.10",
	    "ERR EINVAL bad address '192.0.2.10'\n" },
	{ "add-service tcp 192.0.2.10:0",
	    "ERR EINVAL bad address '192.0.2.10:0'\n" },
	{ "add-service tcp 192.0.2.11:80 scheduler wrrr",
	    "ERR EINVAL tcp 192.0.2.11:80: unknown scheduler 'wrrr'\n" },
	{ "add-service tcp 192.0.2.11:80 scheduler a/b",
	    "ERR EINVAL bad scheduler name 'a/b'\n" },
	{ "add-service tcp 192.0.2.11:80 scheduler averyveryverylongname",
	    "ERR EINVAL bad scheduler name 'averyveryverylongname'\n" },
	{ "add-service tcp 192.0.2.11:80 sched rr",
	    "ERR EINVAL usage: add-service PROTO VIP:PORT [scheduler NAME]\n" },
	{ "add-service tcp 192.0.2.11:80 scheduler",
	    "ERR EINVAL usage: add-service PROTO VIP:PORT [scheduler NAME]\n" },
	{ "add-service tcp",
	    "ERR EINVAL usage: add-service PROTO VIP:PORT [scheduler NAME]\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.1",	"OK\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.2:8080 method nat weight 3",
	    "OK\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.1",
	    "ERR EEXIST tcp 192.0.2.10:80: destination already exists "
	    "'10.0.0.1:80'\n" },
	{ "add-server tcp 192.0.2.10:81 10.0.0.1",
	    "ERR ESRCH no such service 'tcp 192.0.2.10:81'\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 method tun",
	    "ERR EINVAL unknown method 'tun' (dr or nat)\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 weight -1",
	    "ERR EINVAL bad weight '-1' (0..2147483647)\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 weight 2147483648",
	    "ERR EINVAL bad weight '2147483648' (0..2147483647)\n" },
	{ "add-server tcp 192.0.2.10:80 10.0.0.3 weight 1 weight 2",
	    "ERR EINVAL usage: add-server PROTO VIP:PORT RIP[:PORT] "
	    "[method dr|nat] [weight N]\n" },
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
	    "service tcp 192.0.2.10:80 scheduler rr flags 0x0 conns 7 "
	    "inpkts 0 outpkts 0 inbytes 12345678901 outbytes 0\n"
	    "server tcp 192.0.2.10:80 10.0.0.1:80 method dr weight 1 "
	    "active 0 inactive 0 conns 0 inpkts 0 outpkts 0 inbytes 0 "
	    "outbytes 0\n"
	    "server tcp 192.0.2.10:80 10.0.0.2:8080 method nat weight 5 "
	    "active 2 inactive 0 conns 0 inpkts 42 outpkts 0 inbytes 0 "
	    "outbytes 0\n"
	    "service udp 192.0.2.10:53 scheduler rr flags 0x0 conns 0 "
	    "inpkts 0 outpkts 0 inbytes 0 outbytes 0\n"
	    "OK\n", conn_hash_size(d.d_conns));
	assert_string_equal(run("list"), want);
	/* One service: the info line and that service only. */
	snprintf(want, sizeof(want),
	    "info version 1.2.1 size %u connections 0\n"
	    "service udp 192.0.2.10:53 scheduler rr flags 0x0 conns 0 "
	    "inpkts 0 outpkts 0 inbytes 0 outbytes 0\n"
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
		"edit-server tcp 192.0.2.10:80 10.0.0.1 method tun",
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
	ctl_cmd_run(&d, "list tcp 192.0.2.99:80", &reply);
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
	    "ring-drops 0\nring-freezes 0\ndrop short 3\n"
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
	snprintf(want, sizeof(want), "\ngeneration %llu\ncommits %llu\nOK\n",
	    (unsigned long long)table_current(d.d_tables)->t_gen,
	    (unsigned long long)d.d_commits);
	assert_non_null(strstr(s, want));

	d.d_wstats[0]->ws_rx_pkts = 10;
	d.d_wstats[0]->ws_drop[DROP_SHORT] = 3;
	s = run("stats");
	assert_memory_equal(s, stats_head, strlen(stats_head));
	assert_non_null(strstr(s, "\ndrop tx-full 0\nOK\n"));
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
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
