/*
 * bare - the CPU baseline of the benchmark: a bare loop of GnuTLS PEM
 * decoding and X.509 import over files named on standard input, reading
 * the same facts certfleet keeps (subject, issuer, issuer CN, serial,
 * validity, version, basic constraints, key algorithm and size or curve,
 * signature algorithm, SANs, EKU, key id, SHA-256 of the DER).
 * usage: find DIR -name '*.crt' | bare
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

static void
facts(gnutls_x509_crt_t crt, const gnutls_datum_t *der, unsigned long *sink)
{
	gnutls_datum_t d;
	unsigned char serial[64], id[64], h[32];
	char buf[1024];
	size_t size;
	unsigned bits, crit, i;
	gnutls_ecc_curve_t curve;
	int pk;

	if (gnutls_x509_crt_get_dn3(crt, &d, 0) >= 0)
		*sink += d.size, gnutls_free(d.data);
	if (gnutls_x509_crt_get_issuer_dn3(crt, &d, 0) >= 0)
		*sink += d.size, gnutls_free(d.data);
	size = sizeof buf;
	gnutls_x509_crt_get_issuer_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &size);
	size = sizeof serial;
	gnutls_x509_crt_get_serial(crt, serial, &size);
	*sink += (unsigned long)gnutls_x509_crt_get_activation_time(crt);
	*sink += (unsigned long)gnutls_x509_crt_get_expiration_time(crt);
	*sink += (unsigned long)gnutls_x509_crt_get_version(crt);
	*sink += (unsigned long)gnutls_x509_crt_get_basic_constraints(crt, &crit, NULL, NULL);
	pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
	if (pk == GNUTLS_PK_ECDSA)
		gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, NULL, NULL);
	*sink += (unsigned long)gnutls_x509_crt_get_signature_algorithm(crt);
	for (i = 0;; i++) {
		size = sizeof buf;
		if (gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &size, NULL) ==
		    GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
	}
	for (i = 0;; i++) {
		size = sizeof buf;
		if (gnutls_x509_crt_get_key_purpose_oid(crt, i, buf, &size, NULL) < 0)
			break;
	}
	size = sizeof id;
	gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, id, &size);
	gnutls_hash_fast(GNUTLS_DIG_SHA256, der->data, der->size, h);
	*sink += h[0];
}

int
main(void)
{
	char path[4096];
	unsigned long n = 0, sink = 0;

	while (fgets(path, sizeof path, stdin)) {
		gnutls_datum_t pem, der;
		gnutls_x509_crt_t crt;
		path[strcspn(path, "\n")] = '\0';
		if (gnutls_load_file(path, &pem) < 0)
			continue;
		if (gnutls_pem_base64_decode2("CERTIFICATE", &pem, &der) >= 0) {
			gnutls_x509_crt_init(&crt);
			if (gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER) >= 0) {
				facts(crt, &der, &sink);
				n++;
			}
			gnutls_x509_crt_deinit(crt);
			gnutls_free(der.data);
		}
		gnutls_free(pem.data);
	}
	printf("%lu certificates (%lu)\n", n, sink % 10);
	return 0;
}
