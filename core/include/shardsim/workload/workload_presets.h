#pragma once
// Workload presets from published characterisations (YCSB, Twitter's cache traces, Meta's memcached ETC pool,
// Meta's RocksDB mixgraph): a key law, an operation mix and a row size that `workload: { preset: NAME }` fills in.
// docs/workload-model.md gives each preset's source and how its numbers were taken from it.

#include <cstdint>
#include <string_view>
#include <vector>

#include "shardsim/workload/workload_config.h"

namespace shardsim::workload {

struct PresetOperation {
    std::string_view name;
    OperationKind kind = OperationKind::Point;
    double weight = 1; // share of the preset's requests
    int64_t limit = 20; // scan: rows per request
};

struct WorkloadPreset {
    std::string_view name; // as written in `preset:`
    std::string_view source; // the publication or file its numbers come from
    KeyDistributionConfig keys;
    std::vector<PresetOperation> mix; // on the scenario's first table, by its key
    double rowSize = 0; // bytes: key plus value as the source reports them
};

const std::vector<WorkloadPreset>& workloadPresets();
// nullptr for a name that is not a preset.
const WorkloadPreset* findWorkloadPreset(std::string_view name);

} // namespace shardsim::workload
