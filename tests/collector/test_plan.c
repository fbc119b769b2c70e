/* test_plan.c - unit tests for the probe plan parser: probe and collect lines, golden errors, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"

static int parse(const char *s, size_t n, rkc_plan *p, char *err)
{
    return rkc_plan_parse(s, n, p, err, 512);
}

static void accepts_a_readykit_plan(void **state)
{
    (void)state;
    const char *s = "\xEF\xBB\xBF# readykit probe plan\r\n"
                    "# PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID\r\n"
                    "\r\n"
                    "tcp 25 10.1.0.10 F0001\r\n"
                    "  TCP\t443\t  exch01.contoso.local   row12-mig/exch\n"
                    "Udp 1434 sql01 F0009\n"
                    "tcp 65535 fe80::1%eth0 F(1)\n"
                    "   # indented comment\n"
                    "tcp 1 ::1 a@b=c+d:e_f.g"; /* no final newline */
    rkc_plan p;
    char err[512];
    assert_int_equal(parse(s, strlen(s), &p, err), 0);
    assert_string_equal(err, "");
    assert_int_equal(p.nprobes, 5);
    assert_int_equal(p.probes[0].proto, RKC_TCP);
    assert_int_equal(p.probes[0].port, 25);
    assert_string_equal(p.probes[0].host, "10.1.0.10");
    assert_string_equal(p.probes[0].flow, "F0001");
    assert_int_equal(p.probes[0].line, 4);
    assert_string_equal(p.probes[1].host, "exch01.contoso.local");
    assert_string_equal(p.probes[1].flow, "row12-mig/exch");
    assert_int_equal(p.probes[2].proto, RKC_UDP);
    assert_int_equal(p.probes[3].port, 65535);
    assert_string_equal(p.probes[3].host, "fe80::1%eth0");
    assert_int_equal(p.probes[4].line, 9);
    assert_string_equal(p.probes[4].flow, "a@b=c+d:e_f.g");
    rkc_plan_free(&p);
    rkc_plan_free(&p); /* freeing an empty plan is a no-op */
}

static void empty_plans_are_valid(void **state)
{
    (void)state;
    rkc_plan p;
    char err[512];
    assert_int_equal(parse("", 0, &p, err), 0);
    assert_int_equal(p.nprobes, 0);
    assert_int_equal(parse("# only comments\n\n  \t\n", 20, &p, err), 0);
    assert_int_equal(p.nprobes, 0);
    rkc_plan_free(&p);
}

/* Golden errors: the line and message the user sees after "PLAN:". */
static const struct {
    const char *plan;
    int line;
    const char *err;
} bad[] = {
    {"tcp 0 h F\n", 1, "1: bad port '0' (expected a number from 1 to 65535)"},
    {"tcp 65536 h F\n", 1, "1: bad port '65536' (expected a number from 1 to 65535)"},
    {"tcp 080x h F\n", 1, "1: bad port '080x' (expected a number from 1 to 65535)"},
    {"tcp +80 h F\n", 1, "1: bad port '+80' (expected a number from 1 to 65535)"},
    {"tcp 000000080 h F\n", 1, "1: bad port '000000080' (expected a number from 1 to 65535)"},
    {"icmp 80 h F\n", 1, "1: unknown protocol 'icmp' (expected tcp or udp)"},
    {"tcp/udp 80 h F\n", 1, "1: unknown protocol 'tcp/udp' (expected tcp or udp)"},
    {"tcp 80 h\n", 1, "1: too few fields (expected PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID)"},
    {"tcp 80 h F extra\n", 1, "1: too many fields (expected PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID)"},
    {"tcp 80 h F # comment\n", 1, "1: too many fields (expected PROTOCOL PORT ADDRESS-OR-NAME FLOW-ID)"},
    {"tcp 80 -oProxyCommand F\n", 1,
     "1: bad address or name '-oProxyCommand' (expected an IPv4 or IPv6 address or a DNS name of "
     "at most 253 characters: letters, digits, . - _ : %)"},
    {"tcp 80 h\"x F\n", 1,
     "1: bad address or name 'h\"x' (expected an IPv4 or IPv6 address or a DNS name of at most "
     "253 characters: letters, digits, . - _ : %)"},
    {"tcp 80 h F;rm\n", 1,
     "1: bad flow id 'F;rm' (expected at most 128 characters: letters, digits, . - _ : / + = @ ( ))"},
    {"tcp 80 h \xC3\xA9t\xC3\xA9\n", 1,
     "1: bad flow id '?\?t?\?' (expected at most 128 characters: letters, digits, . - _ : / + = @ ( ))"},
    {"# c\n\ntcp 80 h F\nudp x h F\n", 4, "4: bad port 'x' (expected a number from 1 to 65535)"},
    {"tcp 80 h F\ntcp 8\r0 h F\n", 2, "2: control character in line (expected plain text)"},
    {"tcp 80 h F\n\n# x\0y\n", 3, "3: control character in line (expected plain text)"},
};

