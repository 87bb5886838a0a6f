/*
 * model.c - the scan result: files, findings, skips, and the indexes by
 * node that the rules and reports read. Only the scan's thread writes it.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define GROW(arr, n, cap) cf__grow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr), 16)

void
cf__decoded_free(void *p)
{
	struct cf__decoded *d = p;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n_pending; i++)
		free(d->pending[i].message);
	free(d->pending);
	free(d->over);
	free(d->members);
	free(d->skip);
	for (i = 0; i < d->n_names; i++)
		free(d->names[i]);
	free(d->names);
	cf__decoded_free(d->redo);
	free(d);
}

/* Count JOB's key derivation in the scan's budget, in commit order: the
 * first file of its bytes is charged what it spent, when that fits in
 * what is left; else (or when the shared budget stopped it on a worker)
 * it is decoded again here with exactly what is left, and that record,
 * kept in the first as REDO, is what every file of these bytes holds.
 * So what is tried does not depend on --jobs. 0 or an error. */
static int
settle_kdf(struct cf_scan *s, struct cf__job *j)
{
	struct cf__decoded *d = (struct cf__decoded *)j->dec;
	uint64_t left = s->cache->kdf_budget - s->kdf_charged;
	int rc;

	if (j->rc || d == NULL || (d->kdf_work == 0 && !d->kdf_cut))
		return 0;
	if (d->kdf_charged) {
		j->dec = d->redo ? d->redo : d;
		return 0;
	}
	d->kdf_charged = 1;
	if (!d->kdf_cut && d->kdf_work <= left) {
		s->kdf_charged += d->kdf_work;
		return 0;
	}
	j->kdf_exact = j->kdf_redo = 1;
	j->kdf_limit = left;
	if ((rc = j->decode(s->cache, s->content, j)) != 0)
		return rc;
	d->redo = (struct cf__decoded *)j->dec;
	s->kdf_charged += d->redo->kdf_work;
	return 0;
}

/* A job whose file was not read: a finding (a certificate by name), a skip
 * with the reason, or nothing (no certificate by content). */
static int
commit_unread(struct cf_scan *s, struct cf__job *j)
{
	int rc = j->rc;

	if (rc == 0 && j->read_error && j->named)
		rc = cf__input_finding_at(s, j->node_ix, cf__raw(j->raw_path), "%s", j->read_error);
	else if (rc == 0 && j->read_error)
		rc = cf__skip_add_at(s, j->node_ix, cf__raw(j->raw_path), "%s", j->read_error);
	cf__job_clear(j);
	return rc;
}

/* A Kubernetes dump found by content: kept for cf_scan_run to expand on
 * this thread once the pipeline has drained (its entries are jobs). */
static int
defer(struct cf_scan *s, struct cf__job *j)
{
	struct cf__deferred *d;
	int rc = 0;

	if (cf__grow((void **)&s->deferred, &s->cap_deferred, s->n_deferred + 1,
	        sizeof *s->deferred, 4) != 0) {
		rc = CF_E_NOMEM;
	} else {
		d = &s->deferred[s->n_deferred++];
		*d = (struct cf__deferred){ j->raw_node, j->raw_path, j->data, j->len };
		j->raw_node = j->raw_path = NULL;
		j->data = NULL;
	}
	cf__job_clear(j);
	return rc;
}

/* The findings file F's decoding made (kept in its decoded record), as
 * findings of F's node and path. */
static int
add_pending(struct cf_scan *s, const struct cf__file *f)
{
	const struct cf__pending *p = f->dec->pending;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < f->dec->n_pending; i++)
		rc = cf__finding_add(s, p[i].rule->num, f->node, f->path, p[i].index, p[i].line,
		    p[i].facts, "%s", p[i].message);
	return rc;
}

int
cf__commit(struct cf_scan *s, struct cf__job *j)
{
	const struct cf__decoded *d = j->dec;
	struct cf__file *f;
	long pix = -1;
	int rc = j->rc;

	if (j->k8s && rc == 0)
		return defer(s, j);
	if (rc == 0 && (rc = settle_kdf(s, j)) != 0)
		j->rc = rc;
	d = j->dec;
	if (j->quiet || j->read_error || j->k8s)
		return commit_unread(s, j);
	if (rc == 0 && d->skip) { /* read, but nothing in it to audit */
		rc = cf__skip_add_at(s, j->node_ix, cf__raw(j->raw_path), "%s", d->skip);
		cf__job_clear(j);
		return rc;
	}
	if (rc == 0 &&
	    cf__grow((void **)&s->files, &s->cap_files, s->n_files + 1, sizeof *f, 256) != 0)
		rc = CF_E_NOMEM;
	if (rc == 0 && (pix = cf__strtab_intern(&s->path_tab, j->spath)) < 0)
		rc = CF_E_NOMEM;
	if (rc == 0) {
		f = &s->files[s->n_files++];
		memset(f, 0, sizeof *f);
		f->node_ix = j->node_ix;
		f->path_ix = (uint32_t)pix;
		f->node = s->nodes[j->node_ix];
		f->path = s->path_tab.v[pix];
		f->dec = d;
	}
	if (rc == 0)
		rc = add_pending(s, f);
	cf__job_clear(j);
	if (rc == 0 && s->progress && s->n_files % 256 == 0)
		s->progress(s->n_files, s->n_nodes, s->progress_arg);
	return rc;
}

