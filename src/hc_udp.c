/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UDP_CHECK: a connected udp socket sends the payload once.  With
 * require_reply the attempt waits for a datagram that hc_udp_reply_ok()
 * accepts (until health.c's timeout).  Without, udp has nothing to wait
 * for but a refusal: the socket is connected, so an ICMP port unreachable
 * comes back as ECONNREFUSED on recv; the attempt passes when none came
 * within a grace of half a second (or half the timeout, if shorter),
 * which a host on the same network answers well within.  A reply that
 * does come passes at once.  Control thread only.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "addr.h"
#include "hc.h"

#define UDP_GRACE	0.5	/* s to wait for an ICMP error */

struct udp_check {
	ev_io		 uk_io;
	ev_timer	 uk_grace;	/* without require_reply */
	struct hc_attempt *uk_a;
	int		 uk_fd;
};

static void
udp_release(struct udp_check *uk)
{
	struct ev_loop	*loop = uk->uk_a->ha_loop;

	ev_io_stop(loop, &uk->uk_io);
	ev_timer_stop(loop, &uk->uk_grace);
	close(uk->uk_fd);
	uk->uk_a->ha_priv = NULL;
	free(uk);
}

static void
udp_done(struct udp_check *uk, int outcome, const char *reason)
{
	struct hc_attempt *a = uk->uk_a;
	char		 buf[128];

	snprintf(buf, sizeof(buf), "%s", reason);
	udp_release(uk);
	hc_attempt_done(a, outcome, 0, buf);
}

static void
udp_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	/* Replies longer than this are judged by their length alone. */
	static uint8_t	 buf[65536];
	struct udp_check *uk = w->data;
	const struct hc_params *p = uk->uk_a->ha_params;
	char		 reason[96];
	ssize_t		 n;

	n = recv(uk->uk_fd, buf, sizeof(buf), MSG_TRUNC);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1 && errno == ECONNREFUSED) {
		udp_done(uk, HC_FAIL, "port unreachable");
		return;
	}
	if (n == -1) {
		snprintf(reason, sizeof(reason), "read: %s", strerror(errno));
		udp_done(uk, HC_FAIL, reason);
		return;
	}
	if (!p->hp_require_reply || hc_udp_reply_ok(p, buf, n)) {
		snprintf(reason, sizeof(reason), "reply of %zd bytes", n);
		udp_done(uk, HC_OK, reason);
		return;
	}
	snprintf(reason, sizeof(reason), "unexpected reply of %zd bytes", n);
	udp_done(uk, HC_FAIL, reason);
}

static void
udp_grace_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	udp_done(w->data, HC_OK, "no port unreachable");
}

static int
udp_start(struct hc_attempt *a)
{
	const struct hc_params *p = a->ha_params;
	struct sockaddr_storage ss;
	struct udp_check *uk;
	socklen_t	 sl;
	double		 grace;
	size_t		 plen;
	int		 r;

	if ((uk = calloc(1, sizeof(*uk))) == NULL)
		return -ENOMEM;
	uk->uk_a = a;
	uk->uk_fd = socket(a->ha_target.ep_addr.a_af,
	    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (uk->uk_fd == -1) {
		r = -errno;
		free(uk);
		return r;
	}
	if (p->hp_bind.a_af != 0) {
		sl = addr_sockaddr(&p->hp_bind, 0, &ss);
		if (bind(uk->uk_fd, (struct sockaddr *)&ss, sl) == -1)
			goto out_errno;
	}
	sl = addr_sockaddr(&a->ha_target.ep_addr, a->ha_target.ep_port, &ss);
	if (connect(uk->uk_fd, (struct sockaddr *)&ss, sl) == -1)
		goto out_errno;
	plen = p->hp_payload_len;
	if (plen > sizeof(p->hp_payload))
		plen = sizeof(p->hp_payload);
	if (send(uk->uk_fd, p->hp_payload, plen, 0) == -1)
		goto out_errno;
	ev_io_init(&uk->uk_io, udp_io_cb, uk->uk_fd, EV_READ);
	uk->uk_io.data = uk;
	ev_io_start(a->ha_loop, &uk->uk_io);
	ev_init(&uk->uk_grace, udp_grace_cb);
	uk->uk_grace.data = uk;
	if (!p->hp_require_reply) {
		grace = UDP_GRACE;
		if (p->hp_timeout > 0 && p->hp_timeout / 2 < grace)
			grace = p->hp_timeout / 2;
		ev_timer_set(&uk->uk_grace, grace, 0.);
		ev_timer_start(a->ha_loop, &uk->uk_grace);
	}
	a->ha_priv = uk;
	return 0;
out_errno:
	r = -errno;
	close(uk->uk_fd);
	free(uk);
	return r;
}

static void
udp_cancel(struct hc_attempt *a)
{
	if (a->ha_priv != NULL)
		udp_release(a->ha_priv);
}

const struct hc_ops hc_udp = {
	.name = "udp",
	.start = udp_start,
	.cancel = udp_cancel,
};
