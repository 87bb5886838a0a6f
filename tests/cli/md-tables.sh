#!/bin/sh
# md-tables.sh FILE.md: parse the Markdown with cmark-gfm (table extension)
# and check that every table row has as many cells as its header, and that
# no raw HTML got through but the report's first-line comment.
# Prints "tables=N rows=M" on success; exits 1 naming the broken table.
set -u
xml=$(mktemp)
trap 'rm -f "$xml"' EXIT
cmark-gfm -e table -t xml "$1" | sed 's/ xmlns="[^"]*"//' > "$xml" || exit 1
tables=$(xmllint --xpath 'count(//table)' "$xml")
rows=0
i=1
while [ "$i" -le "$tables" ]; do
	head=$(xmllint --xpath "count((//table)[$i]/table_header/table_cell)" "$xml")
	n=$(xmllint --xpath "count((//table)[$i]/table_row)" "$xml")
	j=1
	while [ "$j" -le "$n" ]; do
		c=$(xmllint --xpath "count((//table)[$i]/table_row[$j]/table_cell)" "$xml")
		[ "$c" -eq "$head" ] || { echo "table $i row $j: $c cells, header has $head" >&2; exit 1; }
		j=$((j + 1))
	done
	rows=$((rows + n))
	i=$((i + 1))
done
html=$(xmllint --xpath 'count(//html_inline) + count(//html_block)' "$xml")
comment=$(head -c 4 "$1")
[ "$html" -eq 0 ] || { [ "$html" -eq 1 ] && [ "$comment" = "<!--" ]; } ||
	{ echo "raw HTML in the Markdown: $html nodes" >&2; exit 1; }
echo "tables=$tables rows=$rows"
