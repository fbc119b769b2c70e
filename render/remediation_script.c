/* remediation_script.c - remediation/<host>.cmd and <host>-undo.cmd: the remediation plan
 * as cmd.exe scripts, worded from the templates. */
#include "remediation_script.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- plain ASCII ------------------------------------------------------------------------ */

static const struct {
    unsigned cp;
    const char *ascii;
} TRANSLIT[] = {
    {0x00A0, " "},    {0x00A7, "S."},   {0x00A9, "(C)"}, {0x00AB, "\""}, {0x00AE, "(R)"},
    {0x00B0, " deg"}, {0x00B1, "+/-"},  {0x00B2, "2"},   {0x00B3, "3"},  {0x00B5, "u"},
    {0x00B7, "-"},    {0x00BB, "\""},   {0x00C0, "A"},   {0x00C1, "A"},  {0x00C2, "A"},
    {0x00C3, "A"},    {0x00C4, "Ae"},   {0x00C5, "A"},   {0x00C6, "AE"}, {0x00C7, "C"},
    {0x00C8, "E"},    {0x00C9, "E"},    {0x00CA, "E"},   {0x00CB, "E"},  {0x00CC, "I"},
    {0x00CD, "I"},    {0x00CE, "I"},    {0x00CF, "I"},   {0x00D1, "N"},  {0x00D2, "O"},
    {0x00D3, "O"},    {0x00D4, "O"},    {0x00D5, "O"},   {0x00D6, "Oe"}, {0x00D7, "x"},
    {0x00D8, "O"},    {0x00D9, "U"},    {0x00DA, "U"},   {0x00DB, "U"},  {0x00DC, "Ue"},
    {0x00DD, "Y"},    {0x00DF, "ss"},   {0x00E0, "a"},   {0x00E1, "a"},  {0x00E2, "a"},
    {0x00E3, "a"},    {0x00E4, "ae"},   {0x00E5, "a"},   {0x00E6, "ae"}, {0x00E7, "c"},
    {0x00E8, "e"},    {0x00E9, "e"},    {0x00EA, "e"},   {0x00EB, "e"},  {0x00EC, "i"},
    {0x00ED, "i"},    {0x00EE, "i"},    {0x00EF, "i"},   {0x00F1, "n"},  {0x00F2, "o"},
    {0x00F3, "o"},    {0x00F4, "o"},    {0x00F5, "o"},   {0x00F6, "oe"}, {0x00F7, "/"},
    {0x00F8, "o"},    {0x00F9, "u"},    {0x00FA, "u"},   {0x00FB, "u"},  {0x00FC, "ue"},
    {0x00FD, "y"},    {0x00FF, "y"},    {0x0152, "OE"},  {0x0153, "oe"}, {0x0160, "S"},
    {0x0161, "s"},    {0x017D, "Z"},    {0x017E, "z"},   {0x2010, "-"},  {0x2011, "-"},
    {0x2012, "-"},    {0x2013, "-"},    {0x2014, "-"},   {0x2015, "-"},  {0x2018, "'"},
    {0x2019, "'"},    {0x201A, "'"},    {0x201C, "\""},  {0x201D, "\""}, {0x201E, "\""},
    {0x2022, "*"},    {0x2026, "..."},  {0x2032, "'"},   {0x2039, "'"},  {0x203A, "'"},
    {0x20AC, "EUR"},  {0x2122, "(TM)"}, {0x2190, "<-"},  {0x2192, "->"}, {0x2194, "<->"},
    {0x21D2, "=>"},   {0x2212, "-"},    {0x2248, "~"},   {0x2260, "!="}, {0x2264, "<="},
    {0x2265, ">="},
};

/* The next code point of valid UTF-8 (what the loaders pass on); a stray byte is one
 * unknown character. */
static unsigned next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    int n = s[0] < 0x80             ? 1
            : (s[0] & 0xE0) == 0xC0 ? 2
            : (s[0] & 0xF0) == 0xE0 ? 3
            : (s[0] & 0xF8) == 0xF0 ? 4
                                    : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) n = 0;
    if (!n) {
        (*p)++;
        return 0xFFFD;
    }
    unsigned cp = n == 1 ? s[0] : n == 2 ? s[0] & 0x1Fu : n == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;
    for (int i = 1; i < n; i++)
        cp = cp << 6 | (s[i] & 0x3Fu);
    *p += n;
    return cp;
}

void rk_script_ascii(const char *utf8, rk_buf *out)
{
    const unsigned char *p = (const unsigned char *)(utf8 ? utf8 : "");
    while (*p) {
        unsigned cp = next_cp(&p);
        if (cp < 0x80) {
            rk_buf_putc(out, cp < 0x20 || cp == 0x7F ? ' ' : (char)cp);
            continue;
        }
        size_t lo = 0, hi = sizeof TRANSLIT / sizeof TRANSLIT[0];
        const char *r = "?";
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (TRANSLIT[mid].cp == cp) {
                r = TRANSLIT[mid].ascii;
                break;
            }
            if (TRANSLIT[mid].cp < cp)
                lo = mid + 1;
            else
                hi = mid;
        }
        rk_buf_puts(out, r);
    }
    if (!out->data) rk_buf_puts(out, "");
}

/* ---- lines of a script ---------------------------------------------------------------------- */

#define RC_MARK "RKRCMARK" /* stands for %RK_RC% in echoed text */
#define RK_LOG_TO ">>\"%RK_LOG%\" "
#define REG_EXE "\"%SystemRoot%\\System32\\reg.exe\""
/* in printf formats */
#define SC_EXE_F "\"%%SystemRoot%%\\System32\\sc.exe\""
#define PS_EXE_F "\"%%RK_PS%%\""
#define PS_PATH "WindowsPowerShell\\v1.0\\powershell.exe"

typedef struct gen {
    const rk_assessment *a;
    rk_tmpl *t;
    const rk_remedy_host *rh;
    rk_buf b;
    const char *file, *undo_file, *log;
    const char *computer;
    size_t *block_of; /* per step: its change number (1-based), 0 none */
    size_t nblocks;
} gen;

static const char *T(gen *g, const char *key)
{
    return rk_tmpl_get(g->t, key);
}

static void raw(gen *g, const char *s)
{
    rk_buf_puts(&g->b, s);
    rk_buf_puts(&g->b, "\r\n");
}

