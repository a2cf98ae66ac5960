/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for uvsd.conf (config.c): arbitrary bytes as a file
 * read by cfg_load_string().  Beyond "never crash, never leak": a load
 * either succeeds with a vs_conf that table_commit() would take (the
 * same checks ran) or fails with at least one error, each with a text,
 * and a failed load leaves nothing behind.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "table.h"
#include "util.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * libconfig 1.5's scanner loses the string token it holds when a syntax
 * error follows (strbuf_append(), yylex(); fixed in 1.7): a few bytes
 * per refused file, not ours to fix.  Leaks from our code still count.
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uvs_err	 errs[CFG_ERRS_MAX];
	struct cfg	 c;
	unsigned	 n, i, nrs;
	char		*text;
	int		 r;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	r = cfg_load_string(text, "fuzz.conf", &c, errs, CFG_ERRS_MAX, &n);
	if (r == 0) {
		if (n != 0 || c.cf_vc == NULL || c.cf_vc->vc_nsvc != c.cf_nsvc)
			abort();
		for (nrs = 0, i = 0; i < c.cf_vc->vc_nsvc; i++)
			nrs += c.cf_vc->vc_svc[i].sc_nrs;
		if (nrs != c.cf_nrs || c.cf_nsvc > SVC_MAX)
			abort();
		cfg_free(&c);
	} else {
		if (r != -EINVAL && r != -ENOMEM)
			abort();
		if (r == -EINVAL && (n == 0 || n > CFG_ERRS_MAX))
			abort();
		for (i = 0; i < n; i++)
			if (errs[i].e_text[0] == '\0' ||
			    strcmp(errs[i].e_file, "fuzz.conf") != 0)
				abort();
	}
	free(text);
	return 0;
}
