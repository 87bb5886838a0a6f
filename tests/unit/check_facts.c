/*
 * check_facts.c - typed facts: certificates made here with GnuTLS, with
 * known extensions, key and signature; the facts stage must give back
 * exactly what was put in (the expected values are how they were made).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "check_main.h"
#include "private.h"

static const unsigned char SKI[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
	19, 20 };
static const unsigned char AKI[] = { 0xaa, 0xbb, 0xcc, 0xdd };

/* A self-signed certificate: EC P-384 key, signed with SHA-384; SANs
 * DNS, IPv4, IPv6, email, URI; EKU serverAuth, clientAuth and 1.2.3.4;
 * CA with pathlen 2; keyUsage keyCertSign | digitalSignature; SKI, AKI;
 * valid 1950-01-01 to 2049-12-31 (UTCTime both). DER into *DER. */
static void
make_cert(gnutls_datum_t *der)
{
	gnutls_x509_privkey_t k;
	gnutls_x509_crt_t c;
	unsigned char ip4[4], ip6[16];
	unsigned char serial[] = { 0x42 };

	ck_assert_int_ge(gnutls_x509_privkey_init(&k), 0);
	ck_assert_int_ge(gnutls_x509_privkey_generate(k, GNUTLS_PK_ECDSA,
	                     GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1), 0),
	    0);
	ck_assert_int_ge(gnutls_x509_crt_init(&c), 0);
	gnutls_x509_crt_set_version(c, 3);
	gnutls_x509_crt_set_serial(c, serial, sizeof serial);
	gnutls_x509_crt_set_dn(c, "CN=typed.example,O=certfleet", NULL);
	gnutls_x509_crt_set_issuer_dn(c, "CN=typed.example,O=certfleet", NULL);
	gnutls_x509_crt_set_key(c, k);
	gnutls_x509_crt_set_activation_time(c, (time_t)-631152000); /* 1950-01-01 */
	gnutls_x509_crt_set_expiration_time(c, (time_t)2524607999); /* 2049-12-31T23:59:59 */
	inet_pton(AF_INET, "192.0.2.7", ip4);
	inet_pton(AF_INET6, "2001:db8::1", ip6);
	gnutls_x509_crt_set_subject_alt_name(
	    c, GNUTLS_SAN_DNSNAME, "a.example", 9, GNUTLS_FSAN_APPEND);
	gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_IPADDRESS, ip4, 4, GNUTLS_FSAN_APPEND);
	gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_IPADDRESS, ip6, 16, GNUTLS_FSAN_APPEND);
	gnutls_x509_crt_set_subject_alt_name(
	    c, GNUTLS_SAN_RFC822NAME, "x@example.org", 13, GNUTLS_FSAN_APPEND);
	gnutls_x509_crt_set_subject_alt_name(
	    c, GNUTLS_SAN_URI, "https://e.example/", 18, GNUTLS_FSAN_APPEND);
	gnutls_x509_crt_set_key_purpose_oid(c, GNUTLS_KP_TLS_WWW_SERVER, 0);
	gnutls_x509_crt_set_key_purpose_oid(c, GNUTLS_KP_TLS_WWW_CLIENT, 0);
	gnutls_x509_crt_set_key_purpose_oid(c, "1.2.3.4", 0);
	gnutls_x509_crt_set_basic_constraints(c, 1, 2);
	gnutls_x509_crt_set_key_usage(c, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_DIGITAL_SIGNATURE);
	gnutls_x509_crt_set_subject_key_id(c, SKI, sizeof SKI);
	gnutls_x509_crt_set_authority_key_id(c, AKI, sizeof AKI);
	ck_assert_int_ge(gnutls_x509_crt_sign2(c, c, k, GNUTLS_DIG_SHA384, 0), 0);
	ck_assert_int_ge(gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_DER, der), 0);
	gnutls_x509_crt_deinit(c);
	gnutls_x509_privkey_deinit(k);
}