static void golden_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rkc_plan p;
        char err[512];
        size_t n = strlen(bad[i].plan);
        if (i == sizeof bad / sizeof *bad - 1)
            n = 17; /* the embedded NUL */
        int rc = parse(bad[i].plan, n, &p, err);
        if (rc != bad[i].line || strcmp(err, bad[i].err) != 0)
            fail_msg("case %lu: got %d '%s', want %d '%s'", (unsigned long)i, rc, err,
                     bad[i].line, bad[i].err);
        assert_null(p.probes);
        assert_int_equal(p.nprobes, 0);
    }
}

static void limits(void **state)
{
    (void)state;
    rkc_plan p;
    char err[512];
    /* a long line */
    char *s = malloc(RKC_PLAN_MAX_BYTES + 2);
    memset(s, 'a', RKC_PLAN_MAX_LINE + 1);
    memcpy(s, "# ", 2);
    assert_int_equal(parse(s, RKC_PLAN_MAX_LINE, &p, err), 0); /* exactly the limit */
    assert_int_equal(parse(s, RKC_PLAN_MAX_LINE + 1, &p, err), 1);
    assert_string_equal(err, "1: line is longer than 4096 bytes (expected one probe or collect line)");
    /* a long name */
    snprintf(s, 600, "tcp 1 %0254d F\n", 0);
    assert_int_equal(parse(s, strlen(s), &p, err), 1);
    /* too many probes */
    size_t off = 0;
    for (int i = 0; i <= RKC_PLAN_MAX_PROBES; i++)
        off += (size_t)sprintf(s + off, "tcp 1 h F%d\n", i);
    assert_int_equal(parse(s, off, &p, err), RKC_PLAN_MAX_PROBES + 1);
    assert_string_equal(err, "4097: too many probes (expected at most 4096)");
    off -= strlen("tcp 1 h F4096\n");
    assert_int_equal(parse(s, off, &p, err), 0);
    assert_int_equal(p.nprobes, RKC_PLAN_MAX_PROBES);
    rkc_plan_free(&p);
    /* too many lines */
    memset(s, '\n', RKC_PLAN_MAX_LINES + 1);
    assert_int_equal(parse(s, RKC_PLAN_MAX_LINES, &p, err), 0);
    assert_int_equal(parse(s, RKC_PLAN_MAX_LINES + 1, &p, err), RKC_PLAN_MAX_LINES + 1);
    assert_string_equal(err, "20001: too many lines (expected at most 20000)");
    /* too large */
    memset(s, '#', RKC_PLAN_MAX_BYTES + 1);
    assert_int_equal(parse(s, RKC_PLAN_MAX_BYTES + 1, &p, err), 1);
    assert_string_equal(err, "1: plan is larger than 1048576 bytes (expected a plan from readykit plan)");
    free(s);
}

/* UTF-16 with a byte-order mark (what PowerShell 5.1's `>` writes) is read as text. */
static size_t utf16(const char *ascii, int le, char *out)
{
    size_t n = 0;
    out[n++] = le ? '\xFF' : '\xFE';
    out[n++] = le ? '\xFE' : '\xFF';
    for (const char *c = ascii; *c; c++) {
        out[n++] = le ? *c : 0;
        out[n++] = le ? 0 : *c;
    }
    return n;
}

