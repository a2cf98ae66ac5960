/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Health checks (health.c, hc_tcp.c, hc_exec.c, the checker part of
 * config.c): the retry/rise/fall machine and quorum with hysteresis,
 * table-driven; the configuration to run derived from states (down
 * removed, inhibited at weight 0, exec weight, sorry server); check
 * sections of uvsd.conf and their errors; then the tcp and exec checkers
 * for real in the default libev loop against a listener on loopback.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "adm_opts.h"
#include "adm_print.h"
#include "cfg.h"
#include "hc.h"
#include "health.h"
#include "rbuf.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

/* The machine: a sequence of attempt outcomes, the state after each. */
static const struct {
	const char	*name;
	unsigned	 retry, rise, fall;
	bool		 alpha;
	const char	*outcomes;	/* o: ok, x: fail, 2..9: exec weight */
	const char	*want_up;	/* after each: u up, d down */
	const char	*want_next;	/* after each: n next, r retry */
	const char	*want_changed;	/* after each: c changed, - not */
} sm_cases[] = {
	{ "retry 0 fall 1: one failure is down", 0, 1, 1, false,
	    "xo", "du", "nn", "cc" },
	{ "retry 1: two failed attempts make a bad check", 1, 1, 1, false,
	    "xxo", "udu", "rnn", "-cc" },
	{ "retry 1: a retry that succeeds keeps it up", 1, 1, 1, false,
	    "xoxo", "uuuu", "rnrn", "----" },
	{ "fall 3 retry 0", 0, 1, 3, false, "xxxo", "uudu", "nnnn", "--cc" },
	{ "fall 2: a good check between resets", 0, 1, 2, false,
	    "xoxxo", "uuudu", "nnnnn", "---cc" },
	{ "rise 3 after down", 0, 3, 1, false, "xooo", "dddu", "nnnn",
	    "c--c" },
	{ "rise 2: a bad check between resets", 0, 2, 1, false, "xoxoo",
	    "ddddu", "nnnnn", "c---c" },
	{ "alpha starts down, rise 1", 0, 1, 1, true, "o", "u", "n", "c" },
	{ "alpha, failures keep it down", 1, 1, 1, true, "xxo", "ddu",
	    "rnn", "--c" },
	{ "exec weight while up, then the same again", 0, 1, 1, false,
	    "55o", "uuu", "nnn", "c--" },
	{ "exec weight brings it up", 0, 1, 1, true, "3", "u", "n", "c" },
};

static void
test_hsm_when_attempts_end(void **state)
{
	struct hc_params	 p;
	struct hsm		 sm;
	size_t			 i, k;
	bool			 changed;
	int			 next, outcome, w;

	(void)state;
	for (i = 0; i < nitems(sm_cases); i++) {
		memset(&p, 0, sizeof(p));
		p.hp_retry = sm_cases[i].retry;
		p.hp_rise = sm_cases[i].rise;
		p.hp_fall = sm_cases[i].fall;
		p.hp_alpha = sm_cases[i].alpha;
		hsm_init(&sm, &p);
		for (k = 0; sm_cases[i].outcomes[k] != '\0'; k++) {
			char	 c = sm_cases[i].outcomes[k];

			w = 0;
			if (c == 'o')
				outcome = HC_OK;
			else if (c == 'x')
				outcome = HC_FAIL;
			else {
				outcome = HC_WEIGHT;
				w = c - '0';
			}
			next = hsm_attempt(&sm, &p, outcome, w, &changed);
			if (sm.sm_up != (sm_cases[i].want_up[k] == 'u') ||
			    next != (sm_cases[i].want_next[k] == 'r' ?
			    HSM_RETRY : HSM_NEXT) ||
			    changed != (sm_cases[i].want_changed[k] == 'c'))
				fail_msg("%s: step %zu: up %d next %d changed "
				    "%d", sm_cases[i].name, k, sm.sm_up, next,
				    changed);
		}
	}
}

