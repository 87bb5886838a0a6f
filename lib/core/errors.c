/*
 * errors.c - what the return codes mean, and the library's version.
 */
#include "core/core.h"

#ifndef CERTFLEET_VERSION
#error "CERTFLEET_VERSION comes from the build (the project's version)"
#endif

const char *
cf_version(void)
{
	return CERTFLEET_VERSION;
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
