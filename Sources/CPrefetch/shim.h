/* The compiler's prefetch hint, which Swift does not expose: asks for the cache line at `address`
   to be loaded for writing while other work goes on (docs/performance.md, "Duplicate ids"). */
static inline void routesim_prefetch_for_write(const void *address) { __builtin_prefetch(address, 1, 3); }
