/*
 * facts_text.c - a record's strings, one after another in one buffer
 * (NUL-terminated, by offset), then packed with the record into a single
 * allocation (struct text, record.h).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "facts/record.h"

/* Where each string or byte block's pointer lies in the record (every
 * one a pointer to char or unsigned char). */
static const size_t field_at[T_N] = {
	offsetof(struct cf__facts, error),
	offsetof(struct cf__facts, subject),
	offsetof(struct cf__facts, issuer),
	offsetof(struct cf__facts, issuer_cn),
	offsetof(struct cf__facts, serial),
	offsetof(struct cf__facts, sans),
	offsetof(struct cf__facts, key),
	offsetof(struct cf__facts, signature),
	offsetof(struct cf__facts, eku),
	offsetof(struct cf__facts, san_list),
	offsetof(struct cf__facts, eku_list),
	offsetof(struct cf__facts, ski),
	offsetof(struct cf__facts, aki),
	offsetof(struct cf__facts, der),
	offsetof(struct cf__facts, profile_fault),
};

void
cf__text_begin(struct text *t, int which)
{
	t->at[which] = t->b.len;
	t->set |= 1u << which;
}

void
cf__text_add(struct text *t, const void *p, size_t n)
{
	t->nomem |= cf__buf_add(&t->b, p, n);
}

void
cf__text_add_clean(struct text *t, const void *p, size_t n)
{
	t->nomem |= cf__sanitize_add(&t->b, p, n, 0);
}

void
cf__text_end(struct text *t)
{
	t->nomem |= cf__buf_add(&t->b, "", 1); /* the NUL, kept */
}

/* String WHICH: P[0..N), sanitized. */
void
cf__text_put(struct text *t, int which, const void *p, size_t n)
{
	cf__text_begin(t, which);
	cf__text_add_clean(t, p, n);
	cf__text_end(t);
}

/* The record: F's values and T's strings in one block (T is freed). */
struct cf__facts *
cf__text_pack(const struct cf__facts *f, struct text *t)
{
	struct cf__facts *out = t->nomem ? NULL : malloc(sizeof *out + t->b.len);
	char *base;
	int i;

	if (out) {
		*out = *f;
		base = (char *)(out + 1);
		if (t->b.len) /* a key record may have no string */
			memcpy(base, t->b.data, t->b.len);
		for (i = 0; i < T_N; i++) {
			char *v = t->set & 1u << i ? base + t->at[i] : NULL;
			memcpy((char *)out + field_at[i], &v, sizeof v);
		}
	}
	cf__buf_free(&t->b);
	return out;
}

/* Bytes as block WHICH of the record. */
void
cf__bytes_put(struct text *t, int which, const void *p, size_t n)
{
	cf__text_begin(t, which);
	cf__text_add(t, p, n);
	cf__text_end(t);
}

/* A datum's text as string WHICH, sanitized; the datum is freed. */
void
cf__datum_put(struct text *t, int which, gnutls_datum_t *d)
{
	cf__text_put(t, which, d->data, d->size);
	gnutls_free(d->data);
	d->data = NULL;
}
