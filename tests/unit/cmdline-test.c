/*
 * Unit tests for the command-line parser and its value parsers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hv/cmdline.h>
#include <hv/errno.h>
#include <hv/printk.h>

#include "fake-console.h"

static int seen_count;
static char seen_value[64];

static int param_test_opt(const char *value)
{
	seen_count++;
	if (value == NULL) {
		seen_value[0] = '\0';
		return 0;
	}
	if (value[0] == '!') {
		return -1;
	}
	(void)format_string(seen_value, sizeof(seen_value), "%s", value);
	return 0;
}
HV_PARAM("test_opt", param_test_opt);

static int setup(void **state)
{
	(void)state;
	seen_count = 0;
	seen_value[0] = '\0';
	fake_console_start();
	return 0;
}

static void test_known_option_with_value(void **state)
{
	(void)state;
	assert_int_equal(cmdline_parse("test_opt=hello"), 0);
	assert_int_equal(seen_count, 1);
	assert_string_equal(seen_value, "hello");
	assert_string_equal(cmdline_get(), "test_opt=hello");
}

static void test_option_without_value(void **state)
{
	(void)state;
	strcpy(seen_value, "x");
	assert_int_equal(cmdline_parse("  test_opt  "), 0);
	assert_int_equal(seen_count, 1);
	assert_string_equal(seen_value, "");
}

static void test_unknown_option_warns(void **state)
{
	(void)state;
	assert_int_equal(cmdline_parse("frobnicate=1 test_opt=a"), 1);
	assert_int_equal(seen_count, 1);
	assert_non_null(strstr(fake_console_text(), "frobnicate"));
	assert_non_null(strstr(fake_console_text(), "(XENON) Unknown"));
}

static void test_bad_value_warns(void **state)
{
	(void)state;
	assert_int_equal(cmdline_parse("test_opt=!bad"), 1);
	assert_non_null(strstr(fake_console_text(), "Bad value"));
}

static void test_loglvl_filters(void **state)
{
	enum log_level old = printk_set_level(LOG_LEVEL_INFO);

	(void)state;
	assert_int_equal(cmdline_parse("loglvl=error/warning"), 0);
	printk(XENLOG_WARNING "hidden-warning\n");
	printk(XENLOG_ERR "shown-error\n");
	assert_null(strstr(fake_console_text(), "hidden-warning"));
	assert_non_null(strstr(fake_console_text(), "shown-error"));
	assert_int_equal(cmdline_parse("loglvl=all"), 0);
	printk(XENLOG_DEBUG "debug-now\n");
	assert_non_null(strstr(fake_console_text(), "debug-now"));
	assert_int_equal(cmdline_parse("loglvl=loud"), 1);
	(void)printk_set_level(old);
}

static void test_long_cmdline_truncated(void **state)
{
	char line[CMDLINE_MAX + 100];

	(void)state;
	memset(line, 'a', sizeof(line) - 1U);
	line[sizeof(line) - 1U] = '\0';
	(void)cmdline_parse(line);
	assert_int_equal(strlen(cmdline_get()), CMDLINE_MAX - 1U);
	assert_non_null(strstr(fake_console_text(), "truncated"));
}

static void test_parse_size(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(parse_size("512M", &v), 0);
	assert_int_equal(v, 512ULL << 20);
	assert_int_equal(parse_size("4G", &v), 0);
	assert_int_equal(v, 4ULL << 30);
	assert_int_equal(parse_size("0x1000", &v), 0);
	assert_int_equal(v, 0x1000);
	assert_int_equal(parse_size("12k", &v), 0);
	assert_int_equal(v, 12ULL << 10);
	assert_int_equal(parse_size("", &v), -EINVAL);
	assert_int_equal(parse_size("M", &v), -EINVAL);
	assert_int_equal(parse_size("5Q", &v), -EINVAL);
	assert_int_equal(parse_size("99999999999T", &v), -EINVAL);
	assert_int_equal(parse_size(NULL, &v), -EINVAL);
}

static void test_parse_uint_and_bool(void **state)
{
	uint64_t v = 0;
	bool b = false;

	(void)state;
	assert_int_equal(parse_uint("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_uint("0xff", &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(parse_uint("18446744073709551616", &v), -EINVAL);
	assert_int_equal(parse_uint("4x", &v), -EINVAL);
	assert_int_equal(parse_bool(NULL, &b), 0);
	assert_true(b);
	assert_int_equal(parse_bool("off", &b), 0);
	assert_false(b);
	assert_int_equal(parse_bool("maybe", &b), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_known_option_with_value, setup),
		cmocka_unit_test_setup(test_option_without_value, setup),
		cmocka_unit_test_setup(test_unknown_option_warns, setup),
		cmocka_unit_test_setup(test_bad_value_warns, setup),
		cmocka_unit_test_setup(test_loglvl_filters, setup),
		cmocka_unit_test_setup(test_long_cmdline_truncated, setup),
		cmocka_unit_test_setup(test_parse_size, setup),
		cmocka_unit_test_setup(test_parse_uint_and_bool, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
