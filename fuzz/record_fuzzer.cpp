// libFuzzer target for the record parser (Sources/CRecordParser): every input is parsed as one
// canonical log line, diagnosed when it is refused, and read as a timestamp. Built and run by
// `make fuzz` (and briefly by `make test`) with AddressSanitizer and UndefinedBehaviorSanitizer;
// see docs/performance.md, "Fuzzing".
#include "record_parser.h"
#include "../Sources/CRecordParser/json_diagnosis.h"
#include <cstdint>
#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static rp_parser *parser = rp_parser_create();
    std::vector<char> line(size + rp_padding(), 0);
    if (size) std::memcpy(line.data(), data, size);
    rp_record record;
    if (rp_parse(parser, line.data(), size, line.size(), &record) != 0) {
        // A refusal must say what is wrong; the field may be empty only for the whole line.
        if (std::strlen(rp_error_message(parser)) == 0) __builtin_trap();
    } else {
        for (size_t i = 0; i < record.outcome_count; i++)
            if (record.outcomes[i].model.len && !record.outcomes[i].model.ptr) __builtin_trap();
    }
    routesim::diagnose_json_line(line.data(), size);
    double seconds;
    rp_parse_timestamp(line.data(), size, &seconds);
    return 0;
}
