#!/bin/sh
# Runs the real certfleet ($REAL_CERTFLEET) under valgrind memcheck; any
# memory error or leak makes the exit status 99, which no test expects.
# certfleet allocates through jemalloc: memcheck replaces it as it does libc.
exec valgrind -q --soname-synonyms=somalloc="libjemalloc.so*" --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect "$REAL_CERTFLEET" "$@"