/* A self-signed Ed25519 leaf with DNS SANs NAMES (NULL-ended) and the IP
 * 192.0.2.7: its DER. */
static void
make_named(const char *const *names, gnutls_datum_t *der)
{
	gnutls_x509_privkey_t k;
	gnutls_x509_crt_t c;
	unsigned char ip4[4], serial[] = { 0x43 };

	ck_assert_int_ge(gnutls_x509_privkey_init(&k), 0);
	ck_assert_int_ge(gnutls_x509_privkey_generate(k, GNUTLS_PK_EDDSA_ED25519, 256, 0), 0);
	ck_assert_int_ge(gnutls_x509_crt_init(&c), 0);
	gnutls_x509_crt_set_version(c, 3);
	gnutls_x509_crt_set_serial(c, serial, sizeof serial);
	gnutls_x509_crt_set_dn(c, "CN=named.example", NULL);
	gnutls_x509_crt_set_issuer_dn(c, "CN=named.example", NULL);
	gnutls_x509_crt_set_key(c, k);
	gnutls_x509_crt_set_activation_time(c, (time_t)1700000000);
	gnutls_x509_crt_set_expiration_time(c, (time_t)1800000000);
	for (; *names; names++)
		gnutls_x509_crt_set_subject_alt_name(
		    c, GNUTLS_SAN_DNSNAME, *names, (unsigned)strlen(*names), GNUTLS_FSAN_APPEND);
	inet_pton(AF_INET, "192.0.2.7", ip4);
	gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_IPADDRESS, ip4, 4, GNUTLS_FSAN_APPEND);
	ck_assert_int_ge(gnutls_x509_crt_sign2(c, c, k, GNUTLS_DIG_UNKNOWN, 0), 0);
	ck_assert_int_ge(gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_DER, der), 0);
	gnutls_x509_crt_deinit(c);
	gnutls_x509_privkey_deinit(k);
}

/* RFC 6125 name matching (tls-cert-name-mismatch): a wildcard is one
 * whole leftmost label of a name of three labels or more; case and a
 * final dot do not matter; an IP address matches only an IP entry. */
START_TEST(test_name_covers)
{
	static const char *const names[] = { "*.svc.example", "Exact.Example.", "*.example",
		"f*.partial.example", "xn--bcher-kva.example", NULL };
	struct cf__facts_cache *cache = cf__facts_cache_new();
	const struct cf__facts *f;
	gnutls_datum_t der;

	make_named(names, &der);
	f = cf__facts_get(cache, der.data, der.size);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_null(f->error);
	ck_assert(cf__name_covers(f, "n01.svc.example"));
	ck_assert(cf__name_covers(f, "N01.SVC.example."));
	ck_assert(!cf__name_covers(f, "a.b.svc.example")); /* one label only */
	ck_assert(!cf__name_covers(f, "svc.example"));     /* not the bare name */
	ck_assert(!cf__name_covers(f, ".svc.example"));
	ck_assert(cf__name_covers(f, "exact.example"));
	ck_assert(!cf__name_covers(f, "host.example"));        /* *.example: too broad */
	ck_assert(!cf__name_covers(f, "foo.partial.example")); /* a partial wildcard */
	ck_assert(cf__name_covers(f, "XN--BCHER-KVA.example"));
	ck_assert(cf__name_covers(f, "192.0.2.7"));
	ck_assert(!cf__name_covers(f, "192.0.2.8"));
	ck_assert(!cf__name_covers(f, "2001:db8::1"));
	ck_assert(!cf__name_covers(f, ""));
	gnutls_free(der.data);
	cf__facts_cache_free(cache);
}
END_TEST

