#pragma once
// The shards of a key law's head beyond the alias table's points, remembered instead of routed again.
//
// The alias table carries the shard of each of its points (the hottest keys, exactly weighed). Most segments draw
// their shards from tables (KeySampler::useSegmentShares); where keys are still drawn and routed one by one (a latest
// law's head, scrambled-zipf's ranks), HeadRoutes keeps one entry per key of a window of consecutive indices (keys for
// latest; ranks for scrambled-zipf):
// the first draw of a key routes it and stores its shard, every later draw reads it. A key's shard depends on the
// rule alone, so the entries stay right for as long as the rule does: the engine keeps them across rebuilds of the
// law and starts afresh only when the window moves or the rule changes (a reshard builds new key domains).
//
// Looking a key up costs a few nanoseconds (the entry is often in L2, sometimes further): more than murmur3 or jump
// take to route one in a batch. The engine keeps routes only for rules whose keys cost more (worthRemembering):
// hashes such as Vitess' DES or MongoDB's MD5, rendezvous' score per node. Either way the counts are the same.
//
// Entries are filled lazily, from any worker thread: two threads storing the same key store the same value, so the
// counts do not depend on which of them routed it (relaxed atomic stores keep that free of data races).

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/key_law.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim::engine {

class HeadRoutes {
public:
    // 2^18 entries of 2 bytes: 512 KiB, half of the development machine's 1 MiB L2, next to the alias table of
    // 16,384 points and ~600 segments (24 bytes a column, ~400 KiB) that draws the keys.
    static constexpr uint64_t kEntries = uint64_t(1) << 18;
    static constexpr int32_t kUnknown = -2; // not routed yet (refused keys are -1, as the rules say)

    // Indices first .. first + entries - 1; `keyCount` names the key space an index's key was computed in (a scrambled
    // rank's key moves with it), 0 when the index is the key. No entries when the rule has more shards than an entry
    // holds.
    HeadRoutes(const ShardRule& rule, uint64_t first, uint64_t keyCount, uint64_t entries = kEntries);

    uint64_t first() const { return m_first; }
    uint64_t keyCount() const { return m_keyCount; }
    uint64_t size() const { return m_entries.size(); }

    // Whether routing keys from `firstKey` on costs the rule more than kWorthRemembering a key, timed on a few
    // batches (the least of them, so a busy machine does not make a cheap rule look costly as easily).
    static bool worthRemembering(const ShardRule& rule, uint64_t firstKey);
    static constexpr double kWorthRemembering = 40; // ns per key

    // The slot of `index`, or size() when it is outside the window.
    uint64_t slotOf(uint64_t index) const
    {
        const uint64_t slot = index - m_first; // wraps past size() below the window
        return slot < m_entries.size() ? slot : m_entries.size();
    }
    // The remembered shard of slot `slot` (< size()): a shard, -1 when the rule refuses the key, kUnknown before the
    // first store.
    int32_t shard(uint64_t slot) const
    {
        return static_cast<int32_t>(std::atomic_ref<uint16_t>(m_entries[slot]).load(std::memory_order_relaxed)) - 2;
    }
    void store(uint64_t slot, int32_t shard) const
    {
        const auto entry = static_cast<uint16_t>(shard >= 0 ? shard + 2 : 1);
        std::atomic_ref<uint16_t>(m_entries[slot]).store(entry, std::memory_order_relaxed);
    }
    void prefetch(uint64_t slot) const { __builtin_prefetch(m_entries.data() + (slot < size() ? slot : 0)); }
    // The shard of `key` at index `index`: remembered, or routed now and remembered.
    int32_t shardOf(uint64_t index, int64_t key) const;

private:
    const ShardRule* m_rule;
    uint64_t m_first;
    uint64_t m_keyCount;
    // shard + 2: 0 not routed yet, 1 refused, s + 2 shard s. Written through std::atomic_ref from const draws.
    mutable std::vector<uint16_t> m_entries;
};

// The window of indices worth remembering for `law`: where its head continues past its points. Zipf: the keys after
// the points; latest: the keys before them; hotspot: from the first hot key; a law drawn with its distribution
// (scrambled-zipf): the hottest ranks, whose keys move with the key count. Nothing for a law without segments.
struct HeadWindow {
    uint64_t first = 0;
    uint64_t keyCount = 0; // HeadRoutes::keyCount()

    bool operator==(const HeadWindow&) const = default;
};
std::optional<HeadWindow> headWindowOf(const KeyLaw& law, uint64_t entries = HeadRoutes::kEntries);

} // namespace shardsim::engine
