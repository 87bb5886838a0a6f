/*
 * util.h - the leaves of libcertfleet: buffers and growth, the hash-table
 * cores (digest map, string table), sanitizing and escaping, time and
 * durations, names and logical paths. Nothing here knows the scan model;
 * every stage may include it. Names are cf__ (library-private).
 */
#ifndef CERTFLEET_UTIL_H
#define CERTFLEET_UTIL_H

#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include "certfleet.h"

#define CF__PRINTF(a, b) __attribute__((format(printf, a, b)))
/* A result that must be looked at (an allocation that may fail). */
#define CF__CHECK __attribute__((warn_unused_result))

/* ONE or MANY as N says: "1 error", "2 errors", "0 errors". */
static inline const char *
cf__plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---- growable byte buffer (buf.c) ----------------------------------------- */
struct cf__buf {
	unsigned char *data;
	size_t len, cap;
};
/* A buffer never holds more than this (a report or a file read whole is
 * bounded long before; this catches size arithmetic that went wrong). */
#define CF__BUF_MAX ((size_t)1 << 32)
/* Append N bytes (a NUL kept after them): 0, or CF_E_NOMEM (also past
 * CF__BUF_MAX), B unchanged. */
int cf__buf_add(struct cf__buf *b, const void *p, size_t n) CF__CHECK;
/* Room for N more bytes (and the NUL) in one allocation: 0 or CF_E_NOMEM. */
int cf__buf_reserve(struct cf__buf *b, size_t n) CF__CHECK;
int cf__buf_printf(struct cf__buf *b, const char *fmt, ...) CF__PRINTF(2, 3) CF__CHECK;
void cf__buf_free(struct cf__buf *b);
/* Make the array *ARR (of SIZE-byte items, *CAP of them) hold NEED,
 * doubling from FIRST. 0, or CF_E_NOMEM with *ARR unchanged. */
int cf__grow(void **arr, size_t *cap, size_t need, size_t size, size_t first) CF__CHECK;

/* strerror(ERR), thread-safe (strerror_r into BUF, LEN bytes): library
 * code runs on worker and report threads, so it never calls strerror(). */
const char *cf__strerror(int err, char *buf, size_t len);
#define CF__ERRSTR(e) cf__strerror((e), (char[128]){ 0 }, 128)

/* Lower-case hex of P[0..N) into DST (2N + 1 bytes, NUL-terminated). */
void cf__hex(char *dst, const unsigned char *p, size_t n);
/* Escape bytes so the result is valid UTF-8 without control characters:
 * "\\" -> "\\\\", control and invalid bytes -> "\\xHH". Injective.
 * Returns a new string (caller frees) or NULL when out of memory. */
char *cf__sanitize(const void *p, size_t n);
/* The same for display text (subjects, messages): backslashes are kept. */
char *cf__sanitize_text(const void *p, size_t n);
/* Append the sanitized form of P[0..N) to B (backslashes escaped when
 * ESCAPE_BACKSLASH): 0 or CF_E_NOMEM. */
int cf__sanitize_add(struct cf__buf *b, const void *p, size_t n, int escape_backslash) CF__CHECK;

/* ---- strict DER (der.c) ------------------------------------------------------ */
/* Strict DER check of a whole TLV tree: minimal definite lengths, no
 * trailing bytes. Returns NULL or a static reason. */
const char *cf__der_check(const unsigned char *p, size_t len, size_t *bad_offset);
/* The header of the DER element at P (N bytes, its contents maybe not all
 * there): its tag, with *HLEN the header's length and *LEN the contents';
 * -1 when the header does not fit or is not DER. For sniffs. */
int cf__der_head(const unsigned char *p, size_t n, size_t *hlen, size_t *len);
/* The same check of the first TLV only: its length in *USED (what follows
 * it is not looked at). */
const char *cf__der_check_first(
    const unsigned char *p, size_t len, size_t *bad_offset, size_t *used);
/* What a DER object is, by its structure alone (for a TLV that passed
 * cf__der_check_first): the decoders read it as that. */