static void accepts_utf16_with_bom(void **state)
{
    (void)state;
    char buf[256], err[512];
    rkc_plan p;
    for (int le = 0; le < 2; le++) {
        size_t n = utf16("# plan\r\ntcp 443 10.0.0.1 F1\r\nudp 53 dns F2\r\n", le, buf);
        assert_int_equal(parse(buf, n, &p, err), 0);
        assert_int_equal(p.nprobes, 2);
        assert_string_equal(p.probes[0].host, "10.0.0.1");
        assert_int_equal(p.probes[1].line, 3);
        rkc_plan_free(&p);
        n = utf16("# plan\r\n\r\ntcp 0 h F\r\n", le, buf);
        assert_int_equal(parse(buf, n, &p, err), 3);
        assert_string_equal(err, "3: bad port '0' (expected a number from 1 to 65535)");
        assert_int_equal(parse(buf, n - 1, &p, err), 1);
        assert_string_equal(err, "1: UTF-16 text with an odd number of bytes (expected a plan "
                                 "from readykit plan, saved as UTF-8 or UTF-16)");
    }
    /* a UTF-16 NUL is a control character, as in UTF-8 */
    memcpy(buf, "\xFF\xFEt\0c\0p\0 \0\0\0", 12);
    assert_int_equal(parse(buf, 12, &p, err), 1);
    assert_string_equal(err, "1: control character in line (expected plain text)");
}

/* Random and mutated input never crashes (run under the sanitizers) and either parses
 * or names a line within the input. */
static void survives_garbage(void **state)
{
    (void)state;
    const char *seed = "tcp 25 10.1.0.10 F1\n# c\nudp 53 dns F2\n";
    char buf[256];
    unsigned x = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        for (int k = 0; k < 4; k++) {
            x = x * 1103515245u + 12345u;
            buf[(x >> 8) % n] = (char)(x >> 16);
        }
        rkc_plan p;
        char err[64]; /* short: messages are cut, never overflow */
        int rc = rkc_plan_parse(buf, n, &p, err, sizeof err);
        assert_true(rc >= 0 && rc <= 4);
        rkc_plan_free(&p);
    }
}

/* --- collect lines ------------------------------------------------------------- */

