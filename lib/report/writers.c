/*
 * writers.c - the table of report writers: a new format is one writer file
 * (defining its row, cf__NAME_writer) and one line here (and its enum
 * cf_format value in certfleet.h). The
 * command line's report options and their usage line come from this table
 * through cf_report_format().
 */
#include <stddef.h>

#include "report/report.h"

extern const struct cf__writer cf__text_writer, cf__junit_writer, cf__markdown_writer,
    cf__json_writer, cf__prom_writer, cf__sarif_writer, cf__html_writer;

/* In the order of the command line's options. */
static const struct cf__writer *const writers[] = {
	&cf__text_writer,
	&cf__junit_writer,
	&cf__markdown_writer,
	&cf__json_writer,
	&cf__prom_writer,
	&cf__sarif_writer,
	&cf__html_writer,
};

const struct cf__writer *
cf__writer_of(enum cf_format format)
{
	size_t i;

	for (i = 0; i < sizeof writers / sizeof writers[0]; i++)
		if (writers[i]->format == format)
			return writers[i];
	return NULL;
}

const char *
cf_report_format(size_t i, enum cf_format *format, const char **help)
{
	size_t k, n = 0;

	for (k = 0; k < sizeof writers / sizeof writers[0]; k++) {
		if (writers[k]->option == NULL || n++ != i)
			continue;
		if (format)
			*format = writers[k]->format;
		if (help)
			*help = writers[k]->help;
		return writers[k]->option;
	}
	return NULL;
}