enum cf__der_type {
	CF__DER_UNKNOWN,
	CF__DER_CERT,
	CF__DER_CRL,
	CF__DER_CSR,
	CF__DER_PKCS8,
	CF__DER_PKCS8_ENCRYPTED,
	CF__DER_RSA_KEY,
	CF__DER_EC_KEY,
	CF__DER_DSA_KEY,
	CF__DER_PUBKEY,
	CF__DER_PKCS7,
	CF__DER_PKCS12,
	CF__DER_PARAMS
};
enum cf__der_type cf__der_sniff(const unsigned char *p, size_t len);
/* For DER that passed cf__der_check(): the Certificate's outline (TBS,
 * serial, inner and outer signature algorithms equal). NULL or a reason. */
const char *cf__der_cert_shape(const unsigned char *p, size_t len);
/* Where the SubjectPublicKeyInfo of a certificate that passed both checks
 * lies: *OFF and *N bytes. 0, or -1 when the TBS is too short. */
int cf__der_spki(const unsigned char *p, size_t len, size_t *off, size_t *n);
/* The parts of a certificate that passed both checks: the issuer and
 * subject Names (whole TLVs, offsets into P) and the validity, read here
 * (exact for years 0001-9999; -1 for a time that is not RFC 5280's
 * UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ). 0, or -1 when
 * the TBS is too short. */
struct cf__der_tbs {
	size_t issuer, issuer_len, subject, subject_len;
	int64_t not_before, not_after;
};
int cf__der_tbs(const unsigned char *p, size_t len, struct cf__der_tbs *t);
/* What signs a certificate that passed both checks: its tbsCertificate
 * TLV, its outer signatureAlgorithm TLV, the signatureValue's octets (a
 * BIT STRING of whole octets) and the OID TLVs of its critical
 * extensions, one after another. 0, or -1 when the signature has unused
 * bits, the TBS carries unique identifiers, or the OIDs do not fit. */
struct cf__der_signed {
	const unsigned char *tbs, *alg, *sig;
	size_t tbs_len, alg_len, sig_len;
	unsigned char crit[96];
	size_t crit_len;
};
int cf__der_signed(const unsigned char *p, size_t len, struct cf__der_signed *s);
/* The contents of the DER element at P (AVAIL bytes left around it): *C
 * and *N. Its tag, or -1 when it does not fit (bounds checked here). */
int cf__der_contents(const unsigned char *p, size_t avail, const unsigned char **c, size_t *n);
/* The extension whose extnID is OID (its content bytes, OIDLEN of them)
 * in a certificate that passed both checks: its extnValue's contents in
 * *VAL and *N. 1 found, 0 absent, -1 malformed. */
int cf__der_extension(const unsigned char *p, size_t len, const unsigned char *oid, size_t oidlen,
    const unsigned char **val, size_t *n);
/* An EC private key in DER (SEC 1, or PKCS#8 around it): its curve's OID
 * contents (*OID, *OIDLEN), its public key BIT STRING's contents with the
 * unused-bits byte (*PUB, *PUBLEN; NULL when absent) and its private
 * scalar (*D, *DLEN). 0, or -1 when P is none or names no curve. */
int cf__der_ec_private_key(const unsigned char *p, size_t len, const unsigned char **oid,
    size_t *oidlen, const unsigned char **pub, size_t *publen, const unsigned char **d,
    size_t *dlen);
/* The SubjectPublicKeyInfo of an EC public key on the named curve OID, as
 * a certificate carries it, appended to OUT: 0 or CF_E_NOMEM. */
int cf__der_ec_spki(const unsigned char *oid, size_t oidlen, const unsigned char *pub,
    size_t publen, struct cf__buf *out);
/* Every primitive of a DER certificate or CRL (that passed cf__der_check) held to
 * DER and RFC 5280: 0 clean; 1 readable but not canonical (a DEFAULT
 * FALSE written out, a BER boolean, an unsorted SET OF, non-zero unused
 * bits, NULL vs absent parameters between the two signature algorithms);
 * -1 what OpenSSL refuses (a non-minimal INTEGER, a BIT STRING claiming
 * over 7 unused bits). *WHY (static) and *AT (byte offset) say the first. */
