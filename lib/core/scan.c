/*
 * scan.c - the scan handle: its options (the policy's setters on the
 * scan's copy, policy.c holds the defaults), errors, running the rule
 * table's passes (cf_scan_run), counts and the exit status. The model it
 * fills (files, findings, skips, nodes) is model.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

struct cf_scan *
cf_scan_new(void)
{
	struct cf_scan *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	cf__policy_init(&s->policy);
	s->clash_node = -1;
	if ((s->cache = cf__facts_cache_new()) == NULL ||
	    (s->content = cf__dmap_new(cf__decoded_free)) == NULL) {
		cf__facts_cache_free(s->cache);
		free(s);
		return NULL;
	}
	return s;
}

static void cache_passwords_clear(struct cf__facts_cache *c);

void
cf_scan_free(struct cf_scan *s)
{
	size_t i;

	if (s == NULL)
		return;
	cf__pipeline_abort(s);
	for (i = 0; i < s->n_findings; i++)
		free(s->findings[i].message);
	for (i = 0; i < s->n_skips; i++) {
		free(s->skips[i].node);
		free(s->skips[i].path);
		free(s->skips[i].reason);
	}
	free(s->files);
	free(s->file_off);
	free(s->file_order);
	free(s->finding_off);
	free(s->finding_order);
	free(s->findings);
	free(s->skips);
	free(s->items);
	free(s->trust);
	cf__strtab_free(&s->node_tab);
	cf__strtab_free(&s->path_tab);
	cf__policy_clear(&s->policy);
	if (s->cache)
		cache_passwords_clear(s->cache);
	for (i = 0; i < s->n_inputs; i++) {
		free(s->inputs[i].real);
		free(s->inputs[i].name);
	}
	free(s->inputs);
	free(s->node_input);
	for (i = 0; s->node_origin && i < s->n_nodes; i++)
		free(s->node_origin[i]);
	free(s->node_origin);
	free(s->last_node);
	for (i = 0; i < s->n_deferred; i++) { /* a scan freed before it ran */
		free(s->deferred[i].raw_node);
		free(s->deferred[i].raw_path);
		free(s->deferred[i].data);
	}
	free(s->deferred);
	cf__dmap_free(s->content);
	cf__facts_cache_free(s->cache);
	free(s);
}

const char *
cf_scan_error(const struct cf_scan *s)
{
	return s->error;
}

int
cf__set_error(struct cf_scan *s, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->error, sizeof s->error, fmt, ap);
	va_end(ap);
	return code;
}

/* ---- options ------------------------------------------------------------------ */
/*
 * The cf_scan_set_* and cf_scan_add_* settings are the policy's setters on
 * the scan's own copy (deprecated: a program builds a cf_policy and gives
 * it with cf_scan_set_policy), with the policy's refusal as the scan's
 * error.
 */

int
cf__scan_relay(struct cf_scan *s, int rc)
{
	return rc ? cf__set_error(s, rc, "%s", s->policy.error) : 0;
}

int
cf_scan_set_now(struct cf_scan *s, int64_t now)
{
	return cf__scan_relay(s, cf_policy_set_now(&s->policy, now));
}

int
cf_scan_set_soon(struct cf_scan *s, int64_t seconds)
{
	return cf__scan_relay(s, cf_policy_set_soon(&s->policy, seconds));
}

int
cf_scan_set_soon_percent(struct cf_scan *s, int percent)
{
	return cf__scan_relay(s, cf_policy_set_soon_percent(&s->policy, percent));
}

int
cf_scan_set_profile(struct cf_scan *s, enum cf_profile profile)
{
	return cf__scan_relay(s, cf_policy_set_profile(&s->policy, profile));
}

int
cf_scan_set_max_validity(struct cf_scan *s, int64_t days)
{
	return cf__scan_relay(s, cf_policy_set_max_validity(&s->policy, days));
}

int
cf_scan_set_fail_on(struct cf_scan *s, enum cf_severity level)
{
	return cf__scan_relay(s, cf_policy_set_fail_on(&s->policy, level));
}

int
cf_scan_set_severity(struct cf_scan *s, const char *rule, enum cf_severity level)
{
	return cf__scan_relay(s, cf_policy_set_severity(&s->policy, rule, level));
}

uint16_t
cf__pw_mask(const struct cf__facts_cache *c, const char *path)
{
	uint16_t m = 0;
	size_t k;

	for (k = 0; k < c->n_scopes; k++)
		if (fnmatch(c->scopes[k], path, 0) == 0)
			m |= (uint16_t)(1u << k);
	return m;
}

/* Password PW, for the paths GLOB matches (NULL: every one), into the
 * decoders' list (the policy has checked both). */