START_TEST(test_typed_facts)
{
	struct cf__facts_cache *cache = cf__facts_cache_new();
	const struct cf__facts *f;
	struct cf__san san;
	gnutls_datum_t der;
	size_t pos = 0, n = 0;
	const char *e;
	static const struct {
		enum cf__san_type type;
		const char *v;
		size_t len;
	} want[] = {
		{ CF__SAN_DNS, "a.example", 9 },
		{ CF__SAN_IP, "\xc0\x00\x02\x07", 4 },
		{ CF__SAN_IP, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16 },
		{ CF__SAN_EMAIL, "x@example.org", 13 },
		{ CF__SAN_URI, "https://e.example/", 18 },
	};

	make_cert(&der);
	f = cf__facts_get(cache, der.data, der.size);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_null(f->error);
	/* key and signature, typed */
	ck_assert_int_eq(f->pk, GNUTLS_PK_ECDSA);
	ck_assert_int_eq(f->curve, GNUTLS_ECC_CURVE_SECP384R1);
	ck_assert_uint_eq(f->bits, 384);
	ck_assert_int_eq(f->sign, GNUTLS_SIGN_ECDSA_SHA384);
	ck_assert_int_eq(f->sign_hash, GNUTLS_DIG_SHA384);
	/* the SANs, typed and raw, in order */
	while (cf__san_next(f, &pos, &san)) {
		ck_assert_uint_lt(n, 5);
		ck_assert_int_eq(san.type, want[n].type);
		ck_assert_uint_eq(san.len, want[n].len);
		ck_assert(memcmp(san.value, want[n].v, san.len) == 0);
		n++;
	}
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(f->n_sans, 5);
	/* the display text is made from them, at the same place for all */
	ck_assert_str_eq(f->sans,
	    "DNS:a.example, IP:192.0.2.7, IP:2001:db8::1, email:x@example.org, "
	    "URI:https://e.example/");
	/* EKU list */
	ck_assert_uint_eq(f->n_ekus, 3);
	e = f->eku_list;
	ck_assert_str_eq(e, GNUTLS_KP_TLS_WWW_SERVER);
	e += strlen(e) + 1;
	ck_assert_str_eq(e, GNUTLS_KP_TLS_WWW_CLIENT);
	e += strlen(e) + 1;
	ck_assert_str_eq(e, "1.2.3.4");
	ck_assert_str_eq(f->eku, "serverAuth, clientAuth, 1.2.3.4");
	/* basicConstraints, keyUsage, key identifiers */
	ck_assert_int_eq(f->basic_constraints, 1);
	ck_assert_int_eq(f->is_ca, 1);
	ck_assert_int_eq(f->pathlen, 2);
	ck_assert_int_eq(f->key_usage, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_DIGITAL_SIGNATURE);
	ck_assert_uint_eq(f->ski_len, sizeof SKI);
	ck_assert(memcmp(f->ski, SKI, sizeof SKI) == 0);
	ck_assert_uint_eq(f->aki_len, sizeof AKI);
	ck_assert(memcmp(f->aki, AKI, sizeof AKI) == 0);
	/* the DER store: the bytes, and the Names in them (self-signed: equal) */
	ck_assert_uint_eq(f->der_len, der.size);
	ck_assert(memcmp(f->der, der.data, der.size) == 0);
	ck_assert_uint_eq(f->subject_len, f->issuer_len);
	ck_assert(f->subject_off != f->issuer_off);
	ck_assert(memcmp(f->der + f->subject_off, f->der + f->issuer_off, f->subject_len) == 0);
	ck_assert_int_eq(f->der[f->subject_off], 0x30);
	/* dates from the DER, before 1970 */
	ck_assert_int_eq(f->not_before, -631152000);
	ck_assert_int_eq(f->not_after, 2524607999);
	/* the same DER again: the same record */
	ck_assert_ptr_eq(cf__facts_get(cache, der.data, der.size), f);
	gnutls_free(der.data);
	cf__facts_cache_free(cache);
}
END_TEST

/* What signs a certificate, found in its DER: the TBS and signature the
 * key verifies, the outer algorithm, the critical extensions' OIDs (GnuTLS
 * marks basicConstraints and keyUsage critical); a signature with unused
 * bits is refused. */
