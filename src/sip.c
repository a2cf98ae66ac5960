/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Call-ID of a SIP message (sip.h), for the sip persistence engine.
 * It follows what IPVS reads through nf_conntrack_sip: header lines
 * start after a CR, LF or CRLF; a line starting with a blank continues
 * the one before; the name is matched without case; whitespace around
 * the colon may be folded onto the next line; the value is a word,
 * optionally "@" and a second word (callid_len()).  Two differences,
 * both towards reading less: the search stops at the blank line that
 * ends the headers (a body line cannot pose as a header), and a header
 * whose colon is missing is skipped instead of ending the search.
 * Bytes are ASCII: the kernel's ctype would also take Latin-1 letters
 * into a word, which no Call-ID generator emits.  Pure code; workers.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sip.h"

static bool
is_nl(uint8_t c)
{
	return c == '\r' || c == '\n';
}

static bool
is_blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static bool
is_alpha(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* RFC 3261's word characters, as nf_conntrack_sip's iswordc(). */
static bool
is_word(uint8_t c)
{
	if (is_alpha(c) || (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '!': case '"': case '%': case '\'': case '(': case ')':
	case '*': case '+': case '-': case '.': case '/': case ':':
	case '<': case '>': case '?': case '[': case '\\': case ']':
	case '_': case '`': case '{': case '}': case '~':
		return true;
	}
	return false;
}

static uint8_t
lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

/* Offset just past the line terminator at <i> (CRLF, CR or LF). */
static size_t
past_nl(const uint8_t *m, size_t len, size_t i)
{
	if (m[i] == '\r' && i + 1 < len && m[i + 1] == '\n')
		return i + 2;
	return i + 1;
}

/* Offset of the next CR or LF at or after <i>, or <len>. */
static size_t
next_nl(const uint8_t *m, size_t len, size_t i)
{
	while (i < len && !is_nl(m[i]))
		i++;
	return i;
}

/*
 * Skip blanks from <i>, and a line end followed by blanks (folding).
 * Returns the offset of the first other byte, or <len>.
 */
static size_t
skip_lws(const uint8_t *m, size_t len, size_t i)
{
	size_t	 j;

	for (;;) {
		while (i < len && is_blank(m[i]))
			i++;
		if (i >= len || !is_nl(m[i]))
			return i;
		j = past_nl(m, len, i);
		if (j >= len || !is_blank(m[j]))
			return i;	/* a real line end */
		i = j;
	}
}

static size_t
word_len(const uint8_t *m, size_t len, size_t i)
{
	size_t	 n = 0;

	while (i + n < len && is_word(m[i + n]))
		n++;
	return n;
}

/*
 * The header name at <i> if it is Call-ID or "i": the offset past it,
 * else 0 (a name never starts a message).
 */
static size_t
callid_name(const uint8_t *m, size_t len, size_t i)
{
	static const char	 name[] = "call-id";
	size_t			 k;

	if (len - i >= sizeof(name) - 1) {
		for (k = 0; k < sizeof(name) - 1; k++)
			if (lower(m[i + k]) != (uint8_t)name[k])
				break;
		if (k == sizeof(name) - 1)
			return i + k;
	}
	/* The compact form: a letter alone must not start a longer name. */
	if (len - i >= 2 && lower(m[i]) == 'i' && !is_alpha(m[i + 1]))
		return i + 1;
	return 0;
}

int
sip_callid(const uint8_t *msg, size_t len, const uint8_t **ret,
    size_t *ret_len)
{
	size_t	 i, j, n, d;

	/* The request or status line is no header. */
	i = next_nl(msg, len, 0);
	while (i < len) {
		j = i = past_nl(msg, len, i);
		if (i >= len || is_nl(msg[i]))
			return -ENOENT;		/* end of the headers */
		if (is_blank(msg[i]) || (n = callid_name(msg, len, i)) == 0)
			goto next_line;
		j = skip_lws(msg, len, n);
		if (j >= len || msg[j] != ':')
			goto next_line;
		j = skip_lws(msg, len, j + 1);
		if ((n = word_len(msg, len, j)) == 0)
			goto next_line;
		if (j + n < len && msg[j + n] == '@') {
			if ((d = word_len(msg, len, j + n + 1)) == 0)
				goto next_line;
			n += 1 + d;
		}
		/* IPVS gives up here rather than looking further. */
		if (n > SIP_CALLID_MAX)
			return -E2BIG;
		if (j + n >= len || !is_nl(msg[j + n]))
			return -ENOENT;
		*ret = msg + j;
		*ret_len = n;
		return 0;
next_line:
		i = next_nl(msg, len, j);
	}
	return -ENOENT;
}
