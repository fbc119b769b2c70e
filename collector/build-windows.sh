#!/bin/sh
# Cross-compiles readykit-collect.exe (64-bit, static) into build-win/, packs it with
# README-customer.txt and its SHA-256 into a zip for a customer's administrator, and prints
# the paths (zip, .sha256, exe last).
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

# The package for a customer's administrator: build-win/readykit-collect-VERSION-windows-x64.zip
# holding the exe, README-customer.txt (CRLF, for Notepad) and readykit-collect.exe.sha256,
# all in one folder; the .sha256 is also written beside the zip. Entries carry the time of
# SOURCE_DATE_EPOCH, else of the last commit, so the same exe gives the same zip.
version=$(sed -n 's/^project(readykit VERSION \([0-9][0-9.]*\).*/\1/p' "$top/CMakeLists.txt")
: "${version:=0.0.0}"
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$top" log -1 --format=%ct 2>/dev/null || echo 315532800)}
zip="$build/readykit-collect-$version-windows-x64.zip"
sum="$build/readykit-collect.exe.sha256"
/usr/bin/python3 - "$exe" "$here/README-customer.txt" "$zip" "$sum" "$version" "$epoch" <<'PY'
import hashlib, os, sys, time, zipfile
exe, readme, out, sumfile, version, epoch = sys.argv[1:]
with open(exe, "rb") as f:
    data = f.read()
line = "%s  readykit-collect.exe\n" % hashlib.sha256(data).hexdigest()
with open(readme, "rb") as f:
    text = f.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
stamp = time.gmtime(max(int(epoch), 315532800))[:6]
folder = "readykit-collect-%s-windows-x64/" % version
tmp = out + ".tmp"
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name, body, mode in (("readykit-collect.exe", data, 0o755),
                             ("readykit-collect.exe.sha256", line.encode(), 0o644),
                             ("README-customer.txt", text, 0o644)):
        info = zipfile.ZipInfo(folder + name, date_time=stamp)
        info.external_attr = (0o100000 | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3
        z.writestr(info, body)
os.replace(tmp, out)
with open(sumfile + ".tmp", "w") as f:
    f.write(line)
os.replace(sumfile + ".tmp", sumfile)
PY
echo "$zip"
echo "$sum"
# The exe last: scripts take the last line as its path.
echo "$exe"
