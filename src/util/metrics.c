// SPDX-License-Identifier: MIT
// Prometheus counters (include/harreman/metrics.h). Counters are fixed arrays of
// atomics indexed by route and by a small set of status codes, so recording a
// request takes no lock and no allocation.
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "harreman/buf.h"
#include "harreman/metrics.h"
#include "harreman/banned.h"

#define N_BUCKETS 12

static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
			       409, 413, 414, 415, 422, 429, 500, 503};
#define N_STATUSES ((int)(sizeof statuses / sizeof statuses[0]) + 1) /* + "other" */

static const double bucket_bounds[N_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
						0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

/* Row 0 is "not a route" (static files, unmatched paths); route i is row i + 1. */
static atomic_uint_fast64_t requests[HM_METRICS_MAX_ROUTES + 1][N_STATUSES];
static atomic_uint_fast64_t latency_buckets[N_BUCKETS + 1];
static atomic_uint_fast64_t latency_count;
static atomic_uint_fast64_t latency_micros;
static atomic_int in_flight;
static atomic_uint_fast64_t write_batches;
static atomic_uint_fast64_t write_batch_jobs;

static int status_index(int status)
{
	for (int i = 0; i < N_STATUSES - 1; i++)
		if (statuses[i] == status)
			return i;
	return N_STATUSES - 1;
}

void hm_metrics_observe(int route_index, int status, double seconds)
{
	int row = route_index >= 0 && route_index < HM_METRICS_MAX_ROUTES ? route_index + 1 : 0;
	atomic_fetch_add_explicit(&requests[row][status_index(status)], 1, memory_order_relaxed);
	int b = 0;
	while (b < N_BUCKETS && seconds > bucket_bounds[b])
		b++;
	atomic_fetch_add_explicit(&latency_buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&latency_count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&latency_micros, (uint_fast64_t)(seconds * 1e6),
				  memory_order_relaxed);
}

void hm_metrics_in_flight(int delta)
{
	atomic_fetch_add_explicit(&in_flight, delta, memory_order_relaxed);
}

void hm_metrics_write_batch(size_t jobs)
{
	atomic_fetch_add_explicit(&write_batches, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&write_batch_jobs, jobs, memory_order_relaxed);
}

char *hm_metrics_render(const struct hm_metrics_route *routes, size_t n_routes_in,
			const struct hm_metrics_gauges *gauges, size_t *len)
{
	struct hm_buf out;
	bool ok = true;
	hm_buf_init(&out, 1 << 20);
	ok = ok && hm_buf_printf(&out, "# HELP harreman_http_requests_total Requests answered,"
				       " by route and status.\n"
				       "# TYPE harreman_http_requests_total counter\n");
	size_t n_routes = n_routes_in < HM_METRICS_MAX_ROUTES ? n_routes_in : HM_METRICS_MAX_ROUTES;
	for (size_t row = 0; ok && row <= n_routes; row++) {
		for (int s = 0; ok && s < N_STATUSES; s++) {
			uint64_t v = atomic_load(&requests[row][s]);
			if (!v)
				continue;
			const char *route = row ? routes[row - 1].pattern : "other";
			const char *method = row ? routes[row - 1].method : "any";
			char status[16] = "other";
			if (s < N_STATUSES - 1)
				snprintf(status, sizeof status, "%d", statuses[s]);
			ok = hm_buf_printf(&out,
					   "harreman_http_requests_total{method=\"%s\","
					   "route=\"%s\",status=\"%s\"} %llu\n",
					   method, route, status, (unsigned long long)v);
		}
	}
	ok = ok && hm_buf_printf(&out, "# HELP harreman_http_request_duration_seconds Time from"
				       " the request's arrival to its answer.\n"
				       "# TYPE harreman_http_request_duration_seconds histogram\n");
	uint64_t cumulative = 0;
	for (int b = 0; ok && b < N_BUCKETS; b++) {
		cumulative += atomic_load(&latency_buckets[b]);
		ok = hm_buf_printf(&out,
				   "harreman_http_request_duration_seconds_bucket{le=\"%g\"}"
				   " %llu\n",
				   bucket_bounds[b], (unsigned long long)cumulative);
	}
	cumulative += atomic_load(&latency_buckets[N_BUCKETS]);
	ok = ok && hm_buf_printf(&out,
				 "harreman_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
				 "harreman_http_request_duration_seconds_sum %.6f\n"
				 "harreman_http_request_duration_seconds_count %llu\n",
				 (unsigned long long)cumulative,
				 (double)atomic_load(&latency_micros) / 1e6,
				 (unsigned long long)atomic_load(&latency_count));
	ok = ok && hm_buf_printf(&out,
				 "# HELP harreman_db_busy_retries_total Times a database"
				 " connection waited for a lock.\n"
				 "# TYPE harreman_db_busy_retries_total counter\n"
				 "harreman_db_busy_retries_total %llu\n",
				 gauges->db_busy_retries);
	ok = ok && hm_buf_printf(&out,
				 "# HELP harreman_write_batches_total Transactions of the"
				 " group-commit writer (one COMMIT each).\n"
				 "# TYPE harreman_write_batches_total counter\n"
				 "harreman_write_batches_total %llu\n"
				 "# HELP harreman_write_batch_jobs_total Write requests those"
				 " transactions carried.\n"
				 "# TYPE harreman_write_batch_jobs_total counter\n"
				 "harreman_write_batch_jobs_total %llu\n",
				 (unsigned long long)atomic_load(&write_batches),
				 (unsigned long long)atomic_load(&write_batch_jobs));
	ok = ok && hm_buf_printf(&out,
				 "# HELP harreman_response_cache_lookups_total Lookups in the"
				 " response cache, answered from it (hit) or computed (miss).\n"
				 "# TYPE harreman_response_cache_lookups_total counter\n"
				 "harreman_response_cache_lookups_total{result=\"hit\"} %llu\n"
				 "harreman_response_cache_lookups_total{result=\"miss\"} %llu\n",
				 (unsigned long long)gauges->cache_hits,
				 (unsigned long long)gauges->cache_misses);
	ok = ok && hm_buf_printf(&out,
				 "# HELP harreman_sqlite_memory_bytes Heap memory SQLite"
				 " holds (page caches, schemas, prepared statements).\n"
				 "# TYPE harreman_sqlite_memory_bytes gauge\n"
				 "harreman_sqlite_memory_bytes %lld\n",
				 gauges->sqlite_memory_bytes);
	ok = ok && hm_buf_printf(&out,
				 "# HELP harreman_http_requests_in_flight Requests begun"
				 " and not yet completed (this one included).\n"
				 "# TYPE harreman_http_requests_in_flight gauge\n"
				 "harreman_http_requests_in_flight %d\n",
				 atomic_load(&in_flight));
	if (!ok) {
		hm_buf_release(&out);
		return NULL;
	}
	return hm_buf_detach(&out, len);
}
