/*
 * errors.c - what the return codes mean, and the library's version.
 */
#include <pthread.h>
#include <stdio.h>

#include <archive.h>
#include <gnutls/gnutls.h>
#include <jansson.h>
#include <libxml/xmlversion.h>

#include "core/core.h"

#ifndef CERTFLEET_VERSION
#error "CERTFLEET_VERSION comes from the build (the project's version)"
#endif

const char *
cf_version(void)
{
	return CERTFLEET_VERSION;
}

static char libraries[256];
static pthread_once_t libraries_once = PTHREAD_ONCE_INIT;

static void
name_libraries(void)
{
	/* the versions running, not those built against (a newer shared
	 * GnuTLS or libarchive shows) */
	snprintf(libraries, sizeof libraries, "GnuTLS %s, %s, jansson %s, libxml2 %s",
	    gnutls_check_version(NULL), archive_version_string(), JANSSON_VERSION,
	    LIBXML_DOTTED_VERSION);
}

const char *
cf_version_libraries(void)
{
	pthread_once(&libraries_once, name_libraries);
	return libraries;
}

const char *
cf_strerror(int code)
{
	switch (code) {
	case CF_OK: return "success";
	case CF_E_USAGE: return "bad argument or option value";
	case CF_E_INPUT: return "input cannot be read";
	case CF_E_OUTPUT: return "report cannot be written";
	case CF_E_NOMEM: return "out of memory";
	case CF_E_INTERNAL: return "internal error";
	default: return "unknown error code";
	}
}
