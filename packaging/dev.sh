#!/usr/bin/env bash
# One entry point from a fresh Debian 12 clone (as root): installs what Fogbank needs from
# Debian's packages, builds, and then either opens the studio on the bundled example or runs every
# test (also under AddressSanitizer/UBSan). `.ci/run` is `packaging/dev.sh test`.
#
#   packaging/dev.sh studio [TEMPLATE]   build and open fogbank-studio (default: examples/hello)
#   packaging/dev.sh test                build with warnings as errors, run ctest, then the
#                                        sanitizer build's ctest
#   packaging/dev.sh deps                only install the packages
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-test}
jobs=$(nproc)

# Boost must be 1.81 (libboost1.81-dev): Debian's libboost-dev is 1.74 and conflicts with it.
# Qt Charts' CMake package needs Qt6OpenGL's, which Debian's qt6-charts-dev forgets to depend on.
packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev libgl-dev
  libboost1.81-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libyaml-cpp-dev
  libsqlite3-dev libcli11-dev libssl-dev libhowardhinnant-date-dev tzdata
  nodejs python3 python3-boto3 python3-debugpy awscli curl
  xvfb xauth clang-format
)

install_deps() {
  local missing=()
  # Debian's npm, only when there is none: a nodejs from elsewhere (NodeSource) ships its own npm,
  # and Debian's conflicts with it.
  command -v npm >/dev/null 2>&1 || packages+=(npm)
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "== installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

case "$mode" in
  deps)
    install_deps
    ;;
  studio)
    install_deps
    build build
    exec build/bin/fogbank-studio "${2:-examples/hello/template.yaml}"
    ;;
  test)
    install_deps
    echo "== build (warnings are errors)"
    build build -DFOGBANK_WERROR=ON
    echo "== the AWS SDK for JavaScript for tests/js (pinned by its package-lock.json)"
    npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
    echo "== tests"
    ctest --test-dir build --output-on-failure -j 2
    echo "== tests under AddressSanitizer and UBSan"
    build build-asan -DFOGBANK_WERROR=ON -DFOGBANK_SANITIZE=ON -DFOGBANK_BUILD_BENCH=OFF
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir build-asan --output-on-failure -j 2
    ;;
  *)
    echo "usage: $0 studio [TEMPLATE] | test | deps" >&2
    exit 2
    ;;
esac
