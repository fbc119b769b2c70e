/* net.c - Winsock shim for probes: getaddrinfo, non-blocking connect, select.
 * select() rather than WSAPoll: before Windows 10 2004, WSAPoll never reports a refused
 * connect (it waits out the timeout), which would turn every closed port into
 * "filtered" on Windows Server 2012-2019. select() reports it in the except set. */
#define FD_SETSIZE 1024
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../platform.h"

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
        snprintf(err, errlen, "%s: error %d",
                 numeric_only ? "not a numeric address" : "does not resolve", rc);
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
    if (getnameinfo((struct sockaddr *)out->sa, out->salen, out->text, sizeof out->text,
                    NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(out->text, sizeof out->text, "%s", host);
    return 0;
}

static rkc_conn classify(int e, char *err, size_t errlen)
{
    switch (e) {
    case 0: return RKC_CONN_OPEN;
    case WSAECONNREFUSED: return RKC_CONN_REFUSED;
    case WSAETIMEDOUT: return RKC_CONN_TIMEDOUT;
    case WSAENETUNREACH: snprintf(err, errlen, "network unreachable"); return RKC_CONN_ERROR;
    case WSAEHOSTUNREACH: snprintf(err, errlen, "host unreachable"); return RKC_CONN_ERROR;
    case WSAEADDRNOTAVAIL: snprintf(err, errlen, "address not available"); return RKC_CONN_ERROR;
    default: snprintf(err, errlen, "socket error %d", e); return RKC_CONN_ERROR;
    }
}

rkc_conn rkc_net_connect_start(const rkc_addr *a, int port, rkc_sock *s, char *err,
                               size_t errlen)
{
    struct sockaddr_storage ss;
    memcpy(&ss, a->sa, sizeof ss);
    if (ss.ss_family == AF_INET)
        ((struct sockaddr_in *)&ss)->sin_port = htons((u_short)port);
    else if (ss.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&ss)->sin6_port = htons((u_short)port);
    *s = RKC_SOCK_NONE;
    SOCKET fd = socket(ss.ss_family, SOCK_STREAM, IPPROTO_TCP);
    if (fd == INVALID_SOCKET)
        return classify(WSAGetLastError(), err, errlen);
    *s = (rkc_sock)fd;
    u_long nb = 1;
    if (ioctlsocket(fd, FIONBIO, &nb) != 0)
        return classify(WSAGetLastError(), err, errlen);
    if (connect(fd, (struct sockaddr *)&ss, a->salen) == 0)
        return RKC_CONN_OPEN;
    int e = WSAGetLastError();
    if (e == WSAEWOULDBLOCK || e == WSAEINPROGRESS)
        return RKC_CONN_PENDING;
    return classify(e, err, errlen);
}

int rkc_net_wait(const rkc_sock *socks, rkc_conn *state, char (*msgs)[64], size_t n,
                 int timeout_ms)
{
    /* fd_set holds FD_SETSIZE sockets: wait on the first FD_SETSIZE, the scheduler keeps
     * at most that many in flight (rkc_net_max_parallel). */
    fd_set wr, ex;
    size_t m = n > FD_SETSIZE ? FD_SETSIZE : n;
    FD_ZERO(&wr);
    FD_ZERO(&ex);
    for (size_t i = 0; i < m; i++) {
        FD_SET((SOCKET)socks[i], &wr);
        FD_SET((SOCKET)socks[i], &ex);
    }
    struct timeval tv;
    tv.tv_sec = timeout_ms / 1000;
    tv.tv_usec = (timeout_ms % 1000) * 1000;
    if (m == 0) {
        Sleep((DWORD)timeout_ms);
        return 0;
    }
    int rc = select(0, NULL, &wr, &ex, &tv);
    if (rc == SOCKET_ERROR)
        return -1;
    int done = 0;
    for (size_t i = 0; i < m; i++) {
        SOCKET fd = (SOCKET)socks[i];
        if (FD_ISSET(fd, &wr)) {
            state[i] = RKC_CONN_OPEN;
            done++;
        } else if (FD_ISSET(fd, &ex)) {
            int e = 0, el = sizeof e;
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, (char *)&e, &el) != 0)
                e = WSAGetLastError();
            state[i] = classify(e ? e : WSAECONNREFUSED, msgs[i], 64);
            done++;
        }
    }
    return done;
}

void rkc_net_close(rkc_sock s)
{
    if (s != RKC_SOCK_NONE)
        closesocket((SOCKET)s);
}

size_t rkc_net_max_parallel(void)
{
    return FD_SETSIZE;
}
