/*
 * sources.c - the table of sources: a new kind of INPUT is one source file
 * (a probe and an add function) and one row here. cf_scan_add_input()
 * gives an INPUT to the first row whose probe takes it.
 */
#include <stddef.h>
#include <sys/stat.h>

#include "source/source.h"

static int
probe_dir(const char *path, const struct stat *st)
{
	(void)path;
	return S_ISDIR(st->st_mode);
}

static int
probe_file(const char *path, const struct stat *st)
{
	(void)path;
	(void)st;
	return 1;
}

static const struct cf__source dir_source = { "folder", probe_dir, cf__dir_source };
/* a single file or a single archive (by its suffix) */
static const struct cf__source file_source = { "file", probe_file, cf__file_source };

const struct cf__source *const cf__sources[] = {
	&dir_source,
	&file_source,
	NULL,
};
