# Xenon: a Xen-compatible hypervisor for AArch64.
#
#   make            build $(O)/xenon (arm64 Image) and $(O)/xenon.elf
#   make run        boot Xenon in QEMU (installs missing packages first)
#   make test       static checks, unit tests and QEMU system tests
#   make check      clang-format, cppcheck and the MISRA-C addon
#   make O=dir      build out of tree, in dir

O ?= build
CROSS_COMPILE ?= aarch64-linux-gnu-
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
HOSTCC ?= gcc
PYTHON ?= python3

SRC := hypervisor
# V=1 shows the full commands.
Q := $(if $(V),,@)
LINK_BASE := 0x40200000

comma := ,
WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
	-Wstrict-prototypes -Wpointer-arith -Wundef -Wvla -Wcast-align \
	-Wno-missing-field-initializers

XEN_INC := $(O)/xen-include

TARGET_CFLAGS := -std=c11 -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-isystem $(XEN_INC) -I$(SRC) -I$(SRC)/include -I$(SRC)/arch/arm64/include \
	-I$(SRC)/arch/arm64/dt/include -include $(SRC)/include/hv/visibility.h \
	-mgeneral-regs-only -mno-outline-atomics -march=armv8-a \
	-fpie -fno-plt -fno-stack-protector -fno-common -fno-strict-aliasing \
	-ffunction-sections -fdata-sections -fno-omit-frame-pointer \
	-momit-leaf-frame-pointer -O2 -g $(WARN) -MMD -MP \
	-D__XEN_INTERFACE_VERSION__=0x00040e00 -D__XEN_TOOLS__
TARGET_ASFLAGS := -D__ASSEMBLY__ -I$(SRC)/include -I$(SRC)/arch/arm64/include \
	-MMD -MP -g
TARGET_LDFLAGS := -nostdlib -pie --no-dynamic-linker -z notext -z norelro \
	-z noexecstack --no-warn-rwx-segments --gc-sections --build-id=none \
	-T $(O)/xenon.lds --defsym=LINK_BASE=$(LINK_BASE)

