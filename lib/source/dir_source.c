/*
 * dir_source.c - INPUTs on the file system: a fleet directory (one folder
 * or one archive per node), a single file. A symbolic link inside a node
 * is followed when it resolves inside the INPUT (or anywhere with
 * --follow-links), its file audited under the link's path; a folder
 * already on the walk's stack is not entered again (loops), and the
 * entries reached through links count against --max-entries. Kubernetes'
 * volume internals (..data, ..<timestamp>) are read through the links
 * beside them, not a second time. Folders are read whole and closed before
 * recursing, so depth costs no file descriptors; one path buffer serves the
 * whole walk (a fleet holds millions of files: no allocation per entry but
 * the file's bytes).
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

#define MAX_DEPTH 4096

/* A file inside a node: a nested archive is opened here; any other file
 * goes to a worker, which reads and decodes it. */
static int
node_file(struct cf_scan *s, const char *node, const char *full, const char *rel, int depth)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char why[512];
	int r, rc = 0;

	if (!cf__archive_suffix(rel) && !cf__k8s_name(rel))
		return cf__scan_add_path(s, cf__raw(node), cf__raw(rel), full);
	if (!cf__archive_suffix(rel)) { /* a Kubernetes dump, read here */
		r = cf__read_file(full, NULL, s->policy.limits.max_file_size, "--max-file-size",
		    &data, &len, why, sizeof why);
		if (r < 0)
			return cf__skip_add(s, cf__raw(node), cf__raw(rel), "%s", why);
		return cf__scan_add_file(s, cf__raw(node), cf__raw(rel), data, len);
	}
	r = cf__read_file(full, NULL, s->policy.limits.max_total_size, "--max-total-size", &data,
	    &len, why, sizeof why);
	if (r < 0)
		rc = cf__input_finding(s, cf__raw(node), cf__raw(rel), "%s", why);
	else
		rc = cf__archive_source(s, node, rel, data, len, rel, depth + 1);
	free(data);
	return rc;
}


/* A folder a link led to (device, inode). */
struct seen {
	dev_t dev;
	ino_t ino;
};

/* The walk: PATH holds the full path of the current entry; the logical path
 * is PATH->data + REL (past the node's folder). ROOT is the INPUT's real
 * path (links resolving under it are followed); STACK holds the folders
 * being walked (device and inode), so a link back to one is a loop. */
struct walk {
	struct cf_scan *s;
	const char *node;
	struct cf__buf path;
	size_t rel;
	const char *root;
	struct {
		dev_t dev;
		ino_t ino;
	} stack[64];
	int depth_known;
	uint64_t linked; /* entries reached through links */
	int in_link;     /* walking a folder a link led to */
	/* what links led to in this node (device, inode; open addressing):
	 * each at most once, so a DAG of links costs what its files cost */
	struct seen *seen;
	size_t n_seen, cap_seen;
};


static size_t
seen_slot(const struct walk *w, dev_t dev, ino_t ino)
{
	size_t i = ((size_t)ino * 0x9e3779b97f4a7c15ULL ^ (size_t)dev) & (w->cap_seen - 1);

	while (w->seen[i].ino != 0 && !(w->seen[i].dev == dev && w->seen[i].ino == ino))
		i = (i + 1) & (w->cap_seen - 1);
	return i;
}

/* Was what ST names reached through a link already in this node? Record
 * it: 1 seen, 0 new, CF_E_NOMEM. */
static int
seen_before(struct walk *w, const struct stat *st)
{
	size_t i, cap;

	if (w->n_seen * 2 >= w->cap_seen) { /* grow (power of two) and rehash */
		struct seen *old = w->seen;
		size_t oldcap = w->cap_seen;
		cap = oldcap ? oldcap * 2 : 64;
		if ((w->seen = calloc(cap, sizeof *w->seen)) == NULL) {
			w->seen = old;
			return CF_E_NOMEM;
		}
		w->cap_seen = cap;
		for (i = 0; i < oldcap; i++)
			if (old[i].ino != 0)
				w->seen[seen_slot(w, old[i].dev, old[i].ino)] = old[i];
		free(old);
	}
	i = seen_slot(w, st->st_dev, st->st_ino);
	if (w->seen[i].ino != 0)
		return 1;
	w->seen[i].dev = st->st_dev;
	w->seen[i].ino = st->st_ino ? st->st_ino : 1;
	w->n_seen++;
	return 0;
}

