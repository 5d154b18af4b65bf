/* SPDX-License-Identifier: MIT */
/* Process-wide counters for GET /metrics: requests by route and status, a latency
 * histogram, requests in flight, the group-commit batches and the database's busy
 * retries, rendered as Prometheus text. Lock-free (C11 atomics), safe from every
 * thread. */
#ifndef HARREMAN_METRICS_H
#define HARREMAN_METRICS_H

#include <stddef.h>
#include <stdint.h>

/* Routes counted one by one; later ones count as "other". */
#define HM_METRICS_MAX_ROUTES 128

/* Counts one answered request. route_index is an index in the route table, or -1
 * for static files and unmatched paths. */
void hm_metrics_observe(int route_index, int status, double seconds);

/* Moves the gauge of requests begun but not yet completed by delta (+1 / -1). */
void hm_metrics_in_flight(int delta);

/* Counts one group-commit batch of jobs write jobs (writer.h). */
void hm_metrics_write_batch(size_t jobs);

/* The labels of route i of the table observed (the layer above hands them in:
 * this module knows nothing of routes), and the figures it reads elsewhere. */
struct hm_metrics_route {
	const char *method;  /* "GET, HEAD" */
	const char *pattern; /* "/api/v1/lessons/{id}" */
};
struct hm_metrics_gauges {
	unsigned long long db_busy_retries;
	long long sqlite_memory_bytes;
	uint64_t cache_hits, cache_misses; /* the response cache's lookups */
};

/* The Prometheus text (caller frees); NULL when out of memory. routes[0..n_routes)
 * label the route indexes given to hm_metrics_observe (borrowed for the call). */
char *hm_metrics_render(const struct hm_metrics_route *routes, size_t n_routes,
			const struct hm_metrics_gauges *gauges, size_t *len);

#endif