static const struct {
	bool		 was_up;
	int64_t		 live, quorum, hyst;
	bool		 want;
} q_cases[] = {
	{ true, 1, 1, 0, true },
	{ true, 0, 1, 0, false },
	{ false, 1, 1, 0, true },
	{ false, 0, 1, 0, false },
	/* quorum 5 hysteresis 2: lost below 3, regained at 7 */
	{ true, 3, 5, 2, true },
	{ true, 2, 5, 2, false },
	{ false, 6, 5, 2, false },
	{ false, 7, 5, 2, true },
	{ true, 10, 5, 2, true },
	/* quorum 0: still lost with no live weight, as keepalived */
	{ true, 0, 0, 0, false },
	{ false, 0, 0, 0, false },
	{ false, 1, 0, 0, true },
};

static void
test_health_quorum_when_hysteresis(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(q_cases); i++)
		if (health_quorum(q_cases[i].was_up, q_cases[i].live,
		    q_cases[i].quorum, q_cases[i].hyst) != q_cases[i].want)
			fail_msg("case %zu", i);
}

/* tcp 192.0.2.10:80 with real servers .1 .2 .3 (weights 1 2 3), all checked. */
static struct vs_conf *
three_servers(struct health_conf *hf, struct hsm *sm, bool inhibit)
{
	struct vs_conf	*vc = vsconf_dup(NULL);
	struct svc_conf	 sc;
	struct rs_conf	 rc;
	struct uvs_err	 err;
	unsigned	 i;

	assert_non_null(vc);
	memset(&sc, 0, sizeof(sc));
	sc.sc_proto = IPPROTO_TCP;
	assert_int_equal(ep_parse("192.0.2.10:80", true, &sc.sc_ep), 0);
	assert_int_equal(vsconf_add_svc(vc, &sc, &err), 0);
	memset(hf, 0, sizeof(*hf));
	hf->hf_svc = calloc(1, sizeof(*hf->hf_svc));
	hf->hf_rs = calloc(3, sizeof(*hf->hf_rs));
	assert_non_null(hf->hf_svc);
	assert_non_null(hf->hf_rs);
	hf->hf_nsvc = 1;
	hf->hf_nrs = 3;
	hf->hf_svc[0].hs_proto = IPPROTO_TCP;
	hf->hf_svc[0].hs_vip = sc.sc_ep;
	hf->hf_svc[0].hs_quorum = 1;
	hf->hf_svc[0].hs_nrs = 3;
	for (i = 0; i < 3; i++) {
		char	 a[32];

		memset(&rc, 0, sizeof(rc));
		snprintf(a, sizeof(a), "10.0.0.%u:80", i + 1);
		assert_int_equal(ep_parse(a, true, &rc.rc_ep), 0);
		rc.rc_weight = (int32_t)i + 1;
		rc.rc_method = XMIT_DR;
		assert_int_equal(vsconf_add_rs(vc, IPPROTO_TCP, &sc.sc_ep, &rc,
		    &err), 0);
		hf->hf_rs[i].hr_proto = IPPROTO_TCP;
		hf->hf_rs[i].hr_vip = sc.sc_ep;
		hf->hf_rs[i].hr_rip = rc.rc_ep;
		hf->hf_rs[i].hr_params.hp_type = HC_TCP;
		hf->hf_rs[i].hr_params.hp_inhibit = inhibit;
		hsm_init(&sm[i], &hf->hf_rs[i].hr_params);
	}
	return vc;
}

