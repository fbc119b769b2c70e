/* schema.h - the requirement schema (readykit-schema/2): one product's roles, scenarios,
 * parameters, collect items, endpoints, host details, requirements with their checks
 * and fixes, and its network table; loaded from schemas/<id>.yaml. */
#ifndef RK_SCHEMA_H
#define RK_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"

#define RK_SCHEMA_FORMAT "readykit-schema/2"
#define RK_SCHEMA_MAX_NAMED 32 /* roles, scenarios, endpoints: bit masks of 32 */

typedef enum rk_severity { RK_SEV_REQUIRED, RK_SEV_RECOMMENDED } rk_severity;

#define RK_CHECK_KIND_MAP(X)                                                         \
    X(MIN, "min")                                                                    \
    X(MAX, "max")                                                                    \
    X(EQUALS, "equals")                                                              \
    X(FLAG, "flag")                                                                  \
    X(MATCH, "match")                                                                \
    X(VERSION, "version")                                                            \
    X(CONTAINS, "contains")                                                          \
    X(ABSENT, "absent")                                                              \
    X(PRESENT, "present")                                                            \
    X(ANY, "any")                                                                    \
    X(ALL, "all")                                                                    \
    X(ANY_OF, "any_of")                                                              \
    X(ALL_OF, "all_of")                                                              \
    X(NOT, "not")                                                                    \
    X(SAME_AS, "same_as")                                                            \
    X(NOT_ROLE, "not_role")                                                          \
    X(MANUAL, "manual")                                                              \
    X(FLOWS, "flows")

typedef enum rk_check_kind {
#define RK_CK_ENUM(name, word) RK_CHECK_##name,
    RK_CHECK_KIND_MAP(RK_CK_ENUM)
#undef RK_CK_ENUM
    RK_CHECK_KIND_COUNT
} rk_check_kind;

typedef enum rk_value_format {
    RK_FMT_PLAIN,  /* as collected */
    RK_FMT_BYTES,  /* bytes shown in GB and GiB */
    RK_FMT_MHZ,    /* MHz shown as GHz */
    RK_FMT_DWORD   /* registry DWORD shown as decimal and hex */
} rk_value_format;

typedef enum rk_otherwise { RK_OTHERWISE_FAIL, RK_OTHERWISE_PASS, RK_OTHERWISE_NA } rk_otherwise;

typedef struct rk_version_branch {
    char *prefix; /* dotted prefix the version must start with, e.g. "15.2" */
    char *min;    /* lowest accepted version on this branch */
    char *name;   /* what the branch is called, e.g. "Product 2019 update 1" */
} rk_version_branch;

typedef enum rk_value_type { RK_VT_NONE, RK_VT_NUMBER, RK_VT_STRING, RK_VT_BOOL } rk_value_type;

typedef struct rk_check rk_check;
struct rk_check {
    rk_check_kind kind;
    char *fact;              /* dotted path into the fact file (relative to the element
                                for sub-checks of any/all) */
    double number;           /* min/max/equals on numbers */
    char *of;                /* min/max: the threshold is number x this fact (a ratio) */
    char *string;            /* equals on strings; version `min` */
    int boolean;             /* equals on booleans */
    rk_value_type value_type;/* equals */
    int expect_on;           /* flag */
    int on_one;              /* flag: only exactly 1 is on (else any non-zero) */
    int null_means;          /* flag: -1 absent fails, 0 off, 1 on */
    char **patterns;         /* match/contains */
    size_t npatterns;
    rk_version_branch *branches;
    size_t nbranches;
    rk_otherwise otherwise;  /* version: no branch matches; any/all: empty list */
    rk_check *sub;           /* any/all: applied to each element; not: the negated check */
    rk_check *where;         /* any/all: selects the elements considered (may be NULL) */
    rk_check *checks;        /* any_of/all_of */
    size_t nchecks;
    char *role;              /* same_as */
    uint32_t roles;          /* not_role: bit mask over schema roles */
    char **steps;            /* manual: verification steps */
    size_t nsteps;
    rk_value_format format;
    int line;                /* where the check is written */
};

