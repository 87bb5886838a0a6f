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

/* N digits at *P (moved past them): their value, or -1. */
static int
digits_at(const char **p, int n)
{
	int v = 0;

	while (n--) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (*(*p)++ - '0');
	}
	return v;
}

int
cf__valid_date(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);

	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] + leap;
}

int
cf_parse_time(const char *text, int64_t *out)
{
	const char *p = text;
	char *end;
	long long v;
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
	int64_t t;

	if (text == NULL || *text == '\0')
		return CF_E_USAGE;
	if (text[0] == '@') {
		errno = 0;
		v = strtoll(text + 1, &end, 10);
		if (errno || end == text + 1 || *end || v < CF__TIME_MIN || v > CF__TIME_MAX)
			return CF_E_USAGE;
		*out = v;
		return 0;
	}
	/* RFC 3339: YYYY-MM-DD(T|t| )HH:MM:SS[.frac](Z|z|+HH:MM|-HH:MM) */
	if ((y = digits_at(&p, 4)) < 0 || *p++ != '-' || (mo = digits_at(&p, 2)) < 0 ||
	    *p++ != '-' || (d = digits_at(&p, 2)) < 0 || (*p != 'T' && *p != 't' && *p != ' ') ||
	    !*p++ || (h = digits_at(&p, 2)) < 0 || *p++ != ':' || (mi = digits_at(&p, 2)) < 0 ||
	    *p++ != ':' || (se = digits_at(&p, 2)) < 0)
		return CF_E_USAGE;
	if (*p == '.') { /* fractional seconds are dropped */
		if (!isdigit((unsigned char)*++p))
			return CF_E_USAGE;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		sign = 0;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if ((oh = digits_at(&p, 2)) < 0 || *p++ != ':' || (om = digits_at(&p, 2)) < 0 ||
		    *p || oh > 23 || om > 59)
			return CF_E_USAGE;
	} else {
		return CF_E_USAGE;
	}
	if (!cf__valid_date(y, mo, d) || h > 23 || mi > 59 || se > 60)
		return CF_E_USAGE;
	t = se == 60; /* a leap second: read as the next second */
	se -= se == 60;
	t += cf__days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
	t -= sign * (oh * 3600 + om * 60);
	if (t < CF__TIME_MIN || t > CF__TIME_MAX)
		return CF_E_USAGE;
	*out = t;
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
	if (strcmp(end, "s") == 0 || *end == '\0')
		mul = 1;
	else if (strcmp(end, "m") == 0)
		mul = 60;
	else if (strcmp(end, "h") == 0)
		mul = 3600;
	else if (strcmp(end, "d") == 0)
		mul = 86400;
	else if (strcmp(end, "w") == 0)
		mul = 7 * 86400;
	else
		return CF_E_USAGE;
	if (v > INT64_MAX / mul)
		return CF_E_USAGE;
	*out = (int64_t)v * mul;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (any year). */
int64_t
cf__days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The date of day Z since 1970-01-01. */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int
cf_format_time(int64_t t, char *buf, size_t len)
{
	int64_t days, secs, y;
	unsigned m, d;

	/* 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z: the years of X.509
	 * (GeneralizedTime's four digits) */
	if (t < CF__TIME_MIN_X509 || t > CF__TIME_MAX) {
		if (len)
			buf[0] = '\0';
		return CF_E_USAGE;
	}
	days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	secs = t - days * 86400;
	civil_from_days(days, &y, &m, &d);
	if ((size_t)snprintf(buf, len, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", (long long)y, m, d,
	        (long long)(secs / 3600), (long long)(secs / 60 % 60),
	        (long long)(secs % 60)) >= len)
		return CF_E_USAGE;
	return 0;
}

void
cf__span(int64_t secs, char *buf, size_t len)
{
	int64_t a = secs < 0 ? -secs : secs;

	if (a >= 86400)
		snprintf(
		    buf, len, "%lldd %lldh", (long long)(a / 86400), (long long)(a % 86400 / 3600));
	else if (a >= 3600)
		snprintf(
		    buf, len, "%lldh %lldm", (long long)(a / 3600), (long long)(a % 3600 / 60));
	else
		snprintf(buf, len, "%llds", (long long)a);
}