static const struct {
	const char	*name;
	bool		 inhibit, sorry;
	int64_t		 quorum, hyst;
	const char	*up;		/* of .1 .2 .3 */
	int32_t		 exec_weight[3]; /* -1: none */
	const char	*want;		/* "ip:weight ..." as derived */
	bool		 want_quorum;
} d_cases[] = {
	{ "all up", false, false, 1, 0, "uuu", { -1, -1, -1 },
	    "10.0.0.1:1 10.0.0.2:2 10.0.0.3:3", true },
	{ "one down is removed", false, false, 1, 0, "udu", { -1, -1, -1 },
	    "10.0.0.1:1 10.0.0.3:3", true },
	{ "inhibit: weight 0 instead", true, false, 1, 0, "udu",
	    { -1, -1, -1 }, "10.0.0.1:1 10.0.0.2:0 10.0.0.3:3", true },
	{ "exec weight applies", false, false, 1, 0, "uuu", { 7, -1, -1 },
	    "10.0.0.1:7 10.0.0.2:2 10.0.0.3:3", true },
	{ "all down: the sorry server", false, true, 1, 0, "ddd",
	    { -1, -1, -1 }, "10.0.0.99:1", false },
	{ "all down, no sorry server: empty", false, false, 1, 0, "ddd",
	    { -1, -1, -1 }, "", false },
	{ "inhibited all down: sorry too (live weight 0)", true, true, 1, 0,
	    "ddd", { -1, -1, -1 }, "10.0.0.99:1", false },
	{ "quorum 4: .3 alone has 3, sorry", false, true, 4, 0, "ddu",
	    { -1, -1, -1 }, "10.0.0.99:1", false },
	{ "quorum 4: .1 and .3 make it", false, true, 4, 0, "udu",
	    { -1, -1, -1 }, "10.0.0.1:1 10.0.0.3:3", true },
	{ "quorum 5 hysteresis 1: 4 keeps it", false, true, 5, 1, "udu",
	    { -1, -1, -1 }, "10.0.0.1:1 10.0.0.3:3", true },
};

static void
test_health_derive_when_states(void **state)
{
	struct health_conf	 hf;
	struct hsm		 sm[3];
	struct vs_conf		*vc, *out;
	char			 got[256], ep[EP_STRLEN];
	size_t			 i, k;
	bool			 q, flip;

	(void)state;
	for (i = 0; i < nitems(d_cases); i++) {
		vc = three_servers(&hf, sm, d_cases[i].inhibit);
		hf.hf_svc[0].hs_quorum = d_cases[i].quorum;
		hf.hf_svc[0].hs_hysteresis = d_cases[i].hyst;
		if (d_cases[i].sorry) {
			hf.hf_svc[0].hs_sorry = true;
			assert_int_equal(ep_parse("10.0.0.99", false,
			    &hf.hf_svc[0].hs_sorry_ep), 0);
			hf.hf_svc[0].hs_sorry_method = XMIT_NAT;
		}
		for (k = 0; k < 3; k++) {
			sm[k].sm_up = d_cases[i].up[k] == 'u';
			sm[k].sm_weight = d_cases[i].exec_weight[k];
		}
		q = true;
		out = health_derive(vc, &hf, sm, &q, &flip);
		assert_non_null(out);
		got[0] = '\0';
		for (k = 0; k < out->vc_svc[0].sc_nrs; k++) {
			const struct rs_conf *rc = &out->vc_svc[0].sc_rs[k];

			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s%s:%d", k > 0 ? " " : "",
			    addr_fmt(&rc->rc_ep.ep_addr, ep, sizeof(ep)),
			    rc->rc_weight);
		}
		if (strcmp(got, d_cases[i].want) != 0 ||
		    q != d_cases[i].want_quorum ||
		    flip != !d_cases[i].want_quorum)
			fail_msg("%s: got '%s' quorum %d", d_cases[i].name,
			    got, q);
		if (d_cases[i].sorry && !q)
			assert_int_equal(out->vc_svc[0].sc_rs[0].rc_ep.ep_port,
			    htons(80));
		/* The configured one is untouched. */
		assert_int_equal(vc->vc_svc[0].sc_nrs, 3);
		vsconf_free(out);
		vsconf_free(vc);
		free(hf.hf_svc);
		free(hf.hf_rs);
	}
}

#define HSVC	"services = ( { protocol = \"tcp\"; address = \"192.0.2.10\"; " \
		"port = 80;\n"

