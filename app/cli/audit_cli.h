/* audit_cli: `ken audit verify` and `ken audit prune`, the audit log from the command line. */
#ifndef KEN_AUDIT_CLI_H
#define KEN_AUDIT_CLI_H
#include "core/db.h"

#include <stdio.h>

/* Verifies the audit log's hash chain and prints the result: to out when intact ("N entries
 * intact", the first and last id, the head hash to keep elsewhere), to err naming the first bad
 * entry when not. Returns the exit code: 0 intact, 1 broken or unreadable. */
int audit_cli_verify(struct db *db, FILE *out, FILE *err);
/* Prunes entries older than the retention admins set and prints how many went. Returns the
 * exit code. */
int audit_cli_prune(struct db *db, FILE *out, FILE *err);

#endif
