/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.c: which stderr is the journal's stream.  systemd names it in
 * JOURNAL_STREAM as "device:inode"; only that very file counts, so that
 * a wrapper's redirection of stderr gets plain lines, and what is not
 * the journal never gets "<N>" prefixes.  Then where lines go: a stream
 * that is not the journal gets "ident: message".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static void
test_log_stream_is_journal_cases(void **state)
{
	struct stat	 st;
	char		 same[64], other_ino[64], other_dev[64];
	FILE		*f;
	size_t		 i;

	assert_non_null(f = tmpfile());
	assert_int_equal(fstat(fileno(f), &st), 0);
	snprintf(same, sizeof(same), "%llu:%llu",
	    (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	snprintf(other_ino, sizeof(other_ino), "%llu:%llu",
	    (unsigned long long)st.st_dev, (unsigned long long)st.st_ino + 1);
	snprintf(other_dev, sizeof(other_dev), "%llu:%llu",
	    (unsigned long long)st.st_dev + 1, (unsigned long long)st.st_ino);
	const struct { const char *env; int fd; bool want; } cases[] = {
		{ same,		fileno(f),	true },
		{ other_ino,	fileno(f),	false },	/* redirected */
		{ other_dev,	fileno(f),	false },
		{ NULL,		fileno(f),	false },	/* not systemd */
		{ "",		fileno(f),	false },
		{ "12",		fileno(f),	false },
		{ "1:2:3",	fileno(f),	false },
		{ same,		-1,		false },	/* closed */
	};
	for (i = 0; i < nitems(cases); i++)
		assert_int_equal(log_stream_is_journal(cases[i].env,
		    cases[i].fd), cases[i].want);
	fclose(f);
}

/* Not the journal's stream: "ident: message: strerror" on stderr. */
static void
test_log_stderr_when_not_journal(void **state)
{
	char	 buf[256];
	FILE	*f;
	int	 saved;
	size_t	 n;

	assert_non_null(f = tmpfile());
	saved = dup(STDERR_FILENO);
	assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
	setenv("JOURNAL_STREAM", "1:1", 1);
	log_init("uvsd", LOG_INFO);
	assert_int_equal(log_errno(LOG_ERR, -ENOENT, "eth9: %s", "gone"),
	    -ENOENT);
	log_debug("not shown at LOG_INFO");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	unsetenv("JOURNAL_STREAM");
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	assert_string_equal(buf, "uvsd: eth9: gone: No such file or directory\n");
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_stream_is_journal_cases),
		cmocka_unit_test(test_log_stderr_when_not_journal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
