/* attest_template.h - a ready-to-fill attestations file for a project's manual checks. */
#ifndef RK_ATTEST_TEMPLATE_H
#define RK_ATTEST_TEMPLATE_H

#include <stdio.h>
#include "assess.h"

/* Writes a readykit-attestations/1 file listing every manual check of the project, one
 * entry per requirement and host, with its title, expected value and steps as comments. */
void rk_attestations_template(const rk_assessment *a, FILE *fp);

#endif
