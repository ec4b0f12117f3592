// The parse-only floor of the benchmark (docs/performance.md, "Where the time goes"): simdjson
// alone over the same bytes, one thread, every line parsed in full by its DOM parser (as
// routesim's parser does) and nothing done with the values. Built and run by bench/bench.py.
#include <simdjson.h>
#include <chrono>
#include <cstdio>

int main(int argc, char **argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: parse-floor LOG.jsonl\n");
        return 2;
    }
    simdjson::padded_string json;
    if (simdjson::padded_string::load(argv[1]).get(json)) {
        std::fprintf(stderr, "parse-floor: cannot read %s\n", argv[1]);
        return 2;
    }
    auto start = std::chrono::steady_clock::now();
    simdjson::dom::parser parser;
    size_t documents = 0;
    for (auto document : parser.parse_many(json, 1 << 20)) {
        if (document.error()) {
            std::fprintf(stderr, "parse-floor: %s\n", simdjson::error_message(document.error()));
            return 1;
        }
        documents++;
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%zu %.6f\n", documents, seconds);
    return 0;
}
