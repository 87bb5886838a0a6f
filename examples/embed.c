/*
 * embed.c - libcertfleet embedded in another program: scan the INPUTs and
 * list every expired certificate, one per line, as
 *
 *     NODE PATH[INDEX] NOT-AFTER SUBJECT
 *
 * through the public accessors only. Build against an installed library:
 *
 *     cc embed.c $(pkg-config --cflags --libs certfleet)
 *     # or, in CMake: find_package(certfleet) and link certfleet::certfleet
 *
 * usage: embed [--now TIME] INPUT...   (exit 0, 2 on a usage or input error)
 */
#include <stdio.h>
#include <string.h>

#include <certfleet.h>

int
main(int argc, char **argv)
{
	struct cf_scan *scan;
	struct cf_policy *policy = NULL;
	const struct cf_item *it;
	int64_t now = 0;
	size_t i;
	int a = 1, rc = 0;
	char t[32];

	if (argc > 2 && strcmp(argv[1], "--now") == 0) {
		if (cf_parse_time(argv[2], &now) != CF_OK) {
			fprintf(stderr, "embed: bad --now: %s\n", argv[2]);
			return 2;
		}
		a = 3;
	}
	if (a >= argc) {
		fprintf(stderr, "usage: embed [--now TIME] INPUT...\n");
		return 2;
	}
	if (CF_VERSION_NUMBER > 0 && strcmp(cf_version(), CF_VERSION) != 0)
		fprintf(
		    stderr, "embed: built with %s, running with %s\n", CF_VERSION, cf_version());
	/* every setting is the policy's; the scan takes a copy of it */
	if ((scan = cf_scan_new()) == NULL || (policy = cf_policy_new()) == NULL) {
		fprintf(stderr, "embed: %s\n", cf_strerror(CF_E_NOMEM));
		cf_scan_free(scan);
		return 2;
	}
	if (now && cf_policy_set_now(policy, now) != CF_OK) {
		fprintf(stderr, "embed: %s\n", cf_policy_error(policy));
		rc = CF_E_USAGE;
	}
	now = cf_policy_now(policy);
	if (rc == 0 && (rc = cf_scan_set_policy(scan, policy)) != CF_OK)
		fprintf(stderr, "embed: %s\n", cf_scan_error(scan));
	cf_policy_free(policy);
	for (; a < argc && rc == 0; a++)
		if ((rc = cf_scan_add_input(scan, argv[a])) != CF_OK)
			fprintf(stderr, "embed: %s (%s)\n", cf_scan_error(scan), cf_strerror(rc));
	if (rc == 0 && (rc = cf_scan_run(scan)) != CF_OK)
		fprintf(stderr, "embed: %s\n", cf_scan_error(scan));
	for (i = 0; rc == 0 && (it = cf_scan_item(scan, i)) != NULL; i++) {
		if (cf_item_kind(it) != CF_ITEM_CERT || cf_item_not_after(it) >= now)
			continue;
		cf_format_time(cf_item_not_after(it), t, sizeof t);
		printf("%s %s[%d] %s %s\n", cf_item_node(it), cf_item_path(it), cf_item_index(it),
		    t, cf_item_subject(it));
	}
	cf_scan_free(scan);
	return rc ? 2 : 0;
}
