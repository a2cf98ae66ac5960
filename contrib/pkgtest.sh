#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The packaging test, run as root on Debian (bookworm) by contrib/check.sh
# after the other tests, or by hand.  In a temporary directory, from a
# copy of the checkout's files (so the checkout and its build/ trees are
# never touched): `make distcheck`; the Debian package built with
# `dpkg-buildpackage -us -uc -b` from the distcheck tarball; lintian on it
# (no error, no warning: fix them or override with a reason in
# debian/uvs.lintian-overrides); the package installed (twice: the
# maintainer scripts are idempotent) and checked: files, conffile, group,
# nothing enabled, `uvsd --version`, `systemd-analyze verify` on the unit
# (when systemd-analyze exists), `mandoc -Tlint` on the man pages, the
# installed smoke test against the installed binaries; then purged, and
# nothing of it may be left installed or running.  Last, the RPM built
# from contrib/uvs.spec with `rpmbuild --nodeps` must hold the same files.
#
# Usage: contrib/pkgtest.sh [--keep]   (--keep: keep the temporary
# directory).  Exit: 0 pass, 1 fail, 77 skipped (not root, not Debian, or
# a tool is missing: contrib/deps.sh installs them).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
keep=no
for a in "$@"; do
	case "$a" in
	--keep) keep=yes ;;
	*) echo "usage: $0 [--keep]" >&2; exit 2 ;;
	esac
done

say()
{
	printf '%s\n' "pkgtest: $*"
}

die()
{
	printf '%s\n' "pkgtest: FAIL: $*" >&2
	exit 1
}

skip()
{
	printf '%s\n' "pkgtest: SKIP: $*"
	exit 77
}

[ "$(id -u)" -eq 0 ] || skip "needs root (it installs the package)"
for t in dpkg-buildpackage dh lintian rpmbuild autoreconf apt-get; do
	command -v "$t" >/dev/null 2>&1 || skip "needs '$t' (contrib/deps.sh)"
done
if dpkg-query -W -f='${Status}' uvs 2>/dev/null | grep -q 'ok installed'; then
	die "a uvs package is installed already; remove it first"
fi

jobs=$(nproc 2>/dev/null || echo 2)
work=$(mktemp -d /tmp/uvs-pkgtest.XXXXXX)
installed=no
cleanup()
{
	rc=$?
	trap - EXIT
	if [ "$installed" = yes ]; then
		say "purging the package after a failure"
		dpkg --purge uvs >/dev/null 2>&1 || true
	fi
	if [ "$keep" = yes ] || [ "$rc" -ne 0 ]; then
		say "kept $work"
	else
		rm -rf "$work"
	fi
	exit "$rc"
}
trap cleanup EXIT

