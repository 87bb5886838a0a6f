/*
 * checks.c - the rules, as a table: one row per finding id, with its
 * severity, its one-line description, the headline of its message and, for
 * rules judged on one certificate, the function that judges it. Rules
 * raised elsewhere (decoding, fleet, pairing, reading) have no function.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"

static int
check_expired(const struct cf_scan *s, const struct cf__facts *f, char *d, size_t n)
{
	char t[32], ago[32];

	if (f->not_after >= s->now)
		return 0;
	cf_format_time(f->not_after, t, sizeof t);
	cf__span(s->now - f->not_after, ago, sizeof ago);
	snprintf(d, n, "notAfter %s, %s before now", t, ago);
	return 1;
}

static int
check_soon(const struct cf_scan *s, const struct cf__facts *f, char *d, size_t n)
{
	char t[32], left[32], win[32];

	if (f->not_after < s->now || f->not_after - s->now >= s->soon)
		return 0;
	cf_format_time(f->not_after, t, sizeof t);
	cf__span(f->not_after - s->now, left, sizeof left);
	cf__span(s->soon, win, sizeof win);
	snprintf(d, n, "notAfter %s, %s left (window %s)", t, left, win);
	return 1;
}

static int
check_not_yet_valid(const struct cf_scan *s, const struct cf__facts *f, char *d, size_t n)
{
	char t[32], in[32];

	if (f->not_before <= s->now)
		return 0;
	cf_format_time(f->not_before, t, sizeof t);
	cf__span(f->not_before - s->now, in, sizeof in);
	snprintf(d, n, "notBefore %s, %s after now", t, in);
	return 1;
}

static int
check_too_long(const struct cf_scan *s, const struct cf__facts *f, char *d, size_t n)
{
	/* RFC 5280 bounds are inclusive: the validity lasts one second more
	 * than the difference of its bounds. */
	int64_t secs = f->not_after - f->not_before + 1;

	if (f->is_ca || secs <= s->max_validity_days * 86400)
		return 0;
	snprintf(d, n, "leaf valid for %lld days %llds, over the limit of %lld days",
	    (long long)(secs / 86400), (long long)(secs % 86400), (long long)s->max_validity_days);
	return 1;
}

/* The rule table, indexed by enum cf__rule_id (a row per finding id). A
 * rule judged on one certificate has CERT scope and a `cert` function; the
 * passes that raise PAIR and FLEET findings are the rows' `run`; rules
 * raised while reading (INPUT) or decoding (FILE) have neither. */
const struct cf__rule cf__rules[CF__R_COUNT] = {
	[CF__R_CERT_EXPIRED] = { CF__R_CERT_EXPIRED, "tls-cert-expired", CF_SEV_ERROR, CF__SCOPE_CERT,
	    "notAfter is before the reference time",
	    "certificate expired", check_expired, cf__checks_run },
	[CF__R_CERT_SOON] = { CF__R_CERT_SOON, "tls-cert-will-soon-expire", CF_SEV_WARNING, CF__SCOPE_CERT,
	    "notAfter falls inside the soon-expire window (--soon)",
	    "certificate will soon expire", check_soon, cf__checks_run },
	[CF__R_CERT_INVALID] = { CF__R_CERT_INVALID, "tls-cert-invalid", CF_SEV_ERROR, CF__SCOPE_FILE,
	    "a certificate or key file, or one member of it, does not decode",
	    "does not decode", NULL, NULL },
	[CF__R_CERT_NOT_YET_VALID] = { CF__R_CERT_NOT_YET_VALID, "tls-cert-not-yet-valid", CF_SEV_ERROR,
	    CF__SCOPE_CERT, "notBefore is after the reference time",
	    "certificate not yet valid", check_not_yet_valid, cf__checks_run },
	[CF__R_CERT_TOO_LONG] = { CF__R_CERT_TOO_LONG, "tls-cert-validity-too-long", CF_SEV_ERROR,
	    CF__SCOPE_CERT, "a leaf certificate valid for longer than --max-validity days (CA exempt)",
	    "validity too long", check_too_long, cf__checks_run },
	[CF__R_CERT_MISMATCH] = { CF__R_CERT_MISMATCH, "tls-cert-mismatch", CF_SEV_ERROR, CF__SCOPE_FLEET,
	    "the certificate at a logical path differs from the one most nodes carry",
	    "certificate differs between nodes", NULL, cf__fleet_run },
	[CF__R_CERT_MISSING] = { CF__R_CERT_MISSING, "tls-cert-missing", CF_SEV_ERROR, CF__SCOPE_FLEET,
	    "a logical path present on most nodes is absent on this one",
	    "certificate missing on this node", NULL, cf__fleet_run },
	[CF__R_KEY_MISMATCH] = { CF__R_KEY_MISMATCH, "tls-key-mismatch", CF_SEV_ERROR, CF__SCOPE_PAIR,
	    "a private key that is not the key of the certificate it pairs with",
	    "private key does not match its certificate", NULL, cf__pairs_run },
	[CF__R_PEM_LAX] = { CF__R_PEM_LAX, "tls-pem-lax", CF_SEV_WARNING, CF__SCOPE_FILE,
	    "a readable certificate in non-canonical PEM (legacy label, CR-only, trailing text)",
	    "non-canonical PEM", NULL, NULL },
	[CF__R_INPUT_UNREADABLE] = { CF__R_INPUT_UNREADABLE, "tls-input-unreadable", CF_SEV_ERROR,
	    CF__SCOPE_INPUT, "a file or archive that could not be read whole (I/O error, size or archive limit)",
	    "input not read", NULL, NULL },
};

const struct cf__rule *
cf__rule_find(const char *id)
{
	size_t i;

	for (i = 0; i < CF__R_COUNT; i++)
		if (strcmp(cf__rules[i].id, id) == 0)
			return &cf__rules[i];
	return NULL;
}

const struct cf__rule *
cf__rule_at(size_t i)
{
	return i < CF__R_COUNT ? &cf__rules[i] : NULL;
}

/* A certificate whose bounds are inverted is invalid; the time rules do not
 * apply to it. */
static int
check_member(struct cf_scan *s, const struct cf__file *file, const struct cf__member *m)
{
	const struct cf__facts *f = m->facts;
	char detail[256];
	size_t i;
	int rc;

	if (f->not_after < f->not_before || f->not_before == -1 || f->not_after == -1)
		return cf__finding_add(s, CF__R_CERT_INVALID, file->node, file->path, m->index,
		    (int)m->line, f, "does not decode: validity is unreadable or notAfter is before notBefore");
	for (i = 0; i < CF__R_COUNT; i++) {
		const struct cf__rule *r = &cf__rules[i];
		if (r->scope != CF__SCOPE_CERT || !r->cert(s, f, detail, sizeof detail))
			continue;
		rc = cf__finding_add(s, r->num, file->node, file->path, m->index, (int)m->line,
		    f, "%s: %s", r->headline, detail);
		if (rc)
			return rc;
	}
	return 0;
}

int
cf__checks_run(struct cf_scan *s)
{
	size_t i;
	uint32_t j;
	int rc;

	for (i = 0; i < s->n_files; i++) {
		const struct cf__member *m = cf__members(&s->files[i]);
		for (j = 0; j < s->files[i].dec->n_members; j++)
			if (m[j].kind == CF__M_CERT && (rc = check_member(s, &s->files[i], &m[j])) != 0)
				return rc;
	}
	return 0;
}
