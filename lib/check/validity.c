/*
 * validity.c - the rules judged on one certificate: pure functions of the
 * policy and the certificate's facts (expired, soon, not yet valid,
 * validity too long), and the pass that runs them over every certificate
 * member of the scan (the CERT scope's run).
 */
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
cf__check_expired(const struct cf_policy *p, const struct cf__facts *f, char *d, size_t n)
{
	if (f->not_after >= p->now)
		return 0;
	return say_bound(d, n, "notAfter", f->not_after, p->now - f->not_after, "before now");
}

/* A CRL (facts of kind CF__FACTS_CRL: nextUpdate in not_after, -1 when
 * it has none) past its nextUpdate. */
int
cf__check_crl_expired(const struct cf_policy *p, const struct cf__facts *f, char *d, size_t n)
{
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
cf__check_soon(const struct cf_policy *p, const struct cf__facts *f, char *d, size_t n)
{
	char win[32], rel[64];

	if (f->not_after < p->now || f->not_after - p->now >= p->soon)
		return 0;
	cf__span(p->soon, win, sizeof win);
	snprintf(rel, sizeof rel, "left (window %s)", win);
	return say_bound(d, n, "notAfter", f->not_after, f->not_after - p->now, rel);
}

int
cf__check_not_yet_valid(const struct cf_policy *p, const struct cf__facts *f, char *d, size_t n)
{
	if (f->not_before <= p->now)
		return 0;
	return say_bound(d, n, "notBefore", f->not_before, f->not_before - p->now, "after now");
}

int
cf__check_too_long(const struct cf_policy *p, const struct cf__facts *f, char *d, size_t n)
{
	/* RFC 5280 bounds are inclusive: the validity lasts one second more
	 * than the difference of its bounds. */
	int64_t secs = f->not_after - f->not_before + 1;

	if (f->is_ca || secs <= p->max_validity_days * 86400)
		return 0;
	snprintf(d, n, "leaf valid for %lld days %llds, over the limit of %lld days",
	    (long long)(secs / 86400), (long long)(secs % 86400), (long long)p->max_validity_days);
	return 1;
}

/* A certificate whose bounds are inverted is invalid; the time rules do not
 * apply to it. COUNT[rule] counts this file's findings of each rule: past
 * CF__MAX_PER_CHECK they are counted, not made. */
static int
check_member(struct cf_scan *s, const struct cf__file *file, const struct cf__member *m,
    size_t *count)
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
		    (int)m->line, f, "does not decode: validity is unreadable or notAfter is before notBefore");
	}
	for (i = 0; i < CF__R_COUNT; i++) {
		const struct cf__rule *r = &cf__rules[i];
		if (r->scope != CF__SCOPE_CERT || !judged_on(r, f) ||
		    !r->cert(&s->policy, f, detail, sizeof detail))
			continue;
		if (++count[i] > CF__MAX_PER_CHECK)
			continue;
		label = cf__member_label(file->dec, m);
		rc = cf__finding_add(s, r->num, file->node, file->path, (int)m->index, (int)m->line,
		    f, "%s: %s%s%s%s", r->headline, detail, label ? " (entry '" : "", label ? label : "",
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
			if (count[k] > CF__MAX_PER_CHECK && (rc = cf__finding_add(s, (enum cf__rule_id)k,
			    file->node, file->path, 0, 0, NULL, "%s: and %zu more in this file (at most %d "
			    "findings of one check per file are listed)", cf__rules[k].headline,
			    count[k] - CF__MAX_PER_CHECK, CF__MAX_PER_CHECK)) != 0)
				return rc;
	}
	return 0;
}
