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
	/* the report options' defaults (report/options.c sets them) */
	s->ropts.junit_warnings = CF__JW_SKIPPED;
	s->ropts.markdown_max_bytes = 1000000;    /* under GitHub's 1 MiB step summary */
	s->ropts.max_lines = 10;
	s->clash_node = -1;
	s->jobs = 1;
	if ((s->cache = cf__facts_cache_new()) == NULL ||
	    (s->content = cf__dmap_new(cf__decoded_free)) == NULL) {
		cf__facts_cache_free(s->cache);
		free(s);
		return NULL;
	}
	return s;
}

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
	if (s->cache) {
		for (i = 0; i < s->cache->n_passwords; i++) {
			explicit_bzero(s->cache->passwords[i], strlen(s->cache->passwords[i]));
			free(s->cache->passwords[i]);
		}
		free(s->cache->passwords);
		free(s->cache->pw_scope);
		for (i = 0; i < s->cache->n_scopes; i++)
			free(s->cache->scopes[i]);
		free(s->cache->scopes);
	}
	for (i = 0; i < s->n_inputs; i++) {
		free(s->inputs[i].real);
		free(s->inputs[i].name);
	}
	free(s->inputs);
	free(s->node_input);
	for (i = 0; s->node_origin && i < s->n_nodes; i++)
		free(s->node_origin[i]);
	free(s->node_origin);
	free(s->next_node);
	free(s->last_node);
	for (i = 0; i < s->n_deferred; i++) {       /* a scan freed before it ran */
		free(s->deferred[i].raw_node);
		free(s->deferred[i].path);
		free(s->deferred[i].data);
	}
	free(s->deferred);
	free(s->comment);
	while (s->ropts.n_prom_labels)
		free(s->ropts.prom_labels[--s->ropts.n_prom_labels]);
	free(s->ropts.prom_labels);
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

/* RC said in S's error: out of memory, or USAGE (a setting's rule). */
static int
said(struct cf_scan *s, int rc, const char *usage)
{
	if (rc == CF_E_NOMEM)
		return cf__set_error(s, rc, "out of memory");
	if (rc != 0)
		return cf__set_error(s, rc, "%s", usage);
	return 0;
}

int
cf_scan_set_now(struct cf_scan *s, int64_t now)
{
	if (cf_policy_set_now(&s->policy, now) != 0)
		return cf__set_error(s, CF_E_USAGE, "--now must lie in the years 0001 to 9999");
	return 0;
}

int
cf_scan_set_soon(struct cf_scan *s, int64_t seconds)
{
	if (cf_policy_set_soon(&s->policy, seconds) != 0)
		return cf__set_error(s, CF_E_USAGE, "--soon must not be negative");
	return 0;
}

int
cf_scan_set_soon_percent(struct cf_scan *s, int percent)
{
	if (cf_policy_set_soon_percent(&s->policy, percent) != 0)
		return cf__set_error(s, CF_E_USAGE, "--soon as a share of the lifetime must be 1%% to 99%%");
	return 0;
}

int
cf_scan_set_profile(struct cf_scan *s, enum cf_profile profile)
{
	if (cf_policy_set_profile(&s->policy, profile) != 0)
		return cf__set_error(s, CF_E_USAGE, "--profile must be private or cabf");
	return 0;
}

int
cf_scan_set_max_validity(struct cf_scan *s, int64_t days)
{
	if (cf_policy_set_max_validity(&s->policy, days) != 0)
		return cf__set_error(s, CF_E_USAGE, "--max-validity must be 1 to 1000000 days");
	return 0;
}

int
cf_scan_set_fail_on(struct cf_scan *s, enum cf_severity level)
{
	if (cf_policy_set_fail_on(&s->policy, level) != 0)
		return cf__set_error(s, CF_E_USAGE, "--fail-on must be error, warning or never");
	return 0;
}

int
cf_scan_set_severity(struct cf_scan *s, const char *rule, enum cf_severity level)
{
	if (cf_policy_set_severity(&s->policy, rule, level) != 0)
		return cf__set_error(s, CF_E_USAGE, "no rule '%s', or a severity out of range",
		    rule ? rule : "(null)");
	return 0;
}

static int add_password(struct cf_scan *s, const char *password);

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

int
cf_scan_add_password(struct cf_scan *s, const char *password)
{
	return cf_scan_add_password_for(s, NULL, password);
}

