/* template.c - document wording from templates/<lang>.yaml and templates/<part>.<lang>.yaml. */
#include "template.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_tree.h"
#include "util.h"

typedef struct entry {
    char *key;
    char *text;
    int warned;
} entry;

typedef struct table {
    entry *e;
    size_t n, cap;
} table;

struct rk_tmpl {
    char *lang;
    table lang_tab, en_tab;
    rk_warnings *w;
    char *dir;
};

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

static void table_free(table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->e[i].key);
        free(t->e[i].text);
    }
    free(t->e);
}

static rk_err load_file(const char *path, table *t, rk_diag *d)
{
    rk_node *root = rk_yaml_load(path, NULL, d);
    if (!root) return RK_INPUT;
    if (root->type != RK_NODE_MAP) {
        rk_diag_set(d, path, root->line, root->col, "the file is %s; expected a mapping of key: text",
                    rk_node_kind(root));
        rk_node_free(root);
        return RK_INPUT;
    }
    for (size_t i = 0; i < root->count; i++) {
        const rk_node *v = root->items[i];
        if (v->type != RK_NODE_SCALAR) {
            rk_diag_set(d, path, v->line, v->col, "'%s' is %s; expected text", root->keys[i]->value,
                        rk_node_kind(v));
            rk_node_free(root);
            return RK_INPUT;
        }
        for (size_t j = 0; j < t->n; j++)
            if (!strcmp(t->e[j].key, root->keys[i]->value)) {
                rk_diag_set(d, path, root->keys[i]->line, root->keys[i]->col,
                            "key '%s' is defined in another template file too", root->keys[i]->value);
                rk_node_free(root);
                return RK_INPUT;
            }
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 256;
            t->e = rk_xrealloc(t->e, t->cap * sizeof(entry));
        }
        t->e[t->n].key = rk_xstrdup(root->keys[i]->value);
        t->e[t->n].text = rk_xstrdup(v->value);
        t->e[t->n].warned = 0;
        t->n++;
    }
    rk_node_free(root);
    return RK_OK;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads <dir>/<lang>.yaml (required) and every <dir>/<part>.<lang>.yaml, in name order. */
static rk_err load_lang(const char *dir, const char *lang, table *t, rk_diag *d)
{
    char *main_path = rk_xasprintf("%s/%s.yaml", dir, lang);
    rk_err e = load_file(main_path, t, d);
    free(main_path);
    if (e != RK_OK) return e;
    DIR *dh = opendir(dir);
    if (dh) {
        char *suffix = rk_xasprintf(".%s.yaml", lang);
        size_t sl = strlen(suffix);
        char **names = NULL;
        size_t n = 0;
        struct dirent *de;
        while ((de = readdir(dh))) {
            size_t l = strlen(de->d_name);
            if (l > sl && strcmp(de->d_name + l - sl, suffix) == 0 && de->d_name[0] != '.') {
                names = rk_xrealloc(names, (n + 1) * sizeof(char *));
                names[n++] = rk_xstrdup(de->d_name);
            }
        }
        closedir(dh);
        free(suffix);
        qsort(names, n, sizeof(char *), cmp_name);
        for (size_t i = 0; i < n; i++) {
            char *p = rk_xasprintf("%s/%s", dir, names[i]);
            if (e == RK_OK) e = load_file(p, t, d);
            free(p);
            free(names[i]);
        }
        free(names);
    }
    qsort(t->e, t->n, sizeof(entry), cmp_entry);
    return e;
}

rk_tmpl *rk_tmpl_load(const char *dir, const char *lang, rk_diag *d, rk_warnings *w)
{
    rk_tmpl *t = rk_xcalloc(1, sizeof(*t));
    t->lang = rk_xstrdup(lang);
    t->w = w;
    t->dir = rk_xstrdup(dir);
    if (load_lang(dir, "en", &t->en_tab, d) != RK_OK) {
        rk_tmpl_free(t);
        return NULL;
    }
    if (strcmp(lang, "en") != 0) {
        char *p = rk_xasprintf("%s/%s.yaml", dir, lang);
        FILE *fp = fopen(p, "rb");
        if (!fp) {
            /* the languages are the <lang>.yaml files; <part>.<lang>.yaml only add to them */
            rk_buf langs = {0};
            DIR *dh = opendir(dir);
            struct dirent *de;
            char **names = NULL;
            size_t nn = 0;
            while (dh && (de = readdir(dh))) {
                size_t l = strlen(de->d_name);
                if (l > 5 && !strcmp(de->d_name + l - 5, ".yaml") && !memchr(de->d_name, '.', l - 5) &&
                    de->d_name[0] != '.') {
                    names = rk_xrealloc(names, (nn + 1) * sizeof(char *));
                    names[nn++] = rk_xstrndup(de->d_name, l - 5);
                }
            }
            if (dh) closedir(dh);
            qsort(names, nn, sizeof(char *), cmp_name);
            for (size_t i = 0; i < nn; i++) {
                rk_buf_printf(&langs, "%s%s", i ? ", " : "", names[i]);
                free(names[i]);
            }
            free(names);
            rk_diag_set(d, p, 0, 0, "there are no templates for language '%s'; expected one of: %s", lang,
                        langs.data ? langs.data : "(none)");
            rk_buf_free(&langs);
            free(p);
            rk_tmpl_free(t);
            return NULL;
        }
        fclose(fp);
        free(p);
        if (load_lang(dir, lang, &t->lang_tab, d) != RK_OK) {
            rk_tmpl_free(t);
            return NULL;
        }
    }
    return t;
}

