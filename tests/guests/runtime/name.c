/* Compiled once per test with -DXTF_TEST_NAME="<folder>". */
#include <xtf.h>

const char test_name[] = XTF_TEST_NAME;