static void accepts_every_collect_form(void **state)
{
    (void)state;
    const char *s =
        "# collect ID KIND ARG [ARG]\n"
        "collect tls12_client registry \"HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"
        "\\SCHANNEL\\Protocols\\TLS 1.2\\Client\" Enabled\n"
        "collect exsetup file_version \"%ExchangeInstallPath%bin\\ExSetup.exe\"\n"
        "collect vc2013 program \"Microsoft Visual C++ 2013 x64 Minimum Runtime*\"\n"
        "tcp 443 10.0.0.1 F1\n"
        "collect svc_transport service MSExchangeTransport\n"
        "collect feature-web windows_feature Web-Server\n"
        "collect A1 file /etc/lab-appliance/appliance.conf\r\n"
        "  COLLECT\tdef_value\tRegistry\tHKEY_CURRENT_USER\\Software\\X\t\"\"  \n"
        "collect long HKLM_is_not_a_kind_here_but_an_id registry x\n"; /* last line: an error, cut below */
    rkc_plan p;
    char err[512];
    size_t n = strlen(s) - strlen("collect long HKLM_is_not_a_kind_here_but_an_id registry x\n");
    assert_int_equal(parse(s, n, &p, err), 0);
    assert_int_equal(p.nprobes, 1);
    assert_int_equal(p.probes[0].line, 5);
    assert_int_equal(p.ncollect, 7);
    const rkc_plan_collect *c = p.collect;
    assert_string_equal(c[0].id, "tls12_client");
    assert_int_equal(c[0].kind, RKC_KIND_REGISTRY);
    assert_string_equal(c[0].arg, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"
                                  "\\SCHANNEL\\Protocols\\TLS 1.2\\Client");
    assert_int_equal(c[0].hive, RKC_HKLM);
    assert_string_equal(c[0].subkey, "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"
                                     "\\SCHANNEL\\Protocols\\TLS 1.2\\Client");
    assert_string_equal(c[0].value, "Enabled");
    assert_int_equal(c[0].line, 2);
    assert_int_equal(c[1].kind, RKC_KIND_FILE_VERSION);
    assert_string_equal(c[1].arg, "%ExchangeInstallPath%bin\\ExSetup.exe");
    assert_null(c[1].value);
    assert_int_equal(c[2].kind, RKC_KIND_PROGRAM);
    assert_string_equal(c[2].arg, "Microsoft Visual C++ 2013 x64 Minimum Runtime*");
    assert_int_equal(c[3].kind, RKC_KIND_SERVICE);
    assert_string_equal(c[3].arg, "MSExchangeTransport");
    assert_int_equal(c[3].line, 6);
    assert_int_equal(c[4].kind, RKC_KIND_WINDOWS_FEATURE);
    assert_string_equal(c[4].id, "feature-web");
    assert_int_equal(c[5].kind, RKC_KIND_FILE);
    assert_string_equal(c[5].id, "A1");
    assert_string_equal(c[5].arg, "/etc/lab-appliance/appliance.conf");
    /* any case for the keyword and the kind, tabs, the default value "" */
    assert_string_equal(c[6].id, "def_value");
    assert_int_equal(c[6].kind, RKC_KIND_REGISTRY);
    assert_int_equal(c[6].hive, RKC_HKCU);
    assert_string_equal(c[6].subkey, "Software\\X");
    assert_string_equal(c[6].value, "");
    assert_int_equal(c[6].line, 9);
    assert_string_equal(rkc_kind_name(c[1].kind), "file_version");
    rkc_plan_free(&p);
    assert_null(p.collect);
    assert_int_equal(p.ncollect, 0);
}

static void quoting(void **state)
{
    (void)state;
    const char *s =
        "collect q1 registry \"HKLM\\SOFTWARE\\Readykit Test\\\xC3\x9Cmlaut Schl\xC3\xBCssel\" "
        "\"Say \"\"hi\"\"\"\n"                           /* "" inside, at the end */
        "collect q2 file \"\"\"quoted\"\" name\"\n"      /* "" at the start */
        "collect q3 file \"C:\\Program Files\\x\\\"\n"   /* a backslash before the closing quote is literal */
        "collect q4 file C:\\no\\quotes\\needed.txt\n"
        "collect q5 file \"/tmp/Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln.txt\"\n"
        "collect q6 program \"\xE6\x97\xA5\xE6\x9C\xAC*\"\n" /* any UTF-8 */
        "collect q7 registry HKLM\\SOFTWARE\\X \"\"\"\"\n"  /* a value named " */
        "collect q8 file \"\t tab and spaces \t\"\n";
    rkc_plan p;
    char err[512];
    assert_int_equal(parse(s, strlen(s), &p, err), 0);
    assert_int_equal(p.ncollect, 8);
    assert_string_equal(p.collect[0].arg, "HKLM\\SOFTWARE\\Readykit Test\\\xC3\x9Cmlaut Schl\xC3\xBCssel");
    assert_string_equal(p.collect[0].value, "Say \"hi\"");
    assert_string_equal(p.collect[1].arg, "\"quoted\" name");
    assert_string_equal(p.collect[2].arg, "C:\\Program Files\\x\\");
    assert_string_equal(p.collect[3].arg, "C:\\no\\quotes\\needed.txt");
    assert_string_equal(p.collect[4].arg, "/tmp/Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln.txt");
    assert_string_equal(p.collect[5].arg, "\xE6\x97\xA5\xE6\x9C\xAC*");
    assert_string_equal(p.collect[6].value, "\"");
    assert_string_equal(p.collect[7].arg, "\t tab and spaces \t");
    rkc_plan_free(&p);
}

