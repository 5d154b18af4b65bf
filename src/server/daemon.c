// SPDX-License-Identifier: MIT
// The HTTP server (include/harreman/server.h), the only code that knows
// libmicrohttpd. Per-request state is made on the first callback and freed in the
// completion callback; the body is gathered into a capped buffer; the request is
// then handed to the dispatcher as plain C types, and its reply turned into an MHD
// response. The access log line and the metrics are written on completion. The
// request target is looked at before libmicrohttpd parses its query (on_uri), so
// a target it could not hold is answered by us instead of hanging.
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harreman/app.h"
#include "harreman/buf.h"
#include "harreman/db.h"
#include "harreman/dispatch.h"
#include "harreman/log.h"
#include "harreman/metrics.h"
#include "harreman/compress.h"
#include "harreman/response_cache.h"
#include "harreman/server.h"
#include "harreman/timefmt.h"
#include "harreman/writer.h"
#include "harreman/banned.h"

#define STOP_GRACE_SECONDS 10

/* Per-connection memory of libmicrohttpd: the request line, the headers, their
 * index and the output buffer share it (its default, made explicit). A request
 * line or headers that do not fit are answered 414 or 431 by libmicrohttpd. */
#define CONNECTION_MEMORY ((size_t)32 * 1024)

struct hm_server {
	struct MHD_Daemon *daemon;
	struct hm_app *app;
	uint16_t port;
	pthread_mutex_t lock;
	pthread_cond_t idle; /* signalled when in_flight drops to zero */
	unsigned in_flight;
	uint64_t started; /* requests begun since start */
	pthread_t housekeeper;
	pthread_cond_t stop; /* tells the housekeeper to end */
	bool stopping;
	bool housekeeper_running;
	/* A graceful stop (hm_server_stop): while draining, every answer closes its
	 * connection, so keep-alive clients stop sending; once closed, a request that
	 * still arrives on an open connection is answered 503 at once and never parked
	 * with the writer (libmicrohttpd aborts when stopped with a suspended
	 * connection). Both under lock, read with atomics. */
	_Atomic bool draining, closed;
	unsigned parked; /* requests that may be suspended for the writer */
};

/* One request's state, from its first callback to its completion. */
struct request_state {
	struct hm_server *server;
	struct MHD_Connection *conn;
	/* A request whose handler runs in the group-commit writer: the connection is
	 * suspended from hm_writer_submit until the writer's done call resumes it, and
	 * the request and its reply wait here meanwhile. */
	struct hm_request req;
	struct hm_reply reply;
	struct hm_write_job job;
	bool in_writer; /* handed to the writer; answered when it is back */
	bool durable;   /* the writer's verdict (read after the resume) */
	struct timespec started;
	struct hm_buf body;
	bool begun; /* on_request has seen the request */
	bool too_large;
	bool target_too_long; /* query cut off by on_uri: answered 414 */
	bool answered;
	int status;
	int route_index;
	char method[12];
	char path[160]; /* for the access log, truncated */
	char request_id[17];
	char peer[INET6_ADDRSTRLEN];
	char client[INET6_ADDRSTRLEN];
};

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Counts a request that may be parked with the writer: +1 before dispatching a
 * request (false, nothing counted, once the server is closed), -1 when it is
 * answered without the writer or back from it. */
static bool parked_add(struct hm_server *server, int delta)
{
	bool ok = true;
	pthread_mutex_lock(&server->lock);
	if (delta > 0 && atomic_load(&server->closed))
		ok = false;
	else
		server->parked = (unsigned)((int)server->parked + delta);
	if (server->parked == 0)
		pthread_cond_broadcast(&server->idle);
	pthread_mutex_unlock(&server->lock);
	return ok;
}

static void in_flight_add(struct hm_server *server, int delta)
{
	pthread_mutex_lock(&server->lock);
	server->in_flight = (unsigned)((int)server->in_flight + delta);
	hm_metrics_in_flight(delta);
	if (delta > 0)
		server->started++;
	if (server->in_flight == 0)
		pthread_cond_broadcast(&server->idle);
	pthread_mutex_unlock(&server->lock);
}

static bool address_is_loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
	       strncmp(addr, "::ffff:127.", 11) == 0;
}

static void peer_address(struct MHD_Connection *conn, char out[INET6_ADDRSTRLEN])
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = '\0';
	if (!info || !info->client_addr)
		return;
	const struct sockaddr *sa = info->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  INET6_ADDRSTRLEN);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, INET6_ADDRSTRLEN);
}

