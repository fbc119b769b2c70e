/* deny.c - test helper for Wine: stands in for fltmc.exe and net.exe as a token without
 * administrator rights sees them (Wine runs every program as an administrator), so that
 * the remediation loop test can check that a script refuses to change anything. */
#include <stdio.h>

int main(void)
{
    fputs("System error 5 has occurred.\n\nAccess is denied.\n", stderr);
    return 2;
}
