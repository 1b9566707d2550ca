/*
 * destroy-reclaim: three copies of this domain boot side by side with no
 * control domain and power off. Each is destroyed and every page it had
 * goes back: the runner checks that the hypervisor's free memory after the
 * last "Domain N destroyed: K KiB free" equals its "Memory free" before any
 * domain was built.
 */
#include <xtf.h>

const char test_title[] = "Destroy-reclaim: a powered-off domU gives all "
			  "its memory back";

void test_main(void)
{
	printf("destroy-reclaim: powering off\n");
	xtf_success();
}
