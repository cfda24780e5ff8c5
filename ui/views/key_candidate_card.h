#pragma once
// One candidate shard key of the analyze view: its verdict in words on top, then the figures `shardsim-cli analyze`
// prints, worded the same way (docs/shard-key-analysis.md). The figures are labels named after the JSON fields
// ("cardinality", "most_common", "monotonicity", "hottest_shard_share", "verdict"), the sides ShareBars ("reads",
// "writes").

#include <QFrame>

#include "shardsim/report/shard_key_analysis.h"

namespace shardsim::ui {

class KeyCandidateCard : public QFrame {
    Q_OBJECT
public:
    KeyCandidateCard(const QString& table, const ShardKeyCandidate& candidate, QWidget* parent = nullptr);

    // The text of the figure named `field` ("verdict", "cardinality", ...), as the user reads it.
    QString fieldText(const QString& field) const;
};

} // namespace shardsim::ui
