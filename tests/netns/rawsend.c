/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Malformed-frame sender for malformed.sh: writes crafted Ethernet/IPv4
 * frames to a MAC through an AF_PACKET socket, each with exactly one
 * defect, so the receiver's drop counter for that reason must grow by
 * the number sent.  The destination address sits at the usual offset so
 * that uvsd's socket filter lets the frame in.  Single-threaded test
 * helper, compiled by the test script.
 *
 * usage: rawsend IFACE DSTMAC SRCIP DSTIP KIND COUNT
 *   KIND: short bad-ihl bad-length bad-tcp-offset bad-udp-length good-udp
 *         icmp-short icmp-checksum icmp-bad-inner icmp-no-conn
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define ETH_LEN		14
#define IP_LEN		20
#define TCP_LEN		20
#define UDP_LEN		8

static uint16_t
ip_csum(const uint8_t *p, int n)
{
	uint32_t	 s = 0;
	int		 i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* IPv4 header at <ip>: version/IHL byte, total length, protocol. */
static void
ip_hdr(uint8_t *ip, uint8_t verihl, uint16_t totlen, uint8_t proto,
    uint32_t src, uint32_t dst)
{
	memset(ip, 0, IP_LEN);
	ip[0] = verihl;
	put16(ip + 2, totlen);
	put16(ip + 4, 0x1234);
	put16(ip + 6, 0x4000);		/* DF, never a fragment */
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	put16(ip + 10, ip_csum(ip, IP_LEN));
}

static void
tcp_syn(uint8_t *t, uint8_t doff)
{
	memset(t, 0, TCP_LEN);
	put16(t, 40000);
	put16(t + 2, 80);
	put16(t + 4, 0x0102);
	t[12] = doff << 4;
	t[13] = 0x02;			/* SYN */
	put16(t + 14, 64240);
}

/*
 * An ICMP destination unreachable from <src> to <dst> (a VIP) quoting
 * <dst>:80 -> <src>:1000 (TCP; not an ephemeral port a client uses),
 * with one defect: icmp-short quotes only 4 bytes of TCP, icmp-checksum
 * has a wrong ICMP checksum, icmp-bad-inner a quoted IHL of 3,
 * icmp-no-conn none but a connection that does not exist.
 */
static int
build_icmp(uint8_t *f, const char *kind, uint32_t src, uint32_t dst)
{
	uint8_t		*ip = f + ETH_LEN, *ic = ip + IP_LEN, *q = ic + 8;
	int		 qlen = IP_LEN + TCP_LEN;
	uint16_t	 c;

	if (strcmp(kind, "icmp-short") == 0)
		qlen = IP_LEN + 4;
	else if (strcmp(kind, "icmp-checksum") != 0 &&
	    strcmp(kind, "icmp-bad-inner") != 0 &&
	    strcmp(kind, "icmp-no-conn") != 0)
		return -1;
	ip_hdr(ip, 0x45, IP_LEN + 8 + qlen, IPPROTO_ICMP, src, dst);
	memset(ic, 0, 8);
	ic[0] = 3;			/* destination unreachable */
	ic[1] = 1;			/* host unreachable */
	ip_hdr(q, strcmp(kind, "icmp-bad-inner") == 0 ? 0x43 : 0x45,
	    IP_LEN + TCP_LEN, IPPROTO_TCP, dst, src);
	tcp_syn(q + IP_LEN, 5);
	put16(q + IP_LEN, 80);
	put16(q + IP_LEN + 2, 1000);
	c = ip_csum(ic, 8 + qlen);
	put16(ic + 2, strcmp(kind, "icmp-checksum") == 0 ? c ^ 0x5a5a : c);
	return ETH_LEN + IP_LEN + 8 + qlen;
}

/* Build frame <kind> after the Ethernet header; returns its length or -1. */
static int
build(uint8_t *f, const char *kind, uint32_t src, uint32_t dst)
{
	uint8_t		*ip = f + ETH_LEN, *l4 = ip + IP_LEN;

	if (strcmp(kind, "short") == 0) {
		/* A TCP datagram that ends 8 bytes into its TCP header. */
		ip_hdr(ip, 0x45, IP_LEN + 8, IPPROTO_TCP, src, dst);
		tcp_syn(l4, 5);
		return ETH_LEN + IP_LEN + 8;
	}
	if (strcmp(kind, "bad-ihl") == 0) {
		ip_hdr(ip, 0x43, IP_LEN + TCP_LEN, IPPROTO_TCP, src, dst);
		tcp_syn(l4, 5);
		return ETH_LEN + IP_LEN + TCP_LEN;
	}
	if (strcmp(kind, "bad-length") == 0) {
		ip_hdr(ip, 0x45, 1000, IPPROTO_TCP, src, dst);
		tcp_syn(l4, 5);
		return ETH_LEN + IP_LEN + TCP_LEN;
	}
	if (strcmp(kind, "bad-tcp-offset") == 0) {
		ip_hdr(ip, 0x45, IP_LEN + TCP_LEN, IPPROTO_TCP, src, dst);
		tcp_syn(l4, 2);
		return ETH_LEN + IP_LEN + TCP_LEN;
	}
	if (strcmp(kind, "bad-udp-length") == 0 ||
	    strcmp(kind, "good-udp") == 0) {
		ip_hdr(ip, 0x45, IP_LEN + UDP_LEN + 10, IPPROTO_UDP, src, dst);
		memset(l4, 0, UDP_LEN + 10);
		put16(l4, 40000);
		put16(l4 + 2, 9000);
		put16(l4 + 4, kind[0] == 'b' ? 200 : UDP_LEN + 10);
		memset(l4 + UDP_LEN, 'x', 10);	/* checksum 0: none */
		return ETH_LEN + IP_LEN + UDP_LEN + 10;
	}
	if (strncmp(kind, "icmp-", 5) == 0)
		return build_icmp(f, kind, src, dst);
	return -1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_ll	 sll;
	struct ifreq		 ifr;
	uint8_t			 f[256], dmac[6];
	uint32_t		 src, dst;
	int			 fd, len, n, i;

	if (argc != 7 ||
	    sscanf(argv[2], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &dmac[0],
	    &dmac[1], &dmac[2], &dmac[3], &dmac[4], &dmac[5]) != 6 ||
	    inet_pton(AF_INET, argv[3], &src) != 1 ||
	    inet_pton(AF_INET, argv[4], &dst) != 1) {
		fprintf(stderr, "usage: rawsend IFACE DSTMAC SRCIP DSTIP "
		    "KIND COUNT\n");
		return 2;
	}
	n = atoi(argv[6]);
	memset(f, 0, sizeof(f));
	if ((len = build(f, argv[5], src, dst)) < 0) {
		fprintf(stderr, "rawsend: unknown kind '%s'\n", argv[5]);
		return 2;
	}
	if ((fd = socket(AF_PACKET, SOCK_RAW, 0)) < 0) {
		perror("rawsend: socket");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		perror("rawsend: SIOCGIFHWADDR");
		return 1;
	}
	memcpy(f, dmac, 6);
	memcpy(f + 6, ifr.ifr_hwaddr.sa_data, 6);
	put16(f + 12, ETH_P_IP);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dmac, 6);
	for (i = 0; i < n; i++) {
		if (sendto(fd, f, (size_t)len, 0, (struct sockaddr *)&sll,
		    sizeof(sll)) != len) {
			perror("rawsend: sendto");
			return 1;
		}
		usleep(1000);
	}
	close(fd);
	return 0;
}
