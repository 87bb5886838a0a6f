/*
 * der.h - the element readers the der*.c files share (util/der.c,
 * der_cert.c, der_sniff.c, der_ec.c, der_lint.c); the rest of the library
 * uses the cf__der_* functions of util.h.
 */
#ifndef CF_UTIL_DER_H
#define CF_UTIL_DER_H

#include <stddef.h>

#include "util/util.h"

/* The TBSCertificate's elements: OFF[k] and LEN[k] for the first N
 * (after the optional [0] version), relative to P; the TBS's own start
 * and end; the outer signatureAlgorithm (cf__der_outline, der_cert.c). */
struct outline {
	int version; /* the [0] version's value, -1 when absent */
	size_t tbs, tbs_end, alg, alg_len;
	size_t off[7], len[7];
	unsigned char tag[7];
	int n;
};

/* der.c */
int cf__der_elem(const unsigned char *p, size_t avail, unsigned char *tag, size_t *total);
size_t cf__der_hdr_len(const unsigned char *p);
int cf__der_take(
    const unsigned char **p, size_t *avail, unsigned char tag, const unsigned char **c, size_t *n);

/* der_cert.c */
int cf__der_outline(const unsigned char *p, size_t len, struct outline *o);
int cf__der_null_vs_absent(const unsigned char *a, size_t an, const unsigned char *b, size_t bn);

#endif