START_TEST(test_der_signed)
{
	static const unsigned char ecdsa384[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
		0x3d, 0x04, 0x03, 0x03 };
	static const unsigned char crit[] = { 0x06, 0x03, 0x55, 0x1d, 0x13, 0x06, 0x03, 0x55, 0x1d,
		0x0f };
	struct cf__der_signed sg;
	gnutls_datum_t der, tbs, sig;
	gnutls_x509_crt_t c;
	gnutls_pubkey_t pub;
	unsigned char *bad;

	make_cert(&der);
	ck_assert_int_eq(cf__der_signed(der.data, der.size, &sg), 0);
	ck_assert_uint_eq(sg.alg_len, sizeof ecdsa384);
	ck_assert(memcmp(sg.alg, ecdsa384, sizeof ecdsa384) == 0);
	ck_assert_uint_eq(sg.crit_len, sizeof crit);
	ck_assert(memcmp(sg.crit, crit, sizeof crit) == 0);
	/* the parts lie in order and end the certificate */
	ck_assert(sg.tbs > der.data && sg.alg == sg.tbs + sg.tbs_len);
	ck_assert(sg.sig + sg.sig_len == der.data + der.size);
	ck_assert_int_ge(gnutls_x509_crt_init(&c), 0);
	ck_assert_int_ge(gnutls_x509_crt_import(c, &der, GNUTLS_X509_FMT_DER), 0);
	ck_assert_int_ge(gnutls_pubkey_init(&pub), 0);
	ck_assert_int_ge(gnutls_pubkey_import_x509(pub, c, 0), 0);
	tbs.data = der.data + (sg.tbs - der.data); /* the same bytes, not const */
	tbs.size = (unsigned)sg.tbs_len;
	sig.data = der.data + (sg.sig - der.data);
	sig.size = (unsigned)sg.sig_len;
	ck_assert_int_ge(
	    gnutls_pubkey_verify_data2(pub, GNUTLS_SIGN_ECDSA_SHA384, 0, &tbs, &sig), 0);
	/* the unused-bits octet of the signature BIT STRING set */
	bad = malloc(der.size);
	ck_assert_ptr_nonnull(bad);
	memcpy(bad, der.data, der.size);
	bad[sg.sig - der.data - 1] = 1;
	ck_assert_int_eq(cf__der_signed(bad, der.size, &sg), -1);
	free(bad);
	gnutls_pubkey_deinit(pub);
	gnutls_x509_crt_deinit(c);
	gnutls_free(der.data);
}
END_TEST

/* A certificate without the extensions: each says absent. */
START_TEST(test_absent)
{
	struct cf__facts_cache *cache = cf__facts_cache_new();
	gnutls_x509_privkey_t k;
	gnutls_x509_crt_t c;
	gnutls_datum_t der;
	const struct cf__facts *f;
	size_t pos = 0;
	struct cf__san san;
	unsigned char serial[] = { 7 };

	gnutls_x509_privkey_init(&k);
	ck_assert_int_ge(gnutls_x509_privkey_generate(k, GNUTLS_PK_RSA, 2048, 0), 0);
	gnutls_x509_crt_init(&c);
	gnutls_x509_crt_set_version(c, 3);
	gnutls_x509_crt_set_serial(c, serial, 1);
	gnutls_x509_crt_set_dn(c, "CN=bare", NULL);
	gnutls_x509_crt_set_key(c, k);
	gnutls_x509_crt_set_activation_time(c, 1780272000);
	gnutls_x509_crt_set_expiration_time(c, 1780272000 + 86400);
	ck_assert_int_ge(gnutls_x509_crt_sign2(c, c, k, GNUTLS_DIG_SHA256, 0), 0);
	gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_DER, &der);
	f = cf__facts_get(cache, der.data, der.size);
	ck_assert_ptr_null(f->error);
	ck_assert_int_eq(f->pk, GNUTLS_PK_RSA);
	ck_assert_uint_eq(f->bits, 2048);
	ck_assert_int_eq(f->curve, 0);
	ck_assert_int_eq(f->sign, GNUTLS_SIGN_RSA_SHA256);
	ck_assert_int_eq(f->sign_hash, GNUTLS_DIG_SHA256);
	ck_assert_int_eq(cf__san_next(f, &pos, &san), 0);
	ck_assert_uint_eq(f->n_sans, 0);
	ck_assert_uint_eq(f->n_ekus, 0);
	ck_assert_int_eq(f->basic_constraints, -1);
	ck_assert_int_eq(f->pathlen, -1);
	ck_assert_int_eq(f->key_usage, -1);
	ck_assert_uint_eq(f->ski_len + f->aki_len, 0);
	ck_assert_str_eq(f->sans, "");
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(c);
	gnutls_x509_privkey_deinit(k);
	cf__facts_cache_free(cache);
}
END_TEST

