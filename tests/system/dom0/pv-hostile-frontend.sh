. /root/tests/lib.sh
# A hostile front end: the micro-VM guests/pv-hostile-frontend, with a PV
# disk and a PV network, connects to Linux's blkback and netback in dom0
# like blkfront and netfront, then writes garbage to their rings (bad grant
# refs, absurd segment counts, odd ids, rings rewritten while read) and
# last puts req_prod far ahead of rsp_prod. The back ends must log it and
# stop serving that device; dom0, the hypervisor and a real Linux guest
# beside it (its own disk and network) must not notice. The micro-VM
# checks the answers it gets and prints one summary line.
HOSTILE_LOG=/var/log/xen/console/guest-hostile.log
ip addr add 10.99.0.1/24 dev xenbr0
# 1 MiB: the micro-VM reads past its end on purpose (2048 sectors).
dd if=/dev/zero of=/root/hostile.img bs=1M count=1 2>/dev/null
dd if=/dev/zero of=/root/domu.img bs=1M count=16 2>/dev/null
cat > /tmp/hostile.cfg <<'CFG'
name = "hostile"
kernel = "/root/guests/pv-hostile-frontend.bin"
extra = "console=xenpv"
memory = 16
vcpus = 1
disk = ["format=raw, vdev=xvda, access=rw, target=/root/hostile.img"]
vif = ["bridge=xenbr0, mac=00:16:3e:58:00:09"]
CFG
cp /root/domu.cfg /tmp/domu.cfg
echo 'disk = ["format=raw, vdev=xvda, access=rw, target=/root/domu.img"]' >> /tmp/domu.cfg
echo 'vif = ["bridge=xenbr0, mac=00:16:3e:58:00:01"]' >> /tmp/domu.cfg

# Run shell command $1 in the real guest (fails unless it exits with 0).
in_domu() { guest_run domu "$1"; }
# The real guest pings dom0 through its vif.
ping_dom0() { in_domu 'ping -c 3 -q 10.99.0.1 | grep -o "3 packets received"'; }
# The real guest writes pattern $1 (1 MiB) to its disk, reads it back past
# its page cache, and dom0 finds it in the file.
disk_round() {
    in_domu "pattern $1 1048576 /tmp/p && dd if=/tmp/p of=/dev/xvda bs=1M 2>/dev/null && sync" || return 1
    in_domu "echo 3 > /proc/sys/vm/drop_caches && head -c 1048576 /dev/xvda | md5sum" || return 1
    pattern "$1" 1048576 /tmp/pattern
    [ "$(md5sum < /tmp/pattern)" = "$(head -c 1048576 /root/domu.img | md5sum)" ] &&
        echo "dom0 finds $1 in domu's disk file"
}
# Wait up to 300 s for the micro-VM to end its attacks (its line "idle").
hostile_done() {
    for i in $(seq 300); do
        grep -q "hostile: idle" $HOSTILE_LOG 2>/dev/null && { echo "the hostile guest is done"; return 0; }
        sleep 1
    done
    echo "the hostile guest did not finish"; tail -5 $HOSTILE_LOG; return 1
}
# The micro-VM's summary; fails unless it found every answer as expected.
summary() {
    grep -o 'hostile: summary: .*' $HOSTILE_LOG | tr -d '\r'
    grep -q "hostile: every answer as expected" $HOSTILE_LOG
}
hostile_state() { echo "hostile's lasting state letters: [$(state hostile)]"; }
# Did dom0's kernel log $1 (a fixed string)? yes or no.
logged() {
    if dmesg | grep -qF "$1"; then echo "dom0 logged '$1': yes"; else echo "dom0 logged '$1': no"; return 1; fi
}
# Kernel trouble in dom0 (oopses, BUGs, warnings with a trace) so far.
troubles() { dmesg | grep -cE 'Oops|BUG:|Call trace:|Kernel panic'; }
new_troubles() { echo "dom0 kernel troubles since the hostile guest started: $(( $(troubles) - before ))"; }
# Lines of the hypervisor's log saying a guest or itself went wrong.
hv_faults() { echo "hypervisor fault lines: $(xl dmesg | grep -ciE 'panic|unexpected exception|crashed')"; }
names() { xl list | awk '{print $1}'; }
vifs() { echo "vif interfaces: $(ls /sys/class/net | grep -c '^vif')"; }
# Wait up to 30 s for domain $1's first vif to have no carrier.
no_carrier() {
    local dev=vif$(xl domid "$1").0
    for i in $(seq 30); do
        [ "$(cat /sys/class/net/$dev/operstate 2>/dev/null)" = down ] && { echo "$1's vif has no carrier: yes"; return 0; }
        sleep 1
    done
    echo "$1's vif has no carrier: no ($(cat /sys/class/net/$dev/operstate))"; return 1
}

run xl create /tmp/domu.cfg
run guest_shell domu
run in_domu 'ip addr add 10.99.0.2/24 dev eth0 && ip link set eth0 up && sleep 3'
run ping_dom0
run in_domu "$PATTERN_DEF"
run disk_round BEFORE
before=$(troubles)

run xl create /tmp/hostile.cfg
run hostile_done
run summary
run logged 'Frontend provided bogus ring requests'
run logged 'access denied: DISCARD'
run logged 'Impossible number of requests'
run logged 'fatal error; disabling device'
run no_carrier hostile
run hostile_state

# The real guest, dom0 and the hypervisor carry on.
run ping_dom0
run disk_round AFTER
run names
run new_troubles
run hv_faults
run xl destroy hostile
run gone hostile
run ping_dom0
run xl shutdown -w domu
run gone domu
run sh -c 'losetup -a | wc -l'
run vifs
run names
# For whoever reads the log (outside run: not compared).
echo "--- the hostile guest's console ---"
tr -d '\r' < $HOSTILE_LOG
echo "--- dom0's back ends said ---"
dmesg | grep -E 'blkback|xen-blkback|vif|xen_netback|xen-netback' | tail -40
