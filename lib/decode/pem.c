/*
 * pem.c - a strict RFC 7468 PEM reader (the strict DER checks are util/der.c).
 *
 * GnuTLS's own PEM reading is lax (mismatched END labels, blank lines in the
 * body, junk before BEGIN all pass), so this reader is ours. It accepts what
 * RFC 7468 section 3 calls "lax" only where the fixture catalogue says a certificate
 * is still readable: explanatory text before BEGIN and between blocks,
 * leading/trailing blanks on body lines, any body line length, CRLF. It
 * records as "lax" (a warning) the legacy label X509 CERTIFICATE, CR-only
 * line endings and text after the last END. Everything else is an error
 * with the line it was found on. The base64 decoder is ours too: the
 * library ones forgive padding faults we must report.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

struct line {
	const unsigned char *p;
	size_t n;
	int no;
	int cr; /* ended by a CR alone */
};

struct reader {
	const unsigned char *text;
	size_t len, pos;
	int no;
	int cr_only; /* a line of a block (BEGIN to END) ended by a CR alone */
};

/* Next line without its terminator; 0 at the end of the text. */
static int
next_line(struct reader *r, struct line *l)
{
	size_t i;

	if (r->pos >= r->len)
		return 0;
	l->p = r->text + r->pos;
	l->no = ++r->no;
	for (i = r->pos; i < r->len && r->text[i] != '\n' && r->text[i] != '\r'; i++)
		;
	l->n = i - r->pos;
	l->cr = 0;
	if (i < r->len && r->text[i] == '\r') {
		if (i + 1 < r->len && r->text[i + 1] == '\n')
			i++;
		else
			l->cr = 1;
	}
	r->pos = i + 1;
	return 1;
}

static int
is_wsp(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static void
trim(struct line *l)
{
	while (l->n && is_wsp(l->p[0])) {
		l->p++;
		l->n--;
	}
	while (l->n && is_wsp(l->p[l->n - 1]))
		l->n--;
}

static int
starts(const struct line *l, const char *s)
{
	size_t k = strlen(s);
	return l->n >= k && memcmp(l->p, s, k) == 0;
}

/* RFC 7468 label grammar: labelchar *( ["-" / SP] labelchar ). */
static int
label_ok(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int c = p[i];
		if (c == '-' || c == ' ') {
			if (i == 0 || i + 1 == n || p[i + 1] == '-' || p[i + 1] == ' ')
				return 0;
		} else if (c < 0x21 || c > 0x7e) {
			return 0;
		}
	}
	return 1;
}

/* Parse "-----KIND LABEL-----" (then only blanks) into *LABEL (a new
 * string): 1, 0 when the line is malformed (*LABEL NULL), or CF_E_NOMEM. */
static int
boundary_label(struct line l, const char *kind, char **label)
{
	char head[16];
	const unsigned char *end;
	size_t n;

	*label = NULL;
	trim(&l);
	snprintf(head, sizeof head, "-----%s ", kind);
	if (!starts(&l, head))
		return 0;
	l.p += strlen(head);
	l.n -= strlen(head);
	end = memmem(l.p, l.n, "-----", 5);
	if (end == NULL)
		return 0;
	n = (size_t)(end - l.p);
	if ((size_t)(end - l.p) + 5 != l.n || !label_ok(l.p, n))
		return 0;
	if ((*label = malloc(n + 1)) == NULL)
		return CF_E_NOMEM;
	memcpy(*label, l.p, n);
	(*label)[n] = '\0';
	return 1;
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Strict base64: length a multiple of 4, '=' only as the last one or two
 * characters, zero bits under the padding. Returns NULL or a reason. */
static const char *
b64_decode(const unsigned char *in, size_t n, struct cf__buf *out)
{
	size_t i, pad = 0;
	unsigned char q[4], o[3];

	if (n == 0)
		return "empty body: no base64 data between BEGIN and END";
	if (n % 4 != 0)
		return "base64 length is not a multiple of 4 (missing or extra characters or "
		       "padding)";
	while (pad < n && in[n - 1 - pad] == '=')
		pad++;
	if (pad > 2)
		return "too much base64 padding ('===')";
	if (memchr(in, '=', n - pad) != NULL)
		return "base64 padding '=' before the end of the body";
	for (i = 0; i < n; i += 4) {
		int k, m = (i + 4 == n) ? 4 - (int)pad : 4;
		for (k = 0; k < 4; k++)
			q[k] = k < m ? (unsigned char)b64_value(in[i + k]) : 0;
		o[0] = (unsigned char)(q[0] << 2 | q[1] >> 4);
		o[1] = (unsigned char)(q[1] << 4 | q[2] >> 2);
		o[2] = (unsigned char)(q[2] << 6 | q[3]);
		if ((m == 3 && (q[2] & 0x03)) || (m == 2 && (q[1] & 0x0f)))
			return "misaligned base64 padding (non-zero bits under '=')";
		if (cf__buf_add(out, o, (size_t)(m - 1)) != 0)
			return "out of memory";
	}
	return NULL;
}

static int block_error(struct cf__pem_block *b, int line, const char *fmt, ...) CF__PRINTF(3, 4);

static int
block_error(struct cf__pem_block *b, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (b->error)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0) {
		char *full = malloc(strlen(msg) + 32);
		if (full == NULL)
			return CF_E_NOMEM;
		sprintf(full, "line %d: %s", line, msg);
		b->error = full;
	} else if ((b->error = strdup(msg)) == NULL) {
		return CF_E_NOMEM;
	}
	return 0;
}