static int walk(struct walk *w, int depth);

/* Append "/NAME" to the path (or NAME when the logical path is empty). */
static int
push(struct walk *w, const char *name, size_t *mark)
{
	*mark = w->path.len;
	if (w->path.len > w->rel && cf__buf_add(&w->path, "/", 1) != 0)
		return CF_E_NOMEM;
	return cf__buf_add(&w->path, name, strlen(name));
}

static void
pop(struct walk *w, size_t mark)
{
	w->path.len = mark;
	w->path.data[mark] = '\0';
}

/* Does REAL lie inside the folder ROOT? */
static int
inside(const char *real, const char *root)
{
	size_t n = root ? strlen(root) : 0;

	return root && strncmp(real, root, n) == 0 &&
	    (real[n] == '/' || real[n] == '\0' || (n == 1 && root[0] == '/'));
}

/* Is folder ST on the walk's stack (a link back to it would loop)? */
static int
on_stack(const struct walk *w, const struct stat *st)
{
	int i;

	for (i = 0; i < w->depth_known && i < 64; i++)
		if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino)
			return 1;
	return 0;
}

/* Count one more entry reached through a link (the link itself, or an
 * entry of a folder a link led to) against --max-entries: 1 over it (the
 * first time said, *RC its result), else 0. */
static int
over_linked(struct walk *w, const char *rel, int *rc)
{
	*rc = 0;
	if (++w->linked <= w->s->policy.limits.max_entries)
		return 0;
	if (w->linked == w->s->policy.limits.max_entries + 1)
		*rc = cf__input_finding(w->s, cf__raw(w->node), cf__raw(rel),
		    "more than %llu entries reached through "
		    "symbolic links (--max-entries); the rest not read",
		    (unsigned long long)w->s->policy.limits.max_entries);
	return 1;
}

/* A symbolic link at the current path: followed when it resolves inside
 * the INPUT (or --follow-links), else skipped with the reason. */
static int
link_entry(struct walk *w, int depth)
{
	const char *full = (const char *)w->path.data, *rel = full + w->rel;
	char *real = realpath(full, NULL);
	int named = cf__name_kind(rel) != 0, rc;
	struct stat st;

	if (real == NULL && errno == ENOMEM)
		return CF_E_NOMEM;
	if (real == NULL || stat(real, &st) != 0) {
		rc = named ? cf__input_finding(w->s, cf__raw(w->node), cf__raw(rel),
		                 "symbolic link to nothing readable: %s", CF__ERRSTR(errno))
		           : cf__skip_add(w->s, cf__raw(w->node), cf__raw(rel),
		                 "symbolic link to nothing "
		                 "readable: %s",
		                 CF__ERRSTR(errno));
	} else if (!w->s->policy.follow_links && !inside(real, w->root)) {
		rc = named || S_ISDIR(st.st_mode)
		    ? cf__skip_add(w->s, cf__raw(w->node), cf__raw(rel),
		          "symbolic link "
		          "leading outside the INPUT, not followed (--follow-links follows it)")
		    : 0;
	} else if (over_linked(w, rel, &rc)) {
		;
	} else if (S_ISDIR(st.st_mode) && on_stack(w, &st)) {
		rc = cf__skip_add(w->s, cf__raw(w->node), cf__raw(rel),
		    "symbolic link to a folder that contains it (a "
		    "loop), not followed");
	} else if ((S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) &&
	    (rc = seen_before(w, &st)) != 0) {
		/* a DAG of links reaches one folder by many paths: once */
		rc = rc < 0 ? rc
		            : cf__skip_add(w->s, cf__raw(w->node), cf__raw(rel),
		                  "symbolic link to a %s already "
		                  "read through another link in this node, not read again",
		                  S_ISDIR(st.st_mode) ? "folder" : "file");
	} else if (S_ISDIR(st.st_mode)) {
		w->in_link++;
		rc = walk(w, depth + 1);
		w->in_link--;
	} else if (S_ISREG(st.st_mode)) {
		rc = node_file(w->s, w->node, real, rel, 0);
	} else {
		rc = cf__skip_add(w->s, cf__raw(w->node), cf__raw(rel),
		    "symbolic link to something that is not a regular "
		    "file (device, FIFO or socket)");
	}
	free(real);
	return rc;
}

