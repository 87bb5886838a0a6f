/*
 * pairs.c - key pairing: a private key pairs with the first certificate
 * of its own file, or with the certificate file of the same folder and
 * pairing stem; the pair must share the SubjectPublicKeyInfo
 * (tls-key-mismatch).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"

static int
pair_key(struct cf_scan *s, const struct cf__file *kf, const struct cf__member *key,
    const struct cf__file *cf)
{
	const struct cf__member *cert = cf__first_cert(cf);

	if (cert == NULL || cert->facts->spki_len == 0 || key->facts->spki_len == 0)
		return 0;
	if (memcmp(cert->facts->spki, key->facts->spki, 32) == 0)
		return 0;
	return cf__finding_add(s, CF__R_KEY_MISMATCH, kf->node, kf->path, key->index, (int)key->line,
	    cert->facts, "private key does not match its certificate: the key is not the one of %s "
	    "(subject %s, sha256 %.16s)", cf == kf ? "the certificate in the same file" : cf->path,
	    cert->facts->subject, cert->facts->sha256_hex);
}

/* The certificate file of node NODE whose pairing stem is KEY's. */
static const struct cf__file *
cert_of_key(const struct cf_scan *s, const struct cf__file *kf)
{
	char want[1024], stem[1024];
	size_t i;

	if (cf__pair_stem_buf(kf->path, want, sizeof want) != 0)
		return NULL;
	for (i = s->file_off[kf->node_ix]; i < s->file_off[kf->node_ix + 1]; i++) {
		const struct cf__file *f = &s->files[s->file_order[i]];
		if (f->dec->n_certs && cf__pair_stem_buf(f->path, stem, sizeof stem) == 0 &&
		    strcmp(stem, want) == 0)
			return f;
	}
	return NULL;
}

int
cf__pairs_run(struct cf_scan *s)
{
	const struct cf__file *cf;
	uint32_t j;
	size_t i;
	int rc = 0;

	for (i = 0; i < s->n_files && rc == 0; i++) {
		const struct cf__file *f = &s->files[i];
		const struct cf__member *m = cf__members(f);
		for (j = 0; j < f->dec->n_members && rc == 0; j++) {
			if (m[j].kind != CF__M_KEY)
				continue;
			if (f->dec->n_certs)
				rc = pair_key(s, f, &m[j], f);
			else if ((cf = cert_of_key(s, f)) != NULL)
				rc = pair_key(s, f, &m[j], cf);
		}
	}
	return rc;
}
