/*
 * facts_names.c - the names a certificate holds: its subjectAltName
 * entries (typed, and as text) and its extended key usages.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>

#include "facts/record.h"

int
cf__san_next(const struct cf__facts *f, size_t *pos, struct cf__san *san)
{
	const unsigned char *p;
	size_t n;

	if (f->san_list == NULL || *pos + 5 > f->san_list_len)
		return 0;
	p = f->san_list + *pos;
	n = (size_t)p[1] << 24 | (size_t)p[2] << 16 | (size_t)p[3] << 8 | p[4];
	san->type = (enum cf__san_type)p[0];
	san->value = p + 5;
	san->len = n;
	*pos += 5 + n + 1;
	return 1;
}

int
cf__san_format(const struct cf__san *san, struct cf__buf *b)
{
	/* an OTHER name's value is its whole display text ("DirName:CN=x") */
	static const char *const prefix[] = { "", "DNS:", "IP:", "URI:", "email:", "" };
	char ip[INET6_ADDRSTRLEN];
	const char *v = "?";

	if (cf__buf_add(b, prefix[san->type], strlen(prefix[san->type])) != 0)
		return CF_E_NOMEM;
	if (san->type != CF__SAN_IP)
		return cf__sanitize_add(b, san->value, san->len, 0) != 0 ? CF_E_NOMEM : 0;
	if ((san->len == 4 || san->len == 16) &&
	    inet_ntop(san->len == 4 ? AF_INET : AF_INET6, san->value, ip, sizeof ip))
		v = ip;
	return cf__buf_add(b, v, strlen(v)) != 0 ? CF_E_NOMEM : 0;
}

/* The SANs as display text, "DNS:a, IP:192.0.2.7, IP:2001:db8::1", from
 * the typed list F->san_list. */
void
cf__san_text(struct text *t, const struct cf__facts *f)
{
	struct cf__buf one = { 0 };
	struct cf__san san;
	size_t pos = 0, i = 0;

	cf__text_begin(t, T_SANS);
	while (cf__san_next(f, &pos, &san)) {
		if (i++)
			cf__text_add(t, ", ", 2);
		one.len = 0;
		if (cf__san_format(&san, &one) != 0)
			t->nomem = 1;
		else
			cf__text_add(t, one.data, one.len);
	}
	cf__buf_free(&one);
	cf__text_end(t);
}

/* Bytes as text when they are printable ASCII, else as hex. */
static void
text_or_hex(struct cf__buf *b, const unsigned char *p, size_t n, int *nomem)
{
	char hx[3];
	size_t i;

	for (i = 0; i < n && p[i] >= 0x20 && p[i] < 0x7f; i++)
		;
	if (i == n && n) {
		*nomem |= cf__buf_add(b, p, n);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(hx, sizeof hx, "%02x", p[i]);
		*nomem |= cf__buf_add(b, hx, 2);
	}
}

/* The display text of SAN I of CRT, of a GnuTLS TYPE that is no DNS name,
 * IP, URI or email (RAW, SIZE as GnuTLS gave it), into B, as people write
 * them: DirName:CN=foo, RID:1.2.3, othername:OID:value. */
static void
other_san(struct cf__buf *b, gnutls_x509_crt_t crt, unsigned i, unsigned type,
    const unsigned char *raw, size_t size, int *nomem)
{
	gnutls_datum_t in = { (unsigned char *)raw, (unsigned)size }, dn = { 0 };
	char oid[128];
	size_t oidlen = sizeof oid;
	const unsigned char *c;
	size_t cn;

	switch (type) {
	case GNUTLS_SAN_DN:
		*nomem |= cf__buf_add(b, "DirName:", 8);
		if (gnutls_x509_rdn_get2(&in, &dn, 0) >= 0)
			*nomem |= cf__sanitize_add(b, dn.data, dn.size, 0);
		else
			text_or_hex(b, raw, size, nomem);
		gnutls_free(dn.data);
		return;
	case GNUTLS_SAN_REGISTERED_ID:
		*nomem |= cf__buf_add(b, "RID:", 4);
		text_or_hex(b, raw, size, nomem);
		return;
	case GNUTLS_SAN_OTHERNAME:
	case GNUTLS_SAN_OTHERNAME_XMPP:
	case GNUTLS_SAN_OTHERNAME_KRB5PRINCIPAL:
	case GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL:
		*nomem |= cf__buf_add(b, "othername:", 10);
		if (gnutls_x509_crt_get_subject_alt_othername_oid(crt, i, oid, &oidlen) >= 0) {
			*nomem |= cf__sanitize_add(b, oid, strnlen(oid, oidlen), 0) |
			    cf__buf_add(b, ":", 1);
		}
		/* a string value (UTF8String, IA5String...) as its text */
		if (size > 2 && cf__der_contents(raw, size, &c, &cn) >= 0 &&
		    (raw[0] == 0x0c || raw[0] == 0x16 || raw[0] == 0x13))
			text_or_hex(b, c, cn, nomem);
		else
			text_or_hex(b, raw, size, nomem);
		return;
	default: *nomem |= cf__buf_add(b, "other:", 6); text_or_hex(b, raw, size, nomem);
	}
}