int
cf_scan_add_password_for(struct cf_scan *s, const char *glob, const char *password)
{
	struct cf__facts_cache *c = s->cache;
	unsigned char *sc;
	size_t k = 0;

	if (password == NULL)
		return cf__set_error(s, CF_E_USAGE, "cf_scan_add_password: no password");
	if (s->n_inputs || s->ran)
		return cf__set_error(s, CF_E_USAGE, "passwords must be added before the inputs");
	if (glob) {
		for (k = 0; k < c->n_scopes && strcmp(c->scopes[k], glob) != 0; k++)
			;
		if (k == CF__PW_SCOPES)
			return cf__set_error(s, CF_E_USAGE, "passwords: at most %d path patterns",
			    CF__PW_SCOPES);
		if (k == c->n_scopes) {
			char **v = realloc(c->scopes, (k + 1) * sizeof *v);
			if (v == NULL || (v[k] = strdup(glob)) == NULL) {
				if (v)
					c->scopes = v;
				return cf__set_error(s, CF_E_NOMEM, "out of memory");
			}
			c->scopes = v;
			c->n_scopes++;
		}
		k++;
	}
	if ((sc = realloc(c->pw_scope, c->n_passwords + 1)) == NULL)
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	c->pw_scope = sc;
	sc[c->n_passwords] = (unsigned char)k;
	return add_password(s, password);
}

static int
add_password(struct cf_scan *s, const char *password)
{
	char **v, *copy;

	/* checked by cf_scan_add_password_for, its one caller */
	if ((copy = strdup(password)) == NULL ||
	    (v = realloc(s->cache->passwords, (s->cache->n_passwords + 1) * sizeof *v)) == NULL) {
		free(copy);
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	}
	v[s->cache->n_passwords++] = copy;
	s->cache->passwords = v;
	return 0;
}

int
cf_scan_set_follow_links(struct cf_scan *s, int follow)
{
	s->follow_links = follow != 0;
	return 0;
}

int
cf_scan_set_jobs(struct cf_scan *s, int jobs)
{
	if (jobs < 1 || jobs > 256)
		return cf__set_error(s, CF_E_USAGE, "--jobs must be 1 to 256");
	if (s->pipe || s->n_files)
		return cf__set_error(s, CF_E_USAGE, "set the number of jobs before adding inputs");
	s->jobs = jobs;
	return 0;
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
	char *n = name ? strdup(name) : NULL;

	if (name && n == NULL)
		return said(s, CF_E_NOMEM, NULL);
	free(s->next_node);
	s->next_node = n;
	return 0;
}

int
cf_scan_set_trust_only(struct cf_scan *s, int only)
{
	s->trust_only = only != 0;
	return 0;
}

int
cf_scan_set_layout(struct cf_scan *s, enum cf_layout layout)
{
	if (layout != CF_LAYOUT_AUTO && layout != CF_LAYOUT_FLEET && layout != CF_LAYOUT_NODE)
		return cf__set_error(s, CF_E_USAGE, "layout: auto, fleet or node");
	s->layout = layout;
	return 0;
}

int
cf_scan_set_comment(struct cf_scan *s, const char *text)
{
	char *c = NULL;

	if (text && (c = cf__sanitize(text, strlen(text))) == NULL)
		return said(s, CF_E_NOMEM, NULL);
	free(s->comment);
	s->comment = c;
	return 0;
}

int
cf_scan_add_identical(struct cf_scan *s, const char *glob)
{
	return said(s, cf_policy_add_identical(&s->policy, glob), "identical: a glob, not NULL");
}

int
cf_scan_add_per_node(struct cf_scan *s, const char *glob)
{
	return said(s, cf_policy_add_per_node(&s->policy, glob), "per-node: a glob, not NULL");
}

int
cf_scan_add_expect_name(struct cf_scan *s, const char *spec)
{
	return said(s, cf_policy_add_expect_name(&s->policy, spec), "expect-name: GLOB=TEMPLATE, both "
	    "non-empty (e.g. 'etc/tls/*.crt={node}.example.com')");
}

int
cf_scan_set_limit(struct cf_scan *s, enum cf_limit which, uint64_t value)
{
	if (cf_policy_set_limit(&s->policy, which, value) != 0)
		return cf__set_error(s, CF_E_USAGE, "a limit must be a known one, from 1 to 2^50");
	return 0;
}

int
cf_scan_set_policy(struct cf_scan *s, const struct cf_policy *p)
{
	if (s->n_files || s->pipe)
		return cf__set_error(s, CF_E_USAGE, "set the policy before adding inputs");
	if (cf__policy_copy(&s->policy, p) != 0)
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	return 0;
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
		if (rc == 0 && s->expand && (r = s->expand(s, d->raw_node, d->path, d->data, d->len)) < 0)
			rc = r;
		free(d->raw_node);
		free(d->path);
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
		qsort(s->skips, s->n_skips, sizeof *s->skips, cmp_skip);   /* (never qsort(NULL, 0)) */
	if (rc != 0 || (rc = cf__dedup_files(s)) != 0 ||
	    (rc = cf__index_files(s)) != 0 ||
	    (rc = run_rules(s)) != 0 || (rc = cf__index_findings(s)) != 0)
		return cf__set_error(s, rc, "scan failed: %s", rc == CF_E_NOMEM ? "out of memory" :
		    "internal error");
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
	return s->policy.fail_on < CF_SEV_NEVER && cf_scan_finding_count(s, s->policy.fail_on) ? 1 : 0;
}
