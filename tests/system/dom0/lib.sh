# Helpers the dom0 scenarios of tests/system/toolstack.py source: each
# command's output between markers, compared between Xen 4.17 and Xenon.
# Run a command between markers; then how long it took (not compared).
run() {
    local t0=$EPOCHREALTIME rc
    echo "XENON-TS-BEGIN: $*"
    "$@" 2>&1
    rc=$?
    echo "XENON-TS-END: rc=$rc"
    echo "XENON-TS-TIME: $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms"
}
# Wait up to 120 s for guest $1's busybox shell on its console (as
# xenconsoled logs it).
guest_shell() {
    for i in $(seq 480); do
        if grep -q "Busybox shell" /var/log/xen/console/guest-$1.log 2>/dev/null; then
            echo "$1 reached its shell"
            return 0
        fi
        sleep 0.25
    done
    echo "$1 did not reach its shell"; tail -5 /var/log/xen/console/guest-$1.log
    return 1
}
# Wait up to 30 s for domain $1 to be gone.
gone() {
    for i in $(seq 120); do
        xl list "$1" >/dev/null 2>&1 || { echo "$1 is gone"; return 0; }
        sleep 0.25
    done
    echo "$1 is still there"; xl list; return 1
}
# Type command $2 on guest $1's console (its pty, as xl console does).
guest_type() {
    tty=$(xenstore-read /local/domain/$(xl domid "$1")/console/tty) || return 1
    printf '%s
' "$2" > "$tty" && echo "typed on $1's console"
}
# The size of guest $1's console log.
log_size() { wc -c < /var/log/xen/console/guest-$1.log; }
# Guest $1 prints nothing for 3 s (after 1 s for what was on its way).
silent() {
    sleep 1; a=$(log_size "$1"); sleep 3; b=$(log_size "$1")
    if [ "$a" = "$b" ]; then echo "$1 printed nothing"; else echo "$1 printed $((b - a)) bytes"; return 1; fi
}
# Guest $1 prints something within 10 s.
prints() {
    a=$(log_size "$1")
    for i in $(seq 20); do
        sleep 0.5
        [ "$(log_size "$1")" != "$a" ] && { echo "$1 prints"; return 0; }
    done
    echo "$1 printed nothing"; return 1
}
# Wait up to 60 s for guest $1's memory (xl list, MiB) to fall to $2.
balloon() {
    for i in $(seq 60); do
        m=$(xl list "$1" | tail -1 | awk '{print $3}')
        [ "$m" -le "$2" ] && { echo "$1 gave memory back: at most $2 MiB"; return 0; }
        sleep 1
    done
    echo "$1 still has $m MiB"; return 1
}
# Run shell command $2 in guest $1, typed on its console, and print what it
# printed (up to 300 s), ending with its exit status. The markers are
# computed by the guest's shell, so its echo of the command never matches.
guest_run() {
    local log=/var/log/xen/console/guest-$1.log start i out
    start=$(wc -c < "$log")
    guest_type "$1" "echo XENON-OUT-\$((6*7)); $2; echo XENON-GUEST-RC=\$?-\$((6*7))" >/dev/null || return 1
    for i in $(seq 600); do
        tail -c +$((start + 1)) "$log" | grep -q "XENON-GUEST-RC=[0-9]*-42" && break
        sleep 0.5
    done
    out=$(tail -c +$((start + 1)) "$log" | tr -d '\r' |
        sed -n '/^XENON-OUT-42$/,/XENON-GUEST-RC=[0-9]*-42/p' | sed -e '1d' -e 's/-42$//')
    printf '%s\n' "$out"
    # Fails unless the guest's command ran and succeeded.
    case "$out" in *XENON-GUEST-RC=0) return 0 ;; esac
    return 1
}
# The lasting state letters of domain $1 in xl list (paused, shut down,
# crashed, dying); r and b only say what its vCPUs did at that instant.
state() { xl list "$1" | tail -1 | awk '{print $5}' | tr -d 'rb-'; }

# pattern WORD BYTES FILE: FILE of BYTES bytes (a power of two, at least 64),
# 64-byte lines of WORD. Doubled by cat, where `yes | head` would write a
# line at a time (seconds of emulated time per MiB). PATTERN_DEF defines it
# in a guest's shell too: guest_run domu "$PATTERN_DEF" (a command of its
# own: long lines typed on a console come back with odd echoes).
PATTERN_DEF='pattern() { printf "%-63s\n" $1 >$3; while [ $(wc -c <$3) -lt $2 ]; do cat $3 $3 >$3.t; mv $3.t $3; done; }'
eval "$PATTERN_DEF"
