/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsd.conf's health checks (cfg_load.h): the check groups of services
 * and real servers, keepalived's checker knobs as their members, sorry
 * servers, and the health configuration they add up to.  Split from
 * config.c, whose walk calls in here.  Control thread and uvsd -t.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "cfg.h"
#include "cfg_load.h"
#include "hc.h"
#include "health.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

enum {
	C_TYPE, C_INTERVAL, C_TIMEOUT, C_RETRY, C_DELAY, C_RISE, C_FALL,
	C_WARMUP, C_ALPHA, C_INHIBIT, C_CONNECT_IP, C_CONNECT_PORT, C_BIND,
	C_PATH, C_VHOST, C_SNI, C_STATUS, C_DIGEST, C_REGEX, C_PAYLOAD,
	C_REQUIRE, C_MINLEN, C_MAXLEN, C_COMMAND, C_USER, C_DYNAMIC, C__MAX
};
_Static_assert(C__MAX <= CFG_KA_MAX, "CFG_KA_MAX too small");

static const struct cfg_key check_keys[] = {
	{ "type",		C_TYPE },
	{ "interval",		C_INTERVAL },
	{ "delay_loop",		C_INTERVAL },	/* keepalived */
	{ "timeout",		C_TIMEOUT },
	{ "connect_timeout",	C_TIMEOUT },	/* keepalived */
	{ "misc_timeout",	C_TIMEOUT },	/* keepalived, MISC_CHECK */
	{ "retry",		C_RETRY },
	{ "delay_before_retry",	C_DELAY },
	{ "rise",		C_RISE },
	{ "fall",		C_FALL },
	{ "warmup",		C_WARMUP },
	{ "alpha",		C_ALPHA },
	{ "inhibit_on_failure",	C_INHIBIT },
	{ "connect_ip",		C_CONNECT_IP },
	{ "connect_port",	C_CONNECT_PORT },
	{ "bind_ip",		C_BIND },
	{ "bindto",		C_BIND },	/* keepalived */
	{ "path",		C_PATH },
	{ "virtualhost",	C_VHOST },
	{ "sni",		C_SNI },
	{ "enable_sni",		C_SNI },	/* keepalived */
	{ "status",		C_STATUS },
	{ "status_code",	C_STATUS },	/* keepalived */
	{ "digest",		C_DIGEST },
	{ "regex",		C_REGEX },
	{ "payload",		C_PAYLOAD },
	{ "require_reply",	C_REQUIRE },
	{ "min_reply_length",	C_MINLEN },
	{ "max_reply_length",	C_MAXLEN },
	{ "command",		C_COMMAND },
	{ "misc_path",		C_COMMAND },	/* keepalived */
	{ "user",		C_USER },
	{ "dynamic",		C_DYNAMIC },
	{ "misc_dynamic",	C_DYNAMIC },	/* keepalived */
};

static const char *const check_types[HC__MAX] = {
	[HC_TCP] = "tcp", [HC_HTTP] = "http", [HC_HTTPS] = "https",
	[HC_UDP] = "udp", [HC_EXEC] = "exec",
};

static const struct cfg_key ka_keys[] = {
	{ "delay_loop",		C_INTERVAL },
	{ "connect_timeout",	C_TIMEOUT },
	{ "retry",		C_RETRY },
	{ "delay_before_retry",	C_DELAY },
	{ "warmup",		C_WARMUP },
	{ "alpha",		C_ALPHA },
	{ "inhibit_on_failure",	C_INHIBIT },
};

/*
 * Member <m> of a service or real server is one of keepalived's checker
 * knobs: remember it in <ka> (a repeat is an error) and return true.
 */
bool
cfg_ka_member(struct cfg_load *ld, const config_setting_t *m,
    const config_setting_t **ka, bool *bad)
{
	size_t	 i;

	for (i = 0; i < nitems(ka_keys); i++)
		if (strcmp(ka_keys[i].k_name, config_setting_name(m)) == 0)
			break;
	if (i == nitems(ka_keys))
		return false;
	if (ka[ka_keys[i].k_id] != NULL) {
		cfg_err(ld, m, "'%s' repeats line %u", ka_keys[i].k_name,
		    config_setting_source_line(ka[ka_keys[i].k_id]));
		*bad = true;
	} else
		ka[ka_keys[i].k_id] = m;
	return true;
}

static int	 cfg_check_member(struct cfg_load *ld,
		    const config_setting_t *m, int id, struct hc_params *p);

