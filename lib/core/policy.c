/*
 * policy.c - the policy: every setting a scan takes, separate from the
 * scan handle. What it judges by (reference time, soon window, longest
 * validity, fail-on level, identical / per-node globs, expected names,
 * per-rule severities, read limits), its anchors, how it reads inputs
 * (passwords, jobs, links, layout, node name) and how reports are written
 * (comment, report options: report/options.c). The defaults are defined
 * here, once; a scan starts with them and takes a copy of a policy with
 * cf_scan_set_policy(). A refused setting says why in cf_policy_error(),
 * naming the setting, never a command-line option.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

static const struct cf__limits default_limits = { 16u << 20, 1ull << 30, 100, 100000, 1ull << 26 };

void
cf__policy_init(struct cf_policy *p)
{
	size_t i;

	memset(p, 0, sizeof *p);
	p->now = (int64_t)time(NULL);
	p->soon = 30 * 86400;
	p->max_validity_days = 397;
	p->fail_on = CF_SEV_ERROR;
	p->limits = default_limits;
	for (i = 0; i < CF__R_COUNT; i++)
		p->severity[i] = cf__rules[i].severity;
	p->jobs = 1;
	p->layout = CF_LAYOUT_AUTO;
	p->ropts.junit_warnings = CF__JW_SKIPPED;
	p->ropts.markdown_max_bytes = 1000000; /* under GitHub's 1 MiB step summary */
	p->ropts.max_lines = 10;
}

int
cf__policy_fail(struct cf_policy *p, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->error, sizeof p->error, fmt, ap);
	va_end(ap);
	return code;
}

const char *
cf_policy_error(const struct cf_policy *p)
{
	return p->error;
}

