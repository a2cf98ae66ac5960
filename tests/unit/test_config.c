/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsd.conf (config.c) from strings: good files give the expected cfg
 * and vs_conf, every kind of error names its line, several errors are
 * reported at once.  Then daemon_reload() on files, against tables from
 * daemon_init_tables() (no workers): only the difference is applied
 * (states and counters of unchanged services and real servers survive),
 * the file wins over runtime edits, a bad file changes nothing.
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
#include <unistd.h>

#include "addr.h"
#include "cfg.h"
#include "conn.h"
#include "daemon.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

#define SVC1	"services = ( { protocol = \"tcp\"; address = \"192.0.2.10\"; " \
		"port = 80;\n"

/* Files that load: how many services and real servers they make. */
static const struct {
	const char	*name;
	const char	*text;
	unsigned	 nsvc, nrs;
} good[] = {
	{ "empty", "", 0, 0 },
	{ "comments only", "# nothing\n// here\n/* at all */\n", 0, 0 },
	{ "minimal service", SVC1 "} );\n", 1, 0 },
	{ "globals only", "interfaces = [ \"eth0\", \"eth1\" ]; workers = 2;\n"
	    "socket = \"/run/uvsd/uvsd.sock\"; socket_group = \"uvs\";\n"
	    "conn_max = 1048576; tx_mode = \"ring\";\n"
	    "timeouts = { tcp = 900; tcpfin = 120; udp = 300; };\n"
	    "expire_nodest_conn = true;\n", 0, 0 },
	{ "one interface as a string", "interfaces = \"eth0\";\n", 0, 0 },
	{ "real servers, defaults", SVC1 "real_servers = ( "
	    "{ address = \"10.0.0.1\"; }, { address = \"10.0.0.2\"; } ); } );\n",
	    1, 2 },
	{ "keepalived words", "virtual_servers = ( { protocol = \"TCP\"; "
	    "address = \"192.0.2.10\"; port = 80; lvs_sched = \"wrr\";\n"
	    "lvs_method = \"NAT\"; persistence_timeout = 600;\n"
	    "persistence_granularity = \"255.255.255.0\";\n"
	    "real_server = ( { address = \"10.0.0.1\"; port = 8080; "
	    "weight = 3; lvs_method = \"DR\"; } ); } );\n", 1, 1 },
	{ "udp ops, ipv6 prefix", "services = ( { protocol = \"udp\"; "
	    "address = \"2001:db8::10\"; port = 53; ops = true;\n"
	    "persistence_granularity = 64; persistence_timeout = 60;\n"
	    "real_servers = ( { address = \"[2001:db8::11]\"; } ); } );\n",
	    1, 1 },
	{ "sip persistence engine", "services = ( { protocol = \"udp\"; "
	    "address = \"192.0.2.10\"; port = 5060;\n"
	    "persistence_timeout = 60; persistence_engine = \"sip\";\n"
	    "real_servers = ( { address = \"10.0.0.1\"; } ); } );\n", 1, 1 },
	{ "thresholds and flags", SVC1 "scheduler = \"rr\"; flags = "
	    "[ \"sh-port\", \"sh-fallback\", \"flag-3\" ];\n"
	    "real_servers = ( { address = \"10.0.0.1\"; uthreshold = 100; "
	    "lthreshold = 50; weight = 0; } ); } );\n", 1, 1 },
	{ "64-bit integers", SVC1 "real_servers = ( { address = \"10.0.0.1\"; "
	    "weight = 2147483647L; } ); } );\n", 1, 1 },
	{ "group: addresses and ports", "services = ( { protocol = \"tcp\";\n"
	    "address = [ \"192.0.2.10\", \"192.0.2.20-22\" ];\n"
	    "port = ( 80, \"8000-8002\" );\n"
	    "real_servers = ( { address = \"10.0.0.1\"; }, "
	    "{ address = \"10.0.0.2\"; } ); } );\n", 16, 32 },
	{ "group: one address as a range", "services = ( { protocol = \"udp\";"
	    " address = \"192.0.2.250-255\"; port = 53;\n"
	    "real_servers = ( { address = \"10.0.0.1\"; } ); } );\n", 6, 6 },
	{ "fullnat: global and own local addresses, proxy",
	    "local_addresses = [ \"10.0.3.1\", \"10.0.3.2\" ];\n"
	    "local_port_range = \"2000-2999\";\n"
	    SVC1 "method = \"fullnat\"; proxy_protocol = 2;\n"
	    "local_addresses = \"10.0.3.9\";\n"
	    "real_servers = ( { address = \"10.0.0.1\"; port = 8080; },\n"
	    "{ address = \"10.0.0.2\"; method = \"FNAT\"; } ); } );\n",
	    1, 2 },
	{ "answer_neighbours list", "answer_neighbours = [ \"192.0.2.10\", "
	    "\"2001:db8::10\" ];\n" SVC1 "} );\n", 1, 0 },
	{ "answer_neighbours true", "answer_neighbours = true;\n", 0, 0 },
	{ "group: ipv6 addresses", "services = ( { protocol = \"tcp\";\n"
	    "address = [ \"2001:db8::10\", \"[2001:db8::11]\" ]; port = 443;"
	    "\n real_servers = ( { address = \"2001:db8::1:1\"; } ); } );\n",
	    2, 2 },
};

