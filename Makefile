# Top-level entry point: ties the kernel module (Kbuild) and userspace (CMake).
#
#   make                    module + ietd/ietadm (+ unit tests' binaries)
#   make module             kernel/iscsi_trgt.ko for $(KVER)
#   make userspace          cmake into build/
#   make install DESTDIR=…  ietd, ietadm -> /usr/sbin; module -> /lib/modules/$(KVER)/extra;
#                           etc/* -> /etc/iet (existing config is kept)
#   make unit               unit tests (ctest)
#   make check              unit tests, module build, QEMU e2e suite (scripts/check.sh)
#   make e2e [SCENARIOS=…]  QEMU e2e scenarios only (tests/e2e/run.sh)
#   make lab                the main job: boot the guest, our target serves a disk,
#                           open-iscsi logs in, show /proc/net/iet/session and lsblk
#   make clean / distclean  (distclean also drops the cached guest kernel)
#
# KVER is the Debian kernel the QEMU harness boots (scripts/kver.sh decides,
# from apt); `make KVER=6.12.x-amd64` builds for another installed one.

ifeq ($(origin KVER),undefined)
KVER := $(shell scripts/kver.sh)
endif
KDIR    ?= /lib/modules/$(KVER)/build
BUILD   ?= build
JOBS    ?= 2
PREFIX  ?= /usr
DESTDIR ?=
CMAKE_BUILD_TYPE ?= RelWithDebInfo
SCENARIOS ?=
E2E_ARGS ?=

export KVER

.PHONY: all module userspace install install-module install-userspace install-etc \
	unit check e2e lab matrix clean distclean help

all: module userspace

module:
	@test -n "$(KVER)" || { echo "KVER unknown: run scripts/install-deps.sh (or make KVER=...)"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel modules

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX)

userspace: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) --parallel $(JOBS)

install: install-userspace install-module install-etc

install-userspace: userspace
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

install-module: module
	install -D -m 644 kernel/iscsi_trgt.ko $(DESTDIR)/lib/modules/$(KVER)/extra/iscsi_trgt.ko
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

# Config may hold CHAP secrets: 0600.  Never overwrite an admin's edits.
install-etc:
	install -d -m 755 $(DESTDIR)/etc/iet
	@for f in etc/*; do \
		[ -f "$$f" ] || continue; \
		t=$(DESTDIR)/etc/iet/$${f#etc/}; \
		if [ -e "$$t" ]; then echo "keeping existing $$t"; \
		else echo "install $$f -> $$t"; install -m 600 "$$f" "$$t"; fi; \
	done

unit: userspace
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

check:
	BUILD=$(BUILD) JOBS=$(JOBS) E2E_ARGS="$(E2E_ARGS) $(SCENARIOS)" scripts/check.sh

e2e:
	tests/e2e/run.sh --kver $(KVER) --ietd $(BUILD)/daemon/ietd --ietadm $(BUILD)/tools/ietadm \
		$(E2E_ARGS) $(SCENARIOS)

lab: all
	tests/e2e/run.sh --kver $(KVER) --ietd $(BUILD)/daemon/ietd --ietadm $(BUILD)/tools/ietadm \
		$(E2E_ARGS) lab

# Kernel matrix (tests/matrix/run.sh, as root): W=1 builds on bookworm 6.1,
# trixie 6.12, sid 7.x (debootstrap roots cached in /var/cache/iscsitarget-ci)
# and the smoke e2e booting the trixie and sid kernels.
matrix: userspace
	tests/matrix/run.sh --ietd $(BUILD)/daemon/ietd --ietadm $(BUILD)/tools/ietadm --out $(BUILD)/matrix

# Packaging proof (tests/pkg/run.sh, as root): dpkg-buildpackage + lintian,
# both .debs installed in a debootstrap'ed bookworm root (cached in
# /var/cache/iscsitarget-ci/pkg), DKMS builds the module there, e2e basic
# with the installed module and ietd, then apt remove.
.PHONY: pkg-check
pkg-check:
	BUILD=$(BUILD) JOBS=$(JOBS) tests/pkg/run.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel clean
	@# keep build/e2e/cache (the downloaded guest kernel package)
	-find $(BUILD) -mindepth 1 -maxdepth 1 ! -name e2e -exec rm -rf {} + 2>/dev/null
	-rm -rf $(BUILD)/e2e/kernel $(BUILD)/e2e/*.log $(BUILD)/e2e/*.cpio.gz

distclean: clean
	rm -rf $(BUILD)

help:
	@sed -n '1,16p' Makefile | sed 's/^# \{0,1\}//'
