/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The admin socket (ctl.h).  Every client has a line buffer of
 * CTL_LINE_MAX bytes, a reply buffer and a session (its open batch);
 * each complete line is run at once with ctl_cmd_run() and its reply
 * queued, and replies are written as far as the socket takes them, the
 * rest waiting for a write watcher.  A client whose unread replies pass
 * CTL_OUT_PAUSE is not read from until they drain, so one that sends and
 * never reads stops costing anything; one whose replies make no progress
 * for CTL_IDLE_TIMEOUT, or that stops half-way through a line that long,
 * is dropped.  No socket operation blocks, so no client can stall the
 * loop, which also serves the timers that keep uvsd alive.
 *
 * Access: the socket has mode 0660 and, with --socket-group, that group;
 * a peer is then checked by SO_PEERCRED (root, uvsd's own user, or a
 * member of the socket's group) because the file mode alone does not
 * cover a socket whose directory is more open than intended.  Control
 * thread only.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <ev.h>

#include "ctl.h"
#include "ctl_cmd.h"
#include "ctl_proto.h"
#include "daemon.h"
#include "log.h"
#include "rbuf.h"
#include "util.h"

struct ctl_client {
	struct ctl_client *cl_next;
	struct ctl_client **cl_pprev;
	struct ctl	*cl_ctl;
	int		 cl_fd;
	ev_io		 cl_rio;
	ev_io		 cl_wio;
	ev_timer	 cl_idle;	/* half a line waits, or replies stall */
	size_t		 cl_inlen;	/* bytes in cl_in */
	struct rbuf	 cl_out;	/* replies not yet written */
	size_t		 cl_outoff;	/* written part of cl_out */
	bool		 cl_closing;	/* close once cl_out is written */
	bool		 cl_paused;	/* not read until cl_out drains */
	bool		 cl_eof;	/* the client sent all it will send */
	struct ctl_session cl_session;
	char		 cl_in[CTL_LINE_MAX];
};

struct ctl {
	struct uvsd	*c_d;
	struct ev_loop	*c_loop;
	int		 c_fd;
	ev_io		 c_lio;
	ev_timer	 c_retry;	/* accept paused: out of descriptors */
	char		*c_path;
	gid_t		 c_gid;		/* the socket's group */
	bool		 c_has_gid;	/* --socket-group was given */
	struct ctl_client *c_clients;
	unsigned	 c_nclients;
};

static void	 client_flush(struct ctl_client *cl);

static void
client_drop(struct ctl_client *cl)
{
	struct ctl	*c = cl->cl_ctl;

	ev_io_stop(c->c_loop, &cl->cl_rio);
	ev_io_stop(c->c_loop, &cl->cl_wio);
	ev_timer_stop(c->c_loop, &cl->cl_idle);
	close(cl->cl_fd);
	if (cl->cl_next != NULL)
		cl->cl_next->cl_pprev = cl->cl_pprev;
	*cl->cl_pprev = cl->cl_next;
	c->c_nclients--;
	rbuf_free(&cl->cl_out);
	/* Disconnecting mid-batch changes nothing. */
	ctl_session_reset(&cl->cl_session);
	free(cl);
}

/*
 * Closing a Unix socket with unread input resets the connection, and the
 * peer then loses the reply it has not read yet (the E2BIG that explains
 * why): read what is queued first.
 */
static void
client_discard(struct ctl_client *cl)
{
	char	 buf[4096];
	int	 i;

	shutdown(cl->cl_fd, SHUT_WR);
	for (i = 0; i < 64; i++)
		if (recv(cl->cl_fd, buf, sizeof(buf), MSG_DONTWAIT) <= 0)
			break;
}

/* No more requests from <cl>; it goes once its replies are out. */
static void
client_finish(struct ctl_client *cl)
{
	cl->cl_closing = true;
	ev_io_stop(cl->cl_ctl->c_loop, &cl->cl_rio);
	ev_timer_stop(cl->cl_ctl->c_loop, &cl->cl_idle);
}

static void
client_line(struct ctl_client *cl, char *line, size_t len)
{
	line[len] = '\0';
	if (memchr(line, '\0', len) != NULL)
		rbuf_printf(&cl->cl_out,
		    "ERR EINVAL request contains a NUL byte\n");
	else
		ctl_cmd_run(cl->cl_ctl->c_d, &cl->cl_session, line,
		    &cl->cl_out);
	/* A client of another protocol version gets its answer and goes. */
	if (cl->cl_session.cs_close)
		client_finish(cl);
}

static size_t
client_pending(const struct ctl_client *cl)
{
	return cl->cl_out.rb_len - cl->cl_outoff;
}

/*
 * The timer runs while the client owes us the rest of a line or does
 * not take its replies; any progress starts it again.
 */
static void
client_timer(struct ctl_client *cl)
{
	struct ev_loop	*loop = cl->cl_ctl->c_loop;

	if (client_pending(cl) > 0 ||
	    (!cl->cl_closing && !cl->cl_paused && cl->cl_inlen > 0))
		ev_timer_again(loop, &cl->cl_idle);
	else
		ev_timer_stop(loop, &cl->cl_idle);
}

/*
 * Run every complete line in cl_in and keep the rest; stop early while
 * too many replies wait to be read.
 */
static void
client_lines(struct ctl_client *cl)
{
	char	*nl, *p = cl->cl_in;
	size_t	 left = cl->cl_inlen;

	while (!cl->cl_closing && client_pending(cl) <= CTL_OUT_PAUSE &&
	    (nl = memchr(p, '\n', left)) != NULL) {
		client_line(cl, p, (size_t)(nl - p));
		left -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	if (p != cl->cl_in && left > 0)
		memmove(cl->cl_in, p, left);
	cl->cl_inlen = left;
	if (!cl->cl_closing && left == sizeof(cl->cl_in) &&
	    memchr(cl->cl_in, '\n', left) == NULL) {
		rbuf_printf(&cl->cl_out, "ERR E2BIG request line too long\n");
		client_finish(cl);
	}
}

/*
 * client_lines(), and after the client's end of file its last line even
 * without a newline ("printf list | socat"); the client goes once all
 * its lines ran.
 */
static void
client_run(struct ctl_client *cl)
{
	client_lines(cl);
	if (cl->cl_eof && !cl->cl_closing && cl->cl_inlen > 0 &&
	    client_pending(cl) <= CTL_OUT_PAUSE &&
	    memchr(cl->cl_in, '\n', cl->cl_inlen) == NULL) {
		client_line(cl, cl->cl_in, cl->cl_inlen);
		cl->cl_inlen = 0;
	}
	if (cl->cl_eof && cl->cl_inlen == 0)
		client_finish(cl);
}

static void
client_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client	*cl = container_of(w, struct ctl_client, cl_rio);
	ssize_t			 n;

	(void)loop, (void)revents;
	n = recv(cl->cl_fd, cl->cl_in + cl->cl_inlen,
	    sizeof(cl->cl_in) - cl->cl_inlen, MSG_DONTWAIT);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		log_errno(LOG_DEBUG, -errno, "ctl: client read");
		client_drop(cl);
		return;
	}
	if (n == 0) {
		/* Lines still waiting run as the replies drain. */
		cl->cl_eof = true;
		ev_io_stop(loop, &cl->cl_rio);
		client_run(cl);
		client_flush(cl);
		return;
	}
	cl->cl_inlen += (size_t)n;
	client_lines(cl);
	client_flush(cl);
}

