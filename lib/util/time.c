/*
 * time.c - RFC 3339 and @EPOCH times, durations, spans of time in words.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/util.h"

int
cf_parse_time(const char *text, int64_t *out)
{
	struct tm tm;
	const char *rest;
	char *end;
	long long v;
	int64_t t, off = 0;

	if (text == NULL || *text == '\0')
		return CF_E_USAGE;
	if (text[0] == '@') {
		errno = 0;
		v = strtoll(text + 1, &end, 10);
		if (errno || end == text + 1 || *end)
			return CF_E_USAGE;
		*out = v;
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	rest = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
	if (rest == NULL)
		rest = strptime(text, "%Y-%m-%d %H:%M:%S", &tm);
	if (rest == NULL)
		return CF_E_USAGE;
	if (*rest == '.') {               /* fractional seconds are dropped */
		rest++;
		while (isdigit((unsigned char)*rest))
			rest++;
	}
	if (strcmp(rest, "Z") == 0 || strcmp(rest, "z") == 0) {
		off = 0;
	} else if ((rest[0] == '+' || rest[0] == '-') && isdigit((unsigned char)rest[1]) &&
	    isdigit((unsigned char)rest[2]) && rest[3] == ':' &&
	    isdigit((unsigned char)rest[4]) && isdigit((unsigned char)rest[5]) && rest[6] == '\0') {
		off = ((rest[1] - '0') * 10 + (rest[2] - '0')) * 3600 +
		    ((rest[4] - '0') * 10 + (rest[5] - '0')) * 60;
		if (rest[0] == '-')
			off = -off;
	} else {
		return CF_E_USAGE;
	}
	t = (int64_t)timegm(&tm);
	*out = t - off;
	return 0;
}

int
cf_parse_duration(const char *text, int64_t *out)
{
	char *end;
	long long v;
	int64_t mul;

	if (text == NULL || !isdigit((unsigned char)*text))
		return CF_E_USAGE;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || v < 0)
		return CF_E_USAGE;
	if (strcmp(end, "s") == 0 || *end == '\0') mul = 1;
	else if (strcmp(end, "m") == 0) mul = 60;
	else if (strcmp(end, "h") == 0) mul = 3600;
	else if (strcmp(end, "d") == 0) mul = 86400;
	else if (strcmp(end, "w") == 0) mul = 7 * 86400;
	else return CF_E_USAGE;
	if (v > INT64_MAX / mul)
		return CF_E_USAGE;
	*out = (int64_t)v * mul;
	return 0;
}

int
cf_format_time(int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return CF_E_USAGE;
	return 0;
}

void
cf__span(int64_t secs, char *buf, size_t len)
{
	int64_t a = secs < 0 ? -secs : secs;

	if (a >= 86400)
		snprintf(buf, len, "%lldd %lldh", (long long)(a / 86400), (long long)(a % 86400 / 3600));
	else if (a >= 3600)
		snprintf(buf, len, "%lldh %lldm", (long long)(a / 3600), (long long)(a % 3600 / 60));
	else
		snprintf(buf, len, "%llds", (long long)a);
}
