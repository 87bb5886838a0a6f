/*
 * source.h - the source stage: INPUTs (folders, files, archives, standard
 * input) into jobs (submit.c hands them to the pipeline).
 */
#ifndef CERTFLEET_SOURCE_H
#define CERTFLEET_SOURCE_H

#include "decode/decode.h"

/* One file's bytes from a source: NODE and PATH raw (not yet sanitized);
 * DATA (malloc'd, or NULL when LEN is 0) is taken over in every case. */
int cf__scan_add_file(struct cf_scan *s, const char *node, const char *path,
    unsigned char *data, size_t len);
/* One file on disk, FULL, to be read by a worker (cf__read_file). */
int cf__scan_add_path(struct cf_scan *s, const char *node, const char *path, const char *full);
int cf__dir_source(struct cf_scan *s, const char *path);
int cf__file_source(struct cf_scan *s, const char *path, const char *node);
/* Read an archive held in memory as node NODE; DEPTH counts nesting. */
int cf__archive_source(struct cf_scan *s, const char *node, const char *prefix,
    const unsigned char *data, size_t len, const char *label, int depth);

#endif
