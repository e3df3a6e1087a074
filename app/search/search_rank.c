#include "search/search_rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    GROUPS_MAX = 32,
    PHRASES_MAX = 256,
    HITS_MAX = 512,   /* instances looked at for closeness */
    NEAR = 4,         /* words apart that count as close */
};

static const double COLUMN_WEIGHT[] = {SEARCH_RANK_COLUMNS};
#define NCOLUMNS ((int)(sizeof COLUMN_WEIGHT / sizeof *COLUMN_WEIGHT))
static const double K1 = 1.2, B = 0.75;

struct hit {
    int col, off, group;
};

static int by_place(const void *x, const void *y)
{
    const struct hit *a = x, *b = y;
    if (a->col != b->col)
        return a->col - b->col;
    return a->off - b->off;
}

/* Reads spec into group[] and weight[] per phrase; returns the number of groups, or -1. */
static int read_spec(const char *spec, int *group, double *weight, int nphrases)
{
    char *end;
    long total = strtol(spec, &end, 10);
    if (end == spec || total < 1 || total > GROUPS_MAX)
        return -1;
    for (int i = 0; i < nphrases; i++) {
        const char *p = end;
        long g = strtol(p, &end, 10);
        if (end == p || *end != ':' || g < -1 || g >= GROUPS_MAX)
            return -1;
        p = end + 1;
        double w = strtod(p, &end);
        if (end == p)
            return -1;
        group[i] = (int)g;
        weight[i] = w;
    }
    return (int)total;
}

void search_rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                    int nargs, sqlite3_value **args)
{
    const char *spec = nargs == 1 ? (const char *)sqlite3_value_text(args[0]) : NULL;
    int nphrases = api->xPhraseCount(fts);
    int group[PHRASES_MAX];
    double weight[PHRASES_MAX];
    int ngroups = spec && nphrases <= PHRASES_MAX ? read_spec(spec, group, weight, nphrases) : -1;
    if (ngroups < 0) {
        sqlite3_result_error(ctx, "ken_rank: a spec for each phrase is needed", -1);
        return;
    }
    double tf[GROUPS_MAX] = {0}, gw[GROUPS_MAX] = {0};
    int last = ngroups; /* groups past TOTAL (found by the bridge) add score, not coverage */
    for (int i = 0; i < nphrases; i++)
        if (group[i] >= last)
            last = group[i] + 1;
    for (int i = 0; i < nphrases; i++)
        if (group[i] >= 0 && weight[i] > gw[group[i]])
            gw[group[i]] = weight[i];
    int ninst = 0;
    if (api->xInstCount(fts, &ninst) != SQLITE_OK) {
        sqlite3_result_error(ctx, "ken_rank: no instances", -1);
        return;
    }
    struct hit hits[HITS_MAX];
    int nhits = 0;
    for (int i = 0; i < ninst; i++) {
        int ip, ic, io;
        if (api->xInst(fts, i, &ip, &ic, &io) != SQLITE_OK || ip < 0 || ip >= nphrases)
            continue;
        int g = group[ip];
        if (g < 0 || ic < 0 || ic >= NCOLUMNS)
            continue;
        tf[g] += COLUMN_WEIGHT[ic] * (gw[g] > 0 ? weight[ip] / gw[g] : 1.0);
        if (nhits < HITS_MAX)
            hits[nhits++] = (struct hit){ic, io, g};
    }
    /* the page's length against the average, as bm25 normalises */
    sqlite3_int64 rows = 0, total_tokens = 0;
    int len = 0, size;
    api->xRowCount(fts, &rows);
    api->xColumnTotalSize(fts, -1, &total_tokens);
    if (api->xColumnSize(fts, -1, &size) == SQLITE_OK)
        len = size;
    double avg = rows > 0 ? (double)total_tokens / (double)rows : 1.0;
    double norm = K1 * (1.0 - B + B * (double)len / (avg > 0 ? avg : 1.0));
    double score = 0, covered = 0, all = 0;
    int present = 0;
    for (int g = 0; g < last; g++) {
        if (g < ngroups)
            all += gw[g];
        if (tf[g] <= 0)
            continue;
        if (g < ngroups) {
            present++;
            covered += gw[g];
        }
        score += gw[g] * tf[g] * (K1 + 1.0) / (tf[g] + norm);
    }
    /* words of different groups close together in one field */
    qsort(hits, (size_t)nhits, sizeof *hits, by_place);
    double close = 0;
    for (int i = 1; i < nhits; i++) {
        const struct hit *p = &hits[i - 1], *h = &hits[i];
        int d = h->off - p->off;
        if (p->col == h->col && p->group != h->group && d > 0 && d <= NEAR)
            close += fmin(gw[p->group], gw[h->group]) / d;
    }
    double cover = all > 0 ? covered / all : 1.0;
    score = (score + 0.5 * fmin(close, score)) * cover;
    if (present == ngroups)
        score += SEARCH_RANK_TIER;
    sqlite3_result_double(ctx, -score);
}
