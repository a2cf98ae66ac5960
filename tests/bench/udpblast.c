/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UDP load generator for bench.sh: 64-byte frames on the wire (60 bytes
 * handed to the device: Ethernet, IPv4, UDP, 18 bytes of payload, UDP
 * checksum 0) written through a TPACKET_V2 TX ring with
 * PACKET_QDISC_BYPASS, so one send() kicks out a whole batch.  Source
 * ports cycle over <flows> values so that a balancer sees that many
 * flows.  Optional rate limit in packets per second.  Single-threaded;
 * prints one result line: "udpblast: sent N pkts in S s = R pps".
 *
 * usage: udpblast -i IFACE -d DSTMAC -s SRCIP -D DSTIP [-p DPORT]
 *                 [-t SECONDS] [-r PPS] [-f FLOWS]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME_LEN	60
#define SLOT_SIZE	128		/* TX ring frame slot */
#define SLOT_NR		(1U << 15)
#define BLOCK_SIZE	(1U << 16)
#define BATCH		256

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

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

static void
usage(void)
{
	fprintf(stderr, "usage: udpblast -i IFACE -d DSTMAC -s SRCIP -D DSTIP "
	    "[-p DPORT] [-t SECONDS] [-r PPS] [-f FLOWS]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct tpacket_req	 req;
	struct sockaddr_ll	 sll;
	struct ifreq		 ifr;
	struct pollfd		 pfd;
	struct tpacket2_hdr	*h;
	const char		*dev = NULL;
	uint8_t			 dmac[6], *ring, *f, *ip, *udp;
	uint32_t		 sip = 0, dip = 0, head = 0, i, n;
	unsigned long		 queued = 0, pending = 0, errs = 0;
	double			 secs = 3, rate = 0, t0, t, el;
	int			 fd, c, one = 1, v2 = TPACKET_V2;
	int			 sndbuf = 32 << 20, dport = 9, flows = 256, dm = 0;
	unsigned		 off;

	while ((c = getopt(argc, argv, "i:d:s:D:p:t:r:f:")) != -1) {
		switch (c) {
		case 'i':
			dev = optarg;
			break;
		case 'd':
			dm = sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
			    &dmac[0], &dmac[1], &dmac[2], &dmac[3], &dmac[4],
			    &dmac[5]) == 6;
			break;
		case 's':
			if (inet_pton(AF_INET, optarg, &sip) != 1)
				usage();
			break;
		case 'D':
			if (inet_pton(AF_INET, optarg, &dip) != 1)
				usage();
			break;
		case 'p':
			dport = atoi(optarg);
			break;
		case 't':
			secs = atof(optarg);
			break;
		case 'r':
			rate = atof(optarg);
			break;
		case 'f':
			flows = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (dev == NULL || !dm || sip == 0 || dip == 0 || flows < 1)
		usage();

	if ((fd = socket(AF_PACKET, SOCK_RAW, 0)) < 0) {
		perror("udpblast: socket");
		return 1;
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v2, sizeof(v2)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
	    sizeof(one)) < 0) {
		perror("udpblast: setsockopt");
		return 1;
	}
	/* Our socket only; no global sysctl is changed. */
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
	    sizeof(sndbuf));
	memset(&req, 0, sizeof(req));
	req.tp_block_size = BLOCK_SIZE;
	req.tp_frame_size = SLOT_SIZE;
	req.tp_frame_nr = SLOT_NR;
	req.tp_block_nr = SLOT_NR * SLOT_SIZE / BLOCK_SIZE;
	if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0) {
		perror("udpblast: PACKET_TX_RING");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		perror("udpblast: SIOCGIFHWADDR");
		return 1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)if_nametoindex(dev);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("udpblast: bind");
		return 1;
	}
	ring = mmap(NULL, (size_t)SLOT_SIZE * SLOT_NR, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_POPULATE, fd, 0);
	if (ring == MAP_FAILED) {
		perror("udpblast: mmap");
		return 1;
	}

	/* Every slot gets its frame once; sending only flips the status. */
	off = TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
	for (i = 0; i < SLOT_NR; i++) {
		h = (struct tpacket2_hdr *)(ring + (size_t)i * SLOT_SIZE);
		f = (uint8_t *)h + off;
		memcpy(f, dmac, 6);
		memcpy(f + 6, ifr.ifr_hwaddr.sa_data, 6);
		put16(f + 12, ETH_P_IP);
		ip = f + 14;
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, FRAME_LEN - 14);
		ip[8] = 64;
		ip[9] = IPPROTO_UDP;
		memcpy(ip + 12, &sip, 4);
		memcpy(ip + 16, &dip, 4);
		put16(ip + 10, ip_csum(ip, 20));
		udp = ip + 20;
		put16(udp, 10000 + i % (uint32_t)flows);
		put16(udp + 2, (uint16_t)dport);
		put16(udp + 4, FRAME_LEN - 14 - 20);
		put16(udp + 6, 0);
		memset(udp + 8, 'u', FRAME_LEN - 14 - 20 - 8);
		h->tp_len = FRAME_LEN;
	}

	pfd.fd = fd;
	pfd.events = POLLOUT;
	t0 = now();
	while ((t = now()) < t0 + secs) {
		if (rate > 0 && queued > (t - t0) * rate) {
			struct timespec	 ts = { 0, 20000 };

			nanosleep(&ts, NULL);
			continue;
		}
		for (n = 0; n < BATCH; n++) {
			h = (struct tpacket2_hdr *)(ring +
			    (size_t)head * SLOT_SIZE);
			if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) !=
			    TP_STATUS_AVAILABLE)
				break;
			h->tp_len = FRAME_LEN;
			__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST,
			    __ATOMIC_RELEASE);
			head = (head + 1) % SLOT_NR;
		}
		queued += n;
		if (send(fd, NULL, 0, MSG_DONTWAIT) < 0 && errno != EAGAIN)
			errs++;
		if (n == 0)
			(void)poll(&pfd, 1, 1);
	}
	for (i = 0; i < 100; i++)
		if (send(fd, NULL, 0, MSG_DONTWAIT) <= 0)
			break;
	for (i = 0; i < SLOT_NR; i++) {
		h = (struct tpacket2_hdr *)(ring + (size_t)i * SLOT_SIZE);
		if (h->tp_status & (TP_STATUS_SEND_REQUEST |
		    TP_STATUS_SENDING))
			pending++;
	}
	el = now() - t0;
	printf("udpblast: sent %lu pkts in %.2f s = %.0f pps (send errors %lu)\n",
	    queued - pending, el, (queued - pending) / el, errs);
	return 0;
}
