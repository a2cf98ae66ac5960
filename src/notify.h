/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What uvsd tells its service manager (sd_notify): READY=1 once every
 * worker runs on its rings, STATUS= lines a person can read, RELOADING=1
 * and READY=1 around reloads, STOPPING=1, and WATCHDOG=1 only while every
 * worker makes progress.  Without NOTIFY_SOCKET all of it costs nothing.
 * Control thread only.
 */
#ifndef UVS_NOTIFY_H
#define UVS_NOTIFY_H

#include "util.h"

struct uvsd;

/*
 * After every worker started and the admin socket listens: READY=1 and
 * the first STATUS=, then the timers on <d>'s loop that refresh STATUS=
 * and, when the manager asked for it (WatchdogSec=), feed the watchdog.
 */
void	 notify_start(struct uvsd *d);
/* SIGTERM/SIGINT: STOPPING=1; the timers stop. */
void	 notify_stopping(struct uvsd *d);
/* A reload of <path> begins: RELOADING=1 with MONOTONIC_USEC=. */
void	 notify_reloading(const char *path);
/* A reload ended, applied or refused: READY=1, STATUS=<fmt>. */
void	 notify_reloaded(const char *fmt, ...) UVS_PRINTF(1, 2);
/*
 * The STATUS= text for <d> into <buf>: workers, interfaces, services,
 * real servers, connections, and any stuck worker or refused reload.
 */
char	*notify_status_fmt(const struct uvsd *d, char *buf, size_t len);

#endif
