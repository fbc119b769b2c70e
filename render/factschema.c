/* factschema.c - applies the subset of JSON Schema that schemas/facts.schema.json uses.
 * Written here because Debian 12 packages no JSON Schema validator for C; the subset is
 * small (types, bounds, enums, nested objects and lists) and the file is ours. */
#include "factschema.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MAX_REF_DEPTH 16

struct rk_factschema {
    rk_json *doc;
};

void rk_factschema_free(rk_factschema *s)
{
    if (!s) return;
    rk_json_free(s->doc);
    free(s);
}

rk_factschema *rk_factschema_load(const char *path, rk_diag *d)
{
    rk_json_opts o = {64, 0, "the JSON Schema of fact files", NULL, NULL};
    rk_warnings w = {0};
    rk_json *doc = rk_json_load(path, 4u * 1024u * 1024u, &o, NULL, d, &w);
    rk_warnings_free(&w);
    if (!doc) return NULL;
    if (!cJSON_IsObject(rk_json_root(doc))) {
        rk_json_error(doc, rk_json_root(doc), d, "the file is %s; expected a JSON Schema object",
                      rk_json_kind(rk_json_root(doc)));
        rk_json_free(doc);
        return NULL;
    }
    rk_factschema *s = rk_xcalloc(1, sizeof(*s));
    s->doc = doc;
    return s;
}

typedef struct vctx {
    const rk_factschema *s;
    const rk_json *doc;
    rk_diag *d;
} vctx;

/* Where a value sits ("software.items[0].name"), formatted only for a message:
 * formatting it for every value of a large fact file cost more than the checks. */
typedef struct fpath {
    const struct fpath *up; /* NULL: the root's members */
    const char *key;        /* a member's key, or NULL for a list element */
    int index;
} fpath;

static void fpath_text(const fpath *p, rk_buf *b)
{
    if (!p) return;
    fpath_text(p->up, b);
    if (p->key)
        rk_buf_printf(b, "%s%s", b->len ? "." : "", p->key);
    else
        rk_buf_printf(b, "[%d]", p->index);
}

static char *fpath_str(const fpath *p)
{
    rk_buf b = {0};
    fpath_text(p, &b);
    if (!b.data) rk_buf_puts(&b, "");
    return rk_buf_take(&b);
}

static const cJSON *member(const cJSON *o, const char *key)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

/* Follows "$ref": "#/$defs/name" chains. */
static const cJSON *resolve(const vctx *c, const cJSON *sch)
{
    for (int i = 0; i < MAX_REF_DEPTH; i++) {
        const cJSON *ref = member(sch, "$ref");
        if (!cJSON_IsString(ref) || strncmp(ref->valuestring, "#/$defs/", 8) != 0) return sch;
        const cJSON *defs = member(rk_json_root(c->s->doc), "$defs");
        const cJSON *target = member(defs, ref->valuestring + 8);
        if (!target) return NULL;
        sch = target;
    }
    return NULL;
}

static int is_integer(const cJSON *v)
{
    return cJSON_IsNumber(v) && floor(v->valuedouble) == v->valuedouble;
}

static int fits_type(const cJSON *v, const char *t)
{
    if (!strcmp(t, "string")) return cJSON_IsString(v);
    if (!strcmp(t, "integer")) return is_integer(v);
    if (!strcmp(t, "number")) return cJSON_IsNumber(v);
    if (!strcmp(t, "boolean")) return cJSON_IsBool(v);
    if (!strcmp(t, "array")) return cJSON_IsArray(v);
    if (!strcmp(t, "object")) return cJSON_IsObject(v);
    if (!strcmp(t, "null")) return cJSON_IsNull(v);
    return 0;
}

static const char *type_words(const char *t)
{
    if (!strcmp(t, "string")) return "a string";
    if (!strcmp(t, "integer")) return "an integer";
    if (!strcmp(t, "number")) return "a number";
    if (!strcmp(t, "boolean")) return "true or false";
    if (!strcmp(t, "array")) return "a list";
    if (!strcmp(t, "object")) return "an object";
    if (!strcmp(t, "null")) return "null";
    return t;
}

/* "an integer of at least 0 or null": what the schema node accepts, in words. */
static void expected_words(const cJSON *sch, rk_buf *b)
{
    const cJSON *type = member(sch, "type");
    const cJSON *min = member(sch, "minimum"), *max = member(sch, "maximum");
    const cJSON *one = cJSON_IsArray(type) ? type->child : type;
    int first = 1;
    for (; cJSON_IsString(one); one = cJSON_IsArray(type) ? one->next : NULL) {
        int numeric = !strcmp(one->valuestring, "integer") || !strcmp(one->valuestring, "number");
        rk_buf_printf(b, "%s%s", first ? "" : " or ", type_words(one->valuestring));
        if (numeric && cJSON_IsNumber(min) && cJSON_IsNumber(max))
            rk_buf_printf(b, " from %.15g to %.15g", min->valuedouble, max->valuedouble);
        else if (numeric && cJSON_IsNumber(min))
            rk_buf_printf(b, " of at least %.15g", min->valuedouble);
        else if (numeric && cJSON_IsNumber(max))
            rk_buf_printf(b, " of at most %.15g", max->valuedouble);
        first = 0;
        if (!cJSON_IsArray(type)) break;
    }
    const cJSON *en = member(sch, "enum");
    if (cJSON_IsArray(en)) {
        rk_buf_puts(b, first ? "one of: " : " (one of: ");
        for (const cJSON *e = en->child; e; e = e->next)
            rk_buf_printf(b, "%s%s", e == en->child ? "" : ", ",
                          cJSON_IsString(e) ? e->valuestring : "null");
        if (!first) rk_buf_putc(b, ')');
    }
}

