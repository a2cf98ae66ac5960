/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Admin protocol commands: a const table, one handler each.  A handler
 * validates the whole request before it changes anything, writes data
 * lines into a reply buffer (never to a socket, so tests call it without
 * one), and ctl_cmd_run() adds the final "OK" or "ERR <name> <text>".
 * Control thread.
 */
#ifndef UVS_CTL_CMD_H
#define UVS_CTL_CMD_H

struct rbuf;
struct uvsd;

/* Run request <line> (no newline) against <d>; the reply goes to <out>. */
void	 ctl_cmd_run(struct uvsd *d, const char *line, struct rbuf *out);
/* Print the verbs and their usage, one per line (uvsd --help, tests). */
void	 ctl_cmd_usage(struct rbuf *out);

#endif
