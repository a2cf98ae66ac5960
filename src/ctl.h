/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The admin socket: a Unix stream socket served from the control
 * thread's libev loop.  It frames requests into lines, runs them with
 * ctl_cmd_run() and writes the replies back without ever blocking the
 * loop.  Control thread only.
 */
#ifndef UVS_CTL_H
#define UVS_CTL_H

struct ctl;
struct ev_loop;
struct uvsd;

#define CTL_CLIENTS_MAX		64		/* further clients get EBUSY */
#define CTL_IDLE_TIMEOUT	10.0		/* s with half a line pending, or
						   replies nobody reads */
#define CTL_OUT_PAUSE		(64u << 10)	/* unread reply bytes before the
						   client is not read from */
#define CTL_BACKLOG		16

/*
 * Listen on <path> (its directory is created, mode 0755, if missing; a
 * stale socket is replaced, a live one is -EADDRINUSE) and serve
 * requests against <d> from <loop>.  The socket gets mode 0660 and the
 * group d_opts.o_socket_group (a missing group is -ENOENT, logged).
 * Peers other than root, uvsd's user and the group's members are
 * refused with "ERR EACCES".  NULL with -errno in <ret_err> on failure.
 */
struct ctl *ctl_open(struct uvsd *d, struct ev_loop *loop, const char *path,
	    int *ret_err);
/* Drop every client, close and unlink the socket.  NULL is fine. */
void	 ctl_close(struct ctl *c);
/* Clients connected now (tests). */
unsigned ctl_nclients(const struct ctl *c);

#endif