static void value_words(const cJSON *v, rk_buf *b)
{
    if (cJSON_IsNumber(v)) {
        rk_buf_printf(b, "%.15g", v->valuedouble);
    } else if (cJSON_IsString(v)) {
        char shown[200];
        rk_json_show(v->valuestring, 60, shown, sizeof shown);
        rk_buf_printf(b, "'%s'", shown);
    } else {
        rk_buf_puts(b, rk_json_kind(v));
    }
}

static rk_err mismatch(const vctx *c, const cJSON *v, const cJSON *sch, const fpath *at)
{
    char *where = fpath_str(at);
    rk_buf exp = {0}, got = {0};
    expected_words(sch, &exp);
    value_words(v, &got);
    rk_err e = rk_json_error(c->doc, v, c->d, "'%s' is %s; expected %s", where, got.data,
                             exp.len ? exp.data : "another value");
    rk_buf_free(&exp);
    rk_buf_free(&got);
    free(where);
    return e;
}

static int fits_enum(const cJSON *v, const cJSON *en)
{
    for (const cJSON *e = en->child; e; e = e->next) {
        if (cJSON_IsNull(e) && cJSON_IsNull(v)) return 1;
        if (cJSON_IsString(e) && cJSON_IsString(v) && !strcmp(e->valuestring, v->valuestring))
            return 1;
        if (cJSON_IsNumber(e) && cJSON_IsNumber(v) && e->valuedouble == v->valuedouble) return 1;
    }
    return 0;
}

/* The value's own constraints, without looking inside it. */
static int fits_node(const cJSON *v, const cJSON *sch)
{
    const cJSON *type = member(sch, "type");
    if (cJSON_IsString(type) && !fits_type(v, type->valuestring)) return 0;
    if (cJSON_IsArray(type)) {
        int ok = 0;
        for (const cJSON *t = type->child; t && !ok; t = t->next)
            ok = cJSON_IsString(t) && fits_type(v, t->valuestring);
        if (!ok) return 0;
    }
    const cJSON *en = member(sch, "enum");
    if (cJSON_IsArray(en) && !fits_enum(v, en)) return 0;
    const cJSON *min = member(sch, "minimum"), *max = member(sch, "maximum");
    if (cJSON_IsNumber(v) && cJSON_IsNumber(min) && v->valuedouble < min->valuedouble) return 0;
    if (cJSON_IsNumber(v) && cJSON_IsNumber(max) && v->valuedouble > max->valuedouble) return 0;
    return 1;
}

static rk_err check(const vctx *c, const cJSON *v, const cJSON *sch, const fpath *at);

static rk_err check_object(const vctx *c, const cJSON *v, const cJSON *sch, const fpath *at)
{
    const cJSON *props = member(sch, "properties"), *extra = member(sch, "additionalProperties");
    for (const cJSON *m = v->child; m; m = m->next) {
        const cJSON *msch = member(props, m->string);
        if (!msch && cJSON_IsObject(extra)) msch = extra;
        fpath here = {at, m->string, 0};
        if (!msch && cJSON_IsFalse(extra)) {
            char *where = fpath_str(&here);
            rk_err e = rk_json_error(c->doc, m, c->d, "unknown key '%s'", where);
            free(where);
            return e;
        }
        if (!msch) continue;
        rk_err e = check(c, m, msch, &here);
        if (e != RK_OK) return e;
    }
    return RK_OK;
}

static rk_err check(const vctx *c, const cJSON *v, const cJSON *sch, const fpath *at)
{
    sch = resolve(c, sch);
    if (!sch) {
        char *where = fpath_str(at);
        rk_err e = rk_diag_set(c->d, rk_json_path(c->doc), 0, 0,
                               "the fact-file schema has a $ref it does not define ('%s')", where);
        free(where);
        return e;
    }
    if (!fits_node(v, sch)) return mismatch(c, v, sch, at);
    if (cJSON_IsObject(v)) return check_object(c, v, sch, at);
    const cJSON *items = member(sch, "items");
    if (cJSON_IsArray(v) && cJSON_IsObject(items)) {
        int i = 0;
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            fpath here = {at, NULL, i};
            rk_err err = check(c, e, items, &here);
            if (err != RK_OK) return err;
        }
    }
    return RK_OK;
}

rk_err rk_factschema_check(const rk_factschema *s, const rk_json *doc, rk_diag *d)
{
    vctx c = {s, doc, d};
    return check(&c, rk_json_root(doc), rk_json_root(s->doc), NULL);
}
