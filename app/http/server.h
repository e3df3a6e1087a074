/* server: runs CivetWeb with ken's router until SIGTERM or SIGINT. */
#ifndef KEN_SERVER_H
#define KEN_SERVER_H
#include "core/config.h"

/* Serves until a stop signal; finishes requests in flight, checkpoints the WAL. Returns the
 * process exit code (0 after a clean stop, 1 when it cannot start, with the reason printed). */
int server_run(const struct config *cfg);

#endif
