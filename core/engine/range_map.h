#pragma once
// The ordered ranges of a table whose ranges split, merge and move (auto-range rules, docs/engine-model.md "Ranges
// that split, merge and move"): for each range its first key, its rows, its request rate in the last load window,
// the node holding its leader, when it was born and how many windows in a row it has been hot. The keys run from 1
// to the table's key count; range i holds keys first(i) .. first(i+1) - 1 and the last one every key after it, so
// an insert past the newest key lands on the last range. Memory is per range, never per key.
//
// Rows are taken as spread evenly over a range's keys: a split divides them in proportion to the keys each side
// keeps, a merge adds them.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "shardsim/rules/placement.h"

namespace shardsim::engine {

struct Range {
    uint64_t first = 1;
    double rows = 0;
    double rate = 0; // requests/s over the last load window
    double mass = -1; // share of the requests that counts for its load, under the window's laws (-1: not known yet)
    double bornAt = 0; // s: when the split or merge that made it happened (0 for the ranges of the start)
    NodeId leader = 0; // after the doubles, so that the ints and bools pack into 56 bytes a range
    int hotWindows = 0; // consecutive load windows above the load threshold
    int hotDegree = 0; // consecutive load windows at or above the hot scheduler's hotMinRate (the pieces of a split
                       // keep it, as PD's hot cache lets them inherit their parent's)
    bool moving = false; // a move is copying it: it neither splits nor merges until the copy ends
    bool fromLoadSplit = false; // a split by load made it (or one of the ranges it came from)
};

class RangeMap {
public:
    RangeMap() = default;
    // One range holding keys 1..keyCount and `rows` rows, on `leader`.
    RangeMap(uint64_t keyCount, double rows, NodeId leader);

    size_t size() const { return m_ranges.size(); }
    Range& operator[](size_t i) { return m_ranges[i]; }
    const Range& operator[](size_t i) const { return m_ranges[i]; }
    const std::vector<Range>& ranges() const { return m_ranges; }
    uint64_t keyCount() const { return m_keyCount; }
    // The last key of range i (the last range: the key count, or its first key when the table has fewer keys).
    uint64_t last(size_t i) const;
    uint64_t keys(size_t i) const { return last(i) - m_ranges[i].first + 1; }
    // The range holding `key` (keys below 1 are in the first).
    size_t indexOf(uint64_t key) const;
    // The first keys of ranges 1.. (the rule's bounds).
    std::vector<int64_t> bounds() const;

    // The table grew to `keyCount` keys (the last range takes the new ones).
    void setKeyCount(uint64_t keyCount) { m_keyCount = std::max(m_keyCount, keyCount); }
    // Every range's rows times `factor` (rows deleted evenly over the table).
    void scaleRows(double factor);
    // Range i splits before `key` (first(i) < key <= last(i)): the new range i+1 starts at `key`, both born at t.
    void split(size_t i, uint64_t key, double t);
    // Range i and range i+1 become one, on range i's leader, born at t.
    void mergeWithNext(size_t i, double t);

private:
    std::vector<Range> m_ranges;
    uint64_t m_keyCount = 1;
};

} // namespace shardsim::engine
