/*
 * A small, bounded printf-style formatter: the hypervisor's only one.
 */
#include <hv/printk.h>
#include <hv/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

struct spec {
	bool left;
	bool zero;
	unsigned int width;
	int precision; /* -1 when absent */
	unsigned int
		length; /* 0 int, 1 long, 2 long long, 3 size_t, 4 char/short */
};

static void out_char(struct out *o, char c)
{
	if ((o->size > 0U) && (o->len < (o->size - 1U))) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void out_pad(struct out *o, unsigned int n, char c)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		out_char(o, c);
	}
}

static void out_str(struct out *o, const char *s, const struct spec *sp)
{
	size_t n;
	size_t i;

	if (s == NULL) {
		s = "(null)";
	}
	n = (sp->precision >= 0) ? strnlen(s, (size_t)sp->precision)
				 : strlen(s);
	if (!sp->left && (sp->width > n)) {
		out_pad(o, sp->width - (unsigned int)n, ' ');
	}
	for (i = 0; i < n; i++) {
		out_char(o, s[i]);
	}
	if (sp->left && (sp->width > n)) {
		out_pad(o, sp->width - (unsigned int)n, ' ');
	}
}

static void out_num(struct out *o, uint64_t v, bool neg, unsigned int base,
		    bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	unsigned int n = 0;
	unsigned int total;

	do {
		tmp[n] = digits[v % base];
		n++;
		v /= base;
	} while (v != 0U);
	total = n + (neg ? 1U : 0U);
	if (!sp->left && !sp->zero && (sp->width > total)) {
		out_pad(o, sp->width - total, ' ');
	}
	if (neg) {
		out_char(o, '-');
	}
	if (!sp->left && sp->zero && (sp->width > total)) {
		out_pad(o, sp->width - total, '0');
	}
	while (n > 0U) {
		n--;
		out_char(o, tmp[n]);
	}
	if (sp->left && (sp->width > total)) {
		out_pad(o, sp->width - total, ' ');
	}
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->precision = -1;
	for (; (*f == '-') || (*f == '0'); f++) {
		if (*f == '-') {
			sp->left = true;
		} else {
			sp->zero = true;
		}
	}
	for (; (*f >= '0') && (*f <= '9'); f++) {
		sp->width = (sp->width * 10U) + (unsigned int)(*f - '0');
	}
	if (*f == '.') {
		sp->precision = 0;
		for (f++; (*f >= '0') && (*f <= '9'); f++) {
			sp->precision = (sp->precision * 10) + (*f - '0');
		}
	}
	if ((*f == 'h') || (*f == 'z') || (*f == 'l')) {
		sp->length = (*f == 'h') ? 4U : ((*f == 'z') ? 3U : 1U);
		f++;
		if ((*f == 'l') || (*f == 'h')) {
			sp->length = (*f == 'l') ? 2U : 4U;
			f++;
		}
	}
	return f;
}

static uint64_t arg_unsigned(va_list *ap, const struct spec *sp)
{
	switch (sp->length) {
	case 1U:
		return va_arg(*ap, unsigned long);
	case 2U:
		return va_arg(*ap, unsigned long long);
	case 3U:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t arg_signed(va_list *ap, const struct spec *sp)
{
	switch (sp->length) {
	case 1U:
		return va_arg(*ap, long);
	case 2U:
		return va_arg(*ap, long long);
	case 3U:
		return (int64_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

static void format_one(struct out *o, char conv, const struct spec *sp,
		       va_list *ap)
{
	int64_t s;

	switch (conv) {
	case 'd':
	case 'i':
		s = arg_signed(ap, sp);
		out_num(o, (s < 0) ? (0U - (uint64_t)s) : (uint64_t)s, s < 0,
			10U, false, sp);
		break;
	case 'u':
		out_num(o, arg_unsigned(ap, sp), false, 10U, false, sp);
		break;
	case 'x':
	case 'X':
		out_num(o, arg_unsigned(ap, sp), false, 16U, conv == 'X', sp);
		break;
	case 'o':
		out_num(o, arg_unsigned(ap, sp), false, 8U, false, sp);
		break;
	case 'p':
		out_char(o, '0');
		out_char(o, 'x');
		out_num(o, (uintptr_t)va_arg(*ap, void *), false, 16U, false,
			sp);
		break;
	case 'c':
		out_char(o, (char)va_arg(*ap, int));
		break;
	case 's':
		out_str(o, va_arg(*ap, const char *), sp);
		break;
	default:
		out_char(o, '%');
		if (conv != '%') {
			out_char(o, conv);
		}
		break;
	}
}

int format_vstring(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			out_char(&o, *fmt);
			fmt++;
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		if (*fmt == '\0') {
			break;
		}
		format_one(&o, *fmt, &sp, &args);
		fmt++;
	}
	va_end(args);
	if (size > 0U) {
		buf[(o.len < size) ? o.len : (size - 1U)] = '\0';
	}
	return (int)o.len;
}

int format_string(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_vstring(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