/* Files that do not: the first error's line and a piece of its text. */
static const struct {
	const char	*name;
	const char	*text;
	int		 line;
	const char	*want;
} bad[] = {
	{ "answer twice", "answer_neighbours = [ \"192.0.2.1\",\n"
	    "\"192.0.2.1\" ];\n", 2, "'answer_neighbours': address given "
	    "twice" },
	{ "answer bad address", "\nanswer_neighbours = \"192.0.2.x\";\n", 2,
	    "192.0.2.x" },
	{ "answer empty", "answer_neighbours = [ ];\n", 1,
	    "true, false or 1 to 64 addresses" },
	{ "answer number", "answer_neighbours = 1;\n", 1,
	    "answer_neighbours" },
	{ "local address twice", "local_addresses = [ \"10.0.3.1\",\n"
	    "\"10.0.3.1\" ];\n", 2, "local address given twice" },
	{ "local address bad", "local_addresses = [ \"10.0.3.x\" ];\n", 1,
	    "10.0.3.x" },
	{ "local addresses too many", "local_addresses = [ \"10.0.3.1\", "
	    "\"10.0.3.2\", \"10.0.3.3\", \"10.0.3.4\", \"10.0.3.5\", "
	    "\"10.0.3.6\", \"10.0.3.7\", \"10.0.3.8\", \"10.0.3.9\" ];\n",
	    1, "1 to 8 addresses" },
	{ "port range backwards", "\nlocal_port_range = \"3000-2000\";\n", 2,
	    "'local_port_range'" },
	{ "port range zero", "local_port_range = \"0-10\";\n", 1,
	    "'local_port_range'" },
	{ "proxy version 3", SVC1 "\nproxy_protocol = 3; } );\n", 3,
	    "'proxy_protocol': 3 out of range 0..2" },
	{ "fullnat local address of the other family", SVC1
	    "local_addresses = \"2001:db8::1\"; } );\n", 1,
	    "not of the service's address family" },
	{ "fullnat without local addresses", "\n" SVC1 "method = \"fullnat\";"
	    "\nreal_servers = ( { address = \"10.0.0.1\"; } ); } );\n", 2,
	    "tcp 192.0.2.10:80: fullnat real servers need a local address" },
	{ "fullnat with only IPv6 local addresses",
	    "local_addresses = \"2001:db8::3\";\n" SVC1 "method = \"fullnat\";"
	    "\nreal_servers = ( { address = \"10.0.0.1\"; } ); } );\n", 2,
	    "need a local address of its family" },
	{ "syntax error", "workers = 2;\nservices = ( {\n} \n", 4,
	    "syntax error" },
	{ "syntax error, two =", "workers = 2\nconn_max = = 64;\n", 2,
	    "syntax error" },
	{ "libconfig duplicate", "workers = 2;\nworkers = 3;\n", 2,
	    "duplicate setting" },
	{ "unknown global", "workers = 2;\nworkerz = 3;\n", 2,
	    "unknown setting 'workerz'" },
	{ "unknown in service", SVC1 "lvs_schedd = \"rr\"; } );\n", 2,
	    "unknown setting 'lvs_schedd'" },
	{ "unknown in real server", SVC1 "real_servers = (\n"
	    "{ address = \"10.0.0.1\";\n wieght = 2; } ); } );\n", 4,
	    "unknown setting 'wieght'" },
	{ "unknown timeout", "timeouts = {\n tcp = 1;\n fin = 2; };\n", 3,
	    "unknown setting 'fin'" },
	{ "alias repeats", SVC1 "scheduler = \"rr\";\nlvs_sched = \"wrr\"; "
	    "} );\n", 3, "'lvs_sched' repeats 'scheduler' of line 2" },
	{ "wrong type int", "\nworkers = \"two\";\n", 2,
	    "'workers' must be an integer" },
	{ "wrong type float", "conn_max = 1.5;\n", 1, "must be an integer" },
	{ "wrong type string", SVC1 "scheduler = 3; } );\n", 2,
	    "'scheduler' must be a string" },
	{ "wrong type bool", "expire_nodest_conn = 1;\n", 1,
	    "must be true or false" },
	{ "wrong type group", "timeouts = 5;\n", 1, "must be a group" },
	{ "group: range backwards", "services = ( { protocol = \"tcp\";\n"
	    "address = [ \"192.0.2.10\",\n \"192.0.2.20-19\" ]; port = 80;"
	    " } );\n", 3, "bad address range '192.0.2.20-19'" },
	{ "group: ipv6 range", "services = ( { protocol = \"tcp\";\n"
	    "address = \"2001:db8::1-5\"; port = 80; } );\n", 2,
	    "bad address range" },
	{ "group: port range", "services = ( { protocol = \"tcp\";\n"
	    "address = \"192.0.2.1\";\nport = ( 80, \"90-85\" ); } );\n", 3,
	    "bad port range '90-85'" },
	{ "group: empty ports", "services = ( { protocol = \"tcp\";\n"
	    "address = \"192.0.2.1\";\nport = [ ]; } );\n", 3,
	    "empty port list" },
	{ "group: mixed families", "services = ( { protocol = \"tcp\";\n"
	    "address = [ \"192.0.2.1\", \"2001:db8::1\" ]; port = 80; } );\n",
	    2, "of one family" },
	{ "group: too many", "services = ( { protocol = \"tcp\";\n"
	    "address = \"192.0.2.0-255\";\nport = \"1-100\"; } );\n", 2,
	    "make 25600 services, at most 4096" },
	{ "group: duplicate member", "services = ( { protocol = \"tcp\";\n"
	    "address = [ \"192.0.2.1\", \"192.0.2.1\" ]; port = 80; } );\n",
	    1, "exists" },
	{ "wrong type list", "services = 5;\n", 1, "must be a list" },
	{ "service not a group", "services = ( 5 );\n", 1, "must be a group" },
	{ "interface element", "interfaces = [ 1, 2 ];\n", 1,
	    "'interfaces' must be a string" },
	{ "interfaces empty", "interfaces = [ ];\n", 1, "is empty" },
	{ "interface name too long", "interfaces = [ \"eth0\",\n"
	    "\"abcdefghijklmnopq\" ];\n", 2, "bad interface name" },
	{ "interface twice", "interfaces = [ \"eth0\", \"eth0\" ];\n", 1,
	    "given twice" },
	{ "workers out of range", "workers = 257;\n", 1,
	    "257 out of range 0..256" },
	{ "conn_max out of range", "conn_max = 10;\n", 1, "out of range" },
	{ "timeout out of range", "timeouts = { udp = -1; };\n", 1,
	    "out of range 0..2678400" },
	{ "tx_mode", "tx_mode = \"zerocopy\";\n", 1,
	    "unknown tx_mode 'zerocopy'" },
	{ "socket empty", "socket = \"\";\n", 1, "'socket': a path" },
	{ "unknown after services", SVC1 "} );\nservices2 = 1;\n", 3,
	    "unknown setting 'services2'" },
	{ "bad service address", "services = ( {\nprotocol = \"tcp\";\n"
	    "address = \"192.0.2.300\"; port = 80; } );\n", 3,
	    "bad address '192.0.2.300'" },
	{ "bad real server address", SVC1 "real_servers = (\n"
	    "{ address = \"10.0.0.x\"; } ); } );\n", 3,
	    "bad address '10.0.0.x'" },
	{ "port 0", "services = ( { protocol = \"tcp\";\naddress = "
	    "\"192.0.2.10\";\nport = 0; } );\n", 1, "tcp 192.0.2.10:0: port 0 "
	    "(every port) is for persistent services only" },
	{ "port 0 check without connect_port", "services = ( {\n"
	    "protocol = \"tcp\"; address = \"192.0.2.10\"; port = 0;\n"
	    "persistence_timeout = 300;\ncheck = { type = \"tcp\"; };\n"
	    "real_servers = ( { address = \"10.0.0.1\"; } ); } );\n", 5,
	    "a check of a port-0 service needs connect_port" },
	{ "port too big", SVC1 "real_servers = ( { address = \"10.0.0.1\";\n"
	    "port = 65536; } ); } );\n", 3, "65536 out of range 1..65535" },
	{ "unknown protocol", "services = ( { protocol = \"icmp\"; "
	    "address = \"192.0.2.10\"; port = 80; } );\n", 1,
	    "unknown protocol 'icmp' (tcp, udp or sctp)" },
	{ "sctp fullnat", "services = ( { protocol = \"sctp\";\n"
	    "address = \"192.0.2.10\"; port = 38412;\n"
	    "real_servers = ( { address = \"10.0.0.1\"; method = "
	    "\"fullnat\"; } ); } );\n", 3,
	    "fullnat does not forward SCTP; use dr, nat or tun" },
	{ "sctp ops", "services = ( { protocol = \"sctp\";\n"
	    "address = \"192.0.2.10\"; port = 38412; ops = true; } );\n", 2,
	    "'ops' (one-packet scheduling) is for udp services only" },
	{ "unknown scheduler", SVC1 "\n\nscheduler = \"wrrr\"; } );\n", 4,
	    "unknown scheduler 'wrrr'" },
	{ "mh table not prime", "mh_table_size = 4095;\n", 1,
	    "'mh_table_size': 4095 is not a prime from 7 to 65537" },
	{ "mh table too big", "\nmh_table_size = 131071;\n", 2,
	    "'mh_table_size': 131071 is not a prime from 7 to 65537" },
	{ "mh more servers than entries", "mh_table_size = 7;\n" SVC1
	    "scheduler = \"mh\";\nreal_servers = (\n"
	    "{ address = \"10.0.0.1\"; }, { address = \"10.0.0.2\"; },\n"
	    "{ address = \"10.0.0.3\"; }, { address = \"10.0.0.4\"; },\n"
	    "{ address = \"10.0.0.5\"; }, { address = \"10.0.0.6\"; },\n"
	    "{ address = \"10.0.0.7\"; }, { address = \"10.0.0.8\"; } );"
	    " } );\n", 4, "8 real servers for mh, more than its table has "
	    "entries (mh_table_size 7)" },
	{ "unknown flag", SVC1 "flags = [\n\"sh-prot\" ]; } );\n", 3,
	    "unknown scheduler flag 'sh-prot'" },
	{ "unknown method", SVC1 "real_servers = ( { address = \"10.0.0.1\";\n"
	    "method = \"route\"; } ); } );\n", 3,
	    "unknown forwarding method 'route'" },
	{ "tunnel without port", SVC1 "method = \"TUN type gue\"; } );\n",
	    2, "method 'TUN type gue': the gue tunnel type needs a tunnel "
	    "port" },
	{ "tunnel words for dr", SVC1 "method = \"dr port 1\"; } );\n", 2,
	    "'port' is only for tun" },
	{ "duplicate service", SVC1 "},\n{ protocol = \"tcp\"; "
	    "address = \"192.0.2.10\"; port = 80; } );\n", 3,
	    "service already exists 'tcp 192.0.2.10:80'" },
	{ "duplicate real server", SVC1 "real_servers = (\n"
	    "{ address = \"10.0.0.1\"; },\n{ address = \"10.0.0.1\"; "
	    "port = 80; } ); } );\n", 4, "destination already exists "
	    "'10.0.0.1:80'" },
	{ "real server of another family", SVC1 "real_servers = (\n"
	    "{ address = \"2001:db8::1\"; } ); } );\n", 3,
	    "address family" },
	{ "weight negative", SVC1 "real_servers = ( { address = \"10.0.0.1\";\n"
	    "weight = -1; } ); } );\n", 3, "-1 out of range 0..2147483647" },
	{ "weight too big", SVC1 "real_servers = ( { address = \"10.0.0.1\";\n"
	    "weight = 2147483648L; } ); } );\n", 3, "out of range" },
	{ "uthreshold out of range", SVC1 "real_servers = ( { address = "
	    "\"10.0.0.1\";\nuthreshold = 65536; } ); } );\n", 3,
	    "65536 out of range 0..65535" },
	{ "lthreshold out of range", SVC1 "real_servers = ( { address = "
	    "\"10.0.0.1\";\nlthreshold = -5; } ); } );\n", 3, "out of range" },
	{ "lthreshold above uthreshold", SVC1 "real_servers = ( {\n"
	    "address = \"10.0.0.1\"; uthreshold = 10;\nlthreshold = 20; } ); "
	    "} );\n", 4, "lthreshold 20 above uthreshold 10" },
	{ "granularity not contiguous", SVC1 "persistence_timeout = 60;\n"
	    "persistence_granularity = \"255.0.255.0\"; } );\n", 3,
	    "bad persistence_granularity '255.0.255.0'" },
	{ "granularity garbage", SVC1 "persistence_granularity = \"x\"; "
	    "} );\n", 2, "bad persistence_granularity" },
	{ "granularity v6 too long", "services = ( { protocol = \"tcp\"; "
	    "address = \"2001:db8::1\"; port = 80;\n"
	    "persistence_granularity = 129; } );\n", 2, "out of range 1..128" },
	{ "persistence out of range", SVC1 "persistence_timeout = 2678401; "
	    "} );\n", 2, "out of range 0..2678400" },
	{ "sip on tcp", SVC1 "persistence_timeout = 60;\n"
	    "persistence_engine = \"sip\"; } );\n", 3,
	    "persistence engine sip needs a udp service with "
	    "persistence_timeout" },
	{ "sip without persistence", "services = ( { protocol = \"udp\"; "
	    "address = \"192.0.2.10\"; port = 5060;\n"
	    "persistence_engine = \"sip\"; } );\n", 2,
	    "persistence engine sip needs a udp service" },
	{ "unknown engine", SVC1 "\npersistence_engine = \"rtp\"; } );\n", 3,
	    "unknown persistence engine 'rtp' (sip or none)" },
	{ "ops on tcp", SVC1 "\nops = true; } );\n", 3,
	    "'ops' (one-packet scheduling) is for udp services only" },
	{ "service without protocol", "services = (\n{ address = "
	    "\"192.0.2.10\"; port = 80; } );\n", 2,
	    "service without 'protocol'" },
	{ "service without port", "services = ( {\nprotocol = \"tcp\"; "
	    "address = \"192.0.2.10\"; } );\n", 1, "service without 'port'" },
	{ "real server without address", SVC1 "real_servers = (\n"
	    "{ port = 80; } ); } );\n", 3, "real server without 'address'" },
	{ "include in a string", "workers = 1;\n@include \"/etc/passwd\"\n", 2,
	    "@include is not allowed" },
};

