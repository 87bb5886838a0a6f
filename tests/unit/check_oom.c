/*
 * check_oom.c - every allocation may fail: the PEM reader and a whole scan
 * (decoding, facts, rules, every report) are run again and again with the
 * Nth allocation failing, N = 1, 2, ... until a run sees no failure. Each
 * run must return success or CF_E_NOMEM (never crash, never another
 * code), and must free everything it allocated (the count of live blocks
 * is back where it was). malloc, calloc, realloc and free are replaced in
 * this program (glibc allows it; libc, GnuTLS and the rest allocate
 * through them too). Not in sanitizer builds, whose allocators these
 * would bypass: skipped there (77).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SKIP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SKIP 1
#endif
#endif

#ifndef SKIP
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long fail_at;       /* the allocation that fails (0: none) */
static long count, failed; /* allocations so far, failures injected */
static long live;          /* blocks allocated and not freed */

extern char __executable_start, etext;

/* Fail this allocation? Only when certfleet's code (linked into this
 * program) asked for it directly: CALLER is the return address. */
static int
inject_at(const void *caller)
{
	if (!fail_at || (const char *)caller < &__executable_start ||
	    (const char *)caller >= &etext)
		return 0;
	if (++count == fail_at) {
		failed++;
		return 1;
	}
	return 0;
}

void *
malloc(size_t n)
{
	void *p = inject_at(__builtin_return_address(0)) ? NULL : __libc_malloc(n);

	live += p != NULL;
	return p;
}

void *
calloc(size_t a, size_t b)
{
	void *p = inject_at(__builtin_return_address(0)) ? NULL : __libc_calloc(a, b);

	live += p != NULL;
	return p;
}

void *
realloc(void *old, size_t n)
{
	void *p;

	if (inject_at(__builtin_return_address(0)))
		return NULL;
	p = __libc_realloc(old, n);
	live += old == NULL && p != NULL;
	live -= old != NULL && n == 0 && p == NULL;
	return p;
}

/* strdup and strndup here, so that their callers' addresses count */
char *
strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = inject_at(__builtin_return_address(0)) ? NULL : __libc_malloc(n);

	live += p != NULL;
	return p ? memcpy(p, s, n) : NULL;
}

char *
strndup(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *p = inject_at(__builtin_return_address(0)) ? NULL : __libc_malloc(n + 1);

	if (p == NULL)
		return NULL;
	live++;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
free(void *p)
{
	live -= p != NULL;
	__libc_free(p);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = __libc_malloc((size_t)n + 1);
	if (fread(b, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	fclose(f);
	*len = (size_t)n;
	return b;
}

static int
run_pem(const unsigned char *text, size_t len)
{
	struct cf__pem pem;
	int rc = cf__pem_parse(text, len, &pem);

	cf__pem_free(&pem);
	return rc;
}

/* A whole scan of one file on one thread, every report to /dev/null. */
static int
run_scan(const unsigned char *text, size_t len)
{
	struct cf_scan *s = cf_scan_new();
	FILE *null;
	int rc, f;

	if (s == NULL)
		return CF_E_NOMEM;
	cf_policy_set_now(&s->policy, 1780272000);
	if ((rc = cf_policy_set_node(&s->policy, "n1")) == 0 &&
	    (rc = cf_scan_add_memory(s, "bundle.pem", text, len)) == 0)
		rc = cf_scan_run(s);
	null = fopen("/dev/null", "w");
	/* a writer says CF_E_OUTPUT for any failure, out of memory too */
	for (f = CF_FMT_TEXT; rc == 0 && null && f <= CF_FMT_PROM; f++)
		if ((rc = cf_report_write(s, (enum cf_format)f, null)) == CF_E_OUTPUT)
			rc = CF_E_NOMEM;
	if (null)
		fclose(null);
	else if (rc == 0)
		rc = CF_E_NOMEM;
	cf_scan_free(s);
	return rc;
}

/* Sweep FN over TEXT: each allocation failing in turn. */
static int
sweep(const char *what, int (*fn)(const unsigned char *, size_t), const unsigned char *text,
    size_t len)
{
	long n, base;
	int rc, bad = 0;

	fn(text, len); /* warm up: libraries' one-time setup */
	for (n = 1;; n++) {
		base = live;
		fail_at = n;
		count = failed = 0;
		rc = fn(text, len);
		fail_at = 0;
		if (rc != 0 && rc != CF_E_NOMEM) {
			fprintf(stderr, "FAIL: %s: allocation %ld failing gives %d\n", what, n, rc);
			bad = 1;
		}
		if (live != base) {
			fprintf(stderr, "FAIL: %s: allocation %ld failing leaks %ld blocks\n", what,
			    n, live - base);
			bad = 1;
		}
		if (failed == 0)
			break; /* a run with no failure: every point tried */
	}
	if (rc != 0) {
		fprintf(stderr, "FAIL: %s: the run without failures gives %d\n", what, rc);
		bad = 1;
	}
	printf("%s: %ld allocation points failed one by one%s\n", what, n - 1,
	    bad ? "" : ", all handled");
	return bad;
}

int
main(int argc, char **argv)
{
	int bad = 0, i;
	size_t len;
	unsigned char *text;

	for (i = 1; i < argc; i++) {
		if ((text = slurp(argv[i], &len)) == NULL) {
			fprintf(stderr, "check_oom: cannot read %s\n", argv[i]);
			return 1;
		}
		bad |= sweep(argv[i], run_pem, text, len);
		bad |= sweep(argv[i], run_scan, text, len);
		__libc_free(text);
	}
	return bad;
}
#else
int
main(void)
{
	printf("check_oom: skipped in a sanitizer build\n");
	return 77;
}
#endif