/* The client's address: the peer, or the last X-Forwarded-For hop when the peer is
 * the trusted proxy (the hop the proxy itself appended). */
static void client_address(struct MHD_Connection *conn, const struct hm_config *cfg,
			   struct request_state *rs, bool *tls)
{
	*tls = false;
	snprintf(rs->client, sizeof rs->client, "%s", rs->peer);
	if (!cfg->trusted_proxy || strcmp(rs->peer, cfg->trusted_proxy) != 0)
		return;
	const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	*tls = proto && strcmp(proto, "https") == 0;
	const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	char candidate[INET6_ADDRSTRLEN];
	size_t len = strcspn(last, " ");
	if (len == 0 || len >= sizeof candidate)
		return;
	memcpy(candidate, last, len);
	candidate[len] = '\0';
	unsigned char probe[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, candidate, probe) == 1 || inet_pton(AF_INET6, candidate, probe) == 1)
		memcpy(rs->client, candidate, len + 1);
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	(void)kind;
	struct hm_request *req = cls;
	if (req->n_query == HM_MAX_QUERY_ARGS)
		return MHD_NO;
	req->query[req->n_query].key = key;
	req->query[req->n_query].value = value;
	req->n_query++;
	return MHD_YES;
}

static struct MHD_Response *response_from_reply(struct hm_reply *reply, const char *accept_encoding)
{
	struct MHD_Response *resp = NULL;
	if (!hm_reply_encode(reply) || !hm_reply_compress(reply, accept_encoding))
		return NULL;
	const char *type = reply->content_type;
	if (reply->file_fd >= 0) {
		resp = MHD_create_response_from_fd64((uint64_t)reply->file_size, reply->file_fd);
		if (resp)
			reply->file_fd = -1; /* MHD closes it */
	} else if (reply->body) {
		resp = MHD_create_response_from_buffer(reply->body_len, reply->body,
						       MHD_RESPMEM_MUST_FREE);
		if (resp)
			reply->body = NULL;
	} else {
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return NULL;
	if (type && reply->status != 204 && reply->status != 304)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	for (size_t i = 0; i < reply->n_headers; i++)
		MHD_add_response_header(resp, reply->headers[i].name, reply->headers[i].value);
	return resp;
}

/* Sends reply (which is released) as the answer to the request on conn. */
static enum MHD_Result queue_reply(struct request_state *rs, struct MHD_Connection *conn,
				   struct hm_reply *reply)
{
	if (atomic_load(&rs->server->draining))
		(void)hm_reply_header(reply, "Connection", "close");
	enum MHD_Result ret = MHD_NO;
	rs->status = reply->status;
	rs->route_index = rs->req.route_index;
	rs->answered = true;
	struct MHD_Response *resp = response_from_reply(reply, rs->req.accept_encoding);
	if (resp) {
		ret = MHD_queue_response(conn, (unsigned)reply->status, resp);
		MHD_destroy_response(resp);
	}
	hm_reply_release(reply);
	hm_buf_release(&rs->body);
	return ret;
}

/* The writer's side of a parked request (writer.h): the handler, then the resume. */
static void write_job_run(struct hm_write_job *job, struct hm_db *db)
{
	struct request_state *rs = job->ctx;
	hm_dispatch_write(&rs->req, &rs->reply, db);
}

static void write_job_done(struct hm_write_job *job, bool durable)
{
	struct request_state *rs = job->ctx;
	rs->durable = durable;
	MHD_resume_connection(rs->conn); /* the request's thread takes over from here */
}

/* Back from the writer: the answer, or a 500 when its batch was not durable. */
static enum MHD_Result answer_written(struct request_state *rs, struct MHD_Connection *conn)
{
	rs->in_writer = false;
	(void)parked_add(rs->server, -1);
	if (!rs->durable)
		hm_dispatch_write_lost(&rs->reply);
	hm_dispatch_end(&rs->req, &rs->reply);
	return queue_reply(rs, conn, &rs->reply);
}

/* Builds the request from the connection and dispatches it: queues the answer, or
 * parks the request with the writer. */
static enum MHD_Result answer(struct hm_server *server, struct MHD_Connection *conn,
			      struct request_state *rs, const char *url)
{
	struct hm_request *req = &rs->req;
	struct hm_reply *reply = &rs->reply;

