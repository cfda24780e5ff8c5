#pragma once
// A typed shard key. The type matters: real systems serialise an int32 and an int64 of the same
// value differently (Cassandra, MongoDB), and Java hashes Integer, Long and String differently.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shardsim/common/result.h"

namespace shardsim {

enum class KeyType { Int32, Int64, UInt64, String, Bytes };

std::string_view keyTypeName(KeyType type);

struct Key {
    KeyType type = KeyType::Int64;
    int64_t i = 0; // value of Int32 and Int64 keys
    uint64_t u = 0; // value of UInt64 keys
    std::string bytes; // String (UTF-8) and Bytes keys

    static Key int32(int32_t v) { return Key { KeyType::Int32, v, 0, {} }; }
    static Key int64(int64_t v) { return Key { KeyType::Int64, v, 0, {} }; }
    static Key uint64(uint64_t v) { return Key { KeyType::UInt64, 0, v, {} }; }
    static Key string(std::string s) { return Key { KeyType::String, 0, 0, std::move(s) }; }
    static Key rawBytes(std::string b) { return Key { KeyType::Bytes, 0, 0, std::move(b) }; }

    bool isInteger() const { return type == KeyType::Int32 || type == KeyType::Int64 || type == KeyType::UInt64; }
    // The integer value when it fits in int64 (UInt64 keys above INT64_MAX do not).
    std::optional<int64_t> asInt64() const;
    // The key as the user would type it: decimal for integers, the text for strings, hex for bytes.
    std::string display() const;
    // The key as a client sends it as text: decimal for integers, the raw bytes for strings and bytes. What Redis, SQL
    // middlewares and Vitess hash when a key arrives as a literal.
    std::string text() const;
};

// How `route --key-type` reads a command-line word. `Auto`: an integer literal is int64, anything else
// a string. `Hex` reads bytes written as hex digits (an optional 0x prefix).
enum class KeyParseMode { Auto, Int32, Int64, UInt64, String, Hex };

Result<KeyParseMode> parseKeyParseMode(std::string_view name);
Result<Key> parseKey(std::string_view text, KeyParseMode mode);

} // namespace shardsim
