# The toolstack benchmark, run in the dom0 of `make dom0-rootfs` (as
# /root/tests/xl-bench.sh, with xenon.test=xl-bench) by bench/run.py on
# Xen 4.17 and on Xenon under QEMU's -icount.
#
# Times are microseconds of virtual time since reset (bench-lib.sh). Each
# figure is printed as "XENON-BENCH <name>_start_us=<t>" / "<name>_us=<t>";
# bench/run.py takes the differences:
#
#   first_<M>:  xl create of the micro guest first.bin with M MiB -> its
#               first instruction (the guest stamps it from CNTPCT and prints
#               the stamp on its PV console: "first_<M>_ticks=<stamp>")
#   init_<M>:   xl create of Debian's Linux with M MiB -> its /init's first
#               line in its console log (as xenconsoled writes it; polled
#               every 10 ms)
#   destroy_<M>: xl destroy of that guest -> xl info's free memory back to
#               what it was before the create
. /root/tests/bench-lib.sh

# The micro guest's configuration with $1 MiB.
first_cfg() {
    cat > /tmp/first.cfg <<CFG
name = "first"
kernel = "/root/bench/first.bin"
extra = "xtf console=xenpv"
memory = $1
vcpus = 1
on_poweroff = "preserve"
CFG
}

# A first create warms dom0's caches and the toolstack's first-use work
# (several seconds on both hypervisors), not measured.
first_cfg 16
before=$(free_mib)
xl create -q /tmp/first.cfg && wait_line first "Test result:" && xl destroy first
memory_back "$before"

for mib in 256 2048; do
    first_cfg $mib
    sed -e "s/^memory.*/memory = $mib/" -e 's/^name.*/name = "linux"/' \
        /root/domu.cfg > /tmp/linux.cfg
    before=$(free_mib)

    rm -f /var/log/xen/console/guest-first.log
    stamp first_${mib}_start_us
    xl create -q /tmp/first.cfg
    wait_line first "Test result:" || break
    echo "XENON-BENCH first_${mib}_ticks=$(sed -n 's/^bench: boot_to_domU \([0-9]*\) .*/\1/p' \
        /var/log/xen/console/guest-first.log)"
    xl destroy first
    memory_back "$before" || break

    rm -f /var/log/xen/console/guest-linux.log
    stamp init_${mib}_start_us
    xl create -q /tmp/linux.cfg
    wait_line linux XENON-GUEST-INIT || break
    stamp init_${mib}_us

    stamp destroy_${mib}_start_us
    xl destroy linux
    memory_back "$before" || break
    stamp destroy_${mib}_us
done
