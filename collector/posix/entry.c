/* entry.c - POSIX entry point: arguments are already UTF-8 (or bytes) here. */
#include "../platform.h"

int main(int argc, char **argv)
{
    return rkc_main(argc, argv);
}