HV_SRCS := $(wildcard $(SRC)/core/*.c $(SRC)/lib/*.c $(SRC)/drivers/*.c \
	$(SRC)/arch/arm64/*.c $(SRC)/arch/arm64/dt/*.c)
HV_ASMS := $(filter-out %.lds.S,$(wildcard $(SRC)/arch/arm64/*.S))
HV_OBJS := $(patsubst %,$(O)/%.o,$(HV_SRCS) $(HV_ASMS))


.PHONY: all run run-dom0 dom0-rootfs test check unit system bench fuzz deps clean distclean guests unit-build abi-check
all: $(O)/xenon

$(XEN_INC)/xen:
	@mkdir -p $(XEN_INC)
	@test -d /usr/include/xen || { echo "Xen public headers missing: run 'make deps'"; exit 1; }
	ln -sfn /usr/include/xen $(XEN_INC)/xen

# <xen/arch-arm/smccc.h> includes "public/xen.h", its path in Xen's tree.
$(XEN_INC)/public: | $(XEN_INC)/xen
	ln -sfn /usr/include/xen $(XEN_INC)/public

$(O)/%.c.o: %.c | $(XEN_INC)/xen $(XEN_INC)/public
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TARGET_CFLAGS) -c $< -o $@

$(O)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TARGET_ASFLAGS) -c $< -o $@

$(O)/xenon.lds: $(SRC)/arch/arm64/xenon.lds.S
	@mkdir -p $(dir $@)
	$(CC) -E -P -D__ASSEMBLY__ -x c $< -o $@

# Two links: the first gives the addresses for the backtrace symbol table,
# which the second links in after all code (so no code moves).
$(O)/symbols-empty.S:
	@mkdir -p $(dir $@)
	printf '\t.section .symbols, "a"\n\t.balign 4\n\t.globl symbols_count\nsymbols_count:\n\t.long 0\n\t.globl symbols_offsets, symbols_name_offsets, symbols_names\nsymbols_offsets:\nsymbols_name_offsets:\nsymbols_names:\n' > $@

$(O)/%.S.o: $(O)/%.S
	$(CC) $(TARGET_ASFLAGS) -c $< -o $@

$(O)/xenon.elf: $(HV_OBJS) $(O)/xenon.lds $(O)/symbols-empty.S.o
	$(LD) $(TARGET_LDFLAGS) $(HV_OBJS) $(O)/symbols-empty.S.o -o $@.pass1
	scripts/gen-symbols.sh $(CROSS_COMPILE)nm $@.pass1 $(LINK_BASE) > $(O)/symbols.S
	$(CC) $(TARGET_ASFLAGS) -c $(O)/symbols.S -o $(O)/symbols.o
	$(LD) $(TARGET_LDFLAGS) $(HV_OBJS) $(O)/symbols.o -o $@
	@scripts/gen-symbols.sh $(CROSS_COMPILE)nm $@ $(LINK_BASE) | cmp -s - $(O)/symbols.S || \
		{ echo "symbol addresses moved between links"; exit 1; }

$(O)/xenon: $(O)/xenon.elf
	$(OBJCOPY) -O binary $< $@
	@echo "Built $@ ($$(stat -c %s $@) bytes)"

-include $(HV_OBJS:.o=.d)

# ---- Host unit tests: the real core/ and lib/ linked with arch/fake ----
HOST_CFLAGS := -std=c11 -g -O1 -D__XEN_INTERFACE_VERSION__=0x00040e00 -D__XEN_TOOLS__ -I$(SRC) -I$(SRC)/include -I$(SRC)/arch/fake/include \
	-I$(SRC)/arch/arm64/dt/include \
	-D_GNU_SOURCE -DHV_HOST_TEST $(WARN) -Wno-missing-prototypes \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
# The device-tree layer (arch/arm64/dt, drivers/*-dt.c) uses no Arm
# instruction, so the host tests and fuzzers link it too.
HOST_LIB_SRCS := $(filter-out $(SRC)/lib/string.c,$(wildcard $(SRC)/core/*.c \
	$(SRC)/lib/*.c)) $(wildcard $(SRC)/arch/fake/*.c $(SRC)/arch/arm64/dt/*.c \
	$(SRC)/drivers/*-dt.c)
HOST_LIB_OBJS := $(patsubst %,$(O)/host/%.o,$(HOST_LIB_SRCS))
UNIT_SRCS := $(wildcard tests/unit/*-test.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/host/unit/%,$(UNIT_SRCS))

$(O)/host/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(O)/host/unit/%: tests/unit/%.c $(HOST_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Itests/unit $< $(HOST_LIB_OBJS) -lcmocka -o $@

-include $(HOST_LIB_OBJS:.o=.d)

# Keep the host objects between runs (make would delete them as
# intermediate files of the pattern rules).
.SECONDARY: $(HOST_LIB_OBJS)

unit-build: $(UNIT_BINS)

# ---- Host fuzzers (libFuzzer, clang): the same sources, instrumented ----
FUZZCC ?= clang
FUZZ_CFLAGS := $(filter-out -fsanitize=address$(comma)undefined,$(HOST_CFLAGS)) \
	-fsanitize=fuzzer-no-link,address,undefined
FUZZ_LIB_OBJS := $(patsubst %,$(O)/fuzz-objs/%.o,$(HOST_LIB_SRCS))
FUZZ_SRCS := $(wildcard tests/fuzz/*-fuzz.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(O)/host/fuzz/%,$(FUZZ_SRCS))

$(O)/fuzz-objs/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZCC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(O)/host/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZCC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB_OBJS) -lcmocka -o $@

-include $(FUZZ_LIB_OBJS:.o=.d)
.SECONDARY: $(FUZZ_LIB_OBJS)

fuzz-build: $(FUZZ_BINS)

# ABI structures pinned for arm64: compiling is the test.
abi-check: | $(XEN_INC)/xen
	$(Q)for f in tests/abi/*.c; do \
		$(CC) $(TARGET_CFLAGS) -c $$f -o /dev/null || exit 1; \
	done

# ---- Entry points ----
deps:
	@scripts/deps.sh

run: deps $(O)/xenon guests
	@$(PYTHON) scripts/run.py --build $(O)

# dom0 with Debian's own Xen 4.17 tools (scripts/dom0-rootfs.py).
run-dom0: deps $(O)/xenon dom0-rootfs
	@$(PYTHON) scripts/run.py --build $(O) --dom0

dom0-rootfs: deps
	@$(PYTHON) scripts/dom0-rootfs.py --build $(O) >/dev/null

check: deps
	@scripts/check.sh

guests:
	@$(MAKE) --no-print-directory -C tests/guests O=$(abspath $(O))

test: deps
	@$(MAKE) --no-print-directory all unit-build fuzz-build guests
	@$(PYTHON) tests/run-all.py --build $(O)

bench: deps all guests
	@$(PYTHON) bench/run.py --build $(O)

# The hostile-guest hypercall fuzzer (scripts/fuzz.py) beside the ticker,
# as a domU and as dom0, then the libFuzzer host targets (scripts/host_fuzz.py).
SEED ?= 1
COUNT ?= 1000000
HOST_RUNS ?= 10000000
fuzz: deps all guests fuzz-build
	@$(PYTHON) scripts/fuzz.py --build $(O) --seed $(SEED) --count $(COUNT)
	@$(PYTHON) scripts/host_fuzz.py --build $(O) --runs $(HOST_RUNS)

clean:
	rm -rf $(O)
