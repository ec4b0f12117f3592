#include "record_parser.h"
#include "json_diagnosis.h"
#include <simdjson.h>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace simdjson;

struct rp_parser {
    dom::parser parser;
    std::vector<rp_outcome> outcomes;
    std::vector<rp_feature> features;
    std::vector<rp_step> steps;
    std::vector<rp_outcome> step_outcomes;
    std::vector<rp_str> after;
    /// The catalog's model names (rp_parser_set_models).
    std::vector<std::string> models;
    /// "steps[3].outcomes." while a step's outcomes are read, for field names.
    std::string step_prefix;
    std::string error_field;
    std::string error_message;
    /// The line being parsed, for the diagnosis of syntax errors.
    const char *line = nullptr;
    size_t len = 0;
};

namespace {

struct ParseFailure {};

/// A field's dotted name, kept as parts so that no string is built unless it is reported.
struct Field {
    const char *prefix;
    std::string_view middle;
    std::string_view suffix;

    Field(const char *name) : prefix(name), middle(), suffix() {}
    Field(const char *prefix, std::string_view middle, std::string_view suffix = {})
        : prefix(prefix), middle(middle), suffix(suffix) {}

    std::string str() const { return std::string(prefix) + std::string(middle) + std::string(suffix); }
};

[[noreturn]] void fail(rp_parser *p, const Field &field, std::string message) {
    p->error_field = field.str();
    p->error_message = std::move(message);
    throw ParseFailure{};
}

std::string describe(error_code code) {
    switch (code) {
    case INCORRECT_TYPE: return "has the wrong type";
    case NUMBER_ERROR: return "is not a valid finite number";
    case STRING_ERROR: case UNESCAPED_CHARS: return "is not a valid JSON string";
    case UTF8_ERROR: return "is not valid UTF-8";
    case TAPE_ERROR: case INCOMPLETE_ARRAY_OR_OBJECT: case UNCLOSED_STRING:
        return "is not valid JSON at this point (a truncated line, or a value such as NaN or Infinity, which JSON does not allow)";
    case T_ATOM_ERROR: case F_ATOM_ERROR: case N_ATOM_ERROR:
        return "is not valid JSON (NaN, Infinity and bare words are not JSON values)";
    default: return std::string("is not valid JSON (") + error_message(code) + ")";
    }
}

/// A syntax error: the diagnosis names the field that breaks the line and why; simdjson's
/// own complaint is the fallback.
[[noreturn]] void fail_syntax(rp_parser *p, const Field &field, error_code code) {
    routesim::Diagnosis diagnosis = routesim::diagnose_json_line(p->line, p->len);
    if (diagnosis.found) {
        p->error_field = diagnosis.field;
        p->error_message = diagnosis.message;
        throw ParseFailure{};
    }
    fail(p, field, describe(code));
}

template <typename T>
T check(rp_parser *p, simdjson_result<T> &&result, const Field &field) {
    T value;
    error_code code = std::move(result).get(value);
    if (code) fail_syntax(p, field, code);
    return value;
}

rp_str to_str(std::string_view view) { return rp_str{view.data(), view.size()}; }

/// Whether `key` is `name`: its length, then its bytes in a comparison of fixed size that the
/// compiler writes out inline (string_view's == calls the C library's memcmp for every key
/// tried: 3.6% of the bench replay's CPU, docs/performance.md).
template <size_t N>
inline bool is(std::string_view key, const char (&name)[N]) {
    return key.size() == N - 1 && std::memcmp(key.data(), name, N - 1) == 0;
}

/// A value of the expected JSON type, or a failure naming the field: `wrong_type` when it has
/// another type, simdjson's complaint otherwise.
template <typename T>
T typed(rp_parser *p, simdjson_result<T> &&result, const Field &field, const char *wrong_type) {
    T value;
    error_code code = std::move(result).get(value);
    if (code == INCORRECT_TYPE) fail(p, field, wrong_type);
    if (code) fail_syntax(p, field, code);
    return value;
}

std::string_view get_string(rp_parser *p, dom::element value, const Field &field) {
    return typed(p, value.get_string(), field, "must be a string");
}

double get_number(rp_parser *p, dom::element value, const Field &field) {
    double number = typed(p, value.get_double(), field, "must be a number");
    if (!std::isfinite(number)) fail(p, field, "must be a finite number");
    return number;
}

/// A whole number >= 0 that a double holds exactly (at most 2^53). Whether it is a plausible
/// token count is a rule of every record, checked by `RecordRules` (docs/log-formats.md, "Limits").
double get_count(rp_parser *p, dom::element value, const Field &field) {
    uint64_t whole;
    if (!value.get_uint64().get(whole) && whole <= RP_MAX_EXACT_WHOLE) return static_cast<double>(whole);
    double number = get_number(p, value, field);
    if (number < 0 || number != std::floor(number)) fail(p, field, "must be a whole number >= 0");
    if (number > RP_MAX_EXACT_WHOLE) fail(p, field, "is too large to be counted exactly (at most 2^53)");
    return number;
}

dom::object get_object(rp_parser *p, dom::element value, const Field &field) {
    return typed(p, value.get_object(), field, "must be an object");
}

/// Refuses a key given twice in one object (JSON parsers disagree on which value wins).
void once(rp_parser *p, unsigned &seen, unsigned bit, const Field &field) {
    if (seen & bit) fail(p, field, "is given twice in the same object; which value is meant is unclear");
    seen |= bit;
}

void check_depth(rp_parser *p, dom::element value, const Field &field, int depth = 0);

/// An unknown field: ignored (the whole line is valid JSON once parsed) unless its name looks
/// like a misspelling of one routesim reads (then it would be silently ignored: refused), or its
/// value nests deeper than routesim reads.
template <size_t N>
void unknown(rp_parser *p, std::string_view text, dom::element value, const char *prefix,
             std::string_view middle, const char *const (&known)[N]) {
    std::string name = std::string(middle) + (middle.empty() ? "" : ".") + std::string(text);
    if (const char *meant = routesim::near_miss(text.data(), text.size(), known, N))
        fail(p, Field(prefix, name), std::string("is not a field routesim reads; did you mean '") + meant +
             "'? (a misspelt field would be ignored without a word, so it is refused)");
    check_depth(p, value, Field(prefix, name));
}

/// Refuses a value nested deeper than 64 levels (docs/log-formats.md, "Limits").
void check_depth(rp_parser *p, dom::element value, const Field &field, int depth) {
    if (depth > 64) fail(p, field, "nests deeper than 64 levels (see docs/log-formats.md, Limits)");
    if (value.type() == dom::element_type::OBJECT) {
        for (dom::key_value_pair member : dom::object(value)) check_depth(p, member.value, field, depth + 1);
    } else if (value.type() == dom::element_type::ARRAY) {
        for (dom::element element : dom::array(value)) check_depth(p, element, field, depth + 1);
    }
}

const char *const record_keys[] = {"id", "ts", "input_tokens", "output_tokens", "cached_input_tokens",
                                   "cache_write_input_tokens", "category", "features", "router", "served_by",
                                   "propensity", "outcomes", "steps"};
const char *const step_keys[] = {"name", "after", "input_tokens", "output_tokens", "cached_input_tokens", "outcomes"};
const char *const outcome_keys[] = {"success", "quality", "latency_ms", "output_tokens", "cost_usd", "confidence",
                                    "reasoning_tokens", "input_tokens", "cached_input_tokens", "cache_write_input_tokens"};
const char *const router_keys[] = {"model", "confidence"};


/// Whether `a` and `b` hold the same `n` bytes: up to 16 compared as two overlapping words,
/// written out inline (`memcmp` of a length not known in advance is a call into the C library).
inline bool same_bytes(const char *a, const char *b, size_t n) {
    if (n > 16) return std::memcmp(a, b, n) == 0;
    if (n >= 8) {
        uint64_t a0, b0, a1, b1;
        std::memcpy(&a0, a, 8), std::memcpy(&b0, b, 8), std::memcpy(&a1, a + n - 8, 8), std::memcpy(&b1, b + n - 8, 8);
        return a0 == b0 && a1 == b1;
    }
    if (n >= 4) {
        uint32_t a0, b0, a1, b1;
        std::memcpy(&a0, a, 4), std::memcpy(&b0, b, 4), std::memcpy(&a1, a + n - 4, 4), std::memcpy(&b1, b + n - 4, 4);
        return a0 == b0 && a1 == b1;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}

/// The position of `name` among the catalog's model names, or -1.
int model_index(const rp_parser *p, std::string_view name) {
    for (size_t i = 0; i < p->models.size(); i++)
        if (p->models[i].size() == name.size() && same_bytes(p->models[i].data(), name.data(), name.size())) return int(i);
    return -1;
}

/// One model's outcome, appended to `into` (the record's outcomes, or its steps'); `prefix` begins
/// its field names ("outcomes." or "steps[i].outcomes."), `begin` is where this object's outcomes
/// start in `into` (for keys given twice).
void parse_outcome(rp_parser *p, std::string_view model, dom::object object, const char *prefix,
                   std::vector<rp_outcome> &into, size_t begin) {
    rp_outcome outcome{};
    outcome.model = to_str(model);
    outcome.model_index = model_index(p, model);
    outcome.success = -1;
    unsigned seen = 0;
    bool cache_counts = false;
    for (dom::key_value_pair field : object) {
        std::string_view key = field.key;
        dom::element value = field.value;
        if (is(key, "success")) {
            const Field name(prefix, model, ".success");
            once(p, seen, 1u << 0, name);
            if (value.type() != dom::element_type::BOOL) fail(p, name, "must be true or false");
            outcome.success = bool(value.get_bool()) ? 1 : 0;
        } else if (is(key, "quality")) {
            const Field name(prefix, model, ".quality");
            once(p, seen, 1u << 1, name);
            if (value.is_null()) continue;
            outcome.quality = get_number(p, value, name);
            outcome.present |= RP_HAS_QUALITY;
        } else if (is(key, "latency_ms")) {
            const Field name(prefix, model, ".latency_ms");
            once(p, seen, 1u << 2, name);
            if (value.is_null()) continue;
            outcome.latency_ms = get_number(p, value, name);
            outcome.present |= RP_HAS_LATENCY;
        } else if (is(key, "output_tokens")) {
            const Field name(prefix, model, ".output_tokens");
            once(p, seen, 1u << 3, name);
            if (value.is_null()) continue;
            outcome.output_tokens = get_count(p, value, name);
            outcome.present |= RP_HAS_OUTPUT_TOKENS;
        } else if (is(key, "cost_usd")) {
            const Field name(prefix, model, ".cost_usd");
            once(p, seen, 1u << 4, name);
            if (value.is_null()) continue;
            outcome.cost_usd = get_number(p, value, name);
            outcome.present |= RP_HAS_COST;
        } else if (is(key, "reasoning_tokens")) {
            const Field name(prefix, model, ".reasoning_tokens");
            once(p, seen, 1u << 5, name);
            if (value.is_null()) continue;
            outcome.reasoning_tokens = get_count(p, value, name);
            outcome.present |= RP_HAS_REASONING_TOKENS;
        } else if (is(key, "confidence")) {
            const Field name(prefix, model, ".confidence");
            once(p, seen, 1u << 6, name);
            if (value.is_null()) continue;
            outcome.confidence = get_number(p, value, name);
            outcome.present |= RP_HAS_CONFIDENCE;
        } else if (is(key, "input_tokens") || is(key, "cached_input_tokens") || is(key, "cache_write_input_tokens")) {
            const bool input = is(key, "input_tokens"), cached = is(key, "cached_input_tokens");
            const Field name(prefix, model, input ? ".input_tokens" : cached ? ".cached_input_tokens" : ".cache_write_input_tokens");
            once(p, seen, input ? 1u << 7 : cached ? 1u << 8 : 1u << 9, name);
            if (value.is_null()) continue;
            double count = get_count(p, value, name);
            (input ? outcome.input_tokens : cached ? outcome.cached_input_tokens : outcome.cache_write_input_tokens) = count;
            if (input) outcome.present |= RP_HAS_INPUT_TOKENS;
            else cache_counts = true;
        } else {
            unknown(p, key, value, prefix, model, outcome_keys);
        }
    }
    if (outcome.success < 0) fail(p, Field(prefix, model, ".success"), "is required");
    if (!(outcome.present & RP_HAS_INPUT_TOKENS) && cache_counts)
        fail(p, Field(prefix, model, ".input_tokens"), "is required when the outcome gives its own cached or cache-write tokens");
    for (size_t i = begin; i < into.size(); i++)
        if (std::string_view(into[i].model.ptr, into[i].model.len) == model)
            fail(p, Field(prefix, model), "is given twice in the same object; which value is meant is unclear");
    into.push_back(outcome);
}

/// An `outcomes` object: each model's outcome appended to `into`; `field` names the object.
size_t parse_outcomes(rp_parser *p, dom::object outcomes, const char *prefix, std::vector<rp_outcome> &into) {
    size_t begin = into.size();
    for (dom::key_value_pair outcome : outcomes) {
        parse_outcome(p, outcome.key, get_object(p, outcome.value, Field(prefix, outcome.key)), prefix, into, begin);
    }
    return into.size() - begin;
}

/// The `steps` array: each step's fields, its `after` names and its outcomes
/// (docs/log-formats.md, "Steps").
void parse_steps(rp_parser *p, dom::array array) {
    size_t index = 0;
    for (dom::element value : array) {
        const std::string base = "steps[" + std::to_string(index) + "]";
        dom::object object = get_object(p, value, base.c_str());
        rp_step step{};
        unsigned seen = 0;
        const std::string dot = base + ".";
        for (dom::key_value_pair field : object) {
            std::string_view key = field.key;
            dom::element inner = field.value;
            if (is(key, "name")) {
                once(p, seen, 1u << 0, Field(dot.c_str(), "name"));
                step.name = to_str(get_string(p, inner, Field(dot.c_str(), "name")));
                if (step.name.len == 0) fail(p, Field(dot.c_str(), "name"), "must not be empty");
            } else if (is(key, "after")) {
                const Field name(dot.c_str(), "after");
                once(p, seen, 1u << 1, name);
                dom::array names = typed(p, inner.get_array(), name, "must be a list of earlier steps' names, such as [\"intent\"]");
                step.after_begin = p->after.size();
                for (dom::element text : names) p->after.push_back(to_str(get_string(p, text, name)));
                step.after_count = p->after.size() - step.after_begin;
                step.present |= RP_STEP_AFTER;
            } else if (is(key, "input_tokens")) {
                once(p, seen, 1u << 2, Field(dot.c_str(), "input_tokens"));
                step.input_tokens = get_count(p, inner, Field(dot.c_str(), "input_tokens"));
            } else if (is(key, "output_tokens")) {
                once(p, seen, 1u << 3, Field(dot.c_str(), "output_tokens"));
                if (inner.is_null()) continue;
                step.output_tokens = get_count(p, inner, Field(dot.c_str(), "output_tokens"));
                step.present |= RP_STEP_OUTPUT_TOKENS;
            } else if (is(key, "cached_input_tokens")) {
                once(p, seen, 1u << 4, Field(dot.c_str(), "cached_input_tokens"));
                if (inner.is_null()) continue;
                step.cached_input_tokens = get_count(p, inner, Field(dot.c_str(), "cached_input_tokens"));
            } else if (is(key, "outcomes")) {
                once(p, seen, 1u << 5, Field(dot.c_str(), "outcomes"));
                p->step_prefix = dot + "outcomes.";
                step.outcome_begin = p->step_outcomes.size();
                step.outcome_count = parse_outcomes(p, get_object(p, inner, Field(dot.c_str(), "outcomes")),
                                                    p->step_prefix.c_str(), p->step_outcomes);
                if (step.outcome_count == 0) fail(p, Field(dot.c_str(), "outcomes"), "must name at least one model");
            } else {
                unknown(p, key, inner, dot.c_str(), {}, step_keys);
            }
        }
        if (!(seen & (1u << 0))) fail(p, Field(dot.c_str(), "name"), "is required");
        if (!(seen & (1u << 2))) fail(p, Field(dot.c_str(), "input_tokens"), "is required");
        if (!(seen & (1u << 5))) fail(p, Field(dot.c_str(), "outcomes"), "is required");
        p->steps.push_back(step);
        index++;
    }
    if (index == 0) fail(p, "steps", "must list at least one step (leave it out for a one-call request)");
}

void parse_features(rp_parser *p, dom::object object) {
    for (dom::key_value_pair field : object) {
        std::string_view key = field.key;
        const Field name("features.", key);
        dom::element value = field.value;
        rp_feature feature{};
        feature.key = to_str(key);
        switch (value.type()) {
        case dom::element_type::INT64: case dom::element_type::UINT64: case dom::element_type::DOUBLE:
            feature.kind = RP_FEATURE_NUMBER;
            feature.number = get_number(p, value, name);
            break;
        case dom::element_type::BOOL:
            feature.kind = RP_FEATURE_BOOL;
            feature.number = bool(value.get_bool()) ? 1 : 0;
            break;
        case dom::element_type::STRING:
            feature.kind = RP_FEATURE_STRING;
            feature.string = to_str(std::string_view(value.get_string()));
            break;
        case dom::element_type::NULL_VALUE:
            continue;
        default:
            fail(p, name, "must be a string, number or boolean (features are a flat map)");
        }
        for (const auto &earlier : p->features)
            if (std::string_view(earlier.key.ptr, earlier.key.len) == key)
                fail(p, name, "is given twice in the same object; which value is meant is unclear");
        p->features.push_back(feature);
    }
}

void parse_router(rp_parser *p, dom::object object, rp_record *out) {
    unsigned seen = 0;
    for (dom::key_value_pair field : object) {
        std::string_view key = field.key;
        dom::element value = field.value;
        if (is(key, "model")) {
            once(p, seen, 1u << 0, "router.model");
            out->router_model = to_str(get_string(p, value, "router.model"));
            out->router_model_index = model_index(p, std::string_view(out->router_model.ptr, out->router_model.len));
            out->present |= RP_REC_ROUTER_MODEL;
        } else if (is(key, "confidence")) {
            once(p, seen, 1u << 1, "router.confidence");
            if (value.is_null()) continue;
            out->router_confidence = get_number(p, value, "router.confidence");
            out->present |= RP_REC_ROUTER_CONFIDENCE;
        } else {
            unknown(p, key, value, "router.", {}, router_keys);
        }
    }
    if (!(out->present & RP_REC_ROUTER_MODEL)) fail(p, "router.model", "is required when router is given");
}

void parse_record(rp_parser *p, const char *line, size_t len, size_t capacity, rp_record *out) {
    *out = rp_record{};
    p->outcomes.clear();
    p->features.clear();
    p->steps.clear();
    p->step_outcomes.clear();
    p->after.clear();
    p->line = line;
    p->len = len;
    // The whole line is parsed at once (simdjson's DOM: every value checked, numbers read, in
    // one pass), then walked; a line the parser refuses is diagnosed to name its field.
    dom::element doc = check(p, p->parser.parse(line, len, capacity < len + SIMDJSON_PADDING), "");
    if (doc.type() != dom::element_type::OBJECT) fail_syntax(p, "", INCORRECT_TYPE);
    unsigned seen = 0;
    for (dom::key_value_pair field : dom::object(doc)) {
        std::string_view key = field.key;
        dom::element value = field.value;
        if (is(key, "id")) {
            once(p, seen, 1u << 0, "id");
            out->id = to_str(get_string(p, value, "id"));
            if (out->id.len == 0) fail(p, "id", "must not be empty");
        } else if (is(key, "ts")) {
            once(p, seen, 1u << 1, "ts");
            std::string_view text = get_string(p, value, "ts");
            if (rp_parse_timestamp(text.data(), text.size(), &out->ts) != 0)
                fail(p, "ts", "must be an RFC 3339 timestamp such as 2026-10-01T12:00:00Z, got \"" + std::string(text) + "\"");
        } else if (is(key, "input_tokens")) {
            once(p, seen, 1u << 2, "input_tokens");
            out->input_tokens = get_count(p, value, "input_tokens");
            out->present |= RP_REC_INPUT_TOKENS;
        } else if (is(key, "output_tokens")) {
            once(p, seen, 1u << 3, "output_tokens");
            if (value.is_null()) continue;
            out->output_tokens = get_count(p, value, "output_tokens");
            out->present |= RP_REC_OUTPUT_TOKENS;
        } else if (is(key, "cached_input_tokens")) {
            once(p, seen, 1u << 4, "cached_input_tokens");
            if (value.is_null()) continue;
            out->cached_input_tokens = get_count(p, value, "cached_input_tokens");
        } else if (is(key, "cache_write_input_tokens")) {
            once(p, seen, 1u << 5, "cache_write_input_tokens");
            if (value.is_null()) continue;
            out->cache_write_input_tokens = get_count(p, value, "cache_write_input_tokens");
        } else if (is(key, "category")) {
            once(p, seen, 1u << 6, "category");
            if (value.is_null()) continue;
            out->category = to_str(get_string(p, value, "category"));
            if (out->category.len > 0) out->present |= RP_REC_CATEGORY;  // "" means none, as an empty CSV field does
        } else if (is(key, "features")) {
            once(p, seen, 1u << 7, "features");
            if (value.is_null()) continue;
            parse_features(p, get_object(p, value, "features"));
        } else if (is(key, "router")) {
            once(p, seen, 1u << 8, "router");
            if (value.is_null()) continue;
            parse_router(p, get_object(p, value, "router"), out);
        } else if (is(key, "served_by")) {
            once(p, seen, 1u << 9, "served_by");
            if (value.is_null()) continue;
            out->served_by = to_str(get_string(p, value, "served_by"));
            if (out->served_by.len > 0) out->present |= RP_REC_SERVED_BY;
        } else if (is(key, "propensity")) {
            once(p, seen, 1u << 10, "propensity");
            if (value.is_null()) continue;
            out->propensity = get_number(p, value, "propensity");
            out->present |= RP_REC_PROPENSITY;
        } else if (is(key, "outcomes")) {
            once(p, seen, 1u << 11, "outcomes");
            parse_outcomes(p, get_object(p, value, "outcomes"), "outcomes.", p->outcomes);
        } else if (is(key, "steps")) {
            once(p, seen, 1u << 12, "steps");
            parse_steps(p, typed(p, value.get_array(), "steps", "must be a list of steps"));
        } else {
            unknown(p, key, value, "", {}, record_keys);
        }
    }
    if (!(seen & (1u << 0))) fail(p, "id", "is required");
    if (!(seen & (1u << 1))) fail(p, "ts", "is required");
    bool has_steps = seen & (1u << 12);
    if (has_steps) {
        if (seen & (1u << 11)) fail(p, "outcomes", "give outcomes per step or for the whole request, not both");
        // The request as it arrived is its first step's input (docs/log-formats.md, "Steps").
        if (!(seen & (1u << 2))) out->input_tokens = p->steps[0].input_tokens;
    } else {
        if (!(seen & (1u << 2))) fail(p, "input_tokens", "is required");
        if (!(seen & (1u << 11))) fail(p, "outcomes", "is required (or steps, each with its outcomes)");
        if (p->outcomes.empty()) fail(p, "outcomes", "must name at least one model");
    }
    out->outcomes = p->outcomes.data();
    out->outcome_count = p->outcomes.size();
    out->features = p->features.data();
    out->feature_count = p->features.size();
    out->steps = p->steps.data();
    out->step_count = p->steps.size();
    out->step_outcomes = p->step_outcomes.data();
    out->after = p->after.data();
}

bool digits(const char *s, size_t n, int *value) {
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return true;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

} // namespace

extern "C" {

size_t rp_padding(void) { return SIMDJSON_PADDING; }

rp_parser *rp_parser_create(void) { return new rp_parser(); }

void rp_parser_destroy(rp_parser *parser) { delete parser; }

void rp_parser_set_models(rp_parser *parser, const rp_str *names, size_t count) {
    parser->models.clear();
    for (size_t i = 0; i < count; i++) parser->models.emplace_back(names[i].ptr, names[i].len);
}

int rp_parse(rp_parser *parser, const char *line, size_t len, size_t capacity, rp_record *out) {
    try {
        parse_record(parser, line, len, capacity, out);
        return 0;
    } catch (const ParseFailure &) {
        return 1;
    }
}

const char *rp_error_field(const rp_parser *parser) { return parser->error_field.c_str(); }

const char *rp_error_message(const rp_parser *parser) { return parser->error_message.c_str(); }

int rp_diagnose(const char *line, size_t len, const char **field, const char **message) {
    thread_local routesim::Diagnosis diagnosis;
    diagnosis = routesim::diagnose_json_line(line, len);
    *field = diagnosis.field.c_str();
    *message = diagnosis.message.c_str();
    return diagnosis.found ? 1 : 0;
}

int rp_parse_timestamp(const char *s, size_t n, double *seconds) {
    int year, month, day, hour, minute, second;
    if (n < 20 || !digits(s, 4, &year) || s[4] != '-' || !digits(s + 5, 2, &month) || s[7] != '-' ||
        !digits(s + 8, 2, &day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !digits(s + 11, 2, &hour) || s[13] != ':' || !digits(s + 14, 2, &minute) || s[16] != ':' ||
        !digits(s + 17, 2, &second))
        return 1;
    static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] || hour > 23 || minute > 59 || second > 60)
        return 1;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && day == 29 && !leap) return 1;
    size_t i = 19;
    double fraction = 0, scale = 0.1;
    if (i < n && s[i] == '.') {
        i++;
        size_t start = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') { fraction += (s[i] - '0') * scale; scale /= 10; i++; }
        if (i == start) return 1;
    }
    int offset = 0;
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        int oh, om;
        if (!digits(s + i + 1, 2, &oh) || !digits(s + i + 4, 2, &om) || oh > 23 || om > 59) return 1;
        offset = (oh * 60 + om) * 60 * (s[i] == '-' ? -1 : 1);
        i += 6;
    } else {
        return 1;
    }
    if (i != n) return 1;
    int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    *seconds = static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction;
    return 0;
}

} // extern "C"
