/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Address and endpoint spellings (addr.c): what ipvsadm users type, what
 * must be refused, and that formatting gives back the canonical form.
 * Failed parses must leave the caller's result untouched.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "util.h"

static const struct {
	const char	*in;
	int		 ret;
	int		 af;
	const char	*fmt;		/* addr_fmt() of the result */
} addr_cases[] = {
	{ "192.0.2.1",		0, AF_INET, "192.0.2.1" },
	{ "0.0.0.0",		0, AF_INET, "0.0.0.0" },
	{ "2001:db8::1",	0, AF_INET6, "2001:db8::1" },
	{ "[2001:db8::1]",	0, AF_INET6, "2001:db8::1" },
	{ "2001:DB8:0:0::1",	0, AF_INET6, "2001:db8::1" },
	{ "::ffff:192.0.2.1",	0, AF_INET6, "::ffff:192.0.2.1" },
	{ "",			-EINVAL, 0, NULL },
	{ "192.0.2",		-EINVAL, 0, NULL },
	{ "256.0.0.1",		-EINVAL, 0, NULL },
	{ "192.0.2.1:80",	-EINVAL, 0, NULL },	/* an endpoint */
	{ "[192.0.2.1]",	-EINVAL, 0, NULL },	/* brackets are IPv6 */
	{ "[2001:db8::1",	-EINVAL, 0, NULL },
	{ "[]",			-EINVAL, 0, NULL },
	{ "2001:db8::g",	-EINVAL, 0, NULL },
	{ "example.com",	-EINVAL, 0, NULL },	/* no resolver */
};

static void
test_addr_parse_cases(void **state)
{
	struct addr	 a, poison;
	char		 buf[ADDR_STRLEN];
	size_t		 i;
	int		 r;

	memset(&poison, 0xa5, sizeof(poison));
	for (i = 0; i < nitems(addr_cases); i++) {
		a = poison;
		r = addr_parse(addr_cases[i].in, &a);
		if (r != addr_cases[i].ret)
			fail_msg("'%s': got %d, want %d", addr_cases[i].in, r,
			    addr_cases[i].ret);
		if (r != 0) {
			assert_memory_equal(&a, &poison, sizeof(a));
			continue;
		}
		assert_int_equal(a.a_af, addr_cases[i].af);
		assert_int_equal(a.a_pad[0] | a.a_pad[1] | a.a_pad[2], 0);
		if (a.a_af == AF_INET)
			assert_int_equal(a.a.w[1] | a.a.w[2] | a.a.w[3], 0);
		assert_string_equal(addr_fmt(&a, buf, sizeof(buf)),
		    addr_cases[i].fmt);
	}
}

static const struct {
	const char	*in;
	bool		 need_port;
	int		 ret;
	const char	*fmt;		/* ep_fmt() of the result */
} ep_cases[] = {
	{ "192.0.2.1:80",		true, 0, "192.0.2.1:80" },
	{ "192.0.2.1:1",		true, 0, "192.0.2.1:1" },
	{ "192.0.2.1:65535",		true, 0, "192.0.2.1:65535" },
	{ "[2001:db8::1]:443",		true, 0, "[2001:db8::1]:443" },
	{ "[2001:DB8::1]:443",		true, 0, "[2001:db8::1]:443" },
	{ "192.0.2.1",			false, 0, "192.0.2.1:0" },
	{ "[2001:db8::1]",		false, 0, "[2001:db8::1]:0" },
	{ "192.0.2.1",			true, -EINVAL, NULL },
	{ "[2001:db8::1]",		true, -EINVAL, NULL },
	{ "192.0.2.1:0",		false, 0, "192.0.2.1:0" }, /* every port */
	{ "192.0.2.1:65536",		false, -EINVAL, NULL },
	{ "192.0.2.1:99999999999999999999", false, -EINVAL, NULL },
	{ "192.0.2.1:",			false, -EINVAL, NULL },
	{ "192.0.2.1:-1",		false, -EINVAL, NULL },
	{ "192.0.2.1: 80",		false, -EINVAL, NULL },
	{ "192.0.2.1:80x",		false, -EINVAL, NULL },
	{ "192.0.2.1:http",		false, -EINVAL, NULL },
	{ "2001:db8::1:80",		true, -EINVAL, NULL },	/* needs [] */
	{ "2001:db8::1:80",		false, -EINVAL, NULL },
	{ "[2001:db8::1]80",		false, -EINVAL, NULL },
	{ "[2001:db8::1]:",		false, -EINVAL, NULL },
	{ "[2001:db8::1",		false, -EINVAL, NULL },
	{ "[192.0.2.1]:80",		false, -EINVAL, NULL },
	{ "",				false, -EINVAL, NULL },
	{ ":80",			false, -EINVAL, NULL },
	{ "garbage",			false, -EINVAL, NULL },
	{ "garbage:80",			true, -EINVAL, NULL },
	{ "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535:1", false,
	    -EINVAL, NULL },
	{ "[0000:0000:0000:0000:0000:0000:0000:0000:0000:0001]:80", false,
	    -EINVAL, NULL },
};

