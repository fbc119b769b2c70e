/* collect.h - a plan's collect items: the "collected" object and the "plan" summary. */
#ifndef RKC_COLLECT_H
#define RKC_COLLECT_H

#include "emit.h"
#include "plan.h"

/* Writes "collected": {ID: value, ...} with one member per collect item of plan, in plan
 * order, each read by the platform's reader for its kind; an item that cannot be read is
 * left out and named in errors[] as collected.<ID>. */
void rkc_collect_items(rkc_emit *e, const rkc_plan *plan);

/* Writes "plan": {sha256, probes, items[]}: the SHA-256 of the plan file's bytes as
 * read (sha256 is NULL when it could not be computed; then sha_err says why and
 * plan.sha256 goes to errors[]), the number of probe lines and the collect ids in
 * plan order. */
void rkc_collect_plan_summary(rkc_emit *e, const rkc_plan *plan, const char *sha256,
                              const char *sha_err);

#endif