static int
cache_password(struct cf_scan *s, const char *glob, const char *pw)
{
	struct cf__facts_cache *c = s->cache;
	unsigned char *sc;
	char **v, *copy;
	size_t k = 0;

	if (glob) {
		for (k = 0; k < c->n_scopes && strcmp(c->scopes[k], glob) != 0; k++)
			;
		if (k == c->n_scopes) {
			char **nv = realloc(c->scopes, (k + 1) * sizeof *nv);
			if (nv == NULL || (nv[k] = strdup(glob)) == NULL) {
				if (nv)
					c->scopes = nv;
				return CF_E_NOMEM;
			}
			c->scopes = nv;
			c->n_scopes++;
		}
		k++;
	}
	if ((sc = realloc(c->pw_scope, c->n_passwords + 1)) == NULL)
		return CF_E_NOMEM;
	c->pw_scope = sc;
	sc[c->n_passwords] = (unsigned char)k;
	if ((copy = strdup(pw)) == NULL ||
	    (v = realloc(c->passwords, (c->n_passwords + 1) * sizeof *v)) == NULL) {
		free(copy);
		return CF_E_NOMEM;
	}
	v[c->n_passwords++] = copy;
	c->passwords = v;
	return 0;
}

/* The decoders' passwords forgotten (wiped). */
static void
cache_passwords_clear(struct cf__facts_cache *c)
{
	size_t i;

	for (i = 0; i < c->n_passwords; i++) {
		explicit_bzero(c->passwords[i], strlen(c->passwords[i]));
		free(c->passwords[i]);
	}
	free(c->passwords);
	free(c->pw_scope);
	for (i = 0; i < c->n_scopes; i++)
		free(c->scopes[i]);
	free(c->scopes);
	c->passwords = c->scopes = NULL;
	c->pw_scope = NULL;
	c->n_passwords = c->n_scopes = 0;
}

/* The glob of password PW of P, or NULL (every file). */
static const char *
pw_glob(const struct cf_policy *p, const struct cf__password *pw)
{
	return pw->scope ? p->pw_scopes[pw->scope - 1] : NULL;
}

int
cf__scan_take_passwords(struct cf_scan *s)
{
	size_t i;

	cache_passwords_clear(s->cache);
	for (i = 0; i < s->policy.n_passwords; i++)
		if (cache_password(s, pw_glob(&s->policy, &s->policy.passwords[i]),
		        s->policy.passwords[i].pw) != 0)
			return cf__set_error(s, CF_E_NOMEM, "out of memory");
	return 0;
}

int
cf_scan_add_password(struct cf_scan *s, const char *password)
{
	return cf_scan_add_password_for(s, NULL, password);
}

int
cf_scan_add_password_for(struct cf_scan *s, const char *glob, const char *password)
{
	int rc;

	if (s->n_inputs || s->ran)
		return cf__set_error(
		    s, CF_E_USAGE, "password: passwords are added before the inputs");
	if ((rc = cf__scan_relay(s, cf_policy_add_password(&s->policy, glob, password))) != 0)
		return rc;
	if (cache_password(s, glob, password) != 0)
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	return 0;
}

int
cf_scan_set_follow_links(struct cf_scan *s, int follow)
{
	return cf__scan_relay(s, cf_policy_set_follow_links(&s->policy, follow));
}

int
cf_scan_set_jobs(struct cf_scan *s, int jobs)
{
	if (s->pipe || s->n_files)
		return cf__set_error(s, CF_E_USAGE, "jobs: set before the inputs are added");
	return cf__scan_relay(s, cf_policy_set_jobs(&s->policy, jobs));
}

int
cf_scan_set_progress(struct cf_scan *s, void (*fn)(size_t, size_t, void *), void *arg)
{
	s->progress = fn;
	s->progress_arg = arg;
	return 0;
}

int
cf_scan_set_node(struct cf_scan *s, const char *name)
{
	return cf__scan_relay(s, cf_policy_set_node(&s->policy, name));
}

int
cf_scan_set_trust_only(struct cf_scan *s, int only)
{
	return cf__scan_relay(s, cf_policy_set_trust_only(&s->policy, only));
}

int
cf_scan_set_layout(struct cf_scan *s, enum cf_layout layout)
{
	return cf__scan_relay(s, cf_policy_set_layout(&s->policy, layout));
}

int
cf_scan_set_comment(struct cf_scan *s, const char *text)
{
	return cf__scan_relay(s, cf_policy_set_comment(&s->policy, text));
}

int
cf_scan_add_identical(struct cf_scan *s, const char *glob)
{
	return cf__scan_relay(s, cf_policy_add_identical(&s->policy, glob));
}