static void
test_ep_parse_cases(void **state)
{
	struct ep	 ep, poison;
	char		 buf[EP_STRLEN];
	size_t		 i;
	int		 r;

	memset(&poison, 0xa5, sizeof(poison));
	for (i = 0; i < nitems(ep_cases); i++) {
		ep = poison;
		r = ep_parse(ep_cases[i].in, ep_cases[i].need_port, &ep);
		if (r != ep_cases[i].ret)
			fail_msg("'%s' need_port %d: got %d, want %d",
			    ep_cases[i].in, ep_cases[i].need_port, r,
			    ep_cases[i].ret);
		if (r != 0) {
			assert_memory_equal(&ep, &poison, sizeof(ep));
			continue;
		}
		assert_int_equal(ep.ep_pad, 0);
		assert_string_equal(ep_fmt(&ep, buf, sizeof(buf)),
		    ep_cases[i].fmt);
	}
}

static void
test_ep_parse_fills_network_order(void **state)
{
	struct ep	 ep;
	struct addr	 a;

	assert_int_equal(ep_parse("192.0.2.1:8080", true, &ep), 0);
	assert_int_equal(ep.ep_addr.a_af, AF_INET);
	assert_int_equal(ep.ep_addr.a.w[0], htonl(0xc0000201));
	assert_int_equal(ep.ep_port, htons(8080));
	addr_set_v4(&a, htonl(0xc0000201));
	assert_true(addr_eq(&a, &ep.ep_addr));
}

static void
test_ep_fmt_when_longest(void **state)
{
	struct ep	 ep;
	char		 buf[EP_STRLEN];
	const char	*s = "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535";

	assert_int_equal(ep_parse(s, true, &ep), 0);
	assert_string_equal(ep_fmt(&ep, buf, sizeof(buf)), s);
}

static const struct {
	const char	*a, *b;
	bool		 eq;
} eq_cases[] = {
	{ "192.0.2.1:80",	"192.0.2.1:80",		true },
	{ "192.0.2.1:80",	"192.0.2.1:81",		false },
	{ "192.0.2.1:80",	"192.0.2.2:80",		false },
	{ "[::1]:80",		"[0::1]:80",		true },
	{ "[::c000:201]:80",	"192.0.2.1:80",		false },	/* af */
};

static void
test_ep_eq_cases(void **state)
{
	struct ep	 a, b;
	size_t		 i;

	for (i = 0; i < nitems(eq_cases); i++) {
		assert_int_equal(ep_parse(eq_cases[i].a, true, &a), 0);
		assert_int_equal(ep_parse(eq_cases[i].b, true, &b), 0);
		assert_int_equal(ep_eq(&a, &b), eq_cases[i].eq);
		assert_true(addr_eq(&a.ep_addr, &a.ep_addr));
	}
}

static const struct {
	const char	*in;
	int		 ret;
} proto_cases[] = {
	{ "tcp",	IPPROTO_TCP },
	{ "udp",	IPPROTO_UDP },
	{ "TCP",	-EPROTONOSUPPORT },
	{ "sctp",	IPPROTO_SCTP },
	{ "SCTP",	-EPROTONOSUPPORT },
	{ "icmp",	-EPROTONOSUPPORT },
	{ "tcp ",	-EPROTONOSUPPORT },
	{ "6",		-EPROTONOSUPPORT },
	{ "",		-EPROTONOSUPPORT },
};

static void
test_proto_parse_cases(void **state)
{
	size_t	 i;

	for (i = 0; i < nitems(proto_cases); i++)
		assert_int_equal(proto_parse(proto_cases[i].in),
		    proto_cases[i].ret);
	assert_string_equal(proto_name(IPPROTO_TCP), "tcp");
	assert_string_equal(proto_name(IPPROTO_SCTP), "sctp");
	assert_string_equal(proto_name(IPPROTO_UDP), "udp");
	assert_string_equal(proto_name(IPPROTO_ICMP), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse_cases),
		cmocka_unit_test(test_ep_parse_cases),
		cmocka_unit_test(test_ep_parse_fills_network_order),
		cmocka_unit_test(test_ep_fmt_when_longest),
		cmocka_unit_test(test_ep_eq_cases),
		cmocka_unit_test(test_proto_parse_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
