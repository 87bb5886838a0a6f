/*
 * pem_decoder.c - the PEM decoder: every block of a PEM text by its label
 * (certificates, keys, encrypted keys), tls-cert-invalid for a block that
 * does not decode or has another label, tls-pem-lax for readable text
 * that is not canonical. It bids for any text: the fallback decoder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

static int
label_is_key(const char *label)
{
	return strcmp(label, "PRIVATE KEY") == 0 || strcmp(label, "RSA PRIVATE KEY") == 0 ||
	    strcmp(label, "EC PRIVATE KEY") == 0;
}

static int
add_block(struct cf__facts_cache *c, struct cf__decoded *d, int index, const struct cf__pem_block *b)
{
	char why[512];
	char *label;
	int rc;

	if (b->error)
		return cf__dec_invalid(d, index, b->line, b->error);
	if (strcmp(b->label, "CERTIFICATE") == 0 || strcmp(b->label, "X509 CERTIFICATE") == 0)
		return cf__dec_cert(c, d, index, b->line, b->der, b->der_len);
	if (label_is_key(b->label))
		return cf__dec_key(c, d, index, b->line, b->label, b->der, b->der_len);
	if (strcmp(b->label, "ENCRYPTED PRIVATE KEY") == 0)
		return cf__member_new(d, CF__M_KEY_ENCRYPTED, index, b->line) ? 0 : CF_E_NOMEM;
	if ((label = cf__sanitize(b->label, strlen(b->label))) == NULL)
		return CF_E_NOMEM;
	snprintf(why, sizeof why, "line %d: unexpected PEM label '%s': not a certificate or key",
	    b->line, label);
	rc = cf__dec_invalid(d, index, b->line, why);
	free(label);
	return rc;
}

static int
lax_finding(struct cf__decoded *d, const struct cf__pem *pem)
{
	char why[256] = "";

	if (pem->lax & CF__LAX_LEGACY_LABEL)
		strcat(why, "legacy label 'X509 CERTIFICATE'; ");
	if (pem->lax & CF__LAX_CR_ONLY)
		strcat(why, "CR-only line endings; ");
	if (pem->lax & CF__LAX_TRAILING)
		snprintf(why + strlen(why), sizeof why - strlen(why),
		    "text after the last END line (line %d); ", pem->trailing_line);
	why[strlen(why) - 2] = '\0';
	return cf__dec_pending(d, CF__R_PEM_LAX, 0, pem->lax & CF__LAX_TRAILING ? pem->trailing_line : 0,
	    NULL, "readable, but not canonical PEM: %s", why);
}

static int
decode_pem(struct cf__facts_cache *c, struct cf__decoded *d, int cls, const unsigned char *data,
    size_t len)
{
	struct cf__pem pem;
	size_t i;
	int rc;

	(void)cls;
	if ((rc = cf__pem_parse(data, len, &pem)) != 0)
		goto out;
	if (pem.error) {
		rc = cf__dec_invalid(d, 0, pem.error_line, pem.error);
		goto out;
	}
	for (i = 0; i < pem.n && rc == 0; i++)
		rc = add_block(c, d, pem.blocks[i].index, &pem.blocks[i]);
	if (rc == 0 && pem.dropped)
		rc = cf__dec_pending(d, CF__R_CERT_INVALID, pem.first_dropped_index, pem.first_dropped_line,
		    NULL, "and %zu more PEM blocks that do not decode, from line %d on (at most %d "
		    "findings of one check per file are listed)", pem.dropped, pem.first_dropped_line,
		    CF__MAX_PER_CHECK);
	if (rc == 0 && pem.lax && d->n_certs)
		rc = lax_finding(d, &pem);
out:
	cf__pem_free(&pem);
	return rc;
}

static int
pem_bid(int cls, const unsigned char *p, size_t n)
{
	(void)cls;
	(void)p;
	(void)n;
	return 1;
}

const struct cf__decoder cf__pem_decoder = { "pem", pem_bid, decode_pem };
