#include "shardsim/rules/hashes.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <fmt/format.h>
#include <xxhash.h>
#include <zlib.h>

#include "rules/murmur3_parts.h"

namespace shardsim::hashes {

namespace {

    int32_t javaLongHash(int64_t value)
    {
        // Long.hashCode: (int)(value ^ (value >>> 32)); the shift is unsigned in Java.
        const uint64_t bits = static_cast<uint64_t>(value);
        return static_cast<int32_t>(static_cast<uint32_t>(bits ^ (bits >> 32)));
    }

    // Java's `31 * h + c` with int overflow: do the arithmetic in uint32 and reinterpret at the end.
    struct JavaPolynomial {
        uint32_t h = 0;
        void add(uint32_t unit) { h = 31u * h + unit; }
        int32_t value() const { return static_cast<int32_t>(h); }
    };

    constexpr uint32_t kReplacement = 0xFFFD;

    // Decodes one code point of UTF-8 starting at `pos`, advancing it. Malformed input becomes U+FFFD, one
    // for each maximal subpart (the longest prefix of a valid sequence, or a single bad byte): the
    // replacement Java's `new String(bytes, UTF_8)` makes, following the Unicode recommendation.
    uint32_t nextCodePoint(std::string_view text, size_t& pos)
    {
        const auto byteAt = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
        const uint8_t lead = byteAt(pos++);
        if (lead < 0x80)
            return lead;
        int continuations = 0;
        uint8_t low = 0x80; // allowed range of the first continuation byte; later ones are 80..BF
        uint8_t high = 0xBF;
        uint32_t cp = 0;
        if (lead >= 0xC2 && lead <= 0xDF) {
            continuations = 1;
            cp = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            continuations = 2;
            cp = lead & 0x0F;
            if (lead == 0xE0)
                low = 0xA0; // no overlong forms
            if (lead == 0xED)
                high = 0x9F; // no UTF-16 surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            continuations = 3;
            cp = lead & 0x07;
            if (lead == 0xF0)
                low = 0x90;
            if (lead == 0xF4)
                high = 0x8F; // nothing past U+10FFFF
        } else {
            return kReplacement; // a stray continuation byte or a lead that never starts valid UTF-8
        }
        for (int i = 0; i < continuations; ++i) {
            if (pos >= text.size())
                return kReplacement;
            const uint8_t next = byteAt(pos);
            if (next < low || next > high)
                return kReplacement;
            cp = (cp << 6) | (next & 0x3F);
            ++pos;
            low = 0x80;
            high = 0xBF;
        }
        return cp;
    }

    int32_t javaStringHash(std::string_view utf8)
    {
        JavaPolynomial hash;
        for (char16_t unit : javaUtf16(utf8))
            hash.add(unit);
        return hash.value();
    }

    int32_t javaByteArrayHash(std::string_view bytes)
    {
        // Arrays.hashCode(byte[]) starts at 1 and adds each byte as a signed value.
        JavaPolynomial hash;
        hash.h = 1;
        for (char c : bytes)
            hash.add(static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(c))));
        return hash.value();
    }

    int32_t javaLatin1Hash(std::string_view bytes)
    {
        // Each byte is one char 0..255, so String.hashCode adds it unsigned.
        JavaPolynomial hash;
        for (char c : bytes)
            hash.add(static_cast<uint8_t>(c));
        return hash.value();
    }

    uint64_t signExtend(int32_t value) { return static_cast<uint64_t>(static_cast<int64_t>(value)); }

    template <typename Int> void appendLittleEndian(std::string& out, Int value)
    {
        auto bits = static_cast<std::make_unsigned_t<Int>>(value);
        for (size_t i = 0; i < sizeof(Int); ++i) {
            out += static_cast<char>(bits & 0xFF);
            bits >>= 8;
        }
    }

} // namespace

std::u16string javaUtf16(std::string_view utf8)
{
    std::u16string units;
    size_t pos = 0;
    while (pos < utf8.size()) {
        const uint32_t cp = nextCodePoint(utf8, pos);
        if (cp < 0x10000) {
            units += static_cast<char16_t>(cp);
        } else {
            // A supplementary character is two UTF-16 code units (a surrogate pair) in a Java String.
            const uint32_t offset = cp - 0x10000;
            units += static_cast<char16_t>(0xD800 + (offset >> 10));
            units += static_cast<char16_t>(0xDC00 + (offset & 0x3FF));
        }
    }
    return units;
}

std::string javaUtf16LittleEndian(std::string_view utf8)
{
    std::string bytes;
    for (char16_t unit : javaUtf16(utf8)) {
        bytes += static_cast<char>(unit & 0xFF);
        bytes += static_cast<char>(unit >> 8);
    }
    return bytes;
}

int32_t javaHashCode(const Key& key)
{
    switch (key.type) {
    case KeyType::Int32:
        return static_cast<int32_t>(key.i); // Integer.hashCode is the value itself
    case KeyType::Int64:
        return javaLongHash(key.i);
    case KeyType::UInt64:
        return javaLongHash(static_cast<int64_t>(key.u)); // a Long with the same 64 bits
    case KeyType::String:
        return javaStringHash(key.bytes);
    case KeyType::Bytes:
        return javaByteArrayHash(key.bytes);
    }
    return 0;
}

