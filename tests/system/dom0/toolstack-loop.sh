. /root/tests/lib.sh
# Create a guest, wait for its shell, destroy it, wait until it is gone;
# print its ID and the free memory after.
# The guest boots quietly: its kernel's messages cost console time.
sed -e 's|rdinit=/init|rdinit=/init quiet|' /root/domu.cfg > /tmp/loop.cfg
once() {
    rm -f /var/log/xen/console/guest-domu.log
    xl create /tmp/loop.cfg >/dev/null 2>&1 || return 1
    guest_shell domu >/dev/null || return 1
    id=$(xl domid domu)
    xl destroy domu || return 1
    gone domu >/dev/null || return 1
    echo "id=$id free=$(xl info | awk '/^free_memory/ {print $3}')"
}
for i in $(seq 20); do run once; done
