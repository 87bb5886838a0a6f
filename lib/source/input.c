/*
 * input.c - cf_scan_add_input() dispatches an INPUT to its source, and
 * cf_scan_run() runs the checks; counts and the exit status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/source.h"

/* Standard input: an archive when it has an archive's magic, else a file. */
static int
stdin_source(struct cf_scan *s)
{
	struct cf__buf b = {0};
	unsigned char chunk[65536];
	ssize_t r;
	int rc, arch;

	if (s->next_node == NULL)
		return cf__set_error(s, CF_E_USAGE, "-: standard input needs --node NAME");
	while ((r = read(0, chunk, sizeof chunk)) > 0) {
		if (b.len + (size_t)r > s->limits.max_total_size) {
			cf__buf_free(&b);
			return cf__set_error(s, CF_E_INPUT, "-: standard input is over the read limit");
		}
		if (cf__buf_add(&b, chunk, (size_t)r) != 0)
			return CF_E_NOMEM;
	}
	if (r < 0) {
		cf__buf_free(&b);
		return cf__set_error(s, CF_E_INPUT, "-: %s", strerror(errno));
	}
	arch = b.len > 262 && (memcmp(b.data, "\x1f\x8b", 2) == 0 ||
	    memcmp(b.data, "\xfd" "7zXZ", 5) == 0 || memcmp(b.data, "\x28\xb5\x2f\xfd", 4) == 0 ||
	    memcmp(b.data, "BZh", 3) == 0 || memcmp(b.data, "PK\x03\x04", 4) == 0 ||
	    memcmp(b.data + 257, "ustar", 5) == 0);
	if (cf__scan_node(s, s->next_node) < 0)
		rc = CF_E_NOMEM;
	else if (arch)
		rc = cf__archive_source(s, s->next_node, "", b.data, b.len, "-", 0);
	else
		rc = cf__scan_add_file(s, s->next_node, "stdin.pem", b.data, b.len), b.data = NULL;
	cf__buf_free(&b);
	return rc;
}

int
cf_scan_add_input(struct cf_scan *s, const char *path)
{
	struct stat st;
	int rc;

	if (s->ran)
		return cf__set_error(s, CF_E_USAGE, "inputs must be added before cf_scan_run()");
	if (strcmp(path, "-") == 0)
		rc = stdin_source(s);
	else if (stat(path, &st) != 0)
		return cf__set_error(s, CF_E_INPUT, "%s: %s", path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		rc = cf__dir_source(s, path);
	else
		rc = cf__file_source(s, path, NULL);
	if (rc == CF_E_NOMEM)
		cf__set_error(s, rc, "%s: out of memory", path);
	return rc;
}