/* A plan that PowerShell saved again as UTF-16 keeps its collect lines and umlauts. */
static void collect_lines_in_utf16(void **state)
{
    (void)state;
    /* "collect k file "Ä"" with Ä = U+00C4, then a supplementary character U+1F600 */
    static const unsigned short text[] = {
        'c', 'o', 'l', 'l', 'e', 'c', 't', ' ', 'k', ' ', 'f', 'i', 'l', 'e', ' ', '"', 0xC4,
        0xD83D, 0xDE00, '"', '\r', '\n'};
    char buf[128], err[512];
    size_t n = 0;
    buf[n++] = '\xFF';
    buf[n++] = '\xFE';
    for (size_t i = 0; i < sizeof text / sizeof *text; i++) {
        buf[n++] = (char)(text[i] & 0xFF);
        buf[n++] = (char)(text[i] >> 8);
    }
    rkc_plan p;
    assert_int_equal(parse(buf, n, &p, err), 0);
    assert_int_equal(p.ncollect, 1);
    assert_string_equal(p.collect[0].arg, "\xC3\x84\xF0\x9F\x98\x80");
    rkc_plan_free(&p);
}

/* Golden errors of collect lines, each on the line it names. */
static const struct {
    const char *plan;
    int line;
    const char *err;
} bad_collect[] = {
    {"collect x frobnicate a\n", 1,
     "1: unknown kind 'frobnicate' (expected registry, program, file_version, service, "
     "windows_feature or file)"},
    {"collect x \"registry\" HKLM\\A b\n", 1,
     "1: unknown kind 'registry' (expected registry, program, file_version, service, "
     "windows_feature or file)"},
    {"collect\n", 1, "1: too few fields (expected collect ID KIND ARG [ARG])"},
    {"collect x\n", 1, "1: too few fields (expected collect ID KIND ARG [ARG])"},
    {"# c\ncollect x registry HKLM\\SOFTWARE\\X\n", 2,
     "2: registry takes 2 arguments, not 1 (expected collect ID registry KEY VALUE)"},
    {"collect x registry HKLM\\SOFTWARE\\X a b\n", 1,
     "1: registry takes 2 arguments, not 3 (expected collect ID registry KEY VALUE)"},
    {"collect x program\n", 1,
     "1: program takes 1 argument, not 0 (expected collect ID program NAME-GLOB)"},
    {"collect x program \"Visual C++\" x64\n", 1,
     "1: program takes 1 argument, not 2 (expected collect ID program NAME-GLOB)"},
    {"collect x file_version a b c d\n", 1,
     "1: file_version takes 1 argument, not 4 (expected collect ID file_version PATH)"},
    {"collect x service MSExchangeIS # comment\n", 1,
     "1: service takes 1 argument, not 3 (expected collect ID service NAME)"},
    {"collect x windows_feature \"\"\n", 1,
     "1: empty NAME (expected collect ID windows_feature NAME)"},
    {"collect x registry \"\" Enabled\n", 1,
     "1: empty KEY (expected collect ID registry KEY VALUE)"},
    {"collect 1x file /a\n", 1,
     "1: bad id '1x' (expected a letter, then letters, digits, _ or -, at most 64 characters)"},
    {"collect _x file /a\n", 1,
     "1: bad id '_x' (expected a letter, then letters, digits, _ or -, at most 64 characters)"},
    {"collect x.y file /a\n", 1,
     "1: bad id 'x.y' (expected a letter, then letters, digits, _ or -, at most 64 characters)"},
    {"collect \xC3\xA4 file /a\n", 1,
     "1: bad id '?\?' (expected a letter, then letters, digits, _ or -, at most 64 characters)"},
    {"collect \"x\" file /a\n", 1,
     "1: bad id '\"x\"' (expected a letter, then letters, digits, _ or -, at most 64 characters)"},
    {"collect a12345678901234567890123456789012345678901234567890123456789012345 file /a\n", 1,
     "1: bad id 'a123456789012345678901234567890123456789...' (expected a letter, then letters, "
     "digits, _ or -, at most 64 characters)"},
    {"collect a file /a\ntcp 1 h F\n\ncollect b file /b\ncollect a file /c\n", 5,
     "5: duplicate id 'a', first on line 1 (expected each id once)"},
    {"collect x file \"C:\\Program Files\\x\n", 1,
     "1: unterminated quoted argument (expected a closing \" on the same line, \"\" for a "
     "quote inside)"},
    {"collect x file \"a\"\"\n", 1,
     "1: unterminated quoted argument (expected a closing \" on the same line, \"\" for a "
     "quote inside)"},
    {"collect x registry \"HKLM\\A\"Enabled\n", 1,
     "1: text after a closing quote (expected a space or tab after the closing \", \"\" for a "
     "quote inside)"},
    {"collect x file C:\\a\"b\"\n", 1,
     "1: quote inside an unquoted argument (expected the whole argument in double quotes, "
     "\"\" for a quote inside)"},
    {"collect x registry HKLM Enabled\n", 1,
     "1: bad registry key 'HKLM' (expected a hive and a key path: HKLM\\KEY or HKCU\\KEY, "
     "names separated by single backslashes)"},
    {"collect x registry HKU\\S-1-5-18\\X Enabled\n", 1,
     "1: bad registry key 'HKU\\S-1-5-18\\X' (expected a hive and a key path: HKLM\\KEY or "
     "HKCU\\KEY, names separated by single backslashes)"},
    {"collect x registry \"HKLM\\SOFTWARE\\\\X\" Enabled\n", 1,
     "1: bad registry key 'HKLM\\SOFTWARE\\\\X' (expected a hive and a key path: HKLM\\KEY or "
     "HKCU\\KEY, names separated by single backslashes)"},
    {"collect x registry HKLM\\SOFTWARE\\ Enabled\n", 1,
     "1: bad registry key 'HKLM\\SOFTWARE\\' (expected a hive and a key path: HKLM\\KEY or "
     "HKCU\\KEY, names separated by single backslashes)"},
    {"collect x registry \"HKLM\\Program Files (x86)\\a very long key name\\\" v\n", 1,
     "1: bad registry key 'HKLM\\Program Files (x86)\\a very long key...' (expected a hive and a "
     "key path: HKLM\\KEY or HKCU\\KEY, names separated by single backslashes)"},
    {"collect x windows_feature Web\\Server\n", 1,
     "1: bad feature name 'Web\\Server' (expected a name such as Web-Server, without "
     "backslashes: collect ID windows_feature NAME)"},
    {"collect x file \"caf\xE9.txt\"\n", 1,
     "1: invalid UTF-8 (expected the plan saved as UTF-8 or UTF-16 text)"},
    {"collect x file \"\xED\xA0\x80\"\n", 1, /* an encoded surrogate */
     "1: invalid UTF-8 (expected the plan saved as UTF-8 or UTF-16 text)"},
    {"collect x file \"\xC0\xAF\"\n", 1, /* an overlong slash */
     "1: invalid UTF-8 (expected the plan saved as UTF-8 or UTF-16 text)"},
    {"collect x file \"\x1b[2J\"\n", 1, "1: control character in line (expected plain text)"},
    {"collect x file \"a\x7f\"\n", 1, "1: control character in line (expected plain text)"},
};

