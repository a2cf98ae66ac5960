# SPDX-License-Identifier: GPL-2.0-or-later
#
# Helpers for the network-namespace tests, the benchmark and the demo.
# A test sources this file and calls uvs_init <name> <seconds>: that
# re-runs the script under timeout(1) (the whole process group gets
# SIGTERM at the limit, and the EXIT trap still cleans up), skips (77)
# without root or a needed tool, and arms a trap that kills every process
# the test started and deletes every namespace it made.  Namespaces are
# named uvs-<test>-<pid>-<role>; addresses exist only inside them, the
# host's interfaces are never touched.  Waiting is bounded polling
# (wait_until), never a long sleep.  Exit: 0 pass, 1 fail, 77 skip.
#
# UVS_LB=nft makes the load-balancer helpers (lb_*) program the kernel
# instead of uvsd (netdev "fwd" for dr, nat-table dnat for nat), so the
# topologies can be checked without uvsd.  OFFLOADS=off turns tx
# checksumming, TSO and GSO off on the client and real-server sides.
# UVSD_ARGS replaces uvsd's default test arguments "--workers 2" (e.g.
# "--workers 1 --tx-mode ring"); UVS_KEEP=1 keeps the temporary directory
# (logs, nginx configurations) after the test.

UVS_SCRIPT_ARGS=("$@")	# sourced without arguments: the script's own
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=${UVS_SRCDIR:-$(cd "$LIB_DIR/../.." && pwd)}
BUILDDIR=${UVS_BUILDDIR:-$SRCDIR}
if [ -z "$UVS_BUILDDIR" ] && [ ! -f "$SRCDIR/configure.ac" ]; then
	# Installed with the package (/usr/share/uvs/smoke), not in a source
	# tree: test the installed binaries.
	UVSD=${UVSD:-$(PATH=$PATH:/usr/sbin:/usr/local/sbin command -v uvsd)}
	UVSADM=${UVSADM:-$(PATH=$PATH:/usr/sbin:/usr/local/sbin command -v uvsadm)}
fi
UVSD=${UVSD:-$BUILDDIR/uvsd}
UVSADM=${UVSADM:-$BUILDDIR/uvsadm}
UVS_LB=${UVS_LB:-uvsd}
OFFLOADS=${OFFLOADS:-on}

T_NAME=
T_LIMIT=
TMPD=
FAILS=0
PIDS=()
NS_LIST=()
UVSD_PID=
UVSD_SOCK=
UVSD_LOG=
UVSD_N=0

# Lab addresses (lab_up), see the drawing there.
C_IP=10.0.1.2
D0_IP=10.0.1.1
D1_IP=10.0.2.1
RT0_IP=10.0.1.254
RT1_IP=10.0.2.254
RS_IP=(none 10.0.2.11 10.0.2.12 10.0.2.13)
VIP_DR=203.0.113.10
VIP_NAT=203.0.113.20
# IPv6 (LAB_V6=1 before lab_up): the same drawing, 2001:db8:1::/64 for
# the client LAN, 2001:db8:2::/64 for the servers, VIPs in 2001:db8:113::.
LAB_V6=${LAB_V6:-0}
C6_IP=2001:db8:1::2
D06_IP=2001:db8:1::1
D16_IP=2001:db8:2::1
RT06_IP=2001:db8:1::fe
RT16_IP=2001:db8:2::fe
RS6_IP=(none 2001:db8:2::11 2001:db8:2::12 2001:db8:2::13)
VIP6_DR=2001:db8:113::10
VIP6_NAT=2001:db8:113::20

log()
{
	printf '%s\n' "[$T_NAME] $*"
}

# A failed check: reported, counted, the test goes on.
fail()
{
	printf '%s\n' "FAIL: [$T_NAME] $*"
	FAILS=$((FAILS + 1))
}

# A failure after which going on makes no sense.
die()
{
	printf '%s\n' "FAIL: [$T_NAME] $*"
	FAILS=$((FAILS + 1))
	exit 1
}

skip()
{
	printf '%s\n' "SKIP: [$T_NAME] $*"
	exit 77
}

pass()
{
	log "ok: $*"
}

# End of a test: 0 if no check failed, else 1 (the EXIT trap cleans up).
finish()
{
	if [ "$FAILS" -gt 0 ]; then
		printf '%s\n' "FAIL: [$T_NAME] $FAILS check(s) failed"
		exit 1
	fi
	printf '%s\n' "PASS: [$T_NAME]"
	exit 0
}

need_tools()
{
	local t

	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "needs '$t'"
	done
}

need_uvsd()
{
	[ "$UVS_LB" = uvsd ] || skip "needs uvsd (UVS_LB=$UVS_LB)"
	[ -x "$UVSD" ] || skip "uvsd not built ($UVSD)"
	[ -x "$UVSADM" ] || skip "uvsadm not built ($UVSADM)"
}

# uvs_init NAME SECONDS [tools...]
uvs_init()
{
	T_NAME=$1
	T_LIMIT=$2
	shift 2
	if [ -z "$UVS_TEST_TIMED" ]; then
		export UVS_TEST_TIMED=1
		command -v timeout >/dev/null 2>&1 || skip "needs 'timeout'"
		exec timeout -k 40 "$T_LIMIT" bash "$0" "${UVS_SCRIPT_ARGS[@]}"
	fi
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	need_tools ip nft ethtool socat curl sha256sum "$@"
	if [ "$UVS_LB" = uvsd ]; then
		need_uvsd
	elif [ "$UVS_LB" != nft ]; then
		die "UVS_LB must be uvsd or nft, not '$UVS_LB'"
	fi
	TMPD=$(mktemp -d "/tmp/uvs-$T_NAME.XXXXXX") || die "mktemp"
	trap uvs_on_exit EXIT
	trap 'printf "%s\n" "FAIL: [$T_NAME] SIGTERM: time limit of ${T_LIMIT}s reached?"; FAILS=$((FAILS + 1)); exit 124' TERM
	trap 'printf "%s\n" "FAIL: [$T_NAME] interrupted"; exit 130' INT
	log "lb=$UVS_LB tmp=$TMPD limit=${T_LIMIT}s"
}

uvs_on_exit()
{
	local rc=$?

	trap - EXIT TERM INT
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -n "$UVSD_LOG" ] &&
	    [ -s "$UVSD_LOG" ]; then
		log "last lines of $UVSD_LOG:"
		tail -n 20 "$UVSD_LOG" | sed 's/^/    /'
	fi
	teardown
	if [ -n "$TMPD" ] && [ -z "$UVS_KEEP" ]; then
		rm -rf "$TMPD"
	elif [ -n "$TMPD" ]; then
		log "kept $TMPD"
	fi
	exit "$rc"
}

