/*
 * check.h - the check stage: the rule table (rules.c; its type is in
 * core.h) and the passes that raise findings: certificate rules, key
 * pairing (pairs.c), fleet consistency (fleet.c).
 */
#ifndef CERTFLEET_CHECK_H
#define CERTFLEET_CHECK_H

#include "facts/facts.h"
#include "decode/decode.h"

/* The row of ID ("tls-cert-expired"), or NULL. */
const struct cf__rule *cf__rule_find(const char *id);
/* Row I, or NULL past the end. */
const struct cf__rule *cf__rule_at(size_t i);

/* The CERT-scope rules (validity.c): pure functions of the policy and one
 * certificate's facts; 1 with DETAIL filled when F breaks the rule. */
int cf__check_expired(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n);
int cf__empty_run(struct cf_scan *s);
int cf__check_crl_expired(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n);
int cf__check_soon(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n);
int cf__check_not_yet_valid(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n);
int cf__check_too_long(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n);
int cf__check_validity_long(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n);
/* What a certificate is made of (strength.c). */
int cf__check_key_weak(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n);
int cf__check_sig_weak(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n);
int cf__check_purpose(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n);
/* Does F's extendedKeyUsage allow OID (anyExtendedKeyUsage allows all)? */
#define CF__EKU_SERVER "1.3.6.1.5.5.7.3.1"
#define CF__EKU_CLIENT "1.3.6.1.5.5.7.3.2"
int cf__has_eku(const struct cf__facts *f, const char *oid);
/* Does PATH match one of the N fnmatch GLOBS (fleet.c)? */
int cf__globs_match(char *const *globs, size_t n, const char *path);
int cf__check_noncompliant(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n);
int cf__check_no_san(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n);
/* Is F's issuer Name its subject Name, byte for byte? */
int cf__is_self_signed(const struct cf__facts *f);
/* Is F a leaf: no CA (basicConstraints cA), and not a version 1
 * self-signed root? */
int cf__is_leaf(const struct cf__facts *f);

/* qsort order of files (const struct cf__file *): by path index, then
 * decodable before not, then content (identity), then node index; the
 * copies of one path and one content are then adjacent. */
int cf__cmp_copy(const void *a, const void *b);

/* The passes (each a `run` of the rule table). */
int cf__checks_run(struct cf_scan *s);
int cf__fleet_run(struct cf_scan *s);
int cf__pairs_run(struct cf_scan *s);
int cf__reuse_run(struct cf_scan *s);
int cf__chains_run(struct cf_scan *s);
int cf__names_run(struct cf_scan *s);
int cf__unmatched_run(struct cf_scan *s);
/* Does F's subjectAltName cover HOST (a DNS name or an IP address), as
 * RFC 6125 matches (hostnames.c)? */
int cf__name_covers(const struct cf__facts *f, const char *host);

#endif