static void
client_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop, (void)revents;
	client_flush(container_of(w, struct ctl_client, cl_wio));
}

static void
client_idle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_client	*cl = container_of(w, struct ctl_client, cl_idle);

	(void)loop, (void)revents;
	if (client_pending(cl) > 0)
		log_info("ctl: client read none of its %zu bytes of replies "
		    "for %.0fs, closing", client_pending(cl),
		    CTL_IDLE_TIMEOUT);
	else
		log_info("ctl: client sent half a request and nothing for "
		    "%.0fs, closing", CTL_IDLE_TIMEOUT);
	client_drop(cl);
}

/*
 * Write what the socket takes; the write watcher does the rest.  Once
 * the replies are out, a paused client is read again and the lines it
 * already sent are run.
 */
static void
client_flush(struct ctl_client *cl)
{
	struct ev_loop	*loop = cl->cl_ctl->c_loop;
	struct rbuf	*out = &cl->cl_out;
	ssize_t		 n;
	bool		 progress = false;

again:
	if (out->rb_err != 0) {
		log_warn("ctl: out of memory for a reply, dropping client");
		client_drop(cl);
		return;
	}
	while (cl->cl_outoff < out->rb_len) {
		n = send(cl->cl_fd, out->rb_buf + cl->cl_outoff,
		    out->rb_len - cl->cl_outoff, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n == -1) {
			log_errno(LOG_DEBUG, -errno, "ctl: client write");
			client_drop(cl);
			return;
		}
		cl->cl_outoff += (size_t)n;
		progress = true;
	}
	if (cl->cl_outoff == out->rb_len) {
		rbuf_reset(out);
		cl->cl_outoff = 0;
		ev_io_stop(loop, &cl->cl_wio);
		if (cl->cl_inlen > 0 && !cl->cl_closing) {
			client_run(cl);
			if (out->rb_len > 0)
				goto again;
		}
		if (cl->cl_closing) {
			client_discard(cl);
			client_drop(cl);
			return;
		}
		if (cl->cl_paused && !cl->cl_eof) {
			cl->cl_paused = false;
			ev_io_start(loop, &cl->cl_rio);
		}
		client_timer(cl);
		return;
	}
	/* Keep the buffer from growing by what was already written. */
	if (cl->cl_outoff > out->rb_len / 2) {
		memmove(out->rb_buf, out->rb_buf + cl->cl_outoff,
		    out->rb_len - cl->cl_outoff + 1);
		out->rb_len -= cl->cl_outoff;
		cl->cl_outoff = 0;
	}
	if (client_pending(cl) > CTL_OUT_PAUSE && !cl->cl_paused) {
		cl->cl_paused = true;
		ev_io_stop(loop, &cl->cl_rio);
	}
	ev_io_start(loop, &cl->cl_wio);
	if (progress || !ev_is_active(&cl->cl_idle))
		client_timer(cl);
}

