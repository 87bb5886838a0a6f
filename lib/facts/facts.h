/*
 * facts.h - the facts stage: what a certificate or a key says, parsed once
 * per distinct DER into the DER store.
 */
#ifndef CERTFLEET_FACTS_H
#define CERTFLEET_FACTS_H

#include "core/core.h"

/* The facts of one distinct DER: one allocation, strings included. */
struct cf__facts {
	unsigned char sha256[32];
	char sha256_hex[65];
	char *error;              /* GnuTLS refused it: why (then the rest is empty) */
	char *subject, *issuer, *issuer_cn, *serial, *sans, *key, *signature, *eku;
	int64_t not_before, not_after;
	int version, is_ca;
	unsigned char spki[32];   /* SHA-256 of the SubjectPublicKeyInfo: of the
	                             certificate's bytes, or as GnuTLS exports a key's */
	size_t spki_len;          /* 32, or 0 when unknown */
	uint8_t kind;             /* 0 certificate, 1 PKCS#8 key, 2 other key */
};

/* Facts of a DER certificate, parsed once per distinct DER; the cache owns
 * the result. NULL only when out of memory. Thread-safe: the cache locks. */
const struct cf__facts *cf__facts_get(struct cf__facts_cache *c,
    const unsigned char *der, size_t len);
/* The SPKI hash of a DER private key's public key, in a facts record
 * (spki, or error), parsed once per distinct DER. LABEL is
 * its PEM label ("" for DER). NULL only when out of memory. Thread-safe. */
const struct cf__facts *cf__key_get(struct cf__facts_cache *c, const char *label,
    const unsigned char *der, size_t len);

#endif
