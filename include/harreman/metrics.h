/* SPDX-License-Identifier: MIT */
/* Process-wide counters for GET /metrics: requests by route and status, a latency
 * histogram, requests in flight, the group-commit batches and the database's busy
 * retries, rendered as Prometheus text. Lock-free (C11 atomics), safe from every
 * thread. */
#ifndef HARREMAN_METRICS_H
#define HARREMAN_METRICS_H

#include <stddef.h>

/* Counts one answered request. route_index is an index in the route table, or -1
 * for static files and unmatched paths. */
void hm_metrics_observe(int route_index, int status, double seconds);

/* Moves the gauge of requests begun but not yet completed by delta (+1 / -1). */
void hm_metrics_in_flight(int delta);

/* Counts one group-commit batch of jobs write jobs (writer.h). */
void hm_metrics_write_batch(size_t jobs);

/* The Prometheus text (caller frees); NULL when out of memory. */
char *hm_metrics_render(size_t *len);

#endif
