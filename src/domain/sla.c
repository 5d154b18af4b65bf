// SPDX-License-Identifier: MIT
// Inquiry answer times (include/harreman/sla.h).
#include "harreman/sla.h"
#include "harreman/banned.h"

int64_t hm_sla_due(int64_t received_at, int response_hours)
{
	return response_hours > 0 ? received_at + (int64_t)response_hours * 3600 : 0;
}

bool hm_sla_overdue(int64_t due_at, bool answered, int64_t now)
{
	return !answered && due_at > 0 && now > due_at;
}

bool hm_sla_on_time(int64_t due_at, int64_t answered_at)
{
	return due_at <= 0 || answered_at <= due_at;
}