static void golden_collect_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_collect / sizeof *bad_collect; i++) {
        rkc_plan p;
        char err[512];
        int rc = parse(bad_collect[i].plan, strlen(bad_collect[i].plan), &p, err);
        if (rc != bad_collect[i].line || strcmp(err, bad_collect[i].err) != 0)
            fail_msg("case %lu: got %d '%s', want %d '%s'", (unsigned long)i, rc, err,
                     bad_collect[i].line, bad_collect[i].err);
        assert_null(p.collect);
        assert_null(p.probes);
        assert_int_equal(p.ncollect + p.nprobes, 0);
    }
}

static void collect_limits(void **state)
{
    (void)state;
    rkc_plan p;
    char err[512];
    char *s = malloc(RKC_PLAN_MAX_BYTES);
    /* a collect line of exactly the longest length, and one byte more */
    size_t head = strlen("collect long file \""), pad = RKC_PLAN_MAX_LINE - head - 1;
    memcpy(s, "collect long file \"", head);
    memset(s + head, 'a', pad);
    s[head + pad] = '"';
    assert_int_equal(parse(s, RKC_PLAN_MAX_LINE, &p, err), 0);
    assert_int_equal(strlen(p.collect[0].arg), pad);
    rkc_plan_free(&p);
    /* too many items: the first one too many names its line */
    size_t off = 0;
    for (int i = 0; i <= RKC_PLAN_MAX_ITEMS; i++) {
        off += (size_t)sprintf(s + off, "collect i%d file /f%d\n", i, i);
        if (i == 10)
            off += (size_t)sprintf(s + off, "# a comment\ntcp 1 h F\n");
    }
    assert_int_equal(parse(s, off, &p, err), RKC_PLAN_MAX_ITEMS + 3);
    assert_string_equal(err, "1027: too many collect items (expected at most 1024)");
    off -= strlen("collect i1024 file /f1024\n");
    assert_int_equal(parse(s, off, &p, err), 0);
    assert_int_equal(p.ncollect, RKC_PLAN_MAX_ITEMS);
    assert_int_equal(p.nprobes, 1);
    assert_string_equal(p.collect[RKC_PLAN_MAX_ITEMS - 1].id, "i1023");
    assert_int_equal(p.collect[RKC_PLAN_MAX_ITEMS - 1].line, RKC_PLAN_MAX_ITEMS + 2);
    rkc_plan_free(&p);
    free(s);
}

