#pragma once
// A scenario file read into typed values. Every field states its unit and default; the reader
// (scenario_reader.h) fills the defaults and guarantees every invariant written here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/common/run_clock.h"
#include "shardsim/scenario/cluster_config.h"
#include "shardsim/scenario/data_config.h"
#include "shardsim/scenario/event_config.h"
#include "shardsim/scenario/expect_config.h"
#include "shardsim/scenario/lesson_config.h"
#include "shardsim/scenario/plan_config.h"
#include "shardsim/scenario/sharding_config.h"
#include "shardsim/workload/workload_config.h"

namespace shardsim {

// The `limits` section: what the planner and the reports treat as "too much".
struct LimitsConfig {
    int64_t maxRowsPerTable = 10'000'000; // rows in one physical table; default 10M
    double maxUtilization = 0.7; // fraction of a node's max_qps at peak; default 70%
    double maxStorageUtilization = 0.8; // fraction of a node's storage; default 80%
};

struct ScenarioConfig {
    std::string name; // required
    std::string description; // default ""
    uint64_t seed = 1; // master seed of every random stream; default 1
    std::optional<double> start; // s after midnight of the first moment (`start: "22:00"`); default none: times read
                                 // as time since the start
    double duration = 0; // s of simulated time; required, at most 100 years
    double tick = 1; // s per simulation step; default 1s (the duration when shorter); duration / tick at most 10^7

    ClusterConfig cluster;
    DataConfig data;
    ShardingConfig sharding;
    WorkloadConfig workload;
    std::vector<EventConfig> events; // in time order (file order among equal times); default none
    std::vector<ExpectConfig> expect; // default none
    LimitsConfig limits;
    std::vector<LessonStep> lesson; // steps of the app's lesson mode; default none
    std::optional<PlanConfig> plan; // the capacity planner's question; default none

    // Where it came from, for the run history: the text exactly as read, and the overrides applied.
    std::string sourceText;
    std::string sourceFile; // display name given to the reader
    std::string baseDirectory; // relative files (traces, directory CSVs) are read from here
    std::vector<std::string> overrides; // "PATH=VALUE", in the order applied

    int64_t tickCount() const;
    RunClock clock() const { return RunClock(start, duration); } // how the run's moments read
    // The business database (index into data.databases) of every node the run will have: the databases own the
    // starting nodes in consecutive blocks, and added nodes join the database their event names. All 0 without
    // business databases.
    std::vector<int> databaseOfNodes() const;
};

} // namespace shardsim