int cf__der_lint(const unsigned char *p, size_t len, const char **why, size_t *at);
/* The name of the named curve OID ("P-256", "secp256k1", "brainpoolP256r1"),
 * or NULL. */
const char *cf__curve_name(const unsigned char *oid, size_t n);
/* A SubjectPublicKeyInfo's algorithm OID and, when it is one, its
 * parameter OID (an EC key's curve; NULL otherwise): 0, or -1. */
int cf__der_spki_alg(const unsigned char *p, size_t len, const unsigned char **alg, size_t *alglen,
    const unsigned char **param, size_t *paramlen);
/* OID contents in dotted form ("1.3.132.0.10") in BUF; returns BUF. */
/* An RFC 5280 profile fault of a certificate (that passed both checks)
 * that TLS stacks still accept: serial zero, negative or over 20 octets, a
 * version value over 2, GeneralizedTime before 2050, an unknown critical
 * extension, an empty subject without SAN. 1 with the first one in WHY,
 * else 0. */
int cf__der_profile(const unsigned char *p, size_t len, char *why, size_t n);
const char *cf__oid_text(const unsigned char *p, size_t n, char *buf, size_t len);
/* An X.509 Time TLV (UTCTime, tag 0x17, or GeneralizedTime, 0x18) of N
 * bytes at P to Unix seconds: 0, or -1 when it is not one. */
int cf__der_time(const unsigned char *p, size_t n, int64_t *out);

/* ---- bounded file read (read_file.c) ----------------------------------------- */
/* Read regular file PATH (no link followed, nothing but a regular file)
 * into *DATA (NUL-terminated; caller frees) and *LEN, at most CAP bytes
 * (OPTION, the limit's name, is said when crossed). With SNIFF, the file is
 * read only when SNIFF accepts its first bytes (up to 64 KiB). Returns 1
 * read, 0 not read (SNIFF said no), -1 with the reason in WHY. */
int cf__read_file(const char *path, int (*sniff)(const void *, size_t), uint64_t cap,
    const char *option, unsigned char **data, size_t *len, char *why, size_t whylen);
/* The same, calling ADMIT(ARG, N) with the bytes it is about to hold
 * (its size from fstat, at most CAP + 1) before allocating them. */
int cf__read_file_admit(const char *path, int (*sniff)(const void *, size_t), uint64_t cap,
    const char *option, void (*admit)(void *, size_t), void *arg, unsigned char **data, size_t *len,
    char *why, size_t whylen);

/* ---- names (names.c) ------------------------------------------------------------ */
/*
 * Strings that say what they are. A name read from an input (a node's
 * folder or archive name, a path in a folder or archive, a Kubernetes
 * object's key) may hold any byte: it is RAW until cf__sanitize() makes
 * it printable, once. Raw names travel in struct cf__raw, made with
 * cf__raw() where the bytes are read (sources, and the stores that keep
 * them: a job's raw_path and raw_node, a deferred dump); every other
 * char * of the library holds sanitized text. A sanitized name cannot be
 * passed where a raw one is taken without writing cf__raw() (sanitizing
 * "n\1" again made another node, "n\\1"), nor a raw one where text is.
 */
struct cf__raw {
	const char *s; /* any bytes, NUL-terminated; NULL for none */
};
static inline struct cf__raw
cf__raw(const char *s)
{
	struct cf__raw r = { s };

	return r;
}
/* Normalise an archive or folder path into a logical path (new string,
 * not yet sanitized: the caller sanitizes it). */
char *cf__logical_path(const char *raw);
/* The "logical name" of a path (as Redis Software's): file stem without
 * _cert/-cert/_key suffix. New string. */
char *cf__logical_name(const char *path);
/* Stem used to pair keys with certificates, within one folder. New string. */
char *cf__pair_stem(const char *path);

/* ---- escaping (escape.c) ------------------------------------------------------ */
/* S as a Markdown code span appended to B: a backtick fence longer than
 * any run inside, padded when S starts or ends with a backtick or space,
 * '|' as '\|' (GFM tables split cells on it even in code); over MAX
 * characters (0: no limit) the middle becomes "…". Nothing else in a code
 * span is active. 0 or CF_E_NOMEM. */
