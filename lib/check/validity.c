/*
 * validity.c - the rules judged on one certificate: pure functions of the
 * policy and the certificate's facts (expired, soon, not yet valid,
 * validity too long), and the pass that runs them over every certificate
 * member of the scan (the CERT scope's run).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"

/* "NAME T, SPAN REL": a bound of the validity, how far it lies from now. */
static int
say_bound(char *d, size_t n, const char *name, int64_t t, int64_t span, const char *rel)
{
	char ts[32], sp[32];

	cf_format_time(t, ts, sizeof ts);
	cf__span(span, sp, sizeof sp);
	snprintf(d, n, "%s %s, %s %s", name, ts, sp, rel);
	return 1;
}

int
cf__check_expired(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n)
{
	(void)path;
	if (f->not_after >= p->now)
		return 0;
	return say_bound(d, n, "notAfter", f->not_after, p->now - f->not_after, "before now");
}

/* A CRL (facts of kind CF__FACTS_CRL: nextUpdate in not_after, -1 when
 * it has none) past its nextUpdate. */
int
cf__check_crl_expired(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n)
{
	(void)path;
	if (f->not_after == -1 || f->not_after >= p->now)
		return 0;
	return say_bound(d, n, "nextUpdate", f->not_after, p->now - f->not_after, "before now");
}

/* Is rule R judged on F: the CRL rule on CRLs, the others on certificates. */
static int
judged_on(const struct cf__rule *r, const struct cf__facts *f)
{
	return (r->num == CF__R_CRL_EXPIRED) == (f->kind == CF__FACTS_CRL);
}

int
cf__check_soon(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n)
{
	char win[32], rel[96];
	int64_t life = f->not_after - f->not_before + 1;

	(void)path;
	if (f->not_after < p->now)
		return 0;
	if (p->soon_percent) {
		/* less than PERCENT of the lifetime left (exact in integers:
		 * lifetimes are below 2^39 s) */
		if ((f->not_after - p->now) * 100 >= (int64_t)p->soon_percent * life)
			return 0;
		cf__span(life, win, sizeof win);
		snprintf(rel, sizeof rel, "left (window %d%% of its lifetime of %s)",
		    p->soon_percent, win);
		return say_bound(d, n, "notAfter", f->not_after, f->not_after - p->now, rel);
	}
	if (f->not_after - p->now >= p->soon)
		return 0;
	cf__span(p->soon, win, sizeof win);
	snprintf(rel, sizeof rel, "left (window %s)", win);
	return say_bound(d, n, "notAfter", f->not_after, f->not_after - p->now, rel);
}

int
cf__check_not_yet_valid(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n)
{
	(void)path;
	if (f->not_before <= p->now)
		return 0;
	return say_bound(d, n, "notBefore", f->not_before, f->not_before - p->now, "after now");
}

/* The CA/Browser Forum Baseline Requirements' validity limits for a
 * server certificate (ballot SC-081), by notBefore: MUST and SHOULD days. */
static const struct cabf_step {
	int64_t from; /* notBefore on or after (Unix time, UTC) */
	const char *since;
	int64_t must, should;
} cabf_steps[] = {
	{ 1868227200, "2029-03-15", 47, 46 },
	{ 1805068800, "2027-03-15", 100, 99 },
	{ 1773532800, "2026-03-15", 200, 199 },
	{ INT64_MIN, "before 2026-03-15", 398, 397 },
};

static const struct cabf_step *
cabf_step(int64_t not_before)
{
	size_t i;

	for (i = 0; not_before < cabf_steps[i].from; i++)
		;
	return &cabf_steps[i];
}

/* Does the BR schedule apply to F: a leaf whose EKU allows serverAuth (or
 * that has none)? */
static int
server_leaf(const struct cf__facts *f)
{
	return cf__is_leaf(f) && (f->n_ekus == 0 || cf__has_eku(f, CF__EKU_SERVER));
}

/* F's validity period in days as the BR count it (a day is 86,400 s, any
 * excess is one more day; RFC 5280 bounds are inclusive, so the period is
 * one second more than the difference of its bounds). */
static int64_t
period_days(const struct cf__facts *f)
{
	int64_t secs = f->not_after - f->not_before + 1;

	return secs / 86400 + (secs % 86400 != 0);
}

/* "the Baseline Requirements' LIMIT days (KIND) for a certificate issued
 * SINCE" into D, after "leaf valid for N days: over ". */
