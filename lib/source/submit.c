/*
 * submit.c - a source hands one file to the pipeline: bytes it has read
 * (archives, standard input) or a path a worker reads (the fetch hook),
 * with the decoder as the job's decode hook. Files neither named as a
 * decoder claims nor claimed by a decoder's sniff of their first bytes
 * (PEM, a DER certificate, CRL or PKCS#7, a PKCS#12, a Java keystore) are
 * dropped here, silently.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "source/source.h"

/* Neither a certificate by name nor by content: skipped silently. */
static int
no_certificate(const char *path, const unsigned char *data, size_t len)
{
	/* an entry of a Kubernetes dump (FILE#...) was asked for by its key */
	return cf__name_kind(path) == 0 && strchr(path, '#') == NULL &&
	    !cf__content_claimed(data, len < 65536 ? len : 65536);
}

/* Is the file at PATH read as a Kubernetes dump: named like one and
 * claiming a kind (or named kubeconfig), or not named as a certificate and
 * claiming one in its first 64 KiB? */
static int
k8s_claim(const char *path, const unsigned char *data, size_t len)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);

	if (strchr(path, '#'))
		return 0; /* an entry of a dump already */
	if (strcmp(base, "kubeconfig") == 0 ||
	    (n > 11 && strcmp(base + n - 11, ".kubeconfig") == 0))
		return 1;
	if (cf__k8s_name(path))
		return cf__k8s_claims(data, len);
	return cf__name_kind(path) == 0 && cf__k8s_sniff(data, len);
}

/* What a file not named as a certificate is read for: what a decoder
 * claims by content, or a Kubernetes dump or kubeconfig (admin.conf,
 * ~/.kube/config). */
static int
worth_reading(const void *data, size_t len)
{
	return cf__content_claimed(data, len) || cf__k8s_sniff(data, len);
}

/* The fetch hook of a job made from a path: read the file on the worker
 * (one not named as a certificate or key only when a decoder claims its
 * first bytes). 1 read,
 * 0 not to be decoded (quiet, or a read error kept in the job). */
static int
read_job(struct cf__job *j)
{
	char why[512];
	int r = cf__read_file_admit(j->full, j->named ? NULL : worth_reading, j->cap,
	    "--max-file-size", cf__pipeline_admit, j, &j->data, &j->len, why, sizeof why);

	if (r > 0 && !j->named && cf__k8s_sniff(j->data, j->len)) {
		j->k8s = 1; /* read as a dump on the scan's thread */
		return 0;
	}
	if (r > 0 && !j->named && !cf__content_claimed(j->data, j->len < 65536 ? j->len : 65536))
		r = 0;
	if (r == 0)
		j->quiet = 1;
	else if (r < 0 && (j->read_error = cf__sanitize_text(why, strlen(why))) == NULL)
		j->rc = CF_E_NOMEM;
	return r > 0;
}

/* A job for NODE's file PATH (raw), decoded by the decoder; NULL out of
 * memory. */
static struct cf__job *
job_for(struct cf_scan *s, const char *node, const char *path)
{
	struct cf__job *j = cf__job_new(s, cf__raw(node), cf__raw(path));

	if (j) {
		j->decode = cf__decode;
		j->named = cf__name_kind(path) != 0;
		j->pw_mask = cf__pw_mask(s->cache, path);
	}
	return j;
}

int
cf__scan_add_file(struct cf_scan *s, struct cf__raw raw_node, struct cf__raw raw_path,
    unsigned char *data, size_t len)
{
	const char *node = raw_node.s, *path = raw_path.s; /* raw, as all names in source/ */
	struct cf__job *j;
	int r;

	if (k8s_claim(path, data, len) &&
	    (r = cf__k8s_expand(s, raw_node, raw_path, data, len)) != 0) {
		free(data);
		return r < 0 ? r : 0;
	}
	if (no_certificate(path, data, len)) {
		free(data);
		return 0;
	}
	if ((j = job_for(s, node, path)) == NULL) {
		free(data);
		return CF_E_NOMEM;
	}
	j->data = data;
	j->len = len;
	return cf__pipeline_submit(s, j);
}

int
cf__scan_add_path(
    struct cf_scan *s, struct cf__raw raw_node, struct cf__raw raw_path, const char *full)
{
	const char *node = raw_node.s;
	struct cf__job *j = job_for(s, node, raw_path.s);

	if (j == NULL || (j->full = strdup(full)) == NULL) {
		if (j)
			cf__job_clear(j);
		free(j);
		return CF_E_NOMEM;
	}
	j->cap = s->policy.limits.max_file_size;
	j->fetch = read_job;
	if (!j->named && (j->raw_node = strdup(node)) == NULL) {
		cf__job_clear(j);
		free(j);
		return CF_E_NOMEM;
	}
	s->expand = cf__k8s_expand; /* for a dump found by content */
	return cf__pipeline_submit(s, j);
}
