/* SPDX-License-Identifier: MIT */
/* The promised answer time of an inquiry, as pure functions: due = received +
 * response hours; open and past due is overdue; answered by due is on time. */
#ifndef HARREMAN_SLA_H
#define HARREMAN_SLA_H

#include <stdbool.h>
#include <stdint.h>

/* The due instant, or 0 when the channel promises no answer time (hours <= 0). */
int64_t hm_sla_due(int64_t received_at, int response_hours);

/* Overdue: still open at now and due is set and now is after due. */
bool hm_sla_overdue(int64_t due_at, bool answered, int64_t now);

/* On time: answered at or before due (always, when there is no due). */
bool hm_sla_on_time(int64_t due_at, int64_t answered_at);

#endif