static int
say_cabf(char *d, size_t n, const struct cf__facts *f, const struct cabf_step *st, int must)
{
	char nb[32];

	cf_format_time(f->not_before, nb, sizeof nb);
	snprintf(d, n,
	    "leaf valid for %lld days, over the %lld days the CA/Browser Forum Baseline "
	    "Requirements %s for a server certificate issued %s%s (notBefore %s)%s",
	    (long long)period_days(f), (long long)(must ? st->must : st->should),
	    must ? "allow" : "recommend (SHOULD)", st->from == INT64_MIN ? "" : "from ", st->since,
	    nb, must ? "" : "; within their limit");
	return 1;
}

int
cf__check_validity_long(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n)
{
	const struct cabf_step *st;
	int64_t days;

	(void)path;
	if (p->profile != CF_PROFILE_CABF || !server_leaf(f))
		return 0;
	st = cabf_step(f->not_before);
	days = period_days(f);
	if (days <= st->should || days > st->must)
		return 0;
	return say_cabf(d, n, f, st, 0);
}

int
cf__check_too_long(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n)
{
	/* RFC 5280 bounds are inclusive: the validity lasts one second more
	 * than the difference of its bounds. */
	int64_t secs = f->not_after - f->not_before + 1;

	(void)path;
	if (p->profile == CF_PROFILE_CABF) {
		const struct cabf_step *st = cabf_step(f->not_before);
		if (!server_leaf(f) || period_days(f) <= st->must)
			return 0;
		return say_cabf(d, n, f, st, 1);
	}
	/* CAs and version 1 self-signed roots are exempt: the limit is a leaf's */
	if (!cf__is_leaf(f) || secs <= p->max_validity_days * 86400)
		return 0;
	snprintf(d, n, "leaf valid for %lld days %llds, over the limit of %lld days",
	    (long long)(secs / 86400), (long long)(secs % 86400), (long long)p->max_validity_days);
	return 1;
}

/* A certificate whose bounds are inverted is invalid; the time rules do not
 * apply to it. COUNT[rule] counts this file's findings of each rule: past
 * CF__MAX_PER_CHECK they are counted, not made. */
static int
check_member(
    struct cf_scan *s, const struct cf__file *file, const struct cf__member *m, size_t *count)
{
	const struct cf__facts *f = m->facts;
	const char *label;
	char detail[256];
	size_t i;
	int rc;

	if (f->kind != CF__FACTS_CRL &&
	    (f->not_after < f->not_before || f->not_before == -1 || f->not_after == -1)) {
		if (++count[CF__R_CERT_INVALID] > CF__MAX_PER_CHECK)
			return 0;
		return cf__finding_add(s, CF__R_CERT_INVALID, file->node, file->path, (int)m->index,
		    (int)m->line, f, "validity is unreadable or notAfter is before notBefore");
	}
	for (i = 0; i < CF__R_COUNT; i++) {
		const struct cf__rule *r = &cf__rules[i];
		if (r->scope != CF__SCOPE_CERT || r->cert == NULL || !judged_on(r, f) ||
		    !r->cert(&s->policy, f, file->path, detail, sizeof detail))
			continue;
		if (++count[i] > CF__MAX_PER_CHECK)
			continue;
		label = cf__member_label(file->dec, m);
		rc = cf__finding_add(s, r->num, file->node, file->path, (int)m->index, (int)m->line,
		    f, "%s%s%s%s", detail, label ? " (entry '" : "", label ? label : "",
		    label ? "')" : "");
		if (rc)
			return rc;
	}
	return 0;
}

int
cf__checks_run(struct cf_scan *s)
{
	size_t i, k, count[CF__R_COUNT];
	uint32_t j;
	int rc;

	for (i = 0; i < s->n_files; i++) {
		const struct cf__file *file = &s->files[i];
		const struct cf__member *m = cf__members(file);
		memset(count, 0, sizeof count);
		for (j = 0; j < file->dec->n_members; j++)
			if ((m[j].kind == CF__M_CERT || m[j].kind == CF__M_CRL) &&
			    (rc = check_member(s, file, &m[j], count)) != 0)
				return rc;
		for (k = 0; k < CF__R_COUNT; k++)
			if (count[k] > CF__MAX_PER_CHECK &&
			    (rc = cf__finding_add(s, (enum cf__rule_id)k, file->node, file->path, 0,
			         0, NULL,
			         "and %zu more in this file (at most %d "
			         "findings of one check per file are listed)",
			         count[k] - CF__MAX_PER_CHECK, CF__MAX_PER_CHECK)) != 0)
				return rc;
	}
	return 0;
}
