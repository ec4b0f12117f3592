#ifndef ROUTESIM_RECORD_PARSER_H
#define ROUTESIM_RECORD_PARSER_H
/*
 * A small C API over simdjson's DOM parser for one canonical routesim
 * request record (docs/log-formats.md): the line is parsed whole, then walked. It checks what is particular to JSON: syntax, field
 * types, keys given twice or misspelt, required keys, whole numbers. The rules every record
 * obeys whatever its format (limits, sums, scores, printable names) and what needs the catalog
 * (model names) are checked by the Swift caller (`RecordRules`).
 * Strings point into the parser's buffers and stay valid until the next parse.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct { const char *ptr; size_t len; } rp_str;

/* The largest whole number a double holds exactly: larger counts are refused as they are read. */
#define RP_MAX_EXACT_WHOLE 9007199254740992ull

enum {
    RP_HAS_QUALITY = 1u << 0,
    RP_HAS_LATENCY = 1u << 1,
    RP_HAS_OUTPUT_TOKENS = 1u << 2,
    RP_HAS_COST = 1u << 3,
    RP_HAS_CONFIDENCE = 1u << 4,
    RP_HAS_REASONING_TOKENS = 1u << 5,
    RP_HAS_INPUT_TOKENS = 1u << 6,
};

typedef struct {
    rp_str model;
    /* The position of `model` among the names given to rp_parser_set_models when it is one of
       them byte for byte, else -1 (an alias or a misspelling, left to the caller). */
    int model_index;
    int success;
    unsigned present;
    double quality, latency_ms, output_tokens, cost_usd, confidence, reasoning_tokens;
    /* The call's own input counts (RP_HAS_INPUT_TOKENS; cached and written default to 0). */
    double input_tokens, cached_input_tokens, cache_write_input_tokens;
} rp_outcome;

enum { RP_FEATURE_NUMBER = 0, RP_FEATURE_BOOL = 1, RP_FEATURE_STRING = 2 };

typedef struct {
    rp_str key;
    int kind;
    double number;
    rp_str string;
} rp_feature;

enum {
    RP_REC_OUTPUT_TOKENS = 1u << 0,
    RP_REC_CATEGORY = 1u << 1,
    RP_REC_ROUTER_MODEL = 1u << 2,
    RP_REC_ROUTER_CONFIDENCE = 1u << 3,
    RP_REC_SERVED_BY = 1u << 4,
    RP_REC_PROPENSITY = 1u << 5,
    RP_REC_INPUT_TOKENS = 1u << 6,
};

enum { RP_STEP_OUTPUT_TOKENS = 1u << 0, RP_STEP_AFTER = 1u << 1 };

/// One step (sub-task) of a request: its outcomes are `step_outcomes[outcome_begin ..< +outcome_count]`
/// of the record, the names it comes after `after[after_begin ..< +after_count]` (present only
/// when RP_STEP_AFTER is set; absent means "after the previous step").
typedef struct {
    rp_str name;
    double input_tokens, output_tokens, cached_input_tokens;
    unsigned present;
    size_t after_begin, after_count;
    size_t outcome_begin, outcome_count;
} rp_step;

typedef struct {
    rp_str id;
    double ts;
    double input_tokens, output_tokens, cached_input_tokens, cache_write_input_tokens;
    rp_str category;
    rp_str router_model;
    /* As rp_outcome's model_index, for router_model. */
    int router_model_index;
    double router_confidence;
    rp_str served_by;
    double propensity;
    unsigned present;
    const rp_outcome *outcomes;
    size_t outcome_count;
    const rp_feature *features;
    size_t feature_count;
    /// The request's steps, when it has them (then `outcome_count` is 0).
    const rp_step *steps;
    size_t step_count;
    const rp_outcome *step_outcomes;
    const rp_str *after;
} rp_record;

typedef struct rp_parser rp_parser;

/// Bytes that must be readable past the end of every line handed to rp_parse.
size_t rp_padding(void);
rp_parser *rp_parser_create(void);
void rp_parser_destroy(rp_parser *parser);
/// The catalog's model names, matched as outcomes and the router's model are read (copied).
void rp_parser_set_models(rp_parser *parser, const rp_str *names, size_t count);
/// Parses one line. `capacity` is the number of readable bytes from `line`
/// (at least len + rp_padding()). Returns 0, or 1 with rp_error_* set.
int rp_parse(rp_parser *parser, const char *line, size_t len, size_t capacity, rp_record *out);
/// The field the last error concerns (e.g. "outcomes.small.latency_ms"), or "".
const char *rp_error_field(const rp_parser *parser);
/// What is wrong with it, written for the reader.
const char *rp_error_message(const rp_parser *parser);
/// Says where and why `line` is not one JSON object: 1 with the dotted field (possibly "") and
/// the reason set (valid until the next call on this thread), 0 when it is one.
int rp_diagnose(const char *line, size_t len, const char **field, const char **message);
/// Parses an RFC 3339 timestamp into seconds since the Unix epoch. Returns 0 on success.
int rp_parse_timestamp(const char *text, size_t len, double *seconds);

#ifdef __cplusplus
}
#endif
#endif
