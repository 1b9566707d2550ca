. /root/tests/lib.sh
# Malformed or impossible xl.cfg files: each gets the same error as on Xen,
# and nothing is left behind (no domain, the same free memory).
free_mib() { xl info | awk '/^free_memory/ {print $3}'; }
bad() {
    sed "$1" /root/domu.cfg > /tmp/bad.cfg
    xl create /tmp/bad.cfg 2>&1 | grep -v "^Parsing config"
    echo "rc=${PIPESTATUS[0]}"
    xl destroy domu 2>/dev/null && gone domu >/dev/null
    echo "domains=$(xl list | tail -n +2 | wc -l)"
}
same_free() { [ "$(free_mib)" = "$before" ] && echo "free memory unchanged"; }
before=$(free_mib)
run bad 's/^vcpus.*/vcpus = 0/'
run bad 's/^vcpus.*/vcpus = 1000/'
run bad 's/^memory.*/memory = 4096/'
run bad 's|^kernel.*|kernel = "/root/missing"|'
run bad '$a no_such_key = 1'
run bad 's/^memory.*/memory = "lots"/'
run same_free
run xl list
