/*
 * decode.c - one file's bytes into members (certificates and keys): the
 * decoder table's highest bidder reads the bytes (decoders.c), with the
 * member helpers every decoder shares (members.c).
 * Every member of a bundle is audited on its own. cf__decode() runs on any
 * thread: it touches only its job and the (locked) facts cache; its
 * findings wait in the job until cf__commit() moves them into the scan.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/crypto.h>

#include "decode/decode.h"

/* The identity for the fleet comparison: its certificates, in order. */
static void
set_identity(struct cf__decoded *d)
{
	gnutls_hash_hd_t h;
	uint32_t i;

	for (i = 0; d->n_certs == 1 && i < d->n_members; i++)
		if (d->members[i].kind == CF__M_CERT)
			memcpy(d->identity, d->members[i].facts->sha256, 32);
	if (d->n_certs < 2 || gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
		return;
	for (i = 0; i < d->n_members; i++)
		if (d->members[i].kind == CF__M_CERT)
			gnutls_hash(h, d->members[i].facts->sha256, 32);
	gnutls_hash_deinit(h, d->identity);
}

/* The decoder that bids highest for these bytes (ties: the earlier row). */
static const struct cf__decoder *
best_decoder(int cls, const unsigned char *data, size_t len)
{
	const struct cf__decoder *best = cf__decoders[0];
	int b, top = -1;
	size_t i;

	for (i = 0; cf__decoders[i]; i++)
		if ((b = cf__decoders[i]->bid(cls, data, len)) > top)
			top = b, best = cf__decoders[i];
	return best;
}

/* Decode bytes never seen under this name class. */
static struct cf__decoded *
decode_new(struct cf__facts_cache *c, int cls, const unsigned char *data, size_t len, int *rc,
    const struct cf__job *j)
{
	uint16_t pw_mask = j->pw_mask;
	struct cf__decoded *d = calloc(1, sizeof *d);
	const char **pw = malloc((c->n_passwords + 1) * sizeof *pw);
	size_t i;

	if (d == NULL || pw == NULL) {
		free(d);
		free(pw);
		*rc = CF_E_NOMEM;
		return NULL;
	}
	/* the passwords that apply to the file's path: the unscoped ones,
	 * and those whose glob its path matches */
	for (i = 0; i < c->n_passwords; i++)
		if (c->pw_scope == NULL || c->pw_scope[i] == 0 ||
		    (pw_mask & (1u << (c->pw_scope[i] - 1))))
			pw[d->n_pw++] = c->passwords[i];
	d->pw = pw;
	d->kdf_cache = c;
	d->kdf_job = (void *)j;
	d->kdf_exact = j->kdf_exact;
	d->kdf_limit = j->kdf_limit;
	*rc = best_decoder(cls, data, len)->decode(c, d, cls, data, len);
	d->pw = NULL;
	d->n_pw = 0;
	d->kdf_cache = NULL;
	d->kdf_job = NULL;
	free(pw);
	if (*rc == 0)
		*rc = cf__dec_over_said(d);
	if (*rc) {
		cf__decoded_free(d);
		return NULL;
	}
	if (d->n_members || d->n_pending) { /* something audited: not a skip */
		free(d->skip);
		d->skip = NULL;
	}
	set_identity(d);
	return d;
}

int
cf__decode(struct cf__facts_cache *c, struct cf__dmap *content, struct cf__job *j)
{
	unsigned char sha[32];
	struct cf__decoded *d;
	int cls = cf__name_class(j->raw_path);

	if (j->kdf_redo) { /* again, with what the budget has left */
		if ((j->dec = decode_new(c, cls, j->data, j->len, &j->rc, j)) == NULL && j->rc == 0)
			j->rc = CF_E_NOMEM;
	} else if ((j->spath = cf__sanitize(j->raw_path, strlen(j->raw_path))) == NULL ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, j->data, j->len, sha) < 0)
		j->rc = CF_E_NOMEM;
	/* the same bytes read with other passwords are another record */
	else if ((j->dec = cf__dmap_get(content, sha, cls + 16 * j->pw_mask)) == NULL &&
	    (d = decode_new(c, cls, j->data, j->len, &j->rc, j)) != NULL &&
	    (j->dec = cf__dmap_put(content, sha, cls + 16 * j->pw_mask, d)) == NULL)
		j->rc = CF_E_NOMEM;
	/* bytes that cost key derivation may be decoded again at commit */
	if (j->kdf_redo || j->rc || j->dec == NULL || (j->dec->kdf_work == 0 && !j->dec->kdf_cut)) {
		free(j->data);
		j->data = NULL;
	}
	return j->rc;
}
