/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Address parsing and formatting (addr.h).  Pure code, any thread.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "util.h"

int
addr_parse(const char *s, struct addr *ret)
{
	struct addr	 a;
	char		 buf[ADDR_STRLEN];
	size_t		 n = strlen(s);

	memset(&a, 0, sizeof(a));
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		if (n - 2 >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s + 1, n - 2);
		buf[n - 2] = '\0';
		if (inet_pton(AF_INET6, buf, &a.a.v6) != 1)
			return -EINVAL;
		a.a_af = AF_INET6;
	} else if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, &a.a.v6) != 1)
			return -EINVAL;
		a.a_af = AF_INET6;
	} else {
		if (inet_pton(AF_INET, s, &a.a.v4) != 1)
			return -EINVAL;
		a.a_af = AF_INET;
	}
	*ret = a;
	return 0;
}

int
ep_parse(const char *s, bool need_port, struct ep *ret)
{
	struct ep	 ep;
	char		 buf[EP_STRLEN];
	const char	*port = NULL, *close;
	unsigned long	 p;
	size_t		 alen;

	memset(&ep, 0, sizeof(ep));
	if (strlen(s) >= sizeof(buf) || *s == '\0')
		return -EINVAL;
	if (s[0] == '[') {
		if ((close = strchr(s, ']')) == NULL)
			return -EINVAL;
		alen = close - s + 1;
		if (close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0')
			return -EINVAL;
	} else {
		const char *colon = strchr(s, ':');

		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			return -EINVAL;	/* bare IPv6 needs brackets with a port */
		alen = colon ? (size_t)(colon - s) : strlen(s);
		if (colon != NULL)
			port = colon + 1;
	}
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (addr_parse(buf, &ep.ep_addr) != 0)
		return -EINVAL;
	if (port != NULL) {
		if (parse_uint(port, 0, 65535, &p) != 0)
			return -EINVAL;
		ep.ep_port = htons((uint16_t)p);
	} else if (need_port)
		return -EINVAL;
	*ret = ep;
	return 0;
}

char *
addr_fmt(const struct addr *a, char *buf, size_t len)
{
	if (inet_ntop(a->a_af == AF_INET6 ? AF_INET6 : AF_INET, &a->a, buf,
	    (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

char *
ep_fmt(const struct ep *ep, char *buf, size_t len)
{
	char	 a[ADDR_STRLEN];

	addr_fmt(&ep->ep_addr, a, sizeof(a));
	if (ep->ep_addr.a_af == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, ntohs(ep->ep_port));
	else
		snprintf(buf, len, "%s:%u", a, ntohs(ep->ep_port));
	return buf;
}

bool
addr_eq(const struct addr *a, const struct addr *b)
{
	return a->a_af == b->a_af && memcmp(&a->a, &b->a, sizeof(a->a)) == 0;
}

bool
ep_eq(const struct ep *a, const struct ep *b)
{
	return addr_eq(&a->ep_addr, &b->ep_addr) && a->ep_port == b->ep_port;
}

socklen_t
addr_sockaddr(const struct addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->a_af == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = a->a.v6;
		sin6->sin6_port = port;
		return sizeof(*sin6);
	}
	sin->sin_family = AF_INET;
	sin->sin_addr = a->a.v4;
	sin->sin_port = port;
	return sizeof(*sin);
}

void
addr_set_v4(struct addr *a, uint32_t v4)
{
	memset(a, 0, sizeof(*a));
	a->a_af = AF_INET;
	a->a.w[0] = v4;
}

int
proto_parse(const char *s)
{
	if (strcmp(s, "tcp") == 0)
		return IPPROTO_TCP;
	if (strcmp(s, "udp") == 0)
		return IPPROTO_UDP;
	if (strcmp(s, "sctp") == 0)
		return IPPROTO_SCTP;
	return -EPROTONOSUPPORT;
}

const char *
proto_name(int proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_SCTP:
		return "sctp";
	default:
		return "?";
	}
}
