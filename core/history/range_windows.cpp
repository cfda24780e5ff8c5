#include "history/range_windows.h"

#include <fmt/format.h>

#include "history/sqlite_handle.h"
#include "history/value_blob.h"

namespace shardsim {

Result<bool> insertRangeWindows(sqlite3* db, int64_t id, std::span<const RangeWindowSummary> windows)
{
    auto insert = sqlite::Statement::prepare(db,
        "INSERT INTO run_range_windows (run_id, window_index, at_s, seconds, ranges, splits, merges, moves, "
        "bytes_moved, busiest_range_rate, node_ranges, bounds, leader_transfers) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert)
        return fail(insert.error());
    for (size_t w = 0; w < windows.size(); ++w) {
        const RangeWindowSummary& window = windows[w];
        insert->bind(1, id);
        insert->bind(2, static_cast<int64_t>(w));
        insert->bind(3, window.atS);
        insert->bind(4, window.seconds);
        insert->bind(5, static_cast<int64_t>(window.ranges));
        insert->bind(6, static_cast<int64_t>(window.splits));
        insert->bind(7, static_cast<int64_t>(window.merges));
        insert->bind(8, static_cast<int64_t>(window.moves));
        insert->bind(9, window.bytesMoved);
        insert->bind(10, window.busiestRate);
        insert->bindBlob(11, int32Blob(window.nodeRanges));
        // Ranges split and merge now and then: most windows keep the bounds of the one before, stored once.
        if (w > 0 && window.bounds == windows[w - 1].bounds)
            insert->bindNull(12);
        else
            insert->bindBlob(12, int64Blob(window.bounds));
        insert->bind(13, static_cast<int64_t>(window.leaderTransfers));
        if (auto inserted = insert->run(); !inserted)
            return inserted;
    }
    return true;
}

Result<std::vector<RangeWindowSummary>> readRangeWindows(sqlite3* db, int64_t id)
{
    auto statement = sqlite::Statement::prepare(db,
        "SELECT window_index, at_s, seconds, ranges, splits, merges, moves, bytes_moved, busiest_range_rate, "
        "node_ranges, bounds, leader_transfers FROM run_range_windows WHERE run_id = ? ORDER BY window_index");
    if (!statement)
        return fail(statement.error());
    statement->bind(1, id);
    std::vector<RangeWindowSummary> windows;
    for (;;) {
        auto row = statement->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            return windows;
        const int64_t index = statement->columnInt(0);
        const auto damaged = [&](std::string_view what) {
            return fail(fmt::format("run {}: range window {} is damaged: {}", id, index, what));
        };
        if (index != std::ssize(windows))
            return fail(fmt::format(
                "run {}: range window {} is missing (the next one stored is {})", id, windows.size(), index));
        RangeWindowSummary& window = windows.emplace_back();
        window.atS = statement->columnDouble(1);
        window.seconds = statement->columnDouble(2);
        window.ranges = static_cast<int>(statement->columnInt(3));
        window.splits = static_cast<int>(statement->columnInt(4));
        window.merges = static_cast<int>(statement->columnInt(5));
        window.moves = static_cast<int>(statement->columnInt(6));
        window.bytesMoved = statement->columnDouble(7);
        window.busiestRate = statement->columnDouble(8);
        window.leaderTransfers = static_cast<int>(statement->columnInt(11));
        const std::string nodeRanges = statement->columnBlob(9);
        auto counts = int32BlobValues(nodeRanges);
        if (!counts)
            return damaged(fmt::format("node_ranges holds {} bytes, not 4 per node", nodeRanges.size()));
        window.nodeRanges = std::move(*counts);
        if (statement->columnIsNull(10)) {
            if (windows.size() == 1)
                return damaged("the first window must store its bounds, and they are NULL");
            window.bounds = windows[windows.size() - 2].bounds;
            continue;
        }
        const std::string boundBytes = statement->columnBlob(10);
        auto bounds = int64BlobValues(boundBytes);
        if (!bounds)
            return damaged(fmt::format("bounds holds {} bytes, not 8 per key", boundBytes.size()));
        window.bounds = std::move(*bounds);
    }
}

} // namespace shardsim
