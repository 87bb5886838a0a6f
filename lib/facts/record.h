/*
 * record.h - how the facts files (facts.c, facts_text.c, facts_names.c,
 * facts_keys.c) make a record: its strings gathered in a struct text, then
 * packed with it into one allocation. Nothing outside facts/ includes it.
 */
#ifndef CF_FACTS_RECORD_H
#define CF_FACTS_RECORD_H

#include <gnutls/gnutls.h>

#include "facts/facts.h"

/* The strings of a record being made: a scan keeps a record per distinct
 * certificate, and nine separate strings each cost a malloc, a free and
 * heap fragmentation. */
enum {
	T_ERROR,
	T_SUBJECT,
	T_ISSUER,
	T_ISSUER_CN,
	T_SERIAL,
	T_SANS,
	T_KEY,
	T_SIGNATURE,
	T_EKU,
	T_SAN_LIST,
	T_EKU_LIST,
	T_SKI,
	T_AKI,
	T_DER,
	T_PROFILE,
	T_N
};

struct text {
	struct cf__buf b;
	size_t at[T_N];
	unsigned set; /* bit per string present */
	int nomem;
};

/* facts_text.c: string WHICH begun, added to (raw, or sanitized), ended,
 * and the record packed */
void cf__text_begin(struct text *t, int which);
void cf__text_add(struct text *t, const void *p, size_t n);
void cf__text_add_clean(struct text *t, const void *p, size_t n);
void cf__text_end(struct text *t);
void cf__text_put(struct text *t, int which, const void *p, size_t n);
void cf__bytes_put(struct text *t, int which, const void *p, size_t n);
void cf__datum_put(struct text *t, int which, gnutls_datum_t *d);
struct cf__facts *cf__text_pack(const struct cf__facts *f, struct text *t);

/* facts_names.c */
void cf__san_text(struct text *t, const struct cf__facts *f);
void cf__sans_of(
    struct cf__facts *f, struct cf__buf *list, gnutls_x509_crt_t crt, const char **bad, int *nomem);
void cf__eku_of(
    struct cf__facts *f, struct cf__buf *list, gnutls_x509_crt_t crt, const char **bad, int *nomem);
void cf__eku_text(struct text *t, const char *list, size_t n);

/* facts_keys.c */
void cf__key_desc(struct cf__facts *f, struct text *t, gnutls_x509_crt_t crt,
    const unsigned char *der, size_t len);

/* facts.c */
const struct cf__facts *cf__facts_cache_get(struct cf__facts_cache *c, const unsigned char *der,
    size_t len, int kind, const char *label,
    struct cf__facts *(*parse)(const unsigned char *, size_t, const unsigned char *, const char *));

#endif
