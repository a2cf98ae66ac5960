#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build every libFuzzer target tests/fuzz/fuzz_<name>.c against the library
# sources and run each one for a bounded time on a copy of its seed corpus
# tests/fuzz/corpus/<name>/.  New targets are picked up by their file name;
# nothing here lists them.  `make check` runs it with UVS_BUILDDIR (for
# config.h) and UVS_SRCDIR set; by hand it falls back to this script's
# ../.. directory.  Arguments, if any, restrict the run to those <name>s.
#
# Environment: FUZZ_SECONDS per target (default 15; 0 only replays the
# seeds), FUZZ_CC (default clang), FUZZ_KEEP=1 keeps the work directory.
# Exit: 0 all ran clean, 1 a target failed to build or crashed (its log and
# reproducer are kept and named), 77 (skip) without clang or libFuzzer.

set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${UVS_SRCDIR:-$(cd "$here/../.." && pwd)}
builddir=${UVS_BUILDDIR:-$srcdir}
seconds=${FUZZ_SECONDS:-15}
cc=${FUZZ_CC:-clang}
san="-fsanitize=address,undefined"
libs="libconfig libsystemd libmnl libnftables openssl"

if ! command -v "$cc" >/dev/null 2>&1; then
	echo "fuzz: $cc not found, skipping"
	exit 77
fi
case $seconds in
''|*[!0-9]*)
	echo "fuzz: FUZZ_SECONDS must be a number of seconds, not '$seconds'"
	exit 1;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/uvs-fuzz.XXXXXX") || exit 1
keep=${FUZZ_KEEP:-0}
cleanup()
{
	[ "$keep" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# libFuzzer ships apart from clang (libclang-rt-*-dev, compiler-rt).
cat >"$work/probe.c" <<'EOF'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
EOF
if ! "$cc" -fsanitize=fuzzer $san "$work/probe.c" -o "$work/probe" \
    >"$work/probe.log" 2>&1; then
	echo "fuzz: $cc cannot link libFuzzer (install libclang-rt-dev or compiler-rt), skipping"
	exit 77
fi

if ! pkgcflags=$(pkg-config --cflags $libs) ||
    ! pkglibs=$(pkg-config --libs $libs); then
	echo "fuzz: pkg-config cannot find $libs"
	exit 1
fi

# The library, once, instrumented for coverage; an archive, so a target
# pulls in only what it uses.
mkdir "$work/obj"
for f in "$srcdir"/src/*.c "$srcdir"/src/sched/*.c "$srcdir"/src/xmit/*.c; do
	[ -e "$f" ] || continue
	case ${f#"$srcdir"/} in
	src/uvsd.c|src/uvsadm.c)
		continue;;
	esac
	o=$(echo "${f#"$srcdir"/src/}" | tr / _)
	o=$work/obj/${o%.c}.o
	# shellcheck disable=SC2086
	if ! "$cc" -g -O1 -fsanitize=fuzzer-no-link $san -pthread \
	    -I"$builddir" -I"$srcdir/src" -DSYSCONFDIR='"/etc"' \
	    -DRUNSTATEDIR='"/run"' $pkgcflags -c "$f" -o "$o" \
	    >"$work/build.log" 2>&1; then
		echo "fuzz: cannot compile ${f#"$srcdir"/}:"
		cat "$work/build.log"
		keep=0
		exit 1
	fi
done
ar rcs "$work/libuvs-fuzz.a" "$work"/obj/*.o || exit 1

fail=0
ran=0
for t in "$here"/fuzz_*.c; do
	[ -e "$t" ] || continue
	prog=$(basename "$t" .c)
	name=${prog#fuzz_}
	if [ $# -gt 0 ]; then
		case " $* " in
		*" $name "*) ;;
		*) continue;;
		esac
	fi
	ran=$((ran + 1))
	# shellcheck disable=SC2086
	if ! "$cc" -g -O1 -fsanitize=fuzzer $san -pthread -I"$builddir" \
	    -I"$srcdir/src" $pkgcflags "$t" "$work/libuvs-fuzz.a" $pkglibs \
	    -lev -o "$work/$prog" >"$work/$prog.build.log" 2>&1; then
		echo "$prog: FAIL: does not build:"
		cat "$work/$prog.build.log"
		fail=1
		continue
	fi
	corpus=$work/corpus-$name
	mkdir "$corpus"
	if [ -d "$here/corpus/$name" ]; then
		cp "$here/corpus/$name"/* "$corpus"/ 2>/dev/null
	else
		echo "$prog: warning: no seed corpus tests/fuzz/corpus/$name"
	fi
	if [ "$seconds" -eq 0 ]; then
		limit=-runs=0
	else
		limit=-max_total_time=$seconds
	fi
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
	    "$work/$prog" "$limit" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=65600 -print_final_stats=1 \
	    -artifact_prefix="$work/$prog-" "$corpus" \
	    >"$work/$prog.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$work/$prog.log")
	n=$(ls "$corpus" | wc -l)
	if [ $rc -ne 0 ]; then
		echo "$prog: FAIL: exit $rc, log $work/$prog.log," \
		    "reproducer $work/$prog-*"
		grep -E 'ERROR|runtime error|SUMMARY|deadly signal' \
		    "$work/$prog.log" | head -5
		fail=1
		keep=1
	else
		echo "$prog: ok, ${runs:-?} runs in ${seconds}s, corpus $n inputs"
	fi
done
if [ $ran -eq 0 ]; then
	echo "fuzz: no target in $here"
	exit 1
fi
exit $fail