/* ---- parameters and conditions --------------------------------------------------- */

typedef enum rk_param_type {
    RK_PT_INTEGER,
    RK_PT_NUMBER,
    RK_PT_BOOLEAN,
    RK_PT_STRING,
    RK_PT_LIST
} rk_param_type;

/* A parameter value: a number (integer, number), a boolean, a string, or a list of
 * strings. `set` is 0 when there is none. */
typedef struct rk_pvalue {
    int set;
    double number;
    int boolean;
    char *string;
    char **list;
    size_t nlist;
} rk_pvalue;

typedef struct rk_parameter {
    char *id, *title, *description;
    rk_param_type type;
    int has_min, has_max;
    double min, max;
    char **values;           /* allowed strings (string, list), or NULL */
    size_t nvalues;
    rk_pvalue def;           /* def.set: a default is declared */
    int line;
} rk_parameter;

typedef enum rk_cond_op {
    RK_OP_ABOVE,
    RK_OP_AT_LEAST,
    RK_OP_BELOW,
    RK_OP_AT_MOST,
    RK_OP_EQUALS,
    RK_OP_IN
} rk_cond_op;

typedef struct rk_condition {
    size_t param;            /* index into the schema's parameters */
    rk_cond_op op;
    double number;           /* above, at_least, below, at_most */
    rk_pvalue *values;       /* equals: one; in: several (typed as the parameter) */
    size_t nvalues;
} rk_condition;

typedef struct rk_when {
    int present;
    uint32_t scenarios;      /* the project has one of these (0: not a condition) */
    rk_condition *all;       /* every one holds */
    size_t nall;
    rk_condition *any;       /* one holds (when given) */
    size_t nany;
} rk_when;

/* ---- collect items, endpoints, host details, fixes ---------------------------------- */

#define RK_COLLECT_KIND_MAP(X)                                                       \
    X(REGISTRY, "registry")                                                          \
    X(PROGRAM, "program")                                                            \
    X(FILE_VERSION, "file_version")                                                  \
    X(SERVICE, "service")                                                            \
    X(WINDOWS_FEATURE, "windows_feature")                                            \
    X(FILE, "file")

typedef enum rk_collect_kind {
#define RK_CL_ENUM(name, word) RK_COLLECT_##name,
    RK_COLLECT_KIND_MAP(RK_CL_ENUM)
#undef RK_CL_ENUM
    RK_COLLECT_KIND_COUNT
} rk_collect_kind;

typedef struct rk_collect {
    char *id, *title;
    rk_collect_kind kind;
    uint32_t roles;          /* 0: every host */
    char *arg1;              /* registry: key; program, service, windows_feature: name;
                                file_version, file: path */
    char *arg2;              /* registry: value name ("" the default value); else NULL */
    int line;
} rk_collect;

typedef struct rk_endpoint {
    char *id, *title, *note;
    char **addresses;
    size_t naddresses;
    int line;
} rk_endpoint;

typedef struct rk_host_detail {
    char *fact, *label;
    rk_value_format format;
} rk_host_detail;

typedef enum rk_fix_kind { RK_FIX_REGISTRY, RK_FIX_SERVICE, RK_FIX_FEATURE, RK_FIX_COMMAND } rk_fix_kind;

typedef struct rk_fix {
    rk_fix_kind kind;
    char *key, *value, *type, *data; /* registry (data as text: "1", "a", or lines) */
    char *fact;                      /* registry: the fact holding the value as collected
                                        (optional; NULL: a collect item of the same key
                                        and value, if any) */
    char *name;                      /* service, windows_feature */
    char *start_type, *action;       /* service (action may be NULL) */
    char *command;                   /* command */
    int line;
} rk_fix;

/* ---- requirements and flow rows ------------------------------------------------------ */

