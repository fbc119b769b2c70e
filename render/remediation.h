/* remediation.h - writes the remediation scripts of a render (remediation/<host>.cmd and
 * remediation/<host>-undo.cmd) into its output set. */
#ifndef RK_REMEDIATION_H
#define RK_REMEDIATION_H

#include <stddef.h>
#include "assess.h"
#include "outset.h"
#include "template.h"

/* The first lines every script starts with: what the writer looks for before it retires a
 * script an earlier render left. */
#define RK_SCRIPT_MARK "@echo off\r\nrem readykit-remediation/1\r\n"

/* Stages one script and one undo script for each host with a change to make, worded from
 * t, and retires the scripts an earlier render left in the folder's remediation/ that
 * this render does not write (a host whose findings are fixed now needs none). Files
 * there that readykit did not write (logs, notes) are left alone. Returns RK_OK or
 * RK_OUTPUT with err filled. */
rk_err rk_remediation_write(const rk_assessment *a, rk_tmpl *t, rk_outset *out, char *err,
                            size_t errlen);

#endif
