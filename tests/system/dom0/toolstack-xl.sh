. /root/tests/lib.sh
run xl info
run xl list
run xenstore-ls /local/domain
run sh -c 'xl dmesg | head -1 | cut -d" " -f1'
# What dom0's Linux says of its CPUs' Spectre state: it asks the hypervisor
# (SMCCC_ARCH_FEATURES).
run sh -c 'cd /sys/devices/system/cpu/vulnerabilities && grep . spectre_v2 spec_store_bypass'
run sh -c 'xl dmesg | grep -c "Serial input to DOM0"'
run xl vcpu-list 0
run xl create /root/domu.cfg
run guest_shell domu
run xl list
run xl vcpu-list domu
run xenstore-read /local/domain/1/name /local/domain/1/console/type
run guest_type domu 'while :; do echo tick; sleep 0.2; done &'
run prints domu
run xl pause domu
run state domu
run silent domu
run xl unpause domu
run prints domu
run xl vcpu-pin domu 0 1
run sh -c 'xl vcpu-list domu | tail -1 | awk "{print \$7, \$8, \$9}"'
run xl mem-set domu 128m
run balloon domu 128
run xl shutdown -w domu
run gone domu
rm -f /var/log/xen/console/guest-domu.log
run xl create /root/domu.cfg
run guest_shell domu
run xl destroy domu
run gone domu
run xl list
