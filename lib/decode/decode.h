/*
 * decode.h - the decode stage: sniffing (sniff.c), the strict PEM reader
 * (pem.c) and the decoder of one file into members (decode.c).
 */
#ifndef CERTFLEET_DECODE_H
#define CERTFLEET_DECODE_H

#include <gnutls/gnutls.h>

#include "facts/facts.h"

/* ---- sniffing (sniff.c) ------------------------------------------------------ */
/* Is this name one a decoder claims (its row's NAMES)? 1 cert-like, 2 a
 * key, 0 read by content only. */
int cf__name_kind(const char *path);
/* Do these N bytes hold a PEM BEGIN line ("-----BEGIN ")? */
int cf__has_pem_begin(const void *p, size_t n);
/* Does a decoder's row claim these first N bytes (up to 64 KiB) of a file
 * its name does not make one to read (its SNIFF)? */
int cf__content_claimed(const void *p, size_t n);
/* Is NAME an archive we open? Returns the length of its archive suffix or 0. */
size_t cf__archive_suffix(const char *name);

/* At most this many findings of one check per file (and this many
 * undecodable members kept): the rest are counted, in one more finding. */
#define CF__MAX_PER_CHECK 100

/* At most this many password tries on the encrypted keys (and PKCS#12
 * encrypted bags) of one file: a
 * try costs the key's PBKDF2 iterations (GnuTLS allows a few million,
 * seconds each), so a file of many such keys must not cost hours. */
#define CF__MAX_KEY_TRIES 32
/* Iterations of one key derivation (a PKCS#12 MAC, an encrypted bag, an
 * encrypted PKCS#8 key's PBKDF2) tried at most: over it, refused before
 * any work (a 1 KB file asking 2^31 iterations cost 275 s). 4,194,304: far
 * above what tools write (openssl 2048, keytool 10,000, OWASP's 600,000). */
#define CF__MAX_KDF_ITER 4194304u

/* ---- PEM (pem.c) ---------------------------------------------------------- */
enum cf__pem_lax {
	CF__LAX_NONE = 0,
	CF__LAX_LEGACY_LABEL = 1,
	CF__LAX_CR_ONLY = 2,
	CF__LAX_TRAILING = 4
};

struct cf__pem_block {
	int index;          /* its place among the file's blocks, from 0 */
	char *label;        /* as written */
	unsigned char *der; /* decoded body, NULL on error */
	size_t der_len;
	int line;                  /* line of BEGIN, 1-based */
	char *error;               /* NULL, or why this block is invalid */
	int encrypted;             /* "Proc-Type: 4,ENCRYPTED": DER holds the
	                             encrypted bytes, not checked as DER */
	size_t text_off, text_len; /* the block's text, BEGIN to END line, in
	                             the parsed text (to decrypt a legacy key) */
};

struct cf__pem {
	struct cf__pem_block *blocks;
	size_t n, cap;
	unsigned lax;      /* cf__pem_lax bits for the whole text */
	int trailing_line; /* first line of trailing text, when LAX_TRAILING */
	char *error;       /* file-level error (no block, missing END, ...) */
	int error_line;
	size_t n_bad;   /* blocks with an error (all kept up to CF__MAX_PER_CHECK) */
	size_t dropped; /* blocks with an error past that, not kept */
	int first_dropped_line, first_dropped_index;
};
/* How strictly a block of LABEL must be DER (pem_decoder.c's table): all of
 * it, its first TLV (a TRUSTED CERTIFICATE), or not at all (a label that is
 * not audited). */
enum { CF__PEM_DER_NONE, CF__PEM_DER_FIRST, CF__PEM_DER_WHOLE };
int cf__pem_label_der(const char *label);
/* Parse TEXT strictly (RFC 7468 with the tolerances of README "Decoding").
 * Always fills PEM (caller frees with cf__pem_free); returns 0 or CF_E_NOMEM. */
int cf__pem_parse(const unsigned char *text, size_t len, struct cf__pem *pem);
void cf__pem_free(struct cf__pem *pem);

/* ---- the decoders (decoders.c, *_decoder.c) -------------------------------------- */
/* Name classes: what a file's name says about its bytes (cf__name_class). */
enum { CF__NAME_OTHER = 0, CF__NAME_DER = 1, CF__NAME_KEY = 2 };
int cf__name_class(const char *path);

/* A name a decoder claims: a suffix (".p12") or a whole base name
 * ("cacerts"), and the class it gives (CF__NAME_*). */
struct cf__claim {
	const char *name;
	int cls;
};
struct cf__decoder {
	const char *name;
	/* the file names it claims (ended by a NULL name): such a file is read
	 * whatever it holds (a name only raises a bid) */
	const struct cf__claim *names;
	/* do these first N bytes (up to 64 KiB, maybe not the whole file)
	 * surely start this format? Then a file of any name is read */
	int (*sniff)(const unsigned char *p, size_t n);
	/* how surely these bytes (read under a name of class CLS) are this
	 * decoder's: 0 not at all; the highest bid decodes them */
	int (*bid)(int cls, const unsigned char *p, size_t n);
	/* the bytes into D's members and pending findings: 0 or CF_E_NOMEM */
	int (*decode)(struct cf__facts_cache *c, struct cf__decoded *d, int cls,
	    const unsigned char *p, size_t n);
};
/* The table, ended by NULL; each row is defined in its decoder's file. */
extern const struct cf__decoder *const cf__decoders[];

