/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tundecap: a real server's tunnel decapsulation for the tun tests.
 *
 * This machine's kernel has no ipip, ip6_tunnel, gre or fou modules
 * (shared/notes/this-kernel.md), so a real server cannot decapsulate
 * what uvsd sends it the way an operator's would (ip link add ... type
 * ipip / gre / fou).  This program stands in for that kernel
 * decapsulation and nothing else: it takes the encapsulated frames off
 * the real server's interface with AF_PACKET, checks the outer headers
 * (IPv4 header checksum; the GRE checksum and the GUE/UDP checksum when
 * present), strips them, completes what the sender left to the receiver
 * (a partial inner checksum passed along in the virtio header, or GUE
 * remote checksum offload), and writes the inner IP packet to a TUN
 * device (IFF_TUN | IFF_NO_PI), whose traffic the real server's stack
 * receives as it would from a tunnel device.  The test adds nft rules so
 * that the real server's kernel does not answer the outer packets itself
 * (protocol or port unreachable).
 *
 * usage: tundecap IFACE TUNDEV GUE-PORT STATSFILE
 * On SIGUSR1 it writes its counters to STATSFILE ("name value" lines);
 * on SIGTERM it writes them and exits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
	C_FRAMES, C_IPIP, C_IP6, C_GUE, C_GRE, C_V6OUTER, C_CSUM_OK,
	C_CSUM_BAD, C_CSUM_NONE, C_REMCSUM, C_PARTIAL, C_IPCSUM_BAD,
	C_WRITTEN, C_BAD, C_OUTER_FRAG, C__MAX
};

static const char *const cnames[C__MAX] = {
	"frames", "ipip", "ip6", "gue", "gre", "v6outer", "csum-ok",
	"csum-bad", "csum-none", "remcsum", "partial", "ipcsum-bad",
	"written", "bad", "outer-frag",
};

static unsigned long long	 cnt[C__MAX];
static volatile sig_atomic_t	 want_stats, want_exit;

static void
on_sig(int sig)
{
	if (sig == SIGUSR1)
		want_stats = 1;
	else
		want_exit = 1;
}

static void
write_stats(const char *path)
{
	char	 tmp[4096];
	FILE	*f;
	int	 i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	for (i = 0; i < C__MAX; i++)
		fprintf(f, "%s %llu\n", cnames[i], cnt[i]);
	fclose(f);
	rename(tmp, path);
}

