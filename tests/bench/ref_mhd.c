// SPDX-License-Identifier: MIT
// The benchmark's HTTP reference: libmicrohttpd answering a constant small JSON body,
// with the server's own daemon flags (internal thread pool + epoll, same pool size),
// answering on the callback after the first one as the server does (libmicrohttpd
// 0.9.75 closes the connection of a response queued in the very first callback).
// Whatever Harreman does on top of this is the cost of being an application.
// With a third argument "first" it answers in the very first callback instead, to
// measure what that costs (the choice the server made).
// Usage: ref_mhd PORT THREADS [first]   (runs until SIGTERM or SIGINT)
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char body[] = "{\"status\":\"ok\"}\n";
static int answer_first;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **state)
{
	static int first_seen;
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*state == NULL && !answer_first) {
		*state = &first_seen; /* headers read: answer on the next callback */
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		sizeof body - 1, (void *)(uintptr_t)body, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json; charset=utf-8");
	enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc != 3 && !(argc == 4 && strcmp(argv[3], "first") == 0)) {
		fputs("usage: ref_mhd PORT THREADS [first]\n", stderr);
		return 2;
	}
	unsigned port = (unsigned)strtoul(argv[1], NULL, 10);
	unsigned threads = (unsigned)strtoul(argv[2], NULL, 10);
	answer_first = argc == 4;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* the workers inherit the mask */

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	struct MHD_Daemon *d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, NULL,
						MHD_OPTION_THREAD_POOL_SIZE, threads ? threads : 1u,
						MHD_OPTION_CONNECTION_LIMIT, 512u,
						MHD_OPTION_PER_IP_CONNECTION_LIMIT, 128u,
						MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "ref_mhd: cannot listen on port %u\n", port);
		return 1;
	}
	int sig = 0;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}