/* The knobs remembered in <ka> into <p>. */
int
cfg_ka_apply(struct cfg_load *ld, const config_setting_t *const *ka,
    struct hc_params *p)
{
	int	 id, r = 0;

	for (id = 0; id < CFG_KA_MAX; id++)
		if (ka[id] != NULL && cfg_check_member(ld, ka[id], id, p) != 0)
			r = -EINVAL;
	return r;
}

/* Defaults of a check; keepalived's where it has one. */
void
cfg_check_default(struct hc_params *p)
{
	memset(p, 0, sizeof(*p));
	p->hp_interval = 5.0;
	p->hp_timeout = 3.0;
	p->hp_retry_delay = 1.0;
	p->hp_retry = 1;
	p->hp_rise = 1;
	p->hp_fall = 1;
	snprintf(p->hp_path, sizeof(p->hp_path), "/");
}

/* Seconds, an integer or a float, in [<min>, <max>]. */
static int
cfg_seconds(struct cfg_load *ld, const config_setting_t *s, double min,
    double max, double *ret)
{
	double	 v;

	if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
		v = config_setting_get_float(s);
	else if (config_setting_type(s) == CONFIG_TYPE_INT ||
	    config_setting_type(s) == CONFIG_TYPE_INT64)
		v = (double)config_setting_get_int64(s);
	else {
		cfg_err(ld, s, "'%s' must be a number of seconds", cfg_name(s));
		return -EINVAL;
	}
	if (!(v >= min && v <= max)) {
		cfg_err(ld, s, "'%s': %g out of range %g..%g", cfg_name(s), v,
		    min, max);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

/* A string of at most <size> - 1 bytes into <buf>. */
int
cfg_strbuf(struct cfg_load *ld, const config_setting_t *s, char *buf,
    size_t size)
{
	const char	*v;

	if (cfg_str(ld, s, &v) != 0)
		return -EINVAL;
	if (strlen(v) >= size) {
		cfg_err(ld, s, "'%s': at most %zu bytes", cfg_name(s),
		    size - 1);
		return -EINVAL;
	}
	snprintf(buf, size, "%s", v);
	return 0;
}

/* Hex bytes ("" allowed; spaces and colons ignored) into <buf>. */
static int
cfg_hex(struct cfg_load *ld, const config_setting_t *s, uint8_t *buf,
    size_t size, size_t *ret_len)
{
	const char	*v;
	size_t		 n = 0;
	int		 hi = -1, d;

	if (cfg_str(ld, s, &v) != 0)
		return -EINVAL;
	for (; *v != '\0'; v++) {
		if (*v == ' ' || *v == ':')
			continue;
		if (*v >= '0' && *v <= '9')
			d = *v - '0';
		else if ((*v | 0x20) >= 'a' && (*v | 0x20) <= 'f')
			d = (*v | 0x20) - 'a' + 10;
		else {
			cfg_err(ld, s, "'%s': not hexadecimal at '%c'",
			    cfg_name(s), *v);
			return -EINVAL;
		}
		if (hi < 0) {
			hi = d;
			continue;
		}
		if (n >= size) {
			cfg_err(ld, s, "'%s': at most %zu bytes", cfg_name(s),
			    size);
			return -EINVAL;
		}
		buf[n++] = (uint8_t)(hi << 4 | d);
		hi = -1;
	}
	if (hi >= 0) {
		cfg_err(ld, s, "'%s': an odd number of hex digits",
		    cfg_name(s));
		return -EINVAL;
	}
	*ret_len = n;
	return 0;
}

/* "200", "200-299" or 200 into range <i> of <p>. */
static int
cfg_status_one(struct cfg_load *ld, const config_setting_t *s,
    struct hc_params *p)
{
	const char	*v;
	unsigned long	 lo, hi;
	char		*end;

	if (config_setting_type(s) == CONFIG_TYPE_INT) {
		lo = hi = (unsigned long)config_setting_get_int(s);
	} else if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		v = config_setting_get_string(s);
		lo = strtoul(v, &end, 10);
		hi = lo;
		if (*end == '-')
			hi = strtoul(end + 1, &end, 10);
		if (*end != '\0' || end == v)
			lo = 0;
	} else
		lo = 0, hi = 0;
	if (lo < 100 || hi > 599 || lo > hi) {
		cfg_err(ld, s, "'status': a code or range of codes within "
		    "100-599 such as 200 or \"200-299\"");
		return -EINVAL;
	}
	if (p->hp_nstatus >= HC_STATUS_RANGES) {
		cfg_err(ld, s, "'status': at most %d codes or ranges",
		    HC_STATUS_RANGES);
		return -EINVAL;
	}
	p->hp_status_lo[p->hp_nstatus] = (uint16_t)lo;
	p->hp_status_hi[p->hp_nstatus++] = (uint16_t)hi;
	return 0;
}

static int
cfg_status(struct cfg_load *ld, const config_setting_t *s,
    struct hc_params *p)
{
	unsigned	 i, n;

	p->hp_nstatus = 0;
	memset(p->hp_status_lo, 0, sizeof(p->hp_status_lo));
	memset(p->hp_status_hi, 0, sizeof(p->hp_status_hi));
	if (!config_setting_is_list(s) && !config_setting_is_array(s))
		return cfg_status_one(ld, s, p);
	n = (unsigned)config_setting_length(s);
	for (i = 0; i < n; i++)
		if (cfg_status_one(ld, config_setting_get_elem(s, i), p) != 0)
			return -EINVAL;
	return 0;
}

static int
cfg_check_member(struct cfg_load *ld, const config_setting_t *m, int id,
    struct hc_params *p)
{
	const char	*v;
	long long	 n;
	regex_t		 re;
	uint16_t	 port;
	bool		 b;
	size_t		 i;

	switch (id) {
	case C_TYPE:
		if (cfg_str(ld, m, &v) != 0)
			return -EINVAL;
		for (i = HC_NONE + 1; i < HC__MAX; i++)
			if (strcasecmp(v, check_types[i]) == 0)
				break;
		if (i == HC__MAX) {
			cfg_err(ld, m, "unknown check type '%.64s' (tcp, http, "
			    "https, udp or exec)", v);
			return -EINVAL;
		}
		p->hp_type = (int)i;
		return 0;
	case C_INTERVAL:
		return cfg_seconds(ld, m, 0.01, 86400, &p->hp_interval);
	case C_TIMEOUT:
		return cfg_seconds(ld, m, 0.01, 3600, &p->hp_timeout);
	case C_DELAY:
		return cfg_seconds(ld, m, 0, 3600, &p->hp_retry_delay);
	case C_WARMUP:
		return cfg_seconds(ld, m, 0, 86400, &p->hp_warmup);
	case C_RETRY:
	case C_RISE:
	case C_FALL:
		if (cfg_int(ld, m, id == C_RETRY ? 0 : 1, 1000, &n) != 0)
			return -EINVAL;
		if (id == C_RETRY)
			p->hp_retry = (unsigned)n;
		else if (id == C_RISE)
			p->hp_rise = (unsigned)n;
		else
			p->hp_fall = (unsigned)n;
		return 0;
	case C_ALPHA:
	case C_INHIBIT:
	case C_SNI:
	case C_DYNAMIC:
		if (cfg_bool(ld, m, &b) != 0)
			return -EINVAL;
		if (id == C_ALPHA)
			p->hp_alpha = b;
		else if (id == C_INHIBIT)
			p->hp_inhibit = b;
		else if (id == C_SNI)
			p->hp_sni = b;
		else
			p->hp_dynamic = b;
		return 0;
	case C_CONNECT_IP:
		return cfg_addr(ld, m, &p->hp_connect.ep_addr);
	case C_CONNECT_PORT:
		if (cfg_port(ld, m, &port) != 0)
			return -EINVAL;
		p->hp_connect.ep_port = port;
		return 0;
	case C_BIND:
		return cfg_addr(ld, m, &p->hp_bind);
	case C_PATH:
		if (cfg_strbuf(ld, m, p->hp_path, sizeof(p->hp_path)) != 0)
			return -EINVAL;
		if (p->hp_path[0] != '/') {
			cfg_err(ld, m, "'path' must begin with '/'");
			return -EINVAL;
		}
		return 0;
	case C_VHOST:
		return cfg_strbuf(ld, m, p->hp_vhost, sizeof(p->hp_vhost));
	case C_STATUS:
		return cfg_status(ld, m, p);
	case C_DIGEST:
		if (cfg_strbuf(ld, m, p->hp_digest, sizeof(p->hp_digest)) != 0)
			return -EINVAL;
		for (i = 0; p->hp_digest[i] != '\0'; i++)
			if (strchr("0123456789abcdefABCDEF", p->hp_digest[i]) ==
			    NULL)
				break;
		if (p->hp_digest[i] != '\0' || (i != 0 && i != 32)) {
			cfg_err(ld, m, "'digest': 32 hex digits (an MD5 sum "
			    "as md5sum prints it)");
			return -EINVAL;
		}
		for (i = 0; p->hp_digest[i] != '\0'; i++)
			p->hp_digest[i] = (char)(p->hp_digest[i] | 0x20);
		return 0;
	case C_REGEX:
		if (cfg_strbuf(ld, m, p->hp_regex, sizeof(p->hp_regex)) != 0)
			return -EINVAL;
		if (regcomp(&re, p->hp_regex, REG_EXTENDED | REG_NOSUB) != 0) {
			cfg_err(ld, m, "'regex': bad regular expression "
			    "'%.64s'", p->hp_regex);
			return -EINVAL;
		}
		regfree(&re);
		return 0;
	case C_PAYLOAD:
		return cfg_hex(ld, m, p->hp_payload, sizeof(p->hp_payload),
		    &p->hp_payload_len);
	case C_REQUIRE:
		p->hp_reply_len = 0;
		if (config_setting_type(m) == CONFIG_TYPE_BOOL)
			return cfg_bool(ld, m, &p->hp_require_reply);
		p->hp_require_reply = true;
		return cfg_hex(ld, m, p->hp_reply, sizeof(p->hp_reply),
		    &p->hp_reply_len);
	case C_MINLEN:
	case C_MAXLEN:
		if (cfg_int(ld, m, 0, 65535, &n) != 0)
			return -EINVAL;
		if (id == C_MINLEN)
			p->hp_min_reply = (size_t)n;
		else
			p->hp_max_reply = (size_t)n;
		return 0;
	case C_COMMAND:
		return cfg_strbuf(ld, m, p->hp_cmd, sizeof(p->hp_cmd));
	default:
		return cfg_strbuf(ld, m, p->hp_user, sizeof(p->hp_user));
	}
}

/*
 * A check group <s> merged over <p> (the service's, or the defaults).
 * 0 or -EINVAL (reported).  The type and its needs are checked by the
 * caller, once the real server's override is known.
 */
int
cfg_check(struct cfg_load *ld, const config_setting_t *s, struct hc_params *p)
{
	const config_setting_t	*seen[C__MAX] = { NULL }, *m;
	int			 i, id, r = 0;

	if (!cfg_is_group(ld, s))
		return -EINVAL;
	for (i = 0; (m = config_setting_get_elem(s, (unsigned)i)) != NULL; i++) {
		if ((id = cfg_key_find(ld, m, check_keys, nitems(check_keys),
		    seen)) < 0 || cfg_check_member(ld, m, id, p) != 0)
			r = -EINVAL;
	}
	return r;
}

/* What a check needs once merged; <s> is where to say so. */
int
cfg_check_valid(struct cfg_load *ld, const config_setting_t *s,
    const struct hc_params *p)
{
	if (p->hp_type == HC_NONE) {
		cfg_err(ld, s, "check without 'type' (tcp, http, https, udp or "
		    "exec)");
		return -EINVAL;
	}
	if (p->hp_type == HC_EXEC && p->hp_cmd[0] == '\0') {
		cfg_err(ld, s, "exec check without 'command'");
		return -EINVAL;
	}
	if (p->hp_max_reply != 0 && p->hp_min_reply > p->hp_max_reply) {
		cfg_err(ld, s, "min_reply_length %zu above max_reply_length "
		    "%zu", p->hp_min_reply, p->hp_max_reply);
		return -EINVAL;
	}
	return 0;
}


/* Append to the load's health configuration; false: out of memory. */
bool
cfg_health_add(struct cfg_load *ld, const struct health_svc *hs,
    const struct health_rs *hr)
{
	struct health_conf	*hf = ld->ld_hf;
	void			*a;

	if (hf == NULL && (hf = ld->ld_hf = calloc(1, sizeof(*hf))) == NULL)
		goto out_nomem;
	if (hs != NULL) {
		a = realloc(hf->hf_svc, (hf->hf_nsvc + 1) * sizeof(*hs));
		if (a == NULL)
			goto out_nomem;
		hf->hf_svc = a;
		hf->hf_svc[hf->hf_nsvc++] = *hs;
	}
	if (hr != NULL) {
		a = realloc(hf->hf_rs, (hf->hf_nrs + 1) * sizeof(*hr));
		if (a == NULL)
			goto out_nomem;
		hf->hf_rs = a;
		hf->hf_rs[hf->hf_nrs++] = *hr;
	}
	return true;
out_nomem:
	ld->ld_nomem = true;
	return false;
}