	memset(req, 0, sizeof *req);
	hm_reply_init(reply);
	req->method = hm_method_from_name(rs->method);
	req->method_name = rs->method;
	req->path = url;
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, req);
	req->content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	req->cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie");
	req->authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	req->csrf_header = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
	req->if_none_match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
	req->if_modified_since = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     "If-Modified-Since");
	req->accept_language = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							   "Accept-Language");
	req->accept_encoding = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							   "Accept-Encoding");
	client_address(conn, &server->app->cfg, rs, &req->tls);
	req->remote_addr = rs->client;
	req->remote_is_loopback = address_is_loopback(rs->client);
	req->body = rs->body.data;
	req->body_len = rs->body.len;
	req->body_too_large = rs->too_large;
	req->target_too_long = rs->target_too_long;
	req->now = hm_time_now();
	memcpy(req->request_id, rs->request_id, sizeof req->request_id);

	if (!parked_add(server, 1)) {
		/* Stopping: nothing new is started, least of all a write. */
		hm_reply_error(reply, HM_ERR_UNAVAILABLE, "The server is stopping; try again.");
		hm_dispatch_end(req, reply);
		return queue_reply(rs, conn, reply);
	}
	if (!hm_dispatch_start(server->app, req, reply)) {
		/* Suspended before it is queued: the writer may resume it at once. */
		rs->in_writer = true;
		rs->conn = conn;
		rs->job.run = write_job_run;
		rs->job.done = write_job_done;
		rs->job.ctx = rs;
		MHD_suspend_connection(conn);
		hm_writer_submit(server->app->writer, &rs->job);
		return MHD_YES;
	}
	(void)parked_add(server, -1);
	hm_dispatch_end(req, reply);
	return queue_reply(rs, conn, reply);
}

/* A request's state; counted in flight until on_completed frees it. */
static struct request_state *state_new(struct hm_server *server)
{
	struct request_state *rs = calloc(1, sizeof *rs);
	if (!rs)
		return NULL;
	rs->server = server;
	rs->route_index = -1;
	clock_gettime(CLOCK_MONOTONIC, &rs->started);
	hm_buf_init(&rs->body, HM_MAX_BODY);
	snprintf(rs->method, sizeof rs->method, "-");
	struct hm_request id_holder;
	hm_request_new_id(&id_holder);
	memcpy(rs->request_id, id_holder.request_id, sizeof rs->request_id);
	in_flight_add(server, 1);
	return rs;
}

