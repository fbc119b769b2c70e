/* progress.c - one line of progress on a terminal, redrawn in place. */
#include "progress.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define RK_PROGRESS_DELAY 1.0    /* seconds of silence first */
#define RK_PROGRESS_INTERVAL 0.1 /* at most this often a redraw */

struct rk_progress {
    FILE *fp;
    double (*now)(void);
    double start, last;
    char stage[64], unit[16];
    size_t total, done;
    size_t shown; /* length of the line on screen, 0: none */
    pthread_mutex_t lock;
};

static rk_progress *installed;
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;

static double monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

rk_progress *rk_progress_new(FILE *fp, double (*now)(void))
{
    rk_progress *p = rk_xcalloc(1, sizeof(*p));
    p->fp = fp;
    p->now = now ? now : monotonic;
    p->start = p->now();
    p->last = -1;
    pthread_mutex_init(&p->lock, NULL);
    return p;
}

rk_progress *rk_progress_tty(FILE *fp)
{
    return fp && isatty(fileno(fp)) ? rk_progress_new(fp, NULL) : NULL;
}

/* Erases what is shown: back to the line's start, spaces over it, back again (no
 * terminal control sequences, so any terminal reads it). */
static void erase(rk_progress *p)
{
    if (!p->shown) return;
    fprintf(p->fp, "\r%*s\r", (int)p->shown, "");
    fflush(p->fp);
    p->shown = 0;
}

static void draw(rk_progress *p, int force)
{
    double t = p->now();
    if (t - p->start < RK_PROGRESS_DELAY) return;
    if (!force && p->last >= 0 && t - p->last < RK_PROGRESS_INTERVAL) return;
    p->last = t;
    char line[160];
    int n;
    if (p->total)
        n = snprintf(line, sizeof line, "readykit: %s: %zu of %zu %s", p->stage, p->done, p->total,
                     p->unit);
    else
        n = snprintf(line, sizeof line, "readykit: %s", p->stage);
    if (n < 0) return;
    size_t len = strlen(line);
    /* pad over the end of a longer line drawn before */
    fprintf(p->fp, "\r%s%*s", line, p->shown > len ? (int)(p->shown - len) : 0, "");
    if (p->shown > len) fprintf(p->fp, "\r%s", line);
    fflush(p->fp);
    p->shown = len;
}

void rk_progress_free(rk_progress *p)
{
    if (!p) return;
    pthread_mutex_lock(&install_lock);
    if (installed == p) installed = NULL;
    pthread_mutex_unlock(&install_lock);
    erase(p);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

void rk_progress_install(rk_progress *p)
{
    pthread_mutex_lock(&install_lock);
    installed = p;
    pthread_mutex_unlock(&install_lock);
}

/* The installed reporter, locked; NULL when there is none. */
static rk_progress *acquire(void)
{
    pthread_mutex_lock(&install_lock);
    rk_progress *p = installed;
    if (p) pthread_mutex_lock(&p->lock);
    pthread_mutex_unlock(&install_lock);
    return p;
}

void rk_progress_stage(const char *stage, size_t total, const char *unit)
{
    rk_progress *p = acquire();
    if (!p) return;
    snprintf(p->stage, sizeof p->stage, "%s", stage ? stage : "");
    snprintf(p->unit, sizeof p->unit, "%s", unit ? unit : "");
    p->total = total;
    p->done = 0;
    draw(p, 1);
    pthread_mutex_unlock(&p->lock);
}

void rk_progress_step(size_t done)
{
    rk_progress *p = acquire();
    if (!p) return;
    p->done = done;
    draw(p, done == p->total);
    pthread_mutex_unlock(&p->lock);
}

void rk_progress_advance(void)
{
    rk_progress *p = acquire();
    if (!p) return;
    p->done++;
    draw(p, p->done == p->total);
    pthread_mutex_unlock(&p->lock);
}

void rk_progress_clear(void)
{
    rk_progress *p = acquire();
    if (!p) return;
    erase(p);
    p->last = -1;
    pthread_mutex_unlock(&p->lock);
}
