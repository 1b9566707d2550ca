/* vsnprintf: the formatter behind printf (see console.h for formats). */
#include <xtf/console.h>

struct out {
	char *buf;
	size_t size; /* capacity including the terminating NUL */
	size_t len; /* characters produced (may exceed size) */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0) {
		put(o, c);
	}
}

struct spec {
	bool left, zero, alt;
	int width;
	int length; /* -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t */
};

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
	int n;

	if (!s) {
		s = "(null)";
	}
	n = (int)strlen(s);
	if (!sp->left) {
		pad(o, ' ', sp->width - n);
	}
	while (*s) {
		put(o, *s++);
	}
	if (sp->left) {
		pad(o, ' ', sp->width - n);
	}
}

static void put_num(struct out *o, const struct spec *sp, uint64_t v, bool neg,
		    unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	const char *prefix = "";
	int n = 0, plen, total;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg) {
		prefix = "-";
	} else if (sp->alt && base == 16) {
		prefix = upper ? "0X" : "0x";
	} else if (sp->alt && base == 8 && tmp[n - 1] != '0') {
		prefix = "0";
	}
	plen = (int)strlen(prefix);
	total = n + plen;
	if (!sp->left && !sp->zero) {
		pad(o, ' ', sp->width - total);
	}
	while (*prefix) {
		put(o, *prefix++);
	}
	if (!sp->left && sp->zero) {
		pad(o, '0', sp->width - total);
	}
	while (n) {
		put(o, tmp[--n]);
	}
	if (sp->left) {
		pad(o, ' ', sp->width - total);
	}
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	for (;; f++) {
		if (*f == '-') {
			sp->left = true;
		} else if (*f == '0') {
			sp->zero = true;
		} else if (*f == '#') {
			sp->alt = true;
		} else {
			break;
		}
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9') {
		sp->width = sp->width * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'h') {
			sp->length--;
		} else if (*f == 'l') {
			sp->length++;
		} else if (*f == 'z') {
			sp->length = 2;
		} else {
			break;
		}
	}
	return f;
}

static uint64_t arg_unsigned(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 1) {
		return va_arg(*ap, unsigned long);
	}
	if (sp->length == -1) {
		return (unsigned short)va_arg(*ap, unsigned int);
	}
	if (sp->length <= -2) {
		return (unsigned char)va_arg(*ap, unsigned int);
	}
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 1) {
		return va_arg(*ap, long);
	}
	if (sp->length == -1) {
		return (short)va_arg(*ap, int);
	}
	if (sp->length <= -2) {
		return (signed char)va_arg(*ap, int);
	}
	return va_arg(*ap, int);
}

static void convert(struct out *o, struct spec *sp, char conv, va_list *ap)
{
	int64_t s;

	switch (conv) {
	case 'd':
	case 'i':
		s = arg_signed(sp, ap);
		put_num(o, sp, s < 0 ? 0 - (uint64_t)s : (uint64_t)s, s < 0, 10,
			false);
		break;
	case 'u':
		put_num(o, sp, arg_unsigned(sp, ap), false, 10, false);
		break;
	case 'x':
	case 'X':
		put_num(o, sp, arg_unsigned(sp, ap), false, 16, conv == 'X');
		break;
	case 'o':
		put_num(o, sp, arg_unsigned(sp, ap), false, 8, false);
		break;
	case 'p':
		sp->alt = true;
		put_num(o, sp, (uintptr_t)va_arg(*ap, void *), false, 16,
			false);
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case 's':
		put_str(o, sp, va_arg(*ap, const char *));
		break;
	case '%':
		put(o, '%');
		break;
	default: /* unknown: show it as written */
		put(o, '%');
		put(o, conv);
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {.buf = buf, .size = size, .len = 0};
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &aq);
		if (!*fmt) {
			break;
		}
		convert(&o, &sp, *fmt++, &aq);
	}
	va_end(aq);
	if (size) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
