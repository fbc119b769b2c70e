/* test_attach.c - a PDF's attachments read from files: a file that no longer has the
 * SHA-256 it was assessed with stops the PDF (RK_INPUT, the file named), whether the PDFs
 * share a pack (the render's two PDFs) or read their own; shared, each file is read once
 * and both PDFs still embed it. The embedded bytes themselves are read back with
 * pdfdetach in tests/evidence. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "doc.h"
#include "util.h"

static char dir[] = "/tmp/rk-attach-XXXXXX";

static char *put_file(const char *name, const char *text)
{
    char *path = rk_xasprintf("%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

static rk_doc *doc_with(const char *file, const char *sha256)
{
    rk_doc *d = rk_doc_new();
    d->title = rk_xstrdup("Attachments");
    rk_section *s = rk_doc_section(d, "Attachments", 0, NULL, RK_TARGET_PDF);
    rk_section_para(s, RK_PARA_NORMAL, RK_TONE_NONE, "One page.");
    rk_doc_attach(d, "facts.json", "facts:facts.json", file, sha256, NULL, 0);
    rk_doc_attach(d, "inputs.sha256", "digest", NULL, NULL, "x\n", 2);
    return d;
}

/* Writes d (with pack) and returns the result; err receives the message. */
static rk_err write_pdf(const rk_doc *d, rk_pdf_pack *pack, const char *name, char *err, size_t errlen)
{
    char *out = rk_xasprintf("%s/%s", dir, name);
    rk_pdf_options o = {0, NULL, NULL, pack};
    err[0] = '\0';
    rk_err e = rk_pdf_write(d, &o, out, err, errlen);
    free(out);
    return e;
}

static void test_changed_file_refused(void **state)
{
    (void)state;
    char *f = put_file("facts.json", "{\"a\": 1}\n");
    char sha[65];
    rk_sha256_hex("{\"a\": 2}\n", 9, sha); /* what it held when it was assessed */
    rk_doc *d = doc_with(f, sha);
    char err[1024];
    assert_int_equal(write_pdf(d, NULL, "alone.pdf", err, sizeof err), RK_INPUT);
    assert_non_null(strstr(err, "changed while the documents were made"));
    assert_non_null(strstr(err, f));
    const rk_doc *both[] = {d, d};
    rk_pdf_pack *pack = rk_pdf_pack_new(both, 2);
    assert_int_equal(write_pdf(d, pack, "first.pdf", err, sizeof err), RK_INPUT);
    assert_non_null(strstr(err, "changed while the documents were made"));
    assert_int_equal(write_pdf(d, pack, "second.pdf", err, sizeof err), RK_INPUT); /* told again */
    assert_non_null(strstr(err, f));
    rk_pdf_pack_free(pack);
    char *first = rk_xasprintf("%s/first.pdf", dir);
    assert_int_equal(access(first, F_OK), -1); /* nothing left behind */
    free(first);
    rk_doc_free(d);
    free(f);
}

/* Reads a whole file; caller frees. */
static char *slurp(const char *name, size_t *len)
{
    char *path = rk_xasprintf("%s/%s", dir, name), *buf, err[256];
    assert_int_equal(rk_read_file(path, 1u << 24, &buf, len, err, sizeof err), 0);
    free(path);
    return buf;
}

static void test_pack_shared(void **state)
{
    (void)state;
    const char *text = "{\"host\": \"mpe01\", \"pad\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}\n";
    char *f = put_file("shared.json", text);
    char sha[65];
    rk_sha256_hex(text, strlen(text), sha);
    rk_doc *d = doc_with(f, sha);
    const rk_doc *both[] = {d, d};
    rk_pdf_pack *pack = rk_pdf_pack_new(both, 2);
    char err[1024];
    assert_int_equal(write_pdf(d, pack, "a.pdf", err, sizeof err), RK_OK);
    unlink(f); /* read once: the second PDF embeds it from the pack */
    assert_int_equal(write_pdf(d, pack, "b.pdf", err, sizeof err), RK_OK);
    rk_pdf_pack_free(pack);
    /* the same PDF as one that read the file itself */
    free(put_file("shared.json", text));
    assert_int_equal(write_pdf(d, NULL, "c.pdf", err, sizeof err), RK_OK);
    size_t la, lb, lc;
    char *a = slurp("a.pdf", &la), *b = slurp("b.pdf", &lb), *c = slurp("c.pdf", &lc);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    assert_int_equal(la, lc);
    assert_memory_equal(a, c, la);
    free(a);
    free(b);
    free(c);
    rk_doc_free(d);
    free(f);
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changed_file_refused),
        cmocka_unit_test(test_pack_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