# Kill what this test started and delete its namespaces.  Used between
# passes and by the EXIT trap.
teardown()
{
	local p ns i left live

	# Only our own jobs that still run: a reaped pid may be someone's now.
	live=" $(jobs -p | tr '\n' ' ') "
	for p in "${PIDS[@]}"; do
		case $live in
		*" $p "*) kill -TERM "$p" 2>/dev/null ;;
		esac
	done
	for i in $(seq 30); do
		left=0
		for p in "${PIDS[@]}"; do
			kill -0 "$p" 2>/dev/null && left=1
		done
		[ "$left" -eq 0 ] && break
		sleep 0.1
	done
	live=" $(jobs -p | tr '\n' ' ') "
	for p in "${PIDS[@]}"; do
		case $live in
		*" $p "*) kill -KILL "$p" 2>/dev/null ;;
		esac
		wait "$p" 2>/dev/null
	done
	PIDS=()
	UVSD_PID=
	# Anything else still living in our namespaces was started by us.
	for ns in "${NS_LIST[@]}"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
	done
	for ns in "${NS_LIST[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	for ns in "${NS_LIST[@]}"; do
		[ -e "/run/netns/$ns" ] &&
		    printf '%s\n' "WARNING: [$T_NAME] namespace $ns not deleted"
	done
	NS_LIST=()
}

# wait_until TRIES INTERVAL cmd...: poll cmd until it succeeds.
wait_until()
{
	local tries=$1 ivl=$2 i

	shift 2
	for i in $(seq "$tries"); do
		"$@" && return 0
		sleep "$ivl"
	done
	return 1
}

# ns_new VAR ROLE: create namespace uvs-<test>-<pid>-ROLE into $VAR.
ns_new()
{
	local n="uvs-$T_NAME-$$-$2"

	ip netns add "$n" || die "ip netns add $n"
	NS_LIST+=("$n")
	printf -v "$1" '%s' "$n"
	ip -n "$n" link set lo up
	# New namespaces inherit the host's IPv4 conf; make them predictable.
	ip netns exec "$n" sh -c '
		sysctl -qw net.ipv4.conf.all.rp_filter=0
		sysctl -qw net.ipv4.conf.default.rp_filter=0
		sysctl -qw net.ipv4.ip_forward=0
		sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		sysctl -qw net.ipv6.conf.default.disable_ipv6=1' ||
	    die "sysctl in $n"
	# br_netfilter (built in here) would run bridged IPv4 through
	# iptables, and drop malformed frames before they reach the director.
	ip netns exec "$n" sh -c '
		for f in iptables ip6tables arptables; do
			sysctl -qw net.bridge.bridge-nf-call-$f=0
		done' 2>/dev/null
}

ns_exec()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

# veth NS1 IF1 NS2 IF2: a veth pair, both ends up.
veth()
{
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" ||
	    die "veth $1/$2 - $3/$4"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# bg_run NS LOG cmd...: start cmd in NS in the background; pid in BG_PID.
# (ip netns exec execs the command, so $! is the program itself.)
bg_run()
{
	local ns=$1 logf=$2

	shift 2
	ip netns exec "$ns" "$@" >"$logf" 2>&1 </dev/null &
	BG_PID=$!
	PIDS+=("$BG_PID")
}

# track PID: have teardown kill a background job started by the test.
track()
{
	PIDS+=("$1")
}

mac_of()
{
	ip netns exec "$1" cat "/sys/class/net/$2/address"
}

# offloads NS IF...: apply $OFFLOADS (on: leave the veth defaults).
offloads()
{
	local ns=$1 i

	shift
	[ "$OFFLOADS" = off ] || return 0
	for i in "$@"; do
		ip netns exec "$ns" ethtool -K "$i" tx off tso off gso off \
		    >/dev/null 2>&1 || die "ethtool -K $i in $ns"
	done
}

tcp_listening()
{
	[ -n "$(ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null)" ]
}

udp_bound()
{
	[ -n "$(ip netns exec "$1" ss -Hlun "sport = :$2" 2>/dev/null)" ]
}

wait_tcp_listen()
{
	wait_until 100 0.1 tcp_listening "$1" "$2" ||
	    die "nothing listens on tcp port $2 in $1"
}

wait_udp_bound()
{
	wait_until 100 0.1 udp_bound "$1" "$2" ||
	    die "nothing bound to udp port $2 in $1"
}

mkrand()
{
	head -c "$2" /dev/urandom >"$1" || die "cannot write $1"
}

sha()
{
	sha256sum <"$1" | cut -d' ' -f1
}

# --- uvsd ----------------------------------------------------------------

uvsd_ready()
{
	local st

	if ! kill -0 "$UVSD_PID" 2>/dev/null; then
		wait "$UVSD_PID"
		st=$?
		UVSD_PID=
		die "uvsd exited during start-up with status $st: $(tail -n 5 "$UVSD_LOG" | tr '\n' ' ')"
	fi
	"$UVSADM" --socket "$UVSD_SOCK" -L -n >/dev/null 2>&1
}

# uvsd_start NS uvsd-args...: foreground uvsd in the background, logging
# to $TMPD/uvsd.N.log, ready when uvsadm -L -n answers (10 s at most).
uvsd_start()
{
	local ns=$1

	shift
	UVSD_SOCK=${UVSD_SOCK:-$TMPD/uvsd.sock}
	UVSD_N=$((UVSD_N + 1))
	UVSD_LOG=$TMPD/uvsd.$UVSD_N.log
	bg_run "$ns" "$UVSD_LOG" "$UVSD" --foreground --socket "$UVSD_SOCK" "$@"
	UVSD_PID=$BG_PID
	wait_until 100 0.1 uvsd_ready ||
	    die "uvsd not ready after 10 s (uvsadm -L -n fails)"
	log "uvsd $* ready (pid $UVSD_PID)"
}

# uvsd_stop [SIGNAL]: signal uvsd, wait up to 5 s; status in UVSD_STATUS.
uvsd_stop()
{
	local sig=${1:-TERM}

	UVSD_STATUS=
	[ -n "$UVSD_PID" ] || return 0
	kill "-$sig" "$UVSD_PID" 2>/dev/null
	if ! wait_until 50 0.1 proc_gone "$UVSD_PID"; then
		UVSD_STATUS=timeout
		return 1
	fi
	{ wait "$UVSD_PID"; } 2>/dev/null	# no "Killed" job notice
	UVSD_STATUS=$?
	UVSD_PID=
	return 0
}

proc_gone()
{
	! kill -0 "$1" 2>/dev/null || [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" = Z ]
}

# wrk_stop PID...: end background wrk runs now and wait for them (20 s,
# bounded).  wrk stops on SIGINT and still prints its report, so a test
# can give wrk a generous -d and end it when the work it must overlap is
# done: a slow, busy machine cannot make wrk end first.
wrk_stop()
{
	local p

	for p in "$@"; do
		kill -INT "$p" 2>/dev/null || true
	done
	for p in "$@"; do
		wait_until 200 0.1 proc_gone "$p" || fail "wrk $p still running"
	done
}

uvsd_alive()
{
	[ -n "$UVSD_PID" ] && kill -0 "$UVSD_PID" 2>/dev/null
}

# The traffic really went through uvsd: it transmitted frames.
uvsd_forwarded()
{
	local tx

	tx=$(ctl stats | awk '$1 == "tx-packets" { print $2 }')
	if [ "${tx:-0}" -gt 0 ]; then
		pass "uvsd transmitted $tx packets"
	else
		fail "uvsd transmitted nothing (stats tx-packets '${tx}')"
	fi
}

adm()
{
	timeout --foreground 10 "$UVSADM" --socket "$UVSD_SOCK" "$@"
}

# ctl VERB...: one protocol request, the raw reply on stdout.
ctl()
{
	printf '%s\n' "$*" |
	    timeout --foreground 5 socat -t 2 - "UNIX-CONNECT:$UVSD_SOCK" 2>/dev/null
}

# drop_count REASON: the "drop REASON N" counter of the stats verb.
drop_count()
{
	ctl stats | awk -v r="$1" '$1 == "drop" && $2 == r { print $3; f = 1 }
	    END { if (!f) print "missing" }'
}

# --- load balancer: uvsd, or the kernel (UVS_LB=nft) ---------------------
#
# lb_start NS RS_DEV IF...  start the balancer in NS serving IF...; RS_DEV
#                           is where real servers live (nft dr needs it)
# lb_service PROTO VIP PORT SCHED
# lb_server PROTO VIP PORT RIP METHOD WEIGHT      (METHOD dr|nat)
# lb_edit_service PROTO VIP PORT SCHED
# lb_edit_server PROTO VIP PORT RIP METHOD WEIGHT
# The nft variant keeps the configuration in $TMPD/lb.conf and reloads
# the whole ruleset after each change: dr = netdev ingress "fwd ip to"
# (flows hashed on source address and port), nat = nat-table dnat with
# numgen (exact round robin; weights by repetition).

LB_NS=
LB_RSDEV=
LB_IFS=()

lb_start()
{
	LB_NS=$1
	LB_RSDEV=$2
	shift 2
	LB_IFS=("$@")
	if [ "$UVS_LB" = nft ]; then
		: >"$TMPD/lb.conf"
		ip netns exec "$LB_NS" sysctl -qw net.ipv4.ip_forward=1
		return 0
	fi
	local a=() i
	for i in "$@"; do
		a+=(-i "$i")
	done
	uvsd_start "$LB_NS" "${a[@]}" ${UVSD_ARGS:---workers 2}
}

lb_stop()
{
	[ "$UVS_LB" = nft ] && return 0
	uvsd_stop TERM || fail "uvsd did not stop within 5 s of SIGTERM"
}

# hostport ADDR PORT: "a.b.c.d:p" or "[v6]:p", as uvsadm and curl want.
hostport()
{
	case $1 in
	*:*) printf '[%s]:%s' "$1" "$2" ;;
	*) printf '%s:%s' "$1" "$2" ;;
	esac
}

