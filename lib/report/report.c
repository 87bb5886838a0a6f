/*
 * report.c - the writer of a format (writers.c's table), the atomic write (temporary file + rename),
 * and the ordering every report shares.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/parser.h>

#include "report/report.h"

static pthread_once_t libs_once = PTHREAD_ONCE_INIT;

/* libxml2 and jansson set up once per process (thread-safe). */
static void
init_libs(void)
{
	xmlInitParser();
	json_object_seed(0);
}

int
cf_report_write(const struct cf_scan *s, enum cf_format format, FILE *out)
{
	const struct cf__writer *w = cf__writer_of(format);
	int rc;

	if (w == NULL)
		return CF_E_USAGE;
	pthread_once(&libs_once, init_libs);
	rc = w->write(s, out);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = CF_E_OUTPUT;
	return rc;
}

/* A path that is not a regular file (a device, a FIFO) is written in place:
 * renaming over /dev/full or a pipe would replace it. */
static int
write_in_place(const struct cf_scan *s, enum cf_format format, const char *path, char *err,
    size_t errlen)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, CF__ERRSTR(errno));
		return CF_E_OUTPUT;
	}
	rc = cf_report_write(s, format, f);
	if (fclose(f) != 0 && rc == 0)
		rc = CF_E_OUTPUT;
	if (rc)
		snprintf(err, errlen, "%s: write failed: %s", path, CF__ERRSTR(errno));
	return rc ? CF_E_OUTPUT : 0;
}

/* A new temporary file next to PATH, .NAME.XXXXXX, made with mode 0666 so
 * that the kernel applies the umask as to any file the user makes (mkstemp
 * makes 0600). *TMP is the name (caller frees). An fd, or -1 with errno. */
static int
temp_beside(const char *path, char **tmp)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	const char *slash = strrchr(path, '/');
	unsigned char r[6];
	size_t i, dir = slash ? (size_t)(slash - path) + 1 : 0;
	int k, fd = -1;

	if (asprintf(tmp, "%.*s.%s.XXXXXX", (int)dir, path, path + dir) < 0) {
		*tmp = NULL;
		errno = ENOMEM;
		return -1;
	}
	for (k = 0; k < 100 && fd < 0; k++) {
		if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
			return -1;
		for (i = 0; i < sizeof r; i++)
			(*tmp)[strlen(*tmp) - 6 + i] = set[r[i] % (sizeof set - 1)];
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			return -1;
	}
	return fd;
}

/* One report, the detail of a failure in ERR: the atomic write. */
static int
write_report(const struct cf_scan *s, enum cf_format format, const char *path, FILE *out,
    char *err, size_t errlen)
{
	char *tmp = NULL;
	struct stat st;
	FILE *f = NULL;
	int fd = -1, rc = 0, saved, created = 0, existing;

	if (strcmp(path, "-") == 0) {
		if (cf_report_write(s, format, out) != 0) {
			snprintf(err, errlen, "standard output: write failed");
			return CF_E_OUTPUT;
		}
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_in_place(s, format, path, err, errlen);
	existing = stat(path, &st) == 0;
	if ((fd = temp_beside(path, &tmp)) < 0 || (created = 1, f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: cannot create a temporary file: %s", path,
		    CF__ERRSTR(errno));
		rc = errno == ENOMEM ? CF_E_NOMEM : CF_E_OUTPUT;
		goto out;
	}
	fd = -1;
	/* an existing report keeps its mode: never loosened by the umask */
	if (existing && fchmod(fileno(f), st.st_mode & 0777) != 0) {
		snprintf(err, errlen, "%s: cannot keep the report's mode: %s", path,
		    CF__ERRSTR(errno));
		rc = CF_E_OUTPUT;
		goto out;
	}
	rc = cf_report_write(s, format, f);
	saved = errno;
	if (rc == 0 && fsync(fileno(f)) != 0)
		rc = CF_E_OUTPUT, saved = errno;
	if (fclose(f) != 0 && rc == 0)
		rc = CF_E_OUTPUT, saved = errno;
	f = NULL;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = CF_E_OUTPUT, saved = errno;
	if (rc)
		snprintf(err, errlen, "%s: write failed: %s", path, CF__ERRSTR(saved));
out:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (rc && created)
		unlink(tmp);
	free(tmp);
	return rc;
}

int
cf_scan_write_report(struct cf_scan *s, enum cf_format format, const char *path, FILE *out)
{
	int rc = write_report(s, format, path, out, s->error, sizeof s->error);

	return rc ? CF_E_OUTPUT : 0;
}

struct report_job {
	const struct cf_scan *s;
	enum cf_format format;
	const char *path;
	FILE *out;
	pthread_t thread;
	int threaded, rc;
	char err[1024];
};

static void *
report_thread(void *arg)
{
	struct report_job *r = arg;

	r->rc = write_report(r->s, r->format, r->path, r->out, r->err, sizeof r->err);
	return NULL;
}

int
cf_scan_write_reports(struct cf_scan *s, const enum cf_format *formats,
    const char *const *paths, size_t n, FILE *out)
{
	struct report_job *r = calloc(n + 1, sizeof *r);
	size_t i;
	int rc = 0;

	if (r == NULL)
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	/* libraries set up once per process, before threads use them */
	pthread_once(&libs_once, init_libs);
	for (i = 0; i < n; i++) {
		r[i] = (struct report_job){ .s = s, .format = formats[i], .path = paths[i], .out = out };
		/* a few reports: a thread each; standard output stays on this
		 * thread, so that two reports there do not interleave */
		r[i].threaded = s->jobs > 1 && strcmp(paths[i], "-") != 0 &&
		    pthread_create(&r[i].thread, NULL, report_thread, &r[i]) == 0;
	}
	for (i = 0; i < n; i++)
		if (!r[i].threaded)
			report_thread(&r[i]);
	for (i = 0; i < n; i++) {
		if (r[i].threaded)
			pthread_join(r[i].thread, NULL);
		if (r[i].rc && rc == 0)
			rc = cf__set_error(s, CF_E_OUTPUT, "%s", r[i].err);
	}
	free(r);
	return rc;
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct cf__finding *x = *(const struct cf__finding *const *)a;
	const struct cf__finding *y = *(const struct cf__finding *const *)b;
	int64_t tx = x->facts ? x->facts->not_after : INT64_MAX;
	int64_t ty = y->facts ? y->facts->not_after : INT64_MAX;
	int c;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	if ((c = strcmp(x->node, y->node)) != 0 || (c = strcmp(x->path, y->path)) != 0)
		return c;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

const struct cf__finding **
cf__findings_sorted(const struct cf_scan *s)
{
	const struct cf__finding **v = malloc((s->n_findings + 1) * sizeof *v);
	size_t i;

	if (v == NULL)
		return NULL;
	for (i = 0; i < s->n_findings; i++)
		v[i] = &s->findings[i];
	qsort(v, s->n_findings, sizeof *v, cmp_finding);
	return v;
}
