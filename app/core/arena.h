/* arena: a per-request bump allocator; everything in it is freed at once. */
#ifndef KEN_ARENA_H
#define KEN_ARENA_H
#include <stddef.h>

struct arena;

/* Returns a new empty arena; free with arena_free. Aborts on OOM. */
struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Allocations below live until arena_free; they abort on OOM and never return NULL. */
void *arena_alloc(struct arena *a, size_t n);   /* zeroed, 16-byte aligned */
char *arena_strdup(struct arena *a, const char *s); /* NULL in, NULL out */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Makes the arena the owner of `p` (malloc'd): it is freed with the arena. Returns p. */
void *arena_adopt(struct arena *a, void *p);

#endif