/* <uid>'s supplementary groups include <gid> (getgrouplist()). */
static bool
ctl_user_in_group(uid_t uid, gid_t gid)
{
	struct passwd	 pw, *pwp = NULL;
	gid_t		 groups[256];
	char		 buf[4096];
	int		 i, n = (int)nitems(groups);

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &pwp) != 0 || pwp == NULL)
		return false;
	if (pw.pw_gid == gid)
		return true;
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) == -1)
		n = (int)nitems(groups);	/* the first ones are filled */
	for (i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/*
 * Root, uvsd's own user, and members of the socket's group may talk to
 * uvsd; the file mode says the same, this also holds when the socket's
 * directory or mode were changed behind uvsd's back.
 */
static bool
ctl_peer_allowed(const struct ctl *c, int fd)
{
	struct ucred	 cr;
	socklen_t	 len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1) {
		log_errno(LOG_WARNING, -errno, "ctl: SO_PEERCRED, refusing "
		    "the client");
		return false;
	}
	if (cr.uid == 0 || cr.uid == geteuid() ||
	    (c->c_has_gid && (cr.gid == c->c_gid ||
	    ctl_user_in_group(cr.uid, c->c_gid)))) {
		log_debug("ctl: client pid %ld uid %ld gid %ld", (long)cr.pid,
		    (long)cr.uid, (long)cr.gid);
		return true;
	}
	log_warn("ctl: refusing client pid %ld uid %ld gid %ld: not root, "
	    "not uvsd's user and not in the socket's group", (long)cr.pid,
	    (long)cr.uid, (long)cr.gid);
	return false;
}

static void
ctl_retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl	*c = container_of(w, struct ctl, c_retry);

	(void)revents;
	ev_io_start(loop, &c->c_lio);
}

static void
ctl_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	static const char	 busy[] = "ERR EBUSY too many clients\n";
	static const char	 denied[] = "ERR EACCES permission denied\n";
	struct ctl		*c = container_of(w, struct ctl, c_lio);
	struct ctl_client	*cl;
	int			 fd;

	(void)revents;
	for (;;) {
		fd = accept4(c->c_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			/*
			 * EMFILE and friends: the listener would fire again
			 * at once, so pause it instead of spinning.
			 */
			log_errno(LOG_WARNING, -errno,
			    "ctl: cannot accept, pausing for 1s");
			ev_io_stop(loop, &c->c_lio);
			ev_timer_set(&c->c_retry, 1., 0.);
			ev_timer_start(loop, &c->c_retry);
			return;
		}
		if (!ctl_peer_allowed(c, fd)) {
			if (send(fd, denied, sizeof(denied) - 1,
			    MSG_DONTWAIT | MSG_NOSIGNAL) == -1)
				log_errno(LOG_DEBUG, -errno, "ctl: write");
			close(fd);
			continue;
		}
		if (c->c_nclients >= CTL_CLIENTS_MAX) {
			log_warn("ctl: %u clients already, refusing another",
			    c->c_nclients);
			if (send(fd, busy, sizeof(busy) - 1,
			    MSG_DONTWAIT | MSG_NOSIGNAL) == -1)
				log_errno(LOG_DEBUG, -errno, "ctl: write");
			close(fd);
			continue;
		}
		if ((cl = calloc(1, sizeof(*cl))) == NULL) {
			log_err("ctl: out of memory for a client");
			close(fd);
			continue;
		}
		cl->cl_ctl = c;
		cl->cl_fd = fd;
		ev_io_init(&cl->cl_rio, client_read_cb, fd, EV_READ);
		ev_io_init(&cl->cl_wio, client_write_cb, fd, EV_WRITE);
		ev_init(&cl->cl_idle, client_idle_cb);
		cl->cl_idle.repeat = CTL_IDLE_TIMEOUT;
		if ((cl->cl_next = c->c_clients) != NULL)
			cl->cl_next->cl_pprev = &cl->cl_next;
		cl->cl_pprev = &c->c_clients;
		c->c_clients = cl;
		c->c_nclients++;
		ev_io_start(loop, &cl->cl_rio);
	}
}