/* libmicrohttpd (0.9.75) calls this with the raw request target just before it
 * splits the query into arguments, and keeps what it returns as the request's
 * state. Each argument takes a record from the connection's memory; when that runs
 * out, libmicrohttpd queues a 431 that it never sends, and the client waits for the
 * connection timeout (about 1,000 arguments, or fewer behind a long target). So a
 * query with more arguments than we read, or a target over HM_MAX_TARGET, is cut
 * off here before it is parsed (the byte after '?' becomes the end of the string:
 * the target is the connection's own, writable buffer, lent to us as const) and
 * the request is answered 414 by the dispatcher. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)conn;
	struct request_state *rs = state_new(cls);
	if (!rs || !uri)
		return rs;
	size_t len = strlen(uri);
	char *query = strchr(uri, '?');
	/* The raw path, for the log of a request libmicrohttpd refuses before on_request
	 * (on_request writes the decoded one). */
	char raw[sizeof rs->path];
	size_t path_len = query ? (size_t)(query - uri) : len;
	if (path_len >= sizeof raw)
		path_len = sizeof raw - 1;
	memcpy(raw, uri, path_len);
	raw[path_len] = '\0';
	hm_log_escape(raw, rs->path, sizeof rs->path);
	if (hm_target_too_long(uri)) {
		rs->target_too_long = true;
		if (query)
			query[1] = '\0';
	}
	return rs;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **state)
{
	(void)version;
	struct hm_server *server = cls;
	struct request_state *rs = *state;

	if (!rs || !rs->begun) {
		if (!rs && !(rs = state_new(server)))
			return MHD_NO;
		*state = rs;
		rs->begun = true;
		snprintf(rs->method, sizeof rs->method, "%s", method);
		hm_log_escape(url, rs->path, sizeof rs->path);
		hm_log_redact_path(rs->path, sizeof rs->path);
		peer_address(conn, rs->peer);
		if (rs->target_too_long)
			return answer(server, conn, rs, url);

		/* A declared body over the cap is refused before a byte of it is read. */
		const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
								 MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (length) {
			char *end = NULL;
			errno = 0;
			unsigned long long n = strtoull(length, &end, 10);
			if (errno == ERANGE || n > HM_MAX_BODY) {
				rs->too_large = true;
				return answer(server, conn, rs, url);
			}
		}
		return MHD_YES;
	}
	if (rs->in_writer)
		return answer_written(rs, conn);
	if (rs->answered) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!rs->too_large && !hm_buf_append(&rs->body, upload_data, *upload_data_size)) {
			rs->too_large = true; /* streamed past the cap: drop what came */
			hm_buf_release(&rs->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return answer(server, conn, rs, url);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
			 enum MHD_RequestTerminationCode toe)
{
	(void)conn;
	struct hm_server *server = cls;
	struct request_state *rs = *state;
	if (!rs)
		return;
	double elapsed = seconds_since(&rs->started);
	if (rs->in_writer) {
		/* Back from the writer, but the client had gone: the write stands (or
		 * not, per the writer), only the answer is dropped. */
		rs->in_writer = false;
		(void)parked_add(server, -1);
		if (!rs->durable)
			hm_dispatch_write_lost(&rs->reply);
		hm_dispatch_end(&rs->req, &rs->reply);
		rs->status = rs->reply.status;
		rs->route_index = rs->req.route_index;
		rs->answered = true;
		hm_reply_release(&rs->reply);
		if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
			toe = MHD_REQUEST_TERMINATED_CLIENT_ABORT;
	}
	if (rs->answered) {
		hm_metrics_observe(rs->route_index, rs->status, elapsed);
		hm_log_info("%s %s %s %d %.2fms%s", rs->request_id, rs->method, rs->path,
			    rs->status, elapsed * 1e3,
			    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
								       : " (client went away)");
	} else {
		hm_log_info("%s %s %s aborted before an answer %.2fms", rs->request_id, rs->method,
			    rs->path, elapsed * 1e3);
	}
	hm_buf_release(&rs->body);
	free(rs);
	*state = NULL;
	in_flight_add(server, -1);
}

/* Percent-decoding of the path and query, except %00: a NUL would cut the path
 * short and make "/x%00y" look like "/x". It is left as the literal "%00". */
static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t unescape(void *cls, struct MHD_Connection *conn, char *text)
{
	(void)cls;
	(void)conn;
	char *out = text;
	for (const char *in = text; *in; in++) {
		int hi = in[0] == '%' ? hex_digit(in[1]) : -1;
		int lo = hi >= 0 ? hex_digit(in[2]) : -1;
		if (lo >= 0 && (hi || lo)) {
			*out++ = (char)(hi * 16 + lo);
			in += 2;
		} else {
			*out++ = *in;
		}
	}
	*out = '\0';
	return (size_t)(out - text);
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	hm_log_warn("http: %s", line);
}

/* Every tick (half a second) the housekeeper checks the database file and writes
 * the log's held-back counts. Once the server has had no request for a whole tick
 * after some work, it gives memory back: cached answers that can no longer be served,
 * SQLite's page caches and prepared statements, and the allocator's free lists (the
 * box is small; see docs/performance.md). server->lock is held throughout, so no
 * request can begin -- nor use a connection -- while caches are dropped. */
#define HOUSEKEEPING_TICK_NS 500000000L

static void *housekeeper(void *arg)
{
	struct hm_server *server = arg;
	uint64_t seen = 0, released = 0;
	prctl(PR_SET_NAME, "hm-housekeeper", 0, 0, 0); /* for top -H and perf */
	pthread_mutex_lock(&server->lock);
	while (!server->stopping) {
		struct timespec deadline;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += HOUSEKEEPING_TICK_NS;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		while (!server->stopping &&
		       pthread_cond_timedwait(&server->stop, &server->lock, &deadline) != ETIMEDOUT)
			;
		if (server->stopping)
			break;
		/* The operator hears of a database file gone, replaced or read-only even
		 * when no request comes (once a second at most), and of the lines the log
		 * held back (log.h). */
		(void)hm_db_file_check(false);
		hm_log_flush_repeats(false);
		if (server->in_flight == 0 && server->started == seen && seen != released) {
			hm_cache_drop_stale(hm_time_now());
			hm_app_release_memory();
			malloc_trim(0);
			released = seen;
		}
		seen = server->started;
	}
	pthread_mutex_unlock(&server->lock);
	return NULL;
}

struct hm_server *hm_server_start(struct hm_app *app, const char **why)
{
	const struct hm_config *cfg = &app->cfg;
	struct sockaddr_storage addr;
	/* Every commit moves the response cache's generation on (db.h's hook: the
	 * database layer knows nothing of HTTP). */
	hm_db_set_commit_hook(hm_cache_invalidate);
	memset(&addr, 0, sizeof addr);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&addr;
	if (inet_pton(AF_INET, cfg->listen_host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(cfg->listen_port);
	} else if (inet_pton(AF_INET6, cfg->listen_host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(cfg->listen_port);
		flags |= MHD_USE_IPv6;
	} else {
		*why = "the listen address must be a numeric IPv4 or IPv6 address";
		return NULL;
	}

	struct hm_server *server = calloc(1, sizeof *server);
	if (!server) {
		*why = "out of memory";
		return NULL;
	}
	server->app = app;
	pthread_mutex_init(&server->lock, NULL);
	pthread_cond_init(&server->idle, NULL);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cfg->threads ? cfg->threads : (cpus > 0 ? (unsigned)cpus : 2);

	server->daemon = MHD_start_daemon(
		flags, cfg->listen_port, NULL, NULL, on_request, server, MHD_OPTION_EXTERNAL_LOGGER,
		mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
		cfg->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		cfg->max_connections_per_ip, MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, server, MHD_OPTION_URI_LOG_CALLBACK, on_uri, server,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
	if (!server->daemon) {
		*why = "cannot listen on that address (in use, or not allowed)";
		pthread_cond_destroy(&server->idle);
		pthread_mutex_destroy(&server->lock);
		free(server);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(server->daemon,
							       MHD_DAEMON_INFO_BIND_PORT);
	server->port = info ? info->port : cfg->listen_port;
	pthread_cond_init(&server->stop, NULL);
	server->housekeeper_running = pthread_create(&server->housekeeper, NULL, housekeeper,
						     server) == 0;
	if (!server->housekeeper_running)
		hm_log_warn("no idle housekeeping thread: memory stays with the caches");
	return server;
}

uint16_t hm_server_port(const struct hm_server *server)
{
	return server->port;
}

void hm_server_stop(struct hm_server *server)
{
	if (!server)
		return;
	/* No new connection from here: the listening socket is shut down at once (a
	 * new client is refused) but closed only after MHD_stop_daemon. Each pool
	 * thread takes it out of its own epoll set on its next turn, and a closed
	 * descriptor there makes libmicrohttpd abort ("Failed to remove listen FD
	 * from epoll set"), which a stop under load met now and then. */
	MHD_socket listener = MHD_quiesce_daemon(server->daemon);
	if (listener != MHD_INVALID_SOCKET)
		shutdown(listener, SHUT_RDWR);
	atomic_store(&server->draining, true);

	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += STOP_GRACE_SECONDS;
	pthread_mutex_lock(&server->lock);
	while (server->in_flight > 0)
		if (pthread_cond_timedwait(&server->idle, &server->lock, &deadline) == ETIMEDOUT)
			break;
	unsigned left = server->in_flight;
	/* From here no request is parked with the writer. One begun before this that
	 * is parked still holds in_flight: wait for it past the grace (the writer ends
	 * every job it takes, durable or not), since stopping the daemon with a
	 * suspended connection aborts the process. */
	atomic_store(&server->closed, true);
	while (server->parked > 0)
		pthread_cond_wait(&server->idle, &server->lock);
	pthread_mutex_unlock(&server->lock);
	if (left)
		hm_log_warn("stopping with %u request(s) still in flight", left);

	pthread_mutex_lock(&server->lock);
	server->stopping = true;
	pthread_cond_broadcast(&server->stop);
	pthread_mutex_unlock(&server->lock);
	if (server->housekeeper_running)
		pthread_join(server->housekeeper, NULL);
	hm_log_flush_repeats(true); /* the counts of the last second, before the end */
	pthread_cond_destroy(&server->stop);

	MHD_stop_daemon(server->daemon);
	if (listener != MHD_INVALID_SOCKET)
		close(listener);
	pthread_cond_destroy(&server->idle);
	pthread_mutex_destroy(&server->lock);
	free(server);
}
