/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MISC_CHECK (hc.h) and the scripts of health.c (notify_up/down,
 * quorum_up/down): /bin/sh -c runs the command in its own session, as a
 * configured user, with no descriptor of ours but stderr (the journal).
 * The checker waits with an ev_child watcher, which needs the default
 * loop; a timeout kills the whole session (its process group).  The
 * user is looked up before fork(): after it, with worker threads about,
 * only async-signal-safe calls are allowed.  Control thread only.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hc.h"
#include "health.h"

int
hc_spawn(const char *cmd, const char *user)
{
	struct passwd	*pw;
	sigset_t	 all;
	uid_t		 uid = 0;
	gid_t		 gid = 0;
	pid_t		 pid;
	int		 fd, sig;

	if (user != NULL && user[0] != '\0') {
		errno = 0;
		if ((pw = getpwnam(user)) == NULL)
			return errno != 0 ? -errno : -ESRCH;
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	if ((pid = fork()) == -1)
		return -errno;
	if (pid > 0)
		return pid;
	/* The child: async-signal-safe calls only. */
	(void)setsid();
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	sigemptyset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, NULL);
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
	}
	(void)close_range(STDERR_FILENO + 1, ~0U, 0);
	if (user != NULL && user[0] != '\0' && (setgroups(1, &gid) == -1 ||
	    setgid(gid) == -1 || setuid(uid) == -1))
		_exit(126);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

struct exec_check {
	ev_child	 ec_child;
	struct hc_attempt *ec_a;
};

static void
exec_on_child(struct ev_loop *loop, ev_child *w, int revents)
{
	struct exec_check	*ec = w->data;
	struct hc_attempt	*a = ec->ec_a;
	char			 reason[64];
	int			 outcome, weight = 0, st = w->rstatus;

	(void)revents;
	ev_child_stop(loop, w);
	a->ha_priv = NULL;
	free(ec);
	outcome = hc_exec_outcome(st, &weight);
	/* keepalived without misc_dynamic: anything but 0 is down. */
	if (outcome == HC_WEIGHT && !a->ha_params->hp_dynamic)
		outcome = HC_FAIL;
	if (WIFEXITED(st))
		snprintf(reason, sizeof(reason), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(reason, sizeof(reason), "killed by signal %d",
		    WTERMSIG(st));
	else
		snprintf(reason, sizeof(reason), "status 0x%x", st);
	hc_attempt_done(a, outcome, weight, reason);
}

static int
exec_start(struct hc_attempt *a)
{
	struct exec_check	*ec;
	int			 pid;

	if ((ec = calloc(1, sizeof(*ec))) == NULL)
		return -ENOMEM;
	if ((pid = hc_spawn(a->ha_params->hp_cmd, a->ha_params->hp_user)) < 0) {
		free(ec);
		return pid;
	}
	ec->ec_a = a;
	ev_child_init(&ec->ec_child, exec_on_child, pid, 0);
	ec->ec_child.data = ec;
	ev_child_start(a->ha_loop, &ec->ec_child);
	a->ha_priv = ec;
	return 0;
}

static void
exec_cancel(struct hc_attempt *a)
{
	struct exec_check	*ec = a->ha_priv;

	if (ec == NULL)
		return;
	/* libev's SIGCHLD watcher reaps it once we stop waiting. */
	(void)kill(-ec->ec_child.pid, SIGKILL);
	ev_child_stop(a->ha_loop, &ec->ec_child);
	a->ha_priv = NULL;
	free(ec);
}

const struct hc_ops hc_exec = {
	.name = "exec",
	.start = exec_start,
	.cancel = exec_cancel,
};
