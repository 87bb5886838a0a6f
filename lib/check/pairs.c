/*
 * pairs.c - key pairing: a private key pairs with the first certificate
 * of its own file (any certificate of a PKCS#12 file), or with the certificate file of the same
 * folder and pairing stem; the pair must share the SubjectPublicKeyInfo, and the key must be whole
 * (its private part makes its public key): else tls-key-mismatch.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"

/* Does F hold a decoded private key? */
static int
has_key(const struct cf__file *f)
{
	uint32_t j;

	for (j = 0; j < f->dec->n_members; j++)
		if (cf__members(f)[j].kind == CF__M_KEY)
			return 1;
	return 0;
}

/* Does a certificate of F carry KEY's public key? */
static int
any_cert_matches(const struct cf__file *f, const struct cf__member *key)
{
	const struct cf__member *m = cf__members(f);
	uint32_t j;

	for (j = 0; j < f->dec->n_members; j++)
		if (m[j].kind == CF__M_CERT && m[j].facts->spki_len &&
		    memcmp(m[j].facts->spki, key->facts->spki, 32) == 0)
			return 1;
	return 0;
}

static int
pair_key(struct cf_scan *s, const struct cf__file *kf, const struct cf__member *key,
    const struct cf__file *cf)
{
	const struct cf__member *cert = cf__first_cert(cf);

	if (cert == NULL || cert->facts->spki_len == 0 || key->facts->spki_len == 0)
		return 0;
	/* a PKCS#12 file's bags come in any order: its key pairs with the
	 * certificate of the file that carries its public key */
	if (cf == kf && kf->dec->pair_any && any_cert_matches(kf, key))
		return 0;
	if (memcmp(cert->facts->spki, key->facts->spki, 32) == 0)
		return 0;
	return cf__finding_add(s, CF__R_KEY_MISMATCH, kf->node, kf->path, key->index,
	    (int)key->line, cert->facts,
	    "the key is not the one of %s "
	    "(subject %s, sha256 %.16s)",
	    cf == kf ? "the certificate in the same file" : cf->path, cert->facts->subject,
	    cert->facts->sha256_hex);
}

/* For every file that holds keys but no certificate, the certificate
 * file it pairs with: the first file of its node (in node order) with a
 * certificate and the same pairing stem, or NULL. Each file's stem is made
 * once and interned; a node's certificate files are looked up by stem
 * index, so the work is linear in the files, whatever their path length. */
static int
partners(const struct cf_scan *s, const struct cf__file **partner)
{
	struct cf__strtab stems = { 0 };
	const struct cf__file **best = NULL;
	long *stem = malloc((s->n_files + 1) * sizeof *stem);
	size_t i, k, n_touched;
	size_t *touched = malloc((s->n_files + 1) * sizeof *touched);
	int rc = stem && touched ? 0 : CF_E_NOMEM;

	for (i = 0; rc == 0 && i < s->n_files; i++) {
		const struct cf__file *f = &s->files[i];
		char *st;

		stem[i] = -1;
		if (f->dec->n_certs == 0 && !has_key(f))
			continue;
		if ((st = cf__pair_stem(f->path)) == NULL ||
		    (stem[i] = cf__strtab_intern(&stems, st)) < 0)
			rc = CF_E_NOMEM;
		free(st);
	}
	if (rc == 0 && (best = calloc(stems.n + 1, sizeof *best)) == NULL)
		rc = CF_E_NOMEM;
	for (i = 0; rc == 0 && i < s->n_nodes; i++) {
		n_touched = 0;
		for (k = s->file_off[i]; k < s->file_off[i + 1]; k++) {
			uint32_t x = s->file_order[k];
			if (s->files[x].dec->n_certs && stem[x] >= 0 && best[stem[x]] == NULL) {
				best[stem[x]] = &s->files[x];
				touched[n_touched++] = (size_t)stem[x];
			}
		}
		for (k = s->file_off[i]; k < s->file_off[i + 1]; k++) {
			uint32_t x = s->file_order[k];
			if (s->files[x].dec->n_certs == 0 && stem[x] >= 0)
				partner[x] = best[stem[x]];
		}
		while (n_touched)
			best[touched[--n_touched]] = NULL;
	}
	free(best);
	free(touched);
	free(stem);
	cf__strtab_free(&stems);
	return rc;
}

int
cf__pairs_run(struct cf_scan *s)
{
	const struct cf__file **partner = calloc(s->n_files + 1, sizeof *partner);
	uint32_t j;
	size_t i;
	int rc = partner ? partners(s, partner) : CF_E_NOMEM;

	for (i = 0; i < s->n_files && rc == 0; i++) {
		const struct cf__file *f = &s->files[i];
		const struct cf__member *m = cf__members(f);
		for (j = 0; j < f->dec->n_members && rc == 0; j++) {
			if (m[j].kind != CF__M_KEY)
				continue;
			if (m[j].facts->key_bad) /* whatever it pairs with */
				rc = cf__finding_add(s, CF__R_KEY_MISMATCH, f->node, f->path,
				    (int)m[j].index, (int)m[j].line, NULL,
				    "the key is inconsistent: a signature made with its "
				    "private part does not verify with its own public key (a "
				    "damaged or forged "
				    "key; TLS handshakes with it fail)");
			else if (f->dec->n_certs)
				rc = pair_key(s, f, &m[j], f);
			else if (partner[i] != NULL)
				rc = pair_key(s, f, &m[j], partner[i]);
		}
	}
	free(partner);
	return rc;
}