/* Helpers of the decoders (members.c). A new member of D (NULL out of memory). */
struct cf__member *cf__member_new(
    struct cf__decoded *d, enum cf__member_kind kind, int index, int line);
/* A finding of RULE on member INDEX, kept in D until committed: at most
 * CF__MAX_PER_CHECK of one rule per file, whatever the decoder; the rest
 * are counted and said in one more finding when the decoder is done (so
 * is the member of cf__dec_invalid). 0 or CF_E_NOMEM. */
int cf__dec_pending(struct cf__decoded *d, enum cf__rule_id rule, int index, int line,
    const struct cf__facts *facts, const char *fmt, ...) CF__PRINTF(6, 7);
/* The same, past the cap: a decoder's own summary of what it dropped. */
int cf__dec_note(struct cf__decoded *d, enum cf__rule_id rule, int index, int line,
    const struct cf__facts *facts, const char *fmt, ...) CF__PRINTF(6, 7);
/* An invalid member with a tls-cert-invalid finding WHY ("line N: " + WHAT
 * + WHY with _at when LINE is known). */
int cf__dec_invalid(struct cf__decoded *d, int index, int line, const char *why);
int cf__dec_invalid_at(
    struct cf__decoded *d, int index, int line, const char *what, const char *why);
/* A certificate / key member from DER (its facts from the DER store), or
 * an invalid member saying why not. */
int cf__dec_cert(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const unsigned char *der, size_t len);
int cf__dec_key(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const char *label, const unsigned char *der, size_t len);

/* One finding for each rule whose findings went over the cap in D (when
 * the decoder is done). 0 or CF_E_NOMEM. */
int cf__dec_over_said(struct cf__decoded *d);

/* Encrypted keys (encrypted_key.c). The encrypted key P (as
 * cf__dec_key_encrypted reads it) decrypted with PW, as plain PKCS#8 DER
 * in *OUT (the caller wipes and gnutls_frees it): 0, or a GnuTLS error. */
int cf__key_decrypt(
    const unsigned char *p, size_t n, int legacy, const char *pw, gnutls_datum_t *out);
/* May D's decoder try one more password, a key derivation of ITER
 * iterations (0: unknown, counted as 1), on member INDEX at LINE? 1 yes
 * (counted in the file's tries and the scan's --max-kdf-work); 0 no:
 * CF__MAX_KEY_TRIES were tried, or the scan's budget is spent (the first
 * refusal adds a tls-input-unreadable finding; every later one refuses
 * too), or a worker ran past the shared budget (D's kdf_cut: decoded
 * again at commit); or CF_E_NOMEM. */
int cf__kdf_try(struct cf__decoded *d, int index, int line, unsigned iter);
/* The iterations the encrypted PKCS#8 key at P (DER) asks for, 0 when it
 * does not say. */
unsigned cf__pkcs8_iterations(const unsigned char *p, size_t n);
/* Over CF__MAX_KDF_ITER iterations? Then 1, with a tls-input-unreadable
 * finding for member INDEX saying so (its caller adds the member), else
 * 0; CF_E_NOMEM. */
int cf__kdf_refused(struct cf__decoded *d, unsigned iter, int index, int line);
/* An encrypted private key as member INDEX: P is an EncryptedPrivateKeyInfo
 * (DER), or with LEGACY the PEM text of an OpenSSL legacy encrypted key
 * (Proc-Type and DEK-Info headers). Decrypted with the first of C's
 * passwords that opens it, it is a key member (paired, checked); else an
 * encrypted key member. 0 or CF_E_NOMEM. */
int cf__dec_key_encrypted(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const unsigned char *p, size_t n, int legacy);

/* Name member I of D (a keystore entry's alias; sanitized copy). 0 or
 * CF_E_NOMEM. */
int cf__member_name(struct cf__decoded *d, uint32_t i, const char *name);
/* A CRL member (its facts from the DER store), or an invalid member. */
int cf__dec_crl(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const unsigned char *der, size_t len);
/* The certificates and CRLs of a PKCS#7 SignedData, members INDEX on (*ADDED
 * of them), or an invalid member saying why it does not decode. */
int cf__dec_pkcs7(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const unsigned char *der, size_t len, int *added);
/* Do the N bytes at P start a PKCS#7 SignedData ContentInfo, BER framing
 * allowed (pkcs7.c)? */
int cf__pkcs7_ber(const unsigned char *p, size_t n);
/* Something that is no certificate, key or CRL (WHAT, at LINE when known;
 * NOTE after it): named in D's skip reason, used when D holds nothing
 * audited. 0 or CF_E_NOMEM. */
int cf__dec_skip(struct cf__decoded *d, const char *what, int line, const char *note);
/* DH parameters (PKCS#3 or X9.42, labelled LABEL): a prime under 2048 bits
 * is tls-key-weak; otherwise (or unreadable) skipped as recognised. */
int cf__dec_dh(struct cf__decoded *d, int index, int line, const char *label,
    const unsigned char *der, size_t len);

/* A PKCS#12 file (pkcs12_decoder.c): its certificates, keys and CRLs, with
 * the passwords of C; or why it cannot be read. */
int cf__dec_pkcs12(
    struct cf__facts_cache *c, struct cf__decoded *d, const unsigned char *p, size_t n);

/* ---- the decode hook (decode.c) ------------------------------------------------ */
/* The decoder (a job's decode hook): the job's DATA into its decoded
 * record, shared by every file of the same bytes and name class. */
int cf__decode(struct cf__facts_cache *facts, struct cf__dmap *content, struct cf__job *job);

#endif