adm_proto()
{
	[ "$1" = udp ] && printf '%s' -u || printf '%s' -t
}

lb_service()
{
	if [ "$UVS_LB" = nft ]; then
		printf 'svc %s %s %s %s\n' "$1" "$2" "$3" "$4" >>"$TMPD/lb.conf"
		lb_nft_load
		return
	fi
	adm -A "$(adm_proto "$1")" "$(hostport "$2" "$3")" -s "$4" ||
	    die "uvsadm -A $1 $2:$3 -s $4 failed"
}

lb_server()
{
	if [ "$UVS_LB" = nft ]; then
		printf 'rs %s %s %s %s %s %s\n' "$@" >>"$TMPD/lb.conf"
		lb_nft_load
		return
	fi
	local m=-g
	[ "$5" = nat ] && m=-m
	adm -a "$(adm_proto "$1")" "$(hostport "$2" "$3")" \
	    -r "$(hostport "$4" "$3")" "$m" -w "$6" ||
	    die "uvsadm -a $1 $2:$3 -r $4:$3 $m -w $6 failed"
}

lb_edit_service()
{
	if [ "$UVS_LB" = nft ]; then
		awk -v p="$1" -v v="$2" -v o="$3" -v s="$4" \
		    '$1 == "svc" && $2 == p && $3 == v && $4 == o { $5 = s }
		    { print }' "$TMPD/lb.conf" >"$TMPD/lb.conf.new" &&
		    mv "$TMPD/lb.conf.new" "$TMPD/lb.conf"
		lb_nft_load
		return
	fi
	adm -E "$(adm_proto "$1")" "$(hostport "$2" "$3")" -s "$4" ||
	    die "uvsadm -E $1 $2:$3 -s $4 failed"
}

lb_edit_server()
{
	if [ "$UVS_LB" = nft ]; then
		awk -v p="$1" -v v="$2" -v o="$3" -v r="$4" -v w="$6" \
		    '$1 == "rs" && $2 == p && $3 == v && $4 == o && $5 == r {
		    $7 = w } { print }' "$TMPD/lb.conf" >"$TMPD/lb.conf.new" &&
		    mv "$TMPD/lb.conf.new" "$TMPD/lb.conf"
		lb_nft_load
		return
	fi
	local m=-g
	[ "$5" = nat ] && m=-m
	adm -e "$(adm_proto "$1")" "$(hostport "$2" "$3")" \
	    -r "$(hostport "$4" "$3")" "$m" -w "$6" ||
	    die "uvsadm -e $1 $2:$3 -r $4:$3 $m -w $6 failed"
}

