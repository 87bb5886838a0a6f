/*
 * show.c - `certfleet show`: a PROPERTY/VALUE table per certificate, as
 * AIStore's `ais show tls`, and per private key, through the same decoding
 * as the scan. A key's public-key-sha256 is the one of the certificate it
 * pairs with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static void
row(FILE *out, const char *k, const char *v)
{
	fprintf(out, "%-24s %s\n", k, v && *v ? v : "-");
}

static void
spki_row(FILE *out, const struct cf__facts *x)
{
	char hex[65] = "";

	if (x->spki_len == 32)
		cf__hex(hex, x->spki, 32);
	row(out, "public-key-sha256", hex);
}

static void
show_cert(FILE *out, const struct cf__file *f, const struct cf__member *m)
{
	const struct cf__facts *x = m->facts;
	char a[32], b[32], valid[96], ver[16];

	cf_format_time(x->not_before, a, sizeof a);
	cf_format_time(x->not_after, b, sizeof b);
	snprintf(valid, sizeof valid, "from %s to %s", a, b);
	snprintf(ver, sizeof ver, "%d", x->version);
	fprintf(out, "%s [%d]\n", f->path, m->index);
	row(out, "PROPERTY", "VALUE");
	row(out, "public-key-algorithm", x->key);
	row(out, "serial-number", x->serial);
	row(out, "signature-algorithm", x->signature);
	row(out, "valid", valid);
	row(out, "not-before", a);
	row(out, "not-after", b);
	row(out, "version", ver);
	row(out, "issued-by (CN)", x->issuer_cn);
	row(out, "issuer", x->issuer);
	row(out, "subject", x->subject);
	row(out, "subject-alt-names", x->sans);
	row(out, "extended-key-usage", x->eku);
	row(out, "is-ca", x->is_ca ? "true" : "false");
	row(out, "sha256", x->sha256_hex);
	spki_row(out, x);
	fputc('\n', out);
}

static void
show_key(FILE *out, const struct cf__file *f, const struct cf__member *m)
{
	const struct cf__facts *x = m->facts;

	fprintf(out, "%s [%d]\n", f->path, m->index);
	row(out, "PROPERTY", "VALUE");
	if (m->kind == CF__M_KEY_ENCRYPTED) {
		row(out, "kind", "encrypted private key (PKCS#8), not decrypted");
	} else {
		row(out, "kind", x->kind == 1 ? "private key (PKCS#8)" : "private key");
		row(out, "public-key-algorithm", x->key);
		spki_row(out, x);
		row(out, "sha256", x->sha256_hex);
	}
	fputc('\n', out);
}

int
cf_show_file(const char *path, FILE *out, char *errbuf, size_t errlen)
{
	struct cf_scan *s = cf_scan_new();
	size_t i, j, shown = 0;
	int rc;

	if (s == NULL || cf_scan_set_node(s, "show") != 0) {
		snprintf(errbuf, errlen, "out of memory");
		cf_scan_free(s);
		return CF_E_NOMEM;
	}
	if ((rc = cf_scan_add_input(s, path)) != 0) {
		snprintf(errbuf, errlen, "%s", cf_scan_error(s));
		goto out;
	}
	for (i = 0; i < s->n_files; i++)
		for (j = 0; j < s->files[i].dec->n_members; j++) {
			const struct cf__member *m = &cf__members(&s->files[i])[j];

			if (m->kind == CF__M_CERT)
				show_cert(out, &s->files[i], m);
			else if (m->kind == CF__M_KEY || m->kind == CF__M_KEY_ENCRYPTED)
				show_key(out, &s->files[i], m);
			else
				continue;
			shown++;
		}
	snprintf(errbuf, errlen, "%s: no certificate or key", path);
	for (i = 0; i < s->n_findings; i++) {
		fprintf(out, "%s [%d]: %s\n\n", s->findings[i].path, s->findings[i].index,
		    s->findings[i].message);
		if (i == 0)
			snprintf(errbuf, errlen, "%s [%d]: %s", s->findings[i].path, s->findings[i].index,
			    s->findings[i].message);
	}
	rc = shown ? 0 : CF_E_INPUT;
out:
	cf_scan_free(s);
	return rc;
}
