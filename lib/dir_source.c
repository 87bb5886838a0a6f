/*
 * dir_source.c - INPUTs on the file system: a fleet directory (one folder
 * or one archive per node), a single file, standard input. Links are never
 * followed (lstat, O_NOFOLLOW); folders are read one at a time and closed
 * before recursing, so depth costs no file descriptors.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

#define SNIFF_SIZE 65536
#define MAX_DEPTH 4096

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in folder PATH, sorted (new array of new strings, NULL-ended). */
static char **
list_dir(const char *path, int *err)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **v = NULL, **nv;
	size_t n = 0;

	*err = 0;
	if (d == NULL) {
		*err = errno;
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((nv = realloc(v, (n + 2) * sizeof *v)) == NULL || (nv[n] = strdup(e->d_name)) == NULL) {
			*err = ENOMEM;
			v = nv ? nv : v;
			break;
		}
		v = nv;
		v[++n] = NULL;
	}
	closedir(d);
	if (v)
		qsort(v, n, sizeof *v, cmp_str);
	return v;
}

static void
free_list(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/*
 * Read a regular file into *DATA (caller frees). KIND 0 files (not a
 * certificate by name) are read only if their first 64 KiB hold a PEM
 * BEGIN. Returns 1 when read, 0 when skipped silently, -1 with a reason.
 */
static int
read_file(const char *path, int kind, uint64_t cap, unsigned char **data, size_t *len,
    char *why, size_t whylen)
{
	struct stat st;
	struct cf__buf b = {0};
	unsigned char chunk[SNIFF_SIZE];
	ssize_t r;
	int fd, rc = -1;

	*data = NULL;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0) {
		snprintf(why, whylen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		goto out;
	}
	for (;;) {
		r = read(fd, chunk, sizeof chunk);
		if (r < 0) {
			snprintf(why, whylen, "read error: %s", strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		if (kind == 0 && b.len == 0 && memmem(chunk, (size_t)r, "-----BEGIN ", 11) == NULL) {
			rc = 0;
			goto out;
		}
		if (b.len + (size_t)r > cap) {
			snprintf(why, whylen, "file is %lld bytes, over the read limit of %llu bytes "
			    "(--max-file-size)", (long long)st.st_size, (unsigned long long)cap);
			goto out;
		}
		if (cf__buf_add(&b, chunk, (size_t)r) != 0) {
			snprintf(why, whylen, "out of memory");
			goto out;
		}
	}
	*data = b.data ? b.data : (unsigned char *)calloc(1, 1);
	*len = b.len;
	b.data = NULL;
	rc = *data ? 1 : -1;
out:
	cf__buf_free(&b);
	close(fd);
	return rc;
}

/* A file inside a node: audit it, or open it as a nested archive. */
static int
node_file(struct cf_scan *s, const char *node, const char *full, const char *rel, int depth)
{
	size_t asfx = cf__archive_suffix(rel);
	int kind = asfx ? 1 : cf__name_kind(rel), r, rc = 0;
	uint64_t cap = asfx ? s->limits.max_total_size : s->limits.max_file_size;
	unsigned char *data = NULL;
	size_t len = 0;
	char why[512];

	r = read_file(full, kind, cap, &data, &len, why, sizeof why);
	if (r < 0 && (kind || asfx))
		rc = cf__input_finding(s, node, rel, "%s", why);
	else if (r < 0)
		rc = cf__skip_add(s, node, rel, "%s", why);
	else if (r > 0 && asfx)
		rc = cf__archive_source(s, node, rel, data, len, rel, depth + 1);
	else if (r > 0)
		rc = cf__scan_add_file(s, node, rel, data, len), data = NULL;
	free(data);
	return rc;
}

static char *
join(const char *a, const char *b)
{
	char *p;

	if (*a == '\0')
		return strdup(b);
	return asprintf(&p, "%s/%s", a, b) < 0 ? NULL : p;
}

/* Walk folder FULL of NODE; REL is its logical path ("" at the node's top). */
static int
walk(struct cf_scan *s, const char *node, const char *full, const char *rel, int depth)
{
	char **names, *f = NULL, *r = NULL;
	struct stat st;
	int err, rc = 0;
	size_t i;

	if (depth > MAX_DEPTH)
		return cf__skip_add(s, node, rel, "folder nested deeper than %d levels", MAX_DEPTH);
	if ((names = list_dir(full, &err)) == NULL)
		return err ? cf__skip_add(s, node, rel, "cannot read folder: %s", strerror(err)) : 0;
	for (i = 0; names[i] && rc == 0; i++) {
		if ((f = join(full, names[i])) == NULL || (r = join(rel, names[i])) == NULL) {
			rc = CF_E_NOMEM;
		} else if (lstat(f, &st) != 0) {
			rc = cf__skip_add(s, node, r, "cannot stat: %s", strerror(errno));
		} else if (S_ISLNK(st.st_mode)) {
			rc = cf__skip_add(s, node, r, "symbolic link, not followed");
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk(s, node, f, r, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			rc = node_file(s, node, f, r, 0);
		} else {
			rc = cf__skip_add(s, node, r, "not a regular file (device, FIFO or socket)");
		}
		free(f);
		free(r);
		f = r = NULL;
	}
	free_list(names);
	return rc;
}

/* Read a whole archive file and scan it as node NODE. */
static int
archive_file(struct cf_scan *s, const char *path, const char *node, const char *label)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char why[512];
	int r, rc;

	r = read_file(path, 1, s->limits.max_total_size, &data, &len, why, sizeof why);
	if (cf__scan_node(s, node) < 0)
		rc = CF_E_NOMEM;
	else if (r < 0)
		rc = cf__input_finding(s, node, label, "%s", why);
	else
		rc = cf__archive_source(s, node, "", data, len, label, 0);
	free(data);
	return rc;
}

/* One entry at the top of a fleet directory: a node folder or archive. */
static int
top_entry(struct cf_scan *s, const char *dir, const char *name)
{
	char *full = join(dir, name), *node = NULL;
	size_t asfx = cf__archive_suffix(name);
	struct stat st;
	int rc = 0;

	if (full == NULL)
		return CF_E_NOMEM;
	if (lstat(full, &st) != 0)
		rc = cf__skip_add(s, name, "", "cannot stat: %s", strerror(errno));
	else if (S_ISLNK(st.st_mode))
		rc = cf__skip_add(s, name, "", "symbolic link, not followed");
	else if (S_ISDIR(st.st_mode))
		rc = cf__scan_node(s, name) < 0 ? CF_E_NOMEM : walk(s, name, full, "", 0);
	else if (S_ISREG(st.st_mode) && asfx && (node = strndup(name, strlen(name) - asfx)))
		rc = archive_file(s, full, node, name);
	else if (S_ISREG(st.st_mode) && asfx)
		rc = CF_E_NOMEM;
	else if (S_ISREG(st.st_mode) && cf__name_kind(name) == 0)
		rc = 0;                   /* not a certificate by name: silently */
	else
		rc = cf__skip_add(s, "", name, "not inside a node folder (a fleet directory holds "
		    "INPUT/<node>/...; use --node NAME to scan a folder as one node)");
	free(node);
	free(full);
	return rc;
}

/* Does folder PATH hold a node: a sub-folder or an archive (not a link)? */
static int
has_nodes(const char *path, char **names)
{
	struct stat st;
	char *full;
	size_t i;
	int yes = 0;

	for (i = 0; names && names[i] && !yes; i++) {
		if ((full = join(path, names[i])) == NULL)
			return 1;
		yes = lstat(full, &st) == 0 && (S_ISDIR(st.st_mode) ||
		    (S_ISREG(st.st_mode) && cf__archive_suffix(names[i])));
		free(full);
	}
	return yes;
}

/* The last component of PATH (new string); "." and "/" as the cwd's. */
static char *
base_name(const char *path)
{
	char *copy = strdup(path), *b, *out, cwd[4096];
	size_t n;

	if (copy == NULL)
		return NULL;
	for (n = strlen(copy); n > 1 && copy[n - 1] == '/'; n--)
		copy[n - 1] = '\0';
	b = basename(copy);
	if ((strcmp(b, ".") == 0 || strcmp(b, "/") == 0) && getcwd(cwd, sizeof cwd))
		b = strrchr(cwd, '/') && strrchr(cwd, '/')[1] ? strrchr(cwd, '/') + 1 : cwd;
	out = strdup(b);
	free(copy);
	return out;
}

int
cf__dir_source(struct cf_scan *s, const char *path)
{
	char **names, *node = NULL;
	size_t i;
	int err, rc = 0;

	if ((names = list_dir(path, &err)) == NULL && err)
		return cf__set_error(s, CF_E_INPUT, "%s: cannot read folder: %s", path, strerror(err));
	/* --node, or a folder without node folders or archives: one node */
	if (s->next_node || !has_nodes(path, names)) {
		node = s->next_node ? strdup(s->next_node) : base_name(path);
		if (node == NULL || cf__scan_node(s, node) < 0)
			rc = CF_E_NOMEM;
		else
			rc = walk(s, node, path, "", 0);
	}
	for (i = 0; !node && names && names[i] && rc == 0; i++)
		rc = top_entry(s, path, names[i]);
	free(node);
	free_list(names);
	return rc;
}

/* The node of a single file: --node, else its parent folder's name. */
static char *
node_of(const struct cf_scan *s, const char *path)
{
	char *copy, *dir, *out, cwd[4096];

	if (s->next_node)
		return strdup(s->next_node);
	if ((copy = strdup(path)) == NULL)
		return NULL;
	dir = dirname(copy);
	if (strcmp(dir, ".") == 0 && getcwd(cwd, sizeof cwd))
		dir = cwd;
	out = strdup(strrchr(dir, '/') && strrchr(dir, '/')[1] ? strrchr(dir, '/') + 1 : dir);
	free(copy);
	return out;
}

int
cf__file_source(struct cf_scan *s, const char *path, const char *unused)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t asfx = cf__archive_suffix(base);
	char *node;
	int rc;

	(void)unused;
	if (asfx && !s->next_node) {
		if ((node = strndup(base, strlen(base) - asfx)) == NULL)
			return CF_E_NOMEM;
		rc = archive_file(s, path, node, base);
	} else if ((node = node_of(s, path)) == NULL) {
		return CF_E_NOMEM;
	} else if (asfx) {
		rc = archive_file(s, path, node, base);
	} else {
		rc = cf__scan_node(s, node) < 0 ? CF_E_NOMEM : node_file(s, node, path, base, 0);
	}
	free(node);
	return rc;
}
