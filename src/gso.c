/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Software TCP segmentation (gso.h), after the kernel's tcp_gso_segment()
 * and inet_gso_segment()/ipv6_gso_segment().  Workers; no allocation.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "gso.h"
#include "pkt.h"
#include "ring.h"
#include "stats.h"
#include "worker.h"

#define TCPF_PSH	0x08
#define TCPF_CWR	0x80
#define ETH_LEN		14

uint32_t
csum_pseudo(int af, const void *src, const void *dst, uint8_t proto,
    uint32_t len)
{
	uint8_t		 ph[40];
	size_t		 alen = af == AF_INET ? 4 : 16;
	uint32_t	 nlen = htonl(len);

	memcpy(ph, src, alen);
	memcpy(ph + alen, dst, alen);
	memcpy(ph + 2 * alen, &nlen, 4);
	ph[2 * alen + 4] = ph[2 * alen + 5] = ph[2 * alen + 6] = 0;
	ph[2 * alen + 7] = proto;
	return csum_add_buf(0, ph, 2 * alen + 8);
}

/* The lengths of <p>'s headers: IP, TCP, all from Ethernet. */
static int
gso_hdrs(const struct pkt *p, uint32_t *ret_iphl, uint32_t *ret_thl,
    uint32_t *ret_payload)
{
	const uint8_t	*tcp = p->p_l2 + p->p_l4off;
	uint32_t	 iphl = p->p_l4off - p->p_l3off, thl;

	if (p->p_vnet == NULL || p->p_vnet->vh_gso_size == 0 ||
	    p->p_l3off != ETH_LEN)
		return DROP_GSO_BAD;
	if (p->p_tuple.t_proto == IPPROTO_UDP &&
	    (p->p_vnet->vh_gso_type & ~VNET_GSO_ECN) == VNET_GSO_UDP_L4)
		thl = 8;	/* UDP_SEGMENT: datagrams of gso_size */
	else if (p->p_tuple.t_proto == IPPROTO_TCP)
		thl = (uint32_t)(tcp[12] >> 4) * 4;
	else
		return DROP_GSO_BAD;
	if (p->p_l3len < iphl + thl)
		return DROP_GSO_BAD;
	*ret_iphl = iphl;
	*ret_thl = thl;
	*ret_payload = p->p_l3len - iphl - thl;
	return DROP_NONE;
}

int
gso_plan(const struct pkt *p, uint32_t *ret_nseg, uint32_t *ret_seglen)
{
	uint32_t	 iphl, thl, payload, mss;
	int		 r;

	if ((r = gso_hdrs(p, &iphl, &thl, &payload)) != DROP_NONE)
		return r;
	mss = p->p_vnet->vh_gso_size;
	*ret_nseg = payload == 0 ? 1 : (payload + mss - 1) / mss;
	*ret_seglen = iphl + thl + (payload < mss ? payload : mss);
	return DROP_NONE;
}

uint32_t
gso_build(const struct pkt *p, uint32_t i, uint8_t *buf, bool partial)
{
	const uint8_t	*tcp0 = p->p_l2 + p->p_l4off;
	struct vnet_hdr	*vh = (struct vnet_hdr *)buf;
	uint8_t		*eth = buf + RING_VNET_LEN, *ip, *tcp;
	uint32_t	 iphl, thl, payload, mss, nseg, off, len, seq, sum, co;
	uint16_t	 v16, csum;
	bool		 last;

	if (gso_hdrs(p, &iphl, &thl, &payload) != DROP_NONE)
		return 0;
	mss = p->p_vnet->vh_gso_size;
	nseg = payload == 0 ? 1 : (payload + mss - 1) / mss;
	if (i >= nseg)
		return 0;
	off = i * mss;
	len = payload - off < mss ? payload - off : mss;
	last = i == nseg - 1;

	memcpy(eth, p->p_l2, ETH_LEN + iphl + thl);
	memcpy(eth + ETH_LEN + iphl + thl, tcp0 + thl + off, len);
	ip = eth + ETH_LEN;
	tcp = ip + iphl;
	if (p->p_tuple.t_af == AF_INET) {
		v16 = htons((uint16_t)(iphl + thl + len));
		memcpy(ip + 2, &v16, 2);
		memcpy(&v16, ip + 4, 2);
		v16 = htons((uint16_t)(ntohs(v16) + i));
		memcpy(ip + 4, &v16, 2);
		ip[10] = ip[11] = 0;
		csum = csum_fold(csum_add_buf(0, ip, iphl));
		memcpy(ip + 10, &csum, 2);
	} else {
		v16 = htons((uint16_t)(iphl - 40 + thl + len));
		memcpy(ip + 4, &v16, 2);
	}
	if (p->p_tuple.t_proto == IPPROTO_UDP) {
		/* __udp_gso_segment(): each its own datagram. */
		v16 = htons((uint16_t)(thl + len));
		memcpy(tcp + 4, &v16, 2);
		co = 6;
	} else {
		memcpy(&seq, tcp + 4, 4);
		seq = htonl(ntohl(seq) + off);
		memcpy(tcp + 4, &seq, 4);
		if (!last)
			tcp[13] &= (uint8_t)~(TCPF_FIN | TCPF_PSH);
		if (i != 0)
			tcp[13] &= (uint8_t)~TCPF_CWR;
		co = 16;
	}
	tcp[co] = tcp[co + 1] = 0;
	sum = csum_pseudo(p->p_tuple.t_af, &p->p_tuple.t_src,
	    &p->p_tuple.t_dst, p->p_tuple.t_proto, thl + len);
	memset(vh, 0, sizeof(*vh));
	if (partial) {
		/* The device sums from csum_start: the field holds ~pseudo. */
		csum = (uint16_t)~csum_fold(sum);
		memcpy(tcp + co, &csum, 2);
		vh->vh_flags = VNET_F_NEEDS_CSUM;
		vh->vh_csum_start = (uint16_t)(ETH_LEN + iphl);
		vh->vh_csum_offset = (uint16_t)co;
	} else {
		csum = csum_fold(csum_add_buf(sum, tcp, thl + len));
		/* A UDP checksum of 0 goes as 0xffff (RFC 768). */
		if (csum == 0 && p->p_tuple.t_proto == IPPROTO_UDP)
			csum = 0xffff;
		memcpy(tcp + co, &csum, 2);
	}
	return RING_VNET_LEN + ETH_LEN + iphl + thl + len;
}

int
gso_segment(struct worker *w, const struct pkt *p, uint32_t room,
    bool partial, int (*emit)(struct worker *w, uint8_t *buf, uint32_t len,
    void *arg), void *arg)
{
	uint32_t	 nseg, seglen, i, len;
	uint8_t		*buf;
	int		 r;

	if ((r = gso_plan(p, &nseg, &seglen)) != DROP_NONE)
		return r;
	for (i = 0; i < nseg; i++) {
		buf = worker_scratch(w, room + RING_VNET_LEN + ETH_LEN + seglen);
		if (buf == NULL)
			return DROP_GSO_BAD;
		if ((len = gso_build(p, i, buf + room, partial)) == 0)
			return DROP_GSO_BAD;
		if ((r = emit(w, buf + room, len, arg)) != DROP_NONE)
			return r;
	}
	return DROP_NONE;
}
