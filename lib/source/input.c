/*
 * input.c - cf_scan_add_input() hands an INPUT to the first source of the
 * table (sources.c) whose probe takes it; cf_scan_add_memory() reads bytes
 * the caller holds (the tool's standard input), an archive by its magic,
 * else one file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source/source.h"

/* Do these bytes start like an archive we open (gzip, xz, zstd, bzip2,
 * zip, tar)? */
static int
archive_magic(const unsigned char *p, size_t n)
{
	return n > 262 &&
	    (memcmp(p, "\x1f\x8b", 2) == 0 ||
	        memcmp(p,
	            "\xfd"
	            "7zXZ",
	            5) == 0 ||
	        memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0 || memcmp(p, "BZh", 3) == 0 ||
	        memcmp(p, "PK\x03\x04", 4) == 0 || memcmp(p + 257, "ustar", 5) == 0);
}

int
cf_scan_add_memory(struct cf_scan *s, const char *name, const void *data, size_t len)
{
	unsigned char *copy;
	int rc;

	if (s->ran)
		return cf__set_error(s, CF_E_USAGE, "inputs must be added before cf_scan_run()");
	if (name == NULL || *name == '\0' || (data == NULL && len > 0))
		return cf__set_error(s, CF_E_USAGE, "cf_scan_add_memory: no name or no data");
	if (s->policy.node == NULL)
		return cf__set_error(s, CF_E_USAGE,
		    "%s: a memory input needs a node name "
		    "(the node setting: cf_policy_set_node)",
		    name);
	if (len > s->policy.limits.max_total_size)
		return cf__set_error(s, CF_E_INPUT, "%s: over the read limit", name);
	if (cf__scan_node_origin(s, cf__raw(s->policy.node), archive_magic(data, len) ? name : "",
	        archive_magic(data, len) ? ':' : 0) != 0)
		rc = CF_E_NOMEM;
	else if (archive_magic(data, len))
		rc = cf__archive_source(s, s->policy.node, "", data, len, name, 0);
	else if (len > s->policy.limits.max_file_size) /* one file: its own limit */
		rc = cf__input_finding(s, cf__raw(s->policy.node),
		    cf__raw(strcmp(name, "-") == 0 ? "stdin.pem" : name),
		    "%s: over the read limit of %llu bytes (--max-file-size); not read", name,
		    (unsigned long long)s->policy.limits.max_file_size);
	else if ((copy = malloc(len + 1)) == NULL)
		rc = CF_E_NOMEM;
	else
		rc = cf__scan_add_file(s, cf__raw(s->policy.node),
		    cf__raw(strcmp(name, "-") == 0 ? "stdin.pem" : name),
		    len ? memcpy(copy, data, len) : copy, len);
	if (rc == CF_E_NOMEM)
		cf__set_error(s, rc, "%s: out of memory", name);
	return rc;
}

int
cf_scan_add_input(struct cf_scan *s, const char *path)
{
	const struct cf__source *src;
	struct stat st;
	size_t i;
	int rc;

	if (s->ran)
		return cf__set_error(s, CF_E_USAGE, "inputs must be added before cf_scan_run()");
	if (strcmp(path, "-") == 0)
		return cf__set_error(s, CF_E_USAGE,
		    "-: the library does not read standard input: "
		    "read it and call cf_scan_add_memory()");
	if (stat(path, &st) != 0)
		return cf__set_error(s, CF_E_INPUT, "%s: %s", path, CF__ERRSTR(errno));
	for (i = 0; i < s->n_inputs; i++)
		if (s->inputs[i].dev == st.st_dev && s->inputs[i].ino == st.st_ino)
			return cf__set_error(s, CF_E_USAGE,
			    "%s: the same INPUT twice (as %s too); every "
			    "finding would count twice",
			    path, s->inputs[i].name);
	if (cf__grow((void **)&s->inputs, &s->cap_inputs, s->n_inputs + 1, sizeof *s->inputs, 4) !=
	    0)
		return cf__set_error(s, CF_E_NOMEM, "%s: out of memory", path);
	s->inputs[s->n_inputs] = (struct cf__input){ st.st_dev, st.st_ino, S_ISDIR(st.st_mode),
		S_ISDIR(st.st_mode) ? realpath(path, NULL) : NULL, strdup(path) };
	if (s->inputs[s->n_inputs].name == NULL)
		return cf__set_error(s, CF_E_NOMEM, "%s: out of memory", path);
	s->n_inputs++;
	for (i = 0; (src = cf__sources[i]) != NULL; i++)
		if (src->probe(path, &st))
			break;
	if (src == NULL)
		return cf__set_error(s, CF_E_INPUT, "%s: no source reads this", path);
	/* two INPUTs must not yield one node (unless the caller named it so
	 * with the node setting): dc1/web and dc2/web would merge silently */
	s->adding = s->policy.node ? 0 : (long)s->n_inputs;
	s->clash_node = -1;
	rc = src->add(s, path);
	s->adding = 0;
	if (rc == CF_E_NOMEM)
		cf__set_error(s, rc, "%s: out of memory", path);
	else if (rc == 0 && s->clash_node >= 0)
		rc = cf__set_error(s, CF_E_USAGE,
		    "%s yields node %s, which %s yields too; give one of "
		    "them another name (--node NAME, or another folder name)",
		    path, s->nodes[s->clash_node],
		    s->node_input[s->clash_node] >= 0 ? s->inputs[s->node_input[s->clash_node]].name
		                                      : "an earlier INPUT");
	return rc;
}
