#!/bin/sh
# Runs the real certfleet ($REAL_CERTFLEET) under valgrind memcheck; any
# memory error or leak makes the exit status 99, which no test expects.
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect "$REAL_CERTFLEET" "$@"
