#pragma once
// Reads a scenario (YAML, or JSON as the YAML subset it is) into a ScenarioConfig, collecting every
// problem as a Diagnostic (`FILE:LINE:COL: error: PATH: MESSAGE`). Never throws, never crashes on
// hostile input: see input_limits.h for the limits it enforces.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/common/diagnostic.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

struct ScenarioLoad {
    std::optional<ScenarioConfig> config; // set exactly when `diagnostics` is empty
    Diagnostics diagnostics; // every error found, ordered by place

    bool ok() const { return config.has_value(); }
    // One formatted diagnostic per line.
    std::string errorText() const;
};

// Overrides are "PATH=VALUE" strings applied to the document before it is read, as `run --set` takes
// them: `cluster.nodes=16`, `workload.keys.theta=0.8`, `data.tables[0].rows=10M`,
// `data.tables[t_user].rows=10M` (a list entry by its name or op). VALUE is YAML (`{east: 8}` works).
// Missing mappings on the path are created. Problems in an override name it in place of a file.
struct ScenarioReadOptions {
    std::vector<std::string> overrides;
};

// The text of a scenario file, or the one diagnostic that says why it is not read: the path does not exist, is a
// directory or not a regular file (checked before opening, so a FIFO never blocks), holds more than 16 MiB, or
// is not UTF-8 text. The CLI and the desktop app both read files through it, so both describe a file the same
// way, and the app never loads a binary file into its editor.
struct ScenarioFileText {
    std::string text;
    Diagnostics diagnostics; // empty exactly when `text` is the file's

    bool ok() const { return diagnostics.empty(); }
};
ScenarioFileText readScenarioFileText(const std::string& path);

// `path` is also the display name; relative files in the scenario resolve against its directory.
ScenarioLoad loadScenarioFile(const std::string& path, const ScenarioReadOptions& options = {});

// `fileName` is only for messages; `baseDirectory` is where relative files resolve (empty: the
// working directory).
ScenarioLoad loadScenarioText(std::string_view text, const std::string& fileName, const std::string& baseDirectory,
    const ScenarioReadOptions& options = {});

} // namespace shardsim
