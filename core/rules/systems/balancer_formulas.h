#pragma once
// Internal: the formulas of the client-side and proxy load balancers that hash keys onto servers (libketama as
// spymemcached implements it, Envoy's ring_hash and maglev), separate from the rule classes so the tests can check
// them against the vectors those projects publish. docs/rules-real-systems.md cites the sources.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shardsim::rules::systems {

// ---- Ketama ------------------------------------------------------------------------------------------

// KetamaNodeLocator's KETAMA_HASH of a key: the first 4 bytes of MD5(key) as a little-endian unsigned int.
uint32_t ketamaHash(std::string_view key);
// The continuum: for each server in order, 40 MD5 digests of "SERVER-i" (i = 0..39), each giving 4 points (its
// 4-byte words, little-endian). Point -> index of the server; a later server takes over a point it shares.
std::map<uint32_t, int> ketamaContinuum(const std::vector<std::string>& servers);

// ---- Envoy -------------------------------------------------------------------------------------------

struct RingEntry {
    uint64_t hash = 0;
    int host = 0; // index into the host list
};
// ring_hash_lb.cc's Ring for equally weighted hosts: scale = min(ceil(w * min_ring) / w, max_ring) with w = 1/N
// the normalized weight; host i adds hashes while the running count is below the running target scale * w, the
// j-th being xxHash64("HOST_j", seed 0). Sorted by hash (ties by insertion order).
std::vector<RingEntry> envoyRing(const std::vector<std::string>& hosts, uint64_t minRing, uint64_t maxRing);
// Ring::chooseHost for hash h: the binary search ported from libketama, which finds the first entry whose hash is
// >= h and wraps to entry 0. Returns the ring index.
size_t envoyRingIndex(const std::vector<RingEntry>& ring, uint64_t h);
// maglev_lb.cc's table for equally weighted hosts: hosts sorted by their address, offset = xxHash64(address, 0)
// % M and skip = xxHash64(address, 1) % (M - 1) + 1, filled round by round as in the Maglev paper. Entry i is the
// index (into `hosts`) of the host that owns hash values h with h % M == i.
std::vector<int> envoyMaglevTable(const std::vector<std::string>& hosts, uint64_t tableSize);

// ---- For the simulator -------------------------------------------------------------------------------

// Each owner's part of a circle of 2^64 positions where a hash belongs to the first point at or after it,
// wrapping past the last: `points` ascending (position, owner). 32-bit rings pass their points shifted left by 32.
std::vector<double> circleShares(const std::vector<std::pair<uint64_t, int>>& points, int owners);

} // namespace shardsim::rules::systems