static uint32_t
sum_buf(uint32_t sum, const uint8_t *b, size_t len)
{
	size_t	 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint32_t
pseudo(int v6, const uint8_t *ip, uint8_t proto, uint32_t len)
{
	uint32_t	 s;

	if (v6)
		s = sum_buf(0, ip + 8, 32);
	else
		s = sum_buf(0, ip + 12, 8);
	return s + proto + (len >> 16) + (len & 0xffff);
}

/* Complete the checksum at <b>+<start>, field at +<off>, over to <end>. */
static void
complete(uint8_t *b, size_t start, size_t off, size_t end)
{
	uint16_t	 c;

	if (start >= end || off + 2 > end)
		return;
	/* The field holds the pseudo-header sum: add the rest to it. */
	c = (uint16_t)~fold(sum_buf(0, b + start, end - start));
	b[off] = (uint8_t)(c >> 8);
	b[off + 1] = (uint8_t)c;
}

/* The inner packet of one frame; its length, or 0 to skip. */
static size_t
decap(uint8_t *fr, size_t len, uint16_t gue_port, uint8_t **ret)
{
	struct virtio_net_hdr	*vh = (struct virtio_net_hdr *)fr;
	uint8_t			*eth = fr + sizeof(*vh), *ip, *p, *in;
	size_t			 flen = len - sizeof(*vh), hl, plen, ilen;
	uint16_t		 et, f, cs, co;
	uint8_t			 proto;
	int			 v6;

	if (len < sizeof(*vh) + 14)
		return 0;
	et = (uint16_t)(eth[12] << 8 | eth[13]);
	ip = eth + 14;
	if (et == ETHERTYPE_IP && flen >= 34 && (ip[0] >> 4) == 4) {
		v6 = 0;
		hl = (size_t)(ip[0] & 15) * 4;
		plen = (size_t)(ip[2] << 8 | ip[3]);
		if (hl < 20 || plen < hl || plen > flen - 14)
			return 0;
		proto = ip[9];
		if (proto != 4 && proto != 41 && proto != 47 && proto != 17)
			return 0;
		if (fold(sum_buf(0, ip, hl)) != 0xffff) {
			cnt[C_IPCSUM_BAD]++;
			return 0;
		}
		/* Outer fragments: a kernel would reassemble; not done here. */
		if ((ip[6] & 0x3f) != 0 || ip[7] != 0) {
			cnt[C_OUTER_FRAG]++;
			return 0;
		}
		plen -= hl;
	} else if (et == ETHERTYPE_IPV6 && flen >= 54 && (ip[0] >> 4) == 6) {
		v6 = 1;
		hl = 40;
		plen = (size_t)(ip[4] << 8 | ip[5]);
		if (plen > flen - 54)
			return 0;
		proto = ip[6];
		if (proto != 4 && proto != 41 && proto != 47 && proto != 17)
			return 0;
	} else
		return 0;
	p = ip + hl;
	/* A partial checksum the sender passed on: finish it as a NIC would. */
	if (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		cs = vh->csum_start;
		co = vh->csum_offset;
		cnt[C_PARTIAL]++;
		complete(eth, cs, (size_t)cs + co, 14 + hl + plen);
	}
	switch (proto) {
	case 4:
	case 41:
		in = p;
		ilen = plen;
		break;
	case 47:
		if (plen < 4)
			return 0;
		f = (uint16_t)(p[0] << 8 | p[1]);
		if (f & ~0x8000) {
			cnt[C_BAD]++;	/* key, sequence, version: not ours */
			return 0;
		}
		hl = (f & 0x8000) ? 8 : 4;
		if (plen < hl)
			return 0;
		if (f & 0x8000) {
			if (fold(sum_buf(0, p, plen)) != 0xffff) {
				cnt[C_CSUM_BAD]++;
				return 0;
			}
			cnt[C_CSUM_OK]++;
		} else
			cnt[C_CSUM_NONE]++;
		cnt[C_GRE]++;
		in = p + hl;
		ilen = plen - hl;
		break;
	case 17:
		if (plen < 12 || (uint16_t)(p[2] << 8 | p[3]) != gue_port)
			return 0;
		if ((size_t)(p[4] << 8 | p[5]) != plen) {
			cnt[C_BAD]++;
			return 0;
		}
		if (p[6] == 0 && p[7] == 0)
			cnt[C_CSUM_NONE]++;
		else if (fold(sum_buf(pseudo(v6, ip, 17, (uint32_t)plen), p,
		    plen)) != 0xffff) {
			cnt[C_CSUM_BAD]++;
			return 0;
		} else
			cnt[C_CSUM_OK]++;
		/* GUE version 0, not control; hlen in 32-bit words. */
		if ((p[8] & 0xe0) != 0) {
			cnt[C_BAD]++;
			return 0;
		}
		hl = 8 + 4 + (size_t)(p[8] & 0x1f) * 4;
		if (plen < hl)
			return 0;
		in = p + hl;
		ilen = plen - hl;
		f = (uint16_t)(p[10] << 8 | p[11]);
		if (f & 1) {
			/* Private flags: remote checksum offload. */
			if (hl < 8 + 4 + 8 || !(p[12] & 0x80)) {
				cnt[C_BAD]++;
				return 0;
			}
			cs = (uint16_t)(p[16] << 8 | p[17]);
			co = (uint16_t)(p[18] << 8 | p[19]);
			complete(in, cs, co, ilen);
			cnt[C_REMCSUM]++;
		}
		cnt[C_GUE]++;
		break;
	default:
		return 0;
	}
	if (v6)
		cnt[C_V6OUTER]++;
	if (ilen == 0)
		return 0;
	if ((in[0] >> 4) == 4)
		cnt[C_IPIP]++;
	else if ((in[0] >> 4) == 6)
		cnt[C_IP6]++;
	else {
		cnt[C_BAD]++;
		return 0;
	}
	*ret = in;
	return ilen;
}

static int
tun_open(const char *name)
{
	struct ifreq	 ifr;
	int		 fd, s;

	if ((fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) == -1)
		return -1;
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == -1)
		return -1;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) == -1)
		return -1;
	close(s);
	return fd;
}

int
main(int argc, char **argv)
{
	static uint8_t		 buf[70000];
	struct sockaddr_ll	 sll;
	struct sigaction	 sa;
	struct pollfd		 pfd;
	socklen_t		 sl;
	uint8_t			*in;
	ssize_t			 n;
	size_t			 ilen;
	int			 ps, tfd, one = 1, port;

	if (argc != 5) {
		fprintf(stderr, "usage: tundecap IFACE TUNDEV GUE-PORT "
		    "STATSFILE\n");
		return 2;
	}
	port = atoi(argv[3]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((tfd = tun_open(argv[2])) == -1) {
		perror("tundecap: tun");
		return 1;
	}
	ps = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (ps == -1 || setsockopt(ps, SOL_PACKET, PACKET_VNET_HDR, &one,
	    sizeof(one)) == -1) {
		perror("tundecap: packet socket");
		return 1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (sll.sll_ifindex == 0 ||
	    bind(ps, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		perror("tundecap: bind");
		return 1;
	}
	write_stats(argv[4]);
	pfd.fd = ps;
	pfd.events = POLLIN;
	while (!want_exit) {
		if (want_stats) {
			want_stats = 0;
			write_stats(argv[4]);
		}
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		sl = sizeof(sll);
		n = recvfrom(ps, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&sll, &sl);
		if (n <= 0 || sll.sll_pkttype != PACKET_HOST)
			continue;
		if ((ilen = decap(buf, (size_t)n, (uint16_t)port, &in)) == 0)
			continue;
		cnt[C_FRAMES]++;
		if (write(tfd, in, ilen) == (ssize_t)ilen)
			cnt[C_WRITTEN]++;
	}
	write_stats(argv[4]);
	return 0;
}
