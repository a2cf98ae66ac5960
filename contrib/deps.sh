#!/bin/sh
# Install what uvs needs to build and to run its tests and demo, on
# Debian (bookworm), as root; quiet when everything is there already.
# The last line is for the packaging test (contrib/pkgtest.sh).
set -eu

PKGS="build-essential autoconf automake pkg-config libconfig-dev libev-dev
libsystemd-dev libjemalloc-dev libcmocka-dev libmnl-dev libnftables-dev
nftables iproute2 ethtool nginx-light libnginx-mod-stream haproxy socat
iperf3 wrk curl clang libusrsctp-dev
libclang-rt-14-dev python3 procps mandoc systemd libssl-dev openssl
dpkg-dev debhelper lintian rpm fakeroot"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# nginx-light starts nginx on port 80 when installed; tests run their own.
# haproxy and libnginx-mod-stream (nginx's stream module) are the full
# proxies tests/bench/bench.sh compares uvsd with; it runs its own too.
# systemd brings systemd-analyze (unit checks); without systemd-sysv it
# does not become init, so it is harmless on a machine without systemd.
apt-get install -y -q --no-install-recommends $missing >/dev/null