/* A line one byte too long is refused with its number, whatever it holds. */
static void collect_line_too_long(void **state)
{
    (void)state;
    rkc_plan p;
    char err[512];
    size_t n = 2 + RKC_PLAN_MAX_LINE + 1;
    char *s = malloc(n);
    memcpy(s, "\n\ncollect x file \"", 18);
    memset(s + 18, 'b', n - 18 - 1);
    s[n - 1] = '"';
    assert_int_equal(parse(s, n, &p, err), 3);
    assert_string_equal(err, "3: line is longer than 4096 bytes (expected one probe or collect line)");
    assert_int_equal(parse(s, n - 1, &p, err), 3); /* now the quote is missing */
    assert_string_equal(err, "3: unterminated quoted argument (expected a closing \" on the same "
                             "line, \"\" for a quote inside)");
    free(s);
}

/* Mutated collect plans never crash (run under the sanitizers) and either parse or name a
 * line within the input; what parses holds valid ids and non-empty arguments. */
static void collect_survives_garbage(void **state)
{
    (void)state;
    const char *seed = "collect a registry \"HKLM\\S x\\\xC3\xA4\" \"v \"\"q\"\"\"\n"
                       "collect b-2 program \"N*?\"\ncollect c file /x\n";
    char buf[256];
    unsigned x = 777;
    for (int round = 0; round < 20000; round++) {
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        for (int k = 0; k < 3; k++) {
            x = x * 1103515245u + 12345u;
            buf[(x >> 8) % n] = "\" \t\\ax\n\xC3"[(x >> 16) % 9];
        }
        int lines = 1;
        for (size_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
        rkc_plan p;
        char err[64];
        int rc = rkc_plan_parse(buf, n, &p, err, sizeof err);
        assert_true(rc >= 0 && rc <= lines);
        for (size_t i = 0; rc == 0 && i < p.ncollect; i++) {
            assert_true(p.collect[i].id[0] != '\0');
            assert_true(p.collect[i].arg && p.collect[i].arg[0]);
        }
        rkc_plan_free(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_a_readykit_plan),
        cmocka_unit_test(empty_plans_are_valid),
        cmocka_unit_test(golden_errors),
        cmocka_unit_test(limits),
        cmocka_unit_test(accepts_utf16_with_bom),
        cmocka_unit_test(survives_garbage),
        cmocka_unit_test(accepts_every_collect_form),
        cmocka_unit_test(quoting),
        cmocka_unit_test(collect_lines_in_utf16),
        cmocka_unit_test(golden_collect_errors),
        cmocka_unit_test(collect_limits),
        cmocka_unit_test(collect_line_too_long),
        cmocka_unit_test(collect_survives_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
