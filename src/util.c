/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers of util.h.  Pure functions, any thread.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void
uvs_err_set(struct uvs_err *err, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->e_text, sizeof(err->e_text), fmt, ap);
	va_end(ap);
}

void
uvs_err_at(struct uvs_err *err, const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL)
		return;
	snprintf(err->e_file, sizeof(err->e_file), "%s", file ? file : "");
	err->e_line = line;
	va_start(ap, fmt);
	vsnprintf(err->e_text, sizeof(err->e_text), fmt, ap);
	va_end(ap);
}

const char *
uvs_err_fmt(const struct uvs_err *err, char *buf, size_t len)
{
	if (err->e_file[0] != '\0' && err->e_line > 0)
		snprintf(buf, len, "%s:%d: %s", err->e_file, err->e_line,
		    err->e_text);
	else if (err->e_file[0] != '\0')
		snprintf(buf, len, "%s: %s", err->e_file, err->e_text);
	else
		snprintf(buf, len, "%s", err->e_text);
	return buf;
}

const char *
errno_name(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EIO, "EIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" },
		{ ERANGE, "ERANGE" }, { ENAMETOOLONG, "ENAMETOOLONG" },
		{ ENOSYS, "ENOSYS" }, { EPROTO, "EPROTO" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EAFNOSUPPORT, "EAFNOSUPPORT" },
		{ EADDRINUSE, "EADDRINUSE" }, { ENOBUFS, "ENOBUFS" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { ECONNREFUSED, "ECONNREFUSED" },
		{ EHOSTUNREACH, "EHOSTUNREACH" }, { EMSGSIZE, "EMSGSIZE" },
		{ EPROTONOSUPPORT, "EPROTONOSUPPORT" }, { ENOTSUP, "ENOTSUP" },
		{ ECANCELED, "ECANCELED" }, { ENOTCONN, "ENOTCONN" },
	};
	size_t	 i;

	if (e < 0)
		e = -e;
	for (i = 0; i < nitems(names); i++)
		if (names[i].e == e)
			return names[i].name;
	return "EUNKNOWN";
}

int
parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *ret)
{
	unsigned long	 v;
	char		*end;

	if (s == NULL || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}
