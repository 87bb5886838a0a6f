/*
 * output.c - reports to paths. A path is written only when it is safe:
 * "-" and /dev/stdout go to the caller's stream, /dev/stderr and /dev/fd/N
 * to that descriptor in place; any other path must be absent or a regular
 * file that is not an INPUT of the scan (nor a certificate or key inside
 * an INPUT folder): a symbolic link, FIFO, device, socket or folder there
 * is refused, never written through. A regular file is replaced
 * atomically: a temporary file beside it (created with O_EXCL|O_NOFOLLOW,
 * mode 0666 under the umask, or the old report's mode), then rename(2).
 * Temporary files in progress are listed where a signal handler can
 * remove them (cf_remove_temporary_files).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report/report.h"

/* ---- temporary files a signal handler may remove ---------------------------------- */
#define MAX_TEMPS 64
static char *temps[MAX_TEMPS];
/* Threads between listing a temporary file and having made it, and
 * whether cf_remove_temporary_files has begun (then none is made any
 * more): without them a report thread could create its file just after a
 * signal handler had removed the listed ones, and leave it behind. */
static int creating, dying;

/* List TMP (owned by the caller until unlisted): its slot, or -1 when all
 * are taken (the file is then still removed on every failure, just not by
 * a signal handler). */
static int
list_temp(char *tmp)
{
	int i;

	for (i = 0; i < MAX_TEMPS; i++) {
		char *none = NULL;
		if (__atomic_compare_exchange_n(
		        &temps[i], &none, tmp, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return i;
	}
	return -1;
}

static void
unlist_temp(int slot)
{
	if (slot >= 0)
		__atomic_store_n(&temps[slot], NULL, __ATOMIC_SEQ_CST);
}

void
cf_remove_temporary_files(void)
{
	struct timespec ms = { 0, 1000000 };
	int i;

	__atomic_store_n(&dying, 1, __ATOMIC_SEQ_CST);
	/* a file being made is waited for (nanosleep is async-signal-safe),
	 * at most 200 ms: the handler may run on the very thread making it */
	for (i = 0; i < 200 && __atomic_load_n(&creating, __ATOMIC_SEQ_CST) > 0; i++)
		nanosleep(&ms, NULL);
	for (i = 0; i < MAX_TEMPS; i++) {
		char *p = __atomic_load_n(&temps[i], __ATOMIC_SEQ_CST);
		if (p)
			unlink(p); /* async-signal-safe */
	}
}

/* ---- where a path leads ---------------------------------------------------------- */
enum target { T_STDOUT, T_FD, T_FILE, T_REFUSED };

/* The descriptor a /dev/stderr or /dev/fd/N path names, or -1. */
static int
fd_path(const char *path)
{
	char *end;
	long n;

	if (strcmp(path, "/dev/stderr") == 0)
		return 2;
	if (strncmp(path, "/dev/fd/", 8) != 0 || path[8] < '0' || path[8] > '9')
		return -1;
	n = strtol(path + 8, &end, 10);
	return *end == '\0' && n >= 0 && n < INT_MAX ? (int)n : -1;
}

static int
is_stdout(const char *path)
{
	return strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0 || fd_path(path) == 1;
}

/* Is PATH (a regular file, ST its lstat) an INPUT of S, or a certificate or
 * key file inside an INPUT folder? Why, in WHY, or NULL. */
static const char *
is_input(const struct cf_scan *s, const char *path, const struct stat *st, char *why, size_t len)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char *dir = slash ? strndup(path, (size_t)(slash - path) + 1) : strdup(".");
	char *real = dir ? realpath(dir, NULL) : NULL;
	size_t i, n;

	for (i = 0; i < s->n_inputs; i++) {
		const struct cf__input *in = &s->inputs[i];
		if (!in->dir && in->dev == st->st_dev && in->ino == st->st_ino) {
			snprintf(why, len, "is an INPUT of this scan");
			break;
		}
		n = in->real ? strlen(in->real) : 0;
		if (in->dir && real && cf__name_kind(base) != 0 &&
		    strncmp(real, in->real, n) == 0 &&
		    (real[n] == '\0' || real[n] == '/' || (n == 1 && in->real[0] == '/'))) {
			snprintf(
			    why, len, "is a certificate or key file inside the INPUT %s", in->real);
			break;
		}
	}
	free(real);
	free(dir);
	return i < s->n_inputs ? why : NULL;
}

/* Where PATH leads: the caller's stream, a descriptor (*FD), a regular file
 * or nothing yet (T_FILE, *EXISTING and *ST when there is one), or refused
 * (the reason in ERR). */
static enum target
target_of(const struct cf_scan *s, const char *path, int *fd, int *existing, struct stat *st,
    char *err, size_t errlen)
{
	char why[512];

	*existing = 0;
	if (is_stdout(path))
		return T_STDOUT;
	if ((*fd = fd_path(path)) >= 0)
		return T_FD;
	if (lstat(path, st) != 0) {
		if (errno == ENOENT)
			return T_FILE;
		snprintf(err, errlen, "%s: %s", path, CF__ERRSTR(errno));
		return T_REFUSED;
	}
	if (S_ISLNK(st->st_mode))
		snprintf(err, errlen,
		    "%s: is a symbolic link; certfleet writes no report through a link", path);
	else if (S_ISDIR(st->st_mode))
		snprintf(err, errlen, "%s: is a folder", path);
	else if (!S_ISREG(st->st_mode))
		snprintf(err, errlen,
		    "%s: is not a regular file (a FIFO, device or socket); "
		    "certfleet writes reports to regular files, - or /dev/fd/N",
		    path);
	else if (is_input(s, path, st, why, sizeof why))
		snprintf(
		    err, errlen, "%s: %s; certfleet does not overwrite what it reads", path, why);
	else
		return *existing = 1, T_FILE;
	return T_REFUSED;
}

/* A new temporary file beside PATH, DIR/.cfNNNNNNNNNN.tmp (short, whatever
 * the report's name), made with mode 0666 so that the kernel applies the
 * umask as to any file the user makes. *TMP is its name (caller frees),
 * listed for the signal handler in *SLOT before the file exists (so that no
 * signal finds it made and not listed). An fd, or -1 with errno. */
static int
temp_beside(const char *path, char **tmp, int *slot)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	const char *slash = strrchr(path, '/');
	unsigned char r[10];
	size_t i, dir = slash ? (size_t)(slash - path) + 1 : 0;
	int k, fd = -1;

	if (asprintf(tmp, "%.*s.cfXXXXXXXXXX.tmp", (int)dir, path) < 0) {
		*tmp = NULL;
		errno = ENOMEM;
		return -1;
	}
	for (k = 0; k < 100 && fd < 0; k++) {
		if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
			return -1;
		for (i = 0; i < sizeof r; i++)
			(*tmp)[dir + 3 + i] = set[r[i] % (sizeof set - 1)];
		__atomic_add_fetch(&creating, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&dying, __ATOMIC_SEQ_CST)) {
			__atomic_sub_fetch(&creating, 1, __ATOMIC_SEQ_CST);
			errno = EINTR; /* the run is ending: no new file */
			return -1;
		}
		*slot = list_temp(*tmp);
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		__atomic_sub_fetch(&creating, 1, __ATOMIC_SEQ_CST);
		if (fd < 0) {
			int e = errno;
			unlist_temp(*slot); /* not ours (EEXIST), or not made */
			*slot = -1;
			errno = e;
			if (e != EEXIST)
				return -1;
		}
	}
	return fd;
}