static const struct {
	const char	*name;
	const char	*text;
	unsigned	 nsvc, nrs;	/* health_conf's */
} cfg_good[] = {
	{ "no checks", HSVC "real_servers = ( { address = \"10.0.0.1\"; } ); "
	    "} );\n", 0, 0 },
	{ "service check for every server", HSVC "check = { type = \"tcp\"; "
	    "interval = 0.5; timeout = 1; retry = 2; rise = 2; fall = 3; };\n"
	    "real_servers = ( { address = \"10.0.0.1\"; }, "
	    "{ address = \"10.0.0.2\"; } ); } );\n", 1, 2 },
	{ "one server's own check", HSVC "real_servers = ( "
	    "{ address = \"10.0.0.1\"; check = { type = \"exec\"; "
	    "command = \"true\"; }; notify_up = \"logger up\"; }, "
	    "{ address = \"10.0.0.2\"; } ); } );\n", 1, 1 },
	{ "keepalived words", HSVC "check = { type = \"http\"; "
	    "delay_loop = 2; connect_timeout = 1; delay_before_retry = 0.5; "
	    "status_code = ( \"200-299\", 302 ); digest = "
	    "\"9E107D9D372BB6826BD81D3542A419D6\"; enable_sni = true; "
	    "bindto = \"10.0.0.254\"; connect_port = 8080; warmup = 3; "
	    "alpha = true; inhibit_on_failure = true; };\n"
	    "sorry_server = { address = \"10.0.0.9\"; port = 80; "
	    "method = \"nat\"; }; quorum = 2; hysteresis = 1;\n"
	    "quorum_up = \"/bin/true\"; quorum_down = \"/bin/true\";\n"
	    "real_servers = ( { address = \"10.0.0.1\"; } ); } );\n", 1, 1 },
	{ "udp payload", "services = ( { protocol = \"udp\"; address = "
	    "\"192.0.2.10\"; port = 53; check = { type = \"udp\"; payload = "
	    "\"00 01 ab\"; require_reply = \"\"; min_reply_length = 2; "
	    "max_reply_length = 512; };\nreal_servers = ( { address = "
	    "\"10.0.0.1\"; } ); } );\n", 1, 1 },
	{ "sorry server only", HSVC "sorry_server = { address = "
	    "\"10.0.0.9\"; }; } );\n", 1, 0 },
};

static void
test_cfg_check_when_good(void **state)
{
	struct uvs_err	 errs[4];
	struct cfg	 c;
	unsigned	 nerrs, i, nsvc, nrs;
	int		 r;

	(void)state;
	for (i = 0; i < nitems(cfg_good); i++) {
		r = cfg_load_string(cfg_good[i].text, "t.conf", &c, errs, 4,
		    &nerrs);
		if (r != 0)
			fail_msg("%s: %s:%d: %s", cfg_good[i].name,
			    errs[0].e_file, errs[0].e_line, errs[0].e_text);
		nsvc = c.cf_health != NULL ? c.cf_health->hf_nsvc : 0;
		nrs = c.cf_health != NULL ? c.cf_health->hf_nrs : 0;
		if (nsvc != cfg_good[i].nsvc || nrs != cfg_good[i].nrs)
			fail_msg("%s: %u services %u checks", cfg_good[i].name,
			    nsvc, nrs);
		cfg_free(&c);
	}
}

