/*
 * readhash - the I/O baseline of the benchmark: walk folders as certfleet
 * does (sorted readdir, lstat, no links followed), read every regular file
 * and SHA-256 it with GnuTLS. Prints files and bytes.
 * usage: readhash DIR...
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

static unsigned long files, bytes;

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
walk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL, path[4096], buf[65536];
	size_t n = 0, i;
	unsigned char h[32];
	struct stat st;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			v = realloc(v, (n + 1) * sizeof *v);
			v[n++] = strdup(e->d_name);
		}
	closedir(d);
	qsort(v, n, sizeof *v, cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, v[i]);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(path);
		} else if (S_ISREG(st.st_mode)) {
			int fd = open(path, O_RDONLY | O_NOFOLLOW);
			ssize_t r, len = 0;
			char *all = NULL;
			while (fd >= 0 && (r = read(fd, buf, sizeof buf)) > 0) {
				all = realloc(all, (size_t)(len + r));
				memcpy(all + len, buf, (size_t)r);
				len += r;
			}
			if (fd >= 0)
				close(fd);
			gnutls_hash_fast(GNUTLS_DIG_SHA256, all, (size_t)len, h);
			free(all);
			files++;
			bytes += (unsigned long)len;
		}
		free(v[i]);
	}
	free(v);
}

int
main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		walk(argv[i]);
	printf("%lu files, %lu bytes\n", files, bytes);
	return 0;
}