# Write the nft ruleset for $TMPD/lb.conf and load it in one transaction.
lb_nft_load()
{
	local f=$TMPD/lb.nft

	awk -v dev="$LB_RSDEV" -v ifs="${LB_IFS[*]}" '
	$1 == "svc" { k = $2 " " $3 " " $4; order[++ns] = k }
	$1 == "rs" && $7 > 0 {
		k = $2 " " $3 " " $4
		for (i = 0; i < $7; i++)
			slot[k, n[k]++] = $5
		meth[k] = $6
	}
	function map(k,    i, s) {
		s = "{ "
		for (i = 0; i < n[k]; i++)
			s = s (i ? ", " : "") i " : " slot[k, i]
		return s " }"
	}
	END {
		print "table netdev lbdr {}"
		print "delete table netdev lbdr"
		print "table ip lbnat {}"
		print "delete table ip lbnat"
		print "table netdev lbdr {"
		ni = split(ifs, inif, " ")
		for (j = 1; j <= ni; j++) {
			if (inif[j] == dev)
				continue
			print "  chain in_" inif[j] " { type filter hook ingress device \"" inif[j] "\" priority 0;"
			for (s = 1; s <= ns; s++) {
				k = order[s]; split(k, a, " ")
				if (meth[k] != "dr" || n[k] == 0)
					continue
				print "    ip daddr " a[2] " " a[1] " dport " a[3] \
				    " fwd ip to jhash ip saddr . " a[1] " sport mod " n[k] \
				    " map " map(k) " device \"" dev "\""
			}
			print "  }"
		}
		print "}"
		print "table ip lbnat {"
		print "  chain pre { type nat hook prerouting priority -100;"
		for (s = 1; s <= ns; s++) {
			k = order[s]; split(k, a, " ")
			if (meth[k] != "nat" || n[k] == 0)
				continue
			print "    ip daddr " a[2] " " a[1] " dport " a[3] \
			    " dnat to numgen inc mod " n[k] " map " map(k)
		}
		print "  }"
		print "}"
	}' "$TMPD/lb.conf" >"$f"
	ip netns exec "$LB_NS" nft -f "$f" || die "nft -f $f failed"
}

# --- servers ---------------------------------------------------------------

# nginx_start NS NAME ROOT: nginx on port 80 serving ROOT, /who says NAME.
nginx_start()
{
	local ns=$1 name=$2 root=$3 d=$TMPD/nginx-$2

	mkdir -p "$d/tmp" || die "mkdir $d"
	cat >"$d/nginx.conf" <<EOF
worker_processes 1;
daemon off;
user root;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $d/tmp/body;
	proxy_temp_path $d/tmp/proxy;
	fastcgi_temp_path $d/tmp/fastcgi;
	uwsgi_temp_path $d/tmp/uwsgi;
	scgi_temp_path $d/tmp/scgi;
	default_type application/octet-stream;
	keepalive_requests 1000000;
	server {
		listen 80 default_server backlog=4096;
$([ "$LAB_V6" = 1 ] && echo "		listen [::]:80 default_server backlog=4096;")
		root $root;
		location = /who { default_type text/plain; return 200 "$name\n"; }
	}
}
EOF
	bg_run "$ns" "$d/stdout.log" nginx -p "$d" -c "$d/nginx.conf" \
	    -e "$d/error.log"
}

# --- topologies --------------------------------------------------------------

# topo_selftest: the kernel's tools/testing/selftests/net/netfilter/ipvs.sh.
#
#   NS0 (client)                 NS1 (director)             NS2 (real server)
#   br0 10.0.0.2/24              veth10 10.0.0.1/24 GIP     veth21 172.16.0.2/24 RIP
#    |- veth01 ----------------- veth10                     veth20 10.0.0.3/24 SIP
#    `- veth02 -------------------------------------------- veth20
#                                veth12 172.16.0.1/24 DIP - veth21
topo_selftest()
{
	ns_new NS0 ns0
	ns_new NS1 ns1
	ns_new NS2 ns2
	veth "$NS0" veth01 "$NS1" veth10
	veth "$NS0" veth02 "$NS2" veth20
	veth "$NS1" veth12 "$NS2" veth21
	ip -n "$NS0" link add br0 type bridge
	ip -n "$NS0" link set veth01 master br0
	ip -n "$NS0" link set veth02 master br0
	ip -n "$NS0" link set br0 up
	ip -n "$NS0" addr add 10.0.0.2/24 dev br0
	ip -n "$NS1" addr add 10.0.0.1/24 dev veth10
	ip -n "$NS1" addr add 172.16.0.1/24 dev veth12
	ip -n "$NS2" addr add 10.0.0.3/24 dev veth20
	ip -n "$NS2" addr add 172.16.0.2/24 dev veth21
	offloads "$NS0" br0 veth01 veth02
	offloads "$NS2" veth20 veth21
}

# lab_up [NRS]: client, director, router, NRS (default 3) real servers.
#
#                 NS_SW: br0 (client LAN 10.0.1.0/24)  br1 (server LAN 10.0.2.0/24)
#   NS_C c0 .2 ---- br0 ---- d0 .1  NS_D  d1 .1 ---- br1 ---- e0 .11 NS_RS[1]
#                    |                                |  ---- e0 .12 NS_RS[2]
#                    `---- r0 .254  NS_RT  r1 .254 ---'  ---- e0 .13 NS_RS[3]
#
# The client reaches 203.0.113.0/24 (VIPs) and 10.0.2.0/24 via the
# director.  Real servers hold VIP_DR on lo (arp_ignore=1,
# arp_announce=2); their main default route is the director (nat replies
# and kernel forwarding come back through it) and a rule sends what they
# send from VIP_DR via the router, so dr replies bypass the director.
lab_up()
{
	local nrs=${1:-3} i r

	ns_new NS_SW sw
	ns_new NS_C c
	ns_new NS_D d
	ns_new NS_RT rt
	ip -n "$NS_SW" link add br0 type bridge
	ip -n "$NS_SW" link add br1 type bridge
	ip -n "$NS_SW" link set br0 up
	ip -n "$NS_SW" link set br1 up
	veth "$NS_C" c0 "$NS_SW" p-c0
	veth "$NS_D" d0 "$NS_SW" p-d0
	veth "$NS_D" d1 "$NS_SW" p-d1
	veth "$NS_RT" r0 "$NS_SW" p-r0
	veth "$NS_RT" r1 "$NS_SW" p-r1
	for i in c0 d0 r0; do
		ip -n "$NS_SW" link set "p-$i" master br0
	done
	for i in d1 r1; do
		ip -n "$NS_SW" link set "p-$i" master br1
	done
	ip -n "$NS_C" addr add "$C_IP/24" dev c0
	ip -n "$NS_C" route add 203.0.113.0/24 via "$D0_IP"
	ip -n "$NS_C" route add 10.0.2.0/24 via "$D0_IP"
	ip -n "$NS_D" addr add "$D0_IP/24" dev d0
	ip -n "$NS_D" addr add "$D1_IP/24" dev d1
	ip -n "$NS_RT" addr add "$RT0_IP/24" dev r0
	ip -n "$NS_RT" addr add "$RT1_IP/24" dev r1
	ip netns exec "$NS_RT" sysctl -qw net.ipv4.ip_forward=1
	offloads "$NS_C" c0
	NS_RS=(none)
	for i in $(seq "$nrs"); do
		ns_new r "rs$i"
		NS_RS[$i]=$r
		veth "$r" e0 "$NS_SW" "p-rs$i"
		ip -n "$NS_SW" link set "p-rs$i" master br1
		ip -n "$r" addr add "${RS_IP[$i]}/24" dev e0
		ip -n "$r" addr add "$VIP_DR/32" dev lo
		ip netns exec "$r" sh -c '
			sysctl -qw net.ipv4.conf.all.arp_ignore=1
			sysctl -qw net.ipv4.conf.all.arp_announce=2'
		ip -n "$r" route add default via "$D1_IP"
		ip -n "$r" rule add from "$VIP_DR" table 100
		ip -n "$r" route add default via "$RT1_IP" table 100
		offloads "$r" e0
	done
	[ "$LAB_V6" = 1 ] && lab_v6 "$nrs"
}

