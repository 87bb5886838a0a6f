/*
 * access.c - the result as an embedding program reads it: findings and
 * items (the certificates and keys of every file) through opaque handles
 * and accessors, strings borrowed from the scan. A read-only view of the
 * model; the handles are pointers into it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* An item: one certificate or key member of one file. */
struct cf_item {
	const struct cf__file *file;
	const struct cf__member *m;
};

static const struct cf__finding *
fin(const struct cf_finding *f)
{
	return (const struct cf__finding *)(const void *)f;
}

const struct cf_finding *
cf_scan_finding(const struct cf_scan *s, size_t i)
{
	return i < s->n_findings ? (const struct cf_finding *)(const void *)&s->findings[i] : NULL;
}

const char *
cf_finding_rule(const struct cf_finding *f)
{
	return fin(f)->rule->id;
}
enum cf_severity
cf_finding_severity(const struct cf_finding *f)
{
	return fin(f)->severity;
}
const char *
cf_finding_node(const struct cf_finding *f)
{
	return fin(f)->node;
}
const char *
cf_finding_path(const struct cf_finding *f)
{
	return fin(f)->path;
}
int
cf_finding_index(const struct cf_finding *f)
{
	return fin(f)->index;
}
int
cf_finding_line(const struct cf_finding *f)
{
	return fin(f)->line;
}
const char *
cf_finding_message(const struct cf_finding *f)
{
	return fin(f)->message;
}

const char *
cf_finding_sha256(const struct cf_finding *f)
{
	return fin(f)->facts ? fin(f)->facts->sha256_hex : NULL;
}

/* ---- items --------------------------------------------------------------------- */

static int
is_item(const struct cf__member *m)
{
	return m->kind == CF__M_CERT || m->kind == CF__M_KEY || m->kind == CF__M_KEY_ENCRYPTED ||
	    m->kind == CF__M_CRL;
}

/* The items' index, made on the first call (the model is immutable once
 * the scan ran); -1 out of memory. */
static int
index_items(const struct cf_scan *cs)
{
	struct cf_scan *s = (struct cf_scan *)cs;
	size_t i, n = 0;
	uint32_t j;

	if (s->items || s->n_files == 0)
		return 0;
	for (i = 0; i < s->n_files; i++)
		for (j = 0; j < s->files[i].dec->n_members; j++)
			n += is_item(&cf__members(&s->files[i])[j]);
	if ((s->items = malloc((n + 1) * sizeof *s->items)) == NULL)
		return -1;
	for (i = 0; i < s->n_files; i++)
		for (j = 0; j < s->files[i].dec->n_members; j++)
			if (is_item(&cf__members(&s->files[i])[j]))
				s->items[s->n_items++] =
				    (struct cf_item){ &s->files[i], &cf__members(&s->files[i])[j] };
	return 0;
}

size_t
cf_scan_item_count(const struct cf_scan *s)
{
	return index_items(s) == 0 ? s->n_items : 0;
}

const struct cf_item *
cf_scan_item(const struct cf_scan *s, size_t i)
{
	return index_items(s) == 0 && i < s->n_items ? &s->items[i] : NULL;
}

enum cf_item_kind
cf_item_kind(const struct cf_item *it)
{
	return it->m->kind == CF__M_CERT ? CF_ITEM_CERT
	    : it->m->kind == CF__M_KEY   ? CF_ITEM_KEY
	    : it->m->kind == CF__M_CRL   ? CF_ITEM_CRL
	                                 : CF_ITEM_KEY_ENCRYPTED;
}

const char *
cf_item_node(const struct cf_item *it)
{
	return it->file->node;
}
const char *
cf_item_path(const struct cf_item *it)
{
	return it->file->path;
}
int
cf_item_index(const struct cf_item *it)
{
	return (int)it->m->index;
}
int
cf_item_line(const struct cf_item *it)
{
	return (int)it->m->line;
}

/* The facts of a certificate item, or NULL. */
static const struct cf__facts *
cert(const struct cf_item *it)
{
	return it->m->kind == CF__M_CERT ? it->m->facts : NULL;
}

