/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers shared by every part of uvs: array sizes, container_of,
 * branch hints, and struct uvs_err, the error that parsers and table code
 * fill in instead of logging (STYLE §3).  Any thread.
 */
#ifndef UVS_UTIL_H
#define UVS_UTIL_H

#include <stddef.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define UVS_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Where and why an input was refused; e_file is "" when not from a file. */
struct uvs_err {
	char		 e_file[256];
	int		 e_line;	/* 0: no line */
	char		 e_text[512];
};

/* Fill <err> (may be NULL) with a printf message; keeps e_file/e_line. */
void	 uvs_err_set(struct uvs_err *err, const char *fmt, ...) UVS_PRINTF(2, 3);
/* Same, with file and line. */
void	 uvs_err_at(struct uvs_err *err, const char *file, int line,
	    const char *fmt, ...) UVS_PRINTF(4, 5);
/* "file:line: text", "file: text" or "text" into <buf>. */
const char *uvs_err_fmt(const struct uvs_err *err, char *buf, size_t len);
/* The errno name ("ENOENT") of a positive or negative errno, "EUNKNOWN" if none. */
const char *errno_name(int e);
/* Parse a decimal unsigned in [min, max] from the whole of <s>. */
int	 parse_uint(const char *s, unsigned long min, unsigned long max,
	    unsigned long *ret);

#endif