static void
test_cfg_check_when_values(void **state)
{
	struct uvs_err		 errs[4];
	struct cfg		 c;
	const struct hc_params	*p;
	unsigned		 nerrs;

	(void)state;
	assert_int_equal(cfg_load_string(cfg_good[3].text, "t.conf", &c, errs,
	    4, &nerrs), 0);
	p = &c.cf_health->hf_rs[0].hr_params;
	assert_int_equal(p->hp_type, HC_HTTP);
	assert_true(p->hp_interval == 2.0 && p->hp_timeout == 1.0);
	assert_true(p->hp_retry_delay == 0.5 && p->hp_warmup == 3.0);
	assert_int_equal(p->hp_retry, 1);
	assert_int_equal(p->hp_nstatus, 2);
	assert_int_equal(p->hp_status_lo[0], 200);
	assert_int_equal(p->hp_status_hi[0], 299);
	assert_int_equal(p->hp_status_lo[1], 302);
	assert_string_equal(p->hp_digest, "9e107d9d372bb6826bd81d3542a419d6");
	assert_string_equal(p->hp_path, "/");
	assert_true(p->hp_sni && p->hp_alpha && p->hp_inhibit);
	assert_int_equal(p->hp_connect.ep_port, htons(8080));
	assert_int_equal(p->hp_bind.a_af, AF_INET);
	/* DR: the check's real server has the service's port. */
	assert_int_equal(c.cf_health->hf_rs[0].hr_rip.ep_port, htons(80));
	assert_true(c.cf_health->hf_svc[0].hs_sorry);
	assert_int_equal(c.cf_health->hf_svc[0].hs_sorry_method, XMIT_NAT);
	assert_int_equal(c.cf_health->hf_svc[0].hs_quorum, 2);
	assert_int_equal(c.cf_health->hf_svc[0].hs_hysteresis, 1);
	cfg_free(&c);
	/* A real server's check merges over the service's. */
	assert_int_equal(cfg_load_string(HSVC "check = { type = \"tcp\"; "
	    "interval = 7; };\nreal_servers = ( { address = \"10.0.0.1\"; "
	    "check = { fall = 4; }; }, { address = \"10.0.0.2\"; } ); } );\n",
	    "t.conf", &c, errs, 4, &nerrs), 0);
	assert_int_equal(c.cf_health->hf_nrs, 2);
	p = &c.cf_health->hf_rs[0].hr_params;
	assert_true(p->hp_type == HC_TCP && p->hp_interval == 7.0 &&
	    p->hp_fall == 4);
	p = &c.cf_health->hf_rs[1].hr_params;
	assert_true(p->hp_type == HC_TCP && p->hp_fall == 1);
	cfg_free(&c);
	/* keepalived's knobs beside the check, at both levels. */
	assert_int_equal(cfg_load_string(HSVC "delay_loop = 9; retry = 3; "
	    "alpha = true; check = { type = \"tcp\"; retry = 2; };\n"
	    "real_servers = ( { address = \"10.0.0.1\"; connect_timeout = 4; "
	    "inhibit_on_failure = true; }, { address = \"10.0.0.2\"; "
	    "delay_before_retry = 2; check = { delay_loop = 8; }; } ); } );\n",
	    "t.conf", &c, errs, 4, &nerrs), 0);
	p = &c.cf_health->hf_rs[0].hr_params;
	assert_true(p->hp_interval == 9.0 && p->hp_retry == 2 &&
	    p->hp_alpha && p->hp_timeout == 4.0 && p->hp_inhibit);
	p = &c.cf_health->hf_rs[1].hr_params;
	assert_true(p->hp_interval == 8.0 && p->hp_retry_delay == 2.0 &&
	    !p->hp_inhibit && p->hp_timeout == 3.0);
	cfg_free(&c);
	/* udp bytes */
	assert_int_equal(cfg_load_string(cfg_good[4].text, "t.conf", &c, errs,
	    4, &nerrs), 0);
	p = &c.cf_health->hf_rs[0].hr_params;
	assert_int_equal(p->hp_payload_len, 3);
	assert_int_equal(p->hp_payload[2], 0xab);
	assert_true(p->hp_require_reply);
	assert_int_equal(p->hp_reply_len, 0);
	cfg_free(&c);
}

