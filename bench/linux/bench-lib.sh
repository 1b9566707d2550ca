# Helpers of the dom0 benchmarks (bench/linux/xl-bench.sh, pv-bench.sh),
# sourced as /root/tests/bench-lib.sh in the dom0 of `make dom0-rootfs`.
#
# Times are microseconds of virtual time since reset: QEMU's PL031 RTC runs
# on the virtual clock from 2024-01-01T00:00:00, so the moment its seconds
# change is a whole second since reset; dom0's own clock ($EPOCHREALTIME)
# is tied to that once, then read without forking.
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

