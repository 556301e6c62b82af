/*
 * A pool of threads that run requests which block on the store's group commit, so the few
 * HTTP I/O threads keep serving reads and many writes can wait in one commit together.
 * The transport suspends the connection, offload_submit() runs the job on a pool thread,
 * and the job resumes the connection when done.
 */
#ifndef FRANK_OFFLOAD_H
#define FRANK_OFFLOAD_H

struct offload;

/* caller frees with offload_free(); NULL on failure */
struct offload *offload_new(unsigned threads);
/* runs fn(arg) on a pool thread; never blocks on the job itself */
void offload_submit(struct offload *o, void (*fn)(void *), void *arg);
/* finishes queued jobs, joins the threads */
void offload_free(struct offload *o);
#endif