/* mkdir -p the directory part of <path>. */
static int
ctl_mkdirs(const char *path)
{
	char	 dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char	*p;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * Clear the way for a new socket at <sun>: a socket nobody answers on is
 * stale and goes; one that answers belongs to a running uvsd.
 */
static int
ctl_stale(const struct sockaddr_un *sun)
{
	struct stat	 st;
	int		 fd, r;

	if (lstat(sun->sun_path, &st) == -1)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -errno;
	r = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (r == 0)
		return -EADDRINUSE;
	if (unlink(sun->sun_path) == -1 && errno != ENOENT)
		return -errno;
	return 0;
}

static int
ctl_listen(const char *path, const struct ctl *c)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	int			 fd, r;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((r = ctl_mkdirs(path)) < 0 || (r = ctl_stale(&sun)) < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		goto out_close;
	/* Before listen(): nobody can connect while the mode is wrong. */
	if (chmod(path, 0660) == -1 ||
	    (c->c_has_gid && chown(path, (uid_t)-1, c->c_gid) == -1) ||
	    listen(fd, CTL_BACKLOG) == -1)
		goto out_unlink;
	return fd;
out_unlink:
	r = -errno;
	unlink(path);
	close(fd);
	return r;
out_close:
	r = -errno;
	close(fd);
	return r;
}

/* The gid of group <name> (a name or a number). */
static int
ctl_group(const char *name, gid_t *ret)
{
	struct group	 gr, *grp = NULL;
	char		 buf[4096];
	unsigned long	 v;
	int		 r;

	if ((r = getgrnam_r(name, &gr, buf, sizeof(buf), &grp)) == 0 &&
	    grp != NULL) {
		*ret = gr.gr_gid;
		return 0;
	}
	if (parse_uint(name, 0, UINT32_MAX - 1, &v) == 0) {
		*ret = (gid_t)v;
		return 0;
	}
	log_err("ctl: socket group '%s' does not exist", name);
	return r != 0 ? -r : -ENOENT;
}

struct ctl *
ctl_open(struct uvsd *d, struct ev_loop *loop, const char *path,
    int *ret_err)
{
	struct ctl	*c;
	int		 r;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->c_path = strdup(path)) == NULL) {
		r = -ENOMEM;
		goto out_free;
	}
	if (d->d_opts.o_socket_group != NULL &&
	    (r = ctl_group(d->d_opts.o_socket_group, &c->c_gid)) < 0)
		goto out_free;
	c->c_has_gid = d->d_opts.o_socket_group != NULL;
	if ((r = ctl_listen(path, c)) < 0)
		goto out_free;
	c->c_fd = r;
	c->c_d = d;
	c->c_loop = loop;
	ev_io_init(&c->c_lio, ctl_accept_cb, c->c_fd, EV_READ);
	ev_init(&c->c_retry, ctl_retry_cb);
	ev_io_start(loop, &c->c_lio);
	return c;
out_free:
	if (c != NULL)
		free(c->c_path);
	free(c);
	if (ret_err != NULL)
		*ret_err = r;
	return NULL;
}

void
ctl_close(struct ctl *c)
{
	if (c == NULL)
		return;
	while (c->c_clients != NULL)
		client_drop(c->c_clients);
	ev_io_stop(c->c_loop, &c->c_lio);
	ev_timer_stop(c->c_loop, &c->c_retry);
	close(c->c_fd);
	if (unlink(c->c_path) == -1 && errno != ENOENT)
		log_errno(LOG_WARNING, -errno, "%s: cannot remove", c->c_path);
	free(c->c_path);
	free(c);
}

unsigned
ctl_nclients(const struct ctl *c)
{
	return c->c_nclients;
}
