/* net.c - POSIX socket shim for probes: getaddrinfo, non-blocking connect, poll. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "../platform.h"
#include "../xalloc.h"

int rkc_net_resolve(const char *host, int numeric_only, rkc_addr *out, char *err,
                    size_t errlen)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = numeric_only ? AI_NUMERICHOST : 0;
    int rc = getaddrinfo(host, NULL, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, errlen, "%s: %s", numeric_only ? "not a numeric address" : "does not resolve",
                 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
        return -1;
    }
    memset(out, 0, sizeof *out);
    if (res->ai_addrlen > sizeof out->sa) {
        freeaddrinfo(res);
        snprintf(err, errlen, "address too long");
        return -1;
    }
    memcpy(out->sa, res->ai_addr, res->ai_addrlen);
    out->salen = (int)res->ai_addrlen;
    freeaddrinfo(res);
    if (getnameinfo((struct sockaddr *)out->sa, (socklen_t)out->salen, out->text,
                    sizeof out->text, NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(out->text, sizeof out->text, "%s", host);
    return 0;
}

static rkc_conn classify(int e, char *err, size_t errlen)
{
    switch (e) {
    case 0: return RKC_CONN_OPEN;
    case ECONNREFUSED: return RKC_CONN_REFUSED;
    case ETIMEDOUT: return RKC_CONN_TIMEDOUT;
    default:
        snprintf(err, errlen, "%s", strerror(e));
        return RKC_CONN_ERROR;
    }
}

rkc_conn rkc_net_connect_start(const rkc_addr *a, int port, rkc_sock *s, char *err,
                               size_t errlen)
{
    struct sockaddr_storage ss;
    memcpy(&ss, a->sa, sizeof ss);
    if (ss.ss_family == AF_INET)
        ((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
    else if (ss.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
    *s = RKC_SOCK_NONE;
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return classify(errno ? errno : EINVAL, err, errlen);
    *s = fd;
    if (connect(fd, (struct sockaddr *)&ss, (socklen_t)a->salen) == 0)
        return RKC_CONN_OPEN;
    if (errno == EINPROGRESS || errno == EINTR)
        return RKC_CONN_PENDING;
    return classify(errno, err, errlen);
}

int rkc_net_wait(const rkc_sock *socks, rkc_conn *state, char (*msgs)[64], size_t n,
                 int timeout_ms)
{
    struct pollfd *p = rkc_xcalloc(n ? n : 1, sizeof *p);
    for (size_t i = 0; i < n; i++) {
        p[i].fd = (int)socks[i];
        p[i].events = POLLOUT;
    }
    int rc = poll(p, (nfds_t)n, timeout_ms);
    if (rc < 0 && errno == EINTR)
        rc = 0; /* nothing finished; the caller waits again */
    if (rc < 0) {
        free(p);
        return -1;
    }
    int done = 0;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].revents)
            continue;
        int e = 0;
        socklen_t el = sizeof e;
        if (getsockopt(p[i].fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0)
            e = errno;
        if (e == EINPROGRESS)
            continue;
        state[i] = classify(e, msgs[i], 64);
        done++;
    }
    free(p);
    return done;
}

void rkc_net_close(rkc_sock s)
{
    if (s != RKC_SOCK_NONE)
        close((int)s);
}

size_t rkc_net_max_parallel(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return 4096;
    if (rl.rlim_cur <= 64)
        return 1;
    return rl.rlim_cur - 64 > 4096 ? 4096 : (size_t)(rl.rlim_cur - 64);
}
