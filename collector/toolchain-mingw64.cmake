# CMake toolchain: cross-compile for 64-bit Windows with Debian's gcc-mingw-w64-x86-64.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(RKC_MINGW_PREFIX x86_64-w64-mingw32)
# The win32-threads flavour: no winpthread DLL or static pthread code is needed.
find_program(CMAKE_C_COMPILER NAMES ${RKC_MINGW_PREFIX}-gcc-win32 ${RKC_MINGW_PREFIX}-gcc REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES ${RKC_MINGW_PREFIX}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${RKC_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
