/* schema.h - the requirement schema: roles, scenarios, requirements with their checks,
 * and the product's network flow table, loaded from schemas/<id>.yaml. */
#ifndef RK_SCHEMA_H
#define RK_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"

typedef enum rk_severity { RK_SEV_REQUIRED, RK_SEV_RECOMMENDED } rk_severity;

typedef enum rk_check_kind {
    RK_CHECK_MIN,       /* numeric fact >= value */
    RK_CHECK_MAX,       /* numeric fact <= value */
    RK_CHECK_EQUALS,    /* fact == value (string, number or boolean) */
    RK_CHECK_FLAG,      /* registry DWORD: non-zero = on; expect on|off; null_means */
    RK_CHECK_MATCH,     /* string fact matches one of the glob patterns */
    RK_CHECK_VERSION,   /* dotted version >= min, or >= the min of the matching branch */
    RK_CHECK_CONTAINS,  /* array of strings has an element matching one of the patterns */
    RK_CHECK_ABSENT,    /* fact collected and null (e.g. no Exchange installed) */
    RK_CHECK_PRESENT,   /* fact collected and not null */
    RK_CHECK_ANY,       /* some element of an array fact passes the sub-check */
    RK_CHECK_ALL,       /* every element of an array fact passes the sub-check */
    RK_CHECK_ANY_OF,    /* one of several checks passes */
    RK_CHECK_ALL_OF,    /* all of several checks pass */
    RK_CHECK_SAME_AS,   /* fact equals the same fact on every host holding `role` */
    RK_CHECK_NOT_ROLE,  /* the host holds none of `roles` */
    RK_CHECK_MANUAL,    /* a person verifies it: steps */
    RK_CHECK_FLOWS      /* the host's TCP flows that probes tested are open */
} rk_check_kind;

typedef enum rk_value_format {
    RK_FMT_PLAIN,  /* as collected */
    RK_FMT_BYTES,  /* bytes shown as GiB/MiB */
    RK_FMT_MHZ,    /* MHz shown as GHz */
    RK_FMT_DWORD   /* registry DWORD shown as decimal and hex */
} rk_value_format;

typedef enum rk_otherwise { RK_OTHERWISE_FAIL, RK_OTHERWISE_PASS, RK_OTHERWISE_NA } rk_otherwise;

typedef struct rk_version_branch {
    char *prefix; /* dotted prefix the version must start with, e.g. "15.2" */
    char *min;    /* lowest accepted version on this branch */
    char *name;   /* e.g. "Exchange Server 2019 CU1" */
} rk_version_branch;

typedef struct rk_check rk_check;
struct rk_check {
    rk_check_kind kind;
    char *fact;              /* dotted path into the fact file (relative to the element
                                for sub-checks of any/all) */
    double number;           /* min/max/equals on numbers */
    char *string;            /* equals on strings; version `min` */
    int boolean;             /* equals on booleans */
    int value_type;          /* equals: 0 none, 1 number, 2 string, 3 boolean */
    int expect_on;           /* flag */
    int null_means;          /* flag: -1 unknown/fail, 0 off, 1 on */
    char **patterns;         /* match/contains */
    size_t npatterns;
    rk_version_branch *branches;
    size_t nbranches;
    rk_otherwise otherwise;  /* version: when no branch matches */
    rk_check *sub;           /* any/all: the check applied to each element */
    rk_check *checks;        /* any_of/all_of */
    size_t nchecks;
    char *role;              /* same_as */
    uint32_t roles;          /* not_role: bit mask over schema roles */
    char **steps;            /* manual: verification steps */
    size_t nsteps;
    rk_value_format format;
};

typedef struct rk_when {
    uint32_t scenarios;      /* applies when the project has any of these (0 = always) */
    long long mailbox_count_above; /* -1 when not a condition */
    int large_public_folders;      /* 1 when a condition */
    /* Parameter conditions combine with OR; the result combines with the scenarios by
     * AND. A requirement without `when` always applies. */
} rk_when;

typedef struct rk_requirement {
    char *id;          /* stable, e.g. MPE-SRV-MEM */
    char *title;
    char *section;     /* seed heading, verbatim */
    char *seed;        /* quote or paraphrase of the seed statement */
    uint32_t applies_to; /* role bit mask */
    int has_when;
    rk_when when;
    rk_severity severity;
    char *expected;    /* the expected value in words, e.g. "≥ 8 GiB" */
    rk_check check;
    char *remediation;
    char *note;        /* where the seed is wrong or ambiguous: the reasoning (may be NULL) */
    char **refs;       /* seed references */
    size_t nrefs;
    int line;          /* where it is defined in the schema file */
} rk_requirement;

typedef struct rk_named {
    char *id;
    char *title;
} rk_named;

#define RK_PROTO_TCP 1u
#define RK_PROTO_UDP 2u

/* One row of the product's network table, as the seed states it, plus what the
 * loader derived from it. */
typedef struct rk_flow_row {
    int row;               /* 1-based row number in the seed's table */
    uint32_t from_roles;   /* role bit masks */
    uint32_t to_roles;
    char *from_label;      /* the seed's From/To text, verbatim */
    char *to_label;
    char *component;
    char *protocol;        /* verbatim: "TCP", "TCP/UDP", "TCP/IP", "TCP Dynamic", ... */
    char *port;            /* verbatim: "25", "1024>65535" */
    char *remark;
    char *note;            /* e.g. where Microsoft's port reference disagrees */
    uint32_t protocols;    /* derived: RK_PROTO_* */
    int port_from, port_to;/* derived */
    int dynamic;           /* derived: a dynamic range */
} rk_flow_row;

typedef struct rk_schema {
    char *path;
    char sha256[65];
    char *id;
    char *title;
    char *product;
    char *version;
    char *source;          /* the requirements document it encodes */
    rk_named *roles;       /* at most 32 */
    size_t nroles;
    rk_named *scenarios;   /* at most 32 */
    size_t nscenarios;
    rk_requirement *reqs;
    size_t nreqs;
    rk_flow_row *flows;
    size_t nflows;
} rk_schema;

/* Loads and validates a schema file. Returns NULL and fills d on error. */
rk_schema *rk_schema_load(const char *path, rk_diag *d);
void rk_schema_free(rk_schema *s);

/* Index of a role / scenario id, or -1. */
int rk_schema_role(const rk_schema *s, const char *id);
int rk_schema_scenario(const rk_schema *s, const char *id);
const rk_requirement *rk_schema_req(const rk_schema *s, const char *id);
/* Comma-separated role ids of a mask, into out. */
void rk_schema_roles_str(const rk_schema *s, uint32_t mask, char *out, size_t outlen);

/* Parses the seed's protocol and port texts. Returns 0, or -1 when not understood. */
int rk_flow_parse_protocol(const char *text, uint32_t *protocols, int *dynamic);
int rk_flow_parse_port(const char *text, int *from, int *to);

#endif
