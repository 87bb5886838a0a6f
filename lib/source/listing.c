/*
 * listing.c - a folder's entries, sorted, in one allocation: what the walk
 * of a node and the layout decision read.
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

#include "source/source.h"

static int
cmp_dent(const void *a, const void *b)
{
	return strcmp(((const struct cf__dent *)a)->name, ((const struct cf__dent *)b)->name);
}

/* The entries of folder PATH, sorted, in *V (N entries, one allocation for
 * the array and the names). 0, or an errno. */
int
cf__list_dir(const char *path, struct cf__dent **v, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *e;
	struct cf__buf names = { 0 }, ents = { 0 };
	struct cf__dent x;
	size_t i;
	int err = 0;

	*v = NULL;
	*n = 0;
	if (d == NULL)
		return errno;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		x.name = (char *)(uintptr_t)names.len; /* an offset until the end */
		x.type = e->d_type;
		if (cf__buf_add(&names, e->d_name, strlen(e->d_name) + 1) != 0 ||
		    cf__buf_add(&ents, &x, sizeof x) != 0) {
			err = ENOMEM;
			break;
		}
	}
	closedir(d);
	*n = ents.len / sizeof x;
	if (err == 0 && (*v = malloc(ents.len + names.len + 1)) == NULL)
		err = ENOMEM;
	if (err == 0) {
		char *base = (char *)*v + ents.len;
		if (*n) { /* an empty folder has no buffers at all */
			memcpy(base, names.data, names.len);
			memcpy(*v, ents.data, ents.len);
		}
		for (i = 0; i < *n; i++)
			(*v)[i].name = base + (uintptr_t)(*v)[i].name;
		qsort(*v, *n, sizeof **v, cmp_dent);
	}
	cf__buf_free(&names);
	cf__buf_free(&ents);
	return err;
}

char *
cf__path_join(const char *a, const char *b)
{
	char *p;

	return asprintf(&p, "%s/%s", a, b) < 0 ? NULL : p;
}
