#include "json_diagnosis.h"
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <vector>

namespace routesim {
namespace {

constexpr int max_depth = 64;

struct Failure {
    std::string message;
};

/// A recursive-descent reading of RFC 8259 JSON that keeps the key path it is in.
struct Scanner {
    const unsigned char *s;
    size_t n;
    size_t i = 0;
    std::vector<std::string> path;

    std::string field() const {
        std::string out;
        for (const auto &part : path) {
            if (!out.empty() && part[0] != '[') out += '.';
            out += part;
        }
        return out;
    }

    [[noreturn]] void fail(const std::string &message) { throw Failure{message}; }

    [[noreturn]] void fail_here(const std::string &message) {
        fail(message + " (column " + std::to_string(i + 1) + ")");
    }

    void space() {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    }

    [[noreturn]] void truncated() {
        fail("the line ends inside this value (a truncated line, or a record split over several lines)");
    }

    void value(int depth) {
        space();
        if (i >= n) truncated();
        if (depth > max_depth) {
            // Named by the key that holds the nesting, not by sixty-four array positions.
            while (!path.empty() && path.back()[0] == '[') path.pop_back();
            fail("nests deeper than 64 levels (see docs/log-formats.md, Limits)");
        }
        unsigned char c = s[i];
        if (c == '{') return object(depth + 1);
        if (c == '[') return array(depth + 1);
        if (c == '"') return (void)string();
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        for (const char *word : {"true", "false", "null"}) {
            size_t length = std::char_traits<char>::length(word);
            if (n - i >= length && std::equal(word, word + length, s + i)) {
                size_t end = i + length;
                if (end < n && (std::isalnum(s[end]) || s[end] == '_')) break;
                i = end;
                return;
            }
        }
        fail_here("is not a JSON value: NaN, Infinity, bare words and single-quoted strings are not JSON");
    }

    void number() {
        size_t start = i;
        if (s[i] == '-') i++;
        if (i < n && s[i] == '0') {
            i++;
            if (i < n && (std::isdigit(s[i]) || s[i] == 'x' || s[i] == 'X')) bad_number(start);
        } else if (i < n && std::isdigit(s[i])) {
            while (i < n && std::isdigit(s[i])) i++;
        } else {
            bad_number(start);
        }
        if (i < n && s[i] == '.') {
            i++;
            if (i >= n || !std::isdigit(s[i])) bad_number(start);
            while (i < n && std::isdigit(s[i])) i++;
        }
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            if (i < n && (s[i] == '+' || s[i] == '-')) i++;
            if (i >= n || !std::isdigit(s[i])) bad_number(start);
            while (i < n && std::isdigit(s[i])) i++;
        }
        if (i < n && (std::isalnum(s[i]) || s[i] == '.')) bad_number(start);
        in_range(start);
    }

    /// A number JSON's grammar allows but that cannot be read as one: beyond the largest double,
    /// or a whole number beyond 64 bits (which the parser does not round to a double).
    void in_range(size_t start) {
        const std::string text(reinterpret_cast<const char *>(s + start), i - start);
        if (std::isinf(std::strtod(text.c_str(), nullptr))) fail("is not a valid finite number");
        if (text.find_first_of(".eE") != std::string::npos) return;
        errno = 0;
        if (text[0] == '-') (void)std::strtoll(text.c_str(), nullptr, 10); else (void)std::strtoull(text.c_str(), nullptr, 10);
        if (errno == ERANGE)
            fail("is a whole number beyond 64 bits, too large to read exactly (write it with an exponent, such as 1.5e21, if that is meant)");
    }

    [[noreturn]] void bad_number(size_t start) {
        size_t end = start;
        while (end < n && end < start + 24 && (std::isalnum(s[end]) || s[end] == '.' || s[end] == '-' || s[end] == '+')) end++;
        fail("is not a valid JSON number ('" + std::string(reinterpret_cast<const char *>(s + start), end - start) +
             "': leading zeros, hexadecimal, a leading '+' or '.', NaN and Infinity are not JSON)");
    }

