// The general-purpose hashes against vectors published with each reference implementation.

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "shardsim/rules/hashes.h"

using namespace shardsim;
using namespace shardsim::hashes;

namespace {

std::string bytesOf(std::initializer_list<int> values)
{
    std::string out;
    for (int v : values)
        out += static_cast<char>(v);
    return out;
}

} // namespace

// ---- Java hashCode -----------------------------------------------------------------------------------

TEST(JavaHashCode, StringMatchesJava)
{
    // "hello".hashCode() == 99162322 on every JVM (String.hashCode: s[0]*31^(n-1) + ... + s[n-1]).
    EXPECT_EQ(javaHashCode(Key::string("hello")), 99162322);
    EXPECT_EQ(javaHashCode(Key::string("")), 0);
    // "Aa" and "BB" are Java's classic colliding pair: 65*31+97 == 66*31+66 == 2112.
    EXPECT_EQ(javaHashCode(Key::string("Aa")), 2112);
    EXPECT_EQ(javaHashCode(Key::string("BB")), 2112);
}

TEST(JavaHashCode, StringHashesUtf16CodeUnits)
{
    // U+00E9 is two UTF-8 bytes but one UTF-16 unit: "é".hashCode() == 0xE9.
    EXPECT_EQ(javaHashCode(Key::string("\xC3\xA9")), 233);
    // U+1F600 is the surrogate pair D83D DE00 in a Java String: 0xD83D * 31 + 0xDE00 == 1772899.
    EXPECT_EQ(javaHashCode(Key::string("\xF0\x9F\x98\x80")), 1772899);
    // U+20AC (3 UTF-8 bytes) then 'a': 0x20AC * 31 + 97 == 259381.
    EXPECT_EQ(javaHashCode(Key::string("\xE2\x82\xAC"
                                       "a")),
        259381);
}

TEST(JavaHashCode, MalformedUtf8BecomesReplacementCharacter)
{
    // new String(bytes, UTF_8) decodes a stray continuation byte to U+FFFD, whose hash is 0xFFFD.
    EXPECT_EQ(javaHashCode(Key::string("\x80")), 0xFFFD);
    // A truncated sequence is one U+FFFD, then decoding resumes: 0xFFFD * 31 + 'a'.
    EXPECT_EQ(javaHashCode(Key::string("\xE2\x82"
                                       "a")),
        0xFFFD * 31 + 97);
}

TEST(JavaHashCode, IntegerAndLong)
{
    // Integer.hashCode(v) == v.
    EXPECT_EQ(javaHashCode(Key::int32(42)), 42);
    EXPECT_EQ(javaHashCode(Key::int32(-7)), -7);
    // Long.hashCode(v) == (int)(v ^ (v >>> 32)).
    EXPECT_EQ(javaHashCode(Key::int64(42)), 42);
    EXPECT_EQ(javaHashCode(Key::int64(-1)), 0); // 0xffffffff ^ 0xffffffff
    EXPECT_EQ(javaHashCode(Key::int64(int64_t { 1 } << 32)), 1);
    EXPECT_EQ(javaHashCode(Key::int64(INT64_MIN)), INT32_MIN);
    EXPECT_EQ(javaHashCode(Key::int64(INT64_MAX)), INT32_MIN);
    // A uint64 hashes as the Long with the same bits.
    EXPECT_EQ(javaHashCode(Key::uint64(UINT64_MAX)), javaHashCode(Key::int64(-1)));
}

TEST(JavaHashCode, BytesAreArraysHashCode)
{
    // Arrays.hashCode(byte[]): starts at 1, bytes are signed.
    EXPECT_EQ(javaHashCode(Key::rawBytes("")), 1);
    EXPECT_EQ(javaHashCode(Key::rawBytes(bytesOf({ 1, 2, 3 }))), 30817);
    EXPECT_EQ(javaHashCode(Key::rawBytes(bytesOf({ 0xFF }))), 30); // 31 * 1 + (-1)
}

// ---- MurmurHash3_x64_128 -----------------------------------------------------------------------------

TEST(Murmur3, GuavaKnownValues)
{
    // google/guava guava-tests/test/com/google/common/hash/Murmur3Hash128Test.java, testKnownValues.
    struct Vector {
        uint32_t seed;
        uint64_t h1;
        uint64_t h2;
        const char* input;
    };
    const Vector vectors[] = {
        { 0, 0x629942693e10f867ULL, 0x92db0b82baeb5347ULL, "hell" },
        { 1, 0xa78ddff5adae8d10ULL, 0x128900ef20900135ULL, "hello" },
        { 2, 0x8a486b23f422e826ULL, 0xf962a2c58947765fULL, "hello " },
        { 3, 0x2ea59f466f6bed8cULL, 0xc610990acc428a17ULL, "hello w" },
        { 4, 0x79f6305a386c572cULL, 0x46305aed3483b94eULL, "hello wo" },
        { 5, 0xc2219d213ec1f1b5ULL, 0xa1d8e2e0a52785bdULL, "hello wor" },
        { 0, 0xe34bbc7bbc071b6cULL, 0x7a433ca9c49a9347ULL, "The quick brown fox jumps over the lazy dog" },
        { 0, 0x658ca970ff85269aULL, 0x43fee3eaa68e5c3eULL, "The quick brown fox jumps over the lazy cog" },
    };
    for (const auto& v : vectors) {
        const Hash128 hash = murmur3x64_128(v.input, v.seed);
        EXPECT_EQ(hash.h1, v.h1) << v.input;
        EXPECT_EQ(hash.h2, v.h2) << v.input;
    }
}

