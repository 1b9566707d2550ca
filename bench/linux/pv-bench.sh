# The PV device benchmark, run in the dom0 of `make dom0-rootfs` (as
# /root/tests/pv-bench.sh, with xenon.test=pv-bench) by bench/run.py on
# Xen 4.17 and on Xenon under QEMU's -icount.
#
# A Debian Linux guest with a file-backed disk (xvda: blkfront, blkback on a
# loop device) and a vif on xenbr0 (netfront, netback) measures, in its own
# virtual time:
#   pv_write: dd of 64 MiB to xvda, 1 MiB blocks, O_DIRECT
#   pv_read:  dd of 64 MiB from xvda, 1 MiB blocks, O_DIRECT
#   pv_net:   64 MiB to dom0 over TCP with busybox nc
#   pv_ping:  ping dom0, the average round trip of 20
# (the first three by the clock of /proc/timer_list, in nanoseconds)
# and dom0 prints each as "XENON-BENCH pv_<name>_ns=<ns>".
. /root/tests/bench-lib.sh

log=/var/log/xen/console/guest-pv.log
# The guest's console log goes to dom0's console with the error (on
# stderr: fail may run inside $(...)).
fail() {
    { tr -d '\r' < "$log" | tail -20 | sed 's/^/guest: /'; echo "XENON-BENCH error: $*"; } >&2
    exit 1
}
# Type $1 on the guest's console (its pty, as xl console does).
type_cmd() {
    local tty
    tty=$(xenstore-read /local/domain/$(xl domid pv)/console/tty) || return 1
    printf '%s\n' "$1" > "$tty"
}
# Run $2 in the guest; it prints "XENON-PV-42 $1 <value>" (the marker is
# computed by the guest's shell, so the echo of the command never matches).
# Prints the value.
measure() {
    type_cmd "$2" || fail "no console for the guest"
    wait_line pv "XENON-PV-42 $1 " || fail "no $1 figure from the guest"
    local v
    v=$(sed -n "s/.*XENON-PV-42 $1 \([0-9.]*\).*/\1/p" "$log" | tr -d '\r')
    [ -n "$v" ] || fail "$1: the guest printed no number"
    echo "$v"
}
# Seconds (decimal, up to 9 places) to nanoseconds.
ns() {
    local whole=${1%.*} frac=${1#*.}
    [ "$whole" = "$1" ] && frac=
    frac=${frac}000000000
    echo $(( 10#$whole * 1000000000 + 10#${frac:0:9} ))
}

truncate -s 72M /root/pv.img 2>/dev/null || dd if=/dev/zero of=/root/pv.img bs=1M count=72 2>/dev/null
ip addr add 10.99.0.1/24 dev xenbr0
sed -e 's/^name.*/name = "pv"/' /root/domu.cfg > /tmp/pv.cfg
cat >> /tmp/pv.cfg <<'CFG'
disk = ["format=raw, vdev=xvda, access=rw, target=/root/pv.img"]
vif = ["bridge=xenbr0, mac=00:16:3e:58:00:01"]
CFG
xl create -q /tmp/pv.cfg || fail "xl create"
wait_line pv "Busybox shell" || fail "the guest reached no shell"
M='XENON-PV-$((6*7))'
type_cmd 'ip addr add 10.99.0.2/24 dev eth0 && ip link set eth0 up'

# The guest's clock in nanoseconds (busybox dd prints no time).
now='$(sed -n "/^now at/{s/[^0-9]//g;p;q}" /proc/timer_list)'
w=$(measure write "a=$now; dd if=/dev/zero of=/dev/xvda bs=1M count=64 oflag=direct && b=$now && echo \"$M write \$((b - a))\"") || exit 1
echo "XENON-BENCH pv_write_ns=$w"
r=$(measure read "a=$now; dd if=/dev/xvda of=/dev/null bs=1M count=64 iflag=direct && b=$now && echo \"$M read \$((b - a))\"") || exit 1
echo "XENON-BENCH pv_read_ns=$r"

p=$(measure ping "ping -c 20 -q 10.99.0.1 | sed -n \"s|.* = [0-9.]*/\\([0-9.]*\\)/.*|$M ping \\1|p\"") || exit 1
# Milliseconds.
echo "XENON-BENCH pv_ping_ns=$(( $(ns "$p") / 1000 ))"

# busybox nc ends when either its input or the connection does: dom0's
# keeps an input that never ends, and is stopped once all bytes are in.
sleep 100000 | nc -l -p 5001 > /tmp/pv-received &
listener=$!
nap
n=$(measure net "a=$now; dd if=/dev/zero bs=64k count=1024 2>/dev/null | nc 10.99.0.1 5001 && b=$now && echo \"$M net \$((b - a))\"") || exit 1
for i in $(seq 1000); do [ "$(wc -c < /tmp/pv-received)" = $((64 << 20)) ] && break; nap; done
kill $listener $(pidof sleep) 2>/dev/null
got=$(wc -c < /tmp/pv-received)
[ "$got" = $((64 << 20)) ] || fail "dom0 received $got bytes, not 64 MiB"
echo "XENON-BENCH pv_net_ns=$n"
xl destroy pv