static void rawf(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rawf(gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = rk_xvasprintf(fmt, ap);
    va_end(ap);
    raw(g, s);
    free(s);
}

/* One comment line: % doubled (cmd expands it even in a comment), no trailing caret (it
 * would join the next line), never "rem /?" (which prints help). */
static void rem_line(gen *g, const char *ascii, size_t n)
{
    while (n && (ascii[n - 1] == ' ' || ascii[n - 1] == '^'))
        n--;
    rk_buf_puts(&g->b, n ? "rem " : "rem");
    if (n && ascii[0] == '/') rk_buf_puts(&g->b, "- ");
    for (size_t i = 0; i < n; i++)
        rk_buf_puts(&g->b, ascii[i] == '%' ? "%%" : (char[2]){ascii[i], 0});
    rk_buf_puts(&g->b, "\r\n");
}

/* A comment, wrapped at 92 columns; lines of text stay lines; continuation lines are
 * indented like the first. */
static void rem(gen *g, const char *text)
{
    const char *s = text ? text : "";
    do {
        const char *nl = strchr(s, '\n');
        char *part = rk_xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
        rk_buf a = {0};
        rk_script_ascii(part, &a);
        free(part);
        size_t indent = strspn(a.data, " ");
        const char *p = a.data;
        size_t width = 92;
        int first = 1;
        do {
            rk_buf line = {0};
            if (!first)
                for (size_t k = 0; k < (indent + 2 < 40 ? indent + 2 : 2); k++)
                    rk_buf_putc(&line, ' ');
            size_t room = width - line.len, n = strlen(p);
            size_t cut = n;
            if (n > room) {
                cut = room;
                while (cut > 0 && p[cut] != ' ')
                    cut--;
                if (!cut) cut = room;
            }
            rk_buf_add(&line, p, cut);
            rem_line(g, line.data, line.len);
            rk_buf_free(&line);
            p += cut;
            while (*p == ' ')
                p++;
            first = 0;
        } while (*p);
        rk_buf_free(&a);
        s = nl ? nl + 1 : NULL;
    } while (s);
}

/* One echo line (prefix: "" or the log redirection). cmd's special characters are
 * escaped where cmd would read them (outside double quotes), % always doubled; the
 * text never starts with '/' (echo /? prints help). */
static void echo(gen *g, const char *prefix, const char *text)
{
    rk_buf a = {0};
    rk_script_ascii(text, &a);
    rk_buf_puts(&g->b, prefix);
    if (!a.len) {
        rk_buf_puts(&g->b, "echo.\r\n");
        rk_buf_free(&a);
        return;
    }
    rk_buf_puts(&g->b, a.data[0] == '/' ? "echo - " : "echo ");
    int quoted = 0;
    for (const char *p = a.data; *p; p++) {
        if (*p == '%')
            rk_buf_puts(&g->b, "%%");
        else if (*p == '"')
            quoted = !quoted, rk_buf_putc(&g->b, '"');
        else if (!quoted && strchr("^&|<>", *p))
            rk_buf_putc(&g->b, '^'), rk_buf_putc(&g->b, *p);
        else
            rk_buf_putc(&g->b, *p);
    }
    rk_buf_puts(&g->b, "\r\n");
    rk_buf_free(&a);
}

/* The same line on the console and in the log. */
static void say_both(gen *g, const char *text)
{
    echo(g, "", text);
    echo(g, RK_LOG_TO, text);
}

/* An echoed message with %RK_RC% in place of {rc}. */
static void echo_rc(gen *g, const char *prefix, const char *text)
{
    size_t start = g->b.len;
    echo(g, prefix, text);
    char *line = rk_xstrdup(g->b.data + start), *mark = strstr(line, RC_MARK);
    g->b.len = start;
    g->b.data[start] = '\0';
    if (mark) {
        *mark = '\0';
        rk_buf_printf(&g->b, "%s%%RK_RC%%%s", line, mark + strlen(RC_MARK));
    } else {
        rk_buf_puts(&g->b, line);
    }
    free(line);
}

static void check_rc(gen *g)
{
    raw(g, "set \"RK_RC=%errorlevel%\"");
    raw(g, "if not \"%RK_RC%\"==\"0\" goto rk_failed");
}

/* ---- values in words ---------------------------------------------------------------- */

static int is_type(const rk_fix *f, const char *t)
{
    return !strcmp(f->type, t);
}

static void lines_joined(const char *lines, const char *sep, rk_buf *b)
{
    for (const char *p = lines; *p; p++)
        if (*p == '\n')
            rk_buf_puts(b, sep);
        else
            rk_buf_putc(b, *p);
}

/* The lines of a JSON list of strings (a REG_MULTI_SZ as collected). */
static char *json_lines(const cJSON *v)
{
    rk_buf b = {0};
    for (const cJSON *e = v->child; e; e = e->next)
        rk_buf_printf(&b, "%s%s", e == v->child ? "" : "\n", e->valuestring);
    return rk_buf_take(&b);
}

/* Registry data in words: "0 (REG_DWORD)", "M/d/yyyy (REG_SZ)", "a, b (REG_MULTI_SZ)". */
static void data_words(gen *g, const rk_fix *f, const char *data, rk_buf *b)
{
    if (!*data && !is_type(f, "REG_DWORD") && !is_type(f, "REG_QWORD"))
        rk_buf_puts(b, T(g, "script.empty"));
    else if (is_type(f, "REG_MULTI_SZ"))
        lines_joined(data, ", ", b);
    else
        rk_buf_puts(b, data);
    rk_buf_printf(b, " (%s)", f->type);
}

/* The collected value's text for a command line or for words (exact values only). */
static char *collected_data(const rk_remedy_step *st)
{
    const cJSON *v = st->value;
    if (cJSON_IsNumber(v)) return rk_xasprintf("%.0f", v->valuedouble);
    if (cJSON_IsString(v)) return rk_xstrdup(v->valuestring);
    return json_lines(v);
}

static int undo_exact(const rk_remedy_step *st)
{
    return st->coll == RK_COLL_VALUE && st->exact && st->unsafe != RK_UNSAFE_COLLECTED;
}

static char *collected_words(gen *g, const rk_remedy_step *st)
{
    rk_buf b = {0};
    if (st->coll == RK_COLL_UNKNOWN) {
        rk_buf_puts(&b, T(g, "script.not_collected"));
    } else if (st->coll == RK_COLL_ABSENT) {
        rk_buf_puts(&b, T(g, "script.absent"));
    } else if (undo_exact(st)) {
        char *d = collected_data(st);
        data_words(g, st->fix, d, &b);
        free(d);
    } else if (cJSON_IsBool(st->value) || cJSON_IsNumber(st->value)) {
        if (cJSON_IsBool(st->value))
            rk_buf_puts(&b, cJSON_IsTrue(st->value) ? "true" : "false");
        else
            rk_buf_printf(&b, "%.17g", st->value->valuedouble);
        rk_buf_printf(&b, " (%s)", st->fact);
    } else {
        rk_buf_puts(&b, T(g, "script.not_shown"));
    }
    return rk_buf_take(&b);
}

static char *registry_what(gen *g, const rk_remedy_step *st, int undo)
{
    const rk_fix *f = st->fix;
    rk_buf req = {0};
    data_words(g, f, f->data, &req);
    char *was = collected_words(g, st);
    char *s = rk_tmpl_fmt(g->t, "script.what_registry", "key", f->key, "value",
                          *f->value ? f->value : T(g, "script.default_value"), "from",
                          undo ? req.data : was, "to", undo ? was : req.data, NULL);
    free(was);
    rk_buf_free(&req);
    return s;
}

static const char *state_words(gen *g, const char *state)
{
    return T(g, !strcmp(state, "running") ? "script.state.running" : "script.state.stopped");
}

static char *service_what(gen *g, const rk_remedy_step *st, int undo)
{
    const rk_fix *f = st->fix;
    rk_buf was = {0}, req = {0};
    if (st->coll == RK_COLL_ABSENT) rk_buf_puts(&was, T(g, "script.absent"));
    if (f->action) {
        if (st->coll != RK_COLL_ABSENT)
            rk_buf_puts(&was, st->state_was ? state_words(g, st->state_was)
                                            : T(g, "script.state_unknown"));
        rk_buf_puts(&req, state_words(g, !strcmp(f->action, "start") ? "running" : "stopped"));
    }
    if (f->start_type) {
        if (st->coll != RK_COLL_ABSENT) {
            char *s = st->start_was
                          ? rk_tmpl_fmt(g->t, "script.start", "start_type", st->start_was, NULL)
                          : rk_xstrdup(T(g, "script.start_unknown"));
            rk_buf_printf(&was, "%s%s", was.len ? ", " : "", s);
            free(s);
        }
        char *s = rk_tmpl_fmt(g->t, "script.start", "start_type", f->start_type, NULL);
        rk_buf_printf(&req, "%s%s", req.len ? ", " : "", s);
        free(s);
    }
    char *s = rk_tmpl_fmt(g->t, "script.what_service", "service", f->name, "from",
                          undo ? req.data : was.data, "to", undo ? was.data : req.data, NULL);
    rk_buf_free(&was);
    rk_buf_free(&req);
    return s;
}

static char *step_what(gen *g, const rk_remedy_step *st)
{
    switch (st->fix->kind) {
    case RK_FIX_REGISTRY:
        return registry_what(g, st, 0);
    case RK_FIX_SERVICE:
        return service_what(g, st, 0);
    case RK_FIX_FEATURE:
        return rk_tmpl_fmt(g->t, "script.what_features", "features", st->fix->name, NULL);
    default:
        return rk_tmpl_fmt(g->t, "script.what_command", "command", st->fix->command, NULL);
    }
}

/* Why a step is left to a person, in words. */
static char *left_reason(rk_tmpl *t, const rk_remedy_step *st)
{
    if (st->state == RK_RM_NO_SERVICE)
        return rk_tmpl_fmt(t, "remedy.reason.no_service", "service", st->fix->name, NULL);
    if (st->state == RK_RM_ALREADY) return rk_xstrdup(rk_tmpl_get(t, "remedy.reason.already"));
    return rk_xstrdup(rk_tmpl_get(t, st->unsafe == RK_UNSAFE_DATA ? "remedy.reason.unsafe_data"
                                     : st->unsafe == RK_UNSAFE_COMMAND
                                         ? "remedy.reason.unsafe_command"
                                         : "remedy.reason.unsafe_key"));
}

/* ---- the Windows features of a host: installed (or removed) in one call ------------------ */

static int is_feature_change(const rk_remedy_step *st)
{
    return st->fix->kind == RK_FIX_FEATURE && st->state == RK_RM_CHANGE;
}

/* 'A','B' of the features to install (undo: those collected as not installed). */
static char *feature_list(gen *g, int undo, int quoted)
{
    rk_buf b = {0};
    for (size_t i = 0; i < g->rh->nsteps; i++) {
        const rk_remedy_step *st = &g->rh->steps[i];
        if (!is_feature_change(st) || (undo && st->coll == RK_COLL_UNKNOWN)) continue;
        rk_buf_printf(&b, quoted ? "%s'%s'" : "%s%s", b.len ? (quoted ? "," : ", ") : "",
                      st->fix->name);
    }
    return rk_buf_take(&b);
}

static void powershell_features(gen *g, const char *verb, const char *list)
{
    rawf(g,
         PS_EXE_F
         " -NoProfile -NonInteractive -Command \"$r = %s -Name %s -ErrorAction Stop; "
         "if (-not $r.Success) { exit 1 }; if ([string]$r.RestartNeeded -eq 'Yes') { exit 3010 }; "
         "exit 0\" >>\"%%RK_LOG%%\" 2>&1 <nul",
         verb, list);
    raw(g, "set \"RK_RC=%errorlevel%\"");
    raw(g, "if \"%RK_RC%\"==\"3010\" set \"RK_RESTART=1\"");
    raw(g, "if \"%RK_RC%\"==\"3010\" set \"RK_RC=0\"");
    raw(g, "if not \"%RK_RC%\"==\"0\" goto rk_failed");
}

/* One comment line per feature: its name and the requirement that asks for it. */
static void feature_requirements(gen *g, int undo)
{
    for (size_t k = 0; k < g->rh->nitems; k++) {
        const rk_remedy_item *it = &g->rh->items[k];
        for (size_t j = it->first; j < it->first + it->count; j++) {
            const rk_remedy_step *fs = &g->rh->steps[j];
            if (!is_feature_change(fs) || (undo && fs->coll == RK_COLL_UNKNOWN)) continue;
            const rk_requirement *r = &g->a->schema->reqs[g->a->findings[it->finding].req];
            char *line = rk_xasprintf("  %s: %s %s", fs->fix->name, r->id, r->title);
            rem(g, line);
            free(line);
        }
    }
}

/* ---- the changes ----------------------------------------------------------------------------- */

static void reg_target(rk_buf *b, const rk_fix *f)
{
    rk_buf_printf(b, "\"%s\" ", f->key);
    if (*f->value)
        rk_buf_printf(b, "/v \"%s\"", f->value);
    else
        rk_buf_puts(b, "/ve");
}

/* `reg add` of data (lines for a REG_MULTI_SZ) with the fix's type. */
static void reg_add(gen *g, const rk_fix *f, const char *data)
{
    rk_buf b = {0};
    rk_buf_puts(&b, REG_EXE " add ");
    reg_target(&b, f);
    if (is_type(f, "REG_DWORD") || is_type(f, "REG_QWORD")) {
        rk_buf_printf(&b, " /t %s /d %s", f->type, data);
    } else if (is_type(f, "REG_MULTI_SZ") && *data) {
        char sep[2] = {rk_multi_sz_separator(data), 0};
        rk_buf_printf(&b, " /t %s /d \"", f->type);
        lines_joined(data, sep, &b);
        rk_buf_printf(&b, "\" /s %s", sep);
    } else {
        rk_buf_printf(&b, " /t %s /d \"%s\"", f->type, data);
    }
    rk_buf_puts(&b, " /f /reg:64 >>\"%RK_LOG%\" 2>&1");
    raw(g, b.data);
    rk_buf_free(&b);
    check_rc(g);
}

static void reg_query(gen *g, const rk_fix *f, const char *tail)
{
    rk_buf b = {0};
    rk_buf_puts(&b, REG_EXE " query ");
    reg_target(&b, f);
    rk_buf_printf(&b, " /reg:64 %s", tail);
    raw(g, b.data);
    rk_buf_free(&b);
}

static void sc_op(gen *g, const char *op, const char *name, const char *start)
{
    /* sc.exe calls a manual start "demand" */
    if (start)
        rawf(g, SC_EXE_F " config \"%s\" start= %s >>\"%%RK_LOG%%\" 2>&1", name,
             !strcmp(start, "manual") ? "demand" : start);
    else
        rawf(g, SC_EXE_F " %s \"%s\" >>\"%%RK_LOG%%\" 2>&1", op, name);
    raw(g, "set \"RK_RC=%errorlevel%\"");
    /* already running (1056) or not running (1062) is what was asked for */
    if (!start && !strcmp(op, "start")) raw(g, "if \"%RK_RC%\"==\"1056\" set \"RK_RC=0\"");
    if (!start && !strcmp(op, "stop")) raw(g, "if \"%RK_RC%\"==\"1062\" set \"RK_RC=0\"");
    raw(g, "if not \"%RK_RC%\"==\"0\" goto rk_failed");
}

/* The requirements whose identical step this change also makes. */
static void also_fixes(gen *g, size_t step)
{
    rk_buf ids = {0};
    for (size_t k = 0; k < g->rh->nitems; k++) {
        const rk_remedy_item *it = &g->rh->items[k];
        for (size_t j = it->first; j < it->first + it->count; j++)
            if (g->rh->steps[j].state == RK_RM_SAME && g->rh->steps[j].same_as == step) {
                const rk_requirement *r = &g->a->schema->reqs[g->a->findings[it->finding].req];
                if (!ids.data || !strstr(ids.data, r->id))
                    rk_buf_printf(&ids, "%s%s", ids.len ? ", " : "", r->id);
            }
    }
    if (ids.len) {
        char *s = rk_tmpl_fmt(g->t, "script.also_fixes", "requirements", ids.data, NULL);
        rem(g, s);
        free(s);
    }
    rk_buf_free(&ids);
}

static char *num(size_t n)
{
    return rk_xasprintf("%zu", n);
}

/* The comment and the messages heading change n. */
static void change_head(gen *g, size_t n, const char *what, const char *key_head,
                        const char *key_say)
{
    char *sn = num(n), *sc = num(g->nblocks);
    char *head = rk_tmpl_fmt(g->t, key_head, "n", sn, "count", sc, "what", what, NULL);
    char *say = rk_tmpl_fmt(g->t, key_say, "n", sn, "count", sc, "what", what, NULL);
    raw(g, "rem");
    rem(g, head);
    rawf(g, "set \"RK_STEP=%zu\"", n);
    say_both(g, say);
    free(head);
    free(say);
    free(sn);
    free(sc);
}

static void emit_change(gen *g, size_t i)
{
    const rk_remedy_step *st = &g->rh->steps[i];
    const rk_fix *f = st->fix;
    size_t n = g->block_of[i];
    if (f->kind == RK_FIX_FEATURE) {
        char *names = feature_list(g, 0, 0), *list = feature_list(g, 0, 1);
        char *what = rk_tmpl_fmt(g->t, "script.what_features", "features", names, NULL);
        char *sn = num(n), *sc = num(g->nblocks);
        char *head =
            rk_tmpl_fmt(g->t, "script.change_head", "n", sn, "count", sc, "what", what, NULL);
        raw(g, "rem");
        rem(g, head);
        feature_requirements(g, 0);
        char *say =
            rk_tmpl_fmt(g->t, "script.say_change", "n", sn, "count", sc, "what", what, NULL);
        rawf(g, "set \"RK_STEP=%zu\"", n);
        say_both(g, say);
        powershell_features(g, "Install-WindowsFeature", list);
        free(say);
        free(head);
        free(sn);
        free(sc);
        free(what);
        free(names);
        free(list);
        return;
    }
    char *what = step_what(g, st);
    change_head(g, n, what, "script.change_head", "script.say_change");
    free(what);
    also_fixes(g, i);
    switch (f->kind) {
    case RK_FIX_REGISTRY:
        if (!strncasecmp(f->key, "HKCU\\", 5) || !strncasecmp(f->key, "HKEY_CURRENT_USER\\", 18))
            rem(g, T(g, "script.hkcu"));
        reg_query(g, f, ">>\"%RK_LOG%\" 2>&1");
        reg_add(g, f, f->data);
        break;
    case RK_FIX_SERVICE:
        rawf(g, SC_EXE_F " query \"%s\" >>\"%%RK_LOG%%\" 2>&1", f->name);
        if (st->set_start) sc_op(g, "config", f->name, f->start_type);
        if (st->do_action) sc_op(g, f->action, f->name, NULL);
        break;
    default:
        rawf(g, "%s >>\"%%RK_LOG%%\" 2>&1 <nul", f->command);
        check_rc(g);
    }
}

/* ---- one script -------------------------------------------------------------------------------
 */

static void header(gen *g, int undo)
{
    const rk_assessment *a = g->a;
    const rk_project *p = a->project;
    char date[11];
    rk_format_date(a->date, date);
    raw(g, "@echo off");
    raw(g, "rem readykit-remediation/1"); /* the mark a later render looks for (remediation.h) */
    char *s = undo ? rk_tmpl_fmt(g->t, "script.undo_title", "host", p->hosts[g->rh->host].name,
                                 "assessment_id", p->assessment_id, "customer", p->customer,
                                 "script", g->file, NULL)
                   : rk_tmpl_fmt(g->t, "script.title", "host", p->hosts[g->rh->host].name,
                                 "assessment_id", p->assessment_id, "customer", p->customer, NULL);
    rem(g, s);
    free(s);
    s = rk_tmpl_fmt(g->t, "script.made_by", "generator", "readykit " RK_VERSION, "date", date,
                    "digest", a->digest, "schema", a->schema->id, "version", a->schema->version,
                    NULL);
    rem(g, s);
    free(s);
    raw(g, "rem");
}

static void usage(gen *g, int undo)
{
    const char *me = undo ? g->undo_file : g->file;
    char *s = rk_tmpl_fmt(g->t, "script.usage_head", "computer", g->computer, NULL);
    rem(g, s);
    free(s);
    static const char *const keys[] = {"script.usage_apply", "script.usage_check",
                                       "script.usage_undo"};
    for (size_t k = 0; k < (undo ? 2u : 3u); k++) {
        s = rk_tmpl_fmt(g->t, keys[k], "script", me, "undo", g->undo_file, NULL);
        char *line = rk_xasprintf("  %s", s);
        rem(g, line);
        free(line);
        free(s);
    }
    rem(g, T(g, g->rh->needs_admin ? "script.usage_admin" : "script.usage_user"));
    rem(g, T(g, "script.usage_unattended"));
    s = rk_tmpl_fmt(g->t, "script.log", "log", g->log, NULL);
    rem(g, s);
    free(s);
    rem(g, T(g, "script.cwd"));
    raw(g, "rem");
    rem(g, T(g, "script.exit_head"));
    static const char *const exits[] = {"script.exit_0", "script.exit_1", "script.exit_2",
                                        "script.exit_3", "script.exit_4", "script.exit_5"};
    for (size_t k = 0; k < 6; k++) {
        if (k == 3 && !g->rh->needs_admin) continue;
        s = rk_tmpl_fmt(g->t, k == 4 && undo ? "script.undo_exit_4" : exits[k], "computer",
                        g->computer, "undo", g->undo_file, NULL);
        char *line = rk_xasprintf("  %s", s);
        rem(g, line);
        free(line);
        free(s);
    }
}

/* Arguments, computer name, administrator rights, log: everything that refuses to run
 * comes before the first change. */
static void preamble(gen *g, int undo)
{
    const char *me = undo ? g->undo_file : g->file;
    raw(g, "setlocal EnableExtensions DisableDelayedExpansion");
    rawf(g, "set \"RK_LOG=%%~dp0%s\"", g->log);
    raw(g, "set \"RK_MODE=apply\"");
    raw(g, "set \"RK_STEP=0\"");
    raw(g, "set \"RK_RC=0\"");
    raw(g, "set \"RK_RESTART=\"");
    int features = 0;
    for (size_t i = 0; i < g->rh->nsteps; i++)
        features |= is_feature_change(&g->rh->steps[i]);
    if (features) {
        /* the 64-bit PowerShell also from a 32-bit cmd.exe, where System32 is SysWOW64 and
         * Install-WindowsFeature does not run */
        raw(g, "set \"RK_PS=%SystemRoot%\\System32\\" PS_PATH "\"");
        raw(g, "if exist \"%SystemRoot%\\Sysnative\\" PS_PATH
               "\" set \"RK_PS=%SystemRoot%\\Sysnative\\" PS_PATH "\"");
    }
    raw(g, "if /i \"%~1\"==\"/check\" set \"RK_MODE=check\"");
    raw(g, "if \"%RK_MODE%\"==\"apply\" if not \"%~1\"==\"\" goto rk_usage");
    raw(g, "if not \"%~2\"==\"\" goto rk_usage");
    rawf(g, "if /i not \"%%COMPUTERNAME%%\"==\"%s\" goto rk_wrong_host", g->computer);
    raw(g, "if \"%RK_MODE%\"==\"check\" goto rk_check");
    if (g->rh->needs_admin) {
        /* fltmc answers only an elevated token; net session is the fallback where the
         * filter manager tool is missing */
        raw(g, "\"%SystemRoot%\\System32\\fltmc.exe\" >nul 2>&1");
        raw(g, "if \"%errorlevel%\"==\"0\" goto rk_admin");
        raw(g, "\"%SystemRoot%\\System32\\net.exe\" session >nul 2>&1");
        raw(g, "if \"%errorlevel%\"==\"0\" goto rk_admin");
        char *s = rk_tmpl_fmt(g->t, "script.say_not_admin", NULL);
        echo(g, "", s);
        free(s);
        raw(g, "exit /b 3");
        raw(g, ":rk_admin");
    }
    /* a line with a mark of this run must be found in the log: a log that cannot be
     * written would otherwise swallow every command redirected to it */
    raw(g, "set \"RK_RUN=%RANDOM%%RANDOM%-%TIME%\"");
    rawf(g, ">>\"%%RK_LOG%%\" echo readykit %s run %%RK_RUN%% %%DATE%% %%TIME%%", me);
    raw(g, "\"%SystemRoot%\\System32\\find.exe\" \"run %RK_RUN%\" \"%RK_LOG%\" >nul 2>&1");
    raw(g, "if not \"%errorlevel%\"==\"0\" goto rk_no_log");
    raw(g, "\"%SystemRoot%\\System32\\whoami.exe\" >>\"%RK_LOG%\" 2>&1");
    raw(g, "pushd \"%SystemRoot%\\System32\"");
    raw(g, "if not \"%errorlevel%\"==\"0\" goto rk_failed");
}

static void tail(gen *g, int undo, size_t changes, int restart_note)
{
    const char *me = undo ? g->undo_file : g->file;
    char *sc = num(changes);
    char *s =
        rk_tmpl_fmt(g->t, undo ? "script.say_undo_done" : "script.say_done", "changes", sc, NULL);
    say_both(g, s);
    free(s);
    if (restart_note) echo(g, "", T(g, "script.say_reboot_note"));
    raw(g, "if defined RK_RESTART goto rk_restart");
    raw(g, "popd");
    raw(g, "exit /b 0");
    raw(g, ":rk_restart");
    say_both(g, T(g, "script.say_restart"));
    raw(g, "popd");
    raw(g, "exit /b 0");
    raw(g, "");
    raw(g, ":rk_usage");
    s = rk_tmpl_fmt(g->t, "script.say_usage", "script", me, NULL);
    echo(g, "", s);
    free(s);
    raw(g, "exit /b 1");
    raw(g, "");
    raw(g, ":rk_wrong_host");
    s = rk_tmpl_fmt(g->t, "script.say_wrong_host", "computer", g->computer, NULL);
    echo(g, "", s);
    free(s);
    raw(g, "exit /b 2");
    raw(g, "");
    raw(g, ":rk_no_log");
    s = rk_tmpl_fmt(g->t, "script.say_no_log", "log", g->log, NULL);
    echo(g, "", s);
    free(s);
    raw(g, "exit /b 5");
    raw(g, "");
    raw(g, ":rk_failed");
    s = rk_tmpl_fmt(g->t, undo ? "script.say_undo_failed" : "script.say_failed", "rc", RC_MARK,
                    "log", g->log, "undo", g->undo_file, NULL);
    echo_rc(g, "", s);
    echo_rc(g, RK_LOG_TO, s);
    free(s);
    raw(g, "popd");
    raw(g, "exit /b 4");
    free(sc);
}

/* Numbers the changes: one per step with state CHANGE, Windows features together. */
static void number_changes(gen *g)
{
    size_t features = 0;
    for (size_t i = 0; i < g->rh->nsteps; i++) {
        const rk_remedy_step *st = &g->rh->steps[i];
        if (st->state != RK_RM_CHANGE) continue;
        if (st->fix->kind == RK_FIX_FEATURE) {
            if (!features) features = ++g->nblocks;
            g->block_of[i] = features;
        } else {
            g->block_of[i] = ++g->nblocks;
        }
    }
}

static int first_feature(gen *g, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (is_feature_change(&g->rh->steps[j])) return 0;
    return 1;
}

/* The script's part for one step j of a finding: the change, or a remark saying why
 * nothing is changed here. Returns 1 when the change wants a restart note. */
static int fix_step(gen *g, size_t j)
{
    const rk_remedy_step *st = &g->rh->steps[j];
    char *what = step_what(g, st), *s = NULL;
    int restart = 0;
    if (st->state == RK_RM_CHANGE && (st->fix->kind != RK_FIX_FEATURE || first_feature(g, j))) {
        emit_change(g, j);
        restart = st->fix->kind == RK_FIX_REGISTRY || st->fix->kind == RK_FIX_COMMAND;
    } else if (st->state == RK_RM_CHANGE || st->state == RK_RM_SAME) {
        size_t by = st->state == RK_RM_SAME ? g->block_of[st->same_as] : g->block_of[j];
        char *sn = num(by);
        s = rk_tmpl_fmt(g->t, "script.same", "n", sn, "what", what, NULL);
        free(sn);
    } else if (st->state == RK_RM_ALREADY) {
        s = rk_tmpl_fmt(g->t, "script.already", "what", what, NULL);
    } else {
        char *why = left_reason(g->t, st);
        s = rk_tmpl_fmt(g->t, "script.left_out", "what", what, "reason", why, NULL);
        rem(g, s);
        free(s);
        s = rk_tmpl_fmt(g->t, "script.say_left_out", "what", what, "reason", why, NULL);
        say_both(g, s);
        free(s);
        s = NULL;
        free(why);
    }
    if (s) rem(g, s);
    free(s);
    free(what);
    return restart;
}

/* One finding's block: its heading, its status, then its steps. Returns 1 when a
 * change wants a restart note. */
static int fix_finding(gen *g, size_t k, const char *count)
{
    const rk_remedy_item *it = &g->rh->items[k];
    const rk_finding *f = &g->a->findings[it->finding];
    const rk_requirement *r = &g->a->schema->reqs[f->req];
    char *n = num(k + 1);
    raw(g, "rem");
    raw(g, "rem ==========================================================================");
    char *s = rk_tmpl_fmt(g->t, "script.finding", "n", n, "count", count, "requirement", r->id,
                          "title", r->title, NULL);
    rem(g, s);
    free(s);
    free(n);
    char key[64];
    snprintf(key, sizeof key, "status.%s", rk_status_str(f->status));
    s = rk_tmpl_fmt(g->t, "script.finding_status", "status", rk_tmpl_get(g->t, key), "actual",
                    f->actual, "message", f->message, NULL);
    rem(g, s);
    free(s);
    int restart = 0;
    for (size_t j = it->first; j < it->first + it->count; j++) restart |= fix_step(g, j);
    return restart;
}

/* The /check part: each change as collected -> as required, and what is left out. */
static void check_part(gen *g, const char *sc)
{
    const rk_remedy_host *rh = g->rh;
    raw(g, "");
    raw(g, ":rk_check");
    char *s = rk_tmpl_fmt(g->t, "script.say_check_head", "script", g->file, "computer",
                          g->computer, NULL);
    echo(g, "", s);
    free(s);
    for (size_t j = 0; j < rh->nsteps; j++) {
        const rk_remedy_step *st = &rh->steps[j];
        int change = st->state == RK_RM_CHANGE &&
                     (st->fix->kind != RK_FIX_FEATURE || first_feature(g, j));
        if (!change && st->state != RK_RM_UNSAFE && st->state != RK_RM_NO_SERVICE) continue;
        char *what;
        if (st->fix->kind == RK_FIX_FEATURE && st->state == RK_RM_CHANGE) {
            char *names = feature_list(g, 0, 0);
            what = rk_tmpl_fmt(g->t, "script.what_features", "features", names, NULL);
            free(names);
        } else {
            what = step_what(g, st);
        }
        if (st->state == RK_RM_CHANGE) {
            char *sn = num(g->block_of[j]);
            s = rk_tmpl_fmt(g->t, "script.say_change", "n", sn, "count", sc, "what", what, NULL);
            free(sn);
        } else {
            char *why = left_reason(g->t, st);
            s = rk_tmpl_fmt(g->t, "script.say_left_out", "what", what, "reason", why, NULL);
            free(why);
        }
        echo(g, "", s);
        free(s);
        free(what);
    }
    s = rk_tmpl_fmt(g->t, "script.say_check_foot", "changes", sc, "script", g->file, NULL);
    echo(g, "", s);
    free(s);
    raw(g, "exit /b 0");
}

static void fix_script(gen *g, rk_script *out)
{
    header(g, 0);
    char *sc = num(g->nblocks), *sf = num(out->findings);
    char *s = rk_tmpl_fmt(g->t, "script.summary", "changes", sc, "findings", sf, NULL);
    rem(g, s);
    free(s);
    raw(g, "rem");
    usage(g, 0);
    preamble(g, 0);
    s = rk_tmpl_fmt(g->t, "script.say_start", "script", g->file, "changes", sc, "computer",
                    g->computer, "log", g->log, NULL);
    say_both(g, s);
    free(s);
    int restart_note = 0;
    char *count = num(g->rh->nitems);
    for (size_t k = 0; k < g->rh->nitems; k++) restart_note |= fix_finding(g, k, count);
    free(count);
    raw(g, "rem");
    raw(g, "rem ==========================================================================");
    tail(g, 0, g->nblocks, restart_note);
    check_part(g, sc);
    free(sc);
    free(sf);
}

/* ---- the undo script ----------------------------------------------------------------------- */

typedef struct undo_step {
    size_t step;   /* the fix's step (the first feature step for the features) */
    int can;       /* something to put back */
    char *what;    /* as required -> as collected */
    char *why_not; /* what cannot be put back, and why (or NULL) */
} undo_step;

static void plan_undo(gen *g, undo_step *u, size_t i)
{
    const rk_remedy_step *st = &g->rh->steps[i];
    const rk_fix *f = st->fix;
    u->step = i;
    switch (f->kind) {
    case RK_FIX_REGISTRY:
        u->what = registry_what(g, st, 1);
        u->can = st->coll == RK_COLL_ABSENT || undo_exact(st);
        if (!u->can)
            u->why_not =
                rk_xstrdup(T(g, st->unsafe == RK_UNSAFE_COLLECTED ? "script.undo_unsafe"
                                                                  : "script.undo_unknown"));
        break;
    case RK_FIX_SERVICE: {
        u->what = service_what(g, st, 1);
        int state_ok = !st->do_action || st->state_was, start_ok = !st->set_start || st->start_was;
        u->can = (st->do_action && st->state_was) || (st->set_start && st->start_was);
        if (!state_ok || !start_ok) u->why_not = rk_xstrdup(T(g, "script.undo_service_unknown"));
        break;
    }
    case RK_FIX_FEATURE: {
        char *names = feature_list(g, 1, 0);
        u->what = rk_tmpl_fmt(g->t, "script.what_features_undo", "features", names, NULL);
        u->can = *names != '\0';
        free(names);
        for (size_t j = 0; j < g->rh->nsteps; j++)
            if (is_feature_change(&g->rh->steps[j]) && g->rh->steps[j].coll == RK_COLL_UNKNOWN) {
                rk_buf b = {0};
                rk_buf_printf(&b, "%s: %s", g->rh->steps[j].fix->name, T(g, "script.undo_unknown"));
                if (u->why_not) {
                    char *joined = rk_xasprintf("%s; %s", u->why_not, b.data);
                    free(u->why_not);
                    u->why_not = joined;
                    rk_buf_free(&b);
                } else {
                    u->why_not = rk_buf_take(&b);
                }
            }
        break;
    }
    default:
        u->what = step_what(g, st);
        u->why_not = rk_xstrdup(T(g, "script.undo_command"));
    }
}

static void emit_undo(gen *g, const undo_step *u, size_t n, size_t count)
{
    const rk_remedy_step *st = &g->rh->steps[u->step];
    const rk_fix *f = st->fix;
    char *sn = num(n), *sc = num(count);
    char *head =
        rk_tmpl_fmt(g->t, "script.restore_head", "n", sn, "count", sc, "what", u->what, NULL);
    char *say = rk_tmpl_fmt(g->t, "script.say_step", "n", sn, "count", sc, "what", u->what, NULL);
    raw(g, "rem");
    rem(g, head);
    const rk_requirement *r = NULL;
    for (size_t k = 0; k < g->rh->nitems && !r; k++) {
        const rk_remedy_item *it = &g->rh->items[k];
        if (u->step >= it->first && u->step < it->first + it->count)
            r = &g->a->schema->reqs[g->a->findings[it->finding].req];
    }
    if (f->kind == RK_FIX_FEATURE) {
        feature_requirements(g, 1);
    } else if (r) {
        char *line = rk_xasprintf("%s %s", r->id, r->title);
        rem(g, line);
        free(line);
    }
    rawf(g, "set \"RK_STEP=%zu\"", n);
    say_both(g, say);
    free(head);
    free(say);
    free(sn);
    free(sc);
    switch (f->kind) {
    case RK_FIX_REGISTRY:
        if (!strncasecmp(f->key, "HKCU\\", 5) || !strncasecmp(f->key, "HKEY_CURRENT_USER\\", 18))
            rem(g, T(g, "script.hkcu"));
        reg_query(g, f, ">>\"%RK_LOG%\" 2>&1");
        if (st->coll == RK_COLL_ABSENT) {
            /* a value that is already gone (the change was never made) is what was asked for */
            rawf(g, "if not \"%%errorlevel%%\"==\"0\" goto rk_undo_%zu", n);
            rk_buf b = {0};
            rk_buf_puts(&b, REG_EXE " delete ");
            reg_target(&b, f);
            rk_buf_puts(&b, " /f /reg:64 >>\"%RK_LOG%\" 2>&1");
            raw(g, b.data);
            rk_buf_free(&b);
            check_rc(g);
            rawf(g, ":rk_undo_%zu", n);
        } else {
            char *d = collected_data(st);
            reg_add(g, f, d);
            free(d);
        }
        break;
    case RK_FIX_SERVICE:
        rawf(g, SC_EXE_F " query \"%s\" >>\"%%RK_LOG%%\" 2>&1", f->name);
        if (st->do_action && st->state_was)
            sc_op(g, !strcmp(st->state_was, "running") ? "start" : "stop", f->name, NULL);
        if (st->set_start && st->start_was) sc_op(g, "config", f->name, st->start_was);
        break;
    default: {
        char *list = feature_list(g, 1, 1);
        powershell_features(g, "Uninstall-WindowsFeature", list);
        free(list);
    }
    }
}

static size_t undo_script(gen *g)
{
    const rk_remedy_host *rh = g->rh;
    /* the fix's changes, last first */
    undo_step *u = rk_xcalloc(g->nblocks ? g->nblocks : 1, sizeof(undo_step));
    size_t nu = 0;
    for (size_t i = rh->nsteps; i-- > 0;) {
        const rk_remedy_step *st = &rh->steps[i];
        if (st->state != RK_RM_CHANGE) continue;
        if (st->fix->kind == RK_FIX_FEATURE && !first_feature(g, i)) continue;
        plan_undo(g, &u[nu++], i);
    }
    size_t ncan = 0;
    for (size_t k = 0; k < nu; k++)
        ncan += u[k].can;
    header(g, 1);
    char *sc = num(ncan);
    char *s = rk_tmpl_fmt(g->t, "script.undo_summary", "changes", sc, NULL);
    rem(g, s);
    free(s);
    raw(g, "rem");
    usage(g, 1);
    preamble(g, 1);
    s = rk_tmpl_fmt(g->t, "script.say_undo_start", "script", g->undo_file, "changes", sc,
                    "computer", g->computer, "log", g->log, NULL);
    say_both(g, s);
    free(s);
    size_t n = 0;
    for (size_t k = 0; k < nu; k++) {
        if (u[k].can) emit_undo(g, &u[k], ++n, ncan);
        if (u[k].why_not) {
            if (!u[k].can) raw(g, "rem");
            s = rk_tmpl_fmt(g->t, "script.not_restored", "what", u[k].what, "reason", u[k].why_not,
                            NULL);
            rem(g, s);
            say_both(g, s);
            free(s);
        }
    }
    raw(g, "rem");
    raw(g, "rem ==========================================================================");
    tail(g, 1, ncan, 0);
    raw(g, "");
    raw(g, ":rk_check");
    s = rk_tmpl_fmt(g->t, "script.say_undo_check_head", "script", g->undo_file, "computer",
                    g->computer, NULL);
    echo(g, "", s);
    free(s);
    n = 0;
    for (size_t k = 0; k < nu; k++) {
        if (u[k].can) {
            char *sn = num(++n);
            s = rk_tmpl_fmt(g->t, "script.say_step", "n", sn, "count", sc, "what", u[k].what, NULL);
            echo(g, "", s);
            free(s);
            free(sn);
        }
        if (u[k].why_not) {
            s = rk_tmpl_fmt(g->t, "script.not_restored", "what", u[k].what, "reason", u[k].why_not,
                            NULL);
            echo(g, "", s);
            free(s);
        }
    }
    raw(g, "exit /b 0");
    for (size_t k = 0; k < nu; k++) {
        free(u[k].what);
        free(u[k].why_not);
    }
    free(u);
    free(sc);
    return ncan;
}

/* ---- the set ----------------------------------------------------------------------------------
 */

rk_scripts *rk_scripts_build(const rk_assessment *a, const rk_remedy *plan, rk_tmpl *t)
{
    rk_scripts *out = rk_xcalloc(1, sizeof(*out));
    out->s = rk_xcalloc(plan->nhosts ? plan->nhosts : 1, sizeof(rk_script));
    for (size_t i = 0; i < plan->nhosts; i++) {
        const rk_remedy_host *rh = &plan->hosts[i];
        if (!rh->nchanges) continue;
        const char *host = a->project->hosts[rh->host].name;
        rk_script *sc = &out->s[out->n++];
        sc->host = rh->host;
        sc->name = rk_remedy_script_name(host, 0);
        sc->undo_name = rk_remedy_script_name(host, 1);
        for (size_t k = 0; k < rh->nitems; k++)
            sc->findings += rh->items[k].how != RK_HOW_PERSON;
        char *file = rk_xasprintf("%s.cmd", host), *undo = rk_xasprintf("%s-undo.cmd", host);
        char *log = rk_xasprintf("%s.log", host), *undo_log = rk_xasprintf("%s-undo.log", host);
        gen g;
        memset(&g, 0, sizeof g);
        g.a = a;
        g.t = t;
        g.rh = rh;
        g.file = file;
        g.undo_file = undo;
        g.computer = rh->computer;
        g.block_of = rk_xcalloc(rh->nsteps ? rh->nsteps : 1, sizeof(size_t));
        number_changes(&g);
        sc->changes = g.nblocks;
        g.log = log;
        fix_script(&g, sc);
        sc->len = g.b.len;
        sc->text = rk_buf_take(&g.b);
        g.log = undo_log;
        sc->undo_changes = undo_script(&g);
        sc->undo_len = g.b.len;
        sc->undo_text = rk_buf_take(&g.b);
        rk_sha256_hex(sc->text, sc->len, sc->sha256);
        rk_sha256_hex(sc->undo_text, sc->undo_len, sc->undo_sha256);
        free(g.block_of);
        free(file);
        free(undo);
        free(log);
        free(undo_log);
    }
    return out;
}

void rk_scripts_free(rk_scripts *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->s[i].name);
        free(s->s[i].undo_name);
        free(s->s[i].text);
        free(s->s[i].undo_text);
    }
    free(s->s);
    free(s);
}

