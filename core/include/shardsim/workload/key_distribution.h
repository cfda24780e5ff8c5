#pragma once
// Which key a request reads: a popularity law over the keys 1..n of a table (sequential ids; key 1 is the
// first row). Each law both draws keys and states, exactly, how much traffic a key range receives, so the
// sampling engine and the expected-value engine see the same workload.

#include <cstdint>
#include <memory>
#include <string>

#include "shardsim/common/result.h"
#include "shardsim/workload/workload_config.h"
#include "shardsim/workload/random_streams.h"

namespace shardsim::workload {

// Keys are doubles inside the Zipf samplers, so n stays where every integer is exact.
inline constexpr uint64_t kMaxKeyCount = uint64_t(1) << 53;

// One instance per table and run. The setters are cheap (scrambled-zipf: a table of its hottest keys is
// rebuilt) and are called by the simulation between ticks; sample() and probabilityOfRange() are const and
// may run on many threads between two setter calls.
class KeyDistribution {
public:
    virtual ~KeyDistribution() = default;

    // The table's current row count n; keys are 1..n. 0 is an empty table: sample() returns 0 and every
    // probability is 0. At most kMaxKeyCount.
    virtual void setKeyCount(uint64_t n) = 0;
    virtual uint64_t keyCount() const = 0;
    // Simulated time in s, for laws that move with it (hotspot drift). Others ignore it.
    virtual void setTime(double) { }

    // One key in 1..n.
    virtual uint64_t sample(RandomEngine& engine) const = 0;
    // P(first <= key <= last) for a single draw; bounds are clipped to 1..n, an empty range is 0.
    virtual double probabilityOfRange(uint64_t first, uint64_t last) const = 0;

    // "zipf(theta=0.99)", for reports and messages.
    virtual std::string describe() const = 0;
};

using KeyDistributionPtr = std::unique_ptr<KeyDistribution>;

// Builds the law of `workload.keys` for a table of `keyCount` rows. `placement` is drawn from only by a hotspot
// placed `at: random` (once, here). A sample reads its file (`resolvedFile`, else `file`) here; a trace is no key
// law but a replay of requests (see trace_file.h) and fails here.
Result<KeyDistributionPtr> makeKeyDistribution(
    const KeyDistributionConfig& config, uint64_t keyCount, RandomEngine& placement);

// The law as the scenario states it, for describe and run: "uniform", "latest theta 0.99",
// "hotspot: 80% of requests on 20% of keys".
std::string describeKeyLaw(const KeyDistributionConfig& config);

} // namespace shardsim::workload
