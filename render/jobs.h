/* jobs.h - runs independent jobs on a few threads: the documents of a render, which
 * read the same finished models and write files of their own. */
#ifndef RK_JOBS_H
#define RK_JOBS_H

#include <stddef.h>
#include "diag.h"

typedef struct rk_job {
    /* what to run: returns RK_OK, or an error with a message in err */
    rk_err (*run)(void *arg, char *err, size_t errlen);
    void *arg;
    /* filled in by rk_jobs_run */
    rk_err result;
    char err[1024];
} rk_job;

/* Runs jobs[0..n), each exactly once, on up to `threads` threads (the calling thread is
 * one of them): a thread that comes free takes the next job in array order, so the
 * longest jobs belong first. Returns when every job has finished; each job's result
 * and message are in the job. A job must touch nothing another job writes. With
 * threads <= 1, or when a thread cannot be started, the jobs run one after the other on
 * the calling thread. */
void rk_jobs_run(rk_job *jobs, size_t n, size_t threads);

/* The processors this process may run on, at least 1: how many threads are worth
 * starting. */
size_t rk_jobs_cpus(void);

#endif