typedef struct rk_requirement {
    char *id;          /* stable, e.g. MPE-SRV-MEM */
    char *title;
    char *section;     /* the source document's heading */
    char *seed;        /* quote or paraphrase of the source's statement */
    uint32_t applies_to; /* role bit mask */
    rk_when when;
    rk_severity severity;
    char *expected;    /* the expected value in words */
    rk_check check;
    char *remediation;
    char *note;        /* how the source was read (may be NULL) */
    char **refs;
    size_t nrefs;
    rk_fix *fixes;
    size_t nfixes;
    int line;          /* where it is defined in the schema file */
} rk_requirement;

typedef struct rk_named {
    char *id;
    char *title;
} rk_named;

#define RK_PROTO_TCP 1u
#define RK_PROTO_UDP 2u

/* One row of the product's network table, as the source states it, plus what the
 * loader derived from it. */
typedef struct rk_flow_row {
    int row;               /* 1-based row number in the source's table */
    uint32_t from_roles;   /* role bit masks */
    uint32_t to_roles;
    uint32_t from_endpoints; /* endpoint bit masks */
    uint32_t to_endpoints;
    char *from_label;      /* the source's From/To text */
    char *to_label;
    char *component;
    char *protocol;        /* as written: "TCP", "TCP/UDP", "TCP/IP", "TCP Dynamic", ... */
    char *port;            /* as written: "25", "1024>65535" */
    char *remark;
    char *note;
    rk_when when;
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
    char *source;
    rk_named *roles;       /* at most 32 */
    size_t nroles;
    rk_named *scenarios;   /* at most 32 */
    size_t nscenarios;
    rk_parameter *params;
    size_t nparams;
    rk_collect *collect;
    size_t ncollect;
    rk_endpoint *endpoints; /* at most 32 */
    size_t nendpoints;
    rk_host_detail *details;
    size_t ndetails;
    rk_requirement *reqs;
    size_t nreqs;
    rk_flow_row *flows;
    size_t nflows;
    /* The translation applied (schema_text.h), if any. */
    char *lang;            /* "en" unless a translation was applied */
    char *text_path;
    char text_sha256[65];
} rk_schema;

/* Loads and validates a schema file. Returns NULL and fills d on error. */
rk_schema *rk_schema_load(const char *path, rk_diag *d);
void rk_schema_free(rk_schema *s);

/* Index of a role / scenario / parameter / endpoint / collect item, or -1. */
int rk_schema_role(const rk_schema *s, const char *id);
int rk_schema_scenario(const rk_schema *s, const char *id);
int rk_schema_param(const rk_schema *s, const char *id);
int rk_schema_endpoint(const rk_schema *s, const char *id);
int rk_schema_collect_item(const rk_schema *s, const char *id);
const rk_requirement *rk_schema_req(const rk_schema *s, const char *id);
/* Comma-separated role ids of a mask, into out. */
void rk_schema_roles_str(const rk_schema *s, uint32_t mask, char *out, size_t outlen);
/* "min", "registry", "integer", ...: the schema's words for kinds and types. */
const char *rk_check_kind_str(rk_check_kind k);
const char *rk_collect_kind_str(rk_collect_kind k);
const char *rk_param_type_str(rk_param_type t);

/* Parses the source's protocol and port texts. Returns 0, or -1 when not understood. */
int rk_flow_parse_protocol(const char *text, uint32_t *protocols, int *dynamic);
int rk_flow_parse_port(const char *text, int *from, int *to);

/* 1 when s is an address an endpoint or a project may name: an IPv4 or IPv6 address, a
 * CIDR block of either, or a DNS name (a leading "*." label allowed when wildcard). */
int rk_address_valid(const char *s, int wildcard);

void rk_pvalue_free(rk_pvalue *v);
/* Reads a value for parameter p from a YAML node (a project's `parameters` entry, a
 * default): the type, range and allowed values are checked, with file:line:col. */
struct rk_node;
rk_err rk_param_parse(const char *file, const struct rk_node *n, const rk_parameter *p,
                      rk_pvalue *out, rk_diag *d);

#endif
