/* jobs.c - runs independent jobs on a few threads (POSIX threads). */
#define _GNU_SOURCE /* sched_getaffinity */
#include "jobs.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#define RK_JOBS_MAX_THREADS 8

typedef struct pool {
    rk_job *jobs;
    size_t n, next;
    pthread_mutex_t lock;
} pool;

static rk_job *take(pool *p)
{
    pthread_mutex_lock(&p->lock);
    rk_job *j = p->next < p->n ? &p->jobs[p->next++] : NULL;
    pthread_mutex_unlock(&p->lock);
    return j;
}

static void *work(void *arg)
{
    pool *p = arg;
    for (rk_job *j; (j = take(p));) {
        j->err[0] = '\0';
        j->result = j->run(j->arg, j->err, sizeof j->err);
    }
    return NULL;
}

void rk_jobs_run(rk_job *jobs, size_t n, size_t threads)
{
    pool p = {jobs, n, 0, PTHREAD_MUTEX_INITIALIZER};
    if (threads > n) threads = n;
    if (threads > RK_JOBS_MAX_THREADS) threads = RK_JOBS_MAX_THREADS;
    pthread_t tid[RK_JOBS_MAX_THREADS];
    size_t started = 0;
    for (size_t i = 1; i < threads; i++) {
        if (pthread_create(&tid[started], NULL, work, &p) != 0) break;
        started++;
    }
    work(&p);
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&p.lock);
}

size_t rk_jobs_cpus(void)
{
    /* the processors this process may run on (taskset, a container's limit), else those
     * online */
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (size_t)CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}