static const struct {
	const char	*text;
	int		 line;
	const char	*want;
} cfg_bad[] = {
	{ HSVC "check = { interval = 1; };\n} );\n", 2,
	    "check without 'type'" },
	{ HSVC "check = { type = \"ping\"; };\n} );\n", 2,
	    "unknown check type 'ping'" },
	{ HSVC "check = { type = \"tcp\"; intervall = 1; };\n} );\n", 2,
	    "unknown setting 'intervall'" },
	{ HSVC "check = { type = \"exec\"; };\n} );\n", 2,
	    "exec check without 'command'" },
	{ HSVC "check = { type = \"tcp\";\ninterval = 0; };\n} );\n", 3,
	    "'interval': 0 out of range" },
	{ HSVC "check = { type = \"http\";\nstatus = [ \"200-99\" ]; };\n} );\n",
	    3, "'status': a code or range" },
	{ HSVC "check = { type = \"http\";\ndigest = \"abc\"; };\n} );\n", 3,
	    "'digest': 32 hex digits" },
	{ HSVC "check = { type = \"udp\";\npayload = \"abc\"; };\n} );\n", 3,
	    "odd number of hex digits" },
	{ HSVC "check = { type = \"http\";\npath = \"x\"; };\n} );\n", 3,
	    "'path' must begin with '/'" },
	{ HSVC "\nsorry_server = { port = 80; };\n} );\n", 3,
	    "sorry_server without 'address'" },
	{ HSVC "real_servers = ( { address = \"10.0.0.1\";\n"
	    "check = { rise = 0; }; } );\n} );\n", 3, "'rise': 0 out of range" },
	{ HSVC "real_servers = ( { address = \"10.0.0.1\";\n"
	    "check = { rise = 2; }; } );\n} );\n", 3, "check without 'type'" },
	{ HSVC "check = { type = \"tcp\"; };\nretry = -1; } );\n", 3,
	    "'retry': -1 out of range" },
};

static void
test_cfg_check_when_bad(void **state)
{
	struct uvs_err	 errs[4];
	struct cfg	 c;
	unsigned	 nerrs, i;

	(void)state;
	for (i = 0; i < nitems(cfg_bad); i++) {
		assert_int_equal(cfg_load_string(cfg_bad[i].text, "t.conf", &c,
		    errs, 4, &nerrs), -EINVAL);
		if (nerrs < 1 || errs[0].e_line != cfg_bad[i].line ||
		    strstr(errs[0].e_text, cfg_bad[i].want) == NULL)
			fail_msg("case %u: got line %d '%s'", i,
			    errs[0].e_line, errs[0].e_text);
	}
}

/* The checkers for real: a health with one check, run until it settles. */
static int	 changes;

static void
on_changed(void *arg)
{
	(void)arg;
	changes++;
}

static void
on_stop(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)t, (void)revents;
	ev_break(loop, EVBREAK_ALL);
}

static struct health_conf *
one_check(int type, uint16_t port, const char *cmd, unsigned fall)
{
	struct health_conf	*hf = calloc(1, sizeof(*hf));
	struct health_rs	*hr;

	assert_non_null(hf);
	hf->hf_rs = calloc(1, sizeof(*hf->hf_rs));
	assert_non_null(hf->hf_rs);
	hf->hf_nrs = 1;
	hr = &hf->hf_rs[0];
	hr->hr_proto = IPPROTO_TCP;
	assert_int_equal(ep_parse("192.0.2.10:80", true, &hr->hr_vip), 0);
	assert_int_equal(ep_parse("127.0.0.1", false, &hr->hr_rip), 0);
	hr->hr_rip.ep_port = port;
	hr->hr_params.hp_type = type;
	hr->hr_params.hp_interval = 0.05;
	hr->hr_params.hp_timeout = 1;
	hr->hr_params.hp_retry_delay = 0.01;
	hr->hr_params.hp_retry = 1;
	hr->hr_params.hp_rise = 1;
	hr->hr_params.hp_fall = fall;
	if (cmd != NULL)
		snprintf(hr->hr_params.hp_cmd, sizeof(hr->hr_params.hp_cmd),
		    "%s", cmd);
	return hf;
}

