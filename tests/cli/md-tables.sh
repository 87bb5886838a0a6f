#!/bin/sh
# md-tables.sh FILE.md: parse the Markdown with cmark-gfm (table extension)
# and check that every table row has as many cells as its header, and that
# no raw HTML got through but what the report writes itself: <br> in a
# cell, a <details><summary>…</summary> block and its </details>.
# Prints "tables=N rows=M" on success; exits 1 naming the broken table.
set -u
xml=$(mktemp)
trap 'rm -f "$xml"' EXIT
cmark-gfm -e table -t xml "$1" | sed 's/ xmlns="[^"]*"//' > "$xml" || exit 1
tables=$(xmllint --xpath 'count(//table)' "$xml")
rows=$(xmllint --xpath 'count(//table_row)' "$xml")
# one XPath for every row of every table (a row per xmllint call was
# minutes for a 10,000-node report)
bad=$(xmllint --xpath 'count(//table_row[count(table_cell) != count(../table_header/table_cell)])' "$xml")
[ "$bad" -eq 0 ] || { echo "$bad table rows with more or fewer cells than their header" >&2; exit 1; }
html=$(xmllint --xpath "count(//html_inline[normalize-space(.) != '<br>']) + count(//html_block[not(starts-with(normalize-space(.), '<details><summary>') and substring(normalize-space(.), string-length(normalize-space(.)) - 9) = '</summary>') and normalize-space(.) != '</details>'])" "$xml")
[ "$html" -eq 0 ] || { echo "raw HTML in the Markdown: $html nodes" >&2; exit 1; }
echo "tables=$tables rows=$rows"