static void
free_strv(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

static void
free_passwords(struct cf__password *v, size_t n)
{
	while (n--) {
		explicit_bzero(v[n].pw, strlen(v[n].pw));
		free(v[n].pw);
	}
	free(v);
}

void
cf__policy_clear(struct cf_policy *p)
{
	free_strv(p->identical, p->n_identical);
	free_strv(p->per_node, p->n_per_node);
	free_strv(p->expect_names, p->n_expect_names);
	free_strv(p->trust, p->n_trust);
	free_strv(p->ropts.prom_labels, p->ropts.n_prom_labels);
	free_passwords(p->passwords, p->n_passwords);
	while (p->n_pw_scopes)
		free(p->pw_scopes[--p->n_pw_scopes]);
	free(p->node);
	free(p->comment);
	p->identical = p->per_node = p->expect_names = p->trust = p->ropts.prom_labels = NULL;
	p->n_identical = p->n_per_node = p->n_expect_names = p->n_trust = 0;
	p->ropts.n_prom_labels = p->ropts.cap_prom_labels = 0;
	p->passwords = NULL;
	p->n_passwords = 0;
	p->node = p->comment = NULL;
}

static char **
strv_copy(char *const *v, size_t n)
{
	char **c = calloc(n + 1, sizeof *c);
	size_t i;

	for (i = 0; c && i < n; i++)
		if ((c[i] = strdup(v[i])) == NULL) {
			free_strv(c, i);
			return NULL;
		}
	return c;
}

static char *
str_copy(const char *s, int *nomem)
{
	char *c = s ? strdup(s) : NULL;

	*nomem |= s && c == NULL;
	return c;
}

int
cf__policy_copy(struct cf_policy *dst, const struct cf_policy *src)
{
	struct cf_policy p = *src;
	size_t i;
	int nomem = 0;

	p.identical = strv_copy(src->identical, src->n_identical);
	p.per_node = strv_copy(src->per_node, src->n_per_node);
	p.expect_names = strv_copy(src->expect_names, src->n_expect_names);
	p.trust = strv_copy(src->trust, src->n_trust);
	p.ropts.prom_labels = strv_copy(src->ropts.prom_labels, src->ropts.n_prom_labels);
	p.ropts.cap_prom_labels = src->ropts.n_prom_labels + 1;
	p.node = str_copy(src->node, &nomem);
	p.comment = str_copy(src->comment, &nomem);
	for (i = 0; i < src->n_pw_scopes; i++)
		p.pw_scopes[i] = str_copy(src->pw_scopes[i], &nomem);
	p.passwords = calloc(src->n_passwords + 1, sizeof *p.passwords);
	for (i = 0; p.passwords && i < src->n_passwords; i++) {
		p.passwords[i].scope = src->passwords[i].scope;
		if ((p.passwords[i].pw = str_copy(src->passwords[i].pw, &nomem)) == NULL)
			break;
	}
	if (p.passwords)
		p.n_passwords = i;
	if (nomem || p.identical == NULL || p.per_node == NULL || p.expect_names == NULL ||
	    p.trust == NULL || p.ropts.prom_labels == NULL || p.passwords == NULL) {
		cf__policy_clear(&p);
		return CF_E_NOMEM;
	}
	cf__policy_clear(dst);
	*dst = p;
	return 0;
}

struct cf_policy *
cf_policy_new(void)
{
	struct cf_policy *p = malloc(sizeof *p);

	if (p)
		cf__policy_init(p);
	return p;
}

void
cf_policy_free(struct cf_policy *p)
{
	if (p == NULL)
		return;
	cf__policy_clear(p);
	free(p);
}

int
cf_policy_set_now(struct cf_policy *p, int64_t now)
{
	if (now < CF__TIME_MIN || now > CF__TIME_MAX) /* the years of X.509 */
		return cf__policy_fail(
		    p, CF_E_USAGE, "now: %lld lies outside the years 0001 to 9999", (long long)now);
	p->now = now;
	return 0;
}

int
cf_policy_set_soon(struct cf_policy *p, int64_t seconds)
{
	if (seconds < 0)
		return cf__policy_fail(p, CF_E_USAGE,
		    "soon: a window of %lld seconds: it must not be "
		    "negative",
		    (long long)seconds);
	p->soon = seconds;
	return 0;
}

int
cf_policy_set_soon_percent(struct cf_policy *p, int percent)
{
	if (percent < 0 || percent > 99)
		return cf__policy_fail(p, CF_E_USAGE,
		    "soon_percent: %d: give 1 to 99 (a share of the "
		    "lifetime), or 0 for the fixed window",
		    percent);
	p->soon_percent = percent;
	return 0;
}

int
cf_policy_set_profile(struct cf_policy *p, enum cf_profile profile)
{
	if (profile != CF_PROFILE_PRIVATE && profile != CF_PROFILE_CABF)
		return cf__policy_fail(p, CF_E_USAGE,
		    "profile: %d is neither CF_PROFILE_PRIVATE nor "
		    "CF_PROFILE_CABF",
		    (int)profile);
	p->profile = profile;
	return 0;
}

int
cf_policy_set_max_validity(struct cf_policy *p, int64_t days)
{
	if (days <= 0 || days > 1000000)
		return cf__policy_fail(
		    p, CF_E_USAGE, "max_validity: %lld days: give 1 to 1000000", (long long)days);
	p->max_validity_days = days;
	return 0;
}

int
cf_policy_set_fail_on(struct cf_policy *p, enum cf_severity level)
{
	if (level < CF_SEV_WARNING || level > CF_SEV_NEVER)
		return cf__policy_fail(p, CF_E_USAGE,
		    "fail_on: give CF_SEV_WARNING, CF_SEV_ERROR or "
		    "CF_SEV_NEVER");
	p->fail_on = level;
	return 0;
}

/* Copy S (WHAT: "a glob", "a path") to the end of *V; SETTING and WHAT
 * name it in a refusal. */
static int
add_string(
    struct cf_policy *p, const char *setting, const char *what, char ***v, size_t *n, const char *s)
{
	char **nv;

	if (s == NULL)
		return cf__policy_fail(p, CF_E_USAGE, "%s: %s, not NULL", setting, what);
	if ((nv = realloc(*v, (*n + 1) * sizeof *nv)) == NULL)
		return cf__policy_fail(p, CF_E_NOMEM, "out of memory");
	*v = nv;
	if ((nv[*n] = strdup(s)) == NULL)
		return cf__policy_fail(p, CF_E_NOMEM, "out of memory");
	(*n)++;
	return 0;
}

int
cf_policy_add_identical(struct cf_policy *p, const char *glob)
{
	return add_string(p, "identical", "a glob", &p->identical, &p->n_identical, glob);
}

int
cf_policy_add_per_node(struct cf_policy *p, const char *glob)
{
	return add_string(p, "per_node", "a glob", &p->per_node, &p->n_per_node, glob);
}

int
cf_policy_add_expect_name(struct cf_policy *p, const char *spec)
{
	const char *eq = spec ? strchr(spec, '=') : NULL;

	/* GLOB=TEMPLATE, both non-empty */
	if (eq == NULL || eq == spec || eq[1] == '\0')
		return cf__policy_fail(p, CF_E_USAGE,
		    "expect_name: '%s': give GLOB=TEMPLATE, both "
		    "non-empty (e.g. 'etc/tls/*.crt={node}.example.com')",
		    spec ? spec : "(null)");
	return add_string(
	    p, "expect_name", "GLOB=TEMPLATE", &p->expect_names, &p->n_expect_names, spec);
}

int
cf_policy_add_trust(struct cf_policy *p, const char *path)
{
	return add_string(p, "trust", "a path", &p->trust, &p->n_trust, path);
}

int
cf_policy_add_system_trust(struct cf_policy *p)
{
	p->system_trust = 1;
	return 0;
}

int
cf_policy_set_trust_only(struct cf_policy *p, int only)
{
	p->trust_only = only != 0;
	return 0;
}

int
cf_policy_add_password(struct cf_policy *p, const char *glob, const char *password)
{
	struct cf__password *v, one = { NULL, 0 };
	size_t k = 0;

	if (password == NULL)
		return cf__policy_fail(p, CF_E_USAGE, "password: NULL");
	if (glob) { /* its scope: a glob seen before, or a new one */
		for (k = 0; k < p->n_pw_scopes && strcmp(p->pw_scopes[k], glob) != 0; k++)
			;
		if (k == CF__PW_SCOPES)
			return cf__policy_fail(
			    p, CF_E_USAGE, "password: at most %d path patterns", CF__PW_SCOPES);
		if (k == p->n_pw_scopes) {
			if ((p->pw_scopes[k] = strdup(glob)) == NULL)
				return cf__policy_fail(p, CF_E_NOMEM, "out of memory");
			p->n_pw_scopes++;
		}
		k++;
	}
	one.scope = (unsigned char)k;
	if ((one.pw = strdup(password)) == NULL ||
	    (v = realloc(p->passwords, (p->n_passwords + 1) * sizeof *v)) == NULL) {
		if (one.pw)
			explicit_bzero(one.pw, strlen(one.pw));
		free(one.pw);
		return cf__policy_fail(p, CF_E_NOMEM, "out of memory");
	}
	v[p->n_passwords++] = one;
	p->passwords = v;
	return 0;
}

int
cf_policy_set_jobs(struct cf_policy *p, int jobs)
{
	if (jobs < 1 || jobs > 256)
		return cf__policy_fail(p, CF_E_USAGE, "jobs: %d: give 1 to 256", jobs);
	p->jobs = jobs;
	return 0;
}

int
cf_policy_set_follow_links(struct cf_policy *p, int follow)
{
	p->follow_links = follow != 0;
	return 0;
}

int
cf_policy_set_layout(struct cf_policy *p, enum cf_layout layout)
{
	if (layout != CF_LAYOUT_AUTO && layout != CF_LAYOUT_FLEET && layout != CF_LAYOUT_NODE)
		return cf__policy_fail(p, CF_E_USAGE,
		    "layout: give CF_LAYOUT_AUTO, CF_LAYOUT_FLEET or "
		    "CF_LAYOUT_NODE");
	p->layout = layout;
	return 0;
}

/* *DST becomes a copy of S (NULL: none), CLEAN sanitized. */
static int
set_string(struct cf_policy *p, char **dst, const char *s, int clean)
{
	char *c = NULL;

	if (s && (c = clean ? cf__sanitize(s, strlen(s)) : strdup(s)) == NULL)
		return cf__policy_fail(p, CF_E_NOMEM, "out of memory");
	free(*dst);
	*dst = c;
	return 0;
}

int
cf_policy_set_node(struct cf_policy *p, const char *name)
{
	return set_string(p, &p->node, name, 0);
}

int
cf_policy_set_comment(struct cf_policy *p, const char *text)
{
	return set_string(p, &p->comment, text, 1);
}

/* Where limit WHICH lies in P, or NULL. */
static uint64_t *
limit_of(struct cf_policy *p, enum cf_limit which)
{
	switch (which) {
	case CF_LIMIT_FILE_SIZE: return &p->limits.max_file_size;
	case CF_LIMIT_TOTAL_SIZE: return &p->limits.max_total_size;
	case CF_LIMIT_RATIO: return &p->limits.max_ratio;
	case CF_LIMIT_ENTRIES: return &p->limits.max_entries;
	case CF_LIMIT_KDF_WORK: return &p->limits.max_kdf_work;
	default: return NULL;
	}
}

int
cf_policy_set_limit(struct cf_policy *p, enum cf_limit which, uint64_t value)
{
	uint64_t *l = limit_of(p, which);

	if (l == NULL)
		return cf__policy_fail(p, CF_E_USAGE, "limit: %d is no enum cf_limit", (int)which);
	if (value == 0 || value > CF__LIMIT_MAX)
		return cf__policy_fail(
		    p, CF_E_USAGE, "limit: %llu: give 1 to 2^50", (unsigned long long)value);
	*l = value;
	return 0;
}

uint64_t
cf_policy_limit(const struct cf_policy *p, enum cf_limit which)
{
	const uint64_t *l = limit_of((struct cf_policy *)p, which);

	return l ? *l : 0;
}

int
cf_policy_set_severity(struct cf_policy *p, const char *rule, enum cf_severity level)
{
	size_t i;

	if (level < CF_SEV_INFO || level > CF_SEV_NEVER)
		return cf__policy_fail(
		    p, CF_E_USAGE, "severity: %d is no enum cf_severity", (int)level);
	for (i = 0; rule && i < CF__R_COUNT; i++)
		if (strcmp(cf__rules[i].id, rule) == 0) {
			p->severity[i] = level;
			return 0;
		}
	return cf__policy_fail(p, CF_E_USAGE, "severity: no rule '%s'", rule ? rule : "(null)");
}

int64_t
cf_policy_now(const struct cf_policy *p)
{
	return p->now;
}

enum cf_severity
cf_policy_fail_on(const struct cf_policy *p)
{
	return p->fail_on;
}
