#!/bin/sh
# Cross-compiles readykit-collect.exe (64-bit, static) into build-win/ and prints its path.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${RKC_WIN_BUILD_DIR:-$top/build-win}
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || {
    echo "build-windows.sh: x86_64-w64-mingw32-gcc not found (install gcc-mingw-w64-x86-64)" >&2
    exit 1
}
cmake -S "$top" -B "$build" \
    -DCMAKE_TOOLCHAIN_FILE="$here/toolchain-mingw64.cmake" \
    -DCMAKE_BUILD_TYPE=MinSizeRel \
    -DRK_COLLECTOR_ONLY=ON >/dev/null
cmake --build "$build" --target readykit-collect -- -s >&2
exe="$build/collector/readykit-collect.exe"
test -f "$exe"
echo "$exe"
