#ifndef ROUTESIM_CGSL_SHIM_H
#define ROUTESIM_CGSL_SHIM_H
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>

/// Swift 6 rejects GSL's global generator-type variables as not concurrency-safe;
/// these accessors return them from C instead.
static inline const gsl_rng_type *routesim_rng_mt19937(void) { return gsl_rng_mt19937; }
/// Tausworthe: cheap to seed, for one short stream of draws per (seed, request, model).
static inline const gsl_rng_type *routesim_rng_taus2(void) { return gsl_rng_taus2; }
#endif
