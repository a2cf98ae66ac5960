/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging: to the journal with a priority and fields when stderr is the
 * journal's stream (JOURNAL_STREAM), to stderr otherwise.  Control
 * thread and start-up only: the packet path never logs, it counts.
 */
#ifndef UVS_LOG_H
#define UVS_LOG_H

#include <stdbool.h>
#include <syslog.h>

#include "util.h"

/* <ident> prefixes stderr lines; <level> is the most verbose LOG_* kept. */
void	 log_init(const char *ident, int level);
void	 log_msg(int prio, const char *fmt, ...) UVS_PRINTF(2, 3);
/*
 * log_msg() with journal fields: <fields> is a NULL-terminated list of
 * "NAME=value" strings (NAME in capitals, e.g. "UVS_SERVICE=tcp
 * 192.0.2.10:80"), at most 8, or NULL.  Only the journal keeps them; the
 * message itself must still say everything.
 */
void	 log_fields(int prio, const char *const *fields, const char *fmt, ...)
	    UVS_PRINTF(3, 4);
/*
 * Whether <fd> is the journal stream that <env> (JOURNAL_STREAM's value,
 * "device:inode") names.  log_init() asks it for stderr.
 */
bool	 log_stream_is_journal(const char *env, int fd);
/* Log "<fmt>: strerror(-r)" and return <r>. */
int	 log_errno(int prio, int r, const char *fmt, ...) UVS_PRINTF(3, 4);
/* Log and exit(1).  Only before workers start. */
void	 fatal(const char *fmt, ...) UVS_PRINTF(1, 2) __attribute__((noreturn));

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