static void
test_config_good_when_valid(void **state)
{
	struct uvs_err	 errs[4];
	struct cfg	 c;
	unsigned	 n, i, j, nrs;
	char		 buf[1024];
	int		 r;

	(void)state;
	for (i = 0; i < nitems(good); i++) {
		r = cfg_load_string(good[i].text, "t.conf", &c, errs,
		    nitems(errs), &n);
		if (r != 0)
			fail_msg("%s: %d, first error %s", good[i].name, r,
			    n > 0 ? uvs_err_fmt(&errs[0], buf, sizeof(buf)) :
			    "none");
		assert_int_equal(n, 0);
		assert_non_null(c.cf_vc);
		assert_int_equal(c.cf_nsvc, good[i].nsvc);
		assert_int_equal(c.cf_vc->vc_nsvc, good[i].nsvc);
		for (nrs = 0, j = 0; j < c.cf_vc->vc_nsvc; j++)
			nrs += c.cf_vc->vc_svc[j].sc_nrs;
		if (nrs != good[i].nrs || c.cf_nrs != good[i].nrs)
			fail_msg("%s: %u/%u real servers, want %u", good[i].name,
			    nrs, c.cf_nrs, good[i].nrs);
		cfg_free(&c);
	}
}

static void
test_config_bad_when_invalid(void **state)
{
	struct uvs_err	 errs[4];
	struct cfg	 c;
	unsigned	 n, i, failed = 0;
	char		 buf[1024];
	int		 r;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		memset(errs, 0, sizeof(errs));
		r = cfg_load_string(bad[i].text, "t.conf", &c, errs,
		    nitems(errs), &n);
		if (r != -EINVAL || n == 0) {
			print_error("%s: returned %d with %u errors, want "
			    "-EINVAL\n", bad[i].name, r, n);
			if (r == 0)
				cfg_free(&c);
			failed++;
			continue;
		}
		uvs_err_fmt(&errs[0], buf, sizeof(buf));
		if (strcmp(errs[0].e_file, "t.conf") != 0 ||
		    errs[0].e_line != bad[i].line ||
		    strstr(errs[0].e_text, bad[i].want) == NULL) {
			print_error("%s: got '%s', want t.conf:%d: ...%s...\n",
			    bad[i].name, buf, bad[i].line, bad[i].want);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

/* Every field of a full file where it belongs. */
static void
test_config_fields_when_full(void **state)
{
	static const char text[] =
	    "interfaces = [ \"eth0\", \"eth1\" ];\n"
	    "workers = 2;\n"
	    "socket = \"/run/x.sock\";\n"
	    "socket_group = \"uvs\";\n"
	    "conn_max = 4096;\n"
	    "tx_mode = \"ring\";\n"
	    "timeouts = { tcp = 7200; tcpfin = 60; udp = 30; };\n"
	    "expire_nodest_conn = true;\n"
	    "services = (\n"
	    "  { protocol = \"udp\"; address = \"192.0.2.10\"; port = 53;\n"
	    "    scheduler = \"rr\"; method = \"nat\"; ops = true;\n"
	    "    persistence_timeout = 300;\n"
	    "    persistence_granularity = \"255.255.255.0\";\n"
	    "    flags = [ \"flag-1\", \"flag-2\" ];\n"
	    "    real_servers = (\n"
	    "      { address = \"10.0.0.1\"; port = 5353; weight = 7;\n"
	    "        uthreshold = 100; lthreshold = 10; },\n"
	    "      { address = \"10.0.0.2\"; method = \"dr\"; } ) },\n"
	    "  { protocol = \"tcp\"; address = \"192.0.2.10\"; port = 80; } );\n";
	const struct svc_conf	*sc;
	const struct rs_conf	*rc;
	struct cfg		 c;

	(void)state;
	assert_int_equal(cfg_load_string(text, "full", &c, NULL, 0, NULL), 0);
	assert_int_equal(c.cf_nifs, 2);
	assert_string_equal(c.cf_ifnames[0], "eth0");
	assert_string_equal(c.cf_ifnames[1], "eth1");
	assert_int_equal(c.cf_workers, 2);
	assert_string_equal(c.cf_socket, "/run/x.sock");
	assert_string_equal(c.cf_socket_group, "uvs");
	assert_int_equal(c.cf_conn_max, 4096);
	assert_int_equal(c.cf_tx_mode, TX_RING);
	assert_int_equal(c.cf_to_tcp, 7200);
	assert_int_equal(c.cf_to_tcpfin, 60);
	assert_int_equal(c.cf_to_udp, 30);
	assert_true(c.cf_expire_nodest_conn);
	assert_int_equal(c.cf_line[CFG_R_INTERFACES], 1);
	assert_int_equal(c.cf_line[CFG_R_TX_MODE], 6);
	assert_int_equal(c.cf_vc->vc_nsvc, 2);
	sc = &c.cf_vc->vc_svc[0];
	assert_int_equal(sc->sc_proto, IPPROTO_UDP);
	assert_int_equal(sc->sc_ep.ep_port, htons(53));
	assert_string_equal(sc->sc_sched, "rr");
	assert_int_equal(sc->sc_flags, SVC_F_PERSISTENT | SVC_F_ONEPACKET |
	    SVC_F_SCHED1 | SVC_F_SCHED2);
	assert_int_equal(sc->sc_timeout, 300);
	assert_int_equal(sc->sc_netmask, htonl(0xffffff00));
	assert_int_equal(sc->sc_nrs, 2);
	rc = &sc->sc_rs[0];
	assert_int_equal(rc->rc_method, XMIT_NAT);	/* the service's */
	assert_int_equal(rc->rc_ep.ep_port, htons(5353));
	assert_int_equal(rc->rc_weight, 7);
	assert_int_equal(rc->rc_uthresh, 100);
	assert_int_equal(rc->rc_lthresh, 10);
	rc = &sc->sc_rs[1];
	assert_int_equal(rc->rc_method, XMIT_DR);
	assert_int_equal(rc->rc_ep.ep_port, htons(53));	/* the service's */
	assert_int_equal(rc->rc_weight, 1);
	sc = &c.cf_vc->vc_svc[1];
	assert_int_equal(sc->sc_proto, IPPROTO_TCP);
	assert_string_equal(sc->sc_sched, "wlc");
	assert_int_equal(sc->sc_flags, 0);
	assert_int_equal(sc->sc_netmask, 0xffffffffU);
	cfg_free(&c);
	/* Unset globals say so. */
	assert_int_equal(cfg_load_string("", "e", &c, NULL, 0, NULL), 0);
	assert_int_equal(c.cf_nifs, 0);
	assert_int_equal(c.cf_workers, 0);
	assert_int_equal(c.cf_tx_mode, -1);
	assert_string_equal(c.cf_socket, "");
	assert_false(c.cf_expire_nodest_conn);
	cfg_free(&c);
}

/* Errors do not stop the walk: each is reported at its line. */
static void
test_config_errors_when_several(void **state)
{
	static const char text[] =
	    "workers = \"x\";\n"					/* 1 */
	    "tx_mode = \"fast\";\n"					/* 2 */
	    "services = (\n"						/* 3 */
	    "  { protocol = \"tcp\"; address = \"192.0.2.10\"; port = 80;\n"
	    "    scheduler = \"wrrr\";\n"				/* 5 */
	    "    real_servers = (\n"
	    "      { address = \"10.0.0.1\"; weight = -3; },\n"	/* 7 */
	    "      { address = \"10.0.0.2\"; } ) },\n"
	    "  { protocol = \"tcp\"; address = \"192.0.2.11\"; port = 80;\n"
	    "    real_servers = ( { address = \"10.0.0.1\"; },\n"
	    "      { address = \"10.0.0.1\"; } ) },\n"		/* 11 */
	    "  { protocol = \"udp\"; addres = \"192.0.2.11\"; port = 53; } );\n";
	static const struct { int line; const char *want; } want[] = {
		{ 1, "'workers' must be an integer" },
		{ 2, "unknown tx_mode 'fast'" },
		{ 5, "unknown scheduler 'wrrr'" },
		{ 7, "out of range" },
		{ 11, "destination already exists" },
		{ 12, "unknown setting 'addres'" },
		{ 12, "service without 'address'" },
	};
	struct uvs_err	 errs[CFG_ERRS_MAX];
	struct cfg	 c;
	unsigned	 n, i;

	(void)state;
	assert_int_equal(cfg_load_string(text, "m.conf", &c, errs,
	    nitems(errs), &n), -EINVAL);
	assert_int_equal(n, nitems(want));
	for (i = 0; i < n; i++) {
		if (errs[i].e_line != want[i].line ||
		    strstr(errs[i].e_text, want[i].want) == NULL)
			fail_msg("error %u: line %d '%s', want line %d '%s'", i,
			    errs[i].e_line, errs[i].e_text, want[i].line,
			    want[i].want);
	}
	/* A smaller array keeps the first ones; NULL keeps none. */
	assert_int_equal(cfg_load_string(text, "m.conf", &c, errs, 2, &n),
	    -EINVAL);
	assert_int_equal(n, 2);
	assert_int_equal(errs[1].e_line, 2);
	assert_int_equal(cfg_load_string(text, "m.conf", &c, NULL, 0, &n),
	    -EINVAL);
	assert_int_equal(n, 0);
}

/* Reload tests: files in a temporary directory. */

static char	 tmpdir[64];
static char	 path[128];

static void
write_file(const char *p, const char *text)
{
	FILE	*f;

	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int
setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_config.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/uvsd.conf", tmpdir);
	return 0;
}

static int
teardown_dir(void **state)
{
	char	 p[192];

	(void)state;
	snprintf(p, sizeof(p), "%s/uvsd.conf", tmpdir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/services.conf", tmpdir);
	unlink(p);
	rmdir(tmpdir);
	return 0;
}

/* Files read from disk: @include relative to the file, errors name it. */
static void
test_config_file_when_included(void **state)
{
	struct uvs_err	 errs[4];
	struct cfg	 c;
	char		 inc[192], want[256];
	unsigned	 n;

	(void)state;
	snprintf(inc, sizeof(inc), "%s/services.conf", tmpdir);
	write_file(path, "workers = 1;\n@include \"services.conf\"\n");
	write_file(inc, SVC1 "} );\n");
	assert_int_equal(cfg_load_file(path, &c, errs, 4, &n), 0);
	assert_int_equal(c.cf_nsvc, 1);
	cfg_free(&c);
	write_file(inc, "\n" SVC1 "scheduler = \"wrrr\"; } );\n");
	assert_int_equal(cfg_load_file(path, &c, errs, 4, &n), -EINVAL);
	assert_int_equal(n, 1);
	assert_int_equal(errs[0].e_line, 3);
	assert_non_null(strstr(errs[0].e_file, "services.conf"));
	unlink(inc);
	/* A missing file: its name and why. */
	assert_int_equal(cfg_load_file(inc, &c, errs, 4, &n), -ENOENT);
	assert_int_equal(n, 1);
	snprintf(want, sizeof(want), "%s", inc);
	assert_string_equal(errs[0].e_file, want);
	assert_non_null(strstr(errs[0].e_text, "cannot read"));
	/* A syntax error names the file and the line. */
	write_file(path, "workers = 1;\n\nservices = ( {\n");
	assert_int_equal(cfg_load_file(path, &c, errs, 4, &n), -EINVAL);
	assert_int_equal(n, 1);
	assert_string_equal(errs[0].e_file, path);
	assert_int_equal(errs[0].e_line, 4);
}

/* Two files that differ in one real server and one weight. */
static const char conf_a[] =
    "timeouts = { tcp = 1000; };\n"
    "services = (\n"
    "  { protocol = \"tcp\"; address = \"192.0.2.10\"; port = 80;\n"
    "    scheduler = \"wrr\"; real_servers = (\n"
    "      { address = \"10.0.0.1\"; weight = 1; },\n"
    "      { address = \"10.0.0.2\"; weight = 1; },\n"
    "      { address = \"10.0.0.3\"; weight = 1; } ) },\n"
    "  { protocol = \"udp\"; address = \"192.0.2.10\"; port = 53;\n"
    "    real_servers = ( { address = \"10.0.0.1\"; method = \"nat\"; } ) }"
    " );\n";
static const char conf_b[] =
    "services = (\n"
    "  { protocol = \"tcp\"; address = \"192.0.2.10\"; port = 80;\n"
    "    scheduler = \"wrr\"; real_servers = (\n"
    "      { address = \"10.0.0.1\"; weight = 5; },\n"
    "      { address = \"10.0.0.2\"; weight = 1; },\n"
    "      { address = \"10.0.0.4\"; weight = 1; } ) },\n"
    "  { protocol = \"udp\"; address = \"192.0.2.10\"; port = 53;\n"
    "    real_servers = ( { address = \"10.0.0.1\"; method = \"nat\"; } ) }"
    " );\n";

static struct rs_state *
rs_st(struct uvsd *d, const char *vip, const char *rip)
{
	struct ep	 v, r;

	assert_int_equal(ep_parse(vip, true, &v), 0);
	assert_int_equal(ep_parse(rip, true, &r), 0);
	return table_find_rs_state(d->d_tables, IPPROTO_TCP, &v, &r);
}

static int32_t
weight_of(struct uvsd *d, const char *rip)
{
	const struct vs_conf	*vc = table_conf(d->d_tables);
	struct ep		 r;
	unsigned		 i;

	assert_int_equal(ep_parse(rip, true, &r), 0);
	for (i = 0; i < vc->vc_svc[0].sc_nrs; i++)
		if (ep_eq(&vc->vc_svc[0].sc_rs[i].rc_ep, &r))
			return vc->vc_svc[0].sc_rs[i].rc_weight;
	return -1;
}

static void
test_config_reload_when_changed(void **state)
{
	struct uvsd		 d;
	struct uvs_err		 err;
	struct conn_timeouts	 to;
	struct rs_state		*r1, *r2, *r3;
	struct svc_state	*svs;
	struct counters		 cn;
	struct ep		 vip;
	struct vs_conf		*vc;
	uint64_t		 gen;
	char			 want[256];

	(void)state;
	memset(&d, 0, sizeof(d));
	d.d_opts.o_conn_max = 1024;
	assert_int_equal(daemon_init_tables(&d, 1), 0);

	/* Without a file there is nothing to reload. */
	assert_int_equal(daemon_reload(&d, &err), -ENOENT);
	assert_int_equal(d.d_reload_time, 0);

	d.d_opts.o_config = path;
	write_file(path, conf_a);
	assert_int_equal(daemon_reload(&d, &err), 0);
	assert_int_equal(d.d_reload_result, 0);
	assert_true(d.d_reload_time > 0);
	assert_string_equal(d.d_reload_msg, "");
	assert_int_equal(d.d_commits, 1);
	assert_int_equal(table_conf(d.d_tables)->vc_nsvc, 2);
	conn_get_timeouts(d.d_conns, &to);
	assert_int_equal(to.ct_tcp[TCPS_ESTABLISHED], 1000);
	assert_int_equal(to.ct_udp, 300);

	r1 = rs_st(&d, "192.0.2.10:80", "10.0.0.1:80");
	r2 = rs_st(&d, "192.0.2.10:80", "10.0.0.2:80");
	r3 = rs_st(&d, "192.0.2.10:80", "10.0.0.3:80");
	assert_non_null(r1);
	assert_non_null(r2);
	assert_non_null(r3);
	assert_int_equal(ep_parse("192.0.2.10:80", true, &vip), 0);
	svs = table_find_svc_state(d.d_tables, IPPROTO_TCP, &vip);
	assert_non_null(svs);
	d.d_wstats[0]->ws_slot[svs->svs_slot].cn_conns = 11;
	d.d_wstats[0]->ws_slot[r1->rss_slot].cn_conns = 5;
	d.d_wstats[0]->ws_slot[r2->rss_slot].cn_inbytes = 777;
	r2->rss_active = 3;	/* as if connections were established */

	/* B: 10.0.0.1's weight 1 -> 5, 10.0.0.3 out, 10.0.0.4 in. */
	write_file(path, conf_b);
	assert_int_equal(daemon_reload(&d, &err), 0);
	assert_int_equal(d.d_commits, 2);
	assert_ptr_equal(rs_st(&d, "192.0.2.10:80", "10.0.0.1:80"), r1);
	assert_ptr_equal(rs_st(&d, "192.0.2.10:80", "10.0.0.2:80"), r2);
	assert_ptr_equal(table_find_svc_state(d.d_tables, IPPROTO_TCP, &vip),
	    svs);
	assert_true(r3->rss_dead);
	assert_int_equal(r2->rss_active, 3);
	stats_sum_slot(d.d_wstats, 1, svs->svs_slot, &cn);
	assert_int_equal(cn.cn_conns, 11);
	stats_sum_slot(d.d_wstats, 1, r1->rss_slot, &cn);
	assert_int_equal(cn.cn_conns, 5);
	stats_sum_slot(d.d_wstats, 1, r2->rss_slot, &cn);
	assert_int_equal(cn.cn_inbytes, 777);
	assert_int_equal(weight_of(&d, "10.0.0.1:80"), 5);
	assert_int_equal(weight_of(&d, "10.0.0.3:80"), -1);
	assert_int_equal(weight_of(&d, "10.0.0.4:80"), 1);
	/* B sets no timeouts: the defaults are back. */
	conn_get_timeouts(d.d_conns, &to);
	assert_int_equal(to.ct_tcp[TCPS_ESTABLISHED], 900);

	/* A bad file changes nothing; status and the caller learn why. */
	gen = table_current(d.d_tables)->t_gen;
	write_file(path, "services = (\n { protocol = \"tcp\"; address = "
	    "\"192.0.2.10\"; port = 80;\n scheduler = \"wrrr\"; } );\n");
	assert_int_equal(daemon_reload(&d, &err), -EINVAL);
	assert_int_equal(d.d_reload_result, -EINVAL);
	snprintf(want, sizeof(want), "%s:3: unknown scheduler 'wrrr'", path);
	assert_string_equal(d.d_reload_msg, want);
	assert_string_equal(err.e_file, path);
	assert_int_equal(err.e_line, 3);
	assert_int_equal(table_current(d.d_tables)->t_gen, gen);
	assert_int_equal(d.d_commits, 2);
	assert_int_equal(weight_of(&d, "10.0.0.1:80"), 5);

	/* A runtime edit, then a reload: the file wins. */
	vc = vsconf_dup(table_conf(d.d_tables));
	assert_non_null(vc);
	assert_int_equal(vsconf_del_svc(vc, IPPROTO_UDP, &vc->vc_svc[1].sc_ep,
	    &err), 0);
	vc->vc_svc[0].sc_rs[0].rc_weight = 9;
	assert_int_equal(table_commit(d.d_tables, vc, &err), 0);
	assert_int_equal(table_conf(d.d_tables)->vc_nsvc, 1);
	write_file(path, conf_b);
	assert_int_equal(daemon_reload(&d, &err), 0);
	assert_int_equal(d.d_reload_result, 0);
	assert_int_equal(table_conf(d.d_tables)->vc_nsvc, 2);
	assert_int_equal(weight_of(&d, "10.0.0.1:80"), 5);
	assert_ptr_equal(rs_st(&d, "192.0.2.10:80", "10.0.0.1:80"), r1);

	/* A setting that takes a restart refuses the whole reload. */
	gen = table_current(d.d_tables)->t_gen;
	write_file(path, "\nworkers = 3;\nservices = ();\n");
	assert_int_equal(daemon_reload(&d, &err), -EINVAL);
	assert_int_equal(err.e_line, 2);
	assert_non_null(strstr(err.e_text, "'workers' changed"));
	assert_int_equal(table_current(d.d_tables)->t_gen, gen);
	assert_int_equal(table_conf(d.d_tables)->vc_nsvc, 2);
	/* A missing file, too. */
	unlink(path);
	assert_int_equal(daemon_reload(&d, &err), -ENOENT);
	assert_non_null(strstr(d.d_reload_msg, "cannot read"));
	assert_int_equal(table_current(d.d_tables)->t_gen, gen);

	daemon_free_tables(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_good_when_valid),
		cmocka_unit_test(test_config_bad_when_invalid),
		cmocka_unit_test(test_config_fields_when_full),
		cmocka_unit_test(test_config_errors_when_several),
		cmocka_unit_test(test_config_file_when_included),
		cmocka_unit_test(test_config_reload_when_changed),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
