/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AF_PACKET rings (ring.h).  The facts behind every option are measured
 * in shared/notes/afpacket.md; the section numbers below refer to it.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "daemon.h"
#include "iface.h"
#include "ring.h"

/* Bookworm's 6.1 uapi headers lack these (§8.21). */
#ifndef PACKET_FANOUT_FLAG_IGNORE_OUTGOING
#define PACKET_FANOUT_FLAG_IGNORE_OUTGOING	0x4000
#endif
#ifndef TP_STATUS_GSO_TCP
#define TP_STATUS_GSO_TCP	(1 << 8)
#endif

static int
ring_sockopt(int fd, int name, int val)
{
	if (setsockopt(fd, SOL_PACKET, name, &val, sizeof(val)) == -1)
		return -errno;
	return 0;
}

static int
ring_tx_setup(struct ring *r, const struct ring_opts *o, size_t *ret_len)
{
	struct tpacket_req3	 req;

	/*
	 * The TX ring shares the socket, and so the version, with the RX
	 * ring: a V3 socket takes fixed-size frames here (§2.1: V3 TX costs
	 * the same as V2).  Frames too big for a slot go by sendmsg().
	 */
	r->r_tx_frame_size = 2048;
	r->r_tx_nr = o->ro_tx_frames ? o->ro_tx_frames : 4096;
	memset(&req, 0, sizeof(req));
	req.tp_block_size = 1 << 16;
	req.tp_frame_size = r->r_tx_frame_size;
	req.tp_frame_nr = r->r_tx_nr;
	req.tp_block_nr = r->r_tx_nr * r->r_tx_frame_size / req.tp_block_size;
	if (setsockopt(r->r_fd, SOL_PACKET, PACKET_TX_RING, &req,
	    sizeof(req)) == -1)
		return -errno;
	*ret_len = (size_t)req.tp_block_size * req.tp_block_nr;
	/*
	 * A socket with a TX ring sends only from it, whatever send() is
	 * given; GSO frames (up to 64 KiB) would need huge slots, so they
	 * take a second socket.  Protocol 0: it registers no receive hook.
	 */
	r->r_fd_big = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (r->r_fd_big == -1 || ring_sockopt(r->r_fd_big, PACKET_VNET_HDR, 1))
		return -errno;
	return 0;
}

int
ring_open(struct ring *r, const struct iface *ifc, uint16_t group,
    const struct ring_opts *o)
{
	struct tpacket_req3	 req;
	struct sockaddr_ll	 sll;
	size_t			 rxlen, txlen = 0;
	uint32_t		 fanout;
	int			 fd, rc;

	memset(r, 0, sizeof(*r));
	r->r_fd = r->r_fd_big = -1;
	r->r_tx_mode = o->ro_tx_mode;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd == -1)
		return -errno;
	r->r_fd = fd;
	/* All of these before the ring, or the kernel says EBUSY (§1.1). */
	if ((rc = ring_sockopt(fd, PACKET_VERSION, TPACKET_V3)) != 0 ||
	    (rc = ring_sockopt(fd, PACKET_VNET_HDR, 1)) != 0 ||
	    (rc = ring_sockopt(fd, PACKET_LOSS, 1)) != 0 ||
	    (rc = ring_sockopt(fd, PACKET_RESERVE, RING_RESERVE)) != 0)
		goto out_close;
	if (o->ro_qdisc_bypass)
		(void)ring_sockopt(fd, PACKET_QDISC_BYPASS, 1);
	if (o->ro_sndbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE,
	    &o->ro_sndbuf, sizeof(o->ro_sndbuf)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &o->ro_sndbuf,
		    sizeof(o->ro_sndbuf));

	memset(&req, 0, sizeof(req));
	req.tp_block_size = o->ro_block_size;
	req.tp_block_nr = o->ro_block_nr;
	req.tp_frame_size = 2048;
	req.tp_frame_nr = o->ro_block_size / 2048 * o->ro_block_nr;
	req.tp_retire_blk_tov = o->ro_tov_ms;
	if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) == -1) {
		rc = -errno;
		goto out_close;
	}
	r->r_block_size = o->ro_block_size;
	r->r_block_nr = o->ro_block_nr;
	rxlen = (size_t)o->ro_block_size * o->ro_block_nr;
	if (o->ro_tx_mode == TX_RING && (rc = ring_tx_setup(r, o, &txlen)) != 0)
		goto out_close;
	r->r_map = mmap(NULL, rxlen + txlen, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_POPULATE, fd, 0);
	if (r->r_map == MAP_FAILED) {
		rc = -errno;
		r->r_map = NULL;
		goto out_close;
	}
	r->r_maplen = rxlen + txlen;
	if (txlen)
		r->r_tx = r->r_map + rxlen;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifc->if_index;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		rc = -errno;
		goto out_close;
	}
	sll.sll_protocol = 0;
	if (r->r_fd_big != -1 && bind(r->r_fd_big, (struct sockaddr *)&sll,
	    sizeof(sll)) == -1) {
		rc = -errno;
		goto out_close;
	}
	/*
	 * IGNORE_OUTGOING must be a fanout flag: the socket option does
	 * nothing for fanout members (§0.1, §2.4).  No ROLLOVER: it breaks
	 * flow affinity under load (§3.1).
	 */
	fanout = group | ((uint32_t)(PACKET_FANOUT_HASH |
	    PACKET_FANOUT_FLAG_DEFRAG | PACKET_FANOUT_FLAG_IGNORE_OUTGOING) << 16);
	if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &fanout,
	    sizeof(fanout)) == -1) {
		rc = -errno;
		goto out_close;
	}
	if (o->ro_tx_mode == TX_MMSG) {
		r->r_mm = calloc(RING_TX_BATCH, sizeof(*r->r_mm));
		r->r_iov = calloc(RING_TX_BATCH, sizeof(*r->r_iov));
		if (r->r_mm == NULL || r->r_iov == NULL) {
			rc = -ENOMEM;
			goto out_close;
		}
	}
	return 0;
