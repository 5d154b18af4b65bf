/* SPDX-License-Identifier: MIT */
/* The HTTP server: the only module that knows libmicrohttpd. A thread pool with
 * epoll; per-request state made on the first callback and freed on completion; the
 * 64 KiB body cap; connection limits; graceful stop. */
#ifndef HARREMAN_SERVER_H
#define HARREMAN_SERVER_H

#include <stdint.h>

#include "harreman/app.h"

struct hm_server;

/* Starts listening for app. NULL with *why when it cannot. */
struct hm_server *hm_server_start(struct hm_app *app, const char **why);

/* The port actually bound (useful with port 0). */
uint16_t hm_server_port(const struct hm_server *server);

/* Stops accepting, lets requests in flight finish (up to 10 seconds), then
 * stops the workers and frees the server. */
void hm_server_stop(struct hm_server *server);

#endif