/* keyUsage with decipherOnly (the ninth bit) and a critical flag: the
 * value read from the DER is the one GnuTLS's own getter gives. */
START_TEST(test_key_usage_bits)
{
	static const unsigned usages[] = {
		GNUTLS_KEY_DECIPHER_ONLY | GNUTLS_KEY_KEY_AGREEMENT | GNUTLS_KEY_CRL_SIGN,
		GNUTLS_KEY_DIGITAL_SIGNATURE,
		GNUTLS_KEY_ENCIPHER_ONLY | GNUTLS_KEY_NON_REPUDIATION | GNUTLS_KEY_DATA_ENCIPHERMENT
	};
	struct cf__facts_cache *cache = cf__facts_cache_new();
	gnutls_x509_privkey_t k;
	unsigned char serial[] = { 9 };
	size_t i;

	gnutls_x509_privkey_init(&k);
	ck_assert_int_ge(gnutls_x509_privkey_generate(k, GNUTLS_PK_EDDSA_ED25519, 0, 0), 0);
	for (i = 0; i < sizeof usages / sizeof usages[0]; i++) {
		gnutls_x509_crt_t c;
		gnutls_datum_t der;
		const struct cf__facts *f;
		unsigned ku = 0, crit = 0;

		gnutls_x509_crt_init(&c);
		gnutls_x509_crt_set_version(c, 3);
		serial[0] = (unsigned char)(9 + i);
		gnutls_x509_crt_set_serial(c, serial, 1);
		gnutls_x509_crt_set_dn(c, "CN=ku", NULL);
		gnutls_x509_crt_set_key(c, k);
		gnutls_x509_crt_set_activation_time(c, 1780272000);
		gnutls_x509_crt_set_expiration_time(c, 1780272000 + 86400);
		gnutls_x509_crt_set_key_usage(c, usages[i]);
		ck_assert_int_ge(gnutls_x509_crt_sign2(c, c, k, GNUTLS_DIG_SHA512, 0), 0);
		gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_DER, &der);
		f = cf__facts_get(cache, der.data, der.size);
		ck_assert_int_ge(gnutls_x509_crt_get_key_usage(c, &ku, &crit), 0);
		ck_assert_int_eq(f->key_usage, (int)usages[i]);
		ck_assert_int_eq(f->key_usage, (int)ku);
		ck_assert_uint_eq(f->bits, 256);
		ck_assert_int_eq(f->sign_hash, GNUTLS_DIG_SHA512); /* Ed25519 hashes with SHA-512 */
		gnutls_free(der.data);
		gnutls_x509_crt_deinit(c);
	}
	gnutls_x509_privkey_deinit(k);
	cf__facts_cache_free(cache);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("facts");
	TCase *t = tcase_create("typed");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, test_typed_facts);
	tcase_add_test(t, test_der_signed);
	tcase_add_test(t, test_name_covers);
	tcase_add_test(t, test_absent);
	tcase_add_test(t, test_key_usage_bits);
	suite_add_tcase(su, t);
	return check_run(su, 1);
}