static int
entry(struct walk *w, const struct cf__dent *e, int depth)
{
	const char *full = (const char *)w->path.data, *rel = full + w->rel;
	unsigned char type = e->type;
	struct stat st;

	if (type == DT_UNKNOWN) {
		if (lstat(full, &st) != 0)
			return cf__input_finding(w->s, cf__raw(w->node), cf__raw(rel),
			    "cannot stat: %s", CF__ERRSTR(errno));
		type = S_ISLNK(st.st_mode) ? DT_LNK
		    : S_ISDIR(st.st_mode)  ? DT_DIR
		    : S_ISREG(st.st_mode)  ? DT_REG
		                           : DT_FIFO;
	}
	switch (type) {
	case DT_LNK: return link_entry(w, depth);
	case DT_DIR: return walk(w, depth + 1);
	case DT_REG: return node_file(w->s, w->node, full, rel, 0);
	default:
		return cf__skip_add(w->s, cf__raw(w->node), cf__raw(rel),
		    "not a regular file (device, FIFO or socket)");
	}
}

/* The entries V[0..N) of the current folder, in order. */
static int
walk_entries(struct walk *w, const struct cf__dent *v, size_t n, int depth)
{
	size_t i, mark;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		/* a Kubernetes volume's ..data and ..2026_11_23_...: read through
		 * the links beside them (tls.crt -> ..data/tls.crt) */
		if (strcmp(v[i].name, "..data") == 0 ||
		    (strncmp(v[i].name, "..", 2) == 0 && v[i].name[2] >= '0' &&
		        v[i].name[2] <= '9'))
			continue;
		if ((rc = push(w, v[i].name, &mark)) == 0 &&
		    !(w->in_link && over_linked(w, (const char *)w->path.data + w->rel, &rc)))
			rc = entry(w, &v[i], depth);
		pop(w, mark);
	}
	return rc;
}

static int
walk(struct walk *w, int depth)
{
	const char *rel = (const char *)w->path.data + w->rel;
	struct cf__dent *v;
	size_t n;
	int err, rc;

	/* what cannot be read is a finding, never a skip: certificates in
	 * there are not audited */
	if (depth > MAX_DEPTH)
		return cf__input_finding(w->s, cf__raw(w->node), cf__raw(rel),
		    "folder nested deeper than %d levels; "
		    "not read",
		    MAX_DEPTH);
	struct stat st;
	int pushed = 0;

	if ((err = cf__list_dir((const char *)w->path.data, &v, &n)) != 0)
		return err == ENOMEM ? CF_E_NOMEM
		                     : cf__input_finding(w->s, cf__raw(w->node), cf__raw(rel),
		                           "cannot read folder: %s", CF__ERRSTR(err));
	if (stat((const char *)w->path.data, &st) == 0 && w->depth_known < 64) {
		w->stack[w->depth_known].dev = st.st_dev;
		w->stack[w->depth_known++].ino = st.st_ino;
		pushed = 1;
	}
	rc = walk_entries(w, v, n, depth);
	w->depth_known -= pushed;
	free(v);
	return rc;
}

/* Walk folder DIR as node NODE; V[0..N) are its entries when the caller
 * listed it already (V NULL: list it). */
static int
walk_node(struct cf_scan *s, const char *node, const char *dir, const struct cf__dent *v, size_t n)
{
	struct walk w = {
		.s = s, .node = node, .root = s->n_inputs ? s->inputs[s->n_inputs - 1].real : NULL
	};
	struct stat st;
	int rc;

	if (cf__scan_node_origin(s, cf__raw(node), dir, '/') != 0 ||
	    cf__buf_add(&w.path, dir, strlen(dir)) != 0 || cf__buf_add(&w.path, "/", 1) != 0) {
		cf__buf_free(&w.path);
		return CF_E_NOMEM;
	}
	w.rel = w.path.len;
	if (v && stat(dir, &st) == 0) { /* listed by the caller: the stack's first */
		w.stack[0].dev = st.st_dev;
		w.stack[0].ino = st.st_ino;
		w.depth_known = 1;
	}
	rc = v ? walk_entries(&w, v, n, 0) : walk(&w, 0);
	cf__buf_free(&w.path);
	free(w.seen);
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

	r = cf__read_file(path, NULL, s->policy.limits.max_total_size, "--max-total-size", &data,
	    &len, why, sizeof why);
	if (cf__scan_node_origin(s, cf__raw(node), path, ':') != 0)
		rc = CF_E_NOMEM;
	else if (r < 0)
		rc = cf__input_finding(s, cf__raw(node), cf__raw(label), "%s", why);
	else
		rc = cf__archive_source(s, node, "", data, len, label, 0);
	free(data);
	return rc;
}