/* The SANs into the typed list LIST (type, 4-byte length, value, NUL per
 * name), read from the names GnuTLS already decoded while importing the
 * certificate (decoding the extension again cost a fifth of the parse). */
void
cf__sans_of(
    struct cf__facts *f, struct cf__buf *list, gnutls_x509_crt_t crt, const char **bad, int *nomem)
{
	char small[512], *san = small, *big = NULL;
	size_t cap = sizeof small, size;
	unsigned i, type;
	unsigned char hdr[5];
	struct cf__buf other = { 0 };
	int rc;

	for (i = 0;; i++) {
		size = cap;
		rc = gnutls_x509_crt_get_subject_alt_name2(crt, i, san, &size, &type, NULL);
		if (rc == GNUTLS_E_SHORT_MEMORY_BUFFER) { /* a name over 512 bytes */
			free(big);
			if ((san = big = malloc(cap = size + 1)) == NULL) {
				*nomem = 1;
				break;
			}
			size = cap;
			rc = gnutls_x509_crt_get_subject_alt_name2(crt, i, san, &size, &type, NULL);
		}
		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (rc < 0) {
			*bad = "malformed subjectAltName extension";
			break;
		}
		hdr[0] = type == GNUTLS_SAN_DNSNAME ? CF__SAN_DNS
		    : type == GNUTLS_SAN_URI        ? CF__SAN_URI
		    : type == GNUTLS_SAN_IPADDRESS  ? CF__SAN_IP
		    : type == GNUTLS_SAN_RFC822NAME ? CF__SAN_EMAIL
		                                    : CF__SAN_OTHER;
		if (hdr[0] == CF__SAN_OTHER) { /* kept as its display text */
			other.len = 0;
			other_san(&other, crt, i, type, (const unsigned char *)san, size, nomem);
			if (other.data == NULL)
				break;
			san = (char *)other.data;
			size = other.len;
		}
		hdr[1] = (unsigned char)(size >> 24);
		hdr[2] = (unsigned char)(size >> 16);
		hdr[3] = (unsigned char)(size >> 8);
		hdr[4] = (unsigned char)size;
		*nomem |= cf__buf_add(list, hdr, 5) | cf__buf_add(list, san, size) |
		    cf__buf_add(list, "", 1);
		f->n_sans++;
		san = big ? big : small;
	}
	free(big);
	cf__buf_free(&other);
}

/* The EKU OIDs into LIST (each NUL-terminated). */
void
cf__eku_of(
    struct cf__facts *f, struct cf__buf *list, gnutls_x509_crt_t crt, const char **bad, int *nomem)
{
	gnutls_x509_key_purposes_t p = NULL;
	gnutls_datum_t ext = { 0 }, oid;
	unsigned i;

	if (gnutls_x509_crt_get_extension_by_oid2(
	        crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE, 0, &ext, NULL) >= 0 &&
	    (gnutls_x509_key_purpose_init(&p) < 0 ||
	        gnutls_x509_ext_import_key_purposes(&ext, p, 0) < 0)) {
		*bad = "malformed extendedKeyUsage extension";
	} else if (p) {
		for (i = 0; gnutls_x509_key_purpose_get(p, i, &oid) >= 0; i++) {
			*nomem |= cf__buf_add(list, oid.data, strlen((char *)oid.data) + 1);
			f->n_ekus++;
		}
	}
	if (p)
		gnutls_x509_key_purpose_deinit(p);
	gnutls_free(ext.data);
}

const char *
cf__eku_name(const char *oid)
{
	return strcmp(oid, GNUTLS_KP_TLS_WWW_SERVER) == 0 ? "serverAuth"
	    : strcmp(oid, GNUTLS_KP_TLS_WWW_CLIENT) == 0  ? "clientAuth"
	                                                  : oid;
}

/* The EKUs as display text, "serverAuth, clientAuth, 1.2.3", from the list. */
void
cf__eku_text(struct text *t, const char *list, size_t n)
{
	size_t i;

	cf__text_begin(t, T_EKU);
	for (i = 0; i < n; i++, list += strlen(list) + 1) {
		const char *name = cf__eku_name(list);
		if (i)
			cf__text_add(t, ", ", 2);
		cf__text_add_clean(t, name, strlen(name));
	}
	cf__text_end(t);
}
