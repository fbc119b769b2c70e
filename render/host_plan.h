/* host_plan.h - the plan readykit-collect runs on one host (`readykit plan`). */
#ifndef RK_HOST_PLAN_H
#define RK_HOST_PLAN_H

#include <stdio.h>
#include "assess.h"

/* Writes the plan of one host to fp: comments saying what it is, one
 * `collect ID KIND ARG [ARG]` line per collect item of the host's roles (arguments bare,
 * or in double quotes with a quote written twice), then one `tcp PORT ADDRESS FLOW-ID`
 * line per address of each flow a TCP connect can verify, and the other flows as
 * comments. Returns RK_OK, RK_USAGE (no such host) or RK_OUTPUT. */
rk_err rk_plan_write(const rk_assessment *a, size_t host, FILE *fp);

#endif
