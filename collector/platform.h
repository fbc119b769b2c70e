/* platform.h - the contract every backend (win32/, posix/) implements; chosen in CMake. */
#ifndef RKC_PLATFORM_H
#define RKC_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include "emit.h"
#include "plan.h"

/* --- process ------------------------------------------------------------------- */

/* The program proper, in main.c. argv is UTF-8 on every platform. */
int rkc_main(int argc, char **argv);

/* Called once before anything else: makes stdout binary, turns off error pop-ups,
 * starts the socket library. Returns 0, or -1 with a message in err. */
int rkc_platform_init(char *err, size_t errlen);
void rkc_platform_done(void);

/* "windows" or "linux": the value of collector.platform. */
const char *rkc_platform_name(void);

/* Milliseconds from a monotonic clock. */
uint64_t rkc_clock_ms(void);

/* --- files --------------------------------------------------------------------- */

/* Reads the whole file at path (UTF-8) into a malloc'd buffer the caller frees. Files
 * longer than max bytes are refused. Returns 0, or -1 with a message in err. */
int rkc_read_file(const char *path, size_t max, char **buf, size_t *len, char *err,
                  size_t errlen);

/* Writes buf to path atomically: a temporary file in the same folder, flushed, then
 * renamed over path. On failure nothing is left behind and err says why (-1). */
int rkc_write_file_atomic(const char *path, const char *buf, size_t len, char *err,
                          size_t errlen);

/* Writes buf to standard output and flushes. Returns 0 or -1. */
int rkc_write_stdout(const char *buf, size_t len);

/* --- fact groups ----------------------------------------------------------------
 * Each is called with the group's object open ("host", "os", ...) and writes its keys
 * through the emitter. A fact that is collected and absent is null; a fact that cannot
 * be read is left out and reported with rkc_emit_fail (RKC_ACCESS_DENIED, RKC_FAILED),
 * and a fact this platform cannot give is reported with rkc_emit_unsupported. None of
 * them writes anything anywhere, and a failure of one fact never stops the others. */
void rkc_collect_host(rkc_emit *e);
void rkc_collect_os(rkc_emit *e);
void rkc_collect_hardware(rkc_emit *e);
void rkc_collect_software(rkc_emit *e);
void rkc_collect_settings(rkc_emit *e);
void rkc_collect_services(rkc_emit *e);
void rkc_collect_identity(rkc_emit *e);

/* --- collect items (plan lines `collect ID KIND ARG [ARG]`) ------------------------
 * Each is called with the "collected" object open and writes the item's value under
 * it->id: the value as schemas/README.md describes it for the kind; null when it was
 * collected and is not there (no such key or value, program or service); or, when it
 * cannot be read, nothing but an errors[] entry "collected.<id>" (rkc_emit_fail), with
 * RKC_UNSUPPORTED where this platform has no such thing. They only read: registry
 * keys are opened for query, services with query rights. */
void rkc_collect_registry(rkc_emit *e, const rkc_plan_collect *it);
void rkc_collect_program(rkc_emit *e, const rkc_plan_collect *it);
void rkc_collect_file_version(rkc_emit *e, const rkc_plan_collect *it);
void rkc_collect_service(rkc_emit *e, const rkc_plan_collect *it);
void rkc_collect_windows_feature(rkc_emit *e, const rkc_plan_collect *it);

/* Size in bytes and last modification time of the file at path (UTF-8; on Windows
 * %VAR% references are expanded first) without opening it, so that files another
 * process holds locked are read too. RKC_OK fills *size and modified (RFC 3339 UTC,
 * "2026-11-20T08:15:00Z"); RKC_NOT_FOUND when there is no such file; a folder, or any
 * other failure, is another status with a message in detail. */
rkc_status rkc_file_info(const char *path, uint64_t *size, char modified[32], char *detail,
                         size_t detlen);

/* --- hashing ------------------------------------------------------------------- */

/* SHA-256 of buf[0..len) with the system's own implementation, as 64 lowercase hex
 * digits and a NUL in hex. Returns 0, or -1 with a message in err. */
int rkc_sha256_hex(const void *buf, size_t len, char hex[65], char *err, size_t errlen);

/* --- sockets for probes ---------------------------------------------------------- */

/* A resolved address, opaque to portable code apart from its text. */
typedef struct rkc_addr {
    unsigned char sa[128]; /* struct sockaddr_storage */
    int salen;
    char text[64];         /* numeric form, no port */
} rkc_addr;

/* Resolves host (a numeric address, or also a name when numeric_only is 0) for TCP;
 * takes the first address the resolver gives. Returns 0, or -1 with err. */
int rkc_net_resolve(const char *host, int numeric_only, rkc_addr *out, char *err,
                    size_t errlen);

/* Result of a connection attempt. */
typedef enum rkc_conn {
    RKC_CONN_PENDING = 0, /* not finished yet */
    RKC_CONN_OPEN,        /* connected */
    RKC_CONN_REFUSED,     /* the peer answered with a reset */
    RKC_CONN_TIMEDOUT,    /* the system gave up waiting */
    RKC_CONN_ERROR        /* anything else; see the message */
} rkc_conn;

typedef intptr_t rkc_sock;
#define RKC_SOCK_NONE ((rkc_sock)-1)

/* Starts a non-blocking TCP connect to a, port port. Returns the state (RKC_CONN_PENDING while in
 * progress) and the socket in *s (RKC_SOCK_NONE when none was created). On
 * RKC_CONN_ERROR, err holds the system's message. */
rkc_conn rkc_net_connect_start(const rkc_addr *a, int port, rkc_sock *s, char *err,
                               size_t errlen);

/* Waits at most timeout_ms for any of the n pending sockets to finish connecting, then
 * sets state[i] for those that did (others stay RKC_CONN_PENDING) and fills msgs[i]
 * (64 bytes each) for errors. Returns the number that finished, or -1 when waiting
 * itself failed. */
int rkc_net_wait(const rkc_sock *socks, rkc_conn *state, char (*msgs)[64], size_t n,
                 int timeout_ms);

void rkc_net_close(rkc_sock s);

/* Largest number of sockets this process may hold open at once for probes. */
size_t rkc_net_max_parallel(void);

#endif
