/*
 * trust_source.c - the anchors of the trust settings (a file or folder,
 * the system store): every certificate GnuTLS's trust list reads from them
 * (PEM or DER) into the scan's anchors, which the chain pass
 * (check/chain*.c) gives every node. And cf_scan_set_policy(), which reads
 * the anchors a policy names when the scan takes it.
 */
#include <sys/stat.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "source/source.h"

/* Every certificate of TL into the scan's anchors: how many were new. */
static long
take_anchors(struct cf_scan *s, gnutls_x509_trust_list_t tl)
{
	gnutls_x509_trust_list_iter_t it = NULL;
	gnutls_x509_crt_t crt;
	long n = 0;

	while (n >= 0 && gnutls_x509_trust_list_iter_get_ca(tl, &it, &crt) >= 0) {
		gnutls_datum_t der = { 0 };
		const struct cf__facts *f;
		if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) >= 0 &&
		    (f = cf__facts_get(s->cache, der.data, der.size)) != NULL &&
		    cf__facts_usable(f)) {
			if (cf__grow((void **)&s->trust, &s->cap_trust, s->n_trust + 1,
			        sizeof *s->trust, 16) != 0)
				n = -1;
			else {
				s->trust[s->n_trust++] = f;
				n++;
			}
		}
		gnutls_free(der.data);
		gnutls_x509_crt_deinit(crt);
	}
	gnutls_x509_trust_list_iter_deinit(it);
	return n;
}

/* The anchors of PATH into S: 0, CF_E_USAGE (none read) or CF_E_NOMEM. */
static int
load_trust(struct cf_scan *s, const char *path)
{
	gnutls_x509_trust_list_t tl;
	struct stat st;
	long n;
	int r;

	if (path == NULL || stat(path, &st) != 0)
		return cf__set_error(
		    s, CF_E_USAGE, "trust: %s: cannot read it", path ? path : "(null)");
	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	if (S_ISDIR(st.st_mode)) {
		r = gnutls_x509_trust_list_add_trust_dir(tl, path, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
		if (r <= 0)
			r = gnutls_x509_trust_list_add_trust_dir(
			    tl, path, NULL, GNUTLS_X509_FMT_DER, 0, 0);
	} else {
		r = gnutls_x509_trust_list_add_trust_file(
		    tl, path, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
		if (r <= 0)
			r = gnutls_x509_trust_list_add_trust_file(
			    tl, path, NULL, GNUTLS_X509_FMT_DER, 0, 0);
	}
	n = r > 0 ? take_anchors(s, tl) : 0;
	gnutls_x509_trust_list_deinit(tl, 1);
	if (n < 0)
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	if (n == 0)
		return cf__set_error(s, CF_E_USAGE, "trust: %s: no certificate in it", path);
	return 0;
}

static int
load_system_trust(struct cf_scan *s)
{
	gnutls_x509_trust_list_t tl;
	long n;
	int r;

	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	r = gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	n = r > 0 ? take_anchors(s, tl) : 0;
	gnutls_x509_trust_list_deinit(tl, 1);
	if (n < 0)
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	if (n == 0)
		return cf__set_error(
		    s, CF_E_USAGE, "system_trust: the system's trust store holds no certificate");
	return 0;
}

int
cf_scan_add_trust(struct cf_scan *s, const char *path)
{
	int rc = load_trust(s, path);

	if (rc == 0 && cf_policy_add_trust(&s->policy, path) != 0)
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	return rc;
}

int
cf_scan_add_system_trust(struct cf_scan *s)
{
	int rc = load_system_trust(s);

	if (rc == 0)
		s->policy.system_trust = 1;
	return rc;
}

int
cf_scan_set_policy(struct cf_scan *s, const struct cf_policy *p)
{
	size_t i;
	int rc = 0;

	if (s->n_files || s->pipe || s->n_inputs || s->ran)
		return cf__set_error(s, CF_E_USAGE, "policy: set before the inputs are added");
	if (cf__policy_copy(&s->policy, p) != 0)
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	/* the anchors and passwords are the policy's, and only those */
	s->n_trust = 0;
	for (i = 0; rc == 0 && i < s->policy.n_trust; i++)
		rc = load_trust(s, s->policy.trust[i]);
	if (rc == 0 && s->policy.system_trust)
		rc = load_system_trust(s);
	return rc ? rc : cf__scan_take_passwords(s);
}