/* Check one body line and append its base64 characters. */
static int
body_line(struct cf__pem_block *b, struct line l, struct cf__buf *b64)
{
	size_t i;
	char what[64];

	trim(&l);
	if (l.n == 0)
		return block_error(b, l.no, "blank line inside the base64 body%s", "");
	if (memchr(l.p, ':', l.n) != NULL)
		return block_error(b, l.no, "RFC 1421 header (%s) inside a %s body",
		    "Proc-Type or similar", b->label);
	for (i = 0; i < l.n; i++) {
		if (b64_value(l.p[i]) < 0 && l.p[i] != '=') {
			snprintf(what, sizeof what, "0x%02x at column %zu", l.p[i], i + 1);
			return block_error(b, l.no, "invalid base64 character %s", what);
		}
	}
	return cf__buf_add(b64, l.p, l.n);
}

/* Finish a block: decode the body and check the DER shape. */
static int
block_finish(struct cf__pem_block *b, struct cf__buf *b64)
{
	struct cf__buf der = { 0 };
	const char *why;
	size_t off = 0, used;
	char at[64];
	int rc = 0, mode;

	if (b->error)
		goto out;
	if ((why = b64_decode(b64->data, b64->len, &der)) != NULL) {
		rc = block_error(b, b->line, "%s", why);
		goto out;
	}
	mode = b->encrypted ? CF__PEM_DER_NONE : cf__pem_label_der(b->label);
	why = mode == CF__PEM_DER_WHOLE ? cf__der_check(der.data, der.len, &off)
	    : mode == CF__PEM_DER_FIRST ? cf__der_check_first(der.data, der.len, &off, &used)
	                                : NULL;
	if (why != NULL) {
		snprintf(at, sizeof at, "%s at byte %zu", why, off);
		rc = block_error(b, b->line, "invalid DER: %s", at);
		goto out;
	}
	b->der = der.data;
	b->der_len = der.len;
	der.data = NULL;
out:
	cf__buf_free(&der);
	b64->len = 0;
	return rc;
}

static int
add_block(struct cf__pem *pem, char *label, int line)
{
	struct cf__pem_block *nb;

	if (cf__grow((void **)&pem->blocks, &pem->cap, pem->n + 1, sizeof *nb, 4) != 0) {
		free(label);
		return CF_E_NOMEM;
	}
	nb = pem->blocks;
	memset(&nb[pem->n], 0, sizeof *nb);
	nb[pem->n].index = (int)(pem->n + pem->dropped);
	nb[pem->n].label = label;
	nb[pem->n].line = line;
	pem->n++;
	if (strcmp(label, "X509 CERTIFICATE") == 0)
		pem->lax |= CF__LAX_LEGACY_LABEL;
	return 0;
}

/* May a block of LABEL carry RFC 1421 headers (OpenSSL's legacy encrypted
 * keys: "Proc-Type: 4,ENCRYPTED", "DEK-Info: ...", a blank line)? */
static int
headers_allowed(const char *label)
{
	size_t n = strlen(label);

	return n >= 11 && strcmp(label + n - 11, "PRIVATE KEY") == 0;
}

