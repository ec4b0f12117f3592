#ifndef ROUTESIM_JSON_DIAGNOSIS_H
#define ROUTESIM_JSON_DIAGNOSIS_H
// Says where and why a line is not one JSON object, naming the field (a dotted key path such
// as "outcomes.small.latency_ms") whose value breaks it. It runs only after the fast parser
// has failed, so it is written for clarity, not speed. See docs/log-formats.md, "Syntax errors
// name the field".
#include <cstddef>
#include <string>

namespace routesim {

struct Diagnosis {
    bool found = false;
    std::string field;
    std::string message;
};

Diagnosis diagnose_json_line(const char *line, size_t len);

/// Whether `key` looks like a misspelling of one of `known` (same letters in another case,
/// one edit away from a name of four to six letters, two from a longer one, or a prefix of
/// four letters or more of it; names of three letters or fewer only in another case); the best match, or nullptr.
const char *near_miss(const char *key, size_t len, const char *const *known, size_t count);

} // namespace routesim
#endif
