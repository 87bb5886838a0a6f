/*
 * source.h - the source stage: INPUTs (folders, files, archives, standard
 * input) into jobs (submit.c hands them to the pipeline).
 */
#ifndef CERTFLEET_SOURCE_H
#define CERTFLEET_SOURCE_H

#include <sys/stat.h>

#include "decode/decode.h"

/* One file's bytes from a source: NODE and PATH raw (not yet sanitized);
 * DATA (malloc'd, or NULL when LEN is 0) is taken over in every case. */
int cf__scan_add_file(
    struct cf_scan *s, struct cf__raw node, struct cf__raw path, unsigned char *data, size_t len);
/* One file on disk, FULL, to be read by a worker (cf__read_file). */
int cf__scan_add_path(
    struct cf_scan *s, struct cf__raw node, struct cf__raw path, const char *full);

/* ---- Kubernetes dumps (k8s_source.c) ---------------------------------------------- */
/* Is PATH named like a dump (.yaml, .yml, .json, kubeconfig)? */
int cf__k8s_name(const char *path);
/* Do the first 64 KiB of DATA claim a Kubernetes kind (a line "kind:
 * Secret|ConfigMap|Config|List", YAML or JSON) or hold a kubeconfig's
 * clusters or users? Read as a dump whatever the file's name. */
int cf__k8s_sniff(const void *data, size_t n);
/* The same over all N bytes: a file named like a dump (.yaml, .json) is
 * parsed as one only when it claims a kind (kubectl writes `kind` after
 * `data`, which may be large) or is named kubeconfig. */
int cf__k8s_claims(const void *data, size_t n);
/* YAML nesting read in a dump, at most (deeper is refused, said). */
#define CF__K8S_DEPTH 64
/* The certificate entries of a dump's bytes as files of NODE at
 * PATH#NAMESPACE/NAME/KEY: 1 read as a dump, 0 not a dump (the decoders may
 * read the bytes), or CF_E_NOMEM. DATA stays the caller's. */
int cf__k8s_expand(struct cf_scan *s, struct cf__raw node, struct cf__raw path,
    const unsigned char *data, size_t len);

/* Names in source/ are raw (read from folders, archives, dumps): plain
 * const char * inside a source, struct cf__raw (util.h) where they leave
 * it for the model. */

/* ---- the sources (sources.c) ----------------------------------------------------- */
struct cf__source {
	const char *name;
	/* 1 when this source reads PATH (ST: its stat(2)) */
	int (*probe)(const char *path, const struct stat *st);
	/* read PATH into jobs (their I/O on the workers through the jobs'
	 * fetch hook where it can): 0, CF_E_INPUT, CF_E_NOMEM */
	int (*add)(struct cf_scan *s, const char *path);
};
/* The table, ended by NULL. */
extern const struct cf__source *const cf__sources[];


/* A folder's entry (listing.c). */
struct cf__dent {
	char *name;
	unsigned char type; /* DT_* from readdir, DT_UNKNOWN when it did not say */
};
/* The entries of folder PATH, sorted, in *V (N entries, one allocation for
 * the array and the names). 0, or an errno. */
int cf__list_dir(const char *path, struct cf__dent **v, size_t *n);
/* "A/B", allocated; NULL out of memory. */
char *cf__path_join(const char *a, const char *b);

/* The layout of a folder INPUT (layout.c). Is NAME, at the top of a fleet
 * directory, a folder that is no node (a hidden one, lost+found)? */
int cf__not_a_node(const char *name);
/* Would the folder PATH, whose entries are V[0..N), be read as a fleet
 * under --layout auto? 1 or 0. */
int cf__looks_like_fleet(const char *path, const struct cf__dent *v, size_t n);
/* Under --layout fleet, a file at the top of PATH that is a certificate
 * or key by name is CF_E_USAGE (said in S's error); else 0. */
int cf__files_at_fleet_top(struct cf_scan *s, const char *path, const struct cf__dent *v, size_t n);
/* A folder of node folders and node archives, or of one node's files. */
int cf__dir_source(struct cf_scan *s, const char *path);
/* A single file or archive: one node (--node, or the archive's stem, or
 * the file's folder's name). */
int cf__file_source(struct cf_scan *s, const char *path);
/* Read an archive held in memory as node NODE; DEPTH counts nesting. */
int cf__archive_source(struct cf_scan *s, const char *node, const char *prefix,
    const unsigned char *data, size_t len, const char *label, int depth);

#endif