/* One entry at the top of a fleet directory: a node folder or archive. */
static int
top_entry(struct cf_scan *s, const char *dir, const char *name)
{
	char *full = cf__path_join(dir, name), *node = NULL;
	size_t asfx = cf__archive_suffix(name);
	struct stat st;
	int rc = 0;

	if (full == NULL)
		return CF_E_NOMEM;
	if (lstat(full, &st) != 0)
		rc = cf__input_finding(
		    s, cf__raw(name), cf__raw(""), "cannot stat: %s", CF__ERRSTR(errno));
	else if (S_ISLNK(st.st_mode))
		rc = cf__skip_add(s, cf__raw(name), cf__raw(""), "symbolic link, not followed");
	else if (S_ISDIR(st.st_mode) && cf__not_a_node(name))
		rc = cf__skip_add(s, cf__raw(""), cf__raw(name), "%s",
		    name[0] == '.' ? "a hidden folder at the top of the "
		                     "fleet (.git, .snapshot): not a node"
		                   : "lost+found at the top of the fleet: not a node");
	else if (S_ISDIR(st.st_mode))
		rc = walk_node(s, name, full, NULL, 0);
	else if (S_ISREG(st.st_mode) && asfx && (node = strndup(name, strlen(name) - asfx)))
		rc = archive_file(s, full, node, name);
	else if (S_ISREG(st.st_mode) && asfx)
		rc = CF_E_NOMEM;
	else if (S_ISREG(st.st_mode) && cf__name_kind(name) == 0)
		rc = 0; /* not a certificate by name: silently */
	else
		rc = cf__skip_add(s, cf__raw(""), cf__raw(name),
		    "not inside a node folder (a fleet directory holds "
		    "INPUT/<node>/...; use --node NAME to scan a folder as one node)");
	free(node);
	free(full);
	return rc;
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
	struct cf__dent *v;
	char *node = NULL;
	size_t i, n;
	int err, rc = 0;

	if ((err = cf__list_dir(path, &v, &n)) != 0)
		return cf__set_error(
		    s, CF_E_INPUT, "%s: cannot read folder: %s", path, CF__ERRSTR(err));
	/* --node, --layout node, or a folder that does not look like a fleet
	 * (under --layout auto): one node */
	if (s->policy.node || s->policy.layout == CF_LAYOUT_NODE ||
	    (s->policy.layout == CF_LAYOUT_AUTO && !cf__looks_like_fleet(path, v, n))) {
		node = s->policy.node ? strdup(s->policy.node) : base_name(path);
		rc = node ? walk_node(s, node, path, v, n) : CF_E_NOMEM; /* listed once */
	} else if (s->policy.layout == CF_LAYOUT_FLEET)
		rc = cf__files_at_fleet_top(s, path, v, n);
	for (i = 0; !node && i < n && rc == 0; i++)
		rc = top_entry(s, path, v[i].name);
	free(node);
	free(v);
	return rc;
}

/* The node of a single file: --node, else its parent folder's name. */
static char *
node_of(const struct cf_scan *s, const char *path)
{
	char *copy, *dir, *out, cwd[4096];

	if (s->policy.node)
		return strdup(s->policy.node);
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
cf__file_source(struct cf_scan *s, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t asfx = cf__archive_suffix(base);
	char *node;
	int rc;

	if (asfx && !s->policy.node) {
		if ((node = strndup(base, strlen(base) - asfx)) == NULL)
			return CF_E_NOMEM;
		rc = archive_file(s, path, node, base);
	} else if ((node = node_of(s, path)) == NULL) {
		return CF_E_NOMEM;
	} else if (asfx) {
		rc = archive_file(s, path, node, base);
	} else {
		/* a single file: located as given, its folder the node's origin;
		 * a link is followed (the INPUT is what the user named) */
		size_t dl = (size_t)(base - path);
		char *dir = strndup(path, dl), *real = NULL;
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			real = realpath(path, NULL);
		rc = dir == NULL ||
		        cf__scan_node_origin(s, cf__raw(node), dl ? dir : "", dl ? '/' : 0) != 0
		    ? CF_E_NOMEM
		    : node_file(s, node, real ? real : path, base, 0);
		free(real);
		free(dir);
	}
	free(node);
	return rc;
}
