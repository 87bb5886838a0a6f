/*
 * check_api.c - the public API as an embedding program sees it: only
 * certfleet.h, no library-private names. TESTDATA is the testdata folder.
 */
#define _GNU_SOURCE
/* this suite holds the deprecated cf_scan_set_* twins to their contract
 * too */
#define CF_NO_DEPRECATION_WARNINGS
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certfleet.h"
#include "check_main.h"

#define NOW 1780272000 /* 2026-06-01T00:00:00Z, testdata's reference time */

static char *
slurp(const char *rel, size_t *len)
{
	const char *td = getenv("TESTDATA");
	char path[4096], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/%s", td ? td : "testdata", rel);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The library never reads standard input: "-" is a usage error that says
 * what to call instead. */
START_TEST(test_no_stdin)
{
	struct cf_scan *s = cf_scan_new();

	cf_scan_set_node(s, "n");
	ck_assert_int_eq(cf_scan_add_input(s, "-"), CF_E_USAGE);
	ck_assert_ptr_nonnull(strstr(cf_scan_error(s), "cf_scan_add_memory"));
	cf_scan_free(s);
}
END_TEST

/* Bytes in memory: a PEM file, and an archive by its magic; copied, so
 * the caller's buffer may go at once. */
START_TEST(test_add_memory)
{
	struct cf_scan *s = cf_scan_new();
	size_t len;
	char *pem = slurp("fixtures/sem-expired.pem", &len);

	ck_assert_int_eq(cf_scan_add_memory(s, "-", pem, len), CF_E_USAGE); /* no node */
	cf_scan_set_now(s, NOW);
	cf_scan_set_jobs(s, 1);
	cf_scan_set_node(s, "mem");
	ck_assert_int_eq(cf_scan_add_memory(s, "-", pem, len), 0);
	memset(pem, 0, len);
	free(pem);
	pem = slurp("fleet-archives/n10.tar.gz", &len);
	ck_assert_int_eq(cf_scan_add_memory(s, "n10.tar.gz", pem, len), 0);
	free(pem);
	ck_assert_int_eq(cf_scan_run(s), 0);
	ck_assert_uint_eq(cf_scan_node_count(s), 1);
	ck_assert_uint_eq(cf_scan_cert_count(s), 1 + 5);
	ck_assert_uint_ge(cf_scan_finding_count(s, CF_SEV_ERROR), 1); /* the expired one */
	cf_scan_free(s);
}
END_TEST

/* Memory over max_total_size is refused before it is read. */
START_TEST(test_add_memory_limit)
{
	struct cf_scan *s = cf_scan_new();
	char big[101];

	memset(big, 'A', sizeof big);
	cf_scan_set_node(s, "mem");
	ck_assert_int_eq(cf_scan_set_limit(s, CF_LIMIT_TOTAL_SIZE, 100), 0);
	ck_assert_int_eq(cf_scan_set_limit(s, CF_LIMIT_TOTAL_SIZE, 0), CF_E_USAGE);
	ck_assert_int_eq(cf_scan_set_limit(s, (enum cf_limit)99, 1), CF_E_USAGE);
	ck_assert_uint_eq(cf_policy_limit(cf_scan_policy(s), CF_LIMIT_TOTAL_SIZE), 100);
	ck_assert_uint_eq(
	    cf_policy_limit(cf_scan_policy(s), CF_LIMIT_FILE_SIZE), 16u << 20); /* a default */
	ck_assert_uint_eq(cf_policy_limit(cf_scan_policy(s), (enum cf_limit)99), 0);
	ck_assert_int_eq(cf_scan_add_memory(s, "big.pem", big, sizeof big), CF_E_INPUT);
	ck_assert_int_eq(cf_scan_add_memory(s, "ok.pem", big, 100), 0);
	cf_scan_free(s);
}
END_TEST

/* One fixture scanned under POLICY (NULL: the defaults). */
static struct cf_scan *
scan_with(const struct cf_policy *policy, const char *fixture)
{
	const char *td = getenv("TESTDATA");
	char path[4096];
	struct cf_scan *s = cf_scan_new();

	snprintf(path, sizeof path, "%s/fixtures/%s", td ? td : "testdata", fixture);
	cf_scan_set_jobs(s, 1);
	if (policy)
		ck_assert_int_eq(cf_scan_set_policy(s, policy), 0);
	else
		cf_scan_set_now(s, NOW);
	ck_assert_int_eq(cf_scan_add_input(s, path), 0);
	ck_assert_int_eq(cf_scan_run(s), 0);
	return s;
}

/* A policy is its own object: one policy serves two scans, outlives
 * neither, and per-rule severities change what a finding weighs. */
START_TEST(test_policy)
{
	struct cf_policy *p = cf_policy_new();
	struct cf_scan *s, *t;

	ck_assert_ptr_nonnull(p);
	cf_policy_set_now(p, NOW);
	/* a soon-expiring certificate is a warning: exit 0 under fail-on error */
	s = scan_with(p, "sem-soon-minus-1s.pem");
	ck_assert_uint_eq(cf_scan_finding_count(s, CF_SEV_WARNING), 1);
	ck_assert_uint_eq(cf_scan_finding_count(s, CF_SEV_ERROR), 0);
	ck_assert_int_eq(cf_scan_exit_status(s), 0);
	/* raised to error by the policy: the same file fails */
	ck_assert_int_eq(cf_policy_set_severity(p, "tls-cert-will-soon-expire", CF_SEV_ERROR), 0);
	t = scan_with(p, "sem-soon-minus-1s.pem");
	ck_assert_uint_eq(cf_scan_finding_count(t, CF_SEV_ERROR), 1);
	ck_assert_int_eq(cf_scan_exit_status(t), 1);
	cf_scan_free(t);
	/* the first scan kept its own copy */
	ck_assert_int_eq(cf_scan_exit_status(s), 0);
	cf_scan_free(s);
	/* turned off: no finding at all */
	ck_assert_int_eq(cf_policy_set_severity(p, "tls-cert-will-soon-expire", CF_SEV_NEVER), 0);
	t = scan_with(p, "sem-soon-minus-1s.pem");
	ck_assert_uint_eq(cf_scan_finding_count(t, CF_SEV_INFO), 0);
	cf_scan_free(t);
	/* values out of range and unknown rules are refused */
	ck_assert_int_eq(cf_policy_set_severity(p, "tls-no-such-rule", CF_SEV_ERROR), CF_E_USAGE);
	ck_assert_int_eq(cf_policy_set_soon(p, -1), CF_E_USAGE);
	ck_assert_int_eq(cf_policy_set_max_validity(p, 0), CF_E_USAGE);
	ck_assert_int_eq(cf_policy_set_soon_percent(p, 100), CF_E_USAGE);
	ck_assert_int_eq(cf_policy_set_soon_percent(p, -1), CF_E_USAGE);
	ck_assert_int_eq(cf_policy_set_profile(p, (enum cf_profile)7), CF_E_USAGE);
	ck_assert_int_eq(cf_policy_set_fail_on(p, CF_SEV_INFO), CF_E_USAGE);
	cf_policy_free(p);
	cf_policy_free(NULL);
}
END_TEST

/* The policy is set before inputs, not after. */
START_TEST(test_policy_late)
{
	struct cf_policy *p = cf_policy_new();
	struct cf_scan *s = scan_with(NULL, "sem-soon-minus-1s.pem");

	ck_assert_int_eq(cf_scan_set_policy(s, p), CF_E_USAGE);
	ck_assert_int_eq(cf_scan_policy(s) != NULL, 1);
	cf_scan_free(s);
	cf_policy_free(p);
}
END_TEST

/* The version, the error strings and the rule list. */
START_TEST(test_version_errors_rules)
{
	enum cf_severity sev;
	enum cf_scope scope;
	const char *id, *desc;
	size_t i;

	ck_assert_str_eq(cf_version(), CF_VERSION);
	ck_assert_int_eq(CF_VERSION_NUMBER,
	    CF_VERSION_MAJOR * 10000 + CF_VERSION_MINOR * 100 + CF_VERSION_PATCH);
	ck_assert_str_eq(cf_strerror(CF_E_NOMEM), "out of memory");
	ck_assert_str_ne(cf_strerror(CF_E_USAGE), cf_strerror(CF_E_INPUT));
	ck_assert_str_eq(cf_strerror(-99), "unknown error code");
	for (i = 0; (id = cf_rule(i, &sev, &scope, &desc)) != NULL; i++) {
		size_t k;
		ck_assert(strncmp(id, "tls-", 4) == 0 && *desc && sev <= CF_SEV_ERROR);
		for (k = 0; k < i; k++) /* the list is the table: no row twice */
			ck_assert_str_ne(cf_rule(k, NULL, NULL, NULL), id);
	}
	ck_assert_uint_gt(i, 0);
	ck_assert_ptr_null(cf_rule(i + 1, &sev, &scope, &desc));
}
END_TEST

/* The accessors: every item of a two-member bundle and a key, and the
 * findings, as the files were made (testdata/fixtures). */
START_TEST(test_accessors)
{
	struct cf_scan *s = scan_with(NULL, "bundle-two.pem");
	const struct cf_item *it;
	const struct cf_finding *f;
	char spki[65];

	ck_assert_uint_eq(cf_scan_item_count(s), 2);
	it = cf_scan_item(s, 1);
	ck_assert_int_eq(cf_item_kind(it), CF_ITEM_CERT);
	ck_assert_int_eq(cf_item_index(it), 1);
	ck_assert_str_eq(cf_item_path(it), "bundle-two.pem");
	ck_assert_uint_eq(strlen(cf_item_sha256(it)), 64);
	ck_assert_int_eq(cf_item_spki_sha256(it, spki, sizeof spki), 0);
	ck_assert_int_eq(cf_item_spki_sha256(it, spki, 10), -1);
	ck_assert_int_lt(cf_item_not_before(it), cf_item_not_after(it));
	ck_assert_ptr_nonnull(cf_item_subject(it));
	ck_assert_ptr_null(cf_scan_item(s, 2));
	cf_scan_free(s);
	/* typed: the leaf of the fixture chain names chain-leaf.example, is
	 * for serverAuth, has an Ed25519 key (256 bits) and no path length,
	 * as certfleet-gen made it */
	s = scan_with(NULL, "chain-leaf-intermediate-root.pem");
	it = cf_scan_item(s, 0);
	{
		enum cf_san_type type;
		size_t len, dlen;
		const unsigned char *v = cf_item_san(it, 0, &type, &len);

		ck_assert_uint_eq(cf_item_san_count(it), 1);
		ck_assert_int_eq(type, CF_SAN_DNS);
		ck_assert_uint_eq(len, strlen("chain-leaf.example"));
		ck_assert(memcmp(v, "chain-leaf.example", len) == 0);
		ck_assert_ptr_null(cf_item_san(it, 1, NULL, NULL));
		ck_assert_uint_eq(cf_item_key_bits(it), 256);
		ck_assert_int_eq(cf_item_path_len(it), -1);
		ck_assert_ptr_nonnull(cf_item_der(it, &dlen));
		ck_assert_uint_gt(dlen, 100);
		ck_assert_uint_eq(cf_item_eku_count(it), 1);
		ck_assert_str_eq(cf_item_eku(it, 0), "1.3.6.1.5.5.7.3.1");
		ck_assert_ptr_null(cf_item_eku(it, 1));
	}
	cf_scan_free(s);
	/* an expired certificate: one finding, on it */
	s = scan_with(NULL, "sem-expired.pem");
	f = cf_scan_finding(s, 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(cf_finding_rule(f), "tls-cert-expired");
	ck_assert_int_eq(cf_finding_severity(f), CF_SEV_ERROR);
	ck_assert_str_eq(cf_finding_path(f), "sem-expired.pem");
	ck_assert_str_eq(cf_finding_sha256(f), cf_item_sha256(cf_scan_item(s, 0)));
	ck_assert_ptr_nonnull(strstr(cf_finding_message(f), "expired"));
	ck_assert_ptr_null(cf_scan_finding(s, 1));
	cf_scan_free(s);
}
END_TEST

static size_t progress_calls;

static void
count_progress(size_t files, size_t nodes, void *arg)
{
	(void)files;
	(void)nodes;
	(void)arg;
	progress_calls++;
}

/* cf_scan_free() on a scan that was never run: it stops the workers and
 * drops what they decoded, committing nothing and calling back nobody
 * (the caller may be tearing down what the callback uses). A folder of
 * 900 certificate files on four jobs: hundreds in flight when it frees. */
START_TEST(test_free_unrun)
{
	char dir[] = "/tmp/check_api.XXXXXX", path[4096];
	struct cf_scan *s;
	size_t before, len;
	char *pem = slurp("fixtures/sem-expired.pem", &len);
	int k, round;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (k = 0; k < 900; k++) {
		snprintf(path, sizeof path, "%s/c%03d.crt", dir, k);
		ck_assert_ptr_nonnull(f = fopen(path, "w"));
		ck_assert_uint_eq(fwrite(pem, 1, len, f), len);
		fclose(f);
	}
	for (round = 0; round < 20; round++) {
		s = cf_scan_new();
		cf_scan_set_jobs(s, 4);
		cf_scan_set_progress(s, count_progress, NULL);
		progress_calls = 0;
		ck_assert_int_eq(cf_scan_add_input(s, dir), 0);
		before = progress_calls;
		cf_scan_free(s);
		ck_assert_msg(progress_calls == before,
		    "round %d: cf_scan_free called the progress "
		    "callback %zu times",
		    round, progress_calls - before);
	}
	for (k = 0; k < 900; k++) {
		snprintf(path, sizeof path, "%s/c%03d.crt", dir, k);
		unlink(path);
	}
	rmdir(dir);
	free(pem);
}
END_TEST

/* What certfleet.h promises about options: the node name sticks for
 * every later input until cleared; setters refuse NULL and ranges with
 * CF_E_USAGE, and say why in cf_scan_error(); jobs are set before inputs. */
START_TEST(test_contracts)
{
	const char *td = getenv("TESTDATA");
	char a[4096], b[4096];
	struct cf_scan *s = cf_scan_new();
	const struct cf_item *it;
	size_t i;

	snprintf(a, sizeof a, "%s/fixtures/sem-expired.pem", td ? td : "testdata");
	snprintf(b, sizeof b, "%s/fixtures/bundle-two.pem", td ? td : "testdata");
	ck_assert_int_eq(cf_scan_set_node(s, "web-1"), 0);
	ck_assert_int_eq(cf_scan_add_input(s, a), 0);
	ck_assert_int_eq(cf_scan_add_input(s, b), 0); /* still web-1 */
	ck_assert_int_eq(cf_scan_set_node(s, NULL), 0);
	ck_assert_int_eq(cf_scan_add_input(s, a), CF_E_USAGE); /* the same INPUT twice */
	snprintf(a, sizeof a, "%s/fixtures/sem-soon-minus-1s.pem", td ? td : "testdata");
	ck_assert_int_eq(cf_scan_add_input(s, a), 0);         /* its folder's name */
	ck_assert_int_eq(cf_scan_set_jobs(s, 2), CF_E_USAGE); /* inputs were added */
	ck_assert_int_eq(cf_scan_add_identical(s, NULL), CF_E_USAGE);
	ck_assert_ptr_nonnull(strstr(cf_scan_error(s), "identical")); /* every refusal is said */
	ck_assert_int_eq(cf_scan_add_per_node(s, NULL), CF_E_USAGE);
	ck_assert_ptr_nonnull(strstr(cf_scan_error(s), "per_node"));
	ck_assert_int_eq(cf_scan_add_expect_name(s, "etc/tls/*.crt"), CF_E_USAGE);
	ck_assert_ptr_nonnull(strstr(cf_scan_error(s), "GLOB=TEMPLATE"));
	ck_assert_int_eq(cf_scan_set_soon(s, -1), CF_E_USAGE);
	ck_assert_int_eq(cf_scan_run(s), 0);
	ck_assert_uint_eq(cf_scan_node_count(s), 2);
	for (i = 0; (it = cf_scan_item(s, i)) != NULL; i++)
		ck_assert_str_eq(cf_item_node(it), i < 3 ? "web-1" : "fixtures");
	ck_assert_uint_eq(i, 4);
	cf_scan_free(s);
}
END_TEST


/* Every setting is the policy's: a refusal says why in cf_policy_error(),
 * naming the setting and no command-line option; what a scan reads by
 * (node, jobs, comment, report options, anchors) comes with the policy;
 * cf_scan_set_policy() replaces what the scan had, and an anchor that
 * cannot be read is its refusal. The twins say the policy's words. */
START_TEST(test_policy_settings)
{
	const char *td = getenv("TESTDATA");
	struct cf_policy *p = cf_policy_new();
	struct cf_scan *s = cf_scan_new();
	char path[4096], *buf = NULL;
	size_t len = 0, i;
	const struct cf_item *it;
	FILE *mem;
	static const char *const no[] = { "jobs", "now", "soon", "max_validity", "soon_percent",
		"profile", "fail_on", "severity", "identical", "expect_name", "limit", "layout",
		"password", "report option" };

	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(cf_policy_error(p), "");
	/* each refusal, and its message right after it */
	for (i = 0; i < sizeof no / sizeof no[0]; i++) {
		int rc = i == 0 ? cf_policy_set_jobs(p, 0)
		    : i == 1    ? cf_policy_set_now(p, (int64_t)1 << 50)
		    : i == 2    ? cf_policy_set_soon(p, -1)
		    : i == 3    ? cf_policy_set_max_validity(p, 0)
		    : i == 4    ? cf_policy_set_soon_percent(p, 100)
		    : i == 5    ? cf_policy_set_profile(p, (enum cf_profile)7)
		    : i == 6    ? cf_policy_set_fail_on(p, CF_SEV_INFO)
		    : i == 7    ? cf_policy_set_severity(p, "tls-no-such-rule", CF_SEV_ERROR)
		    : i == 8    ? cf_policy_add_identical(p, NULL)
		    : i == 9    ? cf_policy_add_expect_name(p, "no-equals-sign")
		    : i == 10   ? cf_policy_set_limit(p, CF_LIMIT_RATIO, 0)
		    : i == 11   ? cf_policy_set_layout(p, (enum cf_layout)9)
		    : i == 12   ? cf_policy_add_password(p, NULL, NULL)
		                : cf_policy_set_report_option(p, "markdown-max-bytes", "12");
		ck_assert_int_eq(rc, CF_E_USAGE);
		ck_assert_msg(strncmp(cf_policy_error(p), no[i], strlen(no[i])) == 0, "%s: '%s'",
		    no[i], cf_policy_error(p));
		ck_assert_msg(strstr(cf_policy_error(p), "--") == NULL, "a CLI option: %s",
		    cf_policy_error(p));
	}
	/* seventeen path patterns are one too many */
	for (i = 0; i < 16; i++) {
		char glob[16];
		snprintf(glob, sizeof glob, "g%zu/*", i);
		ck_assert_int_eq(cf_policy_add_password(p, glob, "pw"), 0);
		ck_assert_int_eq(
		    cf_policy_add_password(p, glob, "pw2"), 0); /* the same glob again */
	}
	ck_assert_int_eq(cf_policy_add_password(p, "g16/*", "pw"), CF_E_USAGE);
	ck_assert_ptr_nonnull(strstr(cf_policy_error(p), "at most 16"));
	ck_assert_int_eq(cf_policy_add_password(p, NULL, "everywhere"), 0);

	/* what the scan reads by comes with the policy */
	ck_assert_int_eq(cf_policy_set_now(p, NOW), 0);
	ck_assert_int_eq(cf_policy_set_jobs(p, 2), 0);
	ck_assert_int_eq(cf_policy_set_node(p, "from-policy"), 0);
	ck_assert_int_eq(cf_policy_set_comment(p, "made by check_api"), 0);
	ck_assert_int_eq(cf_policy_set_report_option(p, "prom-label", "env=ci"), 0);
	snprintf(path, sizeof path, "%s/fixtures/sem-ca-ten-years.pem", td ? td : "testdata");
	ck_assert_int_eq(cf_policy_add_trust(p, path), 0);
	ck_assert_int_eq(cf_scan_set_node(s, "replaced"), 0); /* the policy replaces it */
	ck_assert_int_eq(cf_scan_set_policy(s, p), 0);
	snprintf(path, sizeof path, "%s/fixtures/sem-expired.pem", td ? td : "testdata");
	ck_assert_int_eq(cf_scan_add_input(s, path), 0);
	ck_assert_int_eq(cf_scan_run(s), 0);
	for (i = 0; (it = cf_scan_item(s, i)) != NULL; i++)
		ck_assert_str_eq(cf_item_node(it), "from-policy");
	ck_assert_uint_gt(i, 0);
	ck_assert_ptr_nonnull(mem = open_memstream(&buf, &len));
	ck_assert_int_eq(cf_report_write(s, CF_FMT_PROM, mem), 0);
	fclose(mem);
	ck_assert_ptr_nonnull(strstr(buf, "# made by check_api"));
	ck_assert_ptr_nonnull(strstr(buf, "env=\"ci\""));
	free(buf);
	cf_scan_free(s);

	/* an anchor that cannot be read is the scan's refusal of the policy */
	s = cf_scan_new();
	ck_assert_int_eq(cf_policy_add_trust(p, "/nonexistent/anchors.pem"), 0);
	ck_assert_int_eq(cf_scan_set_policy(s, p), CF_E_USAGE);
	ck_assert_ptr_nonnull(strstr(cf_scan_error(s), "trust: /nonexistent/anchors.pem"));
	/* the twins say the policy's words */
	ck_assert_int_eq(cf_scan_set_jobs(s, 0), CF_E_USAGE);
	ck_assert_str_eq(cf_scan_error(s), "jobs: 0: give 1 to 256");
	ck_assert_int_eq(cf_scan_set_jobs(s, 3), 0);
	ck_assert_int_eq(cf_scan_set_limit(s, CF_LIMIT_ENTRIES, 7), 0);
	ck_assert_uint_eq(cf_policy_limit(cf_scan_policy(s), CF_LIMIT_ENTRIES), 7);
	cf_scan_free(s);
	cf_policy_free(p);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("api");
	TCase *t = tcase_create("api");

	tcase_add_test(t, test_no_stdin);
	tcase_add_test(t, test_add_memory);
	tcase_add_test(t, test_add_memory_limit);
	tcase_add_test(t, test_policy);
	tcase_add_test(t, test_policy_late);
	tcase_add_test(t, test_version_errors_rules);
	tcase_add_test(t, test_accessors);
	tcase_add_test(t, test_free_unrun);
	tcase_add_test(t, test_contracts);
	tcase_add_test(t, test_policy_settings);
	suite_add_tcase(su, t);
	return check_run(su, 1);
}
