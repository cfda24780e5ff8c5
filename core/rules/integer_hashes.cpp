#include "rules/integer_hashes.h"

#include <string_view>

namespace shardsim::rules {

uint64_t hashOfInteger(hashes::HashFunction function, int64_t value)
{
    switch (function) {
    case hashes::HashFunction::Java:
        return static_cast<uint64_t>(static_cast<int64_t>(javaLongHash(value)));
    case hashes::HashFunction::Murmur3:
        return murmur3OfInteger(value);
    case hashes::HashFunction::XxHash64:
    case hashes::HashFunction::Fnv1a64:
    case hashes::HashFunction::Crc32: {
        char bytes[8];
        auto bits = static_cast<uint64_t>(value);
        for (char& byte : bytes) {
            byte = static_cast<char>(bits & 0xFF);
            bits >>= 8;
        }
        return hashes::hashBytes(function, std::string_view(bytes, sizeof(bytes)));
    }
    }
    return 0;
}

} // namespace shardsim::rules
