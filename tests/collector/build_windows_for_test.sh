#!/bin/sh
# Cross-builds readykit-collect.exe for the Wine test: SRC (collector/) into BUILD. 77 = skip.
set -eu
src=$1 build=$2 version=$3
if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
    echo "SKIP: x86_64-w64-mingw32-gcc not installed (gcc-mingw-w64-x86-64)"
    exit 77
fi
cmake -S "$src" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$src/toolchain-mingw64.cmake" \
    -DCMAKE_BUILD_TYPE=MinSizeRel -DRK_VERSION="$version" >/dev/null
cmake --build "$build" --target readykit-collect
ls -l "$build/readykit-collect.exe"