# nft_count PATTERN: packets counted by the rules matching, all chains
# of the director's table.
nft_count()
{
	ip netns exec "$NS_D" nft list table netdev uvs |
	    awk -v p="$1" 'index($0, p) { for (i = 1; i < NF; i++)
	    if ($i == "packets") n += $(i + 1) } END { print n + 0 }'
}

# v6_on NS: IPv6 on in NS (ns_new turns it off), without DAD delays or
# router advertisements.
v6_on()
{
	ip netns exec "$1" sh -c '
		for c in all default; do
			sysctl -qw net.ipv6.conf.$c.accept_dad=0
			sysctl -qw net.ipv6.conf.$c.accept_ra=0
			sysctl -qw net.ipv6.conf.$c.disable_ipv6=0
		done' || die "cannot enable IPv6 in $1"
}

# lab_v6 NRS: IPv6 addressing of lab_up's namespaces, the IPv4 layout
# again.  Real servers hold VIP6_DR on lo; no sysctl is needed to keep
# them from answering neighbour solicitations for it: Linux answers an
# NS only for addresses of the interface it came in on (ndisc_recv_ns()
# looks the target up strictly on that device), so unlike ARP nothing
# like arp_ignore is needed.
lab_v6()
{
	local nrs=$1 ns i r

	for ns in "$NS_SW" "$NS_C" "$NS_D" "$NS_RT"; do
		v6_on "$ns"
	done
	# Unregistered multicast (solicited-node groups) is flooded.
	ip -n "$NS_SW" link set br0 type bridge mcast_snooping 0
	ip -n "$NS_SW" link set br1 type bridge mcast_snooping 0
	ip -n "$NS_C" addr add "$C6_IP/64" dev c0 nodad
	ip -n "$NS_C" route add 2001:db8:113::/64 via "$D06_IP"
	ip -n "$NS_C" route add 2001:db8:2::/64 via "$D06_IP"
	ip -n "$NS_D" addr add "$D06_IP/64" dev d0 nodad
	ip -n "$NS_D" addr add "$D16_IP/64" dev d1 nodad
	ip -n "$NS_RT" addr add "$RT06_IP/64" dev r0 nodad
	ip -n "$NS_RT" addr add "$RT16_IP/64" dev r1 nodad
	ip netns exec "$NS_RT" sysctl -qw net.ipv6.conf.all.forwarding=1
	for i in $(seq "$nrs"); do
		r=${NS_RS[$i]}
		v6_on "$r"
		ip -n "$r" addr add "${RS6_IP[$i]}/64" dev e0 nodad
		ip -n "$r" addr add "$VIP6_DR/128" dev lo nodad
		ip -n "$r" -6 route add default via "$D16_IP"
		ip -n "$r" -6 rule add from "$VIP6_DR" table 100
		ip -n "$r" -6 route add default via "$RT16_IP" table 100
	done
}

# lab_servers [NRS]: nginx (port 80; /small, /big, /who), UDP echo on
# port 9000 (bound to the RIP and to VIP_DR, so dr replies leave from the
# VIP) and iperf3 -s (port 5201) on each real server; waits until each
# answers from the director.
lab_servers()
{
	local nrs=${1:-3} i r

	mkdir -p "$TMPD/www"
	[ -f "$TMPD/www/small" ] || mkrand "$TMPD/www/small" 10240
	[ -f "$TMPD/www/big" ] || mkrand "$TMPD/www/big" $((8 << 20))
	SMALL_SHA=$(sha "$TMPD/www/small")
	BIG_SHA=$(sha "$TMPD/www/big")
	for i in $(seq "$nrs"); do
		r=${NS_RS[$i]}
		nginx_start "$r" "rs$i" "$TMPD/www"
		bg_run "$r" "$TMPD/udp-rs$i.log" socat -T 2 \
		    "UDP4-RECVFROM:9000,bind=${RS_IP[$i]},fork" EXEC:cat
		bg_run "$r" "$TMPD/udpdr-rs$i.log" socat -T 2 \
		    "UDP4-RECVFROM:9000,bind=$VIP_DR,fork" EXEC:cat
		bg_run "$r" "$TMPD/iperf-rs$i.log" iperf3 -s -p 5201
		if [ "$LAB_V6" = 1 ]; then
			bg_run "$r" "$TMPD/udp6-rs$i.log" socat -T 2 \
			    "UDP6-RECVFROM:9000,bind=[${RS6_IP[$i]}],fork" EXEC:cat
			bg_run "$r" "$TMPD/udp6dr-rs$i.log" socat -T 2 \
			    "UDP6-RECVFROM:9000,bind=[$VIP6_DR],fork" EXEC:cat
		fi
	done
	for i in $(seq "$nrs"); do
		r=${NS_RS[$i]}
		wait_tcp_listen "$r" 80
		wait_tcp_listen "$r" 5201
		wait_udp_bound "$r" 9000
		wait_until 50 0.1 http_is "$NS_D" "http://${RS_IP[$i]}/who" "rs$i" ||
		    die "rs$i does not answer http from the director"
		[ "$LAB_V6" = 1 ] || continue
		wait_until 50 0.1 http_is "$NS_D" "http://[${RS6_IP[$i]}]/who" \
		    "rs$i" || die "rs$i does not answer http over IPv6"
	done
}

http_is()
{
	[ "$(ip netns exec "$1" curl -s --max-time 2 "$2")" = "$3" ]
}

# --- client-side checks --------------------------------------------------

