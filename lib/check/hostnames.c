/*
 * hostnames.c - tls-cert-name-mismatch: with --expect-name GLOB=TEMPLATE, the
 * leaf at a logical path matching GLOB must name the host TEMPLATE gives
 * for its node ({node}: the node's name) in its subjectAltName, as RFC
 * 6125 matches it: DNS names without regard to case or a final dot, a
 * wildcard only as the whole leftmost label of a name of three labels or
 * more, matching one label; an IP address only an IP entry. The CN is not
 * read (clients ignore it when a SAN is there, and most when it is not).
 */
#include <arpa/inet.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/check.h"

/* A DNS name without its final dot: its length. */
static size_t
dns_len(const char *p, size_t n)
{
	return n && p[n - 1] == '.' ? n - 1 : n;
}

/* Does SAN entry P[0..N) (a DNS name, perhaps a wildcard) cover HOST? */
static int
dns_covers(const char *p, size_t n, const char *host)
{
	size_t hn = dns_len(host, strlen(host)), rest;
	const char *dot;

	n = dns_len(p, n);
	if (n == 0 || hn == 0)
		return 0;
	if (n >= 2 && p[0] == '*' && p[1] == '.') {
		/* "*.b.example": one whole label, and two labels after it */
		if (memchr(p + 2, '.', n - 2) == NULL || (dot = memchr(host, '.', hn)) == NULL ||
		    dot == host)
			return 0;
		rest = hn - (size_t)(dot - host);
		return rest == n - 1 && strncasecmp(dot, p + 1, rest) == 0;
	}
	if (memchr(p, '*', n))
		return 0; /* a partial wildcard: RFC 6125 lets clients refuse it */
	return n == hn && strncasecmp(p, host, n) == 0;
}

int
cf__name_covers(const struct cf__facts *f, const char *host)
{
	unsigned char ip[16];
	size_t pos = 0, iplen = 0;
	struct cf__san san;

	if (inet_pton(AF_INET, host, ip) == 1)
		iplen = 4;
	else if (inet_pton(AF_INET6, host, ip) == 1)
		iplen = 16;
	while (cf__san_next(f, &pos, &san)) {
		if (iplen && san.type == CF__SAN_IP && san.len == iplen &&
		    memcmp(san.value, ip, iplen) == 0)
			return 1;
		if (!iplen && san.type == CF__SAN_DNS &&
		    dns_covers((const char *)san.value, san.len, host))
			return 1;
	}
	return 0;
}

/* TEMPLATE with every {node} made NODE, into OUT. */
static void
expand(const char *tmpl, const char *node, char *out, size_t len)
{
	size_t o = 0;

	while (*tmpl && o + 1 < len) {
		if (strncmp(tmpl, "{node}", 6) == 0) {
			o += (size_t)snprintf(out + o, len - o, "%s", node);
			tmpl += 6;
		} else {
			out[o++] = *tmpl++;
		}
	}
	out[o < len ? o : len - 1] = '\0';
}

int
cf__names_run(struct cf_scan *s)
{
	const struct cf_policy *p = &s->policy;
	char glob[512], host[512], text[1024];
	size_t i, k;
	int rc;

	for (k = 0; k < p->n_expect_names; k++) {
		const char *eq = strchr(p->expect_names[k], '=');
		snprintf(
		    glob, sizeof glob, "%.*s", (int)(eq - p->expect_names[k]), p->expect_names[k]);
		for (i = 0; i < s->n_files; i++) {
			const struct cf__file *file = &s->files[i];
			const struct cf__member *m = cf__first_cert(file);
			if (m == NULL || m->facts->error || m->facts->der == NULL ||
			    !cf__is_leaf(m->facts) || fnmatch(glob, file->path, 0) != 0)
				continue;
			expand(eq + 1, file->node, host, sizeof host);
			if (cf__name_covers(m->facts, host))
				continue;
			snprintf(text, sizeof text,
			    "%s is not among the names of %s (%s; --expect-name %s)", host,
			    m->facts->subject,
			    m->facts->n_sans ? m->facts->sans : "no subjectAltName",
			    p->expect_names[k]);
			if ((rc = cf__finding_add(s, CF__R_CERT_NAME_MISMATCH, file->node,
			         file->path, (int)m->index, (int)m->line, m->facts, "%s", text)) !=
			    0)
				return rc;
		}
	}
	return 0;
}