    /// Reads a string and returns its raw text (escapes kept), checking escapes, control
    /// characters and UTF-8.
    std::string string() {
        size_t start = ++i;
        while (true) {
            if (i >= n) truncated();
            unsigned char c = s[i];
            if (c == '"') break;
            if (c == '\\') {
                if (i + 1 >= n) truncated();
                unsigned char e = s[i + 1];
                if (e == 'u') {
                    for (size_t k = 2; k < 6; k++)
                        if (i + k >= n || !std::isxdigit(s[i + k])) fail_here("has a bad \\u escape (four hex digits must follow)");
                    i += 6;
                } else if (std::string("\"\\/bfnrt").find(static_cast<char>(e)) != std::string::npos) {
                    i += 2;
                } else {
                    fail_here(std::string("has an unknown escape \\") + static_cast<char>(e));
                }
                continue;
            }
            if (c < 0x20) {
                char code[8];
                std::snprintf(code, sizeof code, "0x%02X", c);
                fail_here(std::string("holds a raw control character (") + code +
                          "); inside JSON strings write it escaped, such as \\n or \\t");
            }
            if (c < 0x80) { i++; continue; }
            size_t length = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
            bool ok = length > 0 && i + length <= n;
            for (size_t k = 1; ok && k < length; k++) ok = (s[i + k] & 0xC0) == 0x80;
            if (ok && length == 3) ok = !(c == 0xE0 && s[i + 1] < 0xA0) && !(c == 0xED && s[i + 1] > 0x9F);
            if (ok && length == 4) ok = !(c == 0xF0 && s[i + 1] < 0x90) && !(c == 0xF4 && s[i + 1] > 0x8F);
            if (!ok) {
                char code[8];
                std::snprintf(code, sizeof code, "0x%02X", c);
                fail_here(std::string("is not valid UTF-8 (byte ") + code + "); save the log as UTF-8");
            }
            i += length;
        }
        std::string raw(reinterpret_cast<const char *>(s + start), i - start);
        i++;
        return raw;
    }

    void object(int depth) {
        i++;
        space();
        if (i < n && s[i] == '}') { i++; return; }
        while (true) {
            space();
            if (i >= n) truncated();
            if (s[i] != '"') fail_here("expects a key in double quotes");
            size_t key_start = i + 1;
            std::string key;
            try {
                key = string();
            } catch (const Failure &) {
                path.push_back(std::string(reinterpret_cast<const char *>(s + key_start), n - key_start));
                throw;
            }
            space();
            if (i >= n) truncated();
            if (s[i] != ':') fail_here("expects ':' after the key \"" + key + "\"");
            i++;
            path.push_back(key);
            value(depth);
            space();
            if (i >= n) truncated();
            path.pop_back();
            if (s[i] == ',') { i++; continue; }
            if (s[i] == '}') { i++; return; }
            path.push_back(key);
            fail_here("expects ',' or '}' after this value");
        }
    }

    void array(int depth) {
        i++;
        space();
        if (i < n && s[i] == ']') { i++; return; }
        for (size_t index = 0;; index++) {
            path.push_back("[" + std::to_string(index) + "]");
            value(depth);
            space();
            if (i >= n) truncated();
            if (s[i] == ',') { i++; path.pop_back(); continue; }
            if (s[i] == ']') { i++; path.pop_back(); return; }
            fail_here("expects ',' or ']' after this value");
        }
    }
};

size_t edit_distance(const std::string &a, const std::string &b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); j++) row[j] = j;
    for (size_t i = 1; i <= a.size(); i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); j++) {
            size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string lower(std::string text) {
    for (auto &c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

} // namespace

Diagnosis diagnose_json_line(const char *line, size_t len) {
    Scanner scanner{reinterpret_cast<const unsigned char *>(line), len};
    Diagnosis out;
    try {
        if (len >= 3 && scanner.s[0] == 0xEF && scanner.s[1] == 0xBB && scanner.s[2] == 0xBF)
            scanner.fail("starts with a byte-order mark (U+FEFF); save the log as UTF-8 without one");
        scanner.space();
        if (scanner.i < len && scanner.s[scanner.i] != '{') {
            if (scanner.s[scanner.i] == '[')
                scanner.fail("is a JSON array, but each line must be one record, a JSON object");
            scanner.fail_here("a record must be a JSON object, starting with '{'");
        }
        scanner.value(0);
        scanner.space();
        if (scanner.i < len) {
            bool carriage = std::find(line + scanner.i, line + len, '\r') != line + len ||
                            std::find(line, line + len, '\r') != line + len;
            if (carriage)
                scanner.fail("more follows the record's closing brace after a carriage return: the file separates lines "
                             "with a carriage return alone; routesim reads lines ending in \\n or \\r\\n "
                             "(convert it, e.g. tr '\\r' '\\n' < old > new)");
            scanner.fail_here("more follows the record's closing brace (two records on one line, or stray characters)");
        }
    } catch (const Failure &failure) {
        out.found = true;
        out.field = scanner.field();
        out.message = failure.message;
    }
    return out;
}

const char *near_miss(const char *key, size_t len, const char *const *known, size_t count) {
    std::string text = lower(std::string(key, len));
    const char *best = nullptr;
    size_t best_distance = 3;
    for (size_t index = 0; index < count; index++) {
        std::string candidate = known[index];
        size_t distance = edit_distance(text, candidate);
        bool prefix = text.size() >= 4 && candidate.size() > text.size() && candidate.compare(0, text.size(), text) == 0;
        if (prefix) distance = std::min<size_t>(distance, 2);
        size_t limit = candidate.size() <= 3 ? 0 : candidate.size() <= 6 ? 1 : 2;
        if (distance <= limit && distance < best_distance) {
            best = known[index];
            best_distance = distance;
        }
    }
    return best;
}

} // namespace routesim