# fetch_check URL SHA: curl from the client, compare the digest.
fetch_check()
{
	local out=$TMPD/fetch.out got

	rm -f "$out"
	if ! ip netns exec "$NS_C" curl -sS --connect-timeout 3 --max-time 30 \
	    -o "$out" "$1" 2>"$TMPD/curl.err"; then
		fail "curl $1: $(head -c 200 "$TMPD/curl.err")"
		return 1
	fi
	got=$(sha "$out")
	if [ "$got" != "$2" ]; then
		fail "curl $1: sha256 $got, want $2 ($(stat -c %s "$out") bytes)"
		return 1
	fi
	return 0
}

# udp_echo_check VIP PORT SIZE: one datagram through, the same back.
udp_echo_check()
{
	local in=$TMPD/udp.in out=$TMPD/udp.out to

	mkrand "$in" "$3"
	case $1 in
	*:*) to="UDP6:[$1]:$2" ;;
	*) to="UDP4:$1:$2" ;;
	esac
	timeout --foreground 10 ip netns exec "$NS_C" socat -T 2 -t 1 STDIO \
	    "$to" <"$in" >"$out" 2>"$TMPD/socat.err"
	if ! cmp -s "$in" "$out"; then
		fail "udp echo $1:$2 of $3 bytes: got $(stat -c %s "$out") bytes back, differing $(head -c 200 "$TMPD/socat.err")"
		return 1
	fi
	return 0
}

# who_counts URL N: N fresh connections to URL (/who); prints "rsX count"
# lines sorted by name, and "fail count" for requests without an answer.
who_counts()
{
	local i

	for i in $(seq "$2"); do
		ip netns exec "$NS_C" curl -s --connect-timeout 2 --max-time 3 \
		    "$1" || echo fail
	done | sort | uniq -c | awk '{ print $2, $1 }'
}

# count_of NAME COUNTS: the count for NAME in who_counts output (0 if none).
count_of()
{
	printf '%s\n' "$2" | awk -v n="$1" '$1 == n { c = $2 } END { print c + 0 }'
}

# iperf_check VIP PORT: iperf3 -t 3 from the client; non-zero throughput.
iperf_check()
{
	local o=$TMPD/iperf.out mbps

	timeout --foreground 20 ip netns exec "$NS_C" iperf3 -c "$1" -p "$2" -t 3 -f m \
	    >"$o" 2>&1
	mbps=$(awk '/receiver/ { for (i = 1; i <= NF; i++)
	    if ($i == "Mbits/sec") v = $(i - 1) } END { print v + 0 }' "$o")
	if awk -v v="$mbps" 'BEGIN { exit !(v > 0) }'; then
		pass "iperf3 $1:$2: $mbps Mbit/s"
		return 0
	fi
	fail "iperf3 $1:$2: no throughput: $(tail -n 3 "$o" | tr '\n' ' ')"
	return 1
}

# traffic_suite dr|nat: the checks of dr-traffic.sh and nat-traffic.sh,
# once with offloads on and once off.
#
# Scheduling rule: uvsd runs with --workers 2, and connections are opened
# one after another, so a scheduler whose state is shared by the workers
# gives rr exactly 10/10/10 over 30 (accepted: max - min <= 1) and wrr
# 1:2:3 over 60 gives 10/20/30 (accepted: each within +-2).
traffic_suite()
{
	local m=$1 vip c n1 n2 n3 pass_off

	[ "$m" = dr ] && vip=$VIP_DR || vip=$VIP_NAT
	for pass_off in on off; do
		OFFLOADS=$pass_off
		log "--- $m, offloads $OFFLOADS"
		lab_up 3
		lab_servers 3
		lb_start "$NS_D" d1 d0 d1
		lb_service tcp "$vip" 80 rr
		lb_service udp "$vip" 9000 rr
		lb_service tcp "$vip" 5201 rr
		for i in 1 2 3; do
			lb_server tcp "$vip" 80 "${RS_IP[$i]}" "$m" 1
			lb_server udp "$vip" 9000 "${RS_IP[$i]}" "$m" 1
		done
		lb_server tcp "$vip" 5201 "${RS_IP[1]}" "$m" 1

		for i in 1 2 3; do
			fetch_check "http://$vip/small" "$SMALL_SHA" &&
			    pass "small file $i intact"
		done
		for i in 1 2 3; do
			fetch_check "http://$vip/big" "$BIG_SHA" &&
			    pass "8 MiB file $i intact"
		done
		for i in 1 64 512 1400 1472; do
			udp_echo_check "$vip" 9000 "$i" &&
			    pass "udp echo of $i bytes intact"
		done
		iperf_check "$vip" 5201
		# dr replies must take the router, nat replies the director.
		c=$(ip netns exec "$NS_RT" cat /sys/class/net/r1/statistics/rx_packets)
		if [ "$m" = dr ] && [ "$c" -lt 1000 ]; then
			fail "dr replies did not pass the router (r1 rx $c packets)"
		elif [ "$m" = nat ] && [ "$c" -gt 100 ]; then
			fail "nat replies passed the router (r1 rx $c packets)"
		else
			pass "replies took the $m path (router r1 rx $c packets)"
		fi

		if [ "$UVS_LB" = nft ] && [ "$m" = dr ]; then
			log "scheduler checks skipped (nft dr hashes flows)"
		else
			c=$(who_counts "http://$vip/who" 30)
			n1=$(count_of rs1 "$c")
			n2=$(count_of rs2 "$c")
			n3=$(count_of rs3 "$c")
			if [ "$(count_of fail "$c")" -ne 0 ] ||
			    ! awk -v a="$n1" -v b="$n2" -v c="$n3" 'BEGIN {
			    mx = a; if (b > mx) mx = b; if (c > mx) mx = c
			    mn = a; if (b < mn) mn = b; if (c < mn) mn = c
			    exit !(mx - mn <= 1) }'; then
				fail "rr over 30 requests: rs1=$n1 rs2=$n2 rs3=$n3 failed=$(count_of fail "$c") (want 10 each, +-1)"
			else
				pass "rr 30 requests: $n1/$n2/$n3"
			fi
			lb_edit_service tcp "$vip" 80 wrr
			for i in 1 2 3; do
				lb_edit_server tcp "$vip" 80 "${RS_IP[$i]}" "$m" "$i"
			done
			c=$(who_counts "http://$vip/who" 60)
			n1=$(count_of rs1 "$c")
			n2=$(count_of rs2 "$c")
			n3=$(count_of rs3 "$c")
			if [ "$(count_of fail "$c")" -ne 0 ] ||
			    [ $((n1 - 10)) -lt -2 ] || [ $((n1 - 10)) -gt 2 ] ||
			    [ $((n2 - 20)) -lt -2 ] || [ $((n2 - 20)) -gt 2 ] ||
			    [ $((n3 - 30)) -lt -2 ] || [ $((n3 - 30)) -gt 2 ]; then
				fail "wrr 1:2:3 over 60 requests: rs1=$n1 rs2=$n2 rs3=$n3 failed=$(count_of fail "$c") (want 10/20/30, +-2)"
			else
				pass "wrr 60 requests: $n1/$n2/$n3"
			fi
		fi
		if [ "$UVS_LB" = uvsd ]; then
			uvsd_alive || fail "uvsd died during the $m pass, offloads $OFFLOADS"
			uvsd_forwarded
			adm -L -n --stats >"$TMPD/list.out" 2>&1 ||
			    fail "uvsadm -L -n --stats failed: $(head -c 200 "$TMPD/list.out")"
			sed 's/^/    /' "$TMPD/list.out"
			lb_stop
		fi
		teardown
	done
}

