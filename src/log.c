/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging (log.h).  Under systemd, stderr is a journal stream; lines then
 * carry "<N>" priority prefixes, which journald understands, instead of
 * going through another socket.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char	*log_ident = "uvs";
static int		 log_level = LOG_INFO;
static int		 log_journal;

void
log_init(const char *ident, int level)
{
	log_ident = ident;
	log_level = level;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

static void
log_vmsg(int prio, const char *fmt, va_list ap, const char *suffix)
{
	char	 buf[1024];

	if (prio > log_level)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (log_journal)
		fprintf(stderr, "<%d>%s%s%s\n", prio, buf,
		    suffix ? ": " : "", suffix ? suffix : "");
	else
		fprintf(stderr, "%s: %s%s%s\n", log_ident, buf,
		    suffix ? ": " : "", suffix ? suffix : "");
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap, NULL);
	va_end(ap);
}

int
log_errno(int prio, int r, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap, strerror(r < 0 ? -r : r));
	va_end(ap);
	return r;
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
