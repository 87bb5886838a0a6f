/*
 * writers.c - the table of report writers: a new format is one writer file
 * and one row here (and its enum cf_format value in certfleet.h). The
 * command line's report options and their usage line come from this table
 * through cf_report_format().
 */
#include <stddef.h>

#include "report/report.h"

static const struct cf__writer writers[] = {
	{ CF_FMT_TEXT, "text", NULL, "terminal summary", cf__report_text },
	{ CF_FMT_JUNIT, "junit", "junit", "JUnit XML", cf__report_junit },
	{ CF_FMT_MARKDOWN, "markdown", "markdown", "Markdown", cf__report_markdown },
	{ CF_FMT_JSON, "json", "json", "JSON", cf__report_json },
	{ CF_FMT_PROM, "prom", "prom", "Prometheus text exposition", cf__report_prom },
	{ CF_FMT_SARIF, "sarif", "sarif", "SARIF 2.1.0", cf__report_sarif },
	{ CF_FMT_HTML, "html", "html", "self-contained HTML with an expiry timeline",
	    cf__report_html },
};

const struct cf__writer *
cf__writer_of(enum cf_format format)
{
	size_t i;

	for (i = 0; i < sizeof writers / sizeof writers[0]; i++)
		if (writers[i].format == format)
			return &writers[i];
	return NULL;
}

const char *
cf_report_format(size_t i, enum cf_format *format, const char **help)
{
	size_t k, n = 0;

	for (k = 0; k < sizeof writers / sizeof writers[0]; k++) {
		if (writers[k].option == NULL || n++ != i)
			continue;
		if (format)
			*format = writers[k].format;
		if (help)
			*help = writers[k].help;
		return writers[k].option;
	}
	return NULL;
}
