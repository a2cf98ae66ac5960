/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Addresses and endpoints (address + port) of both families, their parsing
 * from ipvsadm's spellings ("192.0.2.1:80", "[2001:db8::1]:443") and their
 * formatting.  IPv4 lives in the first word of union inaddr and the other
 * twelve bytes are zero, so that addresses and tuples compare with memcmp.
 * Addresses and ports stay in network byte order.  Pure code, any thread.
 */
#ifndef UVS_ADDR_H
#define UVS_ADDR_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

union inaddr {
	struct in_addr	 v4;
	struct in6_addr	 v6;
	uint32_t	 w[4];
	uint8_t		 b[16];
};

struct addr {
	uint8_t		 a_af;		/* AF_INET or AF_INET6 */
	uint8_t		 a_pad[3];	/* zero */
	union inaddr	 a;
};

struct ep {
	struct addr	 ep_addr;
	uint16_t	 ep_port;	/* network order; 0: none */
	uint16_t	 ep_pad;	/* zero */
};

#define ADDR_STRLEN	48	/* INET6_ADDRSTRLEN + brackets */
#define EP_STRLEN	56	/* "[addr]:65535" */

/* "192.0.2.1", "2001:db8::1" or "[2001:db8::1]". 0 or -EINVAL. */
int	 addr_parse(const char *s, struct addr *ret);
/*
 * "192.0.2.1:80", "[2001:db8::1]:80"; without a port the endpoint gets
 * port 0 unless <need_port>, then -EINVAL.  A port must be 1..65535.
 */
int	 ep_parse(const char *s, bool need_port, struct ep *ret);
/* "192.0.2.1" or "2001:db8::1" into <buf>; returns <buf>. */
char	*addr_fmt(const struct addr *a, char *buf, size_t len);
/* "192.0.2.1:80" or "[2001:db8::1]:80" into <buf>; returns <buf>. */
char	*ep_fmt(const struct ep *ep, char *buf, size_t len);
bool	 addr_eq(const struct addr *a, const struct addr *b);
bool	 ep_eq(const struct ep *a, const struct ep *b);
/* An IPv4 address (network order) as a struct addr. */
void	 addr_set_v4(struct addr *a, uint32_t v4);
/* <a> and <port> (network order) as a sockaddr into <ss>; its length. */
socklen_t addr_sockaddr(const struct addr *a, uint16_t port,
	    struct sockaddr_storage *ss);
/*
 * "tcp" -> IPPROTO_TCP, "udp" -> IPPROTO_UDP, "sctp" -> IPPROTO_SCTP,
 * else -EPROTONOSUPPORT.
 */
int	 proto_parse(const char *s);
/*
 * IPPROTO_TCP -> "tcp", IPPROTO_UDP -> "udp", IPPROTO_SCTP -> "sctp",
 * else "?".
 */
const char *proto_name(int proto);

#endif