int
cf_scan_add_per_node(struct cf_scan *s, const char *glob)
{
	return cf__scan_relay(s, cf_policy_add_per_node(&s->policy, glob));
}

int
cf_scan_add_expect_name(struct cf_scan *s, const char *spec)
{
	return cf__scan_relay(s, cf_policy_add_expect_name(&s->policy, spec));
}

int
cf_scan_set_limit(struct cf_scan *s, enum cf_limit which, uint64_t value)
{
	return cf__scan_relay(s, cf_policy_set_limit(&s->policy, which, value));
}

const struct cf_policy *
cf_scan_policy(const struct cf_scan *s)
{
	return &s->policy;
}

/* ---- records ------------------------------------------------------------------- */

const char *
cf__severity_name(enum cf_severity s)
{
	switch (s) {
	case CF_SEV_ERROR: return "error";
	case CF_SEV_WARNING: return "warning";
	case CF_SEV_INFO: return "info";
	default: return "never";
	}
}

/* Every pass of the rule table once, by scope: the certificate rules, then
 * key pairing, then the fleet comparison, then what the inputs held as a
 * whole (the findings' order). */
static int
run_rules(struct cf_scan *s)
{
	static const enum cf__scope order[] = { CF__SCOPE_CERT, CF__SCOPE_PAIR, CF__SCOPE_FLEET,
		CF__SCOPE_INPUT };
	size_t k, i, j;
	int rc;

	for (k = 0; k < sizeof order / sizeof order[0]; k++)
		for (i = 0; i < CF__R_COUNT; i++) {
			const struct cf__rule *r = &cf__rules[i];
			if (r->scope != order[k] || r->run == NULL)
				continue;
			for (j = 0; j < i && cf__rules[j].run != r->run; j++)
				;
			if (j == i && (rc = r->run(s)) != 0)
				return rc;
		}
	return 0;
}

/* Expand the dumps the workers found by content (in commit order, so for
 * any --jobs the same), then decode their entries. */
static int
expand_deferred(struct cf_scan *s)
{
	size_t i;
	int rc = 0, r;

	for (i = 0; i < s->n_deferred; i++) {
		struct cf__deferred *d = &s->deferred[i];
		if (rc == 0 && s->expand &&
		    (r = s->expand(
		         s, cf__raw(d->raw_node), cf__raw(d->raw_path), d->data, d->len)) < 0)
			rc = r;
		free(d->raw_node);
		free(d->raw_path);
		free(d->data);
	}
	s->n_deferred = 0;
	return rc ? rc : cf__pipeline_drain(s);
}

/* Skips in the order of their node, path and reason: the sources add
 * some as they walk (on the scan's thread) and commits add others (as
 * workers finish), so the order they came in depended on timing. */
static int
cmp_skip(const void *a, const void *b)
{
	const struct cf__skip *x = a, *y = b;
	int c;

	if ((c = strcmp(x->node, y->node)) != 0 || (c = strcmp(x->path, y->path)) != 0)
		return c;
	return strcmp(x->reason, y->reason);
}

int
cf_scan_run(struct cf_scan *s)
{
	int rc;

	if (s->ran)
		return cf__set_error(s, CF_E_USAGE, "cf_scan_run() called twice");
	s->ran = 1;
	if ((rc = cf__pipeline_drain(s)) == 0 && (rc = expand_deferred(s)) == 0 && s->n_skips > 1)
		qsort(
		    s->skips, s->n_skips, sizeof *s->skips, cmp_skip); /* (never qsort(NULL, 0)) */
	if (rc != 0 || (rc = cf__dedup_files(s)) != 0 || (rc = cf__index_files(s)) != 0 ||
	    (rc = run_rules(s)) != 0 || (rc = cf__index_findings(s)) != 0)
		return cf__set_error(s, rc, "scan failed: %s",
		    rc == CF_E_NOMEM ? "out of memory" : "internal error");
	return 0;
}

size_t
cf_scan_node_count(const struct cf_scan *s)
{
	return s->n_nodes;
}

size_t
cf_scan_cert_count(const struct cf_scan *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_files; i++)
		n += s->files[i].dec->n_certs;
	return n;
}

size_t
cf_scan_finding_count(const struct cf_scan *s, enum cf_severity at_least)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_findings; i++)
		n += s->findings[i].severity >= at_least;
	return n;
}

int
cf_scan_exit_status(const struct cf_scan *s)
{
	return s->policy.fail_on < CF_SEV_NEVER && cf_scan_finding_count(s, s->policy.fail_on) ? 1
	                                                                                       : 0;
}
