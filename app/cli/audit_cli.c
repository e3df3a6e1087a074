#include "cli/audit_cli.h"
#include "accounts/audit.h"

#include <time.h>

int audit_cli_verify(struct db *db, FILE *out, FILE *err)
{
    struct audit_report r;
    int rc = audit_verify(db, &r);
    if (rc < 0) {
        fprintf(err, "ken: cannot read the audit log: %s\n", db_errmsg(db));
        return 1;
    }
    if (rc > 0) {
        if (r.bad)
            fprintf(err, "ken: audit log broken at entry %lld: %s\n", (long long)r.bad, r.why);
        else
            fprintf(err, "ken: audit log not guarded: %s\n", r.why);
        if (r.bad && r.unguarded)
            fprintf(err, "ken: and a trigger that keeps the audit log append-only was dropped\n");
        return 1;
    }
    fprintf(out, "audit log intact: %lld entries", (long long)r.entries);
    if (r.entries)
        fprintf(out, " (%lld to %lld)", (long long)r.first, (long long)r.last);
    if (r.pruned)
        fprintf(out, ", %lld older ones pruned by retention", (long long)r.pruned);
    fprintf(out, "\nhead %s\n", r.head_hex);
    return 0;
}

int audit_cli_prune(struct db *db, FILE *out, FILE *err)
{
    int64_t removed;
    if (audit_prune(db, (int64_t)time(NULL), &removed) != 0) {
        fprintf(err, "ken: cannot prune the audit log: %s\n", db_errmsg(db));
        return 1;
    }
    fprintf(out, "pruned %lld audit log entries\n", (long long)removed);
    return 0;
}