int cf__md_code(struct cf__buf *b, const char *s, size_t max) CF__CHECK;
/* S as Markdown inline text appended to B, escaped only where a character
 * is active: \ ` * < > [ ] | ~ & ! always, _ unless inside a word, the ':'
 * of "://" and the '.' of "www." (GFM autolinks), and "@" followed by a
 * zero-width joiner (no mention, no e-mail link); '/', '-' and the rest
 * stay as they are, so the raw file greps. 0 or CF_E_NOMEM. */
int cf__md_text(struct cf__buf *b, const char *s) CF__CHECK;
/* TEXT fit for the content of an XML processing instruction: "?>"
 * becomes "? >". New string or NULL. */
char *cf__pi_safe(const char *text);
/* TEXT fit for a Markdown link title in parentheses: "(", ")" and "\\"
 * backslash-escaped. New string or NULL. */
char *cf__md_title_safe(const char *text);

/* ---- BER framing (ber.c) --------------------------------------------------------- */
#define CF__BER_DEPTH 32
/* One BER element: its tag, contents C[0..N) (without the end-of-contents
 * octets of an indefinite length), and TOTAL bytes from its tag on. */
struct cf__ber {
	unsigned char tag;
	int indefinite;
	const unsigned char *c;
	size_t n, total;
};
/* The element at P (N bytes available): 0, or -1 when it does not fit, is
 * nested deeper than CF__BER_DEPTH, or uses a high tag number. */
int cf__ber_elem(const unsigned char *p, size_t n, struct cf__ber *e);
int cf__ber_elem_depth(const unsigned char *p, size_t n, struct cf__ber *e, int depth);

/* ---- time (time.c) ------------------------------------------------------------ */
/* The Unix times of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define CF__TIME_MIN (-62135596800LL)
#define CF__TIME_MAX 253402300799LL
/* 0000-01-01T00:00:00Z: a GeneralizedTime may say year 0000 (openssl
 * reads it), so a certificate's dates are read and written from there */
#define CF__TIME_MIN_X509 (-62167219200LL)
/* Days since 1970-01-01 of year Y, month M (1-12), day D (proleptic
 * Gregorian, any year). */
int64_t cf__days_from_civil(int64_t y, unsigned m, unsigned d);
/* Is Y-M-D a day of the proleptic Gregorian calendar, year 1 or later? */
int cf__valid_date(int y, int m, int d);
/* "12d 3h" / "3h 10m" / "42s" for a span of seconds (sign dropped). */
void cf__span(int64_t secs, char *buf, size_t len);

/* ---- digest map (digest_map.c) ------------------------------------------------ */
/* Thread-safe: (32-byte digest, kind) -> record; the map owns its records. */
struct cf__dmap;
struct cf__dmap *cf__dmap_new(void (*free_rec)(void *));
void cf__dmap_free(struct cf__dmap *m);
size_t cf__dmap_size(struct cf__dmap *m);
/* The record put I-th (0 .. cf__dmap_size - 1), or NULL past the end. */
void *cf__dmap_at(struct cf__dmap *m, size_t i);
void *cf__dmap_get(struct cf__dmap *m, const unsigned char *digest, int kind);
/* Put REC unless a record is there: returns the one in the map (REC, or
 * the earlier one, REC then freed); NULL when out of memory. */
void *cf__dmap_put(struct cf__dmap *m, const unsigned char *digest, int kind, void *rec);

/* ---- string tables (strtab.c) ------------------------------------------------ */
/* Interned strings: each distinct string stored once, found by hash. The
 * strings never move, so pointers to them stay valid while the table lives. */
struct cf__strtab {
	char **v;
	size_t n, cap;
	uint32_t *slot; /* open addressing: index + 1, 0 = empty */
	size_t nslot;
};
/* Index of S in T, copied in when new; -1 when out of memory. */
long cf__strtab_intern(struct cf__strtab *t, const char *s);
void cf__strtab_free(struct cf__strtab *t);

#endif
