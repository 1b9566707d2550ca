# The toolstack benchmark, run in the dom0 of `make dom0-rootfs` (as
# /root/tests/xl-bench.sh, with xenon.test=xl-bench) by bench/run.py on
# Xen 4.17 and on Xenon under QEMU's -icount.
#
# Times are microseconds of virtual time since reset: QEMU's PL031 RTC runs
# on the virtual clock from 2024-01-01T00:00:00, so the moment its seconds
# change is a whole second since reset; dom0's own clock ($EPOCHREALTIME)
# is tied to that once, then read without forking. Each figure is printed
# as "XENON-BENCH <name>_start_us=<t>" / "<name>_us=<t>"; bench/run.py
# takes the differences:
#
#   first_<M>:  xl create of the micro guest first.bin with M MiB -> its
#               first instruction (the guest stamps it from CNTPCT and prints
#               the stamp on its PV console: "first_<M>_ticks=<stamp>")
#   init_<M>:   xl create of Debian's Linux with M MiB -> its /init's first
#               line in its console log (as xenconsoled writes it; polled
#               every 10 ms)
#   destroy_<M>: xl destroy of that guest -> xl info's free memory back to
#               what it was before the create
RTC=/sys/class/rtc/rtc0/since_epoch
RTC_BASE=1704067200 # 2024-01-01T00:00:00

# A 10 ms sleep without a fork: a read with a timeout on an idle fifo.
mkfifo /tmp/xl-bench.fifo
exec 9<>/tmp/xl-bench.fifo
nap() { read -r -t 0.01 -u 9 _ || true; }

read -r s0 < $RTC
s=$s0
while [ "$s" = "$s0" ]; do
    read -r s < $RTC
    t=$EPOCHREALTIME
done
OFFSET=$(( (s - RTC_BASE) * 1000000 - 10#${t/./} ))
# Print "XENON-BENCH $1=<now>".
stamp() { local t=$EPOCHREALTIME; echo "XENON-BENCH $1=$(( 10#${t/./} + OFFSET ))"; }

free_mib() { xl info | awk '/^free_memory/ {print $3}'; }
# Wait up to 120 s for domain $1 to be gone.
gone() {
    for i in $(seq 1200); do xl list "$1" >/dev/null 2>&1 || return 0; nap; done
    echo "XENON-BENCH error: $1 still exists"; return 1
}
# Wait up to 120 s until xl info's free memory is $1 MiB again.
memory_back() {
    for i in $(seq 1200); do [ "$(free_mib)" = "$1" ] && return 0; nap; done
    echo "XENON-BENCH error: free memory $(free_mib) MiB, not $1"; return 1
}
# Wait up to 300 s for a line with $2 in guest $1's console log.
wait_line() {
    local log=/var/log/xen/console/guest-$1.log part= line
    for i in $(seq 30000); do [ -e "$log" ] && break; nap; done
    exec 8< "$log"
    for i in $(seq 30000); do
        while IFS= read -r -u 8 line; do
            [[ "$part$line" == *"$2"* ]] && { exec 8<&-; return 0; }
            part=
        done
        part+=$line
        nap
    done
    exec 8<&-
    echo "XENON-BENCH error: no '$2' from $1"; return 1
}

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
