/*
 * policy.c - the policy: what a scan judges by (reference time, soon
 * window, longest validity, fail-on level, identical / per-node globs,
 * per-rule severities, read limits), separate from the scan handle. The
 * defaults are defined here, once; a scan starts with them and takes a
 * copy of a policy with cf_scan_set_policy().
 */
#define _GNU_SOURCE
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
}

static void
free_strv(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

void
cf__policy_clear(struct cf_policy *p)
{
	free_strv(p->identical, p->n_identical);
	free_strv(p->per_node, p->n_per_node);
	free_strv(p->expect_names, p->n_expect_names);
	p->identical = p->per_node = p->expect_names = NULL;
	p->n_identical = p->n_per_node = p->n_expect_names = 0;
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

int
cf__policy_copy(struct cf_policy *dst, const struct cf_policy *src)
{
	struct cf_policy p = *src;

	p.identical = strv_copy(src->identical, src->n_identical);
	p.per_node = strv_copy(src->per_node, src->n_per_node);
	p.expect_names = strv_copy(src->expect_names, src->n_expect_names);
	if (p.identical == NULL || p.per_node == NULL || p.expect_names == NULL) {
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
	if (now < CF__TIME_MIN || now > CF__TIME_MAX)
		return CF_E_USAGE;        /* the years of X.509: 0001 to 9999 */
	p->now = now;
	return 0;
}

int
cf_policy_set_soon(struct cf_policy *p, int64_t seconds)
{
	if (seconds < 0)
		return CF_E_USAGE;
	p->soon = seconds;
	return 0;
}

int
cf_policy_set_soon_percent(struct cf_policy *p, int percent)
{
	if (percent < 0 || percent > 99)
		return CF_E_USAGE;
	p->soon_percent = percent;
	return 0;
}

int
cf_policy_set_profile(struct cf_policy *p, enum cf_profile profile)
{
	if (profile != CF_PROFILE_PRIVATE && profile != CF_PROFILE_CABF)
		return CF_E_USAGE;
	p->profile = profile;
	return 0;
}

int
cf_policy_set_max_validity(struct cf_policy *p, int64_t days)
{
	if (days <= 0 || days > 1000000)
		return CF_E_USAGE;
	p->max_validity_days = days;
	return 0;
}

int
cf_policy_set_fail_on(struct cf_policy *p, enum cf_severity level)
{
	if (level < CF_SEV_WARNING || level > CF_SEV_NEVER)
		return CF_E_USAGE;
	p->fail_on = level;
	return 0;
}

static int
add_glob(char ***v, size_t *n, const char *glob)
{
	char **nv;

	if (glob == NULL)
		return CF_E_USAGE;
	if ((nv = realloc(*v, (*n + 1) * sizeof *nv)) == NULL)
		return CF_E_NOMEM;
	*v = nv;
	if ((nv[*n] = strdup(glob)) == NULL)
		return CF_E_NOMEM;
	(*n)++;
	return 0;
}

int
cf_policy_add_identical(struct cf_policy *p, const char *glob)
{
	return add_glob(&p->identical, &p->n_identical, glob);
}

int
cf_policy_add_per_node(struct cf_policy *p, const char *glob)
{
	return add_glob(&p->per_node, &p->n_per_node, glob);
}

int
cf_policy_add_expect_name(struct cf_policy *p, const char *spec)
{
	const char *eq = spec ? strchr(spec, '=') : NULL;

	/* GLOB=TEMPLATE, both non-empty */
	if (eq == NULL || eq == spec || eq[1] == '\0')
		return CF_E_USAGE;
	return add_glob(&p->expect_names, &p->n_expect_names, spec);
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

	if (l == NULL || value == 0 || value > CF__LIMIT_MAX)
		return CF_E_USAGE;
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

	if (rule == NULL || level < CF_SEV_INFO || level > CF_SEV_NEVER)
		return CF_E_USAGE;
	for (i = 0; i < CF__R_COUNT; i++)
		if (strcmp(cf__rules[i].id, rule) == 0) {
			p->severity[i] = level;
			return 0;
		}
	return CF_E_USAGE;
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