/* The report to descriptor FD, in place (a pipe, a terminal, a file the
 * caller opened). */
static int
write_fd(const struct cf_scan *s, enum cf_format format, const char *path, int fd, char *err,
    size_t errlen)
{
	int d = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	FILE *f = d >= 0 ? fdopen(d, "w") : NULL;
	int rc;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, CF__ERRSTR(errno));
		if (d >= 0)
			close(d);
		return CF_E_OUTPUT;
	}
	rc = cf_report_write(s, format, f);
	if (fclose(f) != 0 && rc == 0)
		rc = CF_E_OUTPUT;
	if (rc)
		snprintf(err, errlen, "%s: write failed: %s", path, CF__ERRSTR(errno));
	return rc ? CF_E_OUTPUT : 0;
}

/* One report, the detail of a failure in ERR. With KEEP (a set being
 * written), a report to a file is left complete in its temporary file,
 * named in *KEEP (listed for the signal handler in *KEEP_SLOT), for
 * rename_kept() once every report of the set is complete. */
static int
write_report(const struct cf_scan *s, enum cf_format format, const char *path, FILE *out, char *err,
    size_t errlen, char **keep, int *keep_slot)
{
	char *tmp = NULL;
	struct stat st;
	FILE *f = NULL;
	int fd = -1, rc = 0, saved, created = 0, existing, slot = -1;

	switch (target_of(s, path, &fd, &existing, &st, err, errlen)) {
	case T_STDOUT:
		if (cf_report_write(s, format, out) != 0) {
			snprintf(err, errlen, "standard output: write failed");
			return CF_E_OUTPUT;
		}
		return 0;
	case T_FD: return write_fd(s, format, path, fd, err, errlen);
	case T_REFUSED: return CF_E_OUTPUT;
	case T_FILE: break;
	}
	fd = -1;
	if ((fd = temp_beside(path, &tmp, &slot)) < 0 ||
	    (created = 1, f = fdopen(fd, "w")) == NULL) {
		snprintf(
		    err, errlen, "%s: cannot create a temporary file: %s", path, CF__ERRSTR(errno));
		rc = errno == ENOMEM ? CF_E_NOMEM : CF_E_OUTPUT;
		goto out;
	}
	fd = -1;
	/* an existing report keeps its mode: never loosened by the umask */
	if (existing && fchmod(fileno(f), st.st_mode & 0777) != 0) {
		snprintf(
		    err, errlen, "%s: cannot keep the report's mode: %s", path, CF__ERRSTR(errno));
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
	if (rc == 0 && keep) { /* renamed with the rest of the set */
		*keep = tmp;
		*keep_slot = slot;
		return 0;
	}
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
	unlist_temp(slot);
	free(tmp);
	return rc;
}

int
cf_scan_write_report(struct cf_scan *s, enum cf_format format, const char *path, FILE *out)
{
	int rc = write_report(s, format, path, out, s->error, sizeof s->error, NULL, NULL);

	return rc ? CF_E_OUTPUT : 0;
}

struct report_job {
	const struct cf_scan *s;
	enum cf_format format;
	const char *path;
	FILE *out;
	pthread_t thread;
	int threaded, rc;
	char *tmp; /* complete, to be renamed to PATH */
	int slot;
	char err[1024];
};

/* Rename R's complete temporary file to its path: 0, or CF_E_OUTPUT with
 * the detail in R->err (the temporary file removed). */
static int
rename_kept(struct report_job *r)
{
	int rc = 0;

	if (r->tmp == NULL)
		return 0;
	if (rename(r->tmp, r->path) != 0) {
		snprintf(r->err, sizeof r->err, "%s: write failed: %s", r->path, CF__ERRSTR(errno));
		unlink(r->tmp);
		rc = CF_E_OUTPUT;
	}
	unlist_temp(r->slot);
	free(r->tmp);
	r->tmp = NULL;
	return rc;
}

static void *
report_thread(void *arg)
{
	struct report_job *r = arg;

	r->rc = write_report(
	    r->s, r->format, r->path, r->out, r->err, sizeof r->err, &r->tmp, &r->slot);
	return NULL;
}

/* Do paths A and B name one directory entry: the same last component in
 * one folder (by device and inode), however the folder is spelt ("r",
 * "./r", "d/../r")? A report not yet written has no inode to compare. */
static int
same_entry(const char *a, const char *b)
{
	const char *ba = strrchr(a, '/'), *bb = strrchr(b, '/');
	char *da, *db;
	struct stat x, y;
	int same = 0;

	ba = ba ? ba + 1 : a;
	bb = bb ? bb + 1 : b;
	if (strcmp(ba, bb) != 0 || *ba == '\0')
		return 0;
	da = ba > a ? strndup(a, (size_t)(ba - a)) : strdup(".");
	db = bb > b ? strndup(b, (size_t)(bb - b)) : strdup(".");
	if (da && db && stat(da, &x) == 0 && stat(db, &y) == 0)
		same = x.st_dev == y.st_dev && x.st_ino == y.st_ino;
	free(da);
	free(db);
	return same;
}

/* Do paths A and B lead to the same report? The same name, both standard
 * output or the same descriptor, or one existing file. */
static int
same_target(const char *a, const char *b)
{
	struct stat x, y;

	if (strcmp(a, b) == 0 || (is_stdout(a) && is_stdout(b)))
		return 1;
	if (fd_path(a) >= 0 || fd_path(b) >= 0)
		return fd_path(a) == fd_path(b);
	if (stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino)
		return 1; /* one file: the same path, or hard links */
	return same_entry(a, b);
}

int
cf_scan_check_report_paths(struct cf_scan *s, const char *const *paths, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (same_target(paths[i], paths[j]))
				return cf__set_error(s, CF_E_USAGE,
				    "%s and %s: two reports to the same "
				    "place",
				    paths[i], paths[j]);
	return 0;
}

int
cf_scan_write_reports(
    struct cf_scan *s, const enum cf_format *formats, const char *const *paths, size_t n, FILE *out)
{
	struct report_job *r;
	sigset_t hold, was;
	size_t i;
	int rc, held;

	if ((rc = cf_scan_check_report_paths(s, paths, n)) != 0)
		return rc;
	if ((r = calloc(n + 1, sizeof *r)) == NULL)
		return cf__set_error(s, CF_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		r[i] = (struct report_job){
			.s = s, .format = formats[i], .path = paths[i], .out = out
		};
		/* a few reports: a thread each; standard output stays on this
		 * thread, so that two reports there do not interleave */
		r[i].threaded = s->policy.jobs > 1 && !is_stdout(paths[i]) &&
		    pthread_create(&r[i].thread, NULL, report_thread, &r[i]) == 0;
	}
	for (i = 0; i < n; i++)
		if (!r[i].threaded)
			report_thread(&r[i]);
	for (i = 0; i < n; i++)
		if (r[i].threaded)
			pthread_join(r[i].thread, NULL);
	/* a set: every temporary file is complete before the first rename,
	 * and the signals that end a run (SIGINT, SIGTERM, SIGHUP) are held on
	 * this thread while the renames run (microseconds), so an interrupted
	 * scan leaves the previous set or the new one (a report that failed
	 * is not renamed; the others still are). A signal that arrived in
	 * between one rename and the next left a mix, once in 140 runs. */
	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
	held = pthread_sigmask(SIG_BLOCK, &hold, &was) == 0;
	for (i = 0; i < n; i++)
		if (r[i].rc == 0)
			r[i].rc = rename_kept(&r[i]);
	if (held)
		pthread_sigmask(SIG_SETMASK, &was, NULL);
	for (i = 0; i < n; i++)
		if (r[i].rc && rc == 0)
			rc = cf__set_error(s, CF_E_OUTPUT, "%s", r[i].err);
	free(r);
	return rc;
}
