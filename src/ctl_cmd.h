/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Admin protocol commands: a const table, one handler each.  A handler
 * validates the whole request before it changes anything, writes data
 * lines into a reply buffer (never to a socket, so tests call it without
 * one), and ctl_cmd_run() adds the final "OK" or "ERR <name> <text>".
 * A client's session holds what lasts between its requests: the batch
 * that "begin" opened.  Control thread.
 */
#ifndef UVS_CTL_CMD_H
#define UVS_CTL_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include "rbuf.h"

struct uvsd;
struct vs_conf;

#define CTL_BATCH_BYTES	(64u << 20)	/* request text one batch may hold */

/*
 * One client's state between requests; zero it to start.  A batch
 * edits cs_conf, a private copy of the configuration, and keeps its
 * requests' text so that a commit after somebody else's change can
 * replay them on what runs then.
 */
struct ctl_session {
	struct vs_conf	*cs_conf;	/* the batch's copy; NULL: no batch */
	uint64_t	 cs_gen;	/* table generation the copy was made of */
	unsigned	 cs_nreq;	/* requests in the batch */
	unsigned	 cs_failed;	/* 1-based number of the first that failed */
	int		 cs_fail_r;	/* its -errno */
	char		 cs_fail_text[512];
	struct rbuf	 cs_lines;	/* the batch's requests, '\n'-separated */
	bool		 cs_close;	/* the client must go (failed hello) */
};

/*
 * Run request <line> (no newline) against <d> for the client of <s>
 * (NULL: no batches); the reply goes to <out>.
 */
void	 ctl_cmd_run(struct uvsd *d, struct ctl_session *s, const char *line,
	    struct rbuf *out);
/* Drop <s>'s batch, if any, changing nothing.  NULL is fine. */
void	 ctl_session_reset(struct ctl_session *s);
/* Print the verbs and their usage, one per line (uvsd --help, tests). */
void	 ctl_cmd_usage(struct rbuf *out);

#endif
