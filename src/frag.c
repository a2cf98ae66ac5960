/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPv4 fragmentation (frag.h).  Every fragment gets the datagram's
 * header; those after the first have the options not marked "copied"
 * turned into NOPs, as Linux's ip_options_fragment() does, so the
 * header keeps its length and every fragment but the last carries the
 * same number of payload bytes.  The header checksum is computed anew
 * for each.  Workers; pure code.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "bytes.h"
#include "frag.h"
#include "pkt.h"
#include "stats.h"

#define ETH_HLEN	14
#define ETH_P_IPV4	0x0800
#define IP4_HLEN	20
#define IP4_DF		0x4000
#define IP4_MF		0x2000
#define IP4_OFFMASK	0x1fff
#define IPOPT_END	0
#define IPOPT_NOP	1
#define IPOPT_COPIED	0x80

/* Sum the L4 part the device would have summed, store it complete. */
static int
csum_complete(uint8_t *frame, uint32_t l4off, uint32_t end,
    const struct vnet_hdr *vh, uint8_t proto)
{
	uint32_t	 start = vh->vh_csum_start, off = vh->vh_csum_offset;
	uint16_t	 v;

	if (start < l4off || start >= end || off > end - start ||
	    end - start - off < 2)
		return DROP_BAD_LEN;
	v = csum_fold(csum_add_buf(0, frame + start, end - start));
	/* RFC 768: a computed 0 is sent as all ones, 0 means "none". */
	if (v == 0 && proto == IPPROTO_UDP)
		v = 0xffff;
	st16(frame + start + off, v);
	return DROP_NONE;
}

int
frag_start(struct frag *f, uint8_t *frame, uint32_t len, struct vnet_hdr *vh,
    uint32_t mtu)
{
	uint8_t		*ip = frame + ETH_HLEN;
	uint32_t	 hlen, tot;
	int		 r;

	if (len < ETH_HLEN + IP4_HLEN ||
	    ntohs(ld16(frame + 12)) != ETH_P_IPV4 || ip[0] >> 4 != 4)
		return DROP_TOO_BIG;
	hlen = (uint32_t)(ip[0] & 0x0f) * 4;
	tot = ntohs(ld16(ip + 2));
	if (hlen < IP4_HLEN || tot <= hlen || tot > len - ETH_HLEN)
		return DROP_BAD_LEN;
	f->f_frag = ntohs(ld16(ip + 6));
	if ((f->f_frag & IP4_DF) || mtu < hlen + 8)
		return DROP_TOO_BIG;
	if (vh != NULL && (vh->vh_flags & VNET_F_NEEDS_CSUM) &&
	    (r = csum_complete(frame, ETH_HLEN + hlen, ETH_HLEN + tot, vh,
	    ip[9])) != DROP_NONE)
		return r;
	f->f_frame = frame;
	f->f_hlen = hlen;
	f->f_plen = tot - hlen;
	f->f_chunk = (mtu - hlen) & ~7U;
	f->f_done = 0;
	return DROP_NONE;
}

uint32_t
frag_total(const struct frag *f)
{
	uint32_t	 n = (f->f_plen + f->f_chunk - 1) / f->f_chunk;

	return n * ((uint32_t)sizeof(struct vnet_hdr) + ETH_HLEN + f->f_hlen) +
	    f->f_plen;
}

/* The options of a non-first fragment: only "copied" ones stay. */
static void
options_fragment(uint8_t *ip, uint32_t hlen)
{
	uint32_t	 i = IP4_HLEN, olen;

	while (i < hlen) {
		if (ip[i] == IPOPT_END)
			return;
		if (ip[i] == IPOPT_NOP) {
			i++;
			continue;
		}
		if (hlen - i < 2 || (olen = ip[i + 1]) < 2 || olen > hlen - i)
			return;		/* malformed: the rest stays */
		if (!(ip[i] & IPOPT_COPIED))
			memset(ip + i, IPOPT_NOP, olen);
		i += olen;
	}
}

uint32_t
frag_next(struct frag *f, uint8_t *out)
{
	uint8_t		*eth = out + sizeof(struct vnet_hdr), *ip;
	uint32_t	 n, hl = f->f_hlen;
	uint16_t	 fo;

	if (f->f_done >= f->f_plen)
		return 0;
	n = f->f_plen - f->f_done;
	if (n > f->f_chunk)
		n = f->f_chunk;
	memset(out, 0, sizeof(struct vnet_hdr));
	memcpy(eth, f->f_frame, ETH_HLEN + hl);
	ip = eth + ETH_HLEN;
	memcpy(ip + hl, f->f_frame + ETH_HLEN + hl + f->f_done, n);
	if (f->f_done > 0)
		options_fragment(ip, hl);
	st16(ip + 2, htons((uint16_t)(hl + n)));
	/* A datagram that was itself a fragment keeps its place and MF. */
	fo = (uint16_t)((f->f_frag & (IP4_MF | IP4_OFFMASK)) + f->f_done / 8);
	if (f->f_done + n < f->f_plen)
		fo |= IP4_MF;
	st16(ip + 6, htons(fo));
	st16(ip + 10, 0);
	st16(ip + 10, csum_fold(csum_add_buf(0, ip, hl)));
	f->f_done += n;
	return (uint32_t)sizeof(struct vnet_hdr) + ETH_HLEN + hl + n;
}
