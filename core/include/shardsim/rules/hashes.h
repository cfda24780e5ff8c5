#pragma once
// Hash functions used by the rules, each bit-exact with its reference implementation.

#include <cstdint>
#include <string>
#include <string_view>

#include "shardsim/common/result.h"
#include "shardsim/rules/key.h"

namespace shardsim::hashes {

// Java's hashCode of the boxed key, as ShardingSphere's HASH_MOD sees it: Integer.hashCode,
// Long.hashCode ((int)(v ^ v>>>32)), String.hashCode over UTF-16 code units; bytes as Arrays.hashCode(byte[]).
// A uint64 hashes as the Long with the same 64 bits. Strings are decoded from UTF-8 as `new String(bytes,
// UTF_8)` does: characters above U+FFFF count as two surrogate units, malformed input as U+FFFD.
int32_t javaHashCode(const Key& key);
// The UTF-16 code units of the Java String `new String(utf8, UTF_8)`: characters above U+FFFF become a
// surrogate pair, malformed input U+FFFD (one per maximal invalid subpart), as javaHashCode decodes.
std::u16string javaUtf16(std::string_view utf8);
// Those code units as bytes, low byte first: what Elasticsearch's murmur3 of a routing value and Guava's
// hashUnencodedChars read.
std::string javaUtf16LittleEndian(std::string_view utf8);

struct Hash128 {
    uint64_t h1 = 0;
    uint64_t h2 = 0;
};
// Austin Appleby's MurmurHash3_x64_128 (reference C++), little-endian blocks, tail bytes read unsigned.
// (Cassandra's Java port sign-extends tail bytes >= 0x80; the murmur3 rule uses its own copy of that variant.)
// How the up to 15 tail bytes enter the hash: the reference reads them unsigned; Cassandra's Java port
// sign-extends each byte before shifting it, which changes the hash of keys with tail bytes >= 0x80.
enum class MurmurTail { Unsigned, SignExtended };
Hash128 murmur3x64_128(std::string_view data, uint32_t seed = 0, MurmurTail tail = MurmurTail::Unsigned);
// xxHash64 (libxxhash).
uint64_t xxhash64(std::string_view data, uint64_t seed = 0);
// FNV-1a, 64-bit (offset basis 14695981039346656037, prime 1099511628211).
uint64_t fnv1a64(std::string_view data);
// CRC-32 (IEEE 802.3, zlib's crc32).
uint32_t crc32(std::string_view data);
// Austin Appleby's MurmurHash3_x86_32 (reference C++, tail bytes unsigned); Lucene's
// StringHelper.murmurhash3_x86_32 and Guava's murmur3_32 compute the same.
uint32_t murmur3x86_32(std::string_view data, uint32_t seed = 0);

// The bytes the general-purpose hashes read for a key: integers as 8-byte little-endian two's
// complement (Int32 as 4 bytes), strings as UTF-8, bytes as they are.
std::string keyBytes(const Key& key);

enum class HashFunction { Java, Murmur3, XxHash64, Fnv1a64, Crc32 };

Result<HashFunction> parseHashFunction(std::string_view name); // java murmur3 xxhash64 fnv1a64 crc32
std::string_view hashFunctionName(HashFunction function);

// The key's hash as an unsigned 64-bit value: murmur3 is h1 of MurmurHash3_x64_128 (seed 0); java is
// the int hashCode sign-extended; crc32 zero-extended.
uint64_t hashKey(HashFunction function, const Key& key);
// Same, for arbitrary bytes (ring points, rendezvous pairs); java hashes them as a String of Latin-1 chars.
uint64_t hashBytes(HashFunction function, std::string_view data);

} // namespace shardsim::hashes