TEST(Murmur3, SmhasherVerificationValue)
{
    // SMHasher's VerificationTest (also Guava's testParanoid): hash {}, {0}, {0,1}, ... {0..254} with seed
    // 256 - length, hash the 256 concatenated little-endian results with seed 0, and read the first 4 bytes
    // little-endian. MurmurHash3_x64_128's published value is 0x6384BA69.
    std::string key;
    std::string all;
    for (int i = 0; i < 256; ++i) {
        const Hash128 h = murmur3x64_128(key, static_cast<uint32_t>(256 - i));
        for (uint64_t word : { h.h1, h.h2 }) {
            for (int b = 0; b < 8; ++b)
                all += static_cast<char>((word >> (8 * b)) & 0xFF);
        }
        key += static_cast<char>(i);
    }
    const Hash128 final = murmur3x64_128(all, 0);
    EXPECT_EQ(static_cast<uint32_t>(final.h1 & 0xFFFFFFFFu), 0x6384BA69u);
}

TEST(Murmur3, EmptyInputWithSeedZeroIsZero)
{
    const Hash128 hash = murmur3x64_128("", 0);
    EXPECT_EQ(hash.h1, 0u);
    EXPECT_EQ(hash.h2, 0u);
}

// ---- xxHash64, FNV-1a, CRC-32 ------------------------------------------------------------------------

TEST(XxHash64, CespareVectors)
{
    // cespare/xxhash xxhash_test.go TestSum (the Go package Vitess uses), seed 0.
    EXPECT_EQ(xxhash64(""), 0xef46db3751d8e999ULL);
    EXPECT_EQ(xxhash64("a"), 0xd24ec4f1a98c6e5bULL);
    EXPECT_EQ(xxhash64("as"), 0x1c330fb2d66be179ULL);
    EXPECT_EQ(xxhash64("asd"), 0x631c37ce72a97393ULL);
    EXPECT_EQ(xxhash64("asdf"), 0x415872f599cea71eULL);
    EXPECT_EQ(xxhash64("Call me Ishmael. Some years ago--never mind how long precisely-"), 0x02a2e85470d6fd96ULL);
}

TEST(Fnv1a64, GoGoldenVectors)
{
    // golang/go src/hash/fnv/fnv_test.go golden64a.
    EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
    EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
    EXPECT_EQ(fnv1a64("ab"), 0x089c4407b545986aULL);
    EXPECT_EQ(fnv1a64("abc"), 0xe71fa2190541574bULL);
}

TEST(Crc32, CheckValue)
{
    // The CRC-32/ISO-HDLC check value (CRC catalogue): crc("123456789") == 0xCBF43926.
    EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
    EXPECT_EQ(crc32(""), 0u);
}

// ---- keyBytes, names, hashKey ------------------------------------------------------------------------

TEST(KeyBytes, IntegersAreLittleEndian)
{
    EXPECT_EQ(keyBytes(Key::int32(1)), bytesOf({ 1, 0, 0, 0 }));
    EXPECT_EQ(keyBytes(Key::int32(-1)), bytesOf({ 0xFF, 0xFF, 0xFF, 0xFF }));
    EXPECT_EQ(keyBytes(Key::int64(0x0102030405060708LL)), bytesOf({ 8, 7, 6, 5, 4, 3, 2, 1 }));
    EXPECT_EQ(keyBytes(Key::int64(-2)), bytesOf({ 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }));
    EXPECT_EQ(keyBytes(Key::uint64(UINT64_MAX)), std::string(8, '\xFF'));
    EXPECT_EQ(keyBytes(Key::string("abc")), "abc");
    EXPECT_EQ(keyBytes(Key::rawBytes(bytesOf({ 0, 0xFF }))), bytesOf({ 0, 0xFF }));
}

TEST(HashFunctionNames, RoundTrip)
{
    for (const char* name : { "java", "murmur3", "xxhash64", "fnv1a64", "crc32" }) {
        auto parsed = parseHashFunction(name);
        ASSERT_TRUE(parsed.ok()) << name;
        EXPECT_EQ(hashFunctionName(*parsed), name);
    }
    auto bad = parseHashFunction("md5");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("md5"), std::string::npos);
    EXPECT_NE(bad.error().find("murmur3"), std::string::npos);
}

TEST(HashKey, EachFunctionOverKeyBytes)
{
    const Key key = Key::int64(12345);
    const std::string bytes = keyBytes(key);
    EXPECT_EQ(hashKey(HashFunction::Murmur3, key), murmur3x64_128(bytes, 0).h1);
    EXPECT_EQ(hashKey(HashFunction::XxHash64, key), xxhash64(bytes));
    EXPECT_EQ(hashKey(HashFunction::Fnv1a64, key), fnv1a64(bytes));
    EXPECT_EQ(hashKey(HashFunction::Crc32, key), crc32(bytes));
}

TEST(HashKey, JavaIsSignExtendedAndCrcZeroExtended)
{
    EXPECT_EQ(hashKey(HashFunction::Java, Key::int32(-1)), UINT64_MAX);
    EXPECT_EQ(hashKey(HashFunction::Java, Key::string("hello")), 99162322u);
    EXPECT_EQ(hashKey(HashFunction::Crc32, Key::string("123456789")), 0xCBF43926ULL);
}

TEST(HashBytes, JavaReadsLatin1Characters)
{
    // As a String of Latin-1 chars each byte is 0..255: "\xE9" hashes to 233, unlike Arrays.hashCode's
    // signed bytes (31 + (-23) == 8).
    EXPECT_EQ(hashBytes(HashFunction::Java, "\xE9"), 233u);
    EXPECT_EQ(javaHashCode(Key::rawBytes("\xE9")), 8);
    EXPECT_EQ(hashBytes(HashFunction::Java, "hello"), 99162322u);
    EXPECT_EQ(hashBytes(HashFunction::Murmur3, "hello"), murmur3x64_128("hello", 0).h1);
}