static int
run_check(struct health_conf *hf, double seconds, const char **ret_reason)
{
	struct ev_loop	*loop = ev_default_loop(0);
	struct health	*h;
	struct ep	 vip, rip;
	ev_timer	 stop;
	static char	 reason[HEALTH_REASON_MAX];
	const char	*r = "";
	int		 st;

	vip = hf->hf_rs[0].hr_vip;
	rip = hf->hf_rs[0].hr_rip;
	h = health_new(loop, on_changed, NULL);
	assert_non_null(h);
	assert_int_equal(health_set_conf(h, hf), 0);
	ev_timer_init(&stop, on_stop, seconds, 0.);
	ev_timer_start(loop, &stop);
	ev_run(loop, 0);
	st = health_state(h, IPPROTO_TCP, &vip, &rip, &r);
	snprintf(reason, sizeof(reason), "%s", r);
	*ret_reason = reason;
	assert_true(health_attempts(h) >= 2);
	health_free(h);
	return st;
}

static void
test_hc_tcp_when_listening_or_not(void **state)
{
	struct sockaddr_in	 sin = { .sin_family = AF_INET };
	socklen_t		 len = sizeof(sin);
	const char		*reason;
	int			 fd;
	uint16_t		 port;

	(void)state;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 64), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = sin.sin_port;
	changes = 0;
	assert_int_equal(run_check(one_check(HC_TCP, port, NULL, 1), 0.3,
	    &reason), HEALTH_UP);
	assert_string_equal(reason, "connect succeeded");
	assert_int_equal(changes, 0);
	close(fd);
	/* Nobody listens any more: refused, down, one change. */
	assert_int_equal(run_check(one_check(HC_TCP, port, NULL, 1), 0.3,
	    &reason), HEALTH_DOWN);
	assert_string_equal(reason, "connect: Connection refused");
	assert_int_equal(changes, 1);
}

static const struct {
	const char	*cmd;
	int		 want;
	const char	*reason;
} exec_cases[] = {
	{ "exit 0", HEALTH_UP, "exit 0" },
	{ "exit 1", HEALTH_DOWN, "exit 1" },
	{ "exit 7", HEALTH_UP, "exit 7" },		/* dynamic: weight 5 */
	{ "exit 7 ", HEALTH_DOWN, "exit 7" },		/* not dynamic */
	{ "sleep 5", HEALTH_DOWN, "timeout after 0.2s" },
};

static void
test_hc_exec_when_exit_codes(void **state)
{
	struct health_conf	*hf;
	const char		*reason;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(exec_cases); i++) {
		hf = one_check(HC_EXEC, htons(80), exec_cases[i].cmd, 1);
		hf->hf_rs[0].hr_params.hp_timeout = 0.2;
		hf->hf_rs[0].hr_params.hp_retry = 0;
		hf->hf_rs[0].hr_params.hp_dynamic =
		    strcmp(exec_cases[i].cmd, "exit 7") == 0;
		if (run_check(hf, exec_cases[i].want == HEALTH_UP ? 0.3 : 0.7,
		    &reason) != exec_cases[i].want ||
		    strcmp(reason, exec_cases[i].reason) != 0)
			fail_msg("'%s': reason '%s'", exec_cases[i].cmd, reason);
	}
}

