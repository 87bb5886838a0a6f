/*
 * private.h - every stage header at once, for the tests, the fuzzers and
 * certfleet-gen (linked with the internal library). The library's own files
 * include their stage's header, never this one (tests/check-include-dag).
 */
#ifndef CERTFLEET_PRIVATE_H
#define CERTFLEET_PRIVATE_H

#include "util/util.h"
#include "core/core.h"
#include "facts/facts.h"
#include "decode/decode.h"
#include "source/source.h"
#include "check/check.h"
#include "report/report.h"

#endif
