/*
 * show.c - `certfleet show FILE...`: a PROPERTY/VALUE table per certificate
 * (as AIStore's `ais show tls`) and per private key, then the findings of
 * the file. Built on libcertfleet's public API only: a one-file scan read
 * through the item and finding accessors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certfleet.h"
#include "show.h"

static void
row(FILE *out, const char *k, const char *v)
{
	fprintf(out, "%-24s %s\n", k, v && *v ? v : "-");
}

static void
spki_row(FILE *out, const struct cf_item *it)
{
	char hex[65] = "";

	if (cf_item_spki_sha256(it, hex, sizeof hex) != 0)
		hex[0] = '\0';
	row(out, "public-key-sha256", hex);
}

/* TIME as RFC 3339 into BUF, or "unreadable" for the library's -1 (a
 * time that did not decode: never printed as 1969-12-31T23:59:59Z). */
static void
time_text(int64_t t, char *buf, size_t len)
{
	if (t == -1 || cf_format_time(t, buf, len) != 0)
		snprintf(buf, len, "unreadable");
}

static void
show_cert(FILE *out, const struct cf_item *it)
{
	char a[32], b[32], valid[96], ver[16];

	time_text(cf_item_not_before(it), a, sizeof a);
	time_text(cf_item_not_after(it), b, sizeof b);
	snprintf(valid, sizeof valid, "from %s to %s", a, b);
	snprintf(ver, sizeof ver, "%d", cf_item_version(it));
	row(out, "public-key-algorithm", cf_item_key_algorithm(it));
	row(out, "serial-number", cf_item_serial(it));
	row(out, "signature-algorithm", cf_item_signature_algorithm(it));
	row(out, "valid", valid);
	row(out, "not-before", a);
	row(out, "not-after", b);
	row(out, "version", ver);
	row(out, "issued-by (CN)", cf_item_issuer_cn(it));
	row(out, "issuer", cf_item_issuer(it));
	row(out, "subject", cf_item_subject(it));
	row(out, "subject-alt-names", cf_item_subject_alt_names(it));
	row(out, "extended-key-usage", cf_item_extended_key_usage(it));
	row(out, "is-ca", cf_item_is_ca(it) ? "true" : "false");
	row(out, "sha256", cf_item_sha256(it));
	spki_row(out, it);
}

static void
show_crl(FILE *out, const struct cf_item *it)
{
	char a[32], b[32] = "none";

	time_text(cf_item_not_before(it), a, sizeof a);
	if (cf_item_not_after(it) != -1)
		time_text(cf_item_not_after(it), b, sizeof b);
	row(out, "kind", "certificate revocation list (CRL)");
	row(out, "issuer", cf_item_issuer(it));
	row(out, "this-update", a);
	row(out, "next-update", b);
	row(out, "sha256", cf_item_sha256(it));
}

static void
show_key(FILE *out, const struct cf_item *it)
{
	if (cf_item_kind(it) == CF_ITEM_KEY_ENCRYPTED) {
		row(out, "kind",
		    "encrypted private key (PKCS#8 or OpenSSL legacy), not decrypted: no "
		    "password given opens it");
		return;
	}
	row(out, "kind",
	    cf_item_decrypted(it)   ? "encrypted private key, decrypted with a password given"
	        : cf_item_pkcs8(it) ? "private key (PKCS#8)"
	                            : "private key");
	row(out, "public-key-algorithm", cf_item_key_algorithm(it));
	spki_row(out, it);
	row(out, "sha256", cf_item_sha256(it));
}

/* The scan's policy: one node named "show", one thread, the password of
 * CERTFLEET_PASSWORD (PKCS#12), and the file's own findings (how it
 * decodes), not the time or fleet rules': every other rule off. */
static int
show_policy(struct cf_scan *s)
{
	struct cf_policy *p = cf_policy_new();
	const char *pw = getenv("CERTFLEET_PASSWORD");
	enum cf_scope scope;
	const char *id;
	size_t i;
	int rc = p ? 0 : CF_E_NOMEM;

	for (i = 0; rc == 0 && (id = cf_rule(i, NULL, &scope, NULL)) != NULL; i++)
		if ((scope != CF_SCOPE_FILE && scope != CF_SCOPE_INPUT) ||
		    strcmp(id, "tls-input-empty") == 0)
			rc = cf_policy_set_severity(p, id, CF_SEV_NEVER);
	rc = rc ? rc : cf_policy_set_node(p, "show");
	rc = rc ? rc : cf_policy_set_jobs(p, 1);
	if (rc == 0 && pw && *pw)
		rc = cf_policy_add_password(p, NULL, pw);
	rc = rc ? rc : cf_scan_set_policy(s, p);
	cf_policy_free(p);
	return rc;
}

int
show_file(const char *path, FILE *out, char *errbuf, size_t errlen)
{
	struct cf_scan *s = cf_scan_new();
	const struct cf_finding *f;
	const struct cf_item *it;
	size_t i;
	int rc;

	if (s == NULL || show_policy(s) != 0) {
		snprintf(errbuf, errlen, "out of memory");
		cf_scan_free(s);
		return CF_E_NOMEM;
	}
	if ((rc = cf_scan_add_input(s, path)) != 0) {
		snprintf(errbuf, errlen, "%s", cf_scan_error(s));
		goto out;
	}
	if ((rc = cf_scan_run(s)) != 0) {
		snprintf(errbuf, errlen, "%s", cf_scan_error(s));
		goto out;
	}
	for (i = 0; (it = cf_scan_item(s, i)) != NULL; i++) {
		fprintf(out, "%s [%d]\n", cf_item_path(it), cf_item_index(it));
		row(out, "PROPERTY", "VALUE");
		if (cf_item_kind(it) == CF_ITEM_CERT)
			show_cert(out, it);
		else if (cf_item_kind(it) == CF_ITEM_CRL)
			show_crl(out, it);
		else
			show_key(out, it);
		fputc('\n', out);
	}
	/* nothing shown: why (a file of parameters or a request says so) */
	if (cf_scan_skipped(s, 0, NULL, NULL))
		snprintf(errbuf, errlen, "%s: %s", path, cf_scan_skipped(s, 0, NULL, NULL));
	else
		snprintf(errbuf, errlen, "%s: no certificate, key or CRL", path);
	for (i = 0; (f = cf_scan_finding(s, i)) != NULL; i++) {
		fprintf(out, "%s [%d]: %s\n\n", cf_finding_path(f), cf_finding_index(f),
		    cf_finding_message(f));
		if (i == 0)
			snprintf(errbuf, errlen, "%s [%d]: %s", cf_finding_path(f),
			    cf_finding_index(f), cf_finding_message(f));
	}
	rc = cf_scan_item_count(s) ? 0 : CF_E_INPUT;
out:
	cf_scan_free(s);
	return rc;
}
