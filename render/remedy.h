/* remedy.h - the remediation plan: which failed or warned findings a schema's `fix`
 * steps can fix on each host, which change each step makes (the value as collected and
 * the value as required) and which steps a script must leave out, and why. Data only:
 * remediation_script.c words it as a .cmd script, readiness_doc.c as the remediation plan. */
#ifndef RK_REMEDY_H
#define RK_REMEDY_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "assess.h"

/* What the script does with one step of a finding's fix. */
#define RK_REMEDY_STATE_MAP(X)                                                                     \
    X(CHANGE, "change")         /* the script makes the change */                                  \
    X(SAME, "same")             /* the same change is made for an earlier finding */               \
    X(ALREADY, "already")       /* already as required when collected */                           \
    X(UNSAFE, "unsafe")         /* a value a command line cannot carry safely */                   \
    X(NO_SERVICE, "no-service") /* the service was not installed when collected */

typedef enum rk_remedy_state {
#define RK_RM_ENUM(name, word) RK_RM_##name,
    RK_REMEDY_STATE_MAP(RK_RM_ENUM)
#undef RK_RM_ENUM
        RK_RM_COUNT
} rk_remedy_state;

const char *rk_remedy_state_str(rk_remedy_state s);

/* What is known of a value as collected. */
typedef enum rk_collected {
    RK_COLL_UNKNOWN, /* not collected, or no fact says (the undo leaves it) */
    RK_COLL_ABSENT,  /* collected and not there (JSON null) */
    RK_COLL_VALUE    /* collected: value */
} rk_collected;

/* Which part of a step holds a value the script cannot carry (RK_RM_UNSAFE). */
typedef enum rk_unsafe_part {
    RK_UNSAFE_NONE,
    RK_UNSAFE_KEY,       /* registry key or value name, service or feature name */
    RK_UNSAFE_DATA,      /* the data the schema requires */
    RK_UNSAFE_COLLECTED, /* the value as collected (for the undo); the change itself is kept */
    RK_UNSAFE_COMMAND    /* a command line */
} rk_unsafe_part;

typedef struct rk_remedy_step {
    const rk_fix *fix; /* borrowed from the schema */
    rk_remedy_state state;
    rk_unsafe_part unsafe; /* UNSAFE, or COLLECTED with state CHANGE (no undo) */
    /* registry: the value as collected (value borrowed from the fact file) */
    const char *fact; /* the fact that holds it, or NULL */
    rk_collected coll;
    const cJSON *value;
    int exact; /* value can be written back with the fix's type */
    /* service: as collected ("running", "auto"; NULL unknown), absent when coll ABSENT */
    const char *state_was, *start_was;
    int set_start, do_action; /* what the script changes (CHANGE) */
    /* windows feature: coll VALUE with installed 0/1 */
    int installed;
    size_t same_as; /* SAME: index of the host's step that makes the change */
} rk_remedy_step;

/* How a finding is remediated. */
typedef enum rk_remedy_how {
    RK_HOW_PERSON, /* no fix, or no step of it can be scripted */
    RK_HOW_SCRIPT, /* the host's script makes every change its fix needs */
    RK_HOW_PARTLY  /* the script makes some changes; a person does the rest */
} rk_remedy_how;

typedef struct rk_remedy_item {
    size_t finding; /* index into the assessment's findings */
    rk_remedy_how how;
    size_t first, count; /* its steps: the host's steps[first .. first + count) */
} rk_remedy_item;

typedef struct rk_remedy_host {
    size_t host;           /* index into the project's hosts */
    char *computer;        /* the computer name the script insists on (upper case) */
    rk_remedy_item *items; /* failed or warned findings with a fix, schema order */
    size_t nitems;
    rk_remedy_step *steps; /* every step of those items, in item order */
    size_t nsteps;
    size_t nchanges; /* steps with state CHANGE */
    int needs_admin; /* a change outside HKCU */
} rk_remedy_host;

typedef struct rk_remedy {
    rk_remedy_host *hosts; /* hosts with at least one item, project order */
    size_t nhosts;
    int *how;     /* per finding: rk_remedy_how, or -1 when the plan does not
                     cover it (not failed or warned, or no fix) */
    int *host_of; /* per finding: index into hosts, or -1 */
    char **paths; /* fact paths the plan made (steps' fact), owned */
    size_t npaths;
} rk_remedy;

/* Builds the plan from the evaluated findings (final status fail or warn; waived,
 * unknown and other findings are not scripted) and the fact files. Borrows from a,
 * which must outlive the plan. */
rk_remedy *rk_remedy_plan(const rk_assessment *a);
void rk_remedy_free(rk_remedy *r); /* NULL is a no-op */

/* The host's entry, or NULL when no script is planned for project host h (no step with
 * state CHANGE). */
const rk_remedy_host *rk_remedy_for_host(const rk_remedy *r, size_t h);

/* "remediation/<host>.cmd" (undo: "remediation/<host>-undo.cmd"), the name of a host's
 * script among a render's documents. Caller frees. */
char *rk_remedy_script_name(const char *host, int undo);

/* 1 when text may stand inside a double-quoted argument of a .cmd script: printable
 * ASCII without " % ! ^ & | < >, not beginning with '/' and not ending in '\'. */
int rk_cmd_safe(const char *text);
/* 1 when a literal command line may be written into a .cmd script as it is: printable
 * ASCII, quotes balanced, no %, and no & | < > ^ outside double quotes. */
int rk_cmd_line_safe(const char *line);
/* The separator `reg add /s` gets for the strings of a REG_MULTI_SZ given as lines
 * (one per line): a character none of them holds, or 0 when there is none. */
char rk_multi_sz_separator(const char *lines);

#endif
