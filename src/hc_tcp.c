/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP_CHECK (hc.h): a non-blocking connect to the target, from hp_bind
 * if set; the socket turning writable ends the attempt and SO_ERROR says
 * how.  The socket is closed with a reset (SO_LINGER 0): thousands of
 * checks a second would otherwise fill the port range with TIME_WAIT.
 * Control thread only.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <ev.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "hc.h"

struct tcp_check {
	ev_io		 tc_io;
	struct hc_attempt *tc_a;
};

static void
tcp_close(struct ev_loop *loop, struct tcp_check *tc)
{
	struct linger	 lg = { .l_onoff = 1, .l_linger = 0 };

	ev_io_stop(loop, &tc->tc_io);
	(void)setsockopt(tc->tc_io.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(tc->tc_io.fd);
	tc->tc_a->ha_priv = NULL;
	free(tc);
}

static void
tcp_on_write(struct ev_loop *loop, ev_io *io, int revents)
{
	struct tcp_check	*tc = io->data;
	struct hc_attempt	*a = tc->tc_a;
	socklen_t		 len = sizeof(int);
	char			 reason[96];
	int			 e = 0;

	(void)revents;
	if (getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	tcp_close(loop, tc);
	if (e == 0) {
		hc_attempt_done(a, HC_OK, 0, "connect succeeded");
		return;
	}
	snprintf(reason, sizeof(reason), "connect: %s", strerror(e));
	hc_attempt_done(a, HC_FAIL, 0, reason);
}

static int
tcp_start(struct hc_attempt *a)
{
	const struct hc_params	*p = a->ha_params;
	struct sockaddr_storage	 ss;
	struct tcp_check	*tc;
	socklen_t		 sl;
	int			 fd, r;

	fd = socket(a->ha_target.ep_addr.a_af == AF_INET6 ? AF_INET6 : AF_INET,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -errno;
	if (p->hp_bind.a_af != 0) {
		sl = addr_sockaddr(&p->hp_bind, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl) == -1)
			goto out_close;
	}
	sl = addr_sockaddr(&a->ha_target.ep_addr, a->ha_target.ep_port, &ss);
	/* Even at once (loopback): the writable socket reports it. */
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1 &&
	    errno != EINPROGRESS)
		goto out_close;
	if ((tc = calloc(1, sizeof(*tc))) == NULL) {
		errno = ENOMEM;
		goto out_close;
	}
	tc->tc_a = a;
	ev_io_init(&tc->tc_io, tcp_on_write, fd, EV_WRITE);
	tc->tc_io.data = tc;
	ev_io_start(a->ha_loop, &tc->tc_io);
	a->ha_priv = tc;
	return 0;
out_close:
	r = -errno;
	close(fd);
	return r;
}

static void
tcp_cancel(struct hc_attempt *a)
{
	if (a->ha_priv != NULL)
		tcp_close(a->ha_loop, a->ha_priv);
}

const struct hc_ops hc_tcp = {
	.name = "tcp",
	.start = tcp_start,
	.cancel = tcp_cancel,
};
