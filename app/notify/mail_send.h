/* mail_send: sends e-mail with libcurl's SMTP (STARTTLS or TLS, AUTH), and the thread `ken
 * serve` runs to send the queue: each message is tried at once, then after 1, 5, 30 and 120
 * minutes (times KEN_MAIL_RETRY_SCALE, for tests), then marked failed with the last error. */
#ifndef KEN_MAIL_SEND_H
#define KEN_MAIL_SEND_H
#include "core/buf.h"
#include "core/db.h"
#include "notify/mail_store.h"

#include <stddef.h>

enum { MAIL_ATTEMPTS = 5 };

/* Initialises libcurl and starts the sender thread on the database at db_path (the thread opens
 * its own connection). Call once, before other threads use libcurl. Returns 0 or -1. */
int mail_send_start(const char *db_path);
/* Stops the thread: a transfer under way is abandoned (the message stays queued), the thread is
 * joined. Safe to call when it never started. */
void mail_send_stop(void);
/* Sends `message` (a whole RFC 5322 message, CRLF line ends) to rcpt with settings s. Returns 0,
 * or -1 with what went wrong in err (errlen bytes, NUL-terminated). Blocks up to a minute. */
int mail_send_one(const struct mail_settings *s, const char *rcpt, const char *message, char *err,
                  size_t errlen);
/* Returns the delay before retry number `attempt` (1-4) in milliseconds, scaled; -1 when the
 * message has had its last attempt. */
long long mail_send_retry_ms(int attempt);
/* Appends ken_mail_sent_total, ken_mail_failed_total (this process) and ken_mail_queued (from
 * db) in Prometheus text to b. */
void mail_send_metrics(struct buf *b, struct db *db);

#endif
