#include <stdint.h>
#include <time.h>

struct rec { int64_t time; void *fn; void *site; uint32_t kind; };
enum { RING = 1 << 16 };
static __thread struct rec ring[RING];
static __thread uint64_t head;

static inline void put(void *fn, void *site, uint32_t kind) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	struct rec *r = &ring[head & (RING - 1)];
	r->time = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	r->fn = fn;
	r->site = site;
	r->kind = kind;
	head++;
}

void __cyg_profile_func_enter(void *fn, void *site) { put(fn, site, 1); }
void __cyg_profile_func_exit(void *fn, void *site) { put(fn, site, 2); }
void drain(void) { head = 0; }
