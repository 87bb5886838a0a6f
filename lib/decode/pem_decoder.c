/*
 * pem_decoder.c - the PEM decoder: every block of a PEM text by its label
 * (the table below): certificates, keys (encrypted ones named), CRLs and
 * PKCS#7 bundles audited; parameters, requests and public keys
 * recognised; any other well-formed label named in the file's skip reason.
 * tls-cert-invalid for a block that does not decode, tls-pem-lax for
 * readable text that is not canonical. It bids for any text: the fallback
 * decoder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/decode.h"

enum what { W_CERT, W_TRUSTED, W_KEY, W_KEY_ENCRYPTED, W_CRL, W_PKCS7, W_DH, W_RECOGNISED };

/* The labels certfleet knows (RFC 7468 and OpenSSL's); any other is
 * skipped with its name. */
static const struct label {
	const char *label;
	enum what what;
} labels[] = {
	{ "CERTIFICATE", W_CERT },
	{ "X509 CERTIFICATE", W_CERT },       /* legacy: tls-pem-lax */
	{ "TRUSTED CERTIFICATE", W_TRUSTED }, /* OpenSSL's trust settings after it */
	{ "PRIVATE KEY", W_KEY },
	{ "RSA PRIVATE KEY", W_KEY },
	{ "EC PRIVATE KEY", W_KEY },
	{ "DSA PRIVATE KEY", W_KEY },
	{ "ENCRYPTED PRIVATE KEY", W_KEY_ENCRYPTED },
	{ "X509 CRL", W_CRL },
	{ "PKCS7", W_PKCS7 },
	{ "PKCS #7 SIGNED DATA", W_PKCS7 },
	{ "CMS", W_PKCS7 },
	{ "CERTIFICATE REQUEST", W_RECOGNISED },
	{ "NEW CERTIFICATE REQUEST", W_RECOGNISED },
	{ "PUBLIC KEY", W_RECOGNISED },
	{ "RSA PUBLIC KEY", W_RECOGNISED },
	{ "EC PARAMETERS", W_RECOGNISED },
	{ "DH PARAMETERS", W_DH }, /* sized: tls-key-weak */
	{ "X9.42 DH PARAMETERS", W_DH },
	{ "DSA PARAMETERS", W_RECOGNISED },
};

/* LABEL's row; with FOLD, the row it matches ignoring case. */
static const struct label *
label_find(const char *label, int fold)
{
	size_t i;

	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if ((fold ? strcasecmp : strcmp)(labels[i].label, label) == 0)
			return &labels[i];
	return NULL;
}

static const struct label *
label_of(const char *label)
{
	return label_find(label, 0);
}

int
cf__pem_label_der(const char *label)
{
	const struct label *l = label_of(label);

	if (l == NULL || l->what == W_RECOGNISED)
		return CF__PEM_DER_NONE;
	return l->what == W_TRUSTED ? CF__PEM_DER_FIRST : CF__PEM_DER_WHOLE;
}

/* Block B, the INDEX-th member of D (a PKCS#7 block may add several: *SHIFT
 * grows by the extra ones). */
static int
add_block(struct cf__facts_cache *c, struct cf__decoded *d, int index,
    const struct cf__pem_block *b, const unsigned char *text, int *shift)
{
	const struct label *l;
	size_t used, bad;
	int added = 0, rc;

	if (b->error)
		return cf__dec_invalid(d, index, b->line, b->error);
	if ((l = label_of(b->label)) == NULL && (l = label_find(b->label, 1)) != NULL) {
		/* "certificate": a known label in the wrong case is a broken
		 * block (OpenSSL and GnuTLS refuse it), not another object */
		char why[256], *clean = cf__sanitize(b->label, strlen(b->label));
		if (clean == NULL)
			return CF_E_NOMEM;
		snprintf(why, sizeof why,
		    "line %d: unexpected PEM label '%s': labels are case-sensitive "
		    "(%s)",
		    b->line, clean, l->label);
		free(clean);
		return cf__dec_invalid(d, index, b->line, why);
	}
	if (l == NULL)
		return cf__dec_skip(d, b->label, b->line, " (a label certfleet does not read)");
	switch (l->what) {
	case W_CERT: return cf__dec_cert(c, d, index, b->line, b->der, b->der_len);
	case W_TRUSTED:
		cf__der_check_first(b->der, b->der_len, &bad, &used);
		return cf__dec_cert(c, d, index, b->line, b->der, used);
	case W_KEY:
		if (b->encrypted)
			return cf__dec_key_encrypted(
			    c, d, index, b->line, text + b->text_off, b->text_len, 1);
		return cf__dec_key(c, d, index, b->line, b->label, b->der, b->der_len);
	case W_KEY_ENCRYPTED:
		return cf__dec_key_encrypted(c, d, index, b->line, b->der, b->der_len, 0);
	case W_CRL: return cf__dec_crl(c, d, index, b->line, b->der, b->der_len);
	case W_DH: return cf__dec_dh(d, index, b->line, b->label, b->der, b->der_len);
	case W_PKCS7:
		rc = cf__dec_pkcs7(c, d, index, b->line, b->der, b->der_len, &added);
		*shift += added > 1 ? added - 1 : 0;
		return rc;
	default: return cf__dec_skip(d, b->label, b->line, "");
	}
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
	return cf__dec_pending(d, CF__R_PEM_LAX, 0,
	    pem->lax & CF__LAX_TRAILING ? pem->trailing_line : 0, NULL, "%s (read all the same)",
	    why);
}

static int
decode_pem(struct cf__facts_cache *c, struct cf__decoded *d, int cls, const unsigned char *data,
    size_t len)
{
	struct cf__pem pem;
	size_t i;
	int rc, shift = 0;

	(void)cls;
	if ((rc = cf__pem_parse(data, len, &pem)) != 0)
		goto out;
	if (pem.error) {
		rc = cf__dec_invalid(d, 0, pem.error_line, pem.error);
		goto out;
	}
	for (i = 0; i < pem.n && rc == 0; i++)
		rc = add_block(c, d, pem.blocks[i].index + shift, &pem.blocks[i], data, &shift);
	if (rc == 0 && pem.dropped)
		rc = cf__dec_note(d, CF__R_CERT_INVALID, pem.first_dropped_index,
		    pem.first_dropped_line, NULL,
		    "and %zu more PEM blocks that do not decode, from line %d on (at most %d "
		    "findings of one check per file are listed)",
		    pem.dropped, pem.first_dropped_line, CF__MAX_PER_CHECK);
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

static int
pem_sniff(const unsigned char *p, size_t n)
{
	return cf__has_pem_begin(p, n);
}

static const struct cf__claim pem_names[] = { { ".pem", CF__NAME_OTHER },
	{ ".crt", CF__NAME_OTHER }, { ".key", CF__NAME_KEY }, { NULL, 0 } };

const struct cf__decoder cf__pem_decoder = { "pem", pem_names, pem_sniff, pem_bid, decode_pem };