void rk_tmpl_free(rk_tmpl *t)
{
    if (!t) return;
    table_free(&t->lang_tab);
    table_free(&t->en_tab);
    free(t->lang);
    free(t->dir);
    free(t);
}

const char *rk_tmpl_lang(const rk_tmpl *t) { return t->lang; }

static entry *find(table *t, const char *key)
{
    if (!t->n) return NULL;
    entry k = {(char *)key, NULL, 0};
    return bsearch(&k, t->e, t->n, sizeof(entry), cmp_entry);
}

const char *rk_tmpl_get(rk_tmpl *t, const char *key)
{
    if (strcmp(t->lang, "en") != 0) {
        entry *e = find(&t->lang_tab, key);
        if (e) return e->text;
    }
    entry *e = find(&t->en_tab, key);
    if (e) {
        if (strcmp(t->lang, "en") != 0 && !e->warned) {
            e->warned = 1;
            if (t->w)
                rk_warn(t->w, t->dir, 0, 0, "warn.template_missing_lang", "key", key, "lang", t->lang,
                        NULL);
        }
        return e->text;
    }
    /* a key missing everywhere: visible in the document, warned once */
    table *tab = &t->en_tab;
    if (tab->n == tab->cap) {
        tab->cap = tab->cap ? tab->cap * 2 : 16;
        tab->e = rk_xrealloc(tab->e, tab->cap * sizeof(entry));
    }
    tab->e[tab->n].key = rk_xstrdup(key);
    tab->e[tab->n].text = rk_xasprintf("[%s]", key);
    tab->e[tab->n].warned = 1;
    const char *text = tab->e[tab->n].text;
    tab->n++;
    qsort(tab->e, tab->n, sizeof(entry), cmp_entry);
    if (t->w) rk_warn(t->w, t->dir, 0, 0, "warn.template_missing", "key", key, NULL);
    return text; /* heap strings do not move when the table is sorted */
}

static char *substitute(const char *src, const char *const *names, const char *const *values,
                        size_t n)
{
    rk_buf b = {0};
    for (const char *p = src; *p;) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (close) {
                size_t l = (size_t)(close - p - 1);
                size_t i;
                for (i = 0; i < n; i++)
                    if (strlen(names[i]) == l && strncmp(names[i], p + 1, l) == 0) break;
                if (i < n) {
                    rk_buf_puts(&b, values[i]);
                    p = close + 1;
                    continue;
                }
            }
        }
        rk_buf_putc(&b, *p++);
    }
    return rk_buf_take(&b);
}

char *rk_tmpl_fmt(rk_tmpl *t, const char *key, ...)
{
    const char *names[32], *values[32];
    size_t n = 0;
    va_list ap;
    va_start(ap, key);
    for (;;) {
        const char *name = va_arg(ap, const char *);
        if (!name) break;
        const char *value = va_arg(ap, const char *);
        if (n < 32) {
            names[n] = name;
            values[n] = value ? value : "";
            n++;
        }
    }
    va_end(ap);
    return substitute(rk_tmpl_get(t, key), names, values, n);
}

char *rk_tmpl_fmt_pairs(rk_tmpl *t, const char *key, char *const *pairs, size_t n)
{
    const char *names[32], *values[32];
    size_t k = 0;
    for (size_t i = 0; i + 1 < n && k < 32; i += 2, k++) {
        names[k] = pairs[i];
        values[k] = pairs[i + 1];
    }
    return substitute(rk_tmpl_get(t, key), names, values, k);
}

char *rk_tmpl_warning(rk_tmpl *t, const rk_warning *w)
{
    char *text = rk_tmpl_fmt_pairs(t, w->key, w->args, w->nargs);
    rk_diag d;
    memset(&d, 0, sizeof d);
    snprintf(d.file, sizeof d.file, "%s", w->file ? w->file : "");
    d.line = w->line;
    d.col = w->col;
    snprintf(d.msg, sizeof d.msg, "%s", text);
    free(text);
    char out[2200];
    rk_diag_format(&d, out, sizeof out);
    return rk_xstrdup(out);
}