# --- the kernel selftest (ipvs.sh) with uvsd as the director --------------

ST_VIP=207.175.44.110
ST_PORT=8080

# st_transfer FILE: socat FILE from ns0 to VIP:8080, compare on ns2.
st_transfer()
{
	local in=$1 out=$TMPD/st.out spid

	rm -f "$out"
	bg_run "$NS2" "$TMPD/st-server.log" timeout --foreground 20 socat -u -4 \
	    "TCP-LISTEN:$ST_PORT,reuseaddr" "OPEN:$out,creat,trunc"
	spid=$BG_PID
	wait_tcp_listen "$NS2" "$ST_PORT"
	if ! timeout --foreground 20 ip netns exec "$NS0" socat -u -4 STDIN \
	    "TCP:$ST_VIP:$ST_PORT,connect-timeout=5" <"$in" \
	    2>"$TMPD/st-client.err"; then
		fail "client socat to $ST_VIP:$ST_PORT failed: $(head -c 200 "$TMPD/st-client.err")"
		kill "$spid" 2>/dev/null
		return 1
	fi
	wait_until 100 0.1 proc_gone "$spid" || {
		fail "server socat still running 10 s after the client finished"
		kill "$spid" 2>/dev/null
		return 1
	}
	if ! cmp -s "$in" "$out"; then
		fail "$(stat -c %s "$in") bytes sent, server got $(stat -c %s "$out" 2>/dev/null || echo no) bytes, differing"
		return 1
	fi
	pass "$(stat -c %s "$in") bytes arrived intact"
}

# selftest_run dr|nat: test_dr / test_nat of ipvs.sh, offloads on and off.
selftest_run()
{
	local m=$1 o

	mkrand "$TMPD/in32" 32
	mkrand "$TMPD/in4m" $((4 << 20))
	for o in on off; do
		OFFLOADS=$o
		log "--- $m, offloads $OFFLOADS"
		topo_selftest
		ip -n "$NS0" route add "$ST_VIP" via 10.0.0.1 dev br0
		ip netns exec "$NS1" sysctl -qw net.ipv4.ip_forward=1
		ip -n "$NS1" addr add "$ST_VIP/32" dev lo
		if [ "$m" = dr ]; then
			ip netns exec "$NS2" sh -c '
			    sysctl -qw net.ipv4.conf.all.arp_ignore=1
			    sysctl -qw net.ipv4.conf.all.arp_announce=2
			    sysctl -qw net.ipv4.conf.all.rp_filter=0
			    sysctl -qw net.ipv4.conf.veth21.rp_filter=0'
			ip -n "$NS2" addr add "$ST_VIP/32" dev lo
		else
			ip -n "$NS2" link del veth20
			ip -n "$NS2" route add default via 172.16.0.1 dev veth21
		fi
		lb_start "$NS1" veth12 veth10 veth12
		lb_service tcp "$ST_VIP" "$ST_PORT" rr
		lb_server tcp "$ST_VIP" "$ST_PORT" 172.16.0.2 "$m" 1
		st_transfer "$TMPD/in32"
		st_transfer "$TMPD/in4m"
		if [ "$UVS_LB" = uvsd ]; then
			uvsd_alive || fail "uvsd died"
			uvsd_forwarded
			lb_stop
		fi
		teardown
	done
}

# --- IPv6 through the director (dr6-traffic.sh, nat6-traffic.sh) ----------

# udp6_hoplimit VIP PORT: the hop limit of the echo of one datagram the
# client sends to VIP:PORT (empty if none came back within 3 s).
udp6_hoplimit()
{
	timeout --foreground 10 ip netns exec "$NS_C" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
s.settimeout(3)
s.sendto(b"hop", (sys.argv[1], int(sys.argv[2])))
data, anc, flags, addr = s.recvmsg(64, socket.CMSG_SPACE(4))
for level, kind, val in anc:
	if level == socket.IPPROTO_IPV6 and kind == socket.IPV6_HOPLIMIT:
		print(int.from_bytes(val[:4], sys.byteorder))
' "$1" "$2" 2>/dev/null
}

