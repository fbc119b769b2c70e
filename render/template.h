/* template.h - document wording from templates/<lang>.yaml, with English fallback. */
#ifndef RK_TEMPLATE_H
#define RK_TEMPLATE_H

#include "diag.h"

typedef struct rk_tmpl rk_tmpl;

/* Loads templates/<lang>.yaml from dir and templates/en.yaml as the fallback. A key
 * missing from <lang> falls back to English with a warning (once per key). Returns
 * NULL with d filled when a file is malformed or the language does not exist. */
rk_tmpl *rk_tmpl_load(const char *dir, const char *lang, rk_diag *d, rk_warnings *w);
void rk_tmpl_free(rk_tmpl *t);
const char *rk_tmpl_lang(const rk_tmpl *t);

/* The text of key; a key missing from both languages returns the key itself in
 * brackets ("[key]") and warns, so a template gap is visible, never a crash. */
const char *rk_tmpl_get(rk_tmpl *t, const char *key);
/* The text of key with {name} placeholders replaced from the NULL-terminated
 * name/value pairs. Caller frees. */
char *rk_tmpl_fmt(rk_tmpl *t, const char *key, ...) __attribute__((sentinel));

/* rk_tmpl_fmt with the name/value pairs in an array of n strings (n even). */
char *rk_tmpl_fmt_pairs(rk_tmpl *t, const char *key, char *const *pairs, size_t n);
/* A warning in words: "file:line:col: text" (parts omitted when unknown). */
char *rk_tmpl_warning(rk_tmpl *t, const rk_warning *w);

#endif
