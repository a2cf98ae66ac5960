/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging (log.h).  Under systemd, stderr is the journal's stream and
 * JOURNAL_STREAM names it ("device:inode").  When stderr is that very
 * stream (a wrapper may have redirected it, so we compare, as
 * systemd.exec(5) says), messages go to the journal natively with
 * PRIORITY=, SYSLOG_IDENTIFIER= and the caller's fields (UVS_SERVICE=,
 * UVS_REAL_SERVER=, ...), so `journalctl UVS_SERVICE=...` finds them.
 * Should the journal refuse a message, it goes to the stream with a
 * "<N>" prefix, which journald reads as the priority.  Anywhere else:
 * "uvsd: message" on stderr.  Start-up and control thread only.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/uio.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* CODE_FILE= and friends would all name log.c. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "log.h"

#define LOG_FIELDS_MAX	8	/* caller's fields per message */
#define LOG_MSG_MAX	1200	/* bytes of a message, with its strerror */

static const char	*log_ident = "uvs";
static int		 log_level = LOG_INFO;
static bool		 log_journal;	/* stderr is the journal's stream */

bool
log_stream_is_journal(const char *env, int fd)
{
	struct stat		 st;
	unsigned long long	 dev, ino;
	int			 n = 0;

	if (env == NULL || sscanf(env, "%llu:%llu%n", &dev, &ino, &n) != 2 ||
	    env[n] != '\0')
		return false;
	if (fstat(fd, &st) == -1)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *ident, int level)
{
	log_ident = ident;
	log_level = level;
	log_journal = log_stream_is_journal(getenv("JOURNAL_STREAM"),
	    STDERR_FILENO);
}

static int
log_send_journal(int prio, const char *msg, const char *const *fields)
{
	struct iovec	 iov[3 + LOG_FIELDS_MAX];
	char		 p[16], id[64], m[sizeof("MESSAGE=") + LOG_MSG_MAX];
	int		 n = 0, i;

	snprintf(p, sizeof(p), "PRIORITY=%d", prio);
	snprintf(id, sizeof(id), "SYSLOG_IDENTIFIER=%s", log_ident);
	snprintf(m, sizeof(m), "MESSAGE=%s", msg);
	iov[n].iov_base = m;
	iov[n++].iov_len = strlen(m);
	iov[n].iov_base = p;
	iov[n++].iov_len = strlen(p);
	iov[n].iov_base = id;
	iov[n++].iov_len = strlen(id);
	for (i = 0; fields != NULL && fields[i] != NULL &&
	    i < LOG_FIELDS_MAX; i++) {
		/* "NAME=value" or the journal drops the whole entry. */
		if (strchr(fields[i], '=') == NULL)
			continue;
		iov[n].iov_base = (void *)fields[i];
		iov[n++].iov_len = strlen(fields[i]);
	}
	return sd_journal_sendv(iov, n);
}

static void
log_vmsg(int prio, const char *const *fields, const char *fmt, va_list ap,
    const char *suffix)
{
	char	 buf[1024], msg[LOG_MSG_MAX];

	if (prio > log_level)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	snprintf(msg, sizeof(msg), "%s%s%s", buf, suffix ? ": " : "",
	    suffix ? suffix : "");
	if (log_journal && log_send_journal(prio, msg, fields) >= 0)
		return;
	if (log_journal)
		fprintf(stderr, "<%d>%s\n", prio, msg);
	else
		fprintf(stderr, "%s: %s\n", log_ident, msg);
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(prio, NULL, fmt, ap, NULL);
	va_end(ap);
}

void
log_fields(int prio, const char *const *fields, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(prio, fields, fmt, ap, NULL);
	va_end(ap);
}

int
log_errno(int prio, int r, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(prio, NULL, fmt, ap, strerror(r < 0 ? -r : r));
	va_end(ap);
	return r;
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(LOG_CRIT, NULL, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
