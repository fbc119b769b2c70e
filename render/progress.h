/* progress.h - how far a long render has got: the stage and how many of its hosts (or
 * documents) are done, on one line of a terminal. Silent unless a reporter is installed,
 * which the command line does only when standard error is a terminal. */
#ifndef RK_PROGRESS_H
#define RK_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

typedef struct rk_progress rk_progress;

/* A reporter writing to fp: nothing during the first second after it is made (a short
 * render stays silent), then "readykit: STAGE: N of TOTAL UNIT" redrawn in place at
 * most ten times a second. now() gives seconds on a steady clock; NULL: the monotonic
 * clock. Free with rk_progress_free. */
rk_progress *rk_progress_new(FILE *fp, double (*now)(void));
/* rk_progress_new(fp, NULL) when fp is a terminal, else NULL. */
rk_progress *rk_progress_tty(FILE *fp);
/* Clears the line if anything was shown (so that what is printed next starts a clean
 * line) and frees; NULL is a no-op. Uninstalls it first when installed. */
void rk_progress_free(rk_progress *p);

/* The process's reporter (NULL: none, the default). */
void rk_progress_install(rk_progress *p);

/* Reports to the installed reporter, if any; safe from several threads. A stage with
 * total 0 counts nothing. unit names what is counted ("hosts", "documents"). */
void rk_progress_stage(const char *stage, size_t total, const char *unit);
void rk_progress_step(size_t done);
/* One more unit of the stage done (for units finished on several threads). */
void rk_progress_advance(void);
/* Clears the line for a message about to be printed; the next report redraws it. */
void rk_progress_clear(void);

#endif
