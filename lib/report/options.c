/*
 * options.c - the report options: how a report is written, not what the
 * scan judges (that is the policy). One table; the command line offers
 * its rows as options through cf_report_option().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

struct ropt {
	const char *name, *arg, *help;
	int (*set)(struct cf_policy *p, const char *name, const char *value);
};

static int
bad(struct cf_policy *p, const char *name, const char *value, const char *want)
{
	return cf__policy_fail(p, CF_E_USAGE, "report option %s: '%s': %s", name, value, want);
}

static int
parse_count(const char *v, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long u;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	u = strtoull(v, &end, 10);
	if (errno || *end || u > max)
		return -1;
	*out = u;
	return 0;
}

static int
set_junit_warnings(struct cf_policy *p, const char *name, const char *v)
{
	if (strcmp(v, "failure") == 0)
		p->ropts.junit_warnings = CF__JW_FAILURE;
	else if (strcmp(v, "skipped") == 0)
		p->ropts.junit_warnings = CF__JW_SKIPPED;
	else if (strcmp(v, "output") == 0)
		p->ropts.junit_warnings = CF__JW_OUTPUT;
	else
		return bad(p, name, v, "give failure, skipped or output");
	return 0;
}

static int
set_markdown_max_bytes(struct cf_policy *p, const char *name, const char *v)
{
	uint64_t u;

	/* below 4 KiB there is no room for the verdict, counts and a finding */
	if (parse_count(v, CF__LIMIT_MAX, &u) != 0 || u < 4096)
		return bad(p, name, v,
		    "give a number of bytes, at least 4096 (GitHub's step "
		    "summary takes 1048576, a pull-request comment 65536)");
	p->ropts.markdown_max_bytes = u;
	return 0;
}

static int
set_max_lines(struct cf_policy *p, const char *name, const char *v)
{
	uint64_t u;

	if (parse_count(v, 1000000, &u) != 0)
		return bad(p, name, v, "give a number of lines per check, 0 for all");
	p->ropts.max_lines = (size_t)u;
	return 0;
}

static int
set_color(struct cf_policy *p, const char *name, const char *v)
{
	if (strcmp(v, "always") == 0)
		p->ropts.color = 1;
	else if (strcmp(v, "never") == 0)
		p->ropts.color = 0;
	else
		return bad(p, name, v, "give always or never");
	return 0;
}

/* The labels certfleet's own series carry: a constant label may not
 * shadow them. */
static const char *const own_labels[] = { "node", "path", "logical_name", "index", "check",
	"severity", "status", "sha256", "instance", "job", NULL };

static int
set_prom_label(struct cf_policy *p, const char *name, const char *v)
{
	const char *eq = strchr(v, '='), *c;
	struct cf__buf b = { 0 };
	size_t i, kl;
	char *clean;

	if (eq == NULL || eq == v)
		return bad(p, name, v, "give KEY=VALUE");
	kl = (size_t)(eq - v);
	for (c = v; c < eq; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_' ||
		        (c > v && *c >= '0' && *c <= '9')))
			return bad(p, name, v, "a label name is [a-zA-Z_][a-zA-Z0-9_]*");
	if (kl >= 2 && v[0] == '_' && v[1] == '_')
		return bad(p, name, v, "names starting with __ are Prometheus' own");
	for (i = 0; own_labels[i]; i++)
		if (strlen(own_labels[i]) == kl && strncmp(v, own_labels[i], kl) == 0)
			return bad(p, name, v,
			    "that label is certfleet's own (node, path, logical_name, "
			    "index, check, severity, status, sha256) or the scraper's (instance, "
			    "job)");
	for (i = 0; i < p->ropts.n_prom_labels; i++)
		if (strncmp(p->ropts.prom_labels[i], v, kl + 1) == 0)
			return bad(p, name, v, "that label is given twice");
	if ((clean = cf__sanitize(eq + 1, strlen(eq + 1))) == NULL)
		return cf__policy_fail(p, CF_E_NOMEM, "out of memory");
	if (cf__buf_add(&b, v, kl + 1) != 0 || cf__buf_add(&b, "\"", 1) != 0 ||
	    cf__prom_escape(&b, clean) != 0 || cf__buf_add(&b, "\"", 2) != 0 ||
	    cf__grow((void **)&p->ropts.prom_labels, &p->ropts.cap_prom_labels,
	        p->ropts.n_prom_labels + 1, sizeof *p->ropts.prom_labels, 0) != 0) {
		free(clean);
		cf__buf_free(&b);
		return cf__policy_fail(p, CF_E_NOMEM, "out of memory");
	}
	free(clean);
	p->ropts.prom_labels[p->ropts.n_prom_labels++] = (char *)b.data;
	return 0;
}

static const struct ropt ropts[] = {
	{ "junit-warnings", "failure|skipped|output",
	    "the element a warning is in JUnit "
	    "(default skipped: listed, not failed)",
	    set_junit_warnings },
	{ "markdown-max-bytes", "N",
	    "the Markdown's size budget; the least severe content is "
	    "cut first (default 1000000, under GitHub's 1 MiB step summary)",
	    set_markdown_max_bytes },
	{ "prom-label", "KEY=VALUE",
	    "a label on every Prometheus series (repeatable), so that "
	    "several scans share a textfile folder",
	    set_prom_label },
	{ "max-lines", "N", "terminal summary: lines per check (default 10, 0 = all)",
	    set_max_lines },
	{ "color", "always|never",
	    "terminal summary colour (default: on a terminal without "
	    "NO_COLOR)",
	    set_color },
};

const char *
cf_report_option(size_t i, const char **arg, const char **help)
{
	if (i >= sizeof ropts / sizeof ropts[0])
		return NULL;
	if (arg)
		*arg = ropts[i].arg;
	if (help)
		*help = ropts[i].help;
	return ropts[i].name;
}

int
cf_policy_set_report_option(struct cf_policy *p, const char *name, const char *value)
{
	size_t i;

	if (name == NULL || value == NULL)
		return cf__policy_fail(p, CF_E_USAGE, "report option: no name or no value");
	for (i = 0; i < sizeof ropts / sizeof ropts[0]; i++)
		if (strcmp(ropts[i].name, name) == 0)
			return ropts[i].set(p, name, value);
	return cf__policy_fail(p, CF_E_USAGE, "no report option '%s'", name);
}

int
cf_scan_set_report_option(struct cf_scan *s, const char *name, const char *value)
{
	return cf__scan_relay(s, cf_policy_set_report_option(&s->policy, name, value));
}
