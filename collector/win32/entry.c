/* entry.c - Windows entry point: the UTF-16 command line becomes UTF-8 for rkc_main. */
#include <stdio.h>
#include <stdlib.h>

#include "win.h"
#include "../xalloc.h"

int wmain(int argc, wchar_t **wargv)
{
    char **argv = rkc_xcalloc((size_t)argc + 1, sizeof *argv);
    for (int i = 0; i < argc; i++) {
        int n = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, NULL, 0, NULL, NULL);
        argv[i] = rkc_xmalloc(n > 0 ? (size_t)n : 1);
        if (n <= 0 || WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, argv[i], n, NULL, NULL) <= 0)
            argv[i][0] = '\0';
    }
    int rc = rkc_main(argc, argv);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    return rc;
}