# traffic6_suite dr|nat: over IPv6, TCP (nginx /small, /big) and UDP (socat
# echo) through uvsd to three real servers, rr 10/10/10 over 30
# connections, replies on the method's path, offloads on and then off.
traffic6_suite()
{
	local m=$1 vip c n1 n2 n3 pass_off i

	[ "$m" = dr ] && vip=$VIP6_DR || vip=$VIP6_NAT
	LAB_V6=1
	for pass_off in on off; do
		OFFLOADS=$pass_off
		log "--- $m over IPv6, offloads $OFFLOADS"
		lab_up 3
		lab_servers 3
		lb_start "$NS_D" d1 d0 d1
		lb_service tcp "$vip" 80 rr
		lb_service udp "$vip" 9000 rr
		for i in 1 2 3; do
			lb_server tcp "$vip" 80 "${RS6_IP[$i]}" "$m" 1
			lb_server udp "$vip" 9000 "${RS6_IP[$i]}" "$m" 1
		done
		for i in 1 2 3; do
			fetch_check "http://[$vip]/small" "$SMALL_SHA" &&
			    pass "small file $i intact"
		done
		for i in 1 2; do
			fetch_check "http://[$vip]/big" "$BIG_SHA" &&
			    pass "8 MiB file $i intact"
		done
		for i in 1 64 512 1400 1452; do
			udp_echo_check "$vip" 9000 "$i" &&
			    pass "udp echo of $i bytes intact"
		done
		# Bytes, not packets: GRO makes few packets of 16 MiB.
		c=$(ip netns exec "$NS_RT" cat /sys/class/net/r1/statistics/rx_bytes)
		if [ "$m" = dr ] && [ "$c" -lt $((16 << 20)) ]; then
			fail "dr replies did not pass the router (r1 rx $c bytes)"
		elif [ "$m" = nat ] && [ "$c" -gt $((1 << 20)) ]; then
			fail "nat replies passed the router (r1 rx $c bytes)"
		else
			pass "replies took the $m path (router r1 rx $c bytes)"
		fi
		# IPv6 fragments: counted as fragment6 and dropped (the
		# fanout's DEFRAG is IPv4 only), so no echo comes back.
		c=$(drop_count fragment6)
		head -c 3000 /dev/urandom | timeout --foreground 5 \
		    ip netns exec "$NS_C" socat -T 1 -t 1 STDIO \
		    "UDP6:[$vip]:9000" >"$TMPD/frag6.out" 2>/dev/null
		if [ "$(drop_count fragment6)" -ge $((c + 3)) ] &&
		    [ ! -s "$TMPD/frag6.out" ]; then
			pass "a fragmented datagram: fragment6 $c -> $(drop_count fragment6), no echo"
		else
			fail "fragmented datagram: fragment6 $c -> $(drop_count fragment6), echo $(stat -c %s "$TMPD/frag6.out") bytes"
		fi
		# Real servers send with hop limit 64; one router on the way
		# back, the router (dr) or uvsd (nat), lowers it to 63.
		c=$(udp6_hoplimit "$vip" 9000)
		if [ "$c" = 63 ]; then
			pass "udp reply arrived with hop limit 63"
		else
			fail "udp reply hop limit '$c', want 63"
		fi
		c=$(who_counts "http://[$vip]/who" 30)
		n1=$(count_of rs1 "$c")
		n2=$(count_of rs2 "$c")
		n3=$(count_of rs3 "$c")
		if [ "$(count_of fail "$c")" -ne 0 ] ||
		    ! awk -v a="$n1" -v b="$n2" -v c="$n3" 'BEGIN {
		    mx = a; if (b > mx) mx = b; if (c > mx) mx = c
		    mn = a; if (b < mn) mn = b; if (c < mn) mn = c
		    exit !(mx - mn <= 1) }'; then
			fail "rr over 30 requests: rs1=$n1 rs2=$n2 rs3=$n3 failed=$(count_of fail "$c") (want 10 each, +-1)"
		else
			pass "rr 30 requests: $n1/$n2/$n3"
		fi
		# Persistence by /64 (-M 64): every connection of the client
		# to one server, and -c shows the template as ipvsadm does.
		adm -E -t "[$vip]:80" -s rr -p 60 -M 64 ||
		    fail "uvsadm -E -t [$vip]:80 -p 60 -M 64 failed"
		c=$(who_counts "http://[$vip]/who" 6)
		if [ "$(printf '%s\n' "$c" | wc -l)" -eq 1 ] &&
		    [ "$(count_of fail "$c")" -eq 0 ]; then
			pass "persistent /64: 6 connections to $c"
		else
			fail "persistent /64: connections spread: $c"
		fi
		adm -S -n >"$TMPD/save.out" 2>&1
		c=$([ "$m" = dr ] && echo -g || echo -m)
		if grep -qx -- "-A -t \[$vip\]:80 -s rr -p 60 -M 64" "$TMPD/save.out" &&
		    grep -qx -- "-a -t \[$vip\]:80 -r \[${RS6_IP[1]}\]:80 $c -w 1" \
		    "$TMPD/save.out"; then
			pass "-S saves the IPv6 service and servers as ipvsadm"
		else
			fail "-S output: $(head -c 600 "$TMPD/save.out")"
		fi
		adm -L -n -c >"$TMPD/conns.out" 2>&1
		if grep -Eq "^TCP [0-9]{2}:[0-9]{2}  NONE        \[2001:db8:1::\]:0 +\[$vip\]:80 +\[2001:db8:2::1[123]\]:80$" \
		    "$TMPD/conns.out"; then
			pass "-c lists the IPv6 template: $(grep NONE "$TMPD/conns.out")"
		else
			fail "-c shows no IPv6 template line: $(head -c 600 "$TMPD/conns.out")"
		fi
		# The host stack saw the service's frames and dropped them.
		c=$(ip netns exec "$NS_D" nft list chain netdev uvs in0 |
		    awk '/@svc6/ { for (i = 1; i < NF; i++)
		    if ($i == "packets") print $(i + 1) }')
		if [ "${c:-0}" -gt 0 ]; then
			pass "nftables kept $c IPv6 service packets from the host"
		else
			fail "nftables svc6 rule counted '${c}' packets"
		fi
		uvsd_alive || fail "uvsd died during the $m pass, offloads $OFFLOADS"
		uvsd_forwarded
		if [ "$m" = dr ]; then
			# The real servers' VIP on lo: solicited on their
			# link, none of them answers (lab_v6's claim), while
			# their own address resolves.
			ip -n "$NS_D" -6 route add "$VIP6_DR/128" dev d1
			for c in "$VIP6_DR" "${RS6_IP[1]}"; do
				echo x | ip netns exec "$NS_D" socat -u - \
				    "UDP6-SENDTO:[$c]:9" 2>/dev/null
			done
			if wait_until 80 0.1 sh -c "ip -n '$NS_D' -6 neigh show \
			    '$VIP6_DR' dev d1 | grep -q FAILED" &&
			    ip -n "$NS_D" -6 neigh show "${RS6_IP[1]}" dev d1 |
			    grep -q lladdr; then
				pass "no real server answers an NS for the VIP on its lo"
			else
				fail "NS for the VIP: '$(ip -n "$NS_D" -6 neigh show "$VIP6_DR" dev d1)', for rs1: '$(ip -n "$NS_D" -6 neigh show "${RS6_IP[1]}" dev d1)'"
			fi
			ip -n "$NS_D" -6 route del "$VIP6_DR/128" dev d1
		fi
		for c in udp6-zero-csum ipv6-ext-header; do
			[ "$(drop_count "$c")" = 0 ] ||
			    fail "drop $c: $(drop_count "$c") (want 0)"
		done
		adm -L -n >"$TMPD/list.out" 2>&1 ||
		    fail "uvsadm -L -n failed: $(head -c 200 "$TMPD/list.out")"
		grep -q "^TCP  \[$vip\]:80 rr" "$TMPD/list.out" ||
		    fail "uvsadm -L -n does not show TCP  [$vip]:80 rr"
		sed 's/^/    /' "$TMPD/list.out"
		lb_stop
		teardown
	done
}
