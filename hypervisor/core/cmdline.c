/*
 * Command-line parsing. Options register themselves with HV_PARAM(), which
 * places a struct hv_param in the "hv_params" section; the linker provides
 * its bounds.
 */
#include <hv/cmdline.h>
#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/string.h>

extern const struct hv_param __start_hv_params[];
extern const struct hv_param __stop_hv_params[];

static char saved_cmdline[CMDLINE_MAX];

const char *cmdline_get(void)
{
	return saved_cmdline;
}

static const struct hv_param *find_param(const char *name)
{
	size_t n = LINKER_TABLE_COUNT(__start_hv_params, __stop_hv_params,
				      struct hv_param);
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(__start_hv_params[i].name, name) == 0) {
			return &__start_hv_params[i];
		}
	}
	return NULL;
}

/* Handle one "name[=value]" token (modified in place); 0 if accepted. */
static unsigned int apply_option(char *opt)
{
	char *eq = strchr(opt, '=');
	const char *value = NULL;
	const struct hv_param *p;

	if (eq != NULL) {
		*eq = '\0';
		value = eq + 1;
	}
	p = find_param(opt);
	if (p == NULL) {
		printk(XENLOG_WARNING
		       "Unknown command line option '%s' ignored\n",
		       opt);
		return 1U;
	}
	if (p->handler(value) != 0) {
		printk(XENLOG_WARNING
		       "Bad value '%s' for option '%s' ignored\n",
		       (value != NULL) ? value : "", opt);
		return 1U;
	}
	return 0U;
}

unsigned int cmdline_parse(const char *cmdline)
{
	char buf[CMDLINE_MAX];
	size_t len = strnlen(cmdline, CMDLINE_MAX);
	unsigned int bad = 0;
	size_t i = 0;
	size_t start;

	if (len == CMDLINE_MAX) {
		printk(XENLOG_WARNING "Command line truncated to %u bytes\n",
		       CMDLINE_MAX - 1U);
		len = CMDLINE_MAX - 1U;
	}
	memcpy(saved_cmdline, cmdline, len);
	saved_cmdline[len] = '\0';
	memcpy(buf, saved_cmdline, len + 1U);
	while (i < len) {
		while ((i < len) && (buf[i] == ' ')) {
			i++;
		}
		start = i;
		while ((i < len) && (buf[i] != ' ')) {
			i++;
		}
		buf[i] = '\0';
		if (i > start) {
			bad += apply_option(&buf[start]);
		}
		i++;
	}
	return bad;
}

/* Parse digits in base from *s; advances *s. -EINVAL if none or overflow. */
static int parse_digits(const char **s, unsigned int base, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = *s;
	unsigned int d;

	for (;; p++) {
		if ((*p >= '0') && (*p <= '9')) {
			d = (unsigned int)(*p - '0');
		} else if ((base == 16U) && (*p >= 'a') && (*p <= 'f')) {
			d = (unsigned int)(*p - 'a') + 10U;
		} else if ((base == 16U) && (*p >= 'A') && (*p <= 'F')) {
			d = (unsigned int)(*p - 'A') + 10U;
		} else {
			break;
		}
		if (v > ((UINT64_MAX - d) / base)) {
			return -EINVAL;
		}
		v = (v * base) + d;
	}
	if (p == *s) {
		return -EINVAL;
	}
	*s = p;
	*out = v;
	return 0;
}

static int parse_number_prefix(const char **s, uint64_t *out)
{
	if (((*s)[0] == '0') && (((*s)[1] == 'x') || ((*s)[1] == 'X'))) {
		*s += 2;
		return parse_digits(s, 16U, out);
	}
	return parse_digits(s, 10U, out);
}

int parse_uint(const char *s, uint64_t *out)
{
	if ((s == NULL) || (parse_number_prefix(&s, out) != 0) ||
	    (*s != '\0')) {
		return -EINVAL;
	}
	return 0;
}

static unsigned int size_shift(char c)
{
	switch (c) {
	case 'k':
	case 'K':
		return 10U;
	case 'm':
	case 'M':
		return 20U;
	case 'g':
	case 'G':
		return 30U;
	case 't':
	case 'T':
		return 40U;
	default:
		return 0U;
	}
}

int parse_size(const char *s, uint64_t *out)
{
	uint64_t v;
	unsigned int shift;

	if ((s == NULL) || (parse_number_prefix(&s, &v) != 0)) {
		return -EINVAL;
	}
	shift = size_shift(*s);
	if (shift != 0U) {
		s++;
	} else if ((*s == 'b') || (*s == 'B')) {
		s++;
	}
	if ((*s != '\0') || ((v << shift) >> shift != v)) {
		return -EINVAL;
	}
	*out = v << shift;
	return 0;
}

int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"1", "yes", "on", "true", "enable"};
	static const char *const no[] = {"0", "no", "off", "false", "disable"};
	size_t i;

	if (s == NULL) {
		*out = true;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}
