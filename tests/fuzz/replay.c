/*
 * replay - runs a fuzz harness over files, without libFuzzer: every build
 * (gcc, sanitizers, valgrind) replays the seed corpora and the crashers
 * kept in tests/fuzz/regressions/. usage: replay FILE|DIR...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
one(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (f == NULL)
		return 0;
	do {
		if (n == cap && (buf = realloc(buf, cap = cap ? cap * 2 : 65536)) == NULL)
			return 0;
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 1;
}

static int
walk(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	char sub[4096];
	int n = 0;

	if (stat(path, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return one(path);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.') {
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			n += walk(sub);
		}
	closedir(d);
	return n;
}

int
main(int argc, char **argv)
{
	int i, n = 0;

	for (i = 1; i < argc; i++)
		n += walk(argv[i]);
	printf("replayed %d inputs\n", n);
	return n > 0 ? 0 : 1;
}
