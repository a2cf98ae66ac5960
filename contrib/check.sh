#!/bin/sh
# Run every uvs test from a clean checkout: install what the build and the
# tests need (Debian, as root), build with warnings as errors, run `make
# check` (unit tests, fuzz targets' bounded runs, network-namespace tests),
# then build again under ASan/UBSan and run the unit and network tests
# there too (the fuzz targets always run sanitized); last, the packaging
# test (contrib/pkgtest.sh: make distcheck, the Debian package built,
# linted, installed, smoke-tested and purged, the RPM built).
# Usage: contrib/check.sh [--no-deps] [--no-asan] [--no-pkg]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
deps=yes asan=yes pkg=yes
for a in "$@"; do
	case "$a" in
	--no-deps) deps=no ;;
	--no-asan) asan=no ;;
	--no-pkg) pkg=no ;;
	*) echo "usage: $0 [--no-deps] [--no-asan] [--no-pkg]" >&2; exit 2 ;;
	esac
done

if [ "$deps" = yes ]; then
	"$top/contrib/deps.sh"
fi

jobs=$(nproc 2>/dev/null || echo 2)
# A tree configured in place (./configure && make) blocks out-of-tree
# builds; clean it first.
[ -f Makefile ] && make distclean >/dev/null 2>&1
autoreconf -fi >/dev/null
# Out of tree, so that the sanitizer build can sit beside it.
rm -rf build && mkdir build && cd build
../configure -q
make -j"$jobs"
# failed_logs: the end of every failed test's log, for CI's output.
failed_logs()
{
	for f in $(find tests -name '*.log' ! -name test-suite.log); do
		if grep -q '^:test-result: FAIL\|^:test-result: ERROR' "${f%.log}.trs" 2>/dev/null; then
			echo "===== $f"; tail -n 60 "$f"
		fi
	done
}
status=0
make -j1 check || status=$?
if [ $status -ne 0 ]; then
	failed_logs
	exit $status
fi

if [ "$asan" = yes ]; then
	# A second tree, so the main build stays as it is.
	cd "$top" && rm -rf build-asan && mkdir build-asan && cd build-asan
	../configure -q --enable-sanitizers
	make -j"$jobs" uvsd uvsadm
	status=0
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    make -j1 check TESTS='$(UNIT_TESTS) $(NETNS_TESTS)' || status=$?
	if [ $status -ne 0 ]; then
		failed_logs
		exit $status
	fi
fi
if [ "$pkg" = yes ]; then
	# Works on its own copy of the tree; 77: skipped (not root).
	status=0
	"$top/contrib/pkgtest.sh" || status=$?
	if [ $status -eq 77 ]; then
		echo "check.sh: packaging test skipped"
	elif [ $status -ne 0 ]; then
		exit $status
	fi
fi
echo "check.sh: all tests passed"
