#include "history/value_blob.h"

#include <bit>
#include <cstdint>
#include <limits>

namespace shardsim {

namespace {

    static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559,
        "the history stores IEEE 754 numbers");
    static_assert(sizeof(int) == sizeof(uint32_t), "range counts are stored in 4 bytes");

    // Byte by byte, lowest first: the same bytes on a little- or a big-endian machine.
    template <typename Bits> void appendLittleEndian(std::string& out, Bits bits)
    {
        for (size_t byte = 0; byte < sizeof(Bits); ++byte)
            out.push_back(static_cast<char>(static_cast<unsigned char>(bits >> (8 * byte))));
    }

    template <typename Bits> Bits readLittleEndian(std::string_view bytes)
    {
        Bits bits = 0;
        for (size_t byte = 0; byte < sizeof(Bits); ++byte)
            bits |= static_cast<Bits>(static_cast<unsigned char>(bytes[byte])) << (8 * byte);
        return bits;
    }

    // A value beyond the type's range becomes an infinity of its sign, rather than whatever the conversion does.
    template <typename Float> Float narrowed(double value)
    {
        if (value > std::numeric_limits<Float>::max())
            return std::numeric_limits<Float>::infinity();
        if (value < std::numeric_limits<Float>::lowest())
            return -std::numeric_limits<Float>::infinity();
        return static_cast<Float>(value);
    }

    template <typename Float, typename Bits> std::string blobOf(std::span<const double> values)
    {
        std::string out;
        out.reserve(values.size() * sizeof(Bits));
        for (double value : values)
            appendLittleEndian(out, std::bit_cast<Bits>(narrowed<Float>(value)));
        return out;
    }

    // Integers as their unsigned bit pattern, which the conversion back to the signed type restores (C++20).
    template <typename Int, typename Bits> std::string intBlobOf(std::span<const Int> values)
    {
        std::string out;
        out.reserve(values.size() * sizeof(Bits));
        for (Int value : values)
            appendLittleEndian(out, static_cast<Bits>(value));
        return out;
    }

    template <typename Int, typename Bits> std::optional<std::vector<Int>> intValuesOf(std::string_view blob)
    {
        if (blob.size() % sizeof(Bits) != 0)
            return std::nullopt;
        std::vector<Int> values;
        values.reserve(blob.size() / sizeof(Bits));
        for (size_t at = 0; at < blob.size(); at += sizeof(Bits))
            values.push_back(static_cast<Int>(readLittleEndian<Bits>(blob.substr(at))));
        return values;
    }

    template <typename Float, typename Bits> std::optional<std::vector<double>> valuesOf(std::string_view blob)
    {
        if (blob.size() % sizeof(Bits) != 0)
            return std::nullopt;
        std::vector<double> values;
        values.reserve(blob.size() / sizeof(Bits));
        for (size_t at = 0; at < blob.size(); at += sizeof(Bits))
            values.push_back(static_cast<double>(std::bit_cast<Float>(readLittleEndian<Bits>(blob.substr(at)))));
        return values;
    }

} // namespace

std::string float32Blob(std::span<const double> values) { return blobOf<float, uint32_t>(values); }

std::string float64Blob(std::span<const double> values) { return blobOf<double, uint64_t>(values); }

std::optional<std::vector<double>> float32BlobValues(std::string_view blob) { return valuesOf<float, uint32_t>(blob); }

std::optional<std::vector<double>> float64BlobValues(std::string_view blob) { return valuesOf<double, uint64_t>(blob); }

std::string int32Blob(std::span<const int> values) { return intBlobOf<int, uint32_t>(values); }

std::string int64Blob(std::span<const int64_t> values) { return intBlobOf<int64_t, uint64_t>(values); }

std::optional<std::vector<int>> int32BlobValues(std::string_view blob) { return intValuesOf<int, uint32_t>(blob); }

std::optional<std::vector<int64_t>> int64BlobValues(std::string_view blob)
{
    return intValuesOf<int64_t, uint64_t>(blob);
}

} // namespace shardsim
