/* show.h - `certfleet show` (show.c). */
#ifndef CERTFLEET_SHOW_H
#define CERTFLEET_SHOW_H

#include <stdio.h>

/* A PROPERTY/VALUE table for every certificate and key in PATH, then its
 * findings, to OUT. Returns 0, or a CF_E_* code with a located reason in
 * ERRBUF (ERRLEN bytes) when PATH holds no readable certificate or key. */
int show_file(const char *path, FILE *out, char *errbuf, size_t errlen);

#endif
