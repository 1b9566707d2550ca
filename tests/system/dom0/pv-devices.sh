. /root/tests/lib.sh
# PV disks and a PV network on one Debian guest: blkback and netback in dom0
# (Debian's block and vif-bridge hotplug scripts), blkfront and netfront in
# the guest.
#   xvda: a file through a loop device; the guest writes a 16 MiB pattern,
#         reads it back; dom0 finds it in the file.
#   xvdc: phy:/dev/vda, the machine's virtio disk dom0 owns.
#   xvdb: attached and detached while the guest runs.
#   eth0: on xenbr0; the guest pings dom0 and sends it the 16 MiB pattern
#         over TCP.
#   eth1: attached and detached while the guest runs.
SIZE=$((16 << 20))
dd if=/dev/zero of=/root/disk.img bs=1M count=32 2>/dev/null
dd if=/dev/zero of=/root/disk2.img bs=1M count=8 2>/dev/null
ip addr add 10.99.0.1/24 dev xenbr0
ip addr add 10.99.1.1/24 dev xenbr0
cp /root/domu.cfg /tmp/pv.cfg
cat >> /tmp/pv.cfg <<'CFG'
disk = ["format=raw, vdev=xvda, access=rw, target=/root/disk.img", "phy:/dev/vda,xvdc,w"]
vif = ["bridge=xenbr0, mac=00:16:3e:58:00:01"]
CFG
run cat /sys/block/vda/size
run xl create /tmp/pv.cfg
run guest_shell domu
run sh -c 'xl block-list domu | cut -c1-40'
run sh -c 'xl network-list domu | cut -c1-30'
run guest_run domu 'cat /sys/block/xvda/size /sys/block/xvda/ro /sys/block/xvdc/size'

run guest_run domu "$PATTERN_DEF"
run guest_run domu "pattern XENON-PATTERN $SIZE /tmp/p && dd if=/tmp/p of=/dev/xvda bs=1M 2>/dev/null && sync"
run guest_run domu "dd if=/dev/xvda bs=1M count=16 iflag=direct 2>/dev/null | md5sum"
pattern XENON-PATTERN $SIZE /tmp/pattern
run sh -c "md5sum < /tmp/pattern"
run sh -c "head -c $SIZE /root/disk.img | md5sum"
run guest_run domu 'echo XENON-PHY > /dev/xvdc && sync'
run sh -c 'head -c 9 /dev/vda; echo'

run xl block-attach domu 'format=raw, vdev=xvdb, access=rw, target=/root/disk2.img'
run guest_run domu 'sleep 2; cat /sys/block/xvdb/size; echo second > /dev/xvdb && sync'
run sh -c 'head -c 6 /root/disk2.img; echo'
run xl block-detach domu xvdb
run guest_run domu 'sleep 2; ls /sys/block | grep xvd'
run sh -c 'xl block-list domu | cut -c1-40'

run guest_run domu 'ip addr add 10.99.0.2/24 dev eth0 && ip link set eth0 up && sleep 3 && ping -c 3 -q 10.99.0.1 | grep -o "3 packets received"'
# busybox nc ends when either its input or the connection does: dom0's
# keeps an input that never ends, and is stopped once all bytes are in.
sleep 100000 | nc -l -p 5001 > /tmp/received &
listener=$!
sleep 1
# The pattern, read back from xvda.
run guest_run domu "dd if=/dev/xvda bs=1M count=16 iflag=direct 2>/dev/null | nc 10.99.0.1 5001"
received() {
    for i in $(seq 120); do
        [ "$(wc -c < /tmp/received)" = "$SIZE" ] && break
        sleep 0.5
    done
    kill $listener $(pidof sleep) 2>/dev/null
    wc -c < /tmp/received
}
run received
run sh -c 'md5sum < /tmp/received'

run xl network-attach domu bridge=xenbr0 mac=00:16:3e:58:00:02
run sh -c 'xl network-list domu | cut -c1-30'
run guest_run domu 'sleep 2; ip addr add 10.99.1.2/24 dev eth1 && ip link set eth1 up && sleep 3 && ping -c 3 -q -I eth1 10.99.1.1 | grep -o "3 packets received"'
run xl network-detach domu 1
run guest_run domu 'sleep 2; ls /sys/class/net'
run sh -c 'xl network-list domu | cut -c1-30'

run xl shutdown -w domu
run gone domu
run sh -c 'losetup -a | wc -l'
run sh -c 'ls /sys/class/net | grep vif | wc -l'