/* A string of a certificate item's facts, or NULL. */
#define CERT_STR(fn, field) \
	const char *fn(const struct cf_item *it) \
	{ \
		return cert(it) ? cert(it)->field : NULL; \
	}
CERT_STR(cf_item_subject, subject)
/* The facts of a certificate or CRL item (what they share: issuer,
 * validity), or NULL. */
static const struct cf__facts *
dated(const struct cf_item *it)
{
	return it->m->kind == CF__M_CERT || it->m->kind == CF__M_CRL ? it->m->facts : NULL;
}

const char *
cf_item_issuer(const struct cf_item *it)
{
	return dated(it) ? dated(it)->issuer : NULL;
}
CERT_STR(cf_item_issuer_cn, issuer_cn)
CERT_STR(cf_item_serial, serial)
CERT_STR(cf_item_signature_algorithm, signature)
CERT_STR(cf_item_subject_alt_names, sans)
CERT_STR(cf_item_extended_key_usage, eku)

const char *
cf_item_key_algorithm(const struct cf_item *it)
{
	return it->m->facts ? it->m->facts->key : NULL;
}

const char *
cf_item_sha256(const struct cf_item *it)
{
	return it->m->facts ? it->m->facts->sha256_hex : NULL;
}

int
cf_item_version(const struct cf_item *it)
{
	return cert(it) ? cert(it)->version : 0;
}
int
cf_item_is_ca(const struct cf_item *it)
{
	return cert(it) ? cert(it)->is_ca : 0;
}
int64_t
cf_item_not_before(const struct cf_item *it)
{
	return dated(it) ? dated(it)->not_before : INT64_MIN;
}
int64_t
cf_item_not_after(const struct cf_item *it)
{
	return dated(it) ? dated(it)->not_after : INT64_MIN;
}

const char *
cf_scan_skipped(const struct cf_scan *s, size_t i, const char **node, const char **path)
{
	if (i >= s->n_skips)
		return NULL;
	if (node)
		*node = s->skips[i].node;
	if (path)
		*path = s->skips[i].path;
	return s->skips[i].reason;
}
int
cf_item_pkcs8(const struct cf_item *it)
{
	return it->m->facts && it->m->facts->kind == 1;
}
int
cf_item_decrypted(const struct cf_item *it)
{
	return it->m->kind == CF__M_KEY && it->m->decrypted;
}

int
cf_item_spki_sha256(const struct cf_item *it, char *buf, size_t len)
{
	const struct cf__facts *x = it->m->facts;

	if (x == NULL || x->spki_len != 32 || len < 65)
		return -1;
	cf__hex(buf, x->spki, 32);
	return 0;
}

unsigned
cf_item_key_bits(const struct cf_item *it)
{
	return it->m->facts ? it->m->facts->bits : 0;
}

int
cf_item_path_len(const struct cf_item *it)
{
	return cert(it) ? cert(it)->pathlen : -1;
}

size_t
cf_item_san_count(const struct cf_item *it)
{
	return cert(it) ? cert(it)->n_sans : 0;
}

const unsigned char *
cf_item_san(const struct cf_item *it, size_t i, enum cf_san_type *type, size_t *len)
{
	struct cf__san san;
	size_t pos = 0, k = 0;

	if (cert(it) == NULL)
		return NULL;
	while (cf__san_next(cert(it), &pos, &san))
		if (k++ == i) {
			if (type)
				*type = (enum cf_san_type)san.type;
			if (len)
				*len = san.len;
			return san.value;
		}
	return NULL;
}

size_t
cf_item_eku_count(const struct cf_item *it)
{
	return cert(it) ? cert(it)->n_ekus : 0;
}

const char *
cf_item_eku(const struct cf_item *it, size_t i)
{
	const char *e;

	if (cert(it) == NULL || i >= cert(it)->n_ekus)
		return NULL;
	for (e = cert(it)->eku_list; i--; e += strlen(e) + 1)
		;
	return e;
}

const unsigned char *
cf_item_der(const struct cf_item *it, size_t *len)
{
	if (cert(it) == NULL)
		return NULL;
	if (len)
		*len = cert(it)->der_len;
	return cert(it)->der;
}
