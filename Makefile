# readykit - the two commands a new user runs: `make demo` and `make test`.
# The Makefile installs the Debian 12 packages it needs (apt-get), then drives CMake.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
WERROR     ?= $(if $(CI),ON,OFF)
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

BUILD_DEPS := cmake make gcc pkg-config libyaml-dev libcjson-dev libxlsxwriter-dev \
              libhpdf-dev libssl-dev fonts-dejavu-core libzip-dev libexpat1-dev libqpdf-dev \
              zlib1g-dev
TEST_DEPS  := $(BUILD_DEPS) libcmocka-dev qpdf poppler-utils python3 python3-openpyxl \
              python3-jsonschema python3-yaml libreoffice-calc-nogui gcc-mingw-w64-x86-64 \
              wine64 iproute2 iptables util-linux time clang libclang-rt-14-dev \
              ansible-core ansible ansible-lint dpkg-dev locales tzdata libxml2-utils openssl gnupg
FUZZ_DEPS  := clang libclang-rt-14-dev

.PHONY: all demo test build deps test-deps collector-windows fuzz bench clean

all: build

# Installs only what is missing, so a second run costs nothing.
define install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	  grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call install,$(BUILD_DEPS))

test-deps:
	$(call install,$(TEST_DEPS))

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRK_WERROR=$(WERROR) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# Both samples, each into a folder of its own under out/.
DEMOS := contoso-fabrikam exchange-2019-target

demo: build
	@for s in $(DEMOS); do \
	  mkdir -p out/$$s && echo "== samples/$$s -> out/$$s" && \
	  $(BUILD)/render/readykit render samples/$$s/project.yaml -o out/$$s && echo || exit 1; \
	done
	@echo "In out/contoso-fabrikam/ and out/exchange-2019-target/: readiness.pdf and firewall.pdf"
	@echo "(to sign), readiness.xlsx and firewall.xlsx (to work in); findings.json and"
	@echo "firewall.csv for tools."

# Both CTest runs write JUnit XML; tests/check_skips.py then fails when a test skipped
# that tests/allowed-skips.txt does not list (ALLOW_SKIPS=1 only reports them, not in CI).
test: test-deps
	rm -f $(BUILD)/ctest-junit.xml $(ASAN_BUILD)/ctest-junit.xml
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRK_WERROR=$(WERROR) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DRK_SANITIZE=ON -DRK_WERROR=$(WERROR) >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --output-junit $(abspath $(BUILD))/ctest-junit.xml
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -LE 'slow|ansible|packaging|fuzz' \
	  --output-junit $(abspath $(ASAN_BUILD))/ctest-junit.xml
	python3 tests/check_skips.py --allowed tests/allowed-skips.txt \
	  $(if $(filter 1,$(ALLOW_SKIPS)),--report-only) \
	  plain=$(BUILD)/ctest-junit.xml sanitizer=$(ASAN_BUILD)/ctest-junit.xml

collector-windows: test-deps
	bash collector/build-windows.sh

fuzz:
	$(call install,$(FUZZ_DEPS))
	bash tests/fuzz/run.sh $(or $(FUZZ_SECONDS),300)

bench: build
	bash tests/bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-win build-fuzz out
