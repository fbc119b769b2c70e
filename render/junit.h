/* junit.h - the readiness verdict as JUnit XML for CI pipelines (render --junit FILE):
 * one test suite per host, one test case per requirement that applies to it. */
#ifndef RK_JUNIT_H
#define RK_JUNIT_H

#include "assess.h"
#include "template.h"

/* The JUnit XML document (UTF-8, XML 1.0) of an assessment whose findings have words
 * (rk_explain_findings ran). Per host a <testsuite> named after the host, with
 * properties (verdict, assessment.verdict, digest, ...), and per requirement a
 * <testcase name="HOST: TITLE" classname="HOST">: fail is a <failure>; manual, unknown,
 * not-applicable, waived and attested are <skipped> with the reason; warn passes with
 * the warning in <system-out>; pass passes. A requirement with several findings on a
 * host (one per blocked flow) is one test case with the worst status. A host without
 * findings is an empty suite. Every text is escaped, and characters XML 1.0 cannot
 * carry become U+FFFD. Times are 0 and the timestamp is the assessment date, so the
 * same inputs give the same file. Caller frees. */
char *rk_junit_xml(const rk_assessment *a, rk_tmpl *t);

#endif