/* A reload keeps a check's down state; a changed check's too. */
static void
test_health_set_conf_when_unchanged(void **state)
{
	struct ev_loop	*loop = ev_default_loop(0);
	struct health	*h;
	struct ep	 vip, rip;
	ev_timer	 stop;
	const char	*reason;

	(void)state;
	h = health_new(loop, on_changed, NULL);
	assert_non_null(h);
	assert_int_equal(health_set_conf(h, one_check(HC_EXEC, htons(80),
	    "exit 1", 1)), 0);
	ev_timer_init(&stop, on_stop, 0.3, 0.);
	ev_timer_start(loop, &stop);
	ev_run(loop, 0);
	ep_parse("192.0.2.10:80", true, &vip);
	ep_parse("127.0.0.1:80", true, &rip);
	assert_int_equal(health_state(h, IPPROTO_TCP, &vip, &rip, &reason),
	    HEALTH_DOWN);
	assert_int_equal(health_set_conf(h, one_check(HC_EXEC, htons(80),
	    "exit 1", 1)), 0);
	assert_int_equal(health_state(h, IPPROTO_TCP, &vip, &rip, &reason),
	    HEALTH_DOWN);
	assert_string_equal(reason, "exit 1");
	/* Changed: new counters, still down until it passes. */
	assert_int_equal(health_set_conf(h, one_check(HC_EXEC, htons(80),
	    "exit 0", 2)), 0);
	assert_int_equal(health_state(h, IPPROTO_TCP, &vip, &rip, &reason),
	    HEALTH_DOWN);
	ev_timer_set(&stop, 0.3, 0.);
	ev_timer_start(loop, &stop);
	ev_run(loop, 0);
	assert_int_equal(health_state(h, IPPROTO_TCP, &vip, &rip, &reason),
	    HEALTH_UP);
	health_free(h);
}

/* uvsadm -L: the health words change nothing; --health shows them. */
static void
test_adm_print_when_health(void **state)
{
	static const char reply[] =
	    "info version 1.2.1 size 4096 connections 0\n"
	    "service tcp 192.0.2.10:80 scheduler rr flags 0x0 persistent 0 "
	    "netmask 255.255.255.255 conns 0\n"
	    "server tcp 192.0.2.10:80 10.0.0.1:80 method dr weight 1 active 2 "
	    "inactive 3 conns 5 health down last \"connect timeout after 3s\"\n"
	    "server tcp 192.0.2.10:80 10.0.0.2:80 method dr weight 2 active 0 "
	    "inactive 0 conns 0\n";
	static const char plain[] =
	    "IP Virtual Server version 1.2.1 (size=4096)\n"
	    "Prot LocalAddress:Port Scheduler Flags\n"
	    "  -> RemoteAddress:Port           Forward Weight ActiveConn "
	    "InActConn\n"
	    "TCP  192.0.2.10:80 rr\n"
	    "  -> 10.0.0.1:80                  Route   1      2          3"
	    "         \n"
	    "  -> 10.0.0.2:80                  Route   2      0          0"
	    "         \n";
	static const char health[] =
	    "IP Virtual Server version 1.2.1 (size=4096)\n"
	    "Prot LocalAddress:Port Scheduler Flags\n"
	    "  -> RemoteAddress:Port           Forward Weight Health Last\n"
	    "TCP  192.0.2.10:80 rr\n"
	    "  -> 10.0.0.1:80                  Route   1      down   connect "
	    "timeout after 3s\n"
	    "  -> 10.0.0.2:80                  Route   2      -      \n";
	struct rbuf	 out = { 0 };
	char		 err[128];

	(void)state;
	assert_int_equal(adm_print_list(reply, ADM_FMT_NUMERIC, false, NULL,
	    &out, err, sizeof(err)), 0);
	assert_string_equal(out.rb_buf, plain);
	rbuf_reset(&out);
	assert_int_equal(adm_print_list(reply, ADM_FMT_NUMERIC |
	    ADM_FMT_HEALTH, false, NULL, &out, err, sizeof(err)), 0);
	assert_string_equal(out.rb_buf, health);
	rbuf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hsm_when_attempts_end),
		cmocka_unit_test(test_health_quorum_when_hysteresis),
		cmocka_unit_test(test_health_derive_when_states),
		cmocka_unit_test(test_cfg_check_when_good),
		cmocka_unit_test(test_cfg_check_when_values),
		cmocka_unit_test(test_cfg_check_when_bad),
		cmocka_unit_test(test_hc_tcp_when_listening_or_not),
		cmocka_unit_test(test_hc_exec_when_exit_codes),
		cmocka_unit_test(test_health_set_conf_when_unchanged),
		cmocka_unit_test(test_adm_print_when_health),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