/* Counting sort of N items (SIZE bytes each, a uint32_t node index at
 * offset AT) by node: OFF[node..node+1) indexes ORDER. */
static int
index_by_node(size_t n_nodes, const void *items, size_t n, size_t size, size_t at, size_t **off,
    uint32_t **order)
{
	size_t i, *o = calloc(n_nodes + 2, sizeof *o);
	uint32_t *v = malloc((n + 1) * sizeof *v), node;

	if (o == NULL || v == NULL) {
		free(o);
		free(v);
		return CF_E_NOMEM;
	}
	for (i = 0; i < n; i++) {
		memcpy(&node, (const char *)items + i * size + at, sizeof node);
		o[node + 2]++;
	}
	for (i = 2; i < n_nodes + 2; i++)
		o[i] += o[i - 1];
	for (i = 0; i < n; i++) {
		memcpy(&node, (const char *)items + i * size + at, sizeof node);
		v[o[node + 1]++] = (uint32_t)i;
	}
	free(*off);
	free(*order);
	*off = o;
	*order = v;
	return 0;
}

static int
cmp_node_path(const void *a, const void *b, void *arg)
{
	const struct cf__file *f = arg, *x = &f[*(const uint32_t *)a],
	                      *y = &f[*(const uint32_t *)b];

	if (x->node_ix != y->node_ix)
		return x->node_ix < y->node_ix ? -1 : 1;
	if (x->path_ix != y->path_ix)
		return x->path_ix < y->path_ix ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
pair_key(uint32_t node_ix, uint32_t path_ix)
{
	return (uint64_t)node_ix << 32 | path_ix;
}

int
cf__dedup_files(struct cf_scan *s)
{
	uint32_t *v = malloc((s->n_files + 1) * sizeof *v);
	unsigned char *drop = calloc(s->n_files + 1, 1);
	uint64_t *keys = NULL, key;
	size_t *times = NULL, *nt, i, j, k, n_dup = 0, cap = 0, w;
	int rc = 0;

	if (v == NULL || drop == NULL)
		goto nomem;
	for (i = 0; i < s->n_files; i++)
		v[i] = (uint32_t)i;
	qsort_r(v, s->n_files, sizeof *v, cmp_node_path, s->files);
	for (i = 0; i < s->n_files; i = j) { /* groups of one (node, path) */
		for (j = i + 1;
		     j < s->n_files && s->files[v[j]].node_ix == s->files[v[i]].node_ix &&
		     s->files[v[j]].path_ix == s->files[v[i]].path_ix;
		     j++)
			;
		if (j - i < 2)
			continue;
		if (cf__grow((void **)&keys, &cap, n_dup + 1, sizeof *keys, 8) != 0 ||
		    (nt = realloc(times, cap * sizeof *times)) == NULL)
			goto nomem;
		times = nt;
		keys[n_dup] = pair_key(s->files[v[i]].node_ix, s->files[v[i]].path_ix);
		times[n_dup++] = j - i;
		for (k = i; k + 1 < j; k++) /* the last read (highest index) wins */
			drop[v[k]] = 1;
		drop[v[j - 1]] = 2;
	}
	if (n_dup == 0)
		goto out;
	/* the decoding findings of a duplicated path may be a lost copy's:
	 * drop them all, then add the winner's again (KEYS is sorted: the
	 * groups came in (node, path) order) */
	for (i = w = 0; i < s->n_findings; i++) {
		struct cf__finding *f = &s->findings[i];
		key = pair_key(f->node_ix, f->path_ix);
		if (f->rule->scope == CF__SCOPE_FILE &&
		    bsearch(&key, keys, n_dup, sizeof *keys, cmp_u64))
			free(f->message);
		else
			s->findings[w++] = *f;
	}
	s->n_findings = w;
	for (i = 0; i < s->n_files && rc == 0; i++) {
		const struct cf__file *f = &s->files[i];
		const uint64_t *at;
		if (drop[i] != 2)
			continue;
		rc = add_pending(s, f);
		key = pair_key(f->node_ix, f->path_ix);
		at = bsearch(&key, keys, n_dup, sizeof *keys, cmp_u64);
		if (rc == 0)
			rc = cf__finding_add(s, CF__R_PATH_DUPLICATE, f->node, f->path, 0, 0, NULL,
			    "read %zu times (archive "
			    "entries, "
			    "or a node folder beside a node archive); the last one read is audited",
			    times[at - keys]);
	}
	for (i = w = 0; i < s->n_files; i++)
		if (drop[i] != 1)
			s->files[w++] = s->files[i];
	s->n_files = w;
out:
	free(v);
	free(drop);
	free(keys);
	free(times);
	return rc;
nomem:
	rc = CF_E_NOMEM;
	goto out;
}

int
cf__index_files(struct cf_scan *s)
{
	return index_by_node(s->n_nodes, s->files, s->n_files, sizeof *s->files,
	    offsetof(struct cf__file, node_ix), &s->file_off, &s->file_order);
}

int
cf__index_findings(struct cf_scan *s)
{
	return index_by_node(s->n_nodes, s->findings, s->n_findings, sizeof *s->findings,
	    offsetof(struct cf__finding, node_ix), &s->finding_off, &s->finding_order);
}

/* Intern the sanitized NODE; with CLASH, a node an earlier INPUT made is
 * noted as a clash of the INPUT being added. Only a source naming the node
 * it reads asks for CLASH: a finding committed while a later INPUT is being
 * added (jobs commit in order, whenever the workers are done) names a node
 * of an earlier INPUT without being a clash. */
static long
intern_node(struct cf_scan *s, const char *node, int clash)
{
	size_t before = s->node_tab.n;
	long ix = cf__strtab_intern(&s->node_tab, node);

	s->nodes = s->node_tab.v;
	s->n_nodes = s->node_tab.n;
	if (ix < 0)
		return ix;
	if (s->n_nodes > before) { /* a new node: the INPUT being added made it */
		if (cf__grow((void **)&s->node_input, &s->cap_node_input, s->n_nodes,
		        sizeof *s->node_input, 16) != 0)
			return -1;
		s->node_input[ix] = s->adding - 1;
	} else if (clash && s->adding > 0 && s->clash_node < 0 &&
	    s->node_input[ix] != s->adding - 1) {
		s->clash_node = ix; /* an earlier INPUT's node */
	}
	return ix;
}


long
cf__scan_node(struct cf_scan *s, struct cf__raw raw)
{
	char *node = cf__sanitize(raw.s, strlen(raw.s));
	long ix = node ? intern_node(s, node, 1) : -1;

	free(node);
	return ix;
}

int
cf__scan_node_origin(struct cf_scan *s, struct cf__raw raw_node, const char *origin, char sep)
{
	long ix = cf__scan_node(s, raw_node);
	size_t n = strlen(origin), old = s->cap_node_origin;
	char *o, *c;

	if (ix < 0 ||
	    cf__grow((void **)&s->node_origin, &s->cap_node_origin, s->n_nodes,
	        sizeof *s->node_origin, 16) != 0)
		return CF_E_NOMEM;
	if (s->cap_node_origin > old)
		memset(
		    s->node_origin + old, 0, (s->cap_node_origin - old) * sizeof *s->node_origin);
	if (s->node_origin[ix] != NULL)
		return 0;
	if (n && origin[n - 1] == sep)
		n--; /* "dir/" given: one separator */
	if ((c = cf__sanitize(origin, n)) == NULL || asprintf(&o, "%s%c", c, sep) < 0) {
		free(c);
		return CF_E_NOMEM;
	}
	free(c);
	s->node_origin[ix] = o;
	return 0;
}

/* A tls-input-unreadable finding of the sanitized NODE at RAW_PATH with
 * message RAW_MSG (both sanitized here); RAW_MSG is freed. */
static int
input_finding_clean(struct cf_scan *s, const char *node, struct cf__raw raw_path, char *raw_msg)
{
	char *path = cf__sanitize(raw_path.s, strlen(raw_path.s));
	char *clean = raw_msg ? cf__sanitize_text(raw_msg, strlen(raw_msg)) : NULL;
	int rc = path && clean
	    ? cf__finding_add(s, CF__R_INPUT_UNREADABLE, node, path, 0, 0, NULL, "%s", clean)
	    : CF_E_NOMEM;

	free(path);
	free(clean);
	free(raw_msg);
	return rc;
}

/* Format FMT (AP) and hand it, with NODE (sanitized) and RAW_PATH, to
 * CLEAN (which frees the message): the one way from a raw node name or a
 * node index to a finding or a skip. */
typedef int clean_fn(struct cf_scan *s, const char *node, struct cf__raw raw_path, char *raw_msg);

static int with_node(struct cf_scan *s, struct cf__raw raw_node, long node_ix,
    struct cf__raw raw_path, clean_fn *clean, const char *fmt, va_list ap) CF__PRINTF(6, 0);

static int
with_node(struct cf_scan *s, struct cf__raw raw_node, long node_ix, struct cf__raw raw_path,
    clean_fn *clean, const char *fmt, va_list ap)
{
	char *node = raw_node.s ? cf__sanitize(raw_node.s, strlen(raw_node.s)) : NULL;
	char *msg = NULL;
	int rc = CF_E_NOMEM;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	if (raw_node.s == NULL)
		rc = clean(s, s->nodes[node_ix], raw_path, msg);
	else if (node)
		rc = clean(s, node, raw_path, msg);
	else
		free(msg);
	free(node);
	return rc;
}

int
cf__input_finding(
    struct cf_scan *s, struct cf__raw raw_node, struct cf__raw raw_path, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = with_node(s, raw_node, -1, raw_path, input_finding_clean, fmt, ap);
	va_end(ap);
	return rc;
}

int
cf__input_finding_at(
    struct cf_scan *s, uint32_t node_ix, struct cf__raw raw_path, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = with_node(s, cf__raw(NULL), (long)node_ix, raw_path, input_finding_clean, fmt, ap);
	va_end(ap);
	return rc;
}

int
cf__finding_add(struct cf_scan *s, enum cf__rule_id rule, const char *node, const char *path,
    int index, int line, const struct cf__facts *facts, const char *fmt, ...)
{
	const char *head = cf__rules[rule].headline;
	size_t hn = strlen(head) + 2, room;
	struct cf__finding *f;
	char small[1024], *text;
	va_list ap;
	long ni, pi;
	int n;

	if (s->policy.severity[rule] == CF_SEV_NEVER)
		return 0;
	if (GROW(s->findings, s->n_findings, s->cap_findings) != 0 || hn >= sizeof small)
		return CF_E_NOMEM;
	/* every message starts with its rule's headline, added here alone:
	 * formatted once after it, and allocated once (again only when the
	 * message is longer than SMALL) */
	memcpy(small, head, hn - 2);
	memcpy(small + hn - 2, ": ", 2);
	room = sizeof small - hn;
	va_start(ap, fmt);
	n = vsnprintf(small + hn, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (text = malloc(hn + (size_t)n + 1)) == NULL)
		return CF_E_NOMEM;
	memcpy(text, small, (size_t)n < room ? hn + (size_t)n + 1 : hn);
	if ((size_t)n >= room) {
		va_start(ap, fmt);
		vsnprintf(text + hn, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	f = &s->findings[s->n_findings];
	f->rule = &cf__rules[rule];
	f->severity = s->policy.severity[rule];
	f->message = text;
	f->index = index;
	f->line = line;
	f->facts = facts;
	ni = intern_node(s, node, 0);
	pi = cf__strtab_intern(&s->path_tab, path);
	if (ni < 0 || pi < 0) {
		free(text);
		return CF_E_NOMEM;
	}
	f->node = s->node_tab.v[ni];
	f->node_ix = (uint32_t)ni;
	f->path = s->path_tab.v[pi];
	f->path_ix = (uint32_t)pi;
	s->n_findings++;
	return 0;
}

/* A skip of NODE (sanitized) at RAW_PATH for the reason RAW (both
 * sanitized here); RAW is freed. */
static int
skip_add_clean(struct cf_scan *s, const char *node, struct cf__raw raw_path, char *raw)
{
	struct cf__skip *k;

	if (raw == NULL || GROW(s->skips, s->n_skips, s->cap_skips) != 0) {
		free(raw);
		return CF_E_NOMEM;
	}
	k = &s->skips[s->n_skips];
	/* a reason may quote an archive's name: made as safe as any text */
	k->reason = cf__sanitize_text(raw, strlen(raw));
	free(raw);
	k->node = strdup(node);
	k->path = cf__sanitize(raw_path.s, strlen(raw_path.s));
	if (!k->reason || !k->node || !k->path) {
		free(k->node);
		free(k->path);
		free(k->reason);
		return CF_E_NOMEM;
	}
	s->n_skips++;
	return 0;
}

int
cf__skip_add(
    struct cf_scan *s, struct cf__raw raw_node, struct cf__raw raw_path, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = with_node(s, raw_node, -1, raw_path, skip_add_clean, fmt, ap);
	va_end(ap);
	return rc;
}

int
cf__skip_add_at(struct cf_scan *s, uint32_t node_ix, struct cf__raw raw_path, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = with_node(s, cf__raw(NULL), (long)node_ix, raw_path, skip_add_clean, fmt, ap);
	va_end(ap);
	return rc;
}