Hash128 murmur3x64_128(std::string_view data, uint32_t seed, MurmurTail tailMode)
{
    using namespace rules::murmur3;
    const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
    const size_t length = data.size();
    const size_t blocks = length / 16;

    uint64_t h1 = seed;
    uint64_t h2 = seed;
    for (size_t i = 0; i < blocks; ++i)
        mixBlock(h1, h2, bytes + i * 16);

    const unsigned char* tail = bytes + blocks * 16;
    // A tail byte as a 64-bit lane: zero-extended (reference C++) or sign-extended (Java's (long) byte).
    auto lane = [&](size_t index) -> uint64_t {
        return tailMode == MurmurTail::SignExtended
            ? static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(tail[index])))
            : static_cast<uint64_t>(tail[index]);
    };
    const size_t rest = length & 15;
    uint64_t k1 = 0;
    uint64_t k2 = 0;
    for (size_t i = rest; i > 8; --i)
        k2 ^= lane(i - 1) << ((i - 9) * 8);
    if (rest > 8)
        h2 ^= mixK2(k2);
    for (size_t i = std::min<size_t>(rest, 8); i > 0; --i)
        k1 ^= lane(i - 1) << ((i - 1) * 8);
    if (rest > 0)
        h1 ^= mixK1(k1);

    const Halves halves = finish(h1, h2, length);
    return Hash128 { halves.h1, halves.h2 };
}

uint64_t xxhash64(std::string_view data, uint64_t seed) { return XXH64(data.data(), data.size(), seed); }

uint64_t fnv1a64(std::string_view data)
{
    uint64_t hash = 14695981039346656037ULL;
    for (char c : data) {
        hash ^= static_cast<uint8_t>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

uint32_t crc32(std::string_view data)
{
    // zlib takes a uInt length; feed long inputs in pieces so nothing is truncated.
    uLong crc = ::crc32(0L, Z_NULL, 0);
    const auto* p = reinterpret_cast<const Bytef*>(data.data());
    size_t left = data.size();
    while (left > 0) {
        const uInt piece = static_cast<uInt>(std::min<size_t>(left, 1u << 30));
        crc = ::crc32(crc, p, piece);
        p += piece;
        left -= piece;
    }
    return static_cast<uint32_t>(crc);
}

uint32_t murmur3x86_32(std::string_view data, uint32_t seed)
{
    constexpr uint32_t c1 = 0xcc9e2d51;
    constexpr uint32_t c2 = 0x1b873593;
    const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
    const size_t blocks = data.size() / 4;
    const auto rotl32 = [](uint32_t x, int r) { return (x << r) | (x >> (32 - r)); };
    uint32_t h = seed;
    for (size_t i = 0; i < blocks; ++i) {
        const unsigned char* p = bytes + i * 4;
        uint32_t k = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
        k = rotl32(k * c1, 15) * c2;
        h = rotl32(h ^ k, 13) * 5 + 0xe6546b64;
    }
    const unsigned char* tail = bytes + blocks * 4;
    uint32_t k = 0;
    switch (data.size() & 3) {
    case 3:
        k ^= uint32_t(tail[2]) << 16;
        [[fallthrough]];
    case 2:
        k ^= uint32_t(tail[1]) << 8;
        [[fallthrough]];
    case 1:
        k ^= tail[0];
        h ^= rotl32(k * c1, 15) * c2;
    }
    h ^= static_cast<uint32_t>(data.size());
    h ^= h >> 16;
    h *= 0x85ebca6b;
    h ^= h >> 13;
    h *= 0xc2b2ae35;
    h ^= h >> 16;
    return h;
}

std::string keyBytes(const Key& key)
{
    std::string out;
    switch (key.type) {
    case KeyType::Int32:
        appendLittleEndian(out, static_cast<int32_t>(key.i));
        break;
    case KeyType::Int64:
        appendLittleEndian(out, key.i);
        break;
    case KeyType::UInt64:
        appendLittleEndian(out, key.u);
        break;
    case KeyType::String:
    case KeyType::Bytes:
        out = key.bytes;
        break;
    }
    return out;
}

namespace {

    struct FunctionName {
        HashFunction function;
        std::string_view name;
    };

    constexpr std::array<FunctionName, 5> kFunctionNames { {
        { HashFunction::Java, "java" },
        { HashFunction::Murmur3, "murmur3" },
        { HashFunction::XxHash64, "xxhash64" },
        { HashFunction::Fnv1a64, "fnv1a64" },
        { HashFunction::Crc32, "crc32" },
    } };

} // namespace

Result<HashFunction> parseHashFunction(std::string_view name)
{
    for (const auto& entry : kFunctionNames) {
        if (entry.name == name)
            return entry.function;
    }
    return fail(fmt::format("unknown hash function '{}'; expected java, murmur3, xxhash64, fnv1a64 or crc32", name));
}

std::string_view hashFunctionName(HashFunction function)
{
    for (const auto& entry : kFunctionNames) {
        if (entry.function == function)
            return entry.name;
    }
    return "?";
}

uint64_t hashKey(HashFunction function, const Key& key)
{
    if (function == HashFunction::Java)
        return signExtend(javaHashCode(key));
    return hashBytes(function, keyBytes(key));
}

uint64_t hashBytes(HashFunction function, std::string_view data)
{
    switch (function) {
    case HashFunction::Java:
        return signExtend(javaLatin1Hash(data));
    case HashFunction::Murmur3:
        return murmur3x64_128(data, 0).h1;
    case HashFunction::XxHash64:
        return xxhash64(data, 0);
    case HashFunction::Fnv1a64:
        return fnv1a64(data);
    case HashFunction::Crc32:
        return crc32(data);
    }
    return 0;
}

} // namespace shardsim::hashes