# 1. The checkout's files (committed or not, not ignored), outside it.
say "copying the source to $work/src"
mkdir "$work/src"
if [ -d "$top/.git" ] && command -v git >/dev/null 2>&1; then
	git -C "$top" ls-files -z --cached --others --exclude-standard |
	    (cd "$top" && xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\n" "$f"; done' sh) |
	    tar -C "$top" -cf - -T - | tar -C "$work/src" -xf -
else
	tar -C "$top" --exclude=./build --exclude=./build-asan -cf - . |
	    tar -C "$work/src" -xf -
fi

# 2. make distcheck (its `make check` runs the unit and man-page tests).
say "make distcheck"
cd "$work/src"
{ autoreconf -fi && ./configure -q && make -j"$jobs" distcheck; } \
    >"$work/distcheck.log" 2>&1 || {
	tail -n 40 "$work/distcheck.log"
	die "make distcheck failed (log: $work/distcheck.log)"
}
version=$(sed -n 's/^PACKAGE_VERSION = //p' Makefile)
tarball=$work/src/uvs-$version.tar.gz
[ -f "$tarball" ] || die "no $tarball after make distcheck"
for f in debian/rules contrib/uvs.spec tests/netns/smoke.sh; do
	tar -tzf "$tarball" "uvs-$version/$f" >/dev/null 2>&1 ||
	    die "the tarball lacks $f"
done
if tar -tzf "$tarball" | grep -E '\.(o|a|log|trs)$|/config\.(log|status)$|/Makefile$|/\.deps/'; then
	die "the tarball holds generated files (above)"
fi
say "distcheck passed: $(basename "$tarball")"

# 3. The Debian package, from the tarball.
say "dpkg-buildpackage -us -uc -b"
mkdir "$work/deb"
tar -C "$work/deb" -xzf "$tarball"
(cd "$work/deb/uvs-$version" &&
    dpkg-buildpackage -us -uc -b -j"$jobs") >"$work/deb.log" 2>&1 || {
	tail -n 40 "$work/deb.log"
	die "dpkg-buildpackage failed (log: $work/deb.log)"
}
deb=$(ls "$work"/deb/uvs_*.deb)
changes=$(ls "$work"/deb/uvs_*.changes)
say "built $(basename "$deb")"

# 4. lintian: every error and warning fixed or overridden with a reason.
say "lintian"
lintian --fail-on error,warning --display-info \
    "$changes" >"$work/lintian.log" 2>&1 || {
	cat "$work/lintian.log"
	die "lintian found errors or warnings"
}
sed 's/^/    /' "$work/lintian.log"

# 5. Install, twice: the second run repeats the maintainer scripts.
say "installing $(basename "$deb")"
installed=yes
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "$deb" >"$work/install.log" 2>&1 || {
	cat "$work/install.log"
	die "apt-get install failed"
}
dpkg -i "$deb" >>"$work/install.log" 2>&1 || {
	cat "$work/install.log"
	die "installing the package a second time failed"
}

# 6. What the package installed.
files=$(dpkg -L uvs)
for f in /usr/sbin/uvsd /usr/sbin/uvsadm /usr/sbin/uvsadm-save \
    /usr/sbin/uvsadm-restore /etc/uvs/uvsd.conf /etc/default/uvsd \
    /lib/systemd/system/uvsd.service /usr/share/uvs/smoke/smoke.sh \
    /usr/share/uvs/smoke/lib.sh /usr/share/man/man8/uvsd.8.gz \
    /usr/share/man/man8/uvsadm.8.gz /usr/share/man/man5/uvsd.conf.5.gz \
    /usr/share/man/man8/uvsadm-save.8.gz \
    /usr/share/man/man8/uvsadm-restore.8.gz; do
	printf '%s\n' "$files" | grep -qx "$f" || die "the package lacks $f"
	[ -e "$f" ] || die "$f not installed"
done
dpkg-query -W -f='${Conffiles}\n' uvs | grep -q '^ /etc/uvs/uvsd.conf ' ||
    die "/etc/uvs/uvsd.conf is not a conffile"
getent group uvs >/dev/null || die "no uvs group after the install"
grep -q '^socket_group = "uvs";' /etc/uvs/uvsd.conf ||
    die "/etc/uvs/uvsd.conf does not give the socket to the uvs group"
/usr/sbin/uvsd -t -f /etc/uvs/uvsd.conf >"$work/conftest.log" 2>&1 || {
	cat "$work/conftest.log"
	die "uvsd -t refuses the packaged /etc/uvs/uvsd.conf"
}
for d in /etc/systemd/system/*.wants; do
	[ -e "$d/uvsd.service" ] && die "the install enabled uvsd ($d)"
done
v=$(/usr/sbin/uvsd --version)
case "$v" in
"uvsd $version"*) say "ok: $v" ;;
*) die "uvsd --version says '$v', want uvsd $version" ;;
esac
/usr/sbin/uvsadm --help >/dev/null 2>&1 || die "uvsadm --help fails"
if command -v systemd-analyze >/dev/null 2>&1; then
	# Only uvsd.service's own lines: the host's other units are not ours.
	systemd-analyze verify /lib/systemd/system/uvsd.service \
	    >"$work/verify.log" 2>&1 || true
	if grep 'uvsd\.service' "$work/verify.log"; then
		die "systemd-analyze verify complains about uvsd.service (above)"
	fi
	say "ok: systemd-analyze verify uvsd.service"
else
	say "systemd-analyze not found: unit not verified"
fi
for m in /usr/share/man/man8/uvsd.8.gz /usr/share/man/man8/uvsadm.8.gz \
    /usr/share/man/man5/uvsd.conf.5.gz /usr/share/man/man8/uvsadm-save.8.gz \
    /usr/share/man/man8/uvsadm-restore.8.gz; do
	mandoc -Tlint -W warning "$m" || die "mandoc -Tlint: $m"
done
say "ok: mandoc -Tlint on the man pages"

# 7. The installed smoke test against the installed binaries.
say "/usr/share/uvs/smoke/smoke.sh"
rc=0
(cd / && env -u UVSD -u UVSADM -u UVS_BUILDDIR -u UVS_SRCDIR -u UVS_TEST_TIMED \
    /usr/share/uvs/smoke/smoke.sh) || rc=$?
[ "$rc" -eq 0 ] || die "the installed smoke test exited $rc"

# 8. Purge: nothing of uvs left installed or running.
say "purging"
apt-get purge -y -q uvs >"$work/purge.log" 2>&1 || {
	cat "$work/purge.log"
	die "apt-get purge uvs failed"
}
installed=no
dpkg-query -W -f='${Status}' uvs 2>/dev/null | grep -q 'installed' &&
    die "uvs still installed after the purge"
for f in /usr/sbin/uvsd /usr/sbin/uvsadm /etc/uvs /etc/default/uvsd \
    /lib/systemd/system/uvsd.service /usr/share/uvs; do
	[ -e "$f" ] && die "$f left after the purge"
done
pgrep -f '^/usr/sbin/uvsd( |$)' && die "an installed uvsd still runs"
ip netns list 2>/dev/null | grep '^uvs-smoke-' && die "smoke namespaces left"
nft list table netdev uvs >/dev/null 2>&1 && die "nft table netdev uvs left"
say "ok: purged, nothing left"

# 9. The RPM: built by rpmbuild from the same tarball, the same files.
say "rpmbuild --nodeps -bb contrib/uvs.spec"
mkdir -p "$work/rpm/SOURCES"
cp "$tarball" "$work/rpm/SOURCES/"
rpmbuild --nodeps -bb --define "_topdir $work/rpm" \
    "$work/deb/uvs-$version/contrib/uvs.spec" >"$work/rpm.log" 2>&1 || {
	tail -n 40 "$work/rpm.log"
	die "rpmbuild failed (log: $work/rpm.log)"
}
rpmf=$(ls "$work"/rpm/RPMS/*/uvs-"$version"-*.rpm)
say "built $(basename "$rpmf")"
# Compared as names: man pages without .gz, units without /usr.
norm()
{
	sed -e 's/\.gz$//' -e 's|^/usr/lib/systemd/|/lib/systemd/|' |
	    grep -v -e '^/usr/share/doc/' -e '^/usr/share/lintian/' \
	    -e '^/usr/lib/\.build-id' | sort -u
}
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' |
    norm >"$work/deb.files"
rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpmf" 2>/dev/null |
    awk '$1 !~ /^d/ { print $2 }' | norm >"$work/rpm.files"
if ! diff -u "$work/deb.files" "$work/rpm.files"; then
	die "the RPM and the Debian package install different files (above)"
fi
say "ok: the RPM installs the same $(wc -l <"$work/rpm.files") files"
say "all packaging tests passed"
