/* hr_http: the HR page (/hr, roles hr and admin): people by the skills they have or want to use,
 * with the HR-only career fields (never fields a person keeps private); hidden talent; and the
 * current result as CSV (handlers only; the SQL is in hr_store). */
#ifndef KEN_HR_HTTP_H
#define KEN_HR_HTTP_H
#include "core/buf.h"
#include "http/request.h"

int hr_page(struct req *r);
int hr_export_csv(struct req *r);

/* Appends `s` (NULL: empty) to b as one CSV cell: always quoted, quotes doubled, and a cell that
 * starts with = + - @ (or a tab or carriage return) prefixed with ' so that a spreadsheet shows
 * it as text instead of running it as a formula. */
void hr_csv_cell(struct buf *b, const char *s);

#endif