out_close:
	ring_close(r);
	return rc;
}

void
ring_close(struct ring *r)
{
	if (r->r_map != NULL)
		munmap(r->r_map, r->r_maplen);
	if (r->r_fd != -1)
		close(r->r_fd);
	if (r->r_fd_big != -1)
		close(r->r_fd_big);
	free(r->r_mm);
	free(r->r_iov);
	memset(r, 0, sizeof(*r));
	r->r_fd = r->r_fd_big = -1;
}

int
ring_set_filter(struct ring *r, const struct sock_fprog *prog)
{
	/* Replacing is atomic per socket; never detach first (§6.2). */
	if (setsockopt(r->r_fd, SOL_SOCKET, SO_ATTACH_FILTER, prog,
	    sizeof(*prog)) == -1)
		return -errno;
	return 0;
}

struct tpacket_block_desc *
ring_block(struct ring *r)
{
	struct tpacket_block_desc *bd;

	bd = (struct tpacket_block_desc *)(r->r_map +
	    (size_t)r->r_cur * r->r_block_size);
	/* Acquire pairs with the kernel's smp_wmb() before the status (§1.3). */
	if (__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
	    TP_STATUS_USER)
		return bd;
	return NULL;
}

void
ring_block_done(struct ring *r)
{
	struct tpacket_block_desc *bd;

	bd = (struct tpacket_block_desc *)(r->r_map +
	    (size_t)r->r_cur * r->r_block_size);
	__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL,
	    __ATOMIC_RELEASE);
	r->r_cur = (r->r_cur + 1) % r->r_block_nr;
}

bool
ring_tx_add(struct ring *r, uint8_t *buf, uint32_t len)
{
	struct tpacket3_hdr	*th;
	uint8_t			*fr;
	unsigned		 off;

	if (r->r_tx_mode == TX_MMSG) {
		if (r->r_nmm == RING_TX_BATCH)
			return false;
		r->r_iov[r->r_nmm].iov_base = buf;
		r->r_iov[r->r_nmm].iov_len = len;
		memset(&r->r_mm[r->r_nmm], 0, sizeof(r->r_mm[0]));
		r->r_mm[r->r_nmm].msg_hdr.msg_iov = &r->r_iov[r->r_nmm];
		r->r_mm[r->r_nmm].msg_hdr.msg_iovlen = 1;
		r->r_nmm++;
		return true;
	}
	/* TX ring: data starts after the V3 header minus sockaddr_ll (§2.1). */
	off = TPACKET3_HDRLEN - sizeof(struct sockaddr_ll);
	fr = r->r_tx + (size_t)r->r_tx_head * r->r_tx_frame_size;
	th = (struct tpacket3_hdr *)fr;
	if (len > r->r_tx_frame_size - off)
		/* A GSO frame: one call for many segments, off the ring. */
		return send(r->r_fd_big, buf, len, MSG_DONTWAIT) ==
		    (ssize_t)len;
	if (__atomic_load_n(&th->tp_status, __ATOMIC_ACQUIRE) !=
	    TP_STATUS_AVAILABLE)
		return false;
	memcpy(fr + off, buf, len);
	th->tp_len = len;
	th->tp_snaplen = len;
	th->tp_next_offset = 0;
	__atomic_store_n(&th->tp_status, TP_STATUS_SEND_REQUEST,
	    __ATOMIC_RELEASE);
	r->r_tx_head = (r->r_tx_head + 1) % r->r_tx_nr;
	r->r_tx_pending++;
	return true;
}

unsigned
ring_tx_flush(struct ring *r, uint64_t *ret_calls)
{
	unsigned	 done = 0, failed = 0;
	int		 n;

	if (r->r_tx_mode == TX_RING) {
		if (r->r_tx_pending == 0)
			return 0;
		/* Errors are per frame; PACKET_LOSS skips bad ones (§2.1). */
		(void)send(r->r_fd, NULL, 0, MSG_DONTWAIT);
		(*ret_calls)++;
		r->r_tx_pending = 0;
		return 0;
	}
	while (done < r->r_nmm) {
		n = sendmmsg(r->r_fd, r->r_mm + done, r->r_nmm - done,
		    MSG_DONTWAIT);
		(*ret_calls)++;
		if (n <= 0) {
			/* Skip the frame the kernel refused, send the rest. */
			done++;
			failed++;
			continue;
		}
		done += (unsigned)n;
	}
	r->r_nmm = 0;
	return failed;
}

int
ring_stats(struct ring *r, uint64_t *ret_drops, uint64_t *ret_freezes)
{
	struct tpacket_stats_v3	 st;
	socklen_t		 len = sizeof(st);

	if (getsockopt(r->r_fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == -1)
		return -errno;
	*ret_drops = st.tp_drops;
	*ret_freezes = st.tp_freeze_q_cnt;
	return 0;
}
