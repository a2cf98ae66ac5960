#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Client side of fullnat.sh.  Two modes:
#   echo VIP PORT SIZE VER  one TCP connection to a socat echo behind a
#        PROXY service: sends SIZE random bytes in one write, half-closes,
#        reads to EOF and checks that what came back is exactly the PROXY
#        header (version VER, this socket's addresses) and then the bytes.
#   banner VIP PORT VER FILE  connect and send nothing: a server that
#        reads the PROXY header (into FILE) before its greeting must
#        greet; FILE must hold this connection's header.
#   udpflows VIP PORT N     N UDP flows from N distinct source ports, one
#        datagram each, to an echo; prints how many got their echo.
# Bounded: every socket has a timeout.  Exit 0 on success, 1 on failure.
import os
import select
import socket
import struct
import sys
import time


def proxy_hdr(ver, src, sport, dst, dport):
    v6 = ":" in src
    if ver == "v1":
        return ("PROXY %s %s %s %d %d\r\n" % ("TCP6" if v6 else "TCP4",
                socket.inet_ntop(socket.AF_INET6,
                                 socket.inet_pton(socket.AF_INET6, src))
                if v6 else src,
                socket.inet_ntop(socket.AF_INET6,
                                 socket.inet_pton(socket.AF_INET6, dst))
                if v6 else dst, sport, dport)).encode()
    af = socket.AF_INET6 if v6 else socket.AF_INET
    return (b"\r\n\r\n\x00\r\nQUIT\n" + bytes([0x21, 0x21 if v6 else 0x11]) +
            struct.pack("!H", 36 if v6 else 12) + socket.inet_pton(af, src) +
            socket.inet_pton(af, dst) + struct.pack("!HH", sport, dport))


def echo(vip, port, size, ver):
    data = os.urandom(size)
    s = socket.create_connection((vip, port), timeout=10)
    src, sport = s.getsockname()[:2]
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    got = bytearray()
    deadline = time.time() + 20
    while time.time() < deadline:
        b = s.recv(1 << 16)
        if not b:
            break
        got += b
    s.close()
    want = proxy_hdr(ver, src, sport, vip, port) + data
    if bytes(got) != want:
        print("echo %s:%d %s: got %d bytes, want %d; head %r" %
              (vip, port, ver, len(got), len(want), bytes(got[:60])))
        return 1
    return 0


def banner(vip, port, ver, path):
    s = socket.create_connection((vip, port), timeout=5)
    src, sport = s.getsockname()[:2]
    try:
        got = s.recv(64)
    except socket.timeout:
        got = b""
    s.close()
    if got != b"banner\n":
        print("no greeting without client data: got %r" % got)
        return 1
    want = proxy_hdr(ver, src, sport, vip, port)
    with open(path, "rb") as f:
        hdr = f.read()
    if hdr != want:
        print("server read %r, want %r" % (hdr, want))
        return 1
    return 0


def udpflows(vip, port, n):
    socks = []
    for i in range(n):
        s = socket.socket(socket.AF_INET6 if ":" in vip else socket.AF_INET,
                          socket.SOCK_DGRAM)
        s.setblocking(False)
        s.sendto(b"flow %d" % i, (vip, port))
        socks.append(s)
    ok = set()
    deadline = time.time() + 3
    while time.time() < deadline and len(ok) < n:
        r, _, _ = select.select([s for s in socks if s not in ok], [], [],
                                0.2)
        for s in r:
            try:
                s.recv(64)
                ok.add(s)
            except OSError:
                pass
    for s in socks:
        s.close()
    print(len(ok))
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "banner":
        sys.exit(banner(sys.argv[2], int(sys.argv[3]), sys.argv[4],
                        sys.argv[5]))
    if sys.argv[1] == "echo":
        sys.exit(echo(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                      sys.argv[5]))
    sys.exit(udpflows(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