/* Read lines of one block after its BEGIN, up to and including END. */
static int
read_block(struct reader *r, struct cf__pem_block *b, struct cf__buf *b64)
{
	struct line l;
	char *end;
	int rc, headers = 0;

	while (next_line(r, &l)) {
		struct line t = l;
		trim(&t);
		r->cr_only |= l.cr;
		if (b64->len == 0 && !b->error && headers_allowed(b->label) &&
		    (memchr(t.p, ':', t.n) != NULL || (headers && t.n == 0))) {
			if (t.n >= 10 && memcmp(t.p, "Proc-Type:", 10) == 0 &&
			    memmem(t.p, t.n, "ENCRYPTED", 9) != NULL)
				b->encrypted = 1;
			headers = 1;
			continue;
		}
		if (t.n && t.p[0] == '-') {
			if ((rc = boundary_label(l, "END", &end)) < 0)
				return rc;
			if (rc == 0)
				rc = block_error(b, l.no, "malformed END line%s", "");
			else if (strcmp(end, b->label) != 0)
				rc = block_error(
				    b, l.no, "END label does not match BEGIN label '%s'", b->label);
			else
				rc = 0;
			free(end);
			return rc ? rc : block_finish(b, b64);
		}
		if ((rc = body_line(b, l, b64)) != 0)
			return rc;
	}
	rc = block_error(b, b->line, "missing END line for this BEGIN%s", "");
	return rc ? rc : block_finish(b, b64);
}

/* A file of a million broken blocks must not cost a million records: past
 * CF__MAX_PER_CHECK blocks with an error, another one is counted and freed. */
static void
drop_if_over(struct cf__pem *pem)
{
	struct cf__pem_block *b = &pem->blocks[pem->n - 1];

	if (b->error == NULL || ++pem->n_bad <= CF__MAX_PER_CHECK)
		return;
	if (pem->dropped++ == 0) {
		pem->first_dropped_line = b->line;
		pem->first_dropped_index = b->index;
	}
	free(b->label);
	free(b->der);
	free(b->error);
	pem->n--;
}

int
cf__pem_parse(const unsigned char *text, size_t len, struct cf__pem *pem)
{
	struct reader r = { .text = text, .len = len };
	struct cf__buf b64 = { 0 };
	struct line l;
	char *label;
	int rc = 0, malformed;

	memset(pem, 0, sizeof *pem);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		r.pos = 3; /* a UTF-8 byte order mark */
	while (next_line(&r, &l)) {
		struct line t = l;
		trim(&t);
		if (!starts(&t, "-----BEGIN") &&
		    !(t.n > 5 && t.p[0] == '-' && memmem(t.p, t.n, "BEGIN", 5) != NULL)) {
			if (pem->n && t.n && !pem->trailing_line)
				pem->trailing_line = l.no;
			continue;
		}
		pem->trailing_line = 0; /* text between blocks is allowed */
		r.cr_only |= l.cr;
		if ((rc = boundary_label(l, "BEGIN", &label)) < 0)
			goto out;
		malformed = rc == 0;
		if (malformed && (label = strdup("?")) == NULL) {
			rc = CF_E_NOMEM;
			goto out;
		}
		if ((rc = add_block(pem, label, l.no)) != 0 ||
		    (malformed &&
		        (rc = block_error(
		             &pem->blocks[pem->n - 1], l.no, "malformed BEGIN line%s", "")) != 0))
			goto out;
		pem->blocks[pem->n - 1].text_off = (size_t)(l.p - text);
		if ((rc = read_block(&r, &pem->blocks[pem->n - 1], &b64)) != 0)
			goto out;
		pem->blocks[pem->n - 1].text_len =
		    (r.pos < len ? r.pos : len) - pem->blocks[pem->n - 1].text_off;
		drop_if_over(pem);
	}
	if (r.cr_only)
		pem->lax |= CF__LAX_CR_ONLY;
	if (pem->trailing_line)
		pem->lax |= CF__LAX_TRAILING;
	if (pem->n == 0) {
		pem->error = strdup(len == 0 ? "empty file: no certificate"
		                             : "no PEM BEGIN line and not DER: no certificate");
		pem->error_line = len == 0 ? 0 : 1;
		if (pem->error == NULL)
			rc = CF_E_NOMEM;
	}
out:
	cf__buf_free(&b64);
	return rc;
}

void
cf__pem_free(struct cf__pem *pem)
{
	size_t i;

	for (i = 0; i < pem->n; i++) {
		free(pem->blocks[i].label);
		free(pem->blocks[i].der);
		free(pem->blocks[i].error);
	}
	free(pem->blocks);
	free(pem->error);
	memset(pem, 0, sizeof *pem);
}