const rk_script *rk_scripts_for_host(const rk_scripts *s, size_t host)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->s[i].host == host) return &s->s[i];
    return NULL;
}

char *rk_remedy_fixed_by(const rk_assessment *a, const rk_remedy *plan, const rk_scripts *s,
                         rk_tmpl *t, size_t i)
{
    int how = plan->how[i];
    if (how < 0) return rk_xstrdup(rk_tmpl_get(t, "report.fix_person"));
    const rk_remedy_host *rh = &plan->hosts[plan->host_of[i]];
    const rk_remedy_item *it = NULL;
    for (size_t k = 0; k < rh->nitems && !it; k++)
        if (rh->items[k].finding == i) it = &rh->items[k];
    /* the first step left to a person says why */
    char *why = NULL;
    for (size_t j = it->first; j < it->first + it->count && !why; j++)
        if (rh->steps[j].state == RK_RM_UNSAFE || rh->steps[j].state == RK_RM_NO_SERVICE)
            why = left_reason(t, &rh->steps[j]);
    const rk_script *sc = rk_scripts_for_host(s, a->findings[i].host);
    char *out;
    if (how == RK_HOW_SCRIPT && sc) {
        out = rk_tmpl_fmt(t, "report.fix_script", "script", sc->name, NULL);
    } else if (how == RK_HOW_PARTLY && sc) {
        out = rk_tmpl_fmt(t, "report.fix_partly", "script", sc->name, "reason", why, NULL);
    } else {
        if (!why) why = rk_xstrdup(rk_tmpl_get(t, "remedy.reason.already"));
        out = rk_tmpl_fmt(t, "report.fix_person_reason", "reason", why, NULL);
    }
    free(why);
    return out;
}
